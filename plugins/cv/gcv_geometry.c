/*
 * gcv_geometry.c — plane geometry on gcv_point (see gcv_geometry.h).
 */
#include "gcv_geometry.h"

#include <math.h>

bool gcv_clip_segment(gcv_point *a, gcv_point *b, double x0, double y0, double x1, double y1)
{
    double t0 = 0, t1 = 1, dx = b->x - a->x, dy = b->y - a->y;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a->x - x0, x1 - a->x, a->y - y0, y1 - a->y};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false; /* parallel to this edge and outside it */
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0)
            t0 = fmax(t0, r);
        else
            t1 = fmin(t1, r);
    }
    if (t0 > t1)
        return false;
    gcv_point na = {(float)(a->x + t0 * dx), (float)(a->y + t0 * dy)};
    gcv_point nb = {(float)(a->x + t1 * dx), (float)(a->y + t1 * dy)};
    *a = na, *b = nb;
    return true;
}
