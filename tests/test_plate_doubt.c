/*
 * test_plate_doubt.c — pins the checks that keep a grammatical plate read from valid:
 * a Chinese read whose length contradicts its colour (green must be 8, blue 7), a generic
 * read on green; a gap of two pitches in a line's CTC steps (but not the separator's wider
 * pitch, nor lines without steps); a look-alike whose partner the grammar accepts and the
 * recogniser ranked second with more than a trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plate_doubt.h"

static void test_colour_against_length(void **state)
{
    (void)state;
    assert_true(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_GREEN, "皖AD1488"));   /* 7 on green */
    assert_false(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_GREEN, "皖AD14488")); /* new energy */
    assert_true(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_BLUE, "皖AD14488"));   /* 8 on blue */
    assert_false(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_BLUE, "皖A12345"));
    assert_false(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_YELLOW, "皖A12345"));
    assert_false(plate_doubt_colour(PLATE_CN, PLATE_COLOUR_UNKNOWN, "皖AD1488"));
    assert_false(plate_doubt_colour(PLATE_VN, PLATE_COLOUR_GREEN, "51F44614"));
    assert_true(plate_doubt_colour(PLATE_GENERIC, PLATE_COLOUR_GREEN, "EXIT79B")); /* a sign */
    assert_false(plate_doubt_colour(PLATE_GENERIC, PLATE_COLOUR_WHITE, "RK026AJ"));
}

/* Characters at the given CTC steps. */
static int line_at(const int *steps, int n, text_char *chars, const text_char **ptrs)
{
    for (int i = 0; i < n; i++) {
        chars[i] = (text_char){"1", 0.99f, "", 0.0f, steps[i]};
        ptrs[i] = &chars[i];
    }
    return n;
}

static void test_gap(void **state)
{
    (void)state;
    text_char c[8];
    const text_char *p[8];
    static const int even[] = {1, 4, 7, 10, 13, 16, 19};
    static const int separated[] = {2, 5, 11, 14, 17, 21, 24}; /* 皖A·YR633 */
    static const int missing[] = {1, 4, 7, 10, 16, 19, 22};    /* one pitch doubled */
    static const int backwards[] = {1, 4, 7, 2, 5, 8, 11};     /* chunks of a cut column */
    assert_false(plate_doubt_gap(p, line_at(even, 7, c, p), -1));
    assert_false(plate_doubt_gap(p, line_at(separated, 7, c, p), 1));
    assert_true(plate_doubt_gap(p, line_at(separated, 7, c, p), -1));
    assert_true(plate_doubt_gap(p, line_at(missing, 7, c, p), 1));
    assert_false(plate_doubt_gap(p, line_at(backwards, 7, c, p), -1));
    int none[] = {-1, -1, -1, -1};
    assert_false(plate_doubt_gap(p, line_at(none, 4, c, p), -1));
}

/* 皖A1234D: a final D (or 0, or B) fits an ordinary plate either way. */
static void test_lookalike(void **state)
{
    (void)state;
    text_char unsure = {"D", 0.90f, "0", 0.08f, 20};
    text_char sure = {"D", 0.99f, "0", 0.01f, 20};
    text_char other = {"D", 0.90f, "B", 0.08f, 20}; /* not a look-alike, but the grammar takes B */
    text_char mark = {"D", 0.90f, "·", 0.08f, 20};  /* a runner-up no plate has there */
    assert_true(plate_doubt_lookalike(PLATE_CN, "皖A1234D", 6, &unsure));
    assert_false(plate_doubt_lookalike(PLATE_CN, "皖A1234D", 6, &sure));
    assert_true(plate_doubt_lookalike(PLATE_CN, "皖A1234D", 6, &other));
    assert_false(plate_doubt_lookalike(PLATE_CN, "皖A1234D", 6, &mark));
    /* VN position 2 is a letter only: the 0 would not fit, the read is not in doubt. */
    text_char series = {"D", 0.90f, "0", 0.08f, 8};
    assert_false(plate_doubt_lookalike(PLATE_VN, "51D44614", 2, &series));
    /* a CN 8-character plate's last place is a digit or D/F: 0 read, D second */
    text_char last = {"0", 0.88f, "D", 0.10f, 30};
    assert_true(plate_doubt_lookalike(PLATE_CN, "皖A123450", 7, &last));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colour_against_length),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_lookalike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
