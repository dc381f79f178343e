/*
 * gcv_calib.h — a camera's calibration file (camera_calib.h) read and written with OpenCV's
 * FileStorage (YAML). This part of the wrapper needs OpenCV's core only (the fuzz build links
 * it alone), so unlike gcv.h it reports a failure into the caller's buffer, as
 * "field PATH: what is wrong" where PATH is the node (roi_polygon[2][1]).
 *
 * The file (every field but the image size optional; see README "Calibrating a camera"):
 *
 *   %YAML:1.0
 *   ---
 *   image_width: 1920
 *   image_height: 1080
 *   camera_matrix: !!opencv-matrix { rows: 3, cols: 3, dt: d, data: [ fx, 0, cx, 0, fy, cy, 0, 0, 1 ] }
 *   distortion_coefficients: !!opencv-matrix { rows: 1, cols: 5, dt: d, data: [ k1, k2, p1, p2, k3 ] }
 *   rms_reprojection_error: 0.31
 *   roi_polygon: [ [ 0, 300 ], [ 1920, 300 ], [ 1920, 1000 ], [ 0, 1000 ] ]
 *   tripwire: [ [ 960, 1080 ], [ 960, 0 ] ]
 *   metres_per_pixel: 0.0064
 *   plate_height_px: 42
 *
 * The reader checks the file's shape (types, counts); camera_calib_check() its values.
 */
#ifndef GATECV_GCV_CALIB_H
#define GATECV_GCV_CALIB_H

#include <stddef.h>

#include "camera_calib.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read a calibration file into *out. 0, or -1 with the reason in why[why_len]. */
int gcv_calib_read_file(const char *path, camera_calib *out, char *why, size_t why_len);
/* The same on the text of a file held in memory (len bytes). */
int gcv_calib_read_memory(const char *text, size_t len, camera_calib *out, char *why,
                          size_t why_len);
/* Write every field given (the image size always). 0, or -1 with the reason. */
int gcv_calib_write_file(const char *path, const camera_calib *c, char *why, size_t why_len);

#ifdef __cplusplus
}
#endif
#endif
