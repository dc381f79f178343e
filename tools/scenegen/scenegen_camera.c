/*
 * scenegen_camera.c — the camera rigs (intrinsics, placement, the fixed pole-camera
 * homography), projecting vehicles into items in painter's order, the coarse
 * visibility raster, and each camera's ROI and tripwire for lane.conf.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenegen_camera.h"
#include "gcv_geometry.h"

static const char *const ROLE_NAMES[SG_N_CAMERAS] = {"front", "rear", "side-left", "side-right"};

const char *sg_role_name(sg_role r)
{
    return (int)r >= 0 && r < SG_N_CAMERAS ? ROLE_NAMES[r] : "unknown";
}

bool sg_role_parse(const char *s, sg_role *out)
{
    for (int r = 0; r < SG_N_CAMERAS; r++)
        if (strcmp(s, ROLE_NAMES[r]) == 0) {
            *out = (sg_role)r;
            return true;
        }
    return false;
}

/* --- homographies ----------------------------------------------------------------------- */

/* Solves the n×n system a·x = b in place (partial pivoting); false if singular. */
static bool solve_linear(double a[8][8], double b[8], int n)
{
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (fabs(a[piv][c]) < 1e-12)
            return false;
        for (int k = 0; k < n; k++) {
            double t = a[c][k];
            a[c][k] = a[piv][k], a[piv][k] = t;
        }
        double t = b[c];
        b[c] = b[piv], b[piv] = t;
        for (int r = 0; r < n; r++) {
            if (r == c)
                continue;
            double f = a[r][c] / a[c][c];
            for (int k = c; k < n; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int c = 0; c < n; c++)
        b[c] /= a[c][c];
    return true;
}

bool sg_homography(const gcv_point src[4], const gcv_point dst[4], double h[9])
{
    double a[8][8], b[8];
    for (int i = 0; i < 4; i++) {
        double x = src[i].x, y = src[i].y, u = dst[i].x, v = dst[i].y;
        const double r0[8] = {x, y, 1, 0, 0, 0, -x * u, -y * u};
        const double r1[8] = {0, 0, 0, x, y, 1, -x * v, -y * v};
        memcpy(a[2 * i], r0, sizeof r0);
        memcpy(a[2 * i + 1], r1, sizeof r1);
        b[2 * i] = u;
        b[2 * i + 1] = v;
    }
    if (!solve_linear(a, b, 8))
        return false;
    memcpy(h, b, 8 * sizeof(double));
    h[8] = 1.0;
    return true;
}

gcv_point sg_homography_apply(const double h[9], gcv_point p)
{
    double w = h[6] * p.x + h[7] * p.y + h[8];
    if (fabs(w) < 1e-12)
        w = 1e-12;
    return (gcv_point){(float)((h[0] * p.x + h[1] * p.y + h[2]) / w),
                       (float)((h[3] * p.x + h[4] * p.y + h[5]) / w)};
}

/* --- rigs ---------------------------------------------------------------------------------- */

/* Per role: focal (× width), principal row (× height), mount height, position, look,
 * near and far limits, tripwire line, and the outward shift of the four corners (× width,
 * × height) that makes the pole-camera homography. */
typedef struct {
    double f, cy, mount_h, pos;
    int look;
    double d_clip, d_max, tripwire_x;
    double corner[4][2];
} rig;

static const rig RIGS[SG_N_CAMERAS] = {
    [SG_CAM_FRONT] = {1.50,
                      -0.56,
                      4.5,
                      9.0,
                      -1,
                      0.6,
                      1e9,
                      0.0,
                      {{0.030, 0.040}, {0.012, 0.010}, {0.040, 0.030}, {0.010, 0.022}}},
    [SG_CAM_REAR] = {1.15,
                     -0.81,
                     5.5,
                     -13.0,
                     1,
                     0.6,
                     1e9,
                     0.0,
                     {{0.010, 0.030}, {0.035, 0.012}, {0.015, 0.035}, {0.030, 0.010}}},
    [SG_CAM_SIDE_LEFT] = {0.64,
                          0.43,
                          2.3,
                          6.5,
                          -1,
                          0.6,
                          1e9,
                          0.0,
                          {{0.020, 0.045}, {0.020, 0.010}, {0.012, 0.012}, {0.012, 0.030}}},
    [SG_CAM_SIDE_RIGHT] = {0.64,
                           0.43,
                           2.3,
                           6.5,
                           1,
                           0.6,
                           1e9,
                           0.0,
                           {{0.020, 0.010}, {0.020, 0.045}, {0.012, 0.030}, {0.012, 0.012}}},
};

void sg_camera_init(sg_camera *cam, sg_role role, int width, int height)
{
    const rig *r = &RIGS[role];
    memset(cam, 0, sizeof *cam);
    cam->role = role;
    cam->width = width;
    cam->height = height;
    cam->f = r->f * width;
    cam->cx = width / 2.0;
    cam->cy = r->cy * height;
    cam->mount_h = r->mount_h;
    cam->pos = r->pos;
    cam->look = r->look;
    cam->d_clip = r->d_clip;
    cam->d_max = r->d_max;
    cam->tripwire_x = r->tripwire_x;
    const float w = (float)width, h = (float)height;
    const gcv_point src[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    const float sx[4] = {-1, 1, 1, -1}, sy[4] = {-1, -1, 1, 1}; /* outwards */
    gcv_point dst[4];
    for (int i = 0; i < 4; i++)
        dst[i] = (gcv_point){src[i].x + sx[i] * (float)(r->corner[i][0] * w),
                             src[i].y + sy[i] * (float)(r->corner[i][1] * h)};
    if (!sg_homography(src, dst, cam->warp)) { /* cannot happen with these corners */
        memset(cam->warp, 0, sizeof cam->warp);
        cam->warp[0] = cam->warp[4] = cam->warp[8] = 1.0;
    }
}

bool sg_camera_along(const sg_camera *cam)
{
    return cam->role == SG_CAM_FRONT || cam->role == SG_CAM_REAR;
}

gcv_point sg_camera_to_output(const sg_camera *cam, gcv_point p)
{
    return sg_homography_apply(cam->warp, p);
}

/* --- scenes ---------------------------------------------------------------------------------- */

int sg_scene_capacity(int n_vehicles)
{
    return n_vehicles * SG_MAX_SECTIONS * 2;
}

static void set_rect(sg_item *it, double x0, double y0, double x1, double y1)
{
    it->quad[0] = (gcv_point){(float)x0, (float)y0};
    it->quad[1] = (gcv_point){(float)x1, (float)y0};
    it->quad[2] = (gcv_point){(float)x1, (float)y1};
    it->quad[3] = (gcv_point){(float)x0, (float)y1};
}

/* Image row of height h at distance d (front/rear). */
static double row_at(const sg_camera *cam, double h, double d)
{
    return cam->cy + cam->f * (cam->mount_h - h) / d;
}

/* The roof of a section between distances d0 < d1 (clipped so that it stays within a
 * few image heights: the visible part is exact). Returns false if nothing is left. */
static bool roof_item(const sg_camera *cam, const sg_vehicle *v, const sg_section *s, double d0,
                      double d1, sg_item *it)
{
    if (cam->mount_h <= s->height + 0.05)
        return false;
    double bottom = 4.0 * cam->height;
    double d_min = cam->f * (cam->mount_h - s->height) / (bottom - cam->cy);
    d0 = fmax(d0, fmax(cam->d_clip * 0.5, d_min));
    d1 = fmin(d1, cam->d_max);
    if (d1 <= d0)
        return false;
    double hw = v->width_m / 2, f = cam->f;
    it->face = SG_FACE_TOP;
    it->quad[0] = (gcv_point){(float)(cam->cx - f * hw / d1), (float)row_at(cam, s->height, d1)};
    it->quad[1] = (gcv_point){(float)(cam->cx + f * hw / d1), (float)row_at(cam, s->height, d1)};
    it->quad[2] = (gcv_point){(float)(cam->cx + f * hw / d0), (float)row_at(cam, s->height, d0)};
    it->quad[3] = (gcv_point){(float)(cam->cx - f * hw / d0), (float)row_at(cam, s->height, d0)};
    it->px_per_m = 0;
    return true;
}

/* True while a vehicle passes a camera that cannot see over it: the camera stands
 * beside the lane, and the model draws nothing rather than a face from inside. */
static bool passing_by(const sg_camera *cam, const sg_vehicle *v, double p)
{
    double d_front = cam->look * (sg_vehicle_x(v, p, 0) - cam->pos);
    double d_rear = cam->look * (sg_vehicle_x(v, p, v->length_m) - cam->pos);
    double top = 0;
    for (int i = 0; i < v->n_sections; i++)
        top = fmax(top, v->sections[i].height);
    return fmin(d_front, d_rear) < cam->d_clip && fmax(d_front, d_rear) > 0 &&
           cam->mount_h <= top + 0.05;
}

/* Items of one vehicle seen by a front/rear camera. */
static int along_items(const sg_camera *cam, const sg_vehicle *v, int vi, double t, sg_item *out)
{
    int n = 0, dir = v->direction == SG_VN_TO_CN ? 1 : -1;
    bool approaching = dir == -cam->look;
    double p = sg_vehicle_front(v, t), hw = v->width_m / 2;
    if (passing_by(cam, v, p))
        return 0;
    for (int si = 0; si < v->n_sections; si++) {
        const sg_section *s = &v->sections[si];
        double da = cam->look * (sg_vehicle_x(v, p, s->a0) - cam->pos);
        double db = cam->look * (sg_vehicle_x(v, p, s->a1) - cam->pos);
        double d_near = fmin(da, db), d_far = fmax(da, db);
        if (d_far < cam->d_clip || d_near > cam->d_max)
            continue;
        sg_item *roof = &out[n];
        roof->vehicle = vi, roof->section = si, roof->depth = d_near + 1e-6;
        if (roof_item(cam, v, s, d_near, d_far, roof))
            n++;
        if (d_near < cam->d_clip)
            continue;
        sg_item *it = &out[n++];
        it->vehicle = vi, it->section = si, it->depth = d_near;
        it->face = approaching ? SG_FACE_FRONT : SG_FACE_REAR;
        it->px_per_m = cam->f / d_near;
        set_rect(it, cam->cx - cam->f * hw / d_near, row_at(cam, s->height, d_near),
                 cam->cx + cam->f * hw / d_near, row_at(cam, 0.0, d_near));
    }
    return n;
}

/* Items of one vehicle seen by a side camera: one side face per section. */
static int side_items(const sg_camera *cam, const sg_vehicle *v, int vi, double t, sg_item *out)
{
    int n = 0, dir = v->direction == SG_VN_TO_CN ? 1 : -1;
    double depth = cam->pos - v->width_m / 2, s_px = cam->f / depth;
    double p = sg_vehicle_front(v, t);
    double y0 = cam->cy + cam->f * cam->mount_h / depth;
    for (int si = 0; si < v->n_sections; si++) {
        const sg_section *s = &v->sections[si];
        double xa = cam->cx + cam->look * s_px * sg_vehicle_x(v, p, s->a0);
        double xb = cam->cx + cam->look * s_px * sg_vehicle_x(v, p, s->a1);
        double x0 = fmin(xa, xb), x1 = fmax(xa, xb);
        if (x1 < -0.1 * cam->width || x0 > 1.1 * cam->width)
            continue;
        sg_item *it = &out[n++];
        it->vehicle = vi, it->section = si, it->depth = depth;
        it->face = cam->look * dir == -1 ? SG_FACE_LEFT : SG_FACE_RIGHT;
        it->px_per_m = s_px;
        set_rect(it, x0, y0 - s_px * s->height, x1, y0);
    }
    return n;
}

static int by_depth_desc(const void *a, const void *b)
{
    const sg_item *x = a, *y = b;
    if (x->depth != y->depth)
        return x->depth < y->depth ? 1 : -1;
    if (x->vehicle != y->vehicle)
        return x->vehicle - y->vehicle;
    return x->section - y->section;
}

int sg_camera_scene(const sg_camera *cam, const sg_vehicle *vehicles, int n, double t, sg_item *out)
{
    int count = 0;
    for (int i = 0; i < n; i++)
        count += sg_camera_along(cam) ? along_items(cam, &vehicles[i], i, t, out + count)
                                      : side_items(cam, &vehicles[i], i, t, out + count);
    qsort(out, (size_t)count, sizeof *out, by_depth_desc);
    return count;
}

/* --- coarse visibility -------------------------------------------------------------------- */

/* Fills the convex polygon q (grid units) with `id` on the grid. */
static void grid_fill(int *grid, const gcv_point q[4], int id)
{
    double ymin = q[0].y, ymax = q[0].y;
    for (int i = 1; i < 4; i++)
        ymin = fmin(ymin, q[i].y), ymax = fmax(ymax, q[i].y);
    int r0 = (int)fmax(0, ceil(ymin - 0.5)), r1 = (int)fmin(SG_VIS_ROWS - 1, floor(ymax - 0.5));
    for (int r = r0; r <= r1; r++) {
        double yc = r + 0.5, xl = INFINITY, xr = -INFINITY;
        for (int i = 0; i < 4; i++) {
            gcv_point a = q[i], b = q[(i + 1) % 4];
            if ((yc < a.y && yc < b.y) || (yc > a.y && yc > b.y) || a.y == b.y)
                continue;
            double x = a.x + (yc - a.y) * (b.x - a.x) / (b.y - a.y);
            xl = fmin(xl, x), xr = fmax(xr, x);
        }
        int c0 = (int)fmax(0, ceil(xl - 0.5)), c1 = (int)fmin(SG_VIS_COLS - 1, floor(xr - 0.5));
        for (int c = c0; c <= c1; c++)
            grid[r * SG_VIS_COLS + c] = id;
    }
}

void sg_camera_visibility(const sg_camera *cam, const sg_item *items, int n_items, int *cells,
                          int n_vehicles)
{
    static const int empty = -1;
    int grid[SG_VIS_ROWS * SG_VIS_COLS];
    for (int i = 0; i < SG_VIS_ROWS * SG_VIS_COLS; i++)
        grid[i] = empty;
    double sx = (double)SG_VIS_COLS / cam->width, sy = (double)SG_VIS_ROWS / cam->height;
    for (int i = 0; i < n_items; i++) {
        gcv_point q[4];
        for (int k = 0; k < 4; k++) {
            gcv_point o = sg_camera_to_output(cam, items[i].quad[k]);
            q[k] = (gcv_point){(float)(o.x * sx), (float)(o.y * sy)};
        }
        grid_fill(grid, q, items[i].vehicle);
    }
    memset(cells, 0, sizeof *cells * (size_t)n_vehicles);
    for (int i = 0; i < SG_VIS_ROWS * SG_VIS_COLS; i++)
        if (grid[i] >= 0 && grid[i] < n_vehicles)
            cells[grid[i]]++;
}

/* --- lane.conf geometry ------------------------------------------------------------------- */

/* Grows the box b (x0, y0, x1, y1) to hold the output image of rectified point p. */
static void grow_box(const sg_camera *cam, double b[4], double x, double y)
{
    gcv_point o = sg_camera_to_output(cam, (gcv_point){(float)x, (float)y});
    b[0] = fmin(b[0], o.x), b[1] = fmin(b[1], o.y);
    b[2] = fmax(b[2], o.x), b[3] = fmax(b[3], o.y);
}

#define LANE_HALF_WIDTH 1.6 /* the widest vehicle's half width, with mirrors */
#define LANE_TOP 4.3        /* the tallest load */
#define TRUCK_HALF_WIDTH 1.25

void sg_camera_roi(const sg_camera *cam, int roi[4])
{
    double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    if (sg_camera_along(cam)) {
        double d_near = cam->cy < cam->height ? cam->f * cam->mount_h / (cam->height - cam->cy) : 1;
        double d_far = cam->cy < 0 ? cam->f * cam->mount_h / -cam->cy : cam->d_max;
        d_far = fmin(d_far, cam->d_max);
        const double ds[2] = {d_near, d_far}, hs[2] = {0, LANE_TOP};
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int k = -1; k <= 1; k += 2)
                    grow_box(cam, b, cam->cx + k * cam->f * LANE_HALF_WIDTH / ds[i],
                             row_at(cam, hs[j], ds[i]));
    } else {
        const double depths[2] = {cam->pos - LANE_HALF_WIDTH, cam->pos - 0.9};
        for (int i = 0; i < 2; i++) {
            double y0 = cam->cy + cam->f * cam->mount_h / depths[i];
            double y1 = cam->cy + cam->f * (cam->mount_h - LANE_TOP) / depths[i];
            grow_box(cam, b, 0, y0), grow_box(cam, b, cam->width, y0);
            grow_box(cam, b, 0, y1), grow_box(cam, b, cam->width, y1);
        }
    }
    int x0 = (int)fmax(0, floor(b[0])), y0 = (int)fmax(0, floor(b[1]));
    int x1 = (int)fmin(cam->width, ceil(b[2])), y1 = (int)fmin(cam->height, ceil(b[3]));
    roi[0] = x0, roi[1] = y0, roi[2] = x1 - x0, roi[3] = y1 - y0;
}

void sg_camera_tripwire(const sg_camera *cam, int line[4])
{
    double w = cam->width, h = cam->height;
    gcv_point a, b;
    if (sg_camera_along(cam)) {
        double y = row_at(cam, 0.0, cam->look * (cam->tripwire_x - cam->pos));
        /* VN_TO_CN vehicles come towards the front camera (down the image) and leave
         * the rear camera (up the image) */
        bool down = cam->look == -1;
        a = (gcv_point){(float)(down ? 0 : w), (float)y};
        b = (gcv_point){(float)(down ? w : 0), (float)y};
    } else {
        /* VN_TO_CN vehicles move left in side-left, right in side-right */
        bool leftwards = cam->look == -1;
        a = (gcv_point){(float)(w / 2), (float)(leftwards ? 0 : h)};
        b = (gcv_point){(float)(w / 2), (float)(leftwards ? h : 0)};
    }
    a = sg_camera_to_output(cam, a);
    b = sg_camera_to_output(cam, b);
    if (!gcv_clip_segment(&a, &b, 0, 0, w - 1, h - 1)) {
        a = (gcv_point){0, 0}, b = (gcv_point){(float)(w - 1), 0};
    }
    line[0] = (int)lround(a.x), line[1] = (int)lround(a.y);
    line[2] = (int)lround(b.x), line[3] = (int)lround(b.y);
}

double sg_camera_metres_per_pixel(const sg_camera *cam)
{
    if (sg_camera_along(cam) || cam->f <= 0)
        return 0;
    return (cam->pos - TRUCK_HALF_WIDTH) / cam->f; /* side_items draws at f / depth px per m */
}
