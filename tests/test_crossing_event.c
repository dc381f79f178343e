/*
 * test_crossing_event.c — pins the event writer: the JSON has every field of schema
 * gatecv.crossing/1 (checked against schema/gatecv.crossing-1.schema.json by
 * test_event_schema.sh on the file this test leaves), the evidence JPEGs come in the order
 * `evidence` lists them with their SHA-256, the event carries the seq it is given, and a
 * manifest makes manifest_match and, for a contradicting verified read, `mismatch`.
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
    .name = "front", .role = LANE_ROLE_FRONT, .uri = "file:///x", .tripwire = {0, 0, 1, 1}};

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

static void setup_config(void)
{
    config.gate = "huu-nghi";
    config.lane = "freight-1";
    config.n_cameras = 1;
    config.cameras[0] = cam;
}

/* Every field is there with the right value; the evidence JPEG matches its SHA-256. */
static void test_event_fields_and_evidence(void **state)
{
    (void)state;
    setup_config();
    gint64 epoch = (gint64)1795442587 * G_USEC_PER_SEC; /* 2026-11-23T...Z */
    GError *error = NULL;
    event_writer *w = event_writer_new(&config, epoch, NULL);
    gcv_image *img = gcv_image_new(64, 32, 3);
    gcv_fill_rect(img, 8, 8, 20, 10, 255, 255, 255);
    lane_crossing c = crossing(img);
    crossing_event *e = event_writer_build(w, &c, 7, &error);
    assert_non_null(e);
    assert_null(strchr(e->json, '\n'));
    JsonParser *parser;
    JsonObject *o = parse(e->json, &parser);
    assert_string_equal(json_object_get_string_member(o, "schema"), "gatecv.crossing/1");
    assert_int_equal(json_object_get_int_member(o, "seq"), 7);
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
    assert_int_equal(e->jpegs->len, 1);
    JsonObject *first = json_array_get_object_element(ev, 0);
    gsize len = 0;
    const guchar *bytes = g_bytes_get_data(e->jpegs->pdata[0], &len);
    gchar *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes, len);
    assert_string_equal(sha, json_object_get_string_member(first, "sha256"));
    assert_true(bytes[0] == 0xff && bytes[1] == 0xd8); /* a JPEG */
    const char *out = g_getenv("EVENT_TEST_DIR"); /* for test_event_schema.sh */
    if (out) {
        gchar *copy = g_build_filename(out, "event.json", NULL);
        g_file_set_contents(copy, e->json, -1, NULL);
        g_free(copy);
    }
    g_free(sha);
    g_object_unref(parser);
    crossing_event_free(e);
    gcv_image_free(img);

    /* no picture, no evidence */
    lane_crossing c2 = crossing(NULL);
    e = event_writer_build(w, &c2, 8, &error);
    o = parse(e->json, &parser);
    assert_int_equal(json_object_get_int_member(o, "seq"), 8);
    assert_int_equal(json_array_get_length(json_object_get_array_member(o, "evidence")), 0);
    assert_int_equal(e->jpegs->len, 0);
    g_object_unref(parser);
    crossing_event_free(e);
    event_writer_free(w);
}

static manifest *manifest_of(const char *json)
{
    JsonParser *parser;
    JsonObject *request = parse(json, &parser);
    manifest *m = manifest_new();
    GError *error = NULL;
    assert_true(manifest_replace(m, request, &error));
    g_object_unref(parser);
    return m;
}

static const char *status_of(JsonObject *o)
{
    return json_object_get_string_member(json_object_get_object_member(o, "verification"),
                                         "status");
}

/* With a manifest: a verified event whose plate is expected exactly but whose verified
 * container is not on that vehicle goes out as `mismatch` with the reason; the expected
 * container keeps it verified. */
static void test_manifest_mismatch(void **state)
{
    (void)state;
    setup_config();
    manifest *m = manifest_of("{\"request\":\"manifest\",\"vehicles\":[{\"id\":\"T1\","
                              "\"plate\":\"12C34567\",\"containers\":[\"TGHU1234563\"]}]}");
    event_writer *w = event_writer_new(&config, 0, m);
    GError *error = NULL;
    lane_crossing c = crossing(NULL);
    c.plates[0].enough_votes = true;
    c.containers[0].enough_votes = true;
    crossing_event *e = event_writer_build(w, &c, 1, &error);
    JsonParser *parser;
    JsonObject *o = parse(e->json, &parser);
    assert_string_equal(status_of(o), "mismatch");
    JsonArray *reasons = json_object_get_array_member(
        json_object_get_object_member(o, "verification"), "reasons");
    assert_string_equal(json_array_get_string_element(reasons, 0),
                        "manifest_container_differs:MSKU1234565");
    JsonObject *match = json_object_get_object_member(o, "manifest_match");
    assert_string_equal(json_object_get_string_member(match, "vehicle_id"), "T1");
    g_object_unref(parser);
    crossing_event_free(e);
    event_writer_free(w);
    manifest_free(m);

    m = manifest_of("{\"request\":\"manifest\",\"vehicles\":[{\"id\":\"T1\","
                    "\"plate\":\"12C34567\",\"containers\":[\"MSKU1234565\"]}]}");
    w = event_writer_new(&config, 0, m);
    e = event_writer_build(w, &c, 2, &error);
    o = parse(e->json, &parser);
    assert_string_equal(status_of(o), "verified");
    g_object_unref(parser);
    crossing_event_free(e);
    event_writer_free(w);
    manifest_free(m);
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
        cmocka_unit_test(test_manifest_mismatch),
        cmocka_unit_test(test_time_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
