/*
 * text_mosaic.c — packs scaled regions of an image onto one detector canvas (shelf
 * packing, tallest first) and maps canvas points back. Owns the text_mosaic it returns.
 */
#include "text_mosaic.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models.h"

#define CANVAS_STEP (2 * GATECV_DET_ALIGN)
#define WIDTH_STEP 128

static int round_up(int v, int to)
{
    return (v + to - 1) / to * to;
}

/* Mean colour of the image's outermost rows and columns: the margin gets it so that it
 * reads as background. Only the border is visited. */
static void edge_mean(const gcv_image *img, int bgr[3])
{
    double sum[3] = {0, 0, 0};
    long n = 0;
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

/* The region clipped to the image; false if nothing is left. */
static bool clip_region(text_region *r, const gcv_image *img)
{
    int x0 = MAX(r->x, 0), y0 = MAX(r->y, 0);
    int x1 = MIN(r->x + r->width, img->width), y1 = MIN(r->y + r->height, img->height);
    if (x1 - x0 < 1 || y1 - y0 < 1)
        return false;
    *r = (text_region){x0, y0, x1 - x0, y1 - y0, r->scale};
    return true;
}

/* Moves the region's origin back to where the scaled image's pixel grid meets the
 * detector's GATECV_DET_ALIGN grid (the region grows by less than one grid step). The
 * detector is translation-equivariant only in whole steps of its stride: placed on that
 * grid, a region's text gets the same map as in a pass over the whole image. */
static void snap_to_grid(text_region *r)
{
    float step = GATECV_DET_ALIGN / r->scale; /* one grid step, in input pixels */
    int x0 = (int)(floorf(r->x / step) * step), y0 = (int)(floorf(r->y / step) * step);
    r->width += r->x - x0;
    r->height += r->y - y0;
    r->x = x0;
    r->y = y0;
}

static int by_height_desc(const void *a, const void *b)
{
    const text_mosaic_cell *x = a, *y = b;
    return y->height - x->height;
}

/* Shelf packing: cells left to right in rows, a new row when the next does not fit.
 * Returns the canvas height used. */
static int pack(text_mosaic_cell *cells, int n, int width, int margin)
{
    int x = 0, y = 0, row_h = 0;
    for (int i = 0; i < n; i++) {
        /* Cells start on the detector's grid (see snap_to_grid). */
        int cw = round_up(cells[i].width + 2 * margin, GATECV_DET_ALIGN);
        int chh = round_up(cells[i].height + 2 * margin, GATECV_DET_ALIGN);
        if (x > 0 && x + cw > width) {
            y += row_h;
            x = 0;
            row_h = 0;
        }
        cells[i].place_x = x + margin;
        cells[i].place_y = y + margin;
        x += cw;
        row_h = MAX(row_h, chh);
    }
    return y + row_h;
}

/* Scales the cell's region and copies it to its place, its margin filled with its edge
 * colour. */
static bool paint_cell(gcv_image *canvas, const gcv_image *bgr, const text_mosaic_cell *c,
                       int margin)
{
    const text_region *s = &c->source;
    gcv_image *part = gcv_image_crop(bgr, s->x, s->y, s->width, s->height);
    gcv_image *scaled = part ? gcv_resize(part, c->width, c->height,
                                          c->scale_x < 1.0f ? GCV_INTER_AREA : GCV_INTER_LINEAR)
                             : NULL;
    gcv_image_free(part);
    if (!scaled)
        return false;
    int fill[3];
    edge_mean(scaled, fill);
    gcv_fill_rect(canvas, c->place_x - margin, c->place_y - margin, c->width + 2 * margin,
                  c->height + 2 * margin, fill[0], fill[1], fill[2]);
    for (int y = 0; y < c->height; y++)
        memcpy(canvas->data + (size_t)(c->place_y + y) * canvas->stride + (size_t)c->place_x * 3,
               scaled->data + (size_t)y * scaled->stride, (size_t)c->width * 3);
    gcv_image_free(scaled);
    return true;
}

/* Lays the regions out: each snapped to the grid, clipped to the image (empty ones left
 * out) and scaled, tallest first, packed on a canvas `width` px wide (grown, in steps of
 * WIDTH_STEP, for a region wider than that). Returns the cells (g_new'd, n_cells of them)
 * and the canvas sides. Cost: a sort and a pass over the regions. */
static text_mosaic_cell *plan_cells(const gcv_image *bgr, const text_region *regions, int n,
                                    int width, int margin, int *n_cells, int *canvas_w,
                                    int *canvas_h)
{
    text_mosaic_cell *cells = g_new0(text_mosaic_cell, n > 0 ? n : 1);
    int widest = 0, kept = 0;
    for (int i = 0; i < n; i++) {
        text_mosaic_cell c = {.source = regions[i]};
        assert(regions[i].scale > 0);
        snap_to_grid(&c.source);
        if (!clip_region(&c.source, bgr))
            continue;
        c.width = MAX(1, (int)lroundf(c.source.width * c.source.scale));
        c.height = MAX(1, (int)lroundf(c.source.height * c.source.scale));
        c.scale_x = (float)c.width / c.source.width;
        c.scale_y = (float)c.height / c.source.height;
        widest = MAX(widest, c.width + 2 * margin);
        cells[kept++] = c;
    }
    if (widest > width)
        width = round_up(widest, WIDTH_STEP);
    *canvas_w = round_up(MAX(width, 1), CANVAS_STEP);
    qsort(cells, kept, sizeof *cells, by_height_desc);
    *canvas_h = round_up(MAX(pack(cells, kept, *canvas_w, margin), 1), CANVAS_STEP);
    *n_cells = kept;
    return cells;
}

text_mosaic *text_mosaic_build(const gcv_image *bgr, const text_region *regions, int n, int width,
                               int margin)
{
    assert(bgr->channels == 3 && margin >= 0);
    text_mosaic *m = g_new0(text_mosaic, 1);
    int height;
    m->cells = plan_cells(bgr, regions, n, width, margin, &m->n_cells, &width, &height);
    m->canvas = gcv_image_new(width, height, 3);
    if (!m->canvas) {
        text_mosaic_free(m);
        return NULL;
    }
    gcv_fill_rect(m->canvas, 0, 0, width, height, 127, 127, 127);
    for (int i = 0; i < m->n_cells; i++)
        if (!paint_cell(m->canvas, bgr, &m->cells[i], margin)) {
            text_mosaic_free(m);
            return NULL;
        }
    /* With one region, the rounding's spare canvas reads as that region's background too. */
    if (m->n_cells == 1) {
        const uint8_t *px = m->canvas->data; /* the margin's corner: the edge colour */
        int fill[3] = {px[0], px[1], px[2]};
        const text_mosaic_cell *c = &m->cells[0];
        int used_w = c->width + 2 * margin, used_h = c->height + 2 * margin;
        if (width > used_w)
            gcv_fill_rect(m->canvas, used_w, 0, width - used_w, height, fill[0], fill[1], fill[2]);
        if (height > used_h)
            gcv_fill_rect(m->canvas, 0, used_h, used_w, height - used_h, fill[0], fill[1], fill[2]);
    }
    return m;
}

void text_mosaic_free(text_mosaic *m)
{
    if (!m)
        return;
    gcv_image_free(m->canvas);
    g_free(m->cells);
    g_free(m);
}

int text_mosaic_cell_at(const text_mosaic *m, float x, float y, int margin)
{
    for (int i = 0; i < m->n_cells; i++) {
        const text_mosaic_cell *c = &m->cells[i];
        if (x >= c->place_x - margin && x < c->place_x + c->width + margin &&
            y >= c->place_y - margin && y < c->place_y + c->height + margin)
            return i;
    }
    return -1;
}

gcv_point text_mosaic_to_input(const text_mosaic_cell *c, gcv_point p)
{
    return (gcv_point){(p.x - c->place_x) / c->scale_x + c->source.x,
                       (p.y - c->place_y) / c->scale_y + c->source.y};
}

/* Canvas widths the fine regions may be packed on: few, so that few detector instances
 * serve every mosaic. */
static const int MOSAIC_WIDTHS[] = {256, 384, 512, 640, 768, 1024};

/* The canvas area the regions would take packed on `width`. */
static long packed_area(const gcv_image *bgr, const text_region *regions, int n, int width,
                        int margin)
{
    int n_cells, w, h;
    g_free(plan_cells(bgr, regions, n, width, margin, &n_cells, &w, &h));
    return (long)w * h;
}

text_mosaic *text_mosaic_pack(const gcv_image *bgr, const text_region *regions, int n, int margin)
{
    int best = MOSAIC_WIDTHS[0];
    long best_area = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(MOSAIC_WIDTHS); i++) {
        long area = packed_area(bgr, regions, n, MOSAIC_WIDTHS[i], margin);
        if (best_area < 0 || area < best_area)
            best = MOSAIC_WIDTHS[i], best_area = area;
    }
    return text_mosaic_build(bgr, regions, n, best, margin);
}

text_mosaic *text_mosaic_fit(const gcv_image *bgr, int width, int height)
{
    assert(bgr->channels == 3 && width % GATECV_DET_ALIGN == 0 && height % GATECV_DET_ALIGN == 0);
    gcv_image *canvas =
        gcv_resize(bgr, width, height, width < bgr->width ? GCV_INTER_AREA : GCV_INTER_LINEAR);
    if (!canvas)
        return NULL;
    text_mosaic *m = g_new0(text_mosaic, 1);
    m->canvas = canvas;
    m->cells = g_new0(text_mosaic_cell, 1);
    m->cells[0] = (text_mosaic_cell){
        .source = {0, 0, bgr->width, bgr->height, (float)width / bgr->width},
        .scale_x = (float)width / bgr->width,
        .scale_y = (float)height / bgr->height,
        .width = width,
        .height = height,
    };
    m->n_cells = 1;
    return m;
}
