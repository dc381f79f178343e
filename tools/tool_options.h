/*
 * tool_options.h — the reader options shared by gatecv-read and gatecv-eval
 * (model folder, OCR engine, detector size, limits, threads) and opening a reader
 * from them.
 */
#ifndef GATECV_TOOL_OPTIONS_H
#define GATECV_TOOL_OPTIONS_H

#include <glib.h>

#include "models.h"
#include "reader.h"

typedef struct {
    gchar *model_dir;
    gchar *ocr;             /* "ppocr", "tesseract" or "both" */
    gchar *plates;          /* plate grammars: "vn,cn,generic" */
    gint det_size;          /* detector: longer side in pixels */
    gint coarse_size;       /* coarse detection pass: longer side, 0 = none */
    gboolean legacy;        /* the reader before its speed-up */
    gint threads;           /* OpenCV threads; 1 = one core */
    gint64 max_pixels_opt;
    gint max_mb;
    gsize max_bytes;
    gatecv_reader_params reader;
} tool_options;

void tool_options_init(tool_options *o);
GOptionGroup *tool_options_group(tool_options *o);
/* Validate and apply parsed options; FALSE + error naming the option otherwise. */
gboolean tool_options_check(tool_options *o, GError **error);
void tool_options_clear(tool_options *o);

/* Load the models and make a reader; *models must be freed after the reader. */
gatecv_reader *tool_open_reader(tool_options *o, gatecv_models **models, GError **error);

#endif
