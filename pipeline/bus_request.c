/*
 * bus_request.c — parses one request of the bus's request endpoint (bus_request.h).
 */
#include "bus_request.h"

#include <string.h>

/* A member that must be a whole number >= lo; FALSE (and *why set) otherwise. */
static gboolean get_count(JsonObject *o, const char *name, gint64 lo, gboolean required,
                          gint64 *out, char **why)
{
    JsonNode *n = json_object_get_member(o, name);
    if (!n) {
        if (required)
            *why = g_strdup_printf("\"%s\" is missing", name);
        return !required;
    }
    if (json_node_get_value_type(n) != G_TYPE_INT64 || json_node_get_int(n) < lo) {
        *why = g_strdup_printf("\"%s\" must be a whole number >= %" G_GINT64_FORMAT, name, lo);
        return FALSE;
    }
    *out = json_node_get_int(n);
    return TRUE;
}

/* *why = "PREFIX: *why" */
static gboolean prefixed(char **why, const char *prefix)
{
    char *inner = *why;
    *why = g_strdup_printf("%s: %s", prefix, inner);
    g_free(inner);
    return FALSE;
}

static gboolean parse_fetch(bus_request *r, char **why)
{
    if (!get_count(r->object, "from_seq", 1, TRUE, &r->from_seq, why) ||
        !get_count(r->object, "max", 1, FALSE, &r->max, why))
        return prefixed(why, "fetch");
    return TRUE;
}

static gboolean parse_ack(bus_request *r, char **why)
{
    JsonNode *name = json_object_get_member(r->object, "consumer");
    if (!name || json_node_get_value_type(name) != G_TYPE_STRING) {
        *why = g_strdup("ack: \"consumer\" must be a string");
        return FALSE;
    }
    if (!get_count(r->object, "seq", 0, TRUE, &r->seq, why))
        return prefixed(why, "ack");
    r->consumer = json_node_get_string(name);
    return TRUE;
}

/* {"request":"trigger","state":"present"|"gone"[,"at":"RFC 3339 time"]}: the lane's presence
 * sensor, as the lane controller saw it ("at": when, if not now). */
static gboolean parse_trigger(bus_request *r, char **why)
{
    JsonNode *state = json_object_get_member(r->object, "state");
    const char *s = state && json_node_get_value_type(state) == G_TYPE_STRING
                        ? json_node_get_string(state)
                        : "";
    r->present = strcmp(s, "present") == 0;
    if (!r->present && strcmp(s, "gone") != 0) {
        *why = g_strdup("trigger: \"state\" must be \"present\" or \"gone\"");
        return FALSE;
    }
    JsonNode *at = json_object_get_member(r->object, "at");
    if (!at)
        return TRUE;
    GDateTime *when = json_node_get_value_type(at) == G_TYPE_STRING
                          ? g_date_time_new_from_iso8601(json_node_get_string(at), NULL)
                          : NULL;
    if (!when) {
        *why = g_strdup("trigger: \"at\" must be an RFC 3339 time with its zone, e.g. "
                        "\"2026-12-03T18:30:00.250Z\"");
        return FALSE;
    }
    r->at_us = g_date_time_to_unix(when) * G_USEC_PER_SEC + g_date_time_get_microsecond(when);
    g_date_time_unref(when);
    return TRUE;
}

gboolean bus_request_parse(const char *data, gsize size, bus_request *r, char **why)
{
    memset(r, 0, sizeof *r);
    *why = NULL;
    r->parser = json_parser_new();
    GError *error = NULL;
    if (!json_parser_load_from_data(r->parser, data, (gssize)size, &error)) {
        *why = g_strdup_printf("not JSON: %s", error->message);
        g_error_free(error);
        return FALSE;
    }
    JsonNode *root = json_parser_get_root(r->parser);
    /* an empty or all-blank frame parses with no root: JSON_NODE_HOLDS_OBJECT(NULL) is a
     * GLib critical (found by fuzzing) */
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
        *why = g_strdup("a request is a JSON object");
        return FALSE;
    }
    r->object = json_node_get_object(root);
    JsonNode *id = json_object_get_member(r->object, "id");
    if (id && JSON_NODE_HOLDS_VALUE(id))
        r->id = id;
    JsonNode *kind = json_object_get_member(r->object, "request");
    const char *name =
        kind && json_node_get_value_type(kind) == G_TYPE_STRING ? json_node_get_string(kind) : NULL;
    if (!name) {
        *why = g_strdup("\"request\" is missing or not a string");
        return FALSE;
    }
    if (strcmp(name, "fetch") == 0) {
        r->kind = BUS_REQUEST_FETCH;
        return parse_fetch(r, why);
    }
    if (strcmp(name, "ack") == 0) {
        r->kind = BUS_REQUEST_ACK;
        return parse_ack(r, why);
    }
    if (strcmp(name, "status") == 0) {
        r->kind = BUS_REQUEST_STATUS;
        return TRUE;
    }
    if (strcmp(name, "manifest") == 0) {
        r->kind = BUS_REQUEST_MANIFEST;
        return TRUE;
    }
    if (strcmp(name, "trigger") == 0) {
        r->kind = BUS_REQUEST_TRIGGER;
        return parse_trigger(r, why);
    }
    *why = g_strdup_printf(
        "unknown request '%.64s' (expected fetch, ack, status, manifest or trigger)", name);
    return FALSE;
}

void bus_request_clear(bus_request *r)
{
    g_clear_object(&r->parser);
    r->object = NULL;
    r->id = NULL;
    r->consumer = NULL;
}
