/*
 * render_container.c — container codes drawn onto BGR images: the corrugated panel
 * behind them, the code plan (text masks, the check-digit box, the code's extent)
 * shared with render_vertical.c, the horizontal layouts, and drawing a plan.
 */
#include <math.h>
#include <string.h>

#include "render_internal.h"

/* --- container panel ------------------------------------------------------------ */

static render_colour shade(render_colour c, double f)
{
    return (render_colour){render_clamp_u8(c.b * f), render_clamp_u8(c.g * f),
                           render_clamp_u8(c.r * f)};
}

static void fill_span(gcv_image *dst, int x, int y, int w, int h, render_colour c)
{
    if (w > 0)
        gcv_fill_rect(dst, x, y, w, h, c.b, c.g, c.r);
}

void render_container_panel(gcv_image *dst, int x, int y, int width, int height, render_colour base,
                            int rib_width)
{
    if (!dst || width <= 0 || height <= 0)
        return;
    int rw = MAX(4, rib_width);
    /* one corrugation: flat face, slope, recessed face, groove */
    const double frac[4] = {0.42, 0.10, 0.38, 0.10};
    const double tone[4] = {1.06, 0.86, 0.97, 0.74};
    for (int rx = x; rx < x + width; rx += rw) {
        int sx = rx;
        for (int k = 0; k < 4; k++) {
            int sw = k == 3 ? rx + rw - sx : MAX(1, (int)lround(frac[k] * rw));
            sw = MIN(sw, x + width - sx);
            fill_span(dst, sx, y, sw, height, shade(base, tone[k]));
            sx += MAX(0, sw);
        }
    }
}

/* --- code plans ------------------------------------------------------------------ */

void render_plan_free(render_code_plan *p)
{
    for (int i = 0; i < p->n; i++)
        gcv_image_free(p->items[i].mask);
    p->n = 0;
}

int render_plan_text(render_code_plan *p, render_fonts *fonts, gcv_font *font, const char *text,
                     int h, int x, int y, GError **error)
{
    if (p->n == RENDER_PLAN_MAX_ITEMS) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "container layout too long");
        return -1;
    }
    gcv_image *m = render_text_mask(fonts, font, text, h, error);
    if (!m)
        return -1;
    p->items[p->n] = (render_plan_item){m, x, y};
    return p->n++;
}

void render_plan_box(render_code_plan *p, int i, int h)
{
    int pad = MAX(2, h / 5), t = MAX(1, h / 10);
    render_plan_item *it = &p->items[i];
    p->box_t = t;
    p->box_x = it->x - pad - t;
    p->box_y = it->y - pad - t;
    p->box_w = it->mask->width + 2 * (pad + t);
    p->box_h = it->mask->height + 2 * (pad + t);
}

void render_plan_extent(const render_code_plan *p, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = *y0 = G_MAXINT;
    *x1 = *y1 = G_MININT;
    if (p->box_w > 0) {
        *x0 = p->box_x, *y0 = p->box_y;
        *x1 = p->box_x + p->box_w, *y1 = p->box_y + p->box_h;
    }
    for (int i = 0; i < p->n; i++) {
        *x0 = MIN(*x0, p->items[i].x), *y0 = MIN(*y0, p->items[i].y);
        *x1 = MAX(*x1, p->items[i].x + p->items[i].mask->width);
        *y1 = MAX(*y1, p->items[i].y + p->items[i].mask->height);
    }
}

/* Moves everything by (dx, dy). */
static void plan_shift(render_code_plan *p, int dx, int dy)
{
    for (int i = 0; i < p->n; i++)
        p->items[i].x += dx, p->items[i].y += dy;
    p->box_x += dx, p->box_y += dy;
    p->code_x0 += dx, p->code_x1 += dx, p->code_y0 += dy, p->code_y1 += dy;
}

/* --- horizontal layouts ------------------------------------------------------------ */

static int plan_horizontal(render_code_plan *p, render_fonts *fonts, const render_container_text *t,
                           bool two_line, int h, GError **error)
{
    char owner[5], serial[7], check[2] = {t->code[10], '\0'};
    memcpy(owner, t->code, 4);
    owner[4] = '\0';
    memcpy(serial, t->code + 4, 6);
    serial[6] = '\0';
    int gap = h / 2, edge = MAX(2, h / 5) + MAX(1, h / 10); /* edge: box padding + line */
    int i = render_plan_text(p, fonts, fonts->latin, owner, h, 0, edge, error);
    if (i < 0)
        return -1;
    int x = two_line ? 0 : p->items[i].mask->width + gap;
    int y = two_line ? edge + h + 2 * edge + h / 3 : edge;
    int j = render_plan_text(p, fonts, fonts->latin, serial, h, x, y, error);
    if (j < 0)
        return -1;
    int k = render_plan_text(p, fonts, fonts->latin, check, h,
                             x + p->items[j].mask->width + gap + edge, y, error);
    if (k < 0)
        return -1;
    render_plan_box(p, k, h);
    render_plan_extent(p, &p->code_x0, &p->code_y0, &p->code_x1, &p->code_y1);
    return 0;
}

/* --- any layout ------------------------------------------------------------------------ */

int render_plan_code(render_code_plan *p, render_fonts *fonts, render_container_layout layout,
                     const render_container_text *t, bool with_size_type,
                     const render_vertical_style *st, int h, GError **error)
{
    memset(p, 0, sizeof *p);
    bool vertical = layout == RENDER_CONTAINER_VERTICAL;
    if (!fonts || !t || strlen(t->code) != 11 || h < 6 || (int)layout < 0 ||
        layout >= RENDER_CONTAINER_N_LAYOUTS || (vertical && !st)) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "a container code needs 11 characters, a layout and a height of 6 px or more");
        return -1;
    }
    if (vertical) {
        if (render_plan_vertical(p, fonts, t, st, h, error) < 0)
            return -1;
    } else {
        if (plan_horizontal(p, fonts, t, layout == RENDER_CONTAINER_TWO_LINE, h, error) < 0)
            return -1;
        if (with_size_type &&
            render_plan_text(p, fonts, fonts->latin, t->size_type, MAX(4, h * 3 / 4), p->code_x0,
                             p->code_y1 + h / 2, error) < 0)
            return -1;
    }
    int x0, y0, x1, y1;
    render_plan_extent(p, &x0, &y0, &x1, &y1);
    plan_shift(p, -x0, -y0);
    p->width = x1 - x0;
    p->height = y1 - y0;
    return 0;
}

/* The plan drawn with its top-left at (x, y); quad_out gets the code's rectangle. */
static void draw_plan(gcv_image *dst, const render_code_plan *p, int x, int y, render_colour colour,
                      gcv_point quad_out[4])
{
    for (int i = 0; i < p->n; i++)
        render_blend_mask(dst, p->items[i].mask, x + p->items[i].x, y + p->items[i].y, colour);
    if (p->box_w > 0)
        render_outline_rect(dst, x + p->box_x, y + p->box_y, p->box_w, p->box_h, p->box_t, colour);
    render_rect_quad(x + p->code_x0, y + p->code_y0, p->code_x1 - p->code_x0,
                     p->code_y1 - p->code_y0, quad_out);
}

/* The classic vertical style for the layout API below. */
static const render_vertical_style *classic(render_container_layout layout, bool with_size_type,
                                            render_vertical_style *st)
{
    if (layout != RENDER_CONTAINER_VERTICAL)
        return NULL;
    render_vertical_style_classic(st, with_size_type);
    return st;
}

int render_container_measure(render_fonts *fonts, render_container_layout layout,
                             const render_container_text *text, bool with_size_type,
                             int char_height, int *width_out, int *height_out, GError **error)
{
    render_code_plan p;
    render_vertical_style st;
    int rc = render_plan_code(&p, fonts, layout, text, with_size_type,
                              classic(layout, with_size_type, &st), char_height, error);
    if (rc == 0) {
        *width_out = p.width;
        *height_out = p.height;
    }
    render_plan_free(&p);
    return rc;
}

int render_container_code(gcv_image *dst, render_fonts *fonts, render_container_layout layout,
                          const render_container_text *text, bool with_size_type, int x, int y,
                          int char_height, render_colour colour, gcv_point quad_out[4],
                          GError **error)
{
    if (!dst || dst->channels != 3) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "a container code needs a BGR image");
        return -1;
    }
    render_code_plan p;
    render_vertical_style st;
    int rc = render_plan_code(&p, fonts, layout, text, with_size_type,
                              classic(layout, with_size_type, &st), char_height, error);
    if (rc == 0)
        draw_plan(dst, &p, x, y, colour, quad_out);
    render_plan_free(&p);
    return rc;
}

int render_vertical_code(gcv_image *dst, render_fonts *fonts, const render_container_text *text,
                         const render_vertical_style *st, int x, int y, int char_height,
                         render_colour colour, gcv_point quad_out[4], GError **error)
{
    if (!dst || dst->channels != 3) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "a container code needs a BGR image");
        return -1;
    }
    render_code_plan p;
    int rc =
        render_plan_code(&p, fonts, RENDER_CONTAINER_VERTICAL, text, false, st, char_height, error);
    if (rc == 0)
        draw_plan(dst, &p, x, y, colour, quad_out);
    render_plan_free(&p);
    return rc;
}
