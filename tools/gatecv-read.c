/*
 * gatecv-read — reads plates and container codes from still images.
 *
 *   gatecv-read --self-check     load every model, print its input shape and load time
 *
 * Exit codes: 0 ok, 1 some image could not be read, 2 bad usage or models unusable.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "models.h"

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
    printf("  recogniser  rec.onnx  input 1x3x%dx%d  output 1x%dx%d  loaded in %.0f ms\n",
           GATECV_REC_HEIGHT, GATECV_REC_WIDTH, GATECV_REC_STEPS, models->n_classes,
           models->rec_load_ms);
    printf("  characters  keys.txt  %d classes (blank + %d characters + space)\n",
           models->n_classes, models->n_classes - 2);
    printf("self-check: ok\n");
    gatecv_models_free(models);
    return 0;
}

int main(int argc, char **argv)
{
    gboolean opt_self_check = FALSE;
    gchar *opt_model_dir = NULL;
    GOptionEntry entries[] = {
        {"self-check", 0, 0, G_OPTION_ARG_NONE, &opt_self_check,
         "Load every model, print its input shape and load time", NULL},
        {"model-dir", 'm', 0, G_OPTION_ARG_FILENAME, &opt_model_dir,
         "Folder of det.onnx, rec.onnx, keys.txt (default: $GATECV_MODEL_DIR or the build's)",
         "DIR"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("[IMAGE...]");
    g_option_context_set_summary(ctx, "Read licence plates and ISO 6346 container codes.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "gatecv-read: %s (try --help)\n", error->message);
        g_error_free(error);
        g_option_context_free(ctx);
        return 2;
    }
    g_option_context_free(ctx);

    int rc = 2;
    if (opt_self_check)
        rc = self_check(opt_model_dir);
    else
        fprintf(stderr, "gatecv-read: nothing to do (try --self-check or --help)\n");
    g_free(opt_model_dir);
    return rc;
}
