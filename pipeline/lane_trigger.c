/*
 * lane_trigger.c — the presence sensor's intervals (see lane_trigger.h). Owns them.
 */
#include "lane_trigger.h"

#include <math.h>

typedef struct {
    double start, end; /* a vehicle on the line; end INFINITY while it still is */
    bool resolved;     /* the fusion has matched it to a vehicle, or made one of it */
} presence;

struct lane_trigger {
    double min_gap;
    GArray *intervals; /* presence, in time order, not overlapping */
    double last_report;
};

lane_trigger *lane_trigger_new(double min_gap)
{
    g_assert(min_gap >= 0);
    lane_trigger *tr = g_new0(lane_trigger, 1);
    tr->min_gap = min_gap;
    tr->intervals = g_array_new(FALSE, FALSE, sizeof(presence));
    tr->last_report = -INFINITY;
    return tr;
}

void lane_trigger_free(lane_trigger *tr)
{
    if (!tr)
        return;
    g_array_free(tr->intervals, TRUE);
    g_free(tr);
}

static presence *last_interval(const lane_trigger *tr)
{
    guint n = tr->intervals->len;
    return n ? &g_array_index(tr->intervals, presence, n - 1) : NULL;
}

bool lane_trigger_report(lane_trigger *tr, double t, bool present)
{
    if (!isfinite(t) || t < tr->last_report)
        return false;
    presence *last = last_interval(tr);
    bool on_line = last && isinf(last->end);
    if (present == on_line)
        return false;
    tr->last_report = t;
    if (!present) {
        last->end = t;
    } else if (last && t - last->end < tr->min_gap) {
        last->end = INFINITY; /* chatter: the same vehicle */
    } else {
        presence p = {t, INFINITY, false};
        g_array_append_val(tr->intervals, p);
    }
    return true;
}

bool lane_trigger_heard(const lane_trigger *tr)
{
    return isfinite(tr->last_report);
}

double lane_trigger_last_report(const lane_trigger *tr)
{
    return tr->last_report;
}

bool lane_trigger_present_within(const lane_trigger *tr, double t0, double t1)
{
    return lane_trigger_count_within(tr, t0, t1) > 0;
}

int lane_trigger_count_within(const lane_trigger *tr, double t0, double t1)
{
    int n = 0;
    for (guint i = 0; i < tr->intervals->len; i++) {
        const presence *p = &g_array_index(tr->intervals, presence, i);
        n += p->start <= t1 && p->end >= t0;
    }
    return n;
}

/* Cost: one pass over the intervals kept (a few minutes of traffic). */
int lane_trigger_gaps_within(const lane_trigger *tr, double t0, double t1, double *bounds,
                             int max)
{
    int n = 0;
    for (guint i = 1; i < tr->intervals->len && n < max; i++) {
        double free_from = g_array_index(tr->intervals, presence, i - 1).end;
        double free_until = g_array_index(tr->intervals, presence, i).start;
        g_assert(free_until - free_from >= tr->min_gap);
        if (free_from > t0 && free_until < t1)
            bounds[n++] = (free_from + free_until) / 2;
    }
    return n;
}

bool lane_trigger_unresolved(const lane_trigger *tr, double *start, double *end)
{
    for (guint i = 0; i < tr->intervals->len; i++) {
        const presence *p = &g_array_index(tr->intervals, presence, i);
        if (!p->resolved && isfinite(p->end)) {
            *start = p->start;
            *end = p->end;
            return true;
        }
    }
    return false;
}

bool lane_trigger_unresolved_within(const lane_trigger *tr, double t0, double t1)
{
    for (guint i = 0; i < tr->intervals->len; i++) {
        const presence *p = &g_array_index(tr->intervals, presence, i);
        if (!p->resolved && p->start <= t1 && p->end >= t0)
            return true;
    }
    return false;
}

void lane_trigger_resolve(lane_trigger *tr, double start)
{
    for (guint i = 0; i < tr->intervals->len; i++) {
        presence *p = &g_array_index(tr->intervals, presence, i);
        if (p->start == start)
            p->resolved = true;
    }
}

void lane_trigger_forget(lane_trigger *tr, double horizon)
{
    guint drop = 0;
    while (drop < tr->intervals->len &&
           g_array_index(tr->intervals, presence, drop).end < horizon)
        drop++;
    /* the last one stays: a report that reopens it after chatter needs its end */
    if (drop == tr->intervals->len && drop > 0)
        drop--;
    if (drop)
        g_array_remove_range(tr->intervals, 0, drop);
}
