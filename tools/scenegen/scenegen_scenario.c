/*
 * scenegen_scenario.c — builds the vehicles of a scenario from a seed: the slot list of
 * each scenario, the plates (same number front and rear, the trailer's its own), the
 * containers (ISO 6346 codes from the renderer's generator, sizes, where codes are
 * painted), the sections of each kind of vehicle and the speed profile.
 */
#include <stdio.h>
#include <string.h>

#include "scenegen_scenario.h"

typedef enum { T_VN_TRUCK, T_CN_TRUCK, T_TRACTOR, T_AGV, T_CAR } template_kind;

/* One slot of a scenario. */
typedef struct {
    template_kind kind;
    int containers;
    sg_direction dir;
    sg_condition cond;
    bool follows; /* back-to-back behind the previous vehicle */
    bool stops;   /* stops and reverses */
    bool cn;      /* CN plates (tractors, cars) */
} slot;

static const slot MIXED[] = {
    {T_VN_TRUCK, 1, SG_VN_TO_CN, SG_DAY, false, false, false},
    {T_VN_TRUCK, 0, SG_VN_TO_CN, SG_DAY, false, false, false},
    {T_CN_TRUCK, 2, SG_VN_TO_CN, SG_DAY, true, false, true},
    {T_TRACTOR, 1, SG_VN_TO_CN, SG_RAIN, false, true, false},
    {T_AGV, 1, SG_CN_TO_VN, SG_NIGHT, false, false, true},
    {T_CAR, 0, SG_CN_TO_VN, SG_DUSK, false, false, true},
    {T_VN_TRUCK, 2, SG_VN_TO_CN, SG_NIGHT, false, false, false},
    {T_TRACTOR, 2, SG_CN_TO_VN, SG_DAY, false, false, true},
};
#define N_MIXED (int)(sizeof MIXED / sizeof MIXED[0])

static const slot DEMO[] = {
    {T_VN_TRUCK, 1, SG_VN_TO_CN, SG_DAY, false, false, false},
    {T_CN_TRUCK, 2, SG_CN_TO_VN, SG_DAY, false, false, true},
    {T_TRACTOR, 1, SG_VN_TO_CN, SG_DAY, false, false, false},
    {T_AGV, 1, SG_VN_TO_CN, SG_NIGHT, false, false, true},
};
#define N_DEMO (int)(sizeof DEMO / sizeof DEMO[0])

bool sg_scenario_parse(const char *s, sg_scenario *out)
{
    if (strcmp(s, "mixed") == 0)
        *out = SG_SCENARIO_MIXED;
    else if (strcmp(s, "demo") == 0)
        *out = SG_SCENARIO_DEMO;
    else
        return false;
    return true;
}

const char *sg_scenario_name(sg_scenario s)
{
    return s == SG_SCENARIO_DEMO ? "demo" : "mixed";
}

int sg_scenario_default_vehicles(sg_scenario s)
{
    return s == SG_SCENARIO_DEMO ? N_DEMO : 6;
}

/* --- plates --------------------------------------------------------------------------------- */

/* The square two-line form of a one-line VN plate: "51F" over "446.14", same label. */
static void vn_two_line(const render_plate_text *one, render_plate_text *out)
{
    const char *digits = one->label + 3;
    *out = *one;
    snprintf(out->top, sizeof out->top, "%.3s", one->label);
    if (strlen(digits) == 5)
        snprintf(out->bottom, sizeof out->bottom, "%.3s.%s", digits, digits + 3);
    else
        snprintf(out->bottom, sizeof out->bottom, "%s", digits);
}

/* The yellow two-row form of a one-row CN plate: "桂 F" over "12345", same label. */
static void cn_two_row(const render_plate_text *one, render_plate_text *out)
{
    const char *office = g_utf8_next_char(one->label);
    *out = *one;
    snprintf(out->top, sizeof out->top, "%.*s %c", (int)(office - one->label), one->label,
             office[0]);
    snprintf(out->bottom, sizeof out->bottom, "%s", office + 1);
}

static sg_plate *add_plate(sg_vehicle *v, render_plate_style style, const render_plate_text *t,
                           sg_plate_position pos)
{
    sg_plate *p = &v->plates[v->n_plates++];
    p->style = style;
    p->text = *t;
    p->position = pos;
    return p;
}

/* A truck's front plate and the same number on its rear (or trailer) in the rear style. */
static void truck_plates(sg_vehicle *v, render_rng *rng, bool cn, bool rear)
{
    render_plate_text one, two;
    if (!cn) {
        bool yellow = render_rng_chance(rng, 0.4);
        render_gen_vn_plate(rng, false, &one);
        add_plate(v, yellow ? RENDER_PLATE_VN_YELLOW : RENDER_PLATE_VN_ONE_LINE, &one,
                  SG_PLATE_FRONT);
        if (!rear)
            return;
        if (!yellow && render_rng_chance(rng, 0.65)) {
            vn_two_line(&one, &two);
            add_plate(v, RENDER_PLATE_VN_TWO_LINE, &two, SG_PLATE_REAR);
        } else {
            add_plate(v, yellow ? RENDER_PLATE_VN_YELLOW : RENDER_PLATE_VN_ONE_LINE, &one,
                      SG_PLATE_REAR);
        }
        return;
    }
    bool blue = render_rng_chance(rng, 0.3);
    render_gen_cn_plate(rng, false, false, &one);
    add_plate(v, blue ? RENDER_PLATE_CN_BLUE : RENDER_PLATE_CN_YELLOW, &one, SG_PLATE_FRONT);
    if (!rear)
        return;
    if (blue) {
        add_plate(v, RENDER_PLATE_CN_BLUE, &one, SG_PLATE_REAR);
    } else {
        cn_two_row(&one, &two);
        add_plate(v, RENDER_PLATE_CN_YELLOW_TWO_ROW, &two, SG_PLATE_REAR);
    }
}

/* The trailer's own plate: a new number, never the tractor's. */
static void trailer_plate(sg_vehicle *v, render_rng *rng, bool cn)
{
    render_plate_text one, two;
    do {
        if (cn)
            render_gen_cn_plate(rng, false, false, &one);
        else
            render_gen_vn_plate(rng, false, &one);
    } while (strcmp(one.label, v->plates[0].text.label) == 0);
    if (cn) {
        cn_two_row(&one, &two);
        add_plate(v, RENDER_PLATE_CN_YELLOW_TWO_ROW, &two, SG_PLATE_TRAILER_REAR);
    } else if (render_rng_chance(rng, 0.5)) {
        vn_two_line(&one, &two);
        add_plate(v, RENDER_PLATE_VN_TWO_LINE, &two, SG_PLATE_TRAILER_REAR);
    } else {
        add_plate(v, RENDER_PLATE_VN_YELLOW, &one, SG_PLATE_TRAILER_REAR);
    }
}

static void car_plates(sg_vehicle *v, render_rng *rng, bool cn)
{
    render_plate_text t;
    render_plate_style style = RENDER_PLATE_VN_ONE_LINE;
    if (cn) {
        bool green = render_rng_chance(rng, 0.3);
        render_gen_cn_plate(rng, green, false, &t);
        style = green ? RENDER_PLATE_CN_GREEN : RENDER_PLATE_CN_BLUE;
    } else {
        render_gen_vn_plate(rng, false, &t);
    }
    add_plate(v, style, &t, SG_PLATE_FRONT);
    add_plate(v, style, &t, SG_PLATE_REAR);
}

/* --- containers --------------------------------------------------------------------------- */

static const render_colour PANEL_COLOURS[] = {
    {190, 140, 60}, {40, 50, 150},   {110, 60, 20}, {60, 120, 50}, {150, 150, 150},
    {30, 110, 220}, {225, 225, 220}, {50, 40, 40},  {40, 70, 120},
};
#define N_PANEL_COLOURS (sizeof PANEL_COLOURS / sizeof PANEL_COLOURS[0])

/* The door's vertical layout, from a PRNG of its own seeded by the code: the
 * scenario's stream (and so every recording of an older seed but these pixels) stays
 * as it was. */
static void pick_door_style(sg_container *c)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = c->text.code; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    render_rng rng;
    render_rng_seed(&rng, h);
    render_vertical_style_random(&rng, &c->door_style);
}

static void add_containers(sg_vehicle *v, render_rng *rng, int n)
{
    for (int i = 0; i < n; i++) {
        sg_container *c = &v->containers[v->n_containers++];
        memset(c, 0, sizeof *c);
        render_gen_container(rng, &c->text);
        if (n > 1 && c->text.size_type[0] != '2') /* two boxes on one chassis: 20 ft */
            snprintf(c->text.size_type, sizeof c->text.size_type, "%s",
                     render_rng_chance(rng, 0.2) ? "22R1" : "22G1");
        sg_container_dimensions(c->text.size_type, &c->length_m, &c->height_m);
        c->side_two_line = render_rng_chance(rng, 0.3);
        c->doors_visible = i == n - 1;
        double r = render_rng_unit(rng);
        c->door_horizontal = r < 0.7;
        c->door_vertical = r >= 0.4;
        pick_door_style(c);
        c->panel = PANEL_COLOURS[render_rng_below(rng, N_PANEL_COLOURS)];
        int lum = (c->panel.b * 29 + c->panel.g * 150 + c->panel.r * 77) >> 8;
        c->ink = lum < 140 ? (render_colour){240, 240, 240} : (render_colour){30, 30, 30};
    }
}

/* --- shapes ---------------------------------------------------------------------------------- */

static sg_section *add_section(sg_vehicle *v, sg_base base, double a0, double a1, double height)
{
    sg_section *s = &v->sections[v->n_sections++];
    memset(s, 0, sizeof *s);
    s->base = base;
    s->top = SG_TOP_NONE;
    s->container = -1;
    s->a0 = a0, s->a1 = a1;
    s->base_h = s->height = height;
    s->front_plate = s->rear_plate = -1;
    v->length_m = a1;
    return s;
}

/* A wheel at `a` metres behind the front, given to the section that holds it. */
static void add_axle(sg_vehicle *v, double a)
{
    for (int i = 0; i < v->n_sections; i++) {
        sg_section *s = &v->sections[i];
        if (a >= s->a0 && a < s->a1 && s->n_axles < SG_MAX_AXLES) {
            s->axle[s->n_axles++] = a - s->a0;
            return;
        }
    }
}

/* Columns of a chassis from a0 carrying the containers (or a box body), deck at deck_h,
 * `length` metres long in all (exposed deck first when the load is shorter). */
static double add_load(sg_vehicle *v, double a0, double deck_h, double length)
{
    double load = 0;
    for (int i = 0; i < v->n_containers; i++)
        load += v->containers[i].length_m + (i ? 0.08 : 0);
    if (v->n_containers == 0)
        load = length;
    double a = a0;
    if (length > load + 0.3) {
        add_section(v, SG_BASE_CHASSIS, a, a + length - load, deck_h);
        a += length - load;
    }
    if (v->n_containers == 0) {
        sg_section *s = add_section(v, SG_BASE_CHASSIS, a, a + load, deck_h + 2.45);
        s->top = SG_TOP_BOX;
        s->base_h = deck_h;
        return a + load;
    }
    for (int i = 0; i < v->n_containers; i++) {
        const sg_container *c = &v->containers[i];
        sg_section *s = add_section(v, SG_BASE_CHASSIS, a, a + c->length_m, deck_h + c->height_m);
        s->top = SG_TOP_CONTAINER;
        s->container = i;
        s->base_h = deck_h;
        a += c->length_m + 0.08;
    }
    return a - 0.08;
}

static void shape_rigid_truck(sg_vehicle *v)
{
    v->width_m = 2.5, v->wheel_r = 0.52;
    add_section(v, SG_BASE_CAB, 0.0, 2.3, 3.0)->front_plate = 0;
    double end = add_load(v, 2.5, 1.25, v->n_containers ? 0 : 7.0);
    v->sections[v->n_sections - 1].rear_plate = 1;
    add_axle(v, 1.15);
    add_axle(v, end - 2.4);
    add_axle(v, end - 1.1);
}

static void shape_tractor_trailer(sg_vehicle *v)
{
    v->width_m = 2.5, v->wheel_r = 0.52;
    add_section(v, SG_BASE_CAB, 0.0, 2.5, 3.2)->front_plate = 0;
    double load = 0;
    for (int i = 0; i < v->n_containers; i++)
        load += v->containers[i].length_m;
    double trailer = load > 13 ? 13.9 : load > 7 ? 12.6 : 7.0;
    double end = add_load(v, 3.0, 1.3, trailer);
    v->sections[v->n_sections - 1].rear_plate = 1;
    add_axle(v, 1.2);
    add_axle(v, 3.7);
    add_axle(v, end - 3.6);
    add_axle(v, end - 2.3);
    add_axle(v, end - 1.0);
}

static void shape_agv(sg_vehicle *v)
{
    v->width_m = 2.55, v->wheel_r = 0.4;
    double len = v->n_containers ? v->containers[0].length_m + 0.6 : 7.5;
    sg_section *s = add_section(v, SG_BASE_AGV, 0.0, len, 1.2);
    if (v->n_containers) {
        s->top = SG_TOP_CONTAINER;
        s->container = 0;
        s->height = 1.2 + v->containers[0].height_m;
    }
    s->front_plate = 0;
    add_axle(v, 1.0);
    add_axle(v, len - 1.0);
}

static void shape_car(sg_vehicle *v)
{
    v->width_m = 1.8, v->wheel_r = 0.32;
    add_section(v, SG_BASE_CAR_HOOD, 0.0, 1.1, 0.95)->front_plate = 0;
    add_section(v, SG_BASE_CAR_CABIN, 1.1, 3.4, 1.45);
    add_section(v, SG_BASE_CAR_TRUNK, 3.4, 4.5, 1.0)->rear_plate = 1;
    add_axle(v, 0.75);
    add_axle(v, 3.75);
}

/* --- vehicles ---------------------------------------------------------------------------------- */

static const render_colour BODY_COLOURS[] = {
    {40, 40, 180}, {160, 90, 30}, {230, 230, 230}, {40, 130, 40},
    {30, 140, 220}, {90, 90, 90}, {150, 40, 40},  {200, 200, 60},
};
#define N_BODY_COLOURS (sizeof BODY_COLOURS / sizeof BODY_COLOURS[0])

/* cycle: how many times the scenario's slot list has gone round before this vehicle. */
static void build_vehicle(sg_vehicle *v, const slot *s, int cycle, render_rng *rng)
{
    v->direction = s->dir;
    v->body = BODY_COLOURS[render_rng_below(rng, N_BODY_COLOURS)];
    switch (s->kind) {
    case T_VN_TRUCK:
    case T_CN_TRUCK:
        v->kind = SG_TRUCK;
        truck_plates(v, rng, s->kind == T_CN_TRUCK, true);
        add_containers(v, rng, s->containers);
        shape_rigid_truck(v);
        break;
    case T_TRACTOR:
        v->kind = SG_TRUCK;
        v->trailer = true;
        truck_plates(v, rng, s->cn, false);
        trailer_plate(v, rng, s->cn);
        add_containers(v, rng, s->containers);
        shape_tractor_trailer(v);
        break;
    case T_AGV:
        v->kind = SG_AGV;
        v->body = render_rng_chance(rng, 0.5) ? (render_colour){40, 190, 230}
                                              : (render_colour){225, 225, 225};
        truck_plates(v, rng, true, false);
        v->plates[0].style = RENDER_PLATE_CN_YELLOW;
        snprintf(v->fleet_number, sizeof v->fleet_number, "AGV-%02d", render_rng_range(rng, 1, 40));
        add_containers(v, rng, cycle % 2 ? 0 : s->containers); /* every other AGV runs empty */
        shape_agv(v);
        break;
    case T_CAR:
        v->kind = SG_CAR;
        car_plates(v, rng, s->cn);
        shape_car(v);
        break;
    }
    v->look_seed = render_rng_next(rng);
}

/* The slot's condition shifted by `shift`, moved on to the next allowed one. */
static sg_condition pick_condition(sg_condition c, int shift, unsigned allowed)
{
    for (int k = 0; k < SG_N_CONDITIONS; k++) {
        int cand = ((int)c + shift + k) % SG_N_CONDITIONS;
        if (allowed & (1u << cand))
            return (sg_condition)cand;
    }
    return SG_DAY;
}

static void set_motion(sg_vehicle *v, const slot *s, render_rng *rng, bool demo)
{
    double speed = demo ? render_rng_uniform(rng, 6.2, 6.8) : render_rng_uniform(rng, 3.6, 4.8);
    v->stops_and_reverses = s->stops;
    if (s->stops)
        sg_motion_stop_reverse(&v->motion, -45.0, speed, 1.5, 3.0);
    else
        sg_motion_constant(&v->motion, -45.0, speed);
    v->gap_before_s = demo ? render_rng_uniform(rng, 0.3, 0.6) : render_rng_uniform(rng, 0.6, 1.8);
}

/* A back-to-back follower: the leader's speed and condition, 3.5-5 m behind it. */
static void follow(sg_vehicle *v, const sg_vehicle *leader, render_rng *rng)
{
    double speed = leader->motion.phase[0].v0;
    sg_motion_constant(&v->motion, -45.0, speed);
    v->group = leader->group;
    v->condition = leader->condition;
    v->group_offset_s = (leader->length_m + render_rng_uniform(rng, 3.5, 5.0)) / speed;
    v->gap_before_s = 0;
}

void sg_scenario_build(sg_world *w, sg_scenario scenario, int n_vehicles, uint64_t seed,
                       unsigned conditions)
{
    bool demo = scenario == SG_SCENARIO_DEMO;
    const slot *slots = demo ? DEMO : MIXED;
    int n_slots = demo ? N_DEMO : N_MIXED;
    if (demo)
        n_vehicles = N_DEMO;
    render_rng rng;
    render_rng_seed(&rng, seed ^ 0x5CE9E9E9A11ull);
    w->vehicles = g_new0(sg_vehicle, n_vehicles);
    w->n = n_vehicles;
    w->n_groups = 0;
    for (int i = 0; i < n_vehicles; i++) {
        const slot *s = &slots[i % n_slots];
        sg_vehicle *v = &w->vehicles[i];
        v->id = i + 1;
        build_vehicle(v, s, i / n_slots, &rng);
        set_motion(v, s, &rng, demo);
        if (s->follows && i > 0 && !w->vehicles[i - 1].stops_and_reverses) {
            follow(v, &w->vehicles[i - 1], &rng);
            continue;
        }
        v->group = w->n_groups++;
        v->condition = pick_condition(s->cond, i / n_slots, conditions);
        if (s->kind == T_AGV && (conditions & (1u << SG_NIGHT)))
            v->condition = SG_NIGHT; /* AGVs cross at night */
    }
}
