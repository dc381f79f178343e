/*
 * text_detect.c — the PP-OCRv4 DB detector: pre-processing, one forward pass, and the
 * post-processing that turns its probability map into boxes. Owns nothing past a call.
 */
#include "text_detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gatecv_error.h"

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
}

#define CANVAS_STEP (2 * GATECV_DET_ALIGN)

static int round_up(int v, int to)
{
    return (v + to - 1) / to * to;
}

/* Mean colour of the image's outermost rows and columns. */
static void edge_mean(const gcv_image *img, int bgr[3])
{
    double sum[3] = {0, 0, 0};
    long n = 0;
    /* Only the border is visited: all of the first and last rows, the two end pixels of
     * every other row. */
    for (int y = 0; y < img->height; y++) {
        int step = (y == 0 || y == img->height - 1) ? 1 : (img->width > 1 ? img->width - 1 : 1);
        for (int x = 0; x < img->width; x += step) {
            const uint8_t *px = img->data + (size_t)y * img->stride + (size_t)x * 3;
            for (int c = 0; c < 3; c++)
                sum[c] += px[c];
            n++;
        }
    }
    for (int c = 0; c < 3; c++)
        bgr[c] = (int)(sum[c] / (n ? n : 1));
}

/* Scale the image and place it on a 32-aligned canvas; returns the canvas and the
 * scale and offset that map canvas coordinates back to the input. */
static gcv_image *make_canvas(const gcv_image *bgr, const text_detect_params *p, float *scale,
                              int *offset)
{
    int longer = bgr->width > bgr->height ? bgr->width : bgr->height;
    float s = (float)p->max_side / (float)longer;
    if (s > p->max_upscale)
        s = p->max_upscale;
    int w = (int)lroundf(bgr->width * s), h = (int)lroundf(bgr->height * s);
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    gcv_image *scaled = gcv_resize(bgr, w, h, s < 1.0f ? GCV_INTER_AREA : GCV_INTER_LINEAR);
    if (!scaled)
        return NULL;
    /* Coarse canvas sizes keep the number of detector instances small. */
    int cw = round_up(w + 2 * p->margin, CANVAS_STEP);
    int ch = round_up(h + 2 * p->margin, CANVAS_STEP);
    gcv_image *canvas = gcv_image_new(cw, ch, 3);
    if (!canvas) {
        gcv_image_free(scaled);
        return NULL;
    }
    /* Fill the margin with the image's edge colour so it reads as background. */
    int fill[3];
    edge_mean(scaled, fill);
    gcv_fill_rect(canvas, 0, 0, cw, ch, fill[0], fill[1], fill[2]);
    for (int y = 0; y < h; y++)
        memcpy(canvas->data + (size_t)(y + p->margin) * canvas->stride + (size_t)p->margin * 3,
               scaled->data + (size_t)y * scaled->stride, (size_t)w * 3);
    gcv_image_free(scaled);
    *scale = s;
    *offset = p->margin;
    return canvas;
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

/* Turn the probability map into boxes in input-image coordinates. */
static int boxes_from_map(const float *prob, int w, int h, const text_detect_params *p,
                          float scale, int offset, const gcv_image *bgr, text_box **out,
                          GError **error)
{
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

    text_box *boxes = g_new0(text_box, n > 0 ? n : 1);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        region *g = &regions[i];
        if (g->n < 3 || g->prob_sum / g->n < p->box_thresh)
            continue;
        gcv_rotated_rect r;
        if (gcv_min_area_rect(g->pts, g->n, &r) < 0)
            continue;
        unclip_rect(&r, p->unclip);
        r.center.x = (r.center.x - offset) / scale;
        r.center.y = (r.center.y - offset) / scale;
        r.width /= scale;
        r.height /= scale;
        float shorter = r.width < r.height ? r.width : r.height;
        if (shorter < p->min_side)
            continue;
        text_box *b = &boxes[kept++];
        b->rect = r;
        b->score = (float)(g->prob_sum / g->n);
        gcv_rotated_rect_corners(&r, b->quad);
        for (int k = 0; k < 4; k++) { /* keep corners inside the image */
            b->quad[k].x = fminf(fmaxf(b->quad[k].x, 0.0f), (float)bgr->width);
            b->quad[k].y = fminf(fmaxf(b->quad[k].y, 0.0f), (float)bgr->height);
        }
    }
    free_regions(regions, n);
    *out = boxes;
    return kept;
}

int text_detect(gatecv_models *models, const gcv_image *bgr, const text_detect_params *p,
                text_box **boxes, GError **error)
{
    *boxes = NULL;
    float scale = 1.0f;
    int offset = 0;
    gcv_image *canvas = make_canvas(bgr, p, &scale, &offset);
    if (!canvas) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector input: %s",
                    gcv_last_error());
        return -1;
    }
    gcv_net *det = gatecv_models_detector(models, canvas->width, canvas->height, error);
    if (!det) {
        gcv_image_free(canvas);
        return -1;
    }
    const int in[4] = {1, 3, canvas->height, canvas->width};
    float *blob = g_new(float, (size_t)3 * canvas->width * canvas->height);
    gcv_image_to_blob(canvas, blob, DET_MEAN, DET_STD);
    float *prob = NULL;
    int shape[8], dims = 0;
    int rc = gcv_net_forward(det, blob, in, &prob, shape, &dims);
    g_free(blob);
    int w = canvas->width, h = canvas->height;
    gcv_image_free(canvas);
    if (rc < 0 || dims != 4 || shape[2] != h || shape[3] != w) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "detector forward: %s",
                    rc < 0 ? gcv_last_error() : "unexpected output shape");
        free(prob);
        return -1;
    }
    int n = boxes_from_map(prob, w, h, p, scale, offset, bgr, boxes, error);
    free(prob);
    return n;
}
