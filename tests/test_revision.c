/*
 * test_revision.c — pins what a vehicle's revisions told and how the next keeps it: every
 * plate (by camera and text) and code an earlier revision carried is in the next one; one the
 * vehicle's texts still hold but its vote passed over is kept as outvoted, one they no longer
 * hold as unconfirmed; a provisional revision that says nothing new (only more frames) is no
 * news, a new text or status is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "lane_text.h"
#include "revision.h"

static lane_config config;

static lane_item item(gatecv_read_kind kind, const char *camera, const char *text, int frames)
{
    lane_item it = {.camera = camera, .frames = frames, .enough_votes = frames >= 2};
    it.read.kind = kind;
    it.read.valid = true;
    g_strlcpy(it.read.text, text, sizeof it.read.text);
    return it;
}

static lane_text *text(gatecv_read_kind kind, int camera, const char *t)
{
    lane_text *v = lane_text_new(camera);
    v->best.kind = kind;
    g_strlcpy(v->best.text, t, sizeof v->best.text);
    v->frames = 3;
    return v;
}

static void setup(void)
{
    config.n_cameras = 2;
    config.cameras[0].name = "side";
    config.cameras[1].name = "front";
}

static void test_keep_what_was_told(void **state)
{
    (void)state;
    setup();
    vehicle_revisions r;
    revisions_init(&r);
    lane_crossing told = {.revision = 1, .provisional = true, .status = "needs_review"};
    told.plates[told.n_plates++] = item(READ_PLATE, "front", "51F4461", 1);
    told.containers[told.n_containers++] = item(READ_CONTAINER, "side", "MSKU1234565", 3);
    told.containers[told.n_containers++] = item(READ_CONTAINER, "side", "TGHU9876544", 2);
    revisions_note(&r, &told);
    assert_int_equal(r.revision, 1);

    /* the final: the front camera's vote chose the whole plate, the first code was read by
     * the front camera too (one item per code), the second went to another vehicle */
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    g_ptr_array_add(texts, text(READ_PLATE, 1, "51F44614"));
    g_ptr_array_add(texts, text(READ_PLATE, 1, "51F4461"));
    g_ptr_array_add(texts, text(READ_CONTAINER, 1, "MSKU1234565"));
    lane_crossing final = {.status = "verified"};
    final.plates[final.n_plates++] = item(READ_PLATE, "front", "51F44614", 6);
    final.containers[final.n_containers++] = item(READ_CONTAINER, "front", "MSKU1234565", 5);
    assert_int_equal(revisions_keep(&r, &config, texts, &final), 0);
    assert_int_equal(final.n_plates, 2);
    assert_string_equal(final.plates[1].read.text, "51F4461");
    assert_int_equal(final.plates[1].told, ITEM_OUTVOTED);
    assert_int_equal(final.plates[0].told, ITEM_OWN);
    assert_int_equal(final.n_containers, 2);
    assert_int_equal(final.containers[0].told, ITEM_OWN);
    assert_string_equal(final.containers[1].read.text, "TGHU9876544");
    assert_int_equal(final.containers[1].told, ITEM_UNCONFIRMED);
    assert_null(final.containers[1].evidence);

    /* the same plate text from another camera is not what the front camera told */
    lane_crossing other = {.status = "verified"};
    other.plates[other.n_plates++] = item(READ_PLATE, "side", "51F4461", 4);
    revisions_keep(&r, &config, texts, &other);
    assert_int_equal(other.n_plates, 2);
    assert_string_equal(other.plates[1].camera, "front");

    /* no room: counted, never written past the lists */
    lane_crossing full = {.status = "verified"};
    for (int i = 0; i < LANE_MAX_ITEMS; i++)
        full.containers[full.n_containers++] = item(READ_CONTAINER, "side", "ABCU0000000", 2);
    assert_int_equal(revisions_keep(&r, &config, texts, &full), 2); /* both codes */
    assert_int_equal(full.n_containers, LANE_MAX_ITEMS);
    g_ptr_array_free(texts, TRUE);
    revisions_clear(&r);
}

static void test_news(void **state)
{
    (void)state;
    vehicle_revisions r;
    revisions_init(&r);
    lane_crossing c = {.revision = 1, .provisional = true, .status = "needs_review"};
    c.containers[c.n_containers++] = item(READ_CONTAINER, "side", "MSKU1234565", 2);
    assert_true(revisions_news(&r, &c)); /* the first always is */
    revisions_note(&r, &c);
    c.containers[0].frames = 7; /* more frames of the same: no news */
    assert_false(revisions_news(&r, &c));
    c.status = "verified";
    assert_true(revisions_news(&r, &c));
    c.status = "needs_review";
    c.plates[c.n_plates++] = item(READ_PLATE, "front", "51F44614", 2);
    assert_true(revisions_news(&r, &c));
    revisions_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keep_what_was_told),
        cmocka_unit_test(test_news),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
