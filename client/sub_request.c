/* sub_request — one request, its reply, and what arrives meanwhile (see sub_request.h). */
#include "sub_request.h"
#include "sub_event.h"
#include "sub_options.h"
#include "sub_signal.h"
#include "sub_sockets.h"

#include <string.h>

/* The reply in a [reply, JSON] message, if it answers request `id`. A reply without "id" is
 * taken as the answer too (the box echoes ids; a box that did not would still work). */
static JsonNode *reply_for(zmsg_t *msg, gint64 id)
{
    zframe_t *body = zmsg_next(msg);
    if (!body)
        return NULL;
    JsonNode *root =
        sub_json_parse_object((const char *)zframe_data(body), (gssize)zframe_size(body), NULL);
    gint64 echoed = 0;
    if (root && sub_json_int(json_node_get_object(root), "id", &echoed) && echoed != id)
        g_clear_pointer(&root, json_node_unref); /* a stale reply: not ours */
    return root;
}

/* Files a message that came on the DEALER while the reply is due: a fetch's events go to
 * `events`; a reply to this request is returned; anything else is dropped. */
static JsonNode *take_dealer_message(zmsg_t *msg, gint64 id, GQueue *events)
{
    JsonNode *reply = NULL;
    zframe_t *first = zmsg_first(msg);
    if (first && zframe_streq(first, "reply"))
        reply = reply_for(msg, id);
    else if (first && events && zframe_size(first) > 9 &&
             memcmp(zframe_data(first), "crossing.", 9) == 0) {
        g_queue_push_tail(events, msg);
        return NULL;
    }
    zmsg_destroy(&msg);
    return reply;
}

/* Waits for the reply to request `id`, filing what else arrives. NULL with SUB_EXIT_REQUEST
 * after timeout_ms of silence from the box, or SUB_STOPPED on a signal. */
static JsonNode *wait_reply(sub_requester *r, gint64 id, const char *kind, zsock_t *sub,
                            GQueue *live, GQueue *events, GError **error)
{
    zpoller_t *poller = zpoller_new(r->dealer, sub, NULL);
    JsonNode *reply = NULL;
    gint64 deadline = zclock_mono() + r->timeout_ms;
    while (!reply) {
        if (sub_signal_stopped()) {
            g_set_error(error, SUB_ERROR, SUB_STOPPED, "stopped by a signal");
            break;
        }
        gint64 left = deadline - zclock_mono();
        if (left <= 0) {
            g_set_error(error, SUB_ERROR, SUB_EXIT_REQUEST,
                        "no reply from %s to the %s request within %d ms (is gatecvd running "
                        "there, and do the keys match?)",
                        r->endpoint, kind, r->timeout_ms);
            break;
        }
        void *which = zpoller_wait(poller, (int)MIN(left, 500));
        zmsg_t *msg = which ? zmsg_recv(which) : NULL; /* NULL: timeout or signal */
        if (msg && which == r->dealer) {
            reply = take_dealer_message(msg, id, events);
            deadline = zclock_mono() + r->timeout_ms; /* the box is talking: a long fetch */
        } else if (msg) {
            g_queue_push_tail(live, msg);
        }
    }
    zpoller_destroy(&poller);
    return reply;
}

/* A fresh DEALER socket: the request queued on the old one is dropped with it, so that a
 * box coming back does not find a pile of the same request (the Lazy Pirate pattern). */
static gboolean reopen(sub_requester *r, GError **error)
{
    zsock_destroy(&r->dealer);
    r->dealer = sub_sockets_dealer(r->opts, r->keys, error);
    return r->dealer != NULL;
}

JsonNode *sub_request_call(sub_requester *r, JsonObject *request, zsock_t *sub, GQueue *live,
                           GQueue *events, GError **error)
{
    gint64 id = ++r->next_id;
    json_object_set_int_member(request, "id", id);
    JsonNode *node = json_node_init_object(json_node_alloc(), request);
    char *text = json_to_string(node, FALSE);
    json_node_unref(node);
    const char *kind = json_object_get_string_member_with_default(request, "request", "?");

    JsonNode *reply = NULL;
    gboolean asked_again = FALSE;
    for (;;) {
        zstr_send(r->dealer, text);
        GError *silence = NULL;
        reply = wait_reply(r, id, kind, sub, live, events, &silence);
        if (reply || !r->retry || silence->code != SUB_EXIT_REQUEST) {
            if (silence)
                g_propagate_error(error, silence);
            break;
        }
        /* The box is down or restarting: fetch and ack can be asked again safely. */
        if (!asked_again)
            g_printerr("gatecv-sub: %s; asking again every %d ms\n", silence->message,
                       r->timeout_ms);
        asked_again = TRUE;
        g_error_free(silence);
        if (!reopen(r, error))
            break;
    }
    if (reply && asked_again)
        g_printerr("gatecv-sub: %s answered the %s request\n", r->endpoint, kind);
    g_free(text);
    return reply;
}

gboolean sub_request_expect(const sub_requester *r, JsonNode *reply, const char *kind,
                            GError **error)
{
    JsonObject *o = json_node_get_object(reply);
    const char *got = sub_json_string(o, "reply");
    if (g_strcmp0(got, kind) == 0)
        return TRUE;
    const char *why = sub_json_string(o, "error");
    g_set_error(error, SUB_ERROR, SUB_EXIT_REQUEST, "%s answered the %s request with %s%s%s",
                r->endpoint, kind, got ? got : "no reply kind", why ? ": " : "", why ? why : "");
    return FALSE;
}
