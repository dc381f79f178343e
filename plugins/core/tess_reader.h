/*
 * tess_reader.h — Tesseract 5 as a second recogniser for Latin-only fields (VN plates,
 * container codes, generic plates): one line at a time, characters A-Z 0-9 and the
 * plate separators only, with a probability per character like the PP-OCR reader.
 *
 * A tess_reader is created once per thread (initialisation costs ~70-80 ms) and reused.
 */
#ifndef GATECV_TESS_READER_H
#define GATECV_TESS_READER_H

#include <glib.h>

#include "gcv.h"
#include "text_recognise.h"

typedef struct tess_reader tess_reader;

/* NULL + error if Tesseract or its English data is missing. */
tess_reader *tess_reader_new(GError **error);
void tess_reader_free(tess_reader *t);

/* Read an upright line image. The characters of `out` point to static strings. */
int tess_reader_read(tess_reader *t, const gcv_image *line, text_line *out, GError **error);

#endif
