/*
 * tripwire.h — the geometry of one camera's tripwire: which side of the line a point or a
 * box is on, where a box lies along the lane and across it, how far a point is from the line,
 * when something that moved over it was on it, and how wide the lane is in the view. The
 * lane fusion and the texts' times on the line (lane_text.c) both measure with these, so a
 * box and a read are placed against the line the same way.
 *
 * The tripwire is directed (lane_config.h): its right is the positive direction; image y
 * points down. Everything here is a pure function of its arguments.
 */
#ifndef GATECV_TRIPWIRE_H
#define GATECV_TRIPWIRE_H

#include <stdbool.h>

#include "lane_config.h"

/* An axis-aligned box in image pixels: a motion box, a blob, a ROI. */
typedef struct {
    float x, y, width, height;
} lane_box;

/* The unit vector along the lane: across the tripwire, towards its right (the positive
 * direction). False for a tripwire of no length. */
bool tripwire_axis(const lane_line *w, float *ax, float *ay);

/* Which side a point is on: -1 left, +1 right (on the line counts as the right). */
int tripwire_point_side(const lane_line *w, float x, float y);

/* -1 / +1 when the whole box is on one side, 0 when it is over the line. */
int tripwire_box_side(const lane_line *w, const lane_box *b);

/* How far a point lies from the line along the lane, in pixels (positive: on its right);
 * 0 for a tripwire of no length. */
float tripwire_offset(const lane_line *w, float x, float y);

/* The interval [lo, hi] a box covers along the unit axis (ax, ay): along the lane with
 * tripwire_axis's vector, across it with (ay, -ax). */
void tripwire_box_extent(const lane_box *b, float ax, float ay, float *lo, float *hi);

/* When something at offset s0 at time t0 and s1 at t1 (s0 != s1) was on the line, moving
 * steadily: may lie outside [t0, t1]. */
double tripwire_crossing_time(double t0, float s0, double t1, float s1);

/* How wide the lane is in the view: the length of the tripwire inside the ROI (the whole
 * tripwire when there is no ROI or it lies outside). */
float tripwire_lane_width(const lane_line *w, const lane_rect *roi);

#endif
