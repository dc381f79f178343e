/*
 * verdict.h — whether a vehicle the lane fusion assembled is `verified` or `needs_review`, and
 * why: a pure function of what the fusion found out about the vehicle (its plates and codes
 * after the vote, and how each camera saw it). The checks are one table in verdict.c, each
 * with the machine-readable reason it gives (README, "reasons"); a vehicle is verified when
 * none of them has anything to say.
 *
 * The one exception by role: a camera that looks along the lane is not asked about its
 * passage when the side cameras measured one vehicle on the line (it sees vehicles one behind
 * the other in one view and often joins one to the next, but its texts went to the vehicle by
 * their own time on the line).
 */
#ifndef GATECV_VERDICT_H
#define GATECV_VERDICT_H

#include <stdbool.h>

#include "lane_fusion.h"

/* An episode that showed two vehicles with road between them in this many frames is not
 * verified on its own word. */
#define VERDICT_TWO_VEHICLE_FRAMES 12

/* How one camera saw the vehicle. */
typedef struct {
    const char *name;
    bool looks_along;       /* its role looks along the lane (lane_role_can) */
    bool disagrees;         /* it read another valid plate, with votes, besides its own */
    bool watching;          /* it was running while the vehicle was on the line */
    bool down;              /* it was down (lost, being reconnected) while the vehicle was in view */
    bool passed;            /* it made a passage for the vehicle */
    int two_vehicle_frames; /* frames of that passage that showed two vehicles */
    bool others_passed_two; /* another camera passed two vehicles within that episode */
    double length_m;        /* that passage's measured length (0: not measured) */
} verdict_camera;

typedef struct {
    const lane_item *plates; /* after the vote: each camera's own plate first */
    int n_plates;
    const lane_item *containers;
    int n_containers;
    const verdict_camera *cameras;
    int n_cameras;
    bool seen;         /* a camera passed it (false: only its reads show it) */
    bool measured_one; /* the side cameras measured one vehicle on the line */
    bool split;        /* one of several vehicles that the cameras saw as one passage */
    /* one of several that the lane's presence sensor parted (it saw the line free between
     * them): the cameras' signs of two vehicles in one passage are explained */
    bool parted_by_trigger;
    bool trigger_saw_none; /* the presence sensor reported no vehicle on the line then */
    /* the presence sensor felt exactly one vehicle on the line while this one was on it: its
     * bounds are known, so no camera is asked about its passage (a camera that ran it
     * together with the next one of a queue, or made none, saw it no differently) */
    bool sensor_one;
    bool direction_guessed; /* only the sensor felt it, and nothing showed its way */
    double max_vehicle_m;
} verdict_vehicle;

typedef struct {
    const char *status; /* "verified" or "needs_review" */
    char reasons[LANE_MAX_REASONS][64];
    int n_reasons;
} lane_verdict;

lane_verdict verdict_of(const verdict_vehicle *v);

#endif
