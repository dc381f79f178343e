/*
 * test_reader_pool.c — pins pipeline/reader_pool with its real threads and models: a pool
 * that may not drop reads every frame submitted, the camera waiting at the bound, and the
 * camera's hold hands every observation on in order; one that may drop hands the frames it
 * had no room for back unread, counted by the pool and by the hold alike; cancel hands back
 * what waits; a missing model folder is an error naming it. A frame read for codes whose
 * coarse detection saw no text (a small vertical code on a 1080p frame) is detected again at
 * full scale only when the pool is told so (blank_full_pass): the code is read then, and
 * not by default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "reader_pool.h"
#include "render.h"

#define FRAMES 12
#define WIDTH 320
#define HEIGHT 240

typedef struct {
    GMutex lock;
    int n;
    double t[FRAMES];
} got_log;

static void on_observe(const lane_observation *o, void *user)
{
    got_log *g = user;
    g_mutex_lock(&g->lock); /* handed on from the test's thread and the readers' */
    assert_true(g->n < FRAMES);
    g->t[g->n++] = o->t;
    g_mutex_unlock(&g->lock);
}

/* A grey I420 frame: nothing to read, a full read's path all the same. */
static GstBuffer *grey_frame(GstVideoInfo *info)
{
    gst_video_info_set_format(info, GST_VIDEO_FORMAT_I420, WIDTH, HEIGHT);
    GstBuffer *buf = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(info), NULL);
    gst_buffer_memset(buf, 0, 128, GST_VIDEO_INFO_SIZE(info));
    return buf;
}

/* Submits a moving frame at t (the pool takes `buffer`), read whole for `what`. */
static void submit_frame(reader_pool *pool, read_hold *hold, read_interest *interest, double t,
                         GstBuffer *buffer, const GstVideoInfo *info, read_what what)
{
    lane_observation o = {0};
    o.t = t;
    o.moving = true;
    reader_job *job = g_new0(reader_job, 1);
    job->camera = "test";
    job->buffer = buffer;
    job->info = *info;
    job->area = (lane_rect){0, 0, GST_VIDEO_INFO_WIDTH(info), GST_VIDEO_INFO_HEIGHT(info)};
    job->what = what;
    job->interest = read_interest_ref(interest);
    job->hold = hold;
    job->item = read_hold_push(hold, &o, true);
    reader_pool_submit(pool, job);
}

/* Submits FRAMES frames of one episode through `hold`. */
static void submit_all(reader_pool *pool, read_hold *hold)
{
    read_interest *interest = read_interest_new(2);
    for (int i = 0; i < FRAMES; i++) {
        GstVideoInfo info;
        GstBuffer *buffer = grey_frame(&info);
        submit_frame(pool, hold, interest, i * 0.04, buffer, &info, READ_WHAT_BOTH);
    }
    read_interest_unref(interest);
}

static void assert_in_order(const got_log *g)
{
    assert_int_equal(g->n, FRAMES);
    for (int i = 0; i < FRAMES; i++)
        assert_true(g->t[i] == i * 0.04);
}

static reader_pool *pool_new(int threads, guint backlog, bool may_drop)
{
    reader_pool_options o;
    reader_pool_options_default(&o);
    o.threads = threads;
    o.backlog = backlog;
    o.may_drop = may_drop;
    o.det_size = 320;
    GError *error = NULL;
    reader_pool *pool = reader_pool_new(&o, &error);
    if (!pool)
        fail_msg("reader_pool_new: %s", error->message);
    return pool;
}

static void test_reads_every_frame_without_drop(void **state)
{
    (void)state;
    got_log g = {0};
    g_mutex_init(&g.lock);
    reader_pool *pool = pool_new(2, 2, false);
    read_hold *hold = read_hold_new(on_observe, &g);
    submit_all(pool, hold);
    read_hold_drain(hold);
    reader_pool_stats s;
    reader_pool_get_stats(pool, &s);
    assert_int_equal(s.threads, 2);
    assert_int_equal(s.submitted, FRAMES);
    assert_int_equal(s.read, FRAMES);
    assert_int_equal(s.dropped, 0);
    assert_true(s.max_depth <= 2);
    assert_in_order(&g);
    assert_int_equal(read_hold_dropped(hold), 0);
    read_hold_free(hold);
    reader_pool_free(pool);
    g_mutex_clear(&g.lock);
}

static void test_drops_at_the_bound(void **state)
{
    (void)state;
    got_log g = {0};
    g_mutex_init(&g.lock);
    reader_pool *pool = pool_new(1, 1, true);
    read_hold *hold = read_hold_new(on_observe, &g);
    submit_all(pool, hold); /* faster than one thread reads: no waiting, drops */
    read_hold_drain(hold);
    reader_pool_stats s;
    reader_pool_get_stats(pool, &s);
    assert_int_equal(s.submitted, FRAMES);
    assert_true(s.dropped > 0);
    assert_int_equal(s.read + s.dropped, FRAMES);
    assert_int_equal(read_hold_dropped(hold), s.dropped);
    assert_in_order(&g);
    read_hold_free(hold);
    reader_pool_free(pool);
    g_mutex_clear(&g.lock);
}

static void test_cancel_hands_back(void **state)
{
    (void)state;
    got_log g = {0};
    g_mutex_init(&g.lock);
    reader_pool *pool = pool_new(1, FRAMES, false);
    read_hold *hold = read_hold_new(on_observe, &g);
    submit_all(pool, hold);
    reader_pool_cancel(pool);
    assert_int_equal(read_hold_pending(hold), 0);
    assert_in_order(&g);
    reader_pool_stats s;
    reader_pool_get_stats(pool, &s);
    assert_int_equal(s.read + s.dropped, FRAMES);
    read_hold_free(hold);
    reader_pool_free(pool);
    g_mutex_clear(&g.lock);
}

/* The reads of the one frame read_one submits. */
typedef struct {
    int n;
    char text[GATECV_READ_TEXT];
} got_reads;

static void on_reads(const lane_observation *o, void *user)
{
    got_reads *g = user;
    g->n = o->n_reads;
    if (o->n_reads > 0)
        g_strlcpy(g->text, o->reads[0].text, sizeof g->text);
}

/* The BGR image as an I420 frame, converted by GStreamer's own video converter. */
static GstBuffer *i420_frame(const gcv_image *bgr, GstVideoInfo *info)
{
    GstVideoInfo from;
    gst_video_info_set_format(&from, GST_VIDEO_FORMAT_BGR, bgr->width, bgr->height);
    gst_video_info_set_format(info, GST_VIDEO_FORMAT_I420, bgr->width, bgr->height);
    GstBuffer *src = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(&from), NULL);
    GstBuffer *dst = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(info), NULL);
    GstVideoFrame in, out;
    assert_true(gst_video_frame_map(&in, &from, src, GST_MAP_WRITE));
    for (int y = 0; y < bgr->height; y++)
        memcpy((uint8_t *)GST_VIDEO_FRAME_PLANE_DATA(&in, 0) +
                   y * GST_VIDEO_FRAME_PLANE_STRIDE(&in, 0),
               bgr->data + (size_t)y * bgr->stride, (size_t)bgr->width * 3);
    assert_true(gst_video_frame_map(&out, info, dst, GST_MAP_WRITE));
    GstVideoConverter *convert = gst_video_converter_new(&from, info, NULL);
    gst_video_converter_frame(convert, &in, &out);
    gst_video_converter_free(convert);
    gst_video_frame_unmap(&out);
    gst_video_frame_unmap(&in);
    gst_buffer_unref(src);
    return dst;
}

/* One frame of `bgr` read for codes by a pool of one thread: its reads to *g. */
static void read_one(const gcv_image *bgr, bool blank_full_pass, got_reads *g)
{
    reader_pool_options o;
    reader_pool_options_default(&o);
    o.threads = 1;
    o.blank_full_pass = blank_full_pass;
    GError *error = NULL;
    reader_pool *pool = reader_pool_new(&o, &error);
    if (!pool)
        fail_msg("reader_pool_new: %s", error->message);
    read_hold *hold = read_hold_new(on_reads, g);
    read_interest *interest = read_interest_new(2);
    GstVideoInfo info;
    GstBuffer *buffer = i420_frame(bgr, &info);
    submit_frame(pool, hold, interest, 0, buffer, &info, READ_WHAT_CODES);
    read_hold_drain(hold);
    read_interest_unref(interest);
    read_hold_free(hold);
    reader_pool_free(pool);
}

static void test_blank_full_pass(void **state)
{
    (void)state;
    GError *error = NULL;
    render_fonts *fonts = render_fonts_load(NULL, &error);
    if (!fonts)
        fail_msg("render_fonts_load: %s", error->message);
    gcv_image *img = gcv_image_new(1920, 1080, 3);
    gcv_fill_rect(img, 0, 0, 1920, 1080, 90, 95, 100);
    render_container_panel(img, 1200, 100, 300, 800, (render_colour){40, 40, 150}, 24);
    render_container_text code = {"MSKU1234565", "45G1"};
    gcv_point quad[4];
    assert_int_equal(render_container_code(img, fonts, RENDER_CONTAINER_VERTICAL, &code, false,
                                           1300, 200, 20, (render_colour){235, 235, 235}, quad,
                                           &error),
                     0);
    got_reads by_default = {0}, full = {0};
    read_one(img, false, &by_default);
    read_one(img, true, &full);
    assert_int_equal(by_default.n, 0); /* the coarse pass saw nothing: nothing more is tried */
    assert_true(full.n > 0);
    assert_string_equal(full.text, "MSKU1234565");
    gcv_image_free(img);
    render_fonts_free(fonts);
}

static void test_missing_models(void **state)
{
    (void)state;
    reader_pool_options o;
    reader_pool_options_default(&o);
    o.model_dir = "/nonexistent/gatecv-models";
    GError *error = NULL;
    assert_null(reader_pool_new(&o, &error));
    assert_non_null(error);
    assert_non_null(strstr(error->message, "/nonexistent/gatecv-models"));
    g_error_free(error);
}

int main(void)
{
    gst_init(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_every_frame_without_drop),
        cmocka_unit_test(test_drops_at_the_bound),
        cmocka_unit_test(test_cancel_hands_back),
        cmocka_unit_test(test_blank_full_pass),
        cmocka_unit_test(test_missing_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
