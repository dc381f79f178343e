/*
 * gcv_camera.h — camera geometry from OpenCV's calib3d, for calibration and undistortion:
 * chessboard corners, the intrinsics from them, undistortion of a whole frame or of one
 * region with maps made once, and a rendered chessboard view for the tests. Same rules as
 * gcv.h: the caller owns what is returned; failures leave gcv_last_error().
 *
 * A camera matrix is 9 doubles, row-major; distortion is n_dist (4, 5, 8, 12 or 14) doubles
 * in OpenCV's order (k1 k2 p1 p2 [k3 [k4 k5 k6 [s1 s2 s3 s4 [tx ty]]]]).
 */
#ifndef GATECV_GCV_CAMERA_H
#define GATECV_GCV_CAMERA_H

#include "gcv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The cols x rows inner corners of a chessboard in img, refined to subpixel (cornerSubPix),
 * into corners[cols * rows]. 1 found, 0 not found, -1 error. */
int gcv_find_chessboard(const gcv_image *img, int cols, int rows, gcv_point *corners);

/* The intrinsics from n_views views' corners (n_views * cols * rows points, view by view) of
 * a board of square_size units, in images of width x height: camera_matrix[9], dist[5]
 * (k1 k2 p1 p2 k3) and the RMS reprojection error in pixels. 0 or -1. */
int gcv_calibrate_camera(const gcv_point *corners, int n_views, int cols, int rows,
                         double square_size, int width, int height, double camera_matrix[9],
                         double dist[5], double *rms);

/* The whole image undistorted (cv::undistort, same camera matrix). */
gcv_image *gcv_undistort_image(const gcv_image *src, const double camera_matrix[9],
                               const double *dist, int n_dist);

/* Undistortion of one region of a camera's frames, its maps made once: the region
 * (x, y, width, height) of the undistorted frame is made from source() of the distorted one. */
typedef struct gcv_undistort gcv_undistort;
gcv_undistort *gcv_undistort_new(const double camera_matrix[9], const double *dist, int n_dist,
                                 int frame_width, int frame_height, int x, int y, int width,
                                 int height);
void gcv_undistort_free(gcv_undistort *u);
/* The rectangle of the distorted frame the region needs (x, y even, for 4:2:0 frames). */
void gcv_undistort_source(const gcv_undistort *u, int *x, int *y, int *width, int *height);
/* The undistorted region from `source`, that rectangle of the distorted frame (cv::remap,
 * bilinear). NULL + error if source is not that rectangle's size. */
gcv_image *gcv_undistort_apply(const gcv_undistort *u, const gcv_image *source);

/* A grey image of width x height: a chessboard of cols x rows inner corners and squares of
 * `square` units (with a white border of one square) seen by a camera with the given
 * intrinsics from pose rvec (Rodrigues) / tvec (same units); a grey background. 2x2
 * supersampled, for calibration tests whose answer is known. NULL + error. */
gcv_image *gcv_render_chessboard(int width, int height, const double camera_matrix[9],
                                 const double *dist, int n_dist, const double rvec[3],
                                 const double tvec[3], int cols, int rows, double square);

/* Frames of a video file (cv::VideoCapture), one by one: NULL at its end. */
typedef struct gcv_video gcv_video;
gcv_video *gcv_video_open(const char *path);
gcv_image *gcv_video_next(gcv_video *v);
void gcv_video_free(gcv_video *v);

#ifdef __cplusplus
}
#endif
#endif
