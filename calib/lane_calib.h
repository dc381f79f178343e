/*
 * lane_calib.h — the cameras' calibration files joined to the lane's config at start.
 *
 * For each camera with calibration=FILE: the file is read and checked (calib_load.h), then
 * it fills what the camera's group of lane.conf leaves out: roi (the bounding box of the
 * file's roi_polygon), tripwire and metres_per_pixel. A value given both in lane.conf and in
 * the file is refused rather than one silently winning; lane.conf's own roi and tripwire
 * must lie inside the file's image; a camera ends up with a tripwire or is refused. The
 * camera keeps the file's contents in lane_camera.calib (image size checked against its
 * frames, intrinsics for undistortion: camera_pipeline.c).
 */
#ifndef GATECV_LANE_CALIB_H
#define GATECV_LANE_CALIB_H

#include <glib.h>

#include "lane_config.h"

/* FALSE + an error naming the config or calibration file, the camera and the field. */
gboolean lane_calib_apply(lane_config *config, GError **error);

#endif
