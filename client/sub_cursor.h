/* sub_cursor — the cursor file: the last seq this subscriber handled, so that a restart
 * resumes right after it. The file holds one decimal number and a newline. */
#ifndef GATECV_SUB_CURSOR_H
#define GATECV_SUB_CURSOR_H

#include <glib.h>

/* Reads the cursor. A missing file is no error: *exists is FALSE. A file that is not one
 * number of 0 or more is an error (SUB_ERROR, SUB_EXIT_USAGE) naming the file. */
gboolean sub_cursor_load(const char *path, gboolean *exists, gint64 *last_seq, GError **error);

/* Records `last_seq` durably: written to PATH.tmp, fsync'd, renamed over PATH, and the folder
 * fsync'd, so that after a crash the file holds either the old or the new seq. */
gboolean sub_cursor_store(const char *path, gint64 last_seq, GError **error);

#endif
