/*
 * metrics_text.h — a small registry of counters, gauges and histograms, rendered as the
 * Prometheus text exposition format, version 0.0.4 (`# HELP`, `# TYPE`, one line per
 * series; a histogram as cumulative `_bucket{le="..."}` lines ending with `le="+Inf"`, then
 * `_sum` and `_count`). It knows nothing of HTTP (metrics_http.h serves it) nor of what the
 * numbers mean (gatecvd registers and fills them).
 *
 * A family has a name, a help text and up to METRICS_MAX_LABELS label names; its series are
 * made on first use, one per set of label values, and rendered in the order they were made.
 * Families render in the order they were registered. A counter's name ends in `_total`.
 *
 * Thread-safe: one mutex in the registry guards every value. A histogram's buckets, sum and
 * count change together under it, so a scrape never sees a count without its bucket (with
 * separate atomics it could, and a double sum would need a compare-and-swap loop); updates
 * come a few times a second (a read, an event), so the lock costs nothing measurable.
 *
 * The registry owns its families and series; free it with metrics_registry_free.
 */
#ifndef GATECV_METRICS_TEXT_H
#define GATECV_METRICS_TEXT_H

#include <glib.h>

#define METRICS_MAX_LABELS 4
#define METRICS_MAX_BUCKETS 32

/* What the HTTP reply's Content-Type says of the text. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

typedef enum { METRICS_COUNTER, METRICS_GAUGE, METRICS_HISTOGRAM } metrics_type;

typedef struct metrics_registry metrics_registry;
typedef struct metrics_family metrics_family; /* owned by its registry */

metrics_registry *metrics_registry_new(void);
void metrics_registry_free(metrics_registry *r);

/* Registers a family. `labels`: its label names, NULL-terminated (NULL: none). A histogram
 * takes `n_bounds` upper bounds, strictly increasing (the `+Inf` bucket is implicit); the
 * others take NULL, 0. Names must be valid Prometheus names (asserted: they are the
 * program's, not input). */
metrics_family *metrics_register(metrics_registry *r, metrics_type type, const char *name,
                                 const char *help, const char *const *labels,
                                 const double *bounds, int n_bounds);

/* `values`: one label value per label name, in order (NULL for a family without labels);
 * any UTF-8 text (escaped when rendered). */

/* A counter or gauge's value: set (a counter copied from a running total elsewhere), or
 * added to. */
void metrics_set(metrics_family *f, const char *const *values, double v);
void metrics_add(metrics_family *f, const char *const *values, double delta);
/* One observation of a histogram. */
void metrics_observe(metrics_family *f, const char *const *values, double v);

/* The exposition text of every family (g_free it). */
char *metrics_render(metrics_registry *r);

/* Appends `value` escaped as a label value (backslash, double quote and newline). */
void metrics_escape_label(GString *out, const char *value);

#endif
