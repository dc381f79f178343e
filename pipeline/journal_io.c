/*
 * journal_io.c — the journal's file helpers (journal_io.h): whole reads and writes at an
 * offset, the journal's I/O error, and the fsync of a folder. Knows nothing of the journal's
 * formats.
 */
#include "journal_io.h"

#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

gboolean journal_pread_full(int fd, void *buf, gsize len, guint64 off)
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

gboolean journal_pwrite_full(int fd, const void *buf, gsize len, guint64 off)
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

gboolean journal_io_error(GError **error, const char *what, const char *path, int err)
{
    g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO, "journal: cannot %s %s: %s", what, path,
                g_strerror(err ? err : EIO));
    return FALSE;
}

gboolean journal_fsync_dir(const char *dir, GError **error)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return journal_io_error(error, "open folder", dir, errno);
    gboolean ok = fsync(fd) == 0;
    int err = errno;
    close(fd);
    return ok ? TRUE : journal_io_error(error, "fsync folder", dir, err);
}
