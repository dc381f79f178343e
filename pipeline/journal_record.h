/*
 * journal_record.h — the format of one journal record (docs/bus.md, "Journal"), internal to
 * pipeline/journal*.c: its layout and limits, encoding it, checking one in a file, decoding one
 * read back. All integers are little-endian:
 *
 *   magic "GCVR" (4) | seq u64 | time_us i64 | n_parts u32 | n_parts lengths u32 | parts | crc u32
 *
 * The CRC is zlib's crc32 over everything from seq to the last part byte (the magic and the CRC
 * itself are not covered).
 */
#ifndef GATECV_JOURNAL_RECORD_H
#define GATECV_JOURNAL_RECORD_H

#include <glib.h>

#include "journal.h"

G_BEGIN_DECLS

#define JOURNAL_RECORD_MAGIC "GCVR"
#define JOURNAL_RECORD_MAGIC_LEN 4
#define JOURNAL_RECORD_FIXED 24 /* magic 4, seq 8, time_us 8, n_parts 4 */
#define JOURNAL_RECORD_CRC 4
/* the smallest record: one empty part */
#define JOURNAL_RECORD_MIN (JOURNAL_RECORD_FIXED + 4 + JOURNAL_RECORD_CRC)
/* bytes of the scratch buffer journal_record_check reads a record's parts through */
#define JOURNAL_RECORD_CHUNK (1u << 20)

/* A record's header as read back. */
typedef struct {
    guint64 seq;
    gint64 time_us;
    guint32 n_parts;
    guint32 lengths[JOURNAL_MAX_PARTS];
    guint64 length; /* the whole record, magic to CRC */
} journal_record_head;

typedef enum {
    JOURNAL_RECORD_OK,      /* whole, sound header, CRC matches */
    JOURNAL_RECORD_TORN,    /* runs past the end of the file (a sound beginning cut short) */
    JOURNAL_RECORD_CORRUPT, /* wrong magic, n_parts or a length, or a CRC that does not match */
    JOURNAL_RECORD_IO,      /* a read failed: errno says why */
} journal_record_status;

/* Bytes of the record of these parts. */
guint64 journal_record_size(const journal_part *parts, guint n_parts);

/* TRUE when the parts make a record the format allows: 1..JOURNAL_MAX_PARTS parts, each of at
 * most JOURNAL_MAX_PART_BYTES and with data unless empty; else JOURNAL_ERROR_INVALID. */
gboolean journal_record_check_parts(const journal_part *parts, guint n_parts, GError **error);

/* The whole record in one buffer (owned by the caller, g_free), *size its bytes. The parts must
 * have passed journal_record_check_parts. */
guint8 *journal_record_encode(guint64 seq, gint64 time_us, const journal_part *parts, guint n_parts,
                              gsize *size);

/* Checks the record at off of a file of file_size bytes (off < file_size): its magic and header,
 * that it lies wholly in the file, and its CRC; fills *head as far as it got and sets *why to
 * what is wrong (unless OK or IO). chunk: a scratch buffer of JOURNAL_RECORD_CHUNK bytes.
 * Cost: reads the record once, in chunks. */
journal_record_status journal_record_check(int fd, guint64 off, guint64 file_size,
                                           journal_record_head *head, guint8 *chunk,
                                           const char **why);

/* The seq of the record whose bytes start at rec (at least 12 bytes), unchecked. */
guint64 journal_record_peek_seq(const guint8 *rec);

/* The record of the length bytes buf holds (taken: freed on failure, else owned by the parts,
 * slices of it); NULL when its magic, n_parts or CRC is wrong. */
journal_record *journal_record_decode(guint8 *buf, gsize length);

G_END_DECLS

#endif
