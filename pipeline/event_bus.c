/*
 * event_bus.c — the bus thread (a czmq actor): the PUB and ROUTER sockets, the ZAP
 * handler, the health timer, and the request handlers of docs/bus.md. Owns its sockets;
 * reads the journal and the manifest, which belong to the daemon.
 */
#define G_LOG_DOMAIN "gatecv-bus"
#include "event_bus.h"

#include <stdarg.h>
#include <string.h>

#include <czmq.h>

#include "bus_request.h"
#include "event_text.h"

G_DEFINE_QUARK(gatecv - event - bus - error - quark, event_bus_error)

/* Sockets linger this long on close so the last events reach connected subscribers. */
#define BUS_LINGER_MS 2000
/* Messages a slow subscriber may have queued before the PUB socket drops for it (it then
 * fills the gap with a fetch). A fetch reply is at most max_fetch + 1 messages. */
#define BUS_HWM 10000

struct event_bus {
    event_bus_options options; /* strings copied below */
    char *strings[7];
    journal *events;
    manifest *expected;
    zactor_t *actor;
    GMutex pipe_lock; /* the actor's pipe is one ZeroMQ socket: one caller at a time */
};

/* What the actor thread holds: its sockets and the time of the next health message. */
typedef struct {
    event_bus *bus;
    zsock_t *pub, *router;
    zactor_t *auth;
    char *crossing_topic, *health_topic;
    gint64 next_health_us;
} bus_thread;

/* ---- health ------------------------------------------------------------------- */

static void add_int(JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, value);
}

/* The health fields (docs/bus.md): shared by the health topic and the status reply. */
static void add_health_fields(JsonBuilder *b, const event_bus *bus)
{
    journal_status st;
    journal_get_status(bus->events, &st);
    char *ts = event_text_time(g_get_real_time());
    event_text_add_string(b, "gate", bus->options.gate);
    event_text_add_string(b, "lane", bus->options.lane);
    event_text_add_string(b, "ts", ts);
    json_builder_set_member_name(b, "cameras");
    json_builder_begin_array(b);
    if (bus->options.cameras)
        bus->options.cameras(b, bus->options.cameras_user);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "journal");
    json_builder_begin_object(b);
    add_int(b, "first_seq", (gint64)st.first_seq);
    add_int(b, "last_seq", (gint64)st.last_seq);
    add_int(b, "bytes", (gint64)st.bytes);
    add_int(b, "segments", st.n_segments);
    add_int(b, "disk_free_bytes", (gint64)st.disk_free_bytes);
    event_text_add_string(b, "recovered", st.recovered);
    json_builder_end_object(b);
    add_int(b, "backlog", (gint64)st.backlog);
    json_builder_set_member_name(b, "consumers");
    json_builder_begin_array(b);
    for (guint i = 0; i < st.consumers->len; i++) {
        const journal_consumer *c = st.consumers->pdata[i];
        json_builder_begin_object(b);
        event_text_add_string(b, "name", c->name);
        add_int(b, "acked_seq", (gint64)c->acked);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "alarms");
    json_builder_begin_array(b);
    for (guint i = 0; i < st.alarms->len; i++)
        json_builder_add_string_value(b, st.alarms->pdata[i]);
    if (bus->options.alarms)
        bus->options.alarms(b, bus->options.cameras_user);
    json_builder_end_array(b);
    g_free(ts);
    journal_status_clear(&st);
}

static char *builder_to_string(JsonBuilder *b)
{
    JsonNode *root = json_builder_get_root(b);
    char *s = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    return s;
}

/* Also the clock of age retention: events that grow old while no new one comes still go. */
static void send_health(bus_thread *t)
{
    journal_enforce_retention(t->bus->events, g_get_real_time());
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    event_text_add_string(b, "schema", "gatecv.health/1");
    add_health_fields(b, t->bus);
    json_builder_end_object(b);
    char *json = builder_to_string(b);
    zstr_sendx(t->pub, t->health_topic, json, NULL);
    g_free(json);
}

/* ---- events ------------------------------------------------------------------- */

/* The event `seq` as the frames [topic, JSON, JPEG...] appended to `msg`; FALSE when the
 * journal does not hold it. */
static gboolean add_event_frames(bus_thread *t, zmsg_t *msg, guint64 seq)
{
    GError *error = NULL;
    journal_record *r = journal_read(t->bus->events, seq, &error);
    if (!r) {
        g_warning("bus: event %" G_GUINT64_FORMAT " not sent: %s", seq, error->message);
        g_error_free(error);
        return FALSE;
    }
    zmsg_addstr(msg, t->crossing_topic);
    for (guint i = 0; i < r->n_parts; i++) {
        gsize size = 0;
        const void *data = g_bytes_get_data(r->parts[i], &size);
        zmsg_addmem(msg, data, size);
    }
    journal_record_free(r);
    return TRUE;
}

/* ---- requests ------------------------------------------------------------------ */

/* Who asked: the ROUTER's identity frame and, from a REQ socket, its empty delimiter. */
typedef struct {
    zframe_t *identity;
    zframe_t *delimiter; /* or NULL */
    JsonNode *id;        /* the request's "id", echoed (or NULL) */
} requester;

static zmsg_t *reply_envelope(const requester *who)
{
    zmsg_t *msg = zmsg_new();
    zmsg_append(msg, &(zframe_t *){zframe_dup(who->identity)});
    if (who->delimiter)
        zmsg_append(msg, &(zframe_t *){zframe_dup(who->delimiter)});
    return msg;
}

/* Sends [reply, JSON] where the JSON is the object `b` holds, with "id" echoed. */
static void send_reply(bus_thread *t, const requester *who, JsonBuilder *b)
{
    if (who->id) {
        json_builder_set_member_name(b, "id");
        json_builder_add_value(b, json_node_copy(who->id));
    }
    json_builder_end_object(b);
    char *json = builder_to_string(b);
    zmsg_t *msg = reply_envelope(who);
    zmsg_addstr(msg, "reply");
    zmsg_addstr(msg, json);
    zmsg_send(&msg, t->router);
    g_free(json);
}

static JsonBuilder *begin_reply(const char *kind)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    event_text_add_string(b, "reply", kind);
    return b;
}

static void send_error(bus_thread *t, const requester *who, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void send_error(bus_thread *t, const requester *who, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_message("bus: request refused: %s", what);
    JsonBuilder *b = begin_reply("error");
    event_text_add_string(b, "error", what);
    send_reply(t, who, b);
    g_free(what);
}

/* fetch: the held events from_seq.., at most max, then the reply that says what was sent.
 * Cost: one journal read (a pread of the record) per event sent. */
static void handle_fetch(bus_thread *t, const requester *who, const bus_request *r)
{
    gint64 from = r->from_seq, max = t->bus->options.max_fetch;
    if (r->max)
        max = MIN(r->max, max);
    guint64 first = journal_first_seq(t->bus->events), last = journal_last_seq(t->bus->events);
    guint64 seq = MAX((guint64)from, first), sent_first = 0, sent_last = 0;
    gint64 count = 0;
    for (; first && seq <= last && count < max; seq++) {
        zmsg_t *msg = reply_envelope(who);
        if (add_event_frames(t, msg, seq)) {
            zmsg_send(&msg, t->router);
            sent_first = sent_first ? sent_first : seq;
            sent_last = seq;
            count++;
        }
        zmsg_destroy(&msg);
    }
    JsonBuilder *b = begin_reply("fetch");
    add_int(b, "from_seq", from);
    add_int(b, "count", count);
    json_builder_set_member_name(b, "first_seq");
    sent_first ? json_builder_add_int_value(b, (gint64)sent_first) : json_builder_add_null_value(b);
    json_builder_set_member_name(b, "last_seq");
    sent_last ? json_builder_add_int_value(b, (gint64)sent_last) : json_builder_add_null_value(b);
    add_int(b, "journal_first_seq", (gint64)journal_first_seq(t->bus->events));
    add_int(b, "journal_last_seq", (gint64)journal_last_seq(t->bus->events));
    send_reply(t, who, b);
}

static void handle_ack(bus_thread *t, const requester *who, const bus_request *r)
{
    gint64 seq = r->seq;
    GError *error = NULL;
    const char *consumer = r->consumer;
    if (!journal_ack(t->bus->events, consumer, (guint64)seq, &error)) {
        send_error(t, who, "ack: %s", error->message);
        g_error_free(error);
        return;
    }
    JsonBuilder *b = begin_reply("ack");
    event_text_add_string(b, "consumer", consumer);
    add_int(b, "seq", seq);
    send_reply(t, who, b);
}

static void handle_status(bus_thread *t, const requester *who)
{
    JsonBuilder *b = begin_reply("status");
    add_health_fields(b, t->bus);
    send_reply(t, who, b);
}

static void handle_manifest(bus_thread *t, const requester *who, JsonObject *o)
{
    GError *error = NULL;
    manifest *m = t->bus->expected;
    if (!manifest_replace(m, o, &error)) {
        send_error(t, who, "manifest: %s", error->message);
        g_error_free(error);
        return;
    }
    if (t->bus->options.manifest_path && !manifest_save(m, t->bus->options.manifest_path, &error)) {
        /* In force now, but lost at a restart: the sender must know. */
        send_error(t, who, "manifest: in force, but not saved: %s", error->message);
        g_error_free(error);
        return;
    }
    g_message("bus: manifest of %d vehicles in force", manifest_count(m));
    JsonBuilder *b = begin_reply("manifest");
    add_int(b, "vehicles", manifest_count(m));
    send_reply(t, who, b);
}

static void handle_trigger(bus_thread *t, const requester *who, const bus_request *r)
{
    const event_bus_options *o = &t->bus->options;
    char *why = NULL;
    if (!o->trigger) {
        send_error(t, who, "trigger: this lane takes no trigger requests (its configuration has "
                           "no [trigger] source=request)");
        return;
    }
    if (!o->trigger(r->present, r->at_us, o->trigger_user, &why)) {
        send_error(t, who, "trigger: %s", why ? why : "refused");
        g_free(why);
        return;
    }
    JsonBuilder *b = begin_reply("trigger");
    event_text_add_string(b, "state", r->present ? "present" : "gone");
    send_reply(t, who, b);
}

/* Parses the request frame (bus_request.c) and hands it to its handler; every way it can be
 * wrong gets an error reply that names it. */
static void dispatch(bus_thread *t, requester *who, zframe_t *body)
{
    size_t size = zframe_size(body);
    if (size > (size_t)t->bus->options.max_request_bytes) {
        send_error(t, who, "request too large: %zu bytes (at most %d)", size,
                   t->bus->options.max_request_bytes);
        return;
    }
    bus_request r;
    char *why = NULL;
    gboolean ok = bus_request_parse((const char *)zframe_data(body), size, &r, &why);
    who->id = r.id;
    if (!ok)
        send_error(t, who, "%s", why);
    else if (r.kind == BUS_REQUEST_FETCH)
        handle_fetch(t, who, &r);
    else if (r.kind == BUS_REQUEST_ACK)
        handle_ack(t, who, &r);
    else if (r.kind == BUS_REQUEST_STATUS)
        handle_status(t, who);
    else if (r.kind == BUS_REQUEST_TRIGGER)
        handle_trigger(t, who, &r);
    else
        handle_manifest(t, who, r.object);
    who->id = NULL;
    g_free(why);
    bus_request_clear(&r);
}

/* One message from the ROUTER: [identity, (empty,) request]. */
static void handle_request(bus_thread *t)
{
    zmsg_t *msg = zmsg_recv(t->router);
    if (!msg)
        return;
    requester who = {zmsg_pop(msg), NULL, NULL};
    zframe_t *body = zmsg_pop(msg);
    if (body && zframe_size(body) == 0 && zmsg_size(msg) > 0) { /* a REQ socket's delimiter */
        who.delimiter = body;
        body = zmsg_pop(msg);
    }
    if (!who.identity || !body)
        ; /* nothing to answer to */
    else if (zmsg_size(msg) > 0)
        send_error(t, &who, "a request is one frame, got %zu", zmsg_size(msg) + 1);
    else
        dispatch(t, &who, body);
    zframe_destroy(&body);
    zframe_destroy(&who.delimiter);
    zframe_destroy(&who.identity);
    zmsg_destroy(&msg);
}

/* ---- sockets ------------------------------------------------------------------- */

/* With keys: czmq's ZAP handler lets in only the certificates of the allowed folder, and
 * the socket becomes a CURVE server with the box's certificate. */
static void secure(zcert_t *cert, zsock_t *sock)
{
    if (!cert)
        return;
    zcert_apply(cert, sock);
    zsock_set_curve_server(sock, 1);
    zsock_set_zap_domain(sock, "gatecv");
}

static char *bind_socket(zsock_t *sock, const char *endpoint, const char *what)
{
    if (zsock_bind(sock, "%s", endpoint) < 0)
        return g_strdup_printf("cannot bind the %s endpoint %s: %s", what, endpoint,
                               zmq_strerror(zmq_errno()));
    return NULL;
}

static zcert_t *load_server_cert(const char *path, char **error)
{
    zcert_t *cert = zcert_load(path);
    if (!cert) {
        *error = g_strdup_printf("cannot load the box's certificate %s", path);
        return NULL;
    }
    /* A public certificate loads too, with a secret key of zeros. */
    if (strspn(zcert_secret_txt(cert), "0") == strlen(zcert_secret_txt(cert))) {
        *error = g_strdup_printf("%s holds no secret key: give the box's NAME.key_secret", path);
        zcert_destroy(&cert);
    }
    return cert;
}

static char *open_sockets(bus_thread *t)
{
    const event_bus_options *o = &t->bus->options;
    char *error = NULL;
    zcert_t *cert = NULL;
    if (o->server_key) {
        if (!(cert = load_server_cert(o->server_key, &error)))
            return error;
        t->auth = zactor_new(zauth, NULL);
        zstr_sendx(t->auth, "CURVE", o->allowed_keys, NULL);
        zsock_wait(t->auth);
    }
    t->pub = zsock_new(ZMQ_PUB);
    t->router = zsock_new(ZMQ_ROUTER);
    zsock_set_sndhwm(t->pub, BUS_HWM);
    zsock_set_sndhwm(t->router, BUS_HWM);
    zsock_set_linger(t->pub, BUS_LINGER_MS);
    zsock_set_linger(t->router, BUS_LINGER_MS);
    /* A request far over the limit is cut by ZeroMQ itself (the peer is disconnected); one
     * up to twice the limit is read and answered with an error. */
    zsock_set_maxmsgsize(t->router, o->max_request_bytes * 2 + 4096);
    secure(cert, t->pub);
    secure(cert, t->router);
    zcert_destroy(&cert);
    error = bind_socket(t->pub, o->publish, "publish");
    if (!error)
        error = bind_socket(t->router, o->request, "request");
    return error;
}

static void close_sockets(bus_thread *t)
{
    zsock_destroy(&t->pub);
    zsock_destroy(&t->router);
    zactor_destroy(&t->auth);
}

/* ---- the thread ------------------------------------------------------------------ */

/* A command on the pipe; FALSE on $TERM. */
static gboolean handle_command(bus_thread *t, zsock_t *pipe)
{
    zmsg_t *msg = zmsg_recv(pipe);
    if (!msg)
        return FALSE;
    char *cmd = zmsg_popstr(msg);
    gboolean go_on = cmd && strcmp(cmd, "$TERM") != 0;
    if (go_on && strcmp(cmd, "PUBLISH") == 0) { /* the event's frames follow the command */
        zmsg_pushstr(msg, t->crossing_topic);
        zmsg_send(&msg, t->pub);
    } else if (go_on && strcmp(cmd, "HEALTH") == 0) {
        t->next_health_us = g_get_monotonic_time(); /* now, and the interval from now on */
    }
    zstr_free(&cmd);
    zmsg_destroy(&msg);
    return go_on;
}

static void bus_actor(zsock_t *pipe, void *args)
{
    bus_thread t = {.bus = args};
    const event_bus_options *o = &t.bus->options;
    t.crossing_topic = g_strdup_printf("crossing.%s.%s", o->gate, o->lane);
    t.health_topic = g_strdup_printf("health.%s.%s", o->gate, o->lane);
    char *error = open_sockets(&t);
    zsock_signal(pipe, 0);
    zstr_send(pipe, error ? error : "");
    zpoller_t *poller = zpoller_new(pipe, error ? NULL : t.router, NULL);
    t.next_health_us = g_get_monotonic_time();
    for (;;) {
        gint64 now = g_get_monotonic_time();
        if (!error && now >= t.next_health_us) {
            send_health(&t);
            t.next_health_us = now + (gint64)o->health_interval_ms * 1000;
        }
        int wait_ms = error ? -1 : (int)((t.next_health_us - now) / 1000) + 1;
        void *ready = zpoller_wait(poller, wait_ms);
        if (ready == pipe && !handle_command(&t, pipe))
            break;
        if (ready && ready == t.router)
            handle_request(&t);
        if (!ready && zpoller_terminated(poller))
            break;
    }
    zpoller_destroy(&poller);
    close_sockets(&t);
    g_free(error);
    g_free(t.crossing_topic);
    g_free(t.health_topic);
}

/* ---- the daemon's side ------------------------------------------------------------- */

event_bus *event_bus_new(const event_bus_options *options, journal *events, manifest *expected,
                         GError **error)
{
    g_return_val_if_fail(options->publish && options->request && events && expected, NULL);
    g_return_val_if_fail(!options->server_key == !options->allowed_keys, NULL);
    /* The daemon handles SIGINT and SIGTERM itself (GLib): czmq must not take them. */
    zsys_handler_set(NULL);
    event_bus *bus = g_new0(event_bus, 1);
    bus->options = *options;
    const char **fields[] = {&bus->options.gate,         &bus->options.lane,
                             &bus->options.publish,      &bus->options.request,
                             &bus->options.server_key,   &bus->options.allowed_keys,
                             &bus->options.manifest_path};
    for (int i = 0; i < 7; i++)
        *fields[i] = bus->strings[i] = g_strdup(*fields[i]);
    bus->events = events;
    bus->expected = expected;
    g_mutex_init(&bus->pipe_lock);
    bus->actor = zactor_new(bus_actor, bus);
    char *started = zstr_recv(bus->actor);
    if (!started || *started) {
        g_set_error(error, EVENT_BUS_ERROR, 0, "%s", started ? started : "bus thread failed");
        zstr_free(&started);
        event_bus_free(bus);
        return NULL;
    }
    zstr_free(&started);
    return bus;
}

void event_bus_publish(event_bus *bus, guint64 seq, const journal_part *parts, guint n_parts)
{
    g_return_if_fail(n_parts >= 1);
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, "PUBLISH");
    for (guint i = 0; i < n_parts; i++)
        zmsg_addmem(msg, parts[i].data, parts[i].size);
    g_mutex_lock(&bus->pipe_lock);
    if (zmsg_send(&msg, bus->actor) != 0) {
        g_warning("event %" G_GUINT64_FORMAT " not handed to the bus thread; a fetch serves it",
                  seq);
        zmsg_destroy(&msg);
    }
    g_mutex_unlock(&bus->pipe_lock);
}

void event_bus_health_now(event_bus *bus)
{
    g_mutex_lock(&bus->pipe_lock);
    zstr_send(bus->actor, "HEALTH");
    g_mutex_unlock(&bus->pipe_lock);
}

void event_bus_free(event_bus *bus)
{
    if (!bus)
        return;
    zactor_destroy(&bus->actor); /* sends $TERM after what is queued, and waits */
    g_mutex_clear(&bus->pipe_lock);
    for (int i = 0; i < 7; i++)
        g_free(bus->strings[i]);
    g_free(bus);
}
