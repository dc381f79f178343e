/*
 * observation_log.h — what the cameras told the lane fusion, one line per observation,
 * so that the fusion can be run again on it without decoding or reading a frame
 * (`gatecvd --observations FILE` writes it, `gatecv-fuse` reads it).
 *
 * A line is tab-separated: camera index, stream time, moving (0/1), the box x, y, width,
 * height, the number of blobs and each blob's x, y, width, height, the number of reads,
 * then per read its kind (plate / container), valid (0/1), confidence, country (VN / CN /
 * -), layout, text, display form, size type (- for none) and the box around it (x, y,
 * width, height; parsed back as a rectangular quad). Texts never hold tabs or newlines. A camera that ended is the line
 * "done<TAB>camera<TAB>time"; a live camera that went down after its frame at time, or came
 * up again at time, "down<TAB>camera<TAB>time" or "up<TAB>camera<TAB>time"
 * (lane_fusion_camera_state). Evidence frames are not kept.
 */
#ifndef GATECV_OBSERVATION_LOG_H
#define GATECV_OBSERVATION_LOG_H

#include <stdio.h>

#include <glib.h>

#include "lane_fusion.h"

/* Appends the observation as one line. */
void observation_log_write(FILE *out, const lane_observation *o);
/* Appends "camera ended at t". */
void observation_log_write_done(FILE *out, int camera, double t);
/* Appends the presence sensor's report at t. */
void observation_log_write_trigger(FILE *out, double t, gboolean present);

typedef enum {
    OBSERVATION_FRAME,   /* a camera's frame: all of *o */
    OBSERVATION_DONE,    /* a camera ended: o->camera and o->t */
    OBSERVATION_TRIGGER, /* the presence sensor: o->t, and o->moving for present */
} observation_line;

/* Appends "live camera down after t" (up FALSE) or "up again at t". */
void observation_log_write_state(FILE *out, int camera, double t, gboolean up);
/* TRUE when the line is a camera's "down" or "up" line, with what it says. */
gboolean observation_log_parse_state(const char *line, int *camera, double *t, gboolean *up);

/* Parses one line into *o, whose reads go to `reads` (cleared first; o->reads points
 * into it until the array changes), and says in *kind what the line was. FALSE + error
 * naming what is wrong. */
gboolean observation_log_parse(const char *line, lane_observation *o, GArray *reads,
                               observation_line *kind, GError **error);

#endif
