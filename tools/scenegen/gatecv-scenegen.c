/*
 * gatecv-scenegen — generates a recorded truck lane as each camera sees it, H.264 in
 * Matroska through GStreamer, with its ground truth, deterministically from a seed.
 *
 *   gatecv-scenegen --out DIR --seed N [--vehicles N] [--size WxH] [--fps N]
 *                   [--conditions day,dusk,night,rain] [--cameras front,rear,side-left,side-right]
 *                   [--scenario mixed|demo] [--png-every N]
 *
 * Writes DIR/<role>.mkv per camera, DIR/truth.json (schema gatecv.truth/1) and
 * DIR/lane.conf. The same seed and options give the same truth.json, byte for byte.
 * This file owns the command line: parsing, progress and summary lines, and the only
 * place errors are printed. Exit codes: 0 ok, 1 generation failed, 2 bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>

#include "scenegen_run.h"

#define PROG "gatecv-scenegen"

/* --- arguments -------------------------------------------------------------------------- */

typedef struct {
    gchar *out, *seed, *size, *conditions, *cameras, *scenario;
    gint vehicles, fps, png_every;
} raw_args;

static void raw_args_free(raw_args *a)
{
    g_free(a->out), g_free(a->seed), g_free(a->size);
    g_free(a->conditions), g_free(a->cameras), g_free(a->scenario);
}

static bool parse_size(const char *s, int *w, int *h)
{
    char *end = NULL;
    errno = 0;
    long lw = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    long lh = strtol(p, &end, 10);
    if (errno || end == p || *end != '\0' || lw % 2 || lh % 2)
        return false;
    if (lw < 320 || lh < 180 || lw > 3840 || lh > 2160)
        return false;
    *w = (int)lw, *h = (int)lh;
    return true;
}

/* "day,rain" → bitmask; false on an unknown or empty item. */
static bool parse_conditions(const char *s, unsigned *mask)
{
    gchar **items = g_strsplit(s, ",", -1);
    bool ok = items[0] != NULL;
    *mask = 0;
    for (int i = 0; ok && items[i]; i++) {
        sg_condition c;
        ok = sg_condition_parse(g_strstrip(items[i]), &c);
        if (ok)
            *mask |= 1u << c;
    }
    g_strfreev(items);
    return ok;
}

static bool parse_cameras(const char *s, bool cams[SG_N_CAMERAS])
{
    gchar **items = g_strsplit(s, ",", -1);
    bool ok = items[0] != NULL;
    memset(cams, 0, sizeof(bool) * SG_N_CAMERAS);
    for (int i = 0; ok && items[i]; i++) {
        sg_role r;
        ok = sg_role_parse(g_strstrip(items[i]), &r);
        if (ok)
            cams[r] = true;
    }
    g_strfreev(items);
    return ok;
}

/* Checks the raw values into o; a one-line message (caller frees) if one is wrong. */
static char *check_args(const raw_args *a, sg_run_options *o)
{
    if (!a->out || !*a->out)
        return g_strdup("--out DIR is required");
    if (!a->seed)
        return g_strdup("--seed N is required");
    if (!g_ascii_string_to_signed(a->seed, 10, G_MININT64, G_MAXINT64, &o->seed, NULL))
        return g_strdup_printf("--seed '%s' is not a 64-bit integer", a->seed);
    if (a->scenario && !sg_scenario_parse(a->scenario, &o->scenario))
        return g_strdup_printf("--scenario '%s' is not mixed or demo", a->scenario);
    if (a->vehicles != -1 && o->scenario == SG_SCENARIO_DEMO)
        return g_strdup("--vehicles does not apply to --scenario demo (it has 4 vehicles)");
    if (a->vehicles != -1 && (a->vehicles < 1 || a->vehicles > 500))
        return g_strdup_printf("--vehicles %d is out of range 1..500", a->vehicles);
    if (a->size && !parse_size(a->size, &o->width, &o->height))
        return g_strdup_printf("--size '%s' is not WxH with even sizes within 320x180..3840x2160",
                               a->size);
    if (a->fps < 1 || a->fps > 120)
        return g_strdup_printf("--fps %d is out of range 1..120", a->fps);
    if (a->conditions && !parse_conditions(a->conditions, &o->conditions))
        return g_strdup_printf("--conditions '%s' is not a list of day, dusk, night, rain",
                               a->conditions);
    if (a->cameras && !parse_cameras(a->cameras, o->cameras))
        return g_strdup_printf("--cameras '%s' is not a list of front, rear, side-left, side-right",
                               a->cameras);
    if (a->png_every < 0)
        return g_strdup_printf("--png-every %d is negative", a->png_every);
    o->out = a->out;
    o->fps = a->fps;
    o->png_every = a->png_every;
    o->n_vehicles = a->vehicles != -1 ? a->vehicles : sg_scenario_default_vehicles(o->scenario);
    return NULL;
}

static void set_defaults(raw_args *a, sg_run_options *o)
{
    a->vehicles = -1;
    a->fps = 25;
    o->scenario = SG_SCENARIO_MIXED;
    o->width = 1280, o->height = 720;
    o->conditions = (1u << SG_N_CONDITIONS) - 1;
    for (int c = 0; c < SG_N_CAMERAS; c++)
        o->cameras[c] = true;
}

/* Parses argv into a and o; a one-line message (caller frees) if it cannot. */
static char *parse_args(int argc, char **argv, raw_args *a, sg_run_options *o)
{
    set_defaults(a, o);
    GOptionEntry entries[] = {
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a->out, "Output folder (created)", "DIR"},
        {"seed", 's', 0, G_OPTION_ARG_STRING, &a->seed, "PRNG seed (a 64-bit integer)", "N"},
        {"vehicles", 'n', 0, G_OPTION_ARG_INT, &a->vehicles, "Number of vehicles (default 6)", "N"},
        {"size", 0, 0, G_OPTION_ARG_STRING, &a->size, "Frame size (default 1280x720)", "WxH"},
        {"fps", 0, 0, G_OPTION_ARG_INT, &a->fps, "Frames per second (default 25)", "N"},
        {"conditions", 0, 0, G_OPTION_ARG_STRING, &a->conditions,
         "Allowed conditions (default all)", "day,dusk,night,rain"},
        {"cameras", 0, 0, G_OPTION_ARG_STRING, &a->cameras, "Cameras to render (default all)",
         "front,rear,side-left,side-right"},
        {"scenario", 0, 0, G_OPTION_ARG_STRING, &a->scenario, "mixed (default) or demo", "NAME"},
        {"png-every", 0, 0, G_OPTION_ARG_INT, &a->png_every,
         "Also write every Nth frame as DIR/frames/ROLE-FRAME.png", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, "Generate a recorded truck lane (one H.264 .mkv per camera) "
                                      "with truth.json and lane.conf, the same for the same seed.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    char *msg = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &error))
        msg = g_strdup(error->message);
    else if (argc > 1)
        msg = g_strdup_printf("unexpected argument '%s'", argv[1]);
    else
        msg = check_args(a, o);
    g_clear_error(&error);
    g_option_context_free(ctx);
    return msg;
}

/* --- output -------------------------------------------------------------------------------- */

static void print_progress(sg_role role, int done, int total, void *data)
{
    (void)data;
    fprintf(stderr, PROG ": %-10s %6d/%d frames\n", sg_role_name(role), done, total);
}

int main(int argc, char **argv)
{
    raw_args a = {0};
    sg_run_options o = {0};
    char *msg = parse_args(argc, argv, &a, &o);
    if (msg) {
        fprintf(stderr, PROG ": %s (try --help)\n", msg);
        g_free(msg);
        raw_args_free(&a);
        return 2;
    }
    GError *error = NULL;
    gint64 start = g_get_monotonic_time();
    sg_run_summary sum = {0};
    o.progress = print_progress;
    bool ok = gst_init_check(NULL, NULL, &error) && sg_run(&o, &sum, &error);
    if (ok) {
        double secs = (g_get_monotonic_time() - start) / 1e6;
        fprintf(stderr,
                PROG ": wrote %d camera(s) x %d frames (%.0f s, %dx%d @ %d fps), %d vehicles, "
                     "truth.json and lane.conf to %s in %.1f s (%.0f frames/s), seed %" G_GINT64_FORMAT "\n",
                sum.n_cameras, sum.n_frames, sum.duration_s, o.width, o.height, o.fps,
                sum.n_vehicles, o.out, secs, sum.n_cameras * sum.n_frames / MAX(secs, 1e-3), o.seed);
    } else {
        fprintf(stderr, PROG ": %s\n", error ? error->message : "failed");
    }
    g_clear_error(&error);
    raw_args_free(&a);
    return ok ? 0 : 1;
}
