/*
 * camera_pipeline.c — builds, runs and restarts one camera's GStreamer pipeline and
 * turns its frames into lane observations. Owns the pipeline and its bus watch.
 */
#define G_LOG_DOMAIN "gatecvd"
#include "camera_pipeline.h"

#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "gatecvframe.h"
#include "gatecvmeta.h"

#define BACKOFF_FIRST_S 1
#define BACKOFF_MAX_S 30

struct camera_pipeline {
    const lane_config *config;
    int camera;
    const lane_camera *cam;
    camera_options opts;
    camera_sink sink;
    GstElement *pipeline;
    guint bus_watch;
    guint retry_source;
    guint backoff_s;
    gboolean live;
    gboolean ended;
    double last_t;
};

gboolean camera_uri_is_live(const char *uri)
{
    return !g_str_has_prefix(uri, "file://");
}

static char *roi_string(const lane_rect *r)
{
    if (r->width == 0)
        return g_strdup("");
    return g_strdup_printf("roi=%d,%d,%d,%d", r->x, r->y, r->width, r->height);
}

/* A camera that runs against the clock (live, or a replay with --realtime) must keep up:
 * its readers skip frames that are this late and read the next one instead. A replay as
 * fast as the CPU allows reads every due frame, so it gives the same events everywhere. */
#define KEEP_UP_LATENESS_MS 200

/* The one reader element of a camera: a camera that sees both kinds (the rear: plate and
 * door codes) reads them in one pass, so each frame read costs one text detection. */
static char *reader_element(const camera_pipeline *p, const char *roi, const char *model)
{
    gboolean plates = lane_role_can(p->cam->role, LANE_CAN_READ_PLATES);
    gboolean codes = lane_role_can(p->cam->role, LANE_CAN_READ_CODES);
    gboolean keep_up = p->live || p->opts.realtime;
    return g_strdup_printf("! %s %s interval=%u max-lateness=%d %s %s ",
                           plates ? "gateplate" : "gatecontainer",
                           plates && codes ? "containers=true" : "", p->opts.read_interval,
                           keep_up ? KEEP_UP_LATENESS_MS : -1, roi, model);
}

static char *pipeline_description(const camera_pipeline *p)
{
    char *roi = roi_string(&p->cam->roi);
    char *model =
        p->opts.model_dir ? g_strdup_printf("model-dir=\"%s\"", p->opts.model_dir) : g_strdup("");
    char *reader = reader_element(p, roi, model);
    char *uri = g_strescape(p->cam->uri, NULL);
    char *desc = g_strdup_printf("uridecodebin uri=\"%s\" ! videoconvert "
                                 "! video/x-raw,format=(string){I420,NV12} "
                                 "! gatemotion name=motion %s %s! appsink name=sink sync=%s "
                                 "max-buffers=4 drop=false",
                                 uri, roi, reader, p->opts.realtime ? "true" : "false");
    g_free(uri);
    g_free(reader);
    g_free(roi);
    g_free(model);
    return desc;
}

/* All reads of the buffer (every reading element's meta), in one array. */
static GArray *buffer_reads(GstBuffer *buf)
{
    GArray *reads = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    gpointer state = NULL;
    GatecvReadsMeta *m;
    while ((m = gst_buffer_iterate_gatecv_reads_meta(buf, &state)))
        g_array_append_vals(reads, m->reads, m->n_reads);
    return reads;
}

static GstFlowReturn on_sample(GstAppSink *appsink, gpointer user)
{
    camera_pipeline *p = user;
    GstSample *sample = gst_app_sink_pull_sample(appsink);
    if (!sample)
        return GST_FLOW_EOS;
    GstBuffer *buf = gst_sample_get_buffer(sample);
    GstVideoInfo info;
    if (!buf || !gst_video_info_from_caps(&info, gst_sample_get_caps(sample))) {
        gst_sample_unref(sample);
        return GST_FLOW_OK;
    }
    GatecvMotionMeta *motion = gst_buffer_get_gatecv_motion_meta(buf);
    GArray *reads = buffer_reads(buf);
    lane_observation o = {0};
    o.camera = p->camera;
    o.t = GST_BUFFER_PTS_IS_VALID(buf) ? (double)GST_BUFFER_PTS(buf) / GST_SECOND : p->last_t;
    o.moving = motion && motion->moving;
    if (o.moving) {
        o.x = (float)motion->x;
        o.y = (float)motion->y;
        o.width = (float)motion->width;
        o.height = (float)motion->height;
        o.n_blobs = (int)MIN(motion->n_blobs, LANE_MAX_BLOBS);
        for (int i = 0; i < o.n_blobs; i++)
            o.blobs[i] = (lane_box){(float)motion->blobs[i].x, (float)motion->blobs[i].y,
                                    (float)motion->blobs[i].width, (float)motion->blobs[i].height};
    }
    o.reads = (const gatecv_read *)reads->data;
    o.n_reads = (int)reads->len;
    /* The frame in BGR for the fusion's evidence pictures. Frames arrive as the decoder
     * gave them (converting every frame would cost more than decoding), so only frames
     * with reads, the ones evidence can come from, are converted. */
    gcv_image *frame = NULL;
    GstVideoFrame vf;
    if (reads->len > 0 && gst_video_frame_map(&vf, &info, buf, GST_MAP_READ)) {
        frame = gatecv_frame_region_to_bgr(&vf, 0, 0, GST_VIDEO_FRAME_WIDTH(&vf),
                                           GST_VIDEO_FRAME_HEIGHT(&vf));
        gst_video_frame_unmap(&vf);
    }
    o.frame = frame;
    p->last_t = o.t;
    p->sink.observe(&o, p->sink.user);
    gcv_image_free(frame);
    g_array_free(reads, TRUE);
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

static void end_camera(camera_pipeline *p)
{
    if (p->ended)
        return;
    p->ended = TRUE;
    gst_element_set_state(p->pipeline, GST_STATE_NULL);
    p->sink.done(p->camera, p->last_t, p->sink.user);
}

static gboolean retry(gpointer user)
{
    camera_pipeline *p = user;
    p->retry_source = 0;
    g_message("camera %s: starting again (%s)", p->cam->name, p->cam->uri);
    camera_pipeline_start(p);
    return G_SOURCE_REMOVE;
}

static gboolean on_bus(GstBus *bus, GstMessage *msg, gpointer user)
{
    (void)bus;
    camera_pipeline *p = user;
    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_EOS:
        g_message("camera %s: end of stream at %.2f s", p->cam->name, p->last_t);
        end_camera(p);
        break;
    case GST_MESSAGE_ERROR: {
        GError *err = NULL;
        gchar *dbg = NULL;
        gst_message_parse_error(msg, &err, &dbg);
        g_warning("camera %s (%s): %s: %s", p->cam->name, p->cam->uri,
                  GST_OBJECT_NAME(GST_MESSAGE_SRC(msg)), err->message);
        g_debug("camera %s: %s", p->cam->name, dbg ? dbg : "");
        g_error_free(err);
        g_free(dbg);
        if (!p->live) {
            g_warning("camera %s: recording unusable from %.2f s on; this camera ends, the others "
                      "go on",
                      p->cam->name, p->last_t);
            end_camera(p);
        } else if (!p->retry_source) {
            gst_element_set_state(p->pipeline, GST_STATE_NULL);
            g_message("camera %s: retrying in %u s", p->cam->name, p->backoff_s);
            p->retry_source = g_timeout_add_seconds(p->backoff_s, retry, p);
            p->backoff_s = MIN(p->backoff_s * 2, BACKOFF_MAX_S);
        }
        break;
    }
    case GST_MESSAGE_STATE_CHANGED:
        if (GST_MESSAGE_SRC(msg) == GST_OBJECT(p->pipeline)) {
            GstState now;
            gst_message_parse_state_changed(msg, NULL, &now, NULL);
            if (now == GST_STATE_PLAYING)
                p->backoff_s = BACKOFF_FIRST_S;
        }
        break;
    default:
        break;
    }
    return G_SOURCE_CONTINUE;
}

camera_pipeline *camera_pipeline_new(const lane_config *config, int camera,
                                     const camera_options *opts, const camera_sink *sink,
                                     GError **error)
{
    camera_pipeline *p = g_new0(camera_pipeline, 1);
    p->config = config;
    p->camera = camera;
    p->cam = &config->cameras[camera];
    p->opts = *opts;
    p->sink = *sink;
    p->live = camera_uri_is_live(p->cam->uri);
    p->backoff_s = BACKOFF_FIRST_S;
    char *desc = pipeline_description(p);
    GError *perr = NULL;
    p->pipeline = gst_parse_launch(desc, &perr);
    g_free(desc);
    if (!p->pipeline || perr) {
        g_set_error(error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
                    "camera %s: cannot build its pipeline: %s (is the gatecv plugin built?)",
                    p->cam->name, perr ? perr->message : "unknown error");
        g_clear_error(&perr);
        if (p->pipeline)
            gst_object_unref(p->pipeline);
        g_free(p);
        return NULL;
    }
    gst_element_set_name(p->pipeline, p->cam->name);
    GstElement *appsink = gst_bin_get_by_name(GST_BIN(p->pipeline), "sink");
    GstAppSinkCallbacks cb = {0};
    cb.new_sample = on_sample;
    gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &cb, p, NULL);
    gst_object_unref(appsink);
    GstBus *bus = gst_element_get_bus(p->pipeline);
    p->bus_watch = gst_bus_add_watch(bus, on_bus, p);
    gst_object_unref(bus);
    return p;
}

void camera_pipeline_start(camera_pipeline *p)
{
    if (gst_element_set_state(p->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        g_warning("camera %s: cannot start (%s); the bus says why", p->cam->name, p->cam->uri);
}

void camera_pipeline_free(camera_pipeline *p)
{
    if (!p)
        return;
    if (p->retry_source)
        g_source_remove(p->retry_source);
    gst_element_set_state(p->pipeline, GST_STATE_NULL);
    g_source_remove(p->bus_watch);
    gst_object_unref(p->pipeline);
    g_free(p);
}
