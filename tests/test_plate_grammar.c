/*
 * test_plate_grammar.c — pins the licence-plate rules (plugins/core/plate_grammar.h):
 * normalisation, the Vietnamese, Chinese and generic grammars, display forms and
 * position-aware look-alike correction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "plate_grammar.h"

/* Normalises `raw` into a static buffer and returns it (or NULL on failure). */
static const char *norm(const char *raw)
{
    static char out[64];
    return plate_normalise(raw, out, sizeof out) < 0 ? NULL : out;
}

/* Displays `text` into a static buffer and returns it (or NULL on failure). */
static const char *show(enum plate_country country, const char *text, bool two_line)
{
    static char out[64];
    return plate_display(country, text, two_line, out, sizeof out) < 0 ? NULL : out;
}

/* ---- normalisation ------------------------------------------------------- */

/* Separators go, ASCII is upper-cased, the middle dot goes and CJK stays. */
static void test_normalise_examples(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(plate_normalise("12C-345.67", out, sizeof out), 8);
    assert_string_equal(out, "12C34567");
    assert_int_equal(plate_normalise("桂F·12345", out, sizeof out), 9); /* 3 + 6 bytes */
    assert_string_equal(out, "桂F12345");
    assert_int_equal(plate_normalise(" 51f 446.14 ", out, sizeof out), 8);
    assert_string_equal(out, "51F44614");
}

/* Bullets, katakana/fullwidth dots, colons, dashes and fullwidth alphanumerics are handled. */
static void test_normalise_other_separators(void **state)
{
    (void)state;
    assert_string_equal(norm("59-C1 123•45"), "59C112345");
    assert_string_equal(norm("粤B・12345"), "粤B12345");
    assert_string_equal(norm("粤B．12345"), "粤B12345");
    assert_string_equal(norm("29A:123\u2013 45"), "29A12345");
    assert_string_equal(norm("京Ａ１２３４５"), "京A12345");
    assert_string_equal(norm("京ａ\u3000１２３４５"), "京A12345");
    assert_string_equal(norm(""), "");
}

/* Invalid UTF-8, NULL and a too-small buffer give -1 and an empty buffer. */
static void test_normalise_failures(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(plate_normalise("12\xff" "34", out, sizeof out), -1);
    assert_string_equal(out, "");
    assert_int_equal(plate_normalise("\xe6\xa1", out, sizeof out), -1);     /* truncated 桂 */
    assert_int_equal(plate_normalise("\xc0\xaf", out, sizeof out), -1);     /* overlong '/' */
    assert_int_equal(plate_normalise("\xed\xa0\x80", out, sizeof out), -1); /* surrogate */
    assert_int_equal(plate_normalise(NULL, out, sizeof out), -1);
    assert_int_equal(plate_normalise("12C34567", out, sizeof out), -1); /* needs 9 bytes */
    assert_string_equal(out, "");
    assert_int_equal(plate_normalise("12C3456", out, sizeof out), 7);     /* exactly fits */
    assert_int_equal(plate_normalise("1", NULL, 0), -1);
}

/* ---- Vietnam --------------------------------------------------------------- */

/* Every Vietnamese example of the brief matches. */
static void test_vn_valid(void **state)
{
    (void)state;
    assert_true(plate_grammar_match(PLATE_VN, "12C34567"));
    assert_true(plate_grammar_match(PLATE_VN, "51F44614"));
    assert_true(plate_grammar_match(PLATE_VN, "29A12345"));
    assert_true(plate_grammar_match(PLATE_VN, "30E1234"));
    assert_true(plate_grammar_match(PLATE_VN, "59C112345"));
    assert_true(plate_grammar_match(PLATE_VN, "29LD12345"));
    assert_true(plate_grammar_match(PLATE_VN, "80NG1234"));
    assert_true(plate_grammar_match(PLATE_VN, "10W12345"));
    assert_true(plate_grammar_match(PLATE_VN, "99KT12345"));
}

/* Bad province, forbidden series letter, unknown two-letter series, bad lengths, raw text fail. */
static void test_vn_invalid(void **state)
{
    (void)state;
    assert_false(plate_grammar_match(PLATE_VN, NULL));
    assert_false(plate_grammar_match(PLATE_VN, ""));
    assert_false(plate_grammar_match(PLATE_VN, "09A12345"));   /* province below 10 */
    assert_false(plate_grammar_match(PLATE_VN, "1AC34567"));   /* province not digits */
    assert_false(plate_grammar_match(PLATE_VN, "12I34567"));   /* I */
    assert_false(plate_grammar_match(PLATE_VN, "12O34567"));   /* O */
    assert_false(plate_grammar_match(PLATE_VN, "12Q34567"));   /* Q */
    assert_false(plate_grammar_match(PLATE_VN, "12CX3456"));   /* CX is no series */
    assert_false(plate_grammar_match(PLATE_VN, "12C345"));     /* 3-digit serial */
    assert_false(plate_grammar_match(PLATE_VN, "12CD34567"));  /* CD is no series */
    assert_false(plate_grammar_match(PLATE_VN, "29LD123456")); /* too long */
    assert_false(plate_grammar_match(PLATE_VN, "12C1A234"));   /* letter in serial */
    assert_false(plate_grammar_match(PLATE_VN, "12c34567"));   /* not normalised */
    assert_false(plate_grammar_match(PLATE_VN, "12C-345.67")); /* not normalised */
    assert_false(plate_grammar_match(PLATE_VN, "桂F12345"));
}

/* One-line and two-line display forms of each Vietnamese series kind. */
static void test_vn_display(void **state)
{
    (void)state;
    assert_string_equal(show(PLATE_VN, "12C34567", false), "12C-345.67");
    assert_string_equal(show(PLATE_VN, "51F44614", false), "51F-446.14");
    assert_string_equal(show(PLATE_VN, "30E1234", false), "30E-1234");
    assert_string_equal(show(PLATE_VN, "29LD12345", false), "29LD-123.45");
    assert_string_equal(show(PLATE_VN, "12C34567", true), "12C 345.67");
    assert_string_equal(show(PLATE_VN, "30E1234", true), "30E 1234");
    assert_string_equal(show(PLATE_VN, "29LD12345", true), "29LD 123.45");
    assert_string_equal(show(PLATE_VN, "59C112345", true), "59-C1 123.45");
    assert_string_equal(show(PLATE_VN, "59C112345", false), "59-C1 123.45"); /* motorbike */
}

/* An 8-character letter+digits read is a car (one-letter series), not a 4-digit motorbike. */
static void test_vn_ambiguity_prefers_one_letter(void **state)
{
    (void)state;
    assert_string_equal(show(PLATE_VN, "59C11234", false), "59C-112.34");
    assert_string_equal(show(PLATE_VN, "12C123456", false), "12-C1 234.56"); /* 9: motorbike */
}

/* ---- China ----------------------------------------------------------------- */

/* Every Chinese example of the brief matches, plus suffixed and new-energy forms. */
static void test_cn_valid(void **state)
{
    (void)state;
    assert_true(plate_grammar_match(PLATE_CN, "桂F12345"));
    assert_true(plate_grammar_match(PLATE_CN, "皖AD11166"));
    assert_true(plate_grammar_match(PLATE_CN, "粤B12345"));
    assert_true(plate_grammar_match(PLATE_CN, "皖A1234挂"));
    assert_true(plate_grammar_match(PLATE_CN, "桂F1234挂"));
    assert_true(plate_grammar_match(PLATE_CN, "粤B1234学"));
    assert_true(plate_grammar_match(PLATE_CN, "京A0001警"));
    assert_true(plate_grammar_match(PLATE_CN, "粤BF12345")); /* small new energy, F */
    assert_true(plate_grammar_match(PLATE_CN, "沪ADA1234")); /* small new energy, letter 2nd */
    assert_true(plate_grammar_match(PLATE_CN, "粤B12345D")); /* large new energy */
    assert_true(plate_grammar_match(PLATE_CN, "琼AA1B2C"));
    assert_true(plate_grammar_match(PLATE_CN, "新Z9ZZ99"));
}

/* All 31 province characters are accepted. */
static void test_cn_all_provinces(void **state)
{
    (void)state;
    static const char *const provinces[] = {
        "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖",
        "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
        "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
    };
    assert_int_equal(sizeof provinces / sizeof provinces[0], 31);
    for (size_t i = 0; i < 31; i++) {
        char plate[32];
        strcpy(plate, provinces[i]);
        strcat(plate, "A12345");
        assert_true(plate_grammar_match(PLATE_CN, plate));
    }
}

/* I/O anywhere, a wrong or misplaced province, bad lengths and bad new-energy forms fail. */
static void test_cn_invalid(void **state)
{
    (void)state;
    assert_false(plate_grammar_match(PLATE_CN, "桂F1234O"));   /* O */
    assert_false(plate_grammar_match(PLATE_CN, "桂F1I345"));   /* I */
    assert_false(plate_grammar_match(PLATE_CN, "桂I12345"));   /* office letter I */
    assert_false(plate_grammar_match(PLATE_CN, "桂O12345"));   /* office letter O */
    assert_false(plate_grammar_match(PLATE_CN, "桂112345"));   /* office digit */
    assert_false(plate_grammar_match(PLATE_CN, "X桂12345"));   /* province second */
    assert_false(plate_grammar_match(PLATE_CN, "港A12345"));   /* not one of the 31 */
    assert_false(plate_grammar_match(PLATE_CN, "桂F1234"));    /* too short */
    assert_false(plate_grammar_match(PLATE_CN, "桂F1234567")); /* too long */
    assert_false(plate_grammar_match(PLATE_CN, "桂F12345挂")); /* 5 + suffix */
    assert_false(plate_grammar_match(PLATE_CN, "桂F123挂"));   /* 3 + suffix */
    assert_false(plate_grammar_match(PLATE_CN, "桂F123挂4"));  /* suffix not last */
    assert_false(plate_grammar_match(PLATE_CN, "皖AX11166"));  /* 6 chars, no D/F */
    assert_false(plate_grammar_match(PLATE_CN, "皖AD1116A"));  /* small NEV, letter in digits */
    assert_false(plate_grammar_match(PLATE_CN, "桂FA1234D"));  /* large NEV needs 5 digits */
    assert_false(plate_grammar_match(PLATE_CN, "桂f12345"));   /* lower case */
    assert_false(plate_grammar_match(PLATE_CN, "桂F·12345"));  /* not normalised */
    assert_false(plate_grammar_match(PLATE_CN, "12C34567"));
}

/* Chinese display puts a middle dot after the office letter, on one or two lines. */
static void test_cn_display(void **state)
{
    (void)state;
    assert_string_equal(show(PLATE_CN, "桂F12345", false), "桂F·12345");
    assert_string_equal(show(PLATE_CN, "桂F12345", true), "桂F·12345");
    assert_string_equal(show(PLATE_CN, "皖AD11166", false), "皖A·D11166");
    assert_string_equal(show(PLATE_CN, "皖A1234挂", false), "皖A·1234挂");
}

/* ---- generic --------------------------------------------------------------- */

/* Generic plates are 4-8 of A-Z 0-9, not all the same; display is the text itself. */
static void test_generic(void **state)
{
    (void)state;
    assert_true(plate_grammar_match(PLATE_GENERIC, "AB12"));
    assert_true(plate_grammar_match(PLATE_GENERIC, "ABCDEFGH"));
    assert_true(plate_grammar_match(PLATE_GENERIC, "12345678"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "AB1"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "ABCDEFGHJ"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "1111"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "AB-12"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "ab12"));
    assert_false(plate_grammar_match(PLATE_GENERIC, "桂F12345"));
    assert_string_equal(show(PLATE_GENERIC, "AB12CD", true), "AB12CD");
}

/* Display fails with -1 and an empty buffer on a non-matching text or a short buffer. */
static void test_display_failures(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(plate_display(PLATE_VN, "12C34567", false, out, 11), 10); /* exactly fits */
    assert_string_equal(out, "12C-345.67");
    assert_int_equal(plate_display(PLATE_VN, "12C34567", false, out, 10), -1);
    assert_string_equal(out, "");
    assert_int_equal(plate_display(PLATE_VN, "12I34567", false, out, sizeof out), -1);
    assert_string_equal(out, "");
    assert_int_equal(plate_display(PLATE_CN, "桂F12345", false, out, 12), 11); /* 3+1+2+5 bytes */
    assert_int_equal(plate_display(PLATE_CN, "桂F12345", false, out, 11), -1);
    assert_int_equal(plate_display(PLATE_GENERIC, "AB", false, out, sizeof out), -1);
    assert_int_equal(plate_display(PLATE_VN, "12C34567", false, NULL, 0), -1);
}

/* ---- correction ------------------------------------------------------------ */

/* A matching text is OK with no substitution. */
static void test_correct_already_valid(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "51F44614", 1, &fix), PLATE_FIX_OK);
    assert_string_equal(fix.text, "51F44614");
    assert_int_equal(fix.n_subs, 0);
    assert_int_equal(plate_correct(PLATE_CN, "桂F12345", 0, &fix), PLATE_FIX_OK);
    assert_string_equal(fix.text, "桂F12345");
    assert_int_equal(plate_correct(PLATE_GENERIC, "AB12", 0, &fix), PLATE_FIX_OK);
}

/* VN: letters at province and serial positions become digits. */
static void test_correct_vn_digit_positions(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "5IF44614", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "51F44614");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 1);
    assert_string_equal(fix.subs[0].from, "I");
    assert_string_equal(fix.subs[0].to, "1");

    assert_int_equal(plate_correct(PLATE_VN, "12C34O67", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "12C34067");
    assert_int_equal(fix.subs[0].pos, 5);
}

/* VN: a digit at the series-letter position becomes its look-alike letter. */
static void test_correct_vn_letter_position(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "12834567", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "12B34567");
    assert_int_equal(fix.subs[0].pos, 2);
    assert_string_equal(fix.subs[0].from, "8");
    assert_string_equal(fix.subs[0].to, "B");
}

/* VN: position 3 is left alone unless a swap there is what makes the plate match. */
static void test_correct_vn_position_3(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "12CS4567", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "12C54567");
    assert_int_equal(fix.subs[0].pos, 3);
    assert_int_equal(plate_correct(PLATE_VN, "29LD12345", 1, &fix), PLATE_FIX_OK);
    assert_int_equal(plate_correct(PLATE_VN, "59C112345", 1, &fix), PLATE_FIX_OK);
}

/* max_subs caps the substitutions: two needed fail at 1 and succeed at 2. */
static void test_correct_max_subs(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "5I844614", 1, &fix), PLATE_FIX_INVALID);
    assert_string_equal(fix.text, "");
    assert_int_equal(fix.n_subs, 0);
    assert_int_equal(plate_correct(PLATE_VN, "5I844614", 2, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "51B44614");
    assert_int_equal(fix.n_subs, 2);
    assert_int_equal(fix.subs[0].pos, 1);
    assert_int_equal(fix.subs[1].pos, 2);
    assert_int_equal(plate_correct(PLATE_VN, "5IF44614", 0, &fix), PLATE_FIX_INVALID);
    assert_int_equal(plate_correct(PLATE_VN, "5IF44614", -3, &fix), PLATE_FIX_INVALID);
    assert_int_equal(plate_correct(PLATE_VN, "5IF44614", 99, &fix), PLATE_FIX_CORRECTED);
}

/* VN: no look-alike, a forbidden series letter or a still-failing result is INVALID. */
static void test_correct_vn_invalid(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_VN, "12C3X567", 2, &fix), PLATE_FIX_INVALID); /* X */
    assert_int_equal(plate_correct(PLATE_VN, "12O34567", 2, &fix), PLATE_FIX_INVALID); /* O series */
    assert_int_equal(plate_correct(PLATE_VN, "12C345", 2, &fix), PLATE_FIX_INVALID);   /* short */
    assert_int_equal(plate_correct(PLATE_VN, "O9A12345", 2, &fix), PLATE_FIX_INVALID); /* -> 09 */
    assert_int_equal(plate_correct(PLATE_VN, "桂F12345", 2, &fix), PLATE_FIX_INVALID);
    assert_int_equal(plate_correct(PLATE_VN, NULL, 2, &fix), PLATE_FIX_INVALID);
}

/* A substitution takes the recogniser's runner-up over the look-alike table's guess,
 * where the grammar accepts it there; otherwise the table's stays. */
static void test_fix_prefers_runner_up(void **state)
{
    (void)state;
    struct text_fix fix;
    /* VN series letter read as 0: the table says D, the recogniser's runner-up C. */
    assert_int_equal(plate_correct(PLATE_VN, "88018420", 2, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "88D18420");
    const char *runner_up[8] = {NULL, NULL, "C", "7"};
    plate_fix_prefer_runner_up(PLATE_VN, &fix, runner_up, 8);
    assert_string_equal(fix.text, "88C18420");
    assert_int_equal(fix.n_subs, 1);
    assert_string_equal(fix.subs[0].from, "0");
    assert_string_equal(fix.subs[0].to, "C");

    /* A runner-up the grammar does not take there (a digit at the letter place, a
     * symbol) leaves the table's guess. */
    assert_int_equal(plate_correct(PLATE_VN, "88018420", 2, &fix), PLATE_FIX_CORRECTED);
    const char *digit[8] = {NULL, NULL, "6"};
    plate_fix_prefer_runner_up(PLATE_VN, &fix, digit, 8);
    assert_string_equal(fix.text, "88D18420");
    const char *symbol[8] = {NULL, NULL, "-"};
    plate_fix_prefer_runner_up(PLATE_VN, &fix, symbol, 8);
    assert_string_equal(fix.text, "88D18420");

    /* Positions count characters: a CN province character comes first. */
    assert_int_equal(plate_correct(PLATE_CN, "桂812345", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "桂B12345");
    const char *cn_digit[7] = {NULL, "3"}; /* the office letter's place takes no digit */
    plate_fix_prefer_runner_up(PLATE_CN, &fix, cn_digit, 7);
    assert_string_equal(fix.text, "桂B12345");
    const char *cn_letter[7] = {NULL, "e"};
    plate_fix_prefer_runner_up(PLATE_CN, &fix, cn_letter, 7);
    assert_string_equal(fix.text, "桂E12345");
}

/* CN: I and O become 1 and 0; positions count characters, the province being one. */
static void test_correct_cn_i_o(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_CN, "桂F1234O", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "桂F12340");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 6);
    assert_string_equal(fix.subs[0].from, "O");
    assert_string_equal(fix.subs[0].to, "0");

    assert_int_equal(plate_correct(PLATE_CN, "粤BI234挂", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "粤B1234挂");
    assert_int_equal(fix.subs[0].pos, 2);
}

/* CN: a digit at the office-letter position becomes its look-alike letter. */
static void test_correct_cn_office_letter(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_CN, "桂812345", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "桂B12345");
    assert_int_equal(fix.subs[0].pos, 1);
    assert_int_equal(plate_correct(PLATE_CN, "桂I12345", 1, &fix), PLATE_FIX_INVALID);
}

/* CN: one optional swap recovers a new-energy D read as 0. */
static void test_correct_cn_new_energy(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_CN, "皖A011166", 1, &fix), PLATE_FIX_CORRECTED);
    assert_string_equal(fix.text, "皖AD11166");
    assert_int_equal(fix.subs[0].pos, 2);
    assert_string_equal(fix.subs[0].from, "0");
    assert_string_equal(fix.subs[0].to, "D");
}

/* CN: a bad province is never corrected; generic plates are never corrected. */
static void test_correct_uncorrectable(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(plate_correct(PLATE_CN, "X桂12345", 3, &fix), PLATE_FIX_INVALID);
    assert_int_equal(plate_correct(PLATE_CN, "港A12345", 3, &fix), PLATE_FIX_INVALID);
    assert_int_equal(plate_correct(PLATE_CN, "桂F1O3O5O", 8, &fix), PLATE_FIX_INVALID); /* too long */
    assert_int_equal(plate_correct(PLATE_GENERIC, "1111", 3, &fix), PLATE_FIX_INVALID);
    assert_string_equal(fix.text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_examples),
        cmocka_unit_test(test_normalise_other_separators),
        cmocka_unit_test(test_normalise_failures),
        cmocka_unit_test(test_vn_valid),
        cmocka_unit_test(test_vn_invalid),
        cmocka_unit_test(test_vn_display),
        cmocka_unit_test(test_vn_ambiguity_prefers_one_letter),
        cmocka_unit_test(test_cn_valid),
        cmocka_unit_test(test_cn_all_provinces),
        cmocka_unit_test(test_cn_invalid),
        cmocka_unit_test(test_cn_display),
        cmocka_unit_test(test_generic),
        cmocka_unit_test(test_display_failures),
        cmocka_unit_test(test_correct_already_valid),
        cmocka_unit_test(test_correct_vn_digit_positions),
        cmocka_unit_test(test_correct_vn_letter_position),
        cmocka_unit_test(test_correct_vn_position_3),
        cmocka_unit_test(test_correct_max_subs),
        cmocka_unit_test(test_correct_vn_invalid),
        cmocka_unit_test(test_correct_cn_i_o),
        cmocka_unit_test(test_fix_prefers_runner_up),
        cmocka_unit_test(test_correct_cn_office_letter),
        cmocka_unit_test(test_correct_cn_new_energy),
        cmocka_unit_test(test_correct_uncorrectable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
