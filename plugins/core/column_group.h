/*
 * column_group.h — joins the detector boxes that are pieces of one vertical column (a
 * vertical code's letters break apart into single characters and short runs) into one
 * box, so that the column is cut into characters and read once, whole.
 */
#ifndef GATECV_COLUMN_GROUP_H
#define GATECV_COLUMN_GROUP_H

#include <stdbool.h>

#include "text_detect.h"

/* Whether a box is a column: much taller than wide along its own axes. */
bool column_group_is_column(const text_box *box);

/* Joins, into each column box (the longest first), the boxes on its line: centred within
 * half its width of its axis, no wider than it by more than half, and no further than
 * COLUMN_GROUP_GAP widths beyond its end (a run of columns grows one piece at a time).
 * The joined box keeps the column's axis and width and spans its pieces along it. Rewrites
 * boxes in place; returns the new count. Cost: O(n^2) per column, n a few dozen. */
int column_group(text_box *boxes, int n);

#endif
