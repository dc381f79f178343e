/*
 * vehicle_items.h — what a vehicle's texts say in its event: per camera its plate (the text
 * with the most frames, valid first; another valid plate with `votes` frames is listed too,
 * and the camera disagrees with itself), its container codes (one item per code, the frames
 * of all cameras added up), and whether an AGV's fleet number was read in `votes` frames.
 *
 * Ownership: each item takes its text's evidence frame; vehicle_items_clear() frees them once
 * the crossing has been handed out.
 */
#ifndef GATECV_VEHICLE_ITEMS_H
#define GATECV_VEHICLE_ITEMS_H

#include <stdbool.h>

#include <glib.h>

#include "lane_config.h"
#include "lane_fusion.h"
#include "verdict.h"

/* Fills c's plates and containers from `texts` (lane_text*, the vehicle's own) and marks in
 * cams[i].disagrees a camera that read two valid plates. Returns whether a fleet number read
 * in `votes` frames shows an AGV. */
bool vehicle_items_fill(const lane_config *config, GPtrArray *texts, lane_crossing *c,
                        verdict_camera cams[LANE_MAX_CAMERAS]);

/* Frees the evidence frames of c's items. */
void vehicle_items_clear(lane_crossing *c);

#endif
