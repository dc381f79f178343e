/*
 * camera_calib.h — one camera's calibration as gatecv keeps it (a FileStorage YAML file, see
 * gcv_calib.h for reading and writing it): the image size it was made for, the intrinsics
 * (3x3 camera matrix and 4, 5, 8, 12 or 14 distortion coefficients), and the lane's geometry
 * in that image (ROI polygon, tripwire, metres per pixel, expected plate height).
 *
 * Plain C with no OpenCV and no GLib, so the wrapper, the daemon, the tools and the fuzzer
 * share one struct and one set of checks. The checks report the first problem as
 * "field NAME: what is wrong" (the caller puts the file name in front).
 */
#ifndef GATECV_CAMERA_CALIB_H
#define GATECV_CAMERA_CALIB_H

#include <stdbool.h>
#include <stddef.h>

#define CALIB_MAX_DIST 14     /* OpenCV's longest distortion model */
#define CALIB_MAX_ROI_POINTS 64
#define CALIB_MAX_SIDE 20000  /* pixels: no camera's frame is wider or taller */

typedef struct {
    double x, y;
} calib_point;

typedef struct camera_calib {
    int image_width, image_height; /* the frame size the calibration is for (required) */
    bool has_intrinsics;           /* camera_matrix and distortion_coefficients given */
    double camera_matrix[9];       /* row-major: fx 0 cx / 0 fy cy / 0 0 1 */
    int n_dist;                    /* 4, 5, 8, 12 or 14 with intrinsics, else 0 */
    double dist[CALIB_MAX_DIST];
    int n_roi;                     /* 0 (not given) or 3..CALIB_MAX_ROI_POINTS */
    calib_point roi[CALIB_MAX_ROI_POINTS];
    bool has_tripwire;
    calib_point tripwire[2];       /* directed from [0] to [1] (lane_config.h) */
    double metres_per_pixel;       /* 0: not given */
    double plate_height_px;        /* 0: not given */
    double rms_px;                 /* the intrinsics' RMS reprojection error; 0: unknown */
} camera_calib;

/* All zero: no field given. */
void camera_calib_init(camera_calib *c);

/* Checks the calibration on its own: a usable image size, a camera matrix with positive
 * focal lengths, its principal point in the image and a last row 0 0 1 (not singular), a
 * known number of finite distortion coefficients, ROI points and tripwire inside the image,
 * a ROI polygon that encloses an area (not all its points on a line), a tripwire of two
 * different points, and metres per pixel and plate height in range.
 * false + "field NAME: ..." in msg. */
bool camera_calib_check(const camera_calib *c, char *msg, size_t msg_len);

/* Checks it fits a camera whose frames are width x height: false + message naming
 * image_width / image_height when they differ. */
bool camera_calib_check_frame(const camera_calib *c, int width, int height, char *msg,
                              size_t msg_len);

/* The ROI polygon's bounding box, rounded out to whole pixels and clipped to the image. */
void camera_calib_roi_box(const camera_calib *c, int *x, int *y, int *width, int *height);

#endif
