/*
 * vehicle_event.h — a decided vehicle (or one part of a split one) as the crossing handed out:
 * when it crossed and was in view, its direction, its plates and codes (vehicle_items.c), and
 * its verdict (verdict.c) from what each camera saw of it. The one way every vehicle goes out,
 * those seen only by their reads too.
 */
#ifndef GATECV_VEHICLE_EVENT_H
#define GATECV_VEHICLE_EVENT_H

#include <stdbool.h>

#include <glib.h>

#include "camera_track.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "line_timeline.h"

/* What the fusion knows around a vehicle when it goes out (all borrowed). */
typedef struct {
    const lane_config *config;
    const camera_track *cams; /* one per camera of the config */
    const line_timeline *timeline;
    double now; /* the latest observation's time: when the vehicle was decided */
    lane_crossing_fn fn;
    void *user;
} vehicle_event_ctx;

/* Hands vehicle p out through ctx->fn: all of it, or when `split` its part with the texts on
 * the line between lo and hi. `texts` are p's own (lane_text*, borrowed: their evidence frames
 * move into the event, which frees them); they are noted as published with p. */
void vehicle_event_publish(const vehicle_event_ctx *ctx, line_vehicle *p, GPtrArray *texts,
                           double lo, double hi, bool split);

#endif
