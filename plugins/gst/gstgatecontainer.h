/*
 * gstgatecontainer.h — gatecontainer, the ISO 6346 container-code reader element (see
 * gstgatecontainer.c).
 */
#ifndef GST_GATE_CONTAINER_H
#define GST_GATE_CONTAINER_H

#include "gstgatereader.h"

G_BEGIN_DECLS

#define GST_TYPE_GATE_CONTAINER (gst_gate_container_get_type())
G_DECLARE_FINAL_TYPE(GstGateContainer, gst_gate_container, GST, GATE_CONTAINER, GstGateReader)

GST_ELEMENT_REGISTER_DECLARE(gatecontainer);

G_END_DECLS

#endif /* GST_GATE_CONTAINER_H */
