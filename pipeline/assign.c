/*
 * assign.c — texts to vehicles by their own time on the line (see assign.h). Owns the pool of
 * texts no vehicle has claimed yet.
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "assign.h"

#include <math.h>
#include <string.h>

struct text_pool {
    const lane_config *config;
    GPtrArray *loose; /* lane_text*, owned */
};

text_pool *text_pool_new(const lane_config *config)
{
    text_pool *pool = g_new0(text_pool, 1);
    pool->config = config;
    pool->loose = g_ptr_array_new_with_free_func(lane_text_free);
    return pool;
}

void text_pool_free(text_pool *pool)
{
    if (!pool)
        return;
    g_ptr_array_free(pool->loose, TRUE);
    g_free(pool);
}

void text_pool_add_episode(text_pool *pool, camera_episode *e)
{
    camera_episode_move_texts(e, pool->loose);
}

/* Adds a text, or its frames to the same text of the same camera (read in two of its
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

/* ---- claims ------------------------------------------------------------------------ */

bool assign_open_texts_near(const camera_episode *e, const line_vehicle *v, double now)
{
    for (guint i = 0; i < e->votes->len; i++) {
        const lane_text *text = g_ptr_array_index(e->votes, i);
        double t = lane_text_line_time(text);
        /* one last read on the side the episode came from reaches the line later than now */
        if (!text->crossed && e->line.side_from != 0 &&
            (text->last_s < 0 ? -1 : 1) == e->line.side_from)
            t = fmax(t, now);
        if (line_span_distance(&v->span, t) <= ASSIGN_CLAIM_S)
            return true;
    }
    return false;
}

/* Where the text's true time on the line lies from the one its camera measured: a camera along
 * the lane that saw a container code come towards it (its reads moved down the image) measured
 * it late, one that saw it go away early (line_lean). A code is painted high on its container;
 * a plate is near the road, where the image shows the line where it is. */
static line_lean lean_of(const lane_config *config, const lane_text *text)
{
    if (text->best.kind != READ_CONTAINER ||
        !lane_camera_can(config, text->camera, LANE_CAN_LOOK_ALONG) ||
        text->last_y == text->first_y)
        return LINE_TRULY_THERE;
    return text->last_y > text->first_y ? LINE_TRULY_EARLIER : LINE_TRULY_LATER;
}

/* Whether another vehicle was nearer the line when the text was than v: one on the timeline,
 * or the next vehicle, on the line in a camera's open episode since after v left it. */
static bool nearer_vehicle(const text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                           const lane_text *text, const camera_track *cams, int n_cameras)
{
    const double t = text->t_line;
    const line_lean lean = lean_of(pool->config, text);
    if (line_timeline_nearer_other(tl, v, t, lean))
        return true;
    for (int i = 0; i < n_cameras; i++) {
        const camera_episode *e = cams[i].open;
        if (!e || !e->line.touched || e->line.t_touch <= v->span.end)
            continue;
        line_span next = {.start = e->line.t_touch, .end = fmax(e->line.t_off, e->line.t_touch)};
        if (line_span_nearer(&v->span, &next, t, lean))
            return true;
    }
    return false;
}

/* Whether the text, measured outside v's span, truly lay further from it still: a code that
 * leans earlier measured before v came onto the line, or one that leans later measured after
 * it left. v was not on the line when such a text was. */
static bool leans_away(const text_pool *pool, const line_vehicle *v, const lane_text *text)
{
    line_lean lean = lean_of(pool->config, text);
    return (lean == LINE_TRULY_EARLIER && text->t_line < v->span.start) ||
           (lean == LINE_TRULY_LATER && text->t_line > v->span.end);
}

/* Whether vehicle v, asked now, would take the text: the one rule of assign_claim and
 * assign_peek. */
static bool takes(const text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                  const lane_text *text, const camera_track *cams, int n_cameras)
{
    return line_span_distance(&v->span, text->t_line) <= ASSIGN_CLAIM_S &&
           !leans_away(pool, v, text) && !nearer_vehicle(pool, tl, v, text, cams, n_cameras);
}

GPtrArray *assign_claim(text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                        const camera_track *cams, int n_cameras)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < pool->loose->len;) {
        if (takes(pool, tl, v, g_ptr_array_index(pool->loose, i), cams, n_cameras))
            add_text(texts, g_ptr_array_steal_index(pool->loose, i));
        else
            i++;
    }
    return texts;
}

GPtrArray *assign_peek(const text_pool *pool, const line_timeline *tl, const line_vehicle *v,
                       const camera_track *cams, int n_cameras)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < pool->loose->len; i++) {
        const lane_text *text = g_ptr_array_index(pool->loose, i);
        if (takes(pool, tl, v, text, cams, n_cameras))
            add_text(texts, lane_text_copy(text));
    }
    return texts;
}

void assign_note_published(line_vehicle *v, GPtrArray *texts)
{
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *text = g_ptr_array_index(texts, i);
        line_vehicle_note_published(v, text->best.text, text->t_line);
    }
}

/* ---- texts no vehicle claimed ---------------------------------------------------------- */

static void give_up_text(const text_pool *pool, const lane_text *v, const char *why)
{
    g_message("camera %s: %s %s, read in %d frames, on the line at %.2f s, %s",
              pool->config->cameras[v->camera].name,
              v->best.kind == READ_PLATE ? "plate" : "container code", v->best.text, v->frames,
              v->t_line, why);
}

static int compare_line_times(gconstpointer a, gconstpointer b)
{
    const lane_text *x = *(lane_text *const *)a, *y = *(lane_text *const *)b;
    return (x->t_line > y->t_line) - (x->t_line < y->t_line);
}

/* A vehicle no camera passed, from the texts read of it (sorted by their time on the line):
 * on the line from the first to the last, going the way the first moved over it. */
static line_vehicle *vehicle_of_reads(line_timeline *tl, GPtrArray *texts)
{
    const lane_text *first = g_ptr_array_index(texts, 0), *last = first;
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        first = v->t_line < first->t_line ? v : first;
        last = v->t_line > last->t_line ? v : last;
    }
    int sign = first->last_s >= first->first_s ? 1 : -1;
    g_message("plate or code read at %.2f s with no vehicle seen on the line: published for "
              "review",
              first->t_line);
    return line_timeline_add_seen_by_reads(tl, first->t_line, last->t_line, sign);
}

/* Hands out the unclaimed texts (sorted by time on the line) as vehicles seen by their reads,
 * those within ASSIGN_CLAIM_S of the first of a group making one. */
static void publish_groups(line_timeline *tl, GPtrArray *unseen, assign_vehicle_fn fn, void *user)
{
    g_ptr_array_sort(unseen, compare_line_times);
    while (unseen->len > 0) {
        GPtrArray *group = g_ptr_array_new_with_free_func(lane_text_free);
        double t0 = ((const lane_text *)g_ptr_array_index(unseen, 0))->t_line;
        while (unseen->len > 0 &&
               ((const lane_text *)g_ptr_array_index(unseen, 0))->t_line - t0 <= ASSIGN_CLAIM_S)
            add_text(group, g_ptr_array_steal_index(unseen, 0));
        fn(vehicle_of_reads(tl, group), group, user);
        g_ptr_array_free(group, TRUE);
    }
}

void assign_expire(text_pool *pool, line_timeline *tl, double slowest, bool all,
                   assign_vehicle_fn fn, void *user)
{
    double before = slowest - ASSIGN_KEEP_S;
    GPtrArray *unseen = g_ptr_array_new_with_free_func(lane_text_free);
    for (guint i = 0; i < pool->loose->len;) {
        lane_text *v = g_ptr_array_index(pool->loose, i);
        if (!all && (v->t_line >= before ||
                     line_timeline_near(tl, LINE_PENDING, v->t_line, ASSIGN_CLAIM_S))) {
            i++;
        } else if (line_timeline_published_near(tl, v->best.text, v->t_line, ASSIGN_KEEP_S)) {
            give_up_text(pool, v, "near no crossing, but published with one lately");
            g_ptr_array_remove_index(pool->loose, i);
        } else if (line_timeline_near(tl, LINE_DECIDED, v->t_line, ASSIGN_CLAIM_S)) {
            give_up_text(pool, v, "read after its crossing was published");
            g_ptr_array_remove_index(pool->loose, i);
        } else if ((v->best.valid || lane_read_is_fleet_number(&v->best)) &&
                   v->frames >= pool->config->votes) {
            g_ptr_array_add(unseen, g_ptr_array_steal_index(pool->loose, i));
        } else {
            give_up_text(pool, v, "near no crossing: not published");
            g_ptr_array_remove_index(pool->loose, i);
        }
    }
    publish_groups(tl, unseen, fn, user);
    g_ptr_array_free(unseen, TRUE);
}
