/*
 * journal.h — the on-disk event journal (docs/bus.md, "Journal"): every crossing event with
 * its evidence JPEGs is appended here and made durable before it is published. The journal
 * owns its folder: the segment files seg-<first seq>.gcj, the consumers' acknowledgements
 * (the key file `consumers`), retention, and the recovery of a torn tail at open.
 *
 * All functions are thread-safe: one mutex inside serialises them (the daemon appends from a
 * camera thread while the bus thread reads and acknowledges).
 */
#ifndef GATECV_JOURNAL_H
#define GATECV_JOURNAL_H

#include <glib.h>

G_BEGIN_DECLS

#define JOURNAL_ERROR (journal_error_quark())
GQuark journal_error_quark(void);

typedef enum {
    JOURNAL_ERROR_IO,        /* a read, write, sync or file operation failed */
    JOURNAL_ERROR_NOT_FOUND, /* the journal does not hold that seq */
    JOURNAL_ERROR_INVALID,   /* a wrong argument: seq, consumer name, record over the limits */
} journal_error_code;

#define JOURNAL_MAX_PARTS 64                       /* parts of one record: the JSON + 63 JPEGs */
#define JOURNAL_MAX_PART_BYTES (64u * 1024 * 1024) /* bytes of one part */
#define JOURNAL_MAX_CONSUMER_NAME 64

typedef struct {
    guint64 max_bytes;      /* size cap of all segments (default 2 GiB) */
    gint64 max_age_s;       /* events older than this may go once acknowledged (default 30 days) */
    guint64 segment_bytes;  /* start a new segment past this size (default 64 MiB) */
    guint64 min_free_bytes; /* disk space to leave free (default 256 MiB) */
} journal_limits;

void journal_limits_default(journal_limits *limits);

/* One part of a record to append: borrowed by journal_append, not kept. */
typedef struct {
    const void *data;
    gsize size;
} journal_part;

/* A record read back; owned by the caller, freed with journal_record_free. */
typedef struct {
    guint64 seq;
    gint64 time_us; /* wall clock when journaled, µs since 1970 UTC */
    guint n_parts;
    GBytes **parts; /* n_parts: [0] the event JSON, then the JPEGs */
} journal_record;

typedef struct {
    char *name;
    guint64 acked;
} journal_consumer;

/* A snapshot of the journal for the health topic; owned by the caller, freed with
 * journal_status_clear. */
typedef struct {
    guint64 first_seq, last_seq; /* 0, 0 when empty; first = oldest held */
    guint64 bytes;               /* size of all segment files */
    guint n_segments;
    guint64 disk_free_bytes;
    guint64 backlog;      /* last_seq - smallest acked of registered consumers (0 with none) */
    GPtrArray *consumers; /* journal_consumer*, sorted by name */
    GPtrArray *alarms;    /* char*, alarms in force, e.g. "journal_over_cap" */
    char *recovered;      /* what open() cut, or NULL */
} journal_status;

typedef struct journal journal;

/* Opens (creating it if needed) the journal in dir with the given limits (NULL: the defaults).
 * Reads every segment: a torn or corrupt tail is cut (g_warning and status.recovered). When
 * whole records follow a bad one (disk damage) they are cut too and their seqs are never used
 * again (the report names them). Fails (JOURNAL_ERROR_IO) while another process has the folder
 * open. */
journal *journal_open(const char *dir, const journal_limits *limits, GError **error);
/* Closes the journal; no other thread may be using it any more. */
void journal_close(journal *j);

/* The seq the next append must carry: the last seq + 1 (1 when new), or past the seqs that
 * recovery found lost to damage (docs/bus.md, "Journal"). */
guint64 journal_next_seq(journal *j);

/* Appends one record: parts[0] the event JSON, then the JPEGs. seq must equal
 * journal_next_seq (else JOURNAL_ERROR_INVALID); 1..64 parts of at most 64 MiB each, and
 * the record must fit in max_bytes (else JOURNAL_ERROR_INVALID). The record is durable
 * (fdatasync) before it returns TRUE; time_us is g_get_real_time(). Makes room first when
 * the disk is short (see docs/bus.md), runs retention afterwards. On a write that fails twice
 * it returns FALSE (JOURNAL_ERROR_IO), raises "journal_write_failed" and holds nothing of it. */
gboolean journal_append(journal *j, guint64 seq, const journal_part *parts, guint n_parts,
                        GError **error);

/* The record of seq (JOURNAL_ERROR_NOT_FOUND when not held; JOURNAL_ERROR_IO when it cannot
 * be read or no longer matches its CRC). */
journal_record *journal_read(journal *j, guint64 seq, GError **error);
void journal_record_free(journal_record *r);

guint64 journal_first_seq(journal *j); /* oldest held, 0 when empty */
guint64 journal_last_seq(journal *j);  /* newest held, 0 when empty */

/* Registers a consumer named in the config: its acked seq stays as persisted, else 0.
 * A bad name is ignored with a g_warning. */
void journal_register_consumer(journal *j, const char *name);

/* Records that consumer has everything up to seq, registering it. A name not of 1-64 of
 * A-Za-z0-9._- or a seq above the last seq is JOURNAL_ERROR_INVALID; an ack lower than the
 * stored one keeps the stored one. Persisted (fsync'd) before it returns TRUE; then runs
 * retention. */
gboolean journal_ack(journal *j, const char *consumer, guint64 seq, GError **error);

/* Removes what retention allows (docs/bus.md) as of now_us (µs since 1970 UTC). */
void journal_enforce_retention(journal *j, gint64 now_us);

void journal_get_status(journal *j, journal_status *out);
void journal_status_clear(journal_status *s);

/* For tests of disk-full handling: override the free-space probe (NULL restores statvfs). */
void journal_set_free_space_fn(journal *j, guint64 (*fn)(const char *dir, void *user), void *user);

G_END_DECLS

#endif
