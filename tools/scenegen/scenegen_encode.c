/*
 * scenegen_encode.c — the GStreamer side of gatecv-scenegen: building the encoding
 * pipeline, pushing timestamped BGR buffers into appsrc, turning bus errors into
 * GErrors, and finishing the file on end-of-stream.
 */
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>

#include "scenegen_encode.h"

#define QUEUED_FRAMES 4

struct sg_encoder {
    GstElement *pipeline;
    GstElement *src;
    GstBus *bus;
    GstVideoInfo info;
    int fps;
    char *path;
};

static GQuark encode_quark(void)
{
    return g_quark_from_static_string("gatecv-scenegen-encode");
}

/* Words the ERROR message msg as a GError. */
static void set_error_from(const sg_encoder *e, GstMessage *msg, GError **error)
{
    GError *err = NULL;
    gchar *debug = NULL;
    gst_message_parse_error(msg, &err, &debug);
    g_set_error(error, encode_quark(), 1, "%s: encoding failed in %s: %s", e->path,
                GST_OBJECT_NAME(GST_MESSAGE_SRC(msg)), err ? err->message : "unknown error");
    g_clear_error(&err);
    g_free(debug);
}

/* True (and a GError) if an ERROR message arrives on the bus within `wait`. */
static bool bus_error(sg_encoder *e, GstClockTime wait, GError **error)
{
    GstMessage *msg = gst_bus_timed_pop_filtered(e->bus, wait, GST_MESSAGE_ERROR);
    if (!msg)
        return false;
    set_error_from(e, msg, error);
    gst_message_unref(msg);
    return true;
}

static void encoder_free(sg_encoder *e)
{
    if (!e)
        return;
    if (e->pipeline) {
        gst_element_set_state(e->pipeline, GST_STATE_NULL);
        gst_object_unref(e->pipeline);
    }
    if (e->src)
        gst_object_unref(e->src);
    if (e->bus)
        gst_object_unref(e->bus);
    g_free(e->path);
    g_free(e);
}

/* One encoder thread: with its sliced threads x264 gave other frames on every run, so the
 * same seed made a different recording (rendering costs far more than encoding). */
static GstElement *build_pipeline(int fps, GError **error)
{
    gchar *desc = g_strdup_printf(
        "appsrc name=src format=time is-live=false block=true ! videoconvert ! "
        "video/x-raw,format=I420 ! x264enc speed-preset=ultrafast tune=zerolatency threads=1 "
        "key-int-max=%d ! h264parse ! matroskamux ! filesink name=sink",
        fps);
    GstElement *pipeline = gst_parse_launch(desc, error);
    g_free(desc);
    return pipeline;
}

sg_encoder *sg_encoder_open(const char *path, int width, int height, int fps, GError **error)
{
    sg_encoder *e = g_new0(sg_encoder, 1);
    e->fps = fps;
    e->path = g_strdup(path);
    e->pipeline = build_pipeline(fps, error);
    if (!e->pipeline) {
        encoder_free(e);
        return NULL;
    }
    e->src = gst_bin_get_by_name(GST_BIN(e->pipeline), "src");
    GstElement *sink = gst_bin_get_by_name(GST_BIN(e->pipeline), "sink");
    g_object_set(sink, "location", path, NULL);
    gst_object_unref(sink);
    gst_video_info_set_format(&e->info, GST_VIDEO_FORMAT_BGR, (guint)width, (guint)height);
    GST_VIDEO_INFO_FPS_N(&e->info) = fps;
    GST_VIDEO_INFO_FPS_D(&e->info) = 1;
    GstCaps *caps = gst_video_info_to_caps(&e->info);
    g_object_set(e->src, "caps", caps, "max-bytes", (guint64)e->info.size * QUEUED_FRAMES, NULL);
    gst_caps_unref(caps);
    e->bus = gst_element_get_bus(e->pipeline);
    if (gst_element_set_state(e->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        if (!bus_error(e, 0, error))
            g_set_error(error, encode_quark(), 1, "%s: cannot start the encoding pipeline", path);
        encoder_free(e);
        return NULL;
    }
    return e;
}

/* A buffer holding the image in GStreamer's BGR layout (rows padded to 4 bytes). */
static GstBuffer *frame_buffer(const sg_encoder *e, const gcv_image *bgr, int index)
{
    GstBuffer *buf = gst_buffer_new_allocate(NULL, e->info.size, NULL);
    GstMapInfo map;
    if (!buf || !gst_buffer_map(buf, &map, GST_MAP_WRITE)) {
        if (buf)
            gst_buffer_unref(buf);
        return NULL;
    }
    size_t row = (size_t)bgr->width * 3, stride = (size_t)GST_VIDEO_INFO_PLANE_STRIDE(&e->info, 0);
    for (int y = 0; y < bgr->height; y++)
        memcpy(map.data + y * stride, bgr->data + (size_t)y * bgr->stride, row);
    gst_buffer_unmap(buf, &map);
    GST_BUFFER_PTS(buf) = gst_util_uint64_scale((guint64)index, GST_SECOND, (guint64)e->fps);
    GST_BUFFER_DURATION(buf) = gst_util_uint64_scale(1, GST_SECOND, (guint64)e->fps);
    return buf;
}

bool sg_encoder_push(sg_encoder *e, const gcv_image *bgr, int index, GError **error)
{
    if (bgr->width != GST_VIDEO_INFO_WIDTH(&e->info) ||
        bgr->height != GST_VIDEO_INFO_HEIGHT(&e->info) || bgr->channels != 3) {
        g_set_error(error, encode_quark(), 1, "%s: frame %d is not %dx%d BGR", e->path, index,
                    GST_VIDEO_INFO_WIDTH(&e->info), GST_VIDEO_INFO_HEIGHT(&e->info));
        return false;
    }
    if (bus_error(e, 0, error)) /* never push into a stopped pipeline: it would block */
        return false;
    GstBuffer *buf = frame_buffer(e, bgr, index);
    if (!buf) {
        g_set_error(error, encode_quark(), 1, "%s: out of memory for frame %d", e->path, index);
        return false;
    }
    GstFlowReturn flow = gst_app_src_push_buffer(GST_APP_SRC(e->src), buf); /* takes buf */
    if (bus_error(e, 0, error))
        return false;
    if (flow != GST_FLOW_OK) {
        g_set_error(error, encode_quark(), 1, "%s: frame %d refused (%s)", e->path, index,
                    gst_flow_get_name(flow));
        return false;
    }
    return true;
}

bool sg_encoder_close(sg_encoder *e, GError **error)
{
    gst_app_src_end_of_stream(GST_APP_SRC(e->src));
    GstMessage *msg = gst_bus_timed_pop_filtered(e->bus, GST_CLOCK_TIME_NONE,
                                                 GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    bool ok = true;
    if (msg && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
        set_error_from(e, msg, error);
        ok = false;
    }
    if (msg)
        gst_message_unref(msg);
    encoder_free(e);
    return ok;
}

void sg_encoder_abort(sg_encoder *e)
{
    encoder_free(e);
}
