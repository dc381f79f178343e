/*
 * scenegen_laneconf.h — lane.conf for the generated lane: the GLib key file gatecvd
 * reads, with the gate, and per rendered camera its role, the absolute file:// URI
 * of its video, its lane ROI and its tripwire (see sg_camera_tripwire for the
 * direction rule).
 */
#ifndef GATECV_SCENEGEN_LANECONF_H
#define GATECV_SCENEGEN_LANECONF_H

#include "scenegen_camera.h"

/* out_dir: the absolute output folder holding <role>.mkv. */
bool sg_laneconf_write(const char *path, const char *out_dir, const sg_camera cams[SG_N_CAMERAS],
                       const bool rendered[SG_N_CAMERAS], GError **error);

#endif /* GATECV_SCENEGEN_LANECONF_H */
