/*
 * render_internal.h — what the renderer's files share and nobody else sees: the
 * fonts struct and the text-mask drawing of render_draw.c.
 *
 * A text mask is a 1-channel gcv_image, 255 where ink is, cropped to the ink; the
 * caller owns it (gcv_image_free).
 */
#ifndef GATECV_RENDER_INTERNAL_H
#define GATECV_RENDER_INTERNAL_H

#include "render.h"

struct render_fonts {
    gcv_font *latin; /* container codes */
    gcv_font *plate; /* Latin text on plates */
    gcv_font *cjk;   /* CJK characters anywhere */
};

/* One line of UTF-8 text as an ink mask whose capital letters are `line_height`
 * px high. Latin runs use `latin`, CJK runs fonts->cjk (scaled to the same height);
 * a space is a gap of 0.4 × line_height. NULL + error if nothing is inked. */
gcv_image *render_text_mask(render_fonts *fonts, gcv_font *latin, const char *utf8, int line_height,
                            GError **error);

/* Draws one line of text fitted into the box (bx, by, bw, bh): as high as the box
 * allows, squeezed horizontally down to 70% before it is shrunk, centred. Ink never
 * leaves the box. Returns 0 or -1. */
int render_text_fit(gcv_image *dst, render_fonts *fonts, gcv_font *latin, const char *utf8, int bx,
                    int by, int bw, int bh, render_colour colour, GError **error);

/* Blends `colour` onto dst through `mask` (alpha) with the mask's top-left at
 * (x, y); clipped to dst. */
void render_blend_mask(gcv_image *dst, const gcv_image *mask, int x, int y, render_colour colour);

/* A rectangle outline `thickness` px wide, inside (x, y, w, h). */
void render_outline_rect(gcv_image *dst, int x, int y, int w, int h, int thickness,
                         render_colour colour);

/* Sets a RENDER_ERROR_CV error naming `what` and gcv_last_error(). */
void render_set_cv_error(GError **error, const char *what);

/* Clamps to 0..255. */
int render_clamp_u8(double v);

#endif
