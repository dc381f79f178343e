/*
 * test_camera_track.c — pins one camera's episodes and passages (camera_track.c) without any
 * other camera: a box that moves over the tripwire makes a passage timed by its leading edge;
 * one that comes and goes back makes none; a gate closed for under EPISODE_GAP_S does not cut
 * an episode, a longer one does, and so does a vehicle coming in as a sliver where the last
 * went out; an episode first seen over the line that then came from the
 * other side is that side's passage; a camera with metres_per_pixel measures a passage's
 * length; frames with two vehicles apart over the line are counted (the road between them in
 * metres where the camera has a scale), parts of one vehicle and a vehicle still before the
 * line are not; texts are voted per text and know when they were on the line; a plate read
 * going over the line is its vehicle's passage though the episode ended with the next one of a
 * queue before the line; a side camera's episode that held the vehicle ahead going over the
 * line and the next one moving up behind it is the passage of the one ahead; an ended camera
 * closes its episode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "camera_track.h"
#include "lane_text.h"

/* A side camera, 1280x720, its tripwire pointing up the image at x = 640: moving left to right
 * is the positive direction. */
static lane_camera side_camera(double metres_per_pixel)
{
    lane_camera c = {0};
    c.name = (char *)"side";
    c.role = LANE_ROLE_SIDE_LEFT;
    c.tripwire = (lane_line){640, 720, 640, 0};
    c.roi = (lane_rect){0, 0, 1280, 720};
    c.metres_per_pixel = metres_per_pixel;
    return c;
}

/* A box `width` px wide and 300 high whose left edge is at x, moving or not. */
static lane_observation seen(double t, bool moving, float x, float width)
{
    return (lane_observation){
        .camera = 0, .t = t, .moving = moving, .x = x, .y = 200, .width = width, .height = 300};
}

/* Collects the episodes a track closes (owned by the caller until freed). */
typedef struct {
    camera_episode *closed[8];
    int n;
} episodes;

static void keep(episodes *out, camera_episode *e)
{
    if (e && out->n < 8)
        out->closed[out->n++] = e;
    else
        camera_episode_free(e);
}

static void free_all(episodes *out)
{
    for (int i = 0; i < out->n; i++)
        camera_episode_free(out->closed[i]);
}

/* A track of camera `cam` (votes 2) and the episodes it closes. */
static void track_open(camera_track *t, episodes *out, const lane_camera *cam)
{
    camera_track_init(t, cam, 0, 2);
    *out = (episodes){0};
}

static void track_close(camera_track *t, episodes *out)
{
    free_all(out);
    camera_track_clear(t);
}

/* The box's left edge slides from x0 to x1 between t0 and t1 (25 fps). */
static void slide(camera_track *t, episodes *out, double t0, double t1, float x0, float x1,
                  float width)
{
    for (double s = t0; s <= t1 + 1e-9; s += 0.04) {
        float x = x0 + (x1 - x0) * (float)((s - t0) / (t1 - t0));
        lane_observation o = seen(s, true, x, width);
        keep(out, camera_track_observe(t, &o));
    }
}

static void still(camera_track *t, episodes *out, double t0, double t1)
{
    for (double s = t0; s <= t1 + 1e-9; s += 0.04) {
        lane_observation o = seen(s, false, 0, 0);
        keep(out, camera_track_observe(t, &o));
    }
}

/* A box moving left to right over the line is one passage, positive, timed when its leading
 * edge reached the line; it is handed out once the gate has been closed EPISODE_GAP_S. */
static void test_passage_over_the_line(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 1.0, 5.0, 0, 1000, 200); /* right edge at 640 when x = 440: t = 2.76 */
    assert_int_equal(out.n, 0);
    still(&t, &out, 5.04, 5.5);
    assert_int_equal(out.n, 0); /* still within the gap */
    still(&t, &out, 5.54, 6.0);
    assert_int_equal(out.n, 1);
    camera_episode *e = out.closed[0];
    assert_true(camera_episode_passed(e));
    assert_int_equal(camera_episode_side_at_end(e), 1);
    assert_true(fabs(e->line.t_cross - 2.76) < 0.05);
    /* on the line until its left edge passed 640: x = 640 at t = 3.56 */
    assert_true(fabs(e->line.t_off - 3.56) < 0.05);
    assert_true(fabs(e->t_first - 1.0) < 1e-9 && fabs(e->t_last - 5.0) < 1e-6);
    assert_null(t.open);
    track_close(&t, &out);
}

/* A vehicle that drives up over the line and backs out makes an episode but no passage. */
static void test_back_out_is_no_passage(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 0, 2, 0, 500, 200);
    slide(&t, &out, 2.04, 4, 500, 0, 200);
    still(&t, &out, 4.04, 5);
    assert_int_equal(out.n, 1);
    assert_false(camera_episode_passed(out.closed[0]));
    assert_int_equal(camera_episode_side_at_end(out.closed[0]), -1);
    track_close(&t, &out);
}

/* A gate closed for 0.4 s mid-vehicle continues the episode; closed for 0.8 s, it ends it. */
static void test_short_gap_is_bridged(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 0, 2, 0, 500, 200);
    still(&t, &out, 2.04, 2.4);
    slide(&t, &out, 2.44, 4, 500, 1000, 200);
    still(&t, &out, 4.04, 5);
    assert_int_equal(out.n, 1);
    assert_true(camera_episode_passed(out.closed[0]));

    slide(&t, &out, 10, 12, 0, 500, 200);
    still(&t, &out, 12.04, 12.84);
    slide(&t, &out, 12.88, 14, 500, 1000, 200);
    still(&t, &out, 14.04, 15);
    /* two episodes: the first came up to the line and stayed on its side; the second, first
     * seen over the line, is taken to come from the side its centre was on */
    assert_int_equal(out.n, 3);
    assert_false(camera_episode_passed(out.closed[1]));
    assert_true(camera_episode_passed(out.closed[2]));
    assert_true(fabs(out.closed[2]->t_first - 12.88) < 1e-6);
    track_close(&t, &out);
}

/* A truck goes out of the view by its left edge, the gate shuts for under EPISODE_GAP_S, and
 * a sliver of the next comes in by that same edge, going the other way: two episodes, a
 * passage each. Had the box come back as wide as it went, it would be one vehicle. */
static void test_in_where_the_last_went_out(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 0, 3, 1000, 0, 400); /* right to left: over the line, out at x = 0 */
    still(&t, &out, 3.04, 3.4);
    slide(&t, &out, 3.44, 6, 0, 1000, 60); /* in again at x = 0, a sliver, left to right */
    still(&t, &out, 6.04, 7);
    assert_int_equal(out.n, 2);
    assert_true(camera_episode_passed(out.closed[0]));
    assert_int_equal(camera_episode_side_at_end(out.closed[0]), -1);
    assert_true(fabs(out.closed[0]->t_last - 3.0) < 1e-6);
    assert_true(camera_episode_passed(out.closed[1]));
    assert_int_equal(camera_episode_side_at_end(out.closed[1]), 1);
    assert_true(fabs(out.closed[1]->t_first - 3.44) < 1e-6);

    slide(&t, &out, 10, 13, 1000, 0, 400);
    still(&t, &out, 13.04, 13.4);
    slide(&t, &out, 13.44, 14, 0, 0, 400); /* back as wide: the same vehicle */
    still(&t, &out, 14.04, 15);
    assert_int_equal(out.n, 3);
    assert_true(fabs(out.closed[2]->t_first - 10.0) < 1e-6);
    track_close(&t, &out);
}

/* The gate first opens on a box over the line whose centre is right of it (a truck's lit rear
 * at night); the box then lies wholly left and moves over to the right: the passage came from
 * the left, from its first box wholly there. */
static void test_first_seen_over_the_line(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 1.0, 1.5, 600, 600, 200);  /* over the line, centre right */
    slide(&t, &out, 1.54, 2.0, 200, 200, 200); /* wholly left */
    slide(&t, &out, 2.04, 4.0, 200, 1000, 200);
    still(&t, &out, 4.04, 5);
    assert_int_equal(out.n, 1);
    camera_episode *e = out.closed[0];
    assert_true(camera_episode_passed(e));
    assert_int_equal(camera_episode_side_at_end(e), 1);
    assert_int_equal(e->line.side_from, -1);
    assert_true(fabs(e->t_first - 1.54) < 1e-6); /* from the first box wholly on the left */
    track_close(&t, &out);
}

/* With metres_per_pixel the passage is measured: its edges' speed times its time on the line,
 * a 200 px box at 0.05 m/px about 10 m (plus a frame of travel); without, it is not. */
static void test_length_of_a_passage(void **state)
{
    (void)state;
    for (int scaled = 0; scaled < 2; scaled++) {
        lane_camera cam = side_camera(scaled ? 0.05 : 0);
        camera_track t;
        episodes out;
        track_open(&t, &out, &cam);
        slide(&t, &out, 1.0, 5.0, 100, 900, 200); /* 200 px/s */
        still(&t, &out, 5.04, 6);
        assert_int_equal(out.n, 1);
        if (scaled)
            assert_true(out.closed[0]->length_m > 9.5 && out.closed[0]->length_m < 11.0);
        else
            assert_true(out.closed[0]->length_m == 0);
        track_close(&t, &out);
    }
}

/* A frame with two blobs that each reach across most of the lane, far apart along it, both
 * over the line or past it, shows two vehicles going over it; two blobs close together along
 * it are parts of one; a blob wholly before the line (the next vehicle of a queue, moving up)
 * is not in the passage. */
static void test_two_vehicle_frames(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    for (int i = 0; i < 15; i++) {
        lane_observation o = seen(1.0 + i * 0.04, true, 100, 1000); /* from the left */
        o.n_blobs = 2;
        if (i < 10) { /* one over the line, the other past it: 160 px apart, then 40 */
            o.blobs[0] = (lane_box){500, 200, 300, 400};
            o.blobs[1] = (lane_box){i < 5 ? 960 : 840, 200, 300, 400};
        } else { /* one past the line, the other wholly before it */
            o.blobs[0] = (lane_box){700, 200, 300, 400};
            o.blobs[1] = (lane_box){100, 200, 300, 400};
        }
        keep(&out, camera_track_observe(&t, &o));
    }
    assert_non_null(t.open);
    assert_int_equal(t.open->two_frames, 5);
    track_close(&t, &out);
}

/* With a scale, the road between two vehicles is measured in metres (about half a metre): two
 * blobs 60 px apart are two vehicles at 1 cm a pixel (0.6 m), one at 5 mm a pixel (0.3 m). */
static void test_two_vehicle_gap_in_metres(void **state)
{
    (void)state;
    const double scales[2] = {0.01, 0.005};
    const int expected[2] = {3, 0};
    for (int k = 0; k < 2; k++) {
        lane_camera cam = side_camera(scales[k]);
        camera_track t;
        episodes out;
        track_open(&t, &out, &cam);
        for (int i = 0; i < 3; i++) {
            lane_observation o = seen(1.0 + i * 0.04, true, 100, 700);
            o.n_blobs = 2;
            o.blobs[0] = (lane_box){400, 200, 300, 400}; /* over the line */
            o.blobs[1] = (lane_box){760, 200, 300, 400}; /* past it */
            keep(&out, camera_track_observe(&t, &o));
        }
        assert_int_equal(t.open->two_frames, expected[k]);
        track_close(&t, &out);
    }
}

static gatecv_read read_at(const char *text, float x, float conf)
{
    gatecv_read r = {0};
    r.kind = READ_PLATE;
    g_strlcpy(r.text, text, sizeof r.text);
    r.valid = true;
    r.confidence = conf;
    r.quad[0] = (gcv_point){x, 400};
    r.quad[1] = (gcv_point){x + 100, 400};
    r.quad[2] = (gcv_point){x + 100, 430};
    r.quad[3] = (gcv_point){x, 430};
    return r;
}

/* Reads are voted per text; once the episode has closed each text knows when it was on the
 * line (here between its reads either side of it), and the texts move to their new owner. */
static void test_texts_voted_and_timed(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    for (int i = 0; i < 10; i++) {
        double s = 1.0 + i * 0.1;
        float x = 400 + 40.0f * (float)i; /* the read's middle crosses 640 at i = 4.75 */
        gatecv_read r[2] = {read_at("51F44614", x, 0.5f + 0.01f * (float)i),
                            read_at("MSKU1234565", x, 0.9f)};
        lane_observation o = seen(s, true, x, 200);
        o.reads = r;
        o.n_reads = i < 3 ? 2 : 1;
        keep(&out, camera_track_observe(&t, &o));
    }
    assert_int_equal(t.open->votes->len, 2);
    keep(&out, camera_track_close(&t));
    assert_int_equal(out.n, 1);
    GPtrArray *texts = g_ptr_array_new_with_free_func(lane_text_free);
    camera_episode_move_texts(out.closed[0], texts);
    assert_int_equal(out.closed[0]->votes->len, 0);
    assert_int_equal(texts->len, 2);
    const lane_text *plate = g_ptr_array_index(texts, 0);
    assert_string_equal(plate->best.text, "51F44614");
    assert_int_equal(plate->frames, 10);
    assert_true(fabsf(plate->best.confidence - 0.59f) < 1e-6f); /* the most confident read */
    assert_true(plate->t_line > 1.4 && plate->t_line < 1.5);
    assert_int_equal(((const lane_text *)g_ptr_array_index(texts, 1))->frames, 3);
    g_ptr_array_free(texts, TRUE);
    track_close(&t, &out);
}

/* A front camera, 1280x720, its tripwire across the image at y = 400: a vehicle coming down
 * the image, towards the camera, moves the positive way. */
static lane_camera front_camera(void)
{
    lane_camera c = {0};
    c.name = (char *)"front";
    c.role = LANE_ROLE_FRONT;
    c.tripwire = (lane_line){0, 400, 1280, 400};
    c.roi = (lane_rect){0, 0, 1280, 720};
    return c;
}

/* A plate 100 x 30 px whose lower edge is at image row `bottom`. */
static gatecv_read plate_with_bottom(const char *text, float bottom)
{
    gatecv_read r = read_at(text, 590, 0.9f);
    for (int k = 0; k < 4; k++)
        r.quad[k].y += bottom - 430;
    return r;
}

/* One frame of a queue at the barrier, seen from the front: the leader's box (200 px high, its
 * top at row `leader`, < 0: gone) with its plate read near its lower edge when `read`, and the
 * next vehicle's box (150 px, top at `follower`, < 0: not yet in view) waiting behind. */
static camera_episode *queue_frame(camera_track *t, double s, float leader, float follower,
                                   bool read)
{
    lane_observation o = {.camera = 0, .t = s, .moving = true};
    float top = 720, bottom = 0;
    gatecv_read r = plate_with_bottom("51F44614", leader + 190);
    if (leader >= 0) {
        o.blobs[o.n_blobs++] = (lane_box){240, leader, 800, 200};
        top = fminf(top, leader), bottom = fmaxf(bottom, leader + 200);
        o.reads = &r;
        o.n_reads = read;
    }
    if (follower >= 0) {
        o.blobs[o.n_blobs++] = (lane_box){240, follower, 800, 150};
        top = fminf(top, follower), bottom = fmaxf(bottom, follower + 150);
    }
    o.x = 240, o.y = top, o.width = 800, o.height = bottom - top;
    return camera_track_observe(t, &o);
}

/* The leader drives on over the line (its box reaches it at 1.8 s) while the next vehicle of
 * the queue comes into view and moves up behind it within the same episode: the episode ends
 * with the box on the side it came from. The leader's plate, read as it went over the line,
 * makes it the leader's passage, timed when its box reached the line. Without the plate there
 * is no passage. */
static void test_plate_over_the_line_is_a_passage(void **state)
{
    (void)state;
    lane_camera cam = front_camera();
    for (int with_plate = 0; with_plate < 2; with_plate++) {
        camera_track t;
        episodes out;
        track_open(&t, &out, &cam);
        for (int i = 0; i <= 60; i++) { /* 1.0 - 3.4 s */
            double s = 1.0 + i * 0.04;
            float leader = s <= 3.0 ? 250.0f * (float)(s - 1.0) : -1;
            float follower = s < 2.2 ? -1 : fminf(100, 100.0f * (float)(s - 2.2) / 0.8f);
            keep(&out, queue_frame(&t, s, leader, follower, with_plate && i % 5 == 0));
        }
        for (int i = 1; i <= 20; i++) /* the next one waits: the gate closes */
            keep(&out, camera_track_observe(&t, &(lane_observation){.t = 3.4 + i * 0.04}));
        assert_int_equal(out.n, 1);
        camera_episode *e = out.closed[0];
        assert_int_equal(e->line.side_from, -1);
        /* road between the two for 0.8 s, but the next one stayed before the line */
        assert_int_equal(e->two_frames, 0);
        if (!with_plate) {
            assert_false(camera_episode_passed(e));
        } else {
            assert_true(camera_episode_passed(e));
            assert_int_equal(camera_episode_side_at_end(e), 1);
            assert_true(fabs(e->line.t_cross - 1.8) < 0.05);
            assert_true(e->t_last < 3.3); /* the waiting one's moving up is not its time */
        }
        track_close(&t, &out);
    }
}

/* One frame of a queue seen from the side (left to right): the vehicle ahead, 300 px long,
 * its rear at x `ahead` (< 0: gone), and the next one, 200 px, its rear at `next` (< 0: not in
 * view), as the motion gate reports them: blobs, and the box around them (with `blobs` 0, the
 * box alone, as from a gate that reports none). */
static camera_episode *side_queue_frame(camera_track *t, double s, float ahead, float next,
                                        bool blobs)
{
    lane_observation o = {.camera = 0, .t = s, .moving = true};
    float left = 1280, right = 0;
    const float starts[2] = {ahead, next}, lengths[2] = {300, 200};
    for (int k = 0; k < 2; k++)
        if (starts[k] >= 0) {
            o.blobs[o.n_blobs++] = (lane_box){starts[k], 200, lengths[k], 300};
            left = fminf(left, starts[k]), right = fmaxf(right, starts[k] + lengths[k]);
        }
    o.x = left, o.y = 200, o.width = right - left, o.height = 300;
    if (!blobs)
        o.n_blobs = 0;
    return camera_track_observe(t, &o);
}

/* At the barrier: the vehicle ahead drives over the line (its front reaches it at 2.0 s, its
 * rear clears it at 3.0 s) and out of view, while the next one comes into view behind it at
 * 2.6 s and moves up to the barrier before the line, where it stops. The episode holds both;
 * from the blobs it is the passage of the vehicle ahead, timed by it. From the box alone it
 * ends on the side it came from: no passage. The next one, driving over the line later, is
 * the next episode's passage. */
static void test_queue_seen_from_the_side(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0.01);
    for (int blobs = 0; blobs < 2; blobs++) {
        camera_track t;
        episodes out;
        track_open(&t, &out, &cam);
        for (int i = 0; i <= 80; i++) { /* 1.0 - 4.2 s */
            double s = 1.0 + i * 0.04;
            float ahead = s <= 3.6 ? 40 + 300 * (float)(s - 1.0) : -1;
            float next = s < 2.6 ? -1 : fminf(300, 200 * (float)(s - 2.6));
            keep(&out, side_queue_frame(&t, s, ahead, next, blobs));
        }
        still(&t, &out, 4.24, 5.0); /* the next one waits: the gate closes */
        assert_int_equal(out.n, 1);
        camera_episode *e = out.closed[0];
        assert_int_equal(e->line.side_from, -1);
        assert_int_equal(camera_episode_passed(e), blobs);
        if (blobs) {
            assert_int_equal(camera_episode_side_at_end(e), 1);
            assert_true(fabs(e->line.t_cross - 2.0) < 0.05);
            assert_true(fabs(e->line.t_off - 3.0) < 0.05);
        }
        for (int i = 0; i <= 50; i++) /* the next one drives on over the line */
            keep(&out, side_queue_frame(&t, 6.0 + i * 0.04, -1, 300 + 25 * (float)i, blobs));
        still(&t, &out, 8.04, 9.0);
        assert_int_equal(out.n, 2);
        assert_true(camera_episode_passed(out.closed[1]));
        assert_true(fabs(out.closed[1]->line.t_cross - 6.24) < 0.05);
        track_close(&t, &out);
    }
}

/* The box held something over the line for seconds before the vehicle whose plate then went
 * over it (the vehicle ahead's tail, a truck that stopped and reversed), and the next one
 * before the line at the end: the plate passage's time on the line begins when the plate
 * went over (less PLATE_BOX_SLACK_S), not when the box first reached the line. */
static void test_plate_passage_timed_by_its_plate(void **state)
{
    (void)state;
    lane_camera cam = front_camera();
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    for (int i = 0; i <= 115; i++) { /* 1.0 - 5.6 s */
        double s = 1.0 + i * 0.04;
        lane_observation o = {.camera = 0, .t = s, .moving = true, .x = 240, .width = 800};
        o.y = s < 5.0 ? 100 : 50;
        o.height = s < 1.2 ? 200 : s < 5.0 ? 400 : 200; /* over the line from 1.2 s to 5 s */
        gatecv_read r = plate_with_bottom("51F44614", 300 + 100 * (float)(s - 3.0));
        o.reads = &r;
        o.n_reads = s >= 3.0 && s < 5.0 && i % 5 == 0; /* on the line at 4 s */
        keep(&out, camera_track_observe(&t, &o));
    }
    for (int i = 1; i <= 20; i++)
        keep(&out, camera_track_observe(&t, &(lane_observation){.t = 5.6 + i * 0.04}));
    assert_int_equal(out.n, 1);
    camera_episode *e = out.closed[0];
    assert_true(camera_episode_passed(e));
    assert_int_equal(camera_episode_side_at_end(e), 1);
    assert_true(fabs(e->line.t_cross - 3.5) < 0.05);
    assert_true(e->line.t_touch == e->line.t_cross && e->line.t_touch <= e->line.t_off);
    track_close(&t, &out);
}

/* An ended camera closes its open episode and is watching no more after its end. */
static void test_end_closes_and_stops_watching(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    assert_false(camera_track_watching(&t, 0, 100)); /* nothing seen yet */
    slide(&t, &out, 1.0, 3.0, 0, 1000, 200);
    keep(&out, camera_track_end(&t, 3.5));
    assert_int_equal(out.n, 1);
    assert_true(camera_episode_passed(out.closed[0]));
    assert_true(t.done);
    assert_true(fabs(t.done_t - 3.5) < 1e-9);
    assert_true(camera_track_watching(&t, 2, 4));
    assert_false(camera_track_watching(&t, 4, 6));
    assert_false(camera_track_watching(&t, -2, 0.5)); /* before its first frame */
    track_close(&t, &out);
}

/* A live camera that goes down closes its open episode and holds nothing back meanwhile (it
 * is done, like an ended one); when it is up again it watches and makes passages as before.
 * Its outages are kept: a vehicle in view then can say the camera was down. */
static void test_down_and_up_again(void **state)
{
    (void)state;
    lane_camera cam = side_camera(0);
    camera_track t;
    episodes out;
    track_open(&t, &out, &cam);
    slide(&t, &out, 1.0, 3.0, 0, 1000, 200);
    keep(&out, camera_track_down(&t, 3.0));
    assert_int_equal(out.n, 1); /* the vehicle it saw go over before the drop */
    assert_true(t.done && t.down);
    assert_null(camera_track_down(&t, 3.5)); /* already down: nothing new */
    assert_true(camera_track_down_during(&t, 5, 6)); /* still down: to the end of time */
    assert_false(camera_track_watching(&t, 5, 6));
    camera_track_up(&t, 10.0);
    assert_false(t.done || t.down);
    assert_true(camera_track_down_during(&t, 2.5, 3.5));
    assert_true(camera_track_down_during(&t, 9, 12));
    assert_false(camera_track_down_during(&t, 0, 2.9));
    assert_false(camera_track_down_during(&t, 10.1, 20));
    slide(&t, &out, 11.0, 13.0, 0, 1000, 200);
    still(&t, &out, 13.04, 14.0);
    assert_int_equal(out.n, 2);
    assert_true(camera_episode_passed(out.closed[1]));
    assert_true(camera_track_watching(&t, 11, 13));
    camera_track_up(&t, 15.0); /* not down: nothing changes */
    assert_false(camera_track_down_during(&t, 14, 16));
    track_close(&t, &out); /* frees the outages (ASan) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passage_over_the_line),
        cmocka_unit_test(test_back_out_is_no_passage),
        cmocka_unit_test(test_short_gap_is_bridged),
        cmocka_unit_test(test_in_where_the_last_went_out),
        cmocka_unit_test(test_first_seen_over_the_line),
        cmocka_unit_test(test_length_of_a_passage),
        cmocka_unit_test(test_two_vehicle_frames),
        cmocka_unit_test(test_two_vehicle_gap_in_metres),
        cmocka_unit_test(test_texts_voted_and_timed),
        cmocka_unit_test(test_plate_over_the_line_is_a_passage),
        cmocka_unit_test(test_plate_passage_timed_by_its_plate),
        cmocka_unit_test(test_queue_seen_from_the_side),
        cmocka_unit_test(test_end_closes_and_stops_watching),
        cmocka_unit_test(test_down_and_up_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
