/*
 * test_column_group.c — pins the joining of a vertical column's pieces
 * (plugins/core/column_group.h) on hand-built detector boxes: pieces on the column's line
 * join it, also past a gap of about one character and through a chain of pieces; a column
 * beside it (a split code's serial), a horizontal size-type code under it and a piece
 * too far off stay apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "column_group.h"

/* An upright box, x and y its top-left corner. */
static text_box box(float x, float y, float w, float h)
{
    text_box b = {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}},
                  {{x + w / 2, y + h / 2}, w, h, 0},
                  0.8f};
    return b;
}

static float top_of(const text_box *b)
{
    return fminf(b->quad[0].y, b->quad[1].y);
}

static float bottom_of(const text_box *b)
{
    return fmaxf(b->quad[2].y, b->quad[3].y);
}

/* A column of 30 px wide characters broken into a run, a lone character above it, a lone
 * character below past a gap of one character, and a short run below that: one column
 * from the top piece to the bottom one, its width kept. */
static void test_pieces_join(void **state)
{
    (void)state;
    text_box b[4] = {box(100, 200, 30, 200), box(102, 160, 26, 34), box(101, 440, 28, 34),
                     box(100, 490, 30, 90)};
    int n = column_group(b, 4);
    assert_int_equal(n, 1);
    assert_float_equal(top_of(&b[0]), 160, 0.5);
    assert_float_equal(bottom_of(&b[0]), 580, 0.5);
    assert_float_equal(b[0].rect.width, 30, 0.5);
}

/* The serial column beside the owner column, the size-type code under the column and a
 * sticker three character heights below it stay as they were. */
static void test_others_stay_apart(void **state)
{
    (void)state;
    text_box b[4] = {box(100, 200, 30, 140), box(150, 200, 30, 240), box(85, 350, 80, 30),
                     box(100, 470, 30, 34)};
    int n = column_group(b, 4);
    assert_int_equal(n, 4);
    assert_float_equal(top_of(&b[0]), 200, 0.5);
    assert_float_equal(bottom_of(&b[0]), 340, 0.5);
    assert_float_equal(bottom_of(&b[1]), 440, 0.5);
}

/* A tilted column (the camera's roll) takes a piece on its slanted line, and its axis is
 * kept: the piece's own x is off the column's top by more than half a width. */
static void test_tilted_column(void **state)
{
    (void)state;
    float s = sinf(0.15f), c = cosf(0.15f); /* down the column: (-s, c) */
    text_box col = {{{200, 100}, {200 + 30 * c, 100 + 30 * s},
                     {200 + 30 * c - 200 * s, 100 + 30 * s + 200 * c},
                     {200 - 200 * s, 100 + 200 * c}},
                    {{0, 0}, 30, 200, 0},
                    0.8f};
    float along = 200 + 40; /* one pitch past the column's end */
    text_box piece = box(200 + 15 * c - along * s - 14, 100 + along * c - 14, 28, 28);
    text_box b[2] = {col, piece};
    assert_int_equal(column_group(b, 2), 1);
    assert_true(bottom_of(&b[0]) > 100 + (along + 10) * c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces_join),
        cmocka_unit_test(test_others_stay_apart),
        cmocka_unit_test(test_tilted_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
