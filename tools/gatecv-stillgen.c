/*
 * gatecv-stillgen — renders a labelled set of synthetic still images (VN plates, CN
 * plates, ISO 6346 container codes) with gatecv_render, deterministically from a seed.
 *
 *   gatecv-stillgen --out DIR --seed N --count N [--size WxH]
 *                   [--kind plate_vn|plate_cn|container] [--layout one_line|two_line|vertical]
 *
 * Writes DIR/<kind>/<NNNNNN>.jpg, DIR/labels.tsv (relative_image_path, kind,
 * text_ground_truth) and DIR/meta.tsv (relative_image_path, split, group, notes).
 * Image i depends only on the seed and i, so a longer run extends a shorter one.
 * Without --kind the kinds take turns; --kind and --layout make a set of one kind
 * and/or one layout (an evaluation set of vertical container codes in one command).
 * Exit codes: 0 ok, 1 a render or write failed, 2 bad usage.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "render.h"
#include "stillgen_vertical.h"

#define PROG "gatecv-stillgen"
#define PROGRESS_EVERY 50

typedef enum { KIND_VN, KIND_CN, KIND_CONTAINER, N_KINDS } kind;
static const char *const KIND_NAMES[N_KINDS] = {"plate_vn", "plate_cn", "container"};

/* --layout: what a set may be restricted to (plates: one or two lines). A set made
 * with --layout vertical draws its codes the varied way (stillgen_vertical.c: split
 * columns, corner posts, yaw, uneven light); the mixed set keeps the classic vertical
 * code, so its pictures and `make eval` stay as they were until the reader reads the
 * varied ones (today it reads almost none of them). */
typedef enum { LAYOUT_ONE_LINE, LAYOUT_TWO_LINE, LAYOUT_VERTICAL, N_LAYOUTS } layout;
static const char *const LAYOUT_NAMES[N_LAYOUTS] = {"one_line", "two_line", "vertical"};

#define ANY (-1) /* no --kind or no --layout */

typedef struct {
    gchar *out;
    gint64 seed;
    gint count;
    int width, height;
    int kind;   /* a kind, or ANY: the kinds take turns */
    int layout; /* a layout, or ANY */
} options;

/* One generated image's description. */
typedef struct {
    kind kind;
    int layout; /* the one layout asked for, or ANY */
    bool crop;
    char label[RENDER_TEXT_MAX];
    GString *notes;    /* ';'-separated tags, owned */
    gcv_point quad[4]; /* the text's polygon in the image */
} sample;

/* --- arguments ------------------------------------------------------------------ */

static gboolean parse_size(const char *s, int *w, int *h)
{
    char *end = NULL;
    errno = 0;
    long lw = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X'))
        return FALSE;
    const char *p = end + 1;
    long lh = strtol(p, &end, 10);
    if (errno || end == p || *end != '\0')
        return FALSE;
    if (lw < 320 || lh < 240 || lw > 8192 || lh > 8192)
        return FALSE;
    *w = (int)lw;
    *h = (int)lh;
    return TRUE;
}

/* The index of `name` in names[0..n-1], or -1. */
static int lookup(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* --kind and --layout: names checked, vertical implies containers; a message if bad. */
static char *check_kind_layout(const char *k, const char *l, options *o)
{
    o->kind = o->layout = ANY;
    if (k && (o->kind = lookup(k, KIND_NAMES, N_KINDS)) < 0)
        return g_strdup_printf("--kind '%s' is not one of plate_vn, plate_cn, container", k);
    if (l && (o->layout = lookup(l, LAYOUT_NAMES, N_LAYOUTS)) < 0)
        return g_strdup_printf("--layout '%s' is not one of one_line, two_line, vertical", l);
    if (o->layout == LAYOUT_VERTICAL && o->kind == ANY)
        o->kind = KIND_CONTAINER; /* the only kind written vertically */
    if (o->layout == LAYOUT_VERTICAL && o->kind != KIND_CONTAINER)
        return g_strdup_printf("--layout vertical needs --kind container (plates have one_line "
                               "and two_line), not --kind %s", k);
    return NULL;
}

/* Parses argv into o; FALSE with a one-line message in *msg (caller frees). */
static gboolean parse_args(int argc, char **argv, options *o, char **msg)
{
    gchar *size = NULL, *seed = NULL, *kind_name = NULL, *layout_name = NULL;
    o->count = -1;
    GOptionEntry entries[] = {
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out, "Output folder (created)", "DIR"},
        {"seed", 's', 0, G_OPTION_ARG_STRING, &seed, "PRNG seed (a 64-bit integer)", "N"},
        {"count", 'n', 0, G_OPTION_ARG_INT, &o->count, "Number of images", "N"},
        {"size", 0, 0, G_OPTION_ARG_STRING, &size, "Scene size (default 1280x720)", "WxH"},
        {"kind", 'k', 0, G_OPTION_ARG_STRING, &kind_name,
         "Only this kind: plate_vn, plate_cn or container (default: the three in turn)", "KIND"},
        {"layout", 'l', 0, G_OPTION_ARG_STRING, &layout_name,
         "Only this layout: one_line, two_line (plates and containers) or vertical "
         "(containers; implies --kind container)",
         "LAYOUT"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, "Render a labelled set of synthetic plates and container "
                                      "codes, the same for the same seed.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    gboolean ok = g_option_context_parse(ctx, &argc, &argv, &error);
    g_option_context_free(ctx);
    o->width = 1280;
    o->height = 720;
    if (!ok)
        *msg = g_strdup(error->message);
    else if (argc > 1)
        *msg = g_strdup_printf("unexpected argument '%s'", argv[1]);
    else if (!o->out || !*o->out)
        *msg = g_strdup("--out DIR is required");
    else if (!seed)
        *msg = g_strdup("--seed N is required");
    else if (!g_ascii_string_to_signed(seed, 10, G_MININT64, G_MAXINT64, &o->seed, NULL))
        *msg = g_strdup_printf("--seed '%s' is not a 64-bit integer", seed);
    else if (o->count == -1)
        *msg = g_strdup("--count N is required");
    else if (o->count < 1 || o->count > 999999)
        *msg = g_strdup_printf("--count %d is out of range 1..999999", o->count);
    else if (size && !parse_size(size, &o->width, &o->height))
        *msg = g_strdup_printf("--size '%s' is not WxH within 320x240..8192x8192", size);
    else
        *msg = check_kind_layout(kind_name, layout_name, o);
    g_clear_error(&error);
    g_free(size);
    g_free(seed);
    g_free(kind_name);
    g_free(layout_name);
    return *msg == NULL;
}

/* --- scenes and crops ------------------------------------------------------------ */

static render_colour random_colour(render_rng *rng, int lo, int hi)
{
    return (render_colour){render_rng_range(rng, lo, hi), render_rng_range(rng, lo, hi),
                           render_rng_range(rng, lo, hi)};
}

/* A plain background (vertical gradient) or a noisy one (clutter of rectangles). */
static gcv_image *scene_background(render_rng *rng, int w, int h, sample *s)
{
    gcv_image *img = gcv_image_new(w, h, 3);
    if (!img)
        return NULL;
    render_colour top = random_colour(rng, 90, 220), bottom = random_colour(rng, 40, 130);
    for (int y = 0; y < h; y++) {
        double t = (double)y / (h - 1);
        gcv_fill_rect(img, 0, y, w, 1, (int)(top.b + (bottom.b - top.b) * t),
                      (int)(top.g + (bottom.g - top.g) * t), (int)(top.r + (bottom.r - top.r) * t));
    }
    if (render_rng_chance(rng, 0.5)) {
        g_string_append(s->notes, ";cluttered");
        for (int i = render_rng_range(rng, 8, 30); i > 0; i--) {
            render_colour c = random_colour(rng, 20, 235);
            gcv_fill_rect(img, render_rng_range(rng, -w / 8, w), render_rng_range(rng, -h / 8, h),
                          render_rng_range(rng, w / 40, w / 4),
                          render_rng_range(rng, h / 40, h / 4), c.b, c.g, c.r);
        }
    }
    return img;
}

/* Plate style for a kind (of the one layout asked for, if any), with its layout and
 * colour tags. */
static render_plate_style pick_plate_style(render_rng *rng, kind k, sample *s)
{
    static const render_plate_style vn[] = {RENDER_PLATE_VN_ONE_LINE, RENDER_PLATE_VN_ONE_LINE,
                                            RENDER_PLATE_VN_TWO_LINE, RENDER_PLATE_VN_TWO_LINE,
                                            RENDER_PLATE_VN_YELLOW};
    static const render_plate_style cn[] = {RENDER_PLATE_CN_BLUE, RENDER_PLATE_CN_BLUE,
                                            RENDER_PLATE_CN_GREEN, RENDER_PLATE_CN_YELLOW,
                                            RENDER_PLATE_CN_YELLOW_TWO_ROW};
    const render_plate_style *styles = k == KIND_VN ? vn : cn;
    render_plate_style st = styles[render_rng_below(rng, 5)];
    while (s->layout != ANY && render_plate_style_two_line(st) != (s->layout == LAYOUT_TWO_LINE))
        st = styles[render_rng_below(rng, 5)]; /* both kinds have both layouts */
    static const char *const colour[RENDER_PLATE_N_STYLES] = {
        "white", "white", "yellow", "blue", "green_new_energy", "yellow", "yellow"};
    g_string_append_printf(s->notes, ";%s;%s",
                           render_plate_style_two_line(st) ? "two_line" : "one_line", colour[st]);
    return st;
}

static void plate_text(render_rng *rng, render_plate_style st, render_plate_text *t)
{
    if (st <= RENDER_PLATE_VN_YELLOW)
        render_gen_vn_plate(rng, st == RENDER_PLATE_VN_TWO_LINE, t);
    else
        render_gen_cn_plate(rng, st == RENDER_PLATE_CN_GREEN, st == RENDER_PLATE_CN_YELLOW_TWO_ROW,
                            t);
}

/* The plate rectangle (x, y, w, h) rotated by `deg` about its centre. */
static void rotated_quad(int x, int y, int w, int h, double deg, gcv_point q[4])
{
    double a = deg * 3.14159265358979 / 180.0, c = cos(a), sn = sin(a);
    double cx = x + w / 2.0, cy = y + h / 2.0;
    const double dx[4] = {-w / 2.0, w / 2.0, w / 2.0, -w / 2.0};
    const double dy[4] = {-h / 2.0, -h / 2.0, h / 2.0, h / 2.0};
    for (int i = 0; i < 4; i++)
        q[i] =
            (gcv_point){(float)(cx + dx[i] * c - dy[i] * sn), (float)(cy + dx[i] * sn + dy[i] * c)};
}

/* Draws the plate at (x, y, height), sometimes slightly rotated. */
static int place_plate(gcv_image *img, render_fonts *fonts, render_rng *rng, render_plate_style st,
                       const render_plate_text *t, int x, int y, int ph, sample *s, GError **error)
{
    if (!render_rng_chance(rng, 0.25))
        return render_plate(img, fonts, st, t, x, y, ph, s->quad, error);
    g_string_append(s->notes, ";rotated");
    rotated_quad(x, y, render_plate_width(st, ph), ph, render_rng_uniform(rng, -6, 6), s->quad);
    return render_plate_quad(img, fonts, st, t, s->quad, error);
}

static gcv_image *plate_scene(const options *o, render_fonts *fonts, render_rng *rng, sample *s,
                              GError **error)
{
    g_string_append(s->notes, "scene");
    render_plate_style st = pick_plate_style(rng, s->kind, s);
    render_plate_text t;
    plate_text(rng, st, &t);
    g_strlcpy(s->label, t.label, sizeof s->label);
    double aspect = (double)render_plate_width(st, 1000) / 1000.0;
    int max_h = MIN(o->height / 4, (int)(o->width * 0.45 / aspect));
    int min_h = MAX(16, MIN(max_h, o->height / (render_plate_style_two_line(st) ? 16 : 28)));
    int ph = render_rng_range(rng, min_h, max_h), pw = render_plate_width(st, ph);
    int x = render_rng_range(rng, o->width / 10, o->width - o->width / 10 - pw);
    int y = render_rng_range(rng, o->height / 10, o->height - o->height / 10 - ph);
    gcv_image *img = scene_background(rng, o->width, o->height, s);
    if (!img)
        return NULL;
    render_colour body = random_colour(rng, 20, 230); /* the vehicle the plate is on */
    gcv_fill_rect(img, x - pw, y - ph * 2, pw * 3, ph * 4, body.b, body.g, body.r);
    if (place_plate(img, fonts, rng, st, &t, x, y, ph, s, error) < 0) {
        gcv_image_free(img);
        return NULL;
    }
    return img;
}

static gcv_image *plate_crop(render_fonts *fonts, render_rng *rng, sample *s, GError **error)
{
    g_string_append(s->notes, "crop_only");
    render_plate_style st = pick_plate_style(rng, s->kind, s);
    render_plate_text t;
    plate_text(rng, st, &t);
    g_strlcpy(s->label, t.label, sizeof s->label);
    bool two = render_plate_style_two_line(st);
    int ph = two ? render_rng_range(rng, 48, 128) : render_rng_range(rng, 28, 96);
    int pw = render_plate_width(st, ph);
    int mx = (int)(pw * render_rng_uniform(rng, 0.03, 0.15)) + 2;
    int my = (int)(ph * render_rng_uniform(rng, 0.06, 0.3)) + 2;
    gcv_image *img = gcv_image_new(pw + 2 * mx, ph + 2 * my, 3);
    if (!img)
        return NULL;
    render_colour body = random_colour(rng, 20, 230);
    gcv_fill_rect(img, 0, 0, img->width, img->height, body.b, body.g, body.r);
    if (place_plate(img, fonts, rng, st, &t, mx, my, ph, s, error) < 0) {
        gcv_image_free(img);
        return NULL;
    }
    return img;
}

/* --- containers -------------------------------------------------------------------- */

static const render_colour PANEL_COLOURS[] = {
    {190, 140, 60}, {40, 50, 150},   {110, 60, 20}, {60, 120, 50}, {150, 150, 150},
    {30, 110, 220}, {225, 225, 220}, {50, 40, 40},  {40, 70, 120},
};
#define N_PANEL_COLOURS (sizeof PANEL_COLOURS / sizeof PANEL_COLOURS[0])

typedef struct {
    render_container_text text;
    render_container_layout layout;
    bool size_type;
    render_colour panel, ink;
} container_look;

static void pick_container(render_rng *rng, container_look *c, sample *s)
{
    render_gen_container(rng, &c->text);
    g_strlcpy(s->label, c->text.code, sizeof s->label);
    c->layout = (render_container_layout)render_rng_below(rng, RENDER_CONTAINER_N_LAYOUTS);
    if (s->layout != ANY) /* drawn all the same: the rest of the image stays as it was */
        c->layout = (render_container_layout)s->layout;
    c->size_type = render_rng_chance(rng, 0.6);
    c->panel = PANEL_COLOURS[render_rng_below(rng, N_PANEL_COLOURS)];
    int lum = (c->panel.b * 29 + c->panel.g * 150 + c->panel.r * 77) >> 8;
    c->ink = lum < 140 ? (render_colour){240, 240, 240} : (render_colour){30, 30, 30};
}

/* Layout and size-type tags, once the layout is final. */
static void container_notes(const container_look *c, sample *s)
{
    static const char *const layout[] = {"horizontal;one_line", "horizontal;two_line", "vertical"};
    g_string_append_printf(s->notes, ";%s", layout[c->layout]);
    if (c->size_type)
        g_string_append_printf(s->notes, ";size_type=%s", c->text.size_type);
}

/* Largest char height <= h (and >= 8) whose block fits in max_w × max_h; -1 if none. */
static int fit_char_height(render_fonts *fonts, const container_look *c, int h, int max_w,
                           int max_h, int *bw, int *bh, GError **error)
{
    for (; h >= 8; h = h * 4 / 5) {
        if (render_container_measure(fonts, c->layout, &c->text, c->size_type, h, bw, bh, error) <
            0)
            return -1;
        if (*bw <= max_w && *bh <= max_h)
            return h;
    }
    return -1;
}

/* fit_char_height, falling back to a one-line code without size type when the
 * chosen layout cannot fit (small scenes) unless the layout was asked for. */
static int fit_container(render_fonts *fonts, container_look *c, bool fixed, int h, int max_w,
                         int max_h, int *bw, int *bh, GError **error)
{
    int fitted = fit_char_height(fonts, c, h, max_w, max_h, bw, bh, error);
    if (fitted > 0 || (error && *error))
        return fitted;
    if (fixed) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "the container code does not fit in %dx%d px", max_w, max_h);
        return -1;
    }
    c->layout = RENDER_CONTAINER_ONE_LINE;
    c->size_type = false;
    fitted = fit_char_height(fonts, c, h, max_w, max_h, bw, bh, error);
    if (fitted < 0 && error && !*error)
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG,
                    "the container code does not fit in %dx%d px", max_w, max_h);
    return fitted;
}

static gcv_image *container_scene(const options *o, render_fonts *fonts, render_rng *rng, sample *s,
                                  GError **error)
{
    g_string_append(s->notes, "scene");
    container_look c;
    pick_container(rng, &c, s);
    gcv_image *img = scene_background(rng, o->width, o->height, s);
    if (!img)
        return NULL;
    if (s->layout == LAYOUT_VERTICAL) { /* the varied look: see varied_vertical */
        if (stillgen_vertical_scene(img, fonts, rng, &c.text, s->notes, s->quad, error) == 0)
            return img;
        gcv_image_free(img);
        return NULL;
    }
    int px = render_rng_range(rng, -o->width / 10, o->width / 10);
    int py = render_rng_range(rng, 0, o->height / 6);
    int pw = o->width - px - render_rng_range(rng, -o->width / 10, o->width / 10);
    int ph = o->height - py - render_rng_range(rng, o->height / 20, o->height / 6);
    render_container_panel(img, px, py, pw, ph, c.panel,
                           render_rng_range(rng, 12, 40) * o->width / 1280);
    int vx0 = MAX(px, 0) + 8, vy0 = py + 8, vx1 = MIN(px + pw, o->width) - 8, vy1 = py + ph - 8;
    int bw, bh, h0 = render_rng_range(rng, MAX(10, o->height / 45), MAX(12, o->height / 14));
    int h = fit_container(fonts, &c, s->layout != ANY, h0, vx1 - vx0, vy1 - vy0, &bw, &bh, error);
    if (h > 0)
        container_notes(&c, s);
    if (h < 0 ||
        render_container_code(img, fonts, c.layout, &c.text, c.size_type,
                              render_rng_range(rng, vx0, vx1 - bw),
                              render_rng_range(rng, vy0, vy1 - bh), h, c.ink, s->quad, error) < 0) {
        gcv_image_free(img);
        return NULL;
    }
    return img;
}

static gcv_image *container_crop(render_fonts *fonts, render_rng *rng, sample *s, GError **error)
{
    g_string_append(s->notes, "crop_only");
    container_look c;
    pick_container(rng, &c, s);
    if (s->layout == LAYOUT_VERTICAL)
        return stillgen_vertical_crop(fonts, rng, &c.text, s->notes, s->quad, error);
    container_notes(&c, s);
    int h = render_rng_range(rng, 18, 48), bw, bh;
    if (render_container_measure(fonts, c.layout, &c.text, c.size_type, h, &bw, &bh, error) < 0)
        return NULL;
    int mx = (int)(h * render_rng_uniform(rng, 0.3, 1.0)) + 2;
    int my = (int)(h * render_rng_uniform(rng, 0.3, 1.0)) + 2;
    gcv_image *img = gcv_image_new(bw + 2 * mx, bh + 2 * my, 3);
    if (!img)
        return NULL;
    render_container_panel(img, -render_rng_range(rng, 0, 20), 0, img->width + 20, img->height,
                           c.panel, render_rng_range(rng, h / 2, h * 2));
    if (render_container_code(img, fonts, c.layout, &c.text, c.size_type, mx, my, h, c.ink, s->quad,
                              error) < 0) {
        gcv_image_free(img);
        return NULL;
    }
    return img;
}

/* --- degradations ------------------------------------------------------------------- */

/* Replaces *img by next (when next is not NULL). */
static bool swap_image(gcv_image **img, gcv_image *next)
{
    if (!next)
        return false;
    gcv_image_free(*img);
    *img = next;
    return true;
}

static bool degrade(gcv_image **img, render_rng *rng, sample *s, GError **error)
{
    double scale = s->crop ? 0.5 : 1.0;
    if (render_rng_chance(rng, s->crop ? 0.15 : 0.25)) {
        g_string_append(s->notes, ";tilt");
        if (!swap_image(img, render_tilt(*img, rng, render_rng_uniform(rng, 0.02, 0.06), s->quad, 4,
                                         error)))
            return false;
    }
    double r = render_rng_unit(rng);
    if (r < 0.2) {
        g_string_append(s->notes, ";blur");
        if (!swap_image(img,
                        render_blur(*img, render_rng_uniform(rng, 0.6, 1.6) * scale + 0.3, error)))
            return false;
    } else if (r < 0.32) {
        g_string_append(s->notes, ";motion_blur");
        int len = (int)(render_rng_range(rng, 3, 9) * scale) + 2;
        if (!swap_image(img,
                        render_motion_blur(*img, len, render_rng_uniform(rng, -20, 20), error)))
            return false;
    }
    double light = render_rng_unit(rng);
    if (light < 0.15) {
        g_string_append(s->notes, ";dusk");
        render_dusk(*img);
    } else if (light < 0.3) {
        g_string_append(s->notes, ";night");
        render_night_ir(*img);
    } else {
        render_brightness_contrast(*img, render_rng_uniform(rng, 0.8, 1.15),
                                   render_rng_uniform(rng, -25, 25));
    }
    if (render_rng_chance(rng, 0.6)) {
        g_string_append(s->notes, ";noise");
        render_add_noise(*img, rng, render_rng_uniform(rng, 2, 9));
    }
    return true;
}

/* --- output -------------------------------------------------------------------------- */

static void append_geometry(sample *s, const gcv_image *img)
{
    double x0 = s->quad[0].x, x1 = x0, y0 = s->quad[0].y, y1 = y0;
    for (int i = 1; i < 4; i++) {
        x0 = MIN(x0, s->quad[i].x), x1 = MAX(x1, s->quad[i].x);
        y0 = MIN(y0, s->quad[i].y), y1 = MAX(y1, s->quad[i].y);
    }
    int bx = CLAMP((int)floor(x0), 0, img->width - 1),
        by = CLAMP((int)floor(y0), 0, img->height - 1);
    int bx1 = CLAMP((int)ceil(x1), bx + 1, img->width),
        by1 = CLAMP((int)ceil(y1), by + 1, img->height);
    g_string_append_printf(s->notes, ";bbox_xywh=%d,%d,%d,%d;quad=", bx, by, bx1 - bx, by1 - by);
    for (int i = 0; i < 4; i++)
        g_string_append_printf(s->notes, "%s%d,%d", i ? "," : "", (int)lround(s->quad[i].x),
                               (int)lround(s->quad[i].y));
}

/* The PRNG of image `index`: independent of every other image. */
static void image_rng(render_rng *rng, int64_t seed, int index)
{
    render_rng_seed(rng, (uint64_t)seed ^ 0x5DEECE66Dull);
    uint64_t base = render_rng_next(rng);
    render_rng_seed(rng, base + (uint64_t)index * 0xD1B54A32D192ED03ull);
    render_rng_next(rng);
}

typedef struct {
    const options *o;
    render_fonts *fonts;
    FILE *labels, *meta;
    int per_kind[N_KINDS], crops;
} run;

static gcv_image *make_image(run *r, render_rng *rng, sample *s, GError **error)
{
    bool plate = s->kind != KIND_CONTAINER;
    if (s->crop)
        return plate ? plate_crop(r->fonts, rng, s, error)
                     : container_crop(r->fonts, rng, s, error);
    return plate ? plate_scene(r->o, r->fonts, rng, s, error)
                 : container_scene(r->o, r->fonts, rng, s, error);
}

/* Renders, degrades and writes image `index`; false + error on failure. */
static bool generate_one(run *r, int index, GError **error)
{
    render_rng rng;
    image_rng(&rng, r->o->seed, index);
    sample s = {.kind = r->o->kind == ANY ? (kind)(index % N_KINDS) : (kind)r->o->kind,
                .layout = r->o->layout,
                .notes = g_string_new(NULL)};
    const char *split = render_rng_chance(&rng, 0.2) ? "val" : "train";
    s.crop = render_rng_chance(&rng, 0.3);
    gcv_image *img = make_image(r, &rng, &s, error);
    bool ok = img && degrade(&img, &rng, &s, error);
    char rel[64];
    snprintf(rel, sizeof rel, "%s/%06d.jpg", KIND_NAMES[s.kind], index + 1);
    if (ok) {
        char *path = g_build_filename(r->o->out, rel, NULL);
        ok = gcv_image_write(img, path) == 0;
        if (!ok)
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s: %s", path,
                        gcv_last_error());
        g_free(path);
    } else if (error && !*error) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "%s: %s", rel, gcv_last_error());
    }
    if (ok) {
        append_geometry(&s, img);
        fprintf(r->labels, "%s\t%s\t%s\n", rel, KIND_NAMES[s.kind], s.label);
        fprintf(r->meta, "%s\t%s\t%s|%s\t%s\n", rel, split, KIND_NAMES[s.kind], s.label,
                s.notes->str);
        r->per_kind[s.kind]++;
        r->crops += s.crop;
    }
    gcv_image_free(img);
    g_string_free(s.notes, TRUE);
    return ok;
}

static FILE *open_table(const char *dir, const char *name, const char *header, GError **error)
{
    char *path = g_build_filename(dir, name, NULL);
    FILE *f = fopen(path, "w");
    if (!f)
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s: %s",
                    path, g_strerror(errno));
    else
        fprintf(f, "%s\n", header);
    g_free(path);
    return f;
}

static bool make_dirs(const char *out, GError **error)
{
    for (int k = 0; k < N_KINDS; k++) {
        char *dir = g_build_filename(out, KIND_NAMES[k], NULL);
        int rc = g_mkdir_with_parents(dir, 0755);
        if (rc != 0)
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s: %s",
                        dir, g_strerror(errno));
        g_free(dir);
        if (rc != 0)
            return false;
    }
    return true;
}

static bool close_table(FILE *f, const char *name, GError **error)
{
    bool ok = f && !ferror(f);
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok && error && !*error)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s", name);
    return ok;
}

static bool generate_all(run *r, GError **error)
{
    bool ok = make_dirs(r->o->out, error);
    if (ok) {
        r->labels = open_table(r->o->out, "labels.tsv",
                               "relative_image_path\tkind\ttext_ground_truth", error);
        r->meta = r->labels ? open_table(r->o->out, "meta.tsv",
                                         "relative_image_path\tsplit\tgroup\tnotes", error)
                            : NULL;
        ok = r->meta != NULL;
    }
    for (int i = 0; ok && i < r->o->count; i++) {
        ok = generate_one(r, i, error);
        if (ok && (i + 1) % PROGRESS_EVERY == 0)
            fprintf(stderr, PROG ": %d/%d images\n", i + 1, r->o->count);
    }
    ok = close_table(r->labels, "labels.tsv", ok ? error : NULL) && ok;
    ok = close_table(r->meta, "meta.tsv", ok ? error : NULL) && ok;
    return ok;
}

int main(int argc, char **argv)
{
    options o = {0};
    char *msg = NULL;
    if (!parse_args(argc, argv, &o, &msg)) {
        fprintf(stderr, PROG ": %s (try --help)\n", msg);
        g_free(msg);
        g_free(o.out);
        return 2;
    }
    GError *error = NULL;
    run r = {.o = &o};
    r.fonts = render_fonts_load(NULL, &error);
    bool ok = r.fonts && generate_all(&r, &error);
    if (ok)
        printf(PROG ": wrote %d images to %s (%d plate_vn, %d plate_cn, %d container; %d scenes, "
                    "%d crops), seed %" G_GINT64_FORMAT "\n",
               o.count, o.out, r.per_kind[KIND_VN], r.per_kind[KIND_CN], r.per_kind[KIND_CONTAINER],
               o.count - r.crops, r.crops, o.seed);
    else
        fprintf(stderr, PROG ": %s\n", error ? error->message : "failed");
    g_clear_error(&error);
    render_fonts_free(r.fonts);
    g_free(o.out);
    return ok ? 0 : 1;
}
