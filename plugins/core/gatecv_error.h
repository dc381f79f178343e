/*
 * gatecv_error.h — the GError domain and codes of the recognition core.
 * Library functions return errors as values; only tools print them.
 */
#ifndef GATECV_ERROR_H
#define GATECV_ERROR_H

#include <glib.h>

#define GATECV_ERROR (gatecv_error_quark())

typedef enum {
    GATECV_ERROR_MODEL_MISSING,  /* a model file is not there */
    GATECV_ERROR_MODEL_INVALID,  /* OpenCV rejects it, or its shapes are not the expected ones */
    GATECV_ERROR_IMAGE,          /* an input image is unreadable or too large */
    GATECV_ERROR_INTERNAL,       /* out of memory, or an OpenCV call failed */
} GatecvError;

GQuark gatecv_error_quark(void);

#endif
