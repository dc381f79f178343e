/*
 * render.h — gatecv's deterministic renderer of synthetic plates and container codes
 * (library gatecv_render, used by gatecv-stillgen and the tests as a fixture source).
 *
 * The parts, each in its own file:
 *   render_text.c      the seeded PRNG and the text generators (VN and CN plates,
 *                      ISO 6346 codes with a correct check digit, size-type codes)
 *   render_draw.c      fonts and fitted text drawing (ink masks blended onto images)
 *   render.c           plates drawn onto BGR images; a canvas warped into a scene
 *   render_container.c the container panel and the container-code layouts
 *   render_vertical.c  the vertical (stacked) code layouts and their variety
 *   render_degrade.c   whole-image degradations: noise, blur, motion blur, lighting,
 *                      perspective tilt
 *   render_light.c     uneven light over an image: gradient, shadow band, glare spot
 *
 * Determinism: everything random takes a render_rng the caller seeded; the same seed
 * gives the same text and the same pixels. Nothing here reads the clock or rand().
 *
 * Ownership: render_fonts is created by render_fonts_load and released with
 * render_fonts_free (NULL accepted). Functions that return a gcv_image return a new
 * image the caller frees with gcv_image_free; functions that take a `gcv_image *dst`
 * draw in place. No function keeps a pointer to its arguments.
 *
 * Errors: functions that can fail return NULL or -1 and set `error` (GError, domain
 * RENDER_ERROR). Nothing here prints.
 *
 * Pixels go through the OpenCV wrapper gcv.h only.
 */
#ifndef GATECV_RENDER_H
#define GATECV_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "gcv.h"

#define RENDER_ERROR (render_error_quark())

typedef enum {
    RENDER_ERROR_FONT, /* a font file is missing or FreeType cannot load it */
    RENDER_ERROR_ARG,  /* a bad argument: text that does not fit the style, bad size... */
    RENDER_ERROR_CV,   /* an OpenCV call failed (out of memory, mostly) */
} RenderError;

GQuark render_error_quark(void);

/* --- the PRNG (splitmix64) ------------------------------------------------- */
typedef struct render_rng {
    uint64_t state;
} render_rng;

void render_rng_seed(render_rng *rng, uint64_t seed);
uint64_t render_rng_next(render_rng *rng);
/* Uniform in 0..n-1 (n > 0; n == 0 gives 0). */
uint32_t render_rng_below(render_rng *rng, uint32_t n);
/* Uniform in lo..hi inclusive (lo <= hi). */
int render_rng_range(render_rng *rng, int lo, int hi);
/* Uniform in [0, 1). */
double render_rng_unit(render_rng *rng);
/* Uniform in [lo, hi). */
double render_rng_uniform(render_rng *rng, double lo, double hi);
/* Standard normal (Box-Muller). */
double render_rng_gauss(render_rng *rng);
/* True with probability p. */
bool render_rng_chance(render_rng *rng, double p);

/* --- text generators --------------------------------------------------------- */
#define RENDER_TEXT_MAX 48

/* A plate's text as drawn and as labelled. */
typedef struct render_plate_text {
    char top[RENDER_TEXT_MAX];    /* the (top) line as displayed: "51F-446.14", "59-C1" */
    char bottom[RENDER_TEXT_MAX]; /* the bottom line, "" on one-line plates: "123.45" */
    char label[RENDER_TEXT_MAX];  /* normalised ground truth: "51F44614", "59C112345" */
} render_plate_text;

/* A random valid VN plate: province 11..99, series letter from ABCDEFGHKLMNPSTUVXYZ,
 * 4 or 5 digits. One line: "51F-446.14" / "51F-4461". Two lines: a motorbike plate
 * (letter+digit series, "59-C1" over "123.45") or a square car plate ("12C" over
 * "123.45"). Label: top line then bottom line, no separators. */
void render_gen_vn_plate(render_rng *rng, bool two_line, render_plate_text *out);

/* A random valid CN plate: province character, office letter A-Z except I/O, then
 * 5 characters from A-Z 0-9 except I/O ("桂F·12345"), or with new_energy D/F and
 * 5 digits ("桂F·D12345", label "桂FD12345"). two_row splits it for the yellow rear
 * plate: top "桂 F", bottom "12345". */
void render_gen_cn_plate(render_rng *rng, bool new_energy, bool two_row, render_plate_text *out);

/* A random valid ISO 6346 code and a size-type code. */
typedef struct render_container_text {
    char code[12];     /* owner (3 letters) + 'U' + 6 digits + check digit, NUL */
    char size_type[5]; /* one of 22G1 45G1 42G1 22R1 45R1 L5G1 */
} render_container_text;

void render_gen_container(render_rng *rng, render_container_text *out);

/* --- fonts ----------------------------------------------------------------------- */
#define RENDER_FONT_LATIN "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#define RENDER_FONT_PLATE "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"
#define RENDER_FONT_CJK "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#define RENDER_FONT_CJK_FALLBACK "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

/* Font files; a NULL member means its default above. A default that is absent falls
 * back: the plate font (Debian's fonts-dejavu-extra) to RENDER_FONT_LATIN
 * (fonts-dejavu-core), the CJK Bold to RENDER_FONT_CJK_FALLBACK. An explicit path
 * never falls back. */
typedef struct render_font_paths {
    const char *latin; /* container codes */
    const char *plate; /* Latin text on plates */
    const char *cjk;   /* CN province characters */
} render_font_paths;

typedef struct render_fonts render_fonts;

/* paths may be NULL (all defaults). NULL + RENDER_ERROR_FONT naming the file if a
 * font is missing or unloadable. */
render_fonts *render_fonts_load(const render_font_paths *paths, GError **error);
void render_fonts_free(render_fonts *fonts);

/* --- plates ---------------------------------------------------------------------- */
typedef enum {
    RENDER_PLATE_VN_ONE_LINE,       /* white, black border, black text "51F-446.14" */
    RENDER_PLATE_VN_TWO_LINE,       /* white, two lines "59-C1" / "123.45" */
    RENDER_PLATE_VN_YELLOW,         /* commercial: yellow, one line, black text */
    RENDER_PLATE_CN_BLUE,           /* blue, white text "桂F·12345" */
    RENDER_PLATE_CN_GREEN,          /* new energy: green gradient, black text "桂F·D12345" */
    RENDER_PLATE_CN_YELLOW,         /* truck front: yellow, black text, one row */
    RENDER_PLATE_CN_YELLOW_TWO_ROW, /* truck rear: "桂 F" small on top, "12345" below */
    RENDER_PLATE_N_STYLES
} render_plate_style;

/* Short name of a style for notes ("vn_one_line", "cn_blue", ...). */
const char *render_plate_style_name(render_plate_style style);
/* True if the style is a two-line (two-row) plate. */
bool render_plate_style_two_line(render_plate_style style);
/* Width of a plate of `height` px in this style (its real aspect ratio). */
int render_plate_width(render_plate_style style, int height);

/* Draws `text` as a `style` plate with its top-left corner at (x, y), `height` px
 * high, onto the BGR image dst (parts outside dst are clipped). The plate's corners
 * (top-left, top-right, bottom-right, bottom-left, in dst coordinates) go to
 * quad_out. Only pixels inside that rectangle change. Returns 0, or -1 with
 * RENDER_ERROR_ARG if the text does not suit the style (two lines on a one-line
 * style, a VN text on a CN style...) or height < 8. */
int render_plate(gcv_image *dst, render_fonts *fonts, render_plate_style style,
                 const render_plate_text *text, int x, int y, int height, gcv_point quad_out[4],
                 GError **error);

/* The same plate warped into the quadrilateral `quad` (top-left, top-right,
 * bottom-right, bottom-left) of dst; pixels change only inside quad (plus one pixel
 * of anti-aliasing). */
int render_plate_quad(gcv_image *dst, render_fonts *fonts, render_plate_style style,
                      const render_plate_text *text, const gcv_point quad[4], GError **error);

/* A canvas warped (whole) into the quadrilateral `quad` of dst (top-left, top-right,
 * bottom-right, bottom-left, pixel-edge coordinates) and blended there; the n points
 * pts[] are mapped in place from src to dst coordinates. Returns 0 or -1. */
int render_warp_into(gcv_image *dst, const gcv_image *src, const gcv_point quad[4],
                     gcv_point *pts, int n, GError **error);
/* (x, y) mapped through the 3×3 homography h (as gcv_perspective_transform gives). */
gcv_point render_map_point(const double h[9], gcv_point p);

/* --- container codes ---------------------------------------------------------- */
typedef enum {
    RENDER_CONTAINER_ONE_LINE, /* "MSKU 123456 [5]" */
    RENDER_CONTAINER_TWO_LINE, /* "MSKU" over "123456 [5]" */
    RENDER_CONTAINER_VERTICAL, /* one character per line, check digit boxed at the bottom */
    RENDER_CONTAINER_N_LAYOUTS
} render_container_layout;

typedef struct render_colour {
    int b, g, r;
} render_colour;

/* Paints a corrugated container-side panel over the rectangle: vertical ribs
 * `rib_width` px wide in slightly different shades of `base`, thin dark grooves. */
void render_container_panel(gcv_image *dst, int x, int y, int width, int height, render_colour base,
                            int rib_width);

/* Size of the code block (code, and the size-type code below it if with_size_type)
 * drawn with characters `char_height` px high. Returns 0 or -1. */
int render_container_measure(render_fonts *fonts, render_container_layout layout,
                             const render_container_text *text, bool with_size_type,
                             int char_height, int *width_out, int *height_out, GError **error);

/* Draws the code (and size type) with the block's top-left at (x, y) in `colour`,
 * the check digit in a drawn box. quad_out gets the code's rectangle (size type
 * excluded). Only pixels inside the block measured above change. Returns 0 or -1. */
int render_container_code(gcv_image *dst, render_fonts *fonts, render_container_layout layout,
                          const render_container_text *text, bool with_size_type, int x, int y,
                          int char_height, render_colour colour, gcv_point quad_out[4],
                          GError **error);

/* --- vertical container codes ------------------------------------------------- */
/* Where a vertical code's size type goes. */
typedef enum {
    RENDER_SIZE_TYPE_NONE,
    RENDER_SIZE_TYPE_BELOW,  /* written horizontally, centred under the column(s) */
    RENDER_SIZE_TYPE_BESIDE, /* stacked in a column of its own, right of the code */
} render_size_type_place;

/* How a vertical code is laid out, as seen on corner posts and door edges. Sizes are
 * percent of the character height. */
typedef struct render_vertical_style {
    bool split;       /* owner code (4) in one column, serial + check digit (7) right of it */
    int serial_drop;  /* split: the serial column starts this much lower (0: top-aligned) */
    int column_gap;   /* between columns (split, size type beside), 20..150 */
    int pitch;        /* row pitch, 100..160 (120: the classic layout) */
    int check_gap;    /* extra space above the check digit, 0..80 (widened to fit its box) */
    bool check_box;   /* the check digit in a drawn box */
    bool condensed;   /* the condensed plate font instead of the code font */
    int stroke;       /* px added to each side of a stroke: -1 thinner, 0, 1 bolder */
    render_size_type_place size_type;
} render_vertical_style;

/* The classic layout (RENDER_CONTAINER_VERTICAL): one column, pitch 120, the check
 * digit boxed 50 lower, the code font, the size type below or none. */
void render_vertical_style_classic(render_vertical_style *st, bool with_size_type);
/* A random style within what real containers show. */
void render_vertical_style_random(render_rng *rng, render_vertical_style *st);
/* The placement's name for notes: "none", "below", "beside". */
const char *render_size_type_place_name(render_size_type_place place);

typedef struct {
    int x, y, w, h;
} render_rect;

/* Where a vertical block's parts are, relative to its top-left. */
typedef struct render_vertical_geometry {
    int width, height;     /* the whole block */
    render_rect chars[11]; /* each code character's ink, in code order */
    render_rect code;      /* the code: owner, serial, check digit and its box */
    render_rect size_type; /* w == 0 when absent */
} render_vertical_geometry;

/* Lays a vertical code out with characters `char_height` px high. Returns 0 or -1. */
int render_vertical_measure(render_fonts *fonts, const render_container_text *text,
                            const render_vertical_style *st, int char_height,
                            render_vertical_geometry *out, GError **error);

/* Draws it with the block's top-left at (x, y); quad_out gets the code's rectangle
 * (size type excluded). Only pixels inside the measured block change. 0 or -1. */
int render_vertical_code(gcv_image *dst, render_fonts *fonts, const render_container_text *text,
                         const render_vertical_style *st, int x, int y, int char_height,
                         render_colour colour, gcv_point quad_out[4], GError **error);

/* --- degradations (whole image) ------------------------------------------------ */
/* Adds gaussian noise of standard deviation sigma (grey levels), in place. */
void render_add_noise(gcv_image *img, render_rng *rng, double sigma);
/* Gaussian blur with the given sigma (kernel from sigma). New image or NULL. */
gcv_image *render_blur(const gcv_image *img, double sigma, GError **error);
/* Motion blur of `length` px along angle_deg. New image or NULL. */
gcv_image *render_motion_blur(const gcv_image *img, int length, double angle_deg, GError **error);
/* v' = contrast * (v - 128) + 128 + brightness, clamped; in place. */
void render_brightness_contrast(gcv_image *img, double contrast, double brightness);
/* Dusk: darker, bluer, lower contrast; in place. */
void render_dusk(gcv_image *img);
/* Night infrared: grey (all channels equal), low contrast, lifted blacks; in place. */
void render_night_ir(gcv_image *img);
/* A mild random perspective tilt: each corner moves inwards by up to
 * `strength` × the image size (0.02..0.1 is mild). Returns a new image of the same
 * size (uncovered pixels grey) and maps the n points pts[] in place. */
gcv_image *render_tilt(const gcv_image *img, render_rng *rng, double strength, gcv_point *pts,
                       int n, GError **error);

/* --- uneven light (render_light.c), in place --------------------------------- */
/* Brightness scaled from `lo` to `hi` along the direction angle_deg across the image. */
void render_light_gradient(gcv_image *img, double angle_deg, double lo, double hi);
/* A soft-edged band through (cx, cy) along angle_deg, `width` px wide, its pixels
 * scaled by `darkness` (0.3..0.8) in the middle. */
void render_shadow_band(gcv_image *img, double cx, double cy, double angle_deg, double width,
                        double darkness);
/* A glare spot: pixels pulled towards white, fully at (cx, cy), fading out by `radius`. */
void render_glare(gcv_image *img, double cx, double cy, double radius, double strength);

#endif /* GATECV_RENDER_H */
