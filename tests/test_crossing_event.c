/*
 * test_crossing_event.c — pins the event writer: the JSON has every field of schema
 * gatecv.crossing/1 (checked against schema/gatecv.crossing-1.schema.json by
 * test_event_schema.sh on the file this test leaves), the evidence JPEGs come in the order
 * `evidence` lists them with their SHA-256, the event carries the seq it is given, a
 * manifest makes manifest_match and, for a contradicting verified read, `mismatch`; the
 * revisions of one vehicle share their event_id (a provisional and a final one are left for
 * test_event_schema.sh too), and a superseded item is marked and not matched.
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
#include "evidence_jpeg.h"

static lane_config config;
static lane_camera cam = {
    .name = "front", .role = LANE_ROLE_FRONT, .uri = "file:///x", .tripwire = {0, 0, 1, 1}};

static lane_crossing crossing(GBytes *evidence)
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
    GBytes *jpeg = evidence_jpeg_encode(img, &error); /* as a reader thread makes it */
    assert_non_null(jpeg);
    lane_crossing c = crossing(jpeg);
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
    assert_true(e->jpegs->pdata[0] == jpeg);           /* the reader's, not encoded again */
    const char *out = g_getenv("EVENT_TEST_DIR"); /* for test_event_schema.sh */
    if (out) {
        gchar *copy = g_build_filename(out, "event.json", NULL);
        g_file_set_contents(copy, e->json, -1, NULL);
        g_free(copy);
    }
    g_free(sha);
    g_object_unref(parser);
    crossing_event_free(e);
    g_bytes_unref(jpeg);
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
    JsonArray *reasons =
        json_object_get_array_member(json_object_get_object_member(o, "verification"), "reasons");
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

static void leave_for_schema_test(const char *name, const char *json)
{
    const char *out = g_getenv("EVENT_TEST_DIR"); /* for test_event_schema.sh */
    if (!out)
        return;
    gchar *path = g_build_filename(out, name, NULL);
    g_file_set_contents(path, json, -1, NULL);
    g_free(path);
}

/* One revision of vehicle `id` as the writer makes it: its event_id, revision and final. */
static void build_revision(event_writer *w, guint64 id, int revision, bool provisional, guint64 seq,
                           char **event_id, int *rev, gboolean *final, const char *leave_as)
{
    lane_crossing c = crossing(NULL);
    c.vehicle_id = id;
    c.revision = revision;
    c.provisional = provisional;
    if (!provisional) { /* the final adds a code and keeps the provisional's plate */
        c.n_containers = 2;
        c.containers[1] = c.containers[0];
        g_strlcpy(c.containers[1].read.text, "TGHU1234563", sizeof c.containers[1].read.text);
    }
    GError *error = NULL;
    crossing_event *e = event_writer_build(w, &c, seq, &error);
    assert_non_null(e);
    JsonParser *parser;
    JsonObject *o = parse(e->json, &parser);
    *event_id = g_strdup(json_object_get_string_member(o, "event_id"));
    *rev = (int)json_object_get_int_member(o, "revision");
    *final = json_object_get_boolean_member(o, "final");
    assert_int_equal(json_object_get_int_member(o, "seq"), seq);
    if (leave_as)
        leave_for_schema_test(leave_as, e->json);
    g_object_unref(parser);
    crossing_event_free(e);
}

/* The revisions of one vehicle share one event_id, with their revision numbers and `final`;
 * another vehicle's revisions in between have their own; after its final revision the writer
 * has forgotten the vehicle. A crossing without a vehicle identity (made by hand) is a final
 * revision 1 with an event_id of its own. */
static void test_revisions_share_event_id(void **state)
{
    (void)state;
    setup_config();
    event_writer *w = event_writer_new(&config, 0, NULL);
    char *id1, *id2, *id3, *other, *again, *loose1, *loose2;
    int r1, r2, r3, ro, ra, rl;
    gboolean f1, f2, f3, fo, fa, fl;
    build_revision(w, 5, 1, true, 1, &id1, &r1, &f1, "provisional.json");
    build_revision(w, 6, 1, true, 2, &other, &ro, &fo, NULL);
    build_revision(w, 5, 2, true, 3, &id2, &r2, &f2, NULL);
    build_revision(w, 5, 3, false, 4, &id3, &r3, &f3, "final.json");
    assert_string_equal(id1, id2);
    assert_string_equal(id1, id3);
    assert_string_not_equal(id1, other);
    assert_int_equal(r1, 1);
    assert_int_equal(r2, 2);
    assert_int_equal(r3, 3);
    assert_int_equal(ro, 1);
    assert_false(f1);
    assert_false(f2);
    assert_true(f3);
    assert_false(fo);
    build_revision(w, 5, 1, true, 5, &again, &ra, &fa, NULL);
    assert_string_not_equal(again, id1); /* forgotten with its final */
    lane_crossing c = crossing(NULL);    /* no vehicle_id, no revision */
    GError *error = NULL;
    crossing_event *e = event_writer_build(w, &c, 6, &error);
    JsonParser *parser;
    JsonObject *o = parse(e->json, &parser);
    loose1 = g_strdup(json_object_get_string_member(o, "event_id"));
    rl = (int)json_object_get_int_member(o, "revision");
    fl = json_object_get_boolean_member(o, "final");
    assert_int_equal(rl, 1);
    assert_true(fl);
    g_object_unref(parser);
    crossing_event_free(e);
    e = event_writer_build(w, &c, 7, &error);
    o = parse(e->json, &parser);
    loose2 = g_strdup(json_object_get_string_member(o, "event_id"));
    assert_string_not_equal(loose1, loose2);
    g_object_unref(parser);
    crossing_event_free(e);
    g_free(id1), g_free(id2), g_free(id3), g_free(other), g_free(again);
    g_free(loose1), g_free(loose2);
    event_writer_free(w);
}

/* An item an earlier revision told that this one no longer counts is `superseded` in the JSON
 * and not part of the manifest check: a superseded code not on the expected vehicle makes no
 * mismatch; the same code as the vehicle's own does. */
static void test_superseded_item(void **state)
{
    (void)state;
    setup_config();
    manifest *m = manifest_of("{\"request\":\"manifest\",\"vehicles\":[{\"id\":\"T1\","
                              "\"plate\":\"12C34567\",\"containers\":[\"TGHU1234563\"]}]}");
    event_writer *w = event_writer_new(&config, 0, m);
    GError *error = NULL;
    for (int told = ITEM_OWN; told <= ITEM_UNCONFIRMED; told++) {
        lane_crossing c = crossing(NULL);
        c.plates[0].enough_votes = true;
        c.n_containers = 2;
        c.containers[1] = c.containers[0]; /* MSKU1234565: not on T1 */
        c.containers[1].enough_votes = true;
        c.containers[1].told = (lane_item_told)told;
        g_strlcpy(c.containers[0].read.text, "TGHU1234563", sizeof c.containers[0].read.text);
        c.containers[0].enough_votes = true;
        crossing_event *e = event_writer_build(w, &c, (guint64)told + 1, &error);
        JsonParser *parser;
        JsonObject *o = parse(e->json, &parser);
        JsonArray *codes = json_object_get_array_member(o, "containers");
        assert_false(
            json_object_get_boolean_member(json_array_get_object_element(codes, 0), "superseded"));
        assert_int_equal(
            json_object_get_boolean_member(json_array_get_object_element(codes, 1), "superseded"),
            told != ITEM_OWN);
        assert_string_equal(status_of(o), told == ITEM_OWN ? "mismatch" : "verified");
        g_object_unref(parser);
        crossing_event_free(e);
    }
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
        cmocka_unit_test(test_revisions_share_event_id),
        cmocka_unit_test(test_superseded_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
