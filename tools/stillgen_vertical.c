/*
 * stillgen_vertical.c — one vertical container code as a gate camera sees it: a
 * stacked code (one column, or split owner/serial columns; size type below, beside or
 * absent) painted on a wall canvas (a corrugated door with a locking rod, or a flat
 * corner post with the container's shaded side beyond it), the canvas warped into the
 * picture foreshortened by yaw and turned by a mild roll, then uneven light (gradient,
 * shadow band, glare). The code's quad follows every geometric step.
 */
#include <math.h>

#include "stillgen_vertical.h"

#define DEG (3.14159265358979 / 180.0)
#define PLACE_TRIES 40

static const render_colour PANELS[] = {
    {190, 140, 60}, {40, 50, 150},   {110, 60, 20}, {60, 120, 50}, {150, 150, 150},
    {30, 110, 220}, {225, 225, 220}, {50, 40, 40},  {40, 70, 120}, {200, 200, 190},
};
#define N_PANELS (sizeof PANELS / sizeof PANELS[0])

/* Paint colours of codes: light ones for dark walls, dark ones for light walls. */
static const render_colour LIGHT_INKS[] = {{235, 235, 235}, {200, 230, 240}, {40, 205, 240}};
static const render_colour DARK_INKS[] = {{25, 25, 25}, {60, 60, 60}, {90, 40, 20}};

typedef struct {
    render_vertical_style st;
    int h;                    /* character height, px */
    render_colour wall, post; /* the door panel, the corner post */
    render_colour ink;
    bool on_post;     /* the code on a flat corner post, else on the corrugated door */
    int rib;          /* corrugation pitch, px */
    double yaw, roll; /* degrees; yaw > 0: the left edge is nearer */
} look;

static int clamp_u8(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (int)(v + 0.5);
}

static render_colour scaled(render_colour c, double f)
{
    return (render_colour){clamp_u8(c.b * f), clamp_u8(c.g * f), clamp_u8(c.r * f)};
}

static render_colour jittered(render_rng *rng, render_colour c, int d)
{
    return (render_colour){clamp_u8(c.b + render_rng_range(rng, -d, d)),
                           clamp_u8(c.g + render_rng_range(rng, -d, d)),
                           clamp_u8(c.r + render_rng_range(rng, -d, d))};
}

static int luma(render_colour c)
{
    return (c.b * 29 + c.g * 150 + c.r * 77) >> 8;
}

static void pick_look(render_rng *rng, look *lk)
{
    render_vertical_style_random(rng, &lk->st);
    lk->wall = jittered(rng, PANELS[render_rng_below(rng, N_PANELS)], 15);
    lk->post = scaled(lk->wall, render_rng_uniform(rng, 0.6, 0.9)); /* posts sit in shade */
    lk->on_post = render_rng_chance(rng, 0.45);
    bool dark = luma(lk->on_post ? lk->post : lk->wall) < 130;
    lk->ink = dark ? LIGHT_INKS[render_rng_below(rng, 3)] : DARK_INKS[render_rng_below(rng, 3)];
    lk->yaw = render_rng_chance(rng, 0.3) ? 0 : render_rng_uniform(rng, 10, 60);
    if (render_rng_chance(rng, 0.5))
        lk->yaw = -lk->yaw;
    lk->roll = render_rng_uniform(rng, -5, 5);
}

/* Largest character height <= h0 (>= 8) whose block is at most max_w × max_h. */
static int fit_height(render_fonts *fonts, const render_container_text *t, look *lk, int h0,
                      double max_w, double max_h, render_vertical_geometry *g, GError **error)
{
    for (int h = h0; h >= 8; h = h * 5 / 6) {
        if (render_vertical_measure(fonts, t, &lk->st, h, g, error) < 0)
            return -1;
        if (g->width <= max_w && g->height <= max_h)
            return lk->h = h;
    }
    g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                "the vertical code does not fit in %.0fx%.0f px", max_w, max_h);
    return -1;
}

/* The wall canvas, the code's block from x = bx (g): a corrugated door with a
 * locking rod left of it, or a corner post under it with the side beyond in shade. */
static gcv_image *paint_wall(const look *lk, int cw, int ch, int bx,
                             const render_vertical_geometry *g)
{
    gcv_image *c = gcv_image_new(cw, ch, 3);
    if (!c)
        return NULL;
    render_container_panel(c, 0, 0, cw, ch, lk->wall, lk->rib);
    int h = lk->h;
    if (lk->on_post) {
        int x0 = bx - h / 2, x1 = bx + g->width + h / 2;
        render_colour side = scaled(lk->wall, 0.45), seam = scaled(lk->post, 0.4);
        gcv_fill_rect(c, x1, 0, cw - x1, ch, side.b, side.g, side.r);
        gcv_fill_rect(c, x0, 0, x1 - x0, ch, lk->post.b, lk->post.g, lk->post.r);
        gcv_fill_rect(c, x0 - MAX(2, h / 8), 0, MAX(2, h / 8), ch, seam.b, seam.g, seam.r);
        render_colour edge = scaled(lk->post, 1.25); /* the lit outer edge */
        gcv_fill_rect(c, x1 - MAX(1, h / 10), 0, MAX(1, h / 10), ch, edge.b, edge.g, edge.r);
    } else {
        int rw = MAX(3, h / 3), rx = bx - 2 * h - rw;
        render_colour rod = scaled(lk->wall, 0.6), lit = scaled(lk->wall, 1.2);
        gcv_fill_rect(c, rx, 0, rw, ch, rod.b, rod.g, rod.r);
        gcv_fill_rect(c, rx, 0, MAX(1, rw / 3), ch, lit.b, lit.g, lit.r);
    }
    return c;
}

/* The canvas's corners in the picture: centred on (cx, cy), foreshortened by yaw (the
 * near edge a little taller), turned by roll. */
static void wall_quad(const look *lk, int cw, int ch, double cx, double cy, gcv_point q[4])
{
    double f = cos(lk->yaw * DEG), k = 0.15 * sin(fabs(lk->yaw) * DEG);
    double hw = cw * f / 2, left = ch / 2.0 * (1 + (lk->yaw > 0 ? k : -k));
    double right = ch / 2.0 * (1 - (lk->yaw > 0 ? k : -k));
    const double dx[4] = {-hw, hw, hw, -hw}, dy[4] = {-left, -right, right, left};
    double c = cos(lk->roll * DEG), s = sin(lk->roll * DEG);
    for (int i = 0; i < 4; i++)
        q[i] =
            (gcv_point){(float)(cx + dx[i] * c - dy[i] * s), (float)(cy + dx[i] * s + dy[i] * c)};
}

/* True if the block at (bx, by) lands inside the picture (margin m px) under hm. */
static bool lands_inside(const double hm[9], int bx, int by, const render_vertical_geometry *g,
                         int w, int h, double m)
{
    const int xs[4] = {bx, bx + g->width, bx + g->width, bx};
    const int ys[4] = {by, by, by + g->height, by + g->height};
    for (int i = 0; i < 4; i++) {
        gcv_point p = render_map_point(hm, (gcv_point){(float)xs[i], (float)ys[i]});
        if (p.x < m || p.y < m || p.x > w - m || p.y > h - m)
            return false;
    }
    return true;
}

/* Where the block goes on the canvas: random places (or the centre first, for
 * crops) until one lands inside the picture; the centre if none does. */
static void place_block(render_rng *rng, const double hm[9], int cw, int ch,
                        const render_vertical_geometry *g, const gcv_image *img, bool centre,
                        int *bx, int *by)
{
    *bx = (cw - g->width) / 2, *by = (ch - g->height) / 2;
    if (centre && lands_inside(hm, *bx, *by, g, img->width, img->height, 2))
        return;
    for (int i = 0; i < PLACE_TRIES; i++) {
        int x = render_rng_range(rng, 0, cw - g->width),
            y = render_rng_range(rng, 0, ch - g->height);
        if (lands_inside(hm, x, y, g, img->width, img->height, img->height * 0.04)) {
            *bx = x, *by = y;
            return;
        }
    }
}

/* The wall with the code warped over img; quad gets the code's corners in img. */
static int draw_wall(gcv_image *img, render_fonts *fonts, render_rng *rng,
                     const render_container_text *t, const look *lk,
                     const render_vertical_geometry *g, bool centre, gcv_point quad[4],
                     GError **error)
{
    double f = cos(lk->yaw * DEG);
    int cw = (int)(img->width / f * 1.15) + 1, ch = (int)(img->height * 1.2) + 1;
    gcv_point dst[4];
    wall_quad(lk, cw, ch, img->width / 2.0, img->height / 2.0, dst);
    const gcv_point from[4] = {{0, 0}, {(float)cw, 0}, {(float)cw, (float)ch}, {0, (float)ch}};
    double hm[9];
    if (gcv_perspective_transform(from, dst, hm) < 0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "wall transform: %s", gcv_last_error());
        return -1;
    }
    int bx, by;
    place_block(rng, hm, cw, ch, g, img, centre, &bx, &by);
    gcv_image *canvas = paint_wall(lk, cw, ch, bx, g);
    if (!canvas) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "wall canvas: %s", gcv_last_error());
        return -1;
    }
    int rc = render_vertical_code(canvas, fonts, t, &lk->st, bx, by, lk->h, lk->ink, quad, error);
    if (rc == 0)
        rc = render_warp_into(img, canvas, dst, quad, 4, error);
    gcv_image_free(canvas);
    return rc;
}

/* Uneven light over the picture, aimed at the code. */
static void uneven_light(gcv_image *img, render_rng *rng, const gcv_point q[4], GString *notes)
{
    double cx = (q[0].x + q[2].x) / 2, cy = (q[0].y + q[2].y) / 2;
    double len = fabs(q[3].y - q[0].y) + 1, wid = fabs(q[1].x - q[0].x) + 1;
    if (render_rng_chance(rng, 0.35)) {
        g_string_append(notes, ";light_gradient");
        render_light_gradient(img, render_rng_uniform(rng, 0, 360),
                              render_rng_uniform(rng, 0.4, 0.8), render_rng_uniform(rng, 1.0, 1.2));
    }
    if (render_rng_chance(rng, 0.3)) { /* across the column, as a gantry's shadow falls */
        g_string_append(notes, ";shadow_band");
        render_shadow_band(
            img, cx + render_rng_uniform(rng, -wid, wid),
            cy + render_rng_uniform(rng, -len / 3, len / 3), render_rng_uniform(rng, -40, 40),
            len * render_rng_uniform(rng, 0.15, 0.5), render_rng_uniform(rng, 0.35, 0.7));
    }
    if (render_rng_chance(rng, 0.15)) {
        g_string_append(notes, ";glare");
        render_glare(img, cx + render_rng_uniform(rng, -wid, wid),
                     cy + render_rng_uniform(rng, -len / 2, len / 2),
                     len * render_rng_uniform(rng, 0.15, 0.45), render_rng_uniform(rng, 0.5, 0.9));
    }
}

static void look_notes(const look *lk, const render_container_text *t, GString *notes)
{
    g_string_append(notes, ";vertical");
    if (lk->st.split)
        g_string_append(notes, lk->st.serial_drop ? ";split;serial_lower" : ";split");
    if (lk->st.size_type != RENDER_SIZE_TYPE_NONE)
        g_string_append_printf(notes, ";size_type=%s;size_type_%s", t->size_type,
                               render_size_type_place_name(lk->st.size_type));
    g_string_append_printf(notes, ";%s;yaw=%d;roll=%d", lk->on_post ? "post" : "door",
                           (int)lround(lk->yaw), (int)lround(lk->roll));
}

int stillgen_vertical_scene(gcv_image *img, render_fonts *fonts, render_rng *rng,
                            const render_container_text *t, GString *notes, gcv_point quad[4],
                            GError **error)
{
    look lk;
    pick_look(rng, &lk);
    render_vertical_geometry g;
    int h0 = render_rng_range(rng, MAX(10, img->height / 45), MAX(12, img->height / 20));
    double f = cos(lk.yaw * DEG);
    if (fit_height(fonts, t, &lk, h0, img->width * 0.5 / f, img->height * 0.76, &g, error) < 0)
        return -1;
    lk.rib = (int)(lk.h * render_rng_uniform(rng, 1.5, 3.5));
    look_notes(&lk, t, notes);
    if (draw_wall(img, fonts, rng, t, &lk, &g, false, quad, error) < 0)
        return -1;
    uneven_light(img, rng, quad, notes);
    return 0;
}

gcv_image *stillgen_vertical_crop(render_fonts *fonts, render_rng *rng,
                                  const render_container_text *t, GString *notes, gcv_point quad[4],
                                  GError **error)
{
    look lk;
    pick_look(rng, &lk);
    lk.yaw *= 0.6; /* a crop comes from a detector: the angle is milder */
    lk.roll *= 0.5;
    lk.h = render_rng_range(rng, 18, 44);
    lk.rib = (int)(lk.h * render_rng_uniform(rng, 1.5, 3.5));
    render_vertical_geometry g;
    if (render_vertical_measure(fonts, t, &lk.st, lk.h, &g, error) < 0)
        return NULL;
    double f = cos(lk.yaw * DEG), m = lk.h * render_rng_uniform(rng, 0.4, 1.0) + 3;
    double turn = g.height * fabs(sin(lk.roll * DEG)); /* the roll's sideways lean */
    gcv_image *img =
        gcv_image_new((int)(g.width * f + turn + 2 * m), (int)(g.height * 1.15 + 2 * m), 3);
    if (!img)
        return NULL;
    look_notes(&lk, t, notes);
    if (draw_wall(img, fonts, rng, t, &lk, &g, true, quad, error) < 0) {
        gcv_image_free(img);
        return NULL;
    }
    uneven_light(img, rng, quad, notes);
    return img;
}
