/*
 * text_mosaic.h — several regions of one image, scaled alike, packed side by side on one
 * detector canvas, so that one forward pass reads them all.
 *
 * The detector costs about in proportion to its input area, and each input size needs a
 * detector instance of its own (models.h): packing the regions of interest onto canvases of
 * a fixed width and a height rounded to GATECV_DET_ALIGN * 2 keeps both the area and the
 * number of instances small. Each region sits in a cell with a margin filled with the
 * region's edge colour, so text never touches another region's text.
 */
#ifndef GATECV_TEXT_MOSAIC_H
#define GATECV_TEXT_MOSAIC_H

#include "gcv.h"

/* A rectangle of the input image, pixels, and the scale it is detected at. */
typedef struct {
    int x, y, width, height;
    float scale;
} text_region;

/* Where one region lies on the canvas: canvas = (input - origin) * scale + place, per axis. */
typedef struct {
    text_region source;     /* in the input image */
    float scale_x, scale_y; /* width / source.width, height / source.height */
    int place_x, place_y;   /* the region's top-left on the canvas */
    int width, height;      /* its scaled size on the canvas */
} text_mosaic_cell;

typedef struct {
    gcv_image *canvas; /* BGR, sides multiples of 2 * GATECV_DET_ALIGN */
    text_mosaic_cell *cells;
    int n_cells;
} text_mosaic;

/* Packs the n regions of `bgr` (clipped to it; empty ones skipped), each scaled by its
 * own scale, in rows on a canvas `width` px wide (grown, in steps of 128, for a region
 * wider than that), each with `margin` px around it. NULL + gcv_last_error() on failure.
 * Cost: one resize and copy per region, plus filling the canvas. */
text_mosaic *text_mosaic_build(const gcv_image *bgr, const text_region *regions, int n, int width,
                               int margin);

/* text_mosaic_build on the canvas width, among MOSAIC_WIDTHS, that gives the least area. */
text_mosaic *text_mosaic_pack(const gcv_image *bgr, const text_region *regions, int n, int margin);

/* The whole image stretched to exactly width x height (multiples of GATECV_DET_ALIGN), no
 * margin: for a coarse look, where a few per cent of aspect do not matter and a margin or
 * rounded-up canvas would be paid for in every pass. */
text_mosaic *text_mosaic_fit(const gcv_image *bgr, int width, int height);
void text_mosaic_free(text_mosaic *m);

/* The cell whose region (margin included) holds canvas point (x, y), or -1. */
int text_mosaic_cell_at(const text_mosaic *m, float x, float y, int margin);

/* Canvas point to input-image point through cell c. */
gcv_point text_mosaic_to_input(const text_mosaic_cell *c, gcv_point p);

#endif
