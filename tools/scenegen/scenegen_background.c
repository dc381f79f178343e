/*
 * scenegen_background.c — paints the empty lane for one camera: row by row for the
 * cameras that look along the lane (ground distance from the row), in bands for the
 * side cameras; then a little asphalt grain from the seed.
 */
#include <math.h>

#include "scenegen_background.h"

static const render_colour ASPHALT = {92, 94, 98}, KERB = {165, 168, 170}, VERGE = {80, 120, 105},
                           PAINT = {225, 228, 230}, CONCRETE = {150, 156, 160},
                           SKY_TOP = {220, 190, 160}, SKY_LOW = {235, 220, 205};

static void hline(gcv_image *img, int y, double x0, double x1, render_colour c)
{
    int a = (int)fmax(0, floor(x0)), b = (int)fmin(img->width, ceil(x1));
    if (b > a)
        gcv_fill_rect(img, a, y, b - a, 1, c.b, c.g, c.r);
}

static void sky_row(gcv_image *img, int y, double t)
{
    render_colour c = {(int)(SKY_TOP.b + (SKY_LOW.b - SKY_TOP.b) * t),
                       (int)(SKY_TOP.g + (SKY_LOW.g - SKY_TOP.g) * t),
                       (int)(SKY_TOP.r + (SKY_LOW.r - SKY_TOP.r) * t)};
    hline(img, y, 0, img->width, c);
}

/* One row of road at ground distance d (front/rear cameras). */
static void road_row(const sg_camera *cam, gcv_image *img, int y, double d)
{
    double k = cam->f / d, cx = cam->cx;
    hline(img, y, 0, img->width, VERGE);
    hline(img, y, cx - k * 3.6, cx + k * 3.6, KERB);
    hline(img, y, cx - k * 3.2, cx + k * 3.2, ASPHALT);
    hline(img, y, cx - k * 1.975, cx - k * 1.825, PAINT);
    hline(img, y, cx + k * 1.825, cx + k * 1.975, PAINT);
    /* the stop line across the lane at the tripwire, x = 0 */
    double x_world = cam->pos + cam->look * d;
    if (fabs(x_world) < 0.2)
        hline(img, y, cx - k * 1.9, cx + k * 1.9, PAINT);
}

static void along_background(const sg_camera *cam, gcv_image *img)
{
    for (int y = 0; y < img->height; y++) {
        double dy = y + 0.5 - cam->cy;
        double d = dy > 0 ? cam->f * cam->mount_h / dy : INFINITY;
        if (d > cam->d_max * 1.5)
            sky_row(img, y, fmin(1.0, (y + 1.0) / fmax(1.0, cam->cy)));
        else
            road_row(cam, img, y, d);
    }
}

/* Image row of height h at lateral depth d (side cameras). */
static double side_row(const sg_camera *cam, double h, double d)
{
    return cam->cy + cam->f * (cam->mount_h - h) / d;
}

static void side_background(const sg_camera *cam, gcv_image *img)
{
    double far = cam->pos + 5.0, k = cam->f / far;
    int wall_top = (int)side_row(cam, 3.2, far), wall_base = (int)side_row(cam, 0, far);
    for (int y = 0; y < img->height; y++) {
        if (y < wall_top)
            sky_row(img, y, (double)y / MAX(1, wall_top));
        else if (y < wall_base)
            hline(img, y, 0, img->width, CONCRETE);
        else
            hline(img, y, 0, img->width, ASPHALT);
    }
    for (double x = -40; x <= 40; x += 4.0) { /* wall pillars */
        int px = (int)(cam->cx + k * x);
        gcv_fill_rect(img, px, wall_top, MAX(2, (int)(k * 0.4)), wall_base - wall_top, 125, 130, 134);
    }
    int kerb = (int)side_row(cam, 0, cam->pos + 3.4);
    gcv_fill_rect(img, 0, wall_base, img->width, MAX(1, kerb - wall_base), KERB.b, KERB.g, KERB.r);
    double dn = cam->pos - 1.9, df = cam->pos + 1.9;
    const gcv_point stop[4] = {
        {(float)(cam->cx - cam->f * 0.2 / df), (float)side_row(cam, 0, df)},
        {(float)(cam->cx + cam->f * 0.2 / df), (float)side_row(cam, 0, df)},
        {(float)(cam->cx + cam->f * 0.2 / dn), (float)side_row(cam, 0, dn)},
        {(float)(cam->cx - cam->f * 0.2 / dn), (float)side_row(cam, 0, dn)},
    };
    gcv_fill_poly(img, stop, 4, PAINT.b, PAINT.g, PAINT.r);
}

gcv_image *sg_background_new(const sg_camera *cam, uint64_t seed, GError **error)
{
    gcv_image *img = gcv_image_new(cam->width, cam->height, 3);
    if (!img) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "background: %s", gcv_last_error());
        return NULL;
    }
    if (sg_camera_along(cam))
        along_background(cam, img);
    else
        side_background(cam, img);
    render_rng rng;
    render_rng_seed(&rng, seed ^ (0xB4C6ull * (cam->role + 1)));
    render_add_noise(img, &rng, 3.0);
    return img;
}
