/*
 * test_column_split.c — pins the cutting of a detector box that holds several columns
 * (plugins/core/column_split.h) on codes the test renders itself (fixtures/render): a
 * split code's owner and serial columns boxed together, close or far apart, come out as
 * two bands, each holding its column's characters; a single column (whose letters' strokes
 * make their own bands across it) stays whole; and column_split replaces the box of two
 * columns by the two.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "column_split.h"
#include "fonts_fixture.h"
#include "render.h"

#define CHAR_H 30
#define MARGIN 12

/* The code drawn light on dark in a block with MARGIN px around it, as a detector box
 * around the code would cut it; *geo gets the layout. */
static gcv_image *render_block(const render_vertical_style *st, const char *code,
                               render_vertical_geometry *geo)
{
    GError *error = NULL;
    render_container_text t = {{0}, "45G1"};
    g_strlcpy(t.code, code, sizeof t.code);
    assert_int_equal(render_vertical_measure(fonts, &t, st, CHAR_H, geo, &error), 0);
    gcv_image *img = gcv_image_new(geo->code.w + 2 * MARGIN, geo->code.h + 2 * MARGIN, 3);
    gcv_fill_rect(img, 0, 0, img->width, img->height, 40, 50, 140);
    gcv_point quad[4];
    assert_int_equal(render_vertical_code(img, fonts, &t, st, MARGIN - geo->code.x,
                                          MARGIN - geo->code.y, CHAR_H,
                                          (render_colour){230, 230, 230}, quad, &error),
                     0);
    return img;
}

/* Whether band [x0, x1) holds character i's ink across. */
static bool band_holds(const int band[2], const render_vertical_geometry *geo, int i)
{
    int x = MARGIN - geo->code.x + geo->chars[i].x;
    return band[0] <= x + 1 && band[1] >= x + geo->chars[i].w - 1;
}

/* Owner and serial columns side by side, close and far apart: two bands, the owner's
 * letters in the first, the serial's digits in the second. */
static void test_split_code_two_bands(void **state)
{
    (void)state;
    static const int gaps[] = {25, 60, 120};
    for (size_t g = 0; g < G_N_ELEMENTS(gaps); g++) {
        render_vertical_style st;
        render_vertical_style_classic(&st, false);
        st.split = true;
        st.column_gap = gaps[g];
        render_vertical_geometry geo;
        gcv_image *img = render_block(&st, "LSZU9042106", &geo);
        int bands[COLUMN_SPLIT_MAX][2];
        int n = column_split_bands(img, bands);
        gcv_image_free(img);
        assert_int_equal(n, 2);
        for (int i = 0; i < 4; i++)
            assert_true(band_holds(bands[0], &geo, i));
        for (int i = 4; i < 10; i++)
            assert_true(band_holds(bands[1], &geo, i));
    }
}

/* One column of broad letters (their vertical strokes are bands of their own across the
 * column) is no box of several columns. */
static void test_single_column_whole(void **state)
{
    (void)state;
    static const char *codes[] = {"MNHU8888888", "DNAU3878698", "VHBU3431660"};
    for (size_t c = 0; c < G_N_ELEMENTS(codes); c++) {
        render_vertical_style st;
        render_vertical_style_classic(&st, false);
        render_vertical_geometry geo;
        gcv_image *img = render_block(&st, codes[c], &geo);
        int bands[COLUMN_SPLIT_MAX][2];
        assert_int_equal(column_split_bands(img, bands), 0);
        gcv_image_free(img);
    }
}

/* column_split replaces the box of a split code by one box per column, each a column
 * (taller than wide), the owner's left of the serial's. */
static void test_split_boxes(void **state)
{
    (void)state;
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    st.split = true;
    st.column_gap = 40;
    render_vertical_geometry geo;
    gcv_image *img = render_block(&st, "DTHU0398078", &geo);
    float w = (float)img->width, h = (float)img->height;
    text_box *boxes = g_new(text_box, 1);
    boxes[0] = (text_box){{{0, 0}, {w, 0}, {w, h}, {0, h}}, {{w / 2, h / 2}, w, h, 0}, 0.8f};
    int n = column_split(img, &boxes, 1);
    gcv_image_free(img);
    assert_int_equal(n, 2);
    for (int i = 0; i < 2; i++)
        assert_true(boxes[i].quad[3].y - boxes[i].quad[0].y > 2.2f * (boxes[i].quad[1].x - boxes[i].quad[0].x));
    assert_true(boxes[0].quad[1].x <= boxes[1].quad[0].x + 1);
    g_free(boxes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_code_two_bands),
        cmocka_unit_test(test_single_column_whole),
        cmocka_unit_test(test_split_boxes),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
