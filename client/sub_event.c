/* sub_event — a crossing message taken apart and its evidence checked (see sub_event.h). */
#include "sub_event.h"

#include <string.h>

const char *sub_json_string(JsonObject *o, const char *member)
{
    JsonNode *n = o ? json_object_get_member(o, member) : NULL;
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : NULL;
}

gboolean sub_json_int(JsonObject *o, const char *member, gint64 *out)
{
    JsonNode *n = o ? json_object_get_member(o, member) : NULL;
    if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
        return FALSE;
    *out = json_node_get_int(n);
    return TRUE;
}

JsonArray *sub_json_array(JsonObject *o, const char *member)
{
    JsonNode *n = o ? json_object_get_member(o, member) : NULL;
    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

JsonObject *sub_json_object(JsonObject *o, const char *member)
{
    JsonNode *n = o ? json_object_get_member(o, member) : NULL;
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonNode *sub_json_parse_object(const char *text, gssize len, GError **error)
{
    JsonParser *parser = json_parser_new_immutable();
    JsonNode *root = NULL;
    if (json_parser_load_from_data(parser, text, len, error)) {
        root = json_parser_steal_root(parser);
        if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
            g_set_error_literal(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                                "not a JSON object");
            g_clear_pointer(&root, json_node_unref);
        }
    }
    g_object_unref(parser);
    return root;
}

/* A frame's bytes as GBytes (copied: the message is destroyed after). */
static GBytes *frame_bytes(zframe_t *f)
{
    return g_bytes_new(zframe_data(f), zframe_size(f));
}

sub_event *sub_event_from_msg(zmsg_t **msg, GError **error)
{
    sub_event *ev = g_new0(sub_event, 1);
    ev->jpegs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    ev->topic = zmsg_popstr(*msg);
    zframe_t *body = zmsg_pop(*msg);
    GError *parse_error = NULL;
    if (!ev->topic || !g_str_has_prefix(ev->topic, "crossing.") || !body) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                    "message on topic \"%s\": not a crossing message (topic, JSON, JPEG...)",
                    ev->topic ? ev->topic : "");
        goto fail;
    }
    ev->json = g_strndup((const char *)zframe_data(body), zframe_size(body));
    ev->root = sub_json_parse_object(ev->json, -1, &parse_error);
    if (!ev->root) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                    "message on topic %s: the event is not a JSON object: %s", ev->topic,
                    parse_error->message);
        g_error_free(parse_error);
        goto fail;
    }
    ev->object = json_node_get_object(ev->root);
    if (!sub_json_int(ev->object, "seq", &ev->seq) || ev->seq < 1) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                    "message on topic %s: the event has no seq of 1 or more", ev->topic);
        goto fail;
    }
    for (zframe_t *f = zmsg_first(*msg); f; f = zmsg_next(*msg))
        g_ptr_array_add(ev->jpegs, frame_bytes(f));
    zframe_destroy(&body);
    zmsg_destroy(msg);
    return ev;

fail:
    zframe_destroy(&body);
    zmsg_destroy(msg);
    sub_event_free(ev);
    return NULL;
}

void sub_event_free(sub_event *ev)
{
    if (!ev)
        return;
    g_free(ev->topic);
    g_free(ev->json);
    if (ev->root)
        json_node_unref(ev->root);
    g_ptr_array_unref(ev->jpegs);
    g_free(ev);
}

JsonObject *sub_event_evidence(const sub_event *ev, guint i)
{
    JsonArray *list = sub_json_array(ev->object, "evidence");
    if (!list || i >= json_array_get_length(list))
        return NULL;
    JsonNode *n = json_array_get_element(list, i);
    return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

guint sub_event_check_evidence(const sub_event *ev, GPtrArray *problems)
{
    JsonArray *list = sub_json_array(ev->object, "evidence");
    guint listed = list ? json_array_get_length(list) : 0;
    guint bad = 0;
    if (listed != ev->jpegs->len) {
        g_ptr_array_add(problems,
                        g_strdup_printf("seq %" G_GINT64_FORMAT ": the event lists %u evidence "
                                        "pictures but %u JPEG frames came with it",
                                        ev->seq, listed, ev->jpegs->len));
        bad++;
    }
    guint n = MIN(listed, ev->jpegs->len);
    for (guint i = 0; i < n; i++) {
        const char *expected = sub_json_string(sub_event_evidence(ev, i), "sha256");
        gsize size = 0;
        const guchar *data = g_bytes_get_data(ev->jpegs->pdata[i], &size);
        char *actual = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);
        if (!expected || g_ascii_strcasecmp(expected, actual) != 0) {
            g_ptr_array_add(problems,
                            g_strdup_printf("seq %" G_GINT64_FORMAT ": evidence %u of %u: "
                                            "SHA-256 %s, the event says %s",
                                            ev->seq, i + 1, listed, actual,
                                            expected ? expected : "nothing"));
            bad++;
        }
        g_free(actual);
    }
    return bad;
}
