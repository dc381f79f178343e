/*
 * lane_fusion.c — each camera (camera_track.c) hands its passages to the vehicles on the line
 * (line_timeline.c) and its texts to the pool; every text goes to the vehicle that was on the
 * line with it; a vehicle no camera can still change is decided, split if it held several,
 * and published with what each camera saw of it for its verdict (verdict.c) (see
 * lane_fusion.h). Owns the texts no vehicle has claimed yet, and their evidence frames until
 * the crossing is handed out.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "lane_fusion.h"

#include <math.h>
#include <string.h>

#include "camera_track.h"
#include "lane_text.h"
#include "line_timeline.h"
#include "verdict.h"

/* A crossing claims the texts whose time on the line (lane_text_line_time) lies within
 * CLAIM_S of its own time on the line and nearer to it than to any other vehicle on the
 * line; a text no crossing claimed within LOOSE_KEEP_S is given up (and logged). */
#define CLAIM_S 2.0
#define LOOSE_KEEP_S 30.0
/* A camera along the lane reads the plate of a vehicle coming towards it best after the
 * vehicle has left the line (it is nearer then): its episode on the line with a crossing is
 * waited for until this long after the vehicle left the line, even when the side cameras
 * measured it (generated lanes: such a vehicle stays in view 2.0-2.8 s longer, and its episode
 * closes 1.1 s after it left the view). */
#define ALONG_READ_S 5.0
/* A decided vehicle is kept on the timeline while a loose text may still be compared with it
 * (LOOSE_KEEP_S, and its texts as far again), or a passage still pending began before it. */
#define FORGET_S (2 * LOOSE_KEEP_S + 2 * CLAIM_S)
#define MAX_PARTS LANE_MAX_ITEMS

struct lane_fusion {
    const lane_config *config;
    double join_window;
    lane_crossing_fn fn;
    void *user;
    camera_track cams[LANE_MAX_CAMERAS];
    line_timeline *timeline; /* the vehicles on the line, pending and lately decided */
    GPtrArray *loose;        /* lane_text* of closed episodes that no crossing has claimed yet */
    double now;              /* the latest observation's time */
};

/* ---- crossings --------------------------------------------------------------- */

static lane_item item_from(const lane_fusion *f, lane_text *v)
{
    const lane_camera *cam = &f->config->cameras[v->camera];
    lane_item it = {.read = v->best,
                    .camera = cam->name,
                    .role = lane_role_name(cam->role),
                    .frames = v->frames,
                    .enough_votes = v->frames >= f->config->votes,
                    .evidence = v->evidence,
                    .evidence_t = v->evidence_t};
    v->evidence = NULL; /* ownership moves to the crossing */
    return it;
}

static bool is_fleet_number(const gatecv_read *r)
{
    return g_str_has_prefix(r->text, "AGV");
}

/* The frames that read plate v, and those of the camera's reads of only its end (a two-row
 * plate whose small top line was lost: "626SK" of "桂J626SK"), which support it too. */
static int plate_frames(GPtrArray *texts, const lane_text *v)
{
    int frames = v->frames;
    size_t len = strlen(v->best.text);
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *w = g_ptr_array_index(texts, i);
        size_t n = strlen(w->best.text);
        if (w != v && w->camera == v->camera && w->best.kind == READ_PLATE && n >= 4 && n < len &&
            strcmp(v->best.text + len - n, w->best.text) == 0)
            frames += w->frames;
    }
    return frames;
}

/* The plate of one camera: the text with most frames (valid first; plate_frames). Another
 * valid text that also reached the vote threshold means the camera disagrees with itself (two
 * vehicles on the line together, or a misread): it is listed after the first, never
 * dropped. */
static void decide_plates(const lane_fusion *f, GPtrArray *texts, int camera, lane_crossing *c,
                          bool *agv, bool *disagrees)
{
    lane_text *best = NULL;
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->best.kind != READ_PLATE || v->camera != camera)
            continue;
        if (is_fleet_number(&v->best)) {
            /* a fleet number read once, far off, may be the next vehicle's */
            *agv = *agv || v->frames >= f->config->votes;
            continue;
        }
        if (!best || (v->best.valid && !best->best.valid) ||
            (v->best.valid == best->best.valid &&
             plate_frames(texts, v) > plate_frames(texts, best)))
            best = v;
    }
    if (!best)
        return;
    if (c->n_plates < LANE_MAX_ITEMS)
        c->plates[c->n_plates++] = item_from(f, best);
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v != best && v->camera == camera && v->best.kind == READ_PLATE && v->best.valid &&
            !is_fleet_number(&v->best) && v->frames >= f->config->votes) {
            /* listed too, after the camera's own plate: the reviewer sees both */
            *disagrees = true;
            if (c->n_plates < LANE_MAX_ITEMS)
                c->plates[c->n_plates++] = item_from(f, v);
        }
    }
}

/* Container codes of all cameras: one item per code, frames added up. */
static void decide_containers(const lane_fusion *f, GPtrArray *texts, lane_crossing *c)
{
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->best.kind != READ_CONTAINER)
            continue;
        lane_item *same = NULL;
        for (int k = 0; k < c->n_containers && !same; k++)
            if (strcmp(c->containers[k].read.text, v->best.text) == 0)
                same = &c->containers[k];
        if (same) {
            int frames = same->frames + v->frames;
            if (v->best.confidence > same->read.confidence) {
                gcv_image_free(same->evidence);
                *same = item_from(f, v);
            }
            same->frames = frames;
            same->enough_votes = frames >= f->config->votes;
        } else if (c->n_containers < LANE_MAX_ITEMS) {
            c->containers[c->n_containers++] = item_from(f, v);
        }
    }
}

/* Whether another camera passed two vehicles within the episode e of camera i: e held two
 * vehicles close behind each other (verdict.c). */
static bool others_passed_two(const lane_fusion *f, int i, const camera_episode *e)
{
    for (int k = 0; k < f->config->n_cameras; k++)
        if (k != i && line_timeline_passages_within(f->timeline, k, e->t_first, e->t_last) >= 2)
            return true;
    return false;
}

/* Whether camera i was watching while the crossing was on the line. */
static bool camera_watching(const lane_fusion *f, int i, const line_vehicle *p)
{
    return camera_track_watching(&f->cams[i], p->t_start, p->t_end);
}

static int cameras_watching(const lane_fusion *f, const line_vehicle *p)
{
    int n = 0;
    for (int i = 0; i < f->config->n_cameras; i++)
        n += camera_watching(f, i, p);
    return n;
}

/* A vehicle is in every camera's lane ROI, so a passage that only one of several watching
 * cameras made, with nothing read in `votes` frames, is that camera's own: rain, a shadow, a
 * headlight's glare sweeping over the line (and a text read once near it, a misread). Such a
 * passage is logged and not published; one with a text read that often, or seen by two
 * cameras, always is. */
static bool lone_noise(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts)
{
    int with = 0, camera = -1;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        if (p->passages[i])
            with++, camera = i;
    bool read = false;
    for (guint i = 0; i < texts->len; i++)
        read = read || ((lane_text *)g_ptr_array_index(texts, i))->frames >= f->config->votes;
    if (with != 1 || read || cameras_watching(f, p) < 2)
        return false;
    g_message("camera %s: a passage at %.2f s that no other camera saw and with nothing read "
              "in %d frames: taken for noise, not a crossing",
              f->config->cameras[camera].name, p->t_cross, f->config->votes);
    return true;
}

static bool side_camera(const lane_fusion *f, int camera)
{
    return lane_role_can(f->config->cameras[camera].role, LANE_CAN_MEASURE_LENGTH);
}

/* The crossing time: a side camera's (it sees the front reach the line itself), else the
 * earliest. */
static double crossing_time(const lane_fusion *f, const line_vehicle *p)
{
    double t = p->t_cross;
    bool side = false;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        const camera_episode *e = p->passages[i];
        if (!e)
            continue;
        bool is_side = side_camera(f, i);
        if ((is_side && !side) || (is_side == side && e->line.t_cross < t))
            t = e->line.t_cross;
        side = side || is_side;
    }
    return t;
}

static void free_items(lane_crossing *c)
{
    for (int i = 0; i < c->n_plates; i++)
        gcv_image_free(c->plates[i].evidence);
    for (int i = 0; i < c->n_containers; i++)
        gcv_image_free(c->containers[i].evidence);
}

/* Whether another vehicle was nearer the line at time t than p's: a crossing still being
 * assembled, one decided lately, or the next vehicle, on the line in a camera's open
 * episode since after p's left it. A second look is no other vehicle. */
static bool nearer_vehicle(const lane_fusion *f, const line_vehicle *p, double t)
{
    if (line_timeline_nearer_other(f->timeline, p, t))
        return true;
    for (int i = 0; i < f->config->n_cameras; i++) {
        const camera_episode *e = f->cams[i].open;
        if (!e || !e->line.touched || e->line.t_touch <= p->span.end)
            continue;
        line_span next = {.start = e->line.t_touch, .end = fmax(e->line.t_off, e->line.t_touch)};
        if (line_span_nearer(&p->span, &next, t))
            return true;
    }
    return false;
}

/* Adds a claimed text, or its frames to the same text of the same camera (read in two of its
 * episodes): one camera reading one plate twice is no disagreement. */
static void add_text(GPtrArray *texts, lane_text *v)
{
    for (guint i = 0; i < texts->len; i++) {
        lane_text *same = g_ptr_array_index(texts, i);
        if (same->camera == v->camera && same->best.kind == v->best.kind &&
            strcmp(same->best.text, v->best.text) == 0) {
            lane_text_merge(same, v);
            return;
        }
    }
    g_ptr_array_add(texts, v);
}

/* The crossing's texts: those of every camera's closed episodes that were on the line within
 * CLAIM_S of this vehicle's time there and nearer to it than to any other vehicle. They
 * leave the loose pool. An episode may have held two vehicles; each text still goes to the
 * vehicle that carried it over the line. */
static GPtrArray *claim_texts(lane_fusion *f, const line_vehicle *p)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < f->loose->len;) {
        lane_text *v = g_ptr_array_index(f->loose, i);
        if (line_span_distance(&p->span, v->t_line) <= CLAIM_S && !nearer_vehicle(f, p, v->t_line))
            add_text(texts, g_ptr_array_steal_index(f->loose, i));
        else
            i++;
    }
    return texts;
}

static void give_up_text(const lane_fusion *f, lane_text *v, const char *why)
{
    g_message("camera %s: %s %s, read in %d frames, on the line at %.2f s, %s",
              f->config->cameras[v->camera].name,
              v->best.kind == READ_PLATE ? "plate" : "container code", v->best.text, v->frames,
              v->t_line, why);
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

static bool is_along_camera(const lane_fusion *f, int camera)
{
    return lane_role_can(f->config->cameras[camera].role, LANE_CAN_LOOK_ALONG);
}

static int compare_line_times(gconstpointer a, gconstpointer b)
{
    const lane_text *x = *(lane_text *const *)a, *y = *(lane_text *const *)b;
    return (x->t_line > y->t_line) - (x->t_line < y->t_line);
}

/* Where vehicle p, with its claimed texts, was in fact several one behind the other
 * (line_timeline_split): the evidence is the valid plates, with `votes` frames, that cameras
 * along the lane read of it (each marks the front of a vehicle coming towards the camera, its
 * reads moving down the image, or the rear of one going away), and the times on the line of
 * all its texts. Returns how many boundaries went into `bounds`; 0 for one vehicle. */
static int vehicle_bounds(const lane_fusion *f, const line_vehicle *p, GPtrArray *texts,
                          double bounds[MAX_PARTS - 1])
{
    line_plate_mark *plates = g_new(line_plate_mark, texts->len + 1);
    double *read_times = g_new(double, texts->len + 1);
    int n_plates = 0;
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        read_times[i] = v->t_line;
        if (is_along_camera(f, v->camera) && v->best.kind == READ_PLATE && v->best.valid &&
            !is_fleet_number(&v->best) && v->frames >= f->config->votes)
            plates[n_plates++] = (line_plate_mark){
                .camera = v->camera, .t_line = v->t_line, .towards = v->last_y > v->first_y};
    }
    int n = line_timeline_split(f->timeline, p, plates, n_plates, read_times, (int)texts->len,
                                bounds, MAX_PARTS - 1);
    g_free(read_times);
    g_free(plates);
    return n;
}

/* Notes the texts as published with vehicle p: a second sighting of them is no new vehicle. */
static void remember_published(line_vehicle *p, GPtrArray *texts)
{
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        line_vehicle_note_published(p, v->best.text, v->t_line);
    }
}

/* Whether the same text went out in a crossing near its time: a second sighting of a vehicle
 * already published (one that stopped and reversed, say). */
static bool published_lately(const lane_fusion *f, const lane_text *v)
{
    return line_timeline_published_near(f->timeline, v->best.text, v->t_line, LOOSE_KEEP_S);
}

/* The direction of a crossing that moved towards the tripwire's right (sign +1) or left. */
static lane_direction direction_of(const lane_fusion *f, int sign)
{
    lane_direction pos = f->config->positive;
    return sign > 0 ? pos : (pos == DIR_VN_TO_CN ? DIR_CN_TO_VN : DIR_VN_TO_CN);
}

/* The crossing's plates and codes from its texts (remembered as published); true if a
 * fleet number, read often enough, shows an AGV. */
static bool add_items(lane_fusion *f, line_vehicle *p, GPtrArray *texts, lane_crossing *c,
                      verdict_camera cams[LANE_MAX_CAMERAS])
{
    bool agv = false;
    for (int i = 0; i < f->config->n_cameras; i++)
        decide_plates(f, texts, i, c, &agv, &cams[i].disagrees);
    decide_containers(f, texts, c);
    remember_published(p, texts);
    return agv;
}

/* The cameras as the verdict sees them, before anything is known of the vehicle. */
static void verdict_cameras(const lane_fusion *f, verdict_camera cams[LANE_MAX_CAMERAS])
{
    for (int i = 0; i < f->config->n_cameras; i++)
        cams[i] = (verdict_camera){.name = f->config->cameras[i].name,
                                   .looks_along = is_along_camera(f, i)};
}

/* How each camera saw the crossing p's vehicle. */
static void passages_seen(const lane_fusion *f, const line_vehicle *p,
                          verdict_camera cams[LANE_MAX_CAMERAS])
{
    for (int i = 0; i < f->config->n_cameras; i++) {
        const camera_episode *e = p->passages[i];
        cams[i].watching = camera_watching(f, i, p);
        cams[i].passed = e != NULL;
        if (!e)
            continue;
        cams[i].two_vehicle_frames = e->two_frames;
        cams[i].others_passed_two = others_passed_two(f, i, e);
        cams[i].length_m = e->length_m;
        if (e->length_m > f->config->max_vehicle_m)
            g_debug("camera %s: the passage at %.2f s is %.1f m long", cams[i].name,
                    e->line.t_cross, e->length_m);
    }
}

/* Hands the crossing out with its verdict, and frees its items. */
static void emit(lane_fusion *f, lane_crossing *c, bool agv, verdict_vehicle *v)
{
    c->vehicle_kind = agv ? "agv" : c->n_containers > 0 ? "truck" : "unknown";
    v->plates = c->plates;
    v->n_plates = c->n_plates;
    v->containers = c->containers;
    v->n_containers = c->n_containers;
    v->n_cameras = f->config->n_cameras;
    v->max_vehicle_m = f->config->max_vehicle_m;
    lane_verdict verdict = verdict_of(v);
    G_STATIC_ASSERT(sizeof verdict.reasons == sizeof c->reasons);
    c->status = verdict.status;
    memcpy(c->reasons, verdict.reasons, sizeof c->reasons);
    c->n_reasons = verdict.n_reasons;
    f->fn(c, f->user);
    free_items(c);
}

/* Publishes one vehicle of the crossing: the texts on the line between lo and hi (the
 * whole crossing when it held one vehicle). */
static void publish(lane_fusion *f, line_vehicle *p, GPtrArray *texts, double lo, double hi,
                    bool split)
{
    lane_crossing c = {0};
    c.t_cross = crossing_time(f, p);
    c.t_decided = f->now;
    c.t_enter = c.t_cross;
    c.t_exit = c.t_cross;
    c.direction = direction_of(f, p->span.sign);
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        camera_episode *e = p->passages[i];
        if (!e)
            continue;
        c.t_enter = fmin(c.t_enter, e->t_first);
        c.t_exit = fmax(c.t_exit, e->t_last);
    }
    if (split) { /* this vehicle's share of the time */
        c.t_enter = fmax(c.t_enter, lo);
        c.t_exit = fmin(c.t_exit, hi);
        c.t_cross = isfinite(lo) ? lo : fmax(c.t_enter, fmin(p->span.start, c.t_exit));
    }
    GPtrArray *part = g_ptr_array_new();
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->t_line >= lo && v->t_line < hi) {
            g_ptr_array_add(part, v);
            /* the vehicle was in view whenever its plate or code was read (a truck that stopped
             * and reversed was read long before its last pass over the line) */
            c.t_enter = fmin(c.t_enter, split ? fmax(v->first_t, lo) : v->first_t);
            c.t_exit = fmax(c.t_exit, split ? fmin(v->last_t, hi) : v->last_t);
        }
    }
    if (!split && lone_noise(f, p, part)) {
        g_ptr_array_free(part, TRUE);
        return;
    }
    verdict_camera cams[LANE_MAX_CAMERAS];
    verdict_cameras(f, cams);
    bool agv = add_items(f, p, part, &c, cams);
    g_ptr_array_free(part, TRUE);
    passages_seen(f, p, cams);
    verdict_vehicle v = {
        .cameras = cams, .seen = true, .measured_one = p->span.one_vehicle, .split = split};
    emit(f, &c, agv, &v);
}

/* The crossing claims its texts and is published: as one vehicle, or as the several that
 * its plates show it held. */
static void decide(lane_fusion *f, line_vehicle *p)
{
    if (line_timeline_second_look(f->timeline, p)) {
        g_message("cameras along the lane passed the vehicle on the line at %.2f-%.2f s "
                  "again (or the other way): no second crossing",
                  p->span.start, p->span.end);
        line_timeline_settle(f->timeline, p, LINE_SECOND_LOOK);
        return;
    }
    /* decided first: a second look still pending then sees whose it is */
    line_timeline_settle(f->timeline, p, LINE_DECIDED);
    GPtrArray *texts = claim_texts(f, p);
    double bounds[MAX_PARTS - 1];
    int n = vehicle_bounds(f, p, texts, bounds);
    if (n > 0)
        g_message("the vehicle on the line at %.2f-%.2f s was %d vehicles: published as %d "
                  "crossings",
                  p->span.start, p->span.end, n + 1, n + 1);
    for (int k = 0; k <= n; k++)
        publish(f, p, texts, k > 0 ? bounds[k - 1] : -INFINITY, k < n ? bounds[k] : INFINITY,
                n > 0);
    g_ptr_array_free(texts, TRUE); /* the items own their evidence now */
}

/* A vehicle that no camera's passage showed but whose plate or code cameras read, in
 * `votes` frames or more, on the line at about the same time (the side cameras' episode of
 * two trucks close behind each other ended on the side it began, say): it is published for
 * review rather than lost, its direction the way its texts moved over the line. */
static void publish_unseen(lane_fusion *f, GPtrArray *texts)
{
    lane_crossing c = {0};
    const lane_text *first = g_ptr_array_index(texts, 0), *last = first;
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        first = v->t_line < first->t_line ? v : first;
        last = v->t_line > last->t_line ? v : last;
    }
    c.t_cross = c.t_enter = first->t_line;
    c.t_exit = last->t_line;
    c.t_decided = f->now;
    int sign = first->last_s >= first->first_s ? 1 : -1;
    c.direction = direction_of(f, sign);
    line_vehicle *p = line_timeline_add_seen_by_reads(f->timeline, c.t_enter, c.t_exit, sign);
    verdict_camera cams[LANE_MAX_CAMERAS];
    verdict_cameras(f, cams);
    bool agv = add_items(f, p, texts, &c, cams);
    verdict_vehicle v = {.cameras = cams, .seen = false}; /* so never verified */
    g_message("plate or code read at %.2f s with no vehicle seen on the line: published for "
              "review",
              c.t_cross);
    emit(f, &c, agv, &v);
}

/* Texts that no crossing claimed for LOOSE_KEEP_S of every camera's time (or at the end):
 * a valid one, or an AGV's fleet number (no plate grammar fits it), with `votes` frames, not
 * near a crossing already published and not gone out already, is a vehicle no passage showed
 * (publish_unseen, grouped by their time on the line); the rest are logged and dropped. */
static void expire_loose(lane_fusion *f, bool all)
{
    double before = slowest_camera_time(f) - LOOSE_KEEP_S;
    GPtrArray *unseen = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < f->loose->len;) {
        lane_text *v = g_ptr_array_index(f->loose, i);
        if (!all && (v->t_line >= before ||
                     line_timeline_near(f->timeline, LINE_PENDING, v->t_line, CLAIM_S))) {
            i++;
        } else if (published_lately(f, v)) {
            give_up_text(f, v, "near no crossing, but published with one lately");
            g_ptr_array_remove_index(f->loose, i);
        } else if (line_timeline_near(f->timeline, LINE_DECIDED, v->t_line, CLAIM_S)) {
            give_up_text(f, v, "read after its crossing was published");
            g_ptr_array_remove_index(f->loose, i);
        } else if ((v->best.valid || is_fleet_number(&v->best)) && v->frames >= f->config->votes) {
            g_ptr_array_add(unseen, g_ptr_array_steal_index(f->loose, i));
        } else {
            give_up_text(f, v, "near no crossing: not published");
            g_ptr_array_remove_index(f->loose, i);
        }
    }
    g_ptr_array_sort(unseen, compare_line_times);
    while (unseen->len > 0) {
        GPtrArray *group = g_ptr_array_new_with_free_func(lane_text_free);
        const lane_text *head = g_ptr_array_index(unseen, 0);
        double t0 = head->t_line;
        while (unseen->len > 0 &&
               ((lane_text *)g_ptr_array_index(unseen, 0))->t_line - t0 <= CLAIM_S)
            add_text(group, g_ptr_array_steal_index(unseen, 0));
        publish_unseen(f, group);
        g_ptr_array_free(group, TRUE);
    }
    g_ptr_array_free(unseen, TRUE);
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
        (side_camera(f, camera) || !p->span.measured ||
         (camera_episode_coming_closer(e) && f->cams[camera].last_t < p->span.end + ALONG_READ_S)))
        return true;
    for (guint i = 0; i < e->votes->len; i++) {
        const lane_text *v = g_ptr_array_index(e->votes, i);
        double t = lane_text_line_time(v);
        /* one last read on the side the episode came from reaches the line later than now */
        if (!v->crossed && e->line.side_from != 0 && (v->last_s < 0 ? -1 : 1) == e->line.side_from)
            t = fmax(t, f->cams[camera].last_t);
        if (line_span_distance(&p->span, t) <= CLAIM_S)
            return true;
    }
    return false;
}

/* A crossing is decided once no camera can still add to it, or change what it means.
 * A camera that joined it has nothing more to give once its passage is closed (its texts are
 * in the pool); one that did not join must also have seen past the join window and as far
 * as a text on the line with the vehicle may lie from it; an ended camera gives nothing. An episode still open
 * matters only as open_episode_matters says: the next vehicle coming into a front view,
 * not yet on the line, does not hold the crossing back. */
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
        double need = p->passages[i] ? span_end : fmax(until, p->span.end + CLAIM_S);
        if (s->last_t < need || open_episode_matters(f, p, i, until))
            return false;
    }
    return true;
}

/* Before when nothing can ask about a decided vehicle any more: a loose text is compared with
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

static void decide_settled(lane_fusion *f, bool all)
{
    line_vehicle *p;
    while ((p = line_timeline_oldest_pending(f->timeline)) && (all || settled(f, p)))
        decide(f, p);
    expire_loose(f, all);
    line_timeline_forget(f->timeline, forget_horizon(f));
}

/* A closed episode's texts go to the loose pool, each with its time on the line, whether the
 * episode is a passage or not: crossings claim them by that time. A passage joins a crossing;
 * an episode that came and went on one side is no crossing. */
static void episode_closed(lane_fusion *f, camera_episode *e)
{
    if (!e)
        return;
    const char *name = f->config->cameras[e->camera].name;
    guint n_texts = e->votes->len;
    camera_episode_move_texts(e, f->loose);
    if (camera_episode_passed(e)) {
        g_debug("camera %s: passage %s, on the line %.2f-%.2f s (episode %.2f-%.2f s, %u texts)",
                name, camera_episode_side_at_end(e) > 0 ? "positive" : "negative", e->line.t_cross,
                e->line.t_clear, e->t_first, e->t_last, n_texts);
        line_timeline_add_passage(f->timeline, e);
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
    f->timeline = line_timeline_new(config, join_window);
    f->loose = g_ptr_array_new_with_free_func(lane_text_free);
    for (int i = 0; i < config->n_cameras; i++)
        camera_track_init(&f->cams[i], &config->cameras[i], i);
    return f;
}

void lane_fusion_free(lane_fusion *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->config->n_cameras; i++)
        camera_track_clear(&f->cams[i]);
    line_timeline_free(f->timeline);
    g_ptr_array_free(f->loose, TRUE);
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

void lane_fusion_finish(lane_fusion *f)
{
    for (int i = 0; i < f->config->n_cameras; i++)
        episode_closed(f, camera_track_close(&f->cams[i]));
    decide_settled(f, true);
}
