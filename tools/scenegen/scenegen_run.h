/*
 * scenegen_run.h — one generation from options to files: builds and schedules the
 * world, works out the views, renders and encodes each requested camera frame by
 * frame, then writes truth.json and lane.conf. Reports progress through a callback
 * and failures as a GError; prints nothing itself.
 */
#ifndef GATECV_SCENEGEN_RUN_H
#define GATECV_SCENEGEN_RUN_H

#include "scenegen_camera.h"
#include "scenegen_scenario.h"

typedef void (*sg_progress_fn)(sg_role role, int done, int total, void *data);

typedef struct {
    const char *out; /* output folder (created) */
    int64_t seed;
    sg_scenario scenario;
    int n_vehicles;
    int width, height, fps;
    unsigned conditions;             /* bitmask of allowed sg_condition */
    bool cameras[SG_N_CAMERAS];      /* which to render */
    int png_every;                   /* also write every Nth frame as PNG under out/frames (0: no) */
    sg_progress_fn progress;         /* may be NULL */
    void *progress_data;
} sg_run_options;

typedef struct {
    int n_vehicles, n_cameras, n_frames;
    double duration_s;
} sg_run_summary;

bool sg_run(const sg_run_options *o, sg_run_summary *summary, GError **error);

#endif /* GATECV_SCENEGEN_RUN_H */
