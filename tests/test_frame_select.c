/*
 * test_frame_select.c — pins pipeline/frame_select: the first moving frame of an episode is
 * read; the same view is not read again until the box has moved or grown by min_shift or
 * max_gap_s has passed, and never within min_frames; a box across the view is read every
 * min_frames-th frame; a still frame ends the episode (the next
 * one starts with a new read_interest); a blurred due frame is passed over, a few at most;
 * frame_sharpness tells a sharp box from a blurred one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "frame_select.h"

static const lane_box ROI = {0, 0, 800, 450}; /* min_shift 1/8: 100 px; fill 0.9: 720 px */

static frame_select make(unsigned min_frames)
{
    frame_select_params p;
    frame_select_params_default(&p);
    p.min_frames = min_frames;
    frame_select s;
    frame_select_init(&s, &p);
    return s;
}

static bool want_at(frame_select *s, double t, float x, float width, double sharpness)
{
    lane_box box = {x, 200, width, 300};
    return frame_select_want(s, true, &box, &ROI, t, sharpness);
}

static void test_reads_what_is_new(void **state)
{
    (void)state;
    frame_select s = make(2);
    assert_true(want_at(&s, 0.00, 100, 400, 10)); /* first frame of the episode */
    assert_false(want_at(&s, 0.04, 300, 400, 10)); /* moved, but within min_frames */
    assert_true(want_at(&s, 0.08, 300, 400, 10));  /* moved 200 px */
    assert_false(want_at(&s, 0.12, 330, 400, 10)); /* 30 px: the same view */
    assert_false(want_at(&s, 0.16, 390, 400, 10)); /* 90 px */
    assert_true(want_at(&s, 0.20, 400, 400, 10));  /* 100 px: min_shift */
    assert_false(want_at(&s, 0.24, 400, 400, 10));
    assert_true(want_at(&s, 0.28, 400, 520, 10)); /* grew by 120 px: nearer */
    for (int k = 1; k < 49; k++) /* standing still, moving: nothing new until max_gap_s */
        assert_false(want_at(&s, 0.28 + k * 0.04, 400, 520, 10));
    assert_true(want_at(&s, 0.28 + 2.01, 400, 520, 10));
    frame_select_clear(&s);
}

static void test_still_frame_ends_episode(void **state)
{
    (void)state;
    frame_select s = make(1);
    assert_true(want_at(&s, 0.0, 100, 400, 10));
    read_interest *first = read_interest_ref(frame_select_interest(&s));
    lane_box none = {0};
    assert_false(frame_select_want(&s, false, &none, &ROI, 0.04, 0));
    assert_null(frame_select_interest(&s));
    assert_true(want_at(&s, 0.08, 100, 400, 10)); /* the same view, but a new episode */
    assert_non_null(frame_select_interest(&s));
    assert_ptr_not_equal(frame_select_interest(&s), first);
    read_interest_unref(first);
    frame_select_clear(&s);
}

/* A box across the whole view no longer shows the vehicle move: every min_frames-th frame. */
static void test_box_filling_the_view(void **state)
{
    (void)state;
    frame_select s = make(3);
    assert_true(want_at(&s, 0.00, 0, 750, 10)); /* 750 of 800: fills the view */
    assert_false(want_at(&s, 0.04, 0, 750, 10));
    assert_false(want_at(&s, 0.08, 0, 750, 10));
    assert_true(want_at(&s, 0.12, 0, 750, 10)); /* no speed measured: every min_frames */
    assert_false(want_at(&s, 0.16, 0, 710, 10)); /* 710: not any more, the same view */
    assert_false(want_at(&s, 0.20, 0, 710, 10));
    assert_false(want_at(&s, 0.24, 0, 710, 10));
    frame_select_clear(&s);
}

/* A vehicle larger than the view goes by under a box that fills it: at the speed its edge
 * came in at (400 px/s), it has gone min_shift (100 px) further every 0.25 s. */
static void test_filled_view_goes_by_at_its_speed(void **state)
{
    (void)state;
    frame_select s = make(1);
    int in_view = 0, filled = 0;
    double last = -1, min_gap = 10, max_gap = 0;
    for (int k = 0; k < 100; k++) { /* 4 s at 25 fps */
        double t = k * 0.04;
        float width = (float)fmin(300 + 400 * t, 760); /* fills the view from t = 1.15 s */
        bool read = want_at(&s, t, 0, width, 10);
        if (!read)
            continue;
        if (width < 720) {
            in_view++;
            continue;
        }
        filled++;
        if (last >= 0) {
            min_gap = fmin(min_gap, t - last);
            max_gap = fmax(max_gap, t - last);
        }
        last = t;
    }
    assert_true(in_view >= 3);
    assert_true(filled >= 9 && filled <= 12); /* 2.85 s filled / 0.25 s */
    assert_true(min_gap > 0.19 && max_gap < 0.33);
    frame_select_clear(&s);
}

/* A due frame much blurrier than the episode's sharpest waits for a sharper one, up to
 * max_passed frames. */
static void test_blurred_frame_passed_over(void **state)
{
    (void)state;
    frame_select s = make(1);
    assert_true(want_at(&s, 0.00, 100, 400, 20));
    assert_false(want_at(&s, 0.04, 300, 400, 5)); /* due, blurred */
    assert_true(want_at(&s, 0.08, 310, 400, 18)); /* the next, sharp */
    assert_false(want_at(&s, 0.12, 500, 400, 5));
    assert_false(want_at(&s, 0.16, 510, 400, 5));
    assert_false(want_at(&s, 0.20, 520, 400, 5));
    assert_true(want_at(&s, 0.24, 530, 400, 5)); /* max_passed (3) passed: read anyway */
    frame_select_clear(&s);
}

/* A checkerboard of single pixels has strong edges; flat grey none. */
static void test_sharpness(void **state)
{
    (void)state;
    enum { W = 64, H = 48 };
    uint8_t sharp[W * H], flat[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            sharp[y * W + x] = ((x + y) % 2) ? 200 : 40;
    memset(flat, 120, sizeof flat);
    lane_box box = {0, 0, W, H};
    assert_true(frame_sharpness(sharp, W, W, H, &box) > 100);
    assert_true(frame_sharpness(flat, W, W, H, &box) == 0);
    lane_box outside = {W + 10, 0, 20, 20};
    assert_true(frame_sharpness(sharp, W, W, H, &outside) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_what_is_new),
        cmocka_unit_test(test_still_frame_ends_episode),
        cmocka_unit_test(test_box_filling_the_view),
        cmocka_unit_test(test_filled_view_goes_by_at_its_speed),
        cmocka_unit_test(test_blurred_frame_passed_over),
        cmocka_unit_test(test_sharpness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
