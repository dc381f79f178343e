/*
 * test_lane_text.c — pins when a text was on the line: interpolated between two reads either
 * side of the tripwire (the last crossing counting), extrapolated along its reads when they
 * never straddle it (4 s beyond them at most), the mean read time of reads that stood still;
 * a read's offset from a tripwire in either orientation; merging the same text read twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lane_text.h"

static const lane_line UP = {640, 720, 640, 0};      /* vertical, x = 640: right is +x */
static const lane_line ACROSS = {0, 400, 1280, 400}; /* horizontal, y = 400: right is down */

/* A 60x20 read with its lower edge's middle at (x, y). */
static gatecv_read read_at(float x, float y, float confidence)
{
    gatecv_read r = {0};
    r.kind = READ_PLATE;
    g_strlcpy(r.text, "51F44614", sizeof r.text);
    r.confidence = confidence;
    r.quad[0] = (gcv_point){x - 30, y - 20};
    r.quad[1] = (gcv_point){x + 30, y - 20};
    r.quad[2] = (gcv_point){x + 30, y};
    r.quad[3] = (gcv_point){x - 30, y};
    return r;
}

/* Feeds reads at times ts[] and x positions xs[] (on the UP tripwire's image). */
static lane_text *text_of(const double *ts, const float *xs, int n)
{
    lane_text *t = lane_text_new(0);
    for (int i = 0; i < n; i++) {
        gatecv_read r = read_at(xs[i], 300, 0.9f);
        lane_text_add(t, &r, lane_text_offset(&UP, &r), NULL, ts[i]);
    }
    return t;
}

static void test_offset(void **state)
{
    (void)state;
    gatecv_read r = read_at(700, 300, 0.9f);
    assert_true(fabsf(lane_text_offset(&UP, &r) - 60) < 1e-3f);
    r = read_at(100, 450, 0.9f); /* the lower edge counts: nearest the road */
    assert_true(fabsf(lane_text_offset(&ACROSS, &r) - 50) < 1e-3f);
    const lane_line none = {5, 5, 5, 5};
    assert_true(lane_text_offset(&none, &r) == 0);
}

static void test_crossed_between_reads(void **state)
{
    (void)state;
    const double ts[] = {1.0, 1.1};
    const float xs[] = {620, 660}; /* -20 and +20 */
    lane_text *t = text_of(ts, xs, 2);
    assert_true(t->crossed);
    assert_true(fabs(lane_text_line_time(t) - 1.05) < 1e-6);
    assert_int_equal(t->frames, 2);
    lane_text_free(t);
}

/* Forward over the line, back, forward again: the last crossing is the one that counts. */
static void test_last_crossing_counts(void **state)
{
    (void)state;
    const double ts[] = {1.0, 1.1, 2.0, 2.1, 3.0, 3.1};
    const float xs[] = {620, 660, 660, 620, 620, 660};
    lane_text *t = text_of(ts, xs, 6);
    assert_true(fabs(lane_text_line_time(t) - 3.05) < 1e-6);
    lane_text_free(t);
}

/* Reads that never straddle the line: the line through the first and last reaches it at
 * 3 s; further than 4 s beyond them (a vehicle slowing to a halt short of the line, or one
 * read only well after it went over), 4 s beyond them, never among them: the text was not on
 * the line while it was read; reads that stood still, their mean time. */
static void test_extrapolated_or_mean(void **state)
{
    (void)state;
    const double ts[] = {1.0, 2.0};
    const float approach[] = {540, 590}; /* -100, -50: on the line at 3 s */
    lane_text *t = text_of(ts, approach, 2);
    assert_false(t->crossed);
    assert_true(fabs(lane_text_line_time(t) - 3.0) < 1e-6);
    lane_text_free(t);
    const float still[] = {540, 541}; /* moved a pixel: stood still */
    t = text_of(ts, still, 2);
    assert_true(fabs(lane_text_line_time(t) - 1.5) < 1e-6);
    lane_text_free(t);
    const float stopping[] = {540, 550}; /* would reach it at 11 s */
    t = text_of(ts, stopping, 2);
    assert_true(fabs(lane_text_line_time(t) - 6.0) < 1e-6);
    lane_text_free(t);
    const float leaving[] = {700, 710}; /* went over it at -5 s */
    t = text_of(ts, leaving, 2);
    assert_true(fabs(lane_text_line_time(t) - -3.0) < 1e-6);
    lane_text_free(t);
    const double apart[] = {1.0, 3.0};
    const float sides[] = {620, 660}; /* either side, but 2 s apart: extrapolated, 2 s */
    t = text_of(apart, sides, 2);
    assert_false(t->crossed);
    assert_true(fabs(lane_text_line_time(t) - 2.0) < 1e-6);
    lane_text_free(t);
    const double one[] = {4.0};
    t = text_of(one, sides, 1);
    assert_true(fabs(lane_text_line_time(t) - 4.0) < 1e-6);
    lane_text_free(t);
}

/* The most confident read is kept; merging adds frames and takes the better read. */
static void test_best_read_and_merge(void **state)
{
    (void)state;
    lane_text *a = lane_text_new(1), *b = lane_text_new(1);
    gatecv_read r1 = read_at(600, 300, 0.5f), r2 = read_at(610, 300, 0.8f),
                r3 = read_at(620, 300, 0.6f);
    lane_text_add(a, &r1, lane_text_offset(&UP, &r1), NULL, 1.0);
    lane_text_add(a, &r2, lane_text_offset(&UP, &r2), NULL, 1.1);
    lane_text_add(a, &r3, lane_text_offset(&UP, &r3), NULL, 1.2);
    assert_true(a->best.confidence == 0.8f);
    gatecv_read r4 = read_at(700, 300, 0.95f);
    lane_text_add(b, &r4, lane_text_offset(&UP, &r4), NULL, 5.0);
    lane_text_merge(a, b); /* frees b */
    assert_int_equal(a->frames, 4);
    assert_true(a->best.confidence == 0.95f);
    lane_text_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_crossed_between_reads),
        cmocka_unit_test(test_last_crossing_counts),
        cmocka_unit_test(test_extrapolated_or_mean),
        cmocka_unit_test(test_best_read_and_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
