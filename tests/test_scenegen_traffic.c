/*
 * test_scenegen_traffic.c — pins gatecv-scenegen's gate traffic (scenegen_traffic, scheduled
 * as the generator schedules it): at `gate` a group comes every 20-90 s, line crossing to
 * line crossing; every vehicle stands 3-20 s at the barrier before it crosses; only one
 * vehicle is ever on the line; now and then a short queue of two or three waits close
 * behind; the light follows the lane clock from day through dusk to night and AGVs come
 * only in their hours, at night; --duration and --vehicles give what they say. At `peak`
 * trucks queue close behind each other for the duration. The same seed, the same traffic.
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
#include "scenegen_traffic.h"

#define STEP_S 0.02
#define AT_REST 1e-6 /* m/s */
#define ALL_CONDITIONS ((1u << SG_N_CONDITIONS) - 1)
#define N_SEEDS 6

/* A scenario built and scheduled as gatecv-scenegen does; w to sg_world_clear. */
static void build(sg_world *w, sg_scenario scenario, int n_vehicles, double duration, uint64_t seed,
                  unsigned conditions)
{
    sg_camera cams[SG_N_CAMERAS];
    sg_scenario_build(w, scenario, n_vehicles, duration, seed, conditions);
    for (int c = 0; c < SG_N_CAMERAS; c++)
        sg_camera_init(&cams[c], (sg_role)c, 1280, 720);
    sg_schedule(w, cams);
}

static void gate(sg_world *w, uint64_t seed)
{
    build(w, SG_SCENARIO_GATE, 0, 600, seed, ALL_CONDITIONS);
}

static bool at_barrier(const sg_vehicle *v, double t)
{
    return t >= v->t_start && fabs(sg_vehicle_speed(v, t)) < AT_REST &&
           fabs(sg_vehicle_front(v, t) - SG_QUEUE_BARRIER_P) < 0.01;
}

/* How long v stands at the barrier before it crosses; its last moment there into *go. */
static double barrier_stand(const sg_vehicle *v, double *go)
{
    double stand = 0;
    *go = NAN;
    for (double t = v->t_start; t < v->tripwire_s; t += STEP_S)
        if (at_barrier(v, t))
            stand += STEP_S, *go = t;
    return stand;
}

/* The last vehicle of the group that v[i] begins. */
static int group_end(const sg_world *w, int i)
{
    while (i + 1 < w->n && w->vehicles[i + 1].group == w->vehicles[i].group)
        i++;
    return i;
}

static void test_gate_groups_come_every_20_to_90_s(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        assert_true(w.n_groups >= 6);
        for (int i = group_end(&w, 0) + 1; i < w.n; i = group_end(&w, i) + 1) {
            double headway = w.vehicles[i].tripwire_s - w.vehicles[i - 1].tripwire_s;
            assert_true(headway >= SG_TRAFFIC_HEADWAY_MIN - 1e-6);
            assert_true(headway <= SG_TRAFFIC_HEADWAY_MAX + 1e-6);
            /* the schedule kept the due time the traffic gave it */
            assert_float_equal(headway, w.vehicles[i].headway_s, 1e-6);
        }
        sg_world_clear(&w);
    }
}

static void test_gate_each_stands_3_to_20_s_at_the_barrier(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        for (int i = 0; i < w.n; i++) {
            double go, stand = barrier_stand(&w.vehicles[i], &go);
            assert_true(stand >= SG_TRAFFIC_GATE_WAIT_MIN - 2 * STEP_S);
            assert_true(stand <= SG_TRAFFIC_GATE_WAIT_MAX + 2 * STEP_S);
            assert_true(go < w.vehicles[i].tripwire_s);
        }
        sg_world_clear(&w);
    }
}

static void test_gate_one_vehicle_on_the_line_at_a_time(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        for (int i = 0; i + 1 < w.n; i++)
            assert_true(w.vehicles[i].tripwire_clear_s < w.vehicles[i + 1].tripwire_s);
        for (double t = 0; t < w.duration_s; t += 0.04) {
            int on_line = 0;
            for (int i = 0; i < w.n; i++) {
                const sg_vehicle *v = &w.vehicles[i];
                double front = sg_vehicle_front(v, t);
                on_line += t >= v->t_start && front > 0 && front - v->length_m < 0;
            }
            assert_true(on_line <= 1);
        }
        sg_world_clear(&w);
    }
}

static void test_gate_short_queues_wait_close_behind(void **state)
{
    (void)state;
    int queues = 0;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        for (int i = 0; i < w.n; i = group_end(&w, i) + 1) {
            int size = group_end(&w, i) - i + 1;
            assert_true(size <= SG_TRAFFIC_MAX_GROUP);
            queues += size > 1;
            for (int k = i; k < i + size - 1; k++) {
                const sg_vehicle *ahead = &w.vehicles[k], *next = &w.vehicles[k + 1];
                double go;
                barrier_stand(ahead, &go);
                double gap =
                    sg_vehicle_front(ahead, go) - ahead->length_m - sg_vehicle_front(next, go);
                assert_true(fabs(sg_vehicle_speed(next, go)) < AT_REST);
                assert_true(gap >= 1.5 && gap <= 3.5);
                assert_int_equal(next->direction, ahead->direction);
            }
        }
        sg_world_clear(&w);
    }
    assert_true(queues >= 2); /* now and then, not never */
}

/* Each group's light is the lane clock's when its leader crosses; over ten minutes the light
 * goes day, dusk, night and never back. */
static void test_gate_light_follows_the_clock(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        bool seen[SG_N_CONDITIONS] = {false};
        for (int i = 0; i < w.n; i++) {
            const sg_vehicle *v = &w.vehicles[i];
            int leader = i;
            while (leader > 0 && w.vehicles[leader - 1].group == v->group)
                leader--;
            sg_condition light = sg_traffic_light(sg_traffic_clock(w.vehicles[leader].tripwire_s));
            assert_int_equal(v->condition, light);
            if (i > 0)
                assert_true(v->condition >= w.vehicles[i - 1].condition);
            seen[v->condition] = true;
        }
        assert_true(seen[SG_DAY] && seen[SG_DUSK] && seen[SG_NIGHT] && !seen[SG_RAIN]);
        sg_world_clear(&w);
    }
}

static void test_gate_agvs_only_in_their_hours(void **state)
{
    (void)state;
    int agvs = 0;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        build(&w, SG_SCENARIO_GATE, 0, 1200, seed, ALL_CONDITIONS); /* on till 23:30 */
        for (int i = 0; i < w.n; i++) {
            const sg_vehicle *v = &w.vehicles[i];
            if (v->kind != SG_AGV)
                continue;
            agvs++;
            assert_true(sg_traffic_agv_hours(sg_traffic_clock(v->tripwire_s)));
            assert_int_equal(v->condition, SG_NIGHT);
            assert_true(v->fleet_number[0] != '\0');
        }
        sg_world_clear(&w);
        /* without the night there are none */
        build(&w, SG_SCENARIO_GATE, 0, 1200, seed, 1u << SG_DAY | 1u << SG_DUSK);
        for (int i = 0; i < w.n; i++)
            assert_int_not_equal(w.vehicles[i].kind, SG_AGV);
        sg_world_clear(&w);
    }
    assert_true(agvs >= 3);
}

/* Trucks with plates and containers, cars and both directions: the mixed scenario's mix. */
static void test_gate_has_the_mixed_vehicles(void **state)
{
    (void)state;
    int kinds[3] = {0}, directions[2] = {0}, containers = 0;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        gate(&w, seed);
        for (int i = 0; i < w.n; i++) {
            const sg_vehicle *v = &w.vehicles[i];
            kinds[v->kind]++, directions[v->direction]++;
            containers += v->n_containers;
            assert_true(v->n_plates >= 1);
            assert_false(v->stops_and_reverses);
        }
        sg_world_clear(&w);
    }
    assert_true(kinds[SG_TRUCK] > kinds[SG_CAR] && kinds[SG_CAR] > 0 && kinds[SG_AGV] > 0);
    assert_true(directions[SG_VN_TO_CN] > 0 && directions[SG_CN_TO_VN] > 0);
    assert_true(containers > 0);
}

static void test_gate_duration_and_vehicles(void **state)
{
    (void)state;
    sg_world w = {0};
    gate(&w, 3);
    assert_true(w.duration_s >= 600 && w.duration_s <= 600 + 150);
    /* a group comes only after one that crossed within the 600 s */
    for (int i = group_end(&w, 0) + 1; i < w.n; i = group_end(&w, i) + 1)
        assert_true(w.vehicles[i - 1].tripwire_s <= 600);
    sg_world_clear(&w);
    build(&w, SG_SCENARIO_GATE, 5, 0, 3, ALL_CONDITIONS);
    assert_int_equal(w.n, 5);
    for (int i = 0; i < w.n; i++)
        assert_int_equal(w.vehicles[i].id, i + 1);
    sg_world_clear(&w);
}

static void test_peak_trucks_queue_for_the_duration(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
        sg_world w = {0};
        build(&w, SG_SCENARIO_PEAK, 0, 120, seed, ALL_CONDITIONS);
        assert_int_equal(w.n_groups, 1);
        assert_true(w.n >= 6);
        assert_true(w.duration_s >= 120);
        assert_true(w.vehicles[w.n - 1].tripwire_s <= 120);
        assert_true(w.vehicles[w.n - 1].tripwire_s - w.vehicles[0].tripwire_s >= 70);
        for (int i = 0; i < w.n; i++) {
            const sg_vehicle *v = &w.vehicles[i];
            double go, stand = barrier_stand(v, &go);
            assert_int_equal(v->kind, SG_TRUCK);
            assert_int_equal(v->condition, SG_DAY);
            assert_true(stand >= SG_TRAFFIC_PEAK_WAIT_MIN - 2 * STEP_S);
            assert_true(stand <= SG_TRAFFIC_PEAK_WAIT_MAX + 2 * STEP_S);
            if (i + 1 == w.n)
                continue;
            const sg_vehicle *next = &w.vehicles[i + 1];
            double gap = sg_vehicle_front(v, go) - v->length_m - sg_vehicle_front(next, go);
            assert_true(fabs(sg_vehicle_speed(next, go)) < AT_REST); /* waiting close behind */
            assert_true(gap >= 1.5 && gap <= 3.5);
            assert_true(v->tripwire_clear_s < next->tripwire_s);
        }
        sg_world_clear(&w);
    }
}

static void test_peak_at_night_when_told(void **state)
{
    (void)state;
    sg_world w = {0};
    build(&w, SG_SCENARIO_PEAK, 4, 0, 2, 1u << SG_NIGHT);
    assert_int_equal(w.n, 4);
    for (int i = 0; i < w.n; i++)
        assert_int_equal(w.vehicles[i].condition, SG_NIGHT);
    sg_world_clear(&w);
}

static void test_same_seed_same_traffic(void **state)
{
    (void)state;
    for (int peak = 0; peak < 2; peak++) {
        sg_scenario s = peak ? SG_SCENARIO_PEAK : SG_SCENARIO_GATE;
        double duration = peak ? 120 : 600;
        sg_world a = {0}, b = {0}, c = {0};
        build(&a, s, 0, duration, 9, ALL_CONDITIONS);
        build(&b, s, 0, duration, 9, ALL_CONDITIONS);
        build(&c, s, 0, duration, 10, ALL_CONDITIONS);
        assert_int_equal(a.n, b.n);
        assert_true(a.duration_s == b.duration_s);
        bool other_differs = a.n != c.n;
        for (int i = 0; i < a.n; i++) {
            assert_true(a.vehicles[i].tripwire_s == b.vehicles[i].tripwire_s);
            assert_int_equal(a.vehicles[i].kind, b.vehicles[i].kind);
            assert_string_equal(a.vehicles[i].plates[0].text.label,
                                b.vehicles[i].plates[0].text.label);
            other_differs |= i < c.n && a.vehicles[i].tripwire_s != c.vehicles[i].tripwire_s;
        }
        assert_true(other_differs);
        sg_world_clear(&a);
        sg_world_clear(&b);
        sg_world_clear(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate_groups_come_every_20_to_90_s),
        cmocka_unit_test(test_gate_each_stands_3_to_20_s_at_the_barrier),
        cmocka_unit_test(test_gate_one_vehicle_on_the_line_at_a_time),
        cmocka_unit_test(test_gate_short_queues_wait_close_behind),
        cmocka_unit_test(test_gate_light_follows_the_clock),
        cmocka_unit_test(test_gate_agvs_only_in_their_hours),
        cmocka_unit_test(test_gate_has_the_mixed_vehicles),
        cmocka_unit_test(test_gate_duration_and_vehicles),
        cmocka_unit_test(test_peak_trucks_queue_for_the_duration),
        cmocka_unit_test(test_peak_at_night_when_told),
        cmocka_unit_test(test_same_seed_same_traffic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
