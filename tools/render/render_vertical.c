/*
 * render_vertical.c — vertical container codes as corner posts and door edges carry
 * them: one character per row, in one column of 11 or split into the owner code (4)
 * and a second column of serial + check digit (7) to its right, top-aligned or
 * starting lower; the size type below, in a column beside, or absent; pitch, gaps,
 * the check-digit box, the font and the stroke weight varied within real limits.
 */
#include <string.h>

#include "render_internal.h"

void render_vertical_style_classic(render_vertical_style *st, bool with_size_type)
{
    *st = (render_vertical_style){
        .split = false,
        .serial_drop = 0,
        .column_gap = 60,
        .pitch = 120,
        .check_gap = 50,
        .check_box = true,
        .condensed = false,
        .stroke = 0,
        .size_type = with_size_type ? RENDER_SIZE_TYPE_BELOW : RENDER_SIZE_TYPE_NONE,
    };
}

void render_vertical_style_random(render_rng *rng, render_vertical_style *st)
{
    render_vertical_style_classic(st, false);
    st->split = render_rng_chance(rng, 0.5);
    /* a lower serial column is common on corner posts, where the top casting is */
    st->serial_drop = st->split && render_rng_chance(rng, 0.4) ? render_rng_range(rng, 50, 300) : 0;
    st->column_gap = render_rng_range(rng, 30, 110);
    st->pitch = render_rng_range(rng, 105, 150);
    st->check_box = render_rng_chance(rng, 0.8);
    st->check_gap = st->check_box ? render_rng_range(rng, 30, 60) : render_rng_range(rng, 0, 30);
    st->condensed = render_rng_chance(rng, 0.35);
    double r = render_rng_unit(rng);
    st->stroke = r < 0.2 ? -1 : r < 0.8 ? 0 : 1;
    r = render_rng_unit(rng);
    st->size_type = r < 0.25   ? RENDER_SIZE_TYPE_NONE
                    : r < 0.65 ? RENDER_SIZE_TYPE_BELOW
                               : RENDER_SIZE_TYPE_BESIDE;
}

const char *render_size_type_place_name(render_size_type_place place)
{
    switch (place) {
    case RENDER_SIZE_TYPE_BELOW:
        return "below";
    case RENDER_SIZE_TYPE_BESIDE:
        return "beside";
    default:
        return "none";
    }
}

/* Thickens (stroke > 0) or thins (stroke < 0) the item's ink by |stroke| px a side,
 * keeping it where it was. Small characters are never thinned: they would break. */
static int restroke(render_plan_item *it, int stroke, GError **error)
{
    if (stroke == 0 || (stroke < 0 && it->mask->height < 18))
        return 0;
    int s = stroke > 0 ? stroke : 0, k = 2 * (stroke > 0 ? stroke : -stroke) + 1;
    gcv_image *padded = gcv_image_new(it->mask->width + 2 * s, it->mask->height + 2 * s, 1);
    if (!padded) {
        render_set_cv_error(error, "stroke canvas");
        return -1;
    }
    for (int y = 0; y < it->mask->height; y++)
        memcpy(padded->data + (size_t)(y + s) * padded->stride + s,
               it->mask->data + (size_t)y * it->mask->stride, (size_t)it->mask->width);
    gcv_image *m = gcv_morph(padded, stroke > 0 ? GCV_DILATE : GCV_ERODE, k, k);
    gcv_image_free(padded);
    if (!m) {
        render_set_cv_error(error, "stroke weight");
        return -1;
    }
    gcv_image_free(it->mask);
    it->mask = m;
    it->x -= s, it->y -= s;
    return 0;
}

/* One character centred in the column [col_x, col_x + colw) with its top at y. */
static int plan_char(render_code_plan *p, render_fonts *fonts, const render_vertical_style *st,
                     char c, int h, int col_x, int colw, int y, GError **error)
{
    char ch[2] = {c, '\0'};
    gcv_font *font = st->condensed ? fonts->plate : fonts->latin;
    int i = render_plan_text(p, fonts, font, ch, h, 0, y, error);
    if (i < 0 || restroke(&p->items[i], st->stroke, error) < 0)
        return -1;
    p->items[i].x = col_x + (colw - p->items[i].mask->width) / 2;
    return i;
}

/* The check digit's extra gap: as asked, widened so that its box clears the row above. */
static int check_gap(const render_vertical_style *st, int h, int pitch)
{
    int gap = h * st->check_gap / 100;
    if (st->check_box)
        gap = MAX(gap, h + MAX(2, h / 5) + 2 * MAX(1, h / 10) - pitch);
    return gap;
}

/* The 11 code characters (items 0..10) and the box. */
static int plan_columns(render_code_plan *p, render_fonts *fonts, const render_container_text *t,
                        const render_vertical_style *st, int h, GError **error)
{
    int pitch = h * st->pitch / 100, colw = h;
    int col2 = colw + h * st->column_gap / 100, drop = h * st->serial_drop / 100;
    for (int c = 0; c < 11; c++) {
        bool second = st->split && c >= 4; /* serial and check digit */
        int row = second ? c - 4 : c;
        int y = row * pitch + (second ? drop : 0) + (c == 10 ? check_gap(st, h, pitch) : 0);
        if (plan_char(p, fonts, st, t->code[c], h, second ? col2 : 0, colw, y, error) < 0)
            return -1;
    }
    if (st->check_box)
        render_plan_box(p, 10, h);
    return 0;
}

static int plan_size_type(render_code_plan *p, render_fonts *fonts, const render_container_text *t,
                          const render_vertical_style *st, int h, GError **error)
{
    int sh = MAX(4, h * 3 / 4);
    if (st->size_type == RENDER_SIZE_TYPE_BELOW) { /* centred under the column(s) */
        gcv_font *font = st->condensed ? fonts->plate : fonts->latin;
        int i = render_plan_text(p, fonts, font, t->size_type, sh, 0, p->code_y1 + h / 2, error);
        if (i < 0 || restroke(&p->items[i], st->stroke, error) < 0)
            return -1;
        p->items[i].x = (p->code_x0 + p->code_x1 - p->items[i].mask->width) / 2;
        return 0;
    }
    /* beside: a column of its own right of the code, level with its first row */
    int x = p->code_x1 + h * st->column_gap / 100, pitch = sh * st->pitch / 100;
    for (int c = 0; c < 4 && t->size_type[c]; c++)
        if (plan_char(p, fonts, st, t->size_type[c], sh, x, sh, p->items[0].y + c * pitch, error) <
            0)
            return -1;
    return 0;
}

int render_plan_vertical(render_code_plan *p, render_fonts *fonts, const render_container_text *t,
                         const render_vertical_style *st, int h, GError **error)
{
    if (st->pitch < 100 || st->pitch > 160 || st->column_gap < 0 || st->check_gap < 0 ||
        st->serial_drop < 0 || st->stroke < -1 || st->stroke > 2) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "vertical style out of range (pitch %d, gap %d, drop %d, stroke %d)", st->pitch,
                    st->column_gap, st->serial_drop, st->stroke);
        return -1;
    }
    if (plan_columns(p, fonts, t, st, h, error) < 0)
        return -1;
    render_plan_extent(p, &p->code_x0, &p->code_y0, &p->code_x1, &p->code_y1);
    if (st->size_type == RENDER_SIZE_TYPE_NONE)
        return 0;
    return plan_size_type(p, fonts, t, st, h, error);
}

static render_rect item_rect(const render_plan_item *it)
{
    return (render_rect){it->x, it->y, it->mask->width, it->mask->height};
}

int render_vertical_measure(render_fonts *fonts, const render_container_text *text,
                            const render_vertical_style *st, int char_height,
                            render_vertical_geometry *out, GError **error)
{
    render_code_plan p;
    int rc =
        render_plan_code(&p, fonts, RENDER_CONTAINER_VERTICAL, text, false, st, char_height, error);
    if (rc == 0) {
        memset(out, 0, sizeof *out);
        out->width = p.width;
        out->height = p.height;
        for (int i = 0; i < 11; i++)
            out->chars[i] = item_rect(&p.items[i]);
        out->code =
            (render_rect){p.code_x0, p.code_y0, p.code_x1 - p.code_x0, p.code_y1 - p.code_y0};
        for (int i = 11; i < p.n; i++) { /* the size type's items: their union */
            render_rect r = item_rect(&p.items[i]), *s = &out->size_type;
            if (s->w == 0) {
                *s = r;
                continue;
            }
            int x1 = MAX(s->x + s->w, r.x + r.w), y1 = MAX(s->y + s->h, r.y + r.h);
            s->x = MIN(s->x, r.x), s->y = MIN(s->y, r.y);
            s->w = x1 - s->x, s->h = y1 - s->y;
        }
    }
    render_plan_free(&p);
    return rc;
}
