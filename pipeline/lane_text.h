/*
 * lane_text.h — one text (a plate or a container code) as one camera read it during one
 * motion episode: how many frames read it, its most confident read and that frame, and where
 * its reads were relative to the camera's tripwire — from which follows the moment the text
 * itself was on the line. The lane fusion gives each text to the vehicle that was on the line
 * then, whatever episode it was read in.
 *
 * A lane_text owns its evidence frame; free it with lane_text_free().
 */
#ifndef GATECV_LANE_TEXT_H
#define GATECV_LANE_TEXT_H

#include <stdbool.h>

#include <glib.h>

#include "gcv.h"
#include "lane_config.h"
#include "reader.h"

typedef struct {
    gatecv_read best; /* the most confident read of this text */
    int frames;
    GBytes *evidence; /* the JPEG of `best`'s frame (a reference; NULL if none was given) */
    double evidence_t;
    int camera;
    double first_t, last_t, sum_t; /* times of its first and latest read, and all summed */
    float first_s, last_s;         /* their distances from the line (lane_text_offset) */
    float first_y, last_y;         /* and the image rows of their lower edges */
    bool crossed;                  /* read on both sides of the line, close enough in time */
    double t_crossed;              /* when it was on the line, the last time it crossed it */
    double t_line;                 /* lane_text_line_time, once the episode has closed */
} lane_text;

lane_text *lane_text_new(int camera);
void lane_text_free(gpointer text);

/* A copy of the text with a copy of its evidence frame. */
lane_text *lane_text_copy(const lane_text *text);

/* How far a read is from the tripwire along the direction of travel (positive: on the
 * tripwire's right), in pixels: the middle of its lower edge, the part nearest the road. */
float lane_text_offset(const lane_line *tripwire, const gatecv_read *r);

/* One more frame of the text: read `r` at time t, `offset` px from the line (reads come in
 * time order); a more confident read replaces the best one and its evidence (referenced). */
void lane_text_add(lane_text *text, const gatecv_read *r, float offset, GBytes *evidence,
                   double t);

/* When the text was on the line: where it crossed it between two reads, else where the line
 * through its first and last reads reaches it (a few seconds beyond them at most: a text read
 * on one side only was not on the line while it was read), else, for reads that stood still,
 * their mean time. The last crossing counts: a vehicle that stops and reverses
 * crosses for good last. */
double lane_text_line_time(const lane_text *text);

/* Whether the read is an AGV's fleet number (no plate grammar fits it; it is no plate). */
bool lane_read_is_fleet_number(const gatecv_read *r);

/* Adds the frames of `from` (the same text) to `into`, with its read and evidence if more
 * confident, and frees `from`. */
void lane_text_merge(lane_text *into, lane_text *from);

#endif
