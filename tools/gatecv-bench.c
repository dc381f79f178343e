/*
 * gatecv-bench — speed of the still-image reader, for `make bench`.
 *
 *   gatecv-bench [--repeat N] [--compare] [reader options] IMAGE...
 *
 * Reads every image once to warm up (model loading and the detector instances of each
 * input size are not counted: a camera's scenes come back to the same few sizes), then
 * times every image and prints per-image time (median, p95), detection time, PP-OCR and
 * Tesseract time per pass and passes per image, and the detector instances loaded while
 * timing (0 when the warm-up saw every size). With --compare, the reader before its speed-up (--legacy)
 * is timed on the same images in the same run, and the ratio of the medians is printed.
 * One core by default (--threads 1). Figures, not a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "image_input.h"
#include "percentile.h"
#include "reader.h"
#include "tool_options.h"

typedef struct {
    int reads, passes, lines, det_loads, tess_passes;
    double *total, *det, rec_ms, tess_ms;
} bench_result;

/* Detector instances the models' cache has loaded so far. */
static int det_loads(gatecv_models *models)
{
    gatecv_det_cache_stats st;
    gatecv_det_cache_get_stats(models->det, &st);
    return (int)st.loads;
}

/* Warm up on every image, then time `repeat` reads of each. */
static void bench_run(gatecv_reader *reader, gatecv_models *models, gcv_image **images,
                      int n_images, int repeat, bench_result *out)
{
    out->total = g_new(double, (size_t)n_images * repeat);
    out->det = g_new(double, (size_t)n_images * repeat);
    for (int i = 0; i < n_images; i++) {
        gatecv_read *reads = NULL;
        gatecv_reader_read(reader, images[i], &reads, NULL);
        g_free(reads);
    }
    int loads_before = det_loads(models);
    for (int i = 0; i < n_images; i++)
        for (int k = 0; k < repeat; k++) {
            gatecv_read *reads = NULL;
            GError *error = NULL;
            gint64 t0 = g_get_monotonic_time();
            int found = gatecv_reader_read(reader, images[i], &reads, &error);
            double ms = (g_get_monotonic_time() - t0) / 1000.0;
            g_free(reads);
            if (found < 0) {
                fprintf(stderr, "gatecv-bench: image %d: %s\n", i + 1, error->message);
                g_clear_error(&error);
                break;
            }
            gatecv_reader_stats st;
            gatecv_reader_last_stats(reader, &st);
            out->total[out->reads] = ms;
            out->det[out->reads++] = st.detect_ms;
            out->rec_ms += st.recognise_ms;
            out->passes += st.recognitions;
            out->tess_ms += st.second_ms;
            out->tess_passes += st.second_reads;
            out->lines += st.lines;
        }
    out->det_loads = det_loads(models) - loads_before;
}

static void print_result(const char *name, const bench_result *r)
{
    int n = r->reads;
    printf("  %-8s per image   median %6.1f ms   p95 %6.1f ms\n", name,
           percentile(r->total, n, 0.5), percentile(r->total, n, 0.95));
    printf("  %-8s detection   median %6.1f ms   p95 %6.1f ms\n", "", percentile(r->det, n, 0.5),
           percentile(r->det, n, 0.95));
    int pp = r->passes - r->tess_passes;
    printf("  %-8s PP-OCR      %6.1f ms per pass, %.1f passes per image (%.1f text regions); "
           "%d detector loads while timing\n",
           "", pp ? (r->rec_ms - r->tess_ms) / pp : 0.0, (double)pp / n, (double)r->lines / n,
           r->det_loads);
    printf("  %-8s Tesseract   %6.1f ms per pass, %.1f passes per image\n", "",
           r->tess_passes ? r->tess_ms / r->tess_passes : 0.0, (double)r->tess_passes / n);
}

static void free_result(bench_result *r)
{
    g_free(r->total);
    g_free(r->det);
}

int main(int argc, char **argv)
{
    gint opt_repeat = 1;
    gboolean opt_compare = FALSE;
    tool_options opts;
    tool_options_init(&opts);
    GOptionEntry entries[] = {
        {"repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Read each image N times (default 1)",
         "N"},
        {"compare", 'c', 0, G_OPTION_ARG_NONE, &opt_compare,
         "Also time the reader before its speed-up (--legacy) and print the ratio", NULL},
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
    if (ok && !error && opt_compare && opts.legacy)
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    "--compare already times the legacy reader: leave out --legacy");
    if (!ok || error || !tool_options_check(&opts, &error)) {
        fprintf(stderr, "gatecv-bench: %s (try --help)\n", error->message);
        return 2;
    }
    gatecv_models *models = NULL;
    gatecv_reader *reader = tool_open_reader(&opts, &models, &error);
    gatecv_reader *legacy = NULL;
    if (reader && opt_compare) {
        gatecv_reader_params p = opts.reader;
        gatecv_reader_params_legacy(&p);
        legacy = gatecv_reader_new(models, &p, &error);
    }
    if (!reader || (opt_compare && !legacy)) {
        fprintf(stderr, "gatecv-bench: %s\n", error->message);
        return 2;
    }
    gcv_image **images = g_new0(gcv_image *, argc);
    int n_images = 0;
    for (int i = 1; i < argc; i++) {
        gcv_image *img = image_load(argv[i], opts.max_bytes, opts.reader.max_pixels, &error);
        if (!img) {
            fprintf(stderr, "gatecv-bench: %s\n", error->message);
            g_clear_error(&error);
            continue;
        }
        images[n_images++] = img;
    }
    bench_result now = {0}, before = {0};
    if (n_images > 0) {
        /* The legacy reader first: it loads the full-scale detector sizes the new one may
         * also fall back to, so neither run is charged for the other's warm-up. */
        if (legacy)
            bench_run(legacy, models, images, n_images, opt_repeat, &before);
        bench_run(reader, models, images, n_images, opt_repeat, &now);
    }
    if (now.reads > 0) {
        const gcv_image *last = images[n_images - 1];
        printf("gatecv-bench: %d reads of %d images (last %dx%d), det-size %d, coarse %d, %d "
               "thread(s), ocr %s\n",
               now.reads, n_images, last->width, last->height, opts.det_size,
               opts.reader.detect.coarse_side, opts.threads, opts.ocr ? opts.ocr : "both");
        if (legacy && before.reads > 0)
            print_result("legacy", &before);
        print_result(legacy ? "now" : "", &now);
        if (legacy && before.reads > 0)
            printf("  speed-up %.2fx (median per image, legacy / now)\n",
                   percentile(before.total, before.reads, 0.5) /
                       percentile(now.total, now.reads, 0.5));
    }
    int status = now.reads > 0 ? 0 : 1;
    free_result(&now);
    free_result(&before);
    for (int i = 0; i < n_images; i++)
        gcv_image_free(images[i]);
    g_free(images);
    gatecv_reader_free(legacy);
    gatecv_reader_free(reader);
    gatecv_models_free(models);
    tool_options_clear(&opts);
    return status;
}
