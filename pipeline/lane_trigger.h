/*
 * lane_trigger.h — what the lane controller's presence sensor said: when a vehicle was on the
 * line and when the line was free. An induction loop, a light curtain or the barrier's own
 * detector sits across the lane at the tripwire and tells "present" when a vehicle comes onto
 * it and "gone" when the line is free again; it sees the gap between two trucks close behind
 * each other that a camera's motion gate, open over both, cannot.
 *
 * The reports arrive in time order (stream seconds, the cameras' time base); a report that
 * repeats the state in force (present while present) changes nothing and is counted. A gap
 * shorter than `min_gap` is the sensor's chatter (the space between a tractor and its
 * trailer), not two vehicles. The fusion asks the intervals (lane_fusion_trigger): whether a
 * vehicle was present while the cameras saw one, and where the line was free inside what the
 * cameras took for one vehicle.
 *
 * Pure C over GLib. Memory: one interval per vehicle the sensor reported, dropped by
 * lane_trigger_forget once nothing can ask about it.
 */
#ifndef GATECV_LANE_TRIGGER_H
#define GATECV_LANE_TRIGGER_H

#include <stdbool.h>

#include <glib.h>

typedef struct lane_trigger lane_trigger;

lane_trigger *lane_trigger_new(double min_gap);
void lane_trigger_free(lane_trigger *tr);

/* A report at stream time t: present (a vehicle came onto the line) or gone (it is free).
 * Returns false, changing nothing, for a report of the state already in force or one earlier
 * than the last (the caller logs it). */
bool lane_trigger_report(lane_trigger *tr, double t, bool present);

/* Whether any report came: without one the fusion works from the cameras alone. */
bool lane_trigger_heard(const lane_trigger *tr);

/* The time of the latest report (-INFINITY: none). */
double lane_trigger_last_report(const lane_trigger *tr);

/* Whether a vehicle was present at some time within [t0, t1] (an interval still open counts
 * as present from its start on). */
bool lane_trigger_present_within(const lane_trigger *tr, double t0, double t1);

/* How many presences (vehicles, as the sensor felt them) lay within [t0, t1], in part. */
int lane_trigger_count_within(const lane_trigger *tr, double t0, double t1);

/* The times the line was free, for at least min_gap, wholly inside (t0, t1): the middle of
 * each such gap goes to `bounds` in ascending order, at most `max`; returns how many. */
int lane_trigger_gaps_within(const lane_trigger *tr, double t0, double t1, double *bounds,
                             int max);

/* The earliest presence that has ended and that the fusion has not resolved yet (matched to
 * a vehicle the cameras passed, or made a vehicle of): false when there is none. */
bool lane_trigger_unresolved(const lane_trigger *tr, double *start, double *end);
/* Whether a presence not resolved yet (ended or not) lay within [t0, t1]. */
bool lane_trigger_unresolved_within(const lane_trigger *tr, double t0, double t1);
/* Marks the presence that began at `start` resolved. */
void lane_trigger_resolve(lane_trigger *tr, double start);

/* Drops the intervals that ended before `horizon`. */
void lane_trigger_forget(lane_trigger *tr, double horizon);

#endif
