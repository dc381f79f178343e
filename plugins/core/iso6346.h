/*
 * iso6346.h — ISO 6346 freight-container codes: the check digit, validation,
 * single look-alike correction of OCR reads, and the 4-character size-type code.
 *
 * A container code is 11 ASCII characters with no separators, e.g. "CSQU3054383":
 *   0-2   owner code, three letters A-Z
 *   3     category: U (freight container), J (detachable equipment), Z (trailer/chassis)
 *   4-9   serial number, six digits
 *   10    check digit
 * Functions here take upper-case text already stripped of separators; lower case
 * is malformed. They keep no pointer to their arguments, allocate nothing, and
 * accept NULL as malformed input.
 */
#ifndef GATECV_ISO6346_H
#define GATECV_ISO6346_H

#include <stdbool.h>

#include "text_fix.h"

#define ISO6346_CODE_LEN 11 /* characters in a full container code */

/* The check digit (0..9) of the first 10 characters of `first10` (owner, category,
 * serial); characters after the tenth are ignored, so a full code may be passed.
 * Letter values are A=10, B=12..K=21, L=23..U=32, V=34..Z=38 (multiples of 11
 * skipped); character i is weighted 2^i; the sum is taken mod 11, then mod 10 (a
 * remainder of 10 gives 0). Returns -1 if those 10 characters are malformed. */
int iso6346_check_digit(const char *first10);

/* True if `code11` is exactly 11 characters of correct syntax whose last is the
 * right check digit. */
bool iso6346_valid(const char *code11);

enum iso6346_result {
    ISO6346_OK,        /* the read was already valid; nothing substituted */
    ISO6346_CORRECTED, /* exactly one look-alike substitution made it valid */
    ISO6346_INVALID,   /* not valid, and no single substitution makes it so */
};

/* Corrects an 11-character OCR read (upper case, no separators). Every character
 * of the wrong class for its position is replaced by its look-alike:
 *   positions 0-3 (letters):  0->O 1->I 8->B 5->S 2->Z 6->G 4->A
 *   positions 4-10 (digits):  O,D,Q->0  I,L->1  B->8 S->5 Z->2 G->6 A->4 T->7
 * A wrong-class character without a look-alike, or any other character, makes the
 * read INVALID. Characters of the right class are never changed (no digit->digit
 * or letter->letter guesses). The read is CORRECTED only if the result is valid
 * (category U/J/Z, check digit) and at most one substitution was made besides O->0 in
 * the digit positions: the letter O has no place there and container fonts draw it as
 * the zero, so that substitution is no guess (any number of them may be made).
 *
 * `fix` (caller-owned, required) receives the code and the substitution on OK and
 * CORRECTED, and is left empty (text "", n_subs 0) on INVALID. */
enum iso6346_result iso6346_correct(const char *raw11, struct text_fix *fix);

/* A read that fails the check digit (raw11, its digits in their places) as it would pass
 * with one character replaced by alt[i], the recogniser's runner-up for it (0: none), where
 * runners-up are tried: one of the four owner letters, or the check digit. Those are what a
 * code's reads confuse and the check digit tells apart: a column's letters read one by one
 * (I and J, O and Q), and without the letters beside them a letter with a digit (the
 * category's U with 0); and a boxed check digit, whose frame reads as part of it (1 read
 * as 0). Writes the code and the substitution to fix and returns true if exactly one
 * replacement passes (two that pass leave the read as it was). */
bool iso6346_runner_up(const char *raw11, const char alt[ISO6346_CODE_LEN], struct text_fix *fix);

/* Whether `read` at code position `pos` is the letter O standing for a zero (a digit
 * position): a substitution that is no guess, see iso6346_correct. */
bool iso6346_zero_for_o(int pos, char read);

/* The check digit weighs letter values, which skip the multiples of 11, by powers of 2
 * mod 11: a letter swapped for one 11 values away (A/K/U, B/L, C/M, D/N, E/O, F/P, G/Q,
 * H/R, I/S, J/T, K/U, L/V, M/W, N/X, O/Y, P/Z) leaves the check digit unchanged. The
 * category (U/J/Z) is safe: none of its partners is a category. */
int iso6346_blind_partners(char letter, char out[2]); /* writes 0-2 letters, returns count */

/* One recognised character: itself, its probability, the runner-up and its probability. */
typedef struct {
    char ch;
    float prob;
    char alt;
    float alt_prob;
} iso6346_char_read;

/* A runner-up this probable that is a check-blind partner makes the letter unsure. */
#define ISO6346_BLIND_ALT_PROB 0.2f

/* Whether the three owner letters were read surely enough that the check digit can vouch
 * for the code: each read with at least `min_prob`, and none whose runner-up is one of
 * its check-blind partners (at ISO6346_BLIND_ALT_PROB or more). */
bool iso6346_owner_sure(const iso6346_char_read owner[3], float min_prob);

/* True if `s4` is exactly 4 characters forming a plausible size-type code
 * (e.g. "22G1", "45G1", "42R1", "L5G1"):
 *   0  length code  1 2 3 4 B C D E F G H K L M N P
 *   1  height code  0 2 4 5 6 8 9 C D E F L M N P
 *   2  type group   G V B S R H U P T A K
 *   3  a digit */
bool iso6346_size_type_valid(const char *s4);

#endif /* GATECV_ISO6346_H */
