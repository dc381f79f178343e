/*
 * lane_fusion.c — camera episodes, tripwire passages, joining them into crossings, giving
 * each text read (lane_text.c) to the vehicle on the line with it, and what each camera saw
 * of the vehicle for its verdict (verdict.c) (see lane_fusion.h). Owns every episode, text
 * and evidence frame until the crossing is handed out.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "lane_fusion.h"

#include <math.h>
#include <string.h>

#include "lane_text.h"
#include "verdict.h"

/* How one episode's motion boxes met the tripwire. */
typedef struct {
    double t_begin; /* its first box */
    int side_from;  /* -1 / +1: the side of the tripwire it came from; 0 = not yet */
    int side_now;   /* -1 / +1 wholly on a side, 0 over the line */
    int centre_now; /* -1 / +1: the side of the box's centre */
    double t_cross; /* when the box last reached the line from side_from */
    double t_clear; /* the last moment the box was over the line or past it */
    double t_touch; /* the first moment it was over the line */
    double t_off;   /* the last moment it was over the line (or first wholly past it) */
    bool touched;   /* it has been over the line (or past it) */
} line_track;

/* One camera's motion episode; a passage once it has crossed the tripwire. */
typedef struct {
    int camera;
    double t_first, t_last;
    /* How its motion box met the tripwire. When the first box was already over the line (the
     * gate opened late: at night only a truck's lit rear may move in the view), the side it
     * came from is a guess, its centre's; `other` then follows the boxes from the first one
     * wholly on the other side, for the vehicle that came from there after all. */
    line_track line, other;
    bool first_over;                 /* the first box was over the line */
    float first_bottom, last_bottom; /* the motion box's lower edge, first and latest */
    int two_frames;   /* frames in which two vehicles with road between them were in view */
    GPtrArray *votes; /* lane_text*, one per text read */
    /* The speed along the lane (cameras with metres_per_pixel): the motion box's edges in the
     * previous moving frame, and every edge movement seen since, in pixels per second. */
    bool has_edges;
    float prev_lo, prev_hi;
    double prev_t;
    GArray *edge_speeds; /* float */
    double length_m;     /* passage_length_m, once the episode has closed */
} episode;

/* When a crossing's vehicle was on the line, and who saw it: for the texts and passages
 * that come after it was decided. */
typedef struct {
    double start, end;
    int sign;
    bool from_side;
    bool measured;    /* its side passages were measured (their cameras' scale is known) */
    bool one_vehicle; /* and none was longer than a vehicle */
    unsigned cameras; /* bit i: camera i made a passage */
} line_span;

/* A crossing being assembled from the passages of several cameras. [t_start, t_end] is
 * the union of its passages' time over the line. */
typedef struct {
    double t_cross;
    double t_start, t_end;
    double line_start, line_end; /* when the vehicle was on the line (side cameras first) */
    bool line_from_side;         /* line_start..line_end come from a side camera */
    int sign;                    /* +1: positive direction */
    episode *passages[LANE_MAX_CAMERAS];
    line_span span; /* span_of(this), brought up to date by add_passage alone */
} pending;

#define PASSAGE_HISTORY 64
/* A camera's gate can close for a moment in the middle of a vehicle (a low-contrast
 * container at night passing between its cab and its rear): motion again within this many
 * seconds of its last moving frame continues the same episode instead of starting a second
 * passage. */
#define EPISODE_GAP_S 0.6
/* Two of a frame's motion blobs are two vehicles, not two parts of one, when each reaches
 * this far across the lane (of the tripwire's length inside the ROI) and their extents along
 * the direction of travel lie this many pixels apart (verdict.c decides how many such frames
 * an episode may show). */
#define TWO_REACH 0.4f
#define TWO_GAP_PX 80.0f
/* A box edge this close to the border of the camera's view is held there by it, not by the
 * vehicle; and frames further apart than SPEED_MAX_DT give no speed sample. */
#define EDGE_BORDER_PX 8.0f
#define SPEED_MAX_DT 0.2
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
#define DECIDED_HISTORY 8
#define PUBLISHED_HISTORY 64
/* Plates of one camera this far apart on the line are two vehicles, not a misread; the
 * boundary between the vehicles lies SPLIT_MARGIN_S inside the later one's front (or past
 * the earlier one's rear). */
#define SPLIT_MIN_S 1.0
#define SPLIT_MARGIN_S 0.5
#define MAX_PARTS LANE_MAX_ITEMS

typedef struct {
    episode *open;
    double first_t, last_t; /* first and latest observation (first_t < 0: none yet) */
    bool done;
    double done_t;                    /* when it ended, if done */
    double passages[PASSAGE_HISTORY]; /* crossing times of its recent passages (a ring) */
    int n_passages;
    float seen_lo, seen_hi; /* the furthest motion boxes reached along the lane */
} camera_state;

struct lane_fusion {
    const lane_config *config;
    double join_window;
    lane_crossing_fn fn;
    void *user;
    camera_state cams[LANE_MAX_CAMERAS];
    GPtrArray *pending; /* pending*, oldest first */
    GPtrArray *loose;   /* lane_text* of closed episodes that no crossing has claimed yet */
    line_span decided[DECIDED_HISTORY]; /* the latest crossings decided */
    int n_decided;
    struct {
        char text[GATECV_READ_TEXT];
        double t_line;
    } published[PUBLISHED_HISTORY]; /* the latest texts published, a ring */
    int n_published;
    double now; /* the latest observation's time */
};

/* ---- episodes and votes ---------------------------------------------------- */

static episode *episode_new(int camera, double t)
{
    episode *e = g_new0(episode, 1);
    e->camera = camera;
    e->t_first = e->t_last = t;
    e->votes = g_ptr_array_new_with_free_func(lane_text_free);
    e->edge_speeds = g_array_new(FALSE, FALSE, sizeof(float));
    return e;
}

static void episode_free(episode *e)
{
    if (!e)
        return;
    g_ptr_array_free(e->votes, TRUE);
    g_array_free(e->edge_speeds, TRUE);
    g_free(e);
}

/* Whether the frame shows two vehicles with road between them: two blobs that each reach
 * TWO_REACH across the lane, TWO_GAP_PX apart along it (after joining the blobs that overlap
 * or nearly touch along it: the parts of one vehicle). */
static bool two_vehicles_in_view(const lane_camera *cam, const lane_observation *o)
{
    int n = MIN(o->n_blobs, LANE_MAX_BLOBS);
    float ax, ay;
    if (n < 2 || !tripwire_axis(&cam->tripwire, &ax, &ay))
        return false;
    float lo[LANE_MAX_BLOBS], hi[LANE_MAX_BLOBS], reach[LANE_MAX_BLOBS];
    for (int i = 0; i < n; i++) {
        tripwire_box_extent(&o->blobs[i], ax, ay, &lo[i], &hi[i]);
        float a, b;
        tripwire_box_extent(&o->blobs[i], ay, -ax, &a, &b); /* across the lane */
        reach[i] = b - a;
    }
    for (int i = 0; i < n; i++) /* join what overlaps or nearly touches along the lane */
        for (int k = i + 1; k < n; k++) {
            if (fmaxf(lo[i], lo[k]) - fminf(hi[i], hi[k]) >= TWO_GAP_PX)
                continue;
            /* the union's reach across: at least the larger, at most the sum */
            reach[i] = fmaxf(reach[i], reach[k]);
            lo[i] = fminf(lo[i], lo[k]);
            hi[i] = fmaxf(hi[i], hi[k]);
            n--;
            lo[k] = lo[n], hi[k] = hi[n], reach[k] = reach[n];
            k = i;
        }
    float min_reach = TWO_REACH * tripwire_lane_width(&cam->tripwire, &cam->roi);
    int vehicles = 0;
    for (int i = 0; i < n; i++)
        vehicles += reach[i] >= min_reach;
    return vehicles >= 2;
}

/* One box of a track: `side` where the box is (-1 / +1 wholly on a side, 0 over the line),
 * `centre` the side of its centre. The first box sets the side the track came from. */
static void line_track_step(line_track *k, int side, int centre, double t)
{
    k->centre_now = centre;
    if (k->side_from == 0) {
        k->side_from = side != 0 ? side : centre; /* first seen over the line: a guess */
        k->t_begin = k->t_cross = k->t_clear = t;
    }
    if (k->side_now == k->side_from && side != k->side_from)
        k->t_cross = t; /* the leading edge reaches the line */
    if (side != k->side_from) {
        k->t_clear = t; /* over the line, or just past it */
        if (!k->touched)
            k->t_touch = t;
        k->touched = true;
    }
    if (side == 0 || (side != k->side_from && side != k->side_now))
        k->t_off = t;
    k->side_now = side;
}

static void track_box(episode *e, const lane_line *w, const lane_observation *o)
{
    const lane_box box = {o->x, o->y, o->width, o->height};
    int side = tripwire_box_side(w, &box);
    int centre = tripwire_point_side(w, o->x + o->width / 2, o->y + o->height / 2);
    e->last_bottom = o->y + o->height;
    if (e->line.side_from == 0) { /* the episode's first box */
        e->first_bottom = e->last_bottom;
        e->first_over = side == 0;
    }
    line_track_step(&e->line, side, centre, o->t);
    if (e->first_over && (e->other.side_from != 0 || side == -e->line.side_from))
        line_track_step(&e->other, side, centre, o->t);
}

/* Where the camera's view of the lane begins and ends along the axis: its ROI, or without
 * one the furthest any motion box has reached. */
static void view_extent(const lane_camera *cam, const camera_state *s, float ax, float ay,
                        float *lo, float *hi)
{
    if (cam->roi.width > 0 && cam->roi.height > 0) {
        lane_box roi = {(float)cam->roi.x, (float)cam->roi.y, (float)cam->roi.width,
                        (float)cam->roi.height};
        tripwire_box_extent(&roi, ax, ay, lo, hi);
    } else {
        *lo = s->seen_lo;
        *hi = s->seen_hi;
    }
}

static bool inside_view(float edge, float view_lo, float view_hi)
{
    return edge > view_lo + EDGE_BORDER_PX && edge < view_hi - EDGE_BORDER_PX;
}

/* One speed sample per box edge that moved freely since the previous moving frame (not held
 * by the border of the view), in pixels per second along the direction of travel. */
static void measure_speed(episode *e, const lane_camera *cam, camera_state *s,
                          const lane_observation *o)
{
    float ax, ay, lo, hi, view_lo, view_hi;
    if (cam->metres_per_pixel <= 0 || e->line.side_from == 0 ||
        !tripwire_axis(&cam->tripwire, &ax, &ay))
        return;
    const lane_box box = {o->x, o->y, o->width, o->height};
    tripwire_box_extent(&box, ax, ay, &lo, &hi);
    s->seen_lo = fminf(s->seen_lo, lo);
    s->seen_hi = fmaxf(s->seen_hi, hi);
    view_extent(cam, s, ax, ay, &view_lo, &view_hi);
    double dt = o->t - e->prev_t;
    if (e->has_edges && dt > 0 && dt <= SPEED_MAX_DT) {
        float travel = (float)-e->line.side_from; /* away from the side it came from */
        const float edges[2][2] = {{e->prev_lo, lo}, {e->prev_hi, hi}};
        for (int i = 0; i < 2; i++)
            if (inside_view(edges[i][0], view_lo, view_hi) &&
                inside_view(edges[i][1], view_lo, view_hi)) {
                float speed = travel * (edges[i][1] - edges[i][0]) / (float)dt;
                g_array_append_val(e->edge_speeds, speed);
            }
    }
    e->has_edges = true;
    e->prev_lo = lo;
    e->prev_hi = hi;
    e->prev_t = o->t;
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* How long the passage was, in metres: the median speed of its box's edges times the time
 * from its first touching the line to its last (0: not measured). A vehicle that
 * stops on the line keeps the median low, so waiting makes it no longer; two vehicles close
 * behind each other, one episode, are measured together, also when the box left the line
 * between them (at night only lit parts move). */
static double passage_length_m(const lane_camera *cam, const episode *e)
{
    guint n = e->edge_speeds->len;
    if (cam->metres_per_pixel <= 0 || n == 0 || !e->line.touched)
        return 0;
    float *speeds = g_memdup2(e->edge_speeds->data, n * sizeof(float));
    qsort(speeds, n, sizeof(float), compare_floats);
    double median = n % 2 ? speeds[n / 2] : (speeds[n / 2 - 1] + speeds[n / 2]) / 2.0;
    g_free(speeds);
    return fmax(0, median) * (e->line.t_off - e->line.t_touch) * cam->metres_per_pixel;
}

/* The side a track ends on: where the box is, or where its centre is if over the line. */
static int track_end_side(const line_track *k)
{
    return k->side_now != 0 ? k->side_now : k->centre_now;
}

static int side_at_end(const episode *e)
{
    return track_end_side(&e->line);
}

/* Whether the track crossed the line: it ended on the side opposite the one it came from. */
static bool track_passed(const line_track *k)
{
    return k->side_from != 0 && track_end_side(k) == -k->side_from;
}

/* An episode first seen over the line that ended on the side its centre was on then, but was
 * wholly on the other side meanwhile, came from that other side: a truck's unlit front was
 * past the line when its lit rear, still before it, began to move in the view, then came up
 * to the line and over it. Its passage is the other track's, from its first box (an episode
 * of a camera along the lane can begin with the tail of the vehicle before); its edge speeds
 * were measured against the guessed direction. */
static void take_other_side(episode *e)
{
    if (!e->first_over || track_passed(&e->line) || !track_passed(&e->other))
        return;
    e->line = e->other;
    e->t_first = e->other.t_begin; /* before, the episode held something else over the line */
    for (guint i = 0; i < e->edge_speeds->len; i++)
        g_array_index(e->edge_speeds, float, i) *= -1;
}

static void add_vote(episode *e, const lane_camera *cam, const gatecv_read *r,
                     const gcv_image *frame, double t)
{
    lane_text *v = NULL;
    for (guint i = 0; i < e->votes->len && !v; i++) {
        lane_text *c = g_ptr_array_index(e->votes, i);
        if (c->best.kind == r->kind && strcmp(c->best.text, r->text) == 0)
            v = c;
    }
    if (!v) {
        v = lane_text_new(e->camera);
        g_ptr_array_add(e->votes, v);
    }
    lane_text_add(v, r, lane_text_offset(&cam->tripwire, r), frame, t);
}

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
static bool others_passed_two(const lane_fusion *f, int i, const episode *e)
{
    for (int k = 0; k < f->config->n_cameras; k++) {
        const camera_state *other = &f->cams[k];
        int n = MIN(other->n_passages, PASSAGE_HISTORY), within = 0;
        for (int j = 0; k != i && j < n; j++)
            within += other->passages[j] >= e->t_first && other->passages[j] <= e->t_last;
        if (within >= 2)
            return true;
    }
    return false;
}

/* Whether camera i was watching while the crossing was on the line. */
static bool camera_watching(const lane_fusion *f, int i, const pending *p)
{
    const camera_state *s = &f->cams[i];
    return s->first_t >= 0 && s->first_t <= p->t_end && (!s->done || s->done_t >= p->t_start);
}

static int cameras_watching(const lane_fusion *f, const pending *p)
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
static bool lone_noise(const lane_fusion *f, const pending *p, GPtrArray *texts)
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
static double crossing_time(const lane_fusion *f, const pending *p)
{
    double t = p->t_cross;
    bool side = false;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        const episode *e = p->passages[i];
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

/* How long two time spans overlap, in seconds (negative: the gap between them). */
static double overlap(double a0, double a1, double b0, double b1)
{
    return fmin(a1, b1) - fmax(a0, b0);
}

/* How far t lies outside [a, b] (0 inside). */
static double span_distance(double t, double a, double b)
{
    return t < a ? a - t : t > b ? t - b : 0;
}

/* Whether a vehicle on the line from a1 to b1 is nearer to time t than one from a0 to b0:
 * by how far t lies outside each, then (both holding it) by the distance to the middle. */
static bool nearer(double t, double a0, double b0, double a1, double b1)
{
    double d0 = span_distance(t, a0, b0), d1 = span_distance(t, a1, b1);
    if (d0 != d1)
        return d1 < d0;
    return fabs(t - (a1 + b1) / 2) < fabs(t - (a0 + b0) / 2);
}

static line_span span_of(const lane_fusion *f, const pending *p)
{
    line_span s = {p->line_start, p->line_end, p->sign, p->line_from_side, false, false, 0};
    int measured = 0, longer = 0;
    for (int i = 0; i < f->config->n_cameras; i++) {
        if (!p->passages[i])
            continue;
        s.cameras |= 1u << i;
        double length = side_camera(f, i) ? p->passages[i]->length_m : 0;
        measured += length > 0;
        longer += length > f->config->max_vehicle_m;
    }
    s.measured = measured > 0;
    s.one_vehicle = s.measured && longer == 0;
    return s;
}

/* Whether the crossing is only another look of cameras along the lane at a vehicle that the
 * side cameras saw on the line: no side camera passed it, and while it was on the line the
 * side cameras of a crossing measured one vehicle there, either
 *  - going the same way, in a crossing that already has a passage of the same camera (which
 *    saw a truck's cab and trailer apart, or lost it for a moment), or
 *  - going the other way: the lane carries one vehicle over the line at a time, and a camera
 *    along it whose one episode held the tail of a vehicle leaving and the next one coming
 *    the other way took the first's start and the second's end for a passage.
 * Its texts go to the vehicle they were on the line with; it is not published. (Without a
 * measured length it may be the second of two vehicles close behind each other, and is
 * published.) */
static bool second_look(const lane_fusion *f, const pending *p)
{
    if (p->line_from_side)
        return false;
    line_span mine = p->span;
    for (guint i = 0; i < f->pending->len + (guint)MIN(f->n_decided, DECIDED_HISTORY); i++) {
        bool pending_one = i < f->pending->len;
        if (pending_one && g_ptr_array_index(f->pending, i) == p)
            continue;
        line_span q = pending_one ? ((const pending *)g_ptr_array_index(f->pending, i))->span
                                  : f->decided[i - f->pending->len];
        if (q.from_side && q.one_vehicle && mine.start <= q.end && mine.end >= q.start &&
            (q.sign != mine.sign || (q.cameras & mine.cameras)))
            return true;
    }
    return false;
}

/* Whether another vehicle was nearer the line at time t than p's: a crossing still being
 * assembled, one decided lately, or the next vehicle, on the line in a camera's open
 * episode since after p's left it. A second look is no other vehicle. */
static bool nearer_vehicle(const lane_fusion *f, const pending *p, double t)
{
    const double a = p->line_start, b = p->line_end;
    for (guint i = 0; i < f->pending->len; i++) {
        const pending *q = g_ptr_array_index(f->pending, i);
        if (q != p && nearer(t, a, b, q->line_start, q->line_end) && !second_look(f, q))
            return true;
    }
    for (int i = 0; i < MIN(f->n_decided, DECIDED_HISTORY); i++)
        if (nearer(t, a, b, f->decided[i].start, f->decided[i].end))
            return true;
    for (int i = 0; i < f->config->n_cameras; i++) {
        const episode *e = f->cams[i].open;
        if (e && e->line.touched && e->line.t_touch > b &&
            nearer(t, a, b, e->line.t_touch, fmax(e->line.t_off, e->line.t_touch)))
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
static GPtrArray *claim_texts(lane_fusion *f, const pending *p)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < f->loose->len;) {
        lane_text *v = g_ptr_array_index(f->loose, i);
        if (span_distance(v->t_line, p->line_start, p->line_end) <= CLAIM_S &&
            !nearer_vehicle(f, p, v->t_line))
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

/* Whether a crossing still to be decided may claim a text on the line at time t. */
static bool near_pending(const lane_fusion *f, double t)
{
    for (guint i = 0; i < f->pending->len; i++) {
        const pending *p = g_ptr_array_index(f->pending, i);
        if (span_distance(t, p->line_start, p->line_end) <= CLAIM_S)
            return true;
    }
    return false;
}

/* Whether a crossing already published was on the line within CLAIM_S of time t. */
static bool near_decided(const lane_fusion *f, double t)
{
    for (int i = 0; i < MIN(f->n_decided, DECIDED_HISTORY); i++)
        if (span_distance(t, f->decided[i].start, f->decided[i].end) <= CLAIM_S)
            return true;
    return false;
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

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int compare_line_times(gconstpointer a, gconstpointer b)
{
    const lane_text *x = *(lane_text *const *)a, *y = *(lane_text *const *)b;
    return (x->t_line > y->t_line) - (x->t_line < y->t_line);
}

/* Where one crossing holds several vehicles one after another: a camera along the lane read
 * a different valid plate, with `votes` frames, for each, SPLIT_MIN_S or more apart on the
 * line. Each plate marks one end of its vehicle — the front if it came towards the camera
 * (its reads moved down the image), the rear if it went away — so the boundary lies just
 * before the later front, or just after the earlier rear. Returns how many boundaries
 * (ascending) went into `bounds`; 0 for one vehicle. */
static int vehicle_bounds(const lane_fusion *f, GPtrArray *texts, double bounds[MAX_PARTS - 1])
{
    int n_best = 0;
    for (int cam = 0; cam < f->config->n_cameras; cam++) {
        if (!is_along_camera(f, cam))
            continue;
        GPtrArray *plates = g_ptr_array_new();
        for (guint i = 0; i < texts->len; i++) {
            lane_text *v = g_ptr_array_index(texts, i);
            if (v->camera == cam && v->best.kind == READ_PLATE && v->best.valid &&
                !is_fleet_number(&v->best) && v->frames >= f->config->votes)
                g_ptr_array_add(plates, v);
        }
        g_ptr_array_sort(plates, compare_line_times);
        double found[MAX_PARTS - 1];
        int n = 0;
        for (guint i = 1; i < plates->len && n < MAX_PARTS - 1; i++) {
            const lane_text *a = g_ptr_array_index(plates, i - 1),
                            *b = g_ptr_array_index(plates, i);
            if (b->t_line - a->t_line < SPLIT_MIN_S)
                continue;
            bool towards = b->last_y > b->first_y;
            found[n++] = towards ? b->t_line - SPLIT_MARGIN_S : a->t_line + SPLIT_MARGIN_S;
        }
        g_ptr_array_free(plates, TRUE);
        qsort(found, (size_t)n, sizeof(double), compare_doubles);
        if (n > n_best) {
            n_best = n;
            memcpy(bounds, found, sizeof(double) * (size_t)n);
        }
    }
    return n_best;
}

/* Whether another crossing, still being assembled (not a second look) or decided lately, was
 * on the line while p's vehicle was (p's own span is the latest decided). */
static bool shares_the_line(const lane_fusion *f, const pending *p)
{
    for (guint i = 0; i < f->pending->len; i++) {
        const pending *q = g_ptr_array_index(f->pending, i);
        if (q != p && overlap(q->line_start, q->line_end, p->line_start, p->line_end) >= 0 &&
            !second_look(f, q))
            return true;
    }
    int own = (f->n_decided - 1) % DECIDED_HISTORY;
    for (int i = 0; i < MIN(f->n_decided, DECIDED_HISTORY); i++)
        if (i != own &&
            overlap(f->decided[i].start, f->decided[i].end, p->line_start, p->line_end) >= 0)
            return true;
    return false;
}

/* Where a crossing whose side cameras measured it longer than a vehicle held two, when no
 * camera along the lane read a plate for each (vehicle_bounds) and no other crossing was on
 * the line with it: in the middle of the widest gap, SPLIT_MIN_S or more, between its texts'
 * times on the line (two trucks close behind each other, the second's plate unread: the
 * first's plates on one side, the second's codes on the other). False if there is none. */
static bool overlong_bound(const lane_fusion *f, const pending *p, GPtrArray *texts, double *bound)
{
    line_span span = p->span;
    if (!span.measured || span.one_vehicle || texts->len < 2 || shares_the_line(f, p))
        return false;
    GPtrArray *sorted = g_ptr_array_copy(texts, NULL, NULL);
    g_ptr_array_set_free_func(sorted, NULL); /* the copy only borrows the texts */
    g_ptr_array_sort(sorted, compare_line_times);
    double widest = 0;
    for (guint i = 1; i < sorted->len; i++) {
        const lane_text *a = g_ptr_array_index(sorted, i - 1), *b = g_ptr_array_index(sorted, i);
        if (b->t_line - a->t_line >= SPLIT_MIN_S && b->t_line - a->t_line > widest) {
            widest = b->t_line - a->t_line;
            *bound = (a->t_line + b->t_line) / 2;
        }
    }
    g_ptr_array_free(sorted, TRUE);
    return widest > 0;
}

static void remember_published(lane_fusion *f, GPtrArray *texts)
{
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        int k = f->n_published++ % PUBLISHED_HISTORY;
        g_strlcpy(f->published[k].text, v->best.text, sizeof f->published[k].text);
        f->published[k].t_line = v->t_line;
    }
}

/* Whether the same text went out in a crossing near its time: a second sighting of a vehicle
 * already published (one that stopped and reversed, say). */
static bool published_lately(const lane_fusion *f, const lane_text *v)
{
    for (int i = 0; i < MIN(f->n_published, PUBLISHED_HISTORY); i++)
        if (strcmp(f->published[i].text, v->best.text) == 0 &&
            fabs(f->published[i].t_line - v->t_line) <= LOOSE_KEEP_S)
            return true;
    return false;
}

/* The direction of a crossing that moved towards the tripwire's right (sign +1) or left. */
static lane_direction direction_of(const lane_fusion *f, int sign)
{
    lane_direction pos = f->config->positive;
    return sign > 0 ? pos : (pos == DIR_VN_TO_CN ? DIR_CN_TO_VN : DIR_VN_TO_CN);
}

/* The crossing's plates and codes from its texts (remembered as published); true if a
 * fleet number, read often enough, shows an AGV. */
static bool add_items(lane_fusion *f, GPtrArray *texts, lane_crossing *c,
                      verdict_camera cams[LANE_MAX_CAMERAS])
{
    bool agv = false;
    for (int i = 0; i < f->config->n_cameras; i++)
        decide_plates(f, texts, i, c, &agv, &cams[i].disagrees);
    decide_containers(f, texts, c);
    remember_published(f, texts);
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
static void passages_seen(const lane_fusion *f, const pending *p,
                          verdict_camera cams[LANE_MAX_CAMERAS])
{
    for (int i = 0; i < f->config->n_cameras; i++) {
        const episode *e = p->passages[i];
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
static void publish(lane_fusion *f, const pending *p, GPtrArray *texts, double lo, double hi,
                    bool split)
{
    lane_crossing c = {0};
    c.t_cross = crossing_time(f, p);
    c.t_decided = f->now;
    c.t_enter = c.t_cross;
    c.t_exit = c.t_cross;
    c.direction = direction_of(f, p->sign);
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        episode *e = p->passages[i];
        if (!e)
            continue;
        c.t_enter = fmin(c.t_enter, e->t_first);
        c.t_exit = fmax(c.t_exit, e->t_last);
    }
    if (split) { /* this vehicle's share of the time */
        c.t_enter = fmax(c.t_enter, lo);
        c.t_exit = fmin(c.t_exit, hi);
        c.t_cross = isfinite(lo) ? lo : fmax(c.t_enter, fmin(p->line_start, c.t_exit));
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
    bool agv = add_items(f, part, &c, cams);
    g_ptr_array_free(part, TRUE);
    passages_seen(f, p, cams);
    verdict_vehicle v = {
        .cameras = cams, .seen = true, .measured_one = p->span.one_vehicle, .split = split};
    emit(f, &c, agv, &v);
}

/* The crossing claims its texts and is published: as one vehicle, or as the several that
 * its plates show it held. */
static void decide(lane_fusion *f, pending *p)
{
    if (second_look(f, p)) {
        g_message("cameras along the lane passed the vehicle on the line at %.2f-%.2f s "
                  "again (or the other way): no second crossing",
                  p->line_start, p->line_end);
        return;
    }
    /* recorded first: a second look still pending then sees whose it is */
    f->decided[f->n_decided++ % DECIDED_HISTORY] = p->span;
    GPtrArray *texts = claim_texts(f, p);
    double bounds[MAX_PARTS - 1];
    int n = vehicle_bounds(f, texts, bounds);
    if (n > 0)
        g_message("the vehicle on the line at %.2f-%.2f s was %d vehicles (a camera along the "
                  "lane read a plate for each): published as %d crossings",
                  p->line_start, p->line_end, n + 1, n + 1);
    else if (overlong_bound(f, p, texts, &bounds[0])) {
        n = 1;
        g_message("the vehicle on the line at %.2f-%.2f s was longer than a vehicle, its reads "
                  "apart at %.2f s: published as 2 crossings",
                  p->line_start, p->line_end, bounds[0]);
    }
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
    c.direction = direction_of(f, first->last_s >= first->first_s ? 1 : -1);
    verdict_camera cams[LANE_MAX_CAMERAS];
    verdict_cameras(f, cams);
    bool agv = add_items(f, texts, &c, cams);
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
        if (!all && (v->t_line >= before || near_pending(f, v->t_line))) {
            i++;
        } else if (published_lately(f, v)) {
            give_up_text(f, v, "near no crossing, but published with one lately");
            g_ptr_array_remove_index(f->loose, i);
        } else if (near_decided(f, v->t_line)) {
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

static void pending_free(pending *p)
{
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        episode_free(p->passages[i]);
    g_free(p);
}

/* A passage joins the pending crossing of the same direction whose time over the line
 * overlaps its own the most (or is at most join_window away) and that has no passage of
 * this camera yet; else it starts one. Cameras see one vehicle on the line at different
 * moments (a camera along the lane sees its front reach the line, a side camera its
 * whole length pass), but always while it is on the line. */
static void add_passage(lane_fusion *f, episode *e)
{
    int sign = side_at_end(e); /* ending on the right = moving in the positive direction */
    pending *best = NULL;
    double best_overlap = 0;
    for (guint i = 0; i < f->pending->len; i++) {
        pending *p = g_ptr_array_index(f->pending, i);
        double o = overlap(p->t_start, p->t_end, e->line.t_cross, e->line.t_clear);
        if (p->sign == sign && !p->passages[e->camera] && o >= -f->join_window &&
            (!best || o > best_overlap)) {
            best = p;
            best_overlap = o;
        }
    }
    bool side = side_camera(f, e->camera);
    double on = e->line.t_touch, off = fmax(e->line.t_off, e->line.t_touch);
    if (!best) {
        best = g_new0(pending, 1);
        best->t_cross = e->line.t_cross;
        best->t_start = e->line.t_cross;
        best->t_end = e->line.t_clear;
        best->sign = sign;
        best->line_start = on;
        best->line_end = off;
        best->line_from_side = side;
        g_ptr_array_add(f->pending, best);
    } else if (side && !best->line_from_side) {
        best->line_start = on; /* a side camera sees the vehicle's whole length on the line */
        best->line_end = off;
        best->line_from_side = true;
    } else if (side == best->line_from_side) {
        best->line_start = fmin(best->line_start, on);
        best->line_end = fmax(best->line_end, off);
    }
    best->t_start = fmin(best->t_start, e->line.t_cross);
    best->t_end = fmax(best->t_end, e->line.t_clear);
    best->passages[e->camera] = e;
    best->span = span_of(f, best);
    /* claiming texts and splitting vehicles both read the span: it must be one */
    g_assert(best->span.start <= best->span.end);
}

/* Whether the episode's vehicle comes towards its camera: the bottom of its motion box, where
 * it meets the road, moved down the image (nearer the camera is lower in the view). */
static bool coming_closer(const episode *e)
{
    return e->last_bottom > e->first_bottom;
}

/* Whether a camera's open episode can still change crossing p: it was on the line while
 * p's vehicle was and may become a passage that joins p or that the verdict
 * counts (a camera along the lane only matters so when p's side cameras did not measure
 * the vehicle: measured as one, the verdict passes over such a camera; measured as
 * longer, p is left for review whatever it adds), or it holds a text that was on the line
 * with p's vehicle. */
static bool open_episode_matters(const lane_fusion *f, const pending *p, int camera, double until)
{
    const episode *e = f->cams[camera].open;
    if (!e)
        return false;
    if (e->line.touched && e->line.t_touch <= until &&
        (side_camera(f, camera) || !p->span.measured ||
         (coming_closer(e) && f->cams[camera].last_t < p->line_end + ALONG_READ_S)))
        return true;
    for (guint i = 0; i < e->votes->len; i++) {
        const lane_text *v = g_ptr_array_index(e->votes, i);
        double t = lane_text_line_time(v);
        /* one last read on the side the episode came from reaches the line later than now */
        if (!v->crossed && e->line.side_from != 0 && (v->last_s < 0 ? -1 : 1) == e->line.side_from)
            t = fmax(t, f->cams[camera].last_t);
        if (span_distance(t, p->line_start, p->line_end) <= CLAIM_S)
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
static bool settled(const lane_fusion *f, const pending *p)
{
    double span_end = p->t_end;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        if (p->passages[i])
            span_end = fmax(span_end, p->passages[i]->t_last);
    double until = fmax(span_end, p->t_end + f->join_window);
    for (int i = 0; i < f->config->n_cameras; i++) {
        const camera_state *s = &f->cams[i];
        if (s->done)
            continue;
        double need = p->passages[i] ? span_end : fmax(until, p->line_end + CLAIM_S);
        if (s->last_t < need || open_episode_matters(f, p, i, until))
            return false;
    }
    return true;
}

static void decide_settled(lane_fusion *f, bool all)
{
    while (f->pending->len > 0) {
        pending *p = g_ptr_array_index(f->pending, 0);
        if (!all && !settled(f, p))
            break;
        g_ptr_array_remove_index(f->pending, 0);
        decide(f, p);
        pending_free(p);
    }
    expire_loose(f, all);
}

/* The episode's texts go to the loose pool, each with its time on the line, whether the
 * episode is a passage or not: crossings claim them by that time. */
static void pool_texts(lane_fusion *f, episode *e)
{
    gsize n = 0;
    gpointer *texts = g_ptr_array_steal(e->votes, &n);
    for (gsize i = 0; i < n; i++) {
        lane_text *v = texts[i];
        v->t_line = lane_text_line_time(v);
        g_ptr_array_add(f->loose, v);
    }
    g_free(texts);
}

static void close_episode(lane_fusion *f, camera_state *s)
{
    episode *e = s->open;
    s->open = NULL;
    const char *name = f->config->cameras[e->camera].name;
    guint n_texts = e->votes->len;
    pool_texts(f, e);
    take_other_side(e);
    e->length_m = passage_length_m(&f->config->cameras[e->camera], e);
    if (track_passed(&e->line)) {
        g_debug("camera %s: passage %s, on the line %.2f-%.2f s (episode %.2f-%.2f s, %u texts)",
                name, side_at_end(e) > 0 ? "positive" : "negative", e->line.t_cross,
                e->line.t_clear, e->t_first, e->t_last, n_texts);
        s->passages[s->n_passages++ % PASSAGE_HISTORY] = e->line.t_cross;
        add_passage(f, e);
    } else {
        g_debug("camera %s: episode %.2f-%.2f s ends on the side it came from: no passage", name,
                e->t_first, e->t_last);
        episode_free(e); /* came and went on one side: no crossing */
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
    f->pending = g_ptr_array_new();
    f->loose = g_ptr_array_new_with_free_func(lane_text_free);
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        f->cams[i].first_t = -1;
        f->cams[i].seen_lo = INFINITY;
        f->cams[i].seen_hi = -INFINITY;
    }
    return f;
}

void lane_fusion_free(lane_fusion *f)
{
    if (!f)
        return;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        episode_free(f->cams[i].open);
    for (guint i = 0; i < f->pending->len; i++)
        pending_free(g_ptr_array_index(f->pending, i));
    g_ptr_array_free(f->pending, TRUE);
    g_ptr_array_free(f->loose, TRUE);
    g_free(f);
}

void lane_fusion_observe(lane_fusion *f, const lane_observation *o)
{
    if (o->camera < 0 || o->camera >= f->config->n_cameras)
        return;
    camera_state *s = &f->cams[o->camera];
    if (s->first_t < 0)
        s->first_t = o->t;
    s->last_t = fmax(s->last_t, o->t);
    f->now = fmax(f->now, o->t);
    if (o->moving) {
        if (!s->open)
            s->open = episode_new(o->camera, o->t);
        episode *e = s->open;
        track_box(e, &f->config->cameras[o->camera].tripwire, o);
        measure_speed(e, &f->config->cameras[o->camera], s, o);
        e->t_last = o->t;
        e->two_frames += two_vehicles_in_view(&f->config->cameras[o->camera], o);
    }
    if (s->open)
        for (int i = 0; i < o->n_reads; i++)
            add_vote(s->open, &f->config->cameras[o->camera], &o->reads[i], o->frame, o->t);
    if (!o->moving && s->open && o->t - s->open->t_last >= EPISODE_GAP_S)
        close_episode(f, s); /* EPISODE_GAP_S since its last moving frame */
    decide_settled(f, false);
}

void lane_fusion_camera_done(lane_fusion *f, int camera, double t)
{
    if (camera < 0 || camera >= f->config->n_cameras)
        return;
    camera_state *s = &f->cams[camera];
    s->last_t = fmax(s->last_t, t);
    f->now = fmax(f->now, t);
    if (s->open)
        close_episode(f, s);
    s->done = true;
    s->done_t = s->last_t;
    decide_settled(f, false);
}

void lane_fusion_finish(lane_fusion *f)
{
    for (int i = 0; i < f->config->n_cameras; i++)
        if (f->cams[i].open)
            close_episode(f, &f->cams[i]);
    decide_settled(f, true);
}
