/*
 * crossing_event.c — event JSON (json-glib) with its evidence JPEGs (encoded by the readers:
 * evidence_jpeg.h) and their SHA-256, in memory; the manifest check applied to each. Owns
 * the writer and the event_id of each vehicle whose final revision has not gone out yet;
 * the manifest belongs to the caller.
 */
#include "crossing_event.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "event_text.h"
#include "read_json.h"


struct event_writer {
    const lane_config *config;
    gint64 epoch_us;
    manifest *expected;
    GHashTable *ids; /* vehicle_id (guint64*) -> event_id, until its final revision */
};

event_writer *event_writer_new(const lane_config *config, gint64 epoch_us, manifest *expected)
{
    event_writer *w = g_new0(event_writer, 1);
    w->config = config;
    w->epoch_us = epoch_us;
    w->expected = expected;
    w->ids = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    return w;
}

void event_writer_free(event_writer *w)
{
    if (!w)
        return;
    g_hash_table_destroy(w->ids);
    g_free(w);
}

void crossing_event_free(crossing_event *e)
{
    if (!e)
        return;
    g_free(e->json);
    g_ptr_array_unref(e->jpegs);
    g_free(e);
}

char *event_time_string(gint64 epoch_us, double stream_t)
{
    return event_text_time(epoch_us + (gint64)(stream_t * 1e6));
}

static void add_plate(JsonBuilder *b, const lane_item *it)
{
    const gatecv_read *r = &it->read;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "text");
    json_builder_add_string_value(b, r->text);
    json_builder_set_member_name(b, "display");
    json_builder_add_string_value(b, r->display);
    json_builder_set_member_name(b, "country");
    if (gatecv_country_name(r->country))
        json_builder_add_string_value(b, gatecv_country_name(r->country));
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "layout");
    json_builder_add_string_value(b, r->layout == LAYOUT_TWO_LINE ? "two_line" : "one_line");
    json_builder_set_member_name(b, "camera");
    json_builder_add_string_value(b, it->camera);
    json_builder_set_member_name(b, "confidence");
    json_builder_add_double_value(b, read_json_round(r->confidence));
    json_builder_set_member_name(b, "frames");
    json_builder_add_int_value(b, it->frames);
    json_builder_set_member_name(b, "valid");
    json_builder_add_boolean_value(b, r->valid);
    json_builder_set_member_name(b, "superseded");
    json_builder_add_boolean_value(b, it->told != ITEM_OWN);
    read_json_add_polygon(b, r->quad);
    json_builder_end_object(b);
}

static void add_container(JsonBuilder *b, const lane_item *it)
{
    const gatecv_read *r = &it->read;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "code");
    json_builder_add_string_value(b, r->text);
    json_builder_set_member_name(b, "check_digit_ok");
    json_builder_add_boolean_value(b, r->valid);
    json_builder_set_member_name(b, "size_type");
    if (r->size_type[0])
        json_builder_add_string_value(b, r->size_type);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "camera");
    json_builder_add_string_value(b, it->camera);
    json_builder_set_member_name(b, "confidence");
    json_builder_add_double_value(b, read_json_round(r->confidence));
    json_builder_set_member_name(b, "frames");
    json_builder_add_int_value(b, it->frames);
    json_builder_set_member_name(b, "superseded");
    json_builder_add_boolean_value(b, it->told != ITEM_OWN);
    read_json_add_polygon(b, r->quad);
    json_builder_end_object(b);
}

/* A crossing made by hand (tests, tools) with no revision is its first. */
static int revision_of(const lane_crossing *c)
{
    return c->revision > 0 ? c->revision : 1;
}

/* The event_id of the crossing's vehicle: one for all its revisions, forgotten with the final
 * one; a fresh one for a crossing without a vehicle identity. g_free it. */
static char *event_id_of(event_writer *w, const lane_crossing *c)
{
    if (c->vehicle_id == 0)
        return g_uuid_string_random();
    const char *known = g_hash_table_lookup(w->ids, &c->vehicle_id);
    char *id = known ? g_strdup(known) : g_uuid_string_random();
    if (c->provisional && !known)
        g_hash_table_insert(w->ids, g_memdup2(&c->vehicle_id, sizeof c->vehicle_id), g_strdup(id));
    else if (!c->provisional && known)
        g_hash_table_remove(w->ids, &c->vehicle_id);
    return id;
}

/* Evidence of every item that has a frame: the JPEG in `jpegs` and an entry in
 * `evidence`; `file` is the name gatecv-sub saves it under. */
static void add_evidence(event_writer *w, JsonBuilder *b, const char *event_id,
                         const lane_crossing *c, GPtrArray *jpegs)
{
    json_builder_set_member_name(b, "evidence");
    json_builder_begin_array(b);
    for (int pass = 0; pass < 2; pass++) {
        const lane_item *items = pass == 0 ? c->plates : c->containers;
        int count = pass == 0 ? c->n_plates : c->n_containers;
        for (int i = 0; i < count; i++) {
            if (!items[i].evidence)
                continue;
            GBytes *jpeg = g_bytes_ref(items[i].evidence); /* encoded by its reader */
            g_ptr_array_add(jpegs, jpeg);
            const char *kind = pass == 0 ? "plate" : "container";
            char *name = g_strdup_printf("%s-r%d-%u-%s-%s.jpg", event_id, revision_of(c),
                                         jpegs->len, items[i].camera, kind);
            gsize size = 0;
            const guchar *data = g_bytes_get_data(jpeg, &size);
            char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);
            char *ts = event_time_string(w->epoch_us, items[i].evidence_t);
            json_builder_begin_object(b);
            event_text_add_string(b, "camera", items[i].camera);
            event_text_add_string(b, "kind", kind);
            event_text_add_string(b, "ts", ts);
            event_text_add_string(b, "sha256", sha);
            event_text_add_string(b, "file", name);
            json_builder_end_object(b);
            g_free(ts);
            g_free(sha);
            g_free(name);
        }
    }
    json_builder_end_array(b);
}

/* The manifest check: manifest_match, and the status `mismatch` with its reasons when a
 * verified read contradicts the vehicle the clearance system expected. */
static void add_manifest_match(event_writer *w, JsonBuilder *b, const lane_crossing *c,
                               const char **status, GPtrArray *reasons)
{
    JsonNode *match = NULL;
    if (w->expected) {
        manifest_read plates[LANE_MAX_ITEMS], codes[LANE_MAX_ITEMS];
        int n_plates = 0, n_codes = 0; /* the vehicle's own reads: superseded ones are not */
        for (int i = 0; i < c->n_plates; i++)
            if (c->plates[i].told == ITEM_OWN)
                plates[n_plates++] = (manifest_read){
                    c->plates[i].read.text, c->plates[i].read.valid && c->plates[i].enough_votes};
        for (int i = 0; i < c->n_containers; i++)
            if (c->containers[i].told == ITEM_OWN)
                codes[n_codes++] =
                    (manifest_read){c->containers[i].read.text,
                                    c->containers[i].read.valid && c->containers[i].enough_votes};
        gboolean mismatch = FALSE;
        gint64 exit_us = w->epoch_us + (gint64)(c->t_exit * 1e6);
        match = manifest_match(w->expected, exit_us, plates, n_plates, codes, n_codes, reasons,
                               &mismatch);
        if (mismatch)
            *status = "mismatch";
    }
    json_builder_set_member_name(b, "manifest_match");
    if (match)
        json_builder_add_value(b, match); /* takes it */
    else
        json_builder_add_null_value(b);
}

static void add_verification(JsonBuilder *b, const char *status, const lane_crossing *c,
                             GPtrArray *manifest_reasons)
{
    json_builder_set_member_name(b, "verification");
    json_builder_begin_object(b);
    event_text_add_string(b, "status", status);
    json_builder_set_member_name(b, "reasons");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_reasons; i++)
        json_builder_add_string_value(b, c->reasons[i]);
    for (guint i = 0; i < manifest_reasons->len; i++)
        json_builder_add_string_value(b, manifest_reasons->pdata[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

crossing_event *event_writer_build(event_writer *w, const lane_crossing *c, guint64 seq,
                                   GError **error)
{
    g_return_val_if_fail(seq > 0, NULL);
    (void)error; /* nothing can fail since the readers encode the evidence */
    char *event_id = event_id_of(w, c);
    char *enter = event_time_string(w->epoch_us, c->t_enter);
    char *exit_ = event_time_string(w->epoch_us, c->t_exit);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    event_text_add_string(b, "schema", "gatecv.crossing/1");
    event_text_add_string(b, "event_id", event_id);
    json_builder_set_member_name(b, "seq");
    json_builder_add_int_value(b, (gint64)seq);
    json_builder_set_member_name(b, "revision");
    json_builder_add_int_value(b, revision_of(c));
    json_builder_set_member_name(b, "final");
    json_builder_add_boolean_value(b, !c->provisional);
    event_text_add_string(b, "gate", w->config->gate);
    event_text_add_string(b, "lane", w->config->lane);
    event_text_add_string(b, "direction", lane_direction_name(c->direction));
    event_text_add_string(b, "ts_enter", enter);
    event_text_add_string(b, "ts_exit", exit_);
    json_builder_set_member_name(b, "vehicle");
    json_builder_begin_object(b);
    event_text_add_string(b, "kind", c->vehicle_kind);
    json_builder_set_member_name(b, "plates");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_plates; i++)
        add_plate(b, &c->plates[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "containers");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_containers; i++)
        add_container(b, &c->containers[i]);
    json_builder_end_array(b);
    const char *status = c->status;
    GPtrArray *manifest_reasons = g_ptr_array_new_with_free_func(g_free);
    add_manifest_match(w, b, c, &status, manifest_reasons);
    add_verification(b, status, c, manifest_reasons);
    GPtrArray *jpegs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    add_evidence(w, b, event_id, c, jpegs);
    json_builder_end_object(b);
    crossing_event *e = g_new0(crossing_event, 1);
    JsonNode *root = json_builder_get_root(b);
    e->json = json_node_to_string(root, FALSE);
    e->jpegs = g_ptr_array_ref(jpegs);
    e->status = strcmp(status, "mismatch") == 0   ? "mismatch"
                : strcmp(status, "verified") == 0 ? "verified"
                                                  : "needs_review";
    json_node_unref(root);
    g_ptr_array_unref(jpegs);
    g_ptr_array_unref(manifest_reasons);
    g_object_unref(b);
    g_free(enter);
    g_free(exit_);
    g_free(event_id);
    return e;
}
