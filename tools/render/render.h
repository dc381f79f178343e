/*
 * render.h — gatecv's deterministic renderer of synthetic plates and container codes
 * (library gatecv_render, used by gatecv-stillgen and the tests as a fixture source).
 *
 * Four parts, each in its own file:
 *   render_text.c     the seeded PRNG and the text generators (VN and CN plates,
 *                     ISO 6346 codes with a correct check digit, size-type codes)
 *   render_draw.c     fonts and fitted text drawing (ink masks blended onto images)
 *   render.c          plates and container codes drawn onto BGR images
 *   render_degrade.c  whole-image degradations: noise, blur, motion blur, lighting,
 *                     perspective tilt
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

#endif /* GATECV_RENDER_H */
