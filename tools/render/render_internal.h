/*
 * render_internal.h — what the renderer's files share and nobody else sees: the
 * fonts struct, the text-mask drawing of render_draw.c, and the container-code plan
 * that render_container.c and render_vertical.c lay out together.
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

/* The quad of the rectangle (x, y, w, h): top-left, top-right, bottom-right, bottom-left. */
void render_rect_quad(int x, int y, int w, int h, gcv_point q[4]);


/* --- container-code plans (render_container.c) ------------------------------- */
#define RENDER_PLAN_MAX_ITEMS 16

typedef struct {
    gcv_image *mask; /* owned by the plan */
    int x, y;
} render_plan_item;

/* A laid-out code block: text masks, the check-digit box (box_w 0: none), and the
 * code's extent (size type excluded), all relative to the block's top-left. Each
 * layout adds the code's characters or runs first, in code order. */
typedef struct {
    render_plan_item items[RENDER_PLAN_MAX_ITEMS];
    int n;
    int box_x, box_y, box_w, box_h, box_t;
    int code_x0, code_y0, code_x1, code_y1; /* code rectangle, exclusive right/bottom */
    int width, height;                      /* whole block */
} render_code_plan;

void render_plan_free(render_code_plan *p);
/* Adds `text`'s mask in `font` at (x, y); returns its index or -1. */
int render_plan_text(render_code_plan *p, render_fonts *fonts, gcv_font *font, const char *text,
                     int h, int x, int y, GError **error);
/* Boxes item `i` (already placed) with padding around it. */
void render_plan_box(render_code_plan *p, int i, int h);
/* The extent of the items and the box so far. */
void render_plan_extent(const render_code_plan *p, int *x0, int *y0, int *x1, int *y1);

/* Lays out a vertical code (render_vertical.c): the characters, the box, code_x0..
 * code_y1, then the size type; not yet moved to the origin. Returns 0 or -1. */
int render_plan_vertical(render_code_plan *p, render_fonts *fonts, const render_container_text *t,
                         const render_vertical_style *st, int h, GError **error);

/* Lays out any container code with its origin at the block's top-left; st is used
 * (and required) for RENDER_CONTAINER_VERTICAL only. Free with render_plan_free. */
int render_plan_code(render_code_plan *p, render_fonts *fonts, render_container_layout layout,
                     const render_container_text *t, bool with_size_type,
                     const render_vertical_style *st, int h, GError **error);

#endif
