/*
 * gatecv-bench — speed of the still-image reader, for `make bench`.
 *
 *   gatecv-bench [--repeat N] [reader options] IMAGE...
 *
 * Reads every image (after one warm-up read, so model loading and the detector's
 * first-size initialisation are not counted) and prints per-image time (median, p95),
 * detection time, recogniser time per pass, and passes per image. One core by default
 * (--threads 1). Figures, not a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "image_input.h"
#include "percentile.h"
#include "reader.h"
#include "tool_options.h"

int main(int argc, char **argv)
{
    gint opt_repeat = 1;
    tool_options opts;
    tool_options_init(&opts);
    GOptionEntry entries[] = {
        {"repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Read each image N times (default 1)",
         "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("IMAGE...");
    g_option_context_set_summary(ctx, "Measure the reader's speed on images.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, tool_options_group(&opts));
    GError *error = NULL;
    gboolean ok = g_option_context_parse(ctx, &argc, &argv, &error);
    g_option_context_free(ctx);
    if (ok && (argc < 2 || opt_repeat < 1))
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "give images and --repeat >= 1");
    if (!ok || error || !tool_options_check(&opts, &error)) {
        fprintf(stderr, "gatecv-bench: %s (try --help)\n", error->message);
        return 2;
    }
    gatecv_models *models = NULL;
    gatecv_reader *reader = tool_open_reader(&opts, &models, &error);
    if (!reader) {
        fprintf(stderr, "gatecv-bench: %s\n", error->message);
        return 2;
    }
    int cap = (argc - 1) * opt_repeat, n = 0, passes = 0, lines = 0;
    double *total = g_new(double, cap), *det = g_new(double, cap), rec_ms = 0;
    int width = 0, height = 0;
    for (int i = 1; i < argc; i++) {
        gcv_image *img = image_load(argv[i], opts.max_bytes, opts.reader.max_pixels, &error);
        if (!img) {
            fprintf(stderr, "gatecv-bench: %s\n", error->message);
            g_clear_error(&error);
            continue;
        }
        width = img->width, height = img->height;
        gatecv_read *reads = NULL;
        if (i == 1) { /* warm-up */
            gatecv_reader_read(reader, img, &reads, NULL);
            g_free(reads);
        }
        for (int k = 0; k < opt_repeat; k++) {
            gint64 t0 = g_get_monotonic_time();
            int found = gatecv_reader_read(reader, img, &reads, &error);
            double ms = (g_get_monotonic_time() - t0) / 1000.0;
            g_free(reads);
            if (found < 0) {
                fprintf(stderr, "gatecv-bench: %s: %s\n", argv[i], error->message);
                g_clear_error(&error);
                break;
            }
            gatecv_reader_stats st;
            gatecv_reader_last_stats(reader, &st);
            total[n] = ms;
            det[n++] = st.detect_ms;
            rec_ms += st.recognise_ms;
            passes += st.recognitions;
            lines += st.lines;
        }
        gcv_image_free(img);
    }
    if (n > 0) {
        printf(
            "gatecv-bench: %d reads of %d images (last %dx%d), det-size %d, %d thread(s), ocr %s\n",
            n, argc - 1, width, height, opts.det_size, opts.threads, opts.ocr ? opts.ocr : "both");
        printf("  per image     median %6.1f ms   p95 %6.1f ms\n", percentile(total, n, 0.5),
               percentile(total, n, 0.95));
        printf("  detection     median %6.1f ms   p95 %6.1f ms\n", percentile(det, n, 0.5),
               percentile(det, n, 0.95));
        printf("  recogniser    %6.1f ms per pass, %.1f passes and %.1f text regions per image\n",
               passes ? rec_ms / passes : 0.0, (double)passes / n, (double)lines / n);
    }
    g_free(total);
    g_free(det);
    gatecv_reader_free(reader);
    gatecv_models_free(models);
    tool_options_clear(&opts);
    return n > 0 ? 0 : 1;
}
