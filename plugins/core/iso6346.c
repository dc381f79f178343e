/*
 * iso6346.c — ISO 6346 container codes: check digit, validation, single
 * look-alike correction and size-type codes. Pure C11; no allocation.
 */
#include "iso6346.h"

#include <string.h>

/* ISO 6346 letter values A..Z: 10 upwards, skipping 11, 22 and 33. */
static const unsigned char letter_value[26] = {
    10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38,
};

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_category(char c)
{
    return c == 'U' || c == 'J' || c == 'Z';
}

/* Position i of a container code holds a letter (owner, category) or a digit. */
static bool wants_letter(int i)
{
    return i < 4;
}

/* True if the first 10 characters are owner letters, a category and 6 digits. */
static bool first10_wellformed(const char *s)
{
    for (int i = 0; i < 10; i++) {
        if (s[i] == '\0')
            return false;
        if (wants_letter(i) ? !is_upper(s[i]) : !is_digit(s[i]))
            return false;
    }
    return is_category(s[3]);
}

int iso6346_check_digit(const char *first10)
{
    if (first10 == NULL || !first10_wellformed(first10))
        return -1;
    unsigned long sum = 0;
    for (int i = 0; i < 10; i++) {
        char c = first10[i];
        unsigned v = is_upper(c) ? letter_value[c - 'A'] : (unsigned)(c - '0');
        sum += (unsigned long)v << i;
    }
    return (int)(sum % 11 % 10);
}

bool iso6346_valid(const char *code11)
{
    if (code11 == NULL || strlen(code11) != ISO6346_CODE_LEN)
        return false;
    int cd = iso6346_check_digit(code11);
    return cd >= 0 && code11[10] == (char)('0' + cd);
}

int iso6346_blind_partners(char letter, char out[2])
{
    if (!is_upper(letter))
        return 0;
    int n = 0;
    unsigned v = letter_value[letter - 'A'];
    for (int c = 0; c < 26; c++)
        if (letter_value[c] + 11u == v || letter_value[c] == v + 11u)
            out[n++] = (char)('A' + c);
    return n;
}

bool iso6346_owner_sure(const iso6346_char_read owner[3], float min_prob)
{
    for (int i = 0; i < 3; i++) {
        char partners[2];
        int n = iso6346_blind_partners(owner[i].ch, partners);
        if (n == 0 || owner[i].prob < min_prob)
            return false;
        /* the runner-up being a check-blind partner at all is doubt enough */
        for (int k = 0; k < n; k++)
            if (owner[i].alt == partners[k] && owner[i].alt_prob >= ISO6346_BLIND_ALT_PROB)
                return false;
    }
    return true;
}

/* The letter a digit read at a letter position stands for, or 0 if none. */
static char digit_to_letter(char c)
{
    switch (c) {
    case '0': return 'O';
    case '1': return 'I';
    case '8': return 'B';
    case '5': return 'S';
    case '2': return 'Z';
    case '6': return 'G';
    case '4': return 'A';
    default: return 0;
    }
}

/* The character position i should hold instead of c: c itself if it already has
 * the right class, its look-alike if not, or 0 if there is none. */
static char fit_position(int i, char c)
{
    if (wants_letter(i))
        return is_upper(c) ? c : is_digit(c) ? digit_to_letter(c) : 0;
    return is_digit(c) ? c : is_upper(c) ? text_fix_letter_to_digit(c) : 0;
}

/* Whether position i's runner-up is tried, and may stand there: one of the four owner
 * letters (the category's included) or the check digit. */
static bool runner_up_place(int i, char alt)
{
    return (i < 4 && is_upper(alt)) || (i == ISO6346_CODE_LEN - 1 && is_digit(alt));
}

bool iso6346_runner_up(const char *raw11, const char alt[ISO6346_CODE_LEN], struct text_fix *fix)
{
    text_fix_clear(fix);
    if (raw11 == NULL || strlen(raw11) != ISO6346_CODE_LEN)
        return false;
    char shaped[ISO6346_CODE_LEN + 1]; /* O for zero is no guess (iso6346_correct) */
    for (int i = 0; i <= ISO6346_CODE_LEN; i++)
        shaped[i] = iso6346_zero_for_o(i, raw11[i]) ? '0' : raw11[i];
    if (!is_digit(shaped[10]))
        return false;
    int found = -1;
    for (int i = 0; i < ISO6346_CODE_LEN; i++) { /* the code with it must be well-formed and pass */
        char code[ISO6346_CODE_LEN + 1];
        memcpy(code, shaped, sizeof code);
        code[i] = alt[i];
        if (!runner_up_place(i, alt[i]) || alt[i] == shaped[i] || !iso6346_valid(code))
            continue;
        if (found >= 0)
            return false; /* two places would do: no telling which */
        found = i;
    }
    if (found < 0)
        return false;
    memcpy(fix->text, shaped, sizeof shaped);
    fix->text[found] = alt[found];
    for (int i = 0; i < ISO6346_CODE_LEN; i++) {
        char from[2] = {raw11[i], 0}, to[2] = {fix->text[i], 0};
        if (from[0] != to[0])
            text_fix_add(fix, i, from, to);
    }
    return true;
}

bool iso6346_zero_for_o(int pos, char read)
{
    return pos >= 4 && pos < ISO6346_CODE_LEN && read == 'O';
}

enum iso6346_result iso6346_correct(const char *raw11, struct text_fix *fix)
{
    text_fix_clear(fix);
    if (raw11 == NULL || strlen(raw11) != ISO6346_CODE_LEN)
        return ISO6346_INVALID;

    char code[ISO6346_CODE_LEN + 1];
    int n_subs = 0;
    for (int i = 0; i < ISO6346_CODE_LEN; i++) {
        code[i] = fit_position(i, raw11[i]);
        if (code[i] == 0)
            return ISO6346_INVALID;
        if (code[i] != raw11[i] && !iso6346_zero_for_o(i, raw11[i]))
            n_subs++;
    }
    code[ISO6346_CODE_LEN] = '\0';
    if (n_subs > 1 || !iso6346_valid(code))
        return ISO6346_INVALID;

    memcpy(fix->text, code, sizeof code);
    for (int i = 0; i < ISO6346_CODE_LEN; i++) {
        if (code[i] != raw11[i]) {
            char from[2] = { raw11[i], '\0' };
            char to[2] = { code[i], '\0' };
            text_fix_add(fix, i, from, to);
        }
    }
    return fix->n_subs == 0 ? ISO6346_OK : ISO6346_CORRECTED;
}

bool iso6346_size_type_valid(const char *s4)
{
    if (s4 == NULL || strlen(s4) != 4)
        return false;
    return strchr("1234BCDEFGHKLMNP", s4[0]) != NULL
        && strchr("0245689CDEFLMNP", s4[1]) != NULL
        && strchr("GVBSRHUPTAK", s4[2]) != NULL
        && is_digit(s4[3]);
}
