/*
 * scenegen_world.h — the world of gatecv-scenegen: a straight lane, the vehicles on it
 * (what they are, what is written on them, their shape as boxes) and how each one moves.
 *
 * Coordinates: the lane runs along x (metres); VN_TO_CN traffic moves towards +x. The
 * lane tripwire is the line x = 0. A vehicle's motion is p(τ): how far its front is
 * past the tripwire along its own direction of travel, at local time τ (seconds);
 * world time t = vehicle.t_start + τ. A point `a` metres behind the front is at world
 * x = dir * (p - a), dir = +1 (VN_TO_CN) or -1 (CN_TO_VN).
 *
 * A vehicle is a row of sections: boxes standing on the road, each covering
 * [a0, a1] metres behind the front, `height` metres high and the vehicle's width wide
 * (a cab; a chassis with a container or a box body on it; an AGV body; a car's hood,
 * cabin and trunk). Sections never overlap along the vehicle, so the painter's order
 * along the lane is always right.
 *
 * Everything here is plain data and arithmetic: no pixels, no GStreamer, no clock.
 * Ownership: sg_world owns its vehicles array (sg_world_clear frees it).
 */
#ifndef GATECV_SCENEGEN_WORLD_H
#define GATECV_SCENEGEN_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"

#define SG_MAX_PLATES 3
#define SG_MAX_CONTAINERS 2
#define SG_MAX_SECTIONS 6
#define SG_MAX_AXLES 3
#define SG_MAX_PHASES 10

typedef enum { SG_VN_TO_CN, SG_CN_TO_VN } sg_direction;
typedef enum { SG_DAY, SG_DUSK, SG_NIGHT, SG_RAIN, SG_N_CONDITIONS } sg_condition;
typedef enum { SG_TRUCK, SG_AGV, SG_CAR } sg_kind;
typedef enum { SG_PLATE_FRONT, SG_PLATE_REAR, SG_PLATE_TRAILER_REAR } sg_plate_position;

const char *sg_direction_name(sg_direction d);         /* "VN_TO_CN" */
const char *sg_condition_name(sg_condition c);         /* "day" */
bool sg_condition_parse(const char *s, sg_condition *out);
const char *sg_kind_name(sg_kind k);                   /* "truck" */
const char *sg_plate_position_name(sg_plate_position p); /* "front", "rear", "trailer_rear" */

typedef struct {
    render_plate_text text;
    render_plate_style style;
    sg_plate_position position;
} sg_plate;

/* True for the CN plate styles. */
bool sg_plate_is_cn(const sg_plate *p);

typedef struct {
    render_container_text text;
    bool side_two_line;   /* the side code is the two-line horizontal layout */
    bool doors_visible;   /* the rearmost container: its doors face the rear */
    bool door_horizontal; /* the doors carry a horizontal code (when visible) */
    bool door_vertical;   /* the doors carry a vertical code (when visible) */
    render_vertical_style door_style; /* its layout: one column or split, size type place */
    render_colour panel, ink;
    double length_m, height_m;
} sg_container;

/* Geometry of an ISO 6346 size-type code: length (20, 40, 45 ft) and height (8'6", 9'6"). */
void sg_container_dimensions(const char *size_type, double *length_m, double *height_m);

typedef enum {
    SG_BASE_CAB,       /* a truck cab (the whole column) */
    SG_BASE_CHASSIS,   /* a truck or trailer chassis, with or without a load on it */
    SG_BASE_AGV,       /* an AGV's low flat body */
    SG_BASE_CAR_HOOD,  /* a car's engine part */
    SG_BASE_CAR_CABIN, /* a car's passenger part */
    SG_BASE_CAR_TRUNK, /* a car's boot */
} sg_base;

typedef enum { SG_TOP_NONE, SG_TOP_CONTAINER, SG_TOP_BOX } sg_top;

typedef struct {
    sg_base base;
    sg_top top;
    int container;       /* index into the vehicle's containers for SG_TOP_CONTAINER, else -1 */
    double a0, a1;       /* metres behind the vehicle's front */
    double base_h;       /* top of the base (chassis deck, AGV deck); the load starts there */
    double height;       /* top of the column */
    int front_plate;     /* plate painted on the front face, -1 none */
    int rear_plate;      /* plate painted on the rear face, -1 none */
    double axle[SG_MAX_AXLES]; /* wheel centres, metres behind a0 */
    int n_axles;
} sg_section;

/* Motion: phases of constant acceleration, each from t0 to the next one's t0. */
typedef struct {
    double t0, p0, v0, a;
} sg_phase;

typedef struct {
    sg_phase phase[SG_MAX_PHASES];
    int n;
} sg_motion;

typedef struct {
    int id; /* 1-based, in order of appearance */
    sg_kind kind;
    sg_direction direction;
    sg_condition condition;
    int group; /* vehicles that follow back-to-back share a group (and a condition) */
    double group_offset_s; /* start of its motion after its group's leader's */
    double gap_before_s;   /* group leaders: time with nothing in view before the group */
    bool trailer;
    sg_plate plates[SG_MAX_PLATES];
    int n_plates;
    sg_container containers[SG_MAX_CONTAINERS];
    int n_containers;
    char fleet_number[16]; /* "AGV-07", "" if none */
    sg_section sections[SG_MAX_SECTIONS];
    int n_sections;
    double width_m, length_m, wheel_r;
    render_colour body;
    uint64_t look_seed; /* seeds the painting details of this vehicle */
    bool stops_and_reverses;
    sg_motion motion;
    double t_start;    /* world time of the motion's τ = 0 */
    double tripwire_s; /* world time the front last crosses x = 0 forwards */
    double tripwire_clear_s; /* world time the rear last crosses x = 0 forwards: it has passed */
} sg_vehicle;

typedef struct {
    sg_vehicle *vehicles; /* owned */
    int n;
    int n_groups;
    double *group_first, *group_last; /* per group: first and last time it is in any view; owned */
    double duration_s;                /* whole seconds */
} sg_world;

void sg_world_clear(sg_world *w);

/* --- motion ------------------------------------------------------------------------- */
/* Constant speed v, front at p0 at τ = 0. */
void sg_motion_constant(sg_motion *m, double p0, double v);
/* Cruise at v from p0, brake to a stop with the front at p_stop, wait, reverse `back`
 * metres, wait, and drive on at v. */
void sg_motion_stop_reverse(sg_motion *m, double p0, double v, double p_stop, double back);
double sg_motion_position(const sg_motion *m, double tau);
double sg_motion_speed(const sg_motion *m, double tau);
/* The last local time the front passes p = c going forwards (NAN if never). */
double sg_motion_last_crossing(const sg_motion *m, double c);

/* The front's p at world time t. */
double sg_vehicle_front(const sg_vehicle *v, double t);
/* Speed along the direction of travel at world time t (negative when reversing). */
double sg_vehicle_speed(const sg_vehicle *v, double t);
/* World x of the point `a` metres behind the front when the front is at p. */
double sg_vehicle_x(const sg_vehicle *v, double p, double a);

/* --- conditions ------------------------------------------------------------------- */
/* The lighting/weather at world time t: that of the group whose time in view is
 * nearest (groups never overlap in time). */
sg_condition sg_world_condition_at(const sg_world *w, double t);

#endif /* GATECV_SCENEGEN_WORLD_H */
