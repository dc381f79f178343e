/*
 * render.c — plates and container codes drawn onto BGR images: the plate styles
 * (colours, frames, text boxes) and how a plate canvas is pasted or warped into a
 * scene; the container panel and the three container-code layouts.
 */
#include <math.h>
#include <string.h>

#include "render_internal.h"

/* --- plate styles -------------------------------------------------------------- */

enum frame_kind {
    FRAME_EDGE,  /* a border along the plate's edge (VN, CN yellow) */
    FRAME_INSET, /* a thin line a little inside the edge (CN blue) */
    FRAME_NONE,
};

/* A text box as fractions of the plate's width and height. */
typedef struct {
    double x, y, w, h;
} rel_box;

typedef struct {
    const char *name;
    double aspect; /* width / height */
    bool cn;
    bool two_line;
    render_colour bg_top, bg_bottom; /* a vertical gradient when they differ */
    render_colour fg, frame;
    enum frame_kind frame_kind;
    rel_box top_box, bottom_box;
} plate_spec;

/* clang-format off */
#define BLACK  {20, 20, 20}
#define WHITE  {245, 245, 245}
#define YELLOW {20, 200, 245}
#define ONE_LINE_BOX {0.05, 0.15, 0.90, 0.70}
#define NO_BOX {0, 0, 0, 0}

static const plate_spec SPECS[RENDER_PLATE_N_STYLES] = {
    [RENDER_PLATE_VN_ONE_LINE] = {
        .name = "vn_one_line", .aspect = 520.0 / 110.0, .cn = false, .two_line = false,
        .bg_top = WHITE, .bg_bottom = WHITE, .fg = BLACK, .frame = BLACK,
        .frame_kind = FRAME_EDGE, .top_box = ONE_LINE_BOX, .bottom_box = NO_BOX},
    [RENDER_PLATE_VN_TWO_LINE] = {
        .name = "vn_two_line", .aspect = 280.0 / 200.0, .cn = false, .two_line = true,
        .bg_top = WHITE, .bg_bottom = WHITE, .fg = BLACK, .frame = BLACK,
        .frame_kind = FRAME_EDGE, .top_box = {0.12, 0.09, 0.76, 0.36},
        .bottom_box = {0.07, 0.55, 0.86, 0.36}},
    [RENDER_PLATE_VN_YELLOW] = {
        .name = "vn_yellow", .aspect = 520.0 / 110.0, .cn = false, .two_line = false,
        .bg_top = YELLOW, .bg_bottom = YELLOW, .fg = BLACK, .frame = BLACK,
        .frame_kind = FRAME_EDGE, .top_box = ONE_LINE_BOX, .bottom_box = NO_BOX},
    [RENDER_PLATE_CN_BLUE] = {
        .name = "cn_blue", .aspect = 440.0 / 140.0, .cn = true, .two_line = false,
        .bg_top = {170, 65, 15}, .bg_bottom = {150, 55, 10}, .fg = WHITE, .frame = WHITE,
        .frame_kind = FRAME_INSET, .top_box = ONE_LINE_BOX, .bottom_box = NO_BOX},
    [RENDER_PLATE_CN_GREEN] = {
        .name = "cn_green", .aspect = 480.0 / 140.0, .cn = true, .two_line = false,
        .bg_top = {225, 245, 220}, .bg_bottom = {90, 190, 60}, .fg = BLACK, .frame = {60, 120, 40},
        .frame_kind = FRAME_NONE, .top_box = ONE_LINE_BOX, .bottom_box = NO_BOX},
    [RENDER_PLATE_CN_YELLOW] = {
        .name = "cn_yellow", .aspect = 440.0 / 140.0, .cn = true, .two_line = false,
        .bg_top = YELLOW, .bg_bottom = YELLOW, .fg = BLACK, .frame = BLACK,
        .frame_kind = FRAME_INSET, .top_box = ONE_LINE_BOX, .bottom_box = NO_BOX},
    [RENDER_PLATE_CN_YELLOW_TWO_ROW] = {
        .name = "cn_yellow_two_row", .aspect = 440.0 / 220.0, .cn = true, .two_line = true,
        .bg_top = YELLOW, .bg_bottom = YELLOW, .fg = BLACK, .frame = BLACK,
        .frame_kind = FRAME_INSET, .top_box = {0.27, 0.08, 0.46, 0.26},
        .bottom_box = {0.07, 0.44, 0.86, 0.46}},
};
/* clang-format on */

static bool style_valid(render_plate_style style)
{
    return (int)style >= 0 && style < RENDER_PLATE_N_STYLES;
}

const char *render_plate_style_name(render_plate_style style)
{
    return style_valid(style) ? SPECS[style].name : "unknown";
}

bool render_plate_style_two_line(render_plate_style style)
{
    return style_valid(style) && SPECS[style].two_line;
}

int render_plate_width(render_plate_style style, int height)
{
    return style_valid(style) ? (int)lround(height * SPECS[style].aspect) : 0;
}

/* --- plate canvas -------------------------------------------------------------- */

static int lerp(int a, int b, double t)
{
    return render_clamp_u8(a + (b - a) * t);
}

static void paint_background(gcv_image *c, const plate_spec *s)
{
    for (int y = 0; y < c->height; y++) {
        double t = c->height > 1 ? (double)y / (c->height - 1) : 0;
        gcv_fill_rect(c, 0, y, c->width, 1, lerp(s->bg_top.b, s->bg_bottom.b, t),
                      lerp(s->bg_top.g, s->bg_bottom.g, t), lerp(s->bg_top.r, s->bg_bottom.r, t));
    }
}

static void paint_frame(gcv_image *c, const plate_spec *s)
{
    int h = c->height;
    if (s->frame_kind == FRAME_EDGE)
        render_outline_rect(c, 0, 0, c->width, h, MAX(1, h / 28), s->frame);
    else if (s->frame_kind == FRAME_INSET) {
        int inset = MAX(1, h / 22);
        render_outline_rect(c, inset, inset, c->width - 2 * inset, h - 2 * inset, MAX(1, h / 45),
                            s->frame);
    }
}

static int draw_box_text(gcv_image *c, render_fonts *fonts, const plate_spec *s, rel_box b,
                         const char *text, GError **error)
{
    int bx = (int)(b.x * c->width), by = (int)(b.y * c->height);
    int bw = (int)(b.w * c->width), bh = (int)(b.h * c->height);
    return render_text_fit(c, fonts, fonts->plate, text, bx, by, MAX(1, bw), MAX(1, bh), s->fg,
                           error);
}

/* The text must suit the style: its country (a CN label starts with a CJK
 * character) and its number of lines. */
static int check_text(render_plate_style style, const render_plate_text *t, GError **error)
{
    if (!style_valid(style) || !t) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "unknown plate style %d or no text",
                    (int)style);
        return -1;
    }
    const plate_spec *s = &SPECS[style];
    bool cn = (unsigned char)t->label[0] >= 0x80;
    bool two = t->bottom[0] != '\0';
    if (cn != s->cn || two != s->two_line || t->top[0] == '\0') {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "plate text \"%s\"/\"%s\" does not suit the %s style", t->top, t->bottom,
                    s->name);
        return -1;
    }
    return 0;
}

/* The plate drawn alone on a width × height canvas. */
static gcv_image *plate_canvas(render_fonts *fonts, render_plate_style style,
                               const render_plate_text *text, int width, int height, GError **error)
{
    const plate_spec *s = &SPECS[style];
    gcv_image *c = gcv_image_new(width, height, 3);
    if (!c) {
        render_set_cv_error(error, "plate canvas");
        return NULL;
    }
    paint_background(c, s);
    paint_frame(c, s);
    if (draw_box_text(c, fonts, s, s->top_box, text->top, error) < 0 ||
        (s->two_line && draw_box_text(c, fonts, s, s->bottom_box, text->bottom, error) < 0)) {
        gcv_image_free(c);
        return NULL;
    }
    return c;
}

/* Copies src into dst with src's top-left at (x, y), clipped. */
static void paste(gcv_image *dst, const gcv_image *src, int x, int y)
{
    int x0 = MAX(0, x), x1 = MIN(dst->width, x + src->width);
    int y0 = MAX(0, y), y1 = MIN(dst->height, y + src->height);
    if (x1 <= x0)
        return;
    for (int yy = y0; yy < y1; yy++)
        memcpy(dst->data + (size_t)yy * dst->stride + (size_t)x0 * 3,
               src->data + (size_t)(yy - y) * src->stride + (size_t)(x0 - x) * 3,
               (size_t)(x1 - x0) * 3);
}

static void rect_quad(int x, int y, int w, int h, gcv_point q[4])
{
    q[0] = (gcv_point){(float)x, (float)y};
    q[1] = (gcv_point){(float)(x + w), (float)y};
    q[2] = (gcv_point){(float)(x + w), (float)(y + h)};
    q[3] = (gcv_point){(float)x, (float)(y + h)};
}

int render_plate(gcv_image *dst, render_fonts *fonts, render_plate_style style,
                 const render_plate_text *text, int x, int y, int height, gcv_point quad_out[4],
                 GError **error)
{
    if (check_text(style, text, error) < 0)
        return -1;
    if (!dst || dst->channels != 3 || height < 8) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "a plate needs a BGR image and a height of 8 px or more (got %d)", height);
        return -1;
    }
    int width = render_plate_width(style, height);
    gcv_image *c = plate_canvas(fonts, style, text, width, height, error);
    if (!c)
        return -1;
    paste(dst, c, x, y);
    gcv_image_free(c);
    rect_quad(x, y, width, height, quad_out);
    return 0;
}

/* --- warped plates -------------------------------------------------------------- */

static double dist(gcv_point a, gcv_point b)
{
    return hypot(a.x - b.x, a.y - b.y);
}

/* Blends `src` onto dst at (x, y) through the 1-channel alpha `mask` (same size). */
static void blend_image(gcv_image *dst, const gcv_image *src, const gcv_image *mask, int x, int y)
{
    for (int my = 0; my < src->height; my++) {
        uint8_t *d = dst->data + (size_t)(y + my) * dst->stride + (size_t)x * 3;
        const uint8_t *s = src->data + (size_t)my * src->stride;
        const uint8_t *a = mask->data + (size_t)my * mask->stride;
        for (int mx = 0; mx < src->width; mx++)
            for (int c = 0; c < 3; c++) {
                int v = (s[mx * 3 + c] * a[mx] + d[mx * 3 + c] * (255 - a[mx]) + 127) / 255;
                d[mx * 3 + c] = (uint8_t)v;
            }
    }
}

/* Warps canvas into quad (relative to the clipped box bx, by, bw, bh) and blends it
 * onto dst. Pixel x covers [x, x + 1) here and in quad; OpenCV puts pixel centres
 * on integers, hence the half-pixel shifts. */
static int warp_blend(gcv_image *dst, const gcv_image *canvas, const gcv_point quad[4], int bx,
                      int by, int bw, int bh, GError **error)
{
    const float cw = (float)canvas->width - 0.5f, ch = (float)canvas->height - 0.5f;
    const gcv_point from[4] = {{-0.5f, -0.5f}, {cw, -0.5f}, {cw, ch}, {-0.5f, ch}};
    gcv_point to[4];
    for (int i = 0; i < 4; i++)
        to[i] = (gcv_point){quad[i].x - 0.5f - bx, quad[i].y - 0.5f - by};
    double h[9];
    gcv_image *white = gcv_image_new(canvas->width, canvas->height, 1);
    if (!white || gcv_perspective_transform(from, to, h) < 0) {
        gcv_image_free(white);
        render_set_cv_error(error, "plate warp");
        return -1;
    }
    memset(white->data, 255, white->stride * (size_t)white->height);
    gcv_image *img = gcv_warp_perspective(canvas, h, bw, bh, 0);
    gcv_image *mask = gcv_warp_perspective(white, h, bw, bh, 0);
    gcv_image_free(white);
    int rc = 0;
    if (img && mask)
        blend_image(dst, img, mask, bx, by);
    else {
        render_set_cv_error(error, "plate warp");
        rc = -1;
    }
    gcv_image_free(img);
    gcv_image_free(mask);
    return rc;
}

int render_plate_quad(gcv_image *dst, render_fonts *fonts, render_plate_style style,
                      const render_plate_text *text, const gcv_point quad[4], GError **error)
{
    if (check_text(style, text, error) < 0)
        return -1;
    int height = (int)lround(MAX(dist(quad[0], quad[3]), dist(quad[1], quad[2])));
    if (!dst || dst->channels != 3 || height < 8) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "a plate needs a BGR image and a quad 8 px high or more");
        return -1;
    }
    double minx = quad[0].x, maxx = quad[0].x, miny = quad[0].y, maxy = quad[0].y;
    for (int i = 1; i < 4; i++) {
        minx = MIN(minx, quad[i].x), maxx = MAX(maxx, quad[i].x);
        miny = MIN(miny, quad[i].y), maxy = MAX(maxy, quad[i].y);
    }
    int bx = MAX(0, (int)floor(minx) - 1), by = MAX(0, (int)floor(miny) - 1);
    int bw = MIN(dst->width, (int)ceil(maxx) + 2) - bx,
        bh = MIN(dst->height, (int)ceil(maxy) + 2) - by;
    if (bw <= 0 || bh <= 0)
        return 0; /* entirely outside dst: nothing to draw */
    gcv_image *c =
        plate_canvas(fonts, style, text, render_plate_width(style, height), height, error);
    if (!c)
        return -1;
    int rc = warp_blend(dst, c, quad, bx, by, bw, bh, error);
    gcv_image_free(c);
    return rc;
}

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

/* --- container codes ------------------------------------------------------------ */

#define MAX_ITEMS 16

typedef struct {
    gcv_image *mask;
    int x, y;
} item;

/* A laid-out code block: text masks, the check-digit box, and the code's extent
 * (size type excluded) — all relative to the block's top-left. */
typedef struct {
    item items[MAX_ITEMS];
    int n;
    int box_x, box_y, box_w, box_h, box_t;
    int code_x0, code_y0, code_x1, code_y1; /* code rectangle, exclusive right/bottom */
    int width, height;                      /* whole block */
} code_plan;

static void plan_free(code_plan *p)
{
    for (int i = 0; i < p->n; i++)
        gcv_image_free(p->items[i].mask);
    p->n = 0;
}

/* Adds a text mask at (x, y); returns its index or -1. */
static int plan_text(code_plan *p, render_fonts *fonts, const char *text, int h, int x, int y,
                     GError **error)
{
    if (p->n == MAX_ITEMS) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "container layout too long");
        return -1;
    }
    gcv_image *m = render_text_mask(fonts, fonts->latin, text, h, error);
    if (!m)
        return -1;
    p->items[p->n] = (item){m, x, y};
    return p->n++;
}

/* Boxes the check digit (item `i`, already placed) with padding around it. */
static void plan_box(code_plan *p, int i, int h)
{
    int pad = MAX(2, h / 5), t = MAX(1, h / 10);
    item *it = &p->items[i];
    p->box_t = t;
    p->box_x = it->x - pad - t;
    p->box_y = it->y - pad - t;
    p->box_w = it->mask->width + 2 * (pad + t);
    p->box_h = it->mask->height + 2 * (pad + t);
}

static int plan_horizontal(code_plan *p, render_fonts *fonts, const render_container_text *t,
                           bool two_line, int h, GError **error)
{
    char owner[5], serial[7], check[2] = {t->code[10], '\0'};
    memcpy(owner, t->code, 4);
    owner[4] = '\0';
    memcpy(serial, t->code + 4, 6);
    serial[6] = '\0';
    int gap = h / 2, edge = MAX(2, h / 5) + MAX(1, h / 10); /* edge: box padding + line */
    int i = plan_text(p, fonts, owner, h, 0, edge, error);
    if (i < 0)
        return -1;
    int x = two_line ? 0 : p->items[i].mask->width + gap;
    int y = two_line ? edge + h + 2 * edge + h / 3 : edge;
    int j = plan_text(p, fonts, serial, h, x, y, error);
    if (j < 0)
        return -1;
    int k = plan_text(p, fonts, check, h, x + p->items[j].mask->width + gap + edge, y, error);
    if (k < 0)
        return -1;
    plan_box(p, k, h);
    return 0;
}

static int plan_vertical(code_plan *p, render_fonts *fonts, const render_container_text *t, int h,
                         GError **error)
{
    int pitch = h * 6 / 5, colw = h; /* masks are centred on x = colw / 2 afterwards */
    for (int c = 0; c < 11; c++) {
        char ch[2] = {t->code[c], '\0'};
        int y = c * pitch + (c == 10 ? h / 2 : 0);
        int i = plan_text(p, fonts, ch, h, 0, y, error);
        if (i < 0)
            return -1;
        p->items[i].x = (colw - p->items[i].mask->width) / 2;
    }
    plan_box(p, 10, h);
    return 0;
}

/* The extent of items and box so far. */
static void plan_extent(const code_plan *p, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = p->box_x, *y0 = p->box_y;
    *x1 = p->box_x + p->box_w, *y1 = p->box_y + p->box_h;
    for (int i = 0; i < p->n; i++) {
        *x0 = MIN(*x0, p->items[i].x), *y0 = MIN(*y0, p->items[i].y);
        *x1 = MAX(*x1, p->items[i].x + p->items[i].mask->width);
        *y1 = MAX(*y1, p->items[i].y + p->items[i].mask->height);
    }
}

/* Moves everything by (dx, dy). */
static void plan_shift(code_plan *p, int dx, int dy)
{
    for (int i = 0; i < p->n; i++)
        p->items[i].x += dx, p->items[i].y += dy;
    p->box_x += dx, p->box_y += dy;
    p->code_x0 += dx, p->code_x1 += dx, p->code_y0 += dy, p->code_y1 += dy;
}

/* Lays the whole block out: code, box, optional size type; origin at its top-left. */
static int plan_code(code_plan *p, render_fonts *fonts, render_container_layout layout,
                     const render_container_text *t, bool with_size_type, int h, GError **error)
{
    memset(p, 0, sizeof *p);
    if (!fonts || !t || strlen(t->code) != 11 || h < 6 || (int)layout < 0 ||
        layout >= RENDER_CONTAINER_N_LAYOUTS) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "a container code needs 11 characters, a layout and a height of 6 px or more");
        return -1;
    }
    int rc = layout == RENDER_CONTAINER_VERTICAL
                 ? plan_vertical(p, fonts, t, h, error)
                 : plan_horizontal(p, fonts, t, layout == RENDER_CONTAINER_TWO_LINE, h, error);
    if (rc < 0)
        return -1;
    plan_extent(p, &p->code_x0, &p->code_y0, &p->code_x1, &p->code_y1);
    if (with_size_type) {
        int i = plan_text(p, fonts, t->size_type, MAX(4, h * 3 / 4), 0, p->code_y1 + h / 2, error);
        if (i < 0)
            return -1;
        if (layout == RENDER_CONTAINER_VERTICAL) /* centred under the column */
            p->items[i].x = (p->code_x0 + p->code_x1 - p->items[i].mask->width) / 2;
        else
            p->items[i].x = p->code_x0;
    }
    int x0, y0, x1, y1;
    plan_extent(p, &x0, &y0, &x1, &y1);
    plan_shift(p, -x0, -y0);
    p->width = x1 - x0;
    p->height = y1 - y0;
    return 0;
}

int render_container_measure(render_fonts *fonts, render_container_layout layout,
                             const render_container_text *text, bool with_size_type,
                             int char_height, int *width_out, int *height_out, GError **error)
{
    code_plan p;
    int rc = plan_code(&p, fonts, layout, text, with_size_type, char_height, error);
    if (rc == 0) {
        *width_out = p.width;
        *height_out = p.height;
    }
    plan_free(&p);
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
    code_plan p;
    if (plan_code(&p, fonts, layout, text, with_size_type, char_height, error) < 0) {
        plan_free(&p);
        return -1;
    }
    for (int i = 0; i < p.n; i++)
        render_blend_mask(dst, p.items[i].mask, x + p.items[i].x, y + p.items[i].y, colour);
    render_outline_rect(dst, x + p.box_x, y + p.box_y, p.box_w, p.box_h, p.box_t, colour);
    rect_quad(x + p.code_x0, y + p.code_y0, p.code_x1 - p.code_x0, p.code_y1 - p.code_y0, quad_out);
    plan_free(&p);
    return 0;
}
