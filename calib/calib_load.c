/*
 * calib_load.c — calibration files in and out with their errors as GErrors (calib_load.h):
 * the wrapper reads the YAML's shape, camera_calib_check() its values.
 */
#include "calib_load.h"

#include "gcv_calib.h"

G_DEFINE_QUARK(gatecv - calib - error - quark, calib_error)

static gboolean checked(const char *name, const camera_calib *c, GError **error)
{
    char why[512];
    if (!camera_calib_check(c, why, sizeof why)) {
        g_set_error(error, CALIB_ERROR, 0, "%s: %s", name, why);
        return FALSE;
    }
    return TRUE;
}

gboolean calib_load(const char *path, camera_calib *out, GError **error)
{
    char why[512];
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, CALIB_ERROR, 0, "%s: no such file", path);
        return FALSE;
    }
    if (gcv_calib_read_file(path, out, why, sizeof why) != 0) {
        g_set_error(error, CALIB_ERROR, 0, "%s: %s", path, why);
        return FALSE;
    }
    return checked(path, out, error);
}

gboolean calib_load_data(const char *text, gsize len, const char *name, camera_calib *out,
                         GError **error)
{
    char why[512];
    if (gcv_calib_read_memory(text, len, out, why, sizeof why) != 0) {
        g_set_error(error, CALIB_ERROR, 0, "%s: %s", name, why);
        return FALSE;
    }
    return checked(name, out, error);
}

gboolean calib_fits_frame(const camera_calib *c, const char *path, int width, int height,
                          GError **error)
{
    char why[512];
    if (!camera_calib_check_frame(c, width, height, why, sizeof why)) {
        g_set_error(error, CALIB_ERROR, 0, "%s: %s", path, why);
        return FALSE;
    }
    return TRUE;
}

gboolean calib_save(const char *path, const camera_calib *c, GError **error)
{
    char why[512];
    if (!checked(path, c, error))
        return FALSE;
    if (gcv_calib_write_file(path, c, why, sizeof why) != 0) {
        g_set_error(error, CALIB_ERROR, 0, "%s", why);
        return FALSE;
    }
    return TRUE;
}
