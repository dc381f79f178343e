/*
 * test_verdict.c — pins each check of a vehicle's verdict: with nothing against it a vehicle
 * is verified; each reason is given when, and only when, its condition holds; a camera along
 * the lane is not asked about its passage when the side cameras measured one vehicle (and no
 * camera is asked about a vehicle no camera passed); reasons come in the table's order, each
 * plate's together, said once, at most LANE_MAX_REASONS; a plate or code an earlier revision
 * told that this one no longer counts is left out of the checks, and one that is no longer the
 * vehicle's at all is a reason of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "verdict.h"

enum { SIDE, FRONT, N_CAMERAS };

static lane_item plates[LANE_MAX_ITEMS], containers[LANE_MAX_ITEMS];
static verdict_camera cameras[N_CAMERAS];

static lane_item item(const char *camera, const char *text, bool valid, bool enough_votes)
{
    lane_item it = {.camera = camera, .frames = enough_votes ? 5 : 1};
    g_strlcpy(it.read.text, text, sizeof it.read.text);
    it.read.valid = valid;
    it.enough_votes = enough_votes;
    return it;
}

/* A truck both cameras passed, the side camera measured at 16 m, its front plate read well
 * and one container code read well: nothing against it. */
static verdict_vehicle good(void)
{
    cameras[SIDE] =
        (verdict_camera){.name = "side", .watching = true, .passed = true, .length_m = 16};
    cameras[FRONT] =
        (verdict_camera){.name = "front", .looks_along = true, .watching = true, .passed = true};
    plates[0] = item("front", "51F44614", true, true);
    containers[0] = item("side", "MSKU1234565", true, true);
    return (verdict_vehicle){.plates = plates,
                             .n_plates = 1,
                             .containers = containers,
                             .n_containers = 1,
                             .cameras = cameras,
                             .n_cameras = N_CAMERAS,
                             .seen = true,
                             .measured_one = true,
                             .max_vehicle_m = 28};
}

/* The verdict's reasons, joined by spaces ("" for none). */
static const char *reasons_of(const verdict_vehicle *v)
{
    static char joined[LANE_MAX_REASONS * 65];
    lane_verdict out = verdict_of(v);
    joined[0] = '\0';
    for (int i = 0; i < out.n_reasons; i++) {
        if (i)
            g_strlcat(joined, " ", sizeof joined);
        g_strlcat(joined, out.reasons[i], sizeof joined);
    }
    assert_string_equal(out.status, out.n_reasons ? "needs_review" : "verified");
    return joined;
}

static void test_nothing_against_it(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    lane_verdict out = verdict_of(&v);
    assert_string_equal(out.status, "verified");
    assert_int_equal(out.n_reasons, 0);
}

static void test_camera_disagrees(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[FRONT].disagrees = true;
    assert_string_equal(reasons_of(&v), "camera_disagrees:front");
}

static void test_no_passage_seen(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    v.seen = false;
    cameras[SIDE].passed = cameras[FRONT].passed = false; /* watching, but not asked */
    assert_string_equal(reasons_of(&v), "no_passage_seen");
}

static void test_no_plate_read(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    v.n_plates = 0;
    assert_string_equal(reasons_of(&v), "no_plate_read");
}

static void test_plate_not_valid(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    plates[0].read.valid = false;
    assert_string_equal(reasons_of(&v), "plate_not_valid:front");
}

static void test_plate_votes_below_threshold(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    plates[0].enough_votes = false;
    assert_string_equal(reasons_of(&v), "plate_votes_below_threshold:front");
}

static void test_container_votes_below_threshold(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    containers[0].enough_votes = false;
    assert_string_equal(reasons_of(&v), "container_votes_below_threshold:MSKU1234565");
}

static void test_cameras_disagree_on_container(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    containers[1] = item("front", "MSKU1234585", true, true); /* one character off */
    v.n_containers = 2;
    assert_string_equal(reasons_of(&v), "cameras_disagree_on_container:MSKU1234565");
    containers[1] = item("front", "TGHU7777775", true, true); /* another container */
    assert_string_equal(reasons_of(&v), "");
}

static void test_camera_saw_two_vehicles_in_view(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[SIDE].two_vehicle_frames = VERDICT_TWO_VEHICLE_FRAMES - 1;
    assert_string_equal(reasons_of(&v), "");
    cameras[SIDE].two_vehicle_frames = VERDICT_TWO_VEHICLE_FRAMES;
    assert_string_equal(reasons_of(&v), "camera_saw_two_vehicles:side");
}

static void test_passage_longer_than_a_vehicle(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[SIDE].length_m = 28; /* at the limit: still one */
    assert_string_equal(reasons_of(&v), "");
    cameras[SIDE].length_m = 31;
    assert_string_equal(reasons_of(&v), "passage_longer_than_a_vehicle:side");
}

static void test_others_passed_two(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[SIDE].others_passed_two = true;
    assert_string_equal(reasons_of(&v), "camera_saw_two_vehicles:side");
    cameras[SIDE].two_vehicle_frames = VERDICT_TWO_VEHICLE_FRAMES; /* both: said once */
    assert_string_equal(reasons_of(&v), "camera_saw_two_vehicles:side");
}

static void test_camera_saw_no_passage(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[SIDE].passed = false;
    assert_string_equal(reasons_of(&v), "camera_saw_no_passage:side");
    cameras[SIDE].watching = false; /* not running then: it could not have */
    assert_string_equal(reasons_of(&v), "");
}

/* A camera that was down (a live camera lost) while the vehicle was in view is named: the
 * vehicle is needs_review, whatever the others read (they stay in the event), and the camera
 * is not blamed for a passage it could not make. A camera along the lane is named too: it
 * might have read the plate. */
static void test_camera_down(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[SIDE].down = true;
    cameras[SIDE].passed = false;
    assert_string_equal(reasons_of(&v), "camera_down:side");
    cameras[SIDE].passed = true; /* down for part of the time only */
    assert_string_equal(reasons_of(&v), "camera_down:side");
    cameras[SIDE].down = false;
    cameras[FRONT].down = true;
    cameras[FRONT].passed = false;
    assert_string_equal(reasons_of(&v), "camera_down:front");
}

static void test_along_camera_excused_when_measured_one(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    cameras[FRONT].passed = false;
    assert_string_equal(reasons_of(&v), "");
    cameras[FRONT].passed = true;
    cameras[FRONT].two_vehicle_frames = VERDICT_TWO_VEHICLE_FRAMES;
    cameras[FRONT].others_passed_two = true;
    assert_string_equal(reasons_of(&v), "");
    v.measured_one = false; /* not measured as one vehicle: asked like any camera */
    assert_string_equal(reasons_of(&v), "camera_saw_two_vehicles:front");
    cameras[FRONT].passed = false;
    assert_string_equal(reasons_of(&v), "camera_saw_no_passage:front");
}

static void test_split_from_one_passage(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    v.split = true;
    assert_string_equal(reasons_of(&v), "split_from_one_passage");
}

/* The lane's presence sensor: one vehicle felt on the line gives its bounds, so no camera is
 * asked about its passage; none felt, or its way not seen, is said; a part the sensor parted
 * is no split for review. */
static void test_presence_sensor(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    v.measured_one = false;
    cameras[SIDE].passed = false;
    cameras[FRONT].two_vehicle_frames = VERDICT_TWO_VEHICLE_FRAMES;
    assert_string_equal(reasons_of(&v),
                        "camera_saw_two_vehicles:front camera_saw_no_passage:side");
    v.sensor_one = true;
    assert_string_equal(reasons_of(&v), "");
    assert_string_equal(verdict_of(&v).status, "verified");
    v.direction_guessed = true;
    assert_string_equal(reasons_of(&v), "direction_not_seen");
    v.direction_guessed = false;
    v.split = true;
    assert_string_equal(reasons_of(&v), "split_from_one_passage");
    v.parted_by_trigger = true;
    assert_string_equal(reasons_of(&v), "");
    v.sensor_one = false;
    v.trigger_saw_none = true;
    assert_string_equal(reasons_of(&v), "camera_saw_two_vehicles:front "
                                        "camera_saw_no_passage:side trigger_saw_no_vehicle");
}

static void test_order_and_limit(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    v.split = true;
    cameras[SIDE].passed = false;
    cameras[FRONT].disagrees = true;
    plates[1] = item("rear", "51F44615", false, false);
    v.n_plates = 2;
    plates[0].read.valid = false;
    plates[0].enough_votes = false;
    assert_string_equal(reasons_of(&v),
                        "camera_disagrees:front plate_not_valid:front "
                        "plate_votes_below_threshold:front plate_not_valid:rear "
                        "plate_votes_below_threshold:rear camera_saw_no_passage:side "
                        "split_from_one_passage");
    containers[0].enough_votes = false;
    containers[1] = item("front", "MSKU1234585", true, false);
    v.n_containers = 2;
    lane_verdict out = verdict_of(&v);
    assert_int_equal(out.n_reasons, LANE_MAX_REASONS); /* the first eight */
    assert_string_equal(out.reasons[6], "cameras_disagree_on_container:MSKU1234565");
    assert_string_equal(out.reasons[7], "container_votes_below_threshold:MSKU1234585");
}

/* An earlier revision's plate the vote now passes over (an invalid partial read) and code
 * another read replaced are not the vehicle's reads: nothing against it, and they do not stand
 * in for a missing plate. One no longer among the vehicle's texts at all is named. */
static void test_told_items(void **state)
{
    (void)state;
    verdict_vehicle v = good();
    plates[1] = item("front", "51F4461", false, false);
    plates[1].told = ITEM_OUTVOTED;
    containers[1] = item("side", "MSKU1234566", true, false);
    containers[1].told = ITEM_OUTVOTED;
    v.n_plates = v.n_containers = 2;
    assert_string_equal(reasons_of(&v), "");
    plates[0] = plates[1];
    v.n_plates = 1;
    assert_string_equal(reasons_of(&v), "no_plate_read");
    v = good();
    containers[1] = item("side", "TGHU9876544", true, true);
    containers[1].told = ITEM_UNCONFIRMED;
    v.n_containers = 2;
    assert_string_equal(reasons_of(&v), "provisional_text_unconfirmed:TGHU9876544");
    plates[1] = item("front", "29C12345", true, true);
    plates[1].told = ITEM_UNCONFIRMED;
    v.n_plates = 2;
    assert_string_equal(reasons_of(&v), "provisional_text_unconfirmed:29C12345 "
                                        "provisional_text_unconfirmed:TGHU9876544");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_against_it),
        cmocka_unit_test(test_camera_disagrees),
        cmocka_unit_test(test_no_passage_seen),
        cmocka_unit_test(test_no_plate_read),
        cmocka_unit_test(test_plate_not_valid),
        cmocka_unit_test(test_plate_votes_below_threshold),
        cmocka_unit_test(test_container_votes_below_threshold),
        cmocka_unit_test(test_cameras_disagree_on_container),
        cmocka_unit_test(test_camera_saw_two_vehicles_in_view),
        cmocka_unit_test(test_passage_longer_than_a_vehicle),
        cmocka_unit_test(test_others_passed_two),
        cmocka_unit_test(test_camera_saw_no_passage),
        cmocka_unit_test(test_camera_down),
        cmocka_unit_test(test_along_camera_excused_when_measured_one),
        cmocka_unit_test(test_split_from_one_passage),
        cmocka_unit_test(test_presence_sensor),
        cmocka_unit_test(test_order_and_limit),
        cmocka_unit_test(test_told_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
