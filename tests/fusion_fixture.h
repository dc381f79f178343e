/*
 * fusion_fixture.h — what the unit tests of the fusion's parts (test_assign, test_line_timeline)
 * build their lanes and passages from: a lane of one side camera and one front camera, and an
 * empty closed episode that the test fills in by hand. Header-only: each test is one file.
 */
#ifndef GATECV_FUSION_FIXTURE_H
#define GATECV_FUSION_FIXTURE_H

#include <glib.h>

#include "camera_track.h"
#include "lane_config.h"
#include "lane_text.h"

enum { SIDE, FRONT, N_CAMERAS };

/* A side camera (SIDE) and a front camera (FRONT), votes 2, max_vehicle_m 28; g_free it. */
static inline lane_config *fixture_config(void)
{
    lane_config *c = g_new0(lane_config, 1);
    c->n_cameras = N_CAMERAS;
    c->votes = 2;
    c->max_vehicle_m = 28;
    c->cameras[SIDE].name = (char *)"side";
    c->cameras[SIDE].role = LANE_ROLE_SIDE_LEFT;
    c->cameras[FRONT].name = (char *)"front";
    c->cameras[FRONT].role = LANE_ROLE_FRONT;
    return c;
}

/* An episode of `camera` with no boxes and no texts yet (free with camera_episode_free). */
static inline camera_episode *fixture_episode(int camera)
{
    camera_episode *e = g_new0(camera_episode, 1);
    e->camera = camera;
    e->votes = g_ptr_array_new_with_free_func(lane_text_free);
    e->edge_speeds = g_array_new(FALSE, FALSE, sizeof(float));
    return e;
}

#endif
