/*
 * frame_select.h — which of a camera's frames are worth a read.
 *
 * A read costs 100-300 ms of a core; a camera gives 25 frames a second. Most frames show the
 * lane empty (the motion gate is shut: never read) or the same part of a vehicle as a frame
 * already read. A moving frame is read when it can show something new:
 *   - the first frame of a motion episode (a vehicle coming into view);
 *   - the moving box has shifted or grown by `min_shift` of the ROI's longer side since the
 *     last frame read (another part of the vehicle, or the same part nearer: a front camera
 *     sees the plate grow, a side camera a trailer's end come into view);
 *   - the box fills the ROI from one side to the other (at least `fill` of its width or
 *     height): the vehicle is larger than the view and goes past under a box that no longer
 *     moves (a side camera watching a container's codes go by). Its side goes by at the
 *     speed the box's edges moved at before they reached the view's edges, so the frame is
 *     new once that speed has carried it `min_shift` since the last read (with no speed
 *     measured yet, every `min_frames`-th frame is);
 *   - `max_gap_s` has passed since the last read while it still moves (lights change, a
 *     hand moves away from the plate);
 * and never within `min_frames` frames of the last one read. A due frame that is blurred
 * (its sharpness under `blur_ratio` of the sharpest frame of the episode so far: a truck
 * jolting, a wiper) is passed over for the next one, at most `max_passed` in a row.
 *
 * Selection depends on the frames alone (not on how busy the readers are), so a replay
 * selects the same frames on every machine.
 *
 * Each episode has a read_interest (read_backlog.h) that its frames share in the backlog.
 * Pure C; one frame_select per camera, used by that camera's thread only.
 */
#ifndef GATECV_FRAME_SELECT_H
#define GATECV_FRAME_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "read_backlog.h"
#include "tripwire.h"

typedef struct {
    unsigned min_frames; /* at least this many frames from one read to the next (>= 1) */
    double min_shift;    /* share of the ROI's longer side the box must move or grow */
    double fill;         /* a box this much of the ROI's width or height fills the view */
    double max_gap_s;    /* a moving view is read again after this long */
    double blur_ratio;   /* a due frame under this share of the sharpest is passed over.. */
    int max_passed;      /* ..at most this many frames in a row */
    int enough;          /* valid reads after which an episode's frames wait behind others */
} frame_select_params;

void frame_select_params_default(frame_select_params *p);

typedef struct {
    frame_select_params params;
    bool in_episode;
    bool read_any;         /* a frame of this episode was selected */
    unsigned since;        /* frames since the last one selected */
    double last_t;         /* the last selected frame's time */
    lane_box last_box;     /* and its moving box */
    double sharpest;       /* the sharpest frame of the episode so far */
    lane_box prev_box;     /* the box the speed is measured from */
    double prev_t;         /* and its time */
    double fill_t;         /* the last frame's time (travel is counted from it) */
    double speed;          /* px/s of the box's fastest edge while it did not fill the view
                              (0: not measured) */
    double travel;         /* px the vehicle went by, at that speed, while the box filled the
                              view since the last frame read */
    int passed;            /* due frames passed over for blur, in a row */
    read_interest *interest; /* the episode's (NULL between episodes) */
} frame_select;

void frame_select_init(frame_select *s, const frame_select_params *p);
void frame_select_clear(frame_select *s);

/* Whether this frame is to be read. `moving` false ends the episode; `box` is the moving
 * box and `roi` the camera's ROI (frame pixels), `sharpness` frame_sharpness of the box (0
 * when unknown). */
bool frame_select_want(frame_select *s, bool moving, const lane_box *box, const lane_box *roi,
                       double t, double sharpness);

/* The current episode's read_interest (borrowed; NULL between episodes). */
read_interest *frame_select_interest(const frame_select *s);

/* Mean absolute difference of horizontally and vertically neighbouring luma pixels in the
 * box (clipped to width x height), on every 4th row and column: a blurred frame has weak
 * edges. Cost: about w*h/16 pixels, under 0.2 ms for a 1080p box. */
double frame_sharpness(const uint8_t *luma, int stride, int width, int height,
                       const lane_box *box);

#endif
