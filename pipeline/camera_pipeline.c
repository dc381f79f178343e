/*
 * camera_pipeline.c — builds, runs and restarts one camera's GStreamer pipeline and
 * turns its frames into lane observations, sending the frames worth a read to the readers.
 * Owns the pipeline, its bus watch, its frame selection and its hold.
 */
#define G_LOG_DOMAIN "gatecvd"
#include "camera_pipeline.h"

#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "calib_load.h"
#include "calib_undistort.h"
#include "frame_select.h"
#include "gatecvmeta.h"
#include "read_hold.h"

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
    read_what what;      /* what its frames are read for */
    frame_select select; /* which frames are worth a read (streaming thread) */
    read_hold *hold;     /* its observations until their reads are back */
    gcv_undistort *undistort; /* the read area's maps once a frame fitted its calibration
                               * (calib_undistort.h); NULL: none or no intrinsics */
    gboolean calib_fits;      /* a frame fitted: the maps are made */
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

static char *pipeline_description(const camera_pipeline *p)
{
    char *roi = roi_string(&p->cam->roi);
    char *uri = g_strescape(p->cam->uri, NULL);
    char *desc = g_strdup_printf("uridecodebin uri=\"%s\" ! videoconvert "
                                 "! video/x-raw,format=(string){I420,NV12} "
                                 "! gatemotion name=motion %s ! appsink name=sink sync=%s "
                                 "max-buffers=4 drop=false",
                                 uri, roi, p->opts.realtime ? "true" : "false");
    g_free(uri);
    g_free(roi);
    return desc;
}

/* The camera's ROI inside a width x height frame (the whole frame when unset). */
static lane_rect frame_area(const lane_rect *roi, int width, int height)
{
    if (roi->width == 0)
        return (lane_rect){0, 0, width, height};
    int x0 = CLAMP(roi->x, 0, width), y0 = CLAMP(roi->y, 0, height);
    int x1 = CLAMP(roi->x + roi->width, 0, width), y1 = CLAMP(roi->y + roi->height, 0, height);
    return (lane_rect){x0, y0, x1 - x0, y1 - y0};
}

/* How sharp the moving box of the frame is (frame_sharpness), 0 if it cannot be mapped. */
static double box_sharpness(GstBuffer *buf, const GstVideoInfo *info, const lane_box *box)
{
    GstVideoFrame vf;
    if (!gst_video_frame_map(&vf, info, buf, GST_MAP_READ))
        return 0;
    double s = frame_sharpness(GST_VIDEO_FRAME_PLANE_DATA(&vf, 0),
                               GST_VIDEO_FRAME_PLANE_STRIDE(&vf, 0), GST_VIDEO_FRAME_WIDTH(&vf),
                               GST_VIDEO_FRAME_HEIGHT(&vf), box);
    gst_video_frame_unmap(&vf);
    return s;
}

/* The frame's observation as the motion gate saw it (reads come later). */
static void motion_observation(camera_pipeline *p, GstBuffer *buf, lane_observation *o)
{
    GatecvMotionMeta *motion = gst_buffer_get_gatecv_motion_meta(buf);
    *o = (lane_observation){0};
    o->camera = p->camera;
    o->t = GST_BUFFER_PTS_IS_VALID(buf) ? (double)GST_BUFFER_PTS(buf) / GST_SECOND : p->last_t;
    o->moving = motion && motion->moving;
    if (!o->moving)
        return;
    o->x = (float)motion->x;
    o->y = (float)motion->y;
    o->width = (float)motion->width;
    o->height = (float)motion->height;
    o->n_blobs = (int)MIN(motion->n_blobs, LANE_MAX_BLOBS);
    for (int i = 0; i < o->n_blobs; i++)
        o->blobs[i] = (lane_box){(float)motion->blobs[i].x, (float)motion->blobs[i].y,
                                 (float)motion->blobs[i].width, (float)motion->blobs[i].height};
}

/* A calibrated camera's frames must have its calibration's size (checked on each frame); the
 * read area's undistortion maps are made at the first that fits, once (reads under way hold
 * them). A frame that does not fit is an error on the bus naming the file and the field: the
 * camera stops (a recording ends, a live camera is retried), not the box. */
static gboolean fits_calibration(camera_pipeline *p, GstAppSink *appsink, const GstVideoInfo *info,
                                 const lane_rect *area)
{
    const camera_calib *c = p->cam->calib;
    int w = GST_VIDEO_INFO_WIDTH(info), h = GST_VIDEO_INFO_HEIGHT(info);
    if (!c || (p->calib_fits && c->image_width == w && c->image_height == h))
        return TRUE;
    GError *error = NULL;
    gboolean ok;
    if (p->calib_fits) { /* maps made already: only this frame's size is wrong */
        ok = calib_fits_frame(c, p->cam->calibration, w, h, &error);
    } else {
        /* the maps cover what a reader converts of the area (4:2:0: even origin and size),
         * so that an identity calibration reads exactly the same pixels */
        int x = area->x & ~1, y = area->y & ~1;
        int aw = (area->width + area->x - x) & ~1, ah = (area->height + area->y - y) & ~1;
        ok = p->calib_fits = calib_undistort_prepare(c, p->cam->calibration, w, h, x, y, aw, ah,
                                                     &p->undistort, &error);
    }
    if (!ok) {
        gst_element_post_message(GST_ELEMENT(appsink),
                                 gst_message_new_error(GST_OBJECT(appsink), error, NULL));
        g_error_free(error);
    }
    return ok;
}

/* Every frame becomes an observation in the camera's hold; a frame worth a read also goes
 * to the readers, and its observation waits there for its reads. Capture never waits for a
 * read (only, in a replay as fast as possible, for room in the backlog). */
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
    lane_observation o;
    motion_observation(p, buf, &o);
    if (p->sink.wait)
        p->sink.wait(p->camera, o.t, p->sink.user);
    p->last_t = o.t;
    if (p->sink.look)
        p->sink.look(&o, p->sink.user);
    lane_rect area = frame_area(&p->cam->roi, GST_VIDEO_INFO_WIDTH(&info),
                                GST_VIDEO_INFO_HEIGHT(&info));
    if (!fits_calibration(p, appsink, &info, &area)) {
        read_hold_push(p->hold, &o, false);
        gst_sample_unref(sample);
        return GST_FLOW_ERROR;
    }
    lane_box box = {o.x, o.y, o.width, o.height};
    lane_box roi = {(float)area.x, (float)area.y, (float)area.width, (float)area.height};
    double sharpness = o.moving ? box_sharpness(buf, &info, &box) : 0;
    gboolean want = area.width > 0 && area.height > 0 &&
                    frame_select_want(&p->select, o.moving, &box, &roi, o.t, sharpness);
    if (!want) {
        read_hold_push(p->hold, &o, false);
    } else {
        g_debug("camera %s: %.2f s selected (box %.0f,%.0f %.0fx%.0f, sharpness %.1f)",
                p->cam->name, o.t, o.x, o.y, o.width, o.height, sharpness);
        reader_job *job = g_new0(reader_job, 1);
        job->camera = p->cam->name;
        job->buffer = gst_buffer_ref(buf);
        job->info = info;
        job->area = area;
        job->undistort = p->undistort;
        job->what = p->what;
        job->interest = read_interest_ref(frame_select_interest(&p->select));
        job->hold = p->hold;
        job->item = read_hold_push(p->hold, &o, true);
        reader_pool_submit(p->opts.readers, job);
    }
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

static void end_camera(camera_pipeline *p)
{
    if (p->ended)
        return;
    p->ended = TRUE;
    gst_element_set_state(p->pipeline, GST_STATE_NULL);
    read_hold_drain(p->hold); /* its last frames' reads, before its end */
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
    gboolean plates = lane_role_can(p->cam->role, LANE_CAN_READ_PLATES);
    gboolean codes = lane_role_can(p->cam->role, LANE_CAN_READ_CODES);
    p->what = plates && codes ? READ_WHAT_BOTH : plates ? READ_WHAT_PLATES : READ_WHAT_CODES;
    frame_select_params select;
    frame_select_params_default(&select);
    select.min_frames = MAX(opts->read_interval, 1);
    /* an episode has what it needs once each kind it reads has its votes */
    select.enough = config->votes * (p->what == READ_WHAT_BOTH ? 2 : 1);
    frame_select_init(&p->select, &select);
    p->hold = read_hold_new(sink->observe, sink->user);
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
        read_hold_free(p->hold);
        frame_select_clear(&p->select);
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
    read_hold_drain(p->hold); /* the readers have been cancelled or are done */
    read_hold_free(p->hold);
    frame_select_clear(&p->select);
    gcv_undistort_free(p->undistort);
    g_free(p);
}
