/*
 * scenegen_world.c — the world's arithmetic: names of the enums, container sizes,
 * motion profiles (phases of constant acceleration, their positions and tripwire
 * crossings), where a vehicle is at a world time, and which condition holds when.
 */
#include <math.h>
#include <string.h>

#include "scenegen_world.h"

/* --- names ---------------------------------------------------------------------------- */

static const char *const CONDITION_NAMES[SG_N_CONDITIONS] = {"day", "dusk", "night", "rain"};

const char *sg_direction_name(sg_direction d)
{
    return d == SG_VN_TO_CN ? "VN_TO_CN" : "CN_TO_VN";
}

const char *sg_condition_name(sg_condition c)
{
    return (int)c >= 0 && c < SG_N_CONDITIONS ? CONDITION_NAMES[c] : "unknown";
}

bool sg_condition_parse(const char *s, sg_condition *out)
{
    for (int c = 0; c < SG_N_CONDITIONS; c++)
        if (strcmp(s, CONDITION_NAMES[c]) == 0) {
            *out = (sg_condition)c;
            return true;
        }
    return false;
}

const char *sg_kind_name(sg_kind k)
{
    return k == SG_TRUCK ? "truck" : k == SG_AGV ? "agv" : "car";
}

const char *sg_plate_position_name(sg_plate_position p)
{
    return p == SG_PLATE_FRONT ? "front" : p == SG_PLATE_REAR ? "rear" : "trailer_rear";
}

bool sg_plate_is_cn(const sg_plate *p)
{
    return p->style >= RENDER_PLATE_CN_BLUE;
}

void sg_container_dimensions(const char *size_type, double *length_m, double *height_m)
{
    *length_m = size_type[0] == '4' ? 12.192 : size_type[0] == 'L' ? 13.716 : 6.058;
    *height_m = size_type[1] == '5' ? 2.896 : 2.591;
}

void sg_world_clear(sg_world *w)
{
    g_free(w->vehicles);
    g_free(w->group_first);
    g_free(w->group_last);
    memset(w, 0, sizeof *w);
}

/* --- motion -------------------------------------------------------------------------- */

void sg_motion_constant(sg_motion *m, double p0, double v)
{
    m->n = 1;
    m->phase[0] = (sg_phase){0.0, p0, v, 0.0};
}

/* Ends the last phase after `duration` s and starts one of acceleration a. */
static void motion_then(sg_motion *m, double duration, double a)
{
    const sg_phase *last = &m->phase[m->n - 1];
    double p = last->p0 + last->v0 * duration + 0.5 * last->a * duration * duration;
    double v = last->v0 + last->a * duration;
    m->phase[m->n++] = (sg_phase){last->t0 + duration, p, v, a};
}

void sg_motion_stop_reverse(sg_motion *m, double p0, double v, double p_stop, double back)
{
    const double brake = 1.2, reverse_time = 4.0, go = 1.0;
    double brake_dist = v * v / (2.0 * brake);
    double reverse_a = back / ((reverse_time / 2) * (reverse_time / 2)); /* half the way each */
    sg_motion_constant(m, p0, v);
    motion_then(m, (p_stop - brake_dist - p0) / v, -brake);
    motion_then(m, v / brake, 0.0);              /* stopped at p_stop */
    motion_then(m, 1.0, -reverse_a);             /* reverse: speed up backwards */
    motion_then(m, reverse_time / 2, reverse_a); /* and slow down */
    motion_then(m, reverse_time / 2, 0.0);       /* stopped again */
    motion_then(m, 0.8, go);                     /* drive on */
    motion_then(m, v / go, 0.0);                 /* cruise */
}

static int phase_at(const sg_motion *m, double tau)
{
    int i = 0;
    while (i + 1 < m->n && tau >= m->phase[i + 1].t0)
        i++;
    return i;
}

double sg_motion_position(const sg_motion *m, double tau)
{
    const sg_phase *ph = &m->phase[phase_at(m, tau)];
    double dt = tau - ph->t0;
    return ph->p0 + ph->v0 * dt + 0.5 * ph->a * dt * dt;
}

double sg_motion_speed(const sg_motion *m, double tau)
{
    const sg_phase *ph = &m->phase[phase_at(m, tau)];
    return ph->v0 + ph->a * (tau - ph->t0);
}

/* Roots dt >= 0 of p0 + v0 dt + a dt²/2 = c below `limit` with positive speed; the
 * largest goes to *best (if larger). */
static void forward_roots(const sg_phase *ph, double c, double limit, double *best)
{
    double r[2];
    int n = 0;
    if (fabs(ph->a) < 1e-12) {
        if (fabs(ph->v0) > 1e-12)
            r[n++] = (c - ph->p0) / ph->v0;
    } else {
        double disc = ph->v0 * ph->v0 + 2.0 * ph->a * (c - ph->p0);
        if (disc >= 0) {
            r[n++] = (-ph->v0 - sqrt(disc)) / ph->a;
            r[n++] = (-ph->v0 + sqrt(disc)) / ph->a;
        }
    }
    for (int i = 0; i < n; i++)
        if (r[i] >= 0 && r[i] < limit && ph->v0 + ph->a * r[i] > 0 &&
            (isnan(*best) || ph->t0 + r[i] > *best))
            *best = ph->t0 + r[i];
}

double sg_motion_last_crossing(const sg_motion *m, double c)
{
    double best = NAN;
    for (int i = 0; i < m->n; i++) {
        double limit = i + 1 < m->n ? m->phase[i + 1].t0 - m->phase[i].t0 : 1e6;
        forward_roots(&m->phase[i], c, limit, &best);
    }
    return best;
}

/* --- vehicles -------------------------------------------------------------------------- */

double sg_vehicle_front(const sg_vehicle *v, double t)
{
    return sg_motion_position(&v->motion, t - v->t_start);
}

double sg_vehicle_speed(const sg_vehicle *v, double t)
{
    return sg_motion_speed(&v->motion, t - v->t_start);
}

double sg_vehicle_x(const sg_vehicle *v, double p, double a)
{
    return v->direction == SG_VN_TO_CN ? p - a : a - p;
}

/* --- conditions ------------------------------------------------------------------------ */

sg_condition sg_world_condition_at(const sg_world *w, double t)
{
    if (w->n == 0)
        return SG_DAY;
    int g = 0;
    while (g + 1 < w->n_groups && t > 0.5 * (w->group_last[g] + w->group_first[g + 1]))
        g++;
    for (int i = 0; i < w->n; i++)
        if (w->vehicles[i].group == g)
            return w->vehicles[i].condition;
    return w->vehicles[0].condition;
}
