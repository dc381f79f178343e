/*
 * plate_colour.c — names a plate's background colour from the pixels of its region (see
 * plate_colour.h). Owns nothing past a call.
 */
#include "plate_colour.h"

#include <math.h>
#include <stddef.h>

/* The region is warped to this size: enough pixels for a histogram, cheap at any size. */
#define SAMPLE_W 96
#define SAMPLE_H 24
/* A hue counts when the pixel is this saturated and bright; darker or greyer pixels are
 * black, white or grey ink, shadow or glare. */
#define MIN_SAT 0.30f
#define MIN_VAL 0.20f
#define BLACK_VAL 0.35f /* an unsaturated pixel darker than this is black */
/* A colour names the plate when it covers this share of the region: a green-white
 * new-energy plate is half white, a blue plate's white ink covers a third of its box. */
#define MIN_COLOUR_SHARE 0.22f

enum { BIN_BLUE, BIN_GREEN, BIN_YELLOW, BIN_WHITE, BIN_BLACK, BIN_OTHER, N_BINS };

/* Hue in degrees (0..360), saturation and value (0..1) of one BGR pixel. */
static void bgr_to_hsv(const uint8_t *px, float *h, float *s, float *v)
{
    float b = px[0] / 255.0f, g = px[1] / 255.0f, r = px[2] / 255.0f;
    float max = fmaxf(r, fmaxf(g, b)), min = fminf(r, fminf(g, b)), d = max - min;
    *v = max;
    *s = max > 0 ? d / max : 0;
    if (d <= 0)
        *h = 0;
    else if (max == r)
        *h = 60.0f * fmodf((g - b) / d + 6.0f, 6.0f);
    else if (max == g)
        *h = 60.0f * ((b - r) / d + 2.0f);
    else
        *h = 60.0f * ((r - g) / d + 4.0f);
}

static int pixel_bin(const uint8_t *px)
{
    float h, s, v;
    bgr_to_hsv(px, &h, &s, &v);
    if (s >= MIN_SAT && v >= MIN_VAL) {
        if (h >= 185 && h <= 255)
            return BIN_BLUE;
        if (h >= 75 && h < 185)
            return BIN_GREEN;
        if (h >= 35 && h < 75)
            return BIN_YELLOW;
        return BIN_OTHER; /* red, orange, purple: no plate background */
    }
    return v < BLACK_VAL ? BIN_BLACK : BIN_WHITE;
}

/* The dominant colour of a histogram: a hue when one covers enough of the region and
 * outweighs the other hues, else white or black, whichever covers more. */
static enum plate_colour dominant(const int bins[N_BINS], int total)
{
    static const enum plate_colour hue_colour[] = {PLATE_COLOUR_BLUE, PLATE_COLOUR_GREEN,
                                                   PLATE_COLOUR_YELLOW};
    int best = BIN_BLUE;
    for (int b = BIN_GREEN; b <= BIN_YELLOW; b++)
        if (bins[b] > bins[best])
            best = b;
    int others = bins[BIN_BLUE] + bins[BIN_GREEN] + bins[BIN_YELLOW] - bins[best];
    if (bins[best] >= MIN_COLOUR_SHARE * total && bins[best] > 2 * others)
        return hue_colour[best];
    if (bins[BIN_WHITE] + bins[BIN_BLACK] < total / 2)
        return PLATE_COLOUR_UNKNOWN; /* mostly a colour no plate has */
    return bins[BIN_WHITE] >= bins[BIN_BLACK] ? PLATE_COLOUR_WHITE : PLATE_COLOUR_BLACK;
}

enum plate_colour plate_colour_classify(const gcv_image *bgr, const gcv_point quad[4])
{
    if (!bgr || bgr->channels != 3)
        return PLATE_COLOUR_UNKNOWN;
    gcv_image *sample = gcv_warp_quad(bgr, quad, SAMPLE_W, SAMPLE_H);
    if (!sample)
        return PLATE_COLOUR_UNKNOWN;
    int bins[N_BINS] = {0};
    for (int y = 0; y < sample->height; y++) {
        const uint8_t *row = sample->data + (size_t)y * sample->stride;
        for (int x = 0; x < sample->width; x++)
            bins[pixel_bin(row + 3 * x)]++;
    }
    int total = sample->width * sample->height;
    gcv_image_free(sample);
    return dominant(bins, total);
}

const char *plate_colour_name(enum plate_colour colour)
{
    static const char *names[] = {NULL, "blue", "green", "yellow", "white", "black"};
    return colour >= PLATE_COLOUR_BLUE && colour <= PLATE_COLOUR_BLACK ? names[colour] : NULL;
}
