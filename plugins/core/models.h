/*
 * models.h — finding, loading and checking the OCR models (PP-OCRv4 detector and
 * recogniser, converted by models/fetch-models.sh) and the recogniser's character list.
 *
 * A gatecv_models owns the recognisers and the character list; it is created once and
 * shared by the readers of every thread of a process. An OpenCV net is not thread-safe, so
 * each recogniser is used by one thread at a time (gatecv_models_recogniser_hold: its
 * lock; a recogniser pass is a small part of a read, so threads seldom wait on it, and one
 * set of four recognisers costs about 100 MB once instead of once per thread). The detector
 * instances, which are large, live in a gatecv_det_cache: the models' own, or one shared
 * by several gatecv_models of a process.
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
 * own instance of the detector, loaded on first use and kept in a gatecv_det_cache.
 *
 * An instance's memory grows with its input area: about 250 bytes per input pixel of
 * feature maps after its first pass, plus about 15 MB of weights (measured on det.onnx,
 * 512x288 to 1920x1088). So the cache is bounded by a cost in pixels, not by a count:
 * each instance costs its width * height plus GATECV_DET_INSTANCE_PX for its weights.
 *
 * The default budget, 1 Mpx, is at most about 270 MB of detector (issue 15 asks under
 * 600 MB for the whole process): room for the largest pass gatecvd makes (a whole ROI at
 * 960 px: 1024x832 with its margin, 0.85 Mpx and weights) alone, or for a coarse canvas
 * and several fine mosaics of a few cameras. On the demo lane (2 cameras, 2 threads,
 * 242 passes; duplicates then evicting nothing) 1.5 Mpx peaked at 862 MB RSS and 1 Mpx at
 * 774 MB, for 52 and 73 loads: the smaller budget costs under a second of loading a
 * minute. Letting duplicates evict (as now) took 1 Mpx to 99 loads and 34 waits (from
 * 57), 743-765 MB. $GATECV_DET_BUDGET (megapixels) overrides it. */
#define GATECV_DET_INSTANCE_PX (64 * 1024)
#define GATECV_DET_BUDGET_PX (1024 * 1024)

/* Detector instances keyed by input size, shared by every gatecv_models (and thread) of
 * a process that is given it. Each instance is held by one thread at a time, between
 * gatecv_det_cache_acquire and _release. Thread-safe. */
typedef struct gatecv_det_cache gatecv_det_cache;

typedef struct {
    guint64 acquires;   /* instances handed out */
    guint64 loads;      /* instances loaded (misses), duplicates included */
    guint64 duplicates; /* loads of a size already cached but busy */
    guint64 waits;      /* acquires that waited for another thread's release */
    guint64 evictions;  /* idle instances freed to stay within the budget */
    int instances;      /* cached now */
    gint64 cost_px;     /* cached now, in budget pixels */
    gint64 peak_cost_px;
    double load_ms;     /* loading det.onnx in gatecv_det_cache_new */
} gatecv_det_cache_stats;

/* The budget to use: $GATECV_DET_BUDGET (megapixels) when set and valid, else
 * GATECV_DET_BUDGET_PX. */
gint64 gatecv_det_budget_default(void);

/* A cache of det.onnx at `det_path` within `budget_px`. The model is loaded and checked
 * once here (one pass of a small input, kept as the first instance). NULL + error (one
 * line naming the file and the fix) when it is missing or wrong. */
gatecv_det_cache *gatecv_det_cache_new(const char *det_path, gint64 budget_px, GError **error);
/* Frees every instance. No instance may be held, and no gatecv_models may still borrow
 * the cache (asserted). */
void gatecv_det_cache_free(gatecv_det_cache *cache);

/* The instance for a width x height input (multiples of GATECV_DET_ALIGN), held by the
 * calling thread until gatecv_det_cache_release. An idle instance of that size is taken;
 * if there is none (none of that size, or all busy), one more is loaded when the budget
 * has room for it, idle instances evicted least recently used first if need be; else the
 * thread waits for a release (or, with no instance busy, loads it anyway: one instance
 * larger than the budget). Busy instances are never evicted. A thread holds at most one
 * instance at a time (asserted): so a waiting thread holds nothing, and waits cannot
 * deadlock. NULL + error if the model cannot be loaded. */
gcv_net *gatecv_det_cache_acquire(gatecv_det_cache *cache, int width, int height,
                                  GError **error);
/* Hands back the net the calling thread acquired. */
void gatecv_det_cache_release(gatecv_det_cache *cache, gcv_net *net);

void gatecv_det_cache_get_stats(gatecv_det_cache *cache, gatecv_det_cache_stats *stats);

typedef struct gatecv_models {
    char *dir;
    gatecv_det_cache *det;  /* the detector instances: its own, or borrowed (det_shared) */
    gboolean det_shared;
    gcv_net *rec;                             /* input width GATECV_REC_WIDTH */
    gcv_net *rec_narrow[GATECV_REC_N_NARROW]; /* rec-<W>.onnx, NULL when not loaded */
    int rec_narrow_width[GATECV_REC_N_NARROW];
    GMutex *rec_locks; /* [0] rec's, [1 + i] rec_narrow[i]'s: the thread using the net */
    char **charset;     /* class index -> UTF-8 character; [0] is the CTC blank ("") */
    int n_classes;      /* entries in charset == recogniser output width */
    double det_load_ms; /* loading det.onnx: 0 when the cache is borrowed */
    double rec_load_ms;
} gatecv_models;

/* The model folder to use: `override` if not NULL, else $GATECV_MODEL_DIR, else the
 * folder the build was configured with. The returned string is not to be freed. */
const char *gatecv_model_dir(const char *override);

/* Load det.onnx (into a cache of the models' own, budget gatecv_det_budget_default()),
 * rec.onnx, the narrow recognisers rec-<W>.onnx and keys.txt from `dir` and check each
 * with one forward pass of the expected input shape. On failure returns NULL and sets
 * `error` to one line naming the file, what is wrong, and the command that fixes it. */
gatecv_models *gatecv_models_load(const char *dir, GError **error);
/* The same, but the detector instances come from `cache`, which the models borrow: it
 * must outlive them (gatecv_det_cache_free asserts it). For a cache that outlives its
 * models, or several models of one process, so each input size costs its memory once. */
gatecv_models *gatecv_models_load_shared(const char *dir, gatecv_det_cache *cache,
                                         GError **error);
void gatecv_models_free(gatecv_models *models);

/* The narrowest recogniser whose input is at least `width` px wide (rec.onnx when none of
 * the narrow ones is), and its input width. Owned by `models`; run it only while holding
 * it (below). */
gcv_net *gatecv_models_recogniser(const gatecv_models *models, int width, int *net_width);

/* Holds one of the models' recognisers for the calling thread, around its forward pass,
 * until gatecv_models_recogniser_release: another thread holding it is waited for. */
void gatecv_models_recogniser_hold(const gatecv_models *models, gcv_net *net);
void gatecv_models_recogniser_release(const gatecv_models *models, gcv_net *net);

#endif
