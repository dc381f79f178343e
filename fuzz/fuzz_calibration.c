/*
 * fuzz_calibration.c — a camera's calibration file (calib/) on any bytes: OpenCV's
 * FileStorage YAML parser (cv::FileStorage::MEMORY, the system library, not instrumented),
 * then every field's reading in the wrapper (plugins/cv/gcv_calib.cpp: types, counts, node
 * paths) and every check of calib/camera_calib.c, through calib_load_data, the parse
 * calib_load runs on a file. A file that loads must hold what camera_calib.h promises (and
 * write and read back the same); one that fails must say so as "NAME: ..." with a message.
 */
#include "fuzz_target.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "calib_load.h"

#define NAME "fuzz.yml"

static gboolean inside(const camera_calib *c, calib_point p)
{
    return isfinite(p.x) && isfinite(p.y) && p.x >= 0 && p.y >= 0 && p.x <= c->image_width &&
           p.y <= c->image_height;
}

static void check_loaded(const camera_calib *c)
{
    FUZZ_CHECK(c->image_width >= 16 && c->image_width <= CALIB_MAX_SIDE);
    FUZZ_CHECK(c->image_height >= 16 && c->image_height <= CALIB_MAX_SIDE);
    if (c->has_intrinsics) {
        FUZZ_CHECK(c->camera_matrix[0] > 0 && c->camera_matrix[4] > 0 && c->camera_matrix[8] == 1);
        FUZZ_CHECK(c->n_dist == 4 || c->n_dist == 5 || c->n_dist == 8 || c->n_dist == 12 ||
                   c->n_dist == 14);
    } else {
        FUZZ_CHECK(c->n_dist == 0);
    }
    FUZZ_CHECK(c->n_roi == 0 || (c->n_roi >= 3 && c->n_roi <= CALIB_MAX_ROI_POINTS));
    for (int i = 0; i < c->n_roi; i++)
        FUZZ_CHECK(inside(c, c->roi[i]));
    if (c->n_roi) {
        int x, y, w, h;
        camera_calib_roi_box(c, &x, &y, &w, &h);
        FUZZ_CHECK(x >= 0 && y >= 0 && x + w <= c->image_width && y + h <= c->image_height);
    }
    if (c->has_tripwire)
        FUZZ_CHECK(inside(c, c->tripwire[0]) && inside(c, c->tripwire[1]));
    FUZZ_CHECK(c->metres_per_pixel == 0 ||
               (c->metres_per_pixel >= 0.0001 && c->metres_per_pixel <= 1));
    FUZZ_CHECK(isfinite(c->plate_height_px) && isfinite(c->rms_px));
}

/* What loads, written and read again, is the same calibration. */
static void check_round_trip(const camera_calib *c)
{
    static gchar *path;
    if (!path)
        path = g_build_filename(g_get_tmp_dir(), "gatecv-fuzz-calibration.yml", NULL);
    GError *error = NULL;
    camera_calib again;
    FUZZ_CHECK(calib_save(path, c, &error));
    FUZZ_CHECK(calib_load(path, &again, &error));
    FUZZ_CHECK(memcmp(c, &again, sizeof again) == 0);
    g_unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fatal_criticals();
    GError *error = NULL;
    camera_calib c;
    if (calib_load_data((const char *)data, size, NAME, &c, &error)) {
        FUZZ_CHECK(error == NULL);
        check_loaded(&c);
        check_round_trip(&c);
    } else {
        FUZZ_CHECK(error && strncmp(error->message, NAME ": ", strlen(NAME ": ")) == 0 &&
                   strlen(error->message) > strlen(NAME ": "));
        g_error_free(error);
    }
    return 0;
}
