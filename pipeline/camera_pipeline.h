/*
 * camera_pipeline.h — one GStreamer pipeline per camera:
 *
 *   uridecodebin uri=URI ! videoconvert ! video/x-raw,format={I420,NV12}
 *     ! gatemotion roi=ROI ! appsink
 *
 * Capture, decode and the motion gate run at the camera's rate. Each frame that reaches the
 * appsink becomes a lane_observation (the motion box); the frames worth a read
 * (frame_select.h) go, as they are, to the box's reader pool (reader_pool.h), and their
 * observations wait in the camera's hold (read_hold.h) until their reads are back, so the
 * fusion gets the camera's frames in order, each with its reads. The front camera's frames
 * are read for plates, the sides' for codes, the rear's for both in one pass.
 *
 * The decoder's planar frames go through as they are (videoconvert only acts when a source
 * gives another format): a reader converts just the ROI of the frames it reads. A recording
 * that is corrupt or truncated ends that camera cleanly, after the reads of its last frames.
 * Other cameras go on.
 *
 * A live camera (rtsp, http MJPEG, v4l2) that fails — an ERROR, an end of stream (a server
 * that went away), or no frame for CAMERA_STALL_S (a stream gone silent) — is down: its
 * pipeline is stopped, the reads of its frames before the drop are waited for and handed on,
 * then `state` says so; it is started again with backoff (1 s doubling to 30 s, back to 1 s
 * once frames flow), and its first frame after says it is up again.
 *
 * Time: a recording's frames carry their stream time (PTS). Every live camera's pipeline runs
 * on the system clock, and a frame's time is its clock time (base time + running time) less
 * the daemon's epoch on that clock: one time base for all live cameras, going on across a
 * reconnect, so the fusion can join them by time.
 */
#ifndef GATECV_CAMERA_PIPELINE_H
#define GATECV_CAMERA_PIPELINE_H

#include <glib.h>
#include <gst/gst.h>

#include "lane_config.h"
#include "lane_fusion.h"
#include "reader_pool.h"

typedef struct camera_pipeline camera_pipeline;

typedef struct {
    gboolean realtime;    /* replay at the recording's rate instead of as fast as possible */
    guint read_interval;  /* at least this many frames from one read to the next */
    reader_pool *readers; /* the box's readers (borrowed; outlives the camera's reads) */
    GstClockTime epoch;   /* live cameras: the system clock's time of stream time 0 */
} camera_options;

/* A live camera without a frame for this long has gone silent: it is started again. */
#define CAMERA_STALL_S 5

/* `observe` is called from the camera's streaming thread and from reader threads, one at a
 * time per camera, in frame order; it must not wait for the readers. `done` is called once
 * when the camera has ended for good (end of a recording, or given up), after its last
 * observation. `wait` (may be NULL) is called on the streaming thread with each frame's time
 * before anything else: a replay's cameras keep in step there. `look` (may be NULL) is called
 * on the streaming thread with each frame's observation as soon as its motion is known,
 * without its reads, before `observe` gets it (the first notice: lane_fusion_look).
 * `state` (may be NULL) says when a live camera goes down (on the main loop, after the
 * observations of its frames before the drop; t is its last frame's time, `why` what failed)
 * and comes up (on the streaming thread, before its first frame's observation; `why` NULL). */
typedef struct {
    void (*observe)(const lane_observation *o, void *user);
    void (*done)(int camera, double t, void *user);
    void (*wait)(int camera, double t, void *user);
    void (*look)(const lane_observation *o, void *user);
    void (*state)(int camera, double t, gboolean up, const char *why, void *user);
    void *user;
} camera_sink;

camera_pipeline *camera_pipeline_new(const lane_config *config, int camera,
                                     const camera_options *opts, const camera_sink *sink,
                                     GError **error);
/* Start (or restart) playing; errors arrive on the bus and are handled in the main loop. */
void camera_pipeline_start(camera_pipeline *p);
void camera_pipeline_free(camera_pipeline *p);
/* A recording replayed at its rate (camera_options.realtime): the monotonic time
 * (g_get_monotonic_time's clock, microseconds) at which its stream time 0 played, once its
 * first frame came; else 0. */
gint64 camera_pipeline_stream_zero_us(camera_pipeline *p);
/* TRUE for a live source's URI (RTSP, HTTP, v4l2): it runs against the clock, never waits. */
gboolean camera_uri_is_live(const char *uri);

#endif
