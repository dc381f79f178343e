/*
 * test_lane_trigger.c — pins the presence sensor's intervals: a report repeating the state in
 * force, or earlier than the last, changes nothing; a gap shorter than min_gap is chatter (one
 * vehicle); the gaps inside a span are its partings; presence within a span, the unresolved
 * presences in order, and forgetting what ended long ago.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "lane_trigger.h"

static void test_reports_in_order(void **state)
{
    (void)state;
    lane_trigger *tr = lane_trigger_new(0.5);
    assert_false(lane_trigger_heard(tr));
    assert_false(lane_trigger_report(tr, 1.0, false)); /* gone before anything was present */
    assert_true(lane_trigger_report(tr, 1.0, true));
    assert_true(lane_trigger_heard(tr));
    assert_false(lane_trigger_report(tr, 1.5, true)); /* present while present */
    assert_false(lane_trigger_report(tr, 0.5, false)); /* earlier than the last report */
    assert_false(lane_trigger_report(tr, NAN, false));
    assert_true(lane_trigger_report(tr, 3.0, false));
    assert_true(lane_trigger_last_report(tr) == 3.0);
    assert_true(lane_trigger_present_within(tr, 2.9, 10.0));
    assert_false(lane_trigger_present_within(tr, 3.1, 10.0));
    assert_true(lane_trigger_report(tr, 6.0, true)); /* still on the line: present from then on */
    assert_true(lane_trigger_present_within(tr, 100.0, 200.0));
    lane_trigger_free(tr);
}

static void test_gaps_and_chatter(void **state)
{
    (void)state;
    lane_trigger *tr = lane_trigger_new(0.5);
    const double reports[][2] = {{1.0, 1}, {3.0, 0}, {3.2, 1}, /* chatter: one vehicle */
                                 {5.0, 0}, {6.0, 1}, {8.0, 0}, {9.0, 1}, {10.0, 0}};
    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
        assert_true(lane_trigger_report(tr, reports[i][0], reports[i][1] > 0));
    double bounds[4];
    assert_int_equal(lane_trigger_gaps_within(tr, 0.0, 11.0, bounds, 4), 2);
    assert_true(fabs(bounds[0] - 5.5) < 1e-9 && fabs(bounds[1] - 8.5) < 1e-9);
    assert_int_equal(lane_trigger_gaps_within(tr, 0.0, 8.2, bounds, 4), 1); /* wholly inside */
    assert_int_equal(lane_trigger_gaps_within(tr, 0.0, 11.0, bounds, 1), 1); /* at most max */
    assert_false(lane_trigger_present_within(tr, 5.1, 5.9));
    lane_trigger_free(tr);
}

static void test_unresolved_and_forget(void **state)
{
    (void)state;
    lane_trigger *tr = lane_trigger_new(0.5);
    lane_trigger_report(tr, 1.0, true);
    double start, end;
    assert_false(lane_trigger_unresolved(tr, &start, &end)); /* still on the line */
    lane_trigger_report(tr, 2.0, false);
    lane_trigger_report(tr, 4.0, true);
    lane_trigger_report(tr, 5.0, false);
    assert_true(lane_trigger_unresolved(tr, &start, &end));
    assert_true(start == 1.0 && end == 2.0);
    assert_true(lane_trigger_unresolved_within(tr, 4.5, 4.6));
    lane_trigger_resolve(tr, 1.0);
    assert_true(lane_trigger_unresolved(tr, &start, &end));
    assert_true(start == 4.0 && end == 5.0);
    lane_trigger_resolve(tr, 4.0);
    assert_false(lane_trigger_unresolved(tr, &start, &end));
    assert_false(lane_trigger_unresolved_within(tr, 0.0, 10.0));
    lane_trigger_forget(tr, 100.0); /* the last stays: chatter after it needs its end */
    assert_false(lane_trigger_present_within(tr, 1.0, 2.0));
    assert_true(lane_trigger_present_within(tr, 4.0, 5.0));
    assert_true(lane_trigger_report(tr, 5.2, true)); /* chatter: it is present again */
    assert_true(lane_trigger_present_within(tr, 50.0, 60.0));
    lane_trigger_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reports_in_order),
        cmocka_unit_test(test_gaps_and_chatter),
        cmocka_unit_test(test_unresolved_and_forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
