/*
 * test_iso6346.c — pins the ISO 6346 container-code rules (plugins/core/iso6346.h):
 * check digits computed by hand, validation, single look-alike correction and
 * size-type codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "iso6346.h"

/*
 * Hand computations (letter values C=13 S=30 Q=28 U=32 T=31 R=29 H=18 M=24 K=21;
 * character i weighted 2^i = 1 2 4 8 16 32 64 128 256 512):
 *
 * CSQU305438: 13 + 60 + 112 + 256 + 48 + 0 + 320 + 512 + 768 + 4096 = 6185
 *             6185 = 11 * 562 + 3                         -> check digit 3
 * TRHU307437: 31 + 58 + 72 + 256 + 48 + 0 + 448 + 512 + 768 + 3584 = 5777
 *             5777 = 11 * 525 + 2                         -> check digit 2
 * MSKU123456: 24 + 60 + 84 + 256 + 16 + 64 + 192 + 512 + 1280 + 3072 = 5560
 *             5560 = 11 * 505 + 5                         -> check digit 5
 * CSQU000007: 13 + 60 + 112 + 256 + 7 * 512 = 4025
 *             4025 = 11 * 365 + 10, and 10 mod 10         -> check digit 0
 * CSQU000009: 13 + 60 + 112 + 256 + 9 * 512 = 5049
 *             5049 = 11 * 459 + 0                         -> check digit 0
 */

/* The check digit matches the hand computations above, including remainder 10 -> 0. */
static void test_check_digit_hand_computed(void **state)
{
    (void)state;
    assert_int_equal(iso6346_check_digit("CSQU305438"), 3);
    assert_int_equal(iso6346_check_digit("TRHU307437"), 2);
    assert_int_equal(iso6346_check_digit("MSKU123456"), 5);
    assert_int_equal(iso6346_check_digit("CSQU000007"), 0);
    assert_int_equal(iso6346_check_digit("CSQU000009"), 0);
}

/* Only the first 10 characters count, so a full code may be passed. */
static void test_check_digit_ignores_eleventh(void **state)
{
    (void)state;
    assert_int_equal(iso6346_check_digit("CSQU3054383"), 3);
    assert_int_equal(iso6346_check_digit("CSQU3054389"), 3);
}

/* Malformed first-10 strings give -1: short, lower case, bad category, letters in the serial. */
static void test_check_digit_malformed(void **state)
{
    (void)state;
    assert_int_equal(iso6346_check_digit(NULL), -1);
    assert_int_equal(iso6346_check_digit(""), -1);
    assert_int_equal(iso6346_check_digit("CSQU30543"), -1);
    assert_int_equal(iso6346_check_digit("csqu305438"), -1);
    assert_int_equal(iso6346_check_digit("CSQX305438"), -1);
    assert_int_equal(iso6346_check_digit("CSQU3O5438"), -1);
    assert_int_equal(iso6346_check_digit("C5QU305438"), -1);
}

/* Known-good codes, including the real TRHU3074372, are valid. */
static void test_valid_known_good(void **state)
{
    (void)state;
    assert_true(iso6346_valid("CSQU3054383"));
    assert_true(iso6346_valid("TRHU3074372"));
    assert_true(iso6346_valid("MSKU1234565"));
    assert_true(iso6346_valid("CSQU0000070"));
    assert_true(iso6346_valid("CSQU0000090"));
}

/* Wrong check digit, category letter, length, case or characters make a code invalid. */
static void test_valid_known_bad(void **state)
{
    (void)state;
    assert_false(iso6346_valid(NULL));
    assert_false(iso6346_valid(""));
    assert_false(iso6346_valid("CSQU3054384"));  /* check digit */
    assert_false(iso6346_valid("TRHU3074371"));  /* check digit */
    assert_false(iso6346_valid("CSQA3054383"));  /* category A */
    assert_false(iso6346_valid("CSQV3054383"));  /* category V */
    assert_false(iso6346_valid("CSQU305438"));   /* 10 characters */
    assert_false(iso6346_valid("CSQU30543833")); /* 12 characters */
    assert_false(iso6346_valid("csqu3054383"));  /* lower case */
    assert_false(iso6346_valid("CSQU305438X"));  /* letter as check digit */
    assert_false(iso6346_valid("CSQU 3054383")); /* separator left in */
}

/* A valid read is OK with no substitution and the code copied into the fix. */
static void test_correct_already_valid(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("TRHU3074372", &fix), ISO6346_OK);
    assert_string_equal(fix.text, "TRHU3074372");
    assert_int_equal(fix.n_subs, 0);
}

/* An O read in a serial position is corrected to 0 and the substitution reported. */
static void test_correct_o_in_serial(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU3O54383", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQU3054383");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 5);
    assert_string_equal(fix.subs[0].from, "O");
    assert_string_equal(fix.subs[0].to, "0");
}

/* A check digit read as the letter O is corrected to 0. */
static void test_correct_check_digit_o(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU000009O", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQU0000090");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 10);
    assert_string_equal(fix.subs[0].from, "O");
    assert_string_equal(fix.subs[0].to, "0");
}

/* Every letter->digit look-alike is applied at digit positions. */
static void test_correct_each_letter_to_digit(void **state)
{
    (void)state;
    static const struct { const char *raw, *fixed; } cases[] = {
        { "CSQU3D54383", "CSQU3054383" }, /* D -> 0 */
        { "CSQU3Q54383", "CSQU3054383" }, /* Q -> 0 */
        { "MSKUI234565", "MSKU1234565" }, /* I -> 1 */
        { "MSKUL234565", "MSKU1234565" }, /* L -> 1 */
        { "CSQU30543B3", "CSQU3054383" }, /* B -> 8 */
        { "CSQU30S4383", "CSQU3054383" }, /* S -> 5 */
        { "MSKU1Z34565", "MSKU1234565" }, /* Z -> 2 */
        { "MSKU12345G5", "MSKU1234565" }, /* G -> 6 */
        { "CSQU305A383", "CSQU3054383" }, /* A -> 4 */
        { "TRHU30T4372", "TRHU3074372" }, /* T -> 7 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct text_fix fix;
        assert_int_equal(iso6346_correct(cases[i].raw, &fix), ISO6346_CORRECTED);
        assert_string_equal(fix.text, cases[i].fixed);
        assert_int_equal(fix.n_subs, 1);
    }
}

/* Digits read at owner/category positions become their look-alike letters. */
static void test_correct_digit_to_letter(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("C5QU3054383", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQU3054383");
    assert_int_equal(fix.subs[0].pos, 1);
    assert_string_equal(fix.subs[0].from, "5");
    assert_string_equal(fix.subs[0].to, "S");

    assert_int_equal(iso6346_correct("TRH03074372", &fix), ISO6346_INVALID); /* 0 -> O: not U/J/Z */
    assert_int_equal(iso6346_correct("8SQU3054383", &fix), ISO6346_INVALID); /* B: check fails */
}

/* Two substitutions needed means INVALID, even if together they would give a valid code. */
static void test_correct_two_substitutions_invalid(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU30S43B3", &fix), ISO6346_INVALID);
    assert_string_equal(fix.text, "");
    assert_int_equal(fix.n_subs, 0);
    assert_int_equal(iso6346_correct("C5QU3054B83", &fix), ISO6346_INVALID);
}

/* O in the digit positions is a zero and does not count as the one guess: a code read
 * with all its zeros as O, and with one look-alike besides, is corrected; an O in the
 * owner code stays a letter. */
static void test_correct_zeros_read_as_o(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQUOOOOO7O", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQU0000070");
    assert_int_equal(fix.n_subs, 6);
    assert_int_equal(iso6346_correct("C5QU3O54383", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQU3054383");
    assert_int_equal(iso6346_correct("CSQU3O5438B", &fix), ISO6346_INVALID); /* B->8: check fails */
    assert_true(iso6346_zero_for_o(4, 'O'));
    assert_false(iso6346_zero_for_o(2, 'O'));
    assert_false(iso6346_zero_for_o(5, 'D'));
}

/* An owner letter's runner-up (J for I) or the check digit's is taken when it alone
 * makes the code pass; never a runner-up that does not, nor one when two would (no telling
 * which), nor one at a serial digit's place. The category letter's too, and a letter read
 * as a digit (U as 0: a column's cells are read one by one, without the letters beside
 * them). */
static void test_runner_up(void **state)
{
    (void)state;
    struct text_fix fix;
    /* TRHU3074372 is valid; read with I for H, H the runner-up */
    char owner[11] = {0, 0, 'H'};
    assert_true(iso6346_runner_up("TRIU3074372", owner, &fix));
    assert_string_equal(fix.text, "TRHU3074372");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 2);
    /* with the serial's zero read as O as well */
    assert_true(iso6346_runner_up("TRIU3O74372", owner, &fix));
    assert_string_equal(fix.text, "TRHU3074372");
    /* the category U read as 0, U the runner-up; a letter read as a digit */
    assert_true(iso6346_runner_up("TRH03074372", (char[11]){[3] = 'U'}, &fix));
    assert_string_equal(fix.text, "TRHU3074372");
    assert_int_equal(fix.subs[0].pos, 3);
    assert_true(iso6346_runner_up("T8HU3074372", (char[11]){[1] = 'R'}, &fix));
    assert_string_equal(fix.text, "TRHU3074372");
    /* a category letter that does not pass, or is no category (only U, J, Z are) */
    assert_false(iso6346_runner_up("TRH03074372", (char[11]){[3] = 'J'}, &fix));
    assert_false(iso6346_runner_up("TRH03074372", (char[11]){[3] = 'O'}, &fix));
    /* a boxed check digit 1 read as 0, 1 its runner-up (BEAU2656931 is valid) */
    char check[11] = {[10] = '1'};
    assert_true(iso6346_runner_up("BEAU2656930", check, &fix));
    assert_string_equal(fix.text, "BEAU2656931");
    assert_int_equal(fix.n_subs, 1);
    assert_int_equal(fix.subs[0].pos, 10);
    /* the serial's digits are not second-guessed: TRHU3074372 read 3074322 would pass
     * with 7 for 2 in the serial's last place, which is not tried */
    char serial[11] = {[9] = '7'};
    assert_false(iso6346_runner_up("TRHU3074322", serial, &fix));
    /* a runner-up that does not make it pass, none given, a letter at the check digit's
     * place, or a digit out of place in the read */
    assert_false(iso6346_runner_up("TRIU3074372", (char[11]){'Q', 'E', 'J', 'Z'}, &fix));
    assert_false(iso6346_runner_up("TRIU3074372", (char[11]){0}, &fix));
    assert_false(iso6346_runner_up("BEAU2656930", (char[11]){[10] = 'I'}, &fix));
    assert_false(iso6346_runner_up("TRIU3B74372", owner, &fix));
    assert_string_equal(fix.text, "");
}

/* A single substitution whose result still fails the check digit is INVALID. */
static void test_correct_still_failing_invalid(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU3O54384", &fix), ISO6346_INVALID);
    assert_string_equal(fix.text, "");
    assert_int_equal(fix.n_subs, 0);
}

/* Right-class characters are never changed: a wrong check digit alone is not guessed at. */
static void test_correct_no_same_class_guess(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU3054384", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("CSQV3054383", &fix), ISO6346_INVALID); /* V is no look-alike of U */
}

/* A letter without a look-alike, a non-alphanumeric or a wrong length is INVALID. */
static void test_correct_unfixable(void **state)
{
    (void)state;
    struct text_fix fix;
    assert_int_equal(iso6346_correct("CSQU3X54383", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("CSQU3-54383", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("CSQU305438", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("CSQU30543833", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("", &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct(NULL, &fix), ISO6346_INVALID);
    assert_int_equal(iso6346_correct("csqu3054383", &fix), ISO6346_INVALID);
}

/* A 2 read at the category position becomes Z (a chassis code) when the check digit agrees. */
static void test_correct_category_z(void **state)
{
    (void)state;
    /* CSQZ305438: 6185 - 256 + 38 * 8 = 6233 = 11 * 566 + 7 -> check digit 7 */
    struct text_fix fix;
    assert_int_equal(iso6346_check_digit("CSQZ305438"), 7);
    assert_int_equal(iso6346_correct("CSQ23054387", &fix), ISO6346_CORRECTED);
    assert_string_equal(fix.text, "CSQZ3054387");
    assert_int_equal(fix.subs[0].pos, 3);
}

/* Plausible size-type codes pass; wrong characters, case or length fail. */
static void test_size_type(void **state)
{
    (void)state;
    assert_true(iso6346_size_type_valid("22G1"));
    assert_true(iso6346_size_type_valid("45G1"));
    assert_true(iso6346_size_type_valid("42R1"));
    assert_true(iso6346_size_type_valid("L5G1"));
    assert_true(iso6346_size_type_valid("22U6"));
    assert_true(iso6346_size_type_valid("45P3"));
    assert_true(iso6346_size_type_valid("22T0"));

    assert_false(iso6346_size_type_valid(NULL));
    assert_false(iso6346_size_type_valid(""));
    assert_false(iso6346_size_type_valid("22G"));
    assert_false(iso6346_size_type_valid("22G10"));
    assert_false(iso6346_size_type_valid("52G1")); /* length code 5 */
    assert_false(iso6346_size_type_valid("23G1")); /* height code 3 */
    assert_false(iso6346_size_type_valid("22X1")); /* type X */
    assert_false(iso6346_size_type_valid("22GG")); /* no digit */
    assert_false(iso6346_size_type_valid("22g1")); /* lower case */
    assert_false(iso6346_size_type_valid("2 G1"));
}

/* The check digit cannot see A/K/U, B/L, ... swaps: both codes below are valid. */
static void test_blind_partners(void **state)
{
    (void)state;
    char p[2];
    assert_int_equal(iso6346_blind_partners('A', p), 1);
    assert_int_equal(p[0], 'K');
    assert_int_equal(iso6346_blind_partners('K', p), 2);
    assert_true((p[0] == 'A' && p[1] == 'U') || (p[0] == 'U' && p[1] == 'A'));
    assert_int_equal(iso6346_blind_partners('Z', p), 1);
    assert_int_equal(p[0], 'P');
    assert_int_equal(iso6346_blind_partners('7', p), 0);
    assert_true(iso6346_valid("MSKU1234565"));
    assert_true(iso6346_valid("MSAU1234565")); /* K read as A: same check digit */
}

/* Owner letters need a margin: sure reads pass; an unsure letter, or one whose runner-up
 * is its check-blind partner, makes the code unsure even though its check digit holds. */
static void test_owner_sure_guard(void **state)
{
    (void)state;
    iso6346_char_read sure[3] = {{'M', 0.99f, 'N', 0.01f}, {'S', 0.98f, '5', 0.01f},
                                 {'K', 0.97f, 'X', 0.01f}};
    assert_true(iso6346_owner_sure(sure, 0.55f));
    iso6346_char_read low[3] = {{'M', 0.99f, 'N', 0.01f}, {'S', 0.98f, '5', 0.01f},
                                {'A', 0.45f, 'R', 0.01f}};
    assert_false(iso6346_owner_sure(low, 0.55f));
    iso6346_char_read partner[3] = {{'M', 0.99f, 'N', 0.01f}, {'S', 0.98f, '5', 0.01f},
                                    {'A', 0.70f, 'K', 0.25f}};
    assert_false(iso6346_owner_sure(partner, 0.55f));
    iso6346_char_read other_alt[3] = {{'M', 0.99f, 'N', 0.01f}, {'S', 0.98f, '5', 0.01f},
                                      {'A', 0.70f, '4', 0.25f}};
    assert_true(iso6346_owner_sure(other_alt, 0.55f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_digit_hand_computed),
        cmocka_unit_test(test_check_digit_ignores_eleventh),
        cmocka_unit_test(test_check_digit_malformed),
        cmocka_unit_test(test_valid_known_good),
        cmocka_unit_test(test_valid_known_bad),
        cmocka_unit_test(test_correct_already_valid),
        cmocka_unit_test(test_correct_o_in_serial),
        cmocka_unit_test(test_correct_check_digit_o),
        cmocka_unit_test(test_correct_each_letter_to_digit),
        cmocka_unit_test(test_correct_digit_to_letter),
        cmocka_unit_test(test_correct_two_substitutions_invalid),
        cmocka_unit_test(test_correct_zeros_read_as_o),
        cmocka_unit_test(test_runner_up),
        cmocka_unit_test(test_correct_still_failing_invalid),
        cmocka_unit_test(test_correct_no_same_class_guess),
        cmocka_unit_test(test_correct_unfixable),
        cmocka_unit_test(test_correct_category_z),
        cmocka_unit_test(test_size_type),
        cmocka_unit_test(test_blind_partners),
        cmocka_unit_test(test_owner_sure_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
