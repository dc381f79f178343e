/*
 * test_journal.c — pins the on-disk event journal (pipeline/journal.c, docs/bus.md "Journal"):
 * records read back byte for byte; seq is gap-free, checked and survives reopening; a torn,
 * corrupt or garbage tail is cut and reported while the records before it stay; whole records
 * cut after a damaged one are named as lost and their seqs never used again, across restarts,
 * while a torn tail's seq is used again; segments roll;
 * retention removes only what every consumer acknowledged (by size, by age, for disk space,
 * where unacknowledged events go last and loudly); acknowledgements persist; and a process
 * killed while appending leaves every record it finished readable.
 *
 * Every test works in a folder of its own from g_dir_make_tmp and removes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "journal.h"

#define N_BIN 3
#define DAY_US ((gint64)24 * 3600 * G_USEC_PER_SEC)

/* --- fixtures: records whose every byte follows from their seq --------------------------- */

/* The parts of test record seq: the JSON {"seq":NNNNNNNN} (16 bytes) and N_BIN binary parts of
 * base, base + 1, base + 2 bytes, so a record has 63 + 3 * base bytes (600 for base 179). */
typedef struct {
    char *json;
    guint8 *bin[N_BIN];
    journal_part parts[1 + N_BIN];
} test_record;

#define RECORD_BYTES(base) (63 + 3 * (base))

static void test_record_make(test_record *t, guint64 seq, gsize base)
{
    t->json = g_strdup_printf("{\"seq\":%08" G_GUINT64_FORMAT "}", seq);
    t->parts[0] = (journal_part){t->json, strlen(t->json)};
    for (int k = 0; k < N_BIN; k++) {
        gsize n = base + (gsize)k;
        t->bin[k] = g_malloc(n + 1);
        for (gsize i = 0; i < n; i++)
            t->bin[k][i] = (guint8)(seq * 131 + (guint64)k * 7 + i);
        t->parts[1 + k] = (journal_part){t->bin[k], n};
    }
}

static void test_record_clear(test_record *t)
{
    g_free(t->json);
    for (int k = 0; k < N_BIN; k++)
        g_free(t->bin[k]);
}

static gboolean append_record(journal *j, guint64 seq, gsize base, GError **error)
{
    test_record t;
    test_record_make(&t, seq, base);
    gboolean ok = journal_append(j, seq, t.parts, 1 + N_BIN, error);
    test_record_clear(&t);
    return ok;
}

static void append_ok(journal *j, guint64 seq, gsize base)
{
    GError *error = NULL;
    gboolean ok = append_record(j, seq, base, &error);
    if (!ok)
        fail_msg("append %" G_GUINT64_FORMAT ": %s", seq, error->message);
}

static void append_range(journal *j, guint64 first, guint64 last, gsize base)
{
    for (guint64 s = first; s <= last; s++)
        append_ok(j, s, base);
}

/* Record seq reads back exactly as test_record_make made it. */
static void check_record(journal *j, guint64 seq, gsize base)
{
    GError *error = NULL;
    journal_record *r = journal_read(j, seq, &error);
    if (!r)
        fail_msg("read %" G_GUINT64_FORMAT ": %s", seq, error->message);
    test_record t;
    test_record_make(&t, seq, base);
    assert_int_equal(r->seq, seq);
    assert_int_equal(r->n_parts, 1 + N_BIN);
    for (int k = 0; k < 1 + N_BIN; k++) {
        gsize n;
        const void *data = g_bytes_get_data(r->parts[k], &n);
        assert_int_equal(n, t.parts[k].size);
        assert_memory_equal(data, t.parts[k].data, n);
    }
    test_record_clear(&t);
    journal_record_free(r);
}

static void check_range(journal *j, guint64 first, guint64 last, gsize base)
{
    for (guint64 s = first; s <= last; s++)
        check_record(j, s, base);
}

static void assert_not_held(journal *j, guint64 seq)
{
    GError *error = NULL;
    assert_null(journal_read(j, seq, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_NOT_FOUND));
    g_error_free(error);
}

/* --- fixtures: folders, files, limits, log capture ------------------------------------- */

static char *make_dir(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("gatecv-journal-XXXXXX", &error);
    assert_non_null(dir);
    return dir;
}

/* Removes the (flat) test folder and frees its name. */
static void remove_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, name, NULL);
        g_unlink(path);
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

static char *seg_path(const char *dir, guint64 first_seq)
{
    return g_strdup_printf("%s/seg-%020" G_GUINT64_FORMAT ".gcj", dir, first_seq);
}

static guint64 file_size(const char *path)
{
    struct stat st;
    assert_int_equal(g_stat(path, &st), 0);
    return (guint64)st.st_size;
}

static void write_file(const char *path, const void *data, gsize len)
{
    assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
}

/* Changes one byte of a file (adds 1 to it). */
static void flip_byte(const char *path, guint64 off)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    guint8 b;
    assert_int_equal(pread(fd, &b, 1, (off_t)off), 1);
    b++;
    assert_int_equal(pwrite(fd, &b, 1, (off_t)off), 1);
    close(fd);
}

static journal_limits limits_with(guint64 segment_bytes, guint64 max_bytes)
{
    journal_limits l;
    journal_limits_default(&l);
    l.segment_bytes = segment_bytes;
    l.max_bytes = max_bytes;
    l.min_free_bytes = 0;
    return l;
}

static journal *open_ok(const char *dir, const journal_limits *limits)
{
    GError *error = NULL;
    journal *j = journal_open(dir, limits, &error);
    if (!j)
        fail_msg("open %s: %s", dir, error->message);
    return j;
}

static gboolean has_alarm(journal *j, const char *alarm)
{
    journal_status st;
    journal_get_status(j, &st);
    gboolean found = FALSE;
    for (guint i = 0; i < st.alarms->len; i++)
        found |= strcmp(g_ptr_array_index(st.alarms, i), alarm) == 0;
    journal_status_clear(&st);
    return found;
}

/* The journal's warnings and criticals, kept instead of printed. */
static GString *logged;

static void keep_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user)
{
    (void)domain;
    (void)user;
    g_string_append_printf(logged, "%s: %s\n",
                           level & G_LOG_LEVEL_CRITICAL ? "critical" : "warning", message);
}

static int setup(void **state)
{
    (void)state;
    logged = g_string_new(NULL);
    g_log_set_handler("gatecv-journal", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL, keep_log, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    g_string_free(logged, TRUE);
    logged = NULL;
    return 0;
}

/* --- round trip, seq ----------------------------------------------------------------------- */

/* A record of JSON + 3 binary parts (one empty, one with every byte value) reads back byte for
 * byte, with its seq and the wall clock of the append; seqs not held are NOT_FOUND. */
static void test_round_trip(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal *j = open_ok(dir, NULL);
    assert_int_equal(journal_next_seq(j), 1);
    assert_int_equal(journal_first_seq(j), 0);
    assert_int_equal(journal_last_seq(j), 0);

    const char *json = "{\"seq\":1,\"plate\":\"12C34567\"}";
    guint8 all[256], big[100000];
    for (int i = 0; i < 256; i++)
        all[i] = (guint8)i;
    for (gsize i = 0; i < sizeof big; i++)
        big[i] = (guint8)(i * 7 + 3);
    journal_part parts[4] = {{json, strlen(json)}, {all, sizeof all}, {NULL, 0}, {big, sizeof big}};
    gint64 before = g_get_real_time();
    GError *error = NULL;
    assert_true(journal_append(j, 1, parts, 4, &error));
    gint64 after = g_get_real_time();

    journal_record *r = journal_read(j, 1, &error);
    assert_non_null(r);
    assert_int_equal(r->seq, 1);
    assert_true(r->time_us >= before && r->time_us <= after);
    assert_int_equal(r->n_parts, 4);
    for (int k = 0; k < 4; k++) {
        gsize n;
        const void *data = g_bytes_get_data(r->parts[k], &n);
        assert_int_equal(n, parts[k].size);
        if (n)
            assert_memory_equal(data, parts[k].data, n);
    }
    journal_record_free(r);
    assert_int_equal(journal_first_seq(j), 1);
    assert_int_equal(journal_last_seq(j), 1);
    assert_not_held(j, 0);
    assert_not_held(j, 2);
    journal_close(j);
    remove_dir(dir);
}

/* seq runs 1, 2, 3, ... and carries on after close and reopen; the records stay. */
static void test_seq_survives_reopen(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal *j = open_ok(dir, NULL);
    append_range(j, 1, 5, 50);
    assert_int_equal(journal_next_seq(j), 6);
    journal_close(j);

    j = open_ok(dir, NULL);
    assert_int_equal(journal_next_seq(j), 6);
    assert_int_equal(journal_first_seq(j), 1);
    assert_int_equal(journal_last_seq(j), 5);
    append_ok(j, 6, 50);
    check_range(j, 1, 6, 50);
    journal_status st;
    journal_get_status(j, &st);
    assert_null(st.recovered);
    assert_int_equal(st.n_segments, 1);
    assert_int_equal(st.bytes, 8 + 6 * RECORD_BYTES(50));
    journal_status_clear(&st);
    journal_close(j);
    remove_dir(dir);
}

/* While one process has the journal open, another cannot open it; once it has closed it can. */
static void test_one_process_at_a_time(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal *j = open_ok(dir, NULL);
    for (int round = 0; round < 2; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            GError *error = NULL;
            journal *other = journal_open(dir, NULL, &error);
            _exit(other ? 1 : g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_IO) ? 0 : 2);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), round == 0 ? 0 : 1);
        if (round == 0)
            journal_close(j);
    }
    remove_dir(dir);
}

/* An append whose seq is not next_seq is refused and changes nothing; so are records over the
 * limits (no parts, 65 parts, a part over 64 MiB, a record over max_bytes). */
static void test_wrong_seq_and_limits_refused(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(1 << 20, 4096);
    journal *j = open_ok(dir, &lim);
    GError *error = NULL;
    assert_false(append_record(j, 2, 10, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    append_ok(j, 1, 10);
    guint64 wrong[] = {0, 1, 3, G_MAXUINT64};
    for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
        assert_false(append_record(j, wrong[i], 10, &error));
        assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
        g_clear_error(&error);
    }
    assert_int_equal(journal_next_seq(j), 2);

    guint8 byte = 0;
    journal_part many[JOURNAL_MAX_PARTS + 1];
    for (int i = 0; i <= JOURNAL_MAX_PARTS; i++)
        many[i] = (journal_part){&byte, 1};
    assert_false(journal_append(j, 2, many, 0, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    assert_false(journal_append(j, 2, many, JOURNAL_MAX_PARTS + 1, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    assert_true(journal_append(j, 2, many, JOURNAL_MAX_PARTS, &error)); /* 64 is allowed */

    journal_part huge[2] = {{&byte, 1}, {&byte, (gsize)JOURNAL_MAX_PART_BYTES + 1}};
    assert_false(journal_append(j, 3, huge, 2, &error)); /* refused before its bytes are read */
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    assert_non_null(strstr(error->message, "part 1"));
    g_clear_error(&error);
    guint8 *over = g_malloc0(4096);
    journal_part too_big[2] = {{&byte, 1}, {over, 4096}};
    assert_false(journal_append(j, 3, too_big, 2, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    assert_non_null(strstr(error->message, "max_bytes"));
    g_clear_error(&error);
    g_free(over);
    assert_int_equal(journal_next_seq(j), 3);
    check_record(j, 1, 10);
    journal_close(j);
    remove_dir(dir);
}

/* --- recovery -------------------------------------------------------------------------- */

/* Appends 1..5 (one segment, records of RECORD_BYTES(50)) and closes. */
static void five_records(const char *dir)
{
    journal *j = open_ok(dir, NULL);
    append_range(j, 1, 5, 50);
    journal_close(j);
}

/* Reopens after damage to record 5 or beyond: what was cut is reported as expected, records
 * 1..last stay, the next seq is last + 1 and appends go on; a second reopen finds nothing to
 * cut. */
static void check_recovered(const char *dir, guint64 last, const char *expect)
{
    journal *j = open_ok(dir, NULL);
    journal_status st;
    journal_get_status(j, &st);
    assert_non_null(st.recovered);
    if (!strstr(st.recovered, expect))
        fail_msg("recovered \"%s\" does not say \"%s\"", st.recovered, expect);
    assert_int_equal(st.last_seq, last);
    journal_status_clear(&st);
    assert_non_null(strstr(logged->str, expect)); /* logged too */
    check_range(j, 1, last, 50);
    assert_not_held(j, last + 1);
    assert_int_equal(journal_next_seq(j), last + 1);
    append_ok(j, last + 1, 50);
    journal_close(j);

    j = open_ok(dir, NULL);
    journal_get_status(j, &st);
    assert_null(st.recovered);
    journal_status_clear(&st);
    check_range(j, 1, last + 1, 50);
    journal_close(j);
}

/* A tail cut short (a crash mid-write) is cut off; records before it stay. */
static void test_torn_tail_cut(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 1);
    assert_int_equal(truncate(seg, (off_t)(file_size(seg) - 3)), 0);
    char *expect = g_strdup_printf("cut %d bytes of a torn record after seq 4 in seg-%020d.gcj",
                                   RECORD_BYTES(50) - 3, 1);
    check_recovered(dir, 4, expect);
    g_free(expect);
    g_free(seg);
    remove_dir(dir);
}

/* One changed byte in the last record's payload fails its CRC: that record is cut. */
static void test_corrupt_last_payload_cut(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 1);
    flip_byte(seg, file_size(seg) - 20);
    check_recovered(dir, 4, "failing its CRC after seq 4");
    g_free(seg);
    remove_dir(dir);
}

/* A CRC failure in the middle of the last segment cuts from there: the whole records after it
 * are cut too, never served, and their seqs are not used again. */
static void test_corrupt_middle_cut(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 1);
    flip_byte(seg, 8 + 2 * RECORD_BYTES(50) + 40); /* in record 3's JSON */
    journal *j = open_ok(dir, NULL);
    journal_status st;
    journal_get_status(j, &st);
    char *expect =
        g_strdup_printf("cut 3 records after seq 2 in seg-%020d.gcj: a record failing "
                        "its CRC at offset %d; events 3..5 are lost, the next event is 6",
                        1, 8 + 2 * RECORD_BYTES(50));
    assert_non_null(st.recovered);
    assert_string_equal(st.recovered, expect);
    assert_non_null(strstr(logged->str, expect));
    assert_int_equal(st.last_seq, 2);
    journal_status_clear(&st);
    check_range(j, 1, 2, 50);
    for (guint64 s = 3; s <= 5; s++)
        assert_not_held(j, s);
    assert_int_equal(journal_next_seq(j), 6);
    assert_int_equal(file_size(seg), 8 + 2 * RECORD_BYTES(50));
    journal_close(j);
    g_free(expect);
    g_free(seg);
    remove_dir(dir);
}

/* Garbage after the last record is cut; the records stay. */
static void test_garbage_tail_cut(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 1);
    FILE *f = fopen(seg, "ab");
    assert_non_null(f);
    fputs("not a record at all", f); /* 19 bytes */
    fclose(f);
    check_recovered(dir, 5, "cut 19 bytes of a record with a bad header after seq 5");
    g_free(seg);
    remove_dir(dir);
}

/* A new segment whose header was torn (3 of its 8 bytes) is removed; seq goes on after the
 * last record of the segment before. */
static void test_torn_segment_header(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 6);
    write_file(seg, "GCV", 3);
    check_recovered(dir, 5, "a torn segment header of 3 bytes");
    g_free(seg);
    remove_dir(dir);
}

/* A zero-length last segment (a crash right after creating it) is removed the same way. */
static void test_zero_length_segment(void **state)
{
    (void)state;
    char *dir = make_dir();
    five_records(dir);
    char *seg = seg_path(dir, 6);
    write_file(seg, "", 0);
    check_recovered(dir, 5, "a torn segment header of 0 bytes");
    g_free(seg);
    remove_dir(dir);
}

/* A file named like a segment whose full header is not GCVJRNL1 is not ours: open fails rather
 * than cut it. */
static void test_foreign_segment_refused(void **state)
{
    (void)state;
    char *dir = make_dir();
    char *seg = seg_path(dir, 1);
    write_file(seg, "NOTJOURNAL", 10);
    GError *error = NULL;
    assert_null(journal_open(dir, NULL, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_error_free(error);
    assert_int_equal(file_size(seg), 10);
    g_free(seg);
    remove_dir(dir);
}

/* --- segments and retention -------------------------------------------------------------- */

/* 600-byte records in 2048-byte segments: three to a segment (8 + 3 * 600 = 1808 bytes). */
#define BASE 179
#define SEG_BYTES 2048
#define FULL_SEG (8 + 3 * RECORD_BYTES(BASE))

/* Segments roll before they would pass segment_bytes and are named by their first seq;
 * reading goes across them, before and after reopening. */
static void test_segments_roll(void **state)
{
    (void)state;
    assert_int_equal(RECORD_BYTES(BASE), 600);
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 20);
    journal *j = open_ok(dir, &lim);
    append_range(j, 1, 10, BASE);
    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.n_segments, 4);
    assert_int_equal(st.bytes, 3 * FULL_SEG + 8 + 600);
    journal_status_clear(&st);
    guint64 firsts[] = {1, 4, 7, 10};
    for (gsize i = 0; i < G_N_ELEMENTS(firsts); i++) {
        char *seg = seg_path(dir, firsts[i]);
        assert_int_equal(file_size(seg), i < 3 ? FULL_SEG : 8 + 600);
        g_free(seg);
    }
    check_range(j, 1, 10, BASE);
    journal_close(j);
    j = open_ok(dir, &lim);
    check_range(j, 1, 10, BASE);
    append_range(j, 11, 13, BASE); /* 11, 12 fill seg-10, 13 starts seg-13 */
    char *seg = seg_path(dir, 13);
    assert_int_equal(file_size(seg), 8 + 600);
    g_free(seg);
    check_range(j, 1, 13, BASE);
    journal_close(j);
    remove_dir(dir);
}

/* --- records lost to damage: their seqs are never used again ----------------------------- */

/* Appends 1..n (records of RECORD_BYTES(base)) with lim and closes. */
static void records(const char *dir, const journal_limits *lim, guint64 n, gsize base)
{
    journal *j = open_ok(dir, lim);
    append_range(j, 1, n, base);
    journal_close(j);
}

/* Reopens with lim after damage: the report is exactly expect (logged too), kept_first..kept_last
 * and after_first..after_last (0 0: none) read back, lost_first..lost_last are not held and the
 * next seq is next; appends refuse a lost seq. Closes. */
static void check_lost(const char *dir, const journal_limits *lim, const char *expect,
                       guint64 kept_first, guint64 kept_last, guint64 lost_first, guint64 lost_last,
                       guint64 after_first, guint64 after_last, guint64 next, gsize base)
{
    journal *j = open_ok(dir, lim);
    journal_status st;
    journal_get_status(j, &st);
    assert_non_null(st.recovered);
    assert_string_equal(st.recovered, expect);
    journal_status_clear(&st);
    assert_non_null(strstr(logged->str, expect));
    check_range(j, kept_first, kept_last, base);
    for (guint64 s = lost_first; s <= lost_last; s++)
        assert_not_held(j, s);
    if (after_first)
        check_range(j, after_first, after_last, base);
    assert_int_equal(journal_first_seq(j), kept_first);
    assert_int_equal(journal_last_seq(j), after_first ? after_last : kept_last);
    assert_int_equal(journal_next_seq(j), next);
    GError *error = NULL;
    assert_false(append_record(j, lost_first, base, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    journal_close(j);
}

/* Reopens with lim: nothing is cut and the next seq is next. */
static void check_clean_reopen(const char *dir, const journal_limits *lim, guint64 next)
{
    journal *j = open_ok(dir, lim);
    journal_status st;
    journal_get_status(j, &st);
    assert_null(st.recovered);
    journal_status_clear(&st);
    assert_int_equal(journal_next_seq(j), next);
    journal_close(j);
}

static gboolean file_exists(const char *path)
{
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* One changed byte in the middle record of three in the last segment: record 1 stays, 2 and 3
 * are cut and reported, and the next seq is 4, also after a reopen with no append in between
 * (an empty seg-4 carries it), and after an append of 4. If the cut never reached the disk (a
 * crash at open), the next open finds and reports the same. */
static void test_corrupt_middle_seqs_not_reused(void **state)
{
    (void)state;
    char *dir = make_dir();
    records(dir, NULL, 3, 50);
    char *seg = seg_path(dir, 1), *mark = seg_path(dir, 4);
    flip_byte(seg, 8 + RECORD_BYTES(50) + 40); /* in record 2's JSON */
    gchar *damaged;
    gsize damaged_len;
    assert_true(g_file_get_contents(seg, &damaged, &damaged_len, NULL));
    char *expect =
        g_strdup_printf("cut 2 records after seq 1 in seg-%020d.gcj: a record failing "
                        "its CRC at offset %d; events 2..3 are lost, the next event is 4",
                        1, 8 + RECORD_BYTES(50));

    check_lost(dir, NULL, expect, 1, 1, 2, 3, 0, 0, 4, 50);
    assert_int_equal(file_size(seg), 8 + RECORD_BYTES(50));
    assert_int_equal(file_size(mark), 8);
    check_clean_reopen(dir, NULL, 4);

    write_file(seg, damaged, damaged_len); /* as if the cut had not reached the disk */
    g_string_truncate(logged, 0);
    check_lost(dir, NULL, expect, 1, 1, 2, 3, 0, 0, 4, 50);

    journal *j = open_ok(dir, NULL);
    append_ok(j, 4, 50);
    journal_close(j);
    j = open_ok(dir, NULL);
    journal_status st;
    journal_get_status(j, &st);
    assert_null(st.recovered);
    assert_int_equal(st.first_seq, 1);
    assert_int_equal(st.last_seq, 4);
    assert_int_equal(st.n_segments, 2); /* seg-1 holds 1, seg-4 holds 4 */
    journal_status_clear(&st);
    check_record(j, 1, 50);
    assert_not_held(j, 2);
    assert_not_held(j, 3);
    check_record(j, 4, 50);
    assert_int_equal(journal_next_seq(j), 5);
    journal_close(j);
    g_free(damaged);
    g_free(expect);
    g_free(mark);
    g_free(seg);
    remove_dir(dir);
}

/* The middle record's part length made to claim more bytes than the file has, so it looks torn:
 * the scan still finds record 3 after it, at the next magic, and 2..3 are lost, not reused. */
static void test_corrupt_length_resynchronises(void **state)
{
    (void)state;
    char *dir = make_dir();
    records(dir, NULL, 3, 50);
    char *seg = seg_path(dir, 1);
    flip_byte(seg, 8 + RECORD_BYTES(50) + 24 + 3); /* the top byte of part 0's length */
    char *expect = g_strdup_printf("cut 2 records after seq 1 in seg-%020d.gcj: a torn record at "
                                   "offset %d; events 2..3 are lost, the next event is 4",
                                   1, 8 + RECORD_BYTES(50));
    check_lost(dir, NULL, expect, 1, 1, 2, 3, 0, 0, 4, 50);
    check_clean_reopen(dir, NULL, 4);
    g_free(expect);
    g_free(seg);
    remove_dir(dir);
}

/* A crash's torn tail leaves nothing whole after the cut: that record was never published, its
 * seq is used again, and no segment is made to skip it. */
static void test_torn_tail_reuses_seq(void **state)
{
    (void)state;
    char *dir = make_dir();
    records(dir, NULL, 3, 50);
    char *seg = seg_path(dir, 1), *mark = seg_path(dir, 4);
    assert_int_equal(truncate(seg, (off_t)(file_size(seg) - 3)), 0);
    journal *j = open_ok(dir, NULL);
    journal_status st;
    journal_get_status(j, &st);
    char *expect = g_strdup_printf("cut %d bytes of a torn record after seq 2 in seg-%020d.gcj",
                                   RECORD_BYTES(50) - 3, 1);
    assert_string_equal(st.recovered, expect);
    assert_int_equal(st.n_segments, 1);
    journal_status_clear(&st);
    assert_int_equal(journal_next_seq(j), 3);
    assert_false(file_exists(mark));
    append_ok(j, 3, 50);
    check_range(j, 1, 3, 50);
    journal_close(j);
    check_clean_reopen(dir, NULL, 4);
    g_free(expect);
    g_free(mark);
    g_free(seg);
    remove_dir(dir);
}

/* The first record of the last segment damaged (its magic), the records after it whole: the
 * whole segment's records are lost, its file goes, and seg-7 (empty) carries the next seq 7
 * across restarts. */
static void test_last_segment_wholly_lost(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 20);
    records(dir, &lim, 6, BASE); /* seg-1: 1-3, seg-4: 4-6 */
    char *seg4 = seg_path(dir, 4), *mark = seg_path(dir, 7);
    flip_byte(seg4, 8); /* GCVR -> HCVR */
    char *expect = g_strdup_printf("cut 3 records after seq 3 in seg-%020d.gcj: a record with a "
                                   "bad header at offset 8; events 4..6 are lost, the next event "
                                   "is 7",
                                   4);
    check_lost(dir, &lim, expect, 1, 3, 4, 6, 0, 0, 7, BASE);
    assert_false(file_exists(seg4));
    assert_int_equal(file_size(mark), 8);
    check_clean_reopen(dir, &lim, 7);
    journal *j = open_ok(dir, &lim);
    append_ok(j, 7, BASE);
    journal_close(j);
    j = open_ok(dir, &lim);
    check_range(j, 1, 3, BASE);
    check_record(j, 7, BASE);
    assert_int_equal(journal_next_seq(j), 8);
    journal_close(j);
    g_free(expect);
    g_free(mark);
    g_free(seg4);
    remove_dir(dir);
}

/* Damage in the middle of an earlier segment: its whole records after the bad one are lost (a
 * gap, reported with the seqs), the later segment keeps the next seq; no segment is added. */
static void test_corrupt_earlier_segment_gap(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 20);
    records(dir, &lim, 6, BASE); /* seg-1: 1-3, seg-4: 4-6 */
    char *seg1 = seg_path(dir, 1);
    flip_byte(seg1, 8 + RECORD_BYTES(BASE) + 100); /* in record 2 */
    char *expect =
        g_strdup_printf("cut 2 records after seq 1 in seg-%020d.gcj: a record failing "
                        "its CRC at offset %d; events 2..3 are lost, the next event is 4",
                        1, 8 + RECORD_BYTES(BASE));
    check_lost(dir, &lim, expect, 1, 1, 2, 3, 4, 6, 7, BASE);
    journal *j = open_ok(dir, &lim);
    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.n_segments, 2);
    journal_status_clear(&st);
    journal_close(j);
    g_free(expect);
    g_free(seg1);
    remove_dir(dir);
}

/* Over max_bytes, a segment a registered consumer has not acknowledged is kept and
 * journal_over_cap raised; acknowledging lets retention remove it, and the alarm clears once
 * under the cap. Without consumers the oldest segments simply go. */
static void test_retention_by_size(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 3 * FULL_SEG);
    journal *j = open_ok(dir, &lim);
    journal_register_consumer(j, "customs");
    append_range(j, 1, 20, BASE); /* 7 segments: 1-3 ... 16-18, 19-20 */
    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.first_seq, 1);
    assert_int_equal(st.n_segments, 7);
    assert_int_equal(st.backlog, 20);
    journal_status_clear(&st);
    assert_true(has_alarm(j, "journal_over_cap"));

    GError *error = NULL;
    assert_true(journal_ack(j, "customs", 9, &error)); /* 1-3, 4-6, 7-9 may go: still over */
    assert_int_equal(journal_first_seq(j), 10);
    assert_true(has_alarm(j, "journal_over_cap"));
    check_range(j, 10, 20, BASE);
    assert_not_held(j, 9);

    assert_true(journal_ack(j, "customs", 20, &error)); /* 10-12 goes: 3 * 1808 + 8 + 1200 */
    journal_get_status(j, &st);
    assert_int_equal(st.first_seq, 13);
    assert_true(st.bytes <= lim.max_bytes);
    assert_int_equal(st.backlog, 0);
    journal_status_clear(&st);
    assert_false(has_alarm(j, "journal_over_cap"));
    journal_close(j);
    remove_dir(dir);

    dir = make_dir();
    j = open_ok(dir, &lim);
    append_range(j, 1, 20, BASE);
    journal_get_status(j, &st);
    assert_true(st.bytes <= lim.max_bytes);
    assert_int_equal(st.first_seq, 13);
    assert_int_equal(st.alarms->len, 0);
    journal_status_clear(&st);
    check_range(j, 13, 20, BASE);
    journal_close(j);
    remove_dir(dir);
}

/* A segment whose newest event is older than max_age goes once acknowledged, oldest first; the
 * segment being written never goes. */
static void test_retention_by_age(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 20);
    journal *j = open_ok(dir, &lim);
    journal_register_consumer(j, "ops");
    append_range(j, 1, 7, BASE); /* 1-3, 4-6, 7 */
    gint64 later = g_get_real_time() + 31 * DAY_US;
    journal_enforce_retention(j, later);
    assert_int_equal(journal_first_seq(j), 1); /* nothing acknowledged */
    assert_false(has_alarm(j, "journal_over_cap"));

    GError *error = NULL;
    assert_true(journal_ack(j, "ops", 5, &error));
    journal_enforce_retention(j, g_get_real_time()); /* young: stays */
    assert_int_equal(journal_first_seq(j), 1);
    journal_enforce_retention(j, later); /* 1-3 acknowledged; 4-6 not wholly */
    assert_int_equal(journal_first_seq(j), 4);

    assert_true(journal_ack(j, "ops", 7, &error));
    journal_enforce_retention(j, later);
    assert_int_equal(journal_first_seq(j), 7); /* the segment being written stays */
    check_record(j, 7, BASE);
    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.n_segments, 1);
    journal_status_clear(&st);
    journal_close(j);
    remove_dir(dir);
}

/* --- consumers ----------------------------------------------------------------------------- */

/* Acks register the consumer, never go back, persist across reopening (a consumer registered
 * only from the config is not written down); bad names and seqs past the last are refused. */
static void test_consumers(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal *j = open_ok(dir, NULL);
    append_range(j, 1, 5, 20);
    GError *error = NULL;
    char name64[65];
    memset(name64, 'x', 64);
    name64[64] = '\0';
    assert_true(journal_ack(j, "customs", 3, &error));
    assert_true(journal_ack(j, "ops-1.b_2", 5, &error));
    assert_true(journal_ack(j, name64, 1, &error));
    assert_true(journal_ack(j, "customs", 2, &error)); /* lower: keeps 3 */
    const char *bad_names[] = {"", "bad name", "a/b", "x=y", "[g]", "ü", NULL};
    for (int i = 0; i < 7; i++) {
        assert_false(journal_ack(j, bad_names[i], 1, &error));
        assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
        g_clear_error(&error);
    }
    name64[63] = 'y';
    char name65[66];
    g_snprintf(name65, sizeof name65, "%sz", name64);
    assert_false(journal_ack(j, name65, 1, &error));
    g_clear_error(&error);
    assert_false(journal_ack(j, "customs", 6, &error));
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID));
    g_clear_error(&error);
    journal_register_consumer(j, "config-only");
    journal_register_consumer(j, "customs"); /* already known: keeps 3 */

    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.consumers->len, 4);
    const char *names[] = {"config-only", "customs", "ops-1.b_2"};
    guint64 acked[] = {0, 3, 5};
    for (int i = 0; i < 3; i++) {
        journal_consumer *c = g_ptr_array_index(st.consumers, i);
        assert_string_equal(c->name, names[i]);
        assert_int_equal(c->acked, acked[i]);
    }
    assert_int_equal(st.backlog, 5); /* config-only has nothing */
    journal_status_clear(&st);
    journal_close(j);

    j = open_ok(dir, NULL);
    journal_get_status(j, &st);
    assert_int_equal(st.consumers->len, 3);
    journal_consumer *c = g_ptr_array_index(st.consumers, 0);
    assert_string_equal(c->name, "customs");
    assert_int_equal(c->acked, 3);
    c = g_ptr_array_index(st.consumers, 1);
    assert_string_equal(c->name, "ops-1.b_2");
    assert_int_equal(c->acked, 5);
    assert_int_equal(st.backlog, 4);
    journal_status_clear(&st);
    journal_register_consumer(j, "customs");
    assert_true(journal_ack(j, "customs", 4, &error));
    journal_close(j);
    j = open_ok(dir, NULL);
    journal_get_status(j, &st);
    c = g_ptr_array_index(st.consumers, 0);
    assert_int_equal(c->acked, 4);
    journal_status_clear(&st);
    journal_close(j);
    remove_dir(dir);
}

/* --- disk space, write failures ---------------------------------------------------------- */

/* A disk of `capacity` bytes holding only the journal folder. */
typedef struct {
    guint64 capacity;
} fake_disk;

static guint64 dir_used(const char *dir)
{
    guint64 used = 0;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, name, NULL);
        used += file_size(path);
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    return used;
}

static guint64 fake_free(const char *dir, void *user)
{
    const fake_disk *disk = user;
    guint64 used = dir_used(dir);
    return used >= disk->capacity ? 0 : disk->capacity - used;
}

/* Short of disk space, appending removes acknowledged segments first; when that is not enough
 * the oldest unacknowledged ones go too, with a critical log and the alarm naming the seqs
 * lost; the segment being written stays even when the disk has nothing left. */
static void test_disk_full(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 30);
    lim.min_free_bytes = 1000;
    journal *j = open_ok(dir, &lim);
    fake_disk disk = {G_MAXUINT64};
    journal_set_free_space_fn(j, fake_free, &disk);
    append_range(j, 1, 12, BASE); /* 1-3, 4-6, 7-9, 10-12 */
    GError *error = NULL;
    assert_true(journal_ack(j, "customs", 6, &error));

    /* one byte short of min_free + a record: removing 1-3 (acknowledged) is enough */
    disk.capacity = dir_used(dir) + 1600 - 1;
    append_ok(j, 13, BASE);
    assert_int_equal(journal_first_seq(j), 4);
    assert_int_equal(logged->len, 0);
    journal_status st;
    journal_get_status(j, &st);
    assert_int_equal(st.alarms->len, 0);
    journal_status_clear(&st);

    disk.capacity = dir_used(dir) + 1600 - FULL_SEG - 1; /* 4-6 is not enough: 7-9 goes too */
    append_ok(j, 14, BASE);
    assert_int_equal(journal_first_seq(j), 10);
    assert_true(has_alarm(j, "journal_dropped_unacknowledged:7-9"));
    assert_non_null(strstr(logged->str, "critical"));
    assert_non_null(strstr(logged->str, "seq 7-9"));
    check_range(j, 10, 14, BASE);

    disk.capacity = 0; /* nothing left: all but the segment being written (13-14) goes */
    append_ok(j, 15, BASE);
    assert_int_equal(journal_first_seq(j), 13);
    assert_true(has_alarm(j, "journal_dropped_unacknowledged:7-12"));
    check_range(j, 13, 15, BASE);
    journal_close(j);
    remove_dir(dir);
}

/* A write that fails twice (the file size limit stands in for a full disk) leaves the segment
 * as it was, returns an I/O error and raises journal_write_failed; the next append that
 * succeeds clears it. */
static void test_write_failure(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(SEG_BYTES, 1 << 20);
    journal *j = open_ok(dir, &lim);
    append_range(j, 1, 2, BASE);
    char *seg = seg_path(dir, 1);
    guint64 size = file_size(seg);

    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    low = old;
    low.rlim_cur = (rlim_t)(size + 100);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
    GError *error = NULL;
    gboolean ok = append_record(j, 3, BASE, &error);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);

    assert_false(ok);
    assert_true(g_error_matches(error, JOURNAL_ERROR, JOURNAL_ERROR_IO));
    g_clear_error(&error);
    assert_int_equal(file_size(seg), size);
    assert_true(has_alarm(j, "journal_write_failed"));
    assert_int_equal(journal_next_seq(j), 3);
    assert_not_held(j, 3);
    append_ok(j, 3, BASE);
    assert_false(has_alarm(j, "journal_write_failed"));
    check_range(j, 1, 3, BASE);
    journal_close(j);
    j = open_ok(dir, &lim);
    check_range(j, 1, 3, BASE);
    journal_close(j);
    g_free(seg);
    remove_dir(dir);
}

/* --- a process killed while appending ---------------------------------------------------- */

#define CRASH_BASE 100000 /* ~300 KB records: a kill can land in the middle of one write */
#define CRASH_MAX_SEQ 600 /* the child waits for its kill past this (~180 MB in all) */

/* The child: appends from the journal's next seq on, telling the parent each seq once
 * journal_append has returned. Never returns. */
static void crash_child(const char *dir, int report)
{
    journal_limits lim = limits_with(1 << 20, G_MAXUINT64 / 2);
    journal *j = journal_open(dir, &lim, NULL);
    if (!j)
        _exit(2);
    for (guint64 seq = journal_next_seq(j);; seq++) {
        if (seq > CRASH_MAX_SEQ)
            pause();
        if (!append_record(j, seq, CRASH_BASE, NULL))
            _exit(3);
        if (write(report, &seq, sizeof seq) != sizeof seq)
            _exit(4);
    }
}

/* Five times: a child appending in a loop is killed with SIGKILL after some ms; on reopening,
 * every record the child was told was appended is there, seqs run 1..N without a gap, each
 * record reads back exactly, and appending goes on at N + 1. */
static void test_killed_while_appending(void **state)
{
    (void)state;
    char *dir = make_dir();
    guint64 appended = 0; /* by this test after each round */
    for (int round = 0; round < 5; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            crash_child(dir, fds[1]);
        }
        close(fds[1]);
        guint64 seq = 0, reported = 0;
        assert_int_equal(read(fds[0], &seq, sizeof seq), sizeof seq); /* it is under way */
        reported = seq;
        g_usleep((gulong)(20 + 37 * round) * 1000);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (read(fds[0], &seq, sizeof seq) == sizeof seq)
            reported = seq;
        close(fds[0]);

        journal_limits lim = limits_with(1 << 20, G_MAXUINT64 / 2);
        journal *j = open_ok(dir, &lim);
        guint64 n = journal_last_seq(j);
        assert_true(n >= reported);
        assert_true(n > appended);
        assert_int_equal(journal_first_seq(j), 1);
        check_range(j, 1, n, CRASH_BASE);
        assert_int_equal(journal_next_seq(j), n + 1);
        append_ok(j, n + 1, CRASH_BASE);
        check_record(j, n + 1, CRASH_BASE);
        appended = n + 1;
        journal_close(j);
    }
    g_string_truncate(logged, 0); /* a torn tail may have been cut: that is the point */
    remove_dir(dir);
}

/* --- threads ------------------------------------------------------------------------------- */

typedef struct {
    journal *j;
    guint64 n;
} appender;

static gpointer append_thread(gpointer p)
{
    appender *a = p;
    append_range(a->j, 1, a->n, 30);
    return NULL;
}

/* Reading while another thread appends (the bus thread and a camera thread) sees every record
 * whole. */
static void test_read_while_appending(void **state)
{
    (void)state;
    char *dir = make_dir();
    journal_limits lim = limits_with(4096, 1 << 30);
    journal *j = open_ok(dir, &lim);
    appender a = {j, 300};
    GThread *t = g_thread_new("append", append_thread, &a);
    guint64 seen = 0;
    while (seen < a.n) {
        guint64 last = journal_last_seq(j);
        if (last > seen) {
            check_record(j, last, 30);
            if (seen)
                check_record(j, seen, 30);
            seen = last;
        }
    }
    g_thread_join(t);
    check_range(j, 1, a.n, 30);
    journal_close(j);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seq_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_process_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_seq_and_limits_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_last_payload_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_middle_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_tail_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_segment_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_length_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_segment_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segments_roll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_middle_seqs_not_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_length_resynchronises, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail_reuses_seq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_segment_wholly_lost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_earlier_segment_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_by_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_by_age, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consumers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_while_appending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_while_appending, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
