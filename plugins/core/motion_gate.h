/*
 * motion_gate.h — the ROI motion gate's algorithm, without GStreamer: a running background
 * of the region of interest (one grey level per cell), the cells of a frame that differ from
 * it, the blobs they form, and the gate that opens on a moving frame and stays open a while
 * after the last one. The element gatemotion (plugins/gst) feeds it frames and turns its
 * state into a GatecvMotionMeta; unit tests feed it plain buffers.
 *
 * The area is cut into CELL x CELL pixel cells (a smaller area into 1-pixel cells); a cell
 * whose mean grey level differs from the background by `threshold` moved, and counts if at
 * least `min_neighbours` of its 8 neighbours moved too (rain streaks and noise are thin;
 * vehicles are solid); the frame moves when at least `min_fraction` of the cells count. The
 * background is an exponential average of past frames (`learning_rate`; a cell that moved is
 * learnt at `absorb_rate`). The first frame of an area only starts the background, and so
 * does a frame in which most of the area changed at once while little had moved before: a
 * change of light, not a vehicle, which always drives in over several frames. Counting cells
 * at most `blob_gap` pixels apart form one blob (two vehicles with road between them are two).
 *
 * A motion_gate owns its cell arrays; free it with motion_gate_free().
 */
#ifndef GATECV_MOTION_GATE_H
#define GATECV_MOTION_GATE_H

#include <stdbool.h>
#include <stdint.h>

#define MOTION_MAX_BLOBS 8

/* A rectangle in frame pixels. */
typedef struct {
    int x, y, width, height;
} motion_rect;

typedef struct {
    int threshold;        /* grey levels at which a cell moved (1..255) */
    double min_fraction;  /* of the area's cells that must count for the frame to move */
    float learning_rate;  /* weight of a new frame in the background (0..1) */
    float absorb_rate;    /* the same where the cell moved */
    int min_neighbours;   /* of 8; 0: every moving cell counts */
    unsigned hold_frames; /* frames the gate stays open after the last moving one */
    int blob_gap;         /* pixels between counting cells that still join one blob */
} motion_params;

/* The pixels of one frame: 8-bit grey (GRAY8, or the Y plane of I420 / NV12) or packed BGR. */
typedef struct {
    const uint8_t *data;
    int stride; /* bytes per row */
    bool bgr;
} motion_plane;

/* The gate after a frame. */
typedef struct {
    bool open;       /* the gate state */
    bool opened;     /* it opened with this frame */
    bool closed;     /* it closed with this frame (not by a new area) */
    int n_moving;    /* counting cells in this frame */
    float fraction;  /* n_moving of all the area's cells */
    motion_rect box; /* of the counting cells of the last moving frame (0 when closed) */
    int n_blobs;     /* blobs of the last moving frame, largest first */
    motion_rect blobs[MOTION_MAX_BLOBS];
    bool new_area;        /* this frame started the background of a new area */
    bool light_change;    /* this frame started the background again: the light changed */
    int cell, cols, rows; /* the grid of the area */
} motion_state;

typedef struct motion_gate motion_gate;

motion_gate *motion_gate_new(void);
void motion_gate_free(motion_gate *gate);

/* Forgets the background and closes the gate (after a seek, or new caps). */
void motion_gate_reset(motion_gate *gate);

/* One frame: `area` (non-empty, inside the frame `plane` holds) is compared with the
 * background of the same area (a different area starts a new one). Returns the gate's state,
 * owned by the gate and valid until the next call. */
const motion_state *motion_gate_step(motion_gate *gate, const motion_plane *plane,
                                     const motion_rect *area, const motion_params *params);

#endif
