/* sub_event — one crossing event as it arrives on the bus: the multipart message
 * [crossing.<gate>.<lane>, event JSON, JPEG...] taken apart, and its evidence checked
 * against the SHA-256 sums the event lists. Knows nothing of sockets or output. */
#ifndef GATECV_SUB_EVENT_H
#define GATECV_SUB_EVENT_H

#include <czmq.h>
#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct {
    char *topic;        /* crossing.<gate>.<lane> */
    char *json;         /* the event JSON as received (NUL-terminated) */
    JsonNode *root;     /* parsed `json` */
    JsonObject *object; /* root's object (owned by root) */
    gint64 seq;
    GPtrArray *jpegs; /* GBytes, frames 3.. in order */
} sub_event;

/* Takes the message apart (consuming it). FALSE, with an error naming the topic, when it is
 * not a crossing message with a JSON object carrying a seq of 1 or more. */
sub_event *sub_event_from_msg(zmsg_t **msg, GError **error);

void sub_event_free(sub_event *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sub_event, sub_event_free)

/* Checks the evidence: as many JPEG frames as `evidence` entries, each frame's SHA-256 equal
 * to its entry's `sha256`. Returns the number of problems and appends one message per problem
 * (naming seq and the evidence's number, 1 = first) to `problems`. */
guint sub_event_check_evidence(const sub_event *ev, GPtrArray *problems);

/* The `evidence` entry `i` (0-based), or NULL past its end or when it is not an object. */
JsonObject *sub_event_evidence(const sub_event *ev, guint i);

/* Small readers of a JSON object that tolerate missing and null members. */
const char *sub_json_string(JsonObject *o, const char *member);
gboolean sub_json_int(JsonObject *o, const char *member, gint64 *out);
JsonArray *sub_json_array(JsonObject *o, const char *member);
JsonObject *sub_json_object(JsonObject *o, const char *member);

/* Parses `text` (length `len`) as a JSON object; NULL with an error otherwise. */
JsonNode *sub_json_parse_object(const char *text, gssize len, GError **error);

#endif
