/*
 * gstgatemotion.c — gatemotion: the ROI motion gate in front of the readers.
 *
 * The algorithm (background, cells, blobs, the gate's state) is motion_gate.c in the
 * recognition core; the element owns one motion_gate, feeds it each frame's grey plane and
 * attaches its state as a GatecvMotionMeta (gatecvmeta.h) to every buffer, changing no pixel.
 */

/**
 * SECTION:element-gatemotion
 * @title: gatemotion
 * @see_also: gateplate, gatecontainer
 *
 * Tells the readers behind it which frames are worth reading: a frame counts as moving
 * when enough of the region of interest (the lane) differs from a running background.
 *
 * The ROI is cut into 4x4-pixel cells (a 1/4-size grey image; smaller ROIs use 1-pixel
 * cells); each cell's mean grey level is compared with the background, an exponential
 * average of past frames (#GstGateMotion:learning-rate; a cell that moved is learnt at
 * #GstGateMotion:absorb-rate, by default the same: a slower one keeps a vehicle in view from
 * fading into the background and leaving a ghost when it drives on, but also keeps a change
 * of light moving for longer). A cell whose difference reaches
 * #GstGateMotion:threshold grey levels moved, and counts if at least
 * #GstGateMotion:min-neighbours of its 8 neighbours moved too (rain streaks and noise are
 * thin; vehicles are solid); the frame moves when at least #GstGateMotion:min-fraction of
 * the cells count. The gate opens on a moving frame and stays
 * open #GstGateMotion:hold-frames frames after the last one, so a truck that stops at the
 * barrier is still read for a while. The first frame (and the first after a flush or a
 * change of ROI or frame size) only starts the background, and so does a frame in which most
 * of the ROI changed at once while little had moved before: a change of light (the infrared
 * lamp, a cloud), not a vehicle, which always drives in over several frames.
 *
 * Every buffer leaves with a #GatecvMotionMeta: `moving` is the gate state, with the
 * fraction of the ROI that moved and the box of the moving cells in frame coordinates, and
 * the blobs: groups of moving cells at most #GstGateMotion:blob-gap pixels apart, one box
 * each (two vehicles with road between them are two blobs; one box around both would make
 * them one vehicle). A buffer that already carries one has it updated. Gate openings and
 * closings are logged at INFO (`GST_DEBUG=gatemotion:4`).
 *
 * Formats: BGR, GRAY8, and I420 / NV12, whose Y plane is used directly as the grey image
 * (converting colour costs more than decoding, so put gatemotion before videoconvert).
 * Frames pass through untouched: no copy, no pixel changed.
 *
 * ## Example launch line
 * |[
 * GST_DEBUG=gatemotion:4 gst-launch-1.0 videotestsrc pattern=ball num-buffers=60 ! \
 *     video/x-raw,format=I420,width=640,height=360 ! \
 *     gatemotion roi=0,0,640,360 threshold=25 hold-frames=12 ! fakesink
 * ]|
 */

#include "gstgatemotion.h"

#include "gatecvmeta.h"
#include "gstgateutil.h"
#include "motion_gate.h"

GST_DEBUG_CATEGORY_STATIC(gst_gate_motion_debug);
#define GST_CAT_DEFAULT gst_gate_motion_debug

#define DEFAULT_THRESHOLD 25
#define DEFAULT_MIN_FRACTION 0.01
#define DEFAULT_LEARNING_RATE 0.05
/* Moving cells are learnt as fast as still ones by default: learnt more slowly (measured
 * on generated lanes), a change of light between vehicles (dusk, the infrared lamp) keeps
 * the whole ROI "moving" for many seconds and joins vehicles into one episode, which costs
 * more than the ghosts it saves. */
#define DEFAULT_ABSORB_RATE DEFAULT_LEARNING_RATE
#define DEFAULT_HOLD_FRAMES 12
#define DEFAULT_MIN_NEIGHBOURS 3
#define DEFAULT_BLOB_GAP 8
G_STATIC_ASSERT(GATECV_MOTION_MAX_BLOBS == MOTION_MAX_BLOBS);

enum {
    PROP_0,
    PROP_ROI,
    PROP_THRESHOLD,
    PROP_MIN_FRACTION,
    PROP_LEARNING_RATE,
    PROP_ABSORB_RATE,
    PROP_MIN_NEIGHBOURS,
    PROP_HOLD_FRAMES,
    PROP_BLOB_GAP,
};

struct _GstGateMotion {
    GstVideoFilter parent;

    /* properties, under the object lock */
    GstGateRoi roi;
    gint threshold;
    gdouble min_fraction;
    gdouble learning_rate;
    gdouble absorb_rate;
    gint min_neighbours;
    guint hold_frames;
    gint blob_gap;

    /* streaming state, streaming thread only (and stop, finalize) */
    motion_gate *gate;
};

G_DEFINE_TYPE(GstGateMotion, gst_gate_motion, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE(gatemotion, "gatemotion", GST_RANK_NONE, GST_TYPE_GATE_MOTION);

#define FORMATS "{ BGR, GRAY8, I420, NV12 }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE(
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(FORMATS)));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS(GST_VIDEO_CAPS_MAKE(FORMATS)));

/* Forgets the background and closes the gate. */
static void reset(GstGateMotion *self)
{
    motion_gate_reset(self->gate);
}

static void gst_gate_motion_set_property(GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
    GstGateMotion *self = GST_GATE_MOTION(object);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_ROI: {
        GstGateRoi roi;
        if (gst_gate_roi_parse(g_value_get_string(value), &roi))
            self->roi = roi;
        else
            g_warning("%s: roi must be \"x,y,width,height\", not \"%s\": ignored",
                      GST_OBJECT_NAME(self), g_value_get_string(value));
        break;
    }
    case PROP_THRESHOLD:
        self->threshold = g_value_get_int(value);
        break;
    case PROP_MIN_FRACTION:
        self->min_fraction = g_value_get_double(value);
        break;
    case PROP_LEARNING_RATE:
        self->learning_rate = g_value_get_double(value);
        break;
    case PROP_ABSORB_RATE:
        self->absorb_rate = g_value_get_double(value);
        break;
    case PROP_MIN_NEIGHBOURS:
        self->min_neighbours = g_value_get_int(value);
        break;
    case PROP_HOLD_FRAMES:
        self->hold_frames = g_value_get_uint(value);
        break;
    case PROP_BLOB_GAP:
        self->blob_gap = g_value_get_int(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

static void gst_gate_motion_get_property(GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
    GstGateMotion *self = GST_GATE_MOTION(object);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_ROI:
        g_value_take_string(value, gst_gate_roi_to_string(&self->roi));
        break;
    case PROP_THRESHOLD:
        g_value_set_int(value, self->threshold);
        break;
    case PROP_MIN_FRACTION:
        g_value_set_double(value, self->min_fraction);
        break;
    case PROP_LEARNING_RATE:
        g_value_set_double(value, self->learning_rate);
        break;
    case PROP_ABSORB_RATE:
        g_value_set_double(value, self->absorb_rate);
        break;
    case PROP_MIN_NEIGHBOURS:
        g_value_set_int(value, self->min_neighbours);
        break;
    case PROP_HOLD_FRAMES:
        g_value_set_uint(value, self->hold_frames);
        break;
    case PROP_BLOB_GAP:
        g_value_set_int(value, self->blob_gap);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

static void gst_gate_motion_finalize(GObject *object)
{
    g_clear_pointer(&GST_GATE_MOTION(object)->gate, motion_gate_free);
    G_OBJECT_CLASS(gst_gate_motion_parent_class)->finalize(object);
}

static gboolean gst_gate_motion_stop(GstBaseTransform *trans)
{
    reset(GST_GATE_MOTION(trans));
    return TRUE;
}

static gboolean gst_gate_motion_sink_event(GstBaseTransform *trans, GstEvent *event)
{
    if (GST_EVENT_TYPE(event) == GST_EVENT_FLUSH_STOP)
        reset(GST_GATE_MOTION(trans)); /* after a seek the old background is another scene */
    return GST_BASE_TRANSFORM_CLASS(gst_gate_motion_parent_class)->sink_event(trans, event);
}

static gboolean gst_gate_motion_set_info(GstVideoFilter *filter, GstCaps *incaps,
                                         GstVideoInfo *in_info, GstCaps *outcaps,
                                         GstVideoInfo *out_info)
{
    (void)incaps;
    (void)outcaps;
    (void)out_info;
    GstGateMotion *self = GST_GATE_MOTION(filter);
    GST_DEBUG_OBJECT(self, "%s %dx%d", gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(in_info)),
                     GST_VIDEO_INFO_WIDTH(in_info), GST_VIDEO_INFO_HEIGHT(in_info));
    reset(self);
    return TRUE;
}

/* The frame's grey plane: BGR as it is (the gate takes its luma), GRAY8, or the Y plane of
 * I420 / NV12. */
static motion_plane grey_plane(const GstVideoFrame *frame)
{
    return (motion_plane){GST_VIDEO_FRAME_PLANE_DATA(frame, 0),
                          GST_VIDEO_FRAME_PLANE_STRIDE(frame, 0),
                          GST_VIDEO_FRAME_FORMAT(frame) == GST_VIDEO_FORMAT_BGR};
}

/* Gate openings and closings at INFO, every frame at LOG. */
static void log_state(GstGateMotion *self, const motion_state *s, const GstGateRoi *area,
                      GstClockTime pts)
{
    if (s->new_area)
        GST_DEBUG_OBJECT(self, "ROI %d,%d %dx%d: %dx%d cells of %d px, new background", area->x,
                         area->y, area->width, area->height, s->cols, s->rows, s->cell);
    if (s->light_change)
        GST_INFO_OBJECT(self, "most of the ROI changed at once: a change of light, "
                              "background started again");
    if (s->opened)
        GST_INFO_OBJECT(
            self, "gate open at %" GST_TIME_FORMAT ": %.1f%% of the ROI moving, box %d,%d %dx%d",
            GST_TIME_ARGS(pts), 100.0 * s->fraction, s->box.x, s->box.y, s->box.width,
            s->box.height);
    else if (s->closed)
        GST_INFO_OBJECT(self, "gate closed at %" GST_TIME_FORMAT, GST_TIME_ARGS(pts));
    GST_LOG_OBJECT(self, "%" GST_TIME_FORMAT ": %d cells (%.2f%%) moving, gate %s",
                   GST_TIME_ARGS(pts), s->n_moving, 100.0 * s->fraction,
                   s->open ? "open" : "closed");
}

/* The gate's state as the buffer's motion meta (an existing one is updated). */
static gboolean attach_meta(GstBuffer *buffer, const motion_state *s)
{
    GatecvMotionMeta *meta = gst_buffer_get_gatecv_motion_meta(buffer);
    if (!meta)
        meta = gst_buffer_add_gatecv_motion_meta(buffer, FALSE, 0.0f, 0, 0, 0, 0);
    if (!meta)
        return FALSE;
    meta->moving = s->open;
    meta->moving_fraction = s->fraction;
    meta->x = s->box.x;
    meta->y = s->box.y;
    meta->width = s->box.width;
    meta->height = s->box.height;
    meta->n_blobs = (guint)s->n_blobs;
    for (int i = 0; i < s->n_blobs; i++)
        meta->blobs[i] =
            (GatecvMotionBox){s->blobs[i].x, s->blobs[i].y, s->blobs[i].width, s->blobs[i].height};
    return TRUE;
}

static GstFlowReturn gst_gate_motion_transform_frame_ip(GstVideoFilter *filter,
                                                        GstVideoFrame *frame)
{
    GstGateMotion *self = GST_GATE_MOTION(filter);

    GST_OBJECT_LOCK(self);
    GstGateRoi roi = self->roi;
    const motion_params params = {
        .threshold = self->threshold,
        .min_fraction = self->min_fraction,
        .learning_rate = (gfloat)self->learning_rate,
        .absorb_rate = (gfloat)self->absorb_rate,
        .min_neighbours = self->min_neighbours,
        .hold_frames = self->hold_frames,
        .blob_gap = self->blob_gap,
    };
    GST_OBJECT_UNLOCK(self);

    gint fw = GST_VIDEO_FRAME_WIDTH(frame), fh = GST_VIDEO_FRAME_HEIGHT(frame);
    GstGateRoi area;
    if (!gst_gate_roi_clip(&roi, fw, fh, &area)) {
        GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS,
                          ("roi %d,%d,%d,%d lies outside the %dx%d frame", roi.x, roi.y, roi.width,
                           roi.height, fw, fh),
                          ("set roi to a rectangle inside the frame, or unset it"));
        return GST_FLOW_ERROR;
    }

    const motion_plane plane = grey_plane(frame);
    const motion_rect rect = {area.x, area.y, area.width, area.height};
    const motion_state *state = motion_gate_step(self->gate, &plane, &rect, &params);
    log_state(self, state, &area, GST_BUFFER_PTS(frame->buffer));
    if (!attach_meta(frame->buffer, state)) {
        GST_ELEMENT_ERROR(self, CORE, FAILED, (NULL), ("cannot add the motion meta"));
        return GST_FLOW_ERROR;
    }
    return GST_FLOW_OK;
}

static void gst_gate_motion_class_init(GstGateMotionClass *klass)
{
    GObjectClass *gobject_class = G_OBJECT_CLASS(klass);
    GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
    GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS(klass);
    GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS(klass);

    GST_DEBUG_CATEGORY_INIT(gst_gate_motion_debug, "gatemotion", 0, "gatecv ROI motion gate");

    gobject_class->set_property = gst_gate_motion_set_property;
    gobject_class->get_property = gst_gate_motion_get_property;
    gobject_class->finalize = gst_gate_motion_finalize;

    const GParamFlags flags =
        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;
    g_object_class_install_property(
        gobject_class, PROP_ROI,
        g_param_spec_string("roi", "Region of interest",
                            "Part of the frame watched for motion, \"x,y,width,height\" in "
                            "pixels (unset or empty: the whole frame; clipped to the frame)",
                            NULL, flags));
    g_object_class_install_property(
        gobject_class, PROP_THRESHOLD,
        g_param_spec_int("threshold", "Threshold",
                         "Difference from the background, in grey levels, at which a 4x4 cell "
                         "counts as moving",
                         1, 255, DEFAULT_THRESHOLD, flags));
    g_object_class_install_property(
        gobject_class, PROP_MIN_FRACTION,
        g_param_spec_double("min-fraction", "Minimum fraction",
                            "Fraction of the ROI's cells that must move for the frame to count "
                            "as moving",
                            0.0, 1.0, DEFAULT_MIN_FRACTION, flags));
    g_object_class_install_property(
        gobject_class, PROP_LEARNING_RATE,
        g_param_spec_double("learning-rate", "Learning rate",
                            "Weight of each new frame in the running background (0: keep the "
                            "first frame, 1: compare with the previous frame)",
                            0.0, 1.0, DEFAULT_LEARNING_RATE, flags));
    g_object_class_install_property(
        gobject_class, PROP_ABSORB_RATE,
        g_param_spec_double("absorb-rate", "Absorb rate",
                            "Weight of each new frame in the background where the cell moved: "
                            "how fast something that stopped in the lane becomes background "
                            "(0: never; learning-rate: like the still cells)",
                            0.0, 1.0, DEFAULT_ABSORB_RATE, flags));
    g_object_class_install_property(
        gobject_class, PROP_MIN_NEIGHBOURS,
        g_param_spec_int("min-neighbours", "Minimum neighbours",
                         "A moving cell counts only if at least this many of its 8 neighbours "
                         "moved too: a vehicle is a solid blob, rain streaks and noise are thin "
                         "lines and specks (0: every cell counts)",
                         0, 8, DEFAULT_MIN_NEIGHBOURS, flags));
    g_object_class_install_property(
        gobject_class, PROP_HOLD_FRAMES,
        g_param_spec_uint("hold-frames", "Hold frames",
                          "Frames the gate stays open after the last moving frame", 0, 100000,
                          DEFAULT_HOLD_FRAMES, flags));
    g_object_class_install_property(
        gobject_class, PROP_BLOB_GAP,
        g_param_spec_int("blob-gap", "Blob gap",
                         "Moving cells at most this many pixels apart are one blob (one "
                         "vehicle); the meta lists up to 8 blobs, largest first, besides the "
                         "box around all of them",
                         0, 4096, DEFAULT_BLOB_GAP, flags));

    gst_element_class_set_static_metadata(
        element_class, "gatecv ROI motion gate", "Filter/Analyzer/Video",
        "Marks the frames in which something moves inside a region of interest "
        "(GatecvMotionMeta), so the readers behind it can skip the others",
        "gatecv");
    gst_element_class_add_static_pad_template(element_class, &sink_template);
    gst_element_class_add_static_pad_template(element_class, &src_template);

    gst_gate_class_set_metadata_only(trans_class);
    trans_class->stop = GST_DEBUG_FUNCPTR(gst_gate_motion_stop);
    trans_class->sink_event = GST_DEBUG_FUNCPTR(gst_gate_motion_sink_event);
    filter_class->set_info = GST_DEBUG_FUNCPTR(gst_gate_motion_set_info);
    filter_class->transform_frame_ip = GST_DEBUG_FUNCPTR(gst_gate_motion_transform_frame_ip);
}

static void gst_gate_motion_init(GstGateMotion *self)
{
    self->gate = motion_gate_new();
    self->roi = (GstGateRoi){0, 0, 0, 0};
    self->threshold = DEFAULT_THRESHOLD;
    self->min_fraction = DEFAULT_MIN_FRACTION;
    self->learning_rate = DEFAULT_LEARNING_RATE;
    self->absorb_rate = DEFAULT_ABSORB_RATE;
    self->min_neighbours = DEFAULT_MIN_NEIGHBOURS;
    self->hold_frames = DEFAULT_HOLD_FRAMES;
    self->blob_gap = DEFAULT_BLOB_GAP;
}
