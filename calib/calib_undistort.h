/*
 * calib_undistort.h — what a camera with a calibration needs before it reads its first
 * frame: the frame size checked against the file's image size, and, when the file has
 * intrinsics, the undistortion maps of the region it reads (gcv_camera.h), made once.
 */
#ifndef GATECV_CALIB_UNDISTORT_H
#define GATECV_CALIB_UNDISTORT_H

#include <glib.h>

#include "camera_calib.h"
#include "gcv_camera.h"

/* TRUE with *maps the region's maps (NULL when the file has no intrinsics: nothing to
 * undistort), or FALSE + an error naming `path` and the field when the frames do not fit. */
gboolean calib_undistort_prepare(const camera_calib *c, const char *path, int frame_width,
                                 int frame_height, int x, int y, int width, int height,
                                 gcv_undistort **maps, GError **error);

#endif
