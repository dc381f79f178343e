/*
 * gstgatereader.h — GstGateReader, the abstract base of gateplate and gatecontainer: runs
 * the still-image reader (plugins/core/reader.h) on gated frames and attaches a
 * GatecvReadsMeta (see gstgatereader.c).
 */
#ifndef GST_GATE_READER_H
#define GST_GATE_READER_H

#include <gst/video/gstvideofilter.h>
#include <gst/video/video.h>

#include "reader.h"

G_BEGIN_DECLS

#define GST_TYPE_GATE_READER (gst_gate_reader_get_type())
G_DECLARE_DERIVABLE_TYPE(GstGateReader, gst_gate_reader, GST, GATE_READER, GstVideoFilter)

struct _GstGateReaderClass {
    GstVideoFilterClass parent_class;

    /* Set by each subclass in its class_init. */
    gatecv_read_kind kind;            /* READ_PLATE: plates only; READ_CONTAINER: codes only */
    GstDebugCategory *debug_category; /* the subclass's category: the base class logs into it */
};

/* The "ocr" property's enum type (values are gatecv_ocr_engine). */
#define GST_TYPE_GATE_READER_OCR (gst_gate_reader_ocr_get_type())
GType gst_gate_reader_ocr_get_type(void);

/* For gateplate's "plates" property: the PLATES_* grammar mask the reader uses
 * (default PLATES_ALL). Setting it takes effect at the next read. */
void gst_gate_reader_set_plate_grammars(GstGateReader *self, guint grammars);
guint gst_gate_reader_get_plate_grammars(GstGateReader *self);

/* For gateplate's "containers" property: also read the other kind in the same pass (one
 * text detection for both: a rear camera sees the plate and the door codes). Default
 * FALSE; takes effect at the next read. */
void gst_gate_reader_set_both_kinds(GstGateReader *self, gboolean both);
gboolean gst_gate_reader_get_both_kinds(GstGateReader *self);

G_END_DECLS

#endif /* GST_GATE_READER_H */
