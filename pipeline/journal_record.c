/*
 * journal_record.c — the format of one journal record (journal_record.h, docs/bus.md
 * "Journal"): the byte order of its fields, its limits, encoding it into one buffer, checking
 * one in a file (magic, header, lengths, CRC-32) and decoding one read back. Knows nothing of
 * segments, the index or recovery.
 */
#include "journal_record.h"

#include "journal_io.h"

#include <string.h>
#include <zlib.h>

/* --- byte order: little-endian ----------------------------------------------------------- */

static void put_u32(guint8 *p, guint32 v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (guint8)(v >> (8 * i));
}

static void put_u64(guint8 *p, guint64 v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (guint8)(v >> (8 * i));
}

static guint32 get_u32(const guint8 *p)
{
    guint32 v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static guint64 get_u64(const guint8 *p)
{
    guint64 v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* --- encode ------------------------------------------------------------------------------ */

guint64 journal_record_size(const journal_part *parts, guint n_parts)
{
    guint64 size = JOURNAL_RECORD_FIXED + 4ull * n_parts + JOURNAL_RECORD_CRC;
    for (guint i = 0; i < n_parts; i++)
        size += parts[i].size;
    return size;
}

gboolean journal_record_check_parts(const journal_part *parts, guint n_parts, GError **error)
{
    if (n_parts < 1 || n_parts > JOURNAL_MAX_PARTS || parts == NULL) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: a record has 1 to %d parts, not %u", JOURNAL_MAX_PARTS, n_parts);
        return FALSE;
    }
    for (guint i = 0; i < n_parts; i++) {
        if (parts[i].size > JOURNAL_MAX_PART_BYTES || (parts[i].size && !parts[i].data)) {
            g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                        "journal: part %u has %" G_GSIZE_FORMAT
                        " bytes, over the %u a part may have (or no data)",
                        i, parts[i].size, JOURNAL_MAX_PART_BYTES);
            return FALSE;
        }
    }
    return TRUE;
}

guint8 *journal_record_encode(guint64 seq, gint64 time_us, const journal_part *parts, guint n_parts,
                              gsize *size)
{
    *size = (gsize)journal_record_size(parts, n_parts);
    guint8 *buf = g_malloc(*size);
    memcpy(buf, JOURNAL_RECORD_MAGIC, JOURNAL_RECORD_MAGIC_LEN);
    put_u64(buf + 4, seq);
    put_u64(buf + 12, (guint64)time_us);
    put_u32(buf + 20, n_parts);
    gsize off = JOURNAL_RECORD_FIXED;
    for (guint i = 0; i < n_parts; i++, off += 4)
        put_u32(buf + off, (guint32)parts[i].size);
    for (guint i = 0; i < n_parts; i++) {
        if (parts[i].size)
            memcpy(buf + off, parts[i].data, parts[i].size);
        off += parts[i].size;
    }
    g_assert(off + JOURNAL_RECORD_CRC == *size);
    put_u32(buf + off, (guint32)crc32(0L, buf + 4, (uInt)(off - 4)));
    return buf;
}

/* --- check in a file --------------------------------------------------------------------- */

journal_record_status journal_record_check(int fd, guint64 off, guint64 file_size,
                                           journal_record_head *h, guint8 *chunk, const char **why)
{
    guint8 head[JOURNAL_RECORD_FIXED + 4 * JOURNAL_MAX_PARTS];
    gsize avail = (gsize)MIN(file_size - off, JOURNAL_RECORD_FIXED);
    if (!journal_pread_full(fd, head, avail, off))
        return JOURNAL_RECORD_IO;
    *why = "a record with a bad header";
    if (memcmp(head, JOURNAL_RECORD_MAGIC, MIN(avail, JOURNAL_RECORD_MAGIC_LEN)) != 0)
        return JOURNAL_RECORD_CORRUPT;
    *why = "a torn record";
    if (avail < JOURNAL_RECORD_FIXED)
        return JOURNAL_RECORD_TORN;
    *why = "a record with a bad header";
    h->seq = get_u64(head + 4);
    h->time_us = (gint64)get_u64(head + 12);
    h->n_parts = get_u32(head + 20);
    if (h->n_parts < 1 || h->n_parts > JOURNAL_MAX_PARTS)
        return JOURNAL_RECORD_CORRUPT;
    gsize head_len = JOURNAL_RECORD_FIXED + 4 * h->n_parts;
    *why = "a torn record";
    if (off + head_len > file_size)
        return JOURNAL_RECORD_TORN;
    if (!journal_pread_full(fd, head + JOURNAL_RECORD_FIXED, head_len - JOURNAL_RECORD_FIXED,
                            off + JOURNAL_RECORD_FIXED))
        return JOURNAL_RECORD_IO;
    guint64 body = 0;
    for (guint i = 0; i < h->n_parts; i++) {
        h->lengths[i] = get_u32(head + JOURNAL_RECORD_FIXED + 4 * i);
        if (h->lengths[i] > JOURNAL_MAX_PART_BYTES) {
            *why = "a record with a bad header";
            return JOURNAL_RECORD_CORRUPT;
        }
        body += h->lengths[i];
    }
    h->length = head_len + body + JOURNAL_RECORD_CRC;
    if (off + h->length > file_size)
        return JOURNAL_RECORD_TORN;
    uLong crc = crc32(0L, head + 4, (uInt)(head_len - 4));
    for (guint64 done = 0; done < body;) {
        gsize n = (gsize)MIN(body - done, JOURNAL_RECORD_CHUNK);
        if (!journal_pread_full(fd, chunk, n, off + head_len + done))
            return JOURNAL_RECORD_IO;
        crc = crc32(crc, chunk, (uInt)n);
        done += n;
    }
    guint8 stored[JOURNAL_RECORD_CRC];
    if (!journal_pread_full(fd, stored, JOURNAL_RECORD_CRC, off + head_len + body))
        return JOURNAL_RECORD_IO;
    *why = "a record failing its CRC";
    return get_u32(stored) == (guint32)crc ? JOURNAL_RECORD_OK : JOURNAL_RECORD_CORRUPT;
}

guint64 journal_record_peek_seq(const guint8 *rec)
{
    return get_u64(rec + 4);
}

/* --- decode ------------------------------------------------------------------------------ */

/* TRUE when buf (length bytes) has the magic, a sound n_parts, part lengths that add up
 * to the record's length, and a matching CRC: a record that passes is safe to cut into
 * parts, whatever was written over the file. */
static gboolean record_sound(const guint8 *buf, gsize length)
{
    if (length < JOURNAL_RECORD_FIXED + JOURNAL_RECORD_CRC)
        return FALSE;
    guint32 n = get_u32(buf + 20);
    gsize head_len = JOURNAL_RECORD_FIXED + 4 * (gsize)n;
    if (memcmp(buf, JOURNAL_RECORD_MAGIC, JOURNAL_RECORD_MAGIC_LEN) != 0 || n < 1 ||
        n > JOURNAL_MAX_PARTS || head_len + JOURNAL_RECORD_CRC > length)
        return FALSE;
    guint64 body = 0;
    for (guint32 i = 0; i < n; i++)
        body += get_u32(buf + JOURNAL_RECORD_FIXED + 4 * i);
    return head_len + body + JOURNAL_RECORD_CRC == length &&
           get_u32(buf + length - JOURNAL_RECORD_CRC) ==
               (guint32)crc32(0L, buf + 4, (uInt)(length - JOURNAL_RECORD_CRC - 4));
}

journal_record *journal_record_decode(guint8 *buf, gsize length)
{
    if (!record_sound(buf, length)) {
        g_free(buf);
        return NULL;
    }
    guint32 n = get_u32(buf + 20);
    journal_record *r = g_new0(journal_record, 1);
    r->seq = get_u64(buf + 4);
    r->time_us = (gint64)get_u64(buf + 12);
    r->n_parts = n;
    r->parts = g_new0(GBytes *, n);
    GBytes *all = g_bytes_new_take(buf, length);
    gsize off = JOURNAL_RECORD_FIXED + 4 * (gsize)n;
    for (guint i = 0; i < n; i++) {
        gsize len = get_u32(buf + JOURNAL_RECORD_FIXED + 4 * i);
        r->parts[i] = g_bytes_new_from_bytes(all, off, len);
        off += len;
    }
    g_bytes_unref(all);
    g_assert(off + JOURNAL_RECORD_CRC == length);
    return r;
}
