/*
 * lane_fusion.c — the fusion's API and when a vehicle is settled (see lane_fusion.h). Each
 * camera (camera_track.c) hands its passages to the vehicles on the line (line_timeline.c) and
 * its texts to the pool (assign.c); a vehicle no camera can still change is decided: it is a
 * second look, noise, or claims its texts, is split if it held several, and goes out
 * (vehicle_event.c). The lane's presence sensor, when it reports (lane_trigger.c), parts
 * vehicles, unmasks noise and adds the vehicles the cameras missed. Owns the cameras, the
 * timeline, the pool and the sensor's reports.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "lane_fusion.h"

#include <math.h>

#include "assign.h"
#include "camera_track.h"
#include "crossing_notice.h"
#include "lane_text.h"
#include "lane_trigger.h"
#include "line_timeline.h"
#include "vehicle_event.h"

/* A camera along the lane reads the plate of a vehicle coming towards it best after the
 * vehicle has left the line (it is nearer then): its episode on the line with a crossing is
 * waited for until this long after the vehicle left the line, even when the side cameras
 * measured it (generated lanes: such a vehicle stays in view 2.0-2.8 s longer, and its episode
 * closes 1.1 s after it left the view). */
#define ALONG_READ_S 5.0
/* A decided vehicle is kept on the timeline while an unclaimed text may still be compared with
 * it (ASSIGN_KEEP_S, and its texts as far again), or a passage still pending began before
 * it. */
#define FORGET_S (2 * ASSIGN_KEEP_S + 2 * ASSIGN_CLAIM_S)
#define MAX_PARTS LANE_MAX_ITEMS
/* A text whose time on the line (measured from its image) lies this near a parting the
 * presence sensor saw could be either vehicle's. */
#define PARTING_DOUBT_S 1.0

struct lane_fusion {
    const lane_config *config;
    double join_window;
    lane_crossing_fn fn;
    void *user;
    camera_track cams[LANE_MAX_CAMERAS];
    line_timeline *timeline; /* the vehicles on the line, pending and lately decided */
    text_pool *pool;         /* the texts no vehicle has claimed yet */
    crossing_notices *notices; /* first notices, from motion seen before its reads (or NULL) */
    lane_trigger *trigger;   /* what the lane's presence sensor reported (none: not heard) */
    double now;              /* the latest observation's time */
    bool provisional;        /* provisional revisions go out (config->provisional) */
    guint64 last_id;         /* the last vehicle identity given to an event's revisions */
};

/* ---- deciding a vehicle --------------------------------------------------------- */

/* How many cameras were running while the vehicle was on the line. */
static int cameras_watching(const lane_fusion *f, const line_vehicle *p)
{
    int n = 0;
    for (int i = 0; i < f->config->n_cameras; i++)
        n += camera_track_watching(&f->cams[i], p->t_start, p->t_end);
    return n;
}

/* A vehicle is in every camera's lane ROI, so a passage that only one of several watching
 * cameras made, with nothing read in `votes` frames, is that camera's own: rain, a shadow, a
 * headlight's glare sweeping over the line (and a text read once near it, a misread). Such a
 * passage is logged and not published; one with a text read that often, or seen by two
 * cameras, always is. Returns the camera, or -1 when p is no such passage. */
static int lone_camera(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts)
{
    int with = 0, camera = -1;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        if (p->passages[i])
            with++, camera = i;
    bool read = false;
    for (guint i = 0; i < texts->len; i++)
        read = read || ((lane_text *)g_ptr_array_index(texts, i))->frames >= f->config->votes;
    if (with != 1 || read || cameras_watching(f, p) < 2)
        return -1;
    return camera;
}

static bool lone_noise(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts)
{
    int camera = lone_camera(f, p, texts);
    if (camera < 0)
        return false;
    g_message("camera %s: a passage at %.2f s that no other camera saw and with nothing read "
              "in %d frames: taken for noise, not a crossing",
              f->config->cameras[camera].name, p->t_cross, f->config->votes);
    return true;
}

/* The lane's presence sensor sits at the same line: cameras that passed a vehicle while it
 * reported none, and read nothing of it in `votes` frames, saw a shadow or a light, not a
 * vehicle. Only when the sensor has reported since (it is alive; a sensor that fell silent
 * proves nothing, and the vehicle goes out for review with trigger_saw_no_vehicle). */
static bool trigger_noise(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts)
{
    if (!lane_trigger_heard(f->trigger))
        return false;
    double from, to;
    line_vehicle_on_line(p, &from, &to);
    from -= f->join_window;
    to += f->join_window;
    if (lane_trigger_last_report(f->trigger) < to ||
        lane_trigger_present_within(f->trigger, from, to))
        return false;
    for (guint i = 0; i < texts->len; i++)
        if (((lane_text *)g_ptr_array_index(texts, i))->frames >= f->config->votes)
            return false;
    g_message("the vehicle on the line at %.2f-%.2f s: the lane's presence sensor reported none "
              "then and nothing was read in %d frames: taken for noise, not a crossing",
              p->span.start, p->span.end, f->config->votes);
    return true;
}

/* The stream time every camera still running has reached (cameras of a replay run at
 * their own pace). */
static double slowest_camera_time(const lane_fusion *f)
{
    double t = f->now;
    for (int i = 0; i < f->config->n_cameras; i++)
        if (!f->cams[i].done)
            t = fmin(t, f->cams[i].last_t);
    return t;
}

/* Where the presence sensor saw the line free while p was on it: p was as many vehicles, parted
 * there; for review (as the cameras' own split) when a text of it lies on the line within
 * PARTING_DOUBT_S of a parting. Returns how many partings. */
static int trigger_bounds(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts,
                          double bounds[MAX_PARTS - 1], vehicle_part *part)
{
    double from, to;
    line_vehicle_on_line(p, &from, &to);
    int n = lane_trigger_gaps_within(f->trigger, from, to, bounds, MAX_PARTS - 1);
    if (n == 0)
        return 0;
    *part = VEHICLE_PART_PARTED;
    for (guint i = 0; i < texts->len; i++)
        for (int k = 0; k < n; k++)
            if (fabs(((lane_text *)g_ptr_array_index(texts, i))->t_line - bounds[k]) < PARTING_DOUBT_S)
                *part = VEHICLE_PART_SEEN;
    g_message("the vehicle on the line at %.2f-%.2f s: the lane's presence sensor saw the line "
              "free %d time(s) in it: published as %d crossings%s",
              p->span.start, p->span.end, n, n + 1,
              *part == VEHICLE_PART_SEEN ? " (a text near a parting: for review)" : "");
    return n;
}

/* Where vehicle p, with its claimed texts, was in fact several one behind the other: where the
 * lane's presence sensor saw the line free (trigger_bounds), or else as the cameras show it
 * (line_timeline_split): the valid plates, with `votes` frames, that cameras along the lane
 * read of it (each marks the front of a vehicle coming towards the camera, its reads moving
 * down the image, or the rear of one going away), and the times on the line of all its texts.
 * Returns how many boundaries went into `bounds` (0 for one vehicle) and in *part what
 * kind of part each is. */
static int vehicle_bounds(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts,
                          double bounds[MAX_PARTS - 1], vehicle_part *part)
{
    *part = VEHICLE_WHOLE;
    int parted = trigger_bounds(f, p, texts, bounds, part);
    if (parted > 0)
        return parted;
    line_plate_mark *plates = g_new(line_plate_mark, texts->len + 1);
    double *read_times = g_new(double, texts->len + 1);
    int n_plates = 0;
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        read_times[i] = v->t_line;
        if (lane_camera_can(f->config, v->camera, LANE_CAN_LOOK_ALONG) &&
            v->best.kind == READ_PLATE && v->best.valid && !lane_read_is_fleet_number(&v->best) &&
            v->frames >= f->config->votes)
            plates[n_plates++] = (line_plate_mark){
                .camera = v->camera, .t_line = v->t_line, .towards = v->last_y > v->first_y};
    }
    int n = line_timeline_split(f->timeline, p, plates, n_plates, read_times, (int)texts->len,
                                bounds, MAX_PARTS - 1);
    g_free(read_times);
    g_free(plates);
    if (n > 0)
        *part = VEHICLE_PART_SEEN;
    return n;
}

/* What the event of a vehicle decided now is made from. */
static vehicle_event_ctx event_ctx(lane_fusion *f)
{
    return (vehicle_event_ctx){.config = f->config,
                               .cams = f->cams,
                               .timeline = f->timeline,
                               .now = f->now,
                               .fn = f->fn,
                               .user = f->user,
                               .last_id = &f->last_id,
                               .trigger = f->trigger,
                               .trigger_margin = f->join_window};
}

/* A vehicle no camera passed, whose valid texts no vehicle claimed (the side cameras' episode
 * of two trucks close behind each other ended on the side it began, say): published for
 * review (verdict: no_passage_seen) rather than lost. */
static void publish_seen_by_reads(line_vehicle *p, GPtrArray *texts, void *user)
{
    lane_fusion *f = user;
    vehicle_event_ctx ctx = event_ctx(f);
    vehicle_event_publish(&ctx, p, &p->revisions, texts, -INFINITY, INFINITY, VEHICLE_WHOLE,
                          false);
}

/* The vehicle claims its texts and is published: as one vehicle, or as the several that its
 * plates or its length show it held; unless it is only a second look, or a lone camera's
 * noise. */
static void decide(lane_fusion *f, line_vehicle *p)
{
    /* a vehicle a provisional revision told of gets its final one, whatever it turned out to
     * be (provisional_allowed keeps that from happening to a second look or to noise) */
    bool told = p->revisions.revision > 0;
    if (!told && line_timeline_second_look(f->timeline, p)) {
        g_message("cameras along the lane passed the vehicle on the line at %.2f-%.2f s "
                  "again (or the other way): no second crossing",
                  p->span.start, p->span.end);
        line_timeline_settle(f->timeline, p, LINE_SECOND_LOOK);
        return;
    }
    /* decided first: a second look still pending then sees whose it is */
    line_timeline_settle(f->timeline, p, LINE_DECIDED);
    GPtrArray *texts = assign_claim(f->pool, f->timeline, p, f->cams, f->config->n_cameras);
    double bounds[MAX_PARTS - 1];
    vehicle_part part;
    int n = vehicle_bounds(f, p, texts, bounds, &part);
    g_assert(n >= 0 && n < MAX_PARTS); /* what split it logged why */
    if (n == 0 && !told && (lone_noise(f, p, texts) || trigger_noise(f, p, texts))) {
        line_timeline_settle(f->timeline, p, LINE_NOISE);
        g_ptr_array_free(texts, TRUE);
        return;
    }
    /* the first part goes out as the revision of the vehicle's event; the others are new
     * vehicles, their own first and final revision */
    vehicle_event_ctx ctx = event_ctx(f);
    for (int k = 0; k <= n; k++) {
        vehicle_revisions other;
        revisions_init(&other);
        vehicle_event_publish(&ctx, p, k == 0 ? &p->revisions : &other, texts,
                              k > 0 ? bounds[k - 1] : -INFINITY, k < n ? bounds[k] : INFINITY,
                              part, false);
        revisions_clear(&other);
    }
    g_ptr_array_free(texts, TRUE); /* the items own their evidence now */
}

/* ---- first notices (crossing_notice.c) --------------------------------------------- */

/* A first notice goes out as the provisional revision of a vehicle the fusion has not got yet,
 * with nothing read: `now` is when the camera saw it past the line. */
static void publish_notice(line_vehicle *p, double now, void *user)
{
    lane_fusion *f = user;
    vehicle_event_ctx ctx = event_ctx(f);
    ctx.now = now;
    GPtrArray *none = g_ptr_array_new();
    vehicle_event_publish(&ctx, p, &p->revisions, none, -INFINITY, INFINITY, VEHICLE_WHOLE, true);
    g_ptr_array_free(none, TRUE);
}

/* A notice that no vehicle took over, once no camera can make a passage that joins it (the
 * vehicle backed off the line, or a vehicle told of already had it): its final revision, for
 * review (no camera's passage is its own). */
static void notice_unconfirmed(lane_fusion *f, crossing_notice *c)
{
    g_message("the crossing told at %.2f s: no passage of the cameras confirmed it; its final "
              "revision goes out for review",
              c->vehicle.span.start);
    c->vehicle.state = LINE_DECIDED;
    vehicle_event_ctx ctx = event_ctx(f);
    GPtrArray *none = g_ptr_array_new();
    vehicle_event_publish(&ctx, &c->vehicle, &c->vehicle.revisions, none, -INFINITY, INFINITY,
                          VEHICLE_WHOLE, false);
    g_ptr_array_free(none, TRUE);
    crossing_notices_drop(f->notices, c);
}

/* A passage has joined vehicle v: a vehicle never told of takes over the notice of the episode
 * the passage was made of, or else a notice of the same time on the line (the side camera's own
 * episode may end on the side it came from, the next truck of a queue moving up in it). */
static void notice_meets_vehicle(lane_fusion *f, crossing_notice *notice, line_vehicle *v)
{
    if (!f->notices || !v || v->revisions.revision > 0)
        return;
    if (!notice)
        notice = crossing_notices_on_line_with(f->notices, v);
    if (notice)
        crossing_notices_taken_over(f->notices, notice, v);
}

/* Whether no camera can still make a passage that would join the notice: each has seen past
 * its time on the line (and the join window), and no episode open over the line by then; nor
 * can a vehicle the presence sensor reported then (resolve_sensed). */
static bool notice_settled(const lane_fusion *f, const crossing_notice *c)
{
    if (c->n_open > 0 ||
        lane_trigger_unresolved_within(f->trigger, c->vehicle.span.start - f->join_window,
                                       c->vehicle.span.end + f->join_window))
        return false;
    double until = c->vehicle.span.end + f->join_window;
    for (int i = 0; i < f->config->n_cameras; i++) {
        const camera_track *s = &f->cams[i];
        if (s->done)
            continue;
        if (s->last_t < until || (s->open && s->open->line.touched && s->open->line.t_touch <= until))
            return false;
    }
    return true;
}

/* Every notice left alone that nothing can take over now goes out as unconfirmed; all: every
 * notice left (the streams have ended). */
static void unconfirm_settled_notices(lane_fusion *f, bool all)
{
    guint cursor = 0;
    crossing_notice *c;
    while (f->notices && (c = crossing_notices_next(f->notices, &cursor)))
        if (all || notice_settled(f, c)) {
            notice_unconfirmed(f, c);
            cursor--; /* it was removed: the next one took its place */
        }
}

/* ---- provisional revisions ------------------------------------------------------- */

static bool lane_has_side_camera(const lane_fusion *f)
{
    for (int i = 0; i < f->config->n_cameras; i++)
        if (lane_camera_can(f->config, i, LANE_CAN_MEASURE_LENGTH))
            return true;
    return false;
}

/* Whether pending vehicle p may be told of before it is decided: nothing may go out that the
 * final would have to take back. It must not be one camera's noise (lone_camera, over the
 * texts it would get now), nor a second look at a vehicle a side camera saw: where the lane
 * has side cameras, one of them must have passed it. */
static bool provisional_allowed(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts)
{
    if (lane_has_side_camera(f) && !p->span.from_side)
        return false;
    return lone_camera(f, p, texts) < 0 && !line_timeline_second_look(f->timeline, p);
}

static int passages_of(const line_vehicle *p)
{
    int n = 0;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        n += p->passages[i] != NULL;
    return n;
}

/* Each pending vehicle that a passage joined since it was last looked at goes out as a
 * provisional revision with the texts it would claim now (assign_peek), when that says
 * something its last revision did not. */
static void publish_provisionals(lane_fusion *f)
{
    vehicle_event_ctx ctx = event_ctx(f);
    guint cursor = 0;
    line_vehicle *p;
    while ((p = line_timeline_next_pending(f->timeline, &cursor))) {
        int passages = passages_of(p);
        if (passages == p->revisions.passages)
            continue;
        p->revisions.passages = passages;
        GPtrArray *texts = assign_peek(f->pool, f->timeline, p, f->cams, f->config->n_cameras);
        if (provisional_allowed(f, p, texts))
            vehicle_event_publish(&ctx, p, &p->revisions, texts, -INFINITY, INFINITY,
                                  VEHICLE_WHOLE, true);
        g_ptr_array_free(texts, TRUE); /* the copies' evidence went into the event, if any */
    }
}

/* Whether a camera's open episode can still change crossing p: it was on the line while
 * p's vehicle was and may become a passage that joins p or that the verdict
 * counts (a camera along the lane only matters so when p's side cameras did not measure
 * the vehicle: measured as one, the verdict passes over such a camera; measured as
 * longer, p is left for review whatever it adds), or it holds a text that was on the line
 * with p's vehicle. */
static bool open_episode_matters(const lane_fusion *f, const line_vehicle *p, int camera,
                                 double until)
{
    const camera_episode *e = f->cams[camera].open;
    if (!e)
        return false;
    if (e->line.touched && e->line.t_touch <= until &&
        (lane_camera_can(f->config, camera, LANE_CAN_MEASURE_LENGTH) || !p->span.measured ||
         (camera_episode_coming_closer(e) && f->cams[camera].last_t < p->span.end + ALONG_READ_S)))
        return true;
    return assign_open_texts_near(e, p, f->cams[camera].last_t);
}

/* A vehicle is settled once no camera can still add to it, or change what it means. A camera
 * that joined it has nothing more to give once its passage is closed (its texts are in the
 * pool); one that did not join must also have seen past the join window and as far as a text
 * on the line with the vehicle may lie from it; an ended camera gives nothing. An episode
 * still open matters only as open_episode_matters says: the next vehicle coming into a front
 * view, not yet on the line, does not hold the vehicle back. */
static bool settled(const lane_fusion *f, const line_vehicle *p)
{
    double span_end = p->t_end;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        if (p->passages[i])
            span_end = fmax(span_end, p->passages[i]->t_last);
    double until = fmax(span_end, p->t_end + f->join_window);
    for (int i = 0; i < f->config->n_cameras; i++) {
        const camera_track *s = &f->cams[i];
        if (s->done)
            continue;
        double need = p->passages[i] ? span_end : fmax(until, p->span.end + ASSIGN_CLAIM_S);
        if (s->last_t < need || open_episode_matters(f, p, i, until))
            return false;
    }
    return true;
}

/* Before when nothing can ask about a decided vehicle any more: an unclaimed text is compared with
 * the vehicles up to FORGET_S back, and a passage still pending or an episode still open with
 * the vehicles since its first frame. */
static double forget_horizon(const lane_fusion *f)
{
    double horizon =
        fmin(slowest_camera_time(f) - FORGET_S, line_timeline_pending_since(f->timeline));
    for (int i = 0; i < f->config->n_cameras; i++)
        if (f->cams[i].open)
            horizon = fmin(horizon, f->cams[i].open->t_first);
    return horizon;
}

/* ---- vehicles only the presence sensor reported ------------------------------------ */

/* The direction of a vehicle the sensor reported: that of a first notice on the line with it
 * (a side camera saw it go past the line), else the lane's positive one (a guess; it goes out
 * for review, every camera having missed it). Sets *notice to that notice, or NULL. */
static int sensed_direction(lane_fusion *f, line_vehicle *probe, crossing_notice **notice)
{
    *notice = NULL;
    for (int sign = 1; f->notices && sign >= -1 && !*notice; sign -= 2) {
        probe->span.sign = sign;
        *notice = crossing_notices_on_line_with(f->notices, probe);
    }
    return *notice ? (*notice)->vehicle.span.sign : 1;
}

/* Each presence the sensor reported that no vehicle on the line accounts for, once the cameras
 * are past it by the join window and a text's claim distance (a passage or a text of it would
 * have come by then; all: the streams have ended), becomes a vehicle of its own, pending as any
 * other: it claims the texts on the line with it and takes over the first notice of it, and
 * goes out for review (no camera passed it) rather than be lost. */
static void resolve_sensed(lane_fusion *f, bool all)
{
    double start, end;
    while (lane_trigger_unresolved(f->trigger, &start, &end)) {
        if (!all && slowest_camera_time(f) < end + f->join_window + ASSIGN_CLAIM_S)
            return;
        lane_trigger_resolve(f->trigger, start);
        if (line_timeline_on_line_within(f->timeline, start - f->join_window,
                                         end + f->join_window))
            continue;
        line_vehicle probe;
        line_vehicle_init(&probe, LINE_PENDING, start, end, 1);
        crossing_notice *notice;
        int sign = sensed_direction(f, &probe, &notice);
        line_vehicle_clear(&probe);
        g_message("the lane's presence sensor reported a vehicle on the line at %.2f-%.2f s that "
                  "no camera passed: a crossing of its own%s",
                  start, end, notice ? ", told of by its first notice" : "");
        line_vehicle *v = line_timeline_add_sensed(f->timeline, start, end, sign);
        v->direction_guessed = notice == NULL;
        if (notice)
            crossing_notices_taken_over(f->notices, notice, v);
    }
}

static void decide_settled(lane_fusion *f, bool all)
{
    resolve_sensed(f, all);
    line_vehicle *p;
    while ((p = line_timeline_oldest_pending(f->timeline)) && (all || settled(f, p)))
        decide(f, p);
    assign_expire(f->pool, f->timeline, slowest_camera_time(f), all, publish_seen_by_reads, f);
    double horizon = forget_horizon(f);
    line_timeline_forget(f->timeline, horizon);
    lane_trigger_forget(f->trigger, horizon - f->join_window);
    unconfirm_settled_notices(f, all);
    if (f->provisional && !all)
        publish_provisionals(f);
}

/* A closed episode's texts go to the pool, each with its time on the line, whether the
 * episode is a passage or not: crossings claim them by that time. A passage joins a crossing;
 * an episode that came and went on one side is no crossing. */
static void episode_closed(lane_fusion *f, camera_episode *e)
{
    if (!e)
        return;
    const char *name = f->config->cameras[e->camera].name;
    guint n_texts = e->votes->len;
    crossing_notice *notice = f->notices ? crossing_notices_closed(f->notices, e) : NULL;
    text_pool_add_episode(f->pool, e);
    if (camera_episode_passed(e)) {
        g_debug("camera %s: passage %s, on the line %.2f-%.2f s (episode %.2f-%.2f s, %u texts, "
                "%d frames with two vehicles)",
                name, camera_episode_side_at_end(e) > 0 ? "positive" : "negative", e->line.t_cross,
                e->line.t_clear, e->t_first, e->t_last, n_texts, e->two_frames);
        notice_meets_vehicle(f, notice, line_timeline_add_passage(f->timeline, e));
    } else {
        g_debug("camera %s: episode %.2f-%.2f s ends on the side it came from: no passage", name,
                e->t_first, e->t_last);
        camera_episode_free(e);
    }
}

/* ---- public -------------------------------------------------------------------- */

lane_fusion *lane_fusion_new(const lane_config *config, double join_window, lane_crossing_fn fn,
                             void *user)
{
    lane_fusion *f = g_new0(lane_fusion, 1);
    f->config = config;
    f->join_window = join_window;
    f->fn = fn;
    f->user = user;
    f->provisional = config->provisional;
    f->timeline = line_timeline_new(config, join_window);
    f->pool = text_pool_new(config);
    if (f->provisional)
        f->notices = crossing_notices_new(config, join_window);
    f->trigger = lane_trigger_new(config->trigger.min_gap);
    for (int i = 0; i < config->n_cameras; i++)
        camera_track_init(&f->cams[i], &config->cameras[i], i, config->votes);
    return f;
}

void lane_fusion_free(lane_fusion *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->config->n_cameras; i++)
        camera_track_clear(&f->cams[i]);
    crossing_notices_free(f->notices);
    lane_trigger_free(f->trigger);
    line_timeline_free(f->timeline);
    text_pool_free(f->pool);
    g_free(f);
}

void lane_fusion_observe(lane_fusion *f, const lane_observation *o)
{
    if (o->camera < 0 || o->camera >= f->config->n_cameras)
        return;
    f->now = fmax(f->now, o->t);
    episode_closed(f, camera_track_observe(&f->cams[o->camera], o));
    decide_settled(f, false);
}

void lane_fusion_camera_done(lane_fusion *f, int camera, double t)
{
    if (camera < 0 || camera >= f->config->n_cameras)
        return;
    f->now = fmax(f->now, t);
    episode_closed(f, camera_track_end(&f->cams[camera], t));
    decide_settled(f, false);
}

void lane_fusion_trigger(lane_fusion *f, double t, bool present)
{
    if (!lane_trigger_report(f->trigger, t, present))
        g_message("lane trigger: '%s' at %.2f s ignored (the sensor said so already, or a later "
                  "report came first)",
                  present ? "present" : "gone", t);
}

void lane_fusion_camera_state(lane_fusion *f, int camera, double t, bool up)
{
    if (camera < 0 || camera >= f->config->n_cameras)
        return;
    if (up) {
        camera_track_up(&f->cams[camera], t);
        return;
    }
    episode_closed(f, camera_track_down(&f->cams[camera], t));
    decide_settled(f, false);
}

void lane_fusion_look(lane_fusion *f, const lane_observation *o)
{
    if (f->notices)
        crossing_notices_look(f->notices, o, f->timeline, publish_notice, f);
}

void lane_fusion_finish(lane_fusion *f)
{
    for (int i = 0; i < f->config->n_cameras; i++)
        episode_closed(f, camera_track_close(&f->cams[i]));
    decide_settled(f, true);
}
