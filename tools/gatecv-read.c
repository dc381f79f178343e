/*
 * gatecv-read — reads licence plates and ISO 6346 container codes from still images.
 *
 *   gatecv-read [--json] [--ocr ppocr|tesseract|both] IMAGE...
 *   gatecv-read --self-check
 *
 * For each image: every plate and container code found, with its normalised and
 * display text, kind, country, layout, polygon, confidence, validity and corrections.
 * A file that cannot be read gets one error line naming it; the others are still read.
 * Exit codes: 0 ok, 1 some image could not be read, 2 bad usage or models unusable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "image_input.h"
#include "models.h"
#include "read_output.h"
#include "reader.h"
#include "tool_options.h"

static int self_check(const char *model_dir)
{
    GError *error = NULL;
    const char *dir = gatecv_model_dir(model_dir);
    gatecv_models *models = gatecv_models_load(dir, &error);
    if (!models) {
        fprintf(stderr, "gatecv-read: %s\n", error->message);
        g_error_free(error);
        return 2;
    }
    printf("models: %s\n", dir);
    printf("  detector    det.onnx  input 1x3xHxW (H, W multiples of %d)  loaded in %.0f ms\n",
           GATECV_DET_ALIGN, models->det_load_ms);
    printf("  recogniser  rec.onnx  input 1x3x%dx%d  output 1x%dx%d  (all recognisers loaded in "
           "%.0f ms)\n",
           GATECV_REC_HEIGHT, GATECV_REC_WIDTH, GATECV_REC_STEPS, models->n_classes,
           models->rec_load_ms);
    for (int i = 0; i < GATECV_REC_N_NARROW; i++) {
        int w = models->rec_narrow_width[i];
        printf("  recogniser  rec-%d.onnx  input 1x3x%dx%d  output 1x%dx%d  (for short lines)\n", w,
               GATECV_REC_HEIGHT, w, w / 8, models->n_classes);
    }
    printf("  characters  keys.txt  %d classes (blank + %d characters + space)\n",
           models->n_classes, models->n_classes - 2);
    printf("self-check: ok\n");
    gatecv_models_free(models);
    return 0;
}

static void print_image(const char *path, const gatecv_read *reads, int n, double ms,
                        gboolean json)
{
    if (!json) {
        printf("%s  (%d found, %.0f ms)\n", path, n, ms);
        for (int i = 0; i < n; i++)
            read_print_line(stdout, &reads[i]);
        return;
    }
    JsonObject *obj = json_object_new();
    json_object_set_string_member(obj, "file", path);
    json_object_set_double_member(obj, "ms", (int)(ms * 10) / 10.0);
    JsonArray *arr = json_array_new();
    for (int i = 0; i < n; i++)
        json_array_add_element(arr, read_to_json(&reads[i]));
    json_object_set_array_member(obj, "reads", arr);
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);
    char *s = json_node_to_string(node, FALSE);
    printf("%s\n", s);
    g_free(s);
    json_node_unref(node);
    json_object_unref(obj);
}

int main(int argc, char **argv)
{
    gboolean opt_self_check = FALSE, opt_json = FALSE;
    tool_options opts;
    tool_options_init(&opts);
    GOptionEntry entries[] = {
        {"self-check", 0, 0, G_OPTION_ARG_NONE, &opt_self_check,
         "Load every model, print its input shape and load time", NULL},
        {"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "One JSON object per image, per line", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("IMAGE...");
    g_option_context_set_summary(ctx, "Read licence plates and ISO 6346 container codes.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, tool_options_group(&opts));
    GError *error = NULL;
    gboolean parsed = g_option_context_parse(ctx, &argc, &argv, &error);
    g_option_context_free(ctx);
    if (!parsed || !tool_options_check(&opts, &error)) {
        fprintf(stderr, "gatecv-read: %s (try --help)\n", error->message);
        g_error_free(error);
        tool_options_clear(&opts);
        return 2;
    }
    if (opt_self_check) {
        int rc = self_check(opts.model_dir);
        tool_options_clear(&opts);
        return rc;
    }
    if (argc < 2) {
        fprintf(stderr, "gatecv-read: no image given (try --help)\n");
        tool_options_clear(&opts);
        return 2;
    }

    gatecv_models *models = NULL;
    gatecv_reader *reader = tool_open_reader(&opts, &models, &error);
    if (!reader) {
        fprintf(stderr, "gatecv-read: %s\n", error->message);
        g_error_free(error);
        tool_options_clear(&opts);
        return 2;
    }
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        gcv_image *img = image_load(argv[i], opts.max_bytes, opts.reader.max_pixels, &error);
        gatecv_read *reads = NULL;
        gint64 t0 = g_get_monotonic_time();
        int n = img ? gatecv_reader_read(reader, img, &reads, &error) : -1;
        double ms = (g_get_monotonic_time() - t0) / 1000.0;
        if (n < 0) {
            fprintf(stderr, "gatecv-read: %s\n", error->message);
            g_clear_error(&error);
            failures++;
        } else {
            print_image(argv[i], reads, n, ms, opt_json);
        }
        fflush(stdout);
        g_free(reads);
        gcv_image_free(img);
    }
    gatecv_reader_free(reader);
    gatecv_models_free(models);
    tool_options_clear(&opts);
    return failures ? 1 : 0;
}
