/*
 * gstgateutil.c — ROI strings and the metadata-only output buffer (see gstgateutil.h).
 */
#include "gstgateutil.h"

#include <errno.h>
#include <stdlib.h>

/* Reads one decimal number in 0..GST_GATE_ROI_MAX at *p, spaces around it allowed. */
static gboolean parse_number(const gchar **p, gint *out)
{
    const gchar *s = *p;
    while (*s == ' ')
        s++;
    if (*s < '0' || *s > '9')
        return FALSE;
    errno = 0;
    gchar *end;
    long v = strtol(s, &end, 10);
    if (errno || v > GST_GATE_ROI_MAX)
        return FALSE;
    while (*end == ' ')
        end++;
    *out = (gint)v;
    *p = end;
    return TRUE;
}

gboolean gst_gate_roi_parse(const gchar *text, GstGateRoi *roi)
{
    if (!text || !*text) {
        *roi = (GstGateRoi){0, 0, 0, 0};
        return TRUE;
    }
    gint v[4];
    const gchar *p = text;
    for (int i = 0; i < 4; i++) {
        if (!parse_number(&p, &v[i]))
            return FALSE;
        if (*p != (i < 3 ? ',' : '\0'))
            return FALSE;
        if (i < 3)
            p++;
    }
    if (v[2] < 1 || v[3] < 1)
        return FALSE;
    *roi = (GstGateRoi){v[0], v[1], v[2], v[3]};
    return TRUE;
}

gchar *gst_gate_roi_to_string(const GstGateRoi *roi)
{
    if (roi->width == 0)
        return NULL;
    return g_strdup_printf("%d,%d,%d,%d", roi->x, roi->y, roi->width, roi->height);
}

gboolean gst_gate_roi_clip(const GstGateRoi *roi, gint frame_width, gint frame_height,
                           GstGateRoi *out)
{
    *out = (GstGateRoi){0, 0, 0, 0};
    if (frame_width <= 0 || frame_height <= 0)
        return FALSE;
    if (roi->width == 0) {
        *out = (GstGateRoi){0, 0, frame_width, frame_height};
        return TRUE;
    }
    gint x1 = MIN(roi->x + roi->width, frame_width);
    gint y1 = MIN(roi->y + roi->height, frame_height);
    if (roi->x >= x1 || roi->y >= y1)
        return FALSE;
    *out = (GstGateRoi){roi->x, roi->y, x1 - roi->x, y1 - roi->y};
    return TRUE;
}

/* Reuses a writable input buffer; otherwise a shallow copy (gst_buffer_copy refs the
 * memory, it does not copy it), which GstBaseTransform unrefs the input for. */
static GstFlowReturn prepare_metadata_buffer(GstBaseTransform *trans, GstBuffer *input,
                                             GstBuffer **outbuf)
{
    if (gst_buffer_is_writable(input)) {
        *outbuf = input;
    } else {
        GST_LOG_OBJECT(trans, "input buffer is shared: new buffer over the same memory");
        *outbuf = gst_buffer_copy(input);
    }
    return *outbuf ? GST_FLOW_OK : GST_FLOW_ERROR;
}

void gst_gate_class_set_metadata_only(GstBaseTransformClass *klass)
{
    klass->passthrough_on_same_caps = TRUE;
    klass->transform_ip_on_passthrough = TRUE;
    klass->prepare_output_buffer = GST_DEBUG_FUNCPTR(prepare_metadata_buffer);
}
