/*
 * image_input.c — checks an image file (size, header, end marker) before decoding it.
 * Owns nothing past a call: the decoded image goes to the caller.
 */
#include "image_input.h"

#include <string.h>

#include "gatecv_error.h"

static const guint8 PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static int be16(const guint8 *p)
{
    return (p[0] << 8) | p[1];
}

static long be32(const guint8 *p)
{
    return ((long)p[0] << 24) | ((long)p[1] << 16) | ((long)p[2] << 8) | p[3];
}

static gboolean is_jpeg(const guint8 *d, gsize len)
{
    return len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

static gboolean is_png(const guint8 *d, gsize len)
{
    return len >= 8 && memcmp(d, PNG_SIGNATURE, 8) == 0;
}

/* Walk the JPEG markers to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC). */
static gboolean jpeg_size(const guint8 *d, gsize len, int *w, int *h)
{
    gsize i = 2;
    while (i + 9 < len) {
        if (d[i] != 0xff)
            return FALSE;
        guint8 marker = d[i + 1];
        if (marker == 0xff) { /* fill byte */
            i++;
            continue;
        }
        int seg = be16(d + i + 2);
        if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
            marker != 0xcc) {
            *h = be16(d + i + 5);
            *w = be16(d + i + 7);
            return TRUE;
        }
        i += 2 + (gsize)seg;
    }
    return FALSE;
}

gboolean image_header_size(const guint8 *d, gsize len, int *width, int *height)
{
    if (is_png(d, len) && len >= 24 && memcmp(d + 12, "IHDR", 4) == 0) {
        *width = (int)be32(d + 16);
        *height = (int)be32(d + 20);
        return TRUE;
    }
    if (is_jpeg(d, len))
        return jpeg_size(d, len, width, height);
    return FALSE;
}

/* A JPEG ends with EOI (FF D9), possibly followed by padding; a PNG with its IEND chunk. */
static gboolean has_end_marker(const guint8 *d, gsize len)
{
    if (is_jpeg(d, len)) {
        gsize tail = len > 1024 ? len - 1024 : 0;
        for (gsize i = len - 1; i > tail; i--)
            if (d[i - 1] == 0xff && d[i] == 0xd9)
                return TRUE;
        return FALSE;
    }
    if (is_png(d, len))
        return len >= 12 && memcmp(d + len - 8, "IEND", 4) == 0;
    return TRUE; /* other formats: left to the decoder */
}

gcv_image *image_load(const char *path, gsize max_bytes, long max_pixels, GError **error)
{
    gchar *data = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &data, &len, &io)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE, "%s: cannot read: %s", path,
                    io->message);
        g_error_free(io);
        return NULL;
    }
    const guint8 *d = (const guint8 *)data;
    gcv_image *img = NULL;
    int w = 0, h = 0;
    if (len == 0) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE, "%s: empty file", path);
    } else if (max_bytes && len > max_bytes) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "%s: %" G_GSIZE_FORMAT " bytes, over the limit of %" G_GSIZE_FORMAT, path,
                    len, max_bytes);
    } else if (image_header_size(d, len, &w, &h) && max_pixels &&
               (long)w * h > max_pixels) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "%s: image is %dx%d, over the limit of %ld pixels", path, w, h, max_pixels);
    } else if (!has_end_marker(d, len)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "%s: truncated %s file (no end marker)", path, is_png(d, len) ? "PNG" : "JPEG");
    } else if (!(img = gcv_image_decode(d, len))) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE, "%s: not an image we can decode",
                    path);
    } else if (max_pixels && (long)img->width * img->height > max_pixels) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "%s: image is %dx%d, over the limit of %ld pixels", path, img->width,
                    img->height, max_pixels);
        gcv_image_free(img);
        img = NULL;
    }
    g_free(data);
    return img;
}
