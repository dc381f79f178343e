/*
 * journal_consumers.h — the consumers' acknowledgements of a journal (docs/bus.md, "Journal"),
 * internal to pipeline/journal*.c: the registered consumers, sorted by name, each with the seq
 * it has everything up to, kept in the key file `consumers` of the journal's folder. Not
 * thread-safe: the journal's mutex serialises it.
 */
#ifndef GATECV_JOURNAL_CONSUMERS_H
#define GATECV_JOURNAL_CONSUMERS_H

#include <glib.h>

#include "journal.h"

G_BEGIN_DECLS

typedef struct journal_consumers journal_consumers;

/* TRUE for a name of 1-64 of A-Za-z0-9._- (JOURNAL_MAX_CONSUMER_NAME). */
gboolean journal_consumer_name_valid(const char *name);

/* The consumers persisted in dir's key file (none when there is no file yet; names that are
 * not valid are skipped). NULL (JOURNAL_ERROR_IO) when the file cannot be read or parsed. */
journal_consumers *journal_consumers_load(const char *dir, GError **error);
void journal_consumers_free(journal_consumers *cs);

/* Registers name (a valid one) with acked seq 0 unless it is registered; not persisted. */
void journal_consumers_register(journal_consumers *cs, const char *name);

/* Records that name (a valid one) has everything up to seq, registering it: a new consumer or a
 * higher seq is persisted (temporary file, fsync, rename, folder fsync) before it returns TRUE;
 * a lower seq keeps the stored one. On a failed write nothing changes (JOURNAL_ERROR_IO). */
gboolean journal_consumers_ack(journal_consumers *cs, const char *name, guint64 seq,
                               GError **error);

/* The smallest acknowledged seq of the registered consumers; G_MAXUINT64 with none. */
guint64 journal_consumers_min_acked(const journal_consumers *cs);
guint journal_consumers_count(const journal_consumers *cs);

/* A copy of the consumers (journal_consumer*, sorted by name); the array frees them. */
GPtrArray *journal_consumers_snapshot(const journal_consumers *cs);

G_END_DECLS

#endif
