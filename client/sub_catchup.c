/* sub_catchup — fetch from a seq to the end of the journal (see sub_catchup.h). */
#include "sub_catchup.h"

/* How many events one fetch asks for (the box may send fewer: its [bus] max_fetch). */
#define FETCH_BATCH 100

/* The seq range a fetch reply reports, with "null" (no event) as FALSE in has_*. */
typedef struct {
    gint64 count, first, last, journal_first, journal_last;
    gboolean has_first, has_last, has_journal_first, has_journal_last;
} FetchReply;

static gboolean read_fetch_reply(const sub_requester *r, JsonNode *node, FetchReply *f,
                                 GError **error)
{
    if (!sub_request_expect(r, node, "fetch", error))
        return FALSE;
    JsonObject *o = json_node_get_object(node);
    f->has_first = sub_json_int(o, "first_seq", &f->first);
    f->has_last = sub_json_int(o, "last_seq", &f->last);
    f->has_journal_first = sub_json_int(o, "journal_first_seq", &f->journal_first);
    f->has_journal_last = sub_json_int(o, "journal_last_seq", &f->journal_last);
    if (!sub_json_int(o, "count", &f->count) || f->count < 0 ||
        (f->count > 0 && (!f->has_first || !f->has_last || f->last < f->first))) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_REQUEST,
                    "%s: a fetch reply without a sensible count, first_seq and last_seq",
                    r->endpoint);
        return FALSE;
    }
    return TRUE;
}

/* Guarantee 3: a fetch that starts past the seq asked for means the events in between were
 * pruned from the journal. They cannot be had any more: say which, and end the run. */
static gboolean check_gap(const FetchReply *f, gint64 from_seq, GError **error)
{
    gint64 held_from = 0;
    if (f->count > 0 && f->first > from_seq)
        held_from = f->first;
    else if (f->count == 0 && f->has_journal_first && f->journal_first > from_seq)
        held_from = f->journal_first;
    if (held_from == 0)
        return TRUE;
    g_set_error(error, SUB_ERROR, SUB_EXIT_GAP,
                "gap: events %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                " are no longer held by the box",
                from_seq, held_from - 1);
    return FALSE;
}

/* One fetch: its events handled in the order they came (seq order), then its reply read. */
static gboolean fetch_once(sub_session *s, gint64 from_seq, FetchReply *f, GError **error)
{
    JsonObject *request = json_object_new();
    json_object_set_string_member(request, "request", "fetch");
    json_object_set_int_member(request, "from_seq", from_seq);
    json_object_set_int_member(request, "max", FETCH_BATCH);
    GQueue events = G_QUEUE_INIT;
    JsonNode *reply = sub_request_call(s->req, request, s->sub, &s->live, &events, error);
    json_object_unref(request);
    gboolean ok =
        reply && read_fetch_reply(s->req, reply, f, error) && check_gap(f, from_seq, error);
    /* The events are handled once the reply is in: handling may acknowledge, and the ack's
     * reply comes after this fetch's. */
    zmsg_t *msg;
    while ((msg = g_queue_pop_head(&events))) {
        if (!ok || s->done) {
            zmsg_destroy(&msg);
            continue;
        }
        GError *bad = NULL;
        sub_event *ev = sub_event_from_msg(&msg, &bad);
        if (!ev) {
            g_printerr("gatecv-sub: fetched from %s: %s\n", s->req->endpoint, bad->message);
            g_error_free(bad);
            s->exit_code = SUB_EXIT_EVIDENCE;
            continue;
        }
        ok = sub_session_event(s, ev, error);
    }
    if (reply)
        json_node_unref(reply);
    return ok;
}

gboolean sub_catchup(sub_session *s, gint64 from_seq, GError **error)
{
    gint64 next = from_seq;
    while (!s->done) {
        FetchReply f = {0};
        if (!fetch_once(s, next, &f, error))
            return FALSE;
        if (f.count == 0) {
            if (f.has_journal_last && f.journal_last < next - 1)
                g_printerr("gatecv-sub: warning: the box's journal ends at seq %" G_GINT64_FORMAT
                           ", before seq %" G_GINT64_FORMAT " asked for (a new journal?)\n",
                           f.journal_last, next);
            return TRUE;
        }
        next = f.last + 1;
        if (!f.has_journal_last || f.last >= f.journal_last)
            return TRUE;
    }
    return TRUE;
}
