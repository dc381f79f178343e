/*
 * test_observation_merge.c — pins pipeline/observation_merge: observations pushed camera by
 * camera in any interleaving come out in (time, camera) order, each only once every camera
 * still running has seen as far; a camera's end comes out in its place and lets the others
 * go on; reads and frames are copied; a camera far ahead of the slowest waits; stop hands on
 * everything held and then passes observations straight through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "observation_merge.h"

typedef struct {
    int camera;
    double t;
    bool done;
    char text[GATECV_READ_TEXT];
    int pixel; /* the frame's first byte, -1 without a frame */
} delivered;

typedef struct {
    GMutex lock;
    delivered got[256];
    int n;
} sink_log;

static void on_observe(const lane_observation *o, void *user)
{
    sink_log *log = user;
    g_mutex_lock(&log->lock);
    delivered *d = &log->got[log->n++];
    const guint8 *pixel = o->evidence ? g_bytes_get_data(o->evidence, NULL) : NULL;
    *d = (delivered){o->camera, o->t, false, "", pixel ? pixel[0] : -1};
    if (o->n_reads > 0)
        g_strlcpy(d->text, o->reads[0].text, sizeof d->text);
    g_mutex_unlock(&log->lock);
}

static void on_done(int camera, double t, void *user)
{
    sink_log *log = user;
    g_mutex_lock(&log->lock);
    log->got[log->n++] = (delivered){camera, t, true, "", -1};
    g_mutex_unlock(&log->lock);
}

static int delivered_count(sink_log *log)
{
    g_mutex_lock(&log->lock);
    int n = log->n;
    g_mutex_unlock(&log->lock);
    return n;
}

static observation_merge *merge_new(sink_log *log, int n_cameras, double max_ahead)
{
    memset(log, 0, sizeof *log);
    g_mutex_init(&log->lock);
    observation_merge_sink sink = {on_observe, on_done, log};
    return observation_merge_new(n_cameras, max_ahead, &sink);
}

static void push(observation_merge *m, int camera, double t)
{
    lane_observation o = {0};
    o.camera = camera;
    o.t = t;
    observation_merge_push(m, &o);
}

static void assert_got(const sink_log *log, int i, int camera, double t, bool done)
{
    assert_true(i < log->n);
    assert_int_equal(log->got[i].camera, camera);
    assert_true(log->got[i].t == t);
    assert_int_equal(log->got[i].done, done);
}

/* Held until the other camera has seen as far; out in time order, the camera first at equal
 * times; an end releases what waited for that camera. */
static void test_time_order(void **state)
{
    (void)state;
    sink_log log;
    observation_merge *m = merge_new(&log, 2, 100);
    push(m, 0, 1.0);
    push(m, 0, 2.0);
    push(m, 0, 3.0);
    assert_int_equal(log.n, 0); /* camera 1 has shown nothing yet */
    push(m, 1, 2.0);
    /* all up to 2.0, camera 0 first at 2.0; camera 0's 3.0 waits for camera 1 to see 3.0 */
    assert_int_equal(log.n, 3);
    assert_got(&log, 0, 0, 1.0, false);
    assert_got(&log, 1, 0, 2.0, false);
    assert_got(&log, 2, 1, 2.0, false);
    push(m, 1, 2.5);
    assert_int_equal(log.n, 4); /* camera 0 has seen 3.0: nothing of it can come before */
    assert_got(&log, 3, 1, 2.5, false);
    observation_merge_done(m, 1, 2.5);
    assert_int_equal(log.n, 6); /* the end at 2.5, then camera 0's 3.0 that waited for it */
    assert_got(&log, 4, 1, 2.5, true);
    assert_got(&log, 5, 0, 3.0, false);
    push(m, 0, 4.0); /* the only camera left: straight through */
    assert_int_equal(log.n, 7);
    observation_merge_done(m, 0, 4.0);
    assert_got(&log, 7, 0, 4.0, true);
    observation_merge_done(m, 0, 5.0); /* a second end is ignored */
    assert_int_equal(log.n, 8);
    observation_merge_free(m);
    g_mutex_clear(&log.lock);
}

/* The queued copy is the merge's own: the caller's reads and frame may go at once. */
static void test_copies(void **state)
{
    (void)state;
    sink_log log;
    observation_merge *m = merge_new(&log, 2, 100);
    gatecv_read read = {0};
    g_strlcpy(read.text, "51F44614", sizeof read.text);
    guint8 picture[4] = {77, 1, 2, 3};
    GBytes *frame = g_bytes_new(picture, sizeof picture);
    lane_observation o = {0};
    o.camera = 1;
    o.t = 0.5;
    o.reads = &read;
    o.n_reads = 1;
    o.evidence = frame;
    observation_merge_push(m, &o);
    memset(&read, 0, sizeof read);
    g_bytes_unref(frame); /* the merge holds its own reference */
    push(m, 0, 0.6);
    assert_int_equal(log.n, 1);
    assert_got(&log, 0, 1, 0.5, false);
    assert_string_equal(log.got[0].text, "51F44614");
    assert_int_equal(log.got[0].pixel, 77);
    observation_merge_free(m); /* camera 0's 0.6, still held, is handed on */
    assert_int_equal(log.n, 2);
    assert_got(&log, 1, 0, 0.6, false);
    g_mutex_clear(&log.lock);
}

typedef struct {
    observation_merge *m;
    gint pushed_ms; /* camera 0's latest time pushed, in ms */
} runner;

static gpointer run_ahead(gpointer user)
{
    runner *r = user;
    for (int k = 0; k <= 100; k++) { /* 0..10 s in 0.1 s steps, as a camera's thread does */
        observation_merge_wait(r->m, 0, k * 0.1);
        push(r->m, 0, k * 0.1);
        g_atomic_int_set(&r->pushed_ms, k * 100);
    }
    observation_merge_done(r->m, 0, 10.0);
    return NULL;
}

/* A camera more than max_ahead ahead of the slowest waits for it; it goes on as the slowest
 * catches up, and everything comes out in order. */
static void test_fast_camera_waits(void **state)
{
    (void)state;
    sink_log log;
    runner r = {merge_new(&log, 2, 1.0), 0};
    push(r.m, 1, 0.0);
    GThread *thread = g_thread_new("ahead", run_ahead, &r);
    g_usleep(300 * 1000); /* time enough to run far ahead, were it not held */
    /* it may push 1.0 (0.0 + max_ahead) and no further */
    assert_true(g_atomic_int_get(&r.pushed_ms) <= 1000);
    for (int k = 1; k <= 50; k++)
        push(r.m, 1, k * 0.2);
    observation_merge_done(r.m, 1, 10.0);
    g_thread_join(thread);
    assert_int_equal(delivered_count(&log), 101 + 51 + 2);
    for (int i = 1; i < log.n; i++) /* in (time, camera) order */
        assert_true(log.got[i - 1].t < log.got[i].t ||
                    (log.got[i - 1].t == log.got[i].t &&
                     (log.got[i - 1].camera < log.got[i].camera ||
                      (log.got[i - 1].camera == log.got[i].camera && log.got[i].done))));
    observation_merge_free(r.m);
    g_mutex_clear(&log.lock);
}

/* Pushing never waits, however far ahead (a reader thread hands a camera's observations on
 * once their reads are back, and must never wait for another camera): the observation is
 * queued until the others catch up. */
static void test_push_never_waits(void **state)
{
    (void)state;
    sink_log log;
    observation_merge *m = merge_new(&log, 2, 1.0);
    push(m, 1, 0.0);
    gint64 t0 = g_get_monotonic_time();
    push(m, 0, 50.0); /* 49 s more than max_ahead ahead */
    assert_true(g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC); /* WAIT_LIMIT_S is 30 */
    assert_int_equal(log.n, 1); /* camera 1's 0.0; camera 0's 50.0 waits in the queue */
    observation_merge_done(m, 1, 1.0);
    assert_int_equal(log.n, 3);
    assert_got(&log, 2, 0, 50.0, false);
    observation_merge_free(m);
    g_mutex_clear(&log.lock);
}

/* stop hands on what is held, in order, and then lets observations straight through. */
static void test_stop(void **state)
{
    (void)state;
    sink_log log;
    observation_merge *m = merge_new(&log, 3, 100);
    push(m, 2, 0.7);
    push(m, 0, 0.3);
    assert_int_equal(log.n, 0); /* camera 1 never showed anything */
    observation_merge_stop(m);
    assert_int_equal(log.n, 2);
    assert_got(&log, 0, 0, 0.3, false);
    assert_got(&log, 1, 2, 0.7, false);
    push(m, 1, 0.1);
    assert_int_equal(log.n, 3);
    assert_got(&log, 2, 1, 0.1, false);
    observation_merge_free(m);
    g_mutex_clear(&log.lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_order),
        cmocka_unit_test(test_copies),
        cmocka_unit_test(test_fast_camera_waits),
        cmocka_unit_test(test_push_never_waits),
        cmocka_unit_test(test_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
