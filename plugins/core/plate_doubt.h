/*
 * plate_doubt.h — why a plate read that fits its grammar may still be wrong.
 *
 * A plate has no check digit: the grammar alone cannot tell a misread from a right read
 * when the misread is a plate too (an 8-character new-energy plate read with a character
 * missing is a well-formed 7-character plate; a final 0 read as D fits an ordinary Chinese
 * plate). These checks use what the image and the recogniser tell beyond the text:
 *   - the plate's colour and its character count (Chinese green = new energy, 8;
 *     blue = 7), and road signs' green;
 *   - the spacing of the characters along the line (a character missing, or two alike
 *     merged by the CTC decoder, leaves a step gap twice the pitch of the others);
 *   - the recogniser's own doubt at a look-alike where the grammar allows both readings.
 * Each answers "doubtful"; a doubtful read is not valid (a person reviews it), it is
 * never corrected by guessing.
 */
#ifndef GATECV_PLATE_DOUBT_H
#define GATECV_PLATE_DOUBT_H

#include <stdbool.h>

#include "plate_colour.h"
#include "plate_grammar.h"
#include "text_recognise.h"

/* Whether the plate's colour contradicts the read: a Chinese green plate must be an
 * 8-character new-energy plate and a blue one never is; a plate of no known country on a
 * green background is a road sign's text (the benchmarks' plates are white, yellow, blue
 * or black). Unknown colours and Vietnamese plates contradict nothing. */
bool plate_doubt_colour(enum plate_country country, enum plate_colour colour, const char *text);

/* Whether the characters of one read line (in reading order, separators left out)
 * leave a gap where a character is missing: two successive characters' CTC steps
 * further apart than the median pitch allows. The pitch after character `separator`
 * (-1 for none) is a separator's and not judged. Lines without steps (step < 0, or not
 * increasing) are not judged. */
bool plate_doubt_gap(const text_char *const chars[], int n, int separator);

/* Whether the recogniser ranked a runner-up for character `pos` of normalised `text`
 * (which matches `country`'s grammar) with more than a trace of probability, where the
 * grammar accepts the runner-up too (0/D, 8/B, 0/U, ...): nothing but the recogniser's
 * margin then tells them apart. */
bool plate_doubt_lookalike(enum plate_country country, const char *text, int pos,
                           const text_char *ch);

#endif
