/*
 * lane_text.c — one camera's votes for one text and when the text was on the line (see
 * lane_text.h).
 */
#include "lane_text.h"

#include <math.h>

#include "tripwire.h"

/* Two reads either side of the line at most CROSS_GAP_S apart date its crossing; without
 * such a pair, the line through the first and last reads is trusted up to EXTRAPOLATE_S
 * beyond them, and further out the time is put there. */
#define CROSS_GAP_S 1.0
#define EXTRAPOLATE_S 4.0

lane_text *lane_text_new(int camera)
{
    lane_text *t = g_new0(lane_text, 1);
    t->camera = camera;
    return t;
}

void lane_text_free(gpointer text)
{
    lane_text *t = text;
    if (!t)
        return;
    if (t->evidence)
        g_bytes_unref(t->evidence);
    g_free(t);
}

lane_text *lane_text_copy(const lane_text *text)
{
    lane_text *t = g_memdup2(text, sizeof *text);
    t->evidence = text->evidence ? g_bytes_ref(text->evidence) : NULL;
    return t;
}

static float read_bottom(const gatecv_read *r)
{
    float y = r->quad[0].y;
    for (int k = 1; k < 4; k++)
        y = fmaxf(y, r->quad[k].y);
    return y;
}

float lane_text_offset(const lane_line *tripwire, const gatecv_read *r)
{
    float x = 0;
    for (int k = 0; k < 4; k++)
        x += r->quad[k].x / 4;
    return tripwire_offset(tripwire, x, read_bottom(r));
}

void lane_text_add(lane_text *v, const gatecv_read *r, float offset, GBytes *evidence,
                   double t)
{
    if (v->frames == 0) {
        v->first_t = t;
        v->first_s = offset;
        v->first_y = read_bottom(r);
    } else if (v->last_s * offset <= 0 && v->last_s != offset && t > v->last_t &&
               t - v->last_t <= CROSS_GAP_S) {
        v->crossed = true;
        v->t_crossed = tripwire_crossing_time(v->last_t, v->last_s, t, offset);
    }
    v->last_t = t;
    v->last_s = offset;
    v->last_y = read_bottom(r);
    v->sum_t += t;
    v->frames++;
    if (v->frames > 1 && r->confidence <= v->best.confidence)
        return;
    v->best = *r;
    if (evidence) {
        if (v->evidence)
            g_bytes_unref(v->evidence);
        v->evidence = g_bytes_ref(evidence);
        v->evidence_t = t;
    }
}

double lane_text_line_time(const lane_text *v)
{
    if (v->crossed)
        return v->t_crossed;
    if (v->frames >= 2 && v->last_t > v->first_t && fabsf(v->last_s - v->first_s) > 1.0f) {
        /* Read on one side only, it reached the line after its last read (it came towards
         * it) or before its first (it went away), as far as the line through them says but
         * EXTRAPOLATE_S at most: a vehicle that stops at a barrier short of the line slows
         * to a halt, and the line through its reads runs out of sight. Not among its reads:
         * it was not on the line then. */
        double t = tripwire_crossing_time(v->first_t, v->first_s, v->last_t, v->last_s);
        return CLAMP(t, v->first_t - EXTRAPOLATE_S, v->last_t + EXTRAPOLATE_S);
    }
    return v->frames > 0 ? v->sum_t / v->frames : 0;
}

bool lane_read_is_fleet_number(const gatecv_read *r)
{
    return g_str_has_prefix(r->text, "AGV");
}

void lane_text_merge(lane_text *into, lane_text *from)
{
    into->frames += from->frames;
    if (from->best.confidence > into->best.confidence) {
        GBytes *evidence = into->evidence;
        into->best = from->best;
        into->evidence = from->evidence;
        into->evidence_t = from->evidence_t;
        from->evidence = evidence;
    }
    lane_text_free(from);
}
