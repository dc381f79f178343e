/*
 * observation_merge.c — the cameras' observations, one queue per camera, released to the
 * fusion in (stream time, camera) order. Owns its copies of the queued observations.
 */
#include "observation_merge.h"

#include <math.h>
#include <string.h>

/* The longest a camera waits, in wall seconds, for the slowest to catch up. */
#define WAIT_LIMIT_S 30

typedef struct {
    lane_observation o; /* o.reads points at the copy below; o.evidence is a reference */
    gatecv_read *reads;
    bool done; /* the camera's end, at o.t */
} queued;

struct observation_merge {
    GMutex lock;
    GCond moved; /* a camera pushed, ended or the merge stopped: waiting cameras look again */
    int n_cameras;
    double max_ahead_s;
    observation_merge_sink sink;
    GQueue queues[LANE_MAX_CAMERAS];
    double seen[LANE_MAX_CAMERAS]; /* the latest time pushed (-inf: nothing yet) */
    bool ending[LANE_MAX_CAMERAS]; /* its end is queued: nothing more comes from it */
    bool ended[LANE_MAX_CAMERAS];  /* its end was handed on */
    bool stopped;
};

observation_merge *observation_merge_new(int n_cameras, double max_ahead_s,
                                         const observation_merge_sink *sink)
{
    observation_merge *m = g_new0(observation_merge, 1);
    g_mutex_init(&m->lock);
    g_cond_init(&m->moved);
    m->n_cameras = MIN(n_cameras, LANE_MAX_CAMERAS);
    m->max_ahead_s = max_ahead_s;
    m->sink = *sink;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        g_queue_init(&m->queues[i]);
        m->seen[i] = -INFINITY;
    }
    return m;
}

static void queued_free(queued *q)
{
    g_free(q->reads);
    if (q->o.evidence)
        g_bytes_unref(q->o.evidence);
    g_free(q);
}

static void hand_on(observation_merge *m, queued *q)
{
    if (q->done) {
        m->ended[q->o.camera] = true;
        m->sink.done(q->o.camera, q->o.t, m->sink.user);
    } else {
        m->sink.observe(&q->o, m->sink.user);
    }
}

/* The camera whose queued head comes first by (time, camera), or -1 if all are empty. */
static int first_head(const observation_merge *m)
{
    int best = -1;
    double best_t = INFINITY;
    for (int c = 0; c < m->n_cameras; c++) {
        const queued *q = m->queues[c].head ? m->queues[c].head->data : NULL;
        if (q && (best < 0 || q->o.t < best_t)) {
            best = c;
            best_t = q->o.t;
        }
    }
    return best;
}

/* Whether nothing can still come before camera c's observation at t: every other camera
 * that has not ended has seen past t (or as far as t, and comes after c at equal times;
 * a camera's own times only grow). */
static bool nothing_before(const observation_merge *m, int c, double t)
{
    for (int k = 0; k < m->n_cameras; k++) {
        if (k == c || m->ended[k] || m->queues[k].length > 0)
            continue; /* a queued head is later than c's: first_head chose c */
        if (m->seen[k] < t || (m->seen[k] == t && k < c))
            return false;
    }
    return true;
}

static void release(observation_merge *m, bool all)
{
    int c;
    while ((c = first_head(m)) >= 0) {
        queued *q = g_queue_peek_head(&m->queues[c]);
        if (!all && !nothing_before(m, c, q->o.t))
            break;
        g_queue_pop_head(&m->queues[c]);
        hand_on(m, q);
        queued_free(q);
    }
}

/* The slowest camera other than c that has started and not ended (-inf: none). */
static double slowest_other(const observation_merge *m, int c)
{
    double slowest = INFINITY;
    for (int k = 0; k < m->n_cameras; k++)
        if (k != c && !m->ending[k] && isfinite(m->seen[k]))
            slowest = fmin(slowest, m->seen[k]);
    return isfinite(slowest) ? slowest : -INFINITY;
}

/* A camera ahead of the slowest by more than max_ahead_s waits; the slowest never does, so
 * some camera can always go on. */
static bool must_wait(const observation_merge *m, int c, double t)
{
    double slowest = slowest_other(m, c);
    return !m->stopped && !m->ending[c] && isfinite(slowest) && m->seen[c] > slowest &&
           t > slowest + m->max_ahead_s;
}

static queued *copy_observation(const lane_observation *o)
{
    queued *q = g_new0(queued, 1);
    q->o = *o;
    if (o->n_reads > 0 && o->reads)
        q->reads = g_memdup2(o->reads, sizeof(gatecv_read) * (gsize)o->n_reads);
    q->o.evidence = o->evidence ? g_bytes_ref(o->evidence) : NULL;
    q->o.reads = q->reads;
    q->o.n_reads = q->reads ? o->n_reads : 0;
    return q;
}

void observation_merge_wait(observation_merge *m, int camera, double t)
{
    if (camera < 0 || camera >= m->n_cameras)
        return;
    g_mutex_lock(&m->lock);
    /* Bounded: a camera being stopped from the main loop while it waits here must get out
     * even if the camera it waits for can only end through that same main loop. */
    gint64 deadline = g_get_monotonic_time() + WAIT_LIMIT_S * G_TIME_SPAN_SECOND;
    while (must_wait(m, camera, t))
        if (!g_cond_wait_until(&m->moved, &m->lock, deadline)) {
            g_debug("camera %d: waited %d s for the other cameras; going on", camera,
                    WAIT_LIMIT_S);
            break;
        }
    g_mutex_unlock(&m->lock);
}

void observation_merge_push(observation_merge *m, const lane_observation *o)
{
    if (o->camera < 0 || o->camera >= m->n_cameras)
        return;
    g_mutex_lock(&m->lock);
    if (m->stopped) {
        m->sink.observe(o, m->sink.user);
        g_mutex_unlock(&m->lock);
        return;
    }
    GQueue *queue = &m->queues[o->camera];
    queued *end = m->ending[o->camera] && !m->ended[o->camera] ? g_queue_peek_tail(queue) : NULL;
    if (end) { /* a last frame that arrived after the camera was said to end: before its end */
        g_queue_insert_before(queue, g_queue_peek_tail_link(queue), copy_observation(o));
        end->o.t = fmax(end->o.t, o->t);
    } else {
        g_queue_push_tail(queue, copy_observation(o));
    }
    m->seen[o->camera] = fmax(m->seen[o->camera], o->t);
    release(m, m->stopped);
    g_cond_broadcast(&m->moved);
    g_mutex_unlock(&m->lock);
}

void observation_merge_done(observation_merge *m, int camera, double t)
{
    if (camera < 0 || camera >= m->n_cameras)
        return;
    g_mutex_lock(&m->lock);
    if (m->ending[camera]) {
        g_mutex_unlock(&m->lock);
        return;
    }
    queued *q = g_new0(queued, 1);
    q->o.camera = camera;
    q->o.t = fmax(t, isfinite(m->seen[camera]) ? m->seen[camera] : t);
    q->done = true;
    m->ending[camera] = true;
    m->seen[camera] = q->o.t;
    g_queue_push_tail(&m->queues[camera], q);
    release(m, m->stopped);
    g_cond_broadcast(&m->moved);
    g_mutex_unlock(&m->lock);
}

void observation_merge_stop(observation_merge *m)
{
    g_mutex_lock(&m->lock);
    m->stopped = true;
    release(m, true);
    g_cond_broadcast(&m->moved);
    g_mutex_unlock(&m->lock);
}

void observation_merge_free(observation_merge *m)
{
    if (!m)
        return;
    observation_merge_stop(m);
    g_cond_clear(&m->moved);
    g_mutex_clear(&m->lock);
    g_free(m);
}
