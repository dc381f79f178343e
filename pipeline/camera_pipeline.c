/*
 * camera_pipeline.c — builds, runs and restarts one camera's GStreamer pipeline and
 * turns its frames into lane observations, sending the frames worth a read to the readers.
 * Owns the pipeline, its bus watch, its frame selection and its hold; for a live camera also
 * its no-frame watchdog, its backoff and whether it is up (camera_pipeline.h).
 */
#define G_LOG_DOMAIN "gatecvd"
#include "camera_pipeline.h"

#include <math.h>
#include <stdatomic.h>
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
/* A live frame whose timestamp lies further than this from the clock's now has none worth
 * having (a source that does not timestamp): it gets the time it came. */
#define LIVE_MAX_SKEW_S 10.0

/* Whether a live camera delivers: it says so when this changes (camera_sink.state). */
typedef enum { LINK_STARTING, LINK_UP, LINK_DOWN } camera_link;

struct camera_pipeline {
    const lane_config *config;
    int camera;
    const lane_camera *cam;
    camera_options opts;
    camera_sink sink;
    GstElement *pipeline;
    guint bus_watch;
    guint retry_source;
    guint stall_watch;        /* live: the no-frame watchdog (main loop) */
    atomic_uint backoff_s;    /* the next wait; back to the first once frames flow */
    atomic_int link;          /* camera_link */
    _Atomic gint64 last_frame_us; /* monotonic time of the last frame, or of the (re)start */
    GstClock *clock;          /* live: the system clock every live camera runs on */
    gboolean live;
    gboolean ended;
    gboolean have_frame;      /* last_t is a frame's time */
    _Atomic gint64 zero_us;   /* a recording replayed at its rate: camera_pipeline_stream_zero_us */
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

/* A live camera's time now: the clock's, less the daemon's epoch. */
static double live_now(const camera_pipeline *p)
{
    return (double)GST_CLOCK_DIFF(p->opts.epoch, gst_clock_get_time(p->clock)) / GST_SECOND;
}

/* A frame's time. A recording's is its PTS. A live camera's is its clock time (base time +
 * running time) less the epoch, the same base for every live camera and across restarts (a
 * restarted pipeline's running time begins at 0 again, its base time does not); never before
 * the camera's last frame. */
static double frame_time(camera_pipeline *p, GstSample *sample, GstBuffer *buf)
{
    if (!p->live)
        return GST_BUFFER_PTS_IS_VALID(buf) ? (double)GST_BUFFER_PTS(buf) / GST_SECOND : p->last_t;
    double now = live_now(p), t = now;
    const GstSegment *seg = gst_sample_get_segment(sample);
    if (GST_BUFFER_PTS_IS_VALID(buf) && seg && seg->format == GST_FORMAT_TIME) {
        GstClockTime running = gst_segment_to_running_time(seg, GST_FORMAT_TIME, GST_BUFFER_PTS(buf));
        if (GST_CLOCK_TIME_IS_VALID(running))
            t = (double)GST_CLOCK_DIFF(p->opts.epoch,
                                       gst_element_get_base_time(p->pipeline) + running) /
                GST_SECOND;
    }
    if (fabs(t - now) > LIVE_MAX_SKEW_S)
        t = now;
    return p->have_frame ? MAX(t, p->last_t) : t;
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
    /* the decoder's pad is linked on pad-added (link_decoded), again after every restart */
    char *desc = g_strdup_printf("uridecodebin name=source uri=\"%s\" videoconvert name=convert "
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
static void motion_observation(camera_pipeline *p, GstBuffer *buf, double t, lane_observation *o)
{
    GatecvMotionMeta *motion = gst_buffer_get_gatecv_motion_meta(buf);
    *o = (lane_observation){0};
    o->camera = p->camera;
    o->t = t;
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

/* A live camera's frame (streaming thread): the watchdog is fed, and the first one since a
 * (re)start says the camera is up, before its observation, and resets the backoff. */
static void frames_flow(camera_pipeline *p, double t)
{
    atomic_store(&p->last_frame_us, g_get_monotonic_time());
    if (atomic_exchange(&p->link, LINK_UP) == LINK_UP)
        return;
    atomic_store(&p->backoff_s, BACKOFF_FIRST_S);
    if (p->sink.state)
        p->sink.state(p->camera, t, TRUE, NULL, p->sink.user);
}

/* A recording replayed at its rate plays its frame of stream time t at clock time base time +
 * running time, t after stream time 0. The pipeline's clock is the system clock, which is
 * CLOCK_MONOTONIC (g_get_monotonic_time's): another process can tell from it when a moment of
 * the stream was shown (gatecv-eval's event lags). */
static void note_stream_zero(camera_pipeline *p, GstSample *sample, GstBuffer *buf)
{
    const GstSegment *seg = gst_sample_get_segment(sample);
    if (!GST_BUFFER_PTS_IS_VALID(buf) || !seg || seg->format != GST_FORMAT_TIME)
        return;
    GstClockTime running = gst_segment_to_running_time(seg, GST_FORMAT_TIME, GST_BUFFER_PTS(buf));
    if (!GST_CLOCK_TIME_IS_VALID(running))
        return;
    GstClockTimeDiff zero = (GstClockTimeDiff)(gst_element_get_base_time(p->pipeline) + running) -
                            (GstClockTimeDiff)GST_BUFFER_PTS(buf);
    atomic_store(&p->zero_us, (gint64)(zero / 1000));
}

gint64 camera_pipeline_stream_zero_us(camera_pipeline *p)
{
    return atomic_load(&p->zero_us);
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
    if (!p->live && p->opts.realtime && !p->have_frame)
        note_stream_zero(p, sample, buf);
    lane_observation o;
    motion_observation(p, buf, frame_time(p, sample, buf), &o);
    if (p->live)
        frames_flow(p, o.t);
    if (p->sink.wait)
        p->sink.wait(p->camera, o.t, p->sink.user);
    p->last_t = o.t;
    p->have_frame = TRUE;
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

/* A live camera failed (an error, an end of stream, silence): its pipeline stops, the
 * observations of its frames before the drop are handed on with their reads, it says it is
 * down (once per outage), and it is started again after the backoff. Main loop. */
static void camera_lost(camera_pipeline *p, const char *why)
{
    if (p->retry_source)
        return;
    gst_element_set_state(p->pipeline, GST_STATE_NULL); /* no frame comes any more */
    read_hold_drain(p->hold);
    if (atomic_exchange(&p->link, LINK_DOWN) != LINK_DOWN && p->sink.state)
        p->sink.state(p->camera, p->have_frame ? p->last_t : live_now(p), FALSE, why,
                      p->sink.user);
    guint backoff = atomic_load(&p->backoff_s);
    g_message("camera %s: retrying in %u s", p->cam->name, backoff);
    p->retry_source = g_timeout_add_seconds(backoff, retry, p);
    atomic_store(&p->backoff_s, MIN(backoff * 2, BACKOFF_MAX_S));
}

/* A live camera without a frame for CAMERA_STALL_S since the last one or its (re)start has
 * gone silent: a server that stopped sending without closing the connection. */
static gboolean check_stall(gpointer user)
{
    camera_pipeline *p = user;
    gint64 quiet_us = g_get_monotonic_time() - atomic_load(&p->last_frame_us);
    if (!p->retry_source && quiet_us >= CAMERA_STALL_S * G_USEC_PER_SEC) {
        char *why = g_strdup_printf("no frame for %d s", CAMERA_STALL_S);
        g_warning("camera %s (%s): %s", p->cam->name, p->cam->uri, why);
        camera_lost(p, why);
        g_free(why);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean on_bus(GstBus *bus, GstMessage *msg, gpointer user)
{
    (void)bus;
    camera_pipeline *p = user;
    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_EOS:
        if (p->live) { /* a live source ends when its server went away: it may come back */
            g_warning("camera %s (%s): end of stream from a live source", p->cam->name,
                      p->cam->uri);
            camera_lost(p, "end of stream");
            break;
        }
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
        if (!p->live) {
            g_warning("camera %s: recording unusable from %.2f s on; this camera ends, the others "
                      "go on",
                      p->cam->name, p->last_t);
            end_camera(p);
        } else {
            camera_lost(p, err->message);
        }
        g_error_free(err);
        g_free(dbg);
        break;
    }
    default:
        break;
    }
    return G_SOURCE_CONTINUE;
}

/* The network source uridecodebin made: a silent server is given up within the stall time
 * (rtspsrc's TCP timeout also bounds its teardown), and an HTTP camera is a live source. */
static void on_source_setup(GstElement *bin, GstElement *source, gpointer user)
{
    (void)bin;
    (void)user;
    GstElementFactory *factory = gst_element_get_factory(source);
    const char *kind = factory ? gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(factory)) : "";
    if (strcmp(kind, "rtspsrc") == 0)
        g_object_set(source, "tcp-timeout", (guint64)CAMERA_STALL_S * G_USEC_PER_SEC, NULL);
    else if (strcmp(kind, "souphttpsrc") == 0)
        g_object_set(source, "timeout", (guint)CAMERA_STALL_S, "is-live", TRUE, NULL);
}

/* The decoded video pad goes to videoconvert: on the first start and on every restart (a
 * restarted uridecodebin makes new pads; gst_parse_launch's own link is made only once). */
static void link_decoded(GstElement *source, GstPad *pad, gpointer user)
{
    camera_pipeline *p = user;
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, NULL);
    gboolean video = !gst_caps_is_empty(caps) &&
                     g_str_has_prefix(gst_structure_get_name(gst_caps_get_structure(caps, 0)),
                                      "video/");
    gst_caps_unref(caps);
    GstElement *convert = gst_bin_get_by_name(GST_BIN(p->pipeline), "convert");
    GstPad *sink = gst_element_get_static_pad(convert, "sink");
    if (video && !gst_pad_is_linked(sink) && GST_PAD_LINK_FAILED(gst_pad_link(pad, sink)))
        g_warning("camera %s: cannot link %s's video to the converter", p->cam->name,
                  GST_OBJECT_NAME(source));
    gst_object_unref(sink);
    gst_object_unref(convert);
}

/* An MJPEG camera's multipart stream holds one stream of pictures: its demuxer says so at
 * once, or decodebin would wait for more streams before handing any frame on. A video
 * decoder with threads of its own (libav's) gets [decoding] threads: the cameras already
 * decode side by side, and each decoding thread holds frames of its own. Four 1080p
 * recordings decoded together on two cores: one thread each, 124 MB peak RSS and 130 s CPU;
 * the decoder's own choice, 211 MB and 155 s (README, "Measured"). */
static void on_element_added(GstBin *bin, GstBin *sub_bin, GstElement *element, gpointer user)
{
    (void)bin;
    (void)sub_bin;
    camera_pipeline *p = user;
    GstElementFactory *factory = gst_element_get_factory(element);
    if (factory && strcmp(gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(factory)),
                          "multipartdemux") == 0)
        g_object_set(element, "single-stream", TRUE, NULL);
    GParamSpec *threads = g_object_class_find_property(G_OBJECT_GET_CLASS(element), "max-threads");
    if (GST_IS_VIDEO_DECODER(element) && threads && threads->value_type == G_TYPE_INT) {
        g_object_set(element, "max-threads", p->config->decode_threads, NULL);
        g_debug("camera %s: decoder %s, max-threads=%d", p->cam->name, GST_OBJECT_NAME(element),
                p->config->decode_threads);
    }
}

/* A live camera runs on the system clock (its frames' clock times are comparable with every
 * other live camera's), tells how its source is set up, and has a watchdog. */
static void make_live(camera_pipeline *p)
{
    p->clock = gst_system_clock_obtain();
    gst_pipeline_use_clock(GST_PIPELINE(p->pipeline), p->clock);
    GstElement *source = gst_bin_get_by_name(GST_BIN(p->pipeline), "source");
    g_signal_connect(source, "source-setup", G_CALLBACK(on_source_setup), p);
    gst_object_unref(source);
    p->stall_watch = g_timeout_add_seconds(1, check_stall, p);
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
    atomic_init(&p->backoff_s, BACKOFF_FIRST_S);
    atomic_init(&p->link, LINK_STARTING);
    atomic_init(&p->last_frame_us, g_get_monotonic_time());
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
    GstElement *source = gst_bin_get_by_name(GST_BIN(p->pipeline), "source");
    g_signal_connect(source, "pad-added", G_CALLBACK(link_decoded), p);
    gst_object_unref(source);
    g_signal_connect(p->pipeline, "deep-element-added", G_CALLBACK(on_element_added), p);
    GstElement *appsink = gst_bin_get_by_name(GST_BIN(p->pipeline), "sink");
    GstAppSinkCallbacks cb = {0};
    cb.new_sample = on_sample;
    gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &cb, p, NULL);
    gst_object_unref(appsink);
    GstBus *bus = gst_element_get_bus(p->pipeline);
    p->bus_watch = gst_bus_add_watch(bus, on_bus, p);
    gst_object_unref(bus);
    if (p->live)
        make_live(p);
    return p;
}

void camera_pipeline_start(camera_pipeline *p)
{
    atomic_store(&p->last_frame_us, g_get_monotonic_time()); /* the watchdog counts from now */
    if (gst_element_set_state(p->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        g_warning("camera %s: cannot start (%s); the bus says why", p->cam->name, p->cam->uri);
}

void camera_pipeline_free(camera_pipeline *p)
{
    if (!p)
        return;
    if (p->retry_source)
        g_source_remove(p->retry_source);
    if (p->stall_watch)
        g_source_remove(p->stall_watch);
    gst_element_set_state(p->pipeline, GST_STATE_NULL);
    g_source_remove(p->bus_watch);
    gst_object_unref(p->pipeline);
    read_hold_drain(p->hold); /* the readers have been cancelled or are done */
    read_hold_free(p->hold);
    frame_select_clear(&p->select);
    gcv_undistort_free(p->undistort);
    if (p->clock)
        gst_object_unref(p->clock);
    g_free(p);
}
