/*
 * plate_doubt.c — the checks that make a grammatical plate read doubtful (see
 * plate_doubt.h). Owns nothing past a call.
 */
#include "plate_doubt.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* Two successive characters further apart than GAP_FACTOR times the median pitch, and at
 * least GAP_MIN_STEPS steps more than it, have room for one more between them. The
 * separator of a Chinese plate (after the office letter) widens one pitch by about 1.4;
 * a missing character doubles it. The step is 8 px of a 48 px high line, so a plate's
 * pitch is 2-4 steps: the absolute margin keeps one step of jitter from counting. */
#define GAP_FACTOR 1.75f
#define GAP_MIN_STEPS 2
/* Where the grammar accepts the recogniser's runner-up too, the runner-up may have no more
 * than this probability. On the real development set no right plate read that was valid
 * ranked its partner above it; a read the recogniser split between 0 and D is a guess. */
#define LOOKALIKE_MAX_ALT 0.05f

/* Characters (not bytes) in valid UTF-8 text. */
static int char_count(const char *text)
{
    return (int)g_utf8_strlen(text, -1);
}

bool plate_doubt_colour(enum plate_country country, enum plate_colour colour, const char *text)
{
    if (country == PLATE_GENERIC)
        return colour == PLATE_COLOUR_GREEN;
    if (country != PLATE_CN)
        return false;
    int n = char_count(text);
    if (colour == PLATE_COLOUR_GREEN)
        return n != 8; /* new energy: province, letter, 6 */
    if (colour == PLATE_COLOUR_BLUE)
        return n != 7; /* ordinary and suffixed plates */
    return false;      /* yellow (7, or 8 for a large new-energy plate), white, black */
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

bool plate_doubt_gap(const text_char *const chars[], int n, int separator)
{
    if (n < 3 || n > TEXT_LINE_MAX_CHARS)
        return false; /* too few pitches for a median */
    int pitch[TEXT_LINE_MAX_CHARS], sorted[TEXT_LINE_MAX_CHARS];
    int m = 0;
    for (int i = 0; i + 1 < n; i++) {
        if (chars[i]->step < 0 || chars[i + 1]->step <= chars[i]->step)
            return false; /* no steps, or not one pass of the recogniser */
        pitch[i] = chars[i + 1]->step - chars[i]->step;
        if (i != separator)
            sorted[m++] = pitch[i];
    }
    if (m < 2)
        return false;
    qsort(sorted, m, sizeof *sorted, by_int);
    int median = sorted[(m - 1) / 2];
    for (int i = 0; i + 1 < n; i++)
        if (i != separator && pitch[i] > GAP_FACTOR * median && pitch[i] >= median + GAP_MIN_STEPS)
            return true;
    return false;
}

/* The byte offset of character `pos` in UTF-8 text, or -1 past its end. */
static int byte_offset(const char *text, int pos)
{
    const char *p = text;
    for (int i = 0; i < pos && *p; i++)
        p = g_utf8_next_char(p);
    return *p ? (int)(p - text) : -1;
}

/* Whether `text` with its byte `at` replaced by `c` matches the grammar. */
static bool matches_with(enum plate_country country, const char *text, int at, char c)
{
    char other[64];
    if (g_strlcpy(other, text, sizeof other) >= sizeof other)
        return false;
    other[at] = c;
    return plate_grammar_match(country, other);
}

bool plate_doubt_lookalike(enum plate_country country, const char *text, int pos,
                           const text_char *ch)
{
    int at = byte_offset(text, pos);
    if (!ch || at < 0 || !ch->alt || strlen(ch->alt) != 1 || ch->alt_prob <= LOOKALIKE_MAX_ALT)
        return false;
    /* Any runner-up the grammar would accept there, not only the known look-alikes: the
     * recogniser confuses more pairs than a table holds (U read as 0, seen on a generated
     * 1080p scene). */
    char partner = g_ascii_toupper(ch->alt[0]);
    return g_ascii_isalnum(partner) && partner != text[at] &&
           matches_with(country, text, at, partner);
}
