/*
 * test_plate_colour.c — pins the plate colour classifier on plates the test renders itself
 * (fixtures/render): a blue, a green new-energy (white-to-green gradient), a yellow and a white
 * plate are named by their background, whether the region is the whole plate or only the
 * text box a detector would give; and a grey scene is no plate colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "plate_colour.h"
#include "fonts_fixture.h"
#include "render.h"

/* The plate's quad shrunk towards its centre by `inset` of its width and height: the
 * box around the text, with less border and more ink. */
static void inset_quad(const gcv_point in[4], float inset, gcv_point out[4])
{
    float cx = (in[0].x + in[2].x) / 2, cy = (in[0].y + in[2].y) / 2;
    for (int i = 0; i < 4; i++)
        out[i] = (gcv_point){cx + (in[i].x - cx) * (1 - 2 * inset),
                             cy + (in[i].y - cy) * (1 - 2 * inset)};
}

/* Renders `text` in `style` on a grey scene and classifies the whole plate and its text
 * box. */
static void classify(render_plate_style style, const render_plate_text *text,
                     enum plate_colour *whole, enum plate_colour *text_box)
{
    gcv_image *img = gcv_image_new(640, 360, 3);
    gcv_fill_rect(img, 0, 0, 640, 360, 90, 95, 100);
    gcv_point quad[4], inner[4];
    GError *error = NULL;
    assert_int_equal(render_plate(img, fonts, style, text, 150, 120, 60, quad, &error), 0);
    inset_quad(quad, 0.12f, inner);
    *whole = plate_colour_classify(img, quad);
    *text_box = plate_colour_classify(img, inner);
    gcv_image_free(img);
}

static void expect(render_plate_style style, const render_plate_text *text, enum plate_colour want)
{
    enum plate_colour whole, text_box;
    classify(style, text, &whole, &text_box);
    assert_int_equal(whole, want);
    assert_int_equal(text_box, want);
}

static void test_cn_blue(void **state)
{
    (void)state;
    render_plate_text t = {"桂F·12345", "", "桂F12345"};
    expect(RENDER_PLATE_CN_BLUE, &t, PLATE_COLOUR_BLUE);
}

/* The new-energy plate's white-to-green gradient is green, not white. */
static void test_cn_green_new_energy(void **state)
{
    (void)state;
    render_plate_text t = {"桂F·D12345", "", "桂FD12345"};
    expect(RENDER_PLATE_CN_GREEN, &t, PLATE_COLOUR_GREEN);
}

static void test_cn_yellow(void **state)
{
    (void)state;
    render_plate_text t = {"桂F·12345", "", "桂F12345"};
    expect(RENDER_PLATE_CN_YELLOW, &t, PLATE_COLOUR_YELLOW);
}

static void test_vn_white(void **state)
{
    (void)state;
    render_plate_text t = {"51F-446.14", "", "51F44614"};
    expect(RENDER_PLATE_VN_ONE_LINE, &t, PLATE_COLOUR_WHITE);
}

/* A region of a colour no plate has (red) is named nothing; names are what the JSON says. */
static void test_red_unknown_and_names(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(100, 40, 3);
    gcv_fill_rect(img, 0, 0, 100, 40, 30, 30, 200);
    const gcv_point quad[4] = {{0, 0}, {99, 0}, {99, 39}, {0, 39}};
    assert_int_equal(plate_colour_classify(img, quad), PLATE_COLOUR_UNKNOWN);
    gcv_image_free(img);
    assert_null(plate_colour_name(PLATE_COLOUR_UNKNOWN));
    assert_string_equal(plate_colour_name(PLATE_COLOUR_GREEN), "green");
    assert_string_equal(plate_colour_name(PLATE_COLOUR_BLUE), "blue");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cn_blue),
        cmocka_unit_test(test_cn_green_new_energy),
        cmocka_unit_test(test_cn_yellow),
        cmocka_unit_test(test_vn_white),
        cmocka_unit_test(test_red_unknown_and_names),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
