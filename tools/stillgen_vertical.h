/*
 * stillgen_vertical.h — gatecv-stillgen's vertical container codes as gates photograph
 * them: a stacked code (render_vertical.c's layouts) on a corrugated door or a flat
 * corner post, seen at an angle (yaw foreshortens the column, mild roll), in varied
 * colours and uneven light. The caller adds the common degradations afterwards.
 */
#ifndef GATECV_STILLGEN_VERTICAL_H
#define GATECV_STILLGEN_VERTICAL_H

#include <glib.h>

#include "render.h"

/* Draws the code `t` on a container wall warped over the scene `img` (its background
 * already painted). Tags go to notes (";vertical;split;size_type=45G1;size_type_beside;
 * post;yaw=35;roll=-2;shadow_band"...), the code's quad (owner and serial, size type
 * excluded) in img's coordinates to quad. 0, or -1 with error. */
int stillgen_vertical_scene(gcv_image *img, render_fonts *fonts, render_rng *rng,
                            const render_container_text *t, GString *notes, gcv_point quad[4],
                            GError **error);

/* The same as a crop around the code: a new image, or NULL with error. */
gcv_image *stillgen_vertical_crop(render_fonts *fonts, render_rng *rng,
                                  const render_container_text *t, GString *notes, gcv_point quad[4],
                                  GError **error);

#endif
