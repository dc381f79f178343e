/*
 * models.h — finding, loading and checking the OCR models (PP-OCRv4 detector and
 * recogniser, converted by models/fetch-models.sh) and the recogniser's character list.
 *
 * A gatecv_models owns both networks and the character list; it is created once and
 * shared read-only by the readers of one thread (OpenCV nets are not thread-safe:
 * give each thread its own).
 */
#ifndef GATECV_MODELS_H
#define GATECV_MODELS_H

#include <glib.h>

#include "gcv.h"

/* Shapes the converted models are fixed to (see models/MODELS.md). */
#define GATECV_REC_HEIGHT 48
#define GATECV_REC_WIDTH 320         /* rec.onnx: the widest recogniser */
#define GATECV_REC_STRIDE 8          /* input pixels a recogniser output step covers */
#define GATECV_REC_STEPS (GATECV_REC_WIDTH / GATECV_REC_STRIDE) /* rec.onnx's time steps */
/* Narrower copies of the recogniser (rec-<W>.onnx): a pass costs about in proportion to
 * the input width, and most plate lines fit in 96-224 px at 48 px high. Widths in
 * increasing order; keep in step with models/convert.py. */
#define GATECV_REC_NARROW_WIDTHS {96, 160, 224}
#define GATECV_REC_N_NARROW 3
#define GATECV_DET_ALIGN 32          /* detector input sides must be multiples of this */

/* OpenCV 4.6 keeps the detector's internal shapes from its first forward pass: a net
 * fed another input size afterwards gives an empty map. So each input size gets its
 * own instance of the detector, loaded on first use and kept in a small cache. */
#define GATECV_DET_CACHE 4

typedef struct {
    int width, height;
    gcv_net *net;
    guint64 last_used;
} gatecv_det_instance;

typedef struct gatecv_models {
    char *dir;
    char *det_path;
    gatecv_det_instance det_cache[GATECV_DET_CACHE];
    guint64 det_uses;
    int det_loads;      /* detector instances loaded so far (cache misses) */
    gcv_net *rec;                             /* input width GATECV_REC_WIDTH */
    gcv_net *rec_narrow[GATECV_REC_N_NARROW]; /* rec-<W>.onnx, NULL when not loaded */
    int rec_narrow_width[GATECV_REC_N_NARROW];
    char **charset;     /* class index -> UTF-8 character; [0] is the CTC blank ("") */
    int n_classes;      /* entries in charset == recogniser output width */
    double det_load_ms;
    double rec_load_ms;
} gatecv_models;

/* The model folder to use: `override` if not NULL, else $GATECV_MODEL_DIR, else the
 * folder the build was configured with. The returned string is not to be freed. */
const char *gatecv_model_dir(const char *override);

/* Load det.onnx, rec.onnx, the narrow recognisers rec-<W>.onnx and keys.txt from `dir`
 * and check each with one forward pass of the expected input shape. On failure returns NULL and sets `error` to one
 * line naming the file, what is wrong, and the command that fixes it. */
gatecv_models *gatecv_models_load(const char *dir, GError **error);
void gatecv_models_free(gatecv_models *models);

/* The detector instance for a width x height input (multiples of GATECV_DET_ALIGN),
 * loading it on first use (evicting the least recently used beyond the cache size).
 * Owned by `models`. NULL + error if the model cannot be loaded. */
gcv_net *gatecv_models_detector(gatecv_models *models, int width, int height, GError **error);

/* The narrowest recogniser whose input is at least `width` px wide (rec.onnx when none of
 * the narrow ones is), and its input width. Owned by `models`. */
gcv_net *gatecv_models_recogniser(const gatecv_models *models, int width, int *net_width);

#endif
