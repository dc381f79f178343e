/*
 * calib_load.h — a camera's calibration file read and checked (gcv_calib.h, camera_calib.h),
 * its problems as GErrors that name the file and the field: "FILE: field NAME: what".
 */
#ifndef GATECV_CALIB_LOAD_H
#define GATECV_CALIB_LOAD_H

#include <glib.h>

#include "camera_calib.h"

#define CALIB_ERROR (calib_error_quark())
GQuark calib_error_quark(void);

/* Reads `path` into *out and checks it on its own (camera_calib_check). */
gboolean calib_load(const char *path, camera_calib *out, GError **error);
/* The same on a file's text in memory, errors naming `name`. */
gboolean calib_load_data(const char *text, gsize len, const char *name, camera_calib *out,
                         GError **error);
/* Checks the calibration read from `path` fits frames of width x height. */
gboolean calib_fits_frame(const camera_calib *c, const char *path, int width, int height,
                          GError **error);
/* Checks, then writes it to `path`. */
gboolean calib_save(const char *path, const camera_calib *c, GError **error);

#endif
