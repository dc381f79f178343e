/*
 * read_backlog.c — the bounded priority queue of frames to read (see read_backlog.h). Owns
 * its entries and their references on the episodes; the jobs are the caller's.
 */
#include "read_backlog.h"

read_interest *read_interest_new(int enough)
{
    read_interest *interest = g_new0(read_interest, 1);
    interest->ref = 1;
    interest->enough = enough > 0 ? enough : 1;
    return interest;
}

read_interest *read_interest_ref(read_interest *interest)
{
    g_atomic_int_inc(&interest->ref);
    return interest;
}

void read_interest_unref(read_interest *interest)
{
    if (interest && g_atomic_int_dec_and_test(&interest->ref))
        g_free(interest);
}

void read_interest_add(read_interest *interest, int valid)
{
    if (valid > 0)
        g_atomic_int_add(&interest->valid_reads, valid);
}

typedef struct {
    gpointer job;
    read_interest *interest;
    guint64 order;    /* when it was pushed: older first among equals */
    gint64 queued_us; /* monotonic time it was pushed */
} entry;

struct read_backlog {
    GPtrArray *entries; /* entry*, unordered: priorities move while they wait */
    guint bound;
    guint64 pushed;
    GDestroyNotify free_job;
};

/* How much its episode has had of the readers: the frames taken from it, or past all of
 * them once it has enough valid reads (a vote at most). Lower is more urgent. */
static gint64 standing(const entry *e)
{
    const read_interest *interest = e->interest;
    gint64 taken = g_atomic_int_get(&interest->taken);
    if (g_atomic_int_get(&interest->valid_reads) >= interest->enough)
        return G_MAXINT + taken;
    return taken;
}

/* Whether a is to be read before b. */
static bool more_urgent(const entry *a, const entry *b)
{
    gint64 sa = standing(a), sb = standing(b);
    return sa != sb ? sa < sb : a->order < b->order;
}

/* Whether a is to be dropped before b: the episode that has had the most, the oldest frame. */
static bool less_useful(const entry *a, const entry *b)
{
    gint64 sa = standing(a), sb = standing(b);
    return sa != sb ? sa > sb : a->order < b->order;
}

read_backlog *read_backlog_new(guint bound, GDestroyNotify free_job)
{
    g_assert(bound > 0);
    read_backlog *b = g_new0(read_backlog, 1);
    b->entries = g_ptr_array_new();
    b->bound = bound;
    b->free_job = free_job;
    return b;
}

void read_backlog_free(read_backlog *b)
{
    if (!b)
        return;
    for (guint i = 0; i < b->entries->len; i++) {
        entry *e = b->entries->pdata[i];
        if (b->free_job)
            b->free_job(e->job);
        read_interest_unref(e->interest);
        g_free(e);
    }
    g_ptr_array_free(b->entries, TRUE);
    g_free(b);
}

guint read_backlog_length(const read_backlog *b)
{
    return b->entries->len;
}

guint read_backlog_bound(const read_backlog *b)
{
    return b->bound;
}

/* Takes entry i out and returns its job. */
static gpointer take(read_backlog *b, guint i)
{
    entry *e = g_ptr_array_remove_index_fast(b->entries, i);
    gpointer job = e->job;
    read_interest_unref(e->interest);
    g_free(e);
    return job;
}

gpointer read_backlog_push(read_backlog *b, gpointer job, read_interest *interest, gint64 queued_us,
                           bool may_drop)
{
    g_assert(job && interest);
    g_assert(may_drop || b->entries->len < b->bound);
    entry *e = g_new(entry, 1);
    *e = (entry){job, read_interest_ref(interest), b->pushed++, queued_us};
    g_ptr_array_add(b->entries, e);
    if (b->entries->len <= b->bound)
        return NULL;
    guint worst = 0;
    for (guint i = 1; i < b->entries->len; i++)
        if (less_useful(b->entries->pdata[i], b->entries->pdata[worst]))
            worst = i;
    return take(b, worst);
}

gpointer read_backlog_expire(read_backlog *b, gint64 before_us)
{
    for (guint i = 0; i < b->entries->len; i++)
        if (((entry *)b->entries->pdata[i])->queued_us < before_us)
            return take(b, i);
    return NULL;
}

gpointer read_backlog_pop(read_backlog *b)
{
    if (b->entries->len == 0)
        return NULL;
    guint best = 0;
    for (guint i = 1; i < b->entries->len; i++)
        if (more_urgent(b->entries->pdata[i], b->entries->pdata[best]))
            best = i;
    g_atomic_int_inc(&((entry *)b->entries->pdata[best])->interest->taken);
    return take(b, best);
}
