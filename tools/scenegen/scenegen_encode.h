/*
 * scenegen_encode.h — writes BGR frames to an H.264 Matroska file through GStreamer:
 *
 *   appsrc ! videoconvert ! x264enc speed-preset=ultrafast tune=zerolatency
 *          key-int-max=FPS ! h264parse ! matroskamux ! filesink
 *
 * Frames are copied into GStreamer buffers as they are pushed (the caller keeps its
 * image); appsrc blocks when a few frames are queued, so memory stays bounded while
 * the encoder works in its own threads. The caller has called gst_init.
 *
 * Ownership: sg_encoder_open returns an encoder the caller ends with sg_encoder_close
 * (finishes the file) or sg_encoder_abort (stops without finishing); both free it.
 */
#ifndef GATECV_SCENEGEN_ENCODE_H
#define GATECV_SCENEGEN_ENCODE_H

#include <stdbool.h>

#include <glib.h>

#include "gcv.h"

typedef struct sg_encoder sg_encoder;

sg_encoder *sg_encoder_open(const char *path, int width, int height, int fps, GError **error);
/* Pushes frame number `index` (its time is index / fps). */
bool sg_encoder_push(sg_encoder *e, const gcv_image *bgr, int index, GError **error);
/* Ends the stream, waits until the file is written, frees e. */
bool sg_encoder_close(sg_encoder *e, GError **error);
void sg_encoder_abort(sg_encoder *e);

#endif /* GATECV_SCENEGEN_ENCODE_H */
