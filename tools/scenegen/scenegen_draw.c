/*
 * scenegen_draw.c — one camera's frames: the sprite cache (a pyramid of halvings per
 * face for the cameras that look along the lane, one exact-scale sprite per face for
 * the side cameras), scaled blits of the visible part of a face, roofs, headlights
 * for the glare, side-view motion blur, the homography, the condition's look.
 */
#include <math.h>
#include <string.h>

#include "scenegen_background.h"
#include "scenegen_draw.h"
#include "scenegen_effects.h"

#define MAX_LEVELS 8
#define N_FACES 4 /* front, rear, left, right: the faces that have sprites */

typedef struct {
    gcv_image *level[MAX_LEVELS];
    double scale[MAX_LEVELS]; /* px per metre of each level */
    int n;
} pyramid;

struct sg_painter {
    const sg_camera *cam;
    const sg_world *world;
    sg_paint_fonts pf;
    uint64_t seed;
    gcv_image *background[2];     /* rectified: as drawn, and darkened for the night */
    gcv_image *background_out[2]; /* the same through the camera's homography */
    sg_noise *noise;
    gcv_image *canvas; /* the frame being drawn (rectified), reused */
    gcv_image *out;    /* the last output frame, reused */
    pyramid *sprites; /* [vehicle][section][face] */
    sg_item *items;
    sg_light *lights;
};

static pyramid *pyramid_of(sg_painter *p, int vehicle, int section, sg_face face)
{
    return &p->sprites[((size_t)vehicle * SG_MAX_SECTIONS + (size_t)section) * N_FACES + face];
}

static void pyramid_clear(pyramid *py)
{
    for (int i = 0; i < py->n; i++)
        gcv_image_free(py->level[i]);
    py->n = 0;
}

/* The empty scene by day, and at night (only what the infrared lamp lights is bright:
 * the vehicles; the scene behind them is darker). */
static bool make_backgrounds(sg_painter *p, GError **error)
{
    p->background[0] = sg_background_new(p->cam, p->seed, error);
    if (!p->background[0])
        return false;
    p->background[1] = gcv_image_clone(p->background[0]);
    if (p->background[1])
        render_brightness_contrast(p->background[1], 0.4, -77);
    for (int i = 0; i < 2; i++)
        p->background_out[i] = p->background[i] ? gcv_warp_perspective(p->background[i], p->cam->warp,
                                                                       p->cam->width, p->cam->height, 0)
                                                : NULL;
    if (!p->background[1] || !p->background_out[0] || !p->background_out[1]) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "background: %s", gcv_last_error());
        return false;
    }
    return true;
}

sg_painter *sg_painter_new(const sg_camera *cam, const sg_world *world, const sg_paint_fonts *pf,
                           uint64_t seed, GError **error)
{
    sg_painter *p = g_new0(sg_painter, 1);
    p->cam = cam;
    p->world = world;
    p->pf = *pf;
    p->seed = seed;
    p->sprites = g_new0(pyramid, (size_t)MAX(1, world->n) * SG_MAX_SECTIONS * N_FACES);
    p->items = g_new(sg_item, sg_scene_capacity(MAX(1, world->n)));
    p->lights = g_new(sg_light, 2 * MAX(1, world->n));
    if (!make_backgrounds(p, error)) {
        sg_painter_free(p);
        return NULL;
    }
    p->noise = sg_noise_new(cam->width, cam->height, seed);
    p->canvas = gcv_image_clone(p->background[0]);
    p->out = gcv_image_clone(p->background[0]);
    if (!p->noise || !p->canvas || !p->out) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "camera images: %s", gcv_last_error());
        sg_painter_free(p);
        return NULL;
    }
    return p;
}

void sg_painter_forget(sg_painter *p, int vehicle)
{
    for (int s = 0; s < SG_MAX_SECTIONS; s++)
        for (int f = 0; f < N_FACES; f++)
            pyramid_clear(pyramid_of(p, vehicle, s, (sg_face)f));
}

void sg_painter_free(sg_painter *p)
{
    if (!p)
        return;
    for (int v = 0; v < p->world->n; v++)
        sg_painter_forget(p, v);
    gcv_image_free(p->canvas);
    gcv_image_free(p->out);
    for (int i = 0; i < 2; i++) {
        gcv_image_free(p->background[i]);
        gcv_image_free(p->background_out[i]);
    }
    sg_noise_free(p->noise);
    g_free(p->sprites);
    g_free(p->items);
    g_free(p->lights);
    g_free(p);
}

/* --- sprites -------------------------------------------------------------------------------- */

/* Halves the last level until it is small. */
static bool pyramid_grow(pyramid *py, GError **error)
{
    while (py->n < MAX_LEVELS) {
        const gcv_image *last = py->level[py->n - 1];
        if (last->width < 24 || last->height < 24)
            return true;
        gcv_image *half = gcv_resize(last, MAX(1, last->width / 2), MAX(1, last->height / 2),
                                     GCV_INTER_AREA);
        if (!half) {
            g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "sprite pyramid: %s", gcv_last_error());
            return false;
        }
        py->level[py->n] = half;
        py->scale[py->n] = py->scale[py->n - 1] * half->width / last->width;
        py->n++;
    }
    return true;
}

/* The sprite level to scale down from for item `it` (made on first use). */
static const gcv_image *sprite_for(sg_painter *p, const sg_item *it, GError **error)
{
    pyramid *py = pyramid_of(p, it->vehicle, it->section, it->face);
    if (py->n == 0) {
        bool along = sg_camera_along(p->cam);
        double base = along ? 0.25 * p->cam->width : it->px_per_m;
        py->level[0] = sg_sprite_face(&p->world->vehicles[it->vehicle], it->section, it->face, base,
                                      &p->pf, error);
        if (!py->level[0])
            return NULL;
        py->scale[0] = base;
        py->n = 1;
        if (along && !pyramid_grow(py, error))
            return NULL;
    }
    int i = py->n - 1;
    while (i > 0 && py->scale[i] < it->px_per_m * 0.98)
        i--;
    return py->level[i];
}

/* Copies src into dst at (x, y), clipped. */
static void paste(gcv_image *dst, const gcv_image *src, int x, int y)
{
    int x0 = MAX(0, x), x1 = MIN(dst->width, x + src->width);
    int y0 = MAX(0, y), y1 = MIN(dst->height, y + src->height);
    for (int yy = y0; x1 > x0 && yy < y1; yy++)
        memcpy(dst->data + (size_t)yy * dst->stride + (size_t)x0 * 3,
               src->data + (size_t)(yy - y) * src->stride + (size_t)(x0 - x) * 3,
               (size_t)(x1 - x0) * 3);
}

/* Draws src stretched over the rectangle quad (axis-aligned), only its visible part. */
static int blit(gcv_image *dst, const gcv_image *src, const gcv_point q[4], GError **error)
{
    int X0 = (int)lround(q[0].x), X1 = (int)lround(q[1].x), Y0 = (int)lround(q[0].y),
        Y1 = (int)lround(q[3].y);
    if (X1 <= X0 || Y1 <= Y0)
        return 0;
    if (X1 - X0 == src->width && Y1 - Y0 == src->height) {
        paste(dst, src, X0, Y0);
        return 0;
    }
    int vx0 = MAX(0, X0), vx1 = MIN(dst->width, X1), vy0 = MAX(0, Y0), vy1 = MIN(dst->height, Y1);
    if (vx1 <= vx0 || vy1 <= vy0)
        return 0;
    double kx = (double)src->width / (X1 - X0), ky = (double)src->height / (Y1 - Y0);
    int u0 = (int)floor((vx0 - X0) * kx), u1 = (int)ceil((vx1 - X0) * kx);
    int v0 = (int)floor((vy0 - Y0) * ky), v1 = (int)ceil((vy1 - Y0) * ky);
    u1 = MIN(src->width, MAX(u1, u0 + 1)), v1 = MIN(src->height, MAX(v1, v0 + 1));
    gcv_image *crop = gcv_image_crop(src, u0, v0, u1 - u0, v1 - v0);
    /* linear is enough: the pyramid keeps the scale-down under 2 */
    gcv_image *scaled = crop ? gcv_resize(crop, vx1 - vx0, vy1 - vy0, GCV_INTER_LINEAR) : NULL;
    gcv_image_free(crop);
    if (!scaled) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "face blit: %s", gcv_last_error());
        return -1;
    }
    paste(dst, scaled, vx0, vy0);
    gcv_image_free(scaled);
    return 0;
}

static int draw_items(sg_painter *p, gcv_image *canvas, int n, GError **error)
{
    for (int i = 0; i < n; i++) {
        const sg_item *it = &p->items[i];
        if (it->face == SG_FACE_TOP) {
            render_colour c = sg_sprite_roof_colour(&p->world->vehicles[it->vehicle], it->section);
            gcv_fill_poly(canvas, it->quad, 4, c.b, c.g, c.r);
            continue;
        }
        const gcv_image *src = sprite_for(p, it, error);
        if (!src || blit(canvas, src, it->quad, error) < 0)
            return -1;
    }
    return 0;
}

/* --- side-view motion blur -------------------------------------------------------------------- */

static int blur_moving(sg_painter *p, gcv_image *canvas, int n, double t, sg_condition cond,
                       GError **error)
{
    for (int v = 0; v < p->world->n; v++) {
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, scale = 0;
        for (int i = 0; i < n; i++) {
            const sg_item *it = &p->items[i];
            if (it->vehicle != v)
                continue;
            x0 = fmin(x0, it->quad[0].x), x1 = fmax(x1, it->quad[1].x);
            y0 = fmin(y0, it->quad[0].y), y1 = fmax(y1, it->quad[3].y);
            scale = it->px_per_m;
        }
        if (scale == 0)
            continue;
        double speed = fabs(sg_vehicle_speed(&p->world->vehicles[v], t));
        int len = (int)lround(speed * scale * sg_effects_exposure(cond));
        if (len >= 2 && sg_effects_motion_blur(canvas, (int)x0 - len, (int)y0, (int)(x1 - x0) + 2 * len,
                                               (int)(y1 - y0) + 1, len, error) < 0)
            return -1;
    }
    return 0;
}

/* --- headlights -------------------------------------------------------------------------------- */

/* True if pt is inside the convex quad q (corners in order, either winding). */
static bool inside_quad(const gcv_point q[4], gcv_point pt)
{
    int pos = 0, neg = 0;
    for (int i = 0; i < 4; i++) {
        gcv_point a = q[i], b = q[(i + 1) % 4];
        double cross = (double)(b.x - a.x) * (pt.y - a.y) - (double)(b.y - a.y) * (pt.x - a.x);
        pos += cross > 0, neg += cross < 0;
    }
    return pos == 0 || neg == 0;
}

/* True if an item drawn after `item` (a nearer one of another vehicle) covers pt. */
static bool occluded(const sg_painter *p, int item, int n, gcv_point pt)
{
    for (int j = item + 1; j < n; j++)
        if (p->items[j].vehicle != p->items[item].vehicle && inside_quad(p->items[j].quad, pt))
            return true;
    return false;
}

/* The lit headlights of the front faces in view, in output coordinates. */
static int collect_lights(sg_painter *p, int n)
{
    int count = 0;
    for (int i = 0; i < n; i++) {
        const sg_item *it = &p->items[i];
        if (it->face != SG_FACE_FRONT || it->section != 0)
            continue;
        double u[2], h[2];
        int k = sg_sprite_headlights(&p->world->vehicles[it->vehicle], u, h);
        for (int j = 0; j < k; j++) {
            gcv_point pt = {(float)(it->quad[0].x + u[j] * it->px_per_m),
                            (float)(it->quad[3].y - h[j] * it->px_per_m)};
            if (occluded(p, i, n, pt))
                continue;
            p->lights[count].at = sg_camera_to_output(p->cam, pt);
            p->lights[count].radius = fmin(0.28 * it->px_per_m, 0.12 * p->cam->width);
            count++;
        }
    }
    return count;
}

/* --- frames ------------------------------------------------------------------------------------ */

static void frame_rng(const sg_painter *p, int frame, render_rng *rng)
{
    render_rng_seed(rng, p->seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(p->cam->role + 1)));
    uint64_t base = render_rng_next(rng);
    render_rng_seed(rng, base + (uint64_t)frame * 0xD1B54A32D192ED03ull);
}

/* The output-image box (x, y, w, h) covering every item, clipped; false if empty. */
static bool items_box(const sg_painter *p, int n, int box[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) {
            gcv_point o = sg_camera_to_output(p->cam, p->items[i].quad[k]);
            x0 = fmin(x0, o.x), y0 = fmin(y0, o.y), x1 = fmax(x1, o.x), y1 = fmax(y1, o.y);
        }
    int bx0 = (int)fmax(0, floor(x0) - 2), by0 = (int)fmax(0, floor(y0) - 2);
    int bx1 = (int)fmin(p->cam->width, ceil(x1) + 2), by1 = (int)fmin(p->cam->height, ceil(y1) + 2);
    box[0] = bx0, box[1] = by0, box[2] = bx1 - bx0, box[3] = by1 - by0;
    return n > 0 && box[2] > 0 && box[3] > 0;
}

static void copy_pixels(gcv_image *dst, const gcv_image *src)
{
    memcpy(dst->data, src->data, src->stride * (size_t)src->height);
}

/* The output frame into p->out: the warped background, with the box the vehicles
 * cover warped again from the drawn canvas (the same pixels a whole-frame warp gives). */
static bool warp_frame(sg_painter *p, int n, bool night, GError **error)
{
    copy_pixels(p->out, p->background_out[night]);
    int box[4];
    if (!items_box(p, n, box))
        return true;
    double h[9];
    memcpy(h, p->cam->warp, sizeof h);
    for (int k = 0; k < 3; k++) /* then shift by -box origin */
        h[k] -= box[0] * h[6 + k], h[3 + k] -= box[1] * h[6 + k];
    gcv_image *part = gcv_warp_perspective(p->canvas, h, box[2], box[3], 0);
    if (!part) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "camera warp: %s", gcv_last_error());
        return false;
    }
    paste(p->out, part, box[0], box[1]);
    gcv_image_free(part);
    return true;
}

const gcv_image *sg_painter_frame(sg_painter *p, int frame, double t, GError **error)
{
    sg_condition cond = sg_world_condition_at(p->world, t);
    bool night = cond == SG_NIGHT;
    copy_pixels(p->canvas, p->background[night]);
    int n = sg_camera_scene(p->cam, p->world->vehicles, p->world->n, t, p->items);
    if (draw_items(p, p->canvas, n, error) < 0 ||
        (!sg_camera_along(p->cam) && blur_moving(p, p->canvas, n, t, cond, error) < 0) ||
        !warp_frame(p, n, night, error))
        return NULL;
    int n_lights = sg_camera_along(p->cam) ? collect_lights(p, n) : 0;
    render_rng rng;
    frame_rng(p, frame, &rng);
    sg_effects_apply(p->out, cond, p->lights, n_lights, p->noise, &rng);
    return p->out;
}
