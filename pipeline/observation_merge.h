/*
 * observation_merge.h — hands the cameras' observations to the lane fusion in stream-time
 * order, for a replay as fast as the CPU allows.
 *
 * Each camera's pipeline runs on its own thread at its own pace, so without this the fusion
 * would see the cameras interleaved as the machine's scheduler happened to run them, and the
 * same recording could give other events on another run. The merge keeps each camera's
 * observations in a queue and releases the earliest (by time, then camera) once every
 * camera still running has seen as far; a camera more than `max_ahead_s` ahead of the
 * slowest waits in observation_merge_wait (its queue stays short, the fusion's input is the
 * same on every run). Waiting is apart from pushing because a camera's observations may be
 * pushed by a reader thread, once their reads are back (read_hold.h), and a reader must
 * never wait for a camera.
 *
 * Live cameras and --realtime replays run against the clock and must not wait for each
 * other: gatecvd does not use the merge there.
 *
 * Thread-safe: push and done may be called from any thread; the callbacks are called with
 * the merge's lock held, one at a time, in order.
 */
#ifndef GATECV_OBSERVATION_MERGE_H
#define GATECV_OBSERVATION_MERGE_H

#include "lane_fusion.h"

typedef struct observation_merge observation_merge;

typedef struct {
    void (*observe)(const lane_observation *o, void *user);
    void (*done)(int camera, double t, void *user);
    void *user;
} observation_merge_sink;

observation_merge *observation_merge_new(int n_cameras, double max_ahead_s,
                                         const observation_merge_sink *sink);
/* Stops (if not yet) and frees. */
void observation_merge_free(observation_merge *m);

/* Waits while a camera at stream time t is more than max_ahead_s ahead of the slowest
 * camera still running (call it on the camera's own thread, before its frame goes on). */
void observation_merge_wait(observation_merge *m, int camera, double t);
/* A camera's observation (copied: reads and frame included). Never waits. */
void observation_merge_push(observation_merge *m, const lane_observation *o);
/* The camera has ended at stream time t: nothing more comes from it. */
void observation_merge_done(observation_merge *m, int camera, double t);
/* Releases everything queued, in order, wakes every waiting camera, and from then on hands
 * each observation on as it comes (for shutting down: the pipelines can then be stopped). */
void observation_merge_stop(observation_merge *m);

#endif
