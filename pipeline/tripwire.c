/*
 * tripwire.c — line geometry against a camera's tripwire (see tripwire.h).
 */
#include "tripwire.h"

#include <math.h>

#include "gcv_geometry.h"

bool tripwire_axis(const lane_line *w, float *ax, float *ay)
{
    float dx = w->x2 - w->x1, dy = w->y2 - w->y1, len = hypotf(dx, dy);
    if (len <= 0)
        return false;
    *ax = -dy / len;
    *ay = dx / len;
    return true;
}

/* A positive cross product is the right: image y points down. */
int tripwire_point_side(const lane_line *w, float x, float y)
{
    float cross = (w->x2 - w->x1) * (y - w->y1) - (w->y2 - w->y1) * (x - w->x1);
    return cross >= 0 ? 1 : -1;
}

int tripwire_box_side(const lane_line *w, const lane_box *b)
{
    int left = 0, right = 0;
    const float xs[2] = {b->x, b->x + b->width}, ys[2] = {b->y, b->y + b->height};
    for (int i = 0; i < 4; i++) {
        if (tripwire_point_side(w, xs[i & 1], ys[i >> 1]) < 0)
            left++;
        else
            right++;
    }
    return left == 4 ? -1 : right == 4 ? 1 : 0;
}

float tripwire_offset(const lane_line *w, float x, float y)
{
    float ax, ay;
    if (!tripwire_axis(w, &ax, &ay))
        return 0;
    return (x - w->x1) * ax + (y - w->y1) * ay;
}

void tripwire_box_extent(const lane_box *b, float ax, float ay, float *lo, float *hi)
{
    const float xs[2] = {b->x, b->x + b->width}, ys[2] = {b->y, b->y + b->height};
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < 4; i++) {
        float p = xs[i & 1] * ax + ys[i >> 1] * ay;
        *lo = fminf(*lo, p);
        *hi = fmaxf(*hi, p);
    }
}

/* The offsets stay floats: their difference is rounded as a float, as the callers always
 * did (the oracle's events are byte-identical only so). */
double tripwire_crossing_time(double t0, float s0, double t1, float s1)
{
    g_assert(s1 != s0);
    return t0 + (t1 - t0) * -s0 / (s1 - s0);
}

float tripwire_lane_width(const lane_line *w, const lane_rect *roi)
{
    float length = hypotf(w->x2 - w->x1, w->y2 - w->y1);
    gcv_point a = {w->x1, w->y1}, b = {w->x2, w->y2};
    if (roi->width <= 0 || roi->height <= 0 ||
        !gcv_clip_segment(&a, &b, roi->x, roi->y, roi->x + roi->width, roi->y + roi->height))
        return length;
    float inside = hypotf(b.x - a.x, b.y - a.y);
    return inside > 0 ? inside : length;
}
