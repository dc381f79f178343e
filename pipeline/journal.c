/*
 * journal.c — the on-disk event journal (docs/bus.md, "Journal"). Owns the journal folder: the
 * segment files (their format, the durable append, the recovery of a torn or corrupt tail at
 * open), the in-memory index from seq to where its record lies, the consumers'
 * acknowledgements (the key file `consumers`), retention and the journal's alarms.
 *
 * Memory: the journal owns its segments (segment*, freed by segment_free), the index entries
 * (plain values pointing at their segment: a segment's entries go with it) and the consumers
 * and alarms it hands out copies of. Descriptors: the segment being written stays open, and at
 * most one other (the last one read), so a backlog of many segments costs two descriptors.
 */
#define G_LOG_DOMAIN "gatecv-journal"
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <zlib.h>

#define SEG_MAGIC "GCVJRNL1"
#define SEG_HEADER 8
#define SEG_NAME_LEN 28 /* "seg-" + 20 digits + ".gcj" */
#define REC_MAGIC "GCVR"
#define REC_FIXED 24 /* magic 4, seq 8, time_us 8, n_parts 4 */
#define REC_CRC 4
#define REC_MIN (REC_FIXED + 4 + REC_CRC) /* the smallest record: one empty part */
#define SCAN_CHUNK (1u << 20)
#define LOCK_FILE "lock"
#define CONSUMERS_FILE "consumers"
#define CONSUMERS_GROUP "consumers"
#define ALARM_OVER_CAP "journal_over_cap"
#define ALARM_DROPPED "journal_dropped_unacknowledged"
#define ALARM_WRITE_FAILED "journal_write_failed"

typedef struct {
    guint64 first_seq; /* from the file name */
    guint64 last_seq;  /* of the newest record, 0 when it holds none */
    gint64 newest_us;  /* time_us of the newest record */
    guint64 size;      /* bytes of the file: header + whole records */
    char *path;
    int fd; /* -1 when closed */
    /* A cut found by open, made once every segment has been read (load_segments). */
    guint64 cut_at;    /* the size the file is cut back to; 0: no cut */
    guint64 cut_from;  /* the file's size before the cut */
    guint64 cut_after; /* the last seq held before the cut */
    const char *cut_why;
    guint64 lost_first, lost_last; /* seqs of the whole records found after the cut; 0 0 none */
} segment;

typedef struct {
    guint64 seq;
    segment *seg;
    guint64 offset;
    guint64 length; /* the whole record, magic to CRC */
} index_entry;

struct journal {
    GMutex lock;
    char *dir;
    int lock_fd; /* holds a write lock on dir/lock: one process per journal */
    journal_limits limits;
    GPtrArray *segments; /* segment*, oldest first; the last one is the one being written */
    GArray *index;       /* index_entry, seq increasing (gaps only where recovery cut) */
    guint64 next_seq;
    GPtrArray *consumers; /* journal_consumer*, sorted by name */
    GPtrArray *alarms;    /* char* */
    char *recovered;      /* what open cut, or NULL */
    segment *read_seg;    /* the one other segment whose descriptor is open, or NULL */
    guint64 (*free_fn)(const char *dir, void *user);
    void *free_user;
    guint64 dropped_first, dropped_last; /* unacknowledged seqs removed for space; 0 0 none */
};

GQuark journal_error_quark(void)
{
    return g_quark_from_static_string("gatecv-journal-error-quark");
}

void journal_limits_default(journal_limits *limits)
{
    g_return_if_fail(limits != NULL);
    limits->max_bytes = 2048ull << 20;
    limits->max_age_s = 30 * 24 * 3600;
    limits->segment_bytes = 64ull << 20;
    limits->min_free_bytes = 256ull << 20;
}

/* --- little helpers: byte order, whole reads and writes, errors ------------------------- */

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

/* Reads exactly len bytes at off; FALSE (errno set, 0 at end of file) otherwise. */
static gboolean pread_full(int fd, void *buf, gsize len, guint64 off)
{
    guint8 *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0;
            return FALSE;
        }
        p += n;
        off += (guint64)n;
        len -= (gsize)n;
    }
    return TRUE;
}

static gboolean pwrite_full(int fd, const void *buf, gsize len, guint64 off)
{
    const guint8 *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return FALSE;
        }
        p += n;
        off += (guint64)n;
        len -= (gsize)n;
    }
    return TRUE;
}

static gboolean io_error(GError **error, const char *what, const char *path, int err)
{
    g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO, "journal: cannot %s %s: %s", what, path,
                g_strerror(err ? err : EIO));
    return FALSE;
}

static gboolean fsync_dir(const char *dir, GError **error)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(error, "open folder", dir, errno);
    gboolean ok = fsync(fd) == 0;
    int err = errno;
    close(fd);
    return ok ? TRUE : io_error(error, "fsync folder", dir, err);
}

/* --- alarms ------------------------------------------------------------------------------ */

/* Removes the alarm key, or key:<detail>. Cost: O(alarms), a handful. */
static void alarm_clear(journal *j, const char *key)
{
    gsize n = strlen(key);
    for (guint i = j->alarms->len; i-- > 0;) {
        const char *a = g_ptr_array_index(j->alarms, i);
        if (strncmp(a, key, n) == 0 && (a[n] == '\0' || a[n] == ':'))
            g_ptr_array_remove_index(j->alarms, i);
    }
}

/* Raises the alarm key (with text its full form, key or key:<detail>), replacing its old form. */
static void alarm_set(journal *j, const char *key, const char *text)
{
    alarm_clear(j, key);
    g_ptr_array_add(j->alarms, g_strdup(text));
}

/* --- segments ---------------------------------------------------------------------------- */

static segment *segment_new(const char *dir, guint64 first_seq)
{
    segment *s = g_new0(segment, 1);
    s->first_seq = first_seq;
    s->path = g_strdup_printf("%s/seg-%020" G_GUINT64_FORMAT ".gcj", dir, first_seq);
    s->fd = -1;
    return s;
}

static void segment_close(segment *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static void segment_free(gpointer p)
{
    segment *s = p;
    segment_close(s);
    g_free(s->path);
    g_free(s);
}

static const char *segment_name(const segment *s)
{
    return strrchr(s->path, '/') + 1;
}

static segment *current_segment(journal *j)
{
    return j->segments->len ? g_ptr_array_index(j->segments, j->segments->len - 1) : NULL;
}

/* The descriptor to read s: the current segment's, else the one read descriptor, reopened on s
 * when it was on another segment. */
static int segment_fd(journal *j, segment *s)
{
    if (s->fd >= 0)
        return s->fd;
    if (j->read_seg != NULL)
        segment_close(j->read_seg);
    j->read_seg = NULL;
    s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
    if (s->fd >= 0)
        j->read_seg = s;
    return s->fd;
}

static guint64 journal_bytes(journal *j)
{
    guint64 total = 0;
    for (guint i = 0; i < j->segments->len; i++) /* O(segments) */
        total += ((segment *)g_ptr_array_index(j->segments, i))->size;
    return total;
}

/* Removes the oldest segment and its index entries (a prefix of the index). Cost: O(records
 * of the segment) to find them, O(index) to move the rest down. */
static void remove_oldest_segment(journal *j)
{
    g_assert(j->segments->len > 1);
    segment *s = g_ptr_array_index(j->segments, 0);
    guint n = 0;
    while (n < j->index->len && g_array_index(j->index, index_entry, n).seg == s)
        n++;
    g_array_remove_range(j->index, 0, n);
    if (j->read_seg == s)
        j->read_seg = NULL;
    if (unlink(s->path) != 0 && errno != ENOENT)
        g_warning("journal: cannot remove %s: %s", s->path, g_strerror(errno));
    g_ptr_array_remove_index(j->segments, 0);
}

/* Creates the segment whose first record will be first_seq and makes it durable in its folder. */
static segment *segment_create(journal *j, guint64 first_seq, GError **error)
{
    segment *s = segment_new(j->dir, first_seq);
    s->fd = open(s->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->fd < 0) {
        io_error(error, "create", s->path, errno);
        segment_free(s);
        return NULL;
    }
    if (!pwrite_full(s->fd, SEG_MAGIC, SEG_HEADER, 0) || fdatasync(s->fd) != 0) {
        io_error(error, "write", s->path, errno);
        unlink(s->path);
        segment_free(s);
        return NULL;
    }
    if (!fsync_dir(j->dir, error)) {
        unlink(s->path);
        segment_free(s);
        return NULL;
    }
    s->size = SEG_HEADER;
    return s;
}

/* --- the index --------------------------------------------------------------------------- */

/* The index position of seq, or -1. Cost: O(log records). */
static gint64 index_find(journal *j, guint64 seq)
{
    guint lo = 0, hi = j->index->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        guint64 s = g_array_index(j->index, index_entry, mid).seq;
        if (s == seq)
            return mid;
        if (s < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static guint64 first_held(journal *j)
{
    return j->index->len ? g_array_index(j->index, index_entry, 0).seq : 0;
}

static guint64 last_held(journal *j)
{
    return j->index->len ? g_array_index(j->index, index_entry, j->index->len - 1).seq : 0;
}

static void index_add(journal *j, segment *s, guint64 seq, gint64 time_us, guint64 offset,
                      guint64 length)
{
    index_entry e = {seq, s, offset, length};
    g_array_append_val(j->index, e);
    s->last_seq = seq;
    s->newest_us = time_us;
    s->size = offset + length;
}

/* --- records ----------------------------------------------------------------------------- */

static guint64 record_size(const journal_part *parts, guint n_parts)
{
    guint64 size = REC_FIXED + 4ull * n_parts + REC_CRC;
    for (guint i = 0; i < n_parts; i++)
        size += parts[i].size;
    return size;
}

static gboolean check_parts(journal *j, const journal_part *parts, guint n_parts, GError **error)
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
    guint64 size = record_size(parts, n_parts);
    if (size > j->limits.max_bytes - SEG_HEADER) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: the record has %" G_GUINT64_FORMAT
                    " bytes, more than the journal's max_bytes %" G_GUINT64_FORMAT " can hold",
                    size, j->limits.max_bytes);
        return FALSE;
    }
    return TRUE;
}

/* The whole record in one buffer (owned by the caller), as docs/bus.md lays it out. */
static guint8 *record_build(guint64 seq, gint64 time_us, const journal_part *parts, guint n_parts,
                            gsize size)
{
    guint8 *buf = g_malloc(size);
    memcpy(buf, REC_MAGIC, 4);
    put_u64(buf + 4, seq);
    put_u64(buf + 12, (guint64)time_us);
    put_u32(buf + 20, n_parts);
    gsize off = REC_FIXED;
    for (guint i = 0; i < n_parts; i++, off += 4)
        put_u32(buf + off, (guint32)parts[i].size);
    for (guint i = 0; i < n_parts; i++) {
        if (parts[i].size)
            memcpy(buf + off, parts[i].data, parts[i].size);
        off += parts[i].size;
    }
    g_assert(off + REC_CRC == size);
    put_u32(buf + off, (guint32)crc32(0L, buf + 4, (uInt)(off - 4)));
    return buf;
}

/* A record's header as read back. */
typedef struct {
    guint64 seq;
    gint64 time_us;
    guint32 n_parts;
    guint32 lengths[JOURNAL_MAX_PARTS];
    guint64 length; /* the whole record */
} record_head;

typedef enum { REC_OK, REC_TORN, REC_BAD, REC_IO } record_check;

/* Checks the record at off of a file of file_size bytes: its header, that it lies wholly in the
 * file, and its CRC; *why says what is wrong. Cost: reads the record once, in 1 MiB chunks. */
static record_check record_scan(int fd, guint64 off, guint64 file_size, record_head *h,
                                guint8 *chunk, const char **why)
{
    guint8 head[REC_FIXED + 4 * JOURNAL_MAX_PARTS];
    gsize avail = (gsize)MIN(file_size - off, REC_FIXED);
    if (!pread_full(fd, head, avail, off))
        return REC_IO;
    *why = "a record with a bad header";
    if (memcmp(head, REC_MAGIC, MIN(avail, 4)) != 0)
        return REC_BAD;
    *why = "a torn record";
    if (avail < REC_FIXED)
        return REC_TORN;
    *why = "a record with a bad header";
    h->seq = get_u64(head + 4);
    h->time_us = (gint64)get_u64(head + 12);
    h->n_parts = get_u32(head + 20);
    if (h->n_parts < 1 || h->n_parts > JOURNAL_MAX_PARTS)
        return REC_BAD;
    gsize head_len = REC_FIXED + 4 * h->n_parts;
    *why = "a torn record";
    if (off + head_len > file_size)
        return REC_TORN;
    if (!pread_full(fd, head + REC_FIXED, head_len - REC_FIXED, off + REC_FIXED))
        return REC_IO;
    guint64 body = 0;
    for (guint i = 0; i < h->n_parts; i++) {
        h->lengths[i] = get_u32(head + REC_FIXED + 4 * i);
        if (h->lengths[i] > JOURNAL_MAX_PART_BYTES) {
            *why = "a record with a bad header";
            return REC_BAD;
        }
        body += h->lengths[i];
    }
    h->length = head_len + body + REC_CRC;
    if (off + h->length > file_size)
        return REC_TORN;
    uLong crc = crc32(0L, head + 4, (uInt)(head_len - 4));
    for (guint64 done = 0; done < body;) {
        gsize n = (gsize)MIN(body - done, SCAN_CHUNK);
        if (!pread_full(fd, chunk, n, off + head_len + done))
            return REC_IO;
        crc = crc32(crc, chunk, (uInt)n);
        done += n;
    }
    guint8 stored[REC_CRC];
    if (!pread_full(fd, stored, REC_CRC, off + head_len + body))
        return REC_IO;
    *why = "a record failing its CRC";
    return get_u32(stored) == (guint32)crc ? REC_OK : REC_BAD;
}

/* --- recovery at open -------------------------------------------------------------------- */

static void note_recovered(journal *j, char *what)
{
    g_warning("%s", what);
    char *all = j->recovered ? g_strconcat(j->recovered, "; ", what, NULL) : g_strdup(what);
    g_free(j->recovered);
    g_free(what);
    j->recovered = all;
}

/* The whole records after a bad record: resynchronises on the record magic at every offset from
 * pos to the end of s (a file of file_size bytes, its descriptor open). A candidate counts when it
 * lies wholly in the file, passes its CRC and carries a seq in lo..hi (what could follow the bad
 * record in the bytes left); the scan goes on after it. *last: the highest seq found, else
 * unchanged. A crash tears only the tail, so a record found here means disk damage: it was
 * appended, perhaps published, and its seq must never be used again.
 * Cost: runs once, at open, and only after a bad record; it covers at most the rest of that one
 * segment: one pass over its bytes in 1 MiB windows, plus one read of each candidate, the magic
 * followed by a plausible seq and a sound header (in practice the real records only, each read
 * once as the scan skips it; a false one costs at most the rest of the segment). */
static gboolean scan_lost_records(segment *s, guint64 pos, guint64 file_size, guint64 lo,
                                  guint64 hi, guint8 *chunk, guint64 *last, GError **error)
{
    guint8 *win = g_malloc(SCAN_CHUNK);
    gboolean ok = TRUE;
    while (ok && pos <= file_size && file_size - pos >= REC_MIN) {
        gsize n = (gsize)MIN(file_size - pos, SCAN_CHUNK);
        if (!pread_full(s->fd, win, n, pos)) {
            ok = io_error(error, "read", s->path, errno);
            break;
        }
        guint64 next = pos + n - 3; /* a magic across the window's end is found in the next */
        for (gsize i = 0; i + 4 <= n; i++) {
            const guint8 *m = memchr(win + i, REC_MAGIC[0], n - 3 - i);
            if (m == NULL)
                break;
            i = (gsize)(m - win);
            if (memcmp(m, REC_MAGIC, 4) != 0)
                continue;
            guint64 seq = i + 12 <= n ? get_u64(m + 4) : lo; /* else record_scan reads it */
            if (seq < lo || seq > hi)
                continue;
            record_head h;
            const char *why;
            record_check c = record_scan(s->fd, pos + i, file_size, &h, chunk, &why);
            if (c == REC_IO) {
                ok = io_error(error, "read", s->path, errno);
                break;
            }
            if (c == REC_OK && h.seq >= lo && h.seq <= hi) {
                *last = MAX(*last, h.seq);
                next = pos + i + h.length;
                break;
            }
        }
        pos = next;
    }
    g_free(win);
    return ok;
}

/* Reads the segment s (its descriptor open), indexing its records: they must run first_seq,
 * first_seq + 1, ... above everything held so far. The first record that is torn, corrupt or
 * out of sequence ends the segment: the bytes from there are to be cut (s->cut_at, made by
 * make_cuts), and the whole records after it are looked for (scan_lost_records) so that their
 * seqs are never used again. Cost: reads the whole file. */
static gboolean segment_load(journal *j, segment *s, guint64 file_size, GError **error)
{
    guint8 *chunk = g_malloc(SCAN_CHUNK);
    guint64 off = SEG_HEADER;
    guint64 expect = MAX(s->first_seq, last_held(j) + 1);
    const char *why = NULL;
    gboolean ok = TRUE;
    record_head h;
    gboolean out_of_sequence = FALSE; /* the record ending it is whole and sound but for its seq */
    while (off < file_size) {
        record_check c = record_scan(s->fd, off, file_size, &h, chunk, &why);
        if (c == REC_IO) {
            ok = io_error(error, "read", s->path, errno);
            break;
        }
        if (c == REC_OK && h.seq != expect) {
            why = "a record out of sequence";
            out_of_sequence = TRUE;
            break;
        }
        if (c != REC_OK)
            break;
        index_add(j, s, h.seq, h.time_us, off, h.length);
        expect = h.seq + 1;
        off += h.length;
    }
    s->size = off;
    if (ok && off < file_size) {
        /* seqs that can follow the bad record in the bytes left: one per REC_MIN at most */
        guint64 room = (file_size - off) / REC_MIN;
        guint64 hi = expect <= G_MAXUINT64 - 1 - room ? expect + room : G_MAXUINT64 - 1;
        guint64 lost = 0, from = off + 1;
        if (out_of_sequence) { /* it may have been published too */
            if (h.seq >= expect && h.seq <= hi)
                lost = h.seq;
            from = off + h.length;
        }
        ok = scan_lost_records(s, from, file_size, expect, hi, chunk, &lost, error);
        s->cut_at = off;
        s->cut_from = file_size;
        s->cut_after = last_held(j);
        s->cut_why = why;
        s->lost_first = lost ? expect : 0;
        s->lost_last = lost;
    }
    g_free(chunk);
    return ok;
}

/* Opens s and checks its header. *keep FALSE: the header was torn (shorter than the magic,
 * a crash while creating it) and the file is removed. A full header that is not ours fails. */
static gboolean segment_open(journal *j, segment *s, gboolean *keep, GError **error)
{
    *keep = TRUE;
    s->fd = open(s->path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (s->fd < 0 || fstat(s->fd, &st) != 0)
        return io_error(error, "open", s->path, errno);
    guint8 head[SEG_HEADER];
    gsize n = (gsize)MIN((guint64)st.st_size, SEG_HEADER);
    if (!pread_full(s->fd, head, n, 0))
        return io_error(error, "read", s->path, errno);
    if (memcmp(head, SEG_MAGIC, n) != 0) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: %s is not a journal segment (no %s header)", s->path, SEG_MAGIC);
        return FALSE;
    }
    if (n < SEG_HEADER) {
        *keep = FALSE;
        segment_close(s);
        if (unlink(s->path) != 0)
            return io_error(error, "remove", s->path, errno);
        note_recovered(j, g_strdup_printf("removed %s, a torn segment header of %" G_GSIZE_FORMAT
                                          " bytes",
                                          segment_name(s), n));
        return TRUE;
    }
    return segment_load(j, s, (guint64)st.st_size, error);
}

/* seg-<20 digits>.gcj → its first seq; FALSE for any other name. */
static gboolean parse_segment_name(const char *name, guint64 *first_seq)
{
    if (strlen(name) != SEG_NAME_LEN || strncmp(name, "seg-", 4) != 0 ||
        strcmp(name + 24, ".gcj") != 0)
        return FALSE;
    for (int i = 4; i < 24; i++)
        if (!g_ascii_isdigit(name[i]))
            return FALSE;
    *first_seq = g_ascii_strtoull(name + 4, NULL, 10);
    return *first_seq > 0;
}

static gint compare_segments(gconstpointer a, gconstpointer b)
{
    const segment *x = *(segment *const *)a, *y = *(segment *const *)b;
    return x->first_seq < y->first_seq ? -1 : x->first_seq > y->first_seq;
}

/* The segment files of the folder, sorted by first seq. */
static gboolean list_segments(journal *j, GError **error)
{
    GError *e = NULL;
    GDir *d = g_dir_open(j->dir, 0, &e);
    if (!d) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO, "journal: %s", e->message);
        g_error_free(e);
        return FALSE;
    }
    const char *name;
    guint64 first;
    while ((name = g_dir_read_name(d)) != NULL)
        if (parse_segment_name(name, &first))
            g_ptr_array_add(j->segments, segment_new(j->dir, first));
    g_dir_close(d);
    g_ptr_array_sort(j->segments, compare_segments);
    return TRUE;
}

/* The next seq as the folder will say it once open is done: past the last held seq, or the name
 * of an empty last segment above it. */
static guint64 folder_next_seq(journal *j)
{
    guint64 next = last_held(j) + 1;
    segment *cur = current_segment(j);
    if (cur && cur->last_seq == 0)
        next = MAX(next, cur->first_seq);
    return next;
}

/* Records found whole after a cut (disk damage, not a torn tail) may have been published: their
 * seqs must never be used again, now or after a restart. When the folder, once cut, would not
 * carry the next seq past them, an empty segment named after the highest is created, durably
 * and before any cut is made: the last segment names the next seq (tidy_segments), and a crash
 * before the cuts only finds the same damage again. */
static gboolean keep_lost_seqs(journal *j, GError **error)
{
    guint64 lost = 0;
    for (guint i = 0; i < j->segments->len; i++)
        lost = MAX(lost, ((segment *)g_ptr_array_index(j->segments, i))->lost_last);
    if (lost == 0 || folder_next_seq(j) > lost)
        return TRUE;
    /* no segment is named lost + 1: it would hold seqs above lost, or name the next seq */
    segment *mark = segment_create(j, lost + 1, error);
    if (!mark)
        return FALSE;
    segment_close(mark);
    g_ptr_array_add(j->segments, mark);
    return TRUE;
}

/* The first held seq above seq, else the next seq. Cost: O(log records). */
static guint64 next_held_after(journal *j, guint64 seq)
{
    guint lo = 0, hi = j->index->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(j->index, index_entry, mid).seq <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->index->len ? g_array_index(j->index, index_entry, lo).seq : folder_next_seq(j);
}

/* Makes the cuts segment_load found (truncate + fdatasync) and says what each lost. */
static gboolean make_cuts(journal *j, GError **error)
{
    for (guint i = 0; i < j->segments->len; i++) {
        segment *s = g_ptr_array_index(j->segments, i);
        if (s->cut_at == 0)
            continue;
        int fd = open(s->path, O_RDWR | O_CLOEXEC);
        gboolean ok = fd >= 0 && ftruncate(fd, (off_t)s->cut_at) == 0 && fdatasync(fd) == 0;
        int err = errno;
        if (fd >= 0)
            close(fd);
        if (!ok)
            return io_error(error, "cut", s->path, err);
        if (s->lost_last == 0) { /* nothing whole after it: a torn tail, its seq is used again */
            note_recovered(j, g_strdup_printf("cut %" G_GUINT64_FORMAT
                                              " bytes of %s after seq %" G_GUINT64_FORMAT " in %s",
                                              s->cut_from - s->cut_at, s->cut_why, s->cut_after,
                                              segment_name(s)));
            continue;
        }
        guint64 next = next_held_after(j, s->lost_last);
        note_recovered(j, g_strdup_printf("cut %" G_GUINT64_FORMAT " records after seq "
                                          "%" G_GUINT64_FORMAT " in %s: %s at offset "
                                          "%" G_GUINT64_FORMAT "; events %" G_GUINT64_FORMAT
                                          "..%" G_GUINT64_FORMAT
                                          " are lost, the next event is %" G_GUINT64_FORMAT,
                                          next - s->lost_first, s->cut_after, segment_name(s),
                                          s->cut_why, s->cut_at, s->lost_first, next - 1, next));
    }
    return TRUE;
}

/* Drops segments that hold no record: all but the last, and the last too unless its name is
 * above every held seq (then it is where the next seq goes). Opens the last one for appends
 * and sets the next seq. */
static gboolean tidy_segments(journal *j, GError **error)
{
    for (guint i = j->segments->len; i-- > 0;) {
        segment *s = g_ptr_array_index(j->segments, i);
        gboolean last = i == j->segments->len - 1;
        if (s->last_seq == 0 && (!last || s->first_seq <= last_held(j))) {
            unlink(s->path);
            g_ptr_array_remove_index(j->segments, i);
        }
    }
    j->next_seq = folder_next_seq(j);
    segment *cur = current_segment(j);
    if (!cur)
        return TRUE;
    cur->fd = open(cur->path, O_RDWR | O_CLOEXEC);
    return cur->fd >= 0 ? TRUE : io_error(error, "open", cur->path, errno);
}

/* Reads every segment, then: keeps the seqs of records lost to damage from being used again,
 * makes the cuts, drops the segments left empty. */
static gboolean load_segments(journal *j, GError **error)
{
    if (!list_segments(j, error))
        return FALSE;
    for (guint i = 0; i < j->segments->len;) {
        segment *s = g_ptr_array_index(j->segments, i);
        gboolean keep;
        if (!segment_open(j, s, &keep, error))
            return FALSE;
        segment_close(s); /* one descriptor at a time: there may be many segments */
        if (keep)
            i++;
        else
            g_ptr_array_remove_index(j->segments, i);
    }
    return keep_lost_seqs(j, error) && make_cuts(j, error) && tidy_segments(j, error) &&
           fsync_dir(j->dir, error);
}

/* --- consumers --------------------------------------------------------------------------- */

static gboolean valid_consumer_name(const char *name)
{
    gsize n = name ? strlen(name) : 0;
    if (n < 1 || n > JOURNAL_MAX_CONSUMER_NAME)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isalnum(name[i]) && !strchr("._-", name[i]))
            return FALSE;
    return TRUE;
}

static void consumer_free(gpointer p)
{
    journal_consumer *c = p;
    g_free(c->name);
    g_free(c);
}

/* The consumer called name, or with *pos where it would go. Cost: O(consumers), a handful. */
static journal_consumer *consumer_find(journal *j, const char *name, guint *pos)
{
    guint i = 0;
    for (; i < j->consumers->len; i++) {
        journal_consumer *c = g_ptr_array_index(j->consumers, i);
        int cmp = strcmp(c->name, name);
        if (cmp == 0)
            return c;
        if (cmp > 0)
            break;
    }
    if (pos)
        *pos = i;
    return NULL;
}

static journal_consumer *consumer_add(journal *j, const char *name, guint64 acked)
{
    guint pos;
    journal_consumer *c = consumer_find(j, name, &pos);
    if (c)
        return c;
    c = g_new0(journal_consumer, 1);
    c->name = g_strdup(name);
    c->acked = acked;
    g_ptr_array_insert(j->consumers, (gint)pos, c);
    return c;
}

static void consumer_remove(journal *j, journal_consumer *c)
{
    g_ptr_array_remove(j->consumers, c);
}

/* The smallest acknowledged seq of the registered consumers; G_MAXUINT64 with none. */
static guint64 min_acked(journal *j)
{
    guint64 m = G_MAXUINT64;
    for (guint i = 0; i < j->consumers->len; i++)
        m = MIN(m, ((journal_consumer *)g_ptr_array_index(j->consumers, i))->acked);
    return m;
}

static gboolean load_consumers(journal *j, GError **error)
{
    char *path = g_build_filename(j->dir, CONSUMERS_FILE, NULL);
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    gboolean ok = TRUE;
    if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &e)) {
        gchar **keys = g_key_file_get_keys(kf, CONSUMERS_GROUP, NULL, NULL);
        for (gchar **k = keys; k && *k; k++) {
            guint64 acked = g_key_file_get_uint64(kf, CONSUMERS_GROUP, *k, NULL);
            if (valid_consumer_name(*k))
                consumer_add(j, *k, acked);
        }
        g_strfreev(keys);
    } else if (!g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO, "journal: %s: %s", path, e->message);
        ok = FALSE;
    }
    g_clear_error(&e);
    g_key_file_free(kf);
    g_free(path);
    return ok;
}

/* Writes the consumers' key file: a temporary file, fsync'd, renamed over, folder fsync'd. */
static gboolean save_consumers(journal *j, GError **error)
{
    GKeyFile *kf = g_key_file_new();
    for (guint i = 0; i < j->consumers->len; i++) {
        journal_consumer *c = g_ptr_array_index(j->consumers, i);
        g_key_file_set_uint64(kf, CONSUMERS_GROUP, c->name, c->acked);
    }
    gsize len;
    char *data = g_key_file_to_data(kf, &len, NULL);
    g_key_file_free(kf);
    char *path = g_build_filename(j->dir, CONSUMERS_FILE, NULL);
    char *tmp = g_strconcat(path, ".tmp", NULL);
    gboolean ok = FALSE;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        io_error(error, "create", tmp, errno);
    } else {
        ok = pwrite_full(fd, data, len, 0) && fsync(fd) == 0;
        int err = errno;
        close(fd);
        if (!ok)
            io_error(error, "write", tmp, err);
        else if (rename(tmp, path) != 0)
            ok = io_error(error, "rename", tmp, errno);
        else
            ok = fsync_dir(j->dir, error);
        if (!ok)
            unlink(tmp);
    }
    g_free(data);
    g_free(path);
    g_free(tmp);
    return ok;
}

/* --- retention and disk space ------------------------------------------------------------ */

static guint64 default_free_space(const char *dir, void *user)
{
    (void)user;
    struct statvfs st;
    if (statvfs(dir, &st) != 0)
        return G_MAXUINT64; /* unknown: do not prune for it */
    return (guint64)st.f_bavail * st.f_frsize;
}

static guint64 free_space(journal *j)
{
    return j->free_fn ? j->free_fn(j->dir, j->free_user) : default_free_space(j->dir, NULL);
}

/* Removes the oldest segment though a consumer has not acknowledged it: logged as an error and
 * kept in the alarm journal_dropped_unacknowledged:<first>-<last> (all seqs dropped since open). */
static void drop_unacknowledged(journal *j)
{
    segment *s = g_ptr_array_index(j->segments, 0);
    guint64 first = first_held(j), last = s->last_seq;
    g_critical("journal: disk short of space: removed %s holding unacknowledged events seq "
               "%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
               segment_name(s), first, last);
    if (j->dropped_first == 0)
        j->dropped_first = first;
    j->dropped_last = last;
    char *alarm = g_strdup_printf(ALARM_DROPPED ":%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                                  j->dropped_first, j->dropped_last);
    alarm_set(j, ALARM_DROPPED, alarm);
    g_free(alarm);
    remove_oldest_segment(j);
}

/* Frees disk space for a record of need bytes, leaving min_free_bytes: acknowledged segments
 * first, then unacknowledged ones; never the segment being written. TRUE when there is room.
 * Cost: one free-space probe per segment removed. */
static gboolean make_room(journal *j, guint64 need)
{
    guint64 want = j->limits.min_free_bytes + need;
    while (free_space(j) < want) {
        if (j->segments->len < 2)
            return FALSE;
        segment *oldest = g_ptr_array_index(j->segments, 0);
        if (oldest->last_seq <= min_acked(j))
            remove_oldest_segment(j);
        else
            drop_unacknowledged(j);
    }
    return TRUE;
}

/* Retention as of now_us: oldest first, a segment goes once every registered consumer has
 * acknowledged it and it is past max_age or the journal is over max_bytes. Cost: O(segments)
 * per segment removed. */
static void retention(journal *j, gint64 now_us)
{
    gint64 cutoff = now_us - j->limits.max_age_s * G_USEC_PER_SEC;
    while (j->segments->len > 1) {
        segment *oldest = g_ptr_array_index(j->segments, 0);
        gboolean due = oldest->newest_us < cutoff || journal_bytes(j) > j->limits.max_bytes;
        if (!due || oldest->last_seq > min_acked(j))
            break;
        remove_oldest_segment(j);
    }
    if (journal_bytes(j) > j->limits.max_bytes)
        alarm_set(j, ALARM_OVER_CAP, ALARM_OVER_CAP);
    else
        alarm_clear(j, ALARM_OVER_CAP);
}

/* Takes the folder's lock file so that a second process cannot open the journal too (the lock
 * goes with the process, a killed one included). */
static gboolean take_lock(journal *j, GError **error)
{
    char *path = g_build_filename(j->dir, LOCK_FILE, NULL);
    j->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    gboolean ok = j->lock_fd >= 0;
    if (!ok) {
        io_error(error, "create", path, errno);
    } else {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        ok = fcntl(j->lock_fd, F_SETLK, &fl) == 0;
        if (!ok)
            g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO,
                        "journal: %s is in use by another process (%s)", j->dir, g_strerror(errno));
    }
    g_free(path);
    return ok;
}

/* --- open, close ------------------------------------------------------------------------- */

journal *journal_open(const char *dir, const journal_limits *limits, GError **error)
{
    g_return_val_if_fail(dir != NULL, NULL);
    journal_limits lim;
    journal_limits_default(&lim);
    if (limits)
        lim = *limits;
    if (lim.max_bytes <= SEG_HEADER || lim.segment_bytes <= SEG_HEADER || lim.max_age_s < 0) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: max_bytes and segment_bytes must be over %d bytes, max_age "
                    "not negative",
                    SEG_HEADER);
        return NULL;
    }
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        io_error(error, "create folder", dir, errno);
        return NULL;
    }
    journal *j = g_new0(journal, 1);
    j->lock_fd = -1;
    g_mutex_init(&j->lock);
    j->dir = g_strdup(dir);
    j->limits = lim;
    j->segments = g_ptr_array_new_with_free_func(segment_free);
    j->index = g_array_new(FALSE, FALSE, sizeof(index_entry));
    j->consumers = g_ptr_array_new_with_free_func(consumer_free);
    j->alarms = g_ptr_array_new_with_free_func(g_free);
    if (!take_lock(j, error) || !load_segments(j, error) || !load_consumers(j, error)) {
        journal_close(j);
        return NULL;
    }
    retention(j, g_get_real_time());
    return j;
}

void journal_close(journal *j)
{
    if (!j)
        return;
    g_ptr_array_free(j->segments, TRUE);
    g_array_free(j->index, TRUE);
    g_ptr_array_free(j->consumers, TRUE);
    g_ptr_array_free(j->alarms, TRUE);
    g_free(j->recovered);
    if (j->lock_fd >= 0)
        close(j->lock_fd);
    g_free(j->dir);
    g_mutex_clear(&j->lock);
    g_free(j);
}

/* --- append ------------------------------------------------------------------------------ */

/* The segment the record of seq (size bytes) goes in: the current one, or a new one when the
 * current one holds records and would pass segment_bytes. The old one's descriptor is closed. */
static segment *segment_for(journal *j, guint64 seq, guint64 size, GError **error)
{
    segment *cur = current_segment(j);
    if (cur && (cur->last_seq == 0 || cur->size + size <= j->limits.segment_bytes)) {
        g_assert(cur->last_seq != 0 || cur->first_seq == seq);
        return cur;
    }
    segment *s = segment_create(j, seq, error);
    if (!s)
        return NULL;
    if (cur)
        segment_close(cur);
    g_ptr_array_add(j->segments, s);
    return s;
}

/* One try at writing the record: on any failure the segment is cut back to where it was. */
static gboolean write_record(journal *j, guint64 seq, gint64 time_us, const guint8 *buf, gsize size,
                             GError **error)
{
    segment *s = segment_for(j, seq, size, error);
    if (!s)
        return FALSE;
    if (!pwrite_full(s->fd, buf, size, s->size) || fdatasync(s->fd) != 0) {
        int err = errno;
        if (ftruncate(s->fd, (off_t)s->size) != 0)
            g_warning("journal: cannot cut %s back after a failed write: %s", s->path,
                      g_strerror(errno));
        return io_error(error, "write", s->path, err);
    }
    index_add(j, s, seq, time_us, s->size, size);
    j->next_seq = seq + 1;
    return TRUE;
}

gboolean journal_append(journal *j, guint64 seq, const journal_part *parts, guint n_parts,
                        GError **error)
{
    g_return_val_if_fail(j != NULL, FALSE);
    g_mutex_lock(&j->lock);
    gboolean ok = FALSE;
    if (seq != j->next_seq) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: append of seq %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT,
                    seq, j->next_seq);
    } else if (check_parts(j, parts, n_parts, error)) {
        gint64 now = g_get_real_time();
        gsize size = (gsize)record_size(parts, n_parts);
        guint8 *buf = record_build(seq, now, parts, n_parts, size);
        make_room(j, size);
        GError *first = NULL;
        ok = write_record(j, seq, now, buf, size, &first);
        if (!ok) { /* the disk may be full: make room and try once more */
            make_room(j, size);
            ok = write_record(j, seq, now, buf, size, NULL);
        }
        if (ok) {
            alarm_clear(j, ALARM_WRITE_FAILED);
            g_clear_error(&first);
            retention(j, now);
        } else {
            alarm_set(j, ALARM_WRITE_FAILED, ALARM_WRITE_FAILED);
            g_propagate_error(error, first);
        }
        g_free(buf);
    }
    g_mutex_unlock(&j->lock);
    return ok;
}

/* --- read -------------------------------------------------------------------------------- */

/* The record at e, its parts slices of one buffer. */
static journal_record *record_read(journal *j, const index_entry *e, GError **error)
{
    int fd = segment_fd(j, e->seg);
    if (fd < 0) {
        io_error(error, "open", e->seg->path, errno);
        return NULL;
    }
    guint8 *buf = g_malloc(e->length);
    if (!pread_full(fd, buf, e->length, e->offset)) {
        io_error(error, "read", e->seg->path, errno);
        g_free(buf);
        return NULL;
    }
    guint32 n = get_u32(buf + 20);
    gsize head_len = REC_FIXED + 4 * (gsize)n;
    gboolean sound = memcmp(buf, REC_MAGIC, 4) == 0 && get_u64(buf + 4) == e->seq && n >= 1 &&
                     n <= JOURNAL_MAX_PARTS && head_len + REC_CRC <= e->length &&
                     get_u32(buf + e->length - REC_CRC) ==
                         (guint32)crc32(0L, buf + 4, (uInt)(e->length - REC_CRC - 4));
    if (!sound) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO,
                    "journal: seq %" G_GUINT64_FORMAT " in %s no longer matches its CRC", e->seq,
                    e->seg->path);
        g_free(buf);
        return NULL;
    }
    journal_record *r = g_new0(journal_record, 1);
    r->seq = e->seq;
    r->time_us = (gint64)get_u64(buf + 12);
    r->n_parts = n;
    r->parts = g_new0(GBytes *, n);
    GBytes *all = g_bytes_new_take(buf, e->length);
    gsize off = head_len;
    for (guint i = 0; i < n; i++) {
        gsize len = get_u32(buf + REC_FIXED + 4 * i);
        r->parts[i] = g_bytes_new_from_bytes(all, off, len);
        off += len;
    }
    g_bytes_unref(all);
    g_assert(off + REC_CRC == e->length);
    return r;
}

journal_record *journal_read(journal *j, guint64 seq, GError **error)
{
    g_return_val_if_fail(j != NULL, NULL);
    g_mutex_lock(&j->lock);
    journal_record *r = NULL;
    gint64 i = index_find(j, seq);
    if (i < 0) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_NOT_FOUND,
                    "journal: seq %" G_GUINT64_FORMAT " is not held (first %" G_GUINT64_FORMAT
                    ", last %" G_GUINT64_FORMAT ")",
                    seq, first_held(j), last_held(j));
    } else {
        index_entry e = g_array_index(j->index, index_entry, i);
        r = record_read(j, &e, error);
    }
    g_mutex_unlock(&j->lock);
    return r;
}

void journal_record_free(journal_record *r)
{
    if (!r)
        return;
    for (guint i = 0; i < r->n_parts; i++)
        g_bytes_unref(r->parts[i]);
    g_free(r->parts);
    g_free(r);
}

/* --- seqs, consumers, status ------------------------------------------------------------- */

guint64 journal_next_seq(journal *j)
{
    g_return_val_if_fail(j != NULL, 0);
    g_mutex_lock(&j->lock);
    guint64 s = j->next_seq;
    g_mutex_unlock(&j->lock);
    return s;
}

guint64 journal_first_seq(journal *j)
{
    g_return_val_if_fail(j != NULL, 0);
    g_mutex_lock(&j->lock);
    guint64 s = first_held(j);
    g_mutex_unlock(&j->lock);
    return s;
}

guint64 journal_last_seq(journal *j)
{
    g_return_val_if_fail(j != NULL, 0);
    g_mutex_lock(&j->lock);
    guint64 s = last_held(j);
    g_mutex_unlock(&j->lock);
    return s;
}

void journal_register_consumer(journal *j, const char *name)
{
    g_return_if_fail(j != NULL);
    if (!valid_consumer_name(name)) {
        g_warning("journal: consumer name \"%s\" is not 1-64 of A-Za-z0-9._-: not registered",
                  name ? name : "(null)");
        return;
    }
    g_mutex_lock(&j->lock);
    consumer_add(j, name, 0);
    g_mutex_unlock(&j->lock);
}

gboolean journal_ack(journal *j, const char *consumer, guint64 seq, GError **error)
{
    g_return_val_if_fail(j != NULL, FALSE);
    if (!valid_consumer_name(consumer)) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: a consumer name is 1-64 of A-Za-z0-9._-");
        return FALSE;
    }
    g_mutex_lock(&j->lock);
    gboolean ok = TRUE;
    guint64 last = j->next_seq - 1;
    if (seq > last) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: ack of seq %" G_GUINT64_FORMAT
                    " past the last seq %" G_GUINT64_FORMAT,
                    seq, last);
        ok = FALSE;
    } else {
        journal_consumer *c = consumer_find(j, consumer, NULL);
        gboolean is_new = c == NULL;
        if (is_new)
            c = consumer_add(j, consumer, seq);
        guint64 before = c->acked;
        if (is_new || seq > c->acked) {
            c->acked = seq;
            ok = save_consumers(j, error);
            if (!ok && is_new)
                consumer_remove(j, c);
            else if (!ok)
                c->acked = before;
        }
        if (ok)
            retention(j, g_get_real_time());
    }
    g_mutex_unlock(&j->lock);
    return ok;
}

void journal_enforce_retention(journal *j, gint64 now_us)
{
    g_return_if_fail(j != NULL);
    g_mutex_lock(&j->lock);
    retention(j, now_us);
    g_mutex_unlock(&j->lock);
}

void journal_get_status(journal *j, journal_status *out)
{
    g_return_if_fail(j != NULL && out != NULL);
    g_mutex_lock(&j->lock);
    out->first_seq = first_held(j);
    out->last_seq = last_held(j);
    out->bytes = journal_bytes(j);
    out->n_segments = j->segments->len;
    out->disk_free_bytes = free_space(j);
    guint64 m = min_acked(j);
    out->backlog = j->consumers->len && out->last_seq > m ? out->last_seq - m : 0;
    out->consumers = g_ptr_array_new_with_free_func(consumer_free);
    for (guint i = 0; i < j->consumers->len; i++) {
        const journal_consumer *c = g_ptr_array_index(j->consumers, i);
        journal_consumer *copy = g_new0(journal_consumer, 1);
        copy->name = g_strdup(c->name);
        copy->acked = c->acked;
        g_ptr_array_add(out->consumers, copy);
    }
    out->alarms = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < j->alarms->len; i++)
        g_ptr_array_add(out->alarms, g_strdup(g_ptr_array_index(j->alarms, i)));
    out->recovered = g_strdup(j->recovered);
    g_mutex_unlock(&j->lock);
}

void journal_status_clear(journal_status *s)
{
    if (!s)
        return;
    if (s->consumers)
        g_ptr_array_free(s->consumers, TRUE);
    if (s->alarms)
        g_ptr_array_free(s->alarms, TRUE);
    g_free(s->recovered);
    memset(s, 0, sizeof *s);
}

void journal_set_free_space_fn(journal *j, guint64 (*fn)(const char *dir, void *user), void *user)
{
    g_return_if_fail(j != NULL);
    g_mutex_lock(&j->lock);
    j->free_fn = fn;
    j->free_user = user;
    g_mutex_unlock(&j->lock);
}
