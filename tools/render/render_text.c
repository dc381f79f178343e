/*
 * render_text.c — the renderer's seeded PRNG (splitmix64) and its text generators:
 * random valid VN and CN plates and ISO 6346 container codes (with the check digit
 * computed here, independently of the recognition core) and size-type codes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

#define RENDER_PI 3.14159265358979323846

/* --- PRNG -------------------------------------------------------------------- */

void render_rng_seed(render_rng *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t render_rng_next(render_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t render_rng_below(render_rng *rng, uint32_t n)
{
    return (uint32_t)(((render_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

int render_rng_range(render_rng *rng, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)render_rng_below(rng, (uint32_t)(hi - lo) + 1u);
}

double render_rng_unit(render_rng *rng)
{
    return (double)(render_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

double render_rng_uniform(render_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * render_rng_unit(rng);
}

double render_rng_gauss(render_rng *rng)
{
    double u1 = 1.0 - render_rng_unit(rng); /* (0, 1]: log is finite */
    double u2 = render_rng_unit(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * RENDER_PI * u2);
}

bool render_rng_chance(render_rng *rng, double p)
{
    return render_rng_unit(rng) < p;
}

/* --- helpers ----------------------------------------------------------------- */

static char pick_char(render_rng *rng, const char *set)
{
    return set[render_rng_below(rng, (uint32_t)strlen(set))];
}

static char pick_digit(render_rng *rng)
{
    return (char)('0' + render_rng_below(rng, 10));
}

/* n random digits into out (NUL-terminated). */
static void random_digits(render_rng *rng, int n, char *out)
{
    for (int i = 0; i < n; i++)
        out[i] = pick_digit(rng);
    out[n] = '\0';
}

/* VN serial display: 5 digits "ddd.dd", 4 digits "dddd". */
static void vn_serial_display(const char *digits, char *out, size_t size)
{
    if (strlen(digits) == 5)
        snprintf(out, size, "%.3s.%s", digits, digits + 3);
    else
        snprintf(out, size, "%s", digits);
}

/* --- VN plates ------------------------------------------------------------- */

static const char VN_SERIES[] = "ABCDEFGHKLMNPSTUVXYZ";

void render_gen_vn_plate(render_rng *rng, bool two_line, render_plate_text *out)
{
    int province = render_rng_range(rng, 11, 99);
    char letter = pick_char(rng, VN_SERIES);
    char digits[6], serial[8];
    random_digits(rng, render_rng_chance(rng, 0.75) ? 5 : 4, digits);
    vn_serial_display(digits, serial, sizeof serial);

    if (!two_line) {
        snprintf(out->top, sizeof out->top, "%02d%c-%s", province, letter, serial);
        out->bottom[0] = '\0';
        snprintf(out->label, sizeof out->label, "%02d%c%s", province, letter, digits);
    } else if (render_rng_chance(rng, 0.6)) { /* motorbike: letter + digit series */
        char series_digit = (char)('1' + render_rng_below(rng, 9));
        snprintf(out->top, sizeof out->top, "%02d-%c%c", province, letter, series_digit);
        snprintf(out->bottom, sizeof out->bottom, "%s", serial);
        snprintf(out->label, sizeof out->label, "%02d%c%c%s", province, letter, series_digit,
                 digits);
    } else { /* square car plate */
        snprintf(out->top, sizeof out->top, "%02d%c", province, letter);
        snprintf(out->bottom, sizeof out->bottom, "%s", serial);
        snprintf(out->label, sizeof out->label, "%02d%c%s", province, letter, digits);
    }
}

/* --- CN plates ------------------------------------------------------------- */

static const char *const CN_PROVINCES[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
};
#define CN_N_PROVINCES (sizeof CN_PROVINCES / sizeof CN_PROVINCES[0])

static const char CN_LETTERS[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char CN_ALNUM[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

/* The 5 characters after the office letter: mostly digits, a few letters. */
static void cn_tail(render_rng *rng, bool new_energy, char out[7])
{
    int n = 0;
    if (new_energy)
        out[n++] = render_rng_chance(rng, 0.5) ? 'D' : 'F';
    for (int i = 0; i < 5; i++)
        out[n++] =
            new_energy || render_rng_chance(rng, 0.7) ? pick_digit(rng) : pick_char(rng, CN_ALNUM);
    out[n] = '\0';
}

void render_gen_cn_plate(render_rng *rng, bool new_energy, bool two_row, render_plate_text *out)
{
    const char *province = CN_PROVINCES[render_rng_below(rng, CN_N_PROVINCES)];
    char office = pick_char(rng, CN_LETTERS);
    char tail[7];
    cn_tail(rng, new_energy, tail);

    if (two_row) {
        snprintf(out->top, sizeof out->top, "%s %c", province, office);
        snprintf(out->bottom, sizeof out->bottom, "%s", tail);
    } else {
        snprintf(out->top, sizeof out->top, "%s%c\u00B7%s", province, office, tail);
        out->bottom[0] = '\0';
    }
    snprintf(out->label, sizeof out->label, "%s%c%s", province, office, tail);
}

/* --- ISO 6346 ----------------------------------------------------------------- */

/* Value of a code character: digits their value; letters from A=10 upwards,
 * skipping multiples of 11 (so B=12, L=23, V=34). */
static int iso6346_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    int v = 10;
    for (char l = 'A'; l < c; l++) {
        v++;
        if (v % 11 == 0)
            v++;
    }
    return v;
}

/* Check digit of the first 10 characters: sum of value * 2^i, mod 11, mod 10. */
static int iso6346_check(const char *first10)
{
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += iso6346_value(first10[i]) << i;
    return sum % 11 % 10;
}

static const char *const SIZE_TYPES[] = {"22G1", "45G1", "42G1", "22R1", "45R1", "L5G1"};

void render_gen_container(render_rng *rng, render_container_text *out)
{
    for (int i = 0; i < 3; i++)
        out->code[i] = (char)('A' + render_rng_below(rng, 26));
    out->code[3] = 'U';
    random_digits(rng, 6, out->code + 4);
    out->code[10] = (char)('0' + iso6346_check(out->code));
    out->code[11] = '\0';
    snprintf(out->size_type, sizeof out->size_type, "%s",
             SIZE_TYPES[render_rng_below(rng, sizeof SIZE_TYPES / sizeof SIZE_TYPES[0])]);
}
