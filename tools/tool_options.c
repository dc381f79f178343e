/*
 * tool_options.c — parsing and checking of the reader options the tools share.
 */
#include "tool_options.h"

#include <string.h>

#include "gatecv_error.h"

void tool_options_init(tool_options *o)
{
    memset(o, 0, sizeof *o);
    gatecv_reader_params_default(&o->reader);
    o->det_size = o->reader.detect.max_side;
    o->coarse_size = o->reader.detect.coarse_side;
    o->threads = 1;
    o->max_pixels_opt = o->reader.max_pixels;
    o->max_mb = 50;
}

GOptionGroup *tool_options_group(tool_options *o)
{
    GOptionEntry entries[] = {
        {"model-dir", 'm', 0, G_OPTION_ARG_FILENAME, &o->model_dir,
         "Folder of det.onnx, rec.onnx, keys.txt (default: $GATECV_MODEL_DIR, "
         "else " GATECV_DEFAULT_MODEL_DIR ")",
         "DIR"},
        {"ocr", 0, 0, G_OPTION_ARG_STRING, &o->ocr,
         "Recogniser: both (default: PP-OCR, checked by Tesseract on Latin-only lines), "
         "ppocr, or tesseract", "ENGINE"},
        {"plates", 0, 0, G_OPTION_ARG_STRING, &o->plates,
         "Plate grammars, any of vn,cn,generic (default all three; generic alone for "
         "foreign benchmarks)", "LIST"},
        {"det-size", 0, 0, G_OPTION_ARG_INT, &o->det_size,
         "Detector input: longer side in pixels, 160..2048 (default 960)", "PX"},
        {"coarse-size", 0, 0, G_OPTION_ARG_INT, &o->coarse_size,
         "Coarse detection pass: longer side in pixels, 160..2048, or 0 for one full-scale "
         "pass (default 512)", "PX"},
        {"legacy", 0, 0, G_OPTION_ARG_NONE, &o->legacy,
         "The reader before its speed-up (one full-scale detection, the 320 px recogniser "
         "only, Tesseract on every Latin line), to measure side by side", NULL},
        {"threads", 't', 0, G_OPTION_ARG_INT, &o->threads,
         "OpenCV threads, 1..64 (default 1: one core)", "N"},
        {"max-pixels", 0, 0, G_OPTION_ARG_INT64, &o->max_pixels_opt,
         "Refuse images with more pixels than this (default 40000000)", "N"},
        {"max-mb", 0, 0, G_OPTION_ARG_INT, &o->max_mb,
         "Refuse image files larger than this many MiB (default 50)", "MB"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionGroup *g = g_option_group_new("reader", "Reader options:", "Show reader options", o,
                                         NULL);
    g_option_group_add_entries(g, entries);
    return g;
}

gboolean tool_options_check(tool_options *o, GError **error)
{
    if (o->ocr && strcmp(o->ocr, "ppocr") == 0)
        o->reader.ocr = OCR_PPOCR;
    else if (o->ocr && strcmp(o->ocr, "tesseract") == 0)
        o->reader.ocr = OCR_TESSERACT;
    else if (o->ocr && strcmp(o->ocr, "both") == 0)
        o->reader.ocr = OCR_BOTH;
    else if (o->ocr) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--ocr must be ppocr, tesseract or both, not '%s'", o->ocr);
        return FALSE;
    }
    if (o->plates && !(o->reader.plate_grammars = gatecv_plate_grammars_parse(o->plates))) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--plates takes a list of vn, cn, generic, not '%s'", o->plates);
        return FALSE;
    }
    if (o->det_size < 160 || o->det_size > 2048) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--det-size must be 160..2048, not %d", o->det_size);
        return FALSE;
    }
    if (o->coarse_size != 0 && (o->coarse_size < 160 || o->coarse_size > 2048)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--coarse-size must be 0 or 160..2048, not %d", o->coarse_size);
        return FALSE;
    }
    if (o->threads < 1 || o->threads > 64) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--threads must be 1..64, not %d", o->threads);
        return FALSE;
    }
    if (o->max_pixels_opt < 1 || o->max_mb < 1) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "--max-pixels and --max-mb must be positive");
        return FALSE;
    }
    if (o->legacy)
        gatecv_reader_params_legacy(&o->reader);
    else
        o->reader.detect.coarse_side = o->coarse_size;
    o->reader.detect.max_side = o->det_size;
    o->reader.max_pixels = (long)o->max_pixels_opt;
    o->max_bytes = (gsize)o->max_mb * 1024 * 1024;
    return TRUE;
}

void tool_options_clear(tool_options *o)
{
    g_free(o->model_dir);
    g_free(o->ocr);
    g_free(o->plates);
    o->model_dir = o->ocr = o->plates = NULL;
}

gatecv_reader *tool_open_reader(tool_options *o, gatecv_models **models, GError **error)
{
    /* One thread is the measured default; OpenCV would otherwise take every core. */
    gcv_set_num_threads(o->threads > 1 ? o->threads : 0);
    *models = gatecv_models_load(gatecv_model_dir(o->model_dir), error);
    if (!*models)
        return NULL;
    gatecv_reader *r = gatecv_reader_new(*models, &o->reader, error);
    if (!r) {
        gatecv_models_free(*models);
        *models = NULL;
    }
    return r;
}
