/*
 * gcv.h — the C face of gatecv's only C++ code: a thin wrapper over OpenCV 4.6.
 *
 * OpenCV 4 has no C API, so everything gatecv needs from it goes through these
 * extern "C" functions. The wrapper owns no policy: it resizes, converts, warps,
 * runs a network, renders text — the recognition core decides what to do.
 *
 * Ownership: every gcv_image / gcv_net / gcv_font returned by a function here is
 * owned by the caller and released with its matching *_free(), which accepts NULL.
 * Functions never keep a pointer to an argument after they return.
 *
 * Errors: functions that can fail return NULL or a negative number and leave a
 * message for gcv_last_error() (per thread, valid until the next failing call).
 */
#ifndef GATECV_GCV_H
#define GATECV_GCV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An 8-bit image, 1 channel (grey) or 3 channels (BGR, OpenCV's order).
 * Rows are `stride` bytes apart; pixel (x, y) channel c is
 * data[y * stride + x * channels + c]. The struct owns `data`. */
typedef struct gcv_image {
    int width;
    int height;
    int channels;
    size_t stride;
    uint8_t *data;
} gcv_image;

typedef struct { float x, y; } gcv_point;

/* A rotated rectangle (OpenCV RotatedRect): centre, size, angle in degrees. */
typedef struct {
    gcv_point center;
    float width, height;
    float angle;
} gcv_rotated_rect;

/* One connected component: bounding box and pixel count. */
typedef struct {
    int x, y, width, height;
    int area;
} gcv_component;

const char *gcv_last_error(void);

/* --- images ----------------------------------------------------------- */
gcv_image *gcv_image_new(int width, int height, int channels); /* zero-filled */
void gcv_image_free(gcv_image *img);
gcv_image *gcv_image_clone(const gcv_image *img);
/* Copy of the rectangle (clipped to the image); NULL if nothing is left. */
gcv_image *gcv_image_crop(const gcv_image *img, int x, int y, int width, int height);
/* Decode a file (JPEG, PNG, BMP, ...) to BGR. NULL + error on unreadable data. */
gcv_image *gcv_image_read(const char *path);
/* Decode an encoded image held in memory to BGR. */
gcv_image *gcv_image_decode(const uint8_t *bytes, size_t len);
/* Write by file extension (.png, .jpg). Returns 0 or -1. */
int gcv_image_write(const gcv_image *img, const char *path);

/* --- geometry and colour ---------------------------------------------- */
enum gcv_interp { GCV_INTER_NEAREST = 0, GCV_INTER_LINEAR = 1, GCV_INTER_AREA = 3 };
gcv_image *gcv_resize(const gcv_image *src, int width, int height, enum gcv_interp interp);
gcv_image *gcv_to_gray(const gcv_image *src); /* 3→1 channel; 1 channel is copied */
gcv_image *gcv_to_bgr(const gcv_image *src);  /* 1→3 channels; 3 channels is copied */
/* Planar 4:2:0 video (a decoder's I420 or NV12 frame) to a BGR image of the
 * width x height rectangle at (x, y) of the frame: only that part is converted, which
 * is what makes reading a region of a decoded frame cheap. planes/strides: Y, U, V for
 * I420; Y, interleaved UV (planes[2] unused) for NV12. x and y are rounded down to even
 * numbers and the rectangle is clipped to the frame. NULL + error if nothing is left. */
enum gcv_yuv_layout { GCV_YUV_I420 = 0, GCV_YUV_NV12 = 1 };
gcv_image *gcv_yuv420_to_bgr(enum gcv_yuv_layout layout, const uint8_t *const planes[3],
                             const size_t strides[3], int frame_width, int frame_height, int x,
                             int y, int width, int height);
/* Map the quadrilateral `quad` (4 points: top-left, top-right, bottom-right,
 * bottom-left) of src onto an out_width × out_height rectangle. */
gcv_image *gcv_warp_quad(const gcv_image *src, const gcv_point quad[4],
                         int out_width, int out_height);
/* Apply a 3×3 homography (row-major, maps src → dst) into a dst of the given size;
 * pixels outside src are filled with `border` (grey level, all channels). */
gcv_image *gcv_warp_perspective(const gcv_image *src, const double h[9],
                                int out_width, int out_height, int border);
/* Homography taking the 4 points src[] onto dst[]; returns 0 or -1. */
int gcv_perspective_transform(const gcv_point src[4], const gcv_point dst[4], double h_out[9]);

/* --- binary images ---------------------------------------------------- */
enum gcv_morph_op { GCV_ERODE = 0, GCV_DILATE = 1, GCV_OPEN = 2, GCV_CLOSE = 3 };
/* Rectangular kernel of kw × kh. 1-channel src only. */
gcv_image *gcv_morph(const gcv_image *src, enum gcv_morph_op op, int kw, int kh);
/* 8-connected components of the non-zero pixels of a 1-channel image.
 * Returns the number of components found (background excluded) or -1.
 * Stats of up to max_out components go to out[] (in label order).
 * If labels_out is not NULL it receives a malloc'd width×height int32 label
 * map (0 = background, component i has label i+1); the caller frees it. */
int gcv_connected_components(const gcv_image *binary, gcv_component *out, int max_out,
                             int32_t **labels_out);
/* Smallest rotated rectangle around n points; returns 0 or -1. */
int gcv_min_area_rect(const gcv_point *pts, int n, gcv_rotated_rect *out);
/* The 4 corners of a rotated rectangle, ordered top-left, top-right,
 * bottom-right, bottom-left (by position in the image). */
void gcv_rotated_rect_corners(const gcv_rotated_rect *r, gcv_point out[4]);

/* --- filters and drawing (the generator and tests use these) ------------ */
gcv_image *gcv_gaussian_blur(const gcv_image *src, int ksize, double sigma);
/* Blur along a direction (motion blur): a line kernel of `length` px at `angle_deg`. */
gcv_image *gcv_motion_blur(const gcv_image *src, int length, double angle_deg);
/* Colours are B, G, R (grey images use b). In-place on img. */
void gcv_fill_rect(gcv_image *img, int x, int y, int width, int height, int b, int g, int r);
void gcv_fill_poly(gcv_image *img, const gcv_point *pts, int n, int b, int g, int r);
void gcv_draw_line(gcv_image *img, gcv_point a, gcv_point b, int thickness, int cb, int cg, int cr);

/* --- text rendering (FreeType, for the generator) ----------------------- */
typedef struct gcv_font gcv_font;
gcv_font *gcv_font_load(const char *path); /* a .ttf/.otf/.ttc file */
void gcv_font_free(gcv_font *font);
/* Size in pixels of utf8 drawn at `height` px; returns 0 or -1. */
int gcv_font_text_size(gcv_font *font, const char *utf8, int height, int *width_out,
                       int *height_out, int *baseline_out);
/* Draw utf8 with its top-left corner at (x, y); filled glyphs, in place.
 * Returns 0 or -1. */
int gcv_font_draw(gcv_font *font, gcv_image *img, const char *utf8, int x, int y, int height,
                  int b, int g, int r);

/* --- DNN (OpenCV's CPU backend) ---------------------------------------- */
typedef struct gcv_net gcv_net;
/* Load an ONNX model. NULL + error if the file is missing or OpenCV rejects it. */
gcv_net *gcv_net_load_onnx(const char *path);
void gcv_net_free(gcv_net *net);
/* Run one forward pass on an NCHW float blob of shape in_shape[0..3].
 * On success returns 0, *out is a malloc'd float array (caller frees) and
 * out_shape[0..*out_dims-1] its shape (at most 8 dims). */
int gcv_net_forward(gcv_net *net, const float *input, const int in_shape[4], float **out,
                    int out_shape[8], int *out_dims);
/* Threads OpenCV may use (cv::setNumThreads); 0 = sequential. */
void gcv_set_num_threads(int n);
/* Fill an NCHW blob (1×3×h×w) from a BGR image: value = (pixel/255 - mean[c]) / std[c]
 * with channel order B,G,R kept. The image must already be w×h. Returns 0 or -1. */
int gcv_image_to_blob(const gcv_image *bgr, float *blob, const float mean[3], const float std[3]);

#ifdef __cplusplus
}
#endif
#endif /* GATECV_GCV_H */
