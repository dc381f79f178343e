/*
 * reader_pool.h — the readers of the whole box: a pool of threads (one per core by default)
 * that take the cameras' selected frames from one bounded backlog (read_backlog.h), most
 * urgent first, read them, and hand the reads to the frame's camera (read_hold.h).
 *
 * Capture never waits for a read: a camera hands a frame in and goes on with the next. The
 * threads share one set of networks, each net used by one thread at a time (models.h), so
 * the box holds one copy of them whatever its number of threads and cameras; each thread
 * has its own reader (and its Tesseract instance), set to each frame's kinds of text.
 *
 * A pool that may drop (live cameras, --realtime) makes room at the bound by dropping the
 * least useful frame, and gives up a frame that has waited `max_wait_ms` (the frames of its
 * camera that came after it wait for it, and the fusion with them); its camera gets it back
 * unread (counted). One that may not (a replay
 * as fast as possible) makes the camera wait at the bound instead, so a replay reads every
 * frame it selected and gives the same events on every machine.
 *
 * Thread-safe.
 */
#ifndef GATECV_READER_POOL_H
#define GATECV_READER_POOL_H

#include <stdbool.h>

#include <glib.h>
#include <gst/video/video.h>

#include "gcv_camera.h"
#include "lane_config.h"
#include "read_backlog.h"
#include "read_hold.h"

typedef struct {
    int threads;           /* reader threads; 0: one per core */
    guint backlog;         /* frames waiting at most */
    bool may_drop;         /* at the bound, drop the least useful frame (else the camera waits) */
    int max_wait_ms;       /* with may_drop: a frame waiting this long is dropped (0: never) */
    const char *model_dir; /* NULL: the default */
    int det_size;          /* the text detector's longer side for a whole ROI */
    /* A frame in which the coarse detection pass saw no text is detected again at full scale
     * (text_detect_params.blind_full_pass) when it is read for codes. Off by default: a lane's
     * vehicle shows its texts in many frames (lane_config.h, [readers] blank_full_pass). */
    bool blank_full_pass;
    /* Called on the reader thread after each read (not for a frame dropped unread), before
     * its camera gets the reads: the frame's camera, its seconds from being handed in to its
     * reads being back, and the read's own seconds. NULL: nothing to tell (metrics). */
    void (*on_read)(const char *camera, double latency_s, double read_s, void *user);
    void *on_read_user;
} reader_pool_options;

void reader_pool_options_default(reader_pool_options *o);

/* What a camera reads in its frames. */
typedef enum { READ_WHAT_PLATES, READ_WHAT_CODES, READ_WHAT_BOTH, READ_WHAT_N } read_what;

/* One selected frame. The pool takes it whole: the buffer's and the episode's references,
 * and the hold's item, which it always completes (read, or dropped). */
typedef struct {
    const char *camera; /* its name, for messages (outlives the job) */
    GstBuffer *buffer;  /* the decoded frame (a reference) */
    GstVideoInfo info;
    lane_rect area; /* the part to read (the ROI inside the frame), in frame pixels */
    const gcv_undistort *undistort; /* its camera's maps of `area` (borrowed), or NULL: the
                                     * area is read undistorted, its reads' coordinates are
                                     * then in the undistorted frame */
    read_what what;
    read_interest *interest; /* its episode's (a reference) */
    read_hold *hold;         /* its camera's, and its ticket there */
    read_hold_item *item;
    gint64 submitted_us; /* monotonic time it was handed in (set by reader_pool_submit) */
} reader_job;

typedef struct reader_pool reader_pool;

/* Loads every thread's models before it returns; NULL + error naming what is missing. */
reader_pool *reader_pool_new(const reader_pool_options *o, GError **error);
/* Cancels (see below) and joins the threads. */
void reader_pool_free(reader_pool *pool);

/* Queues the job (taken); may wait at the bound (a pool that may not drop). */
void reader_pool_submit(reader_pool *pool, reader_job *job);

/* Hands every queued frame back unread, waits for the reads under way, and from then on
 * hands back each frame submitted at once (for shutting down). */
void reader_pool_cancel(reader_pool *pool);

typedef struct {
    int threads;
    guint64 submitted, read, dropped;
    guint64 expired; /* of the dropped, those that waited max_wait_ms */
    guint depth;        /* frames waiting now */
    guint max_depth;    /* the most frames waiting at once */
    guint p95_depth;    /* 95% of submissions found at most this many waiting */
    double read_ms;     /* reader threads' time spent reading, summed */
} reader_pool_stats;

void reader_pool_get_stats(reader_pool *pool, reader_pool_stats *stats);

#endif
