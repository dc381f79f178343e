/*
 * test_line_timeline.c — pins the vehicles on the line (line_timeline.c) with passages made by
 * hand: passages of several cameras join one vehicle by their time over the line, a side
 * camera's span replacing a front camera's; the other direction or a passage too far away is
 * another vehicle; who was nearer the line at a moment (between two, the one a text's camera
 * leans to; held by two, the one a side camera measured as one vehicle); what shared the line; a look of a camera along the lane at a vehicle the side
 * camera measured as one is a second look; a vehicle is split by plates a second apart, or,
 * measured too long and alone on the line, by the widest gap between its reads; a camera
 * episode that held a vehicle before another is the other's only from when the first left the
 * line; a vehicle seen only by its reads answers for no other text; decided vehicles are
 * forgotten once wholly before the horizon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "fusion_fixture.h"
#include "line_timeline.h"

/* A closed passage of `camera` going the way `sign` says: its leading edge reached the line at
 * `on`, it left it at `off`; `length_m` as measured (0: not measured). */
static camera_episode *passage(int camera, int sign, double on, double off, double length_m)
{
    camera_episode *e = fixture_episode(camera);
    e->t_first = on - 2;
    e->t_last = off + 2;
    e->line = (line_track){.t_begin = e->t_first,
                           .side_from = -sign,
                           .side_now = sign,
                           .centre_now = sign,
                           .t_cross = on,
                           .t_clear = off,
                           .t_touch = on,
                           .t_off = off,
                           .touched = true};
    e->length_m = length_m;
    return e;
}

/* Passages of two cameras a little apart in time are one vehicle; a side camera's span
 * replaces the front camera's (it sees the whole length go over the line). */
static void test_passages_join_one_vehicle(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(FRONT, 1, 10.0, 10.5, 0));
    assert_false(a->span.from_side);
    line_vehicle *b = line_timeline_add_passage(tl, passage(SIDE, 1, 10.2, 13.0, 16));
    assert_ptr_equal(a, b);
    assert_true(a->span.from_side);
    assert_true(a->span.start == 10.2 && a->span.end == 13.0);
    assert_true(a->span.measured && a->span.one_vehicle);
    assert_int_equal(a->span.cameras, (1u << SIDE) | (1u << FRONT));
    assert_ptr_equal(line_timeline_oldest_pending(tl), a);
    line_timeline_free(tl);
    g_free(c);
}

/* The other direction, a second passage of the same camera, or one further than the join
 * window from the vehicle's time over the line, is another vehicle. */
static void test_other_vehicles(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 13, 16));
    line_vehicle *other_way = line_timeline_add_passage(tl, passage(FRONT, -1, 11, 12, 0));
    line_vehicle *same_camera = line_timeline_add_passage(tl, passage(SIDE, 1, 16.5, 19, 16));
    line_vehicle *far = line_timeline_add_passage(tl, passage(FRONT, 1, 30, 31, 0));
    assert_ptr_not_equal(other_way, a);
    assert_ptr_not_equal(same_camera, a);
    assert_ptr_not_equal(far, a);
    assert_ptr_not_equal(far, same_camera);
    assert_int_equal(other_way->span.sign, -1);
    line_vehicle *late = line_timeline_add_passage(tl, passage(FRONT, 1, 14.2, 14.4, 0));
    assert_ptr_equal(late, a); /* 1.2 s after a's time over the line: within the window */
    line_timeline_free(tl);
    g_free(c);
}

/* Who was on the line at t: the vehicle whose span holds t, or lies nearest it. */
static void test_nearer_vehicle(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 13, 16));
    line_vehicle *b = line_timeline_add_passage(tl, passage(SIDE, 1, 16, 19, 16));
    assert_false(line_timeline_nearer_other(tl, a, 12.0, LINE_TRULY_THERE));
    assert_true(
        line_timeline_nearer_other(tl, a, 15.0, LINE_TRULY_THERE)); /* 1 s before b, 2 s after a */
    assert_false(line_timeline_nearer_other(tl, b, 15.0, LINE_TRULY_THERE));
    assert_false(line_timeline_shares_line(tl, a));
    line_vehicle *over = line_timeline_add_passage(tl, passage(SIDE, -1, 12, 17, 16));
    assert_true(line_timeline_shares_line(tl, a));
    assert_true(line_timeline_shares_line(tl, over));
    assert_true(line_timeline_near(tl, LINE_PENDING, 20.5, 2.0));
    assert_false(line_timeline_near(tl, LINE_DECIDED, 20.5, 2.0));
    line_timeline_settle(tl, b, LINE_DECIDED);
    assert_true(line_timeline_near(tl, LINE_DECIDED, 20.5, 2.0));
    assert_false(line_timeline_near(tl, LINE_DECIDED, 21.5, 2.0));
    line_timeline_free(tl);
    g_free(c);
}

/* A time two spans both hold is the one a side camera measured as one vehicle's, though the
 * other (a camera along the lane that saw several vehicles as one episode) has its middle
 * nearer; between two spans of the same kind the middle decides. */
static void test_measured_span_holds_its_time(void **state)
{
    (void)state;
    line_span own = {.start = 14.4, .end = 17.3, .from_side = true, .measured = true,
                     .one_vehicle = true};
    line_span along = {.start = 6.6, .end = 20.6};
    assert_true(line_span_nearer(&along, &own, 14.5, LINE_TRULY_THERE));
    assert_false(line_span_nearer(&own, &along, 14.5, LINE_TRULY_THERE));
    line_span unmeasured = own;
    unmeasured.measured = unmeasured.one_vehicle = false;
    assert_true(line_span_nearer(&unmeasured, &along, 14.5, LINE_TRULY_THERE)); /* 13.6 nearer */
    assert_true(line_span_nearer(&own, &along, 20.0, LINE_TRULY_THERE)); /* only along holds it */
}

/* A time between two vehicles, on the line with neither, is the nearer one's; when its camera
 * measured it late (it came towards a camera along the lane) the earlier one's, when early the
 * later one's. A time on the line with one is that one's whatever the lean. */
static void test_lean_between_two_vehicles(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 12, 12));
    line_vehicle *b = line_timeline_add_passage(tl, passage(SIDE, 1, 14, 16, 12));
    assert_true(line_timeline_nearer_other(tl, a, 13.5, LINE_TRULY_THERE)); /* b is nearer */
    assert_false(line_timeline_nearer_other(tl, a, 13.5, LINE_TRULY_EARLIER));
    assert_true(line_timeline_nearer_other(tl, b, 13.5, LINE_TRULY_EARLIER));
    assert_false(line_timeline_nearer_other(tl, a, 12.5, LINE_TRULY_THERE)); /* a is nearer */
    assert_true(line_timeline_nearer_other(tl, a, 12.5, LINE_TRULY_LATER));
    assert_false(line_timeline_nearer_other(tl, b, 12.5, LINE_TRULY_LATER));
    assert_false(line_timeline_nearer_other(tl, a, 11.0, LINE_TRULY_LATER));   /* on with a */
    assert_false(line_timeline_nearer_other(tl, b, 17.0, LINE_TRULY_EARLIER)); /* after both */
    line_timeline_free(tl);
    g_free(c);
}

/* A front camera's passage within a vehicle the side camera measured as one, with a passage
 * of that front camera already, is a second look; the other way too; without a measure it is
 * a vehicle of its own. A second look is no other vehicle for anyone. */
static void test_second_look(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 16, 20));
    line_timeline_add_passage(tl, passage(FRONT, 1, 10, 10.4, 0));
    line_vehicle *again = line_timeline_add_passage(tl, passage(FRONT, 1, 14, 14.4, 0));
    line_vehicle *back = line_timeline_add_passage(tl, passage(FRONT, -1, 15, 15.5, 0));
    /* the tail of a flat trailer, seen again just after the side camera saw it leave the
     * line (within the join window), and a passage further on */
    line_vehicle *tail = line_timeline_add_passage(tl, passage(FRONT, 1, 17.2, 17.6, 0));
    line_vehicle *later = line_timeline_add_passage(tl, passage(FRONT, 1, 17.6, 18.0, 0));
    assert_ptr_not_equal(again, a); /* a has a front passage already */
    assert_true(line_timeline_second_look(tl, again));
    assert_true(line_timeline_second_look(tl, back));
    assert_true(line_timeline_second_look(tl, tail));
    assert_false(line_timeline_second_look(tl, later));
    assert_int_equal(line_timeline_passages_within(tl, FRONT, 9, 17.4), 1); /* a's only */
    assert_false(line_timeline_second_look(tl, a));
    assert_false(line_timeline_nearer_other(tl, a, 14.2,
                                            LINE_TRULY_THERE)); /* `again` is no other vehicle */
    line_timeline_settle(tl, a, LINE_DECIDED);
    line_timeline_settle(tl, again, LINE_SECOND_LOOK);
    assert_true(line_timeline_second_look(tl, back)); /* the decided vehicle still counts */
    line_timeline_free(tl);

    tl = line_timeline_new(c, 1.5);
    line_timeline_add_passage(tl, passage(SIDE, 1, 10, 16, 0)); /* not measured */
    line_timeline_add_passage(tl, passage(FRONT, 1, 10, 10.4, 0));
    again = line_timeline_add_passage(tl, passage(FRONT, 1, 14, 14.4, 0));
    assert_false(line_timeline_second_look(tl, again));
    line_timeline_free(tl);
    g_free(c);
}

/* Plates of one camera along the lane 2 s apart split the vehicle: just before the later
 * front when they came towards the camera, just after the earlier rear when they went away;
 * plates 0.5 s apart are one vehicle. */
static void test_split_by_plates(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 16, 20));
    double bounds[4];
    line_plate_mark towards[] = {{FRONT, 13.0, true}, {FRONT, 11.0, true}};
    assert_int_equal(line_timeline_split(tl, a, towards, 2, NULL, 0, bounds, 4), 1);
    assert_true(fabs(bounds[0] - 12.5) < 1e-9);
    line_plate_mark away[] = {{FRONT, 11.0, false}, {FRONT, 13.0, false}};
    assert_int_equal(line_timeline_split(tl, a, away, 2, NULL, 0, bounds, 4), 1);
    assert_true(fabs(bounds[0] - 11.5) < 1e-9);
    line_plate_mark close[] = {{FRONT, 11.0, true}, {FRONT, 11.5, true}};
    assert_int_equal(line_timeline_split(tl, a, close, 2, NULL, 0, bounds, 4), 0);
    line_timeline_free(tl);
    g_free(c);
}

/* A vehicle measured longer than one, alone on the line, is split in the middle of the widest
 * gap of a second or more between its reads; measured as one, or sharing the line, it is
 * not. */
static void test_split_by_length(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    const double reads[] = {15.0, 10.2, 10.6, 12.0};
    double bounds[4];
    line_vehicle *one = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 16, 20));
    assert_int_equal(line_timeline_split(tl, one, NULL, 0, reads, 4, bounds, 4), 0);
    line_vehicle *two = line_timeline_add_passage(tl, passage(SIDE, -1, 30, 38, 35));
    const double later[] = {35.0, 30.2, 30.6, 32.0};
    assert_int_equal(line_timeline_split(tl, two, NULL, 0, later, 4, bounds, 4), 1);
    assert_true(fabs(bounds[0] - 33.5) < 1e-9);
    line_timeline_add_passage(tl, passage(SIDE, 1, 37, 40, 16)); /* on the line with it */
    assert_int_equal(line_timeline_split(tl, two, NULL, 0, later, 4, bounds, 4), 0);
    line_timeline_free(tl);
    g_free(c);
}

/* A side camera's passage measuring one vehicle takes in the vehicles that only cameras along
 * the lane passed within its span, by cameras it has no passage of: a night truck's lit rear
 * crossed in a moment, 2 s before the front camera's passage, too far apart to join, and the
 * side camera's passage, closing last, joined the front one. One further on stays its own. */
static void test_side_passage_takes_in_looks_along(void **state)
{
    (void)state;
    enum { REAR = N_CAMERAS };
    lane_config *c = fixture_config();
    c->n_cameras = 3;
    c->cameras[REAR].name = (char *)"rear";
    c->cameras[REAR].role = LANE_ROLE_REAR;
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *r = line_timeline_add_passage(tl, passage(REAR, 1, 10.0, 10.3, 0));
    line_vehicle *f = line_timeline_add_passage(tl, passage(FRONT, 1, 12.5, 13.0, 0));
    line_vehicle *later = line_timeline_add_passage(tl, passage(REAR, 1, 20.0, 20.3, 0));
    assert_ptr_not_equal(r, f);
    line_vehicle *v = line_timeline_add_passage(tl, passage(SIDE, 1, 10.1, 15.0, 12));
    assert_ptr_equal(v, f); /* the most overlap */
    assert_non_null(v->passages[REAR]);
    assert_true(v->span.cameras == 7u);
    assert_ptr_equal(line_timeline_oldest_pending(tl), v); /* r is gone, taken in */
    assert_int_equal(line_timeline_passages_within(tl, REAR, 0, 30), 2); /* v's and later's */
    assert_null(later->passages[SIDE]);
    line_timeline_free(tl);
    g_free(c);
}

/* A camera's episode that began before another vehicle left the line was that vehicle's until
 * then; one that began after, or a vehicle with nothing before it, keeps its own start; and
 * the mirror, for an episode that ran on after the next vehicle came onto the line. What a
 * camera passed that was no vehicle held the line too: a second look, a camera's noise; but
 * not a look at the vehicle itself. */
static void test_share_of_an_episode(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 11, 12));
    line_vehicle *b = line_timeline_add_passage(tl, passage(SIDE, 1, 16, 17, 12));
    assert_true(line_timeline_share_from(tl, b, 5.0) == 11.0);
    assert_true(line_timeline_share_from(tl, b, 12.0) == 12.0);
    assert_true(line_timeline_share_from(tl, a, 5.0) == 5.0);
    /* the mirror: an episode that ran on after the next vehicle came onto the line */
    assert_true(line_timeline_share_until(tl, a, 18.0) == 16.0);
    assert_true(line_timeline_share_until(tl, a, 14.0) == 14.0);
    assert_true(line_timeline_share_until(tl, b, 25.0) == 25.0);
    /* a look along the lane at a itself, just after it (its tail seen again), is a's own */
    line_timeline_add_passage(tl, passage(FRONT, 1, 10, 10.4, 0)); /* joins a */
    line_vehicle *own = line_timeline_add_passage(tl, passage(FRONT, 1, 11.5, 11.8, 0));
    assert_ptr_not_equal(own, a);
    line_timeline_settle(tl, own, LINE_SECOND_LOOK);
    assert_true(line_timeline_share_until(tl, a, 14.0) == 14.0);
    assert_true(line_timeline_share_from(tl, b, 5.0) == 11.8); /* but b's episode's not */
    line_timeline_settle(tl, a, LINE_DECIDED); /* decided, it still was on the line */
    assert_true(line_timeline_share_from(tl, b, 5.0) == 11.8);
    line_timeline_settle(tl, b, LINE_DECIDED);
    line_vehicle *look = line_timeline_add_passage(tl, passage(FRONT, 1, 16.5, 16.7, 0));
    line_vehicle *d = line_timeline_add_passage(tl, passage(SIDE, 1, 30, 31, 12));
    line_timeline_settle(tl, look, LINE_SECOND_LOOK);
    assert_true(line_timeline_share_from(tl, d, 16.6) == 17.0); /* b's end, the latest */
    line_vehicle *noise = line_timeline_add_passage(tl, passage(FRONT, 1, 18, 19, 0));
    line_timeline_settle(tl, noise, LINE_DECIDED);
    line_timeline_settle(tl, noise, LINE_NOISE);
    assert_true(line_timeline_share_from(tl, d, 16.6) == 19.0);
    line_timeline_free(tl);
    g_free(c);
}

/* A vehicle published from its reads alone answers for no other text; its texts are known as
 * published. */
static void test_seen_by_reads(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 13, 16));
    line_vehicle *r = line_timeline_add_seen_by_reads(tl, 14.5, 15.0, 1);
    line_vehicle_note_published(r, "MSKU1234565", 14.5);
    assert_false(line_timeline_nearer_other(tl, a, 14.8, LINE_TRULY_THERE));
    assert_false(line_timeline_near(tl, LINE_DECIDED, 14.8, 0.1));
    assert_ptr_equal(line_timeline_oldest_pending(tl), a); /* r was never pending */
    assert_true(line_timeline_published_near(tl, "MSKU1234565", 40, 30));
    assert_false(line_timeline_published_near(tl, "MSKU1234565", 50, 30));
    assert_false(line_timeline_published_near(tl, "MSKU1234566", 20, 30));
    line_timeline_free(tl);
    g_free(c);
}

/* Passages of a camera are counted in a window, a camera's noise not; a decided vehicle wholly
 * before the horizon is forgotten (with its passages and texts), a pending one never. */
static void test_forget(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(SIDE, 1, 10, 13, 16));
    line_vehicle *b = line_timeline_add_passage(tl, passage(SIDE, 1, 20, 23, 16));
    line_vehicle_note_published(a, "51F44614", 11);
    assert_int_equal(line_timeline_passages_within(tl, SIDE, 5, 25), 2);
    assert_int_equal(line_timeline_passages_within(tl, FRONT, 5, 25), 0);
    line_vehicle *noise = line_timeline_add_passage(tl, passage(FRONT, 1, 30, 31, 0));
    assert_int_equal(line_timeline_passages_within(tl, FRONT, 5, 35), 1); /* pending: counts */
    line_timeline_settle(tl, noise, LINE_DECIDED);
    line_timeline_settle(tl, noise, LINE_NOISE);
    assert_int_equal(line_timeline_passages_within(tl, FRONT, 5, 35), 0);
    assert_true(fabs(line_timeline_pending_since(tl) - 8) < 1e-9);
    line_timeline_forget(tl, 100); /* both pending */
    assert_int_equal(line_timeline_passages_within(tl, SIDE, 5, 25), 2);
    line_timeline_settle(tl, a, LINE_DECIDED);
    assert_true(fabs(line_timeline_pending_since(tl) - 18) < 1e-9);
    line_timeline_forget(tl, 15.0); /* a's passage ran to 15 s */
    assert_int_equal(line_timeline_passages_within(tl, SIDE, 5, 25), 2);
    line_timeline_forget(tl, 15.5);
    assert_int_equal(line_timeline_passages_within(tl, SIDE, 5, 25), 1);
    assert_false(line_timeline_published_near(tl, "51F44614", 11, 30));
    assert_false(line_timeline_nearer_other(tl, b, 12, LINE_TRULY_THERE));
    line_timeline_free(tl);
    g_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passages_join_one_vehicle),
        cmocka_unit_test(test_other_vehicles),
        cmocka_unit_test(test_nearer_vehicle),
        cmocka_unit_test(test_lean_between_two_vehicles),
        cmocka_unit_test(test_measured_span_holds_its_time),
        cmocka_unit_test(test_second_look),
        cmocka_unit_test(test_side_passage_takes_in_looks_along),
        cmocka_unit_test(test_split_by_plates),
        cmocka_unit_test(test_split_by_length),
        cmocka_unit_test(test_share_of_an_episode),
        cmocka_unit_test(test_seen_by_reads),
        cmocka_unit_test(test_forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
