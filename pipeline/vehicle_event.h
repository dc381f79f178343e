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
#include "lane_trigger.h"
#include "line_timeline.h"
#include "revision.h"

/* What the fusion knows around a vehicle when it goes out (all borrowed). */
typedef struct {
    const lane_config *config;
    const camera_track *cams; /* one per camera of the config */
    const line_timeline *timeline;
    double now; /* the latest observation's time: when the vehicle was decided */
    lane_crossing_fn fn;
    void *user;
    guint64 *last_id; /* the last vehicle identity given out (the fusion's counter) */
    /* the lane's presence sensor, or NULL; a vehicle with no presence reported within
     * trigger_margin seconds of its time on the line is one the sensor saw none of */
    const lane_trigger *trigger;
    double trigger_margin;
} vehicle_event_ctx;

/* Which vehicle a crossing is: all of what the cameras passed, or one part of it. */
typedef enum {
    VEHICLE_WHOLE,
    VEHICLE_PART_SEEN,    /* of several the cameras' own evidence showed: for review */
    VEHICLE_PART_PARTED,  /* of several the presence sensor parted (the line free between) */
} vehicle_part;

/* Hands vehicle p out through ctx->fn as the next revision `revs` records (given an identity
 * at its first): all of it, or (`which` a part) its part with the texts on the line between lo and
 * hi; with every plate and code an earlier revision told (revisions_keep). `texts` are p's own
 * (lane_text*, borrowed: their evidence frames move into the event, which frees them). A final
 * revision (p decided, or seen only by its reads) notes its texts as published with p; a
 * provisional one (p pending) goes out only when it says something the last did not. */
void vehicle_event_publish(const vehicle_event_ctx *ctx, line_vehicle *p, vehicle_revisions *revs,
                           GPtrArray *texts, double lo, double hi, vehicle_part which,
                           bool provisional);

#endif
