/*
 * scenegen_effects.c — per-frame photometric looks (dusk, night infrared, rain),
 * headlight glare and the side-view motion blur, on top of the renderer's
 * degradations (render_dusk, render_night_ir, render_add_noise, render_motion_blur),
 * and the noise tile that makes per-frame sensor noise cheap.
 */
#include <math.h>
#include <string.h>

#include "scenegen_effects.h"

/* --- noise ---------------------------------------------------------------------------------- */

#define NOISE_SIGMA 16.0 /* of the tile; frames scale it */
#define NOISE_PAD_X 256
#define NOISE_PAD_Y 128

struct sg_noise {
    gcv_image *tile; /* BGR, 128 + noise, grey */
};

sg_noise *sg_noise_new(int width, int height, uint64_t seed)
{
    gcv_image *grey = gcv_image_new(width + NOISE_PAD_X, height + NOISE_PAD_Y, 1);
    if (!grey)
        return NULL;
    memset(grey->data, 128, grey->stride * (size_t)grey->height);
    render_rng rng;
    render_rng_seed(&rng, seed ^ 0x401531ull);
    render_add_noise(grey, &rng, NOISE_SIGMA);
    gcv_image *tile = gcv_to_bgr(grey); /* the same noise on the three channels */
    gcv_image_free(grey);
    if (!tile)
        return NULL;
    sg_noise *nz = g_new(sg_noise, 1);
    nz->tile = tile;
    return nz;
}

void sg_noise_free(sg_noise *nz)
{
    if (!nz)
        return;
    gcv_image_free(nz->tile);
    g_free(nz);
}

void sg_noise_apply(const sg_noise *nz, gcv_image *img, double sigma, render_rng *rng)
{
    if (!nz || sigma <= 0 || img->channels != 3 || img->width + NOISE_PAD_X > nz->tile->width ||
        img->height + NOISE_PAD_Y > nz->tile->height)
        return;
    int k = (int)lround(sigma / NOISE_SIGMA * 256.0), n = img->width * 3;
    int dx = render_rng_range(rng, 0, NOISE_PAD_X - 1), dy = render_rng_range(rng, 0, NOISE_PAD_Y - 1);
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        const uint8_t *nr = nz->tile->data + (size_t)(y + dy) * nz->tile->stride + (size_t)dx * 3;
        for (int i = 0; i < n; i++) {
            int v = row[i] + (((nr[i] - 128) * k) >> 8);
            row[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

/* --- looks --------------------------------------------------------------------------------- */

double sg_effects_exposure(sg_condition cond)
{
    switch (cond) {
    case SG_NIGHT: return 1.0 / 90;
    case SG_DUSK: return 1.0 / 160;
    case SG_RAIN: return 1.0 / 200;
    default: return 1.0 / 300;
    }
}

/* Adds a soft bright blob (all channels) of the given strength (0..1). */
static void glare(gcv_image *img, gcv_point at, double radius, double strength)
{
    double reach = radius * 2.2;
    int x0 = MAX(0, (int)(at.x - reach)), x1 = MIN(img->width - 1, (int)(at.x + reach));
    int y0 = MAX(0, (int)(at.y - reach)), y1 = MIN(img->height - 1, (int)(at.y + reach));
    double inv = 1.0 / (radius * radius);
    for (int y = y0; y <= y1; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (int x = x0; x <= x1; x++) {
            double d2 = ((x - at.x) * (x - at.x) + (y - at.y) * (y - at.y)) * inv;
            if (d2 > 4.84)
                continue;
            double add = 255.0 * strength * exp(-1.6 * d2);
            for (int c = 0; c < img->channels; c++) {
                int v = row[x * img->channels + c] + (int)add;
                row[x * img->channels + c] = (uint8_t)MIN(255, v);
            }
        }
    }
}

static void rain_streaks(gcv_image *img, render_rng *rng)
{
    double scale = img->width / 1280.0;
    int n = (int)(260.0 * img->width * img->height / (1280.0 * 720.0)) + 20;
    for (int i = 0; i < n; i++) {
        double x = render_rng_uniform(rng, 0, img->width), y = render_rng_uniform(rng, 0, img->height);
        double len = render_rng_uniform(rng, 12, 36) * scale;
        int v = render_rng_range(rng, 150, 200);
        gcv_point a = {(float)x, (float)y}, b = {(float)(x - 0.18 * len), (float)(y + len)};
        gcv_draw_line(img, a, b, 1, v, v, v);
    }
}

void sg_effects_apply(gcv_image *img, sg_condition cond, const sg_light *lights, int n_lights,
                      const sg_noise *nz, render_rng *rng)
{
    switch (cond) {
    case SG_DUSK:
        render_dusk(img);
        for (int i = 0; i < n_lights; i++)
            glare(img, lights[i].at, lights[i].radius * 0.8, 0.55);
        sg_noise_apply(nz, img, 3.0, rng);
        break;
    case SG_NIGHT:
        render_night_ir(img);
        for (int i = 0; i < n_lights; i++)
            glare(img, lights[i].at, lights[i].radius, 0.9);
        sg_noise_apply(nz, img, 4.5, rng);
        break;
    case SG_RAIN:
        render_brightness_contrast(img, 0.8, -18);
        for (int i = 0; i < n_lights; i++)
            glare(img, lights[i].at, lights[i].radius * 0.6, 0.35);
        rain_streaks(img, rng);
        sg_noise_apply(nz, img, 5.0, rng);
        break;
    default:
        break;
    }
}

int sg_effects_motion_blur(gcv_image *img, int x, int y, int w, int h, int length, GError **error)
{
    int x0 = MAX(0, x), y0 = MAX(0, y), x1 = MIN(img->width, x + w), y1 = MIN(img->height, y + h);
    if (length < 2 || x1 <= x0 || y1 <= y0)
        return 0;
    gcv_image *crop = gcv_image_crop(img, x0, y0, x1 - x0, y1 - y0);
    gcv_image *blurred = crop ? render_motion_blur(crop, length, 0.0, error) : NULL;
    if (!crop && error && !*error)
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "blur crop: %s", gcv_last_error());
    if (blurred)
        for (int r = 0; r < blurred->height; r++)
            memcpy(img->data + (size_t)(y0 + r) * img->stride + (size_t)x0 * 3,
                   blurred->data + (size_t)r * blurred->stride, (size_t)blurred->width * 3);
    gcv_image_free(crop);
    gcv_image_free(blurred);
    return blurred ? 0 : -1;
}
