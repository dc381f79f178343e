/*
 * gatecv-lanebench — speed of one camera's pipeline on a recorded video, for `make bench`.
 *
 *   gatecv-lanebench [--roi X,Y,W,H] [--interval N] [--cores N] [--model-dir DIR] VIDEO
 *
 * Runs the recording through five pipelines, as fast as they go, pinned to --cores
 * cores (default 1), and prints for each the frames, the wall time, frames per second
 * and how many times real time (at 25 fps) that is, and how many frames were read:
 *
 *   decode          decoder only
 *   decode+BGR      decoder and a full-frame conversion to BGR (the cost gatecvd avoids
 *                   by handing the decoder's I420 to the elements)
 *   gated           gatemotion ! gateplate: plates read on moving frames only
 *   gated+crop      the same with motion-crop=true: only the moving part of each is read
 *   ungated         gateplate gate=false: every interval-th frame read, moving or not
 *
 * Figures, not a pass/fail test.
 */
#define _GNU_SOURCE /* sched_setaffinity */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <gst/gst.h>

#include "gatecvmeta.h"

typedef struct {
    guint64 frames, read;
} counts;

static GstPadProbeReturn count_buffer(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
    (void)pad;
    counts *c = user;
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER(info);
    c->frames++;
    gpointer state = NULL;
    if (buf && gst_buffer_iterate_gatecv_reads_meta(buf, &state))
        c->read++;
    return GST_PAD_PROBE_OK;
}

/* Runs one pipeline to its end; FALSE (and a message) if it fails. */
static gboolean run_one(const char *name, const char *desc, double fps_real)
{
    GError *error = NULL;
    GstElement *pipe = gst_parse_launch(desc, &error);
    if (!pipe || error) {
        fprintf(stderr, "gatecv-lanebench: %s: %s\n", name, error ? error->message : "?");
        g_clear_error(&error);
        if (pipe)
            gst_object_unref(pipe);
        return FALSE;
    }
    counts c = {0, 0};
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipe), "sink");
    GstPad *pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &c, NULL);
    gst_object_unref(pad);
    gst_object_unref(sink);

    gint64 t0 = g_get_monotonic_time();
    gst_element_set_state(pipe, GST_STATE_PLAYING);
    GstBus *bus = gst_element_get_bus(pipe);
    GstMessage *msg =
        gst_bus_timed_pop_filtered(bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    double s = (g_get_monotonic_time() - t0) / 1e6;
    gboolean ok = msg && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS;
    if (!ok && msg) {
        gst_message_parse_error(msg, &error, NULL);
        fprintf(stderr, "gatecv-lanebench: %s: %s\n", name, error->message);
        g_clear_error(&error);
    }
    if (msg)
        gst_message_unref(msg);
    gst_object_unref(bus);
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    if (ok) {
        double fps = s > 0 ? (double)c.frames / s : 0;
        printf("  %-11s %6" G_GUINT64_FORMAT " frames %7.1f s %7.1f fps %6.2fx real time  "
               "%5" G_GUINT64_FORMAT " frames read\n",
               name, c.frames, s, fps, fps / fps_real, c.read);
    }
    return ok;
}

static gboolean pin_to_cores(int n)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < n; i++)
        CPU_SET(i, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

int main(int argc, char **argv)
{
    gchar *opt_roi = NULL, *opt_model_dir = NULL;
    gint opt_interval = 5, opt_cores = 1;
    GOptionEntry entries[] = {
        {"roi", 0, 0, G_OPTION_ARG_STRING, &opt_roi,
         "Lane ROI x,y,w,h for gatemotion and gateplate (default: the whole frame)", "ROI"},
        {"interval", 'i', 0, G_OPTION_ARG_INT, &opt_interval,
         "gateplate reads every N-th due frame (default 5, as gatecvd)", "N"},
        {"cores", 0, 0, G_OPTION_ARG_INT, &opt_cores, "Cores to run on (default 1)", "N"},
        {"model-dir", 'm', 0, G_OPTION_ARG_FILENAME, &opt_model_dir,
         "Model folder (default: gateplate's)", "DIR"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("VIDEO");
    g_option_context_set_summary(ctx, "Frames per second of one camera's pipeline, with and "
                                      "without the motion gate.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, gst_init_get_option_group());
    GError *error = NULL;
    int status = 2;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "gatecv-lanebench: %s (try --help)\n", error->message);
    } else if (argc != 2 || opt_interval < 1 || opt_cores < 1) {
        fprintf(stderr, "gatecv-lanebench: give one VIDEO, --interval >= 1, --cores >= 1\n");
    } else if (!g_file_test(argv[1], G_FILE_TEST_IS_REGULAR)) {
        fprintf(stderr, "gatecv-lanebench: %s: no such file\n", argv[1]);
    } else if (!pin_to_cores(opt_cores)) {
        fprintf(stderr, "gatecv-lanebench: cannot pin to %d core(s)\n", opt_cores);
    } else {
        gst_init(NULL, NULL);
        if (!g_getenv("GST_PLUGIN_PATH"))
            gst_registry_scan_path(gst_registry_get(), GATECV_PLUGIN_DIR);
        char *loc = g_strescape(argv[1], NULL);
        char *roi = opt_roi ? g_strdup_printf("roi=%s", opt_roi) : g_strdup("");
        char *model = opt_model_dir ? g_strdup_printf("model-dir=\"%s\"", opt_model_dir)
                                    : g_strdup("");
        char *src = g_strdup_printf("filesrc location=\"%s\" ! decodebin", loc);
        char *yuv = g_strdup_printf("%s ! videoconvert ! video/x-raw,format=(string){I420,NV12}",
                                    src);
        enum { N_PIPELINES = 5 };
        char *descs[N_PIPELINES] = {
            g_strdup_printf("%s ! fakesink name=sink sync=false", src),
            g_strdup_printf("%s ! videoconvert ! video/x-raw,format=BGR ! fakesink name=sink "
                            "sync=false",
                            src),
            g_strdup_printf("%s ! gatemotion %s ! gateplate interval=%d %s %s ! fakesink "
                            "name=sink sync=false",
                            yuv, roi, opt_interval, roi, model),
            g_strdup_printf("%s ! gatemotion %s ! gateplate interval=%d motion-crop=true %s %s "
                            "! fakesink name=sink sync=false",
                            yuv, roi, opt_interval, roi, model),
            g_strdup_printf("%s ! gateplate gate=false interval=%d %s %s ! fakesink name=sink "
                            "sync=false",
                            yuv, opt_interval, roi, model),
        };
        const char *names[N_PIPELINES] = {"decode", "decode+BGR", "gated", "gated+crop", "ungated"};
        printf("gatecv-lanebench: %s on %d core(s), gateplate interval=%d%s%s\n", argv[1],
               opt_cores, opt_interval, opt_roi ? ", roi=" : "", opt_roi ? opt_roi : "");
        status = 0;
        for (int i = 0; i < N_PIPELINES; i++)
            if (!run_one(names[i], descs[i], 25.0))
                status = 1;
        for (int i = 0; i < N_PIPELINES; i++)
            g_free(descs[i]);
        g_free(src);
        g_free(yuv);
        g_free(loc);
        g_free(roi);
        g_free(model);
    }
    g_clear_error(&error);
    g_option_context_free(ctx);
    g_free(opt_roi);
    g_free(opt_model_dir);
    return status;
}
