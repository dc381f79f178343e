/*
 * evidence_jpeg.c — a frame as an evidence JPEG (see evidence_jpeg.h).
 */
#include "evidence_jpeg.h"

#include <turbojpeg.h>

G_DEFINE_QUARK(gatecv - evidence - error - quark, evidence_error)

static void free_jpeg(gpointer jpeg)
{
    tjFree(jpeg);
}

GBytes *evidence_jpeg_encode(const gcv_image *img, GError **error)
{
    /* A compressor is a small allocation; one per call keeps this safe on any thread. */
    tjhandle tj = tjInitCompress();
    if (!tj) {
        g_set_error(error, evidence_error_quark(), 0, "JPEG encoder: %s", tjGetErrorStr2(NULL));
        return NULL;
    }
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    int pf = img->channels == 3 ? TJPF_BGR : TJPF_GRAY;
    int sub = img->channels == 3 ? TJSAMP_420 : TJSAMP_GRAY;
    GBytes *bytes = NULL;
    if (tjCompress2(tj, img->data, img->width, (int)img->stride, img->height, pf, &jpeg, &size, sub,
                    EVIDENCE_JPEG_QUALITY, TJFLAG_FASTDCT) != 0)
        g_set_error(error, evidence_error_quark(), 0, "JPEG encoding failed: %s",
                    tjGetErrorStr2(tj));
    else
        bytes = g_bytes_new_with_free_func(jpeg, size, free_jpeg, jpeg);
    tjDestroy(tj);
    return bytes;
}
