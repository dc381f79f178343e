/*
 * vehicle_items.c — a vehicle's plates and codes from its texts (see vehicle_items.h).
 */
#include "vehicle_items.h"

#include <string.h>

#include "lane_text.h"

/* The item of text v; its evidence frame moves into it. */
static lane_item item_from(const lane_config *config, lane_text *v)
{
    const lane_camera *cam = &config->cameras[v->camera];
    lane_item it = {.read = v->best,
                    .camera = cam->name,
                    .role = lane_role_name(cam->role),
                    .frames = v->frames,
                    .enough_votes = v->frames >= config->votes,
                    .evidence = v->evidence,
                    .evidence_t = v->evidence_t};
    v->evidence = NULL; /* ownership moves to the crossing */
    return it;
}

/* The frames that read plate v, and those of the camera's reads of only its end (a two-row
 * plate whose small top line was lost: "626SK" of "桂J626SK"), which support it too. */
static int plate_frames(GPtrArray *texts, const lane_text *v)
{
    int frames = v->frames;
    size_t len = strlen(v->best.text);
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *w = g_ptr_array_index(texts, i);
        size_t n = strlen(w->best.text);
        if (w != v && w->camera == v->camera && w->best.kind == READ_PLATE && n >= 4 && n < len &&
            strcmp(v->best.text + len - n, w->best.text) == 0)
            frames += w->frames;
    }
    return frames;
}

/* Whether plate text v is in fact part of a container code read of the same vehicle: an
 * invalid read of four or more characters, with a letter, found inside a code (a camera that
 * reads plates also sees the container's owner code, "FVHU", on its front or doors). It is
 * that container's marking, not a plate, and no plate of its camera. */
static bool container_marking(GPtrArray *texts, const lane_text *v)
{
    const char *t = v->best.text;
    bool letter = false;
    for (const char *p = t; *p; p++)
        letter = letter || g_ascii_isalpha(*p);
    if (v->best.valid || strlen(t) < 4 || !letter)
        return false;
    for (guint i = 0; i < texts->len; i++) {
        const lane_text *w = g_ptr_array_index(texts, i);
        if (w->best.kind == READ_CONTAINER && strstr(w->best.text, t))
            return true;
    }
    return false;
}

/* The plate of one camera: the text with most frames (valid first; plate_frames). Another
 * valid text that also reached the vote threshold means the camera disagrees with itself (two
 * vehicles on the line together, or a misread): it is listed after the first, never
 * dropped. */
static void decide_plates(const lane_config *config, GPtrArray *texts, int camera, lane_crossing *c,
                          bool *agv, bool *disagrees)
{
    lane_text *best = NULL;
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->best.kind != READ_PLATE || v->camera != camera || container_marking(texts, v))
            continue;
        if (lane_read_is_fleet_number(&v->best)) {
            /* a fleet number read once, far off, may be the next vehicle's */
            *agv = *agv || v->frames >= config->votes;
            continue;
        }
        if (!best || (v->best.valid && !best->best.valid) ||
            (v->best.valid == best->best.valid &&
             plate_frames(texts, v) > plate_frames(texts, best)))
            best = v;
    }
    if (!best)
        return;
    if (c->n_plates < LANE_MAX_ITEMS)
        c->plates[c->n_plates++] = item_from(config, best);
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v != best && v->camera == camera && v->best.kind == READ_PLATE && v->best.valid &&
            !lane_read_is_fleet_number(&v->best) && v->frames >= config->votes) {
            /* listed too, after the camera's own plate: the reviewer sees both */
            *disagrees = true;
            if (c->n_plates < LANE_MAX_ITEMS)
                c->plates[c->n_plates++] = item_from(config, v);
        }
    }
}

/* A valid plate that other cameras read the same, letter for letter, reaches the vote
 * threshold on the frames of all of them (the front and rear plates of a truck are one
 * registration): a second camera's read is independent evidence, more so than the next frame
 * of the same camera, whose misread repeats its own. Each item keeps its own frames. */
static void corroborate_plates(const lane_config *config, lane_crossing *c)
{
    int agreeing[LANE_MAX_ITEMS] = {0};
    for (int i = 0; i < c->n_plates; i++)
        for (int k = 0; k < c->n_plates; k++)
            if (c->plates[i].read.valid && c->plates[k].read.valid &&
                (k == i || strcmp(c->plates[i].camera, c->plates[k].camera) != 0) &&
                strcmp(c->plates[i].read.text, c->plates[k].read.text) == 0)
                agreeing[i] += c->plates[k].frames;
    for (int i = 0; i < c->n_plates; i++)
        c->plates[i].enough_votes = c->plates[i].enough_votes || agreeing[i] >= config->votes;
}

/* Container codes of all cameras: one item per code, frames added up. */
static void decide_containers(const lane_config *config, GPtrArray *texts, lane_crossing *c)
{
    for (guint i = 0; i < texts->len; i++) {
        lane_text *v = g_ptr_array_index(texts, i);
        if (v->best.kind != READ_CONTAINER)
            continue;
        lane_item *same = NULL;
        for (int k = 0; k < c->n_containers && !same; k++)
            if (strcmp(c->containers[k].read.text, v->best.text) == 0)
                same = &c->containers[k];
        if (same) {
            int frames = same->frames + v->frames;
            if (v->best.confidence > same->read.confidence) {
                if (same->evidence)
                    g_bytes_unref(same->evidence);
                *same = item_from(config, v);
            }
            same->frames = frames;
            same->enough_votes = frames >= config->votes;
        } else if (c->n_containers < LANE_MAX_ITEMS) {
            c->containers[c->n_containers++] = item_from(config, v);
        }
    }
}

bool vehicle_items_fill(const lane_config *config, GPtrArray *texts, lane_crossing *c,
                        verdict_camera cams[LANE_MAX_CAMERAS])
{
    bool agv = false;
    for (int i = 0; i < config->n_cameras; i++)
        decide_plates(config, texts, i, c, &agv, &cams[i].disagrees);
    corroborate_plates(config, c);
    decide_containers(config, texts, c);
    /* a count past its array would hand out another crossing's items */
    g_assert(c->n_plates <= LANE_MAX_ITEMS && c->n_containers <= LANE_MAX_ITEMS);
    return agv;
}

void vehicle_items_clear(lane_crossing *c)
{
    for (int i = 0; i < c->n_plates; i++)
        if (c->plates[i].evidence)
            g_bytes_unref(c->plates[i].evidence);
    for (int i = 0; i < c->n_containers; i++)
        if (c->containers[i].evidence)
            g_bytes_unref(c->containers[i].evidence);
    c->n_plates = c->n_containers = 0;
}
