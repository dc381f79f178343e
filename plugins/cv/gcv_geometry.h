/*
 * gcv_geometry.h — plane geometry on gcv_point that needs no OpenCV, shared by the lane
 * fusion and the lane generator. Plain C.
 */
#ifndef GATECV_GCV_GEOMETRY_H
#define GATECV_GCV_GEOMETRY_H

#include <stdbool.h>

#include "gcv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Clips the segment a-b to the rectangle [x0, x1] × [y0, y1] in place (Liang–Barsky);
 * false, a and b untouched, if no part of it lies inside. */
bool gcv_clip_segment(gcv_point *a, gcv_point *b, double x0, double y0, double x1, double y1);

#ifdef __cplusplus
}
#endif

#endif
