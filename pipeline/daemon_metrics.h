/*
 * daemon_metrics.h — what gatecvd tells its monitoring over /metrics and /healthz (README,
 * "Watching it"): the metric families, and how they are filled. Reads and events are
 * observed as they happen (histograms, event counts); everything the daemon already counts
 * elsewhere (its cameras' frames, the reader pool, the journal) is copied in at each scrape
 * rather than counted twice.
 */
#ifndef GATECV_DAEMON_METRICS_H
#define GATECV_DAEMON_METRICS_H

#include <glib.h>

#include "journal.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "metrics_text.h"
#include "reader_pool.h"

/* One camera as the health topic sees it. */
typedef struct {
    guint64 frames; /* frames seen */
    guint64 moving; /* of those, frames the motion gate marked moving */
    gboolean up;    /* a frame came lately, and it was not lost since */
    guint64 reconnects; /* times a live camera came back after being down */
    gboolean ended; /* it ended for good (a recording at its end) */
} daemon_camera_state;

typedef struct daemon_metrics daemon_metrics;

/* The families, with a series for each camera and each status and revision kind at 0.
 * `config` is borrowed and outlives it. */
daemon_metrics *daemon_metrics_new(const lane_config *config);
void daemon_metrics_free(daemon_metrics *m);
metrics_registry *daemon_metrics_registry(daemon_metrics *m);

/* A read came back (reader_pool_options.on_read: any thread; user is the daemon_metrics). */
void daemon_metrics_read(const char *camera, double latency_s, double read_s, void *user);

/* An event was built from crossing c and journaled (or not: `journaled` FALSE), with the
 * status it carries, `publish_s` seconds after the fusion decided it. Any thread. */
void daemon_metrics_event(daemon_metrics *m, const lane_crossing *c, const char *status,
                          gboolean journaled, double publish_s);

/* At a scrape (main loop): the cameras (config order), the readers' stats (NULL before
 * they run), the journal (NULL when not open). */
void daemon_metrics_collect(daemon_metrics *m, const daemon_camera_state *cameras,
                            const reader_pool_stats *readers, journal *events);

/* /healthz: TRUE while every camera is up; its JSON body appended to `body`. */
gboolean daemon_metrics_health(const lane_config *config, const daemon_camera_state *cameras,
                               GString *body);

#endif
