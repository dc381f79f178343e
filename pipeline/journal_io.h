/*
 * journal_io.h — the journal's file helpers (internal to pipeline/journal*.c): whole reads and
 * writes at an offset, continued over short transfers and EINTR; the journal's I/O error; and
 * making a folder's entries durable.
 */
#ifndef GATECV_JOURNAL_IO_H
#define GATECV_JOURNAL_IO_H

#include <glib.h>

G_BEGIN_DECLS

/* Reads exactly len bytes at off; FALSE (errno set, 0 at end of file) otherwise. */
gboolean journal_pread_full(int fd, void *buf, gsize len, guint64 off);

/* Writes exactly len bytes at off; FALSE (errno set, ENOSPC when nothing was written)
 * otherwise. */
gboolean journal_pwrite_full(int fd, const void *buf, gsize len, guint64 off);

/* Sets JOURNAL_ERROR_IO "journal: cannot <what> <path>: <strerror(err or EIO)>"; FALSE. */
gboolean journal_io_error(GError **error, const char *what, const char *path, int err);

/* fsync of the folder dir, so that the files created, renamed or removed in it stay so. */
gboolean journal_fsync_dir(const char *dir, GError **error);

G_END_DECLS

#endif
