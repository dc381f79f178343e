/*
 * image_input.h — loading still images safely: a missing, empty, truncated, non-image
 * or oversized file is refused with one message naming the file, before or instead of
 * decoding it.
 */
#ifndef GATECV_IMAGE_INPUT_H
#define GATECV_IMAGE_INPUT_H

#include <glib.h>

#include "gcv.h"

/* Read the image's width and height from its JPEG or PNG header without decoding.
 * Returns TRUE if the header was understood. */
gboolean image_header_size(const guint8 *data, gsize len, int *width, int *height);

/* Load `path` as BGR. Refuses files over max_bytes or images over max_pixels
 * (0 = no limit), and JPEG/PNG files whose end marker is missing (truncated). */
gcv_image *image_load(const char *path, gsize max_bytes, long max_pixels, GError **error);

#endif
