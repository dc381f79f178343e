/*
 * gatecvframe.c — a video frame's region in BGR (see gatecvframe.h). Owns nothing past a
 * call.
 */
#include "gatecvframe.h"

gcv_image *gatecv_frame_region_to_bgr(const GstVideoFrame *frame, int x, int y, int width,
                                      int height)
{
    const uint8_t *planes[3] = {NULL, NULL, NULL};
    size_t strides[3] = {0, 0, 0};
    for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(frame) && p < 3; p++) {
        planes[p] = GST_VIDEO_FRAME_PLANE_DATA(frame, p);
        strides[p] = (size_t)GST_VIDEO_FRAME_PLANE_STRIDE(frame, p);
    }
    int fw = GST_VIDEO_FRAME_WIDTH(frame), fh = GST_VIDEO_FRAME_HEIGHT(frame);
    switch (GST_VIDEO_FRAME_FORMAT(frame)) {
    case GST_VIDEO_FORMAT_BGR: {
        gcv_image whole = {fw, fh, 3, strides[0], (uint8_t *)planes[0]};
        return gcv_image_crop(&whole, x, y, width, height);
    }
    case GST_VIDEO_FORMAT_NV12:
        return gcv_yuv420_to_bgr(GCV_YUV_NV12, planes, strides, fw, fh, x, y, width, height);
    default: /* I420: the elements' caps and gatecvd's capsfilter admit nothing else */
        return gcv_yuv420_to_bgr(GCV_YUV_I420, planes, strides, fw, fh, x, y, width, height);
    }
}
