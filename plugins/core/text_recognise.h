/*
 * text_recognise.h — reads one line of text with the PP-OCRv4 CTC recogniser.
 *
 * The region (a quadrilateral of the image) is warped upright to a 48-pixel-high strip
 * keeping its aspect (squeezed if wider than 320), padded to the width of the narrowest
 * recogniser that holds it (96, 160, 224 or 320), and decoded greedily. Each
 * character keeps its probability and the runner-up class, which the grammars use to
 * choose between look-alikes.
 */
#ifndef GATECV_TEXT_RECOGNISE_H
#define GATECV_TEXT_RECOGNISE_H

#include <stdbool.h>

#include <glib.h>

#include "gcv.h"
#include "models.h"

#define TEXT_LINE_MAX_CHARS GATECV_REC_STEPS

typedef struct {
    const char *ch;       /* UTF-8 character (points into the model's charset) */
    float prob;           /* its probability at the step it was read */
    const char *alt;      /* the runner-up at that step ("" if none) */
    float alt_prob;
    int step;             /* the CTC step where it starts (its place along the line), or -1
                           * when the reader gives no steps (Tesseract, a cut column) */
} text_char;

typedef struct {
    int n;                                 /* characters read */
    text_char chars[TEXT_LINE_MAX_CHARS];
    float confidence;                      /* mean character probability (0 if n == 0) */
} text_line;

/* The region `quad` (TL, TR, BR, BL) of `bgr` warped upright at its own size; NULL if
 * degenerate (under 2 px) or on failure (gcv_last_error). */
gcv_image *text_crop_quad(const gcv_image *bgr, const gcv_point quad[4]);

/* Read an image that already is one upright line of text. With `narrow`, a short line
 * goes through the narrowest recogniser that holds it (gatecv_models_recogniser), else
 * always through the 320 px one. */
int text_recognise_image(const gatecv_models *m, const gcv_image *line, bool narrow,
                         text_line *out, GError **error);

/* The line's text as a newly allocated UTF-8 string. */
char *text_line_string(const text_line *line);

#endif
