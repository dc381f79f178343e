/*
 * line_timeline.c — the vehicles on the line and the questions about them (see
 * line_timeline.h). Owns every vehicle and its passages until they are forgotten.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "line_timeline.h"

#include <math.h>
#include <string.h>

/* Plates of one camera this far apart on the line are two vehicles, not a misread; the
 * boundary between the vehicles lies SPLIT_MARGIN_S inside the later one's front (or past the
 * earlier one's rear). Reads of an over-long passage this far apart on the line are two
 * vehicles' too. */
#define SPLIT_MIN_S 1.0
#define SPLIT_MARGIN_S 0.5

/* line_span.cameras is one bit per camera */
G_STATIC_ASSERT(LANE_MAX_CAMERAS <= 32);

struct line_timeline {
    const lane_config *config;
    double join_window;
    GPtrArray *vehicles; /* line_vehicle*, in the order their first passage closed */
};

/* ---- spans ----------------------------------------------------------------------- */

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

double line_span_distance(const line_span *s, double t)
{
    return span_distance(t, s->start, s->end);
}

/* Whether t lies after one span and before the other. */
static bool between(const line_span *a, const line_span *b, double t)
{
    return (a->end < t && b->start > t) || (b->end < t && a->start > t);
}

bool line_span_nearer(const line_span *mine, const line_span *other, double t, line_lean lean)
{
    if (lean != LINE_TRULY_THERE && between(mine, other, t))
        return lean == LINE_TRULY_LATER ? other->start > t : other->end < t;
    double d0 = line_span_distance(mine, t), d1 = line_span_distance(other, t);
    if (d0 != d1)
        return d1 < d0;
    /* Both hold t. A span a side camera measured as one vehicle is that vehicle's own time on
     * the line; another may hold several vehicles (a camera along the lane whose view never
     * emptied between them). */
    if (d0 == 0 && mine->one_vehicle != other->one_vehicle)
        return other->one_vehicle;
    return fabs(t - (other->start + other->end) / 2) < fabs(t - (mine->start + mine->end) / 2);
}

/* Which cameras passed the vehicle, and what the side cameras measured of it. */
static void update_measure(const line_timeline *tl, line_vehicle *v)
{
    int measured = 0, longer = 0;
    v->span.cameras = 0;
    for (int i = 0; i < tl->config->n_cameras; i++) {
        if (!v->passages[i])
            continue;
        v->span.cameras |= 1u << i;
        double length =
            lane_camera_can(tl->config, i, LANE_CAN_MEASURE_LENGTH) ? v->passages[i]->length_m : 0;
        measured += length > 0;
        longer += length > tl->config->max_vehicle_m;
    }
    v->span.measured = measured > 0;
    v->span.one_vehicle = v->span.measured && longer == 0;
}

/* ---- the list ---------------------------------------------------------------------- */

void line_vehicle_init(line_vehicle *v, line_state state, double start, double end, int sign)
{
    g_assert(start <= end && (sign == 1 || sign == -1));
    *v = (line_vehicle){.state = state,
                        .span = {.start = start, .end = end, .sign = sign},
                        .t_cross = start,
                        .t_start = start,
                        .t_end = end,
                        .published = g_array_new(FALSE, FALSE, sizeof(line_published))};
    revisions_init(&v->revisions);
}

void line_vehicle_clear(line_vehicle *v)
{
    for (int i = 0; i < LANE_MAX_CAMERAS; i++)
        camera_episode_free(v->passages[i]);
    g_array_free(v->published, TRUE);
    revisions_clear(&v->revisions);
}

static void vehicle_free(gpointer data)
{
    line_vehicle_clear(data);
    g_free(data);
}

line_timeline *line_timeline_new(const lane_config *config, double join_window)
{
    line_timeline *tl = g_new0(line_timeline, 1);
    tl->config = config;
    tl->join_window = join_window;
    tl->vehicles = g_ptr_array_new_with_free_func(vehicle_free);
    return tl;
}

void line_timeline_free(line_timeline *tl)
{
    if (!tl)
        return;
    g_ptr_array_free(tl->vehicles, TRUE);
    g_free(tl);
}

static line_vehicle *vehicle_at(const line_timeline *tl, guint i)
{
    return g_ptr_array_index(tl->vehicles, i);
}

static line_vehicle *vehicle_new(line_state state, double start, double end, int sign)
{
    line_vehicle *v = g_new(line_vehicle, 1);
    line_vehicle_init(v, state, start, end, sign);
    return v;
}

line_vehicle *line_timeline_add_seen_by_reads(line_timeline *tl, double start, double end, int sign)
{
    line_vehicle *v = vehicle_new(LINE_SEEN_BY_READS, start, end, sign);
    g_ptr_array_add(tl->vehicles, v);
    return v;
}

void line_vehicle_on_line(const line_vehicle *v, double *from, double *to)
{
    *from = fmin(v->t_start, v->span.start);
    *to = fmax(v->t_end, v->span.end);
}

line_vehicle *line_timeline_add_sensed(line_timeline *tl, double start, double end, int sign)
{
    line_vehicle *v = vehicle_new(LINE_PENDING, start, end, sign);
    g_ptr_array_add(tl->vehicles, v);
    return v;
}

bool line_timeline_on_line_within(const line_timeline *tl, double t0, double t1)
{
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if ((q->state == LINE_PENDING || q->state == LINE_DECIDED ||
             q->state == LINE_SEEN_BY_READS) &&
            overlap(q->span.start, q->span.end, t0, t1) >= 0)
            return true;
    }
    return false;
}

/* The pending vehicle of the same direction, without a passage of this camera yet, whose time
 * over the line overlaps the passage's most (or lies at most join_window away). */
static line_vehicle *joining(const line_timeline *tl, const camera_episode *e, int sign)
{
    line_vehicle *best = NULL;
    double best_overlap = 0;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        line_vehicle *v = vehicle_at(tl, i);
        if (v->state != LINE_PENDING)
            continue;
        double o = overlap(v->t_start, v->t_end, e->line.t_cross, e->line.t_clear);
        if (v->span.sign == sign && !v->passages[e->camera] && o >= -tl->join_window &&
            (!best || o > best_overlap)) {
            best = v;
            best_overlap = o;
        }
    }
    return best;
}

bool line_timeline_would_join(const line_timeline *tl, const camera_episode *e, int sign)
{
    return joining(tl, e, sign) != NULL;
}

/* A side camera that measured one vehicle on the line saw its whole length pass: a pending
 * vehicle that only cameras along the lane passed, going its way, on the line within v's span
 * (join_window either side), by cameras v has no passage of, is v as those cameras saw it
 * apart (at night a lit rear crosses the line in a moment, and a camera along the lane that
 * lost a flat trailer's middle crosses late), and it joined another vehicle only because the
 * side camera's passage closed last. Its passages join v. */
static void absorb_looks_along(line_timeline *tl, line_vehicle *v)
{
    if (!v->span.from_side || !v->span.one_vehicle)
        return;
    for (guint i = 0; i < tl->vehicles->len;) {
        line_vehicle *q = vehicle_at(tl, i);
        if (q == v || q->state != LINE_PENDING || q->span.from_side ||
            q->span.sign != v->span.sign || (q->span.cameras & v->span.cameras) ||
            q->span.start < v->span.start - tl->join_window ||
            q->span.end > v->span.end + tl->join_window) {
            i++;
            continue;
        }
        for (int k = 0; k < LANE_MAX_CAMERAS; k++) {
            if (q->passages[k])
                v->passages[k] = q->passages[k];
            q->passages[k] = NULL;
        }
        v->t_start = fmin(v->t_start, q->t_start);
        v->t_end = fmax(v->t_end, q->t_end);
        g_ptr_array_remove_index(tl->vehicles, i); /* frees q, its passages moved to v */
        update_measure(tl, v);
    }
}

/* Cameras see one vehicle on the line at different moments (a camera along the lane sees its
 * front reach the line, a side camera its whole length pass), but always while it is on the
 * line: a side camera's span replaces the others', and spans of one kind grow together. */
line_vehicle *line_timeline_add_passage(line_timeline *tl, camera_episode *e)
{
    g_return_val_if_fail(e && camera_episode_passed(e), NULL);
    g_return_val_if_fail(e->camera >= 0 && e->camera < tl->config->n_cameras, NULL);
    int sign = camera_episode_side_at_end(e); /* ending on the right: the positive way */
    bool side = lane_camera_can(tl->config, e->camera, LANE_CAN_MEASURE_LENGTH);
    double on = e->line.t_touch, off = fmax(e->line.t_off, e->line.t_touch);
    line_vehicle *v = joining(tl, e, sign);
    if (!v) {
        v = vehicle_new(LINE_PENDING, on, off, sign);
        v->span.from_side = side;
        v->t_cross = v->t_start = e->line.t_cross;
        v->t_end = e->line.t_clear;
        g_ptr_array_add(tl->vehicles, v);
    } else if (side && !v->span.from_side) {
        v->span.start = on;
        v->span.end = off;
        v->span.from_side = true;
    } else if (side == v->span.from_side) {
        v->span.start = fmin(v->span.start, on);
        v->span.end = fmax(v->span.end, off);
    }
    v->t_start = fmin(v->t_start, e->line.t_cross);
    v->t_end = fmax(v->t_end, e->line.t_clear);
    v->passages[e->camera] = e;
    update_measure(tl, v);
    if (side)
        absorb_looks_along(tl, v);
    /* texts are claimed and vehicles split by the span: it must be one */
    g_assert(v->span.start <= v->span.end);
    return v;
}

line_vehicle *line_timeline_oldest_pending(const line_timeline *tl)
{
    for (guint i = 0; i < tl->vehicles->len; i++)
        if (vehicle_at(tl, i)->state == LINE_PENDING)
            return vehicle_at(tl, i);
    return NULL;
}

line_vehicle *line_timeline_next_pending(const line_timeline *tl, guint *cursor)
{
    for (; *cursor < tl->vehicles->len; (*cursor)++)
        if (vehicle_at(tl, *cursor)->state == LINE_PENDING)
            return vehicle_at(tl, (*cursor)++);
    return NULL;
}

void line_timeline_settle(line_timeline *tl, line_vehicle *v, line_state state)
{
    (void)tl;
    g_return_if_fail((v->state == LINE_PENDING && state != LINE_PENDING) ||
                     (v->state == LINE_DECIDED && state == LINE_NOISE));
    v->state = state;
}

double line_timeline_pending_since(const line_timeline *tl)
{
    double since = INFINITY;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *v = vehicle_at(tl, i);
        for (int k = 0; v->state == LINE_PENDING && k < LANE_MAX_CAMERAS; k++)
            if (v->passages[k])
                since = fmin(since, v->passages[k]->t_first);
    }
    return since;
}

/* The latest moment anything about the vehicle happened. */
static double vehicle_latest(const line_vehicle *v)
{
    double t = fmax(v->span.end, v->t_end);
    for (int k = 0; k < LANE_MAX_CAMERAS; k++)
        if (v->passages[k])
            t = fmax(t, v->passages[k]->t_last);
    for (guint i = 0; i < v->published->len; i++)
        t = fmax(t, g_array_index(v->published, line_published, i).t_line);
    return t;
}

void line_timeline_forget(line_timeline *tl, double horizon)
{
    /* a vehicle still pending must stay: its passages would be lost with it */
    g_return_if_fail(horizon <= line_timeline_pending_since(tl));
    for (guint i = 0; i < tl->vehicles->len;) {
        const line_vehicle *v = vehicle_at(tl, i);
        if (v->state != LINE_PENDING && vehicle_latest(v) < horizon)
            g_ptr_array_remove_index(tl->vehicles, i); /* keeps the order */
        else
            i++;
    }
}

/* ---- who was on the line ------------------------------------------------------------ */

/* Whether the side cameras measured one vehicle on the line during `mine`, or `join_window`
 * from it (as near as a passage may lie to the vehicle it joins), that is not `mine`'s own:
 *  - going the same way, with a passage of one of mine's cameras (which saw a truck's cab and
 *    trailer apart, or lost it for a moment: a flat trailer learnt into the background, then
 *    its tail, which a camera along the lane sees cross a moment after the side cameras saw
 *    it leave the line), or
 *  - going the other way: the lane carries one vehicle over the line at a time, and a camera
 *    along it whose one episode held the tail of a vehicle leaving and the next one coming
 *    the other way took the first's start and the second's end for a passage. */
static bool measured_one_there(const line_span *q, const line_span *mine, double join_window)
{
    return q->from_side && q->one_vehicle && mine->start <= q->end + join_window &&
           mine->end >= q->start - join_window &&
           (q->sign != mine->sign || (q->cameras & mine->cameras));
}

/* A vehicle that no side camera passed is only another look of cameras along the lane when a
 * side camera measured one vehicle there (measured_one_there). Its texts go to the vehicle
 * they were on the line with; it is not published. (Without a measured length it may be the
 * second of two vehicles close behind each other, and is.) */
bool line_timeline_second_look(const line_timeline *tl, const line_vehicle *v)
{
    if (v->span.from_side)
        return false;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (q != v && (q->state == LINE_PENDING || q->state == LINE_DECIDED) &&
            measured_one_there(&q->span, &v->span, tl->join_window))
            return true;
    }
    return false;
}

/* Whether q counts as another vehicle on the line beside v: decided, or pending and not a
 * second look. */
static bool another_vehicle(const line_timeline *tl, const line_vehicle *v, const line_vehicle *q)
{
    if (q == v)
        return false;
    return q->state == LINE_DECIDED ||
           (q->state == LINE_PENDING && !line_timeline_second_look(tl, q));
}

bool line_timeline_nearer_other(const line_timeline *tl, const line_vehicle *v, double t,
                                line_lean lean)
{
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (line_span_nearer(&v->span, &q->span, t, lean) && another_vehicle(tl, v, q))
            return true;
    }
    return false;
}

/* Whether q is something a camera passed over the line that was not v: another vehicle, a
 * second look at one (the tail of a flat trailer seen again), a camera's noise; not a look
 * along the lane at v itself, nor a vehicle seen only by its reads. */
static bool held_the_line_beside(const line_timeline *tl, const line_vehicle *v,
                                 const line_vehicle *q)
{
    if (q == v || q->state == LINE_SEEN_BY_READS)
        return false;
    return q->span.from_side || !measured_one_there(&v->span, &q->span, tl->join_window);
}

double line_timeline_share_from(const line_timeline *tl, const line_vehicle *v, double t)
{
    double from = t;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (held_the_line_beside(tl, v, q) && q->span.start < v->span.start && q->span.end > from)
            from = fmax(from, fmin(q->span.end, v->span.start));
    }
    return from;
}

double line_timeline_share_until(const line_timeline *tl, const line_vehicle *v, double t)
{
    double until = t;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (held_the_line_beside(tl, v, q) && q->span.end > v->span.end && q->span.start < until)
            until = fmin(until, fmax(q->span.start, v->span.end));
    }
    return until;
}

bool line_timeline_shares_line(const line_timeline *tl, const line_vehicle *v)
{
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (overlap(q->span.start, q->span.end, v->span.start, v->span.end) >= 0 &&
            another_vehicle(tl, v, q))
            return true;
    }
    return false;
}

bool line_timeline_near(const line_timeline *tl, line_state state, double t, double within)
{
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        if (q->state == state && line_span_distance(&q->span, t) <= within)
            return true;
    }
    return false;
}

int line_timeline_passages_within(const line_timeline *tl, int camera, double t0, double t1)
{
    g_return_val_if_fail(camera >= 0 && camera < LANE_MAX_CAMERAS, 0);
    int n = 0;
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const line_vehicle *q = vehicle_at(tl, i);
        const camera_episode *e = q->passages[camera];
        n += e && e->line.t_cross >= t0 && e->line.t_cross <= t1 && another_vehicle(tl, NULL, q);
    }
    return n;
}

void line_vehicle_note_published(line_vehicle *v, const char *text, double t_line)
{
    line_published p = {.t_line = t_line};
    g_strlcpy(p.text, text, sizeof p.text);
    g_array_append_val(v->published, p);
}

bool line_timeline_published_near(const line_timeline *tl, const char *text, double t,
                                  double within)
{
    for (guint i = 0; i < tl->vehicles->len; i++) {
        const GArray *published = vehicle_at(tl, i)->published;
        for (guint k = 0; k < published->len; k++) {
            const line_published *p = &g_array_index(published, line_published, k);
            if (strcmp(p->text, text) == 0 && fabs(p->t_line - t) <= within)
                return true;
        }
    }
    return false;
}

/* ---- splitting a vehicle ------------------------------------------------------------- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int compare_marks(const void *a, const void *b)
{
    return compare_doubles(&((const line_plate_mark *)a)->t_line,
                           &((const line_plate_mark *)b)->t_line);
}

/* The boundaries one camera's plates show: between each two a second or more apart on the
 * line, just before the later one's front (it came towards the camera) or just past the
 * earlier one's rear. `marks` are that camera's, sorted by time on the line. */
static int bounds_of_plates(const line_plate_mark *marks, int n, double *bounds, int max)
{
    int found = 0;
    for (int i = 1; i < n && found < max; i++) {
        const line_plate_mark *a = &marks[i - 1], *b = &marks[i];
        if (b->t_line - a->t_line >= SPLIT_MIN_S)
            bounds[found++] = b->towards ? b->t_line - SPLIT_MARGIN_S : a->t_line + SPLIT_MARGIN_S;
    }
    qsort(bounds, (size_t)found, sizeof(double), compare_doubles);
    return found;
}

/* Plate evidence: the camera along the lane whose plates show the most vehicles. */
static int split_by_plates(const line_timeline *tl, const line_plate_mark *plates, int n_plates,
                           double *bounds, int max)
{
    int best = 0;
    line_plate_mark *marks = g_new(line_plate_mark, (gsize)MAX(n_plates, 1));
    double *found = g_new(double, (gsize)MAX(max, 1));
    for (int cam = 0; cam < tl->config->n_cameras; cam++) {
        int n = 0;
        for (int i = 0; i < n_plates; i++)
            if (plates[i].camera == cam)
                marks[n++] = plates[i];
        qsort(marks, (size_t)n, sizeof *marks, compare_marks);
        int k = bounds_of_plates(marks, n, found, max);
        if (k > best) {
            best = k;
            memcpy(bounds, found, sizeof(double) * (size_t)k);
        }
    }
    g_free(found);
    g_free(marks);
    return best;
}

/* Length evidence: a vehicle measured longer than one, alone on the line, whose reads lie a
 * second or more apart there (two trucks close behind each other, the second's plate unread:
 * the first's plates on one side, the second's codes on the other) is split in the middle of
 * the widest such gap. */
static int split_by_length(const line_timeline *tl, const line_vehicle *v, const double *read_times,
                           int n_reads, double *bound)
{
    if (!v->span.measured || v->span.one_vehicle || n_reads < 2 || line_timeline_shares_line(tl, v))
        return 0;
    double *sorted = g_memdup2(read_times, sizeof(double) * (gsize)n_reads);
    qsort(sorted, (size_t)n_reads, sizeof(double), compare_doubles);
    double widest = 0;
    for (int i = 1; i < n_reads; i++) {
        double gap = sorted[i] - sorted[i - 1];
        if (gap >= SPLIT_MIN_S && gap > widest) {
            widest = gap;
            *bound = (sorted[i - 1] + sorted[i]) / 2;
        }
    }
    g_free(sorted);
    return widest > 0;
}

int line_timeline_split(const line_timeline *tl, const line_vehicle *v,
                        const line_plate_mark *plates, int n_plates, const double *read_times,
                        int n_reads, double *bounds, int max_bounds)
{
    if (max_bounds < 1)
        return 0;
    int n = split_by_plates(tl, plates, n_plates, bounds, max_bounds);
    if (n > 0)
        g_message("the vehicle on the line at %.2f-%.2f s: a camera along the lane read a "
                  "plate for each of %d vehicles: published as %d crossings",
                  v->span.start, v->span.end, n + 1, n + 1);
    else if ((n = split_by_length(tl, v, read_times, n_reads, &bounds[0])) > 0)
        g_message("the vehicle on the line at %.2f-%.2f s was longer than a vehicle, its reads "
                  "apart at %.2f s: published as 2 crossings",
                  v->span.start, v->span.end, bounds[0]);
    for (int i = 1; i < n; i++) /* each part of the vehicle gets the texts between two */
        g_assert(bounds[i - 1] <= bounds[i]);
    return n;
}
