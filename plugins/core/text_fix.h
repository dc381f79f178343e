/*
 * text_fix.h — the record of look-alike substitutions a format corrector made
 * (iso6346_correct, plate_correct). Header only: two structs and two helpers.
 *
 * Ownership: a struct text_fix is plain data, owned by the caller (usually on the
 * stack); correctors fill it in and keep no pointer to it.
 */
#ifndef GATECV_TEXT_FIX_H
#define GATECV_TEXT_FIX_H

#include <stdbool.h>
#include <string.h>

#define TEXT_FIX_MAX_SUBS 8   /* most substitutions one fix records */
#define TEXT_FIX_TEXT_SIZE 32 /* bytes of text[], NUL included */

/* One substitution: character `pos` (a character index, not a byte offset) was
 * `from` and became `to`. Both are one UTF-8 character, NUL-terminated. */
struct text_substitution {
    int pos;
    char from[5];
    char to[5];
};

/* A corrector's answer: the corrected text (UTF-8, NUL-terminated; empty when the
 * input could not be corrected) and the substitutions made, in position order. */
struct text_fix {
    char text[TEXT_FIX_TEXT_SIZE];
    int n_subs;
    struct text_substitution subs[TEXT_FIX_MAX_SUBS];
};

/* Empties `fix`: no text, no substitutions. */
static inline void text_fix_clear(struct text_fix *fix)
{
    memset(fix, 0, sizeof *fix);
}

/* Appends one substitution; `from` and `to` are one UTF-8 character each (at most
 * 4 bytes). Returns false, recording nothing, when `fix` is already full. */
static inline bool text_fix_add(struct text_fix *fix, int pos, const char *from, const char *to)
{
    if (fix->n_subs >= TEXT_FIX_MAX_SUBS || strlen(from) > 4 || strlen(to) > 4)
        return false;
    struct text_substitution *s = &fix->subs[fix->n_subs++];
    s->pos = pos;
    strcpy(s->from, from);
    strcpy(s->to, to);
    return true;
}

/* The digit a letter read where a digit belongs stands for (O/D/Q 0, I/L 1, B 8, S 5,
 * Z 2, G 6, A 4, T 7), or 0 if it stands for none. Shared by the plate grammars and
 * ISO 6346 so both correct the same look-alikes. */
static inline char text_fix_letter_to_digit(char c)
{
    switch (c) {
    case 'O': case 'D': case 'Q': return '0';
    case 'I': case 'L': return '1';
    case 'B': return '8';
    case 'S': return '5';
    case 'Z': return '2';
    case 'G': return '6';
    case 'A': return '4';
    case 'T': return '7';
    default: return 0;
    }
}

#endif /* GATECV_TEXT_FIX_H */
