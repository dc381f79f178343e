/*
 * evidence_jpeg.h — a frame kept as evidence, as a JPEG (libjpeg-turbo).
 *
 * A frame with reads is encoded once, by the reader thread that read it, and from then on
 * travels as a GBytes: the lane fusion keeps the best frame of every text it votes on, and
 * a 1080p frame is 6 MB in BGR but 0.2-0.4 MB as a JPEG. Texts of one frame share it (a
 * reference each), and the event publishes these same bytes.
 */
#ifndef GATECV_EVIDENCE_JPEG_H
#define GATECV_EVIDENCE_JPEG_H

#include <glib.h>

#include "gcv.h"

#define EVIDENCE_JPEG_QUALITY 85

/* `img` (BGR or grey) as a JPEG; NULL + error if libjpeg-turbo fails. Any thread. */
GBytes *evidence_jpeg_encode(const gcv_image *img, GError **error);

#endif
