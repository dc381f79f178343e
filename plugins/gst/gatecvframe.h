/*
 * gatecvframe.h — a region of a mapped video frame as a BGR gcv_image: what the reader
 * elements (the ROI of a frame they read) and gatecvd (the whole frame, for evidence)
 * both need from a decoder's frame.
 *
 * Formats: BGR (the region is copied), I420 and NV12 (only the region is converted; its
 * origin moves down to even coordinates, as 4:2:0 chroma needs). A static library of its
 * own (gatecv_gstframe), linked into the plugin and into gatecvd.
 */
#ifndef GATECV_GST_FRAME_H
#define GATECV_GST_FRAME_H

#include <gst/video/video.h>

#include "gcv.h"

G_BEGIN_DECLS

/* The width x height region at (x, y) of `frame` in BGR (caller frees), clipped to the
 * frame; NULL and gcv_last_error() if nothing of it is inside. Any format other than BGR
 * and NV12 is taken for I420 (the caps that lead here admit no other). */
gcv_image *gatecv_frame_region_to_bgr(const GstVideoFrame *frame, int x, int y, int width,
                                      int height);

G_END_DECLS

#endif /* GATECV_GST_FRAME_H */
