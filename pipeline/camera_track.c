/*
 * camera_track.c — one camera's episodes, passages and text votes (see camera_track.h). Owns
 * the open episode; a closed one is handed to the caller.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "camera_track.h"

#include <math.h>
#include <string.h>

#include "lane_text.h"

/* Two of a frame's motion blobs are two vehicles, not two parts of one, when each reaches
 * TWO_REACH across the lane (of the lane's width: the tripwire's length inside the ROI) and
 * their extents along the direction of travel lie TWO_GAP_M apart at a camera with a scale
 * (road between them; 80 px at the generated lanes' 0.00641 m/px), or TWO_GAP_OF_LANE of the
 * lane's width at one without (80 px of the generated front camera's 880 px lane). verdict.c
 * decides how many such frames an episode may show. */
#define TWO_REACH 0.4f
#define TWO_GAP_M 0.5128
#define TWO_GAP_OF_LANE (80.0f / 880.0f)
/* A box edge within EDGE_BORDER_M of the border of the view (measured only at a camera with a
 * scale: 8 px at the generated lanes' scale, two of the motion gate's cells) is held there by
 * the border, not by the vehicle; and frames further apart than SPEED_MAX_DT give no speed
 * sample. */
#define EDGE_BORDER_M 0.05128
#define SPEED_MAX_DT 0.2
/* How far a plate's crossing may lie outside the motion box's time over the line. */
#define PLATE_BOX_SLACK_S 0.5

/* ---- episodes ------------------------------------------------------------------ */

static camera_episode *episode_new(int camera, double t)
{
    camera_episode *e = g_new0(camera_episode, 1);
    e->camera = camera;
    e->t_first = e->t_last = e->t_opened = t;
    e->votes = g_ptr_array_new_with_free_func(lane_text_free);
    e->edge_speeds = g_array_new(FALSE, FALSE, sizeof(float));
    return e;
}

void camera_episode_free(camera_episode *e)
{
    if (!e)
        return;
    g_ptr_array_free(e->votes, TRUE);
    g_array_free(e->edge_speeds, TRUE);
    g_free(e);
}

/* The road between two vehicles in the camera's pixels along the lane. */
static float two_gap_px(const lane_camera *cam)
{
    if (cam->metres_per_pixel > 0)
        return (float)(TWO_GAP_M / cam->metres_per_pixel);
    return TWO_GAP_OF_LANE * tripwire_lane_width(&cam->tripwire, &cam->roi);
}

/* A frame's vehicles along the lane: its motion blobs joined where they overlap or nearly
 * touch along it (less than two_gap_px apart: the parts of one vehicle). Each group has its
 * extent [lo, hi] along the axis (ax, ay), its reach across the lane (at least its largest
 * blob's, at most the sum) and the blobs in it (bit i: blob i). Returns the count (0 when the
 * frame has no blobs). Cost: O(n^3) joins, n <= LANE_MAX_BLOBS. */
typedef struct {
    float lo, hi, reach;
    unsigned members;
} blob_group;

static int blob_groups(const lane_camera *cam, const lane_observation *o, float ax, float ay,
                       blob_group *g)
{
    int n = MIN(o->n_blobs, LANE_MAX_BLOBS);
    const float gap = two_gap_px(cam);
    for (int i = 0; i < n; i++) {
        float a, b;
        tripwire_box_extent(&o->blobs[i], ax, ay, &g[i].lo, &g[i].hi);
        tripwire_box_extent(&o->blobs[i], ay, -ax, &a, &b); /* across the lane */
        g[i].reach = b - a;
        g[i].members = 1u << i;
    }
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++) {
            if (fmaxf(g[i].lo, g[k].lo) - fminf(g[i].hi, g[k].hi) >= gap)
                continue;
            g[i].reach = fmaxf(g[i].reach, g[k].reach);
            g[i].lo = fminf(g[i].lo, g[k].lo);
            g[i].hi = fmaxf(g[i].hi, g[k].hi);
            g[i].members |= g[k].members;
            g[k] = g[--n];
            k = i; /* the grown group may now reach one it did not */
        }
    return n;
}

/* The line's place along the axis (ax, ay): every point of the tripwire projects there. */
static float line_along(const lane_camera *cam, float ax, float ay)
{
    return cam->tripwire.x1 * ax + cam->tripwire.y1 * ay;
}

/* Whether the extent [lo, hi] along the lane lies wholly on side `side` (-1 / +1) of the line
 * at `line`: the positive side is the tripwire's right, the axis's direction. */
static bool wholly_on(float lo, float hi, float line, int side)
{
    return side < 0 ? hi < line : side > 0 && lo > line;
}

/* Whether the frame shows two vehicles with road between them going over the line: two blob
 * groups that each reach TWO_REACH across the lane, neither wholly on side `from`, the side
 * the episode came from. A vehicle wholly before the line is not (yet) in the passage: the
 * next one of a queue, waiting or moving up behind the vehicle on the line, or the far part
 * of a long truck whose flat middle the motion gate has learnt into its background (seen
 * from the front, its container's top rises behind the cab's roof). */
static bool two_vehicles_over_the_line(const lane_camera *cam, const lane_observation *o,
                                       int from)
{
    float ax, ay;
    blob_group g[LANE_MAX_BLOBS];
    if (o->n_blobs < 2 || !tripwire_axis(&cam->tripwire, &ax, &ay))
        return false;
    int n = blob_groups(cam, o, ax, ay, g), over = 0;
    float min_reach = TWO_REACH * tripwire_lane_width(&cam->tripwire, &cam->roi);
    float line = line_along(cam, ax, ay);
    for (int i = 0; i < n; i++)
        over += g[i].reach >= min_reach && !wholly_on(g[i].lo, g[i].hi, line, from);
    return over >= 2;
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

/* Whether the camera looks across the lane (a side camera): where its blobs lie along the
 * lane is where the vehicles are on the road, so road between two blobs parts two vehicles
 * or two parts of one. A camera along the lane sees a near vehicle's body cover the line in
 * its image long before the vehicle reaches it: its blobs are no such measure. */
static bool looks_across(const lane_camera *cam)
{
    return !lane_role_can(cam->role, LANE_CAN_LOOK_ALONG);
}

/* The box the line track of a side camera follows in frame o of an episode that came from
 * side `from`: the motion box, or, when some of the frame's blob groups lie wholly on that
 * side with road between them and a group that does not, the blobs of the groups that do
 * not. That is the vehicle ahead, on the line or past it; what is behind it is the next one
 * of a queue moving up (or the far part of a long truck whose flat middle the gate lost,
 * which follows the front over the line later and is then followed in its turn). */
static lane_box line_box(const lane_camera *cam, const lane_observation *o, int from)
{
    lane_box box = {o->x, o->y, o->width, o->height};
    float ax, ay;
    blob_group g[LANE_MAX_BLOBS];
    if (!looks_across(cam) || from == 0 || o->n_blobs < 2 ||
        !tripwire_axis(&cam->tripwire, &ax, &ay))
        return box;
    int n = blob_groups(cam, o, ax, ay, g), behind = 0;
    float line = line_along(cam, ax, ay);
    unsigned ahead = 0;
    for (int i = 0; i < n; i++) {
        if (wholly_on(g[i].lo, g[i].hi, line, from))
            behind++;
        else
            ahead |= g[i].members;
    }
    if (behind == 0 || ahead == 0)
        return box;
    float x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < MIN(o->n_blobs, LANE_MAX_BLOBS); i++)
        if (ahead & (1u << i)) {
            const lane_box *b = &o->blobs[i];
            x0 = fminf(x0, b->x), y0 = fminf(y0, b->y);
            x1 = fmaxf(x1, b->x + b->width), y1 = fmaxf(y1, b->y + b->height);
        }
    return (lane_box){x0, y0, x1 - x0, y1 - y0};
}

static void track_box(camera_episode *e, const lane_camera *cam, const lane_observation *o)
{
    const lane_line *w = &cam->tripwire;
    /* an episode first seen over the line only guesses the side it came from */
    const lane_box box = line_box(cam, o, e->first_over ? 0 : e->line.side_from);
    int side = tripwire_box_side(w, &box);
    int centre = tripwire_point_side(w, box.x + box.width / 2, box.y + box.height / 2);
    e->last_bottom = o->y + o->height;
    if (e->line.side_from == 0) { /* the episode's first box */
        e->first_bottom = e->last_bottom;
        e->first_over = side == 0;
    }
    line_track_step(&e->line, side, centre, o->t);
    if (e->first_over && (e->other.side_from != 0 || side == -e->line.side_from))
        line_track_step(&e->other, side, centre, o->t);
    e->line_box = box;
}

/* ---- speed and length ------------------------------------------------------------ */

/* Where the camera's view of the lane begins and ends along the axis: its ROI, or without
 * one the furthest any motion box has reached. */
static void view_extent(const camera_track *t, float ax, float ay, float *lo, float *hi)
{
    const lane_rect *r = &t->cam->roi;
    if (r->width > 0 && r->height > 0) {
        lane_box roi = {(float)r->x, (float)r->y, (float)r->width, (float)r->height};
        tripwire_box_extent(&roi, ax, ay, lo, hi);
    } else {
        *lo = t->seen_lo;
        *hi = t->seen_hi;
    }
}

/* Whether a box edge is free of the view's border (`border` px). */
static bool inside_view(float edge, float view_lo, float view_hi, float border)
{
    return edge > view_lo + border && edge < view_hi - border;
}

/* One speed sample per box edge that moved freely since the previous moving frame (not held
 * by the border of the view), in pixels per second along the direction of travel. */
static void measure_speed(camera_track *t, camera_episode *e, const lane_observation *o)
{
    float ax, ay, lo, hi, view_lo, view_hi;
    if (t->cam->metres_per_pixel <= 0 || e->line.side_from == 0 ||
        !tripwire_axis(&t->cam->tripwire, &ax, &ay))
        return;
    const lane_box box = {o->x, o->y, o->width, o->height};
    tripwire_box_extent(&box, ax, ay, &lo, &hi);
    t->seen_lo = fminf(t->seen_lo, lo);
    t->seen_hi = fmaxf(t->seen_hi, hi);
    view_extent(t, ax, ay, &view_lo, &view_hi);
    const float border = (float)(EDGE_BORDER_M / t->cam->metres_per_pixel);
    double dt = o->t - e->prev_t;
    if (e->has_edges && dt > 0 && dt <= SPEED_MAX_DT) {
        float travel = (float)-e->line.side_from; /* away from the side it came from */
        const float edges[2][2] = {{e->prev_lo, lo}, {e->prev_hi, hi}};
        for (int i = 0; i < 2; i++)
            if (inside_view(edges[i][0], view_lo, view_hi, border) &&
                inside_view(edges[i][1], view_lo, view_hi, border)) {
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
static double passage_length_m(const lane_camera *cam, const camera_episode *e)
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

/* ---- passages -------------------------------------------------------------------- */

/* The side a track ends on: where the box is, or where its centre is if over the line. */
static int track_end_side(const line_track *k)
{
    return k->side_now != 0 ? k->side_now : k->centre_now;
}

/* Whether the track crossed the line: it ended on the side opposite the one it came from. */
static bool track_passed(const line_track *k)
{
    return k->side_from != 0 && track_end_side(k) == -k->side_from;
}

int camera_episode_side_at_end(const camera_episode *e)
{
    return e->plate_passed ? -e->line.side_from : track_end_side(&e->line);
}

bool camera_episode_passed(const camera_episode *e)
{
    return track_passed(&e->line) || e->plate_passed;
}

bool camera_episode_coming_closer(const camera_episode *e)
{
    return e->last_bottom > e->first_bottom;
}

/* An episode first seen over the line that ended on the side its centre was on then, but was
 * wholly on the other side meanwhile, came from that other side: a truck's unlit front was
 * past the line when its lit rear, still before it, began to move in the view, then came up
 * to the line and over it. Its passage is the other track's, from its first box (an episode
 * of a camera along the lane can begin with the tail of the vehicle before); its edge speeds
 * were measured against the guessed direction. */
static void take_other_side(camera_episode *e)
{
    if (!e->first_over || track_passed(&e->line) || !track_passed(&e->other))
        return;
    e->line = e->other;
    e->t_first = e->other.t_begin; /* before, the episode held something else over the line */
    for (guint i = 0; i < e->edge_speeds->len; i++)
        g_array_index(e->edge_speeds, float, i) *= -1;
}

/* The plate of the episode that this camera read, in `votes` frames, coming over the line from
 * the side the episode came from and ending past it while the motion box was over the line
 * (PLATE_BOX_SLACK_S either way: reads come every few frames), or NULL. Such a plate is its
 * vehicle's passage as surely as a box that went over: a camera along the lane whose episode
 * also held the next vehicle of a queue, moving up to the barrier behind it, sees the box end
 * on the side it came from. Only one such plate may be there: an episode in which several
 * vehicles went over the line, the box never clearing it, tells no one vehicle's time there. */
static const lane_text *plate_over_the_line(const camera_track *t, const camera_episode *e)
{
    const int from = e->line.side_from;
    if (!lane_role_can(t->cam->role, LANE_CAN_READ_PLATES) || from == 0 || !e->line.touched)
        return NULL;
    const lane_text *found = NULL;
    int came_over = 0;
    for (guint i = 0; i < e->votes->len; i++) {
        const lane_text *v = g_ptr_array_index(e->votes, i);
        if (v->best.kind != READ_PLATE || !v->best.valid || lane_read_is_fleet_number(&v->best) ||
            v->frames < t->votes || !v->crossed || v->first_s * from <= 0 || v->last_s * from >= 0)
            continue;
        came_over++;
        if (v->t_crossed >= e->line.t_touch - PLATE_BOX_SLACK_S &&
            v->t_crossed <= e->line.t_off + PLATE_BOX_SLACK_S)
            found = v;
    }
    return came_over == 1 ? found : NULL; /* two went over: two vehicles */
}

/* ---- texts ------------------------------------------------------------------------ */

static void add_vote(camera_episode *e, const lane_camera *cam, const gatecv_read *r,
                     GBytes *evidence, double t)
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
    lane_text_add(v, r, lane_text_offset(&cam->tripwire, r), evidence, t);
}

void camera_episode_move_texts(camera_episode *e, GPtrArray *into)
{
    gsize n = 0;
    gpointer *texts = g_ptr_array_steal(e->votes, &n);
    for (gsize i = 0; i < n; i++)
        g_ptr_array_add(into, texts[i]);
    g_free(texts);
}

/* ---- the camera ------------------------------------------------------------------- */

void camera_track_init(camera_track *t, const lane_camera *cam, int index, int votes)
{
    *t = (camera_track){.cam = cam,
                        .index = index,
                        .votes = votes,
                        .first_t = -1,
                        .seen_lo = INFINITY,
                        .seen_hi = -INFINITY};
}

void camera_track_clear(camera_track *t)
{
    camera_episode_free(t->open);
    t->open = NULL;
    if (t->outages)
        g_array_free(t->outages, TRUE);
    t->outages = NULL;
}

camera_episode *camera_track_close(camera_track *t)
{
    camera_episode *e = t->open;
    if (!e)
        return NULL;
    t->open = NULL;
    /* each text's time on the line is known once it can be read no more */
    for (guint i = 0; i < e->votes->len; i++) {
        lane_text *v = g_ptr_array_index(e->votes, i);
        v->t_line = lane_text_line_time(v);
    }
    take_other_side(e);
    if (!track_passed(&e->line)) {
        const lane_text *plate = plate_over_the_line(t, e);
        e->plate_passed = plate != NULL;
        if (plate) {
            /* The box may have held the vehicle before on the line, and the next one moving
             * up after: the plate tells the vehicle's own time there. A front plate coming
             * towards the camera goes over the line as its vehicle comes onto it; a rear
             * plate going away as its vehicle leaves it. The episode's tail after the vehicle
             * left the line was the next one's. */
            if (plate->last_y > plate->first_y)
                e->line.t_touch = fmax(e->line.t_touch, plate->t_crossed - PLATE_BOX_SLACK_S);
            else
                e->line.t_off = fmin(e->line.t_off, plate->t_crossed + PLATE_BOX_SLACK_S);
            e->line.t_cross = e->line.t_touch;
            e->line.t_clear = fmin(e->line.t_clear, e->line.t_off);
            e->t_last = fmin(e->t_last, fmax(e->line.t_off, plate->last_t));
            g_debug("camera %s: episode %.2f-%.2f s ends on the side it came from, but plate %s "
                    "went over the line at %.2f s: its passage",
                    t->cam->name, e->t_first, e->t_last, plate->best.text, plate->t_crossed);
        }
    }
    e->length_m = passage_length_m(t->cam, e);
    /* a passage's span on the line (line_timeline) is [t_touch, t_off]: it must have one */
    g_assert(!camera_episode_passed(e) || (e->line.touched && e->line.t_touch <= e->line.t_off));
    return e;
}

/* Pixels from the ROI's edge within which a box touches it (the gate's cells are 4 px). */
#define EDGE_TOUCH_PX 8

/* Whether box b reaches edge k of the ROI (0 left, 1 right, 2 top, 3 bottom), and how far
 * it extends across it, as a share of the ROI. */
static bool at_edge(const lane_box *b, const lane_rect *roi, int k, float *depth)
{
    float extent = k < 2 ? b->width : b->height, across = k < 2 ? roi->width : roi->height;
    float gap = k == 0   ? b->x - roi->x
                : k == 1 ? (roi->x + roi->width) - (b->x + b->width)
                : k == 2 ? b->y - roi->y
                         : (roi->y + roi->height) - (b->y + b->height);
    *depth = extent / across;
    return gap <= EDGE_TOUCH_PX;
}

/* Whether the moving frame o, after frames with the gate shut since the open episode's last
 * moving frame (the camera's previous frame came after it), shows a vehicle coming in by the
 * edge the last box was at (EPISODE_SLIVER). */
static bool came_in_where_last_went_out(const camera_track *t, const lane_observation *o)
{
    const camera_episode *e = t->open;
    const lane_rect *roi = &t->cam->roi;
    if (roi->width <= 0 || roi->height <= 0 || t->last_t <= e->t_last)
        return false;
    lane_box now = {o->x, o->y, o->width, o->height};
    for (int k = 0; k < 4; k++) {
        float was, is;
        if (at_edge(&e->last_box, roi, k, &was) && at_edge(&now, roi, k, &is) &&
            is < EPISODE_SLIVER && was > 2 * is)
            return true;
    }
    return false;
}

/* Whether the moving frame o of a side camera shows only what comes behind the vehicle its
 * open episode followed, that vehicle being past the line: the box the line track followed
 * last (line_box) was wholly past the line, and o's motion is wholly on the side the episode
 * came from, clear of that box along the lane. The vehicle ahead left the view or stopped
 * past the line; what moves now is the next one moving up, as at a barrier where one truck
 * goes and the next comes up to it. Its line track waits (camera_track_observe): followed, it
 * would end on the side it came from, and the crossing of the vehicle ahead would be lost.
 * The next one's own crossing is its next episode's, once it has stopped at the barrier; or
 * this one's, if it crosses without stopping (the box comes over the line again). An episode
 * first seen over the line only guesses the side it came from: it is left as it is. */
static bool next_vehicle_behind(const camera_track *t, const lane_observation *o)
{
    const camera_episode *e = t->open;
    const int from = e->line.side_from;
    float ax, ay;
    if (!looks_across(t->cam) || from == 0 || e->first_over || !e->line.touched ||
        !tripwire_axis(&t->cam->tripwire, &ax, &ay))
        return false;
    const lane_box now = {o->x, o->y, o->width, o->height};
    float line = line_along(t->cam, ax, ay), lo, hi, was_lo, was_hi;
    tripwire_box_extent(&now, ax, ay, &lo, &hi);
    tripwire_box_extent(&e->line_box, ax, ay, &was_lo, &was_hi);
    return wholly_on(was_lo, was_hi, line, -from) && wholly_on(lo, hi, line, from) &&
           (hi < was_lo || lo > was_hi);
}

camera_episode *camera_track_observe(camera_track *t, const lane_observation *o)
{
    g_return_val_if_fail(o->camera == t->index, NULL);
    camera_episode *closed = NULL;
    if (o->moving && t->open && came_in_where_last_went_out(t, o)) {
        g_debug("camera %s: a vehicle comes in at %.2f s by the edge the last went out by: "
                "a new episode",
                t->cam->name, o->t);
        closed = camera_track_close(t);
    }
    if (t->first_t < 0)
        t->first_t = o->t;
    t->last_t = fmax(t->last_t, o->t);
    if (o->moving) {
        if (!t->open)
            t->open = episode_new(t->index, o->t);
        camera_episode *e = t->open;
        if (next_vehicle_behind(t, o))
            g_debug("camera %s: the vehicle ahead is past the line, what moves at %.2f s is "
                    "behind it: the line track waits",
                    t->cam->name, o->t);
        else
            track_box(e, t->cam, o);
        measure_speed(t, e, o);
        e->t_last = o->t;
        e->last_box = (lane_box){o->x, o->y, o->width, o->height};
        e->two_frames += two_vehicles_over_the_line(t->cam, o, e->line.side_from);
    }
    if (t->open)
        for (int i = 0; i < o->n_reads; i++)
            add_vote(t->open, t->cam, &o->reads[i], o->evidence, o->t);
    if (closed)
        return closed; /* the open episode began with this frame: it cannot close now */
    if (!o->moving && t->open && o->t - t->open->t_last >= EPISODE_GAP_S)
        return camera_track_close(t); /* EPISODE_GAP_S since its last moving frame */
    return NULL;
}

camera_episode *camera_track_end(camera_track *t, double time)
{
    t->last_t = fmax(t->last_t, time);
    camera_episode *e = camera_track_close(t);
    t->done = true;
    t->done_t = t->last_t;
    return e;
}

camera_episode *camera_track_down(camera_track *t, double time)
{
    if (t->done)
        return NULL;
    if (!t->outages)
        t->outages = g_array_new(FALSE, FALSE, sizeof(camera_outage));
    camera_outage o = {time, INFINITY};
    g_array_append_val(t->outages, o);
    t->down = true;
    return camera_track_end(t, time);
}

void camera_track_up(camera_track *t, double time)
{
    if (!t->down)
        return;
    g_array_index(t->outages, camera_outage, t->outages->len - 1).to = time;
    t->down = false;
    t->done = false;
}

bool camera_track_down_during(const camera_track *t, double start, double end)
{
    for (guint i = 0; t->outages && i < t->outages->len; i++) {
        const camera_outage *o = &g_array_index(t->outages, camera_outage, i);
        if (o->from <= end && o->to >= start)
            return true;
    }
    return false;
}

bool camera_track_watching(const camera_track *t, double start, double end)
{
    return t->first_t >= 0 && t->first_t <= end && (!t->done || t->done_t >= start);
}
