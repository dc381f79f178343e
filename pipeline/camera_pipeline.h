/*
 * camera_pipeline.h — one GStreamer pipeline per camera:
 *
 *   uridecodebin uri=URI ! videoconvert ! video/x-raw,format={I420,NV12}
 *     ! gatemotion roi=ROI ! gateplate | gatecontainer ! appsink
 *
 * The front camera reads plates (gateplate), the sides codes (gatecontainer), the rear
 * both in one pass (gateplate containers=true). The decoder's planar frames go through as
 * they are (videoconvert only acts when a source gives another format): the reader
 * converts just the ROI of the frames it reads. A live camera, or a replay with
 * --realtime, reads with max-lateness so that it keeps up; a replay as fast as the CPU
 * allows reads every due frame. Each frame that reaches the appsink becomes a
 * lane_observation for the fusion (motion, reads, and the frame in BGR when it has
 * reads). A camera whose source fails is reported and, for a
 * live source (rtsp, v4l2), started again with backoff (1 s doubling to 30 s); a
 * recording that is corrupt or truncated ends that camera cleanly. Other cameras go on.
 */
#ifndef GATECV_CAMERA_PIPELINE_H
#define GATECV_CAMERA_PIPELINE_H

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"

typedef struct camera_pipeline camera_pipeline;

typedef struct {
    gboolean realtime;     /* replay at the recording's rate instead of as fast as possible */
    const char *model_dir; /* NULL: the default */
    guint read_interval;   /* read every N-th gated frame */
} camera_options;

/* Called from GStreamer's streaming threads: the callee serialises. `done` is called
 * once when the camera has ended for good (end of a recording, or given up). */
typedef struct {
    void (*observe)(const lane_observation *o, void *user);
    void (*done)(int camera, double t, void *user);
    void *user;
} camera_sink;

camera_pipeline *camera_pipeline_new(const lane_config *config, int camera,
                                     const camera_options *opts, const camera_sink *sink,
                                     GError **error);
/* Start (or restart) playing; errors arrive on the bus and are handled in the main loop. */
void camera_pipeline_start(camera_pipeline *p);
void camera_pipeline_free(camera_pipeline *p);
/* TRUE for a live source's URI (RTSP, v4l2): it runs against the clock, never waits. */
gboolean camera_uri_is_live(const char *uri);

#endif
