/*
 * gatecvd — the gate daemon: one GStreamer pipeline per camera, lane fusion, crossing
 * events (JSON lines on stdout and in OUT/events.jsonl, evidence JPEGs in OUT).
 *
 *   gatecvd --config lane.conf [--out DIR] [--realtime] [--model-dir DIR] [--start-time T]
 *   gatecvd --version
 *
 * A recording is replayed as fast as the CPU allows (or at its own rate with
 * --realtime); the daemon exits when every camera has ended. Live cameras run until
 * SIGINT / SIGTERM. Exit codes: 0 ok, 1 an event could not be written, 2 bad config or
 * options.
 */
#define G_LOG_DOMAIN "gatecvd"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>
#include <gst/gst.h>

#include "camera_pipeline.h"
#include "crossing_event.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "observation_log.h"
#include "observation_merge.h"

/* How far (stream seconds) a camera of a replay may run ahead of the slowest one. */
#define REPLAY_MAX_AHEAD_S 5.0

typedef struct {
    lane_config *config;
    lane_fusion *fusion;
    event_writer *writer;
    FILE *journal;            /* OUT/events.jsonl */
    FILE *observations;       /* --observations: what the cameras told the fusion, or NULL */
    observation_merge *merge; /* a replay as fast as possible: the cameras in time order */
    GMutex lock;              /* fusion and writer are fed from every camera's thread */
    gboolean summary;         /* --print summary: a readable line per event instead of JSON */
    guint64 printed;
    int cameras_running;
    GMainLoop *loop;
    int status;
} daemon_state;

/* One readable line per crossing and one per plate or code, for people watching. */
static void print_summary(const lane_crossing *c, guint64 n)
{
    printf("crossing %" G_GUINT64_FORMAT ": %s %s at %.1f s: %s", n, c->vehicle_kind,
           lane_direction_name(c->direction), c->t_cross, c->status);
    for (int i = 0; i < c->n_reasons; i++)
        printf("%s%s", i ? ", " : " (", c->reasons[i]);
    printf("%s\n", c->n_reasons ? ")" : "");
    for (int i = 0; i < c->n_plates; i++) {
        const lane_item *p = &c->plates[i];
        const char *country = gatecv_country_name(p->read.country);
        printf("    plate      %-14s %-3s %-9s camera %-10s %d frames%s\n", p->read.display,
               country ? country : "-", gatecv_layout_name(p->read.layout), p->camera, p->frames,
               p->read.valid ? "" : "  (not valid)");
    }
    for (int i = 0; i < c->n_containers; i++) {
        const lane_item *k = &c->containers[i];
        printf("    container  %-14s %-13s camera %-10s %d frames\n", k->read.display,
               k->read.size_type, k->camera, k->frames);
    }
}

static void on_crossing(const lane_crossing *c, void *user)
{
    daemon_state *d = user;
    GError *error = NULL;
    char *json = event_writer_write(d->writer, c, &error);
    if (!json) {
        g_critical("event not written: %s", error->message);
        g_error_free(error);
        d->status = 1;
        return;
    }
    fprintf(d->journal, "%s\n", json);
    fflush(d->journal);
    fsync(fileno(d->journal));
    if (d->summary)
        print_summary(c, ++d->printed);
    else
        printf("%s\n", json);
    fflush(stdout);
    g_free(json);
}

static void observe(const lane_observation *o, void *user)
{
    daemon_state *d = user;
    g_mutex_lock(&d->lock);
    if (d->observations)
        observation_log_write(d->observations, o);
    lane_fusion_observe(d->fusion, o);
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
    if (--d->cameras_running == 0)
        g_main_loop_quit(d->loop);
}

static void merge_push(const lane_observation *o, void *user)
{
    observation_merge_push(((daemon_state *)user)->merge, o);
}

static void merge_done(int camera, double t, void *user)
{
    observation_merge_done(((daemon_state *)user)->merge, camera, t);
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

static gboolean on_signal(gpointer user)
{
    daemon_state *d = user;
    g_message("stopping on signal");
    g_main_loop_quit(d->loop);
    return G_SOURCE_REMOVE;
}

static int run(daemon_state *d, const char *out_dir, gboolean realtime, const char *model_dir,
               gint64 epoch_us)
{
    GError *error = NULL;
    d->writer = event_writer_new(d->config, out_dir, epoch_us, &error);
    gchar *journal = g_build_filename(out_dir, "events.jsonl", NULL);
    d->journal = d->writer ? fopen(journal, "a") : NULL;
    if (!d->journal) {
        fprintf(stderr, "gatecvd: %s\n", error ? error->message : journal);
        g_clear_error(&error);
        g_free(journal);
        return 2;
    }
    g_free(journal);
    d->fusion = lane_fusion_new(d->config, d->config->join_window, on_crossing, d);
    d->loop = g_main_loop_new(NULL, FALSE);
    camera_options opts = {realtime, model_dir, (guint)d->config->read_interval};
    camera_sink sink = {observe, camera_done, d};
    if (replay_in_order(d->config, realtime)) {
        observation_merge_sink merged = {observe, camera_done, d};
        d->merge = observation_merge_new(d->config->n_cameras, REPLAY_MAX_AHEAD_S, &merged);
        sink = (camera_sink){merge_push, merge_done, d};
    }
    camera_pipeline *cams[LANE_MAX_CAMERAS] = {0};
    for (int i = 0; i < d->config->n_cameras; i++) {
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
        g_main_loop_run(d->loop);
    }
    if (d->merge) /* hands on what it holds, and lets waiting cameras go: they can stop */
        observation_merge_stop(d->merge);
    for (int i = 0; i < d->config->n_cameras; i++)
        camera_pipeline_free(cams[i]); /* stops the streaming threads first */
    g_clear_pointer(&d->merge, observation_merge_free);
    lane_fusion_finish(d->fusion);
    lane_fusion_free(d->fusion);
    g_main_loop_unref(d->loop);
    fclose(d->journal);
    event_writer_free(d->writer);
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

int main(int argc, char **argv)
{
    gboolean opt_version = FALSE, opt_realtime = FALSE;
    gchar *opt_print = NULL;
    gchar *opt_config = NULL, *opt_out = NULL, *opt_model_dir = NULL, *opt_start = NULL;
    gchar *opt_observations = NULL;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Lane configuration (key file)",
         "FILE"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
         "Folder for events.jsonl, evidence JPEGs and SEQ (default gatecv-out)", "DIR"},
        {"realtime", 0, 0, G_OPTION_ARG_NONE, &opt_realtime,
         "Replay recordings at their own rate (default: as fast as the CPU allows)", NULL},
        {"model-dir", 'm', 0, G_OPTION_ARG_FILENAME, &opt_model_dir,
         "Folder of the converted models (default $GATECV_MODEL_DIR or the build's)", "DIR"},
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
        fprintf(stderr, "gatecvd: --start-time: '%s' is not an RFC 3339 time "
                        "(e.g. 2026-11-23T18:30:00Z)\n",
                opt_start);
    } else if (opt_print && strcmp(opt_print, "json") != 0 && strcmp(opt_print, "summary") != 0) {
        fprintf(stderr, "gatecvd: --print takes json or summary, not '%s'\n", opt_print);
    } else if (!(d.config = lane_config_load(opt_config, &error))) {
        fprintf(stderr, "gatecvd: %s\n", error->message);
    } else if (opt_observations && !(d.observations = fopen(opt_observations, "w"))) {
        fprintf(stderr, "gatecvd: --observations: cannot write %s: %s\n", opt_observations,
                g_strerror(errno));
    } else {
        d.summary = opt_print && strcmp(opt_print, "summary") == 0;
        g_mutex_init(&d.lock);
        gst_init(NULL, NULL);
        /* The plugin of this build, unless GST_PLUGIN_PATH says otherwise. */
        if (!g_getenv("GST_PLUGIN_PATH"))
            gst_registry_scan_path(gst_registry_get(), GATECV_PLUGIN_DIR);
        status = run(&d, opt_out ? opt_out : "gatecv-out", opt_realtime, opt_model_dir, epoch_us);
        g_mutex_clear(&d.lock);
    }
    g_clear_error(&error);
    g_option_context_free(ctx);
    if (d.observations)
        fclose(d.observations);
    lane_config_free(d.config);
    g_free(opt_observations);
    g_free(opt_config);
    g_free(opt_out);
    g_free(opt_model_dir);
    g_free(opt_start);
    g_free(opt_print);
    return status;
}
