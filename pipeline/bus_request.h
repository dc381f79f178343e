/*
 * bus_request.h — parsing one request frame of the bus's request endpoint (docs/bus.md,
 * "Requests"): the JSON object, its "id" and "request" members, and the fields of fetch,
 * ack and trigger. Knows nothing of sockets or the journal: event_bus.c answers what this parses (a
 * manifest request's vehicles are checked by manifest_replace). Nothing here sends or prints.
 */
#ifndef GATECV_BUS_REQUEST_H
#define GATECV_BUS_REQUEST_H

#include <glib.h>
#include <json-glib/json-glib.h>

typedef enum {
    BUS_REQUEST_FETCH,
    BUS_REQUEST_ACK,
    BUS_REQUEST_STATUS,
    BUS_REQUEST_MANIFEST,
    BUS_REQUEST_TRIGGER,
} bus_request_kind;

typedef struct {
    JsonParser *parser; /* owns object and id */
    JsonObject *object; /* the request object; NULL when the frame is not one */
    JsonNode *id;       /* the client's "id" when a JSON value (echoed in the reply), or NULL */
    bus_request_kind kind;
    gint64 from_seq;      /* fetch: >= 1 */
    gint64 max;           /* fetch: >= 1, or 0 when not given */
    const char *consumer; /* ack: the consumer's name (in object) */
    gint64 seq;           /* ack: >= 0 */
    gboolean present;     /* trigger: "state" was "present" (else "gone") */
    gint64 at_us;         /* trigger: "at", µs since 1970 UTC; 0 when not given (now) */
} bus_request;

/* Parses the frame (size bytes, not NUL-terminated). TRUE when it is a known request with
 * sound fields. FALSE with *why (g_free) the error reply's text, e.g.
 * "fetch: \"from_seq\" must be a whole number >= 1"; r->id is set even then when the frame
 * was an object, so that the error reply carries it. Call bus_request_clear either way. */
gboolean bus_request_parse(const char *data, gsize size, bus_request *r, char **why);
void bus_request_clear(bus_request *r);

#endif
