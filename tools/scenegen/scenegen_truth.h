/*
 * scenegen_truth.h — the ground truth of a generated lane: when each vehicle is in each
 * camera's view (frame by frame, occlusion included, from the cameras' coarse
 * visibility) and truth.json (schema gatecv.truth/1).
 *
 * truth.json is written by hand, not by a JSON library, so that every number has
 * exactly three decimals and the same seed gives the same bytes.
 */
#ifndef GATECV_SCENEGEN_TRUTH_H
#define GATECV_SCENEGEN_TRUTH_H

#include "scenegen_camera.h"

/* First and last frame a vehicle is in a camera's view; -1, -1 if never. */
typedef struct {
    int enter, exit;
} sg_view;

/* views[v * SG_N_CAMERAS + role] for the rendered roles (others stay -1): a new array
 * the caller frees with g_free. */
sg_view *sg_truth_views(const sg_world *w, const sg_camera cams[SG_N_CAMERAS],
                        const bool rendered[SG_N_CAMERAS], int fps, int n_frames);

typedef struct {
    int64_t seed;
    int fps, width, height;
    const bool *rendered; /* [SG_N_CAMERAS] */
} sg_truth_meta;

/* The text of truth.json (caller frees). */
char *sg_truth_json(const sg_world *w, const sg_view *views, const sg_truth_meta *meta);

/* Writes it to path. */
bool sg_truth_write(const char *path, const sg_world *w, const sg_view *views,
                    const sg_truth_meta *meta, GError **error);

#endif /* GATECV_SCENEGEN_TRUTH_H */
