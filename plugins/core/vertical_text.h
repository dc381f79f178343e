/*
 * vertical_text.h — reads a column of characters stacked one per row (vertical
 * container codes): the column is cut into characters by its row profile and the
 * characters are laid side by side as one horizontal line for the recogniser.
 */
#ifndef GATECV_VERTICAL_TEXT_H
#define GATECV_VERTICAL_TEXT_H

#include <glib.h>

#include "gcv.h"
#include "models.h"
#include "text_recognise.h"

/* Cut an upright column image (taller than wide) into character cells by its row
 * profile, with the characters' regular pitch as the prior. *pitch (if not NULL) gets the
 * pitch used, in rows. Writes up to max_cells [y0, y1) row ranges to cells; returns the count. */
int vertical_text_cells(const gcv_image *column, int (*cells)[2], int max_cells, int *pitch);

/* The character pitch, in rows, of a column `width` px wide from its row contrast profile
 * (autocorrelation); 0 if the profile does not repeat. */
int vertical_text_pitch(const float *profile, int h, int width);

/* Lay the cells [first, first + n) of `column` side by side at the recogniser's height;
 * spans (if not NULL) gets each cell's [x0, x1) in the strip. */
gcv_image *vertical_text_strip(const gcv_image *column, const int (*cells)[2], int first, int n,
                               int (*spans)[2]);

/* Reads one upright line image (PP-OCR or Tesseract, whichever the caller uses). */
typedef int (*line_reader_fn)(void *user, const gcv_image *line, text_line *out, GError **error);

/* Read an upright column image: cut it into characters, keep those of rows [core0, core1)
 * (where the detector found the column) and those continuing them at the pitch beyond,
 * read them in chunks with `read`, and join the characters in *out, one per cell at most.
 * *code_start (if not NULL) gets the index in out of the first character read inside
 * [core0, core1): the characters before it come from the margin above the box, which
 * holds the code's lost first letters or a rib's end read as a letter. 0 or -1 + error. */
int vertical_text_read(const gcv_image *column, int core0, int core1, line_reader_fn read,
                       void *user, text_line *out, int *code_start, GError **error);

/* Which ends of an upright column image its code's characters run into (the crop cuts a
 * character, often a boxed check digit the detector left out of its box): bits
 * VERTICAL_CUT_TOP and VERTICAL_CUT_BOTTOM. core0, core1 as for vertical_text_read. */
#define VERTICAL_CUT_TOP 1
#define VERTICAL_CUT_BOTTOM 2
int vertical_text_cut_ends(const gcv_image *column, int core0, int core1);

/* The column's quad (TL, TR, BR, BL, the column running TL->BL) grown by `up` and `down`
 * column widths at its ends and `across` widths at each side: detector boxes of a column
 * are often narrower than its letters and stop short of its ends. */
void vertical_text_extend(const gcv_point in[4], float up, float down, float across,
                          gcv_point out[4]);

#endif
