/*
 * crossing_notice.c — the first notice of a crossing, from motion seen at once (see
 * crossing_notice.h).
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "crossing_notice.h"

#include <math.h>

/* One camera as the look-ahead sees it. */
typedef struct {
    camera_track track;  /* its episodes from motion alone */
    double told_opened;  /* the open episode's first frame, once a notice stands for it (NAN) */
    double over_until;   /* the latest moment an episode of it was over or past the line */
} look_camera;

struct crossing_notices {
    const lane_config *config;
    double join_window;
    look_camera cams[LANE_MAX_CAMERAS];
    GPtrArray *notices; /* crossing_notice*, oldest first (owned) */
};

static void notice_free(gpointer data)
{
    crossing_notice *c = data;
    line_vehicle_clear(&c->vehicle); /* no passages: they are only lent while it goes out */
    g_free(c);
}

crossing_notices *crossing_notices_new(const lane_config *config, double join_window)
{
    crossing_notices *n = g_new0(crossing_notices, 1);
    n->config = config;
    n->join_window = join_window;
    n->notices = g_ptr_array_new_with_free_func(notice_free);
    for (int i = 0; i < config->n_cameras; i++) {
        camera_track_init(&n->cams[i].track, &config->cameras[i], i, config->votes);
        n->cams[i].told_opened = NAN;
        n->cams[i].over_until = -INFINITY;
    }
    return n;
}

void crossing_notices_free(crossing_notices *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->config->n_cameras; i++)
        camera_track_clear(&n->cams[i].track);
    g_ptr_array_free(n->notices, TRUE);
    g_free(n);
}

/* Whether the episode's vehicle is past the line: its box came from one side and its middle is
 * now on the other. (Its rear clears the line later, and the box shows that later still where
 * the place a vehicle stood at moves in the gate's eyes behind it.) An episode whose first box
 * was already over the line is left to the fusion: the side it came from is a guess there. */
static bool past_the_line(const camera_episode *e)
{
    return !e->first_over && e->line.side_from != 0 && e->line.touched &&
           e->line.centre_now == -e->line.side_from;
}

/* Whether a camera other than `camera` had an episode over the line since `since`. */
static bool another_camera_over(const crossing_notices *n, int camera, double since)
{
    for (int i = 0; i < n->config->n_cameras; i++)
        if (i != camera && n->cams[i].over_until >= since)
            return true;
    return false;
}

/* The first notice of a vehicle going the `sign` way on the line from start to end (within
 * the join window) that no episode of `camera` stands for yet (camera -1: any notice), or
 * NULL. */
static crossing_notice *notice_near(const crossing_notices *n, int camera, int sign, double start,
                                    double end)
{
    for (guint i = 0; i < n->notices->len; i++) {
        crossing_notice *c = g_ptr_array_index(n->notices, i);
        const line_span *s = &c->vehicle.span;
        if (s->sign == sign && (camera < 0 || isnan(c->opened[camera])) &&
            start <= s->end + n->join_window && end >= s->start - n->join_window)
            return c;
    }
    return NULL;
}

/* Whether the fusion already holds the vehicle of episode e, on the line from start to end:
 * a pending one its passage would join (another camera's passage of it closed first), or one
 * whose span on the line holds start or end. */
static bool timeline_has(const line_timeline *tl, const camera_episode *e, double start,
                         double end)
{
    if (line_timeline_would_join(tl, e, -e->line.side_from))
        return true;
    const line_state states[] = {LINE_PENDING, LINE_DECIDED};
    for (size_t i = 0; i < G_N_ELEMENTS(states); i++)
        if (line_timeline_near(tl, states[i], start, 0) || line_timeline_near(tl, states[i], end, 0))
            return true;
    return false;
}

static crossing_notice *notice_new(const camera_episode *e)
{
    crossing_notice *c = g_new0(crossing_notice, 1);
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        c->opened[i] = NAN;
    line_vehicle *v = &c->vehicle;
    /* it goes the way of the side it is past the line to: the right is the positive way */
    line_vehicle_init(v, LINE_PENDING, e->line.t_touch, fmax(e->line.t_off, e->line.t_touch),
                      -e->line.side_from);
    v->span.from_side = true;
    v->span.cameras = 1u << e->camera;
    v->t_cross = v->t_start = e->line.t_cross;
    v->t_end = e->line.t_clear;
    return c;
}

/* Lends the notice the look-ahead episodes it stands for that are still open, as its passages. */
static void lend_passages(crossing_notices *n, crossing_notice *c)
{
    for (int i = 0; i < n->config->n_cameras; i++) {
        const camera_episode *e = n->cams[i].track.open;
        if (e && c->opened[i] == e->t_opened)
            c->vehicle.passages[i] = (camera_episode *)e;
    }
}

static void take_back_passages(crossing_notice *c)
{
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        c->vehicle.passages[i] = NULL;
}

/* The open episode e of side camera `camera` is past the line: it joins the notice
 * of its vehicle, or makes one when another camera saw it over the line too. Returns a notice
 * that is new, or NULL. */
static crossing_notice *notice_for(crossing_notices *n, int camera, const camera_episode *e,
                                   const line_timeline *tl)
{
    look_camera *lc = &n->cams[camera];
    const double start = e->line.t_touch, end = fmax(e->line.t_off, e->line.t_touch);
    crossing_notice *c = notice_near(n, camera, -e->line.side_from, start, end);
    if (c) {
        c->opened[camera] = e->t_opened;
        c->n_open++;
        c->vehicle.span.start = fmin(c->vehicle.span.start, start);
        c->vehicle.span.end = fmax(c->vehicle.span.end, end);
        c->vehicle.span.cameras |= 1u << camera;
        lc->told_opened = e->t_opened;
        return NULL;
    }
    if (timeline_has(tl, e, start, end)) { /* the fusion is there first: nothing to tell early */
        lc->told_opened = e->t_opened;
        return NULL;
    }
    if (!another_camera_over(n, camera, start - n->join_window))
        return NULL; /* maybe noise: asked again at its next frame */
    c = notice_new(e);
    c->opened[camera] = e->t_opened;
    c->n_open = 1;
    lc->told_opened = e->t_opened;
    g_ptr_array_add(n->notices, c);
    return c;
}

void crossing_notices_look(crossing_notices *n, const lane_observation *o, const line_timeline *tl,
                           crossing_notice_fn fn, void *user)
{
    if (o->camera < 0 || o->camera >= n->config->n_cameras)
        return;
    look_camera *lc = &n->cams[o->camera];
    lane_observation motion = *o; /* only motion: reads are the fusion's */
    motion.reads = NULL;
    motion.n_reads = 0;
    motion.evidence = NULL;
    camera_episode_free(camera_track_observe(&lc->track, &motion));
    const camera_episode *e = lc->track.open;
    if (!e)
        return;
    if (e->line.touched)
        lc->over_until = fmax(lc->over_until, e->line.t_clear);
    if (!lane_camera_can(n->config, o->camera, LANE_CAN_MEASURE_LENGTH) || !past_the_line(e) ||
        lc->told_opened == e->t_opened)
        return;
    crossing_notice *c = notice_for(n, o->camera, e, tl);
    if (!c)
        return;
    g_message("camera %s: a vehicle past the line at %.2f s (on it from %.2f s): first notice",
              n->config->cameras[o->camera].name, o->t, c->vehicle.span.start);
    lend_passages(n, c);
    fn(&c->vehicle, o->t, user);
    take_back_passages(c);
}

crossing_notice *crossing_notices_closed(crossing_notices *n, const camera_episode *e)
{
    g_return_val_if_fail(e->camera >= 0 && e->camera < LANE_MAX_CAMERAS, NULL);
    for (guint i = 0; i < n->notices->len; i++) {
        crossing_notice *c = g_ptr_array_index(n->notices, i);
        if (c->opened[e->camera] == e->t_opened) {
            c->opened[e->camera] = NAN; /* closed: a later episode of it may join again */
            c->n_open--;
            g_assert(c->n_open >= 0);
            return c;
        }
    }
    return NULL;
}

crossing_notice *crossing_notices_on_line_with(crossing_notices *n, const line_vehicle *v)
{
    return notice_near(n, -1, v->span.sign, v->span.start, v->span.end);
}

void crossing_notices_taken_over(crossing_notices *n, crossing_notice *c, line_vehicle *v)
{
    g_assert(v->revisions.revision == 0 && c->vehicle.revisions.revision > 0);
    vehicle_revisions never_told = v->revisions;
    v->revisions = c->vehicle.revisions;
    c->vehicle.revisions = never_told;
    crossing_notices_drop(n, c);
}

void crossing_notices_drop(crossing_notices *n, crossing_notice *c)
{
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        g_assert(c->vehicle.passages[i] == NULL); /* none lent any more */
    g_ptr_array_remove(n->notices, c);
}

crossing_notice *crossing_notices_next(crossing_notices *n, guint *cursor)
{
    return *cursor < n->notices->len ? g_ptr_array_index(n->notices, (*cursor)++) : NULL;
}
