/*
 * test_journal_record.c — pins the format of one journal record (pipeline/journal_record.c,
 * docs/bus.md "Journal") directly, without a journal: the bytes of an encoded record, field by
 * field; encode then check and decode round trip, also at an offset after another record; any
 * flipped byte makes it fail, a flipped byte of its fields or parts as corrupt; every prefix of
 * it is torn; the CRC is zlib's crc32 over exactly seq .. last part byte; and the format's
 * limits on parts.
 *
 * Records are written to an unlinked temporary file, as journal_record_check reads a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <glib.h>

#include "journal_record.h"

#define SEQ 0x0102030405060708ull
#define TIME_US 0x1122334455667788ll

/* A record of two parts, "{\"a\":1}" and 5 binary bytes, and an empty third one. */
static const char JSON[] = "{\"a\":1}";
static const guint8 BIN[] = {0x00, 0xff, 0x47, 0x43, 0x56};

static guint8 *encode_sample(gsize *size)
{
    journal_part parts[3] = {{JSON, strlen(JSON)}, {BIN, sizeof BIN}, {NULL, 0}};
    return journal_record_encode(SEQ, TIME_US, parts, 3, size);
}

/* An unlinked temporary file holding len bytes of buf. */
static int file_with(const guint8 *buf, gsize len)
{
    char *path = NULL;
    int fd = g_file_open_tmp("test_journal_record-XXXXXX", &path, NULL);
    assert_true(fd >= 0);
    unlink(path);
    g_free(path);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    return fd;
}

/* journal_record_check of the record at off in a file holding buf[0..len). */
static journal_record_status check_bytes(const guint8 *buf, gsize len, guint64 off,
                                         journal_record_head *h, const char **why)
{
    int fd = file_with(buf, len);
    guint8 *chunk = g_malloc(JOURNAL_RECORD_CHUNK);
    *why = NULL;
    journal_record_status c = journal_record_check(fd, off, len, h, chunk, why);
    g_free(chunk);
    close(fd);
    return c;
}

static void put_le(GByteArray *a, guint64 v, int n)
{
    for (int i = 0; i < n; i++) {
        guint8 b = (guint8)(v >> (8 * i));
        g_byte_array_append(a, &b, 1);
    }
}

static void test_layout(void **state)
{
    (void)state;
    /* docs/bus.md: magic, seq u64 LE, time_us i64 LE, n_parts u32 LE, lengths u32 LE, parts,
     * crc u32 LE over seq .. last part byte */
    GByteArray *want = g_byte_array_new();
    g_byte_array_append(want, (const guint8 *)"GCVR", 4);
    put_le(want, SEQ, 8);
    put_le(want, (guint64)TIME_US, 8);
    put_le(want, 3, 4);
    put_le(want, strlen(JSON), 4);
    put_le(want, sizeof BIN, 4);
    put_le(want, 0, 4);
    g_byte_array_append(want, (const guint8 *)JSON, strlen(JSON));
    g_byte_array_append(want, BIN, sizeof BIN);
    put_le(want, crc32(0L, want->data + 4, want->len - 4), 4);

    gsize size;
    guint8 *buf = encode_sample(&size);
    assert_int_equal(size, want->len);
    assert_int_equal(size, 24 + 3 * 4 + strlen(JSON) + sizeof BIN + 4);
    journal_part parts[3] = {{JSON, strlen(JSON)}, {BIN, sizeof BIN}, {NULL, 0}};
    assert_int_equal(journal_record_size(parts, 3), size);
    assert_memory_equal(buf, want->data, size);
    assert_int_equal(journal_record_peek_seq(buf), SEQ);
    g_free(buf);
    g_byte_array_unref(want);
}

/* A record whose part lengths do not add up to its size, with a CRC made to match (a file
 * written over by something else), is refused by decode, not cut into parts. */
static void test_decode_refuses_lengths_that_do_not_add_up(void **state)
{
    (void)state;
    gsize size;
    guint8 *buf = encode_sample(&size);
    buf[24] += 3; /* the first part's length: now past what the record holds */
    guint32 crc = (guint32)crc32(0L, buf + 4, (uInt)(size - 8));
    for (int i = 0; i < 4; i++)
        buf[size - 4 + i] = (guint8)(crc >> (8 * i));
    assert_null(journal_record_decode(buf, size)); /* takes buf */
}

static void test_round_trip(void **state)
{
    (void)state;
    gsize size;
    guint8 *buf = encode_sample(&size);
    journal_record_head h;
    const char *why;
    assert_int_equal(check_bytes(buf, size, 0, &h, &why), JOURNAL_RECORD_OK);
    assert_int_equal(h.seq, SEQ);
    assert_int_equal(h.time_us, TIME_US);
    assert_int_equal(h.n_parts, 3);
    assert_int_equal(h.lengths[0], strlen(JSON));
    assert_int_equal(h.lengths[1], sizeof BIN);
    assert_int_equal(h.lengths[2], 0);
    assert_int_equal(h.length, size);

    journal_record *r = journal_record_decode(g_memdup2(buf, size), size);
    assert_non_null(r);
    assert_int_equal(r->seq, SEQ);
    assert_int_equal(r->time_us, TIME_US);
    assert_int_equal(r->n_parts, 3);
    gsize n;
    const void *d = g_bytes_get_data(r->parts[0], &n);
    assert_int_equal(n, strlen(JSON));
    assert_memory_equal(d, JSON, n);
    d = g_bytes_get_data(r->parts[1], &n);
    assert_int_equal(n, sizeof BIN);
    assert_memory_equal(d, BIN, n);
    assert_int_equal(g_bytes_get_size(r->parts[2]), 0);
    journal_record_free(r);
    g_free(buf);
}

static void test_check_at_offset(void **state)
{
    (void)state;
    /* a segment-like file: 8 header bytes, a one-part record of 100 000 bytes, the sample */
    guint8 *big = g_malloc(100000);
    for (gsize i = 0; i < 100000; i++)
        big[i] = (guint8)(i * 7);
    journal_part one = {big, 100000};
    gsize big_size, size;
    guint8 *first = journal_record_encode(1, 5, &one, 1, &big_size);
    guint8 *second = encode_sample(&size);
    GByteArray *file = g_byte_array_new();
    g_byte_array_append(file, (const guint8 *)"GCVJRNL1", 8);
    g_byte_array_append(file, first, big_size);
    g_byte_array_append(file, second, size);

    journal_record_head h;
    const char *why;
    assert_int_equal(check_bytes(file->data, file->len, 8, &h, &why), JOURNAL_RECORD_OK);
    assert_int_equal(h.seq, 1);
    assert_int_equal(h.length, big_size);
    assert_int_equal(check_bytes(file->data, file->len, 8 + big_size, &h, &why), JOURNAL_RECORD_OK);
    assert_int_equal(h.seq, SEQ);
    assert_int_equal(8 + big_size + h.length, file->len);
    /* the first record cut short by the end of the file: torn */
    assert_int_equal(check_bytes(file->data, 8 + big_size - 1, 8, &h, &why), JOURNAL_RECORD_TORN);
    g_byte_array_unref(file);
    g_free(first);
    g_free(second);
    g_free(big);
}

static void test_flipped_byte_corrupt(void **state)
{
    (void)state;
    gsize size;
    guint8 *buf = encode_sample(&size);
    const gsize n_parts_at = 20, parts_at = 24 + 3 * 4; /* lengths between */
    for (gsize i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (guint8)(1u << bit);
            journal_record_head h;
            const char *why;
            journal_record_status c = check_bytes(buf, size, 0, &h, &why);
            /* a flipped n_parts or length may make the record run past the file: torn then */
            if (i < n_parts_at || i >= parts_at)
                assert_int_equal(c, JOURNAL_RECORD_CORRUPT);
            else
                assert_true(c == JOURNAL_RECORD_CORRUPT || c == JOURNAL_RECORD_TORN);
            if (i >= 4 && (i < n_parts_at || i >= parts_at))
                assert_string_equal(why, "a record failing its CRC");
            assert_null(journal_record_decode(g_memdup2(buf, size), size));
            buf[i] ^= (guint8)(1u << bit);
        }
    }
    g_free(buf);
}

static void test_cut_short_torn(void **state)
{
    (void)state;
    gsize size;
    guint8 *buf = encode_sample(&size);
    for (gsize len = 1; len < size; len++) {
        journal_record_head h;
        const char *why;
        assert_int_equal(check_bytes(buf, len, 0, &h, &why), JOURNAL_RECORD_TORN);
        assert_string_equal(why, "a torn record");
    }
    g_free(buf);
}

static void test_crc_covers_seq_to_last_part_byte(void **state)
{
    (void)state;
    gsize size;
    guint8 *buf = encode_sample(&size);
    const guint8 *c = buf + size - 4;
    guint32 stored = (guint32)c[0] | (guint32)c[1] << 8 | (guint32)c[2] << 16 | (guint32)c[3] << 24;
    assert_int_equal(stored, (guint32)crc32(0L, buf + 4, (uInt)(size - 8)));
    /* not the magic, not the CRC itself */
    assert_int_not_equal(stored, (guint32)crc32(0L, buf, (uInt)(size - 4)));
    assert_int_not_equal(stored, (guint32)crc32(0L, buf + 4, (uInt)(size - 4)));
    /* a flip in the magic is a bad header, not a CRC failure */
    buf[1] ^= 1;
    journal_record_head h;
    const char *why;
    assert_int_equal(check_bytes(buf, size, 0, &h, &why), JOURNAL_RECORD_CORRUPT);
    assert_string_equal(why, "a record with a bad header");
    g_free(buf);
}

static void test_parts_limits(void **state)
{
    (void)state;
    static const char x[] = "x";
    journal_part parts[JOURNAL_MAX_PARTS + 1];
    for (int i = 0; i <= JOURNAL_MAX_PARTS; i++)
        parts[i] = (journal_part){x, 1};
    GError *error = NULL;
    assert_true(journal_record_check_parts(parts, JOURNAL_MAX_PARTS, &error));
    assert_false(journal_record_check_parts(parts, JOURNAL_MAX_PARTS + 1, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    assert_false(journal_record_check_parts(parts, 0, &error));
    g_clear_error(&error);
    parts[1] = (journal_part){x, JOURNAL_MAX_PART_BYTES + 1}; /* never read: refused by size */
    assert_false(journal_record_check_parts(parts, 2, &error));
    g_clear_error(&error);
    parts[1] = (journal_part){NULL, 1};
    assert_false(journal_record_check_parts(parts, 2, &error));
    g_clear_error(&error);
    parts[1] = (journal_part){NULL, 0};
    assert_true(journal_record_check_parts(parts, 2, &error));
    assert_int_equal(journal_record_size(parts, 2), JOURNAL_RECORD_FIXED + 8 + 1 + 4);
    assert_int_equal(journal_record_size(parts + 1, 1), JOURNAL_RECORD_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_decode_refuses_lengths_that_do_not_add_up),
        cmocka_unit_test(test_check_at_offset),
        cmocka_unit_test(test_flipped_byte_corrupt),
        cmocka_unit_test(test_cut_short_torn),
        cmocka_unit_test(test_crc_covers_seq_to_last_part_byte),
        cmocka_unit_test(test_parts_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
