/*
 * test_lane_fusion.c — pins lane fusion on observation sequences written by hand:
 * a tripwire passage makes one crossing with its direction; a vehicle that backs out
 * makes none; one that stops and reverses over the line counts once; passages of one
 * vehicle in several cameras join; the vote threshold, validity and disagreeing
 * cameras decide verified / needs_review; an AGV's fleet number is not a plate; passages
 * join by their time over the line; a lone passage with nothing read is noise; an episode
 * whose motion blobs showed two vehicles, or (with the camera's scale) that is longer than
 * one vehicle, is not verified; texts join the vehicle that was on the line with them; a
 * camera along the lane looking twice at one measured vehicle adds no crossing, even when its
 * first look reached the line early; a crossing waits for the plate of a vehicle coming
 * towards such a camera. With provisional revisions on, a vehicle one camera passed goes out
 * provisionally before it is settled, and its final revision has the same identity and
 * carries every text the provisional one did.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lane_fusion.h"

#define MAX_SEEN 8

typedef struct {
    int n;
    lane_crossing c[MAX_SEEN];
} seen;

static void on_crossing(const lane_crossing *c, void *user)
{
    seen *s = user;
    if (s->n < MAX_SEEN)
        s->c[s->n++] = *c; /* evidence pointers are freed after the call: not used */
}

/* Two cameras (side-left, front), tripwire pointing up the image at x = 640, so a
 * left-to-right movement is positive (VN_TO_CN). */
static lane_config *config(int votes)
{
    lane_config *c = g_new0(lane_config, 1);
    c->positive = DIR_VN_TO_CN;
    c->votes = votes;
    c->n_cameras = 2;
    const char *names[] = {"side", "front"};
    const lane_role roles[] = {LANE_ROLE_SIDE_LEFT, LANE_ROLE_FRONT};
    for (int i = 0; i < 2; i++) {
        c->cameras[i].name = (char *)names[i];
        c->cameras[i].role = roles[i];
        c->cameras[i].tripwire = (lane_line){640, 720, 640, 0};
    }
    return c;
}

#define MAX_READS 4

/* The reads of one observation, each placed where the text is: on the box, moving with it
 * (the fusion tells from where a text was when it was on the line). Filled for the
 * observation being made; lane_fusion_observe copies what it keeps. */
static gatecv_read placed[MAX_READS];

static const gatecv_read *place(const gatecv_read *reads, int n, float x, float y, float w, float h)
{
    for (int i = 0; i < n && i < MAX_READS; i++) {
        placed[i] = reads[i];
        placed[i].quad[0] = (gcv_point){x, y};
        placed[i].quad[1] = (gcv_point){x + w, y};
        placed[i].quad[2] = (gcv_point){x + w, y + h};
        placed[i].quad[3] = (gcv_point){x, y + h};
    }
    return n > 0 ? placed : NULL;
}

/* An observation of a 200x100 moving box centred at (cx, 360), or of nothing moving; its
 * reads lie on the box. */
static lane_observation obs(int cam, double t, bool moving, float cx, const gatecv_read *reads,
                            int n)
{
    lane_observation o = {.camera = cam,
                          .t = t,
                          .moving = moving,
                          .x = cx - 100,
                          .y = 310,
                          .width = 200,
                          .height = 100,
                          .reads = place(reads, n, cx - 100, 310, 200, 100),
                          .n_reads = n};
    return o;
}

static gatecv_read plate(const char *text, bool valid)
{
    gatecv_read r = {0};
    r.kind = READ_PLATE;
    r.country = PLATE_VN;
    g_strlcpy(r.text, text, sizeof r.text);
    r.valid = valid;
    r.confidence = 0.9f;
    return r;
}

static gatecv_read code(const char *text)
{
    gatecv_read r = {0};
    r.kind = READ_CONTAINER;
    g_strlcpy(r.text, text, sizeof r.text);
    r.valid = true;
    r.confidence = 0.9f;
    return r;
}

/* How the frames below reach the fusion: lane_fusion_observe (their reads are in), or
 * lane_fusion_look (as the camera took them, before their reads). */
typedef void (*feed_fn)(lane_fusion *f, const lane_observation *o);

/* The camera sees nothing move from t0 to t1 (25 fps). */
static void quiet_to(feed_fn feed, lane_fusion *f, int cam, double t0, double t1)
{
    for (double t = t0; t <= t1 + 1e-9; t += 0.04) {
        lane_observation still = obs(cam, t, false, 0, NULL, 0);
        feed(f, &still);
    }
}

/* The camera sees motion from t0 to t1 moving its centre from x0 to x1 (25 fps), with
 * `read` in the frames of [r0, r1), then nothing for 0.8 s: the episode closes. */
static void drive_to(feed_fn feed, lane_fusion *f, int cam, double t0, double t1, float x0,
                     float x1, const gatecv_read *read, double r0, double r1)
{
    for (double t = t0; t <= t1 + 1e-9; t += 0.04) {
        float x = x0 + (x1 - x0) * (float)((t - t0) / (t1 - t0));
        bool with = read && t >= r0 && t < r1;
        lane_observation o = obs(cam, t, true, x, with ? read : NULL, with ? 1 : 0);
        feed(f, &o);
    }
    quiet_to(feed, f, cam, t1 + 0.04, t1 + 0.84);
}

static void quiet(lane_fusion *f, int cam, double t0, double t1)
{
    quiet_to(lane_fusion_observe, f, cam, t0, t1);
}

static void drive(lane_fusion *f, int cam, double t0, double t1, float x0, float x1,
                  const gatecv_read *read, double r0, double r1)
{
    drive_to(lane_fusion_observe, f, cam, t0, t1, x0, x1, read, r0, r1);
}

/* One vehicle passing the side camera left to right: one verified VN_TO_CN crossing,
 * timed when its leading edge reaches the tripwire. */
static void test_one_passage(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read p = plate("51F44614", true);
    drive(f, 0, 1.0, 5.0, 100, 1200, &p, 2.0, 2.2); /* 5 frames read it */
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].direction, DIR_VN_TO_CN);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_int_equal(s.c[0].plates[0].frames, 5);
    assert_string_equal(s.c[0].status, "verified");
    /* the box's leading edge (centre + 100) reaches x = 640 at t = 1 + 4 * 440 / 1100 */
    assert_true(s.c[0].t_cross > 2.55 && s.c[0].t_cross < 2.65);
    lane_fusion_free(f);
    g_free(c);
}

/* Right to left is the other direction. */
static void test_negative_direction(void **state)
{
    (void)state;
    lane_config *c = config(1);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read p = plate("51F44614", true);
    drive(f, 0, 1.0, 5.0, 1200, 100, &p, 2.0, 2.1);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].direction, DIR_CN_TO_VN);
    lane_fusion_free(f);
    g_free(c);
}

/* A vehicle that drives in and backs out without crossing makes no crossing; one that
 * crosses, backs over the line and crosses again makes exactly one. */
static void test_back_out_and_reverse(void **state)
{
    (void)state;
    lane_config *c = config(1);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    for (double t = 0; t <= 4.0; t += 0.04) { /* in to x=500 and back out */
        float x = t < 2 ? 100 + 200 * (float)t : 500 - 200 * (float)(t - 2);
        lane_observation o = obs(0, t, true, x, NULL, 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 4.1, 5.0);
    assert_int_equal(s.n, 0);
    for (double t = 10; t <= 16.0; t += 0.04) { /* over, back over, over again */
        float x = t < 12   ? 400 + 200 * (float)(t - 10)
                  : t < 13 ? 800 - 300 * (float)(t - 12)
                           : 500 + 300 * (float)(t - 13);
        lane_observation o = obs(0, t, true, x, NULL, 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 16.1, 17.0);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].direction, DIR_VN_TO_CN);
    lane_fusion_free(f);
    g_free(c);
}

static bool has_reason(const lane_crossing *c, const char *prefix);

/* Passages of one vehicle in two cameras join into one crossing with both reads;
 * a second vehicle later makes a second crossing, which only the front camera saw: it is
 * not verified. */
static void test_cameras_join(void **state)
{
    (void)state;
    lane_config *c = config(2);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read front = plate("51F44614", true), box = code("MSKU1234565");
    drive(f, 1, 1.0, 4.0, 200, 1000, &front, 1.5, 1.7);
    drive(f, 0, 1.5, 5.0, 100, 1200, &box, 3.0, 3.3);
    gatecv_read second = plate("29A12345", true);
    drive(f, 1, 20.0, 23.0, 200, 1000, &second, 20.5, 20.7);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_int_equal(s.c[0].n_containers, 1);
    assert_string_equal(s.c[0].containers[0].read.text, "MSKU1234565");
    assert_string_equal(s.c[0].vehicle_kind, "truck");
    assert_string_equal(s.c[0].status, "verified");
    assert_string_equal(s.c[1].plates[0].read.text, "29A12345");
    /* the side camera was watching and saw no second vehicle: not verified on the front's
     * word alone */
    assert_string_equal(s.c[1].status, "needs_review");
    assert_true(has_reason(&s.c[1], "camera_saw_no_passage:side"));
    lane_fusion_free(f);
    g_free(c);
}

static bool has_reason(const lane_crossing *c, const char *prefix)
{
    for (int i = 0; i < c->n_reasons; i++)
        if (g_str_has_prefix(c->reasons[i], prefix))
            return true;
    return false;
}

/* Too few agreeing frames, an invalid plate, no plate at all, or two near-identical
 * container codes: needs_review with the reason named. */
static void test_needs_review_reasons(void **state)
{
    (void)state;
    lane_config *c = config(3);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read once = plate("51F44614", true);
    drive(f, 0, 1.0, 3.0, 100, 1200, &once, 1.5, 1.54); /* one frame */
    gatecv_read bad = plate("51F4461", false);
    drive(f, 0, 10.0, 12.0, 100, 1200, &bad, 10.5, 10.8);
    gatecv_read a = code("MSKU1234565"), b = code("MSKU1234566");
    drive(f, 0, 20.0, 22.0, 100, 1200, &a, 20.2, 20.4);
    drive(f, 0, 30.0, 32.0, 100, 1200, &b, 30.2, 30.4);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.c[0].status, "needs_review");
    assert_true(has_reason(&s.c[0], "plate_votes_below_threshold:side"));
    assert_true(has_reason(&s.c[1], "plate_not_valid:side"));
    assert_true(has_reason(&s.c[2], "no_plate_read"));
    lane_fusion_free(f);

    /* the two codes seen in one crossing by two cameras */
    lane_config *c2 = config(1);
    seen s2 = {0};
    f = lane_fusion_new(c2, 2.0, on_crossing, &s2);
    gatecv_read p = plate("51F44614", true);
    drive(f, 0, 1.0, 3.0, 100, 1200, &a, 1.5, 1.6);
    drive(f, 1, 1.2, 3.2, 100, 1200, &b, 1.5, 1.6);
    (void)p;
    lane_fusion_finish(f);
    assert_int_equal(s2.n, 1);
    assert_true(has_reason(&s2.c[0], "cameras_disagree_on_container:"));
    assert_string_equal(s2.c[0].status, "needs_review");
    lane_fusion_free(f);
    g_free(c);
    g_free(c2);
}

/* A camera reading two different valid plates with enough frames disagrees with
 * itself; an AGV's fleet number marks the vehicle and is not a plate. */
static void test_disagreement_and_agv(void **state)
{
    (void)state;
    lane_config *c = config(1);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read p1 = plate("51F44614", true), p2 = plate("51F44615", true);
    for (double t = 1.0; t <= 3.0; t += 0.04) { /* p1 in 5 frames, then p2 in 3 */
        const gatecv_read *r = t >= 1.2 && t < 1.4 ? &p1 : t >= 1.5 && t < 1.6 ? &p2 : NULL;
        lane_observation o = obs(0, t, true, 100 + 550 * (float)(t - 1.0), r, r ? 1 : 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 3.1, 4.0);
    gatecv_read fleet = plate("AGV07", false), agv_plate = plate("29A12345", true);
    fleet.country = PLATE_GENERIC;
    drive(f, 0, 10.0, 12.0, 100, 1200, &fleet, 10.2, 10.4);
    drive(f, 0, 12.2, 12.3, 1200, 1190, &agv_plate, 0, 0); /* no crossing: ignored */
    lane_fusion_finish(f);
    assert_true(s.n >= 2);
    assert_true(has_reason(&s.c[0], "camera_disagrees:side"));
    assert_int_equal(s.c[0].n_plates, 2); /* both listed, the one with more frames first */
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_string_equal(s.c[0].plates[1].read.text, "51F44615");
    assert_string_equal(s.c[1].vehicle_kind, "agv");
    assert_int_equal(s.c[1].n_plates, 0);
    lane_fusion_free(f);

    c->votes = 2; /* a fleet number read once (far off, maybe the next vehicle's) is not enough */
    seen s2 = {0};
    f = lane_fusion_new(c, 2.0, on_crossing, &s2);
    drive(f, 0, 10.0, 12.0, 100, 1200, &fleet, 10.18, 10.22);
    lane_fusion_finish(f);
    assert_int_equal(s2.n, 1);
    assert_string_not_equal(s2.c[0].vehicle_kind, "agv");
    lane_fusion_free(f);
    g_free(c);
}

/* Two vehicles close behind each other: the front camera passes them one by one, but the
 * side camera's gate stays open for both. Its one episode carries both vehicles' reads, so
 * the crossing it joins is not verified. */
static void test_merged_episode_not_verified(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read p1 = plate("51F44614", true), p2 = plate("29A12345", true);
    gatecv_read a = code("MSKU1234565"), b = code("CSQU3054383");
    drive(f, 1, 3.0, 6.0, 200, 1000, &p1, 3.5, 3.7);
    drive(f, 1, 7.0, 10.0, 200, 1000, &p2, 7.5, 7.7);
    for (double t = 3.0; t <= 11.0; t += 0.04) { /* one long box sliding over the line */
        const gatecv_read *r = t >= 5.0 && t < 5.2 ? &a : t >= 8.0 && t < 8.2 ? &b : NULL;
        lane_observation o = obs(0, t, true, 100 + 140 * (float)(t - 3.0), r, r ? 1 : 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 11.1, 12.0);
    lane_fusion_finish(f);
    int merged = 0, verified_with_code = 0;
    for (int i = 0; i < s.n; i++) {
        merged += has_reason(&s.c[i], "camera_saw_two_vehicles:side");
        verified_with_code += strcmp(s.c[i].status, "verified") == 0 && s.c[i].n_containers > 0;
    }
    assert_int_equal(merged, 1);
    assert_int_equal(verified_with_code, 0);
    lane_fusion_free(f);
    g_free(c);
}

/* The camera sees a box `width` wide whose left edge slides from x0 to x1 between t0
 * and t1, then nothing for 0.8 s; `read` is in the frames of [r0, r1). */
static void slide(lane_fusion *f, int cam, double t0, double t1, float x0, float x1, float width,
                  const gatecv_read *read, double r0, double r1)
{
    for (double t = t0; t <= t1 + 1e-9; t += 0.04) {
        float x = x0 + (x1 - x0) * (float)((t - t0) / (t1 - t0));
        bool with = read && t >= r0 && t < r1;
        lane_observation o = {.camera = cam,
                              .t = t,
                              .moving = true,
                              .x = x,
                              .y = 310,
                              .width = width,
                              .height = 100,
                              .reads = place(read, with, x, 310, width, 100),
                              .n_reads = with};
        lane_fusion_observe(f, &o);
    }
    quiet(f, cam, t1 + 0.04, t1 + 0.84);
}

/* A long vehicle: the front camera sees its front reach the line at 1 s, the side camera
 * sees its length over the line from 3.5 s to 7 s. Their leading-edge times are further
 * apart than join_window, but both saw it while it was on the line: one crossing. */
static void test_join_by_time_over_line(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read p = plate("51F44614", true), box = code("MSKU1234565");
    /* front: a 600-wide box whose right edge reaches x = 640 at 1 s and whose left edge
     * passes it at 6.6 s (it leaves the view on the far side at 7 s) */
    slide(f, 1, 0.0, 7.0, -60, 700, 600, &p, 0.5, 0.7);
    /* side: a 1000-wide box, on the line from 3.5 s to 7 s */
    slide(f, 0, 3.0, 7.5, -460, 800, 1000, &box, 5.0, 5.2);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_int_equal(s.c[0].n_containers, 1);
    assert_string_equal(s.c[0].status, "verified");
    /* the side camera's leading edge dates the crossing */
    assert_true(s.c[0].t_cross > 3.3 && s.c[0].t_cross < 3.7);
    lane_fusion_free(f);
    g_free(c);
}

/* Of two watching cameras, one makes a passage the other never sees and nothing is read
 * in it (a sweep of headlight glare): not a crossing. The same passage with a read in `votes`
 * frames, or a passage of the only camera there is, is one. */
static void test_lone_passage_without_reads(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    for (double t = 0; t <= 20.0; t += 0.04) { /* the front camera watches, nothing moves */
        lane_observation o = obs(1, t, false, 0, NULL, 0);
        lane_fusion_observe(f, &o);
    }
    drive(f, 0, 1.0, 4.0, 100, 1200, NULL, 0, 0);
    gatecv_read p = plate("51F44614", true);
    drive(f, 0, 10.0, 13.0, 100, 1200, &p, 11.0, 11.2);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    lane_fusion_free(f);

    c->n_cameras = 1; /* alone, a camera's passage is a crossing even with nothing read */
    seen s1 = {0};
    f = lane_fusion_new(c, 2.0, on_crossing, &s1);
    drive(f, 0, 1.0, 4.0, 100, 1200, NULL, 0, 0);
    lane_fusion_finish(f);
    assert_int_equal(s1.n, 1);
    assert_true(has_reason(&s1.c[0], "no_plate_read"));
    lane_fusion_free(f);

    c->n_cameras = 2; /* a read in fewer than `votes` frames is no more than a misread */
    c->votes = 2;
    seen s2 = {0};
    f = lane_fusion_new(c, 2.0, on_crossing, &s2);
    for (double t = 0; t <= 30.0; t += 0.04) {
        lane_observation o = obs(1, t, false, 0, NULL, 0);
        lane_fusion_observe(f, &o);
    }
    drive(f, 0, 10.0, 13.0, 100, 1200, &p, 10.98, 11.02); /* one frame */
    drive(f, 0, 20.0, 23.0, 100, 1200, &p, 20.98, 21.06); /* two */
    lane_fusion_finish(f);
    assert_int_equal(s2.n, 1);
    assert_true(s2.c[0].t_cross > 20.0);
    lane_fusion_free(f);
    g_free(c);
}

/* The event goes out as soon as every camera that saw the vehicle has closed its passage:
 * not a join window later, and not while a camera that has not joined still has an
 * episode open that began in time to join. */
static void test_decided_when_cameras_closed(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 3.0, on_crossing, &s);
    gatecv_read p = plate("51F44614", true), box = code("MSKU1234565");
    drive(f, 1, 1.0, 4.0, 200, 1000, &p, 1.5, 1.7); /* closes at 4.64 s */
    assert_int_equal(s.n, 0); /* the side camera has not been heard since 0 s */
    drive(f, 0, 1.2, 4.2, 100, 1200, &box, 3.0, 3.3); /* closes at 4.84 s, seen till 5.04 s */
    assert_int_equal(s.n, 1); /* both closed: out by 5.04 s, not after 4.2 + 3 s */
    assert_int_equal(s.c[0].n_plates, 1);
    assert_int_equal(s.c[0].n_containers, 1);
    lane_fusion_free(f);
    g_free(c);
}

/* A live camera that goes down holds nothing back: the vehicle the front camera passes
 * meanwhile goes out as soon as the front closed its passage (not when the side camera is back),
 * with what the front read, naming the side camera (camera_down:side, needs_review) rather than
 * blaming its view (no camera_saw_no_passage). A vehicle wholly before the drop is not named;
 * once the side camera is up again it is waited for as before. */
static void test_camera_down_holds_nothing_back(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    gatecv_read first = plate("51F44614", true), second = plate("29A12345", true);
    drive(f, 1, 1.0, 4.0, 200, 1000, &first, 1.5, 1.7);
    drive(f, 0, 1.2, 4.2, 100, 1200, NULL, 0, 0);
    quiet(f, 0, 5.08, 8.0);
    lane_fusion_camera_state(f, 0, 8.0, false); /* side lost after its frame at 8 s */
    assert_int_equal(s.n, 1);
    assert_false(has_reason(&s.c[0], "camera_down:"));
    drive(f, 1, 10.0, 13.0, 200, 1000, &second, 10.5, 10.7); /* closes at 13.64 s */
    assert_int_equal(s.n, 2); /* out without the side camera */
    assert_string_equal(s.c[1].plates[0].read.text, "29A12345");
    assert_string_equal(s.c[1].status, "needs_review");
    assert_true(has_reason(&s.c[1], "camera_down:side"));
    assert_false(has_reason(&s.c[1], "camera_saw_no_passage:side"));
    lane_fusion_camera_state(f, 0, 20.0, true); /* back: its frames are waited for again */
    quiet(f, 0, 20.0, 21.0);
    gatecv_read third = plate("30B54321", true);
    drive(f, 1, 22.0, 25.0, 200, 1000, &third, 22.5, 22.7);
    assert_int_equal(s.n, 2); /* the side camera has been heard only till 21 s */
    quiet(f, 0, 21.04, 29.0);
    assert_int_equal(s.n, 3);
    assert_false(has_reason(&s.c[2], "camera_down:"));
    assert_true(has_reason(&s.c[2], "camera_saw_no_passage:side"));
    lane_fusion_free(f);
    g_free(c);
}

/* The next vehicle coming into the front view, still short of the line, does not hold back
 * the crossing of the one before: it goes out once both cameras closed their passages.
 * The next one already on the line in that view does hold it (it might still join). */
static void test_next_vehicle_does_not_hold(void **state)
{
    (void)state;
    for (int on_line = 0; on_line <= 1; on_line++) {
        lane_config *c = config(1);
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true);
        for (double t = 1.0; t <= 5.5 + 1e-9; t += 0.04) {
            float x = 200 + 800 * (float)((t - 1.0) / 3.0); /* the first vehicle, till 4 s */
            bool side_moving = t <= 4.0, front_moving = t <= 3.0 || t >= 3.8;
            lane_observation side = obs(0, t, side_moving, side_moving ? x : 0, &p, t < 1.2);
            lane_fusion_observe(f, &side);
            /* front: the first vehicle till 3 s (closed at 3.6 s), the next from 3.8 s */
            float fx = t <= 3.0 ? 200 + 800 * (float)((t - 1.0) / 3.0) : on_line ? 640 : 300;
            lane_observation front = obs(1, t, front_moving, front_moving ? fx : 0, NULL, 0);
            lane_fusion_observe(f, &front);
        }
        /* the side camera closed its passage at 4.6 s; the next vehicle still moves in front */
        assert_int_equal(s.n, on_line ? 0 : 1);
        lane_fusion_finish(f);
        lane_fusion_free(f);
        g_free(c);
    }
}

/* Two trucks close behind each other in one side camera's single episode: its motion blobs
 * show two vehicle-sized regions with road between them (300 px apart along the lane), both
 * over the line or past it, for 0.9 s, and the crossing is left for review, not verified on
 * that episode's reads. Two
 * blobs that nearly touch along the lane (a cab and its trailer) are one vehicle: verified. */
static void test_two_vehicles_in_one_episode(void **state)
{
    (void)state;
    for (int apart = 0; apart <= 1; apart++) {
        lane_config *c = config(1);
        c->n_cameras = 1;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true);
        for (double t = 1.0; t <= 4.0 + 1e-9; t += 0.04) {
            /* the second region is over the line (x = 640) from 3.1 s */
            float x = 200 + 1200 * (float)((t - 1.0) / 3.0);
            lane_observation o = obs(0, t, true, x, t < 1.2 ? &p : NULL, t < 1.2);
            float gap = apart ? 300 : 40; /* the second region, behind the first */
            o.y = 160, o.height = 400;    /* trucks: most of the lane's height in view */
            o.n_blobs = 2;
            o.blobs[0] = (lane_box){o.x, o.y, o.width, o.height};
            o.blobs[1] = (lane_box){o.x - gap - 200, o.y, 200, o.height};
            o.x -= gap + 200, o.width += gap + 200;
            lane_fusion_observe(f, &o);
        }
        quiet(f, 0, 4.04, 5.0);
        lane_fusion_finish(f);
        assert_int_equal(s.n, 1);
        assert_string_equal(s.c[0].status, apart ? "needs_review" : "verified");
        if (apart)
            assert_string_equal(s.c[0].reasons[0], "camera_saw_two_vehicles:side");
        lane_fusion_free(f);
        g_free(c);
    }
}

/* At night a dark container passes a side camera unseen between its bright cab and its
 * rear: the cab crosses the line, the gate closes for 0.3 s, then the rear part appears
 * on the near side and crosses too. Within the episode gap that is one passage, one
 * crossing; after a longer pause it is a second vehicle. */
static void test_short_gap_one_episode(void **state)
{
    (void)state;
    for (int longer = 0; longer <= 1; longer++) {
        lane_config *c = config(1);
        c->n_cameras = 1;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
        gatecv_read p = plate("51F44614", true);
        double resume = longer ? 4.5 : 3.3;
        for (double t = 1.0; t <= resume + 2.0; t += 0.04) {
            bool cab = t < 3.0, rear = t >= resume;
            float x = cab ? 100 + 500 * (float)(t - 1.0) : 100 + 500 * (float)(t - resume);
            lane_observation o = obs(0, t, cab || rear, cab || rear ? x : 0, cab ? &p : NULL, cab);
            lane_fusion_observe(f, &o);
        }
        quiet(f, 0, resume + 2.04, resume + 3.0);
        lane_fusion_finish(f);
        assert_int_equal(s.n, longer ? 2 : 1);
        assert_int_equal(s.c[0].direction, DIR_VN_TO_CN);
        lane_fusion_free(f);
        g_free(c);
    }
}

/* A side camera at night sees only the lit front (300 px) and rear (200 px) of each of
 * `n` vehicles 1600 px long, `gap` px apart, passing left to right at 500 px/s through a
 * view 1280 px wide: the box around the lit parts in view. Something lit is always in view,
 * so back-to-back vehicles are one episode, whose box leaves the line between them. False
 * when nothing is in view. */
static bool night_box(double t, int n, float gap, float *lo, float *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (int v = 0; v < n; v++) {
        float front = 500 * (float)t - (float)v * (1600 + gap);
        const float parts[2][2] = {{front - 300, front}, {front - 1600, front - 1400}};
        for (int i = 0; i < 2; i++) {
            float a = fmaxf(parts[i][0], 0), b = fminf(parts[i][1], 1280);
            if (a < b)
                *lo = fminf(*lo, a), *hi = fmaxf(*hi, b);
        }
    }
    return *lo < *hi;
}

/* The side camera sees night_box from 0 to 12 s, `read` in the frames before 1 s. */
static void night_vehicles(lane_fusion *f, int n, float gap, const gatecv_read *read)
{
    for (double t = 0; t <= 12.0 + 1e-9; t += 0.04) {
        float lo, hi;
        bool moving = night_box(t, n, gap, &lo, &hi), with = t < 1.0;
        lane_observation o = obs(0, t, moving, 0, with ? read : NULL, with);
        o.x = moving ? lo : 0;
        o.width = moving ? hi - lo : 0;
        lane_fusion_observe(f, &o);
    }
}

/* With metres_per_pixel (1 cm here) the fusion measures a passage: speed of the box's edges
 * times its time on the line. One 16 m vehicle is verified; two back-to-back at night
 * measure 35 m, over max_vehicle_m, and are left for review. Without the scale there is
 * no measurement, and the pair — one vehicle to this camera — is verified: the key is
 * what turns the check on. */
static void test_passage_longer_than_a_vehicle(void **state)
{
    (void)state;
    const struct {
        int vehicles;
        double metres_per_pixel;
        const char *status;
    } cases[] = {{1, 0.01, "verified"}, {2, 0.01, "needs_review"}, {2, 0, "verified"}};
    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        lane_config *c = config(1);
        c->n_cameras = 1;
        c->max_vehicle_m = 30;
        c->cameras[0].roi = (lane_rect){0, 0, 1280, 720};
        c->cameras[0].metres_per_pixel = cases[k].metres_per_pixel;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true);
        night_vehicles(f, cases[k].vehicles, 300, &p);
        lane_fusion_finish(f);
        assert_int_equal(s.n, 1);
        assert_string_equal(s.c[0].status, cases[k].status);
        if (strcmp(cases[k].status, "needs_review") == 0)
            assert_true(has_reason(&s.c[0], "passage_longer_than_a_vehicle:side"));
        lane_fusion_free(f);
        g_free(c);
    }
}

/* Two trucks close behind each other at night, one passage of the side camera (measured 35 m,
 * over max_vehicle_m), and no plate read for the second: the first's plate and the second's
 * code, 4.1 s apart on the line, make two crossings, split between them, each for review. The
 * same reads with one truck measured (16 m) are one crossing. */
static void test_overlong_passage_split_by_its_reads(void **state)
{
    (void)state;
    for (int vehicles = 1; vehicles <= 2; vehicles++) {
        lane_config *c = config(1);
        c->n_cameras = 1;
        c->max_vehicle_m = 30;
        c->cameras[0].roi = (lane_rect){0, 0, 1280, 720};
        c->cameras[0].metres_per_pixel = 0.01;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true), box = code("MSKU1234565");
        for (double t = 0; t <= 12.0 + 1e-9; t += 0.04) {
            float lo, hi;
            bool moving = night_box(t, vehicles, 300, &lo, &hi);
            /* lit cab and lit rear, 1600 px long, 300 px apart; the plate on the first's
             * front, over the line at 1.4 s; the code on the second's cab, over it at 5.5 s */
            float text_x = t < 2.0 ? 500 * (float)t - 60 : 500 * (float)t - 1900 - 200;
            const gatecv_read *r = (t >= 1.0 && t < 1.6) ? &p : (t >= 4.8 && t < 5.4) ? &box : NULL;
            lane_observation o = {.camera = 0, .t = t, .moving = moving, .y = 310, .height = 100};
            o.x = moving ? lo : 0;
            o.width = moving ? hi - lo : 0;
            o.reads = r ? place(r, 1, text_x, 330, 60, 20) : NULL;
            o.n_reads = r != NULL;
            lane_fusion_observe(f, &o);
        }
        lane_fusion_finish(f);
        assert_int_equal(s.n, vehicles);
        assert_int_equal(s.c[0].n_plates, 1);
        assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
        assert_int_equal(s.c[vehicles - 1].n_containers, 1);
        assert_string_equal(s.c[vehicles - 1].containers[0].read.text, "MSKU1234565");
        if (vehicles == 2) {
            assert_int_equal(s.c[0].n_containers, 0);
            assert_int_equal(s.c[1].n_plates, 0);
            assert_true(has_reason(&s.c[0], "split_from_one_passage"));
            assert_true(has_reason(&s.c[1], "passage_longer_than_a_vehicle:side"));
        } else {
            assert_string_equal(s.c[0].status, "verified");
        }
        lane_fusion_free(f);
        g_free(c);
    }
}

/* A read of `text` whose box (60x20) moves from (x0, y0) to (x1, y1) between t0 and t1. */
static gatecv_read moving_read(gatecv_read r, double t, double t0, double t1, float x0, float y0,
                               float x1, float y1)
{
    float k = (float)((t - t0) / (t1 - t0)), x = x0 + (x1 - x0) * k, y = y0 + (y1 - y0) * k;
    r.quad[0] = (gcv_point){x, y};
    r.quad[1] = (gcv_point){x + 60, y};
    r.quad[2] = (gcv_point){x + 60, y + 20};
    r.quad[3] = (gcv_point){x, y + 20};
    return r;
}

/* The front camera (tripwire across the image at y = 400: moving down the image is the
 * positive direction, towards the camera) sees motion from t0 to t1 — two vehicles one
 * behind the other — and reads each plate as it comes down over the line: `a` on the line at
 * ta, `b` at tb. Its episode covers the whole ROI and never leaves the line (no passage), or
 * with `passes` is a box that comes down over the line: one passage for both. */
static void front_sees_both(lane_fusion *f, double t0, double t1, const char *a, double ta,
                            const char *b, double tb, bool passes)
{
    gatecv_read pa = plate(a, true), pb = plate(b, true);
    for (double t = t0; t <= t1 + 1e-9; t += 0.04) {
        gatecv_read reads[2];
        int n = 0;
        if (fabs(t - ta) <= 0.5)
            reads[n++] = moving_read(pa, t, ta - 0.5, ta + 0.5, 600, 280, 600, 500);
        if (fabs(t - tb) <= 0.5)
            reads[n++] = moving_read(pb, t, tb - 0.5, tb + 0.5, 600, 280, 600, 500);
        float y = 100 + 400 * (float)((t - t0) / (t1 - t0)); /* 100-300 down to 500-700 */
        lane_observation o = {.camera = 1,
                              .t = t,
                              .moving = true,
                              .x = 0,
                              .y = passes ? y : 0,
                              .width = 1280,
                              .height = passes ? 200 : 720,
                              .reads = reads,
                              .n_reads = n};
        lane_fusion_observe(f, &o);
    }
    quiet(f, 1, t1 + 0.04, t1 + 0.84);
}

/* The side camera (its view 1280x720; its scale, metres_per_pixel, 0 for none) and a front
 * camera whose tripwire lies across its image at y = 400. */
static lane_config *side_and_front(double metres_per_pixel)
{
    lane_config *c = config(1);
    c->max_vehicle_m = 28;
    c->cameras[0].roi = (lane_rect){0, 0, 1280, 720};
    c->cameras[0].metres_per_pixel = metres_per_pixel;
    c->cameras[1].tripwire = (lane_line){0, 400, 1280, 400};
    return c;
}

/* Each text goes to the vehicle that was on the line when the text was: the front camera
 * saw two vehicles in one episode (a passage, or none: its box stayed on the line throughout,
 * and two plates going over it tell no one vehicle's passage), but its two plates crossed the
 * line while the side camera had the first, then the second vehicle on it. The front camera's
 * missing passage, or its passage holding two of the side camera's, keeps them from being
 * verified — unless the side camera measured one vehicle on the line each time (its
 * metres_per_pixel given). */
static void test_texts_join_the_vehicle_on_the_line(void **state)
{
    (void)state;
    for (int passes = 0; passes <= 1; passes++)
        for (int scale = 0; scale <= 1; scale++) {
            lane_config *c = side_and_front(scale ? 0.01 : 0);
            seen s = {0};
            lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
            slide(f, 0, 0.0, 3.0, 200, 900, 300, NULL, 0, 0); /* on the line 0.6-1.9 s */
            slide(f, 0, 4.5, 7.5, 200, 900, 300, NULL, 0, 0); /* on the line 5.1-6.4 s */
            front_sees_both(f, 0.0, 8.0, "51F44614", 1.5, "29C12345", 6.0, passes);
            lane_fusion_finish(f);
            assert_int_equal(s.n, 2);
            const char *plates[2] = {"51F44614", "29C12345"};
            for (int i = 0; i < 2; i++) {
                assert_int_equal(s.c[i].n_plates, 1);
                assert_string_equal(s.c[i].plates[0].read.text, plates[i]);
                assert_string_equal(s.c[i].status, scale ? "verified" : "needs_review");
            }
            if (!scale) /* the front passage, if any, joined the second */
                assert_true(has_reason(&s.c[1], passes ? "camera_saw_two_vehicles:front"
                                                       : "camera_saw_no_passage:front"));
            lane_fusion_free(f);
            g_free(c);
        }
}

/* The side camera passes two trucks close behind each other as one long box (0-8 s), with a
 * code of each on the line at 2.0 and 5.5 s; the front camera sees both in one episode,
 * reading plate 51F44614 on the line at 1.0 s and 29C12345 at 5.0 s, and with `front_passes`
 * passes them as one. Then the fusion finishes. */
static void two_trucks_in_one_passage(lane_fusion *f, bool front_passes)
{
    gatecv_read c1 = code("MSKU1234565"), c2 = code("TGHU9876544");
    for (double t = 0.0; t <= 8.0 + 1e-9; t += 0.04) {
        gatecv_read reads[1];
        int n = 0;
        if (fabs(t - 2.0) <= 0.5)
            reads[n++] = moving_read(c1, t, 1.5, 2.5, 540, 300, 740, 300);
        if (fabs(t - 5.5) <= 0.5)
            reads[n++] = moving_read(c2, t, 5.0, 6.0, 540, 300, 740, 300);
        lane_observation o = {.camera = 0,
                              .t = t,
                              .moving = true,
                              .x = -1000 + 2200 * (float)(t / 8.0),
                              .y = 310,
                              .width = 1500,
                              .height = 100,
                              .reads = reads,
                              .n_reads = n};
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 8.04, 8.84);
    front_sees_both(f, 0.0, 8.0, "51F44614", 1.0, "29C12345", 5.0, front_passes);
    lane_fusion_finish(f);
}

/* The crossings of two_trucks_in_one_passage: two, each with its own plate and code, and
 * `status`. */
static void assert_two_trucks(const seen *s, const char *status)
{
    assert_int_equal(s->n, 2);
    const char *plates[2] = {"51F44614", "29C12345"}, *codes[2] = {"MSKU1234565", "TGHU9876544"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(s->c[i].n_plates, 1);
        assert_string_equal(s->c[i].plates[0].read.text, plates[i]);
        assert_int_equal(s->c[i].n_containers, 1);
        assert_string_equal(s->c[i].containers[0].read.text, codes[i]);
        assert_string_equal(s->c[i].status, status);
    }
}

/* Two vehicles close behind each other are one passage to the side camera, but the front
 * camera read a plate for each, 4 s apart on the line: two crossings, each with its plate
 * and the container that was on the line with it, left for review. */
static void test_split_by_plates(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    two_trucks_in_one_passage(f, false);
    assert_two_trucks(&s, "needs_review");
    for (int i = 0; i < 2; i++)
        assert_true(has_reason(&s.c[i], "split_from_one_passage"));
    assert_true(s.c[0].t_exit <= s.c[1].t_enter);
    lane_fusion_free(f);
    g_free(c);
}

/* The front camera passes one truck twice (it saw the cab, lost the truck for a moment,
 * then saw it cross again, reading its plate both times) while the side camera, which
 * measures it, had one vehicle on the line: one crossing. Without the side camera's scale the
 * second passage may be a second vehicle, and is published. */
static void test_second_look_is_not_a_crossing(void **state)
{
    (void)state;
    for (int scale = 0; scale <= 1; scale++) {
        lane_config *c = side_and_front(scale ? 0.01 : 0);
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true);
        slide(f, 0, 0.0, 6.0, -600, 1280, 600, NULL, 0, 0); /* on the line 2.0-4.0 s: 6 m */
        for (int k = 0; k < 2; k++) {                       /* two passages down over y = 400 */
            double t0 = k ? 3.0 : 1.6;
            for (double t = t0; t <= t0 + 0.6 + 1e-9; t += 0.04) {
                float y = 250 + 300 * (float)((t - t0) / 0.6);
                lane_observation o = {.camera = 1,
                                      .t = t,
                                      .moving = true,
                                      .x = 500,
                                      .y = y,
                                      .width = 300,
                                      .height = 100,
                                      .reads = place(&p, 1, 600, y + 60, 60, 20),
                                      .n_reads = 1};
                lane_fusion_observe(f, &o);
            }
            quiet(f, 1, t0 + 0.64, t0 + 1.3);
        }
        lane_fusion_finish(f);
        assert_int_equal(s.n, scale ? 1 : 2);
        assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
        lane_fusion_free(f);
        g_free(c);
    }
}

/* The side camera's observation at t of a 600-wide box whose left edge slides from -600 to
 * 1280 in 6 s (on the line 2.1-6.0 s; 12 m at 1 cm a pixel), still after that. */
static lane_observation side_truck(double t)
{
    bool moving = t <= 6.0;
    lane_observation o = {.camera = 0, .t = t, .moving = moving};
    if (moving)
        o.x = -600 + 1880 * (float)(t / 6.0), o.y = 310, o.width = 600, o.height = 100;
    return o;
}

/* The front camera's observation at t: passes down over y = 400 from starts[k] for
 * lasts[k] s, reading the plate, still in between. */
static lane_observation front_looks(double t, const double *starts, const double *lasts, int n,
                                    const gatecv_read *p)
{
    lane_observation o = {.camera = 1, .t = t};
    for (int k = 0; k < n; k++)
        if (t >= starts[k] && t <= starts[k] + lasts[k] + 1e-9) {
            float y = 250 + 300 * (float)((t - starts[k]) / lasts[k]);
            o.moving = true;
            o.x = 500, o.y = y, o.width = 300, o.height = 100;
            o.reads = place(p, 1, 600, y + 60, 60, 20);
            o.n_reads = 1;
        }
    return o;
}

/* Fed in time order, as gatecvd feeds a replay: the front camera's first look at the truck
 * closes, a passage of its own, while the side camera still has the truck on the line; it
 * reached the line a little before the side camera saw the truck there (1.92 s against
 * 2.08 s: a rear camera's view of a tall truck's roof reaches the line early) and overlaps its
 * time there. Still one crossing: the side camera measured one vehicle, and the second look
 * joined it. */
static void test_early_look_is_not_a_crossing(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0.01);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    gatecv_read p = plate("51F44614", true);
    /* on the line 1.92-2.12 s, past it until 2.4 s; then 3.52-3.92 s, past it until 4.5 s */
    const double looks[2] = {1.8, 3.3}, lasts[2] = {0.6, 1.2};
    for (double t = 0.0; t <= 7.0 + 1e-9; t += 0.04) {
        lane_observation side = side_truck(t), front = front_looks(t, looks, lasts, 2, &p);
        lane_fusion_observe(f, &side);
        lane_fusion_observe(f, &front);
    }
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    lane_fusion_free(f);
    g_free(c);
}

/* A truck comes towards the front camera: its box reaches the line early and keeps coming
 * down the view long after the side camera, which measured it, closed its passage; the plate
 * is read only at 7.5-8.3 s, when the truck is near (its reads lead back to the line at
 * 4.5 s). The crossing waits for that camera (it would otherwise go out with the container
 * code alone, and the plate make a crossing of its own). */
static void test_waits_for_a_plate_read_near_the_camera(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0.01);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    gatecv_read p = plate("51F44614", true), k = code("MSKU1234565");
    for (double t = 0.0; t <= 10.0 + 1e-9; t += 0.04) {
        lane_observation side = side_truck(t);
        if (t >= 3.0 && t < 3.5) /* the container code, on the side camera's box */
            side.reads = place(&k, 1, side.x + 200, 330, 200, 40), side.n_reads = 1;
        lane_fusion_observe(f, &side);
        lane_observation front = {.camera = 1, .t = t, .moving = t >= 1.8 && t <= 8.5};
        if (front.moving) {
            front.x = 500, front.width = 300, front.height = 100;
            front.y = 250 + 100 * (float)(t - 1.8); /* on the line 2.3-3.3 s */
            /* the plate's lower edge at 400 + 100 px/s after 4.5 s */
            if (t >= 7.5 && t < 8.3)
                front.reads = place(&p, 1, 600, 380 + 100 * (float)(t - 4.5), 60, 20),
                front.n_reads = 1;
        }
        lane_fusion_observe(f, &front);
    }
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_int_equal(s.c[0].n_containers, 1);
    lane_fusion_free(f);
    g_free(c);
}

/* A truck stops short of the line, where the front camera reads its plate (1-2 s), and
 * crosses later (the side camera's passage, 4.5-7.5 s): the event's time in view starts at the
 * first read of its plate, not at the passage. */
static void test_time_in_view_includes_the_reads(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    slide(f, 0, 4.5, 7.5, 200, 900, 300, NULL, 0, 0); /* on the line 5.1-6.4 s */
    gatecv_read p = plate("51F44614", true);
    for (double t = 0.0; t <= 2.5 + 1e-9; t += 0.04) { /* creeping up: on the line ~3.7 s */
        bool with = t >= 1.0 && t < 2.0;
        gatecv_read r = moving_read(p, t, 1.0, 2.0, 600, 300, 600, 330);
        lane_observation o = {.camera = 1,
                              .t = t,
                              .moving = true,
                              .x = 500,
                              .y = 200,
                              .width = 300,
                              .height = 150,
                              .reads = with ? &r : NULL,
                              .n_reads = with};
        lane_fusion_observe(f, &o);
    }
    quiet(f, 1, 2.54, 8.5);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_true(s.c[0].t_enter <= 1.0 + 1e-6);
    assert_true(s.c[0].t_exit >= 7.5 - 1e-6);
    lane_fusion_free(f);
    g_free(c);
}

/* The side camera's episode of a vehicle ends on the side it began (no passage), the front
 * camera's never leaves the line, but the front camera read the plate coming down over the
 * line: the vehicle is published for review, not lost. So is an AGV whose fleet number was
 * read so. A plate or fleet number read in one frame only is not enough for that. */
static void test_reads_without_passage(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        int fleet = k / 2, frames = 1 + k % 2;
        lane_config *c = side_and_front(0);
        c->votes = 2;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        drive(f, 0, 0.0, 2.0, 200, 500, NULL, 0, 0); /* comes and goes on the left */
        /* an AGV's fleet number fits no plate grammar: invalid, but a vehicle all the same */
        gatecv_read p = fleet ? plate("AGV23", false) : plate("51F44614", true);
        for (double t = 0.0; t <= 2.0 + 1e-9; t += 0.04) {
            bool with = t >= 1.0 && t < 1.0 + 0.04 * frames - 1e-9;
            gatecv_read r = moving_read(p, t, 0.0, 2.0, 600, 280, 600, 520);
            lane_observation o = {.camera = 1,
                                  .t = t,
                                  .moving = true,
                                  .x = 0,
                                  .y = 0,
                                  .width = 1280,
                                  .height = 720,
                                  .reads = with ? &r : NULL,
                                  .n_reads = with};
            lane_fusion_observe(f, &o);
        }
        quiet(f, 1, 2.04, 2.84);
        lane_fusion_finish(f);
        assert_int_equal(s.n, frames == 2 ? 1 : 0);
        if (frames == 2) {
            assert_string_equal(s.c[0].status, "needs_review");
            assert_true(has_reason(&s.c[0], "no_passage_seen"));
            assert_int_equal(s.c[0].direction, DIR_VN_TO_CN); /* it moved down: positive */
            if (fleet) {
                assert_string_equal(s.c[0].vehicle_kind, "agv");
            } else {
                assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
            }
        }
        lane_fusion_free(f);
        g_free(c);
    }
}

/* The front camera's one episode runs up its view over the line (the other way) while the side
 * camera measures one truck going its way on the line: the episode held the tail of one
 * vehicle and the next coming the other way, not a vehicle of its own. One crossing, the side
 * camera's, with the front camera's plate and its own container code. Without a measured
 * length the front camera's passage stands. */
static void test_other_way_look_is_not_a_crossing(void **state)
{
    (void)state;
    for (int scale = 0; scale <= 1; scale++) {
        lane_config *c = side_and_front(scale ? 0.01 : 0);
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
        gatecv_read p = plate("51F44614", true), box = code("MSKU1234565");
        for (double t = 0.0; t <= 7.0 + 1e-9; t += 0.04) {
            lane_observation side = side_truck(t), front = {.camera = 1, .t = t};
            if (t >= 3.0 && t < 3.4) {
                side.reads = place(&box, 1, side.x + 100, 330, 200, 40);
                side.n_reads = 1;
            }
            lane_fusion_observe(f, &side); /* before place() is called again */
            if (t >= 1.0 && t <= 5.0) {    /* up from y 550 to 150: over y = 400 at 2.9-3.4 s */
                front.moving = true;
                front.x = 500, front.y = 550 - 400 * (float)((t - 1.0) / 4.0);
                front.width = 300, front.height = 100;
                front.reads = place(&p, 1, 600, front.y + 60, 60, 20);
                front.n_reads = 1;
            }
            lane_fusion_observe(f, &front);
        }
        lane_fusion_finish(f);
        if (scale) {
            assert_int_equal(s.n, 1);
            assert_int_equal(s.c[0].direction, DIR_VN_TO_CN);
            assert_int_equal(s.c[0].n_containers, 1);
            assert_int_equal(s.c[0].n_plates, 1);
            assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
        } else { /* nothing tells the front camera's passage apart: it is published */
            assert_true(s.n >= 1);
            assert_int_equal(s.c[0].direction, DIR_CN_TO_VN);
        }
        lane_fusion_free(f);
        g_free(c);
    }
}

/* A camera that read a two-row plate whole in a few frames and only its lower line in more
 * ("626SK": the small top line lost) publishes the whole plate: the partial reads support it. */
static void test_partial_plate_reads_support_the_whole(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read whole = plate("桂J626SK", false), lower = plate("626SK", false);
    whole.country = PLATE_CN;
    lower.country = PLATE_GENERIC;
    for (double t = 1.0; t <= 5.0 + 1e-9; t += 0.04) {
        float x = 100 + 1100 * (float)((t - 1.0) / 4.0);
        int frame = (int)lround((t - 1.0) / 0.04);
        const gatecv_read *r =
            frame >= 20 && frame < 28 ? (frame % 3 == 0 ? &whole : &lower) : NULL;
        lane_observation o = obs(0, t, true, x, r, r ? 1 : 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 5.04, 6.0);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_string_equal(s.c[0].plates[0].read.text, "桂J626SK");
    lane_fusion_free(f);
    g_free(c);
}

/* A side camera whose gate first opens on a truck already over the line (at night only its
 * lit rear moves): the first box spans the line with its centre past it, then the lit rear,
 * still before the line, comes up to it and over. The truck came from before the line: one
 * crossing in its direction. First seen over the line and leaving the other way is a
 * crossing that way, as before; one that only backs away from the line is none. */
static void test_first_seen_over_the_line(void **state)
{
    (void)state;
    lane_config *c = config(1);
    c->n_cameras = 1;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    lane_observation first = {.camera = 0,
                              .t = 1.0,
                              .moving = true,
                              .x = 400,
                              .y = 310,
                              .width = 600,
                              .height = 100}; /* centre 700: past the line */
    lane_fusion_observe(f, &first);
    slide(f, 0, 1.04, 4.0, 200, 900, 200, NULL, 0, 0); /* the lit rear: 200-400 to 900-1100 */
    assert_int_equal(s.n, 1);
    assert_int_equal(s.c[0].direction, DIR_VN_TO_CN);
    /* its rear reached the line (x 640) at 1.04 + 2.96 * 240 / 700 s */
    assert_true(s.c[0].t_cross > 1.98 && s.c[0].t_cross < 2.14);

    first.t = 10.0; /* over the line, centre past it, then away the other way: CN_TO_VN */
    lane_fusion_observe(f, &first);
    slide(f, 0, 10.04, 12.0, 500, 100, 200, NULL, 0, 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.c[1].direction, DIR_CN_TO_VN);

    first.t = 20.0; /* over the line, centre before it, backing away from it: none */
    first.x = 200;
    lane_fusion_observe(f, &first);
    slide(f, 0, 20.04, 22.0, 300, 100, 200, NULL, 0, 0);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    lane_fusion_free(f);
    g_free(c);
}

/* Issue 14, ts_enter: trucks close behind each other keep the front camera's gate open from
 * 5 s, when the first came into its view, until the second has passed the line (one episode,
 * the second's passage); the side camera passes the first on the line at about 10-10.9 s and
 * the second at about 16-16.9 s. The second's event begins no earlier than the first left the
 * line (the episode was the first's until then), not at 5 s; the first keeps its own start. */
static void test_enter_bounded_by_own_passage(void **state)
{
    (void)state;
    lane_config *c = config(1);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    gatecv_read a = plate("51F44614", true), b = plate("29C12345", true);
    quiet(f, 0, 0, 7.96);
    slide(f, 0, 8.0, 12.0, -300, 1000, 300, &a, 9.0, 9.2);
    quiet(f, 0, 12.88, 13.96);
    slide(f, 0, 14.0, 18.0, -300, 1000, 300, &b, 15.0, 15.2);
    quiet(f, 1, 0, 4.96);
    for (double t = 5.0; t <= 17.5 + 1e-9; t += 0.04) { /* short of the line until 15.5 s */
        float x = t < 15.5 ? -300 + 600 * (float)((t - 5) / 10.5) : 300 + 350 * (float)(t - 15.5);
        lane_observation o = obs(1, t, true, x + 150, NULL, 0);
        lane_fusion_observe(f, &o);
    }
    quiet(f, 1, 17.54, 18.5);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_true(fabs(s.c[0].t_enter - 8.0) < 1e-6);
    assert_string_equal(s.c[1].plates[0].read.text, "29C12345");
    assert_true(s.c[1].t_enter > 10.8 && s.c[1].t_enter < 11.0);
    lane_fusion_free(f);
    g_free(c);
}

/* Issue 14, a code in the next vehicle's event: two trucks close behind each other, the side
 * camera (with its scale: one vehicle each) has them on the line at 0.6-1.9 s and 3.7-5.0 s.
 * The front camera, looking along the lane, reads the first truck's container code coming
 * towards it; a code high on the truck reaches the line in the image after it reached it on
 * the road, so its measured time, 2.95 s, lies nearer the second truck, which was not on the
 * line then. It goes to the first. */
static void test_code_goes_to_the_vehicle_it_was_on(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0.01);
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    gatecv_read p1 = plate("51F44614", true), p2 = plate("29C12345", true);
    slide(f, 0, 0.0, 2.2, 200, 713, 300, &p1, 0.5, 0.7); /* on the line 0.6-1.9 s */
    slide(f, 0, 3.1, 6.1, 200, 900, 300, &p2, 3.6, 3.8); /* on the line 3.7-5.0 s */
    gatecv_read box = code("MSKU1234565");
    for (double t = 0.0; t <= 7.0 + 1e-9; t += 0.04) {
        gatecv_read read[1];
        int n = 0;
        if (fabs(t - 3.0) <= 0.5) /* its lower edge over y = 400 at 2.95 s, coming down */
            read[n++] = moving_read(box, t, 2.5, 3.5, 600, 280, 600, 500);
        lane_observation o = {.camera = 1,
                              .t = t,
                              .moving = true,
                              .width = 1280,
                              .height = 720,
                              .reads = read,
                              .n_reads = n};
        lane_fusion_observe(f, &o);
    }
    quiet(f, 1, 7.04, 7.84);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.c[0].plates[0].read.text, "51F44614");
    assert_int_equal(s.c[0].n_containers, 1);
    assert_string_equal(s.c[0].containers[0].read.text, "MSKU1234565");
    assert_string_equal(s.c[1].plates[0].read.text, "29C12345");
    assert_int_equal(s.c[1].n_containers, 0);
    lane_fusion_free(f);
    g_free(c);
}

/* Whether crossing `later` carries every plate (camera and text) and code of `earlier`. */
static bool carries_all(const lane_crossing *later, const lane_crossing *earlier)
{
    for (int i = 0; i < earlier->n_plates; i++) {
        bool found = false;
        for (int k = 0; k < later->n_plates && !found; k++)
            found = strcmp(later->plates[k].read.text, earlier->plates[i].read.text) == 0 &&
                    strcmp(later->plates[k].camera, earlier->plates[i].camera) == 0;
        if (!found)
            return false;
    }
    for (int i = 0; i < earlier->n_containers; i++) {
        bool found = false;
        for (int k = 0; k < later->n_containers && !found; k++)
            found = strcmp(later->containers[k].read.text, earlier->containers[i].read.text) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* The side camera passes a truck and reads its code while the front camera, watching, has not
 * passed it yet: a provisional revision goes out with the code, needs_review because the front
 * camera has not passed it (a camera yet to pass counts as one that missed it: a provisional is
 * never verified on less than the final needs). When the front camera passes it with its plate
 * (the vehicle not settled yet: the front camera may still read it), a second provisional
 * revision says what changed: verified, the clearance system may open the barrier; then the
 * final revision. All are one vehicle, their revisions numbered in order, each carrying what
 * the one before it did. Without provisional revisions the same lane gives the final alone,
 * revision 1. */
static void test_provisional_then_final(void **state)
{
    (void)state;
    for (int on = 0; on < 2; on++) {
        lane_config *c = config(2);
        c->provisional = on;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
        gatecv_read front = plate("51F44614", true), box = code("MSKU1234565");
        quiet(f, 1, 0.0, 1.0);
        drive(f, 0, 1.5, 5.0, 100, 1200, &box, 3.0, 3.3);
        assert_int_equal(s.n, on); /* the front camera is at 1.0 s: nothing settled yet */
        drive(f, 1, 1.04, 4.0, 200, 1000, &front, 1.5, 1.7);
        lane_fusion_finish(f);
        assert_int_equal(s.n, on ? 3 : 1);
        const lane_crossing *last = &s.c[s.n - 1];
        assert_false(last->provisional);
        assert_int_equal(last->revision, s.n);
        assert_true(last->vehicle_id != 0);
        assert_int_equal(last->n_plates, 1);
        assert_int_equal(last->n_containers, 1);
        assert_string_equal(last->status, "verified");
        if (!on) {
            lane_fusion_free(f);
            g_free(c);
            continue;
        }
        const lane_crossing *first = &s.c[0], *second = &s.c[1];
        assert_true(first->provisional);
        assert_int_equal(first->revision, 1);
        assert_int_equal(first->n_plates, 0);
        assert_int_equal(first->n_containers, 1);
        assert_string_equal(first->containers[0].read.text, "MSKU1234565");
        assert_string_equal(first->status, "needs_review");
        assert_true(has_reason(first, "camera_saw_no_passage:front"));
        assert_true(second->provisional);
        assert_int_equal(second->revision, 2);
        assert_string_equal(second->status, "verified");
        assert_string_equal(second->plates[0].read.text, "51F44614");
        for (int i = 1; i < s.n; i++) {
            assert_true(s.c[i].vehicle_id == first->vehicle_id);
            assert_true(carries_all(&s.c[i], &s.c[i - 1]));
        }
        lane_fusion_free(f);
        g_free(c);
    }
}

/* A passage of the side camera alone, with nothing read, while the front camera watches, may
 * be that camera's noise: no provisional revision goes out for it (it could not be taken
 * back). Once the front camera passed the vehicle too, its revisions go out, the first
 * numbered 1. */
static void test_no_provisional_for_possible_noise(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->provisional = true;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    quiet(f, 1, 0.0, 1.0);
    drive(f, 0, 1.5, 5.0, 100, 1200, NULL, 0, 0);
    assert_int_equal(s.n, 0);
    gatecv_read front = plate("51F44614", true);
    drive(f, 1, 1.04, 4.0, 200, 1000, &front, 1.5, 1.7);
    lane_fusion_finish(f);
    assert_true(s.n >= 1);
    assert_int_equal(s.c[0].revision, 1);
    assert_int_equal(s.c[0].n_plates, 1);
    assert_false(s.c[s.n - 1].provisional);
    assert_int_equal(s.c[s.n - 1].revision, s.n);
    lane_fusion_free(f);
    g_free(c);
}

/* test_split_by_plates with provisional revisions: the side camera's passage goes out first
 * as one vehicle with both codes. At the decision the front camera's plates split it in two:
 * the first part is that event's final revision (same vehicle, revision 2) and still carries
 * the second code the provisional told, superseded (the other vehicle's now), with a reason
 * that names it; the second part is a vehicle of its own, final at its revision 1. */
static void test_split_keeps_what_the_provisional_said(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0);
    c->provisional = true;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    gatecv_read c1 = code("MSKU1234565"), c2 = code("TGHU9876544");
    for (double t = 0.0; t <= 8.0 + 1e-9; t += 0.04) {
        gatecv_read reads[1];
        int n = 0;
        if (fabs(t - 2.0) <= 0.5)
            reads[n++] = moving_read(c1, t, 1.5, 2.5, 540, 300, 740, 300);
        if (fabs(t - 5.5) <= 0.5)
            reads[n++] = moving_read(c2, t, 5.0, 6.0, 540, 300, 740, 300);
        float x = -1000 + 2200 * (float)(t / 8.0);
        lane_observation o = {.camera = 0,
                              .t = t,
                              .moving = true,
                              .x = x,
                              .y = 310,
                              .width = 1500,
                              .height = 100,
                              .reads = reads,
                              .n_reads = n};
        lane_fusion_observe(f, &o);
    }
    quiet(f, 0, 8.04, 8.84);
    assert_int_equal(s.n, 1);
    const lane_crossing *first = &s.c[0];
    assert_true(first->provisional);
    assert_int_equal(first->revision, 1);
    assert_int_equal(first->n_containers, 2);
    front_sees_both(f, 0.0, 8.0, "51F44614", 1.0, "29C12345", 5.0, false);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 3);
    const lane_crossing *final = &s.c[1], *other = &s.c[2];
    assert_false(final->provisional);
    assert_int_equal(final->revision, 2);
    assert_true(final->vehicle_id == first->vehicle_id);
    assert_true(carries_all(final, first));
    assert_string_equal(final->plates[0].read.text, "51F44614");
    assert_string_equal(final->containers[0].read.text, "MSKU1234565");
    assert_int_equal(final->containers[0].told, ITEM_OWN);
    assert_int_equal(final->n_containers, 2);
    assert_string_equal(final->containers[1].read.text, "TGHU9876544");
    assert_int_equal(final->containers[1].told, ITEM_UNCONFIRMED);
    assert_true(has_reason(final, "provisional_text_unconfirmed:TGHU9876544"));
    assert_false(other->provisional);
    assert_int_equal(other->revision, 1);
    assert_true(other->vehicle_id != first->vehicle_id);
    assert_string_equal(other->plates[0].read.text, "29C12345");
    assert_int_equal(other->n_containers, 1);
    assert_int_equal(other->containers[0].told, ITEM_OWN);
    lane_fusion_free(f);
    g_free(c);
}


/* First notices: the side camera and the front camera pass a truck; their frames come to
 * lane_fusion_look as taken, and to lane_fusion_observe only later, with their reads (the
 * readers are behind). As soon as the side camera sees the truck past the line, with the front
 * camera over it too, a provisional revision 1 goes out with nothing read, for review; then,
 * once the fusion has the frames, the later revisions of the same vehicle, the final one
 * verified with the plate and the code. Without provisional revisions looking tells nothing. */
static void test_first_notice_before_reads(void **state)
{
    (void)state;
    for (int on = 0; on < 2; on++) {
        lane_config *c = config(2);
        c->provisional = on;
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
        gatecv_read front = plate("51F44614", true), box = code("MSKU1234565");
        drive_to(lane_fusion_look, f, 1, 1.04, 4.0, 200, 1000, NULL, 0, 0);
        drive_to(lane_fusion_look, f, 0, 1.5, 5.0, 100, 1200, NULL, 0, 0);
        assert_int_equal(s.n, on);
        if (on) {
            const lane_crossing *notice = &s.c[0];
            assert_true(notice->provisional);
            assert_int_equal(notice->revision, 1);
            assert_int_equal(notice->n_plates + notice->n_containers, 0);
            assert_string_equal(notice->status, "needs_review");
            assert_int_equal(notice->direction, DIR_VN_TO_CN);
            /* told when the truck's middle went past the line (x = 640 at 3.22 s), not later */
            assert_true(notice->t_decided >= 3.2 && notice->t_decided < 3.3);
        }
        drive(f, 1, 1.04, 4.0, 200, 1000, &front, 1.5, 1.7);
        drive(f, 0, 1.5, 5.0, 100, 1200, &box, 3.0, 3.3);
        lane_fusion_finish(f);
        assert_true(s.n >= 1 + on);
        const lane_crossing *last = &s.c[s.n - 1];
        assert_false(last->provisional);
        assert_int_equal(last->revision, s.n);
        assert_string_equal(last->status, "verified");
        assert_int_equal(last->n_plates, 1);
        assert_int_equal(last->n_containers, 1);
        for (int i = 1; i < s.n; i++)
            assert_true(s.c[i].vehicle_id == s.c[0].vehicle_id);
        lane_fusion_free(f);
        g_free(c);
    }
}

/* The side camera alone sees something go over the line (rain, a headlight's glare) while the
 * front camera watches an empty lane: no first notice (it could not be taken back). */
static void test_no_first_notice_for_one_camera(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->provisional = true;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    quiet_to(lane_fusion_look, f, 1, 0.0, 6.0);
    drive_to(lane_fusion_look, f, 0, 1.5, 5.0, 100, 1200, NULL, 0, 0);
    assert_int_equal(s.n, 0);
    lane_fusion_free(f);
    g_free(c);
}

/* Both cameras from 1.0 to 5.0 s, then nothing until 8.0 s: the side camera's box goes from x
 * 300 past the line (x 640) to 800 by 3.0 s and back again; the front camera's does the same,
 * or, `front_on`, drives on from x 200 over the line at 200 px/s. */
static void side_backs_off(feed_fn feed, lane_fusion *f, bool front_on)
{
    for (double t = 1.0; t <= 5.0 + 1e-9; t += 0.04) {
        float x = t < 3.0 ? 300 + 250 * (float)(t - 1.0) : 800 - 250 * (float)(t - 3.0);
        lane_observation side = obs(0, t, true, x, NULL, 0);
        lane_observation front = obs(1, t, true, front_on ? 200 + 200 * (float)(t - 1.0) : x, NULL, 0);
        feed(f, &side);
        feed(f, &front);
    }
    quiet_to(feed, f, 0, 5.04, 8.0);
    quiet_to(feed, f, 1, 5.04, 8.0);
}

/* A truck goes more than half past the line, then backs off to where it came from: the first
 * notice went out, and no passage confirms it. Its final revision (same vehicle) goes out for review, and
 * it is the only crossing: nothing told is left without a final. */
static void test_first_notice_of_a_truck_that_backed_off(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->provisional = true;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    for (int k = 0; k < 2; k++) {
        side_backs_off(k == 0 ? lane_fusion_look : lane_fusion_observe, f, false);
        /* the notice when the truck was past the line; the final once the fusion's track of
         * the side camera closed its episode with no passage */
        assert_int_equal(s.n, k + 1);
    }
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_true(s.c[0].provisional);
    assert_false(s.c[1].provisional);
    assert_true(s.c[1].vehicle_id == s.c[0].vehicle_id);
    assert_int_equal(s.c[1].revision, 2);
    assert_string_equal(s.c[1].status, "needs_review");
    assert_true(has_reason(&s.c[1], "camera_saw_no_passage:side"));
    lane_fusion_free(f);
    g_free(c);
}

/* The side camera's episode goes past the line and then ends on the side it came from (the
 * next truck of a queue moving up in its view), so it makes no passage; the front camera passes
 * the truck. The vehicle its passage makes takes the notice over by their time on the line:
 * one vehicle, one identity, its final revision after the notice, and no crossing besides. */
static void test_first_notice_taken_over_by_time(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->provisional = true;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    side_backs_off(lane_fusion_look, f, true);
    side_backs_off(lane_fusion_observe, f, true);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_true(s.c[0].provisional);
    assert_int_equal(s.c[0].revision, 1);
    assert_false(s.c[1].provisional);
    assert_int_equal(s.c[1].revision, 2);
    assert_true(s.c[1].vehicle_id == s.c[0].vehicle_id);
    lane_fusion_free(f);
    g_free(c);
}

/* The first notice of a truck (from the left side camera, the front camera over the line too)
 * has been taken over by the vehicle the front camera's passage made, when the right side
 * camera sees the truck past the line a little later (its time on the line 1.3 s after the
 * front camera's, within the join window, not overlapping it): its passage will join that
 * vehicle, so the fusion has the truck already and no second notice goes out. Every revision
 * is the one vehicle's, and one is final. */
static void test_no_second_notice_for_a_vehicle_the_fusion_has(void **state)
{
    (void)state;
    lane_config *c = config(2);
    c->provisional = true;
    c->n_cameras = 3;
    c->cameras[2] = c->cameras[0];
    c->cameras[2].name = (char *)"side-right";
    c->cameras[2].role = LANE_ROLE_SIDE_RIGHT;
    seen s = {0};
    lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
    drive_to(lane_fusion_look, f, 1, 1.0, 3.0, 100, 1200, NULL, 0, 0);
    drive_to(lane_fusion_look, f, 0, 1.0, 3.0, 100, 1200, NULL, 0, 0);
    assert_int_equal(s.n, 1); /* the notice */
    drive(f, 1, 1.0, 3.0, 100, 1200, NULL, 0, 0); /* on the line 1.8-2.16 s */
    drive_to(lane_fusion_look, f, 2, 2.6, 4.6, 100, 1200, NULL, 0, 0); /* 3.4-3.76 s */
    drive(f, 0, 1.0, 3.0, 100, 1200, NULL, 0, 0);
    drive(f, 2, 2.6, 4.6, 100, 1200, NULL, 0, 0);
    lane_fusion_finish(f);
    int finals = 0;
    for (int i = 0; i < s.n; i++) {
        assert_true(s.c[i].vehicle_id == s.c[0].vehicle_id);
        assert_int_equal(s.c[i].revision, i + 1);
        finals += !s.c[i].provisional;
    }
    assert_int_equal(finals, 1);
    assert_false(s.c[s.n - 1].provisional);
    lane_fusion_free(f);
    g_free(c);
}

/* Two trucks close behind each other, passed by both cameras as one vehicle: without a presence
 * sensor it is split by its plates, for review. With one at the line that saw it free from 3.2
 * to 3.8 s, they are two vehicles parted there, each with its own plate and code, and nothing
 * left to review. */
/* The two trucks of two_trucks_in_one_passage (both cameras passing them as one), with the
 * sensor's reports {time, present} given first (n of them: none, no sensor). */
static void two_trucks_with_sensor(const lane_config *c, const double (*reports)[2], size_t n,
                                   seen *s)
{
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, s);
    for (size_t i = 0; i < n; i++)
        lane_fusion_trigger(f, reports[i][0], reports[i][1] > 0);
    two_trucks_in_one_passage(f, true);
    lane_fusion_free(f);
}

static void test_trigger_parts_two_trucks(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0);
    seen without = {0};
    two_trucks_with_sensor(c, NULL, 0, &without);
    assert_int_equal(without.n, 2);
    assert_true(has_reason(&without.c[0], "split_from_one_passage"));

    seen s = {0};
    const double reports[][2] = {{0.5, 1}, {3.2, 0}, {3.8, 1}, {6.0, 0}};
    two_trucks_with_sensor(c, reports, G_N_ELEMENTS(reports), &s);
    assert_two_trucks(&s, "verified");
    assert_true(s.c[0].t_exit <= 3.5 + 1e-9 && s.c[1].t_enter >= 3.5 - 1e-9);
    g_free(c);
}

/* A parting with a text near it (a plate on the line 0.4 s from where the sensor saw the line
 * free) could have gone to either vehicle: the parts go out, for review. A gap shorter than
 * min_gap (the sensor's chatter between a tractor and its trailer) parts nothing. */
static void test_trigger_parting_near_a_text_or_too_short(void **state)
{
    (void)state;
    lane_config *c = side_and_front(0);
    seen s = {0};
    const double near[][2] = {{0.5, 1}, {4.3, 0}, {4.9, 1}, {6.0, 0}}; /* parted at 4.6 s */
    two_trucks_with_sensor(c, near, G_N_ELEMENTS(near), &s);
    assert_int_equal(s.n, 2);
    assert_true(has_reason(&s.c[0], "split_from_one_passage"));

    c->trigger.min_gap = 1.0;
    seen one = {0};
    const double chatter[][2] = {{0.5, 1}, {3.2, 0}, {3.8, 1}, {6.0, 0}};
    two_trucks_with_sensor(c, chatter, G_N_ELEMENTS(chatter), &one);
    /* no parting: as without a sensor, the plates split it for review */
    assert_int_equal(one.n, 2);
    assert_true(has_reason(&one.c[0], "split_from_one_passage"));
    g_free(c);
}

/* Both cameras pass something at 6-9 s with nothing read while the sensor at the line,
 * which reports the vehicle at 16-19 s, reported none: a shadow, not a crossing. Where the
 * sensor has said nothing since (it may have failed), the passage goes out for review with
 * trigger_saw_no_vehicle, never dropped. The vehicle the sensor reported at 0.5-1.5 s, which
 * no camera passed, is a crossing of its own, for review (nothing read, its way not seen). */
static const lane_crossing *crossing_at(const seen *s, double t0, double t1)
{
    for (int i = 0; i < s->n; i++)
        if (s->c[i].t_cross >= t0 && s->c[i].t_cross <= t1)
            return &s->c[i];
    return NULL;
}

static void test_trigger_saw_no_vehicle(void **state)
{
    (void)state;
    lane_config *c = config(1);
    gatecv_read p = plate("51F44614", true);
    for (int alive = 1; alive >= 0; alive--) {
        seen s = {0};
        lane_fusion *f = lane_fusion_new(c, 2.0, on_crossing, &s);
        lane_fusion_trigger(f, 0.5, true); /* a vehicle no camera passed */
        lane_fusion_trigger(f, 1.5, false);
        if (alive) {
            lane_fusion_trigger(f, 16.5, true);
            lane_fusion_trigger(f, 18.8, false);
        }
        quiet(f, 0, 0.0, 5.96);
        quiet(f, 1, 0.0, 5.96);
        drive(f, 0, 6.0, 9.0, 100, 1200, NULL, 0, 0);
        drive(f, 1, 6.0, 9.0, 100, 1200, NULL, 0, 0);
        if (alive) {
            drive(f, 0, 16.0, 19.0, 100, 1200, &p, 17.0, 17.2);
            drive(f, 1, 16.0, 19.0, 100, 1200, &p, 17.0, 17.2);
        }
        lane_fusion_finish(f);
        lane_fusion_free(f);
        assert_int_equal(s.n, 2);
        const lane_crossing *sensed = crossing_at(&s, 0.5, 1.5);
        assert_non_null(sensed);
        assert_string_equal(sensed->status, "needs_review");
        /* the sensor gave its bounds: no camera is asked about its passage; nothing showed its
         * way */
        assert_false(has_reason(sensed, "camera_saw_no_passage"));
        assert_true(has_reason(sensed, "direction_not_seen"));
        assert_true(has_reason(sensed, "no_plate_read"));
        const lane_crossing *shadow = crossing_at(&s, 6.0, 9.0);
        const lane_crossing *truck = crossing_at(&s, 16.0, 19.0);
        if (alive) {
            assert_null(shadow);
            assert_non_null(truck);
            assert_string_equal(truck->plates[0].read.text, "51F44614");
            assert_false(has_reason(truck, "trigger_saw_no_vehicle"));
        } else {
            assert_non_null(shadow);
            assert_string_equal(shadow->status, "needs_review");
            assert_true(has_reason(shadow, "trigger_saw_no_vehicle"));
        }
    }
    g_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_passage),
        cmocka_unit_test(test_negative_direction),
        cmocka_unit_test(test_back_out_and_reverse),
        cmocka_unit_test(test_cameras_join),
        cmocka_unit_test(test_needs_review_reasons),
        cmocka_unit_test(test_disagreement_and_agv),
        cmocka_unit_test(test_merged_episode_not_verified),
        cmocka_unit_test(test_join_by_time_over_line),
        cmocka_unit_test(test_lone_passage_without_reads),
        cmocka_unit_test(test_decided_when_cameras_closed),
        cmocka_unit_test(test_camera_down_holds_nothing_back),
        cmocka_unit_test(test_short_gap_one_episode),
        cmocka_unit_test(test_next_vehicle_does_not_hold),
        cmocka_unit_test(test_two_vehicles_in_one_episode),
        cmocka_unit_test(test_passage_longer_than_a_vehicle),
        cmocka_unit_test(test_overlong_passage_split_by_its_reads),
        cmocka_unit_test(test_texts_join_the_vehicle_on_the_line),
        cmocka_unit_test(test_split_by_plates),
        cmocka_unit_test(test_second_look_is_not_a_crossing),
        cmocka_unit_test(test_early_look_is_not_a_crossing),
        cmocka_unit_test(test_waits_for_a_plate_read_near_the_camera),
        cmocka_unit_test(test_time_in_view_includes_the_reads),
        cmocka_unit_test(test_reads_without_passage),
        cmocka_unit_test(test_partial_plate_reads_support_the_whole),
        cmocka_unit_test(test_first_seen_over_the_line),
        cmocka_unit_test(test_other_way_look_is_not_a_crossing),
        cmocka_unit_test(test_enter_bounded_by_own_passage),
        cmocka_unit_test(test_code_goes_to_the_vehicle_it_was_on),
        cmocka_unit_test(test_provisional_then_final),
        cmocka_unit_test(test_no_provisional_for_possible_noise),
        cmocka_unit_test(test_split_keeps_what_the_provisional_said),
        cmocka_unit_test(test_first_notice_before_reads),
        cmocka_unit_test(test_no_first_notice_for_one_camera),
        cmocka_unit_test(test_first_notice_of_a_truck_that_backed_off),
        cmocka_unit_test(test_first_notice_taken_over_by_time),
        cmocka_unit_test(test_no_second_notice_for_a_vehicle_the_fusion_has),
        cmocka_unit_test(test_trigger_parts_two_trucks),
        cmocka_unit_test(test_trigger_parting_near_a_text_or_too_short),
        cmocka_unit_test(test_trigger_saw_no_vehicle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
