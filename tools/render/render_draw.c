/*
 * render_draw.c — the renderer's fonts and text drawing: loading the font files,
 * turning a line of UTF-8 into an ink mask (Latin and CJK runs each in their own
 * font, all scaled to one capital height), fitting a line into a box, and blending
 * masks and outlines onto images.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render_internal.h"

G_DEFINE_QUARK(render-error-quark, render_error)

void render_set_cv_error(GError **error, const char *what)
{
    g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "%s failed: %s", what, gcv_last_error());
}

int render_clamp_u8(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (int)(v + 0.5);
}

/* --- fonts ----------------------------------------------------------------- */

static gcv_font *load_font(const char *path, GError **error)
{
    if (access(path, R_OK) != 0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_FONT, "font file %s is missing", path);
        return NULL;
    }
    gcv_font *font = gcv_font_load(path);
    if (!font)
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_FONT, "cannot load font %s: %s", path,
                    gcv_last_error());
    return font;
}

/* `path` if given; else the default, or its fallback when the default is absent. */
static const char *font_path(const char *path, const char *def, const char *fallback)
{
    if (path)
        return path;
    return access(def, R_OK) == 0 ? def : fallback;
}

render_fonts *render_fonts_load(const render_font_paths *paths, GError **error)
{
    const render_font_paths none = {NULL, NULL, NULL};
    if (!paths)
        paths = &none;
    render_fonts *fonts = g_new0(render_fonts, 1);
    fonts->latin = load_font(font_path(paths->latin, RENDER_FONT_LATIN, RENDER_FONT_LATIN), error);
    if (fonts->latin)
        fonts->plate =
            load_font(font_path(paths->plate, RENDER_FONT_PLATE, RENDER_FONT_LATIN), error);
    if (fonts->plate)
        fonts->cjk =
            load_font(font_path(paths->cjk, RENDER_FONT_CJK, RENDER_FONT_CJK_FALLBACK), error);
    if (!fonts->cjk) {
        render_fonts_free(fonts);
        return NULL;
    }
    return fonts;
}

void render_fonts_free(render_fonts *fonts)
{
    if (!fonts)
        return;
    gcv_font_free(fonts->latin);
    gcv_font_free(fonts->plate);
    gcv_font_free(fonts->cjk);
    g_free(fonts);
}

/* --- masks ------------------------------------------------------------------- */

typedef struct {
    int x0, y0, x1, y1; /* inclusive; x1 < x0 when empty */
} ink_box;

static ink_box mask_ink(const gcv_image *m)
{
    ink_box b = {m->width, m->height, -1, -1};
    for (int y = 0; y < m->height; y++) {
        const uint8_t *row = m->data + (size_t)y * m->stride;
        for (int x = 0; x < m->width; x++) {
            if (row[x] < 24) /* faint anti-aliasing does not count as ink */
                continue;
            if (x < b.x0)
                b.x0 = x;
            if (x > b.x1)
                b.x1 = x;
            if (y < b.y0)
                b.y0 = y;
            if (y > b.y1)
                b.y1 = y;
        }
    }
    return b;
}

/* utf8 drawn white on a black 1-channel canvas at font height `h`, origin (h/2, h/2). */
static gcv_image *raw_mask(gcv_font *font, const char *utf8, int h, GError **error)
{
    int w = 0, th = 0, base = 0;
    if (gcv_font_text_size(font, utf8, h, &w, &th, &base) < 0) {
        render_set_cv_error(error, "measuring text");
        return NULL;
    }
    gcv_image *m = gcv_image_new(w + 2 * h, 3 * h, 1);
    if (!m) {
        render_set_cv_error(error, "text canvas");
        return NULL;
    }
    if (gcv_font_draw(font, m, utf8, h / 2, h / 2, h, 255, 255, 255) < 0) {
        render_set_cv_error(error, "drawing text");
        gcv_image_free(m);
        return NULL;
    }
    return m;
}

/* Rows [y0, y1] of the capital "H" drawn like raw_mask: the cap band. */
static int cap_band(gcv_font *font, int h, int *y0, int *y1, GError **error)
{
    gcv_image *m = raw_mask(font, "H", h, error);
    if (!m)
        return -1;
    ink_box b = mask_ink(m);
    gcv_image_free(m);
    if (b.x1 < b.x0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_FONT, "the font draws no capital H");
        return -1;
    }
    *y0 = b.y0;
    *y1 = b.y1;
    return 0;
}

/* The rectangle (x, y, w, h) of m, scaled by s. NULL + error on failure. */
static gcv_image *crop_scaled(const gcv_image *m, int x, int y, int w, int h, double s,
                              GError **error)
{
    gcv_image *crop = gcv_image_crop(m, x, y, w, h);
    gcv_image *scaled = NULL;
    if (crop)
        scaled = gcv_resize(crop, MAX(1, (int)lround(w * s)), MAX(1, (int)lround(h * s)),
                            GCV_INTER_AREA);
    gcv_image_free(crop);
    if (!scaled)
        render_set_cv_error(error, "scaling text");
    return scaled;
}

/* One run of a single script (no spaces), scaled so that its reference height maps
 * to line_height. Latin runs are cropped to their ink horizontally and to the cap
 * band (widened to their own ink) vertically; CJK runs to their ink.
 * *top_out: the run's top relative to the line's cap top. */
static gcv_image *run_mask(gcv_font *font, bool cjk, const char *run, int line_height, int *top_out,
                           GError **error)
{
    const int h = line_height * 3 / 2 + 8; /* render larger than needed, then shrink */
    gcv_image *m = raw_mask(font, run, h, error);
    if (!m)
        return NULL;
    ink_box ink = mask_ink(m);
    int ref0 = ink.y0, ref1 = ink.y1;
    if (ink.x1 < ink.x0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "text \"%s\" draws no ink", run);
        gcv_image_free(m);
        return NULL;
    }
    if (!cjk && cap_band(font, h, &ref0, &ref1, error) < 0) {
        gcv_image_free(m);
        return NULL;
    }
    int y0 = MIN(ink.y0, ref0), y1 = MAX(ink.y1, ref1);
    double s = (double)line_height / (ref1 - ref0 + 1);
    gcv_image *scaled = crop_scaled(m, ink.x0, y0, ink.x1 - ink.x0 + 1, y1 - y0 + 1, s, error);
    gcv_image_free(m);
    *top_out = (int)lround((y0 - ref0) * s);
    return scaled;
}

/* --- lines ----------------------------------------------------------------- */

#define MAX_RUNS 16

typedef struct {
    gcv_image *mask;
    int x, top;
} placed_run;

static void free_runs(placed_run *runs, int n)
{
    for (int i = 0; i < n; i++)
        gcv_image_free(runs[i].mask);
}

/* Length in bytes of the UTF-8 sequence starting with byte c. */
static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* CJK: anything encoded in 3 or more bytes (U+0800 and up; our texts use U+4E00..). */
static bool utf8_is_cjk(unsigned char c)
{
    return c >= 0xE0;
}

/* Splits text into runs of one script without spaces; lays them out left to right.
 * Returns the number of runs (their masks owned by the caller), or -1 (none left). */
static int layout_runs(render_fonts *fonts, gcv_font *latin, const char *utf8, int line_height,
                       placed_run runs[MAX_RUNS], GError **error)
{
    int n = 0, x = 0;
    const char *p = utf8;
    while (*p) {
        if (*p == ' ') {
            x += line_height * 2 / 5;
            p++;
            continue;
        }
        bool cjk = utf8_is_cjk((unsigned char)*p);
        const char *q = p;
        while (*q && *q != ' ' && utf8_is_cjk((unsigned char)*q) == cjk)
            q += utf8_len((unsigned char)*q);
        if (n == MAX_RUNS) {
            g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "text \"%s\" has too many runs",
                        utf8);
            free_runs(runs, n);
            return -1;
        }
        char *run = g_strndup(p, (gsize)(q - p));
        if (n > 0 && p > utf8 && p[-1] != ' ')
            x += MAX(1, line_height / 10); /* script change */
        runs[n].mask =
            run_mask(cjk ? fonts->cjk : latin, cjk, run, line_height, &runs[n].top, error);
        g_free(run);
        if (!runs[n].mask) {
            free_runs(runs, n);
            return -1;
        }
        runs[n].x = x;
        x += runs[n].mask->width;
        n++;
        p = q;
    }
    return n;
}

/* Copies the run masks into one line mask (max where they overlap). */
static gcv_image *compose_runs(const placed_run *runs, int n, GError **error)
{
    int top = 0, bottom = 0, right = 0;
    for (int i = 0; i < n; i++) {
        top = MIN(top, runs[i].top);
        bottom = MAX(bottom, runs[i].top + runs[i].mask->height);
        right = MAX(right, runs[i].x + runs[i].mask->width);
    }
    gcv_image *line = gcv_image_new(right, bottom - top, 1);
    if (!line) {
        render_set_cv_error(error, "text line");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const gcv_image *m = runs[i].mask;
        for (int y = 0; y < m->height; y++) {
            uint8_t *dst = line->data + (size_t)(runs[i].top - top + y) * line->stride + runs[i].x;
            const uint8_t *src = m->data + (size_t)y * m->stride;
            for (int x = 0; x < m->width; x++)
                dst[x] = MAX(dst[x], src[x]);
        }
    }
    return line;
}

gcv_image *render_text_mask(render_fonts *fonts, gcv_font *latin, const char *utf8, int line_height,
                            GError **error)
{
    if (!utf8 || line_height < 2) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "no text, or a line under 2 px");
        return NULL;
    }
    placed_run runs[MAX_RUNS];
    int n = layout_runs(fonts, latin, utf8, line_height, runs, error);
    if (n < 0)
        return NULL;
    if (n == 0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_ARG, "text \"%s\" draws no ink", utf8);
        return NULL;
    }
    gcv_image *line = compose_runs(runs, n, error);
    free_runs(runs, n);
    return line;
}

int render_text_fit(gcv_image *dst, render_fonts *fonts, gcv_font *latin, const char *utf8, int bx,
                    int by, int bw, int bh, render_colour colour, GError **error)
{
    gcv_image *line = render_text_mask(fonts, latin, utf8, MAX(2, bh), error);
    if (!line)
        return -1;
    double sy = MIN(1.0, (double)bh / line->height), sx = sy;
    if (line->width * sx > bw)
        sx = (double)bw / line->width;
    if (sx < 0.7 * sy)
        sy = sx / 0.7;
    int w = MAX(1, MIN(bw, (int)(line->width * sx))), h = MAX(1, MIN(bh, (int)(line->height * sy)));
    gcv_image *fitted = gcv_resize(line, w, h, GCV_INTER_AREA);
    gcv_image_free(line);
    if (!fitted) {
        render_set_cv_error(error, "fitting text");
        return -1;
    }
    render_blend_mask(dst, fitted, bx + (bw - w) / 2, by + (bh - h) / 2, colour);
    gcv_image_free(fitted);
    return 0;
}

/* --- blending ------------------------------------------------------------------ */

void render_blend_mask(gcv_image *dst, const gcv_image *mask, int x, int y, render_colour colour)
{
    const int col[3] = {colour.b, colour.g, colour.r};
    const int ch = dst->channels;
    for (int my = 0; my < mask->height; my++) {
        int dy = y + my;
        if (dy < 0 || dy >= dst->height)
            continue;
        const uint8_t *src = mask->data + (size_t)my * mask->stride;
        uint8_t *row = dst->data + (size_t)dy * dst->stride;
        for (int mx = 0; mx < mask->width; mx++) {
            int dx = x + mx, a = src[mx];
            if (dx < 0 || dx >= dst->width || a == 0)
                continue;
            for (int c = 0; c < ch; c++) {
                uint8_t *p = row + (size_t)dx * ch + c;
                *p = (uint8_t)((col[c] * a + *p * (255 - a) + 127) / 255);
            }
        }
    }
}

void render_outline_rect(gcv_image *dst, int x, int y, int w, int h, int t, render_colour c)
{
    gcv_fill_rect(dst, x, y, w, t, c.b, c.g, c.r);
    gcv_fill_rect(dst, x, y + h - t, w, t, c.b, c.g, c.r);
    gcv_fill_rect(dst, x, y, t, h, c.b, c.g, c.r);
    gcv_fill_rect(dst, x + w - t, y, t, h, c.b, c.g, c.r);
}
