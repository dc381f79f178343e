/*
 * plate_grammar.h — licence-plate grammars (Vietnam, China, generic): normalising
 * OCR text, matching it against a country's grammar, formatting it for display,
 * and correcting look-alike characters position by position.
 *
 * Text is UTF-8. "Normalised" text is what plate_normalise() produces: no
 * separators, ASCII letters in upper case, CJK characters kept. Positions are
 * character positions (the Chinese province character counts as one, though it is
 * three bytes). Functions keep no pointer to their arguments, allocate nothing,
 * and treat NULL or invalid UTF-8 as text that matches nothing.
 *
 * Vietnam (PLATE_VN), normalised "PP S NNNN[N]":
 *   PP    province code, two digits 10-99
 *   S     series: one letter A-Z except I, O, Q (cars: "12C34567");
 *         or such a letter and a digit (motorbikes: "59C112345");
 *         or one of the two-letter series LD KT NG NN QT HC ("29LD12345")
 *   N     serial, 4 or 5 digits
 *   When both readings fit (8 characters, letter then 5 digits), the one-letter
 *   series wins: "12C34567" is 12C-345.67, not 12-C3 4567.
 *   Display: the serial is "ddd.dd" (5 digits) or "dddd" (4 digits).
 *     one-letter or two-letter series:  one line "12C-345.67", "30E-1234",
 *                                        two lines "12C 345.67" (top, space, bottom)
 *     letter+digit series (motorbikes, always two-line plates), whatever two_line
 *     says: "59-C1 123.45"
 *
 * China (PLATE_CN): a province character (one of the 31: 京津沪渝冀豫云辽黑湘皖鲁新苏
 * 浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼), an issuing-office letter A-Z except I and O,
 * then one of:
 *   ordinary      5 characters from A-Z 0-9 except I, O      "桂F12345"
 *   new energy    6 characters: D or F, one of A-Z 0-9 except I, O, then 4 digits
 *                 (small, "皖AD11166"); or 5 digits then D or F (large, "粤B12345D")
 *   suffixed      4 characters from A-Z 0-9 except I, O, then 挂 (trailer), 学
 *                 (driving school) or 警 (police)            "皖A1234挂"
 *   Display: "桂F·12345" (U+00B7 middle dot after the office letter), on one or two
 *   lines alike.
 *
 * Generic (PLATE_GENERIC): 4 to 8 characters from A-Z 0-9, not all the same.
 *   Display: the text unchanged.
 */
#ifndef GATECV_PLATE_GRAMMAR_H
#define GATECV_PLATE_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>

#include "text_fix.h"

enum plate_country {
    PLATE_VN,
    PLATE_CN,
    PLATE_GENERIC,
};

enum plate_fix_result {
    PLATE_FIX_OK,        /* the text already matched; nothing substituted */
    PLATE_FIX_CORRECTED, /* look-alike substitutions made it match */
    PLATE_FIX_INVALID,   /* no allowed correction makes it match */
};

/* Writes `raw` to `out` normalised: separators removed (ASCII space, tab, CR, LF,
 * - . : and U+00A0, U+00B7 ·, U+2010-U+2015 dashes, U+2022 •, U+2027, U+22C5,
 * U+3000, U+3002, U+30FB ・, U+FF0D, U+FF0E, U+FF1A, U+FF65), ASCII letters and
 * fullwidth letters/digits turned into upper-case ASCII, everything else (CJK)
 * kept. Returns the length in bytes of `out`, or -1 (with `out` set to "" when
 * out_size > 0) if `raw` is not valid UTF-8 or `out` is too small. */
int plate_normalise(const char *raw, char *out, size_t out_size);

/* True if normalised text matches the grammar of `country`. */
bool plate_grammar_match(enum plate_country country, const char *normalised);

/* Writes the display form of normalised text to `out` (rules above). Returns the
 * length in bytes written, or -1 (with `out` set to "" when out_size > 0) if the
 * text does not match the grammar or `out` is too small. */
int plate_display(enum plate_country country, const char *normalised, bool two_line,
                  char *out, size_t out_size);

/* Corrects normalised OCR text position by position, making at most `max_subs`
 * substitutions (clamped to 0..TEXT_FIX_MAX_SUBS; plates have no check digit, so
 * each substitution is a guess the grammar alone vouches for — 1 mirrors
 * iso6346_correct).
 *
 * Each position has a class. A character of the wrong class is replaced by its
 * look-alike (forced); one without a look-alike makes the text INVALID:
 *   letter->digit:  O,D,Q->0  I,L->1  B->8 S->5 Z->2 G->6 A->4 T->7
 *   digit->letter:  0->D 8->B 5->S 2->Z 6->G 4->A 7->T
 *   VN  positions 0-1 digits, 2 a letter, 3 letter or digit, 4.. digits
 *   CN  position 0 the province (never corrected), 1 a letter, then letters or
 *       digits where I->1 and O->0 are forced (I and O never occur), and a final
 *       挂/学/警 (never corrected)
 *   GENERIC  no correction: OK or INVALID
 * If the forced result does not match, one more substitution is tried at each
 * letter-or-digit position in turn (VN 3; CN 2 onwards), the leftmost that makes
 * the text match winning — e.g. VN "12CS4567" -> "12C54567", CN "皖A011166" ->
 * "皖AD11166".
 *
 * `fix` (caller-owned, required) receives the text and the substitutions on OK and
 * CORRECTED, and is left empty (text "", n_subs 0) on INVALID. */
enum plate_fix_result plate_correct(enum plate_country country, const char *normalised,
                                    int max_subs, struct text_fix *fix);

/* A substitution plate_correct made is the look-alike table's guess. Where the recogniser
 * ranked another character second at that place (runner_up[pos], one ASCII letter or
 * digit; NULL or "" for none, n entries) and the grammar accepts it there, the substitution
 * takes it instead: the recogniser saw it, the table only knows shapes (a 0 read where a
 * VN series letter belongs, C its runner-up, is C, not the table's D). Each substitution
 * is changed on its own, and only if the whole text still matches. */
void plate_fix_prefer_runner_up(enum plate_country country, struct text_fix *fix,
                                const char *const runner_up[], int n);

#endif /* GATECV_PLATE_GRAMMAR_H */
