/*
 * test_crossing_event.c — pins the event writer: the JSON has every field of schema
 * gatecv.crossing/1 (checked against schema/gatecv.crossing-1.schema.json by
 * test_event_schema.sh on the file this test leaves), evidence JPEGs are written with
 * their SHA-256, and seq goes on increasing across writers of the same folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "crossing_event.h"

static lane_config config;
static lane_camera cam = {
    .name = "front", .role = "front", .uri = "file:///x", .tripwire = {0, 0, 1, 1}};

static lane_crossing crossing(gcv_image *evidence)
{
    lane_crossing c = {0};
    c.t_enter = 1.0;
    c.t_exit = 4.5;
    c.t_cross = 3.0;
    c.direction = DIR_VN_TO_CN;
    c.vehicle_kind = "truck";
    c.status = "verified";
    c.n_plates = 1;
    c.plates[0].read.kind = READ_PLATE;
    c.plates[0].read.country = PLATE_VN;
    c.plates[0].read.valid = true;
    c.plates[0].read.confidence = 0.97f;
    g_strlcpy(c.plates[0].read.text, "12C34567", sizeof c.plates[0].read.text);
    g_strlcpy(c.plates[0].read.display, "12C-345.67", sizeof c.plates[0].read.display);
    c.plates[0].camera = "front";
    c.plates[0].frames = 4;
    c.plates[0].evidence = evidence;
    c.plates[0].evidence_t = 2.0;
    c.n_containers = 1;
    c.containers[0].read.kind = READ_CONTAINER;
    c.containers[0].read.valid = true;
    c.containers[0].read.confidence = 0.9f;
    g_strlcpy(c.containers[0].read.text, "MSKU1234565", sizeof c.containers[0].read.text);
    g_strlcpy(c.containers[0].read.size_type, "45G1", sizeof c.containers[0].read.size_type);
    c.containers[0].camera = "front";
    c.containers[0].frames = 3;
    return c;
}

static JsonObject *parse(const char *json, JsonParser **parser)
{
    *parser = json_parser_new();
    assert_true(json_parser_load_from_data(*parser, json, -1, NULL));
    return json_node_get_object(json_parser_get_root(*parser));
}

/* Every field is there with the right value; the evidence file matches its SHA-256. */
static void test_event_fields_and_evidence(void **state)
{
    (void)state;
    config.gate = "huu-nghi";
    config.lane = "freight-1";
    config.n_cameras = 1;
    config.cameras[0] = cam;
    const char *out = g_getenv("EVENT_TEST_DIR");
    gchar *dir = out ? g_strdup(out) : g_dir_make_tmp("gatecv-ev-XXXXXX", NULL);
    gint64 epoch = (gint64)1795442587 * G_USEC_PER_SEC; /* 2026-11-23T...Z */
    GError *error = NULL;
    event_writer *w = event_writer_new(&config, dir, epoch, &error);
    assert_non_null(w);
    gcv_image *img = gcv_image_new(64, 32, 3);
    gcv_fill_rect(img, 8, 8, 20, 10, 255, 255, 255);
    lane_crossing c = crossing(img);
    char *json = event_writer_write(w, &c, &error);
    assert_non_null(json);
    assert_null(strchr(json, '\n'));
    JsonParser *parser;
    JsonObject *o = parse(json, &parser);
    assert_string_equal(json_object_get_string_member(o, "schema"), "gatecv.crossing/1");
    assert_int_equal(json_object_get_int_member(o, "seq"), 1);
    assert_string_equal(json_object_get_string_member(o, "direction"), "VN_TO_CN");
    assert_string_equal(json_object_get_string_member(o, "gate"), "huu-nghi");
    assert_true(json_object_get_null_member(o, "manifest_match"));
    const char *enter = json_object_get_string_member(o, "ts_enter");
    assert_int_equal(strlen(enter), 24);
    assert_string_equal(enter + 19, ".000Z");
    JsonObject *vehicle = json_object_get_object_member(o, "vehicle");
    JsonObject *p =
        json_array_get_object_element(json_object_get_array_member(vehicle, "plates"), 0);
    assert_string_equal(json_object_get_string_member(p, "display"), "12C-345.67");
    assert_int_equal(json_object_get_int_member(p, "frames"), 4);
    JsonObject *k = json_array_get_object_element(json_object_get_array_member(o, "containers"), 0);
    assert_true(json_object_get_boolean_member(k, "check_digit_ok"));
    assert_string_equal(json_object_get_string_member(k, "size_type"), "45G1");
    JsonArray *ev = json_object_get_array_member(o, "evidence");
    assert_int_equal(json_array_get_length(ev), 1);
    JsonObject *e = json_array_get_object_element(ev, 0);
    gchar *file = g_build_filename(dir, json_object_get_string_member(e, "file"), NULL);
    gchar *bytes = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(file, &bytes, &len, NULL));
    gchar *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)bytes, len);
    assert_string_equal(sha, json_object_get_string_member(e, "sha256"));
    assert_true((guchar)bytes[0] == 0xff && (guchar)bytes[1] == 0xd8); /* a JPEG */
    gchar *copy = g_build_filename(dir, "event.json", NULL);
    g_file_set_contents(copy, json, -1, NULL);
    g_free(copy);
    g_free(sha);
    g_free(bytes);
    g_free(file);
    g_object_unref(parser);
    g_free(json);
    gcv_image_free(img);
    event_writer_free(w);

    /* a new writer on the same folder goes on from the last seq */
    w = event_writer_new(&config, dir, epoch, &error);
    lane_crossing c2 = crossing(NULL);
    json = event_writer_write(w, &c2, &error);
    o = parse(json, &parser);
    assert_int_equal(json_object_get_int_member(o, "seq"), 2);
    assert_int_equal(json_array_get_length(json_object_get_array_member(o, "evidence")), 0);
    g_object_unref(parser);
    g_free(json);
    event_writer_free(w);
    g_free(dir);
}

/* Times are RFC 3339 UTC with milliseconds. */
static void test_time_string(void **state)
{
    (void)state;
    char *s = event_time_string(0, 1.2345);
    assert_string_equal(s, "1970-01-01T00:00:01.234Z");
    g_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_fields_and_evidence),
        cmocka_unit_test(test_time_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
