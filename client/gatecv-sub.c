/* gatecv-sub — monitors a gatecv box's lane: prints (and with --save keeps) every crossing
 * once, in seq order, catching up on what it missed, with every evidence JPEG checked
 * against its SHA-256. The reference client of docs/bus.md: an integrator can copy it.
 *
 *   gatecv-sub --connect tcp://box:7700 --request tcp://box:7701 --cursor lane1.cursor \
 *              --consumer clearance --save evidence/
 *
 * The run (the Clone pattern of the ZeroMQ guide):
 *   1. subscribe first, so that nothing published from now on is missed;
 *   2. if a start seq is known (--cursor's file, else --from-seq), fetch from it to the end of
 *      the journal, keeping the live messages that arrive meanwhile;
 *   3. handle the live messages, dropping seqs already handled, fetching any gap.
 * --status, --manifest and --trigger are one request each instead.
 *
 * The files: sub_options (command line), sub_sockets (sockets, keys), sub_request (one
 * request and its reply), sub_catchup (fetching), sub_session (handling an event),
 * sub_event (taking a message apart, checking evidence), sub_output (lines and files),
 * sub_cursor (the cursor file), sub_signal (SIGINT/SIGTERM). */
#include "sub_catchup.h"
#include "sub_cursor.h"
#include "sub_options.h"
#include "sub_output.h"
#include "sub_request.h"
#include "sub_session.h"
#include "sub_signal.h"
#include "sub_sockets.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The manifest request from --manifest FILE: {"vehicles":[...]} (a whole request is fine
 * too) or a bare [...] of vehicles. The box checks the vehicles themselves. */
static JsonObject *manifest_request(const char *path, GError **error)
{
    JsonParser *parser = json_parser_new();
    GError *e = NULL;
    JsonObject *request = NULL;
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "--manifest %s: no such file", path);
    } else if (!json_parser_load_from_file(parser, path, &e)) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "--manifest %s: %s", path, e->message);
        g_error_free(e);
    } else {
        JsonNode *root = json_parser_get_root(parser);
        if (root && JSON_NODE_HOLDS_ARRAY(root)) {
            request = json_object_new();
            json_object_set_array_member(request, "vehicles",
                                         json_array_ref(json_node_get_array(root)));
        } else if (root && JSON_NODE_HOLDS_OBJECT(root) &&
                   sub_json_array(json_node_get_object(root), "vehicles")) {
            request = json_object_ref(json_node_get_object(root));
        } else {
            g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE,
                        "--manifest %s: expected {\"vehicles\": [...]} or an array of vehicles",
                        path);
        }
    }
    if (request)
        json_object_set_string_member(request, "request", "manifest");
    g_object_unref(parser);
    return request;
}

/* --status or --manifest: one request, its reply printed. Returns the exit code; `error` is
 * set when the request failed. A refused manifest is an answer, not a failed request: it is
 * reported here and exits 1. */
static int one_request(const sub_options *opts, sub_requester *req, GError **error)
{
    JsonObject *request = NULL;
    if (opts->manifest) {
        request = manifest_request(opts->manifest, error);
        if (!request)
            return SUB_EXIT_USAGE;
    } else if (opts->trigger) {
        request = json_object_new();
        json_object_set_string_member(request, "request", "trigger");
        json_object_set_string_member(request, "state", opts->trigger);
        if (opts->at)
            json_object_set_string_member(request, "at", opts->at);
    } else {
        request = json_object_new();
        json_object_set_string_member(request, "request", "status");
    }
    GQueue unused = G_QUEUE_INIT;
    JsonNode *reply = sub_request_call(req, request, NULL, &unused, NULL, error);
    json_object_unref(request);
    if (!reply)
        return (*error)->code;
    sub_output_reply(reply, opts->json);
    const char *expected = opts->manifest ? "manifest" : opts->trigger ? "trigger" : "status";
    int rc = SUB_EXIT_OK;
    GError *refused = NULL;
    if (!sub_request_expect(req, reply, expected, &refused)) {
        rc = opts->manifest ? SUB_EXIT_EVIDENCE : SUB_EXIT_REQUEST;
        g_printerr("gatecv-sub: %s\n", refused->message);
        g_error_free(refused);
    }
    json_node_unref(reply);
    return rc;
}

/* Where the run starts: the cursor's seq + 1 when its file exists, else --from-seq, else
 * nowhere (the first live event). Sets s->started and s->last_seq; *from_seq 0 = none. */
static gboolean start_seq(sub_session *s, gint64 *from_seq, GError **error)
{
    const sub_options *opts = s->opts;
    gboolean exists = FALSE;
    gint64 last = 0;
    if (opts->cursor && !sub_cursor_load(opts->cursor, &exists, &last, error))
        return FALSE;
    *from_seq = exists ? last + 1 : opts->from_seq;
    if (*from_seq > 0) {
        s->started = TRUE;
        s->last_seq = *from_seq - 1;
    }
    return TRUE;
}

/* The live loop: messages from the SUB socket until --count, --idle-exit or a signal. */
static gboolean live_loop(sub_session *s, GError **error)
{
    zpoller_t *poller = zpoller_new(s->sub, NULL);
    gboolean ok = TRUE;
    while (ok && !s->done && !sub_signal_stopped()) {
        if (!(ok = sub_session_drain(s, error)) || s->done)
            break;
        int wait_ms = 500; /* short enough to notice a signal that came between polls */
        if (s->opts->idle_exit > 0) {
            gint64 idle_left =
                s->last_event_ms + (gint64)(s->opts->idle_exit * 1000) - zclock_mono();
            if (idle_left <= 0)
                break;
            wait_ms = (int)MIN(idle_left, wait_ms);
        }
        if (zpoller_wait(poller, wait_ms)) {
            zmsg_t *msg = zmsg_recv(s->sub);
            if (msg)
                ok = sub_session_live(s, &msg, error);
        }
    }
    zpoller_destroy(&poller);
    return ok;
}

/* Subscribe, catch up, go live (see the top of the file). */
static gboolean subscribe(sub_session *s, GError **error)
{
    const sub_options *opts = s->opts;
    if (opts->save_dir && g_mkdir_with_parents(opts->save_dir, 0755) != 0) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "--save %s: could not make the folder: %s",
                    opts->save_dir, g_strerror(errno));
        return FALSE;
    }
    gint64 from_seq = 0;
    if (!start_seq(s, &from_seq, error))
        return FALSE;
    if (from_seq > 0 && !sub_catchup(s, from_seq, error))
        return FALSE;
    s->last_event_ms = zclock_mono(); /* --idle-exit counts from the end of the catch-up */
    return live_loop(s, error);
}

int main(int argc, char **argv)
{
    sub_options opts = {0};
    sub_keys keys = {0};
    sub_requester req = {0};
    sub_session session;
    GError *error = NULL;
    zsock_t *sub = NULL;
    int rc = SUB_EXIT_OK;

    sub_signal_install();
    if (!sub_options_parse(&opts, &argc, &argv, &error) || !sub_keys_load(&opts, &keys, &error))
        goto out;
    req.endpoint = opts.request;
    req.timeout_ms = opts.timeout_ms;
    req.opts = &opts;
    req.keys = &keys;
    /* A subscriber outlives a box restart: its fetches and acks are asked again until
     * answered. A --status or --manifest run reports the silence (exit 4). */
    req.retry = !opts.status && !opts.manifest && !opts.trigger;
    if (opts.request && !(req.dealer = sub_sockets_dealer(&opts, &keys, &error)))
        goto out;
    if (opts.status || opts.manifest || opts.trigger) {
        rc = one_request(&opts, &req, &error);
        goto out;
    }
    if (!(sub = sub_sockets_subscriber(&opts, &keys, &error)))
        goto out;
    sub_session_init(&session, &opts, sub, req.dealer ? &req : NULL);
    subscribe(&session, &error);
    rc = session.exit_code;
    sub_session_clear(&session);

out:
    if (error) {
        /* A signal ends the run cleanly: the exit code is what the run had come to. */
        if (error->code != SUB_STOPPED) {
            g_printerr("gatecv-sub: %s\n", error->message);
            rc = error->code;
        }
        g_error_free(error);
    }
    zsock_destroy(&sub);
    zsock_destroy(&req.dealer);
    sub_keys_clear(&keys);
    sub_options_clear(&opts);
    return rc;
}
