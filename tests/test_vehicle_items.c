/*
 * test_vehicle_items.c — pins what a vehicle's texts say in its event (vehicle_items.c): each
 * camera's plate is its valid text with the most frames, a two-row plate's lower line read
 * alone counting for the whole; another valid plate of the same camera with `votes` frames is
 * listed after it and the camera disagrees; a valid plate other cameras read the same reaches
 * the vote threshold on their frames together; a code read by several cameras is one item with
 * their frames added up, and reaches the vote threshold on that sum; an AGV's fleet number is
 * no plate but makes the vehicle an AGV; a container's owner code read by a plate camera is
 * no plate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lane_text.h"
#include "vehicle_items.h"

enum { FRONT, REAR, N_CAMERAS };

static lane_config *config(void)
{
    lane_config *c = g_new0(lane_config, 1);
    c->n_cameras = N_CAMERAS;
    c->votes = 3;
    c->cameras[FRONT].name = (char *)"front";
    c->cameras[FRONT].role = LANE_ROLE_FRONT;
    c->cameras[REAR].name = (char *)"rear";
    c->cameras[REAR].role = LANE_ROLE_REAR;
    return c;
}

static lane_text *text(int camera, gatecv_read_kind kind, const char *s, bool valid, int frames)
{
    lane_text *v = lane_text_new(camera);
    v->best.kind = kind;
    g_strlcpy(v->best.text, s, sizeof v->best.text);
    v->best.valid = valid;
    v->best.confidence = 0.9f;
    v->frames = frames;
    return v;
}

static GPtrArray *texts_of(lane_text **v, int n)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    for (int i = 0; i < n; i++)
        g_ptr_array_add(texts, v[i]);
    return texts;
}

/* The valid plate with the most frames is the camera's own; an invalid one with more frames
 * is not; the lower line of a two-row plate read alone adds to the whole plate. */
static void test_plate_of_a_camera(void **state)
{
    (void)state;
    lane_config *c = config();
    lane_text *v[] = {
        text(FRONT, READ_PLATE, "12C3456", false, 9), text(FRONT, READ_PLATE, "桂J626SK", true, 2),
        text(FRONT, READ_PLATE, "桂J62658", true, 3), text(FRONT, READ_PLATE, "626SK", false, 2)};
    GPtrArray *texts = texts_of(v, 4);
    lane_crossing crossing = {0};
    verdict_camera cams[LANE_MAX_CAMERAS] = {0};
    assert_false(vehicle_items_fill(c, texts, &crossing, cams));
    assert_int_equal(crossing.n_plates, 2); /* its own, then the other valid one with votes */
    assert_string_equal(crossing.plates[0].read.text, "桂J626SK"); /* 2 + 2 frames */
    assert_string_equal(crossing.plates[1].read.text, "桂J62658");
    assert_string_equal(crossing.plates[0].camera, "front");
    assert_false(crossing.plates[0].enough_votes); /* its own frames: 2 of 3 */
    assert_true(cams[FRONT].disagrees);
    assert_false(cams[REAR].disagrees);
    vehicle_items_clear(&crossing);
    g_ptr_array_free(texts, TRUE);
    g_free(c);
}

/* A plate camera that read a container's owner code ("FVHU", not a valid plate) read the
 * container, not a plate: no plate of that camera. A text that is no part of a code read of
 * the vehicle, or digits only, or a valid plate, stays a plate. */
static void test_container_marking_is_no_plate(void **state)
{
    (void)state;
    lane_config *c = config();
    lane_text *v[] = {text(FRONT, READ_PLATE, "FVHU", false, 5),
                      text(REAR, READ_PLATE, "51F44614", true, 4),
                      text(REAR, READ_CONTAINER, "FVHU1752891", true, 4)};
    GPtrArray *texts = texts_of(v, 3);
    lane_crossing crossing = {0};
    verdict_camera cams[LANE_MAX_CAMERAS] = {0};
    vehicle_items_fill(c, texts, &crossing, cams);
    assert_int_equal(crossing.n_plates, 1);
    assert_string_equal(crossing.plates[0].read.text, "51F44614");
    assert_int_equal(crossing.n_containers, 1);
    vehicle_items_clear(&crossing);
    g_ptr_array_free(texts, TRUE);

    static const struct {
        const char *text;
        bool valid;
    } kept[] = {{"FVHX", false}, {"1752", false}, {"VHU", false}, {"FVHU17", true}};
    for (size_t i = 0; i < G_N_ELEMENTS(kept); i++) {
        lane_text *w[] = {text(FRONT, READ_PLATE, kept[i].text, kept[i].valid, 5),
                          text(REAR, READ_CONTAINER, "FVHU1752891", true, 4)};
        texts = texts_of(w, 2);
        lane_crossing k = {0};
        vehicle_items_fill(c, texts, &k, cams);
        assert_int_equal(k.n_plates, 1);
        assert_string_equal(k.plates[0].read.text, kept[i].text);
        vehicle_items_clear(&k);
        g_ptr_array_free(texts, TRUE);
    }
    g_free(c);
}

/* One code read by two cameras is one item, its frames summed and voted on the sum; a fleet
 * number read in `votes` frames makes an AGV and is no plate. */
static void test_codes_and_fleet_number(void **state)
{
    (void)state;
    lane_config *c = config();
    lane_text *v[] = {text(FRONT, READ_CONTAINER, "MSKU1234565", true, 2),
                      text(REAR, READ_CONTAINER, "MSKU1234565", true, 1),
                      text(REAR, READ_CONTAINER, "TGHU7654321", true, 1),
                      text(REAR, READ_PLATE, "AGV13", false, 3)};
    GPtrArray *texts = texts_of(v, 4);
    lane_crossing crossing = {0};
    verdict_camera cams[LANE_MAX_CAMERAS] = {0};
    assert_true(vehicle_items_fill(c, texts, &crossing, cams));
    assert_int_equal(crossing.n_plates, 0);
    assert_int_equal(crossing.n_containers, 2);
    assert_string_equal(crossing.containers[0].read.text, "MSKU1234565");
    assert_int_equal(crossing.containers[0].frames, 3);
    assert_true(crossing.containers[0].enough_votes);
    assert_false(crossing.containers[1].enough_votes);
    vehicle_items_clear(&crossing);
    assert_int_equal(crossing.n_containers, 0);
    g_ptr_array_free(texts, TRUE);
    g_free(c);
}

/* A valid plate that another camera read the same reaches the vote threshold on their frames
 * together (front 2 + rear 1 of 3); a plate no other camera read the same does not, nor does
 * an invalid read that agrees. */
static void test_plate_corroborated_by_another_camera(void **state)
{
    (void)state;
    const struct {
        const char *rear;
        bool valid, enough;
    } cases[] = {
        {"51F44614", false, false},
        {"51F44614", true, true},
        {"51F44644", true, false},
    };
    lane_config *c = config();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        lane_text *v[] = {text(FRONT, READ_PLATE, "51F44614", cases[i].valid, 2),
                          text(REAR, READ_PLATE, cases[i].rear, cases[i].valid, 1)};
        GPtrArray *texts = texts_of(v, 2);
        lane_crossing crossing = {0};
        verdict_camera cams[LANE_MAX_CAMERAS] = {0};
        vehicle_items_fill(c, texts, &crossing, cams);
        assert_int_equal(crossing.n_plates, 2);
        assert_int_equal(crossing.plates[0].frames, 2); /* each keeps its own frames */
        assert_int_equal(crossing.plates[1].frames, 1);
        assert_int_equal(crossing.plates[0].enough_votes, cases[i].enough);
        assert_int_equal(crossing.plates[1].enough_votes, cases[i].enough);
        vehicle_items_clear(&crossing);
        g_ptr_array_free(texts, TRUE);
    }
    g_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plate_of_a_camera),
        cmocka_unit_test(test_container_marking_is_no_plate),
        cmocka_unit_test(test_codes_and_fleet_number),
        cmocka_unit_test(test_plate_corroborated_by_another_camera),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
