/*
 * gstgatemotion.h — gatemotion, the ROI motion gate (see gstgatemotion.c).
 */
#ifndef GST_GATE_MOTION_H
#define GST_GATE_MOTION_H

#include <gst/video/gstvideofilter.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

#define GST_TYPE_GATE_MOTION (gst_gate_motion_get_type())
G_DECLARE_FINAL_TYPE(GstGateMotion, gst_gate_motion, GST, GATE_MOTION, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE(gatemotion);

G_END_DECLS

#endif /* GST_GATE_MOTION_H */
