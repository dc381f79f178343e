/*
 * scenegen_draw.h — draws the frames of one camera, one at a time: the camera's
 * background, the vehicles' faces and roofs in painter's order (sprites scaled to
 * their distance), side-view motion blur, the pole-camera homography, then the look
 * of the condition of the moment (scenegen_effects).
 *
 * Ownership: an sg_painter borrows the camera, the world and the fonts (they must
 * outlive it) and owns its background and its sprite cache. Sprites of a vehicle are
 * made when it first shows up and dropped with sg_painter_forget.
 */
#ifndef GATECV_SCENEGEN_DRAW_H
#define GATECV_SCENEGEN_DRAW_H

#include "scenegen_sprite.h"

typedef struct sg_painter sg_painter;

sg_painter *sg_painter_new(const sg_camera *cam, const sg_world *world, const sg_paint_fonts *pf,
                           uint64_t seed, GError **error);
void sg_painter_free(sg_painter *p);

/* The output frame number `frame` (time t): a BGR image owned by the painter, valid
 * until the next call; NULL + error on failure. */
const gcv_image *sg_painter_frame(sg_painter *p, int frame, double t, GError **error);

/* Drops the cached sprites of vehicle i (it will not be seen again). */
void sg_painter_forget(sg_painter *p, int vehicle);

#endif /* GATECV_SCENEGEN_DRAW_H */
