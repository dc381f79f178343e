/*
 * text_detect.h — finds text regions in an image with the PP-OCRv4 DB detector.
 *
 * The full scale makes the image's longer side `max_side` (at most `max_upscale` times its
 * own size). Where that canvas would be much larger than a coarse one, a coarse pass runs
 * first on the whole image at about `coarse_side`: text large at that scale is kept as
 * found, and the regions where its map shows weaker text are detected again from the full
 * image, each at the scale that makes its text about 24 px high (at most the full scale),
 * packed on one canvas (text_mosaic.h). Otherwise one pass runs at the full scale, the image
 * placed on a canvas whose sides are multiples of 32 with a margin around it (text touching
 * the border of a tight crop is otherwise missed). Probability maps are turned into rotated
 * boxes (threshold, components, score, unclip) in the coordinates of the input image.
 */
#ifndef GATECV_TEXT_DETECT_H
#define GATECV_TEXT_DETECT_H

#include <glib.h>

#include <stdbool.h>

#include "gcv.h"
#include "models.h"

typedef struct {
    gcv_point quad[4];        /* top-left, top-right, bottom-right, bottom-left */
    gcv_rotated_rect rect;    /* the same box as a rotated rectangle */
    float score;              /* mean text probability inside the region */
} text_box;

typedef struct {
    int max_side;        /* longer side of the scaled image, pixels (default 960) */
    float max_upscale;   /* never enlarge more than this (default 3) */
    int margin;          /* canvas margin around the image, pixels (default 16) */
    float bin_thresh;    /* probability that counts as text (default 0.3) */
    float box_thresh;    /* minimum mean probability of a kept region (default 0.5) */
    float unclip;        /* DB unclip ratio: how far a region grows back (default 1.6) */
    int min_side;        /* drop regions whose short side is under this, input pixels (default 4) */
    int coarse_side;     /* coarse pass: longer side in pixels; 0 = one full-scale pass (default 512) */
    float coarse_keep_px; /* coarse boxes this many canvas px across or more are kept as found (default 40) */
    float propose_thresh; /* coarse map probability that marks a region to detect again (default 0.1) */
    bool blind_full_pass; /* a coarse map with no text at all is followed by one full-scale pass
                           * (default true): a small vertical code leaves no trace at the
                           * coarse scale; a plate reader can do without it */
} text_detect_params;

void text_detect_params_default(text_detect_params *p);

/* Detect text regions. On success returns the number of boxes (>= 0) and sets *boxes
 * to a g_new'd array the caller frees with g_free; on failure returns -1 and sets error. */
int text_detect(gatecv_models *models, const gcv_image *bgr, const text_detect_params *p,
                text_box **boxes, GError **error);

#endif
