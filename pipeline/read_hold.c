/*
 * read_hold.c — a camera's observations in frame order until their reads are back (see
 * read_hold.h). Owns the queued observations and their reads and frames until handed on.
 */
#include "read_hold.h"

struct read_hold_item {
    lane_observation o; /* o.reads points at the reads below once complete; o.evidence is
                           a reference the item owns */
    gatecv_read *reads;
    bool pending;
};

struct read_hold {
    GMutex lock;         /* the queue and the counts */
    GMutex handing;      /* held while handing on: one thread at a time, in order */
    GCond completed;     /* a pending observation was completed */
    GQueue queue;        /* read_hold_item*, oldest first */
    guint pending;       /* of the queued, how many wait for reads */
    guint completing;    /* threads inside read_hold_complete: drain waits for them too */
    guint64 dropped;     /* completed as never read */
    read_hold_sink sink;
    void *user;
};

read_hold *read_hold_new(read_hold_sink sink, void *user)
{
    read_hold *h = g_new0(read_hold, 1);
    g_mutex_init(&h->lock);
    g_mutex_init(&h->handing);
    g_cond_init(&h->completed);
    g_queue_init(&h->queue);
    h->sink = sink;
    h->user = user;
    return h;
}

static void item_free(read_hold_item *item)
{
    g_free(item->reads);
    if (item->o.evidence)
        g_bytes_unref(item->o.evidence);
    g_free(item);
}

void read_hold_free(read_hold *h)
{
    if (!h)
        return;
    g_assert(h->pending == 0 && h->completing == 0);
    g_queue_clear_full(&h->queue, (GDestroyNotify)item_free);
    g_mutex_clear(&h->lock);
    g_mutex_clear(&h->handing);
    g_cond_clear(&h->completed);
    g_free(h);
}

/* Hands on the observations at the head that are no longer pending. */
static void hand_on_ready(read_hold *h)
{
    g_mutex_lock(&h->handing);
    for (;;) {
        g_mutex_lock(&h->lock);
        read_hold_item *item = g_queue_peek_head(&h->queue);
        if (!item || item->pending) {
            g_mutex_unlock(&h->lock);
            break;
        }
        g_queue_pop_head(&h->queue);
        g_mutex_unlock(&h->lock);
        h->sink(&item->o, h->user); /* outside the lock: the sink may take its time */
        item_free(item);
    }
    g_mutex_unlock(&h->handing);
}

read_hold_item *read_hold_push(read_hold *h, const lane_observation *o, bool pending)
{
    read_hold_item *item = g_new0(read_hold_item, 1);
    item->o = *o;
    item->o.reads = NULL;
    item->o.n_reads = 0;
    item->o.evidence = NULL;
    item->pending = pending;
    g_mutex_lock(&h->lock);
    g_queue_push_tail(&h->queue, item);
    h->pending += pending;
    g_mutex_unlock(&h->lock);
    hand_on_ready(h);
    return pending ? item : NULL; /* a pending item lives until completed and handed on */
}

void read_hold_complete(read_hold *h, read_hold_item *item, gatecv_read *reads, int n,
                        GBytes *evidence, bool dropped)
{
    g_assert(item && item->pending);
    item->reads = reads;
    item->o.reads = reads;
    item->o.n_reads = reads ? n : 0;
    item->o.evidence = evidence;
    g_mutex_lock(&h->lock);
    item->pending = false;
    h->pending--;
    h->dropped += dropped;
    h->completing++;
    g_mutex_unlock(&h->lock);
    hand_on_ready(h);
    g_mutex_lock(&h->lock);
    h->completing--;
    g_cond_broadcast(&h->completed);
    g_mutex_unlock(&h->lock);
}

void read_hold_drain(read_hold *h)
{
    g_mutex_lock(&h->lock);
    while (h->pending > 0 || h->completing > 0)
        g_cond_wait(&h->completed, &h->lock);
    g_mutex_unlock(&h->lock);
    hand_on_ready(h);
}

guint read_hold_queued(read_hold *h)
{
    g_mutex_lock(&h->lock);
    guint n = h->queue.length;
    g_mutex_unlock(&h->lock);
    return n;
}

guint read_hold_pending(read_hold *h)
{
    g_mutex_lock(&h->lock);
    guint n = h->pending;
    g_mutex_unlock(&h->lock);
    return n;
}

guint64 read_hold_dropped(read_hold *h)
{
    g_mutex_lock(&h->lock);
    guint64 n = h->dropped;
    g_mutex_unlock(&h->lock);
    return n;
}
