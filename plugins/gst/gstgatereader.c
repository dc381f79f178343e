/*
 * gstgatereader.c — GstGateReader: what gateplate and gatecontainer share. Decides which
 * frames to read (gate, interval), reads the ROI of those frames with its own gatecv_models
 * and gatecv_reader, maps the reads back to frame coordinates and attaches them as a
 * GatecvReadsMeta. The subclasses only say what they read (and gateplate which grammars).
 *
 * Owns: the property values, the models (loaded in start, freed in stop: loading can fail,
 * so never in _init) and the reader (remade when a reader property changes). OpenCV nets
 * are not thread-safe, so each element instance loads its own models.
 */
#include "gstgatereader.h"

#include <math.h>

#include "gatecv_error.h"
#include "gatecvframe.h"
#include "gatecvmeta.h"
#include "gstgateutil.h"
#include "models.h"

/* The base class logs into its subclass's category (gateplate, gatecontainer), so
 * GST_DEBUG=gateplate:5 shows everything one element does. Needs `self` in scope. */
#define GST_CAT_DEFAULT (GST_GATE_READER_GET_CLASS(self)->debug_category)

#define DEFAULT_INTERVAL 5
#define DEFAULT_GATE TRUE
#define DEFAULT_DET_SIZE 960
#define DEFAULT_OCR OCR_PPOCR
#define DEFAULT_THREADS 1
#define DEFAULT_MAX_LATENESS_MS -1
#define DEFAULT_MOTION_CROP FALSE
/* Around the moving area, this part of the ROI's longer side is read too (each way): a
 * vehicle's plate or the end of a code can lie in the few cells the gate did not count. */
#define MOTION_CROP_MARGIN (1.0 / 16)

enum {
    PROP_0,
    PROP_MODEL_DIR,
    PROP_INTERVAL,
    PROP_GATE,
    PROP_ROI,
    PROP_DET_SIZE,
    PROP_OCR,
    PROP_THREADS,
    PROP_MAX_LATENESS,
    PROP_MOTION_CROP,
};

typedef struct {
    /* properties, under the object lock */
    gchar *model_dir;
    guint interval;
    gboolean gate;
    GstGateRoi roi;
    gint det_size;
    gatecv_ocr_engine ocr;
    guint plate_grammars;
    gboolean both_kinds; /* read plates and container codes in one pass */
    gint threads;
    gint max_lateness_ms;
    gboolean motion_crop;
    gboolean reader_stale; /* a reader parameter changed: make a new reader before reading */

    /* streaming state: start/stop and the streaming thread */
    gatecv_models *models;
    gatecv_reader *reader;
    guint gated;    /* gated frames since the gate last opened */
    guint64 n_read; /* frames read since start */
    guint64 n_late; /* frames not read because they were late */
} GstGateReaderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(GstGateReader, gst_gate_reader, GST_TYPE_VIDEO_FILTER);

#define PRIV(self) ((GstGateReaderPrivate *)gst_gate_reader_get_instance_private(self))

/* BGR is read in place; of I420 and NV12 (what decoders give) only the ROI of a frame
 * that is read is converted, which costs far less than converting every frame. */
#define READER_CAPS GST_VIDEO_CAPS_MAKE("{ BGR, I420, NV12 }")
static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS(READER_CAPS));
static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS(READER_CAPS));

GType gst_gate_reader_ocr_get_type(void)
{
    static gsize type = 0;
    static const GEnumValue values[] = {
        {OCR_PPOCR, "PP-OCRv4 recogniser (OpenCV DNN)", "ppocr"},
        {OCR_TESSERACT, "Tesseract 5 alone (Latin only)", "tesseract"},
        {OCR_BOTH, "PP-OCRv4, and Tesseract re-reads every Latin-only line", "both"},
        {0, NULL, NULL},
    };
    if (g_once_init_enter(&type)) {
        GType t = g_enum_register_static("GstGateReaderOcr", values);
        g_once_init_leave(&type, t);
    }
    return type;
}

void gst_gate_reader_set_plate_grammars(GstGateReader *self, guint grammars)
{
    GstGateReaderPrivate *priv = PRIV(self);
    GST_OBJECT_LOCK(self);
    if (priv->plate_grammars != grammars) {
        priv->plate_grammars = grammars;
        priv->reader_stale = TRUE;
    }
    GST_OBJECT_UNLOCK(self);
}

guint gst_gate_reader_get_plate_grammars(GstGateReader *self)
{
    GST_OBJECT_LOCK(self);
    guint grammars = PRIV(self)->plate_grammars;
    GST_OBJECT_UNLOCK(self);
    return grammars;
}

void gst_gate_reader_set_both_kinds(GstGateReader *self, gboolean both)
{
    GstGateReaderPrivate *priv = PRIV(self);
    GST_OBJECT_LOCK(self);
    if (priv->both_kinds != both) {
        priv->both_kinds = both;
        priv->reader_stale = TRUE;
    }
    GST_OBJECT_UNLOCK(self);
}

gboolean gst_gate_reader_get_both_kinds(GstGateReader *self)
{
    GST_OBJECT_LOCK(self);
    gboolean both = PRIV(self)->both_kinds;
    GST_OBJECT_UNLOCK(self);
    return both;
}

/* TRUE if the element is past READY, where model-dir and threads no longer apply.
 * Object lock held. */
static gboolean running_locked(GstGateReader *self)
{
    return GST_STATE(self) > GST_STATE_READY || GST_STATE_PENDING(self) > GST_STATE_READY;
}

static void gst_gate_reader_set_property(GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
    GstGateReader *self = GST_GATE_READER(object);
    GstGateReaderPrivate *priv = PRIV(self);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_MODEL_DIR:
        if (running_locked(self)) {
            g_warning("%s: model-dir can only be changed in the NULL or READY state",
                      GST_OBJECT_NAME(self));
            break;
        }
        g_free(priv->model_dir);
        priv->model_dir = g_value_dup_string(value);
        if (!priv->model_dir) /* unset: back to the default folder */
            priv->model_dir = g_strdup(gatecv_model_dir(NULL));
        break;
    case PROP_INTERVAL:
        priv->interval = g_value_get_uint(value);
        break;
    case PROP_GATE:
        priv->gate = g_value_get_boolean(value);
        break;
    case PROP_ROI: {
        GstGateRoi roi;
        if (gst_gate_roi_parse(g_value_get_string(value), &roi))
            priv->roi = roi;
        else
            g_warning("%s: roi must be \"x,y,width,height\", not \"%s\": ignored",
                      GST_OBJECT_NAME(self), g_value_get_string(value));
        break;
    }
    case PROP_DET_SIZE:
        priv->det_size = g_value_get_int(value);
        priv->reader_stale = TRUE;
        break;
    case PROP_OCR:
        priv->ocr = (gatecv_ocr_engine)g_value_get_enum(value);
        priv->reader_stale = TRUE;
        break;
    case PROP_THREADS:
        if (running_locked(self)) {
            g_warning("%s: threads can only be changed in the NULL or READY state",
                      GST_OBJECT_NAME(self));
            break;
        }
        priv->threads = g_value_get_int(value);
        break;
    case PROP_MAX_LATENESS:
        priv->max_lateness_ms = g_value_get_int(value);
        break;
    case PROP_MOTION_CROP:
        priv->motion_crop = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

static void gst_gate_reader_get_property(GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
    GstGateReader *self = GST_GATE_READER(object);
    GstGateReaderPrivate *priv = PRIV(self);
    GST_OBJECT_LOCK(self);
    switch (prop_id) {
    case PROP_MODEL_DIR:
        g_value_set_string(value, priv->model_dir);
        break;
    case PROP_INTERVAL:
        g_value_set_uint(value, priv->interval);
        break;
    case PROP_GATE:
        g_value_set_boolean(value, priv->gate);
        break;
    case PROP_ROI:
        g_value_take_string(value, gst_gate_roi_to_string(&priv->roi));
        break;
    case PROP_DET_SIZE:
        g_value_set_int(value, priv->det_size);
        break;
    case PROP_OCR:
        g_value_set_enum(value, priv->ocr);
        break;
    case PROP_THREADS:
        g_value_set_int(value, priv->threads);
        break;
    case PROP_MAX_LATENESS:
        g_value_set_int(value, priv->max_lateness_ms);
        break;
    case PROP_MOTION_CROP:
        g_value_set_boolean(value, priv->motion_crop);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    GST_OBJECT_UNLOCK(self);
}

/* Replaces the reader by one made with the current properties. FALSE + error if the
 * reader cannot be made (Tesseract's language data missing). */
static gboolean remake_reader(GstGateReader *self, GError **error)
{
    GstGateReaderPrivate *priv = PRIV(self);
    gatecv_reader_params params;
    gatecv_reader_params_default(&params);
    GST_OBJECT_LOCK(self);
    params.detect.max_side = priv->det_size;
    params.ocr = priv->ocr;
    params.plate_grammars = priv->plate_grammars;
    gboolean both = priv->both_kinds;
    priv->reader_stale = FALSE;
    GST_OBJECT_UNLOCK(self);
    params.plates = both || GST_GATE_READER_GET_CLASS(self)->kind == READ_PLATE;
    params.containers = both || GST_GATE_READER_GET_CLASS(self)->kind == READ_CONTAINER;

    g_clear_pointer(&priv->reader, gatecv_reader_free);
    priv->reader = gatecv_reader_new(priv->models, &params, error);
    if (!priv->reader)
        return FALSE;
    GST_DEBUG_OBJECT(self, "reader: det-size %d, ocr %d, grammars 0x%x", params.detect.max_side,
                     params.ocr, params.plate_grammars);
    return TRUE;
}

static gboolean gst_gate_reader_start(GstBaseTransform *trans)
{
    GstGateReader *self = GST_GATE_READER(trans);
    GstGateReaderPrivate *priv = PRIV(self);

    GST_OBJECT_LOCK(self);
    gchar *dir = g_strdup(priv->model_dir);
    gint threads = priv->threads;
    GST_OBJECT_UNLOCK(self);

    /* OpenCV's thread count is one setting for the whole process. */
    gcv_set_num_threads(threads > 1 ? threads : 0);

    GError *error = NULL;
    gint64 t0 = g_get_monotonic_time();
    priv->models = gatecv_models_load(dir, &error);
    if (!priv->models) {
        /* The message names the file and the command that fixes it. */
        if (g_error_matches(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING))
            GST_ELEMENT_ERROR(self, RESOURCE, NOT_FOUND, ("%s", error->message),
                              ("model-dir=%s", dir));
        else
            GST_ELEMENT_ERROR(self, RESOURCE, OPEN_READ, ("%s", error->message),
                              ("model-dir=%s", dir));
        g_error_free(error);
        g_free(dir);
        return FALSE;
    }
    GST_INFO_OBJECT(self, "models loaded from %s in %.0f ms", dir,
                    (g_get_monotonic_time() - t0) / 1000.0);
    g_free(dir);

    if (!remake_reader(self, &error)) {
        GST_ELEMENT_ERROR(self, LIBRARY, INIT, ("%s", error->message), (NULL));
        g_error_free(error);
        g_clear_pointer(&priv->models, gatecv_models_free);
        return FALSE;
    }
    priv->gated = 0;
    priv->n_read = 0;
    priv->n_late = 0;
    return TRUE;
}

static gboolean gst_gate_reader_stop(GstBaseTransform *trans)
{
    GstGateReader *self = GST_GATE_READER(trans);
    GstGateReaderPrivate *priv = PRIV(self);
    g_clear_pointer(&priv->reader, gatecv_reader_free); /* borrows the models: first */
    g_clear_pointer(&priv->models, gatecv_models_free);
    GST_DEBUG_OBJECT(self,
                     "stopped after reading %" G_GUINT64_FORMAT " frames (%" G_GUINT64_FORMAT
                     " late frames not read)",
                     priv->n_read, priv->n_late);
    return TRUE;
}

/* TRUE if this frame is to be read: a gated frame (moving, or no gate), and the first of
 * every `interval` gated frames since the gate opened. */
static gboolean want_frame(GstGateReader *self, GstBuffer *buffer, gboolean gate, guint interval)
{
    GstGateReaderPrivate *priv = PRIV(self);
    if (gate) {
        const GatecvMotionMeta *motion = gst_buffer_get_gatecv_motion_meta(buffer);
        if (motion && !motion->moving) {
            priv->gated = 0;
            return FALSE;
        }
    }
    return priv->gated++ % interval == 0;
}

/* How far behind the pipeline clock the buffer is, in ms (negative: early), or FALSE when
 * that cannot be known (no clock yet, no timestamp). A live or synchronised pipeline is
 * behind once reads take longer than the frames they skip. */
static gboolean buffer_lateness_ms(GstGateReader *self, GstBuffer *buffer, gdouble *late_ms)
{
    GstClockTime pts = GST_BUFFER_PTS(buffer);
    GstClock *clock = gst_element_get_clock(GST_ELEMENT(self));
    if (!clock || !GST_CLOCK_TIME_IS_VALID(pts)) {
        if (clock)
            gst_object_unref(clock);
        return FALSE;
    }
    GstClockTime now = gst_clock_get_time(clock) - gst_element_get_base_time(GST_ELEMENT(self));
    gst_object_unref(clock);
    GstClockTime running =
        gst_segment_to_running_time(&GST_BASE_TRANSFORM(self)->segment, GST_FORMAT_TIME, pts);
    if (!GST_CLOCK_TIME_IS_VALID(running))
        return FALSE;
    /* A live source's frames arrive its latency (jitter buffer, decoder) after their
     * time even when nothing is behind: that much is not lateness. */
    GstClockTime latency = 0;
    GstQuery *query = gst_query_new_latency();
    if (gst_pad_peer_query(GST_BASE_TRANSFORM_SINK_PAD(self), query)) {
        gboolean live;
        GstClockTime min_latency;
        gst_query_parse_latency(query, &live, &min_latency, NULL);
        if (live && GST_CLOCK_TIME_IS_VALID(min_latency))
            latency = min_latency;
    }
    gst_query_unref(query);
    *late_ms = ((gdouble)now - (gdouble)running - (gdouble)latency) / GST_MSECOND;
    return TRUE;
}

static void log_reads(GstGateReader *self, GstClockTime pts, const gatecv_read *reads, int n,
                      double ms)
{
    GST_DEBUG_OBJECT(self, "%" GST_TIME_FORMAT ": %d reads in %.0f ms", GST_TIME_ARGS(pts), n, ms);
    for (int i = 0; i < n; i++) {
        const gatecv_read *r = &reads[i];
        const char *country = r->kind == READ_PLATE ? gatecv_country_name(r->country) : NULL;
        if (r->valid)
            GST_INFO_OBJECT(self, "read %s (%s%s%s, %.2f) at %" GST_TIME_FORMAT, r->display,
                            country ? country : "", country ? " " : "",
                            gatecv_layout_name(r->layout), r->confidence, GST_TIME_ARGS(pts));
        else
            GST_DEBUG_OBJECT(self, "invalid read \"%s\" (raw \"%s\", %.2f)", r->text, r->raw,
                             r->confidence);
    }
}

/* The area of the frame as a BGR image: a view into a BGR frame (no copy), or for I420 and
 * NV12 a conversion of that area only, returned in *converted for the caller to free.
 * The area's origin may move to even coordinates for 4:2:0; *area says where it is. */
static gboolean roi_as_bgr(GstVideoFrame *frame, GstGateRoi *area, gcv_image *view,
                           gcv_image **converted)
{
    *converted = NULL;
    if (GST_VIDEO_FRAME_FORMAT(frame) == GST_VIDEO_FORMAT_BGR) {
        gsize stride = GST_VIDEO_FRAME_PLANE_STRIDE(frame, 0);
        guint8 *pixels = GST_VIDEO_FRAME_PLANE_DATA(frame, 0);
        *view = (gcv_image){area->width, area->height, 3, stride,
                            pixels + area->y * stride + (gsize)area->x * 3};
        return TRUE;
    }
    area->x &= ~1;
    area->y &= ~1;
    *converted = gatecv_frame_region_to_bgr(frame, area->x, area->y, area->width, area->height);
    if (!*converted)
        return FALSE;
    *view = **converted;
    return TRUE;
}

static gint longer_side(const GstGateRoi *r)
{
    return MAX(r->width, r->height);
}

/* Narrows *area (the clipped ROI) to the moving part of it plus a margin, when the motion
 * meta has a box, and returns the detector size that reads that part at the scale det-size
 * reads the whole ROI at, so text is as large to the detector either way. */
static gint area_det_size(GstGateRoi *area, gint det_size, const GatecvMotionMeta *motion)
{
    if (!motion || !motion->moving || motion->width <= 0 || motion->height <= 0)
        return det_size;
    gint whole = longer_side(area);
    gint margin = (gint)(whole * MOTION_CROP_MARGIN);
    gint x0 = MAX(area->x, motion->x - margin), y0 = MAX(area->y, motion->y - margin);
    gint x1 = MIN(area->x + area->width, motion->x + motion->width + margin);
    gint y1 = MIN(area->y + area->height, motion->y + motion->height + margin);
    if (x1 <= x0 || y1 <= y0)
        return det_size; /* a box outside the ROI (another element's ROI): read it all */
    *area = (GstGateRoi){x0, y0, x1 - x0, y1 - y0};
    return MAX(1, (gint)lround((double)det_size * longer_side(area) / whole));
}

static GstFlowReturn gst_gate_reader_transform_frame_ip(GstVideoFilter *filter,
                                                        GstVideoFrame *frame)
{
    GstGateReader *self = GST_GATE_READER(filter);
    GstGateReaderPrivate *priv = PRIV(self);

    GST_OBJECT_LOCK(self);
    gboolean gate = priv->gate;
    guint interval = priv->interval;
    GstGateRoi roi = priv->roi;
    gboolean stale = priv->reader_stale;
    gint max_lateness_ms = priv->max_lateness_ms;
    gboolean motion_crop = priv->motion_crop;
    gint det_size = priv->det_size;
    GST_OBJECT_UNLOCK(self);

    GstBuffer *buffer = frame->buffer;
    if (!want_frame(self, buffer, gate, interval))
        return GST_FLOW_OK;
    gdouble late_ms;
    if (max_lateness_ms >= 0 && buffer_lateness_ms(self, buffer, &late_ms) &&
        late_ms > max_lateness_ms) {
        /* Behind: pass this frame on unread and try the next one, so the element reads
         * the newest frames as fast as it can instead of falling further behind. */
        priv->gated--;
        priv->n_late++;
        GST_LOG_OBJECT(self, "%" GST_TIME_FORMAT " is %.0f ms late: not read",
                       GST_TIME_ARGS(GST_BUFFER_PTS(buffer)), late_ms);
        return GST_FLOW_OK;
    }

    GError *error = NULL;
    if (stale && !remake_reader(self, &error)) {
        GST_ELEMENT_ERROR(self, LIBRARY, INIT, ("%s", error->message), (NULL));
        g_error_free(error);
        return GST_FLOW_ERROR;
    }

    gint fw = GST_VIDEO_FRAME_WIDTH(frame), fh = GST_VIDEO_FRAME_HEIGHT(frame);
    GstGateRoi area;
    if (!gst_gate_roi_clip(&roi, fw, fh, &area)) {
        GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS,
                          ("roi %d,%d,%d,%d lies outside the %dx%d frame", roi.x, roi.y, roi.width,
                           roi.height, fw, fh),
                          ("set roi to a rectangle inside the frame, or unset it"));
        return GST_FLOW_ERROR;
    }

    det_size = area_det_size(&area, det_size,
                             motion_crop ? gst_buffer_get_gatecv_motion_meta(buffer) : NULL);
    gcv_image *converted = NULL;
    gcv_image view;
    if (!roi_as_bgr(frame, &area, &view, &converted)) {
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("cannot convert the ROI to BGR: %s",
                                                 gcv_last_error()), (NULL));
        return GST_FLOW_ERROR;
    }

    gatecv_read *reads = NULL;
    gint64 t0 = g_get_monotonic_time();
    gatecv_reader_set_detect_side(priv->reader, det_size);
    int n = gatecv_reader_read(priv->reader, &view, &reads, &error);
    double ms = (g_get_monotonic_time() - t0) / 1000.0;
    gcv_image_free(converted);
    if (n < 0) {
        GST_ELEMENT_ERROR(self, STREAM, FAILED, ("%s", error->message), (NULL));
        g_error_free(error);
        return GST_FLOW_ERROR;
    }
    priv->n_read++;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) {
            reads[i].quad[k].x += area.x;
            reads[i].quad[k].y += area.y;
        }
    log_reads(self, GST_BUFFER_PTS(buffer), reads, n, ms);

    GatecvReadsMeta *meta =
        gst_buffer_add_gatecv_reads_meta(buffer, reads, (guint)n, GST_OBJECT_NAME(self));
    g_free(reads);
    if (!meta) {
        GST_ELEMENT_ERROR(self, CORE, FAILED, (NULL), ("cannot add the reads meta"));
        return GST_FLOW_ERROR;
    }
    return GST_FLOW_OK;
}

static void gst_gate_reader_finalize(GObject *object)
{
    GstGateReaderPrivate *priv = PRIV(GST_GATE_READER(object));
    g_clear_pointer(&priv->reader, gatecv_reader_free);
    g_clear_pointer(&priv->models, gatecv_models_free);
    g_free(priv->model_dir);
    G_OBJECT_CLASS(gst_gate_reader_parent_class)->finalize(object);
}

static void gst_gate_reader_class_init(GstGateReaderClass *klass)
{
    GObjectClass *gobject_class = G_OBJECT_CLASS(klass);
    GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
    GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS(klass);
    GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS(klass);

    gobject_class->set_property = gst_gate_reader_set_property;
    gobject_class->get_property = gst_gate_reader_get_property;
    gobject_class->finalize = gst_gate_reader_finalize;

    const GParamFlags playing =
        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;
    const GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;
    g_object_class_install_property(
        gobject_class, PROP_MODEL_DIR,
        g_param_spec_string("model-dir", "Model folder",
                            "Folder of det.onnx, rec.onnx and keys.txt (default: "
                            "$GATECV_MODEL_DIR, else the build's models folder); loaded when "
                            "the element starts",
                            gatecv_model_dir(NULL), ready));
    g_object_class_install_property(
        gobject_class, PROP_INTERVAL,
        g_param_spec_uint("interval", "Interval",
                          "Read every N-th gated frame, starting with the first after the gate "
                          "opens (a read takes 0.3-1 s on one core for 1080p: this and roi keep "
                          "a pipeline real-time)",
                          1, 1000, DEFAULT_INTERVAL, playing));
    g_object_class_install_property(
        gobject_class, PROP_GATE,
        g_param_spec_boolean("gate", "Gate",
                             "Read only frames whose GatecvMotionMeta (from gatemotion) says "
                             "moving; frames without that meta always count as gated",
                             DEFAULT_GATE, playing));
    g_object_class_install_property(
        gobject_class, PROP_ROI,
        g_param_spec_string("roi", "Region of interest",
                            "Part of the frame that is read, \"x,y,width,height\" in pixels "
                            "(unset or empty: the whole frame; clipped to the frame); reads are "
                            "given in frame coordinates",
                            NULL, playing));
    g_object_class_install_property(
        gobject_class, PROP_DET_SIZE,
        g_param_spec_int("det-size", "Detector size",
                         "Longer side, in pixels, the text detector scales the ROI to "
                         "(smaller is faster, larger finds smaller text)",
                         160, 2048, DEFAULT_DET_SIZE, playing));
    g_object_class_install_property(
        gobject_class, PROP_OCR,
        g_param_spec_enum("ocr", "OCR engine", "Recogniser that reads the text lines",
                          GST_TYPE_GATE_READER_OCR, DEFAULT_OCR, playing));
    g_object_class_install_property(
        gobject_class, PROP_THREADS,
        g_param_spec_int("threads", "Threads",
                         "Threads OpenCV may use (1: one core); one setting for the whole "
                         "process, applied when the element starts",
                         1, 64, DEFAULT_THREADS, ready));
    g_object_class_install_property(
        gobject_class, PROP_MAX_LATENESS,
        g_param_spec_int("max-lateness", "Maximum lateness",
                         "A frame due to be read that is more than this many ms behind the "
                         "pipeline clock is passed on unread and the next one tried, so a live "
                         "or synchronised pipeline keeps up by reading fewer frames (-1: read "
                         "every frame due, however late; what a replay wants, being then the "
                         "same on every machine)",
                         -1, G_MAXINT, DEFAULT_MAX_LATENESS_MS, playing));
    g_object_class_install_property(
        gobject_class, PROP_MOTION_CROP,
        g_param_spec_boolean("motion-crop", "Motion crop",
                             "Read only the part of the ROI where the GatecvMotionMeta (from "
                             "gatemotion) saw motion, with a margin of 1/16 of the ROI's longer "
                             "side, at the scale the whole ROI is read at (det-size): the text "
                             "detector's time goes with the area it looks at, so reads take "
                             "about a third less. Off by default: at night only a vehicle's lit "
                             "parts move, and its plate can lie outside them. Frames that do "
                             "not move, or carry no such meta, are read whole",
                             DEFAULT_MOTION_CROP, playing));

    gst_element_class_add_static_pad_template(element_class, &sink_template);
    gst_element_class_add_static_pad_template(element_class, &src_template);

    gst_gate_class_set_metadata_only(trans_class);
    trans_class->start = GST_DEBUG_FUNCPTR(gst_gate_reader_start);
    trans_class->stop = GST_DEBUG_FUNCPTR(gst_gate_reader_stop);
    filter_class->transform_frame_ip = GST_DEBUG_FUNCPTR(gst_gate_reader_transform_frame_ip);

    gst_type_mark_as_plugin_api(GST_TYPE_GATE_READER, 0);
    gst_type_mark_as_plugin_api(GST_TYPE_GATE_READER_OCR, 0);
}

static void gst_gate_reader_init(GstGateReader *self)
{
    GstGateReaderPrivate *priv = PRIV(self);
    priv->model_dir = g_strdup(gatecv_model_dir(NULL));
    priv->interval = DEFAULT_INTERVAL;
    priv->gate = DEFAULT_GATE;
    priv->roi = (GstGateRoi){0, 0, 0, 0};
    priv->det_size = DEFAULT_DET_SIZE;
    priv->ocr = DEFAULT_OCR;
    priv->plate_grammars = PLATES_ALL;
    priv->threads = DEFAULT_THREADS;
    priv->max_lateness_ms = DEFAULT_MAX_LATENESS_MS;
    priv->motion_crop = DEFAULT_MOTION_CROP;
    /* A late frame costs no more to pass on than to drop, and dropping it would lose it
     * for the lane fusion too: no QoS (a leaky queue in front is the place to drop). */
    gst_base_transform_set_qos_enabled(GST_BASE_TRANSFORM(self), FALSE);
}
