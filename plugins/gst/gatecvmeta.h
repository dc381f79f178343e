/*
 * gatecvmeta.h — the metadata gatecv's GStreamer elements attach to video buffers.
 *
 * GatecvMotionMeta (one per buffer, from gatemotion): is the lane gate open, how much of
 * the ROI moved, and where (one box around all of it, and a box per separate moving region).
 * GatecvReadsMeta (one per reading element per buffer, from gateplate / gatecontainer):
 * everything that element read in the frame, invalid reads included; a frame that was read
 * and showed nothing carries one with n_reads == 0, a frame that was not read carries none.
 *
 * Both are real GstMetas (gst_meta_api_type_register / gst_meta_register) tagged "video",
 * "size" and "orientation". Their transform function copies them when a buffer is copied
 * (gst_buffer_copy, gst_buffer_make_writable) and rescales their coordinates when an element
 * such as videoscale or videoconvertscale changes the frame size; an element that flips or
 * rotates frames drops them.
 *
 * They live in their own shared library (libgatecvgstmeta.so) that the plugin and the
 * applications reading the metas both link, so a process registers each meta once.
 *
 * Ownership: a meta belongs to its buffer. GatecvReadsMeta owns `reads` and `element`
 * (freed with the buffer); gst_buffer_add_gatecv_reads_meta copies what it is given.
 */
#ifndef GATECV_GST_META_H
#define GATECV_GST_META_H

#include <gst/gst.h>
#include <gst/video/video.h>

#include "reader.h"

G_BEGIN_DECLS

/* --- motion ------------------------------------------------------------------------- */

#define GATECV_MOTION_MAX_BLOBS 8

/* A rectangle in frame coordinates. */
typedef struct {
    gint x, y, width, height;
} GatecvMotionBox;

typedef struct {
    GstMeta meta;
    gboolean moving;        /* the gate is open: motion now, or within hold-frames of it */
    gfloat moving_fraction; /* fraction of the ROI that moved in this frame, 0..1 */
    /* Box of the moving pixels inside the ROI, in frame coordinates; while the gate is held
     * open after motion stopped it is the last box seen; all 0 when the gate is closed. */
    gint x, y, width, height;
    /* The separate moving regions inside that box (each vehicle its own when there is road
     * between them), largest first; like the box, the last ones seen while the gate is held
     * open, none when it is closed. */
    guint n_blobs;
    GatecvMotionBox blobs[GATECV_MOTION_MAX_BLOBS];
} GatecvMotionMeta;

GType gatecv_motion_meta_api_get_type(void);
#define GATECV_MOTION_META_API_TYPE (gatecv_motion_meta_api_get_type())
const GstMetaInfo *gatecv_motion_meta_get_info(void);
#define GATECV_MOTION_META_INFO (gatecv_motion_meta_get_info())

/* Adds a motion meta to a writable buffer (not writable: a g_return_val_if_fail, NULL). */
GatecvMotionMeta *gst_buffer_add_gatecv_motion_meta(GstBuffer *buffer, gboolean moving,
                                                    gfloat moving_fraction, gint x, gint y,
                                                    gint width, gint height);
/* The buffer's motion meta, or NULL. */
GatecvMotionMeta *gst_buffer_get_gatecv_motion_meta(GstBuffer *buffer);

/* --- reads -------------------------------------------------------------------------- */

typedef struct {
    GstMeta meta;
    guint n_reads;
    gatecv_read *reads; /* n_reads reads, best first (owned) */
    gchar *element;     /* name of the element that read them (owned) */
} GatecvReadsMeta;

GType gatecv_reads_meta_api_get_type(void);
#define GATECV_READS_META_API_TYPE (gatecv_reads_meta_api_get_type())
const GstMetaInfo *gatecv_reads_meta_get_info(void);
#define GATECV_READS_META_INFO (gatecv_reads_meta_get_info())

/* Adds a reads meta holding a copy of reads[0..n_reads-1] (n_reads may be 0, reads then
 * may be NULL) and of `element` to a writable buffer (not writable: as above). */
GatecvReadsMeta *gst_buffer_add_gatecv_reads_meta(GstBuffer *buffer, const gatecv_read *reads,
                                                  guint n_reads, const gchar *element);
/* Iterates over the buffer's reads metas: start with *state = NULL; NULL at the end.
 *     gpointer state = NULL;
 *     GatecvReadsMeta *m;
 *     while ((m = gst_buffer_iterate_gatecv_reads_meta(buf, &state)))
 *         ...                                                                          */
GatecvReadsMeta *gst_buffer_iterate_gatecv_reads_meta(GstBuffer *buffer, gpointer *state);
/* The reads meta added by the element named `element`, or NULL. */
GatecvReadsMeta *gst_buffer_get_gatecv_reads_meta(GstBuffer *buffer, const gchar *element);

G_END_DECLS

#endif /* GATECV_GST_META_H */
