/*
 * column_split.h — splits a detector box that holds two or three columns side by side
 * (a split vertical code's owner and serial columns, the size-type code beside them: the
 * detector often boxes them together) into one box per column.
 */
#ifndef GATECV_COLUMN_SPLIT_H
#define GATECV_COLUMN_SPLIT_H

#include "gcv.h"
#include "text_detect.h"

#define COLUMN_SPLIT_MAX 3 /* columns side by side in one box */

/* The columns of an upright crop: runs of pixel columns whose grey levels vary down the
 * crop (characters stacked one per row) between runs that do not (the background, a door's
 * ribs, which run down it). Writes up to COLUMN_SPLIT_MAX [x0, x1) to bands and returns
 * their count if there are two or more, each a column (more than COLUMN_SPLIT_RATIO times
 * taller than wide), else 0. */
int column_split_bands(const gcv_image *crop, int (*bands)[2]);

/* Replaces each box of `*boxes` taller than wide that column_split_bands splits by one box
 * per column (its band across, the box's full length along). *boxes may be reallocated;
 * returns the new count. Cost: one warp and two passes over each such box. */
int column_split(const gcv_image *bgr, text_box **boxes, int n);

#endif
