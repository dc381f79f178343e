/*
 * gstgatecontainer.c — gatecontainer: GstGateReader reading ISO 6346 container codes only.
 * Everything but the choice of what to read is in gstgatereader.c.
 */

/**
 * SECTION:element-gatecontainer
 * @title: gatecontainer
 * @see_also: gatemotion, gateplate
 *
 * Reads ISO 6346 container codes (owner, category, serial and check digit — on one row, on
 * two rows, or stacked vertically one character per row) with gatecv's still-image reader,
 * and attaches a #GatecvReadsMeta with every read to the frame: valid ones (the check
 * digit holds), and the invalid ones when nothing valid was found, so an application can
 * show what was seen. The size-type code (45G1...) is reported with the read when seen. A
 * frame that was read and showed nothing gets a meta with no reads; frames that are not read
 * pass through untouched (in place, no copy).
 *
 * Which frames are read: with #GstGateReader:gate (the default) only those a gatemotion in
 * front marks as moving (frames without a #GatecvMotionMeta always count), and of those the
 * first after the gate opens and then every #GstGateReader:interval-th.
 *
 * Reading a 1080p frame takes 0.3–1 s on one core. What keeps a pipeline real-time is
 * #GstGateReader:interval (read a frame in N) and #GstGateReader:roi (read only the part of
 * the frame where the container side passes; the reads' polygons are still in frame
 * coordinates); #GstGateReader:det-size trades small text for speed. The element does not
 * drop frames (QoS is off): put a leaky queue in front if the source must never wait.
 *
 * The models (det.onnx, rec.onnx, keys.txt from #GstGateReader:model-dir) are loaded when
 * the element starts; if they are missing or unusable the element posts an error whose
 * message names the file and the command that fixes it. Each gatecontainer loads its own
 * models (OpenCV networks are not thread-safe).
 *
 * Caps: BGR (read in place), I420 or NV12 (what decoders give: only the ROI of a frame
 * that is read is converted, so no videoconvert to BGR is needed in front).
 *
 * ## Example launch lines
 * |[
 * GST_DEBUG=gatecontainer:4 gst-launch-1.0 filesrc location=side.mkv ! decodebin ! \
 *     gatemotion ! \
 *     gatecontainer interval=10 det-size=1280 ! fakesink
 * ]| Reads the container codes passing a side camera in a recorded file.
 * |[
 * GST_DEBUG=gatecontainer:4 gst-launch-1.0 filesrc location=container.jpg ! jpegdec ! \
 *     videoconvert ! video/x-raw,format=BGR ! gatecontainer gate=false interval=1 ! fakesink
 * ]| Reads one still picture (gatecv-stillgen makes some) and logs what it read.
 */

#include "gstgatecontainer.h"

GST_DEBUG_CATEGORY_STATIC(gst_gate_container_debug);

struct _GstGateContainer {
    GstGateReader parent;
};

G_DEFINE_TYPE(GstGateContainer, gst_gate_container, GST_TYPE_GATE_READER);
GST_ELEMENT_REGISTER_DEFINE(gatecontainer, "gatecontainer", GST_RANK_NONE, GST_TYPE_GATE_CONTAINER);

static void gst_gate_container_class_init(GstGateContainerClass *klass)
{
    GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
    GstGateReaderClass *reader_class = GST_GATE_READER_CLASS(klass);

    GST_DEBUG_CATEGORY_INIT(gst_gate_container_debug, "gatecontainer", 0,
                            "gatecv ISO 6346 container-code reader");
    reader_class->kind = READ_CONTAINER;
    reader_class->debug_category = gst_gate_container_debug;

    gst_element_class_set_static_metadata(
        element_class, "gatecv container-code reader", "Filter/Analyzer/Video",
        "Reads ISO 6346 container codes in (gated) frames and attaches them as GatecvReadsMeta",
        "gatecv");
}

static void gst_gate_container_init(GstGateContainer *self)
{
    (void)self;
}
