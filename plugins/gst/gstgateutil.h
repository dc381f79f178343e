/*
 * gstgateutil.h — what gatecv's elements share that is not a class: the "x,y,w,h" region of
 * interest property, and the output buffer of an element that only adds metadata.
 *
 * Plugin-internal: not part of the meta library and not for applications.
 */
#ifndef GST_GATE_UTIL_H
#define GST_GATE_UTIL_H

#include <gst/base/gstbasetransform.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* A rectangle in frame pixels; width == 0 means "the whole frame". */
typedef struct {
    gint x, y, width, height;
} GstGateRoi;

#define GST_GATE_ROI_MAX 32767 /* largest coordinate or side accepted */

/* Parses "x,y,w,h" (decimal, spaces allowed around the numbers; x, y >= 0; w, h >= 1;
 * all <= GST_GATE_ROI_MAX). NULL or "" is the whole frame. FALSE if the text is malformed;
 * *roi is then untouched. */
gboolean gst_gate_roi_parse(const gchar *text, GstGateRoi *roi);
/* "x,y,w,h", or NULL for the whole frame. g_free the result. */
gchar *gst_gate_roi_to_string(const GstGateRoi *roi);
/* The part of roi inside a frame_width x frame_height frame, in *out. FALSE (and *out
 * empty) if nothing of it is inside. The whole-frame ROI gives the whole frame. */
gboolean gst_gate_roi_clip(const GstGateRoi *roi, gint frame_width, gint frame_height,
                           GstGateRoi *out);

/* Makes `klass` an element that looks at frames and only adds metadata: it runs in
 * passthrough (GstVideoFilter then maps frames read-only), and a buffer that someone else
 * still holds is replaced by a shallow copy (a new GstBuffer over the same memory, metas
 * copied) so a meta can be added — the pixels are never copied. */
void gst_gate_class_set_metadata_only(GstBaseTransformClass *klass);

G_END_DECLS

#endif /* GST_GATE_UTIL_H */
