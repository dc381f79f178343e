/*
 * verdict.c — the checks a vehicle must pass to be verified, as one table (see verdict.h).
 */
#include "verdict.h"

#include <string.h>

#include <glib.h>

/* What a check is about: its reason names the camera, the plate's camera or the code; OF_TOLD
 * runs over every plate and code and names its text. */
typedef enum { OF_VEHICLE, OF_CAMERA, OF_PLATE, OF_CONTAINER, OF_TOLD } check_scope;

typedef struct {
    const char *reason; /* "name", or "name:" followed by the subject */
    bool (*says)(const verdict_vehicle *v, int i);
} check;

/* Checks of one scope that run subject by subject (a plate's reasons stay together). A
 * group that asks cameras about their passages asks only cameras that are to be asked
 * (asked_about_passage). */
typedef struct {
    check_scope of;
    bool of_passages;
    check checks[3];
} check_group;

static int hamming(const char *a, const char *b)
{
    if (strlen(a) != strlen(b))
        return 99;
    int d = 0;
    for (; *a; a++, b++)
        d += *a != *b;
    return d;
}

/* ---- the checks ------------------------------------------------------------------- */

static bool disagrees(const verdict_vehicle *v, int i)
{
    return v->cameras[i].disagrees;
}

static bool not_seen(const verdict_vehicle *v, int i)
{
    (void)i;
    return !v->seen;
}

/* An item an earlier revision told that this one no longer counts (lane_item_told) is not
 * part of the vehicle's vote: the plate and container checks pass over it. */
static bool own(const lane_item *it)
{
    return it->told == ITEM_OWN;
}

static bool no_plate(const verdict_vehicle *v, int i)
{
    (void)i;
    for (int k = 0; k < v->n_plates; k++)
        if (own(&v->plates[k]))
            return false;
    return true;
}

static bool plate_not_valid(const verdict_vehicle *v, int i)
{
    return !v->plates[i].read.valid;
}

static bool plate_few_votes(const verdict_vehicle *v, int i)
{
    return !v->plates[i].enough_votes;
}

static bool container_few_votes(const verdict_vehicle *v, int i)
{
    return !v->containers[i].enough_votes;
}

/* Two codes at most two characters apart are one container that cameras read differently. */
static bool container_read_differently(const verdict_vehicle *v, int i)
{
    for (int k = i + 1; k < v->n_containers; k++)
        if (own(&v->containers[k]) &&
            hamming(v->containers[i].read.text, v->containers[k].read.text) <= 2)
            return true;
    return false;
}

/* Vehicles close behind each other can keep one camera's motion gate open for both: its one
 * episode then holds two. That shows as the camera's own motion blobs showing two vehicles
 * with road between them for a while, as a passage longer than any one vehicle (where the
 * camera's scale is known: the sign that remains at night, when only lit parts move), or as
 * another camera passing two vehicles within the episode. */
static bool two_in_view(const verdict_vehicle *v, int i)
{
    const verdict_camera *c = &v->cameras[i];
    return c->passed && c->two_vehicle_frames >= VERDICT_TWO_VEHICLE_FRAMES;
}

static bool too_long(const verdict_vehicle *v, int i)
{
    const verdict_camera *c = &v->cameras[i];
    return c->passed && c->length_m > v->max_vehicle_m;
}

static bool others_passed_two(const verdict_vehicle *v, int i)
{
    const verdict_camera *c = &v->cameras[i];
    return c->passed && c->others_passed_two;
}

/* Every camera watches the whole lane, so one that was watching and made no passage saw the
 * vehicle differently (it joined it to another one, or cut it in two). */
static bool missed(const verdict_vehicle *v, int i)
{
    const verdict_camera *c = &v->cameras[i];
    return c->watching && !c->passed && !c->down;
}

/* A camera that was down while the vehicle was in view could not read it, nor disagree: what
 * the others read stays in the event, and a person looks (instead of camera_saw_no_passage,
 * which would blame the view). */
static bool was_down(const verdict_vehicle *v, int i)
{
    return v->cameras[i].down;
}

/* A plate or code an earlier revision told, no longer among the vehicle's texts (the final
 * evidence gives it to another vehicle, or to another part of a split one): the clearance
 * system may have acted on it, so a person looks. */
static bool told_unconfirmed(const verdict_vehicle *v, int i)
{
    const lane_item *it = i < v->n_plates ? &v->plates[i] : &v->containers[i - v->n_plates];
    return it->told == ITEM_UNCONFIRMED;
}

static bool split(const verdict_vehicle *v, int i)
{
    (void)i;
    return v->split && !v->parted_by_trigger;
}

/* The cameras passed a vehicle where the lane's presence sensor, at the same line, reported
 * none: one of them is wrong (a shadow, or a sensor that missed a small vehicle). */
static bool trigger_saw_none(const verdict_vehicle *v, int i)
{
    (void)i;
    return v->trigger_saw_none;
}

/* Only the presence sensor felt the vehicle and no camera showed which way it went: its
 * direction is the lane's positive one, a guess. */
static bool direction_guessed(const verdict_vehicle *v, int i)
{
    (void)i;
    return v->direction_guessed;
}

/* In the order the reasons are listed. */
static const check_group CHECKS[] = {
    {OF_CAMERA, false, {{"camera_disagrees:", disagrees}}},
    {OF_VEHICLE, false, {{"no_passage_seen", not_seen}, {"no_plate_read", no_plate}}},
    {OF_PLATE,
     false,
     {{"plate_not_valid:", plate_not_valid}, {"plate_votes_below_threshold:", plate_few_votes}}},
    {OF_CONTAINER,
     false,
     {{"container_votes_below_threshold:", container_few_votes},
      {"cameras_disagree_on_container:", container_read_differently}}},
    {OF_CAMERA,
     true,
     {{"camera_saw_two_vehicles:", two_in_view},
      {"passage_longer_than_a_vehicle:", too_long},
      {"camera_saw_two_vehicles:", others_passed_two}}},
    {OF_CAMERA, true, {{"camera_saw_no_passage:", missed}}},
    {OF_CAMERA, false, {{"camera_down:", was_down}}},
    {OF_VEHICLE, false, {{"split_from_one_passage", split}}},
    {OF_VEHICLE, false, {{"trigger_saw_no_vehicle", trigger_saw_none}}},
    {OF_VEHICLE, false, {{"direction_not_seen", direction_guessed}}},
    {OF_TOLD, false, {{"provisional_text_unconfirmed:", told_unconfirmed}}},
};

/* ---- running them ------------------------------------------------------------------ */

/* The role exception, the only one: a camera along the lane is not asked about its passage
 * when the side cameras measured one vehicle on the line. Nor is any camera about a vehicle
 * no camera passed, or one whose bounds the presence sensor gave (sensor_one). */
static bool asked_about_passage(const verdict_vehicle *v, int camera)
{
    return v->seen && !v->sensor_one && !(v->measured_one && v->cameras[camera].looks_along);
}

static int subjects(const verdict_vehicle *v, check_scope of)
{
    switch (of) {
    case OF_CAMERA:
        return v->n_cameras;
    case OF_PLATE:
        return v->n_plates;
    case OF_CONTAINER:
        return v->n_containers;
    case OF_TOLD:
        return v->n_plates + v->n_containers;
    default:
        return 1;
    }
}

static const char *subject_name(const verdict_vehicle *v, check_scope of, int i)
{
    switch (of) {
    case OF_CAMERA:
        return v->cameras[i].name;
    case OF_PLATE:
        return v->plates[i].camera;
    case OF_CONTAINER:
        return v->containers[i].read.text;
    case OF_TOLD:
        return i < v->n_plates ? v->plates[i].read.text : v->containers[i - v->n_plates].read.text;
    default:
        return "";
    }
}

/* Adds a reason unless it was said already (or the list is full). */
static void add_reason(lane_verdict *out, const char *reason, const char *subject)
{
    if (out->n_reasons == LANE_MAX_REASONS)
        return;
    char *r = out->reasons[out->n_reasons];
    g_snprintf(r, sizeof out->reasons[0], "%s%s", reason, subject);
    for (int i = 0; i < out->n_reasons; i++)
        if (strcmp(out->reasons[i], r) == 0)
            return;
    out->n_reasons++;
}

lane_verdict verdict_of(const verdict_vehicle *v)
{
    /* a count past its array would read reasons from another vehicle's memory */
    g_assert(v->n_plates >= 0 && v->n_plates <= LANE_MAX_ITEMS);
    g_assert(v->n_containers >= 0 && v->n_containers <= LANE_MAX_ITEMS);
    g_assert(v->n_cameras >= 0 && v->n_cameras <= LANE_MAX_CAMERAS);
    g_assert(v->n_cameras == 0 || v->cameras);
    lane_verdict out = {0};
    for (size_t g = 0; g < G_N_ELEMENTS(CHECKS); g++) {
        const check_group *group = &CHECKS[g];
        for (int i = 0; i < subjects(v, group->of); i++) {
            if (group->of_passages && !asked_about_passage(v, i))
                continue;
            if ((group->of == OF_PLATE && !own(&v->plates[i])) ||
                (group->of == OF_CONTAINER && !own(&v->containers[i])))
                continue;
            for (size_t k = 0; k < G_N_ELEMENTS(group->checks) && group->checks[k].says; k++)
                if (group->checks[k].says(v, i))
                    add_reason(&out, group->checks[k].reason, subject_name(v, group->of, i));
        }
    }
    out.status = out.n_reasons == 0 ? "verified" : "needs_review";
    return out;
}
