/* sub_cursor — the cursor file (see sub_cursor.h). */
#include "sub_cursor.h"
#include "sub_options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

gboolean sub_cursor_load(const char *path, gboolean *exists, gint64 *last_seq, GError **error)
{
    *exists = FALSE;
    *last_seq = 0;
    char *text = NULL;
    GError *read_error = NULL;
    if (!g_file_get_contents(path, &text, NULL, &read_error)) {
        gboolean missing = g_error_matches(read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        if (!missing)
            g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "cursor %s: %s", path,
                        read_error->message);
        g_error_free(read_error);
        return missing;
    }
    char *number = g_strstrip(text);
    guint64 value = 0;
    GError *parse_error = NULL;
    gboolean ok = g_ascii_string_to_unsigned(number, 10, 0, G_MAXINT64, &value, &parse_error);
    if (!ok) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE,
                    "cursor %s: expected the last seq handled (one number), found \"%.40s\"", path,
                    number);
        g_error_free(parse_error);
    } else {
        *exists = TRUE;
        *last_seq = (gint64)value;
    }
    g_free(text);
    return ok;
}

static gboolean fail(GError **error, const char *path, const char *what)
{
    int e = errno;
    g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "cursor %s: could not %s: %s", path, what,
                g_strerror(e));
    return FALSE;
}

gboolean sub_cursor_store(const char *path, gint64 last_seq, GError **error)
{
    char *tmp = g_strdup_printf("%s.tmp", path);
    char line[32];
    int len = snprintf(line, sizeof line, "%" G_GINT64_FORMAT "\n", last_seq);
    gboolean ok = FALSE;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fail(error, tmp, "create it");
    else if (write(fd, line, (size_t)len) != len)
        fail(error, tmp, "write it");
    else if (fsync(fd) != 0)
        fail(error, tmp, "fsync it");
    else if (rename(tmp, path) != 0)
        fail(error, path, "rename the new one over it");
    else
        ok = TRUE;
    if (fd >= 0)
        close(fd);
    if (!ok)
        unlink(tmp);

    /* The rename is durable once the folder is: fsync it too. */
    if (ok) {
        char *folder = g_path_get_dirname(path);
        int dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fsync(dfd) != 0)
            ok = fail(error, folder, "fsync the folder");
        if (dfd >= 0)
            close(dfd);
        g_free(folder);
    }
    g_free(tmp);
    return ok;
}
