/*
 * read_backlog.h — the frames waiting to be read, in the order readers should take them,
 * with a bound.
 *
 * A frame belongs to a camera's motion episode (one vehicle going through that view, as far
 * as the camera can tell); the episode's read_interest counts the frames of it taken for a
 * read and the valid reads they gave. The readers share themselves out between the episodes
 * in view: a frame of the episode with the fewest frames taken so far goes first, so a
 * vehicle just come into view is read at once, and while four cameras show vehicles at the
 * same time each of their episodes gets its turn. (Giving every episode with no valid read
 * yet precedence instead starved the ones with one: a side camera watching a truck's bare
 * flank took every reader while the front camera's plate, read once, waited for its second
 * vote until its frames expired.) A frame of an episode that already has `enough` valid
 * reads can add a vote at most, and waits behind every other. Among equals the older frame
 * goes first, so a vehicle's frames are read in its order.
 *
 * The bound is a number of frames (each holds a decoded frame until it is read). A backlog
 * that may drop (a live camera) makes room by dropping the least useful frame: the one of
 * the episode with the most read, the oldest among those; the frame pushed may be that one.
 * It also gives up frames that have waited too long (read_backlog_expire): a camera's
 * observations wait in order for their reads (read_hold.h), so one frame left behind by
 * more urgent ones would hold its whole camera back.
 * A backlog that may not drop (a replay as fast as possible: the same events on every
 * machine) is never pushed past its bound: the caller waits (reader_pool.c).
 *
 * The priorities move while frames wait (a read of one frame changes its episode's
 * standing), so they are compared when a frame is taken, not when it is queued: pop and
 * drop scan the backlog, O(bound), a few dozen frames against a read's 100 ms and more.
 *
 * Not thread-safe: reader_pool.c holds its lock around every call.
 */
#ifndef GATECV_READ_BACKLOG_H
#define GATECV_READ_BACKLOG_H

#include <stdbool.h>

#include <glib.h>

/* What has been read of one camera's motion episode: shared by its frames (refcounted). */
typedef struct {
    gint ref;
    gint valid_reads; /* valid plates and codes read in its frames so far (atomic) */
    gint taken;       /* its frames taken out for a read so far (read_backlog_pop) */
    int enough;       /* valid reads after which its frames can add a vote at most */
} read_interest;

read_interest *read_interest_new(int enough);
read_interest *read_interest_ref(read_interest *interest);
void read_interest_unref(read_interest *interest);
/* A read of one of its frames gave `valid` valid texts (any thread). */
void read_interest_add(read_interest *interest, int valid);

typedef struct read_backlog read_backlog;

/* `free_job` frees a job the backlog still holds when it is freed (may be NULL). */
read_backlog *read_backlog_new(guint bound, GDestroyNotify free_job);
void read_backlog_free(read_backlog *b);

guint read_backlog_length(const read_backlog *b);
guint read_backlog_bound(const read_backlog *b);

/* Queues `job` of the episode `interest` (a reference is taken), queued at `queued_us`
 * (monotonic). At the bound, with may_drop, the least useful frame (possibly this one) is
 * taken out and returned for the caller to hand back unread; otherwise NULL. Without
 * may_drop the caller must not push past the bound (asserted). */
gpointer read_backlog_push(read_backlog *b, gpointer job, read_interest *interest, gint64 queued_us,
                           bool may_drop);

/* A job queued before `before_us`, taken out; NULL when there is none. */
gpointer read_backlog_expire(read_backlog *b, gint64 before_us);

/* The most urgent job, taken out (its episode counts it as taken); NULL when empty. */
gpointer read_backlog_pop(read_backlog *b);

#endif
