/*
 * scenegen_schedule.h — places the scenario's vehicles in time: groups (a vehicle, or
 * trucks that follow back-to-back) one after another, so that no two groups are ever
 * in a camera's view at once and each group's condition holds for all its frames.
 */
#ifndef GATECV_SCENEGEN_SCHEDULE_H
#define GATECV_SCENEGEN_SCHEDULE_H

#include "scenegen_camera.h"

/* Sets every vehicle's t_start and tripwire_s, the groups' first/last time in view
 * (allocated into w) and w->duration_s (whole seconds, one second after the last
 * group left every view). cams: the four rigs (all of them, so that the times do not
 * depend on which cameras are rendered). */
void sg_schedule(sg_world *w, const sg_camera cams[SG_N_CAMERAS]);

#endif /* GATECV_SCENEGEN_SCHEDULE_H */
