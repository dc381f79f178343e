/*
 * vehicle_event.c — a decided vehicle as the crossing it is handed out as (see
 * vehicle_event.h).
 */
#define G_LOG_DOMAIN "gatecv-fusion"
#include "vehicle_event.h"

#include <math.h>
#include <string.h>

#include "assign.h"
#include "lane_text.h"
#include "vehicle_items.h"
#include "verdict.h"

/* Whether another camera passed two vehicles within the episode e of camera i: e held two
 * vehicles close behind each other (verdict.c). */
static bool others_passed_two(const vehicle_event_ctx *ctx, int i, const camera_episode *e)
{
    for (int k = 0; k < ctx->config->n_cameras; k++)
        if (k != i && line_timeline_passages_within(ctx->timeline, k, e->t_first, e->t_last) >= 2)
            return true;
    return false;
}

/* Whether camera i was watching while the vehicle was on the line. */
static bool camera_watching(const vehicle_event_ctx *ctx, int i, const line_vehicle *p)
{
    return camera_track_watching(&ctx->cams[i], p->t_start, p->t_end);
}

/* The crossing time: a side camera's (it sees the front reach the line itself), else the
 * earliest. */
static double crossing_time(const vehicle_event_ctx *ctx, const line_vehicle *p)
{
    double t = p->t_cross;
    bool side = false;
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        const camera_episode *e = p->passages[i];
        if (!e)
            continue;
        bool is_side = lane_camera_can(ctx->config, i, LANE_CAN_MEASURE_LENGTH);
        if ((is_side && !side) || (is_side == side && e->line.t_cross < t))
            t = e->line.t_cross;
        side = side || is_side;
    }
    return t;
}

/* The direction of a crossing that moved towards the tripwire's right (sign +1) or left. */
static lane_direction direction_of(const vehicle_event_ctx *ctx, int sign)
{
    g_assert(sign == 1 || sign == -1); /* a direction read from anything else is a guess */
    lane_direction pos = ctx->config->positive;
    return sign > 0 ? pos : (pos == DIR_VN_TO_CN ? DIR_CN_TO_VN : DIR_VN_TO_CN);
}

/* The cameras as the verdict sees them, before anything is known of the vehicle. */
static void verdict_cameras(const vehicle_event_ctx *ctx, verdict_camera cams[LANE_MAX_CAMERAS])
{
    for (int i = 0; i < ctx->config->n_cameras; i++)
        cams[i] =
            (verdict_camera){.name = ctx->config->cameras[i].name,
                             .looks_along = lane_camera_can(ctx->config, i, LANE_CAN_LOOK_ALONG)};
}

/* How each camera saw the crossing p's vehicle. */
static void passages_seen(const vehicle_event_ctx *ctx, const line_vehicle *p,
                          verdict_camera cams[LANE_MAX_CAMERAS])
{
    for (int i = 0; i < ctx->config->n_cameras; i++) {
        const camera_episode *e = p->passages[i];
        cams[i].watching = camera_watching(ctx, i, p);
        cams[i].passed = e != NULL;
        if (!e)
            continue;
        cams[i].two_vehicle_frames = e->two_frames;
        cams[i].others_passed_two = others_passed_two(ctx, i, e);
        cams[i].length_m = e->length_m;
        if (e->length_m > ctx->config->max_vehicle_m)
            g_debug("camera %s: the passage at %.2f s is %.1f m long", cams[i].name,
                    e->line.t_cross, e->length_m);
    }
}

/* Which cameras were down (live ones lost) while crossing c's vehicle was in view or on the
 * line. */
static void cameras_down(const vehicle_event_ctx *ctx, const line_vehicle *p,
                         const lane_crossing *c, verdict_camera cams[LANE_MAX_CAMERAS])
{
    double start = fmin(c->t_enter, p->t_start), end = fmax(c->t_exit, p->t_end);
    for (int i = 0; i < ctx->config->n_cameras; i++)
        cams[i].down = camera_track_down_during(&ctx->cams[i], start, end);
}

/* Hands the crossing out with its verdict as the next revision, and frees its items. A
 * provisional revision that says nothing new does not go out. */
static void emit(const vehicle_event_ctx *ctx, vehicle_revisions *revs, lane_crossing *c, bool agv,
                 verdict_vehicle *v)
{
    bool containers = false; /* of its own: a code told before and now another's is not */
    for (int i = 0; i < c->n_containers; i++)
        containers = containers || c->containers[i].told == ITEM_OWN;
    c->vehicle_kind = agv ? "agv" : containers ? "truck" : "unknown";
    v->plates = c->plates;
    v->n_plates = c->n_plates;
    v->containers = c->containers;
    v->n_containers = c->n_containers;
    v->n_cameras = ctx->config->n_cameras;
    v->max_vehicle_m = ctx->config->max_vehicle_m;
    lane_verdict verdict = verdict_of(v);
    G_STATIC_ASSERT(sizeof verdict.reasons == sizeof c->reasons);
    c->status = verdict.status;
    memcpy(c->reasons, verdict.reasons, sizeof c->reasons);
    c->n_reasons = verdict.n_reasons;
    if (!c->provisional || revisions_news(revs, c)) {
        if (revs->vehicle_id == 0)
            revs->vehicle_id = ++*ctx->last_id;
        c->vehicle_id = revs->vehicle_id;
        c->revision = revs->revision + 1;
        ctx->fn(c, ctx->user);
        revisions_note(revs, c);
    }
    vehicle_items_clear(c);
}

/* The texts on the line between lo and hi (borrowed). */
static GPtrArray *texts_between(GPtrArray *texts, double lo, double hi)
{
    GPtrArray *part = g_ptr_array_new();
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->t_line >= lo && v->t_line < hi)
            g_ptr_array_add(part, v);
    }
    return part;
}

/* When the vehicle crossed and was in view: from its passages' first to last frame and
 * whenever its own texts were read (a truck that stopped and reversed was read long before its
 * last pass over the line); a part of a split vehicle from its boundary lo to hi; a vehicle
 * seen only by its reads while they were on the line. */
static void set_times(const vehicle_event_ctx *ctx, const line_vehicle *p, GPtrArray *part,
                      double lo, double hi, bool split, lane_crossing *c)
{
    c->t_cross = crossing_time(ctx, p);
    c->t_enter = c->t_exit = c->t_cross;
    if (p->state == LINE_SEEN_BY_READS) {
        c->t_exit = p->span.end;
        return;
    }
    for (int i = 0; i < LANE_MAX_CAMERAS; i++) {
        const camera_episode *e = p->passages[i];
        if (!e)
            continue;
        /* an episode that held vehicles before this one was theirs until they left the line,
         * and one that held vehicles after it theirs from when they came onto it */
        c->t_enter = fmin(c->t_enter, line_timeline_share_from(ctx->timeline, p, e->t_first));
        c->t_exit = fmax(c->t_exit, line_timeline_share_until(ctx->timeline, p, e->t_last));
    }
    if (split) { /* this vehicle's share of the time */
        c->t_enter = fmax(c->t_enter, lo);
        c->t_exit = fmin(c->t_exit, hi);
        c->t_cross = isfinite(lo) ? lo : fmax(c->t_enter, fmin(p->span.start, c->t_exit));
    }
    for (guint i = 0; i < part->len; i++) {
        const lane_text *v = g_ptr_array_index(part, i);
        c->t_enter = fmin(c->t_enter, split ? fmax(v->first_t, lo) : v->first_t);
        c->t_exit = fmax(c->t_exit, split ? fmin(v->last_t, hi) : v->last_t);
    }
}

/* Whether every text was on the line within ASSIGN_CLAIM_S of the vehicle. */
static bool all_on_the_line_with(const line_vehicle *p, GPtrArray *texts)
{
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *v = g_ptr_array_index(texts, i);
        if (line_span_distance(&p->span, v->t_line) > ASSIGN_CLAIM_S)
            return false;
    }
    return true;
}

/* How many vehicles the presence sensor felt on the line while p (its part from lo to hi) was
 * on it, give or take the margin (but not past a parting); -1 when the sensor has not been
 * heard, or p is a vehicle seen only by its reads (its time on the line is theirs). */
static int sensed_on_line(const vehicle_event_ctx *ctx, const line_vehicle *p, double lo,
                          double hi)
{
    if (!ctx->trigger || !lane_trigger_heard(ctx->trigger) || p->state == LINE_SEEN_BY_READS)
        return -1;
    double from, to;
    line_vehicle_on_line(p, &from, &to);
    return lane_trigger_count_within(ctx->trigger, fmax(lo, from - ctx->trigger_margin),
                                     fmin(hi, to + ctx->trigger_margin));
}

void vehicle_event_publish(const vehicle_event_ctx *ctx, line_vehicle *p, vehicle_revisions *revs,
                           GPtrArray *texts, double lo, double hi, vehicle_part which,
                           bool provisional)
{
    bool split = which != VEHICLE_WHOLE;
    /* a provisional revision is of a vehicle still pending; a final one of a vehicle decided on
     * the line, or seen by its reads, and once per part */
    g_assert(provisional ? p->state == LINE_PENDING
                         : p->state == LINE_DECIDED || p->state == LINE_SEEN_BY_READS);
    GPtrArray *part = texts_between(texts, lo, hi);
    g_assert(all_on_the_line_with(p, part)); /* never a text of a vehicle not on the line then */
    lane_crossing c = {.provisional = provisional};
    set_times(ctx, p, part, lo, hi, split, &c);
    c.t_decided = ctx->now;
    c.direction = direction_of(ctx, p->span.sign);
    verdict_camera cams[LANE_MAX_CAMERAS];
    verdict_cameras(ctx, cams);
    bool agv = vehicle_items_fill(ctx->config, part, &c, cams);
    int lost = revisions_keep(revs, ctx->config, part, &c);
    if (lost > 0)
        g_warning("the vehicle on the line at %.2f s: %d plates or codes an earlier revision "
                  "carried find no room in this one (at most %d of each)",
                  p->span.start, lost, LANE_MAX_ITEMS);
    if (!provisional)
        assign_note_published(p, part);
    g_ptr_array_free(part, TRUE);
    passages_seen(ctx, p, cams);
    cameras_down(ctx, p, &c, cams);
    int sensed = sensed_on_line(ctx, p, lo, hi);
    verdict_vehicle v = {.cameras = cams,
                         .seen = p->state != LINE_SEEN_BY_READS,
                         .measured_one = p->span.one_vehicle,
                         .split = split,
                         .parted_by_trigger = which == VEHICLE_PART_PARTED,
                         .trigger_saw_none = sensed == 0,
                         .sensor_one = sensed == 1,
                         .direction_guessed = p->direction_guessed};
    emit(ctx, revs, &c, agv, &v);
}
