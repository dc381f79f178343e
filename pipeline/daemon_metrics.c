/*
 * daemon_metrics.c — gatecvd's metric families and how they are filled (see
 * daemon_metrics.h). Owns the registry; what each metric means is in README.md, "Watching
 * it".
 */
#include "daemon_metrics.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define V(...) ((const char *const[]){__VA_ARGS__})

static const char *const STATUSES[] = {"verified", "needs_review", "mismatch"};
static const char *const REVISIONS[] = {"provisional", "final"};

/* Bucket bounds, seconds. A read takes 0.1-1 s and may wait up to max_wait_ms (3 s by
 * default) before it; an event's journal write is an fdatasync; the fusion settles a vehicle
 * seconds after it leaves the view. */
static const double READ_WAIT_BOUNDS[] = {0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30};
static const double READ_BOUNDS[] = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5};
static const double PUBLISH_BOUNDS[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
static const double SETTLE_BOUNDS[] = {0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 60};

struct daemon_metrics {
    const lane_config *config;
    metrics_registry *registry;
    GMutex lock;              /* the two counts below (events come from several threads) */
    guint64 finals, verified; /* final revisions journaled, and of those verified */
    metrics_family *frames, *moving, *camera_up, *reconnects;
    metrics_family *threads, *selected, *reads, *dropped, *expired, *busy;
    metrics_family *backlog, *backlog_max, *backlog_bound;
    metrics_family *read_latency, *read_time;
    metrics_family *events, *events_failed, *verified_ratio, *publish, *settle;
    metrics_family *journal_bytes, *journal_backlog, *journal_last_seq, *journal_free;
};

static metrics_family *counter(daemon_metrics *m, const char *name, const char *help,
                               const char *const *labels)
{
    return metrics_register(m->registry, METRICS_COUNTER, name, help, labels, NULL, 0);
}

static metrics_family *gauge(daemon_metrics *m, const char *name, const char *help,
                             const char *const *labels)
{
    return metrics_register(m->registry, METRICS_GAUGE, name, help, labels, NULL, 0);
}

static metrics_family *histogram(daemon_metrics *m, const char *name, const char *help,
                                 const char *const *labels, const double *bounds, int n)
{
    return metrics_register(m->registry, METRICS_HISTOGRAM, name, help, labels, bounds, n);
}

daemon_metrics *daemon_metrics_new(const lane_config *config)
{
    daemon_metrics *m = g_new0(daemon_metrics, 1);
    m->config = config;
    m->registry = metrics_registry_new();
    g_mutex_init(&m->lock);
    metrics_set(gauge(m, "gatecv_build_info", "The daemon's version (always 1).", L("version")),
                V(GATECV_VERSION), 1);
    m->frames = counter(m, "gatecv_frames_total", "Frames decoded, per camera.", L("camera"));
    m->moving = counter(m, "gatecv_moving_frames_total",
                        "Frames the motion gate marked moving (gated in), per camera.",
                        L("camera"));
    m->camera_up = gauge(m, "gatecv_camera_up",
                         "1 while the camera delivers frames (one within 3 s), 0 when it is "
                         "down (a live camera lost, being reconnected) or its recording ended.",
                         L("camera", "role"));
    m->reconnects = counter(m, "gatecv_camera_reconnects_total",
                            "Times a live camera came back after being down, per camera.",
                            L("camera"));
    m->threads = gauge(m, "gatecv_reader_threads", "Reader threads.", NULL);
    m->selected = counter(m, "gatecv_frames_selected_total",
                          "Frames selected for a read and handed to the readers.", NULL);
    m->reads = counter(m, "gatecv_reads_total", "Frames read.", NULL);
    m->dropped = counter(m, "gatecv_frames_dropped_total",
                         "Selected frames given back unread (backlog full, waited too long, "
                         "or shutting down).",
                         NULL);
    m->expired = counter(m, "gatecv_frames_expired_total",
                         "Of the dropped frames, those that waited [readers] max_wait_ms.", NULL);
    m->busy = counter(m, "gatecv_reader_busy_seconds_total",
                      "Reader threads' time spent reading, summed.", NULL);
    m->backlog = gauge(m, "gatecv_backlog_frames", "Frames waiting to be read now.", NULL);
    m->backlog_max =
        gauge(m, "gatecv_backlog_max_frames", "The most frames that waited at once.", NULL);
    m->backlog_bound = gauge(m, "gatecv_backlog_bound_frames",
                             "The backlog's bound ([readers] backlog).", NULL);
    m->read_latency = histogram(m, "gatecv_read_latency_seconds",
                                "From a frame handed to the readers to its reads back: waiting "
                                "plus reading, per camera.",
                                L("camera"), READ_WAIT_BOUNDS, G_N_ELEMENTS(READ_WAIT_BOUNDS));
    m->read_time = histogram(m, "gatecv_read_seconds", "A read alone, per camera.", L("camera"),
                             READ_BOUNDS, G_N_ELEMENTS(READ_BOUNDS));
    m->events = counter(m, "gatecv_events_total",
                        "Crossing events journaled (and published when there is a bus), by "
                        "status and revision kind.",
                        L("status", "revision"));
    m->events_failed = counter(m, "gatecv_events_failed_total",
                               "Crossing events the journal refused: not published.", NULL);
    m->verified_ratio = gauge(m, "gatecv_verified_ratio",
                              "Of the final revisions journaled, the share verified (absent "
                              "until the first).",
                              NULL);
    m->publish = histogram(m, "gatecv_event_publish_seconds",
                           "From the fusion's decision to the event journaled (fdatasync) and "
                           "handed to the bus, by revision kind.",
                           L("revision"), PUBLISH_BOUNDS, G_N_ELEMENTS(PUBLISH_BOUNDS));
    m->settle = histogram(m, "gatecv_event_settle_seconds",
                          "Final revisions: stream seconds from the vehicle's last sight "
                          "(ts_exit) to the fusion's decision.",
                          NULL, SETTLE_BOUNDS, G_N_ELEMENTS(SETTLE_BOUNDS));
    m->journal_bytes =
        gauge(m, "gatecv_journal_bytes", "Size of the journal's segment files on disk.", NULL);
    m->journal_backlog = gauge(m, "gatecv_journal_backlog_records",
                               "Events the slowest registered consumer has not acknowledged "
                               "(0 without consumers).",
                               NULL);
    m->journal_last_seq = gauge(m, "gatecv_journal_last_seq", "The newest seq journaled.", NULL);
    m->journal_free =
        gauge(m, "gatecv_journal_disk_free_bytes", "Free space on the journal's disk.", NULL);
    for (int i = 0; i < config->n_cameras; i++) {
        const char *name = config->cameras[i].name;
        metrics_set(m->frames, V(name), 0);
        metrics_set(m->moving, V(name), 0);
        metrics_set(m->camera_up, V(name, lane_role_name(config->cameras[i].role)), 0);
        metrics_set(m->reconnects, V(name), 0);
    }
    for (size_t s = 0; s < G_N_ELEMENTS(STATUSES); s++)
        for (size_t r = 0; r < G_N_ELEMENTS(REVISIONS); r++)
            metrics_set(m->events, V(STATUSES[s], REVISIONS[r]), 0);
    metrics_set(m->events_failed, NULL, 0);
    return m;
}

void daemon_metrics_free(daemon_metrics *m)
{
    if (!m)
        return;
    metrics_registry_free(m->registry);
    g_mutex_clear(&m->lock);
    g_free(m);
}

metrics_registry *daemon_metrics_registry(daemon_metrics *m)
{
    return m->registry;
}

void daemon_metrics_read(const char *camera, double latency_s, double read_s, void *user)
{
    daemon_metrics *m = user;
    metrics_observe(m->read_latency, V(camera), latency_s);
    metrics_observe(m->read_time, V(camera), read_s);
}

void daemon_metrics_event(daemon_metrics *m, const lane_crossing *c, const char *status,
                          gboolean journaled, double publish_s)
{
    if (!journaled) {
        metrics_add(m->events_failed, NULL, 1);
        return;
    }
    const char *revision = c->provisional ? "provisional" : "final";
    metrics_add(m->events, V(status, revision), 1);
    metrics_observe(m->publish, V(revision), publish_s);
    if (c->provisional)
        return;
    metrics_observe(m->settle, NULL, MAX(c->t_decided - c->t_exit, 0));
    g_mutex_lock(&m->lock);
    m->finals++;
    m->verified += strcmp(status, "verified") == 0;
    double ratio = (double)m->verified / (double)m->finals;
    metrics_set(m->verified_ratio, NULL, ratio); /* under the lock: set in event order */
    g_mutex_unlock(&m->lock);
}

void daemon_metrics_collect(daemon_metrics *m, const daemon_camera_state *cameras,
                            const reader_pool_stats *r, journal *events)
{
    for (int i = 0; i < m->config->n_cameras; i++) {
        const lane_camera *cam = &m->config->cameras[i];
        metrics_set(m->frames, V(cam->name), (double)cameras[i].frames);
        metrics_set(m->moving, V(cam->name), (double)cameras[i].moving);
        metrics_set(m->camera_up, V(cam->name, lane_role_name(cam->role)), cameras[i].up);
        metrics_set(m->reconnects, V(cam->name), (double)cameras[i].reconnects);
    }
    metrics_set(m->backlog_bound, NULL, m->config->reader_backlog);
    if (r) {
        metrics_set(m->threads, NULL, r->threads);
        metrics_set(m->selected, NULL, (double)r->submitted);
        metrics_set(m->reads, NULL, (double)r->read);
        metrics_set(m->dropped, NULL, (double)r->dropped);
        metrics_set(m->expired, NULL, (double)r->expired);
        metrics_set(m->busy, NULL, r->read_ms / 1000.0);
        metrics_set(m->backlog, NULL, r->depth);
        metrics_set(m->backlog_max, NULL, r->max_depth);
    }
    if (events) {
        journal_status s;
        journal_get_status(events, &s);
        metrics_set(m->journal_bytes, NULL, (double)s.bytes);
        metrics_set(m->journal_backlog, NULL, (double)s.backlog);
        metrics_set(m->journal_last_seq, NULL, (double)s.last_seq);
        metrics_set(m->journal_free, NULL, (double)s.disk_free_bytes);
        journal_status_clear(&s);
    }
}

gboolean daemon_metrics_health(const lane_config *config, const daemon_camera_state *cameras,
                               GString *body)
{
    gboolean healthy = TRUE;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "cameras");
    json_builder_begin_array(b);
    for (int i = 0; i < config->n_cameras; i++) {
        healthy = healthy && cameras[i].up;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, config->cameras[i].name);
        json_builder_set_member_name(b, "state");
        json_builder_add_string_value(b, cameras[i].up      ? "up"
                                         : cameras[i].ended ? "ended"
                                                            : "down");
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, healthy ? "ok" : "camera_down");
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = json_to_string(root, FALSE);
    g_string_append(body, text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
    return healthy;
}
