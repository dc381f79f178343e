/*
 * test_scenegen_queue.c — pins gatecv-scenegen's queue scenario (scenegen_queue): the same
 * seed gives the same queue; every vehicle stops at the barrier before the line, then crosses
 * it, in queue order; while one waits at the barrier the next waits close behind it; no two
 * ever overlap; the queue is never deeper than SG_QUEUE_MAX_DEPTH; and the front camera never
 * sees the lane empty from the first vehicle's drive-on to the last one's crossing (an empty
 * lane never parts two of them there: only pauses in their motion can).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "scenegen_queue.h"
#include "scenegen_scenario.h"
#include "scenegen_schedule.h"

#define STEP_S 0.02
#define AT_REST 1e-6 /* m/s */

/* The queue scenario of n vehicles, scheduled as gatecv-scenegen does; w to sg_world_clear. */
static void build(sg_world *w, int n, uint64_t seed, sg_camera cams[SG_N_CAMERAS])
{
    sg_scenario_build(w, SG_SCENARIO_QUEUE, n, 0, seed, (1u << SG_N_CONDITIONS) - 1);
    for (int c = 0; c < SG_N_CAMERAS; c++)
        sg_camera_init(&cams[c], (sg_role)c, 1280, 720);
    sg_schedule(w, cams);
}

static bool at_rest(const sg_vehicle *v, double t)
{
    return t >= v->t_start && fabs(sg_vehicle_speed(v, t)) < AT_REST;
}

static bool at_barrier(const sg_vehicle *v, double t)
{
    return at_rest(v, t) && fabs(sg_vehicle_front(v, t) - SG_QUEUE_BARRIER_P) < 0.01;
}

/* The last time v stands at the barrier, before it drives on; NAN if it never does. */
static double last_at_barrier(const sg_world *w, const sg_vehicle *v)
{
    double last = NAN;
    for (double t = 0; t < w->duration_s; t += STEP_S)
        if (at_barrier(v, t))
            last = t;
    return last;
}

static void test_same_seed_same_queue(void **state)
{
    (void)state;
    sg_world a = {0}, b = {0}, c = {0};
    sg_camera cams[SG_N_CAMERAS];
    build(&a, 4, 5, cams);
    build(&b, 4, 5, cams);
    build(&c, 4, 6, cams);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.n_groups, 1); /* one queue: the schedule keeps it together */
    bool other_differs = false;
    for (int i = 0; i < a.n; i++) {
        assert_true(a.vehicles[i].t_start == b.vehicles[i].t_start);
        assert_true(a.vehicles[i].tripwire_s == b.vehicles[i].tripwire_s);
        assert_string_equal(a.vehicles[i].plates[0].text.label, b.vehicles[i].plates[0].text.label);
        other_differs |= a.vehicles[i].tripwire_s != c.vehicles[i].tripwire_s;
    }
    assert_true(other_differs);
    sg_world_clear(&a);
    sg_world_clear(&b);
    sg_world_clear(&c);
}

static void test_each_stops_at_the_barrier_then_crosses_in_order(void **state)
{
    (void)state;
    sg_world w = {0};
    sg_camera cams[SG_N_CAMERAS];
    build(&w, 4, 5, cams);
    for (int i = 0; i < w.n; i++) {
        const sg_vehicle *v = &w.vehicles[i];
        assert_int_equal(v->direction, SG_VN_TO_CN);
        double go = last_at_barrier(&w, v);
        assert_false(isnan(go));
        assert_true(go < v->tripwire_s); /* it waits before the line, then crosses it */
        assert_true(v->tripwire_s < v->tripwire_clear_s);
        if (i > 0) /* the one ahead is over the line before this one reaches it */
            assert_true(w.vehicles[i - 1].tripwire_clear_s < v->tripwire_s);
    }
    sg_world_clear(&w);
}

static void test_next_waits_close_behind(void **state)
{
    (void)state;
    sg_world w = {0};
    sg_camera cams[SG_N_CAMERAS];
    build(&w, 4, 5, cams);
    for (int i = 0; i + 1 < w.n; i++) {
        const sg_vehicle *ahead = &w.vehicles[i], *next = &w.vehicles[i + 1];
        double go = last_at_barrier(&w, ahead);
        double gap = sg_vehicle_front(ahead, go) - ahead->length_m - sg_vehicle_front(next, go);
        assert_true(at_rest(next, go));
        assert_true(gap >= 1.5 && gap <= 3.5);
    }
    sg_world_clear(&w);
}

/* Seven vehicles: the queue fills up and the scenario's vehicle list goes round. */
static void test_never_overlap_nor_deeper_than_the_queue(void **state)
{
    (void)state;
    sg_world w = {0};
    sg_camera cams[SG_N_CAMERAS];
    build(&w, 7, 11, cams);
    int deepest = 0;
    for (double t = 0; t < w.duration_s; t += STEP_S) {
        int waiting = 0;
        for (int i = 0; i < w.n; i++) {
            const sg_vehicle *v = &w.vehicles[i];
            waiting += at_rest(v, t) && sg_vehicle_front(v, t) < 0;
            if (i == 0 || t < v->t_start)
                continue;
            const sg_vehicle *ahead = &w.vehicles[i - 1];
            double rear = sg_vehicle_front(ahead, t) - ahead->length_m;
            assert_true(sg_vehicle_front(v, t) <= rear - 1.5);
        }
        deepest = MAX(deepest, waiting);
    }
    assert_int_equal(deepest, SG_QUEUE_MAX_DEPTH);
    sg_world_clear(&w);
}

static void test_front_camera_never_sees_the_lane_empty(void **state)
{
    (void)state;
    sg_world w = {0};
    sg_camera cams[SG_N_CAMERAS];
    build(&w, 4, 5, cams);
    const sg_camera *front = &cams[SG_CAM_FRONT];
    sg_item *items = g_new(sg_item, sg_scene_capacity(w.n));
    int *cells = g_new(int, w.n);
    double from = last_at_barrier(&w, &w.vehicles[0]), to = w.vehicles[w.n - 1].tripwire_s;
    for (double t = from; t <= to; t += 0.04) { /* every frame at 25 fps */
        int k = sg_camera_scene(front, w.vehicles, w.n, t, items);
        sg_camera_visibility(front, items, k, cells, w.n);
        int seen = 0;
        for (int i = 0; i < w.n; i++)
            seen += cells[i] >= SG_VIS_MIN_CELLS;
        assert_true(seen > 0);
    }
    g_free(items);
    g_free(cells);
    sg_world_clear(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_queue),
        cmocka_unit_test(test_each_stops_at_the_barrier_then_crosses_in_order),
        cmocka_unit_test(test_next_waits_close_behind),
        cmocka_unit_test(test_never_overlap_nor_deeper_than_the_queue),
        cmocka_unit_test(test_front_camera_never_sees_the_lane_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
