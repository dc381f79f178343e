/*
 * motion_gate.c — the ROI motion gate's background, cells, blobs and gate state (see
 * motion_gate.h). Owns the cell arrays of the area its background is of.
 */
#include "motion_gate.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#define CELL 4 /* cell side in pixels: the area is compared at 1/4 size */
/* Fewer counting cells than this make no blob of their own (a speck beside a vehicle). */
#define MIN_BLOB_CELLS 6
/* A change of light (the infrared lamp switching on, a cloud, dusk) moves most of the area
 * from one frame to the next; a vehicle, however big, drives in over several frames. */
#define LIGHT_CHANGE_FRACTION 0.5f
#define LIGHT_CHANGE_BEFORE 0.1f

struct motion_gate {
    motion_rect area; /* the area the background is of */
    int cell, cols, rows;
    float *background; /* cols * rows mean grey levels; NULL: start over */
    float *current;
    uint8_t *moved;      /* cols * rows: the cell differs from the background */
    uint8_t *counts;     /* cols * rows: it moved and has enough moving neighbours */
    int32_t *labels;     /* cols * rows: blob of a counting cell (scratch of find_blobs) */
    int32_t *stack;      /* cols * rows: cells still to visit (scratch of find_blobs) */
    uint32_t *sums;      /* cols accumulators for one row of cells */
    float last_fraction; /* of the previous frame */
    unsigned hold_left;
    motion_state state;
};

motion_gate *motion_gate_new(void)
{
    return g_new0(motion_gate, 1);
}

void motion_gate_reset(motion_gate *g)
{
    g_clear_pointer(&g->background, g_free);
    g_clear_pointer(&g->current, g_free);
    g_clear_pointer(&g->moved, g_free);
    g_clear_pointer(&g->counts, g_free);
    g_clear_pointer(&g->labels, g_free);
    g_clear_pointer(&g->stack, g_free);
    g_clear_pointer(&g->sums, g_free);
    g->cell = g->cols = g->rows = 0;
    g->area = (motion_rect){0, 0, 0, 0};
    g->last_fraction = 0.0f;
    g->hold_left = 0;
    g->state = (motion_state){0};
}

void motion_gate_free(motion_gate *g)
{
    if (!g)
        return;
    motion_gate_reset(g);
    g_free(g);
}

/* (Re)allocates the cell arrays for `area` if it is not the one the background is of;
 * true if it did (the background is then to be started from this frame). */
static bool ensure_cells(motion_gate *g, const motion_rect *area)
{
    if (g->background && area->x == g->area.x && area->y == g->area.y &&
        area->width == g->area.width && area->height == g->area.height)
        return false;
    motion_gate_reset(g);
    g->area = *area;
    g->cell = MIN(CELL, MIN(area->width, area->height));
    g->cols = area->width / g->cell;
    g->rows = area->height / g->cell;
    gsize n = (gsize)g->cols * g->rows;
    g->background = g_new0(float, n);
    g->current = g_new0(float, n);
    g->moved = g_new0(uint8_t, n);
    g->counts = g_new0(uint8_t, n);
    g->labels = g_new0(int32_t, n);
    g->stack = g_new0(int32_t, n);
    g->sums = g_new0(uint32_t, g->cols);
    return true;
}

/* Adds one row of the area's grey pixels to the cells' sums: `cell` pixels a cell. This is
 * the gate's cost (every pixel of every frame of every camera), so it walks cell by cell
 * rather than dividing each pixel's x by the cell size. */
static void add_grey_row(uint32_t *sums, const uint8_t *row, int cols, int cell)
{
    G_STATIC_ASSERT(CELL == 4); /* the unrolled sum below */
    if (cell == CELL) { /* the usual size, unrolled */
        for (int cx = 0; cx < cols; cx++, row += CELL)
            sums[cx] += (uint32_t)row[0] + row[1] + row[2] + row[3];
        return;
    }
    for (int cx = 0; cx < cols; cx++, row += cell) {
        uint32_t s = 0;
        for (int k = 0; k < cell; k++)
            s += row[k];
        sums[cx] += s;
    }
}

static void add_bgr_row(uint32_t *sums, const uint8_t *row, int cols, int cell)
{
    for (int cx = 0; cx < cols; cx++) {
        uint32_t s = 0;
        for (int k = 0; k < cell; k++, row += 3) /* ITU-R 601 luma */
            s += (29u * row[0] + 150u * row[1] + 77u * row[2]) >> 8;
        sums[cx] += s;
    }
}

/* Mean grey level of every cell of the area into g->current. */
static void measure_cells(motion_gate *g, const motion_plane *plane)
{
    int cell = g->cell, cols = g->cols;
    float area = (float)(cell * cell);

    for (int cy = 0; cy < g->rows; cy++) {
        memset(g->sums, 0, sizeof *g->sums * cols);
        for (int dy = 0; dy < cell; dy++) {
            const uint8_t *row = plane->data + (gsize)(g->area.y + cy * cell + dy) * plane->stride;
            if (plane->bgr)
                add_bgr_row(g->sums, row + (gsize)g->area.x * 3, cols, cell);
            else
                add_grey_row(g->sums, row + g->area.x, cols, cell);
        }
        for (int cx = 0; cx < cols; cx++)
            g->current[cy * cols + cx] = g->sums[cx] / area;
    }
}

/* This frame's cells become the background: the first frame, and after a change of light. */
static void restart_background(motion_gate *g)
{
    memcpy(g->background, g->current, sizeof *g->current * g->cols * g->rows);
}

/* Compares g->current with the background into g->moved and updates the background. A
 * moving cell is learnt at absorb_rate. */
static void compare_cells(motion_gate *g, int threshold, float learning_rate, float absorb_rate)
{
    gsize n = (gsize)g->cols * g->rows;
    for (gsize i = 0; i < n; i++) {
        float diff = g->current[i] - g->background[i];
        g->moved[i] = fabsf(diff) >= threshold;
        g->background[i] += (g->moved[i] ? absorb_rate : learning_rate) * diff;
    }
}

/* Moving neighbours (of 8) of cell (cx, cy). */
static int moving_neighbours(const motion_gate *g, int cx, int cy)
{
    int n = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int x = cx + dx, y = cy + dy;
            if ((dx || dy) && x >= 0 && y >= 0 && x < g->cols && y < g->rows)
                n += g->moved[(gsize)y * g->cols + x];
        }
    return n;
}

/* Counts the moving cells that have at least min_neighbours moving neighbours (a vehicle is
 * a solid blob of cells; a rain streak or pixel noise is a thin line or a speck), marks them
 * in g->counts and puts their bounding box, in cells, in *box. */
static int count_moving(motion_gate *g, int min_neighbours, motion_rect *box)
{
    int moving = 0, x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;
    for (int cy = 0; cy < g->rows; cy++)
        for (int cx = 0; cx < g->cols; cx++) {
            gsize i = (gsize)cy * g->cols + cx;
            g->counts[i] = g->moved[i] &&
                           (min_neighbours <= 0 || moving_neighbours(g, cx, cy) >= min_neighbours);
            if (!g->counts[i])
                continue;
            moving++;
            x0 = MIN(x0, cx);
            y0 = MIN(y0, cy);
            x1 = MAX(x1, cx);
            y1 = MAX(y1, cy);
        }
    *box = moving ? (motion_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1} : (motion_rect){0, 0, 0, 0};
    return moving;
}

/* One group of counting cells: its box in cells and its size. */
typedef struct {
    int x0, y0, x1, y1, cells;
} cell_group;

/* Whether all 8 neighbours of cell (cx, cy) are counting cells (none outside the area). */
static bool interior(const motion_gate *g, int cx, int cy)
{
    if (cx == 0 || cy == 0 || cx == g->cols - 1 || cy == g->rows - 1)
        return false;
    const uint8_t *above = g->counts + (gsize)(cy - 1) * g->cols + cx;
    const uint8_t *row = above + g->cols, *below = row + g->cols;
    return above[-1] && above[0] && above[1] && row[-1] && row[1] && below[-1] && below[0] &&
           below[1];
}

/* Labels the unlabelled counting cells of [x0, x1] x [y0, y1] and pushes them. */
static void take_window(motion_gate *g, int x0, int y0, int x1, int y1, int32_t label,
                        gsize *top)
{
    for (int y = MAX(0, y0); y <= MIN(g->rows - 1, y1); y++)
        for (int x = MAX(0, x0); x <= MIN(g->cols - 1, x1); x++) {
            gsize k = (gsize)y * g->cols + x;
            if (g->counts[k] && g->labels[k] == 0) {
                g->labels[k] = label;
                g->stack[(*top)++] = (int32_t)k;
            }
        }
}

/* Grows the group of counting cell `start` over every counting cell at most `reach` cells
 * away (a gap of reach - 1 still joins), labelling them `label`. A cell whose 8 neighbours
 * all count looks only at them: their windows together cover its own, and each of them
 * either looks at its window or, interior too, passes on to its neighbours, one step
 * nearer any cell within reach. So only a blob's edge cells scan (2 reach + 1)^2 cells
 * (49 at gatemotion's default blob-gap of 8 px, 121 at 16) instead of every cell of it. */
static cell_group grow_group(motion_gate *g, gsize start, int32_t label, int reach)
{
    int cols = g->cols;
    cell_group grp = {G_MAXINT, G_MAXINT, -1, -1, 0};
    gsize top = 0;
    g->labels[start] = label;
    g->stack[top++] = (int32_t)start;
    while (top > 0) {
        int32_t i = g->stack[--top];
        int cx = i % cols, cy = i / cols;
        grp.x0 = MIN(grp.x0, cx);
        grp.y0 = MIN(grp.y0, cy);
        grp.x1 = MAX(grp.x1, cx);
        grp.y1 = MAX(grp.y1, cy);
        grp.cells++;
        int r = interior(g, cx, cy) ? 1 : reach;
        take_window(g, cx - r, cy - r, cx + r, cy + r, label, &top);
    }
    return grp;
}

/* Splits the counting cells into groups whose cells are at most gap_px apart and keeps the
 * largest MOTION_MAX_BLOBS of at least MIN_BLOB_CELLS cells in the state, in frame
 * coordinates, largest first. */
static void find_blobs(motion_gate *g, int gap_px)
{
    gsize n = (gsize)g->cols * g->rows;
    int reach = 1 + MAX(0, gap_px) / g->cell;
    cell_group kept[MOTION_MAX_BLOBS];
    int n_kept = 0;
    int32_t label = 0;
    memset(g->labels, 0, sizeof *g->labels * n);
    for (gsize i = 0; i < n; i++) {
        if (!g->counts[i] || g->labels[i] != 0)
            continue;
        cell_group grp = grow_group(g, i, ++label, reach);
        if (grp.cells < MIN_BLOB_CELLS)
            continue;
        /* insertion into the kept groups, largest first */
        int at = n_kept;
        while (at > 0 && kept[at - 1].cells < grp.cells)
            at--;
        if (at == MOTION_MAX_BLOBS)
            continue;
        n_kept = MIN(n_kept + 1, MOTION_MAX_BLOBS);
        memmove(&kept[at + 1], &kept[at], sizeof *kept * (size_t)(n_kept - 1 - at));
        kept[at] = grp;
    }
    for (int i = 0; i < n_kept; i++)
        g->state.blobs[i] = (motion_rect){
            g->area.x + kept[i].x0 * g->cell, g->area.y + kept[i].y0 * g->cell,
            (kept[i].x1 - kept[i].x0 + 1) * g->cell, (kept[i].y1 - kept[i].y0 + 1) * g->cell};
    g->state.n_blobs = n_kept;
}

/* Compares the frame with the background (started again on a change of light): the
 * counting cells and their box, in cells. */
static void compare_frame(motion_gate *g, const motion_params *p, motion_rect *cells)
{
    motion_state *s = &g->state;
    compare_cells(g, p->threshold, p->learning_rate, p->absorb_rate);
    s->n_moving = count_moving(g, p->min_neighbours, cells);
    s->fraction = (float)s->n_moving / (g->cols * g->rows);
    if (s->fraction >= LIGHT_CHANGE_FRACTION && g->last_fraction < LIGHT_CHANGE_BEFORE) {
        /* not motion: the light changed; this frame is the new background */
        s->light_change = true;
        restart_background(g);
        s->n_moving = 0;
        s->fraction = 0.0f;
        *cells = (motion_rect){0, 0, 0, 0};
    }
    g->last_fraction = s->fraction;
}

/* Opens the gate on a moving frame (its box and blobs kept), or counts down the frames it
 * stays open after the last one. */
static void update_gate(motion_gate *g, const motion_params *p, const motion_rect *cells)
{
    motion_state *s = &g->state;
    if (s->n_moving > 0 && s->fraction >= p->min_fraction) {
        s->open = true;
        g->hold_left = p->hold_frames;
        s->box = (motion_rect){g->area.x + cells->x * g->cell, g->area.y + cells->y * g->cell,
                               cells->width * g->cell, cells->height * g->cell};
        find_blobs(g, p->blob_gap);
    } else if (s->open) {
        if (g->hold_left == 0) {
            s->open = false;
            s->box = (motion_rect){0, 0, 0, 0};
            s->n_blobs = 0;
        } else {
            g->hold_left--;
        }
    }
}

const motion_state *motion_gate_step(motion_gate *g, const motion_plane *plane,
                                     const motion_rect *area, const motion_params *p)
{
    g_return_val_if_fail(area->width > 0 && area->height > 0 && area->x >= 0 && area->y >= 0,
                         &g->state);
    motion_state *s = &g->state;
    s->new_area = ensure_cells(g, area); /* a new area closes the gate */
    bool was_open = s->open;
    s->light_change = false;
    s->n_moving = 0;
    s->fraction = 0.0f;
    measure_cells(g, plane);
    motion_rect cells = {0, 0, 0, 0};
    if (s->new_area)
        restart_background(g);
    else
        compare_frame(g, p, &cells);
    update_gate(g, p, &cells);
    s->opened = s->open && !was_open;
    s->closed = !s->open && was_open;
    s->cell = g->cell;
    s->cols = g->cols;
    s->rows = g->rows;
    g_assert(s->n_blobs <= MOTION_MAX_BLOBS);
    return s;
}
