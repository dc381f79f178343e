/*
 * scenegen_schedule.c — the time line: how long each group is in view on its own
 * (sampled with the cameras' coarse visibility), then the groups laid end to end with
 * each leader's gap of empty lane before it.
 */
#include <math.h>

#include "scenegen_schedule.h"

#define STEP_S 0.04   /* sampling of a group's time in view */
#define MARGIN_S 0.1  /* widening of each span, for frames that fall between samples */
#define LEAD_IN_S 0.5 /* empty lane before the first group */

/* True once every vehicle of the slice has left every view for good. */
static bool all_gone(const sg_vehicle *v, int n, double t)
{
    for (int i = 0; i < n; i++)
        if (t < v[i].t_start || sg_vehicle_front(&v[i], t) < v[i].length_m + 30.0)
            return false;
    return true;
}

static bool any_visible(const sg_camera cams[SG_N_CAMERAS], const sg_vehicle *v, int n, double t,
                        sg_item *items, int *cells)
{
    for (int c = 0; c < SG_N_CAMERAS; c++) {
        int k = sg_camera_scene(&cams[c], v, n, t, items);
        sg_camera_visibility(&cams[c], items, k, cells, n);
        for (int i = 0; i < n; i++)
            if (cells[i] >= SG_VIS_MIN_CELLS)
                return true;
    }
    return false;
}

/* The time in view of the n vehicles v (t_start set relative to the group). */
static void group_span(const sg_camera cams[SG_N_CAMERAS], const sg_vehicle *v, int n,
                       double *first, double *last)
{
    sg_item *items = g_new(sg_item, sg_scene_capacity(n));
    int *cells = g_new(int, n);
    *first = NAN, *last = NAN;
    for (int k = 0; k < 15000; k++) { /* at most 10 minutes */
        double t = k * STEP_S;
        if (all_gone(v, n, t))
            break;
        if (any_visible(cams, v, n, t, items, cells)) {
            if (isnan(*first))
                *first = t;
            *last = t;
        }
    }
    if (isnan(*first))
        *first = *last = 0;
    *first -= MARGIN_S, *last += MARGIN_S;
    g_free(items);
    g_free(cells);
}

void sg_schedule(sg_world *w, const sg_camera cams[SG_N_CAMERAS])
{
    g_free(w->group_first);
    g_free(w->group_last);
    w->group_first = g_new0(double, MAX(1, w->n_groups));
    w->group_last = g_new0(double, MAX(1, w->n_groups));
    double end = LEAD_IN_S;
    for (int i0 = 0; i0 < w->n;) {
        int g = w->vehicles[i0].group, i1 = i0 + 1;
        while (i1 < w->n && w->vehicles[i1].group == g)
            i1++;
        for (int i = i0; i < i1; i++)
            w->vehicles[i].t_start = w->vehicles[i].group_offset_s;
        double first, last;
        group_span(cams, &w->vehicles[i0], i1 - i0, &first, &last);
        double start = end + w->vehicles[i0].gap_before_s - first;
        for (int i = i0; i < i1; i++) {
            sg_vehicle *v = &w->vehicles[i];
            v->t_start += start;
            v->tripwire_s = v->t_start + sg_motion_last_crossing(&v->motion, 0.0);
            v->tripwire_clear_s = v->t_start + sg_motion_last_crossing(&v->motion, v->length_m);
        }
        w->group_first[g] = start + first;
        w->group_last[g] = end = start + last;
        i0 = i1;
    }
    w->duration_s = ceil(end + 1.0);
}
