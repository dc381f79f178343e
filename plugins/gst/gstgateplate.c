/*
 * gstgateplate.c — gateplate: GstGateReader reading licence plates only. Owns the "plates"
 * property (which plate grammars apply); everything else is in gstgatereader.c.
 */

/**
 * SECTION:element-gateplate
 * @title: gateplate
 * @see_also: gatemotion, gatecontainer
 *
 * Reads licence plates (Vietnamese and Chinese, one and two lines, and "generic" plates of
 * unknown country) with gatecv's still-image reader and attaches a #GatecvReadsMeta with
 * every read to the frame: valid ones, and the invalid ones when nothing of that kind was
 * valid, so an application can show what was seen. A frame that was read and showed
 * nothing gets a meta with no reads; frames that are not read pass through untouched (in
 * place, no copy).
 *
 * Which frames are read: with #GstGateReader:gate (the default) only those a gatemotion in
 * front marks as moving (frames without a #GatecvMotionMeta always count), and of those the
 * first after the gate opens and then every #GstGateReader:interval-th.
 *
 * Reading a 1080p frame takes 0.3–1 s on one core. What keeps a pipeline real-time is
 * #GstGateReader:interval (read a frame in N) and #GstGateReader:roi (read only the part of
 * the frame where plates pass; the reads' polygons are still in frame coordinates);
 * #GstGateReader:det-size trades small text for speed. The element does not drop frames
 * (QoS is off): put a leaky queue in front if the source must never wait.
 *
 * The models (det.onnx, rec.onnx, keys.txt from #GstGateReader:model-dir) are loaded when
 * the element starts; if they are missing or unusable the element posts an error whose
 * message names the file and the command that fixes it. Each gateplate loads its own
 * models (OpenCV networks are not thread-safe).
 *
 * With #GstGatePlate:containers the same pass also reads ISO 6346 container codes (one
 * text detection for both: what a rear camera, which sees the plate and the door codes,
 * wants).
 *
 * Caps: BGR (read in place), I420 or NV12 (what decoders give: only the ROI of a frame
 * that is read is converted, so no videoconvert to BGR is needed in front).
 *
 * ## Example launch lines
 * |[
 * GST_DEBUG=gateplate:4 gst-launch-1.0 filesrc location=lane.mkv ! decodebin ! \
 *     gatemotion roi=0,200,1280,520 ! \
 *     gateplate interval=5 roi=0,200,1280,520 plates=vn,cn ! fakesink
 * ]| Reads the plates of the vehicles moving through the lane of a recorded file.
 * |[
 * GST_DEBUG=gateplate:4 gst-launch-1.0 filesrc location=plate.jpg ! jpegdec ! \
 *     videoconvert ! video/x-raw,format=BGR ! gateplate gate=false interval=1 ! fakesink
 * ]| Reads one still picture (gatecv-stillgen makes some) and logs what it read.
 */

#include "gstgateplate.h"

GST_DEBUG_CATEGORY_STATIC(gst_gate_plate_debug);
#define GST_CAT_DEFAULT gst_gate_plate_debug

#define DEFAULT_PLATES "vn,cn,generic"

#define DEFAULT_CONTAINERS FALSE

enum {
    PROP_0,
    PROP_PLATES,
    PROP_CONTAINERS,
};

struct _GstGatePlate {
    GstGateReader parent;
};

G_DEFINE_TYPE(GstGatePlate, gst_gate_plate, GST_TYPE_GATE_READER);
GST_ELEMENT_REGISTER_DEFINE(gateplate, "gateplate", GST_RANK_NONE, GST_TYPE_GATE_PLATE);

/* "vn,cn,generic" for a PLATES_* mask, in that order. */
static gchar *grammars_to_string(guint grammars)
{
    static const struct {
        guint bit;
        const char *name;
    } names[] = {{PLATES_VN, "vn"}, {PLATES_CN, "cn"}, {PLATES_GENERIC, "generic"}};
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
        if (grammars & names[i].bit)
            g_string_append_printf(s, "%s%s", s->len ? "," : "", names[i].name);
    return g_string_free(s, FALSE);
}

static void gst_gate_plate_set_property(GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
    GstGatePlate *self = GST_GATE_PLATE(object);
    switch (prop_id) {
    case PROP_PLATES: {
        const gchar *list = g_value_get_string(value);
        guint grammars = list ? gatecv_plate_grammars_parse(list) : PLATES_ALL;
        if (grammars)
            gst_gate_reader_set_plate_grammars(GST_GATE_READER(self), grammars);
        else
            g_warning("%s: plates takes a list of vn, cn, generic, not \"%s\": ignored",
                      GST_OBJECT_NAME(self), list);
        break;
    }
    case PROP_CONTAINERS:
        gst_gate_reader_set_both_kinds(GST_GATE_READER(self), g_value_get_boolean(value));
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
}

static void gst_gate_plate_get_property(GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec)
{
    GstGatePlate *self = GST_GATE_PLATE(object);
    switch (prop_id) {
    case PROP_PLATES:
        g_value_take_string(
            value, grammars_to_string(gst_gate_reader_get_plate_grammars(GST_GATE_READER(self))));
        break;
    case PROP_CONTAINERS:
        g_value_set_boolean(value, gst_gate_reader_get_both_kinds(GST_GATE_READER(self)));
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
}

static void gst_gate_plate_class_init(GstGatePlateClass *klass)
{
    GObjectClass *gobject_class = G_OBJECT_CLASS(klass);
    GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
    GstGateReaderClass *reader_class = GST_GATE_READER_CLASS(klass);

    GST_DEBUG_CATEGORY_INIT(gst_gate_plate_debug, "gateplate", 0, "gatecv licence-plate reader");
    reader_class->kind = READ_PLATE;
    reader_class->debug_category = gst_gate_plate_debug;

    gobject_class->set_property = gst_gate_plate_set_property;
    gobject_class->get_property = gst_gate_plate_get_property;
    g_object_class_install_property(
        gobject_class, PROP_PLATES,
        g_param_spec_string("plates", "Plate grammars",
                            "Plate grammars to read, any of vn,cn,generic (generic: 4-8 "
                            "letters and digits of unknown country)",
                            DEFAULT_PLATES,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                GST_PARAM_MUTABLE_PLAYING));
    g_object_class_install_property(
        gobject_class, PROP_CONTAINERS,
        g_param_spec_boolean("containers", "Container codes too",
                             "Also read ISO 6346 container codes in the same pass: one text "
                             "detection for both, half the cost of a gatecontainer behind it "
                             "(a rear camera sees the plate and the door codes)",
                             DEFAULT_CONTAINERS,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                 GST_PARAM_MUTABLE_PLAYING));

    gst_element_class_set_static_metadata(
        element_class, "gatecv licence-plate reader", "Filter/Analyzer/Video",
        "Reads VN and CN licence plates in (gated) frames and attaches them as GatecvReadsMeta",
        "gatecv");
}

static void gst_gate_plate_init(GstGatePlate *self)
{
    (void)self;
}
