/* sub_session — handling events once each, in seq order (see sub_session.h). */
#include "sub_session.h"
#include "sub_catchup.h"
#include "sub_cursor.h"
#include "sub_output.h"

#include <string.h>

void sub_session_init(sub_session *s, const sub_options *opts, zsock_t *sub, sub_requester *req)
{
    memset(s, 0, sizeof *s);
    s->opts = opts;
    s->sub = sub;
    s->req = req;
    g_queue_init(&s->live);
    s->last_event_ms = zclock_mono();
}

void sub_session_clear(sub_session *s)
{
    zmsg_t *msg;
    while ((msg = g_queue_pop_head(&s->live)))
        zmsg_destroy(&msg);
}

/* With --topic, only that lane's events are shown; the others still move last_seq on (the
 * journal's seqs are the box's, shared by its lanes). */
static gboolean wanted_topic(const sub_session *s, const char *topic, const char *prefix)
{
    const char *t = s->opts->topic;
    return !t || (g_str_has_prefix(topic, prefix) && strcmp(topic + strlen(prefix), t) == 0);
}

/* "I have everything up to seq": the box may drop it from then on (docs/bus.md, ack). */
static gboolean acknowledge(sub_session *s, gint64 seq, GError **error)
{
    JsonObject *request = json_object_new();
    json_object_set_string_member(request, "request", "ack");
    json_object_set_string_member(request, "consumer", s->opts->consumer);
    json_object_set_int_member(request, "seq", seq);
    JsonNode *reply = sub_request_call(s->req, request, s->sub, &s->live, NULL, error);
    json_object_unref(request);
    gboolean ok = reply && sub_request_expect(s->req, reply, "ack", error);
    if (reply)
        json_node_unref(reply);
    return ok;
}

/* Check, print and save: the parts that cannot end the run. */
static void show_and_save(sub_session *s, const sub_event *ev)
{
    GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
    guint bad = sub_event_check_evidence(ev, problems);
    for (guint i = 0; i < problems->len; i++)
        g_printerr("gatecv-sub: %s\n", (const char *)problems->pdata[i]);
    g_ptr_array_unref(problems);
    if (bad)
        s->exit_code = SUB_EXIT_EVIDENCE;
    sub_output_crossing(ev, bad, s->opts->json);

    GError *error = NULL;
    if (s->opts->save_dir && !sub_output_save(ev, s->opts->save_dir, &error)) {
        g_printerr("gatecv-sub: %s\n", error->message);
        g_error_free(error);
        s->exit_code = SUB_EXIT_EVIDENCE;
    }
}

gboolean sub_session_event(sub_session *s, sub_event *ev, GError **error)
{
    g_autoptr(sub_event) owned = ev;
    if (s->done || (s->started && ev->seq <= s->last_seq))
        return TRUE; /* de-duplication by seq (guarantee 4) */
    gboolean shown = wanted_topic(s, ev->topic, "crossing.");
    if (shown)
        show_and_save(s, ev);
    /* The cursor, then the acknowledgement: the box may drop what it was told we have, so
     * we must have it on disk first. */
    s->started = TRUE;
    s->last_seq = ev->seq;
    s->last_event_ms = zclock_mono();
    if (s->opts->cursor && !sub_cursor_store(s->opts->cursor, ev->seq, error))
        return FALSE;
    if (shown && s->opts->consumer && !acknowledge(s, ev->seq, error))
        return FALSE;
    if (shown && s->opts->count > 0 && ++s->handled >= (guint)s->opts->count)
        s->done = TRUE;
    return TRUE;
}

/* A live crossing: a seq past last_seq + 1 means events were missed (the subscription
 * was late, or the network dropped them): fetch those first, then this one falls out as a
 * duplicate or is handled in its turn. */
static gboolean live_crossing(sub_session *s, zmsg_t **msg, GError **error)
{
    GError *bad = NULL;
    sub_event *ev = sub_event_from_msg(msg, &bad);
    if (!ev) {
        g_printerr("gatecv-sub: %s\n", bad->message);
        g_error_free(bad);
        s->exit_code = SUB_EXIT_EVIDENCE;
        return TRUE;
    }
    if (s->started && ev->seq > s->last_seq + 1) {
        if (s->req) {
            if (!sub_catchup(s, s->last_seq + 1, error)) {
                sub_event_free(ev);
                return FALSE;
            }
        } else {
            g_printerr("gatecv-sub: warning: missed events %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                       " (give --request to fetch them)\n",
                       s->last_seq + 1, ev->seq - 1);
        }
    }
    return sub_session_event(s, ev, error);
}

gboolean sub_session_live(sub_session *s, zmsg_t **msg, GError **error)
{
    zframe_t *first = zmsg_first(*msg);
    char *topic = first ? zframe_strdup(first) : strdup("");
    gboolean ok = TRUE;
    if (g_str_has_prefix(topic, "crossing.")) {
        ok = live_crossing(s, msg, error);
    } else if (g_str_has_prefix(topic, "health.") && s->opts->health &&
               wanted_topic(s, topic, "health.")) {
        zframe_t *frame = zmsg_next(*msg);
        char *body = frame ? zframe_strdup(frame) : strdup("");
        sub_output_health(topic, body, s->opts->json);
        free(body);
    }
    free(topic);
    zmsg_destroy(msg);
    return ok;
}

gboolean sub_session_drain(sub_session *s, GError **error)
{
    zmsg_t *msg;
    while (!s->done && (msg = g_queue_pop_head(&s->live)))
        if (!sub_session_live(s, &msg, error))
            return FALSE;
    return TRUE;
}
