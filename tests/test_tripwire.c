/*
 * test_tripwire.c — pins the tripwire's geometry: the side of the line a point and a box are
 * on (its right is the positive direction, image y pointing down), a box over the line, a
 * point's offset along the lane, a box's extent along and across the lane, when something
 * was on the line between two positions, and the lane's width inside a ROI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "tripwire.h"

static const lane_line UP = {640, 720, 640, 0};      /* vertical, x = 640: right is +x */
static const lane_line ACROSS = {0, 400, 1280, 400}; /* horizontal, y = 400: right is down */
static const lane_line NONE = {5, 5, 5, 5};          /* of no length */

static void test_axis(void **state)
{
    (void)state;
    float ax, ay;
    assert_true(tripwire_axis(&UP, &ax, &ay));
    assert_true(ax == 1 && ay == 0);
    assert_true(tripwire_axis(&ACROSS, &ax, &ay));
    assert_true(ax == 0 && ay == 1);
    assert_false(tripwire_axis(&NONE, &ax, &ay));
}

static void test_point_side(void **state)
{
    (void)state;
    assert_int_equal(tripwire_point_side(&UP, 700, 300), 1);
    assert_int_equal(tripwire_point_side(&UP, 600, 300), -1);
    assert_int_equal(tripwire_point_side(&UP, 640, 300), 1); /* on the line: the right */
    assert_int_equal(tripwire_point_side(&ACROSS, 100, 450), 1);
    assert_int_equal(tripwire_point_side(&ACROSS, 100, 350), -1);
    /* the same line drawn the other way round has its sides swapped */
    const lane_line down = {640, 0, 640, 720};
    assert_int_equal(tripwire_point_side(&down, 700, 300), -1);
}

static void test_box_side(void **state)
{
    (void)state;
    const lane_box left = {400, 300, 200, 100}, right = {650, 300, 200, 100},
                   over = {600, 300, 200, 100};
    assert_int_equal(tripwire_box_side(&UP, &left), -1);
    assert_int_equal(tripwire_box_side(&UP, &right), 1);
    assert_int_equal(tripwire_box_side(&UP, &over), 0);
    /* a box whose left edge lies on the line is wholly on the right */
    const lane_box touching = {640, 300, 10, 10};
    assert_int_equal(tripwire_box_side(&UP, &touching), 1);
}

static void test_offset(void **state)
{
    (void)state;
    assert_true(fabsf(tripwire_offset(&UP, 700, 300) - 60) < 1e-4f);
    assert_true(fabsf(tripwire_offset(&UP, 600, 0) + 40) < 1e-4f);
    assert_true(fabsf(tripwire_offset(&ACROSS, 100, 450) - 50) < 1e-4f);
    assert_true(tripwire_offset(&NONE, 100, 450) == 0);
}

static void test_box_extent(void **state)
{
    (void)state;
    const lane_box b = {100, 200, 50, 30};
    float lo, hi;
    tripwire_box_extent(&b, 1, 0, &lo, &hi); /* along UP's lane: x */
    assert_true(lo == 100 && hi == 150);
    tripwire_box_extent(&b, 0, -1, &lo, &hi); /* across it: along the line, upwards */
    assert_true(lo == -230 && hi == -200);
    const float r = sqrtf(0.5f); /* a diagonal axis spans the box's diagonal */
    tripwire_box_extent(&b, r, r, &lo, &hi);
    assert_true(fabsf(lo - 300 * r) < 1e-3f && fabsf(hi - 380 * r) < 1e-3f);
}

static void test_crossing_time(void **state)
{
    (void)state;
    /* from 20 px before the line to 60 px past it in 0.4 s: on it a quarter of the way */
    assert_true(fabs(tripwire_crossing_time(1.0, -20, 1.4, 60) - 1.1) < 1e-9);
    /* both before it, coming closer: on it after the later position */
    assert_true(fabs(tripwire_crossing_time(2.0, -30, 3.0, -10) - 3.5) < 1e-9);
    /* going the other way works alike */
    assert_true(fabs(tripwire_crossing_time(0.0, 10, 1.0, -30) - 0.25) < 1e-9);
}

static void test_lane_width(void **state)
{
    (void)state;
    const lane_rect whole = {0, 0, 0, 0}, roi = {0, 200, 1280, 300}, outside = {700, 0, 100, 100};
    assert_true(tripwire_lane_width(&UP, &whole) == 720); /* no ROI: the whole tripwire */
    assert_true(fabsf(tripwire_lane_width(&UP, &roi) - 300) < 1e-3f);
    assert_true(tripwire_lane_width(&UP, &outside) == 720); /* misses the ROI: all of it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis),       cmocka_unit_test(test_point_side),
        cmocka_unit_test(test_box_side),   cmocka_unit_test(test_offset),
        cmocka_unit_test(test_box_extent), cmocka_unit_test(test_crossing_time),
        cmocka_unit_test(test_lane_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
