/*
 * test_gst_elements.c — pins the gatecv GStreamer plugin (plugins/gst) through real
 * pipelines fed by appsrc with frames the test renders itself (fixtures/render):
 *   - gatemotion keeps the gate closed on a still scene and opens it on the frame where a
 *     plate appears, with the box of what moved, in BGR, GRAY8, I420 and NV12, and holds it
 *     open hold-frames frames after motion stops;
 *   - gateplate reads that plate into a GatecvReadsMeta, in frame coordinates when it reads
 *     only a ROI, and leaves frames it does not read without one;
 *   - interval and gate choose the frames read; a frame read with nothing in it still says so;
 *   - motion-crop reads a moving frame only where it moved;
 *   - frames pass through without their pixels being copied, even when the application
 *     still holds the buffer it pushed;
 *   - the metas survive buffer copies and rescale with the frame;
 *   - properties round-trip, and out-of-range or malformed values are refused;
 *   - a bad model-dir ends in a GST_MESSAGE_ERROR naming the missing file, not a crash.
 *
 * Needs GST_PLUGIN_PATH pointing at the build's plugins/gst folder and the converted models
 * in GATECV_MODEL_DIR (both set by CTest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "gatecvmeta.h"
#include "models.h"
#include "render.h"

#define W 640
#define H 360
#define PLATE_FROM 5 /* first frame with the plate */
#define PLATE_X 200
#define PLATE_Y 150
#define PLATE_H 60
#define TIMEOUT (120 * GST_SECOND) /* a read takes ~0.5 s, much more under ASan */

static render_fonts *fonts;
static GstElement *running; /* the current test's pipeline; stopped by teardown if it fails */

static int group_setup(void **state)
{
    (void)state;
    gst_init(NULL, NULL);
    GstPluginFeature *feature = gst_registry_lookup_feature(gst_registry_get(), "gatemotion");
    if (!feature) {
        fprintf(stderr, "test_gst_elements: no element gatemotion: set GST_PLUGIN_PATH to the "
                        "build's plugins/gst folder\n");
        return -1;
    }
    gst_object_unref(feature);
    GError *error = NULL;
    if (!(fonts = render_fonts_load(NULL, &error))) {
        fprintf(stderr, "test_gst_elements: %s\n", error->message);
        g_error_free(error);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    render_fonts_free(fonts);
    gst_deinit();
    return 0;
}

/* --- fixtures ------------------------------------------------------------------------ */

static const render_plate_text plate_text = {"51F-446.14", "", "51F44614"};

/* Frame i of the lane: a grey scene; from PLATE_FROM on, a VN one-line plate. The plate's
 * corners go to quad (if not NULL). */
static GstBuffer *lane_frame(int i, gcv_point quad[4])
{
    gcv_image *img = gcv_image_new(W, H, 3);
    assert_non_null(img);
    gcv_fill_rect(img, 0, 0, W, H, 90, 95, 100);
    if (i >= PLATE_FROM) {
        GError *error = NULL;
        gcv_point q[4];
        assert_int_equal(render_plate(img, fonts, RENDER_PLATE_VN_ONE_LINE, &plate_text, PLATE_X,
                                      PLATE_Y, PLATE_H, q, &error),
                         0);
        if (quad)
            memcpy(quad, q, sizeof q);
    }
    GstBuffer *buf = gst_buffer_new_allocate(NULL, (gsize)W * H * 3, NULL);
    GstMapInfo map;
    assert_true(gst_buffer_map(buf, &map, GST_MAP_WRITE));
    for (int y = 0; y < H; y++)
        memcpy(map.data + (gsize)y * W * 3, img->data + (gsize)y * img->stride, (gsize)W * 3);
    gst_buffer_unmap(buf, &map);
    gcv_image_free(img);
    GST_BUFFER_PTS(buf) = gst_util_uint64_scale(i, GST_SECOND, 10);
    GST_BUFFER_DURATION(buf) = GST_SECOND / 10;
    return buf;
}

/* A plain grey BGR frame of w x h. */
static GstBuffer *grey_frame(int i, int w, int h)
{
    GstBuffer *buf = gst_buffer_new_allocate(NULL, (gsize)w * h * 3, NULL);
    gst_buffer_memset(buf, 0, 120, (gsize)w * h * 3);
    GST_BUFFER_PTS(buf) = gst_util_uint64_scale(i, GST_SECOND, 10);
    GST_BUFFER_DURATION(buf) = GST_SECOND / 10;
    return buf;
}

static GstElement *make(const char *factory, const char *name)
{
    GstElement *e = gst_element_factory_make(factory, name);
    if (!e)
        fail_msg("no element %s (GST_PLUGIN_PATH?)", factory);
    return e;
}

/* appsrc ! elements... ! appsink, BGR w x h at 10 fps. */
static GstElement *pipeline_new(int w, int h, GstElement **elements, int n, GstAppSrc **src,
                                GstAppSink **sink)
{
    assert_null(running);
    GstElement *pipeline = running = gst_pipeline_new(NULL);
    GstElement *s = make("appsrc", "src"), *k = make("appsink", "sink");
    GstCaps *caps =
        gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "BGR", "width", G_TYPE_INT, w,
                            "height", G_TYPE_INT, h, "framerate", GST_TYPE_FRACTION, 10, 1, NULL);
    g_object_set(s, "caps", caps, "format", GST_FORMAT_TIME, NULL);
    gst_caps_unref(caps);
    g_object_set(k, "sync", FALSE, NULL);
    gst_bin_add_many(GST_BIN(pipeline), s, k, NULL);
    GstElement *prev = s;
    for (int i = 0; i < n; i++) {
        gst_bin_add(GST_BIN(pipeline), elements[i]);
        assert_true(gst_element_link(prev, elements[i]));
        prev = elements[i];
    }
    assert_true(gst_element_link(prev, k));
    *src = GST_APP_SRC(s);
    *sink = GST_APP_SINK(k);
    return pipeline;
}

/* Fails the test with the text of an error message on the bus, if there is one. */
static void assert_no_bus_error(GstElement *pipeline)
{
    GstBus *bus = gst_element_get_bus(pipeline);
    GstMessage *msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    gst_object_unref(bus);
    if (msg) {
        GError *error = NULL;
        gst_message_parse_error(msg, &error, NULL);
        fail_msg("pipeline error: %s", error->message);
    }
}

/* The next buffer out of the sink (a ref the caller drops), failing on timeout. */
static GstBuffer *pull(GstElement *pipeline, GstAppSink *sink)
{
    GstSample *sample = gst_app_sink_try_pull_sample(sink, TIMEOUT);
    if (!sample)
        assert_no_bus_error(pipeline);
    assert_non_null(sample);
    GstBuffer *buf = gst_buffer_ref(gst_sample_get_buffer(sample));
    gst_sample_unref(sample);
    return buf;
}

/* Stops and frees the test's pipeline. */
static void pipeline_stop(void)
{
    if (!running)
        return;
    gst_element_set_state(running, GST_STATE_NULL);
    gst_object_unref(running);
    running = NULL;
}

static int teardown(void **state)
{
    (void)state;
    pipeline_stop();
    return 0;
}

/* Stops and frees the pipeline of a test that expects no error. */
static void pipeline_free(GstElement *pipeline)
{
    assert_ptr_equal(pipeline, running);
    assert_no_bus_error(pipeline);
    assert_int_equal(gst_element_set_state(pipeline, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    pipeline_stop();
}

/* The read of `text` in a reads meta, or NULL. */
static const gatecv_read *find_read(const GatecvReadsMeta *m, const char *text)
{
    for (guint i = 0; i < m->n_reads; i++)
        if (strcmp(m->reads[i].text, text) == 0)
            return &m->reads[i];
    return NULL;
}

/* Warnings counted while a test expects them: GObject's and the elements' own. */
static int gobject_warnings, element_warnings;

static void count_warning(const gchar *domain, GLogLevelFlags level, const gchar *message,
                          gpointer data)
{
    (void)level;
    (void)message;
    (void)data;
    if (g_strcmp0(domain, "gatecv") == 0)
        element_warnings++;
    else
        gobject_warnings++;
}

static guint handlers[2];

static void count_warnings(gboolean on)
{
    const char *domains[2] = {"GLib-GObject", "gatecv"};
    for (int i = 0; i < 2; i++)
        if (on)
            handlers[i] = g_log_set_handler(domains[i], G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL,
                                            count_warning, NULL);
        else
            g_log_remove_handler(domains[i], handlers[i]);
}

/* g_object_set of an out-of-range value: GObject warns and the old value stays. */
static void assert_int_refused(GstElement *e, const char *prop, int bad, int old)
{
    int before = gobject_warnings;
    g_object_set(e, prop, bad, NULL);
    assert_int_equal(gobject_warnings, before + 1);
    int v;
    g_object_get(e, prop, &v, NULL);
    assert_int_equal(v, old);
}

static void assert_string_prop(GstElement *e, const char *prop, const char *want)
{
    gchar *v = NULL;
    g_object_get(e, prop, &v, NULL);
    if (want)
        assert_string_equal(v, want);
    else
        assert_null(v);
    g_free(v);
}

/* --- gatemotion on its own ---------------------------------------------------------- */

/* A w x h frame of `format` whose grey (luma) is 100, with a 16x16 square of 220 at (sx, sy)
 * if sx >= 0; chroma neutral. */
static GstBuffer *square_frame(GstVideoFormat format, int w, int h, int sx, int sy, int i)
{
    GstVideoInfo info;
    gst_video_info_set_format(&info, format, w, h);
    GstBuffer *buf = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(&info), NULL);
    GstVideoFrame frame;
    assert_true(gst_video_frame_map(&frame, &info, buf, GST_MAP_WRITE));
    for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(&frame); p++) /* chroma planes: 128 */
        memset(GST_VIDEO_FRAME_PLANE_DATA(&frame, p), p ? 128 : 100,
               (gsize)GST_VIDEO_FRAME_PLANE_STRIDE(&frame, p) *
                   GST_VIDEO_FRAME_COMP_HEIGHT(&frame, p));
    guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA(&frame, 0);
    int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0);
    int px = format == GST_VIDEO_FORMAT_BGR ? 3 : 1;
    for (int y = 0; sx >= 0 && y < 16; y++)
        memset(plane + (gsize)(sy + y) * stride + (gsize)sx * px, 220, (gsize)16 * px);
    gst_video_frame_unmap(&frame);
    GST_BUFFER_PTS(buf) = gst_util_uint64_scale(i, GST_SECOND, 10);
    return buf;
}

/* appsrc (64x48 `format` at 10 fps) ! motion ! appsink, PLAYING; src and sink are returned. */
static GstElement *motion_pipeline(GstVideoFormat format, GstElement *motion, GstAppSrc **src,
                                   GstAppSink **sink)
{
    GstElement *pipeline = running = gst_pipeline_new(NULL);
    GstElement *s = make("appsrc", NULL), *k = make("appsink", NULL);
    GstVideoInfo info;
    gst_video_info_set_format(&info, format, 64, 48);
    info.fps_n = 10;
    info.fps_d = 1;
    GstCaps *caps = gst_video_info_to_caps(&info);
    g_object_set(s, "caps", caps, "format", GST_FORMAT_TIME, NULL);
    gst_caps_unref(caps);
    g_object_set(k, "sync", FALSE, NULL);
    gst_bin_add_many(GST_BIN(pipeline), s, motion, k, NULL);
    assert_true(gst_element_link_many(s, motion, k, NULL));
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
    *src = GST_APP_SRC(s);
    *sink = GST_APP_SINK(k);
    return pipeline;
}

/* In every accepted format (grey taken from the Y plane of I420 / NV12) a square appearing
 * in a still scene opens the gate with the square's box; with learning-rate and absorb-rate 1
 * (compare with the previous frame) the next, unchanged frame has nothing moving but is held open for
 * hold-frames=1, and the one after closes the gate. */
static void test_motion_formats(void **state)
{
    (void)state;
    const GstVideoFormat formats[] = {GST_VIDEO_FORMAT_GRAY8, GST_VIDEO_FORMAT_I420,
                                      GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_BGR};
    for (size_t f = 0; f < G_N_ELEMENTS(formats); f++) {
        GstElement *motion = make("gatemotion", NULL);
        g_object_set(motion, "learning-rate", 1.0, "absorb-rate", 1.0, "hold-frames", 1,
                     "min-neighbours", 0, NULL);
        GstAppSrc *src;
        GstAppSink *sink;
        GstElement *pipeline = motion_pipeline(formats[f], motion, &src, &sink);
        const int square_from = 3;
        enum { N = 7 };
        for (int i = 0; i < N; i++)
            gst_app_src_push_buffer(
                src, square_frame(formats[f], 64, 48, i >= square_from ? 32 : -1, 16, i));
        gst_app_src_end_of_stream(src);
        const gboolean want[N] = {FALSE, FALSE, FALSE, TRUE, TRUE, FALSE, FALSE};
        for (int i = 0; i < N; i++) {
            GstBuffer *buf = pull(pipeline, sink);
            GatecvMotionMeta *m = gst_buffer_get_gatecv_motion_meta(buf);
            assert_non_null(m);
            if (m->moving != want[i])
                fail_msg("%s frame %d: moving %d", gst_video_format_to_string(formats[f]), i,
                         m->moving);
            if (i == square_from) {
                assert_int_equal(m->x, 32);
                assert_int_equal(m->y, 16);
                assert_int_equal(m->width, 16);
                assert_int_equal(m->height, 16);
                assert_true(fabs(m->moving_fraction - 16.0 / 192.0) < 1e-6); /* 16 of 16x12 cells */
            }
            if (i == square_from + 1) { /* held open: nothing moves, the last box is kept */
                assert_true(m->moving_fraction == 0.0f);
                assert_int_equal(m->width, 16);
            }
            gst_buffer_unref(buf);
        }
        pipeline_free(pipeline);
    }
}

/* Runs frames 0..n-1 of a 64x48 GRAY8 scene through gatemotion (hold-frames 0) and says
 * which frames it found moving; the square is present in frames [from, to). */
static void motion_of_square(double learning, double absorb, int from, int to, int n,
                             gboolean *moving)
{
    GstElement *motion = make("gatemotion", NULL);
    g_object_set(motion, "learning-rate", learning, "absorb-rate", absorb, "hold-frames", 0,
                 "min-neighbours", 0, NULL);
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = motion_pipeline(GST_VIDEO_FORMAT_GRAY8, motion, &src, &sink);
    for (int i = 0; i < n; i++)
        gst_app_src_push_buffer(src, square_frame(GST_VIDEO_FORMAT_GRAY8, 64, 48,
                                                  i >= from && i < to ? 32 : -1, 16, i));
    gst_app_src_end_of_stream(src);
    for (int i = 0; i < n; i++) {
        GstBuffer *buf = pull(pipeline, sink);
        moving[i] = gst_buffer_get_gatecv_motion_meta(buf)->moving;
        gst_buffer_unref(buf);
    }
    pipeline_free(pipeline);
}

/* Something that stops in the lane stays "moving" while it stands (absorb-rate 0: it is
 * never learnt), and when it leaves, the lane is still: no ghost of it. Learnt like the
 * rest (absorb-rate = learning-rate 0.5) it fades within frames and leaves a ghost. */
static void test_motion_no_ghost(void **state)
{
    (void)state;
    enum { N = 12, FROM = 3, TO = 8 };
    gboolean moving[N];
    motion_of_square(0.5, 0.0, FROM, TO, N, moving);
    for (int i = 0; i < N; i++)
        if (moving[i] != (i >= FROM && i < TO))
            fail_msg("absorb-rate 0: frame %d moving %d", i, moving[i]);
    motion_of_square(0.5, 0.5, FROM, TO, N, moving);
    assert_false(moving[TO - 1]); /* faded into the background while it stood */
    assert_true(moving[TO]);      /* and its ghost moves when it leaves */
}

/* A 64x48 GRAY8 frame of grey 100 with bright 1-pixel lines (rain streaks) or, with
 * square, a solid 16x16 block. */
static GstBuffer *streaks_frame(int i, gboolean square)
{
    GstBuffer *buf = square_frame(GST_VIDEO_FORMAT_GRAY8, 64, 48, square ? 24 : -1, 16, i);
    GstMapInfo map;
    assert_true(gst_buffer_map(buf, &map, GST_MAP_WRITE));
    for (int k = 0; k < 4 && i > 0; k++) /* a new set of streaks every frame */
        for (int y = 2 + (i * 7 + k * 11) % 8; y < 40; y++)
            map.data[y * 64 + (5 + k * 15 + i * 3) % 64] = 230;
    gst_buffer_unmap(buf, &map);
    return buf;
}

/* Rain: streaks moving every frame do not open the gate (each cell they light has at most
 * two lit neighbours) unless min-neighbours is 0; a vehicle-like solid block still does. */
static void test_motion_ignores_streaks(void **state)
{
    (void)state;
    for (int min_neighbours = 0; min_neighbours <= 3; min_neighbours += 3) {
        GstElement *motion = make("gatemotion", NULL);
        g_object_set(motion, "hold-frames", 0, NULL);
        if (min_neighbours == 0)
            g_object_set(motion, "min-neighbours", 0, NULL);
        GstAppSrc *src;
        GstAppSink *sink;
        GstElement *pipeline = motion_pipeline(GST_VIDEO_FORMAT_GRAY8, motion, &src, &sink);
        enum { N = 8, SQUARE_FROM = 6 };
        for (int i = 0; i < N; i++)
            gst_app_src_push_buffer(src, streaks_frame(i, i >= SQUARE_FROM));
        gst_app_src_end_of_stream(src);
        int streak_frames_moving = 0;
        for (int i = 0; i < N; i++) {
            GstBuffer *buf = pull(pipeline, sink);
            GatecvMotionMeta *m = gst_buffer_get_gatecv_motion_meta(buf);
            if (i > 0 && i < SQUARE_FROM)
                streak_frames_moving += m->moving;
            if (i == SQUARE_FROM)
                assert_true(m->moving);
            gst_buffer_unref(buf);
        }
        assert_int_equal(streak_frames_moving, min_neighbours ? 0 : SQUARE_FROM - 1);
        pipeline_free(pipeline);
    }
}

/* Two squares 24 px apart that appear together are two blobs, each with its own box, inside
 * the one box around both; with blob-gap 24 they are one blob, and a held-open frame keeps
 * the last blobs. */
static void test_motion_blobs(void **state)
{
    (void)state;
    const int gaps[] = {8, 24};
    for (size_t g = 0; g < G_N_ELEMENTS(gaps); g++) {
        GstElement *motion = make("gatemotion", NULL);
        g_object_set(motion, "learning-rate", 1.0, "absorb-rate", 1.0, "hold-frames", 1, "blob-gap",
                     gaps[g], NULL);
        GstAppSrc *src;
        GstAppSink *sink;
        GstElement *pipeline = motion_pipeline(GST_VIDEO_FORMAT_GRAY8, motion, &src, &sink);
        for (int i = 0; i < 4; i++) {
            GstBuffer *buf = square_frame(GST_VIDEO_FORMAT_GRAY8, 64, 48, i >= 2 ? 4 : -1, 16, i);
            if (i >= 2) { /* the second square, at x = 44 */
                GstMapInfo map;
                assert_true(gst_buffer_map(buf, &map, GST_MAP_WRITE));
                for (int y = 16; y < 32; y++)
                    memset(map.data + (gsize)y * 64 + 44, 220, 16);
                gst_buffer_unmap(buf, &map);
            }
            gst_app_src_push_buffer(src, buf);
        }
        gst_app_src_end_of_stream(src);
        for (int i = 0; i < 4; i++) {
            GstBuffer *buf = pull(pipeline, sink);
            GatecvMotionMeta *m = gst_buffer_get_gatecv_motion_meta(buf);
            if (i < 2) {
                assert_int_equal(m->n_blobs, 0);
            } else {
                assert_true(m->moving);
                assert_int_equal(m->x, 4);
                assert_int_equal(m->width, 56);
                if (gaps[g] == 8) {
                    assert_int_equal(m->n_blobs, 2);
                    int left = m->blobs[0].x < m->blobs[1].x ? 0 : 1;
                    assert_int_equal(m->blobs[left].x, 4);
                    assert_int_equal(m->blobs[left].width, 16);
                    assert_int_equal(m->blobs[1 - left].x, 44);
                    assert_int_equal(m->blobs[1 - left].width, 16);
                    assert_int_equal(m->blobs[0].y, 16);
                    assert_int_equal(m->blobs[0].height, 16);
                } else {
                    assert_int_equal(m->n_blobs, 1);
                    assert_int_equal(m->blobs[0].x, 4);
                    assert_int_equal(m->blobs[0].width, 56);
                }
            }
            gst_buffer_unref(buf);
        }
        pipeline_free(pipeline);
    }
}

/* The light changes (the whole scene 60 grey levels brighter from one frame to the next):
 * not motion, the gate stays closed and the new light is the background; a square that
 * then appears still opens it. */
static void test_motion_light_change(void **state)
{
    (void)state;
    GstElement *motion = make("gatemotion", NULL);
    g_object_set(motion, "hold-frames", 0, NULL);
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = motion_pipeline(GST_VIDEO_FORMAT_GRAY8, motion, &src, &sink);
    enum { N = 8, LIGHT_FROM = 3, SQUARE_FROM = 6 };
    for (int i = 0; i < N; i++) {
        GstBuffer *buf =
            square_frame(GST_VIDEO_FORMAT_GRAY8, 64, 48, i >= SQUARE_FROM ? 24 : -1, 16, i);
        if (i >= LIGHT_FROM) { /* everything brighter, the square too */
            GstMapInfo map;
            assert_true(gst_buffer_map(buf, &map, GST_MAP_WRITE));
            for (gsize p = 0; p < map.size; p++)
                map.data[p] = (guint8)MIN(255, map.data[p] + 60);
            gst_buffer_unmap(buf, &map);
        }
        gst_app_src_push_buffer(src, buf);
    }
    gst_app_src_end_of_stream(src);
    for (int i = 0; i < N; i++) {
        GstBuffer *buf = pull(pipeline, sink);
        gboolean moving = gst_buffer_get_gatecv_motion_meta(buf)->moving;
        if (moving != (i >= SQUARE_FROM))
            fail_msg("frame %d: moving %d", i, moving);
        gst_buffer_unref(buf);
    }
    pipeline_free(pipeline);
}

/* --- the lane: gatemotion ! gateplate ------------------------------------------------- */

/* A still scene keeps the gate closed and gateplate off the frames; the frame where a plate
 * appears opens the gate with the box of the plate; gateplate, reading only a ROI around the
 * plate, reports it as VN "51F44614" with its polygon in frame coordinates. */
static void test_lane_reads_plate(void **state)
{
    (void)state;
    int pw = render_plate_width(RENDER_PLATE_VN_ONE_LINE, PLATE_H);
    GstElement *motion = make("gatemotion", "motion"), *plate = make("gateplate", "plate");
    gchar *roi =
        g_strdup_printf("%d,%d,%d,%d", PLATE_X - 80, PLATE_Y - 60, pw + 160, PLATE_H + 120);
    g_object_set(plate, "interval", 1, "roi", roi, NULL);
    g_free(roi);
    GstElement *elements[] = {motion, plate};
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = pipeline_new(W, H, elements, 2, &src, &sink);
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);

    enum { N = 8 };
    gcv_point quad[4] = {{0}};
    for (int i = 0; i < N; i++)
        assert_int_equal(gst_app_src_push_buffer(src, lane_frame(i, quad)), GST_FLOW_OK);
    gst_app_src_end_of_stream(src);

    const gatecv_read *found = NULL;
    GstBuffer *found_buf = NULL; /* keeps `found` alive */
    for (int i = 0; i < N; i++) {
        GstBuffer *buf = pull(pipeline, sink);
        assert_int_equal(GST_BUFFER_PTS(buf), gst_util_uint64_scale(i, GST_SECOND, 10));
        GatecvMotionMeta *m = gst_buffer_get_gatecv_motion_meta(buf);
        assert_non_null(m); /* on every buffer */
        GatecvReadsMeta *r = gst_buffer_get_gatecv_reads_meta(buf, "plate");
        if (i < PLATE_FROM) {
            assert_false(m->moving);
            assert_int_equal(m->width, 0);
            assert_null(r);
        } else {
            assert_true(m->moving);
            assert_non_null(r); /* interval=1: every gated frame is read */
            assert_string_equal(r->element, "plate");
        }
        if (i == PLATE_FROM) {
            /* the box of the moving 4x4 cells is the plate, to a cell */
            assert_true(m->moving_fraction > 0.01f);
            assert_true(abs(m->x - PLATE_X) <= 4 && abs(m->y - PLATE_Y) <= 4);
            assert_true(abs(m->x + m->width - (PLATE_X + pw)) <= 4);
            assert_true(abs(m->y + m->height - (PLATE_Y + PLATE_H)) <= 4);
        }
        const gatecv_read *read = r ? find_read(r, "51F44614") : NULL;
        if (read && !found) {
            found = read;
            found_buf = gst_buffer_ref(buf);
        }
        gst_buffer_unref(buf);
    }
    assert_non_null(found);
    assert_true(found->valid);
    assert_int_equal(found->kind, READ_PLATE);
    assert_int_equal(found->country, PLATE_VN);
    assert_string_equal(found->display, "51F-446.14");
    /* read inside the ROI, reported where the plate is in the frame: the text's polygon lies
     * within the plate and spans most of it (unmapped, it would be off by the ROI origin) */
    for (int k = 0; k < 4; k++) {
        assert_true(found->quad[k].x >= quad[0].x - 2 && found->quad[k].x <= quad[2].x + 2);
        assert_true(found->quad[k].y >= quad[0].y - 2 && found->quad[k].y <= quad[2].y + 2);
    }
    assert_true(found->quad[1].x - found->quad[0].x > 0.8f * (quad[1].x - quad[0].x));
    gst_buffer_unref(found_buf);
    pipeline_free(pipeline);
}

/* Without gatemotion every frame counts as gated; interval=3 reads frames 0, 3, 6, and a
 * frame that was read and showed nothing carries a reads meta with no reads. With gate on
 * and a motion meta saying "not moving", nothing is read. model-dir is refused while the
 * element runs. */
static void test_interval_and_gate(void **state)
{
    (void)state;
    GstElement *plate = make("gateplate", NULL);
    g_object_set(plate, "interval", 3, NULL);
    GstElement *elements[] = {plate};
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = pipeline_new(160, 120, elements, 1, &src, &sink);
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
    gchar *name = gst_element_get_name(plate);
    count_warnings(TRUE); /* model-dir cannot change while the models are loaded */
    int before = element_warnings;
    g_object_set(plate, "model-dir", "/elsewhere", NULL);
    count_warnings(FALSE);
    assert_int_equal(element_warnings, before + 1);
    assert_string_prop(plate, "model-dir", gatecv_model_dir(NULL));
    for (int i = 0; i < 7; i++)
        assert_int_equal(gst_app_src_push_buffer(src, grey_frame(i, 160, 120)), GST_FLOW_OK);
    for (int i = 0; i < 3; i++) { /* a motion meta saying the lane is still */
        GstBuffer *buf = grey_frame(7 + i, 160, 120);
        gst_buffer_add_gatecv_motion_meta(buf, FALSE, 0.0f, 0, 0, 0, 0);
        assert_int_equal(gst_app_src_push_buffer(src, buf), GST_FLOW_OK);
    }
    gst_app_src_end_of_stream(src);
    for (int i = 0; i < 10; i++) {
        GstBuffer *buf = pull(pipeline, sink);
        GatecvReadsMeta *r = gst_buffer_get_gatecv_reads_meta(buf, name);
        if (i == 0 || i == 3 || i == 6) {
            assert_non_null(r);
            assert_int_equal(r->n_reads, 0);
            assert_null(r->reads);
        } else {
            assert_null(r);
        }
        gst_buffer_unref(buf);
    }
    g_free(name);
    pipeline_free(pipeline);
}

/* An application that still holds the buffer it pushed gets its pixels back uncopied: the
 * elements put their metas on a new GstBuffer over the same memory, and the buffer the
 * application holds is left without them. */
static void test_frames_not_copied(void **state)
{
    (void)state;
    GstElement *motion = make("gatemotion", NULL), *plate = make("gateplate", NULL);
    g_object_set(plate, "interval", 1, "gate", FALSE, NULL);
    GstElement *elements[] = {motion, plate};
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = pipeline_new(160, 120, elements, 2, &src, &sink);
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
    enum { N = 2 };
    GstBuffer *pushed[N];
    GstMapInfo map[N];
    for (int i = 0; i < N; i++) {
        pushed[i] = grey_frame(i, 160, 120);
        assert_true(gst_buffer_map(pushed[i], &map[i], GST_MAP_READ));
        gst_buffer_unmap(pushed[i], &map[i]); /* keep only the address */
        assert_int_equal(gst_app_src_push_buffer(src, gst_buffer_ref(pushed[i])), GST_FLOW_OK);
    }
    gst_app_src_end_of_stream(src);
    for (int i = 0; i < N; i++) {
        GstBuffer *buf = pull(pipeline, sink);
        GstMapInfo out;
        assert_true(gst_buffer_map(buf, &out, GST_MAP_READ));
        assert_ptr_equal(out.data, map[i].data);
        gst_buffer_unmap(buf, &out);
        assert_non_null(gst_buffer_get_gatecv_motion_meta(buf));
        assert_non_null(gst_buffer_iterate_gatecv_reads_meta(buf, &(gpointer){NULL}));
        assert_null(gst_buffer_get_gatecv_motion_meta(pushed[i]));
        gst_buffer_unref(buf);
        gst_buffer_unref(pushed[i]);
    }
    pipeline_free(pipeline);
}

/* --- decoder formats, both kinds, lateness --------------------------------------------- */

static const render_container_text code_text = {"MSKU1234565", "45G1"};

/* Frame i of a rear view: the lane frame's plate, and a container code above it. */
static GstBuffer *rear_frame(int i)
{
    GstBuffer *buf = lane_frame(PLATE_FROM + i, NULL);
    GstMapInfo map;
    assert_true(gst_buffer_map(buf, &map, GST_MAP_WRITE));
    gcv_image view = {W, H, 3, (size_t)W * 3, map.data};
    GError *error = NULL;
    gcv_point q[4];
    assert_int_equal(render_container_code(&view, fonts, RENDER_CONTAINER_ONE_LINE, &code_text,
                                           false, 60, 40, 40, (render_colour){30, 30, 30}, q,
                                           &error),
                     0);
    gst_buffer_unmap(buf, &map);
    return buf;
}

/* Runs one frame through the elements (in a pipeline of W x H BGR frames) and returns it as
 * it left them. */
static GstBuffer *read_one_frame(GstElement **elements, int n, GstBuffer *in)
{
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = pipeline_new(W, H, elements, n, &src, &sink);
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
    assert_int_equal(gst_app_src_push_buffer(src, in), GST_FLOW_OK);
    gst_app_src_end_of_stream(src);
    GstBuffer *buf = pull(pipeline, sink);
    pipeline_free(pipeline);
    return buf;
}

/* The rear frame's plate was read, valid, and reported where it is in the frame: the text
 * starts inside the plate. */
static void assert_plate_read_in_place(const GatecvReadsMeta *r)
{
    const gatecv_read *p = find_read(r, "51F44614");
    assert_non_null(p);
    assert_true(p->valid);
    assert_true(p->quad[0].x >= PLATE_X - 4 && p->quad[0].x < PLATE_X + 40);
    assert_true(p->quad[0].y >= PLATE_Y - 4 && p->quad[0].y < PLATE_Y + PLATE_H);
}

/* A decoder's I420 frame (here from videoconvert) is read like BGR: gateplate converts the
 * ROI itself. With containers=true one pass reads the plate and the container code; without,
 * only the plate. */
static void test_reads_i420_and_both_kinds(void **state)
{
    (void)state;
    for (int both = 0; both <= 1; both++) {
        GstElement *convert = make("videoconvert", NULL), *filter = make("capsfilter", NULL);
        GstCaps *caps = gst_caps_from_string("video/x-raw,format=I420");
        g_object_set(filter, "caps", caps, NULL);
        gst_caps_unref(caps);
        GstElement *plate = make("gateplate", "plate");
        g_object_set(plate, "gate", FALSE, "interval", 1, "containers", both, "roi",
                     "40,20,560,300", NULL);
        GstElement *elements[] = {convert, filter, plate};
        GstBuffer *buf = read_one_frame(elements, 3, rear_frame(0));
        GatecvReadsMeta *r = gst_buffer_get_gatecv_reads_meta(buf, "plate");
        assert_non_null(r);
        const gatecv_read *k = find_read(r, "MSKU1234565");
        /* in frame coordinates (the ROI starts at 40,20) */
        assert_plate_read_in_place(r);
        if (both) {
            assert_non_null(k);
            assert_int_equal(k->kind, READ_CONTAINER);
            assert_true(k->valid);
        } else {
            assert_null(k);
        }
        gst_buffer_unref(buf);
    }
}

/* With motion-crop a moving frame is read only where it moved, plus a margin:
 * a motion box around the plate reads the plate, in frame coordinates, and not the container
 * code above it; with motion-crop=false, or on a frame whose motion meta has no box, the
 * whole ROI is read and both are found. */
static void test_motion_crop(void **state)
{
    (void)state;
    int pw = render_plate_width(RENDER_PLATE_VN_ONE_LINE, PLATE_H);
    const struct {
        gboolean crop, box;
        gboolean code_read;
    } cases[] = {{TRUE, TRUE, FALSE}, {FALSE, TRUE, TRUE}, {TRUE, FALSE, TRUE}};
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        GstElement *plate = make("gateplate", "plate");
        g_object_set(plate, "interval", 1, "containers", TRUE, "motion-crop", cases[c].crop, NULL);
        gboolean crop;
        g_object_get(plate, "motion-crop", &crop, NULL);
        assert_int_equal(crop, cases[c].crop);
        GstElement *elements[] = {plate};
        GstBuffer *in = rear_frame(0);
        if (cases[c].box) /* the plate moved; the code (y 40-80) lies above the margin */
            gst_buffer_add_gatecv_motion_meta(in, TRUE, 0.05f, PLATE_X, PLATE_Y, pw, PLATE_H);
        else
            gst_buffer_add_gatecv_motion_meta(in, TRUE, 0.05f, 0, 0, 0, 0);
        GstBuffer *buf = read_one_frame(elements, 1, in);
        GatecvReadsMeta *r = gst_buffer_get_gatecv_reads_meta(buf, "plate");
        assert_non_null(r);
        const gatecv_read *k = find_read(r, "MSKU1234565");
        assert_plate_read_in_place(r);
        if (cases[c].code_read)
            assert_non_null(k);
        else
            assert_null(k);
        gst_buffer_unref(buf);
    }
}

/* Frames that reach the reader well behind the pipeline clock are passed on unread when
 * max-lateness says so (a live camera keeps up by reading fewer frames); with the default
 * -1 every due frame is read however late. */
static void test_max_lateness(void **state)
{
    (void)state;
    const int lateness[] = {-1, 300};
    for (size_t k = 0; k < G_N_ELEMENTS(lateness); k++) {
        GstElement *plate = make("gateplate", "plate");
        g_object_set(plate, "gate", FALSE, "interval", 1, "max-lateness", lateness[k], NULL);
        GstElement *elements[] = {plate};
        GstAppSrc *src;
        GstAppSink *sink;
        GstElement *pipeline = pipeline_new(160, 120, elements, 1, &src, &sink);
        /* a live source and a sink that does not wait for a first buffer: the pipeline is
         * PLAYING, and its clock running, before any frame arrives */
        g_object_set(src, "is-live", TRUE, NULL);
        g_object_set(sink, "async", FALSE, NULL);
        assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                             GST_STATE_CHANGE_FAILURE);
        assert_int_equal(gst_element_get_state(pipeline, NULL, NULL, 10 * GST_SECOND),
                         GST_STATE_CHANGE_SUCCESS);
        g_usleep(1500 * 1000); /* the clock runs on: frames stamped 0-0.2 s are 1.3 s late */
        for (int i = 0; i < 3; i++)
            assert_int_equal(gst_app_src_push_buffer(src, grey_frame(i, 160, 120)), GST_FLOW_OK);
        gst_app_src_end_of_stream(src);
        for (int i = 0; i < 3; i++) {
            GstBuffer *buf = pull(pipeline, sink);
            GatecvReadsMeta *r = gst_buffer_get_gatecv_reads_meta(buf, "plate");
            if (lateness[k] < 0)
                assert_non_null(r);
            else
                assert_null(r);
            gst_buffer_unref(buf);
        }
        gint got;
        g_object_get(plate, "max-lateness", &got, NULL);
        assert_int_equal(got, lateness[k]);
        pipeline_free(pipeline);
    }
}

/* --- the metas ---------------------------------------------------------------------- */

/* Both metas are copied (deeply) with the buffer, one reads meta per element, and a scale
 * transform (what videoscale does) rescales their coordinates. */
static void test_meta_copy_and_scale(void **state)
{
    (void)state;
    GstBuffer *buf = gst_buffer_new_allocate(NULL, 64, NULL);
    GatecvMotionMeta *added = gst_buffer_add_gatecv_motion_meta(buf, TRUE, 0.25f, 40, 20, 100, 50);
    added->n_blobs = 2;
    added->blobs[0] = (GatecvMotionBox){40, 20, 60, 50};
    added->blobs[1] = (GatecvMotionBox){120, 30, 20, 40};
    gatecv_read reads[2];
    memset(reads, 0, sizeof reads);
    g_strlcpy(reads[0].text, "51F44614", sizeof reads[0].text);
    reads[0].valid = true;
    reads[0].country = PLATE_VN;
    reads[0].quad[0] = (gcv_point){100, 50};
    reads[0].quad[2] = (gcv_point){300, 110};
    g_strlcpy(reads[1].text, "MSKU1234565", sizeof reads[1].text);
    reads[1].kind = READ_CONTAINER;
    assert_non_null(gst_buffer_add_gatecv_reads_meta(buf, reads, 1, "plate"));
    assert_non_null(gst_buffer_add_gatecv_reads_meta(buf, &reads[1], 1, "container"));
    memset(reads, 0, sizeof reads); /* the metas hold copies */

    GstBuffer *copy = gst_buffer_copy(buf);
    gst_buffer_unref(buf);
    GatecvMotionMeta *m = gst_buffer_get_gatecv_motion_meta(copy);
    assert_non_null(m);
    assert_true(m->moving);
    assert_true(m->moving_fraction == 0.25f);
    assert_int_equal(m->x, 40);
    assert_int_equal(m->height, 50);
    assert_int_equal(m->n_blobs, 2);
    assert_int_equal(m->blobs[1].x, 120);
    assert_int_equal(m->blobs[1].height, 40);
    int n = 0;
    gpointer iter = NULL;
    while (gst_buffer_iterate_gatecv_reads_meta(copy, &iter))
        n++;
    assert_int_equal(n, 2);
    GatecvReadsMeta *p = gst_buffer_get_gatecv_reads_meta(copy, "plate");
    GatecvReadsMeta *c = gst_buffer_get_gatecv_reads_meta(copy, "container");
    assert_non_null(p);
    assert_non_null(c);
    assert_null(gst_buffer_get_gatecv_reads_meta(copy, "other"));
    assert_int_equal(p->n_reads, 1);
    assert_string_equal(p->reads[0].text, "51F44614");
    assert_true(p->reads[0].valid);
    assert_string_equal(c->reads[0].text, "MSKU1234565");

    /* videoscale 640x360 -> 320x180 */
    GstVideoInfo in, out;
    gst_video_info_set_format(&in, GST_VIDEO_FORMAT_BGR, 640, 360);
    gst_video_info_set_format(&out, GST_VIDEO_FORMAT_BGR, 320, 180);
    GstVideoMetaTransform scale = {&in, &out};
    GstBuffer *scaled = gst_buffer_new();
    const GstMetaInfo *mi = GATECV_MOTION_META_INFO;
    assert_true(mi->transform_func(scaled, (GstMeta *)m, copy,
                                   gst_video_meta_transform_scale_get_quark(), &scale));
    mi = GATECV_READS_META_INFO;
    assert_true(mi->transform_func(scaled, (GstMeta *)p, copy,
                                   gst_video_meta_transform_scale_get_quark(), &scale));
    GatecvMotionMeta *sm = gst_buffer_get_gatecv_motion_meta(scaled);
    assert_int_equal(sm->x, 20);
    assert_int_equal(sm->y, 10);
    assert_int_equal(sm->width, 50);
    assert_int_equal(sm->height, 25);
    assert_int_equal(sm->n_blobs, 2);
    assert_int_equal(sm->blobs[1].x, 60);
    assert_int_equal(sm->blobs[1].y, 15);
    assert_int_equal(sm->blobs[1].width, 10);
    assert_int_equal(sm->blobs[1].height, 20);
    GatecvReadsMeta *sp = gst_buffer_get_gatecv_reads_meta(scaled, "plate");
    assert_true(sp->reads[0].quad[2].x == 150.0f && sp->reads[0].quad[2].y == 55.0f);
    assert_true(p->reads[0].quad[2].x == 300.0f); /* the source is untouched */
    gst_buffer_unref(scaled);
    gst_buffer_unref(copy);
}

/* --- properties ------------------------------------------------------------------------- */

/* Every property reads back what was set (ROIs in canonical form) and has its documented
 * default; out-of-range numbers are refused by GObject, malformed roi and plates strings by
 * the element, and in each case the old value stays. */
static void test_properties(void **state)
{
    (void)state;
    count_warnings(TRUE);
    GstElement *motion = make("gatemotion", NULL);
    gint threshold;
    gdouble min_fraction, learning_rate;
    guint hold;
    g_object_get(motion, "threshold", &threshold, "min-fraction", &min_fraction, "learning-rate",
                 &learning_rate, "hold-frames", &hold, NULL);
    assert_int_equal(threshold, 25);
    assert_true(min_fraction == 0.01 && learning_rate == 0.05);
    assert_int_equal(hold, 12);
    gdouble absorb_rate;
    gint min_neighbours;
    g_object_get(motion, "absorb-rate", &absorb_rate, "min-neighbours", &min_neighbours, NULL);
    assert_true(absorb_rate == 0.05);
    assert_int_equal(min_neighbours, 3);
    assert_int_refused(motion, "min-neighbours", 9, 3);
    gint blob_gap;
    g_object_get(motion, "blob-gap", &blob_gap, NULL);
    assert_int_equal(blob_gap, 8);
    assert_int_refused(motion, "blob-gap", -1, 8);
    assert_string_prop(motion, "roi", NULL);
    g_object_set(motion, "threshold", 40, "min-fraction", 0.2, "learning-rate", 0.5, "hold-frames",
                 3, "roi", " 0, 200,1280 ,520", NULL);
    g_object_get(motion, "threshold", &threshold, "min-fraction", &min_fraction, "learning-rate",
                 &learning_rate, "hold-frames", &hold, NULL);
    assert_int_equal(threshold, 40);
    assert_true(min_fraction == 0.2 && learning_rate == 0.5);
    assert_int_equal(hold, 3);
    assert_string_prop(motion, "roi", "0,200,1280,520");
    assert_int_refused(motion, "threshold", 0, 40);
    assert_int_refused(motion, "threshold", 256, 40);
    const char *bad_rois[] = {"1,2,3",    "1,2,3,4,5",    "a,b,c,d",    "-1,0,10,10",
                              "0,0,0,10", "0,0,10,99999", "10 20 30 40"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad_rois); i++) { /* refused, with a warning */
        int before = element_warnings;
        g_object_set(motion, "roi", bad_rois[i], NULL);
        assert_int_equal(element_warnings, before + 1);
        assert_string_prop(motion, "roi", "0,200,1280,520");
    }
    g_object_set(motion, "roi", "", NULL); /* back to the whole frame */
    assert_string_prop(motion, "roi", NULL);
    gst_object_unref(motion);

    GstElement *plate = make("gateplate", NULL);
    guint interval;
    gint det_size, threads, ocr;
    gboolean gate;
    g_object_get(plate, "interval", &interval, "det-size", &det_size, "threads", &threads, "ocr",
                 &ocr, "gate", &gate, NULL);
    assert_int_equal(interval, 5);
    assert_int_equal(det_size, 960);
    assert_int_equal(threads, 1);
    assert_int_equal(ocr, OCR_PPOCR);
    assert_true(gate);
    assert_string_prop(plate, "plates", "vn,cn,generic");
    assert_string_prop(plate, "model-dir", gatecv_model_dir(NULL));
    gint max_lateness;
    gboolean containers;
    g_object_get(plate, "max-lateness", &max_lateness, "containers", &containers, NULL);
    assert_int_equal(max_lateness, -1);
    assert_false(containers);
    gboolean motion_crop;
    g_object_get(plate, "motion-crop", &motion_crop, NULL);
    assert_false(motion_crop);
    assert_int_refused(plate, "max-lateness", -2, -1);
    g_object_set(plate, "interval", 7, "det-size", 640, "threads", 2, "gate", FALSE, "roi",
                 "10,20,300,200", "plates", "cn,vn", "model-dir", "/tmp/m", NULL);
    gst_util_set_object_arg(G_OBJECT(plate), "ocr", "tesseract");
    g_object_get(plate, "interval", &interval, "det-size", &det_size, "threads", &threads, "ocr",
                 &ocr, "gate", &gate, NULL);
    assert_int_equal(interval, 7);
    assert_int_equal(det_size, 640);
    assert_int_equal(threads, 2);
    assert_int_equal(ocr, OCR_TESSERACT);
    assert_false(gate);
    assert_string_prop(plate, "roi", "10,20,300,200");
    assert_string_prop(plate, "plates", "vn,cn");
    assert_string_prop(plate, "model-dir", "/tmp/m");
    assert_int_refused(plate, "interval", 0, 7);
    assert_int_refused(plate, "interval", 1001, 7);
    assert_int_refused(plate, "det-size", 159, 640);
    assert_int_refused(plate, "det-size", 2049, 640);
    assert_int_refused(plate, "threads", 65, 2);
    int before = element_warnings;
    g_object_set(plate, "roi", "10,20,300", "plates", "vn,us", NULL);
    assert_int_equal(element_warnings, before + 2);
    assert_string_prop(plate, "roi", "10,20,300,200");
    assert_string_prop(plate, "plates", "vn,cn");
    gst_object_unref(plate);

    GstElement *container = make("gatecontainer", NULL);
    assert_null(g_object_class_find_property(G_OBJECT_GET_CLASS(container), "plates"));
    assert_null(g_object_class_find_property(G_OBJECT_GET_CLASS(container), "containers"));
    assert_non_null(g_object_class_find_property(G_OBJECT_GET_CLASS(container), "max-lateness"));
    assert_non_null(g_object_class_find_property(G_OBJECT_GET_CLASS(container), "det-size"));
    gst_object_unref(container);
    count_warnings(FALSE);
}

/* --- errors ---------------------------------------------------------------------------- */

/* A model folder without the models: starting fails with an error message from the reader
 * element that names the missing file (and says how to get it), and nothing crashes. */
static void test_bad_model_dir(void **state)
{
    (void)state;
    const char *kinds[] = {"gateplate", "gatecontainer"};
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        GstElement *reader = make(kinds[k], "reader");
        g_object_set(reader, "model-dir", "/nonexistent/gatecv-models", NULL);
        GstElement *elements[] = {reader};
        GstAppSrc *src;
        GstAppSink *sink;
        GstElement *pipeline = pipeline_new(160, 120, elements, 1, &src, &sink);
        assert_int_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
        GstBus *bus = gst_element_get_bus(pipeline);
        GstMessage *msg = gst_bus_timed_pop_filtered(bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
        assert_non_null(msg);
        assert_ptr_equal(GST_MESSAGE_SRC(msg), reader);
        GError *error = NULL;
        gchar *debug = NULL;
        gst_message_parse_error(msg, &error, &debug);
        assert_true(g_error_matches(error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
        assert_non_null(strstr(error->message, "/nonexistent/gatecv-models/"));
        assert_true(strstr(error->message, "keys.txt") || strstr(error->message, ".onnx"));
        assert_non_null(strstr(error->message, "fetch-models.sh"));
        g_error_free(error);
        g_free(debug);
        gst_message_unref(msg);
        gst_object_unref(bus);
        assert_int_equal(gst_element_set_state(pipeline, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
        pipeline_stop();
    }
}

/* A ROI entirely outside the frame stops the stream with an error naming the ROI. */
static void test_roi_outside_frame(void **state)
{
    (void)state;
    GstElement *motion = make("gatemotion", "motion");
    g_object_set(motion, "roi", "500,0,100,100", NULL);
    GstElement *elements[] = {motion};
    GstAppSrc *src;
    GstAppSink *sink;
    GstElement *pipeline = pipeline_new(160, 120, elements, 1, &src, &sink);
    assert_int_not_equal(gst_element_set_state(pipeline, GST_STATE_PLAYING),
                         GST_STATE_CHANGE_FAILURE);
    gst_app_src_push_buffer(src, grey_frame(0, 160, 120));
    GstBus *bus = gst_element_get_bus(pipeline);
    GstMessage *msg = gst_bus_timed_pop_filtered(bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
    assert_non_null(msg);
    assert_ptr_equal(GST_MESSAGE_SRC(msg), motion);
    GError *error = NULL;
    gst_message_parse_error(msg, &error, NULL);
    assert_non_null(strstr(error->message, "500,0,100,100"));
    g_error_free(error);
    gst_message_unref(msg);
    gst_object_unref(bus);
    pipeline_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_properties, teardown),
        cmocka_unit_test_teardown(test_meta_copy_and_scale, teardown),
        cmocka_unit_test_teardown(test_bad_model_dir, teardown),
        cmocka_unit_test_teardown(test_roi_outside_frame, teardown),
        cmocka_unit_test_teardown(test_motion_formats, teardown),
        cmocka_unit_test_teardown(test_motion_no_ghost, teardown),
        cmocka_unit_test_teardown(test_motion_ignores_streaks, teardown),
        cmocka_unit_test_teardown(test_motion_light_change, teardown),
        cmocka_unit_test_teardown(test_motion_blobs, teardown),
        cmocka_unit_test_teardown(test_frames_not_copied, teardown),
        cmocka_unit_test_teardown(test_interval_and_gate, teardown),
        cmocka_unit_test_teardown(test_lane_reads_plate, teardown),
        cmocka_unit_test_teardown(test_reads_i420_and_both_kinds, teardown),
        cmocka_unit_test_teardown(test_max_lateness, teardown),
        cmocka_unit_test_teardown(test_motion_crop, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
