/*
 * test_read_hold.c — pins pipeline/read_hold: observations are handed on in frame order,
 * each with its own reads, however late and in whatever order the reads come back; an
 * observation waits for every pending one before it; drain waits for reads completed on
 * another thread. And with the lane fusion behind it: a vehicle is not settled while a read
 * of its frames is pending, and reads that come back after the next vehicle's frames still
 * go to the vehicle whose frames they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "read_hold.h"

#define MAX_GOT 512

typedef struct {
    int n;
    double t[MAX_GOT];
    int n_reads[MAX_GOT];
    char text[MAX_GOT][GATECV_READ_TEXT];
} got_log;

static void on_observe(const lane_observation *o, void *user)
{
    got_log *g = user;
    assert_true(g->n < MAX_GOT);
    g->t[g->n] = o->t;
    g->n_reads[g->n] = o->n_reads;
    g_strlcpy(g->text[g->n], o->n_reads ? o->reads[0].text : "", GATECV_READ_TEXT);
    g->n++;
}

static lane_observation at(double t)
{
    lane_observation o = {0};
    o.t = t;
    o.moving = true;
    return o;
}

/* A read of `text` (g_new'd: the hold takes it). */
static gatecv_read *one_read(const char *text)
{
    gatecv_read *r = g_new0(gatecv_read, 1);
    g_strlcpy(r->text, text, sizeof r->text);
    r->valid = true;
    return r;
}

static void test_in_order_with_own_reads(void **state)
{
    (void)state;
    got_log g = {0};
    read_hold *h = read_hold_new(on_observe, &g);
    lane_observation o1 = at(1), o2 = at(2), o3 = at(3), o4 = at(4);
    read_hold_item *a = read_hold_push(h, &o1, true);
    assert_null(read_hold_push(h, &o2, false));
    read_hold_item *c = read_hold_push(h, &o3, true);
    read_hold_push(h, &o4, false);
    assert_int_equal(g.n, 0); /* the first is pending: nothing goes before it */
    assert_int_equal(read_hold_pending(h), 2);
    read_hold_complete(h, c, one_read("THIRD"), 1, NULL, false);
    assert_int_equal(g.n, 0); /* the third's reads are back, the first's are not */
    read_hold_complete(h, a, one_read("FIRST"), 1, NULL, false);
    assert_int_equal(g.n, 4);
    for (int i = 0; i < 4; i++)
        assert_true(g.t[i] == i + 1);
    assert_string_equal(g.text[0], "FIRST");
    assert_int_equal(g.n_reads[1], 0);
    assert_string_equal(g.text[2], "THIRD");
    assert_int_equal(read_hold_queued(h), 0);
    read_hold_free(h);
}

/* A frame dropped unread goes on with no reads, and is counted. */
static void test_dropped(void **state)
{
    (void)state;
    got_log g = {0};
    read_hold *h = read_hold_new(on_observe, &g);
    lane_observation o = at(1);
    read_hold_item *a = read_hold_push(h, &o, true);
    read_hold_complete(h, a, NULL, 0, NULL, true);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.n_reads[0], 0);
    assert_int_equal(read_hold_dropped(h), 1);
    read_hold_free(h);
}

typedef struct {
    read_hold *h;
    read_hold_item *items[8];
    int n;
} late_reader;

static gpointer complete_late(gpointer data)
{
    late_reader *r = data;
    g_usleep(50 * 1000);
    for (int i = r->n - 1; i >= 0; i--) /* last first */
        read_hold_complete(r->h, r->items[i], one_read("LATE"), 1, NULL, false);
    return NULL;
}

/* drain returns once reads completed on another thread are in and handed on. */
static void test_drain_waits(void **state)
{
    (void)state;
    got_log g = {0};
    late_reader r = {read_hold_new(on_observe, &g), {0}, 0};
    for (int i = 0; i < 8; i++) {
        lane_observation o = at(i);
        read_hold_item *item = read_hold_push(r.h, &o, i % 2 == 0);
        if (item)
            r.items[r.n++] = item;
    }
    GThread *thread = g_thread_new("reader", complete_late, &r);
    read_hold_drain(r.h);
    assert_int_equal(g.n, 8);
    assert_int_equal(read_hold_pending(r.h), 0);
    g_thread_join(thread);
    read_hold_free(r.h);
}

/* ---- with the lane fusion ----------------------------------------------------- */

#define MAX_CROSSINGS 4

typedef struct {
    int n;
    char plate[MAX_CROSSINGS][GATECV_READ_TEXT];
    int frames[MAX_CROSSINGS];
} crossings;

static void on_crossing(const lane_crossing *c, void *user)
{
    crossings *s = user;
    if (s->n >= MAX_CROSSINGS)
        return;
    g_strlcpy(s->plate[s->n], c->n_plates ? c->plates[0].read.text : "", GATECV_READ_TEXT);
    s->frames[s->n] = c->n_plates ? c->plates[0].frames : 0;
    s->n++;
}

static void fusion_observe(const lane_observation *o, void *user)
{
    lane_fusion_observe(user, o);
}

/* One side camera, tripwire up the image at x = 640: a vehicle's box moves left to right. */
static lane_config *one_camera(void)
{
    lane_config *c = g_new0(lane_config, 1);
    c->positive = DIR_VN_TO_CN;
    c->votes = 2;
    c->n_cameras = 1;
    c->cameras[0].name = (char *)"side";
    c->cameras[0].role = LANE_ROLE_SIDE_LEFT;
    c->cameras[0].tripwire = (lane_line){640, 720, 640, 0};
    return c;
}

/* A read of `text` placed on the 200x100 box centred at (cx, 360). */
static gatecv_read *plate_at(const char *text, float cx)
{
    gatecv_read *r = one_read(text);
    r->kind = READ_PLATE;
    r->country = PLATE_VN;
    r->confidence = 0.9f;
    float x = cx - 100, y = 310;
    r->quad[0] = (gcv_point){x, y};
    r->quad[1] = (gcv_point){x + 200, y};
    r->quad[2] = (gcv_point){x + 200, y + 100};
    r->quad[3] = (gcv_point){x, y + 100};
    return r;
}

typedef struct {
    read_hold_item *item;
    float cx;
} pending_read;

/* A vehicle's box drives across from x 100 to 1200 between t0 and t0 + 4 s, then the lane is
 * still for a second; the frames from t0 + 1.0 to t0 + 1.2 s go to the readers (pending). */
static int drive(read_hold *h, double t0, pending_read *pending)
{
    int n = 0;
    for (double t = t0; t <= t0 + 5.0 + 1e-9; t += 0.04) {
        bool moving = t <= t0 + 4.0;
        float cx = 100 + 1100 * (float)((t - t0) / 4.0);
        lane_observation o = {.t = t,
                              .moving = moving,
                              .x = cx - 100,
                              .y = 310,
                              .width = 200,
                              .height = 100};
        bool read = moving && t >= t0 + 1.0 && t < t0 + 1.2;
        read_hold_item *item = read_hold_push(h, &o, read);
        if (item)
            pending[n++] = (pending_read){item, cx};
    }
    return n;
}

static void test_fusion_waits_and_late_reads_find_their_vehicle(void **state)
{
    (void)state;
    lane_config *c = one_camera();
    crossings s = {0};
    lane_fusion *f = lane_fusion_new(c, 1.5, on_crossing, &s);
    read_hold *h = read_hold_new(fusion_observe, f);
    pending_read first[16], second[16];
    int n1 = drive(h, 0.0, first);
    int n2 = drive(h, 10.0, second); /* the next vehicle, read quickly */
    assert_true(n1 >= 4 && n2 >= 4);
    for (int i = 0; i < n2; i++)
        read_hold_complete(h, second[i].item, plate_at("29C12345", second[i].cx), 1, NULL, false);
    /* the first vehicle's reads are pending: the camera's time in the fusion has not moved
     * past them, so neither vehicle is settled */
    assert_int_equal(s.n, 0);
    for (int i = 0; i < n1; i++)
        read_hold_complete(h, first[i].item, plate_at("51F44614", first[i].cx), 1, NULL, false);
    read_hold_drain(h);
    lane_fusion_camera_done(f, 0, 16.0);
    lane_fusion_finish(f);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.plate[0], "51F44614"); /* each plate on its own vehicle */
    assert_int_equal(s.frames[0], n1);
    assert_string_equal(s.plate[1], "29C12345");
    assert_int_equal(s.frames[1], n2);
    read_hold_free(h);
    lane_fusion_free(f);
    g_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_with_own_reads),
        cmocka_unit_test(test_dropped),
        cmocka_unit_test(test_drain_waits),
        cmocka_unit_test(test_fusion_waits_and_late_reads_find_their_vehicle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
