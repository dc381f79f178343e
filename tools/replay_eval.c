/*
 * replay_eval.c — runs gatecvd on a recording and matches its events to the ground
 * truth (see replay_eval.h). A vehicle is matched by the event of the same direction
 * whose [ts_enter - 1 s, ts_exit + 1 s] holds the vehicle's tripwire time, nearest first;
 * every event matches one vehicle at most. Only final revisions are scored; a provisional one
 * counts for its event's first-notice lag, and as wrong-but-verified when it was verified with
 * a text not the vehicle's (the clearance system may have opened the barrier on it).
 */
#define _DEFAULT_SOURCE /* wait4: the child's CPU time and peak memory */
#include "replay_eval.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "percentile.h"
#include "read_json.h"

#define REPLAY_EPOCH "2000-01-01T00:00:00Z"
#define MATCH_SLACK_S 1.0

typedef struct {
    double t_enter, t_exit;
    char *direction, *status;
    JsonObject *obj;
    int vehicle;        /* matched vehicle index, -1 */
    double emitted_s;   /* --realtime: when its line left the daemon (s after start), else -1 */
    gboolean final;     /* its final revision (an event without `final` is one) */
    GPtrArray *earlier; /* a final's provisional revisions (borrowed event_rec*), in order */
} event_rec;

static double stream_time(const char *rfc3339)
{
    GDateTime *dt = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
    GDateTime *epoch = g_date_time_new_from_iso8601(REPLAY_EPOCH, NULL);
    double t = dt ? g_date_time_difference(dt, epoch) / 1e6 : -1;
    if (dt)
        g_date_time_unref(dt);
    g_date_time_unref(epoch);
    return t;
}

/* Empty the daemon's output folder (events.jsonl, manifest.json, the journal folder and
 * its segments) so the replay starts from seq 1 and nothing of an earlier run is scored. */
static void clear_folder(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        gchar *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            clear_folder(path);
        g_remove(path);
        g_free(path);
    }
    g_dir_close(d);
}

/* Reads the daemon's stdout (one JSON line per event) until it closes, noting when each
 * line arrived, in seconds after t0_us (monotonic). */
static void note_event_times(int fd, gint64 t0_us, GArray *times)
{
    FILE *in = fdopen(fd, "r");
    if (!in) {
        close(fd);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0) {
        double t = (g_get_monotonic_time() - t0_us) / 1e6;
        g_array_append_val(times, t);
    }
    free(line);
    fclose(in);
}

/* What a child process cost: CPU seconds (user + system), its peak resident memory, and
 * how long it ran. */
typedef struct {
    double cpu_s;
    double max_rss_mb;
    double wall_s;
} process_cost;

/* Waits for the child, and notes what it cost. FALSE (with a message) when it failed. */
static gboolean wait_child(GPid pid, const char *what, process_cost *cost)
{
    int status = 0;
    struct rusage ru = {0};
    if (wait4(pid, &status, 0, &ru) < 0)
        status = -1;
    g_spawn_close_pid(pid);
    cost->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                  (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    cost->max_rss_mb = ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
    GError *error = NULL;
    if (!g_spawn_check_wait_status(status, &error)) {
        fprintf(stderr, "gatecv-eval: %s failed: %s\n", what, error->message);
        g_error_free(error);
        return FALSE;
    }
    return TRUE;
}

/* Runs gatecvd on the recording into `out`. With o->realtime the replay runs at the
 * recording's rate and *times gets the wall-clock second (after the daemon was started, at
 * monotonic *spawned_us) at which each event came out, in event order. *cost: what the daemon
 * cost. */
static int run_daemon(const replay_options *o, const char *out, GArray *times, process_cost *cost,
                      gint64 *spawned_us)
{
    gchar *conf = g_build_filename(o->dir, "lane.conf", NULL);
    gchar *observations = g_build_filename(out, "observations.tsv", NULL);
    clear_folder(out);
    g_mkdir_with_parents(out, 0755);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)o->gatecvd);
    g_ptr_array_add(argv, "--config");
    g_ptr_array_add(argv, conf);
    g_ptr_array_add(argv, "--out");
    g_ptr_array_add(argv, (gpointer)out);
    g_ptr_array_add(argv, "--start-time");
    g_ptr_array_add(argv, REPLAY_EPOCH);
    g_ptr_array_add(argv, "--observations"); /* for gatecv-fuse to run the fusion again */
    g_ptr_array_add(argv, observations);
    if (o->realtime)
        g_ptr_array_add(argv, "--realtime");
    if (o->model_dir) {
        g_ptr_array_add(argv, "--model-dir");
        g_ptr_array_add(argv, (gpointer)o->model_dir);
    }
    g_ptr_array_add(argv, NULL);
    fprintf(stderr, "gatecv-eval: replaying %s through %s%s\n", o->dir, o->gatecvd,
            o->realtime ? " at the recording's rate" : "");
    gint out_fd = -1;
    GPid pid = 0;
    GError *error = NULL;
    gint64 t0 = g_get_monotonic_time();
    *spawned_us = t0;
    gboolean ok =
        g_spawn_async_with_pipes(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, &out_fd, NULL, &error);
    if (!ok) {
        fprintf(stderr, "gatecv-eval: cannot run %s: %s\n", o->gatecvd, error->message);
        g_error_free(error);
    } else {
        note_event_times(out_fd, t0, times);
        ok = wait_child(pid, "gatecvd", cost);
        cost->wall_s = (g_get_monotonic_time() - t0) / 1e6;
    }
    g_ptr_array_free(argv, TRUE);
    g_free(conf);
    g_free(observations);
    return ok ? 0 : 1;
}

static GPtrArray *load_events(const char *path)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    GPtrArray *events = g_ptr_array_new();
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (!*lines[i])
            continue;
        JsonParser *p = json_parser_new();
        if (json_parser_load_from_data(p, lines[i], -1, NULL)) {
            event_rec *e = g_new0(event_rec, 1);
            e->obj = json_object_ref(json_node_get_object(json_parser_get_root(p)));
            e->t_enter = stream_time(json_object_get_string_member(e->obj, "ts_enter"));
            e->t_exit = stream_time(json_object_get_string_member(e->obj, "ts_exit"));
            e->direction = g_strdup(json_object_get_string_member(e->obj, "direction"));
            e->status = g_strdup(json_object_get_string_member(
                json_object_get_object_member(e->obj, "verification"), "status"));
            e->vehicle = -1;
            e->emitted_s = -1;
            e->final = !json_object_has_member(e->obj, "final") ||
                       json_object_get_boolean_member(e->obj, "final");
            e->earlier = g_ptr_array_new();
            g_ptr_array_add(events, e);
        }
        g_object_unref(p);
    }
    g_strfreev(lines);
    g_free(text);
    return events;
}

static gboolean array_has_text(JsonArray *arr, const char *member, const char *text)
{
    for (guint i = 0; arr && i < json_array_get_length(arr); i++)
        if (strcmp(json_object_get_string_member(json_array_get_object_element(arr, i), member),
                   text) == 0)
            return TRUE;
    return FALSE;
}

typedef struct {
    int vehicles, detected, phantoms, duplicates, wrong_verified, verified;
    int wrong_verified_provisional; /* verified provisional revisions with a text not its own */
    int verified_vehicles;          /* vehicles whose final revision is verified and all true */
    GArray *lags; /* with --realtime: seconds from a vehicle clearing the tripwire to its event */
    GArray *first_lags;             /* the same to its event's first revision */
    int plates[2], plates_exact[2]; /* [0] day (day, dusk, rain), [1] night */
    int containers, containers_exact;
} score;

/* Whether an event's item is one an earlier revision told that this one no longer counts. */
static gboolean superseded(JsonObject *item)
{
    return json_object_has_member(item, "superseded") &&
           json_object_get_boolean_member(item, "superseded");
}

/* Every plate and code of a verified event (but those superseded) must be in the vehicle's
 * truth. */
static gboolean event_all_true(JsonObject *ev, JsonObject *veh)
{
    JsonArray *tp = json_object_get_array_member(veh, "plates");
    JsonArray *tc = json_object_get_array_member(veh, "containers");
    JsonArray *ep =
        json_object_get_array_member(json_object_get_object_member(ev, "vehicle"), "plates");
    JsonArray *ec = json_object_get_array_member(ev, "containers");
    for (guint i = 0; i < json_array_get_length(ep); i++) {
        JsonObject *p = json_array_get_object_element(ep, i);
        if (!superseded(p) && !array_has_text(tp, "text", json_object_get_string_member(p, "text")))
            return FALSE;
    }
    for (guint i = 0; i < json_array_get_length(ec); i++) {
        JsonObject *c = json_array_get_object_element(ec, i);
        if (!superseded(c) && !array_has_text(tc, "code", json_object_get_string_member(c, "code")))
            return FALSE;
    }
    return TRUE;
}

/* When the vehicle's rear passed the tripwire (truth files before tripwire_clear_s: when
 * its front did). */
static double clear_time(JsonObject *veh)
{
    const char *key =
        json_object_has_member(veh, "tripwire_clear_s") ? "tripwire_clear_s" : "tripwire_s";
    return json_object_get_double_member(veh, key);
}

/* The texts of `member` in the objects of `want` that are not in `have`, space-separated
 * into *missing. */
static void note_missing(JsonArray *want, const char *want_member, JsonArray *have,
                         const char *have_member, GString *missing)
{
    for (guint i = 0; want && i < json_array_get_length(want); i++) {
        const char *text =
            json_object_get_string_member(json_array_get_object_element(want, i), want_member);
        if (!array_has_text(have, have_member, text) && !strstr(missing->str, text))
            g_string_append_printf(missing, " %s", text);
    }
}

/* --verbose: one line for a vehicle that was missed or not read exactly. */
static void print_vehicle(JsonObject *veh, const event_rec *e)
{
    GString *missing = g_string_new(NULL);
    JsonArray *ep = NULL, *ec = NULL;
    if (e) {
        ep = json_object_get_array_member(json_object_get_object_member(e->obj, "vehicle"),
                                          "plates");
        ec = json_object_get_array_member(e->obj, "containers");
    }
    note_missing(json_object_get_array_member(veh, "plates"), "text", ep, "text", missing);
    note_missing(json_object_get_array_member(veh, "containers"), "code", ec, "code", missing);
    gboolean wrong = e && strcmp(e->status, "verified") == 0 && !event_all_true(e->obj, veh);
    if (e && missing->len == 0 && !wrong) {
        g_string_free(missing, TRUE);
        return;
    }
    printf("  vehicle %" G_GINT64_FORMAT " (%s %s, %s, line at %.1f s): ",
           json_object_get_int_member(veh, "id"), json_object_get_string_member(veh, "kind"),
           json_object_get_string_member(veh, "direction"),
           json_object_get_string_member(veh, "condition"),
           json_object_get_double_member(veh, "tripwire_s"));
    if (e)
        printf("event %" G_GINT64_FORMAT " (%s) %s%s%s\n",
               json_object_get_int_member(e->obj, "seq"), e->status,
               wrong ? "VERIFIED WITH A TEXT NOT ITS OWN; " : "", missing->len ? "lacks" : "",
               missing->str);
    else
        printf("missed (no event; its texts:%s)\n", missing->str);
    g_string_free(missing, TRUE);
}

/* --verbose: an event that matched no vehicle. */
static void print_unmatched(const event_rec *e, gboolean duplicate)
{
    printf("  event %" G_GINT64_FORMAT " (%s %s, %.1f-%.1f s): %s;",
           json_object_get_int_member(e->obj, "seq"), e->status, e->direction, e->t_enter,
           e->t_exit, duplicate ? "a duplicate" : "a phantom");
    JsonArray *ep =
        json_object_get_array_member(json_object_get_object_member(e->obj, "vehicle"), "plates");
    JsonArray *ec = json_object_get_array_member(e->obj, "containers");
    for (guint i = 0; i < json_array_get_length(ep); i++)
        printf(" %s", json_object_get_string_member(json_array_get_object_element(ep, i), "text"));
    for (guint i = 0; i < json_array_get_length(ec); i++)
        printf(" %s", json_object_get_string_member(json_array_get_object_element(ec, i), "code"));
    printf("\n");
}

static void match_and_score(JsonArray *vehicles, GPtrArray *events, gboolean verbose, score *s)
{
    s->vehicles = (int)json_array_get_length(vehicles);
    for (int v = 0; v < s->vehicles; v++) {
        JsonObject *veh = json_array_get_object_element(vehicles, v);
        double t = json_object_get_double_member(veh, "tripwire_s");
        const char *dir = json_object_get_string_member(veh, "direction");
        event_rec *best = NULL;
        for (guint i = 0; i < events->len; i++) {
            event_rec *e = g_ptr_array_index(events, i);
            if (e->vehicle >= 0 || strcmp(e->direction, dir) != 0 ||
                t < e->t_enter - MATCH_SLACK_S || t > e->t_exit + MATCH_SLACK_S)
                continue;
            double d = fabs((e->t_enter + e->t_exit) / 2 - t);
            if (!best || d < fabs((best->t_enter + best->t_exit) / 2 - t))
                best = e;
        }
        int night = g_strcmp0(json_object_get_string_member(veh, "condition"), "night") == 0;
        JsonArray *tp = json_object_get_array_member(veh, "plates");
        JsonArray *tc = json_object_get_array_member(veh, "containers");
        s->plates[night] += (int)json_array_get_length(tp);
        s->containers += (int)json_array_get_length(tc);
        if (verbose)
            print_vehicle(veh, best);
        if (!best)
            continue;
        best->vehicle = v;
        s->detected++;
        if (best->emitted_s >= 0) {
            double lag = best->emitted_s - clear_time(veh);
            g_array_append_val(s->lags, lag);
            const event_rec *first =
                best->earlier->len > 0 ? g_ptr_array_index(best->earlier, 0) : best;
            double first_lag = first->emitted_s - clear_time(veh);
            g_array_append_val(s->first_lags, first_lag);
        }
        for (guint i = 0; i < best->earlier->len; i++) {
            const event_rec *p = g_ptr_array_index(best->earlier, i);
            s->wrong_verified_provisional +=
                strcmp(p->status, "verified") == 0 && !event_all_true(p->obj, veh);
        }
        JsonArray *ep = json_object_get_array_member(
            json_object_get_object_member(best->obj, "vehicle"), "plates");
        JsonArray *ec = json_object_get_array_member(best->obj, "containers");
        for (guint i = 0; i < json_array_get_length(tp); i++)
            s->plates_exact[night] += array_has_text(
                ep, "text",
                json_object_get_string_member(json_array_get_object_element(tp, i), "text"));
        for (guint i = 0; i < json_array_get_length(tc); i++)
            s->containers_exact += array_has_text(
                ec, "code",
                json_object_get_string_member(json_array_get_object_element(tc, i), "code"));
        if (strcmp(best->status, "verified") == 0 && !event_all_true(best->obj, veh))
            s->wrong_verified++;
        else if (strcmp(best->status, "verified") == 0)
            s->verified_vehicles++;
    }
    for (guint i = 0; i < events->len; i++) {
        event_rec *e = g_ptr_array_index(events, i);
        s->verified += strcmp(e->status, "verified") == 0;
        if (e->vehicle >= 0)
            continue;
        gboolean dup = FALSE;
        for (int v = 0; v < s->vehicles && !dup; v++) {
            double t = json_object_get_double_member(json_array_get_object_element(vehicles, v),
                                                     "tripwire_s");
            dup = t >= e->t_enter - MATCH_SLACK_S && t <= e->t_exit + MATCH_SLACK_S;
        }
        if (dup)
            s->duplicates++;
        else
            s->phantoms++;
        if (verbose)
            print_unmatched(e, dup);
        if (strcmp(e->status, "verified") == 0)
            s->wrong_verified++;
    }
}

static double pct(int a, int b)
{
    return b ? 100.0 * a / b : 0.0;
}

/* What running the replay cost, beside what it scored. */
typedef struct {
    bool ran;            /* the daemon ran here (not --events) */
    process_cost daemon; /* gatecvd */
    bool have_decode;    /* --baseline */
    process_cost decode; /* the decode-only pipeline */
    JsonObject *readers; /* OUT/readers.json, or NULL */
    double started_s;    /* --realtime: the daemon's start to its stream's (-1: not known) */
} run_facts;

static void add_double(JsonBuilder *b, const char *name, double value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_double_value(b, round(value * 1000) / 1000);
}

static gint64 readers_int(JsonObject *r, const char *name)
{
    return json_object_get_int_member_with_default(r, name, 0);
}

/* The cost lines: the daemon's CPU and memory, the decode-only baseline, the readers. */
static void report_cost(JsonBuilder *b, const run_facts *f)
{
    if (f->ran) {
        printf("  gatecvd                  %.1f s CPU in %.1f s, peak RSS %.0f MB\n",
               f->daemon.cpu_s, f->daemon.wall_s, f->daemon.max_rss_mb);
        add_double(b, "cpu_s", f->daemon.cpu_s);
        add_double(b, "wall_s", f->daemon.wall_s);
        add_double(b, "peak_rss_mb", f->daemon.max_rss_mb);
    }
    if (f->ran && f->have_decode && f->decode.cpu_s > 0) {
        double ratio = f->daemon.cpu_s / f->decode.cpu_s;
        printf("  decode only              %.1f s CPU: gatecvd costs %.2f x decoding\n",
               f->decode.cpu_s, ratio);
        add_double(b, "decode_cpu_s", f->decode.cpu_s);
        add_double(b, "cpu_ratio_to_decode", ratio);
    }
    if (f->readers) {
        printf("  readers                  %" G_GINT64_FORMAT " threads: %" G_GINT64_FORMAT
               " frames selected, %" G_GINT64_FORMAT " read, %" G_GINT64_FORMAT
               " dropped; backlog max %" G_GINT64_FORMAT ", p95 %" G_GINT64_FORMAT "\n",
               readers_int(f->readers, "threads"), readers_int(f->readers, "selected"),
               readers_int(f->readers, "read"), readers_int(f->readers, "dropped"),
               readers_int(f->readers, "backlog_max"), readers_int(f->readers, "backlog_p95"));
        const char *names[] = {"selected", "read", "dropped", "backlog_max", "backlog_p95"};
        for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
            gchar *name = g_strdup_printf("frames_%s", names[i]);
            json_builder_set_member_name(b, name);
            json_builder_add_int_value(b, readers_int(f->readers, names[i]));
            g_free(name);
        }
    }
}

static void report(const replay_options *o, const score *s, int n_events, const run_facts *f)
{
    printf("\nreplay of %s: %d vehicles, %d events (%d verified)\n", o->dir, s->vehicles, n_events,
           s->verified);
    printf("  vehicles detected        %3d/%-3d %6.1f%%\n", s->detected, s->vehicles,
           pct(s->detected, s->vehicles));
    printf("  vehicles verified        %3d/%-3d %6.1f%%  (verified and right)\n",
           s->verified_vehicles, s->vehicles, pct(s->verified_vehicles, s->vehicles));
    printf("  duplicate crossings      %3d\n  phantom crossings        %3d\n", s->duplicates,
           s->phantoms);
    printf("  plates exact, day        %3d/%-3d %6.1f%%\n", s->plates_exact[0], s->plates[0],
           pct(s->plates_exact[0], s->plates[0]));
    printf("  plates exact, night      %3d/%-3d %6.1f%%\n", s->plates_exact[1], s->plates[1],
           pct(s->plates_exact[1], s->plates[1]));
    printf("  container codes exact    %3d/%-3d %6.1f%%\n", s->containers_exact, s->containers,
           pct(s->containers_exact, s->containers));
    printf("  wrong-but-verified       %3d\n", s->wrong_verified);
    double lag_p50 = 0, lag_p95 = 0, lag_max = 0;
    if (s->lags->len > 0) {
        double *lags = (double *)s->lags->data;
        int n = (int)s->lags->len;
        lag_p50 = percentile(lags, n, 0.5);
        lag_p95 = percentile(lags, n, 0.95);
        lag_max = percentile(lags, n, 1.0);
        printf("  event lag (s)            p50 %.2f  p95 %.2f  max %.2f  (%d events; from the "
               "rear clearing the tripwire to the event line, wall clock)\n",
               lag_p50, lag_p95, lag_max, n);
        if (f->started_s >= 0)
            printf("  stream start             %.2f s after the daemon's (the lags count from "
                   "the stream's start)\n",
                   f->started_s);
    }
    double first_p50 = 0, first_p95 = 0, first_max = 0;
    if (s->first_lags->len > 0) {
        double *lags = (double *)s->first_lags->data;
        int n = (int)s->first_lags->len;
        first_p50 = percentile(lags, n, 0.5);
        first_p95 = percentile(lags, n, 0.95);
        first_max = percentile(lags, n, 1.0);
        printf("  first notice lag (s)     p50 %.2f  p95 %.2f  max %.2f  (to the event's first "
               "revision, provisional or final)\n",
               first_p50, first_p95, first_max);
    }
    printf("  wrong-but-verified provisional revisions %d\n", s->wrong_verified_provisional);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    const char *names[] = {"vehicles",
                           "detected",
                           "duplicates",
                           "phantoms",
                           "plates_day",
                           "plates_day_exact",
                           "plates_night",
                           "plates_night_exact",
                           "containers",
                           "containers_exact",
                           "wrong_verified",
                           "events",
                           "wrong_verified_provisional",
                           "verified_vehicles"};
    int values[] = {s->vehicles,
                    s->detected,
                    s->duplicates,
                    s->phantoms,
                    s->plates[0],
                    s->plates_exact[0],
                    s->plates[1],
                    s->plates_exact[1],
                    s->containers,
                    s->containers_exact,
                    s->wrong_verified,
                    n_events,
                    s->wrong_verified_provisional,
                    s->verified_vehicles};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        json_builder_set_member_name(b, names[i]);
        json_builder_add_int_value(b, values[i]);
    }
    if (s->lags->len > 0) {
        const char *lag_names[] = {"lag_p50_s", "lag_p95_s", "lag_max_s"};
        const double lag_values[] = {lag_p50, lag_p95, lag_max};
        for (size_t i = 0; i < G_N_ELEMENTS(lag_names); i++) {
            json_builder_set_member_name(b, lag_names[i]);
            json_builder_add_double_value(b, lag_values[i]);
        }
    }
    if (s->first_lags->len > 0) {
        const char *lag_names[] = {"first_lag_p50_s", "first_lag_p95_s", "first_lag_max_s"};
        const double lag_values[] = {first_p50, first_p95, first_max};
        for (size_t i = 0; i < G_N_ELEMENTS(lag_names); i++) {
            json_builder_set_member_name(b, lag_names[i]);
            json_builder_add_double_value(b, lag_values[i]);
        }
    }
    if (f->started_s >= 0)
        add_double(b, "stream_start_s", f->started_s);
    report_cost(b, f);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *json = json_node_to_string(root, TRUE);
    if (g_file_set_contents(o->report, json, -1, NULL))
        printf("\nreport: %s\n", o->report);
    else
        fprintf(stderr, "gatecv-eval: cannot write report %s\n", o->report);
    g_free(json);
    json_node_unref(root);
    g_object_unref(b);
}

static void free_event(gpointer p)
{
    event_rec *e = p;
    g_ptr_array_free(e->earlier, TRUE);
    json_object_unref(e->obj);
    g_free(e->direction);
    g_free(e->status);
    g_free(e);
}

/* Leaves the final revisions in `events` (in order), each owning its provisional ones (those
 * before it with its event_id) in `earlier`; a provisional revision no final followed is
 * dropped. */
static void finals_only(GPtrArray *events)
{
    GPtrArray *pending = g_ptr_array_new_with_free_func(free_event);
    for (guint i = 0; i < events->len;) {
        event_rec *e = g_ptr_array_index(events, i);
        if (!e->final) {
            g_ptr_array_add(pending, g_ptr_array_steal_index(events, i));
            continue;
        }
        const char *id = json_object_get_string_member(e->obj, "event_id");
        g_ptr_array_set_free_func(e->earlier, free_event);
        for (guint k = 0; k < pending->len;) {
            event_rec *p = g_ptr_array_index(pending, k);
            if (g_strcmp0(json_object_get_string_member(p->obj, "event_id"), id) == 0)
                g_ptr_array_add(e->earlier, g_ptr_array_steal_index(pending, k));
            else
                k++;
        }
        i++;
    }
    g_ptr_array_free(pending, TRUE);
}

/* A realtime replay's event times count from the daemon's start, which loads its models
 * before its cameras play (a second, several on a cold page cache). OUT/clock.json says when
 * (monotonic, as *times) the first camera played stream time 0: the times are made seconds
 * after that, so a lag is counted from the frame that showed the moment. Returns how long the
 * daemon took to start playing, or -1 (no clock.json: the times stay as they were). */
static double count_from_stream_zero(const char *out, gint64 spawned_us, GArray *times)
{
    gchar *path = g_build_filename(out, "clock.json", NULL);
    JsonParser *parser = json_parser_new();
    double started = -1;
    if (json_parser_load_from_file(parser, path, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        JsonObject *clock = json_node_get_object(json_parser_get_root(parser));
        gint64 zero = json_object_get_int_member_with_default(clock, "stream_zero_monotonic_us", 0);
        if (zero > spawned_us) {
            started = (zero - spawned_us) / 1e6;
            for (guint i = 0; i < times->len; i++)
                g_array_index(times, double, i) -= started;
        }
    }
    if (started < 0)
        fprintf(stderr, "gatecv-eval: %s: no stream start; the lags count from the daemon's start\n",
                path);
    g_object_unref(parser);
    g_free(path);
    return started;
}

/* --baseline: the CPU time of decoding the lane's recordings alone (uridecodebin to the
 * planar format gatecvd takes, as fast as possible), what a box pays before reading
 * anything. FALSE when it cannot be run. */
static gboolean decode_cost(const char *dir, process_cost *cost)
{
    gchar *conf = g_build_filename(dir, "lane.conf", NULL);
    GKeyFile *kf = g_key_file_new();
    gboolean ok = g_key_file_load_from_file(kf, conf, G_KEY_FILE_NONE, NULL);
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup("gst-launch-1.0"));
    g_ptr_array_add(argv, g_strdup("-q"));
    gchar **groups = ok ? g_key_file_get_groups(kf, NULL) : NULL;
    for (int i = 0; groups && groups[i]; i++) {
        gchar *uri = g_key_file_get_string(kf, groups[i], "uri", NULL);
        if (!g_str_has_prefix(groups[i], "camera ") || !uri) {
            g_free(uri);
            continue;
        }
        const char *chain[] = {"uridecodebin", NULL, "!", "videoconvert", "!",
                               "video/x-raw,format=(string){I420,NV12}", "!", "fakesink",
                               "sync=false"};
        for (size_t k = 0; k < G_N_ELEMENTS(chain); k++)
            g_ptr_array_add(argv, k == 1 ? g_strdup_printf("uri=%s", uri) : g_strdup(chain[k]));
        g_free(uri);
    }
    g_strfreev(groups);
    g_ptr_array_add(argv, NULL);
    GPid pid = 0;
    GError *error = NULL;
    gint64 t0 = g_get_monotonic_time();
    ok = ok && g_spawn_async(NULL, (gchar **)argv->pdata, NULL,
                             G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                             &error);
    if (error) {
        fprintf(stderr, "gatecv-eval: cannot run gst-launch-1.0: %s\n", error->message);
        g_error_free(error);
    }
    ok = ok && wait_child(pid, "the decode-only pipeline", cost);
    cost->wall_s = (g_get_monotonic_time() - t0) / 1e6;
    g_ptr_array_free(argv, TRUE);
    g_key_file_free(kf);
    g_free(conf);
    return ok;
}

int replay_eval_run(const replay_options *o)
{
    gchar *truth_path = g_build_filename(o->dir, "truth.json", NULL);
    JsonParser *tp = json_parser_new();
    GError *error = NULL;
    if (!json_parser_load_from_file(tp, truth_path, &error)) {
        fprintf(stderr, "gatecv-eval: %s: %s\n", truth_path, error->message);
        g_error_free(error);
        g_object_unref(tp);
        g_free(truth_path);
        return 1;
    }
    gchar *out = g_build_filename(o->dir, "replay-out", NULL);
    gchar *events_path =
        o->events ? g_strdup(o->events) : g_build_filename(out, "events.jsonl", NULL);
    GArray *times = g_array_new(FALSE, FALSE, sizeof(double));
    run_facts facts = {.ran = o->events == NULL, .started_s = -1};
    gint64 spawned_us = 0;
    int rc = o->events ? 0 : run_daemon(o, out, times, &facts.daemon, &spawned_us);
    if (rc == 0 && o->realtime && !o->events)
        facts.started_s = count_from_stream_zero(out, spawned_us, times);
    GPtrArray *events = rc == 0 ? load_events(events_path) : NULL;
    JsonParser *readers = json_parser_new();
    gchar *readers_path = g_build_filename(out, "readers.json", NULL);
    if (facts.ran && json_parser_load_from_file(readers, readers_path, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(readers)))
        facts.readers = json_node_get_object(json_parser_get_root(readers));
    g_free(readers_path);
    if (rc == 0 && facts.ran && o->baseline)
        facts.have_decode = decode_cost(o->dir, &facts.decode);
    if (rc == 0 && !events) {
        fprintf(stderr, "gatecv-eval: cannot read %s\n", events_path);
        rc = 1;
    }
    if (events) {
        g_ptr_array_set_free_func(events, free_event);
        JsonArray *vehicles = json_object_get_array_member(
            json_node_get_object(json_parser_get_root(tp)), "vehicles");
        score s = {0};
        s.lags = g_array_new(FALSE, FALSE, sizeof(double));
        /* events.jsonl and stdout have the events in the same order; as fast as possible,
         * their times mean nothing */
        for (guint i = 0; o->realtime && i < events->len && i < times->len; i++)
            ((event_rec *)g_ptr_array_index(events, i))->emitted_s =
                g_array_index(times, double, i);
        finals_only(events);
        s.first_lags = g_array_new(FALSE, FALSE, sizeof(double));
        match_and_score(vehicles, events, o->verbose, &s);
        report(o, &s, (int)events->len, &facts);
        g_array_free(s.lags, TRUE);
        g_array_free(s.first_lags, TRUE);
        g_ptr_array_free(events, TRUE);
    }
    g_object_unref(readers);
    g_object_unref(tp);
    g_free(truth_path);
    g_free(out);
    g_free(events_path);
    g_array_free(times, TRUE);
    return rc;
}
