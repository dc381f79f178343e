/* sub_session — one gatecv-sub run: which seq was handled last, and what handling an event
 * means (de-duplicate, check evidence, print, save, move the cursor, acknowledge, count).
 * Live messages come in through sub_session_live; sub_catchup fetches what they skipped. */
#ifndef GATECV_SUB_SESSION_H
#define GATECV_SUB_SESSION_H

#include "sub_event.h"
#include "sub_options.h"
#include "sub_request.h"

typedef struct {
    const sub_options *opts;
    zsock_t *sub;         /* live messages */
    sub_requester *req;   /* NULL without --request */
    GQueue live;          /* zmsg_t received on `sub` while a request waited */
    gboolean started;     /* last_seq means something (start seq, or an event handled) */
    gint64 last_seq;      /* the last seq handled: anything at or below it is a duplicate */
    guint handled;        /* events handled (for --count) */
    gint64 last_event_ms; /* zclock_mono() when the last new event came (for --idle-exit) */
    gboolean done;        /* --count reached: handle nothing more */
    int exit_code;        /* SUB_EXIT_OK, or SUB_EXIT_EVIDENCE once a check or save failed */
} sub_session;

void sub_session_init(sub_session *s, const sub_options *opts, zsock_t *sub, sub_requester *req);
void sub_session_clear(sub_session *s);

/* Handles one event, unless it is a duplicate (seq <= last_seq): evidence check, output,
 * --save, --cursor, --consumer acknowledgement, --count. Takes the event. A failed check or
 * save only sets exit_code; FALSE (with an error carrying the exit code) is for what ends
 * the run: a failed acknowledgement or cursor write. */
gboolean sub_session_event(sub_session *s, sub_event *ev, GError **error);

/* Handles one message from the SUB socket (takes it): a health message is printed (with
 * --health); a crossing past last_seq + 1 first has the gap fetched (sub_catchup). */
gboolean sub_session_live(sub_session *s, zmsg_t **msg, GError **error);

/* Handles the live messages kept while requests waited, oldest first, until none is left. */
gboolean sub_session_drain(sub_session *s, GError **error);

#endif
