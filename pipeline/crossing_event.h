/*
 * crossing_event.h — a decided crossing as the event of schema gatecv.crossing/1
 * (../shared/DESIGN.md, schema/gatecv.crossing-1.schema.json): the JSON document and
 * its evidence JPEGs (libjpeg-turbo), written into an output folder.
 *
 * The writer owns the output folder's sequence file: `seq` is strictly increasing per
 * box and survives a restart (the last one is kept in OUT/SEQ, fsync'd before the event
 * is written).
 */
#ifndef GATECV_CROSSING_EVENT_H
#define GATECV_CROSSING_EVENT_H

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"

typedef struct event_writer event_writer;

/* `out_dir` is created if needed. `epoch_us` is the wall-clock time (µs since 1970,
 * UTC) of stream time 0: the start of a replayed recording. */
event_writer *event_writer_new(const lane_config *config, const char *out_dir, gint64 epoch_us,
                               GError **error);
void event_writer_free(event_writer *w);

/* Write the crossing's evidence JPEGs and return its event JSON (one line, g_free it),
 * with the next seq. NULL + error if a file cannot be written. */
char *event_writer_write(event_writer *w, const lane_crossing *crossing, GError **error);

/* RFC 3339 UTC with milliseconds, e.g. 2026-11-23T14:03:07.120Z (g_free it). */
char *event_time_string(gint64 epoch_us, double stream_t);

#endif
