/*
 * camera_calib.c — the checks of a camera's calibration (camera_calib.h): what makes one
 * unusable for the camera it names, found before a frame is read.
 */
#include "camera_calib.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void camera_calib_init(camera_calib *c)
{
    memset(c, 0, sizeof *c);
}

static bool refuse(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool refuse(char *msg, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return false;
}

static bool inside(const camera_calib *c, calib_point p)
{
    return isfinite(p.x) && isfinite(p.y) && p.x >= 0 && p.y >= 0 && p.x <= c->image_width &&
           p.y <= c->image_height;
}

static bool check_size(const camera_calib *c, char *msg, size_t len)
{
    if (c->image_width < 16 || c->image_width > CALIB_MAX_SIDE)
        return refuse(msg, len, "field image_width: %d is not a frame width (16..%d)",
                      c->image_width, CALIB_MAX_SIDE);
    if (c->image_height < 16 || c->image_height > CALIB_MAX_SIDE)
        return refuse(msg, len, "field image_height: %d is not a frame height (16..%d)",
                      c->image_height, CALIB_MAX_SIDE);
    return true;
}

static bool check_intrinsics(const camera_calib *c, char *msg, size_t len)
{
    const double *k = c->camera_matrix;
    for (int i = 0; i < 9; i++)
        if (!isfinite(k[i]))
            return refuse(msg, len, "field camera_matrix: element %d is not a finite number", i);
    if (k[0] <= 0 || k[4] <= 0)
        return refuse(msg, len,
                      "field camera_matrix: focal lengths fx=%g fy=%g must be positive "
                      "(the matrix is singular or mirrored)",
                      k[0], k[4]);
    if (k[3] != 0 || k[6] != 0 || k[7] != 0 || k[8] != 1)
        return refuse(msg, len,
                      "field camera_matrix: expected a camera matrix [fx s cx; 0 fy cy; 0 0 1]");
    double det = k[0] * k[4] * k[8];
    if (!(fabs(det) > 1e-9))
        return refuse(msg, len, "field camera_matrix: singular (determinant %g)", det);
    if (!inside(c, (calib_point){k[2], k[5]}))
        return refuse(msg, len,
                      "field camera_matrix: principal point (%g, %g) outside the %dx%d image",
                      k[2], k[5], c->image_width, c->image_height);
    int n = c->n_dist;
    if (n != 4 && n != 5 && n != 8 && n != 12 && n != 14)
        return refuse(msg, len,
                      "field distortion_coefficients: %d coefficients; OpenCV takes 4, 5, 8, 12 "
                      "or 14",
                      n);
    for (int i = 0; i < n; i++)
        if (!isfinite(c->dist[i]) || fabs(c->dist[i]) > 1e4)
            return refuse(msg, len,
                          "field distortion_coefficients: coefficient %d (%g) is not a usable "
                          "number",
                          i, c->dist[i]);
    return true;
}

/* Twice the polygon's signed area (shoelace). */
static double twice_area(const calib_point *p, int n)
{
    double a = 0;
    for (int i = 0; i < n; i++) {
        const calib_point *q = &p[(i + 1) % n];
        a += p[i].x * q->y - q->x * p[i].y;
    }
    return a;
}

static bool check_roi(const camera_calib *c, char *msg, size_t len)
{
    if (c->n_roi == 0)
        return true;
    if (c->n_roi < 3 || c->n_roi > CALIB_MAX_ROI_POINTS)
        return refuse(msg, len, "field roi_polygon: %d points; a polygon takes 3..%d", c->n_roi,
                      CALIB_MAX_ROI_POINTS);
    for (int i = 0; i < c->n_roi; i++)
        if (!inside(c, c->roi[i]))
            return refuse(msg, len, "field roi_polygon[%d]: point (%g, %g) outside the %dx%d image",
                          i, c->roi[i].x, c->roi[i].y, c->image_width, c->image_height);
    /* a polygon of less than one square pixel holds no lane: its points are on a line */
    if (fabs(twice_area(c->roi, c->n_roi)) < 2.0)
        return refuse(msg, len, "field roi_polygon: degenerate (its points enclose no area)");
    return true;
}

static bool check_tripwire(const camera_calib *c, char *msg, size_t len)
{
    if (!c->has_tripwire)
        return true;
    for (int i = 0; i < 2; i++)
        if (!inside(c, c->tripwire[i]))
            return refuse(msg, len, "field tripwire: point %d (%g, %g) outside the %dx%d image", i,
                          c->tripwire[i].x, c->tripwire[i].y, c->image_width, c->image_height);
    if (c->tripwire[0].x == c->tripwire[1].x && c->tripwire[0].y == c->tripwire[1].y)
        return refuse(msg, len, "field tripwire: its two points are the same");
    return true;
}

static bool check_scalars(const camera_calib *c, char *msg, size_t len)
{
    double m = c->metres_per_pixel;
    if (!isfinite(m) || (m != 0 && (m < 0.0001 || m > 1)))
        return refuse(msg, len, "field metres_per_pixel: %g is out of range (0.0001..1)", m);
    double h = c->plate_height_px;
    if (!isfinite(h) || (h != 0 && (h < 4 || h > c->image_height)))
        return refuse(msg, len, "field plate_height_px: %g is out of range (4..image_height %d)", h,
                      c->image_height);
    if (!isfinite(c->rms_px) || c->rms_px < 0)
        return refuse(msg, len, "field rms_reprojection_error: %g is not a distance in pixels",
                      c->rms_px);
    return true;
}

bool camera_calib_check(const camera_calib *c, char *msg, size_t msg_len)
{
    return check_size(c, msg, msg_len) &&
           (!c->has_intrinsics || check_intrinsics(c, msg, msg_len)) &&
           check_roi(c, msg, msg_len) && check_tripwire(c, msg, msg_len) &&
           check_scalars(c, msg, msg_len);
}

bool camera_calib_check_frame(const camera_calib *c, int width, int height, char *msg,
                              size_t msg_len)
{
    if (c->image_width != width)
        return refuse(msg, msg_len,
                      "field image_width: %d, but the camera's frames are %dx%d (a calibration "
                      "of another camera or resolution)",
                      c->image_width, width, height);
    if (c->image_height != height)
        return refuse(msg, msg_len,
                      "field image_height: %d, but the camera's frames are %dx%d (a calibration "
                      "of another camera or resolution)",
                      c->image_height, width, height);
    return true;
}

void camera_calib_roi_box(const camera_calib *c, int *x, int *y, int *width, int *height)
{
    double x0 = c->image_width, y0 = c->image_height, x1 = 0, y1 = 0;
    for (int i = 0; i < c->n_roi; i++) {
        x0 = fmin(x0, c->roi[i].x);
        y0 = fmin(y0, c->roi[i].y);
        x1 = fmax(x1, c->roi[i].x);
        y1 = fmax(y1, c->roi[i].y);
    }
    int ix0 = (int)floor(fmax(x0, 0)), iy0 = (int)floor(fmax(y0, 0));
    int ix1 = (int)ceil(fmin(x1, c->image_width)), iy1 = (int)ceil(fmin(y1, c->image_height));
    *x = ix0;
    *y = iy0;
    *width = ix1 > ix0 ? ix1 - ix0 : 0;
    *height = iy1 > iy0 ? iy1 - iy0 : 0;
}
