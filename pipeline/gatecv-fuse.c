/*
 * gatecv-fuse — the lane fusion alone, run on the observations gatecvd wrote with
 * --observations: the crossings it decides, without decoding or reading a frame again.
 * For working on the fusion (a replay's reads take minutes; this takes a second) and for
 * looking into an event after the fact.
 *
 *   gatecv-fuse --config lane.conf --observations FILE [--triggers FILE] [--out DIR]
 *               [--start-time T]
 *
 * --triggers adds a presence sensor's reports (trigger lines, as gatecv-scenegen's
 * triggers.tsv or another log's) to those the observations hold, each handed to the fusion
 * before the first observation later than it (a sensor reports as it sees, ahead of the
 * cameras' reads): what the same lane would have given with a sensor at the line.
 *
 * Events go to DIR/events.jsonl (default gatecv-fuse-out, made anew; seq from 1) as
 * gatecvd writes them, provisional revisions too when the configuration has them ([fusion]
 * provisional), without evidence pictures or a journal, and one readable line each to
 * stdout. A line of FILE that cannot be
 * parsed is reported with its number and skipped. Exit codes: 0 ok, 1 lines skipped or an
 * event not written, 2 bad options or configuration.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "crossing_event.h"
#include "lane_calib.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "observation_log.h"

typedef struct {
    event_writer *writer;
    FILE *journal;
    int n, status;
} fuse_state;

static void on_crossing(const lane_crossing *c, void *user)
{
    fuse_state *s = user;
    GError *error = NULL;
    crossing_event *e = event_writer_build(s->writer, c, (guint64)++s->n, &error);
    if (!e) {
        fprintf(stderr, "gatecv-fuse: event not written: %s\n", error->message);
        g_error_free(error);
        s->status = 1;
        return;
    }
    fprintf(s->journal, "%s\n", e->json);
    crossing_event_free(e);
    printf("crossing %d: %s %s at %.2f s (%.2f-%.2f, decided at %.2f s), vehicle %" G_GUINT64_FORMAT
           " %s revision %d: %s",
           s->n, c->vehicle_kind, lane_direction_name(c->direction), c->t_cross, c->t_enter,
           c->t_exit, c->t_decided, c->vehicle_id, c->provisional ? "provisional" : "final",
           c->revision, c->status);
    for (int i = 0; i < c->n_reasons; i++)
        printf("%s%s", i ? ", " : " (", c->reasons[i]);
    printf("%s\n", c->n_reasons ? ")" : "");
    for (int i = 0; i < c->n_plates; i++)
        printf("    plate      %-12s camera %-10s %d frames%s%s\n", c->plates[i].read.text,
               c->plates[i].camera, c->plates[i].frames,
               c->plates[i].read.valid ? "" : " (not valid)",
               c->plates[i].told != ITEM_OWN ? " (superseded)" : "");
    for (int i = 0; i < c->n_containers; i++)
        printf("    container  %-12s camera %-10s %d frames%s\n", c->containers[i].read.text,
               c->containers[i].camera, c->containers[i].frames,
               c->containers[i].told != ITEM_OWN ? " (superseded)" : "");
}

/* The presence sensor's reports of --triggers, in time order (line by line as written). */
typedef struct {
    GArray *reports; /* lane_observation: t, moving = present */
    guint next;
} trigger_feed;

/* Reads the trigger lines of `path`; FALSE + error naming the file and line. */
static gboolean read_triggers(const char *path, trigger_feed *tf, GError **error)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return FALSE;
    gchar **lines = g_strsplit(text, "\n", -1);
    GArray *reads = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    gboolean ok = TRUE;
    for (int i = 0; ok && lines[i]; i++) {
        if (!*g_strchomp(lines[i]))
            continue;
        lane_observation o;
        observation_line kind;
        GError *e = NULL;
        ok = observation_log_parse(lines[i], &o, reads, &kind, &e) && kind == OBSERVATION_TRIGGER;
        if (ok)
            g_array_append_val(tf->reports, o);
        else
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: %s", path, i + 1,
                        e ? e->message : "not a trigger line");
        g_clear_error(&e);
    }
    g_array_free(reads, TRUE);
    g_strfreev(lines);
    g_free(text);
    return ok;
}

/* Hands the fusion every report of tf up to time t. */
static void triggers_until(lane_fusion *f, trigger_feed *tf, double t)
{
    for (; tf->next < tf->reports->len; tf->next++) {
        const lane_observation *r = &g_array_index(tf->reports, lane_observation, tf->next);
        if (r->t > t)
            break;
        lane_fusion_trigger(f, r->t, r->moving);
    }
}

/* Feeds every line of `path` to the fusion, with the reports of tf at their times; returns
 * the number of lines skipped, or -1 if the file cannot be read. */
static int feed(lane_fusion *f, const char *path, int n_cameras, trigger_feed *tf)
{
    FILE *in = fopen(path, "r");
    if (!in)
        return -1;
    GArray *reads = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, skipped = 0;
    while (getline(&line, &cap, in) > 0) {
        lineno++;
        g_strchomp(line);
        lane_observation o;
        observation_line kind;
        gboolean up;
        GError *error = NULL;
        int camera;
        double t;
        if (observation_log_parse_state(line, &camera, &t, &up)) { /* a live camera's outage */
            triggers_until(f, tf, t);
            if (camera >= 0 && camera < n_cameras)
                lane_fusion_camera_state(f, camera, t, up);
            continue;
        }
        if (!observation_log_parse(line, &o, reads, &kind, &error) ||
            (kind != OBSERVATION_TRIGGER && (o.camera < 0 || o.camera >= n_cameras))) {
            fprintf(stderr, "gatecv-fuse: %s:%d: %s\n", path, lineno,
                    error ? error->message : "camera index outside the configuration");
            g_clear_error(&error);
            skipped++;
            continue;
        }
        triggers_until(f, tf, o.t);
        if (kind == OBSERVATION_TRIGGER) {
            lane_fusion_trigger(f, o.t, o.moving);
        } else if (kind == OBSERVATION_DONE) {
            lane_fusion_camera_done(f, o.camera, o.t);
        } else {
            lane_fusion_look(f, &o); /* as a replay in order does: no lead */
            lane_fusion_observe(f, &o);
        }
    }
    triggers_until(f, tf, INFINITY);
    free(line);
    fclose(in);
    g_array_free(reads, TRUE);
    return skipped;
}

int main(int argc, char **argv)
{
    gchar *opt_config = NULL, *opt_obs = NULL, *opt_out = NULL, *opt_start = NULL;
    gchar *opt_triggers = NULL;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "The lane configuration", "FILE"},
        {"observations", 0, 0, G_OPTION_ARG_FILENAME, &opt_obs,
         "Observations written by gatecvd --observations", "FILE"},
        {"triggers", 0, 0, G_OPTION_ARG_FILENAME, &opt_triggers,
         "Presence sensor reports to add, as trigger lines (gatecv-scenegen's triggers.tsv)",
         "FILE"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
         "Folder for events.jsonl (default gatecv-fuse-out)", "DIR"},
        {"start-time", 0, 0, G_OPTION_ARG_STRING, &opt_start,
         "Wall-clock time of stream time 0, RFC 3339 (default 2000-01-01T00:00:00Z, as "
         "gatecv-eval --replay)",
         "TIME"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, "Run the lane fusion on observations gatecvd recorded.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    lane_config *config = NULL;
    GDateTime *start = NULL;
    trigger_feed tf = {g_array_new(FALSE, FALSE, sizeof(lane_observation)), 0};
    int status = 2;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "gatecv-fuse: %s (try --help)\n", error->message);
    } else if (!opt_config || !opt_obs) {
        fprintf(stderr, "gatecv-fuse: --config and --observations are required (try --help)\n");
    } else if (!(start = g_date_time_new_from_iso8601(
                     opt_start ? opt_start : "2000-01-01T00:00:00Z", NULL))) {
        fprintf(stderr, "gatecv-fuse: --start-time: '%s' is not an RFC 3339 time\n", opt_start);
    } else if (!(config = lane_config_load(opt_config, &error)) ||
               !lane_calib_apply(config, &error)) { /* the tripwires a calibration gives */
        fprintf(stderr, "gatecv-fuse: %s\n", error->message);
    } else if (opt_triggers && !read_triggers(opt_triggers, &tf, &error)) {
        fprintf(stderr, "gatecv-fuse: --triggers: %s\n", error->message);
    } else {
        const char *out = opt_out ? opt_out : "gatecv-fuse-out";
        gint64 epoch_us = g_date_time_to_unix(start) * G_USEC_PER_SEC;
        fuse_state s = {event_writer_new(config, epoch_us, NULL), NULL, 0, 0};
        gchar *journal = g_build_filename(out, "events.jsonl", NULL);
        if (g_mkdir_with_parents(out, 0755) == 0 && (s.journal = fopen(journal, "w"))) {
            lane_fusion *f = lane_fusion_new(config, config->join_window, on_crossing, &s);
            int skipped = feed(f, opt_obs, config->n_cameras, &tf);
            lane_fusion_finish(f);
            lane_fusion_free(f);
            fclose(s.journal);
            if (skipped < 0)
                fprintf(stderr, "gatecv-fuse: cannot read %s\n", opt_obs);
            status = skipped != 0 || s.status ? 1 : 0;
            if (skipped < 0)
                status = 2;
        } else {
            fprintf(stderr, "gatecv-fuse: cannot write %s: %s\n", journal, g_strerror(errno));
        }
        g_free(journal);
        event_writer_free(s.writer);
    }
    if (start)
        g_date_time_unref(start);
    g_clear_error(&error);
    g_option_context_free(ctx);
    lane_config_free(config);
    g_free(opt_config);
    g_free(opt_obs);
    g_free(opt_out);
    g_free(opt_start);
    g_free(opt_triggers);
    g_array_free(tf.reports, TRUE);
    return status;
}
