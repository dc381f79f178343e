/*
 * scenegen_scenario.h — which vehicles a recorded lane holds: kinds, plates, containers,
 * shapes, conditions and speed profiles, drawn deterministically from a seed. Placing
 * them in time is scenegen_schedule's job.
 *
 *   mixed  cycles through: a VN truck with one container; back-to-back a VN box truck
 *          and a CN truck with two containers; a tractor + trailer in the rain (its
 *          trailer plate differs from the tractor's) that stops and reverses; an AGV at
 *          night (CN_TO_VN); a car at dusk (CN_TO_VN); a VN truck with two containers
 *          at night; a CN tractor + trailer (CN_TO_VN). Each further cycle shifts the
 *          conditions by one (AGVs stay at night) and every other AGV runs empty.
 *   demo   three trucks by day and one AGV at night, faster: about 25 s of video.
 */
#ifndef GATECV_SCENEGEN_SCENARIO_H
#define GATECV_SCENEGEN_SCENARIO_H

#include "scenegen_world.h"

typedef enum { SG_SCENARIO_MIXED, SG_SCENARIO_DEMO } sg_scenario;

bool sg_scenario_parse(const char *s, sg_scenario *out);
const char *sg_scenario_name(sg_scenario s);
/* The number of vehicles of a scenario when the user gives none. */
int sg_scenario_default_vehicles(sg_scenario s);

/* Fills w->vehicles, w->n and w->n_groups (times not set yet). `conditions` is a
 * bitmask of allowed conditions (1 << SG_DAY ...), not 0: a condition not allowed is
 * replaced by the next allowed one. n_vehicles is ignored by the demo. */
void sg_scenario_build(sg_world *w, sg_scenario scenario, int n_vehicles, uint64_t seed,
                       unsigned conditions);

#endif /* GATECV_SCENEGEN_SCENARIO_H */
