/*
 * crossing_notice.h — the first notice of a crossing: told as soon as a side camera has seen
 * the vehicle go past the tripwire, before any of its reads is back.
 *
 * The lane fusion sees a camera's frames only once their reads are in (read_hold), seconds
 * after the camera took them. Motion needs no read: every frame also comes here at once, to a
 * camera_track of its own camera that makes, from the same frames, the same episodes the
 * fusion's track will make later. When a side camera's episode (it sees the vehicle's whole
 * length) has its middle past the line, on the side opposite the one it came from, while
 * another camera's episode was over the line too (one camera alone may be rain or a
 * headlight's glare), a notice goes out: a provisional revision with no text yet. The middle,
 * not the rear: the motion box shows the rear clear the line seconds late where the place a
 * stopped vehicle stood at keeps moving in the gate's eyes behind it. A second side camera
 * passing the same vehicle joins that notice.
 *
 * The notice stands for those episodes. When the fusion's own track closes one of them (the
 * episode that began in the same frame of the same camera) as a passage, the vehicle that
 * passage joined takes the notice's revisions over: its next revisions and its final one go out
 * under the notice's identity. A notice whose episodes all closed and that no vehicle took over
 * (the vehicle backed off the line after all) gets a final revision of its own, needs_review:
 * nothing told is left without a final.
 *
 * Ownership: crossing_notices owns its look-ahead tracks and its notices; a notice taken over
 * gives its revisions to the vehicle and is freed.
 */
#ifndef GATECV_CROSSING_NOTICE_H
#define GATECV_CROSSING_NOTICE_H

#include <stdbool.h>

#include <glib.h>

#include "camera_track.h"
#include "lane_config.h"
#include "lane_fusion.h"
#include "line_timeline.h"

/* A crossing told before the fusion has it. `vehicle` is what it went out as: pending, its
 * span the side cameras' time over the line, its revisions the ones told; no passages (they
 * are borrowed while it is published). */
typedef struct {
    line_vehicle vehicle;
    double opened[LANE_MAX_CAMERAS]; /* each camera's episode it stands for: its first frame's
                                        time (NAN: none of that camera) */
    int n_open;                      /* of those, the episodes the fusion has not closed yet */
} crossing_notice;

typedef struct crossing_notices crossing_notices;

/* Hands a notice out: p is the notice's vehicle, with the look-ahead episodes it stands for as
 * its passages for the duration of the call. */
typedef void (*crossing_notice_fn)(line_vehicle *p, double now, void *user);

crossing_notices *crossing_notices_new(const lane_config *config, double join_window);
void crossing_notices_free(crossing_notices *n);

/* A camera's frame as it was taken (its reads, if any, are ignored). Calls fn for a notice it
 * made due, unless the fusion's timeline (`tl`) already holds a vehicle on the line then. */
void crossing_notices_look(crossing_notices *n, const lane_observation *o, const line_timeline *tl,
                           crossing_notice_fn fn, void *user);

/* The fusion's track of camera e->camera closed episode e: the notice that stood for it, or
 * NULL. The notice stays the caller's to resolve with crossing_notices_taken_over or, once its
 * n_open is 0, crossing_notices_drop. */
crossing_notice *crossing_notices_closed(crossing_notices *n, const camera_episode *e);

/* A notice whose span overlaps vehicle v's on the line going its way (within the join window),
 * or NULL: a side camera's passage that the look-ahead did not join to it is still its vehicle. */
crossing_notice *crossing_notices_on_line_with(crossing_notices *n, const line_vehicle *v);

/* Vehicle v, never told before, takes over the notice's revisions; the notice is freed. */
void crossing_notices_taken_over(crossing_notices *n, crossing_notice *c, line_vehicle *v);

/* Frees the notice (its final revision went out). */
void crossing_notices_drop(crossing_notices *n, crossing_notice *c);

/* The notices not yet resolved, oldest first: *cursor starts at 0; NULL after the last. */
crossing_notice *crossing_notices_next(crossing_notices *n, guint *cursor);

#endif
