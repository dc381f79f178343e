/* sub_request — requests to the box's ROUTER endpoint over a DEALER socket: one JSON frame
 * out, messages back until the [reply, JSON] that answers it (docs/bus.md, "Requests").
 * While it waits it keeps whatever else arrives, so no live event is lost meanwhile. */
#ifndef GATECV_SUB_REQUEST_H
#define GATECV_SUB_REQUEST_H

#include <czmq.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "sub_sockets.h"

typedef struct {
    zsock_t *dealer;         /* owned; replaced when a request is asked again */
    const char *endpoint;    /* for messages */
    int timeout_ms;          /* the longest silence of the box while a reply is due */
    gint64 next_id;          /* "id" of the next request */
    gboolean retry;          /* ask again on a fresh socket after a timeout, until answered */
    const sub_options *opts; /* to open a fresh socket */
    const sub_keys *keys;
} sub_requester;

/* Sends `request` (a JSON object; an "id" member is set) and returns the root of its reply
 * (an object, whatever its "reply" kind). While waiting, messages on `sub` (may be NULL) are
 * pushed on `live`, and crossing messages on the DEALER (a fetch's events) on `events` (may
 * be NULL), both as zmsg_t. When the box is silent for timeout_ms: with `retry`, a warning
 * naming the endpoint (once) and the request is sent again on a fresh socket; without, the
 * error SUB_EXIT_REQUEST naming the endpoint. SUB_STOPPED when a signal came. */
JsonNode *sub_request_call(sub_requester *r, JsonObject *request, zsock_t *sub, GQueue *live,
                           GQueue *events, GError **error);

/* Checks that `reply` is of kind `kind` ("fetch", "ack", ...); else an error
 * (SUB_EXIT_REQUEST) naming the endpoint and quoting the box's error. */
gboolean sub_request_expect(const sub_requester *r, JsonNode *reply, const char *kind,
                            GError **error);

#endif
