/*
 * scenegen_background.h — the empty lane as one camera sees it, in the camera's
 * rectified image: road with lane markings and the white stop line at the tripwire
 * (x = 0), kerbs and verges, the gate building and sky where the camera sees them.
 * Drawn once per camera; frames start from a copy.
 */
#ifndef GATECV_SCENEGEN_BACKGROUND_H
#define GATECV_SCENEGEN_BACKGROUND_H

#include "scenegen_camera.h"

/* A new BGR image (caller frees) or NULL + error. */
gcv_image *sg_background_new(const sg_camera *cam, uint64_t seed, GError **error);

#endif /* GATECV_SCENEGEN_BACKGROUND_H */
