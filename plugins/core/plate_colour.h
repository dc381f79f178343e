/*
 * plate_colour.h — the background colour of a plate, from the pixels of its region.
 *
 * A plate's colour says what kind of plate it is, which its text alone cannot: in China a
 * blue plate is an ordinary car's (7 characters), a green or green-white one a new-energy
 * vehicle's (8 characters), a yellow one a large vehicle's (often on two lines); white and
 * black plates are police, military, embassy or foreign ones. The classifier looks at the
 * region of the read (the text box, where background fills the space between strokes),
 * sorts each pixel by hue, saturation and value, and names the dominant background colour:
 * the ink (white on blue, black on green, yellow and white) never outweighs it.
 */
#ifndef GATECV_PLATE_COLOUR_H
#define GATECV_PLATE_COLOUR_H

#include "gcv.h"

enum plate_colour {
    PLATE_COLOUR_UNKNOWN, /* no region, or no colour dominates */
    PLATE_COLOUR_BLUE,
    PLATE_COLOUR_GREEN, /* also the white-to-green gradient of new-energy plates */
    PLATE_COLOUR_YELLOW,
    PLATE_COLOUR_WHITE,
    PLATE_COLOUR_BLACK,
};

/* The background colour of the region `quad` (TL, TR, BR, BL) of a BGR image. */
enum plate_colour plate_colour_classify(const gcv_image *bgr, const gcv_point quad[4]);

/* "blue", "green", "yellow", "white", "black"; NULL for UNKNOWN. */
const char *plate_colour_name(enum plate_colour colour);

#endif
