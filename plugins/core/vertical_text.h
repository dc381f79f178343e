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
 * profile. Writes up to max_cells [y0, y1) row ranges to cells; returns the count. */
int vertical_text_cells(const gcv_image *column, int (*cells)[2], int max_cells);

/* Lay the cells [first, first + n) of `column` side by side at the recogniser's height. */
gcv_image *vertical_text_strip(const gcv_image *column, const int (*cells)[2], int first, int n);

/* Read a column: returns 0 and the characters (joined over chunks) in *out, or -1. */
int vertical_text_read(const gatecv_models *m, const gcv_image *bgr, const gcv_point quad[4],
                       text_line *out, GError **error);

#endif
