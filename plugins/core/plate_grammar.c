/*
 * plate_grammar.c — licence-plate grammars (Vietnam, China, generic): UTF-8
 * normalisation, matching, display formatting and position-aware look-alike
 * correction. Pure C11; no allocation: text is decoded into a small fixed array
 * of code points, anything longer than any plate simply matches nothing.
 */
#include "plate_grammar.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#define PLATE_MAX_CHARS 16 /* longer than any plate grammar allows */

/* The 31 province characters of mainland Chinese plates, UTF-8. */
static const char cn_provinces[] =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/* Final characters of suffixed Chinese plates: trailer, driving school, police. */
static const char cn_suffixes[] = "挂学警";

/* Vietnamese two-letter series (enterprise, economic, diplomatic, foreign,
 * international, limited-use plates). */
static const char *const vn_two_letter_series[] = { "LD", "KT", "NG", "NN", "QT", "HC" };

/* ---- UTF-8 --------------------------------------------------------------- */

/* Decodes the UTF-8 character at `s` into *cp. Returns its length in bytes (1-4),
 * or -1 unless `s` starts with the shortest encoding of a Unicode scalar value. */
static int utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int len;
    uint32_t c, min;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
        min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0F;
        min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return -1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return len;
}

/* Encodes scalar value `cp` into `out` (NUL-terminated). Returns its length. */
static int utf8_encode(uint32_t cp, char out[5])
{
    int len;
    if (cp < 0x80) {
        out[0] = (char)cp;
        len = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    out[len] = '\0';
    return len;
}

/* True if non-ASCII `cp` is one of the characters of UTF-8 string `set`.
 * (UTF-8 is self-synchronising, so a substring search finds whole characters.) */
static bool in_utf8_set(uint32_t cp, const char *set)
{
    char enc[5];
    if (cp < 0x80)
        return false;
    utf8_encode(cp, enc);
    return strstr(set, enc) != NULL;
}

/* ---- text as code points ------------------------------------------------- */

struct chars {
    size_t n;
    uint32_t c[PLATE_MAX_CHARS];
};

/* Decodes `s` into `pc`. False if `s` is NULL, invalid UTF-8 or too long. */
static bool chars_decode(const char *s, struct chars *pc)
{
    pc->n = 0;
    if (s == NULL)
        return false;
    while (*s) {
        if (pc->n == PLATE_MAX_CHARS)
            return false;
        int len = utf8_decode(s, &pc->c[pc->n]);
        if (len < 0)
            return false;
        pc->n++;
        s += len;
    }
    return true;
}

/* ---- bounded output ------------------------------------------------------ */

/* Appends to a caller's buffer, always NUL-terminated; on overflow it stops and
 * remembers, and sb_finish() reports -1 with the buffer emptied. */
struct sbuf {
    char *out;
    size_t size;
    size_t len;
    bool failed;
};

static void sb_init(struct sbuf *b, char *out, size_t size)
{
    b->out = out;
    b->size = size;
    b->len = 0;
    b->failed = out == NULL || size == 0;
    if (!b->failed)
        out[0] = '\0';
}

static void sb_put(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->failed || n >= b->size - b->len) {
        b->failed = true;
        return;
    }
    memcpy(b->out + b->len, s, n + 1);
    b->len += n;
}

static void sb_putc(struct sbuf *b, uint32_t cp)
{
    char enc[5];
    utf8_encode(cp, enc);
    sb_put(b, enc);
}

static int sb_fail(struct sbuf *b)
{
    b->failed = true;
    if (b->out != NULL && b->size > 0)
        b->out[0] = '\0';
    return -1;
}

static int sb_finish(struct sbuf *b)
{
    return b->failed ? sb_fail(b) : (int)b->len;
}

/* ---- character classes --------------------------------------------------- */

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(uint32_t c)
{
    return c >= 'A' && c <= 'Z';
}

static bool all_digits(const struct chars *pc, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_digit(pc->c[i]))
            return false;
    return true;
}

static bool vn_series_letter(uint32_t c)
{
    return is_upper(c) && c != 'I' && c != 'O' && c != 'Q';
}

static bool vn_two_letters(uint32_t a, uint32_t b)
{
    size_t n = sizeof vn_two_letter_series / sizeof vn_two_letter_series[0];
    for (size_t i = 0; i < n; i++)
        if (a == (uint32_t)vn_two_letter_series[i][0] && b == (uint32_t)vn_two_letter_series[i][1])
            return true;
    return false;
}

static bool cn_letter(uint32_t c)
{
    return is_upper(c) && c != 'I' && c != 'O';
}

static bool cn_alnum(uint32_t c)
{
    return is_digit(c) || cn_letter(c);
}

static bool cn_all_alnum(const struct chars *pc, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!cn_alnum(pc->c[i]))
            return false;
    return true;
}

static bool cn_energy_letter(uint32_t c)
{
    return c == 'D' || c == 'F';
}

/* ---- grammars ------------------------------------------------------------ */

/* A Vietnamese plate cut into province (always 2), series and serial. */
struct vn_parts {
    size_t series_len; /* 1 or 2 */
    size_t serial_len; /* 4 or 5 */
};

/* Splits a Vietnamese plate, preferring a one-letter series (see the header). */
static bool vn_split(const struct chars *pc, struct vn_parts *parts)
{
    const uint32_t *c = pc->c;
    size_t n = pc->n;

    if (n < 7 || n > 9 || !is_digit(c[0]) || !is_digit(c[1]) || c[0] == '0')
        return false;
    if (vn_series_letter(c[2]) && (n - 3 == 4 || n - 3 == 5) && all_digits(pc, 3, n)) {
        parts->series_len = 1;
        parts->serial_len = n - 3;
        return true;
    }
    bool motorbike = vn_series_letter(c[2]) && is_digit(c[3]);
    if ((motorbike || vn_two_letters(c[2], c[3])) && n - 4 >= 4 && all_digits(pc, 4, n)) {
        parts->series_len = 2;
        parts->serial_len = n - 4;
        return true;
    }
    return false;
}

static bool cn_match(const struct chars *pc)
{
    const uint32_t *c = pc->c;
    size_t n = pc->n;

    if (n < 7 || n > 8 || !in_utf8_set(c[0], cn_provinces) || !cn_letter(c[1]))
        return false;
    if (n == 7) {
        if (in_utf8_set(c[6], cn_suffixes))
            return cn_all_alnum(pc, 2, 6);
        return cn_all_alnum(pc, 2, 7);
    }
    bool small = cn_energy_letter(c[2]) && cn_alnum(c[3]) && all_digits(pc, 4, 8);
    bool large = all_digits(pc, 2, 7) && cn_energy_letter(c[7]);
    return small || large;
}

static bool generic_match(const struct chars *pc)
{
    if (pc->n < 4 || pc->n > 8)
        return false;
    bool all_same = true;
    for (size_t i = 0; i < pc->n; i++) {
        if (!is_digit(pc->c[i]) && !is_upper(pc->c[i]))
            return false;
        all_same = all_same && pc->c[i] == pc->c[0];
    }
    return !all_same;
}

static bool chars_match(enum plate_country country, const struct chars *pc)
{
    struct vn_parts parts;
    switch (country) {
    case PLATE_VN: return vn_split(pc, &parts);
    case PLATE_CN: return cn_match(pc);
    case PLATE_GENERIC: return generic_match(pc);
    }
    return false;
}

bool plate_grammar_match(enum plate_country country, const char *normalised)
{
    struct chars pc;
    return chars_decode(normalised, &pc) && chars_match(country, &pc);
}

/* ---- normalisation ------------------------------------------------------- */

static bool is_separator(uint32_t c)
{
    switch (c) {
    case ' ': case '\t': case '\r': case '\n': case '-': case '.': case ':':
    case 0x00A0: /* no-break space */
    case 0x00B7: /* middle dot */
    case 0x2022: /* bullet */
    case 0x2027: /* hyphenation point */
    case 0x22C5: /* dot operator */
    case 0x3000: /* ideographic space */
    case 0x3002: /* ideographic full stop */
    case 0x30FB: /* katakana middle dot */
    case 0xFF0D: /* fullwidth hyphen-minus */
    case 0xFF0E: /* fullwidth full stop */
    case 0xFF1A: /* fullwidth colon */
    case 0xFF65: /* halfwidth katakana middle dot */
        return true;
    default:
        return c >= 0x2010 && c <= 0x2015; /* hyphens and dashes */
    }
}

/* ASCII and fullwidth letters and digits to upper-case ASCII; others unchanged. */
static uint32_t fold(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 'A';
    if (c >= 0xFF10 && c <= 0xFF19)
        return c - 0xFF10 + '0';
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c - 0xFF21 + 'A';
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 0xFF41 + 'A';
    return c;
}

int plate_normalise(const char *raw, char *out, size_t out_size)
{
    struct sbuf b;
    sb_init(&b, out, out_size);
    if (raw == NULL)
        return sb_fail(&b);
    while (*raw) {
        uint32_t c;
        int len = utf8_decode(raw, &c);
        if (len < 0)
            return sb_fail(&b);
        raw += len;
        if (!is_separator(c))
            sb_putc(&b, fold(c));
    }
    return sb_finish(&b);
}

/* ---- display ------------------------------------------------------------- */

static void put_range(struct sbuf *b, const struct chars *pc, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        sb_putc(b, pc->c[i]);
}

/* "ddd.dd" for 5 digits, "dddd" for 4. */
static void vn_put_serial(struct sbuf *b, const struct chars *pc, size_t from)
{
    if (pc->n - from == 5) {
        put_range(b, pc, from, from + 3);
        sb_put(b, ".");
        put_range(b, pc, from + 3, pc->n);
    } else {
        put_range(b, pc, from, pc->n);
    }
}

static void vn_display(struct sbuf *b, const struct chars *pc, const struct vn_parts *parts,
                       bool two_line)
{
    size_t serial = 2 + parts->series_len;
    bool motorbike = parts->series_len == 2 && is_digit(pc->c[3]);

    put_range(b, pc, 0, 2);
    if (motorbike) {
        sb_put(b, "-");
        put_range(b, pc, 2, serial);
        sb_put(b, " ");
    } else {
        put_range(b, pc, 2, serial);
        sb_put(b, two_line ? " " : "-");
    }
    vn_put_serial(b, pc, serial);
}

int plate_display(enum plate_country country, const char *normalised, bool two_line,
                  char *out, size_t out_size)
{
    struct sbuf b;
    struct chars pc;
    struct vn_parts parts;

    sb_init(&b, out, out_size);
    if (!chars_decode(normalised, &pc) || !chars_match(country, &pc))
        return sb_fail(&b);
    switch (country) {
    case PLATE_VN:
        vn_split(&pc, &parts);
        vn_display(&b, &pc, &parts, two_line);
        break;
    case PLATE_CN:
        put_range(&b, &pc, 0, 2);
        sb_put(&b, "\u00B7");
        put_range(&b, &pc, 2, pc.n);
        break;
    case PLATE_GENERIC:
        put_range(&b, &pc, 0, pc.n);
        break;
    }
    return sb_finish(&b);
}

/* ---- correction ---------------------------------------------------------- */

enum pos_class {
    POS_DIGIT,  /* must be a digit: letters forced to their look-alike */
    POS_LETTER, /* must be a letter: digits forced to their look-alike */
    POS_EITHER, /* letter or digit: one optional swap may be tried */
    POS_KEEP,   /* never corrected */
};

static enum pos_class position_class(enum plate_country country, const struct chars *pc,
                                     size_t i)
{
    if (country == PLATE_VN)
        return i == 2 ? POS_LETTER : i == 3 ? POS_EITHER : POS_DIGIT;
    /* PLATE_CN: province, office letter, then alphanumerics and a CJK suffix. */
    if (i == 0 || pc->c[i] >= 0x80)
        return POS_KEEP;
    return i == 1 ? POS_LETTER : POS_EITHER;
}

/* The digit a letter stands for, or 0 if none (the table is shared with ISO 6346). */
static uint32_t letter_to_digit(uint32_t c)
{
    return c < 0x80 ? (uint32_t)(unsigned char)text_fix_letter_to_digit((char)c) : 0;
}

/* The letter a digit stands for, or 0 if none. */
static uint32_t digit_to_letter(uint32_t c)
{
    switch (c) {
    case '0': return 'D';
    case '8': return 'B';
    case '5': return 'S';
    case '2': return 'Z';
    case '6': return 'G';
    case '4': return 'A';
    case '7': return 'T';
    default: return 0;
    }
}

/* What character c at a position of class `cls` must become: c itself, its
 * forced look-alike, or 0 if the text cannot be corrected. */
static uint32_t forced(enum plate_country country, enum pos_class cls, uint32_t c)
{
    switch (cls) {
    case POS_KEEP:
        return c;
    case POS_DIGIT:
        return is_digit(c) ? c : is_upper(c) ? letter_to_digit(c) : 0;
    case POS_LETTER:
        return is_upper(c) ? c : is_digit(c) ? digit_to_letter(c) : 0;
    case POS_EITHER:
        if (country == PLATE_CN && (c == 'I' || c == 'O'))
            return letter_to_digit(c);
        return is_digit(c) || is_upper(c) ? c : 0;
    }
    return 0;
}

/* The other-class look-alike of c, or 0 if none. */
static uint32_t swap_class(uint32_t c)
{
    return is_digit(c) ? digit_to_letter(c) : is_upper(c) ? letter_to_digit(c) : 0;
}

/* Tries one more substitution at each untouched letter-or-digit position of `cur`,
 * leftmost first; keeps the first that makes it match. */
static bool try_one_swap(enum plate_country country, const struct chars *orig,
                         struct chars *cur)
{
    for (size_t i = 0; i < cur->n; i++) {
        if (position_class(country, orig, i) != POS_EITHER || cur->c[i] != orig->c[i])
            continue;
        uint32_t swapped = swap_class(cur->c[i]);
        if (swapped == 0)
            continue;
        cur->c[i] = swapped;
        if (chars_match(country, cur))
            return true;
        cur->c[i] = orig->c[i];
    }
    return false;
}

/* Fills `fix` with `cur` and the substitutions from `orig`. False if too long. */
static bool record_fix(const struct chars *orig, const struct chars *cur, struct text_fix *fix)
{
    struct sbuf b;
    sb_init(&b, fix->text, sizeof fix->text);
    put_range(&b, cur, 0, cur->n);
    if (sb_finish(&b) < 0)
        return false;
    for (size_t i = 0; i < cur->n; i++) {
        if (cur->c[i] == orig->c[i])
            continue;
        char from[5], to[5];
        utf8_encode(orig->c[i], from);
        utf8_encode(cur->c[i], to);
        if (!text_fix_add(fix, (int)i, from, to))
            return false;
    }
    return true;
}

/* Records the fix and returns `result`, or empties `fix` and returns INVALID if
 * it cannot be recorded. */
static enum plate_fix_result finish_fix(const struct chars *orig, const struct chars *cur,
                                        struct text_fix *fix, enum plate_fix_result result)
{
    if (record_fix(orig, cur, fix))
        return result;
    text_fix_clear(fix);
    return PLATE_FIX_INVALID;
}

enum plate_fix_result plate_correct(enum plate_country country, const char *normalised,
                                    int max_subs, struct text_fix *fix)
{
    struct chars orig, cur;
    int n_subs = 0;

    text_fix_clear(fix);
    if (max_subs < 0)
        max_subs = 0;
    if (max_subs > TEXT_FIX_MAX_SUBS)
        max_subs = TEXT_FIX_MAX_SUBS;
    if (!chars_decode(normalised, &orig))
        return PLATE_FIX_INVALID;
    if (chars_match(country, &orig))
        return finish_fix(&orig, &orig, fix, PLATE_FIX_OK);
    if (country != PLATE_VN && country != PLATE_CN) /* generic plates: no correction */
        return PLATE_FIX_INVALID;

    cur = orig;
    for (size_t i = 0; i < cur.n; i++) {
        cur.c[i] = forced(country, position_class(country, &orig, i), orig.c[i]);
        if (cur.c[i] == 0)
            return PLATE_FIX_INVALID;
        n_subs += cur.c[i] != orig.c[i];
    }
    if (n_subs > max_subs)
        return PLATE_FIX_INVALID;
    if (!chars_match(country, &cur)) {
        if (n_subs + 1 > max_subs || !try_one_swap(country, &orig, &cur))
            return PLATE_FIX_INVALID;
    }
    return finish_fix(&orig, &cur, fix, PLATE_FIX_CORRECTED);
}

void plate_fix_prefer_runner_up(enum plate_country country, struct text_fix *fix,
                                const char *const runner_up[], int n)
{
    for (int i = 0; i < fix->n_subs; i++) {
        struct text_substitution *sub = &fix->subs[i];
        const char *alt = sub->pos < n ? runner_up[sub->pos] : NULL;
        if (!alt || strlen(alt) != 1 || !g_ascii_isalnum(alt[0]) || strlen(sub->to) != 1)
            continue;
        char *at = g_utf8_offset_to_pointer(fix->text, sub->pos);
        assert(*at == sub->to[0]);
        *at = g_ascii_toupper(alt[0]);
        if (plate_grammar_match(country, fix->text))
            sub->to[0] = *at;
        else
            *at = sub->to[0];
    }
}
