/*
 * gstgateplate.h — gateplate, the licence-plate reader element (see gstgateplate.c).
 */
#ifndef GST_GATE_PLATE_H
#define GST_GATE_PLATE_H

#include "gstgatereader.h"

G_BEGIN_DECLS

#define GST_TYPE_GATE_PLATE (gst_gate_plate_get_type())
G_DECLARE_FINAL_TYPE(GstGatePlate, gst_gate_plate, GST, GATE_PLATE, GstGateReader)

GST_ELEMENT_REGISTER_DECLARE(gateplate);

G_END_DECLS

#endif /* GST_GATE_PLATE_H */
