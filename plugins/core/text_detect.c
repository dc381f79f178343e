/*
 * text_detect.c — the PP-OCRv4 DB detector: a coarse pass over the whole image, a fine pass
 * over the regions it marks (packed on one canvas, text_mosaic.c), or one full-scale pass;
 * and the post-processing that turns a probability map into boxes. Owns nothing past a call.
 */
#define G_LOG_DOMAIN "gatecv-detect" /* G_MESSAGES_DEBUG=gatecv-detect shows the passes */
#include "text_detect.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gatecv_error.h"
#include "text_mosaic.h"

/* PaddleOCR's detector normalisation, applied to B, G, R in that order as in training. */
static const float DET_MEAN[3] = {0.485f, 0.456f, 0.406f};
static const float DET_STD[3] = {0.229f, 0.224f, 0.225f};

void text_detect_params_default(text_detect_params *p)
{
    p->max_side = 960;
    p->max_upscale = 3.0f;
    p->margin = 16;
    p->bin_thresh = 0.3f;
    p->box_thresh = 0.5f;
    p->unclip = 1.6f;
    p->min_side = 4;
    p->coarse_side = 512;
    p->coarse_keep_px = 40;
    p->propose_thresh = 0.05f;
    p->blind_full_pass = true;
}

/* A component of the coarse map is looked at again when some pixel of it reaches this
 * probability: small text at the coarse scale rarely reaches bin_thresh, but seldom stays
 * below this. */
#define PROPOSE_PEAK 0.1f
/* Context around a region for the fine pass, in fine-canvas pixels beyond one line height:
 * the detector reads a line less well when its region is cut close to it. */
#define FINE_CONTEXT_PX 48.0f
/* A region is grown along its longer side, at each end, by this share of it or this many
 * times its shorter side (about a character pitch), whichever is more. */
#define ALONG_LINE_SHARE 0.2f
#define ALONG_LINE_CHARS 2.5f
/* A column (a vertical code: one letter a row) is grown by its own length at each end: the
 * gaps between its letters break it up at the coarse scale, and a narrow region is cheap. */
#define ALONG_COLUMN_SHARE 1.0f
/* Regions on one row this many of their heights apart or closer are joined. */
#define JOIN_GAP_LINES 4
/* The text height (a coarse region's shorter side) a fine pass wants on its canvas. */
#define FINE_TEXT_PX 24.0f
/* A text line is at most this share of the coarse canvas's shorter side across. */
#define MAX_LINE_SHARE 0.2f
/* Past this share of the whole image's area, the regions are read as the whole image. */
#define MAX_FINE_SHARE 0.6f

/* The single-pass scale: the longer side becomes max_side, enlarged at most max_upscale. */
static float full_scale(const gcv_image *bgr, const text_detect_params *p)
{
    int longer = bgr->width > bgr->height ? bgr->width : bgr->height;
    float s = (float)p->max_side / (float)longer;
    return s > p->max_upscale ? p->max_upscale : s;
}

/* The whole image, scaled by s, on a canvas of its own. */
static text_mosaic *whole_image(const gcv_image *bgr, float s, int margin)
{
    text_region all = {0, 0, bgr->width, bgr->height, s};
    int w = MAX(1, (int)lroundf(bgr->width * s));
    return text_mosaic_build(bgr, &all, 1, w + 2 * margin, margin);
}

/* Grow a rotated rectangle by DB's unclip distance: area * ratio / perimeter. */
static void unclip_rect(gcv_rotated_rect *r, float ratio)
{
    float area = r->width * r->height, perimeter = 2.0f * (r->width + r->height);
    if (perimeter <= 0)
        return;
    float d = area * ratio / perimeter;
    r->width += 2.0f * d;
    r->height += 2.0f * d;
}

typedef struct {
    gcv_point *pts;
    int n, cap;
    double prob_sum;
} region;

/* Collect each component's pixels and probability sum from the label map. */
static region *collect_regions(const int32_t *labels, const float *prob, int w, int h, int n)
{
    region *r = g_new0(region, n);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int l = labels[y * w + x];
            if (l <= 0)
                continue;
            region *g = &r[l - 1];
            if (g->n == g->cap) {
                g->cap = g->cap ? g->cap * 2 : 64;
                g->pts = g_renew(gcv_point, g->pts, g->cap);
            }
            g->pts[g->n++] = (gcv_point){(float)x, (float)y};
            g->prob_sum += prob[y * w + x];
        }
    return r;
}

static void free_regions(region *r, int n)
{
    for (int i = 0; i < n; i++)
        g_free(r[i].pts);
    g_free(r);
}

typedef struct {
    text_box *items;
    int n, cap;
} box_list;

static void box_push(box_list *l, const text_box *b)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->items = g_renew(text_box, l->items, l->cap);
    }
    l->items[l->n++] = *b;
}

/* The map's text regions as boxes in input-image coordinates, appended to `out`. With a
 * `min_canvas_side`, only regions whose shorter side on the canvas is that or more and at
 * most MAX_LINE_SHARE of the canvas's shorter side are kept: the coarse pass keeps only
 * text large enough to trust at its scale, and not the blobs that clutter makes there.
 * Cost: one pass over the map plus a rectangle fit per region. */
static int boxes_from_map(const float *prob, const text_mosaic *m, int margin,
                          const text_detect_params *p, float min_canvas_side,
                          const gcv_image *bgr, box_list *out, GError **error)
{
    int w = m->canvas->width, h = m->canvas->height;
    float max_canvas_side = MAX_LINE_SHARE * MIN(w, h);
    gcv_image *bin = gcv_image_new(w, h, 1);
    if (!bin) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector: %s", gcv_last_error());
        return -1;
    }
    for (int i = 0; i < w * h; i++)
        bin->data[i] = prob[i] > p->bin_thresh ? 255 : 0;
    int32_t *labels = NULL;
    int n = gcv_connected_components(bin, NULL, 0, &labels);
    gcv_image_free(bin);
    if (n < 0) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector: %s", gcv_last_error());
        return -1;
    }
    region *regions = collect_regions(labels, prob, w, h, n);
    free(labels);
    for (int i = 0; i < n; i++) {
        region *g = &regions[i];
        if (g->n < 3 || g->prob_sum / g->n < p->box_thresh)
            continue;
        gcv_rotated_rect r;
        if (gcv_min_area_rect(g->pts, g->n, &r) < 0)
            continue;
        unclip_rect(&r, p->unclip);
        int c = text_mosaic_cell_at(m, r.center.x, r.center.y, margin);
        float across = fminf(r.width, r.height);
        if (c < 0 || across < min_canvas_side || (min_canvas_side > 0 && across > max_canvas_side))
            continue;
        /* The corners mapped back, and the rectangle fitted to them again: the two axes of
         * a cell may be scaled a little differently. */
        gcv_point corners[4];
        gcv_rotated_rect_corners(&r, corners);
        for (int k = 0; k < 4; k++)
            corners[k] = text_mosaic_to_input(&m->cells[c], corners[k]);
        if (gcv_min_area_rect(corners, 4, &r) < 0 || fminf(r.width, r.height) < p->min_side)
            continue;
        text_box b = {.rect = r, .score = (float)(g->prob_sum / g->n)};
        gcv_rotated_rect_corners(&r, b.quad);
        for (int k = 0; k < 4; k++) { /* keep corners inside the image */
            b.quad[k].x = fminf(fmaxf(b.quad[k].x, 0.0f), (float)bgr->width);
            b.quad[k].y = fminf(fmaxf(b.quad[k].y, 0.0f), (float)bgr->height);
        }
        box_push(out, &b);
    }
    free_regions(regions, n);
    return 0;
}

/* One detector pass over the mosaic's canvas: the text probability map, canvas-sized
 * (malloc'd, the caller frees it), or NULL + error. The detector instance is held only
 * around the forward pass: it may be shared with other threads (models.h). */
static float *forward_map(gatecv_models *models, const text_mosaic *m, GError **error)
{
    const gcv_image *canvas = m->canvas;
    const int in[4] = {1, 3, canvas->height, canvas->width};
    float *blob = g_new(float, (size_t)3 * canvas->width * canvas->height);
    gcv_image_to_blob(canvas, blob, DET_MEAN, DET_STD);
    gint64 t0 = g_get_monotonic_time();
    gcv_net *det = gatecv_det_cache_acquire(models->det, canvas->width, canvas->height, error);
    if (!det) {
        g_free(blob);
        return NULL;
    }
    gint64 t1 = g_get_monotonic_time();
    float *prob = NULL;
    int shape[8], dims = 0;
    int rc = gcv_net_forward(det, blob, in, &prob, shape, &dims);
    gatecv_det_cache_release(models->det, det);
    g_debug("detector pass on %dx%d: %.1f ms (%.1f ms to get the instance)", canvas->width,
            canvas->height, (g_get_monotonic_time() - t1) / 1000.0, (t1 - t0) / 1000.0);
    g_free(blob);
    if (rc < 0 || dims != 4 || shape[2] != canvas->height || shape[3] != canvas->width) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector forward: %s",
                    rc < 0 ? gcv_last_error() : "unexpected output shape");
        free(prob);
        return NULL;
    }
    return prob;
}

/* Detect on the mosaic, which it frees (NULL: building it failed), and append its boxes
 * (see boxes_from_map); with prob_out, the map is handed back too. Returns 0 or -1. */
static int detect_mosaic(gatecv_models *models, const gcv_image *bgr, text_mosaic *m, int margin,
                         const text_detect_params *p, float min_canvas_side, box_list *out,
                         float **prob_out, GError **error)
{
    if (!m) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector input: %s",
                    gcv_last_error());
        return -1;
    }
    float *prob = forward_map(models, m, error);
    int rc = prob ? boxes_from_map(prob, m, margin, p, min_canvas_side, bgr, out, error) : -1;
    if (prob_out && rc == 0)
        *prob_out = prob;
    else
        free(prob);
    text_mosaic_free(m);
    return rc;
}

/* ---- coarse to fine -------------------------------------------------------- */

/* Whether box b's axis-aligned bounds hold the point. */
static bool box_holds(const text_box *b, float x, float y)
{
    float x0 = b->quad[0].x, x1 = x0, y0 = b->quad[0].y, y1 = y0;
    for (int k = 1; k < 4; k++) {
        x0 = fminf(x0, b->quad[k].x), x1 = fmaxf(x1, b->quad[k].x);
        y0 = fminf(y0, b->quad[k].y), y1 = fmaxf(y1, b->quad[k].y);
    }
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/* Whether some kept box holds the region's centre and both ends of its longer side:
 * the region is text already found at the coarse scale. */
static bool region_known(const text_region *r, const box_list *kept)
{
    float cx = r->x + r->width / 2.0f, cy = r->y + r->height / 2.0f;
    bool wide = r->width >= r->height;
    float ax = wide ? r->x + 0.1f * r->width : cx, ay = wide ? cy : r->y + 0.1f * r->height;
    float bx = wide ? r->x + 0.9f * r->width : cx, by = wide ? cy : r->y + 0.9f * r->height;
    for (int i = 0; i < kept->n; i++)
        if (box_holds(&kept->items[i], cx, cy) && box_holds(&kept->items[i], ax, ay) &&
            box_holds(&kept->items[i], bx, by))
            return true;
    return false;
}

/* Whether two regions overlap, or lie on one row close enough to be pieces of one line
 * (a line's middle can fade below the threshold at the coarse scale). */
static bool regions_join(const text_region *a, const text_region *b)
{
    int overlap_y = MIN(a->y + a->height, b->y + b->height) - MAX(a->y, b->y);
    int gap_x = MAX(a->x, b->x) - MIN(a->x + a->width, b->x + b->width);
    int lower = MIN(a->height, b->height);
    if (overlap_y >= 0 && gap_x <= 0)
        return true;
    return overlap_y >= lower / 2 && gap_x <= JOIN_GAP_LINES * lower;
}

/* Joins regions into their common bounds until none join; a joined region is detected at
 * the larger of the two scales. Cost: O(n^2) per round, n is a few dozen at most. */
static int merge_regions(text_region *r, int n)
{
    for (bool merged = true; merged;) {
        merged = false;
        for (int i = 0; i < n && !merged; i++)
            for (int j = i + 1; j < n && !merged; j++)
                if (regions_join(&r[i], &r[j])) {
                    int x0 = MIN(r[i].x, r[j].x), y0 = MIN(r[i].y, r[j].y);
                    int x1 = MAX(r[i].x + r[i].width, r[j].x + r[j].width);
                    int y1 = MAX(r[i].y + r[i].height, r[j].y + r[j].height);
                    r[i] = (text_region){x0, y0, x1 - x0, y1 - y0, fmaxf(r[i].scale, r[j].scale)};
                    r[j] = r[--n];
                    merged = true;
                }
    }
    return n;
}

/* The regions of the coarse map that may hold text too small to trust at the coarse
 * scale: components of the map above propose_thresh that peak above PROPOSE_PEAK and are
 * not text already kept, in input coordinates, each with the scale to detect it at, grown
 * by half their shorter side, FINE_CONTEXT_PX and along their line, and merged. g_new'd array, count in *n. Cost: two passes over the map. */
static text_region *propose_regions(const float *prob, int w, int h,
                                    const text_mosaic_cell *cell, const text_detect_params *p,
                                    float s_full, const box_list *kept, int *n)
{
    *n = 0;
    gcv_image *bin = gcv_image_new(w, h, 1);
    if (!bin)
        return NULL;
    for (int i = 0; i < w * h; i++)
        bin->data[i] = prob[i] > p->propose_thresh ? 255 : 0;
    int32_t *labels = NULL;
    int count = gcv_connected_components(bin, NULL, 0, &labels);
    gcv_image_free(bin);
    if (count <= 0) {
        free(labels);
        return NULL;
    }
    int *bounds = g_new(int, 4 * (size_t)count); /* x0, y0, x1, y1 on the canvas */
    float *peak = g_new0(float, count);
    for (int i = 0; i < count; i++)
        bounds[4 * i] = w, bounds[4 * i + 1] = h, bounds[4 * i + 2] = -1, bounds[4 * i + 3] = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int l = labels[y * w + x] - 1;
            if (l < 0)
                continue;
            int *b = &bounds[4 * l];
            b[0] = MIN(b[0], x), b[1] = MIN(b[1], y), b[2] = MAX(b[2], x), b[3] = MAX(b[3], y);
            peak[l] = fmaxf(peak[l], prob[y * w + x]);
        }
    free(labels);
    text_region *out = g_new(text_region, count);
    for (int i = 0; i < count; i++) {
        if (peak[i] < PROPOSE_PEAK)
            continue;
        const int *c = &bounds[4 * i];
        gcv_point a = text_mosaic_to_input(cell, (gcv_point){c[0], c[1]});
        gcv_point b = text_mosaic_to_input(cell, (gcv_point){c[2] + 1, c[3] + 1});
        text_region r = {(int)a.x, (int)a.y, (int)ceilf(b.x - a.x), (int)ceilf(b.y - a.y), 0};
        if (region_known(&r, kept))
            continue;
        /* Detected where its text is about FINE_TEXT_PX high, never finer than a full pass
         * (large text, a plate crop's, needs no enlarging); with context all round, and more
         * along the line: the ends of a line, and the letters of a column, are the first to
         * fade below the threshold at the coarse scale. */
        float scale = fminf(s_full, FINE_TEXT_PX / MAX(1, MIN(r.width, r.height)));
        int pad = (int)(0.5f * MIN(r.width, r.height) + FINE_CONTEXT_PX / scale);
        bool column = r.height > 2 * r.width;
        int along = (int)fmaxf((column ? ALONG_COLUMN_SHARE : ALONG_LINE_SHARE) *
                                   MAX(r.width, r.height),
                               ALONG_LINE_CHARS * MIN(r.width, r.height));
        int px = pad + (r.width >= r.height ? along : 0), py = pad + (r.width < r.height ? along : 0);
        out[(*n)++] =
            (text_region){r.x - px, r.y - py, r.width + 2 * px, r.height + 2 * py, scale};
    }
    g_free(bounds);
    g_free(peak);
    *n = merge_regions(out, *n);
    return out;
}

/* The fine boxes (after the first n_kept, which the coarse pass kept) found again inside
 * a kept one are dropped. */
static void drop_known(box_list *boxes, int n_kept)
{
    int n = n_kept;
    for (int i = n_kept; i < boxes->n; i++) {
        const text_box *b = &boxes->items[i];
        bool known = false;
        for (int k = 0; k < n_kept && !known; k++)
            known = box_holds(&boxes->items[k], b->rect.center.x, b->rect.center.y);
        if (!known)
            boxes->items[n++] = *b;
    }
    boxes->n = n;
}

/* A coarse pass over the whole image; text large enough at that scale is kept as found,
 * and the regions that may hold smaller text are detected again, each at the scale that
 * suits its text (at most the full scale), packed on one canvas. Returns 0 or -1. */
static int detect_coarse_to_fine(gatecv_models *models, const gcv_image *bgr,
                                 const text_detect_params *p, float s_full, box_list *out,
                                 GError **error)
{
    int longer = MAX(bgr->width, bgr->height);
    float s_coarse = fminf((float)p->coarse_side / longer, 1.0f); /* never enlarged */
    int cw = MAX(1, (int)lroundf(bgr->width * s_coarse / GATECV_DET_ALIGN)) * GATECV_DET_ALIGN;
    int ch = MAX(1, (int)lroundf(bgr->height * s_coarse / GATECV_DET_ALIGN)) * GATECV_DET_ALIGN;
    text_mosaic *coarse = text_mosaic_fit(bgr, cw, ch);
    /* the coarse cell maps the coarse map back to the image */
    text_mosaic_cell cell = coarse ? coarse->cells[0] : (text_mosaic_cell){0};
    float *prob = NULL;
    int rc = detect_mosaic(models, bgr, coarse, 0, p, p->coarse_keep_px, out, &prob, error);
    int n_regions = 0;
    text_region *regions =
        rc == 0 ? propose_regions(prob, cw, ch, &cell, p, s_full, out, &n_regions) : NULL;
    free(prob);
    /* Regions that would cost more than MAX_FINE_SHARE of the whole image at their
     * largest scale become the whole image at that scale: one region, less canvas. */
    double fine_area = 0;
    float largest = 0;
    for (int i = 0; i < n_regions; i++) {
        fine_area += (regions[i].width * regions[i].scale + 2 * p->margin) *
                     (regions[i].height * regions[i].scale + 2 * p->margin);
        largest = fmaxf(largest, regions[i].scale);
    }
    double whole_area =
        (bgr->width * largest + 2 * p->margin) * (bgr->height * largest + 2 * p->margin);
    bool whole = rc == 0 && n_regions > 1 && fine_area > MAX_FINE_SHARE * whole_area;
    if (whole) {
        regions[0] = (text_region){0, 0, bgr->width, bgr->height, largest};
        n_regions = 1;
    }
    /* A coarse map with no text at all is no proof of none: a small code (a vertical code's
     * letters 15 px wide in a 720p view are 6 px at the coarse scale) leaves no trace there.
     * The image is then detected once at the full scale, as without the coarse pass: only
     * images that showed nothing pay for both passes (unless blind_full_pass is off). */
    bool blind = p->blind_full_pass && rc == 0 && out->n == 0 && n_regions == 0;
    if (blind) {
        g_free(regions);
        regions = g_new(text_region, 1);
        regions[0] = (text_region){0, 0, bgr->width, bgr->height, s_full};
        n_regions = 1;
    }
    g_debug("coarse pass on %dx%d (image %dx%d): %d lines kept, %d regions to detect again%s", cw,
            ch, bgr->width, bgr->height, out->n, n_regions,
            whole   ? " (the whole image: cheaper than its regions)"
            : blind ? " (the whole image: the coarse map saw nothing)"
                    : "");
    for (int i = 0; i < n_regions; i++)
        g_debug("  region %d,%d %dx%d at scale %.2f", regions[i].x, regions[i].y,
                regions[i].width, regions[i].height, regions[i].scale);
    if (rc == 0 && n_regions > 0) {
        int kept = out->n;
        text_mosaic *fine = text_mosaic_pack(bgr, regions, n_regions, p->margin);
        rc = detect_mosaic(models, bgr, fine, p->margin, p, 0, out, NULL, error);
        if (rc == 0)
            drop_known(out, kept);
    }
    g_free(regions);
    return rc;
}

int text_detect(gatecv_models *models, const gcv_image *bgr, const text_detect_params *p,
                text_box **boxes, GError **error)
{
    *boxes = NULL;
    box_list out = {0};
    float s_full = full_scale(bgr, p);
    int longer = MAX(bgr->width, bgr->height);
    /* Coarse to fine pays only where the full-scale canvas is much larger than the coarse. */
    bool coarse = p->coarse_side > 0 && longer * s_full > 1.5f * p->coarse_side;
    int rc = coarse ? detect_coarse_to_fine(models, bgr, p, s_full, &out, error)
                    : detect_mosaic(models, bgr, whole_image(bgr, s_full, p->margin), p->margin,
                                    p, 0, &out, NULL, error);
    if (rc < 0) {
        g_free(out.items);
        return -1;
    }
    *boxes = out.items ? out.items : g_new0(text_box, 1);
    return out.n;
}
