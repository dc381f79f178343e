/*
 * journal_consumers.c — the consumers' acknowledgements of a journal (journal_consumers.h):
 * the list of registered consumers, sorted by name, and its key file `consumers` (group
 * `[consumers]`, one NAME=acked seq per consumer), loaded at open and rewritten durably on
 * every acknowledgement that changes it.
 *
 * Memory: the store owns its consumers (journal_consumer*, freed by consumer_free) and hands
 * out copies. Cost: the list holds a handful of consumers; every operation is O(consumers).
 */
#include "journal_consumers.h"

#include "journal_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CONSUMERS_FILE "consumers"
#define CONSUMERS_GROUP "consumers"

struct journal_consumers {
    char *dir;       /* the journal's folder */
    char *path;      /* its key file */
    GPtrArray *list; /* journal_consumer*, sorted by name */
};

gboolean journal_consumer_name_valid(const char *name)
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

/* The consumer called name, or NULL with *pos where it would go. */
static journal_consumer *consumer_find(const journal_consumers *cs, const char *name, guint *pos)
{
    guint i = 0;
    for (; i < cs->list->len; i++) {
        journal_consumer *c = g_ptr_array_index(cs->list, i);
        int cmp = strcmp(c->name, name);
        if (cmp == 0)
            return c;
        if (cmp > 0)
            break;
    }
    *pos = i;
    return NULL;
}

static journal_consumer *consumer_add(journal_consumers *cs, const char *name, guint64 acked)
{
    guint pos;
    journal_consumer *c = consumer_find(cs, name, &pos);
    if (c)
        return c;
    c = g_new0(journal_consumer, 1);
    c->name = g_strdup(name);
    c->acked = acked;
    g_ptr_array_insert(cs->list, (gint)pos, c);
    return c;
}

journal_consumers *journal_consumers_load(const char *dir, GError **error)
{
    journal_consumers *cs = g_new0(journal_consumers, 1);
    cs->dir = g_strdup(dir);
    cs->path = g_build_filename(dir, CONSUMERS_FILE, NULL);
    cs->list = g_ptr_array_new_with_free_func(consumer_free);
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    if (g_key_file_load_from_file(kf, cs->path, G_KEY_FILE_NONE, &e)) {
        gchar **keys = g_key_file_get_keys(kf, CONSUMERS_GROUP, NULL, NULL);
        for (gchar **k = keys; k && *k; k++) {
            guint64 acked = g_key_file_get_uint64(kf, CONSUMERS_GROUP, *k, NULL);
            if (journal_consumer_name_valid(*k))
                consumer_add(cs, *k, acked);
        }
        g_strfreev(keys);
    } else if (!g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(error, JOURNAL_ERROR, JOURNAL_ERROR_IO, "journal: %s: %s", cs->path,
                    e->message);
        journal_consumers_free(cs);
        cs = NULL;
    }
    g_clear_error(&e);
    g_key_file_free(kf);
    return cs;
}

void journal_consumers_free(journal_consumers *cs)
{
    if (!cs)
        return;
    g_ptr_array_free(cs->list, TRUE);
    g_free(cs->path);
    g_free(cs->dir);
    g_free(cs);
}

/* Writes the key file: a temporary file, fsync'd, renamed over, folder fsync'd. */
static gboolean save(journal_consumers *cs, GError **error)
{
    GKeyFile *kf = g_key_file_new();
    for (guint i = 0; i < cs->list->len; i++) {
        journal_consumer *c = g_ptr_array_index(cs->list, i);
        g_key_file_set_uint64(kf, CONSUMERS_GROUP, c->name, c->acked);
    }
    gsize len;
    char *data = g_key_file_to_data(kf, &len, NULL);
    g_key_file_free(kf);
    char *tmp = g_strconcat(cs->path, ".tmp", NULL);
    gboolean ok = FALSE;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        journal_io_error(error, "create", tmp, errno);
    } else {
        ok = journal_pwrite_full(fd, data, len, 0) && fsync(fd) == 0;
        int err = errno;
        close(fd);
        if (!ok)
            journal_io_error(error, "write", tmp, err);
        else if (rename(tmp, cs->path) != 0)
            ok = journal_io_error(error, "rename", tmp, errno);
        else
            ok = journal_fsync_dir(cs->dir, error);
        if (!ok)
            unlink(tmp);
    }
    g_free(data);
    g_free(tmp);
    return ok;
}

void journal_consumers_register(journal_consumers *cs, const char *name)
{
    consumer_add(cs, name, 0);
}

gboolean journal_consumers_ack(journal_consumers *cs, const char *name, guint64 seq, GError **error)
{
    guint pos;
    journal_consumer *c = consumer_find(cs, name, &pos);
    if (c && seq <= c->acked)
        return TRUE;
    gboolean is_new = c == NULL;
    if (is_new)
        c = consumer_add(cs, name, seq);
    guint64 before = c->acked;
    c->acked = seq;
    if (save(cs, error))
        return TRUE;
    if (is_new)
        g_ptr_array_remove(cs->list, c);
    else
        c->acked = before;
    return FALSE;
}

guint64 journal_consumers_min_acked(const journal_consumers *cs)
{
    guint64 m = G_MAXUINT64;
    for (guint i = 0; i < cs->list->len; i++)
        m = MIN(m, ((journal_consumer *)g_ptr_array_index(cs->list, i))->acked);
    return m;
}

guint journal_consumers_count(const journal_consumers *cs)
{
    return cs->list->len;
}

GPtrArray *journal_consumers_snapshot(const journal_consumers *cs)
{
    GPtrArray *copy = g_ptr_array_new_with_free_func(consumer_free);
    for (guint i = 0; i < cs->list->len; i++) {
        const journal_consumer *c = g_ptr_array_index(cs->list, i);
        journal_consumer *d = g_new0(journal_consumer, 1);
        d->name = g_strdup(c->name);
        d->acked = c->acked;
        g_ptr_array_add(copy, d);
    }
    return copy;
}
