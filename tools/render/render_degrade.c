/*
 * render_degrade.c — whole-image degradations for synthetic fixtures: gaussian noise
 * drawn from the caller's PRNG, gaussian and motion blur, brightness/contrast, dusk
 * and night-infrared looks, and a mild random perspective tilt that also maps the
 * caller's points (so labels follow the pixels).
 */
#include <math.h>

#include "render_internal.h"

/* About standard normal from one 64-bit draw: the sum of four 16-bit uniforms
 * (Irwin-Hall), centred and scaled. Much cheaper than Box-Muller per pixel, and
 * free of libm, so the same on every machine. */
static double fast_gauss(render_rng *rng)
{
    uint64_t r = render_rng_next(rng);
    long sum = (long)(r & 0xFFFF) + (long)((r >> 16) & 0xFFFF) + (long)((r >> 32) & 0xFFFF) +
               (long)(r >> 48);
    return (sum - 131070) / 37837.23;
}

void render_add_noise(gcv_image *img, render_rng *rng, double sigma)
{
    if (!img || sigma <= 0)
        return;
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = 0; x < img->width * img->channels; x++)
            row[x] = (uint8_t)render_clamp_u8(row[x] + sigma * fast_gauss(rng));
    }
}

gcv_image *render_blur(const gcv_image *img, double sigma, GError **error)
{
    int k = 2 * (int)ceil(3 * sigma) + 1;
    gcv_image *out = gcv_gaussian_blur(img, MAX(1, k), sigma);
    if (!out)
        render_set_cv_error(error, "gaussian blur");
    return out;
}

gcv_image *render_motion_blur(const gcv_image *img, int length, double angle_deg, GError **error)
{
    gcv_image *out = gcv_motion_blur(img, length, angle_deg);
    if (!out)
        render_set_cv_error(error, "motion blur");
    return out;
}

/* Applies v' = a * v + b to every channel through a lookup table. */
static void apply_linear(gcv_image *img, const double a[3], const double b[3])
{
    uint8_t lut[3][256];
    for (int c = 0; c < 3; c++)
        for (int v = 0; v < 256; v++)
            lut[c][v] = (uint8_t)render_clamp_u8(a[c] * v + b[c]);
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = 0; x < img->width; x++)
            for (int c = 0; c < img->channels; c++)
                row[x * img->channels + c] = lut[c][row[x * img->channels + c]];
    }
}

void render_brightness_contrast(gcv_image *img, double contrast, double brightness)
{
    if (!img)
        return;
    double b = 128.0 * (1.0 - contrast) + brightness;
    const double a3[3] = {contrast, contrast, contrast}, b3[3] = {b, b, b};
    apply_linear(img, a3, b3);
}

void render_dusk(gcv_image *img)
{
    if (!img)
        return;
    const double a[3] = {0.55, 0.45, 0.40}, b[3] = {22, 14, 10}; /* B, G, R: bluish, dark */
    apply_linear(img, a, b);
}

void render_night_ir(gcv_image *img)
{
    if (!img)
        return;
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = 0; x < img->width; x++) {
            uint8_t *p = row + (size_t)x * img->channels;
            int grey = img->channels == 3 ? (p[0] * 29 + p[1] * 150 + p[2] * 77) >> 8 : p[0];
            int v = 60 + grey * 45 / 100; /* low contrast, lifted blacks */
            for (int c = 0; c < img->channels; c++)
                p[c] = (uint8_t)v;
        }
    }
}

gcv_point render_map_point(const double h[9], gcv_point p)
{
    double w = h[6] * p.x + h[7] * p.y + h[8];
    if (fabs(w) < 1e-12)
        w = 1e-12;
    return (gcv_point){(float)((h[0] * p.x + h[1] * p.y + h[2]) / w),
                       (float)((h[3] * p.x + h[4] * p.y + h[5]) / w)};
}

gcv_image *render_tilt(const gcv_image *img, render_rng *rng, double strength, gcv_point *pts,
                       int n, GError **error)
{
    if (!img || strength < 0 || strength > 0.3) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "tilt strength must be 0..0.3");
        return NULL;
    }
    float w = (float)img->width, h = (float)img->height;
    const gcv_point from[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    const float sx[4] = {1, -1, -1, 1}, sy[4] = {1, 1, -1, -1}; /* inwards */
    gcv_point to[4];
    for (int i = 0; i < 4; i++)
        to[i] = (gcv_point){from[i].x + sx[i] * (float)(render_rng_unit(rng) * strength * w),
                            from[i].y + sy[i] * (float)(render_rng_unit(rng) * strength * h)};
    double hm[9];
    if (gcv_perspective_transform(from, to, hm) < 0) {
        render_set_cv_error(error, "tilt transform");
        return NULL;
    }
    gcv_image *out = gcv_warp_perspective(img, hm, img->width, img->height, 110);
    if (!out) {
        render_set_cv_error(error, "tilt warp");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        pts[i] = render_map_point(hm, pts[i]);
    return out;
}
