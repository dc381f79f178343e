/*
 * test_manifest.c — pins the manifest check (pipeline/manifest.c, docs/bus.md "Manifest
 * check"): which expected vehicle a crossing's reads name, exact versus one_edit (counted in
 * Unicode characters, so a Chinese province character is one edit), the validity window, the
 * mismatch rule (plate exact + a verified container not on the vehicle, and only then), that
 * a bad manifest is refused with the field named and the old one kept, the file round trip,
 * and the 10000-vehicle limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "manifest.h"

/* VN-1: a Vietnamese truck with a trailer and two boxes, always valid. CN-1: a Chinese
 * truck, one box. NIGHT: valid 18:30-20:00 (+07:00) on 2026-11-23 only, no box. */
static const char *const fixture =
    "{\"request\":\"manifest\",\"vehicles\":["
    "{\"id\":\"VN-1\",\"plate\":\"12C34567\",\"trailer_plate\":\"12R01234\","
    "\"containers\":[\"MSKU1234565\",\"TGHU7654321\"],\"valid_from\":null,\"valid_until\":null},"
    "{\"id\":\"CN-1\",\"plate\":\"桂F12345\",\"containers\":[\"CSQU3054383\"]},"
    "{\"id\":\"NIGHT\",\"plate\":\"29C11111\",\"trailer_plate\":null,\"containers\":[],"
    "\"valid_from\":\"2026-11-23T18:30:00+07:00\",\"valid_until\":\"2026-11-23T20:00:00+07:00\"}"
    "]}";

#define NOON "2026-11-23T05:00:00Z" /* 12:00 at the gate: NIGHT is not valid */

static gint64 at(const char *rfc3339)
{
    GDateTime *dt = g_date_time_new_from_iso8601(rfc3339, NULL);
    assert_non_null(dt);
    gint64 us = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
    g_date_time_unref(dt);
    return us;
}

static JsonNode *parse(const char *json)
{
    GError *error = NULL;
    JsonNode *node = json_from_string(json, &error);
    assert_null(error);
    assert_non_null(node);
    return node;
}

static gboolean replace_with(manifest *m, const char *json, GError **error)
{
    JsonNode *node = parse(json);
    gboolean ok = manifest_replace(m, json_node_get_object(node), error);
    json_node_unref(node);
    return ok;
}

static manifest *fixture_manifest(void)
{
    manifest *m = manifest_new();
    GError *error = NULL;
    assert_true(replace_with(m, fixture, &error));
    assert_null(error);
    assert_int_equal(manifest_count(m), 3);
    return m;
}

/* One crossing's outcome: the manifest_match object, the reasons and the mismatch flag. */
typedef struct {
    JsonNode *node;
    JsonObject *o;
    GPtrArray *reasons;
    gboolean mismatch;
} outcome;

static outcome check(manifest *m, const char *ts, const manifest_read *plates, int n_plates,
                     const manifest_read *containers, int n_containers)
{
    outcome r = {0};
    r.reasons = g_ptr_array_new_with_free_func(g_free);
    r.node = manifest_match(m, at(ts), plates, n_plates, containers, n_containers, r.reasons,
                            &r.mismatch);
    assert_non_null(r.node);
    r.o = json_node_get_object(r.node);
    return r;
}

static void outcome_clear(outcome *r)
{
    json_node_unref(r->node);
    g_ptr_array_unref(r->reasons);
}

/* The string at o.member (NULL for a JSON null). */
static const char *str(JsonObject *o, const char *member)
{
    JsonNode *n = json_object_get_member(o, member);
    assert_non_null(n);
    return JSON_NODE_HOLDS_NULL(n) ? NULL : json_node_get_string(n);
}

static JsonObject *item(outcome *r, const char *array, guint i)
{
    JsonArray *a = json_object_get_array_member(r->o, array);
    assert_true(i < json_array_get_length(a));
    return json_array_get_object_element(a, i);
}

static guint count(outcome *r, const char *array)
{
    return json_array_get_length(json_object_get_array_member(r->o, array));
}

static void assert_pair(outcome *r, const char *array, guint i, const char *expected,
                        const char *read, const char *match)
{
    JsonObject *p = item(r, array, i);
    if (expected)
        assert_string_equal(str(p, "expected"), expected);
    else
        assert_null(str(p, "expected"));
    if (read)
        assert_string_equal(str(p, "read"), read);
    else
        assert_null(str(p, "read"));
    assert_string_equal(str(p, "match"), match);
}

static void assert_vehicle(outcome *r, const char *id, const char *result)
{
    if (id)
        assert_string_equal(str(r->o, "vehicle_id"), id);
    else
        assert_null(str(r->o, "vehicle_id"));
    assert_string_equal(str(r->o, "result"), result);
}

/* Every expected text read exactly: match, each pair exact, no reason, no mismatch. */
static void test_exact_match(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read plates[] = {{"12C34567", TRUE}, {"12R01234", TRUE}};
    manifest_read boxes[] = {{"TGHU7654321", TRUE}, {"MSKU1234565", TRUE}};
    outcome r = check(m, NOON, plates, 2, boxes, 2);
    assert_vehicle(&r, "VN-1", "match");
    assert_int_equal(count(&r, "plates"), 2);
    assert_pair(&r, "plates", 0, "12C34567", "12C34567", "exact");
    assert_pair(&r, "plates", 1, "12R01234", "12R01234", "exact");
    assert_int_equal(count(&r, "containers"), 2);
    assert_pair(&r, "containers", 0, "MSKU1234565", "MSKU1234565", "exact");
    assert_pair(&r, "containers", 1, "TGHU7654321", "TGHU7654321", "exact");
    assert_false(r.mismatch);
    assert_int_equal(r.reasons->len, 0);
    outcome_clear(&r);
    manifest_free(m);
}

/* One character substituted, inserted or deleted is one_edit, and never a match: the result
 * is partial. A Chinese province character counts as one character, not three bytes. */
static void test_one_edit(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read boxes[] = {{"MSKU1234565", TRUE}, {"TGHU7654321", TRUE}};
    const char *vn_reads[] = {"12C34568", "12C3456", "12C345677", "X12C34567"};
    for (size_t i = 0; i < G_N_ELEMENTS(vn_reads); i++) {
        manifest_read plates[] = {{vn_reads[i], TRUE}, {"12R01234", TRUE}};
        outcome r = check(m, NOON, plates, 2, boxes, 2);
        assert_vehicle(&r, "VN-1", "partial");
        assert_pair(&r, "plates", 0, "12C34567", vn_reads[i], "one_edit");
        assert_false(r.mismatch);
        outcome_clear(&r);
    }
    const char *cn_reads[] = {"贵F12345", "桂F1234", "F12345", "桂F12845"};
    for (size_t i = 0; i < G_N_ELEMENTS(cn_reads); i++) {
        manifest_read plates[] = {{cn_reads[i], TRUE}};
        outcome r = check(m, NOON, plates, 1, NULL, 0);
        assert_vehicle(&r, "CN-1", "partial");
        assert_pair(&r, "plates", 0, "桂F12345", cn_reads[i], "one_edit");
        assert_pair(&r, "containers", 0, "CSQU3054383", NULL, "missing");
        outcome_clear(&r);
    }
    manifest_free(m);
}

/* Two edits match nothing: with nothing else read the crossing is not_expected, with no
 * plates listed. */
static void test_two_edits(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    const char *reads[] = {"12C34588", "贵F12346", "桂F123", "12C3456XY"};
    for (size_t i = 0; i < G_N_ELEMENTS(reads); i++) {
        manifest_read plates[] = {{reads[i], TRUE}};
        outcome r = check(m, NOON, plates, 1, NULL, 0);
        assert_vehicle(&r, NULL, "not_expected");
        assert_int_equal(count(&r, "plates"), 0);
        assert_int_equal(count(&r, "containers"), 0);
        assert_false(r.mismatch);
        outcome_clear(&r);
    }
    manifest_free(m);
}

/* Of two vehicles a read is near, the one it matches exactly is named. */
static void test_exact_beats_one_edit(void **state)
{
    (void)state;
    manifest *m = manifest_new();
    assert_true(
        replace_with(m,
                     "{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[]},"
                     "{\"id\":\"B\",\"plate\":\"12C34568\",\"containers\":[]}]}",
                     NULL));
    manifest_read plates[] = {{"12C34568", TRUE}};
    outcome r = check(m, NOON, plates, 1, NULL, 0);
    assert_vehicle(&r, "B", "match");
    outcome_clear(&r);
    manifest_free(m);
}

/* A vehicle counts only inside [valid_from, valid_until] (both ends included). */
static void test_validity_window(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read plates[] = {{"29C11111", TRUE}};
    const char *outside[] = {"2026-11-23T11:29:59.999Z", "2026-11-23T13:00:00.001Z",
                             "2026-11-24T12:00:00Z"};
    for (size_t i = 0; i < G_N_ELEMENTS(outside); i++) {
        outcome r = check(m, outside[i], plates, 1, NULL, 0);
        assert_vehicle(&r, NULL, "not_expected");
        outcome_clear(&r);
    }
    const char *inside[] = {"2026-11-23T11:30:00Z", "2026-11-23T12:15:00Z",
                            "2026-11-23T20:00:00+07:00"};
    for (size_t i = 0; i < G_N_ELEMENTS(inside); i++) {
        outcome r = check(m, inside[i], plates, 1, NULL, 0);
        assert_vehicle(&r, "NIGHT", "match");
        outcome_clear(&r);
    }
    manifest_free(m);
}

/* A verified container read not on the vehicle whose plate matched exactly: mismatch, with
 * the reason naming the code; the read is listed as unexpected. */
static void test_container_differs(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read plates[] = {{"12C34567", TRUE}};
    manifest_read boxes[] = {{"MSKU1234565", TRUE}, {"APZU4812090", TRUE}};
    outcome r = check(m, NOON, plates, 1, boxes, 2);
    assert_vehicle(&r, "VN-1", "mismatch");
    assert_true(r.mismatch);
    assert_int_equal(r.reasons->len, 1);
    assert_string_equal(g_ptr_array_index(r.reasons, 0), "manifest_container_differs:APZU4812090");
    assert_int_equal(count(&r, "containers"), 3);
    assert_pair(&r, "containers", 0, "MSKU1234565", "MSKU1234565", "exact");
    assert_pair(&r, "containers", 1, "TGHU7654321", NULL, "missing");
    assert_pair(&r, "containers", 2, NULL, "APZU4812090", "unexpected");
    outcome_clear(&r);

    /* a verified code one edit from the declared one is a different code: mismatch too */
    manifest_read near[] = {{"MSKU1234566", TRUE}};
    r = check(m, NOON, plates, 1, near, 1);
    assert_vehicle(&r, "VN-1", "mismatch");
    assert_string_equal(g_ptr_array_index(r.reasons, 0), "manifest_container_differs:MSKU1234566");
    assert_pair(&r, "containers", 0, "MSKU1234565", "MSKU1234566", "one_edit");
    outcome_clear(&r);

    /* reasons and mismatch may be NULL */
    JsonNode *node = manifest_match(m, at(NOON), plates, 1, boxes, 2, NULL, NULL);
    assert_string_equal(str(json_node_get_object(node), "result"), "mismatch");
    json_node_unref(node);
    manifest_free(m);
}

/* Without a verified container read, or without the plate matched exactly, a code that is
 * not on the vehicle is only partial: no reason, no mismatch. */
static void test_container_differs_needs_verified_and_exact_plate(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read exact_plate[] = {{"12C34567", TRUE}};
    manifest_read unverified[] = {{"MSKU1234565", TRUE}, {"APZU4812090", FALSE}};
    outcome r = check(m, NOON, exact_plate, 1, unverified, 2);
    assert_vehicle(&r, "VN-1", "partial");
    assert_false(r.mismatch);
    assert_int_equal(r.reasons->len, 0);
    assert_pair(&r, "containers", 2, NULL, "APZU4812090", "unexpected");
    outcome_clear(&r);

    manifest_read near_plate[] = {{"12C34568", TRUE}};
    manifest_read verified[] = {{"MSKU1234565", TRUE}, {"APZU4812090", TRUE}};
    r = check(m, NOON, near_plate, 1, verified, 2);
    assert_vehicle(&r, "VN-1", "partial");
    assert_false(r.mismatch);
    assert_int_equal(r.reasons->len, 0);
    outcome_clear(&r);

    /* the trailer plate matched exactly names the vehicle as well */
    manifest_read trailer[] = {{"12R01234", TRUE}};
    r = check(m, NOON, trailer, 1, verified, 2);
    assert_vehicle(&r, "VN-1", "mismatch");
    assert_true(r.mismatch);
    outcome_clear(&r);
    manifest_free(m);
}

/* An expected container not read is missing: partial, not mismatch. So is a trailer plate
 * not read. A vehicle found by its container alone is partial too. */
static void test_missing_container(void **state)
{
    (void)state;
    manifest *m = fixture_manifest();
    manifest_read plates[] = {{"12C34567", TRUE}, {"12R01234", TRUE}};
    manifest_read boxes[] = {{"TGHU7654321", TRUE}};
    outcome r = check(m, NOON, plates, 2, boxes, 1);
    assert_vehicle(&r, "VN-1", "partial");
    assert_false(r.mismatch);
    assert_int_equal(r.reasons->len, 0);
    assert_pair(&r, "containers", 0, "MSKU1234565", NULL, "missing");
    assert_pair(&r, "containers", 1, "TGHU7654321", "TGHU7654321", "exact");
    outcome_clear(&r);

    r = check(m, NOON, NULL, 0, boxes, 1);
    assert_vehicle(&r, "VN-1", "partial");
    assert_pair(&r, "plates", 0, "12C34567", NULL, "missing");
    assert_pair(&r, "plates", 1, "12R01234", NULL, "missing");
    outcome_clear(&r);
    manifest_free(m);
}

/* No manifest: NULL, whether none was ever loaded or the file is missing. An empty manifest
 * is a manifest: every crossing is not_expected, its containers unexpected. */
static void test_no_manifest(void **state)
{
    (void)state;
    manifest *m = manifest_new();
    manifest_read plates[] = {{"12C34567", TRUE}};
    manifest_read boxes[] = {{"MSKU1234565", TRUE}};
    gboolean mismatch = TRUE;
    assert_int_equal(manifest_count(m), -1);
    assert_null(manifest_match(m, at(NOON), plates, 1, boxes, 1, NULL, &mismatch));
    assert_false(mismatch);

    GError *error = NULL;
    assert_true(manifest_load(m, "/nonexistent/gatecv/manifest.json", &error));
    assert_null(error);
    assert_int_equal(manifest_count(m), -1);
    assert_null(manifest_match(m, at(NOON), plates, 1, boxes, 1, NULL, NULL));

    assert_true(replace_with(m, "{\"request\":\"manifest\",\"vehicles\":[]}", NULL));
    assert_int_equal(manifest_count(m), 0);
    outcome r = check(m, NOON, plates, 1, boxes, 1);
    assert_vehicle(&r, NULL, "not_expected");
    assert_int_equal(count(&r, "plates"), 0);
    assert_pair(&r, "containers", 0, NULL, "MSKU1234565", "unexpected");
    assert_false(r.mismatch);
    outcome_clear(&r);
    manifest_free(m);
}

/* Each bad manifest is refused with an error naming the field, and the manifest in force
 * stays as it was. */
static void test_bad_manifests(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *error;
    } cases[] = {
        {"{\"request\":\"manifest\"}", "vehicles: missing"},
        {"{\"vehicles\":{}}", "vehicles: must be an array"},
        {"{\"vehicles\":[1]}", "vehicles[0]: must be an object"},
        {"{\"vehicles\":[{\"plate\":\"12C34567\",\"containers\":[]}]}", "vehicles[0].id: missing"},
        {"{\"vehicles\":[{\"id\":7,\"plate\":\"12C34567\",\"containers\":[]}]}",
         "vehicles[0].id: must be a string"},
        {"{\"vehicles\":[{\"id\":\"\",\"plate\":\"12C34567\",\"containers\":[]}]}",
         "vehicles[0].id: '' must be 1 to 64 characters"},
        {"{\"vehicles\":[{\"id\":\"0123456789012345678901234567890123456789012345678901234567890123"
         "4\",\"plate\":\"12C34567\",\"containers\":[]}]}",
         "vehicles[0].id: '0123456789012345678901234567890123456789…' must be 1 to 64"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[]},"
         "{\"id\":\"A\",\"plate\":\"29C11111\",\"containers\":[]}]}",
         "vehicles[1].id: 'A' is also the id of vehicles[0]"},
        {"{\"vehicles\":[{\"id\":\"A\",\"containers\":[]}]}", "vehicles[0].plate: missing"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":null,\"containers\":[]}]}",
         "vehicles[0].plate: must be a string, not null"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C-345.67\",\"containers\":[]}]}",
         "vehicles[0].plate: '12C-345.67' is not normalised plate text"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12c34567\",\"containers\":[]}]}",
         "vehicles[0].plate: '12c34567' is not normalised"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"桂F·12345\",\"containers\":[]}]}",
         "vehicles[0].plate: '桂F·12345' is not normalised"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"\",\"containers\":[]}]}",
         "vehicles[0].plate: '' is not normalised"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"trailer_plate\":5,"
         "\"containers\":[]}]}",
         "vehicles[0].trailer_plate: must be a string or null"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\"}]}",
         "vehicles[0].containers: missing"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":\"MSKU1234565\"}]}",
         "vehicles[0].containers: must be an array"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"1A\",\"containers\":[]},"
         "{\"id\":\"B\",\"plate\":\"1B\",\"containers\":[]},"
         "{\"id\":\"C\",\"plate\":\"1C\",\"containers\":[]},"
         "{\"id\":\"D\",\"plate\":\"1D\",\"containers\":[\"MSKU1234565\",\"MSKU123\"]}]}",
         "vehicles[3].containers[1]: 'MSKU123' is not an ISO 6346 code"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[\"MSKA1234565\"]}]}",
         "vehicles[0].containers[0]: 'MSKA1234565' is not an ISO 6346 code"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[42]}]}",
         "vehicles[0].containers[0]: must be a string"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\","
         "\"containers\":[\"MSKU1234565\",\"MSKU1234565\"]}]}",
         "vehicles[0].containers[1]: 'MSKU1234565' is listed twice"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[\"MSKU0000001\","
         "\"MSKU0000002\",\"MSKU0000003\",\"MSKU0000004\",\"MSKU0000005\",\"MSKU0000006\","
         "\"MSKU0000007\",\"MSKU0000008\",\"MSKU0000009\",\"MSKU0000010\",\"MSKU0000011\","
         "\"MSKU0000012\",\"MSKU0000013\",\"MSKU0000014\",\"MSKU0000015\",\"MSKU0000016\","
         "\"MSKU0000017\"]}]}",
         "vehicles[0].containers: 17 codes, at most 16"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"valid_from\":\"2026-11-23 18:30\"}]}",
         "vehicles[0].valid_from: '2026-11-23 18:30' is not an RFC 3339 time"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"valid_until\":\"2026-11-23T18:30:00\"}]}",
         "vehicles[0].valid_until: '2026-11-23T18:30:00' is not an RFC 3339 time"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"valid_until\":\"2026-13-23T18:30:00Z\"}]}",
         "vehicles[0].valid_until: '2026-13-23T18:30:00Z' is not an RFC 3339 time"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"valid_from\":1700000000}]}",
         "vehicles[0].valid_from: must be a string or null"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"valid_from\":\"2026-11-23T20:00:00+07:00\",\"valid_until\":\"2026-11-23T12:59:59Z\"}]}",
         "vehicles[0].valid_until: '2026-11-23T12:59:59Z' is before valid_from "
         "'2026-11-23T20:00:00+07:00'"},
        {"{\"vehicles\":[{\"id\":\"A\",\"plate\":\"12C34567\",\"containers\":[],"
         "\"colour\":\"red\"}]}",
         "vehicles[0]: unknown field 'colour'"},
    };
    manifest *m = fixture_manifest();
    manifest_read plates[] = {{"12C34567", TRUE}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *error = NULL;
        assert_false(replace_with(m, cases[i].json, &error));
        assert_non_null(error);
        assert_true(g_error_matches(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID));
        if (strstr(error->message, cases[i].error) != error->message) {
            fail_msg("case %zu: error \"%s\", wanted it to start \"%s\"", i, error->message,
                     cases[i].error);
        }
        g_error_free(error);
        assert_int_equal(manifest_count(m), 3);
        outcome r = check(m, NOON, plates, 1, NULL, 0);
        assert_vehicle(&r, "VN-1", "partial");
        outcome_clear(&r);
    }
    manifest_free(m);
}

static char *match_text(manifest *m, const char *ts, const manifest_read *plates, int n_plates,
                        const manifest_read *boxes, int n_boxes)
{
    JsonNode *node = manifest_match(m, at(ts), plates, n_plates, boxes, n_boxes, NULL, NULL);
    char *s = json_to_string(node, FALSE);
    json_node_unref(node);
    return s;
}

/* Saved and loaded, a manifest matches as before and saves to the same bytes; a bad file is
 * refused naming the file, the old manifest kept; saving no manifest removes the file. */
static void test_save_load(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("test_manifest-XXXXXX", NULL);
    assert_non_null(dir);
    char *path = g_build_filename(dir, "manifest.json", NULL);
    manifest *m = fixture_manifest();
    GError *error = NULL;
    assert_true(manifest_save(m, path, &error));
    assert_null(error);

    manifest *back = manifest_new();
    assert_true(manifest_load(back, path, &error));
    assert_null(error);
    assert_int_equal(manifest_count(back), 3);
    manifest_read plates[] = {{"桂F12345", TRUE}, {"29C11111", TRUE}};
    manifest_read boxes[] = {{"CSQU3054383", TRUE}, {"MSKU1234565", FALSE}};
    const char *times[] = {NOON, "2026-11-23T19:00:00+07:00"};
    for (size_t t = 0; t < G_N_ELEMENTS(times); t++) {
        for (int np = 0; np <= 2; np++) {
            char *a = match_text(m, times[t], plates + (np == 2), np == 0 ? 0 : 1, boxes, 2);
            char *b = match_text(back, times[t], plates + (np == 2), np == 0 ? 0 : 1, boxes, 2);
            assert_string_equal(a, b);
            g_free(a);
            g_free(b);
        }
    }
    char *first = NULL, *second = NULL;
    assert_true(g_file_get_contents(path, &first, NULL, NULL));
    char *path2 = g_build_filename(dir, "again.json", NULL);
    assert_true(manifest_save(back, path2, NULL));
    assert_true(g_file_get_contents(path2, &second, NULL, NULL));
    assert_string_equal(first, second);
    assert_non_null(strstr(first, "\"trailer_plate\":null"));
    char *tmp = g_strconcat(path, ".tmp", NULL);
    assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_free(tmp);

    /* a broken file: refused, naming the file; the manifest in force is kept */
    assert_true(g_file_set_contents(path2, "{\"vehicles\":[{\"id\":\"A\"}]}", -1, NULL));
    assert_false(manifest_load(back, path2, &error));
    assert_non_null(strstr(error->message, "again.json: vehicles[0].plate: missing"));
    g_clear_error(&error);
    assert_true(g_file_set_contents(path2, "not json", -1, NULL));
    assert_false(manifest_load(back, path2, &error));
    assert_non_null(strstr(error->message, "again.json: not JSON"));
    g_clear_error(&error);
    assert_int_equal(manifest_count(back), 3);

    /* no manifest saved is no file, and loads as no manifest */
    manifest *none = manifest_new();
    assert_true(manifest_save(none, path, &error));
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    assert_true(manifest_load(back, path, &error));
    assert_int_equal(manifest_count(back), -1);

    g_unlink(path2);
    g_rmdir(dir);
    g_free(first);
    g_free(second);
    g_free(path2);
    g_free(path);
    g_free(dir);
    manifest_free(none);
    manifest_free(back);
    manifest_free(m);
}

/* A manifest of n vehicles V0.. with plates 10A<n> (built, not typed). */
static JsonNode *many_vehicles(int n)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "vehicles");
    json_builder_begin_array(b);
    for (int i = 0; i < n; i++) {
        char id[16], plate[16];
        g_snprintf(id, sizeof id, "V%d", i);
        g_snprintf(plate, sizeof plate, "10A%05d", i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, id);
        json_builder_set_member_name(b, "plate");
        json_builder_add_string_value(b, plate);
        json_builder_set_member_name(b, "containers");
        json_builder_begin_array(b);
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    g_object_unref(b);
    return root;
}

/* 10000 vehicles are taken; 10001 are refused, the old manifest kept. */
static void test_vehicle_limit(void **state)
{
    (void)state;
    manifest *m = manifest_new();
    JsonNode *ok = many_vehicles(MANIFEST_MAX_VEHICLES);
    assert_true(manifest_replace(m, json_node_get_object(ok), NULL));
    assert_int_equal(manifest_count(m), 10000);
    manifest_read plates[] = {{"10A09999", TRUE}};
    outcome r = check(m, NOON, plates, 1, NULL, 0);
    assert_vehicle(&r, "V9999", "match");
    outcome_clear(&r);

    JsonNode *too_many = many_vehicles(MANIFEST_MAX_VEHICLES + 1);
    GError *error = NULL;
    assert_false(manifest_replace(m, json_node_get_object(too_many), &error));
    assert_string_equal(error->message, "vehicles: 10001 vehicles, at most 10000");
    g_error_free(error);
    assert_int_equal(manifest_count(m), 10000);
    json_node_unref(too_many);
    json_node_unref(ok);
    manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_match),
        cmocka_unit_test(test_one_edit),
        cmocka_unit_test(test_two_edits),
        cmocka_unit_test(test_exact_beats_one_edit),
        cmocka_unit_test(test_validity_window),
        cmocka_unit_test(test_container_differs),
        cmocka_unit_test(test_container_differs_needs_verified_and_exact_plate),
        cmocka_unit_test(test_missing_container),
        cmocka_unit_test(test_no_manifest),
        cmocka_unit_test(test_bad_manifests),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_vehicle_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
