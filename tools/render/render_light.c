/*
 * render_light.c — uneven light over a whole image, in place: a brightness gradient
 * (sun on one side of a box, a floodlight), a soft shadow band (a gantry, the next
 * trailer), a glare spot (sun or a lamp on wet or glossy paint). Real gate photos of
 * corner posts are rarely evenly lit; the reader must cope.
 */
#include <math.h>

#include "render_internal.h"

#define DEG (3.14159265358979 / 180.0)

/* Every pixel scaled by f(x, y) (clamped to 0..255). */
static void scale_pixels(gcv_image *img, double (*f)(const void *, int, int), const void *arg)
{
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = 0; x < img->width; x++) {
            double k = f(arg, x, y);
            for (int c = 0; c < img->channels; c++)
                row[x * img->channels + c] =
                    (uint8_t)render_clamp_u8(row[x * img->channels + c] * k);
        }
    }
}

typedef struct {
    double ux, uy, t0, t1, lo, hi; /* direction, its range over the image, the factors */
} gradient;

static double gradient_at(const void *arg, int x, int y)
{
    const gradient *g = arg;
    double t = (x * g->ux + y * g->uy - g->t0) / (g->t1 - g->t0);
    return g->lo + (g->hi - g->lo) * t;
}

void render_light_gradient(gcv_image *img, double angle_deg, double lo, double hi)
{
    if (!img)
        return;
    gradient g = {cos(angle_deg * DEG), sin(angle_deg * DEG), 0, 0, lo, hi};
    /* the projections of the corners give the range of t */
    const int cx[4] = {0, img->width, 0, img->width}, cy[4] = {0, 0, img->height, img->height};
    g.t0 = g.t1 = 0;
    for (int i = 0; i < 4; i++) {
        double t = cx[i] * g.ux + cy[i] * g.uy;
        g.t0 = MIN(g.t0, t), g.t1 = MAX(g.t1, t);
    }
    if (g.t1 - g.t0 < 1)
        return;
    scale_pixels(img, gradient_at, &g);
}

typedef struct {
    double cx, cy, nx, ny, half, darkness;
} band;

/* 1 outside the band, `darkness` in its core, a smooth ramp over its outer third. */
static double band_at(const void *arg, int x, int y)
{
    const band *b = arg;
    double d = fabs((x - b->cx) * b->nx + (y - b->cy) * b->ny);
    if (d >= b->half)
        return 1.0;
    double core = b->half * 2 / 3;
    if (d <= core)
        return b->darkness;
    double t = (d - core) / (b->half - core);
    return b->darkness + (1 - b->darkness) * t * t * (3 - 2 * t);
}

void render_shadow_band(gcv_image *img, double cx, double cy, double angle_deg, double width,
                        double darkness)
{
    if (!img || width < 1)
        return;
    /* n: the normal of the band's direction */
    band b = {cx, cy, -sin(angle_deg * DEG), cos(angle_deg * DEG), width / 2, darkness};
    scale_pixels(img, band_at, &b);
}

void render_glare(gcv_image *img, double cx, double cy, double radius, double strength)
{
    if (!img || radius < 1)
        return;
    int x0 = MAX(0, (int)(cx - radius)), x1 = MIN(img->width, (int)(cx + radius) + 1);
    int y0 = MAX(0, (int)(cy - radius)), y1 = MIN(img->height, (int)(cy + radius) + 1);
    for (int y = y0; y < y1; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = x0; x < x1; x++) {
            double d = hypot(x - cx, y - cy) / radius;
            if (d >= 1)
                continue;
            double a = strength * (1 - d * d) * (1 - d * d); /* bright core, soft fall-off */
            for (int c = 0; c < img->channels; c++) {
                uint8_t *v = &row[x * img->channels + c];
                *v = (uint8_t)render_clamp_u8(*v + (255 - *v) * a);
            }
        }
    }
}
