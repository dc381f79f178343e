/*
 * test_motion_gate.c — pins the motion gate's algorithm on plain frames: the first frame only
 * starts the background; a solid block opens the gate with its box and one blob; the gate
 * stays open hold_frames after the last moving frame and then closes; thin lines (rain) do not
 * count while solid blobs do; two blocks with road between them are two blobs, largest first,
 * one when the gap is within blob_gap; a frame that changed all at once is a change of light,
 * not motion; too small a moving part does not open the gate; a new area starts again; and a
 * BGR frame is read as its luma.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "motion_gate.h"

#define W 64
#define H 64

static uint8_t pixels[H][W];
static const motion_plane PLANE = {&pixels[0][0], W, false};
static const motion_rect ALL = {0, 0, W, H}; /* 16 x 16 cells of 4 px */

static const motion_params PARAMS = {
    .threshold = 25,
    .min_fraction = 0.01,
    .learning_rate = 0.05f,
    .absorb_rate = 0.05f,
    .min_neighbours = 3,
    .hold_frames = 3,
    .blob_gap = 8,
};

static void fill(uint8_t grey)
{
    memset(pixels, grey, sizeof pixels);
}

static void draw(int x, int y, int w, int h, uint8_t grey)
{
    for (int r = y; r < y + h; r++)
        memset(&pixels[r][x], grey, (size_t)w);
}

static const motion_state *step(motion_gate *g)
{
    return motion_gate_step(g, &PLANE, &ALL, &PARAMS);
}

/* A gate that has learnt the empty grey road. */
static motion_gate *started(void)
{
    motion_gate *g = motion_gate_new();
    fill(50);
    const motion_state *s = step(g);
    assert_true(s->new_area);
    assert_false(s->open);
    assert_int_equal(s->cols, 16);
    assert_int_equal(s->rows, 16);
    return g;
}

static void assert_rect(motion_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.width, w);
    assert_int_equal(r.height, h);
}

static void test_first_frame_only_starts(void **state)
{
    (void)state;
    motion_gate *g = motion_gate_new();
    fill(50);
    draw(16, 16, 16, 16, 200); /* already there: it is the background */
    const motion_state *s = step(g);
    assert_true(s->new_area);
    assert_false(s->open);
    s = step(g);
    assert_false(s->new_area);
    assert_false(s->open);
    assert_int_equal(s->n_moving, 0);
    motion_gate_free(g);
}

static void test_block_opens_with_box_and_blob(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(16, 16, 16, 16, 200);
    const motion_state *s = step(g);
    assert_true(s->open);
    assert_true(s->opened);
    assert_int_equal(s->n_moving, 16);
    assert_true(s->fraction == 16.0f / 256);
    assert_rect(s->box, 16, 16, 16, 16);
    assert_int_equal(s->n_blobs, 1);
    assert_rect(s->blobs[0], 16, 16, 16, 16);
    s = step(g); /* still there: still moving, no new opening */
    assert_true(s->open);
    assert_false(s->opened);
    motion_gate_free(g);
}

static void test_holds_then_closes(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(16, 16, 16, 16, 200);
    assert_true(step(g)->open);
    fill(50); /* gone: the background learnt too little of it to leave a ghost */
    for (unsigned i = 0; i < PARAMS.hold_frames; i++) {
        const motion_state *s = step(g);
        assert_int_equal(s->n_moving, 0);
        assert_true(s->open);
        assert_rect(s->box, 16, 16, 16, 16); /* the last moving frame's */
    }
    const motion_state *s = step(g);
    assert_false(s->open);
    assert_true(s->closed);
    assert_rect(s->box, 0, 0, 0, 0);
    assert_int_equal(s->n_blobs, 0);
    s = step(g);
    assert_false(s->closed); /* closed once */
    motion_gate_free(g);
}

static void test_thin_lines_do_not_count(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(20, 0, 4, H, 200); /* one cell wide: two moving neighbours each */
    const motion_state *s = step(g);
    assert_int_equal(s->n_moving, 0);
    assert_false(s->open);
    motion_gate_free(g);

    motion_params all = PARAMS;
    all.min_neighbours = 0; /* every moving cell counts */
    g = started();
    draw(20, 0, 4, H, 200);
    s = motion_gate_step(g, &PLANE, &ALL, &all);
    assert_int_equal(s->n_moving, 16);
    assert_true(s->open);
    motion_gate_free(g);
}

static void test_two_blobs_apart(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(0, 16, 16, 16, 200); /* 16 cells */
    draw(40, 16, 16, 8, 200); /* 8 cells, 24 px of road between them */
    const motion_state *s = step(g);
    assert_true(s->open);
    assert_rect(s->box, 0, 16, 56, 16);
    assert_int_equal(s->n_blobs, 2);
    assert_rect(s->blobs[0], 0, 16, 16, 16); /* largest first */
    assert_rect(s->blobs[1], 40, 16, 16, 8);
    motion_gate_free(g);

    motion_params wide = PARAMS;
    wide.blob_gap = 32; /* the gap is within it: one blob */
    g = started();
    draw(0, 16, 16, 16, 200);
    draw(40, 16, 16, 8, 200);
    s = motion_gate_step(g, &PLANE, &ALL, &wide);
    assert_int_equal(s->n_blobs, 1);
    assert_rect(s->blobs[0], 0, 16, 56, 16);
    motion_gate_free(g);
}

/* A solid blob (its inner cells look only at their neighbours, grow_group) still joins a
 * blob across a diagonal gap within blob_gap, and not one a cell further. */
static void test_solid_blob_joins_within_gap(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(0, 16, 24, 24, 200);  /* cells 0..5 x 4..9: 16 of them inner */
    draw(32, 48, 12, 8, 200);  /* cells 8..10 x 12..13: 3 cells from the corner (reach 3) */
    const motion_state *s = step(g);
    assert_int_equal(s->n_blobs, 1);
    assert_rect(s->blobs[0], 0, 16, 44, 40);
    motion_gate_free(g);

    g = started();
    draw(0, 16, 24, 24, 200);
    draw(36, 52, 12, 8, 200); /* cells 9..11 x 13..14: 4 cells away */
    s = step(g);
    assert_int_equal(s->n_blobs, 2);
    assert_rect(s->blobs[0], 0, 16, 24, 24);
    assert_rect(s->blobs[1], 36, 52, 12, 8);
    motion_gate_free(g);
}

static void test_light_change_is_not_motion(void **state)
{
    (void)state;
    motion_gate *g = started();
    fill(120); /* all of it at once: the lamp */
    const motion_state *s = step(g);
    assert_true(s->light_change);
    assert_false(s->open);
    assert_int_equal(s->n_moving, 0);
    s = step(g); /* the new light is the background now */
    assert_false(s->light_change);
    assert_int_equal(s->n_moving, 0);
    draw(16, 16, 16, 16, 250); /* and a vehicle in it moves */
    assert_true(step(g)->open);
    motion_gate_free(g);
}

static void test_too_small_to_open(void **state)
{
    (void)state;
    motion_params strict = PARAMS;
    strict.min_fraction = 0.1; /* 26 cells of 256 */
    motion_gate *g = started();
    draw(16, 16, 16, 16, 200); /* 16 cells */
    const motion_state *s = motion_gate_step(g, &PLANE, &ALL, &strict);
    assert_int_equal(s->n_moving, 16);
    assert_false(s->open);
    motion_gate_free(g);
}

static void test_new_area_starts_again(void **state)
{
    (void)state;
    motion_gate *g = started();
    draw(16, 16, 16, 16, 200);
    assert_true(step(g)->open);
    const motion_rect half = {0, 0, 32, 64};
    const motion_state *s = motion_gate_step(g, &PLANE, &half, &PARAMS);
    assert_true(s->new_area);
    assert_false(s->open);
    assert_false(s->closed); /* started again, not a vehicle leaving */
    assert_int_equal(s->cols, 8);
    motion_gate_reset(g); /* and a reset forgets the background */
    s = motion_gate_step(g, &PLANE, &half, &PARAMS);
    assert_true(s->new_area);
    motion_gate_free(g);
}

static void test_bgr_is_read_as_luma(void **state)
{
    (void)state;
    static uint8_t bgr[H][W * 3];
    const motion_plane plane = {&bgr[0][0], W * 3, true};
    motion_gate *g = motion_gate_new();
    memset(bgr, 50, sizeof bgr);
    motion_gate_step(g, &plane, &ALL, &PARAMS);
    for (int r = 16; r < 32; r++) /* a green block: luma 150/256 of it */
        for (int x = 16; x < 32; x++)
            bgr[r][3 * x + 1] = 255;
    const motion_state *s = motion_gate_step(g, &plane, &ALL, &PARAMS);
    assert_true(s->open);
    assert_rect(s->box, 16, 16, 16, 16);
    motion_gate_free(g);

    g = motion_gate_new(); /* blue alone changes the luma too little: 29/256 */
    memset(bgr, 50, sizeof bgr);
    motion_gate_step(g, &plane, &ALL, &PARAMS);
    for (int r = 16; r < 32; r++)
        for (int x = 16; x < 32; x++)
            bgr[r][3 * x] = 100;
    s = motion_gate_step(g, &plane, &ALL, &PARAMS);
    assert_false(s->open);
    motion_gate_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_frame_only_starts),
        cmocka_unit_test(test_block_opens_with_box_and_blob),
        cmocka_unit_test(test_holds_then_closes),
        cmocka_unit_test(test_thin_lines_do_not_count),
        cmocka_unit_test(test_two_blobs_apart),
        cmocka_unit_test(test_solid_blob_joins_within_gap),
        cmocka_unit_test(test_light_change_is_not_motion),
        cmocka_unit_test(test_too_small_to_open),
        cmocka_unit_test(test_new_area_starts_again),
        cmocka_unit_test(test_bgr_is_read_as_luma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
