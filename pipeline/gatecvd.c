/*
 * gatecvd — the gate daemon: one GStreamer pipeline per camera, the box's reader threads
 * (reader_pool.h; what they did goes to OUT/readers.json at the end), lane fusion, crossing
 * events: journaled with their evidence JPEGs (OUT/journal), then published on the event
 * bus when the config has a [bus] group (docs/bus.md), and copied as JSON lines to stdout
 * and OUT/events.jsonl.
 *
 *   gatecvd --config lane.conf [--out DIR] [--realtime] [--model-dir DIR] [--start-time T]
 *           [--metrics IP:PORT]
 *   gatecvd --version
 *
 * With [metrics] listen= (or --metrics) it serves /metrics and /healthz over HTTP
 * (daemon_metrics.h, metrics_http.h) on its main loop.
 *
 * Live cameras (camera_pipeline.h) share one time base: the system clock less the epoch taken
 * at start, when the wall-clock time of stream time 0 is taken too. One that drops is down
 * (the health topic's camera state, since when and why, and the alarm camera_down:NAME; a
 * warning in the log) until its first frame after a reconnect (a message); the fusion is told
 * both (lane_fusion_camera_state): it does not wait for a camera that is down, and names it in
 * the reasons of a vehicle in view meanwhile.
 *
 * With [trigger] the lane's presence sensor reports to the fusion (lane_fusion_trigger): as
 * "trigger" requests on the bus (their "at" on the events' wall clock, or now on the live
 * cameras' clock) or as a GPIO line's edges (trigger_gpio.h), each also a line of
 * --observations.
 *
 * A recording is replayed as fast as the CPU allows (or at its own rate with --realtime,
 * when OUT/clock.json says when its stream time 0 played); the daemon exits when every
 * camera has ended (with --keep-serving it goes on answering the bus). Live cameras run
 * until SIGINT / SIGTERM. Exit codes: 0 ok, 1 an event could not be journaled, 2 bad config
 * or options.
 *
 * Under systemd (Type=notify, packaging/gatecvd.service) it says READY=1 once every camera's
 * pipeline is started and the main loop runs, and WATCHDOG=1 from the main loop at half the
 * unit's WatchdogSec: a main loop that hangs gets the daemon restarted. Elsewhere the
 * sd_notify calls do nothing.
 */
#define G_LOG_DOMAIN "gatecvd"
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>
#include <gst/gst.h>
#include <systemd/sd-daemon.h>

#include "camera_pipeline.h"
#include "crossing_event.h"
#include "daemon_metrics.h"
#include "event_bus.h"
#include "event_text.h"
#include "journal.h"
#include "lane_calib.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "metrics_http.h"
#include "observation_log.h"
#include "observation_merge.h"
#include "reader_pool.h"
#include "trigger_gpio.h"

/* How far (stream seconds) a camera of a replay may run ahead of the slowest one. */
#define REPLAY_MAX_AHEAD_S 5.0

/* What the health topic says of a camera. The counters are written by the camera's
 * streaming thread and read by the bus thread; prev_* belong to the bus thread; `down`,
 * `since_us` and `reconnects` are written where camera_state is told, `error` under the
 * daemon's camera_lock. */
typedef struct {
    atomic_int frames;            /* frames seen */
    atomic_int moving;            /* of those, marked moving by the motion gate */
    _Atomic gint64 last_frame_us; /* monotonic time of the last one */
    atomic_bool ended;
    atomic_bool down;             /* a live camera lost, not yet back */
    _Atomic gint64 since_us;      /* wall-clock time it last went down or up (0: never) */
    atomic_int reconnects;        /* times it came back after being down */
    char *error;                  /* why it went down last (NULL: never) */
    int prev_frames;
    gint64 prev_us;
} camera_stats;

/* A camera is down when no frame came for this long. */
#define CAMERA_DOWN_AFTER_US (3 * G_USEC_PER_SEC)

typedef struct {
    lane_config *config;
    lane_fusion *fusion;
    event_writer *writer;
    journal *events;      /* the durable record of every event (OUT/journal) */
    manifest *expected;   /* what the clearance system expects */
    gchar *manifest_path; /* where it is kept: OUT/manifest.json */
    event_bus *bus;       /* NULL without a [bus] group */
    daemon_metrics *metrics; /* what /metrics tells; filled whether or not it is served */
    metrics_http *http;      /* NULL without [metrics] listen= or --metrics */
    reader_pool *readers; /* the reader threads every camera's selected frames go to */
    camera_stats cameras[LANE_MAX_CAMERAS];
    gboolean keep_serving;    /* --keep-serving: stay up for the bus after the cameras end */
    FILE *copy;               /* OUT/events.jsonl: every event's JSON, for people and tools */
    FILE *observations;       /* --observations: what the cameras told the fusion, or NULL */
    observation_merge *merge; /* a replay as fast as possible: the cameras in time order */
    GMutex lock;              /* fusion and writer are fed from every camera's thread */
    gint64 epoch_us;          /* wall-clock time of stream time 0 (events' times, triggers) */
    gint64 epoch_mono_us;     /* the same moment on the monotonic clock (live cameras) */
    trigger_gpio *gpio;       /* [trigger] source=gpio: the presence sensor's line, or NULL */
    GMutex camera_lock;       /* the cameras' last errors (written on the main loop, read by
                                 the bus thread) */
    gboolean summary;         /* --print summary: a readable line per event instead of JSON */
    guint64 printed;
    int cameras_running;
    GMainLoop *loop;
    guint watchdog; /* the main loop's WATCHDOG=1 source, 0 when systemd asks for none */
    int status;
} daemon_state;

/* One readable line per crossing's revision and one per plate or code, for people watching;
 * a plate or code an earlier revision told that this one no longer counts is marked so. */
static void print_summary(const lane_crossing *c, guint64 n)
{
    printf("crossing %" G_GUINT64_FORMAT ": %s %s at %.1f s, %s revision %d: %s", n,
           c->vehicle_kind, lane_direction_name(c->direction), c->t_cross,
           c->provisional ? "provisional" : "final", c->revision > 0 ? c->revision : 1, c->status);
    for (int i = 0; i < c->n_reasons; i++)
        printf("%s%s", i ? ", " : " (", c->reasons[i]);
    printf("%s\n", c->n_reasons ? ")" : "");
    for (int i = 0; i < c->n_plates; i++) {
        const lane_item *p = &c->plates[i];
        const char *country = gatecv_country_name(p->read.country);
        printf("    plate      %-14s %-3s %-9s camera %-10s %d frames%s%s\n", p->read.display,
               country ? country : "-", gatecv_layout_name(p->read.layout), p->camera, p->frames,
               p->read.valid ? "" : "  (not valid)", p->told != ITEM_OWN ? "  (superseded)" : "");
    }
    for (int i = 0; i < c->n_containers; i++) {
        const lane_item *k = &c->containers[i];
        printf("    container  %-14s %-13s camera %-10s %d frames%s\n", k->read.display,
               k->read.size_type, k->camera, k->frames,
               k->told != ITEM_OWN ? "  (superseded)" : "");
    }
}

/* The event and its JPEGs as the parts of one journal record and bus message; returns
 * how many (the JSON first). Every plate and code may bring one picture. */
#define EVENT_MAX_PARTS (1 + LANE_MAX_ITEMS * 2)
G_STATIC_ASSERT(EVENT_MAX_PARTS <= JOURNAL_MAX_PARTS);

static guint event_parts(const crossing_event *e, journal_part *parts, guint max)
{
    guint n = 0;
    parts[n++] = (journal_part){e->json, strlen(e->json)};
    for (guint i = 0; i < e->jpegs->len && n < max; i++) {
        gsize size = 0;
        const void *data = g_bytes_get_data(e->jpegs->pdata[i], &size);
        parts[n++] = (journal_part){data, size};
    }
    g_assert(n == e->jpegs->len + 1);
    return n;
}

/* Journal, publish, copy. An event the journal refused (disk full even after pruning) is
 * not published — it would be a seq no one could fetch again — but it is logged as
 * critical with its JSON, copied to events.jsonl and stdout, and the exit code says so. */
static void on_crossing(const lane_crossing *c, void *user)
{
    daemon_state *d = user;
    gint64 decided_us = g_get_monotonic_time();
    GError *error = NULL;
    guint64 seq = journal_next_seq(d->events);
    crossing_event *e = event_writer_build(d->writer, c, seq, &error);
    if (!e) {
        g_critical("crossing at %.1f s: event not built: %s", c->t_cross, error->message);
        g_error_free(error);
        d->status = 1;
        return;
    }
    journal_part parts[EVENT_MAX_PARTS];
    guint n = event_parts(e, parts, G_N_ELEMENTS(parts));
    gboolean journaled = journal_append(d->events, seq, parts, n, &error);
    if (journaled) { /* durable before it is sent */
        if (d->bus)
            event_bus_publish(d->bus, seq, parts, n);
    }
    daemon_metrics_event(d->metrics, c, e->status, journaled,
                         (g_get_monotonic_time() - decided_us) / 1e6);
    if (!journaled) {
        g_critical("crossing at %.1f s NOT JOURNALED, not published: %s; event: %s", c->t_cross,
                   error->message, e->json);
        g_clear_error(&error);
        d->status = 1;
    }
    fprintf(d->copy, "%s\n", e->json);
    fflush(d->copy);
    if (d->summary)
        print_summary(c, ++d->printed);
    else
        printf("%s\n", e->json);
    fflush(stdout);
    crossing_event_free(e);
}

static void count_frame(daemon_state *d, const lane_observation *o)
{
    atomic_fetch_add(&d->cameras[o->camera].frames, 1);
    if (o->moving)
        atomic_fetch_add(&d->cameras[o->camera].moving, 1);
    atomic_store(&d->cameras[o->camera].last_frame_us, g_get_monotonic_time());
}

/* Up when a frame came lately and it was not lost since: the health topic's rule, /metrics'
 * and /healthz's too. */
static gboolean camera_is_up(camera_stats *s, gint64 now)
{
    gint64 last = atomic_load(&s->last_frame_us);
    return !atomic_load(&s->ended) && !atomic_load(&s->down) && last &&
           now - last < CAMERA_DOWN_AFTER_US;
}

static void camera_states(daemon_state *d, daemon_camera_state *out)
{
    gint64 now = g_get_monotonic_time();
    for (int i = 0; i < d->config->n_cameras; i++) {
        camera_stats *s = &d->cameras[i];
        out[i] = (daemon_camera_state){.frames = (guint64)atomic_load(&s->frames),
                                       .moving = (guint64)atomic_load(&s->moving),
                                       .up = camera_is_up(s, now),
                                       .reconnects = (guint64)atomic_load(&s->reconnects),
                                       .ended = atomic_load(&s->ended)};
    }
}

/* A scrape of /metrics (main loop): what the cameras, readers and journal counted. */
static void collect_metrics(metrics_registry *registry, void *user)
{
    (void)registry;
    daemon_state *d = user;
    daemon_camera_state cams[LANE_MAX_CAMERAS];
    camera_states(d, cams);
    reader_pool_stats readers;
    if (d->readers)
        reader_pool_get_stats(d->readers, &readers);
    daemon_metrics_collect(d->metrics, cams, d->readers ? &readers : NULL, d->events);
}

static gboolean health_check(GString *body, void *user)
{
    daemon_state *d = user;
    daemon_camera_state cams[LANE_MAX_CAMERAS];
    camera_states(d, cams);
    return daemon_metrics_health(d->config, cams, body);
}

/* A camera's state in the health message: `state` (up, down or ended), `since` (when a live
 * camera last went down or came up; null before), `error` (why it went down last: kept after
 * it is back, for the operator; null if never) and `reconnects`. */
static void health_camera_link(daemon_state *d, camera_stats *s, gboolean up, JsonBuilder *b)
{
    event_text_add_string(b, "state", atomic_load(&s->ended) ? "ended" : up ? "up" : "down");
    gint64 since = atomic_load(&s->since_us);
    char *when = since ? event_text_time(since) : NULL;
    event_text_add_string(b, "since", when);
    g_free(when);
    g_mutex_lock(&d->camera_lock);
    event_text_add_string(b, "error", s->error);
    g_mutex_unlock(&d->camera_lock);
    json_builder_set_member_name(b, "reconnects");
    json_builder_add_int_value(b, atomic_load(&s->reconnects));
}

/* The health topic's camera list (on the bus thread): up when a frame came lately, and
 * frames per second since the last health message. */
static void health_cameras(JsonBuilder *b, void *user)
{
    daemon_state *d = user;
    gint64 now = g_get_monotonic_time();
    for (int i = 0; i < d->config->n_cameras; i++) {
        camera_stats *s = &d->cameras[i];
        int frames = atomic_load(&s->frames);
        gboolean up = camera_is_up(s, now);
        double fps =
            s->prev_us ? (frames - s->prev_frames) * 1e6 / (double)MAX(now - s->prev_us, 1) : 0;
        s->prev_frames = frames;
        s->prev_us = now;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, d->config->cameras[i].name);
        json_builder_set_member_name(b, "role");
        json_builder_add_string_value(b, lane_role_name(d->config->cameras[i].role));
        json_builder_set_member_name(b, "up");
        json_builder_add_boolean_value(b, up);
        json_builder_set_member_name(b, "fps");
        json_builder_add_double_value(b, round(fps * 10) / 10);
        health_camera_link(d, s, up, b);
        json_builder_end_object(b);
    }
}

/* The health topic's alarms of the cameras: camera_down:NAME while a live camera is lost. */
static void health_alarms(JsonBuilder *b, void *user)
{
    daemon_state *d = user;
    for (int i = 0; i < d->config->n_cameras; i++)
        if (atomic_load(&d->cameras[i].down)) {
            char *alarm = g_strconcat("camera_down:", d->config->cameras[i].name, NULL);
            json_builder_add_string_value(b, alarm);
            g_free(alarm);
        }
}

static void observe(const lane_observation *o, void *user)
{
    daemon_state *d = user;
    if (!d->merge) /* counted where the merge takes them in, when there is one */
        count_frame(d, o);
    g_mutex_lock(&d->lock);
    if (d->observations)
        observation_log_write(d->observations, o);
    if (d->merge) /* a replay in order looks at a frame when it observes it: the same every run */
        lane_fusion_look(d->fusion, o);
    lane_fusion_observe(d->fusion, o);
    g_mutex_unlock(&d->lock);
}

/* A live camera went down (main loop; its frames before the drop are in the fusion) or came
 * up (streaming thread, before its first frame): the health topic and the log say so, and the
 * fusion stops waiting for it, or waits again. */
static void camera_state(int camera, double t, gboolean up, const char *why, void *user)
{
    daemon_state *d = user;
    camera_stats *s = &d->cameras[camera];
    const char *name = d->config->cameras[camera].name;
    gint64 now = g_get_real_time(), since = atomic_load(&s->since_us);
    if (!up) {
        g_warning("camera %s: down from %.2f s: %s", name, t, why);
        g_mutex_lock(&d->camera_lock);
        g_free(s->error);
        s->error = g_strdup(why);
        g_mutex_unlock(&d->camera_lock);
    } else if (atomic_load(&s->down)) {
        atomic_fetch_add(&s->reconnects, 1);
        g_message("camera %s: up again at %.2f s, reconnected after %.1f s down", name, t,
                  (now - since) / 1e6);
    } else {
        g_message("camera %s: up at %.2f s", name, t);
    }
    if (up) /* its frame is on its way to the fusion: the health message says up now */
        atomic_store(&s->last_frame_us, g_get_monotonic_time());
    atomic_store(&s->down, !up);
    atomic_store(&s->since_us, now);
    if (d->bus) /* subscribers hear of it now, not at the end of the health interval */
        event_bus_health_now(d->bus);
    g_mutex_lock(&d->lock);
    if (d->observations) /* gatecv-fuse tells the fusion the same */
        observation_log_write_state(d->observations, camera, t, up);
    lane_fusion_camera_state(d->fusion, camera, t, up);
    g_mutex_unlock(&d->lock);
}

/* A frame as its camera took it, before its reads are back: the first notice of a vehicle
 * wholly across the line need not wait for them. */
static void look(const lane_observation *o, void *user)
{
    daemon_state *d = user;
    g_mutex_lock(&d->lock);
    lane_fusion_look(d->fusion, o);
    g_mutex_unlock(&d->lock);
}

/* Called when a camera has ended for good (on the main loop's bus watch, or, in a replay,
 * where the merge hands the end on). */
static void camera_done(int camera, double t, void *user)
{
    daemon_state *d = user;
    g_mutex_lock(&d->lock);
    if (d->observations)
        observation_log_write_done(d->observations, camera, t);
    lane_fusion_camera_done(d->fusion, camera, t);
    g_mutex_unlock(&d->lock);
    atomic_store(&d->cameras[camera].ended, true);
    if (--d->cameras_running == 0 && !d->keep_serving)
        g_main_loop_quit(d->loop);
    else if (d->cameras_running == 0)
        g_message("every camera has ended; serving the bus until SIGINT or SIGTERM");
}

/* The lane's presence sensor said a vehicle is present (or the line free) at stream time t:
 * to the fusion, and logged with the observations so that gatecv-fuse sees it too. */
static void report_trigger(daemon_state *d, gboolean present, double t)
{
    g_debug("lane trigger: %s at %.2f s", present ? "present" : "gone", t);
    g_mutex_lock(&d->lock);
    if (d->fusion) { /* NULL once the cameras have ended and the fusion has finished */
        if (d->observations)
            observation_log_write_trigger(d->observations, t, present);
        lane_fusion_trigger(d->fusion, t, present);
    }
    g_mutex_unlock(&d->lock);
}

/* A "trigger" request on the bus's request endpoint (bus thread); "at" not given is now. */
static gboolean on_trigger_request(gboolean present, gint64 at_us, void *user, char **why)
{
    (void)why;
    daemon_state *d = user;
    /* "at" as the events count their wall-clock times; now as the live cameras count theirs */
    double t = at_us ? (double)(at_us - d->epoch_us) / G_USEC_PER_SEC
                     : (double)(g_get_monotonic_time() - d->epoch_mono_us) / G_USEC_PER_SEC;
    report_trigger(d, present, t);
    return TRUE;
}

/* An edge of the presence sensor's GPIO line (main loop), at a monotonic time: the live
 * cameras' clock. */
static void on_trigger_gpio(gboolean present, gint64 at_mono_us, void *user)
{
    daemon_state *d = user;
    report_trigger(d, present, (double)(at_mono_us - d->epoch_mono_us) / G_USEC_PER_SEC);
}

static void merge_push(const lane_observation *o, void *user)
{
    daemon_state *d = user;
    count_frame(d, o);
    observation_merge_push(d->merge, o);
}

static void merge_done(int camera, double t, void *user)
{
    observation_merge_done(((daemon_state *)user)->merge, camera, t);
}

static void merge_wait(int camera, double t, void *user)
{
    observation_merge_wait(((daemon_state *)user)->merge, camera, t);
}

/* A replay as fast as the CPU allows hands the fusion the cameras' observations in stream
 * time order, so the same recording gives the same events on every run and machine; live
 * cameras and --realtime replays hand them on as they come. */
static gboolean replay_in_order(const lane_config *config, gboolean realtime)
{
    if (realtime)
        return FALSE;
    for (int i = 0; i < config->n_cameras; i++)
        if (camera_uri_is_live(config->cameras[i].uri))
            return FALSE;
    return TRUE;
}

/* A recording's times are its own stream time, a live camera's the daemon's clock: in one lane
 * the fusion could not join them (README, "One time base"). Said, not refused: a test lane may. */
static void warn_mixed_time_bases(const lane_config *config)
{
    int live = -1, recorded = -1;
    for (int i = 0; i < config->n_cameras; i++)
        *(camera_uri_is_live(config->cameras[i].uri) ? &live : &recorded) = i;
    if (live >= 0 && recorded >= 0)
        g_warning("camera %s is a recording and camera %s a live camera: their times do not "
                  "match, the fusion will not join them",
                  config->cameras[recorded].name, config->cameras[live].name);
}

static gboolean on_watchdog(gpointer user)
{
    (void)user;
    sd_notify(0, "WATCHDOG=1");
    return G_SOURCE_CONTINUE;
}

/* Runs once the main loop does, after every camera's pipeline was started: the cameras' own
 * state (a camera may be down and retried) goes to the health topic, not to systemd. */
static gboolean on_running(gpointer user)
{
    daemon_state *d = user;
    uint64_t usec = 0;
    int r = sd_watchdog_enabled(0, &usec);
    if (r < 0)
        g_warning("systemd watchdog: unusable WATCHDOG_USEC: %s", g_strerror(-r));
    else if (r > 0) /* half the interval, as sd_watchdog_enabled(3) advises */
        d->watchdog = g_timeout_add(MAX(usec / 2000, 1), on_watchdog, NULL);
    sd_notifyf(0, "READY=1\nSTATUS=%d cameras started", d->config->n_cameras);
    return G_SOURCE_REMOVE;
}

static gboolean on_signal(gpointer user)
{
    daemon_state *d = user;
    g_message("stopping on signal");
    sd_notify(0, "STOPPING=1");
    g_main_loop_quit(d->loop);
    return G_SOURCE_REMOVE;
}

static void journal_limits_from_config(const lane_journal_config *c, journal_limits *l)
{
    journal_limits_default(l);
    const double MiB = 1024.0 * 1024.0;
    l->max_bytes = (guint64)(c->max_mb * MiB);
    l->max_age_s = (gint64)c->max_age_days * 24 * 3600;
    l->segment_bytes = (guint64)(c->segment_mb * MiB);
    l->min_free_bytes = (guint64)(c->min_free_mb * MiB);
}

/* The journal (with the consumers the config registers), the manifest in force, and the
 * events.jsonl copy. FALSE + error naming what could not be opened. */
static gboolean open_records(daemon_state *d, const char *out_dir, GError **error)
{
    if (g_mkdir_with_parents(out_dir, 0755) != 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create output folder %s: %s", out_dir, g_strerror(errno));
        return FALSE;
    }
    journal_limits limits;
    journal_limits_from_config(&d->config->journal, &limits);
    gchar *dir = d->config->journal.dir ? g_strdup(d->config->journal.dir)
                                        : g_build_filename(out_dir, "journal", NULL);
    d->events = journal_open(dir, &limits, error);
    g_free(dir);
    if (!d->events)
        return FALSE;
    for (int i = 0; d->config->bus.consumers && d->config->bus.consumers[i]; i++)
        journal_register_consumer(d->events, d->config->bus.consumers[i]);
    d->expected = manifest_new();
    d->manifest_path = g_build_filename(out_dir, "manifest.json", NULL);
    if (!manifest_load(d->expected, d->manifest_path, error))
        return FALSE;
    gchar *path = g_build_filename(out_dir, "events.jsonl", NULL);
    if (!(d->copy = fopen(path, "a")))
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s",
                    path, g_strerror(errno));
    g_free(path);
    return d->copy != NULL;
}

static event_bus *start_bus(daemon_state *d, GError **error)
{
    const lane_bus_config *b = &d->config->bus;
    if (b->insecure)
        g_warning("bus: plain TCP without keys (insecure=true): anyone who reaches %s and %s "
                  "can read every event and acknowledge it",
                  b->publish, b->request);
    event_bus_options o = {
        .gate = d->config->gate,
        .lane = d->config->lane,
        .publish = b->publish,
        .request = b->request,
        .server_key = b->server_key,
        .allowed_keys = b->allowed_keys,
        .health_interval_ms = b->health_interval * 1000,
        .max_fetch = b->max_fetch,
        .max_request_bytes = b->max_request_bytes,
        .manifest_path = d->manifest_path,
        .cameras = health_cameras,
        .alarms = health_alarms,
        .cameras_user = d,
        .trigger = d->config->trigger.source == LANE_TRIGGER_REQUEST ? on_trigger_request : NULL,
        .trigger_user = d,
    };
    event_bus *bus = event_bus_new(&o, d->events, d->expected, error);
    if (bus)
        g_message("bus: publishing on %s, requests on %s%s", b->publish, b->request,
                  b->server_key ? " (CurveZMQ)" : "");
    return bus;
}

/* /metrics and /healthz, before the models load: an address in use stops start-up at once. */
static metrics_http *start_metrics(daemon_state *d, GError **error)
{
    const lane_metrics_config *m = &d->config->metrics;
    metrics_http_options o = {
        .host = m->host,
        .port = m->port,
        .registry = daemon_metrics_registry(d->metrics),
        .collect = collect_metrics,
        .health = health_check,
        .user = d,
    };
    metrics_http *http = metrics_http_new(&o, error);
    if (http) {
        char *where = metrics_http_address(m->host, m->port);
        g_message("metrics: serving http://%s/metrics and /healthz", where);
        g_free(where);
    }
    return http;
}

static void close_records(daemon_state *d)
{
    if (d->copy)
        fclose(d->copy);
    if (d->events)
        journal_close(d->events);
    if (d->expected)
        manifest_free(d->expected);
    g_free(d->manifest_path);
}

/* The box's reader threads: one per core unless [readers] threads says otherwise. A pool
 * that runs against the clock drops the least useful frames when it is behind; a replay as
 * fast as possible reads every frame it selected. */
static reader_pool *start_readers(const lane_config *config, const char *model_dir,
                                  gboolean may_drop, daemon_metrics *metrics, GError **error)
{
    reader_pool_options o;
    reader_pool_options_default(&o);
    o.threads = config->reader_threads;
    o.backlog = (guint)config->reader_backlog;
    o.may_drop = may_drop;
    o.max_wait_ms = config->reader_max_wait_ms;
    o.blank_full_pass = config->blank_full_pass;
    o.model_dir = model_dir;
    o.on_read = daemon_metrics_read;
    o.on_read_user = metrics;
    gint64 t0 = g_get_monotonic_time();
    reader_pool *pool = reader_pool_new(&o, error);
    if (pool) {
        reader_pool_stats s;
        reader_pool_get_stats(pool, &s);
        g_message("readers: %d threads, backlog of %u frames%s (models loaded in %.1f s)",
                  s.threads, o.backlog, may_drop ? ", dropping the least useful when full" : "",
                  (g_get_monotonic_time() - t0) / 1e6);
    }
    return pool;
}

/* Writes OUT/name (its text `json`, taken); a failure is a warning: these are figures for
 * benchmarks, not records. */
static void write_out_file(const char *out_dir, const char *name, gchar *json)
{
    gchar *path = g_build_filename(out_dir, name, NULL);
    GError *error = NULL;
    if (!g_file_set_contents(path, json, -1, &error)) {
        g_warning("%s", error->message);
        g_error_free(error);
    }
    g_free(path);
    g_free(json);
}

/* What the readers did: in the log, and in OUT/readers.json for benchmarks
 * (gatecv-eval --replay prints it). */
static void report_readers(reader_pool *pool, const char *out_dir)
{
    reader_pool_stats s;
    reader_pool_get_stats(pool, &s);
    g_message("readers: %" G_GUINT64_FORMAT " frames selected, %" G_GUINT64_FORMAT
              " read, %" G_GUINT64_FORMAT " dropped unread (%" G_GUINT64_FORMAT
              " of them for waiting too long); backlog max %u, p95 %u; %.1f s reading",
              s.submitted, s.read, s.dropped, s.expired, s.max_depth, s.p95_depth,
              s.read_ms / 1000.0);
    gchar *json = g_strdup_printf(
        "{\"threads\": %d, \"selected\": %" G_GUINT64_FORMAT ", \"read\": %" G_GUINT64_FORMAT
        ", \"dropped\": %" G_GUINT64_FORMAT ", \"expired\": %" G_GUINT64_FORMAT
        ", \"backlog_max\": %u, \"backlog_p95\": %u, \"read_s\": %.1f}\n",
        s.threads, s.submitted, s.read, s.dropped, s.expired, s.max_depth, s.p95_depth,
        s.read_ms / 1000.0);
    write_out_file(out_dir, "readers.json", json);
}

/* A replay of recordings at their rate: OUT/clock.json says when (monotonic microseconds,
 * the clock gatecv-eval times the events with) the first camera played its stream time 0, so
 * that a lag is counted from the frame that showed the moment, not from the daemon's start
 * (which loads its models first). Nothing for live cameras or a replay as fast as possible. */
static void report_stream_zero(camera_pipeline *const *cams, int n, const char *out_dir)
{
    gint64 zero = 0;
    for (int i = 0; i < n; i++) {
        gint64 z = cams[i] ? camera_pipeline_stream_zero_us(cams[i]) : 0;
        if (z > 0 && (zero == 0 || z < zero))
            zero = z;
    }
    if (zero == 0)
        return;
    gchar *json = g_strdup_printf("{\"stream_zero_monotonic_us\": %" G_GINT64_FORMAT "}\n", zero);
    write_out_file(out_dir, "clock.json", json);
}

/* The system clock's time at the moment the daemon took its epoch (monotonic epoch_mono_us):
 * stream time 0 of every live camera, which is the wall-clock time epoch_us in events. */
static GstClockTime live_epoch(gint64 epoch_mono_us)
{
    GstClock *clock = gst_system_clock_obtain();
    GstClockTime now = gst_clock_get_time(clock);
    gst_object_unref(clock);
    GstClockTime since = (GstClockTime)(g_get_monotonic_time() - epoch_mono_us) * GST_USECOND;
    return now > since ? now - since : 0;
}

static int run(daemon_state *d, const char *out_dir, gboolean realtime, const char *model_dir,
               gint64 epoch_us, gint64 epoch_mono_us)
{
    GError *error = NULL;
    if (!open_records(d, out_dir, &error)) {
        fprintf(stderr, "gatecvd: %s\n", error->message);
        g_clear_error(&error);
        close_records(d);
        return 2;
    }
    /* the fusion before the bus: a trigger request may come as soon as it listens */
    d->epoch_us = epoch_us;
    d->epoch_mono_us = epoch_mono_us;
    d->writer = event_writer_new(d->config, epoch_us, d->expected);
    d->fusion = lane_fusion_new(d->config, d->config->join_window, on_crossing, d);
    if ((d->config->bus.enabled && !(d->bus = start_bus(d, &error))) ||
        (d->config->metrics.host && !(d->http = start_metrics(d, &error))) ||
        (d->config->trigger.source == LANE_TRIGGER_GPIO &&
         !(d->gpio = trigger_gpio_open(d->config->trigger.gpio_chip, d->config->trigger.gpio_line,
                                       d->config->trigger.active_low, on_trigger_gpio, d,
                                       &error)))) {
        fprintf(stderr, "gatecvd: %s\n", error->message);
        g_clear_error(&error);
        g_clear_pointer(&d->http, metrics_http_free);
        event_bus_free(d->bus);
        lane_fusion_free(d->fusion);
        event_writer_free(d->writer);
        close_records(d);
        return 2;
    }
    d->loop = g_main_loop_new(NULL, FALSE);
    gboolean in_order = replay_in_order(d->config, realtime);
    warn_mixed_time_bases(d->config);
    if (!(d->readers = start_readers(d->config, model_dir, !in_order, d->metrics, &error))) {
        fprintf(stderr, "gatecvd: %s\n", error->message);
        g_clear_error(&error);
        d->status = 2;
    }
    camera_options opts = {realtime, (guint)d->config->read_interval, d->readers,
                           live_epoch(epoch_mono_us)};
    camera_sink sink = {observe, camera_done, NULL, look, camera_state, d};
    if (in_order) {
        observation_merge_sink merged = {observe, camera_done, d};
        d->merge = observation_merge_new(d->config->n_cameras, REPLAY_MAX_AHEAD_S, &merged);
        sink = (camera_sink){merge_push, merge_done, merge_wait, NULL, NULL, d};
    }
    camera_pipeline *cams[LANE_MAX_CAMERAS] = {0};
    for (int i = 0; i < d->config->n_cameras && d->status == 0; i++) {
        cams[i] = camera_pipeline_new(d->config, i, &opts, &sink, &error);
        if (!cams[i]) {
            fprintf(stderr, "gatecvd: %s\n", error->message);
            g_clear_error(&error);
            d->status = 2;
            break;
        }
    }
    if (d->status == 0) {
        d->cameras_running = d->config->n_cameras;
        for (int i = 0; i < d->config->n_cameras; i++)
            camera_pipeline_start(cams[i]);
        g_unix_signal_add(SIGINT, on_signal, d);
        g_unix_signal_add(SIGTERM, on_signal, d);
        g_idle_add(on_running, d);
        g_main_loop_run(d->loop);
        if (d->watchdog)
            g_source_remove(d->watchdog);
    }
    g_clear_pointer(&d->http, metrics_http_free); /* its handlers read what goes next */
    g_clear_pointer(&d->gpio, trigger_gpio_close);
    if (d->merge) /* hands on what it holds, and lets waiting cameras go: they can stop */
        observation_merge_stop(d->merge);
    if (d->readers) /* frames still waiting go to their cameras unread: they can stop */
        reader_pool_cancel(d->readers);
    if (realtime)
        report_stream_zero(cams, d->config->n_cameras, out_dir);
    for (int i = 0; i < d->config->n_cameras; i++)
        camera_pipeline_free(cams[i]); /* stops the streaming threads first */
    if (d->readers)
        report_readers(d->readers, out_dir);
    g_clear_pointer(&d->readers, reader_pool_free);
    g_clear_pointer(&d->merge, observation_merge_free);
    g_mutex_lock(&d->lock); /* the bus thread may still hand on a trigger */
    lane_fusion_finish(d->fusion);
    g_clear_pointer(&d->fusion, lane_fusion_free);
    g_mutex_unlock(&d->lock);
    g_main_loop_unref(d->loop);
    event_bus_free(d->bus); /* after the last crossing: it sends what it was told to */
    event_writer_free(d->writer);
    close_records(d);
    return d->status;
}

static gboolean parse_start_time(const char *text, gint64 *epoch_us)
{
    GDateTime *dt = g_date_time_new_from_iso8601(text, NULL);
    if (!dt)
        return FALSE;
    *epoch_us = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
    g_date_time_unref(dt);
    return TRUE;
}

/* --metrics IP:PORT wins over [metrics] listen=; an empty one turns the endpoint off. */
static gboolean override_metrics(lane_config *config, const char *text)
{
    char *host = NULL;
    int port = 0;
    const char *why = NULL;
    if (!lane_parse_listen(text, &host, &port, &why)) {
        fprintf(stderr, "gatecvd: --metrics: %s, got '%s'\n", why, text);
        return FALSE;
    }
    g_free(config->metrics.host);
    config->metrics.host = host;
    config->metrics.port = port;
    return TRUE;
}

/* Large buffers (the networks' blobs, decoded frames) come from mmap and go back to the system
 * when freed. glibc's default raises its mmap threshold after the first such buffer is freed,
 * so the detector instances loaded and evicted by input size, and the frames the readers hold
 * for a while, then fragment the heap for good. The dev gate lane replayed as fast as possible:
 * peak RSS 833 MB with the default, 707 MB with this; the price is the kernel's zeroed pages,
 * system time 26 -> 31 s of some 250 s of CPU (256 KB: the same RSS, 37 s). */
#define MMAP_FROM_BYTES (1024 * 1024)

int main(int argc, char **argv)
{
    mallopt(M_MMAP_THRESHOLD, MMAP_FROM_BYTES);
    gboolean opt_version = FALSE, opt_realtime = FALSE, opt_keep_serving = FALSE;
    gchar *opt_print = NULL;
    gchar *opt_config = NULL, *opt_out = NULL, *opt_model_dir = NULL, *opt_start = NULL;
    gchar *opt_observations = NULL, *opt_metrics = NULL;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Lane configuration (key file)",
         "FILE"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
         "Folder for the journal, manifest.json and events.jsonl (default gatecv-out)", "DIR"},
        {"keep-serving", 0, 0, G_OPTION_ARG_NONE, &opt_keep_serving,
         "After every camera has ended, go on answering the bus until SIGINT or SIGTERM", NULL},
        {"realtime", 0, 0, G_OPTION_ARG_NONE, &opt_realtime,
         "Replay recordings at their own rate (default: as fast as the CPU allows)", NULL},
        {"model-dir", 'm', 0, G_OPTION_ARG_FILENAME, &opt_model_dir,
         "Folder of the converted models (default $GATECV_MODEL_DIR, "
         "else " GATECV_DEFAULT_MODEL_DIR ")",
         "DIR"},
        {"print", 'p', 0, G_OPTION_ARG_STRING, &opt_print,
         "What to print per event on stdout: json (default) or summary (readable)", "WHAT"},
        {"start-time", 0, 0, G_OPTION_ARG_STRING, &opt_start,
         "Wall-clock time of stream time 0, RFC 3339 (default: now); a fixed value makes a "
         "replay's timestamps reproducible",
         "TIME"},
        {"observations", 0, 0, G_OPTION_ARG_FILENAME, &opt_observations,
         "Also write every camera observation (motion box, reads) to FILE, one line each, "
         "for gatecv-fuse to run the lane fusion on again",
         "FILE"},
        {"metrics", 0, 0, G_OPTION_ARG_STRING, &opt_metrics,
         "Serve /metrics and /healthz over HTTP on IP:PORT (e.g. 127.0.0.1:9464; empty: "
         "not at all), instead of what [metrics] listen= says",
         "IP:PORT"},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx,
                                 "gatecv gate daemon: verified crossing events from lane cameras.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, gst_init_get_option_group());
    GError *error = NULL;
    gint64 epoch_us = g_get_real_time();
    gint64 epoch_mono_us = g_get_monotonic_time(); /* the same moment, for live cameras */
    daemon_state d = {0};
    int status = 2;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "gatecvd: %s (try --help)\n", error->message);
    } else if (opt_version) {
        printf("gatecvd %s\n", GATECV_VERSION);
        status = 0;
    } else if (!opt_config) {
        fprintf(stderr, "gatecvd: --config FILE is required (try --help)\n");
    } else if (opt_start && !parse_start_time(opt_start, &epoch_us)) {
        fprintf(stderr,
                "gatecvd: --start-time: '%s' is not an RFC 3339 time "
                "(e.g. 2026-11-23T18:30:00Z)\n",
                opt_start);
    } else if (opt_print && strcmp(opt_print, "json") != 0 && strcmp(opt_print, "summary") != 0) {
        fprintf(stderr, "gatecvd: --print takes json or summary, not '%s'\n", opt_print);
    } else if (!(d.config = lane_config_load(opt_config, &error)) ||
               !lane_calib_apply(d.config, &error)) {
        fprintf(stderr, "gatecvd: %s\n", error->message);
    } else if (opt_metrics && !override_metrics(d.config, opt_metrics)) {
        /* said why */
    } else if (opt_observations && !(d.observations = fopen(opt_observations, "w"))) {
        fprintf(stderr, "gatecvd: --observations: cannot write %s: %s\n", opt_observations,
                g_strerror(errno));
    } else {
        d.summary = opt_print && strcmp(opt_print, "summary") == 0;
        d.keep_serving = opt_keep_serving;
        g_mutex_init(&d.lock);
        d.metrics = daemon_metrics_new(d.config);
        gst_init(NULL, NULL);
#ifdef GATECV_PLUGIN_DIR
        /* The plugin of this build, unless GST_PLUGIN_PATH says otherwise. A packaged
         * gatecvd (GATECV_PACKAGE) has no build: GStreamer finds the installed plugin. */
        if (!g_getenv("GST_PLUGIN_PATH"))
            gst_registry_scan_path(gst_registry_get(), GATECV_PLUGIN_DIR);
#endif
        g_mutex_init(&d.camera_lock);
        status = run(&d, opt_out ? opt_out : "gatecv-out", opt_realtime, opt_model_dir, epoch_us,
                     epoch_mono_us);
        g_mutex_clear(&d.lock);
        g_mutex_clear(&d.camera_lock);
        for (int i = 0; i < LANE_MAX_CAMERAS; i++)
            g_free(d.cameras[i].error);
        daemon_metrics_free(d.metrics);
    }
    g_clear_error(&error);
    g_option_context_free(ctx);
    if (d.observations)
        fclose(d.observations);
    lane_config_free(d.config);
    g_free(opt_observations);
    g_free(opt_metrics);
    g_free(opt_config);
    g_free(opt_out);
    g_free(opt_model_dir);
    g_free(opt_start);
    g_free(opt_print);
    return status;
}
