/*
 * crossing_event.h — a decided crossing as the event of schema gatecv.crossing/1
 * (../shared/DESIGN.md, schema/gatecv.crossing-1.schema.json): the JSON document and
 * its evidence JPEGs (the crossing's items carry them, encoded by the readers), in memory,
 * ready for the journal and the bus.
 *
 * The caller gives each event its `seq` (the journal's next one): the writer only builds.
 * With a manifest, the event's manifest_match says what the clearance system expected, and
 * a verified read that contradicts it makes the status `mismatch`.
 */
#ifndef GATECV_CROSSING_EVENT_H
#define GATECV_CROSSING_EVENT_H

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"
#include "manifest.h"

typedef struct event_writer event_writer;

/* One event: the JSON (one line, no newline) and the evidence JPEGs (GBytes) in the
 * order its `evidence` lists them. */
typedef struct {
    char *json;
    GPtrArray *jpegs;
    const char *status; /* its verification.status: "verified", "needs_review" or "mismatch"
                         * (a static string, for counting) */
} crossing_event;

/* `epoch_us` is the wall-clock time (µs since 1970, UTC) of stream time 0: the start of a
 * replayed recording. `expected` (may be NULL) is the manifest crossings are matched
 * against; the writer does not own it. */
event_writer *event_writer_new(const lane_config *config, gint64 epoch_us, manifest *expected);
void event_writer_free(event_writer *w);

/* The crossing's event with this seq. Every revision of one vehicle (lane_crossing.vehicle_id,
 * when not 0) gets the same event_id: the writer keeps it from the first revision to the final
 * one, then forgets it; `revision` and `final` say which one this is. Never NULL now (the
 * readers encode the evidence); `error` is kept for what may fail. */
crossing_event *event_writer_build(event_writer *w, const lane_crossing *crossing, guint64 seq,
                                   GError **error);
void crossing_event_free(crossing_event *e);

/* RFC 3339 UTC with milliseconds, e.g. 2026-11-23T14:03:07.120Z (g_free it). */
char *event_time_string(gint64 epoch_us, double stream_t);

#endif
