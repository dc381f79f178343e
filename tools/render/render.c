/*
 * render.c — plates drawn onto BGR images: the plate styles (colours, frames, text
 * boxes) and how a plate canvas is pasted or warped into a scene; the warp of any
 * canvas into a quadrilateral of a scene (render_warp_into).
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

void render_rect_quad(int x, int y, int w, int h, gcv_point q[4])
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
    render_rect_quad(x, y, width, height, quad_out);
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

/* The pixel box (clipped to dst) that holds quad plus a pixel of anti-aliasing;
 * false when it lies entirely outside dst. */
static bool quad_box(const gcv_image *dst, const gcv_point quad[4], int *bx, int *by, int *bw,
                     int *bh)
{
    double minx = quad[0].x, maxx = quad[0].x, miny = quad[0].y, maxy = quad[0].y;
    for (int i = 1; i < 4; i++) {
        minx = MIN(minx, quad[i].x), maxx = MAX(maxx, quad[i].x);
        miny = MIN(miny, quad[i].y), maxy = MAX(maxy, quad[i].y);
    }
    *bx = MAX(0, (int)floor(minx) - 1), *by = MAX(0, (int)floor(miny) - 1);
    *bw = MIN(dst->width, (int)ceil(maxx) + 2) - *bx;
    *bh = MIN(dst->height, (int)ceil(maxy) + 2) - *by;
    return *bw > 0 && *bh > 0;
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
    int bx, by, bw, bh;
    if (!quad_box(dst, quad, &bx, &by, &bw, &bh))
        return 0; /* entirely outside dst: nothing to draw */
    gcv_image *c =
        plate_canvas(fonts, style, text, render_plate_width(style, height), height, error);
    if (!c)
        return -1;
    int rc = warp_blend(dst, c, quad, bx, by, bw, bh, error);
    gcv_image_free(c);
    return rc;
}

int render_warp_into(gcv_image *dst, const gcv_image *src, const gcv_point quad[4],
                     gcv_point *pts, int n, GError **error)
{
    if (!dst || !src || dst->channels != 3 || src->channels != 3) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "a warp needs two BGR images");
        return -1;
    }
    float w = (float)src->width, h = (float)src->height;
    const gcv_point from[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    double hm[9];
    if (gcv_perspective_transform(from, quad, hm) < 0) {
        render_set_cv_error(error, "warp transform");
        return -1;
    }
    for (int i = 0; i < n; i++) /* pixel-edge coordinates, like quad */
        pts[i] = render_map_point(hm, pts[i]);
    int bx, by, bw, bh;
    if (!quad_box(dst, quad, &bx, &by, &bw, &bh))
        return 0;
    return warp_blend(dst, src, quad, bx, by, bw, bh, error);
}
