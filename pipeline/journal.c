/*
 * journal.c — the on-disk event journal (docs/bus.md, "Journal"). Owns the journal folder: the
 * segment files (the durable append, the recovery of a torn or corrupt tail at open), the
 * in-memory index from seq to where its record lies, retention, the journal's alarms and the
 * public API (journal.h). The format of one record is journal_record.c's; the consumers'
 * acknowledgements (the key file `consumers`) are journal_consumers.c's.
 *
 * Memory: the journal owns its segments (segment*, freed by segment_free), the index entries
 * (plain values pointing at their segment: a segment's entries go with it), the consumers'
 * store and the alarms it hands out copies of. Descriptors: the segment being written stays
 * open, and at most one other (the last one read), so a backlog of many segments costs two
 * descriptors.
 */
#define G_LOG_DOMAIN "gatecv-journal"
#include "journal.h"

#include "journal_consumers.h"
#include "journal_io.h"
#include "journal_record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define SEG_MAGIC "GCVJRNL1"
#define SEG_HEADER 8
#define SEG_NAME_LEN 28 /* "seg-" + 20 digits + ".gcj" */
#define LOCK_FILE "lock"
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
    journal_consumers *consumers;
    GPtrArray *alarms; /* char* */
    char *recovered;   /* what open cut, or NULL */
    segment *read_seg; /* the one other segment whose descriptor is open, or NULL */
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
        journal_io_error(error, "create", s->path, errno);
        segment_free(s);
        return NULL;
    }
    if (!journal_pwrite_full(s->fd, SEG_MAGIC, SEG_HEADER, 0) || fdatasync(s->fd) != 0) {
        journal_io_error(error, "write", s->path, errno);
        unlink(s->path);
        segment_free(s);
        return NULL;
    }
    if (!journal_fsync_dir(j->dir, error)) {
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
    guint8 *win = g_malloc(JOURNAL_RECORD_CHUNK);
    gboolean ok = TRUE;
    while (ok && pos <= file_size && file_size - pos >= JOURNAL_RECORD_MIN) {
        gsize n = (gsize)MIN(file_size - pos, JOURNAL_RECORD_CHUNK);
        if (!journal_pread_full(s->fd, win, n, pos)) {
            ok = journal_io_error(error, "read", s->path, errno);
            break;
        }
        guint64 next = pos + n - 3; /* a magic across the window's end is found in the next */
        for (gsize i = 0; i + 4 <= n; i++) {
            const guint8 *m = memchr(win + i, JOURNAL_RECORD_MAGIC[0], n - 3 - i);
            if (m == NULL)
                break;
            i = (gsize)(m - win);
            if (memcmp(m, JOURNAL_RECORD_MAGIC, JOURNAL_RECORD_MAGIC_LEN) != 0)
                continue;
            /* else journal_record_check reads it */
            guint64 seq = i + 12 <= n ? journal_record_peek_seq(m) : lo;
            if (seq < lo || seq > hi)
                continue;
            journal_record_head h;
            const char *why;
            journal_record_status c =
                journal_record_check(s->fd, pos + i, file_size, &h, chunk, &why);
            if (c == JOURNAL_RECORD_IO) {
                ok = journal_io_error(error, "read", s->path, errno);
                break;
            }
            if (c == JOURNAL_RECORD_OK && h.seq >= lo && h.seq <= hi) {
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
    guint8 *chunk = g_malloc(JOURNAL_RECORD_CHUNK);
    guint64 off = SEG_HEADER;
    guint64 expect = MAX(s->first_seq, last_held(j) + 1);
    const char *why = NULL;
    gboolean ok = TRUE;
    journal_record_head h;
    gboolean out_of_sequence = FALSE; /* the record ending it is whole and sound but for its seq */
    while (off < file_size) {
        journal_record_status c = journal_record_check(s->fd, off, file_size, &h, chunk, &why);
        if (c == JOURNAL_RECORD_IO) {
            ok = journal_io_error(error, "read", s->path, errno);
            break;
        }
        if (c == JOURNAL_RECORD_OK && h.seq != expect) {
            why = "a record out of sequence";
            out_of_sequence = TRUE;
            break;
        }
        if (c != JOURNAL_RECORD_OK)
            break;
        index_add(j, s, h.seq, h.time_us, off, h.length);
        expect = h.seq + 1;
        off += h.length;
    }
    s->size = off;
    if (ok && off < file_size) {
        /* seqs that can follow the bad record in the bytes left: one per JOURNAL_RECORD_MIN at most */
        guint64 room = (file_size - off) / JOURNAL_RECORD_MIN;
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
        return journal_io_error(error, "open", s->path, errno);
    guint8 head[SEG_HEADER];
    gsize n = (gsize)MIN((guint64)st.st_size, SEG_HEADER);
    if (!journal_pread_full(s->fd, head, n, 0))
        return journal_io_error(error, "read", s->path, errno);
    if (memcmp(head, SEG_MAGIC, n) != 0) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: %s is not a journal segment (no %s header)", s->path, SEG_MAGIC);
        return FALSE;
    }
    if (n < SEG_HEADER) {
        *keep = FALSE;
        segment_close(s);
        if (unlink(s->path) != 0)
            return journal_io_error(error, "remove", s->path, errno);
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
            return journal_io_error(error, "cut", s->path, err);
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
    return cur->fd >= 0 ? TRUE : journal_io_error(error, "open", cur->path, errno);
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
           journal_fsync_dir(j->dir, error);
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
        if (oldest->last_seq <= journal_consumers_min_acked(j->consumers))
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
        if (!due || oldest->last_seq > journal_consumers_min_acked(j->consumers))
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
        journal_io_error(error, "create", path, errno);
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
        journal_io_error(error, "create folder", dir, errno);
        return NULL;
    }
    journal *j = g_new0(journal, 1);
    j->lock_fd = -1;
    g_mutex_init(&j->lock);
    j->dir = g_strdup(dir);
    j->limits = lim;
    j->segments = g_ptr_array_new_with_free_func(segment_free);
    j->index = g_array_new(FALSE, FALSE, sizeof(index_entry));
    j->alarms = g_ptr_array_new_with_free_func(g_free);
    if (!take_lock(j, error) || !load_segments(j, error) ||
        !(j->consumers = journal_consumers_load(j->dir, error))) {
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
    journal_consumers_free(j->consumers);
    g_ptr_array_free(j->alarms, TRUE);
    g_free(j->recovered);
    if (j->lock_fd >= 0)
        close(j->lock_fd);
    g_free(j->dir);
    g_mutex_clear(&j->lock);
    g_free(j);
}

/* --- append ------------------------------------------------------------------------------ */

/* The parts make a record the format allows (journal_record_check_parts) that fits in
 * max_bytes; else JOURNAL_ERROR_INVALID. */
static gboolean check_parts(journal *j, const journal_part *parts, guint n_parts, GError **error)
{
    if (!journal_record_check_parts(parts, n_parts, error))
        return FALSE;
    guint64 size = journal_record_size(parts, n_parts);
    if (size > j->limits.max_bytes - SEG_HEADER) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: the record has %" G_GUINT64_FORMAT
                    " bytes, more than the journal's max_bytes %" G_GUINT64_FORMAT " can hold",
                    size, j->limits.max_bytes);
        return FALSE;
    }
    return TRUE;
}

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
    if (!journal_pwrite_full(s->fd, buf, size, s->size) || fdatasync(s->fd) != 0) {
        int err = errno;
        if (ftruncate(s->fd, (off_t)s->size) != 0)
            g_warning("journal: cannot cut %s back after a failed write: %s", s->path,
                      g_strerror(errno));
        return journal_io_error(error, "write", s->path, err);
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
        gsize size;
        guint8 *buf = journal_record_encode(seq, now, parts, n_parts, &size);
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

/* The record at e, read back and checked again (its CRC, and that it is still seq). */
static journal_record *record_read(journal *j, const index_entry *e, GError **error)
{
    int fd = segment_fd(j, e->seg);
    if (fd < 0) {
        journal_io_error(error, "open", e->seg->path, errno);
        return NULL;
    }
    guint8 *buf = g_malloc(e->length);
    if (!journal_pread_full(fd, buf, e->length, e->offset)) {
        journal_io_error(error, "read", e->seg->path, errno);
        g_free(buf);
        return NULL;
    }
    journal_record *r = journal_record_decode(buf, e->length);
    if (r == NULL || r->seq != e->seq) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO,
                    "journal: seq %" G_GUINT64_FORMAT " in %s no longer matches its CRC", e->seq,
                    e->seg->path);
        journal_record_free(r);
        return NULL;
    }
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
    if (!journal_consumer_name_valid(name)) {
        g_warning("journal: consumer name \"%s\" is not 1-64 of A-Za-z0-9._-: not registered",
                  name ? name : "(null)");
        return;
    }
    g_mutex_lock(&j->lock);
    journal_consumers_register(j->consumers, name);
    g_mutex_unlock(&j->lock);
}

gboolean journal_ack(journal *j, const char *consumer, guint64 seq, GError **error)
{
    g_return_val_if_fail(j != NULL, FALSE);
    if (!journal_consumer_name_valid(consumer)) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: a consumer name is 1-64 of A-Za-z0-9._-");
        return FALSE;
    }
    g_mutex_lock(&j->lock);
    gboolean ok = FALSE;
    guint64 last = j->next_seq - 1;
    if (seq > last)
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_INVALID,
                    "journal: ack of seq %" G_GUINT64_FORMAT
                    " past the last seq %" G_GUINT64_FORMAT,
                    seq, last);
    else
        ok = journal_consumers_ack(j->consumers, consumer, seq, error);
    if (ok)
        retention(j, g_get_real_time());
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
    guint64 m = journal_consumers_min_acked(j->consumers);
    out->backlog =
        journal_consumers_count(j->consumers) && out->last_seq > m ? out->last_seq - m : 0;
    out->consumers = journal_consumers_snapshot(j->consumers);
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
