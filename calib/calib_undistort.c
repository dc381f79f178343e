/*
 * calib_undistort.c — calib_undistort.h: a camera's first frame against its calibration.
 */
#include "calib_undistort.h"

#include "calib_load.h"

gboolean calib_undistort_prepare(const camera_calib *c, const char *path, int frame_width,
                                 int frame_height, int x, int y, int width, int height,
                                 gcv_undistort **maps, GError **error)
{
    *maps = NULL;
    if (!calib_fits_frame(c, path, frame_width, frame_height, error))
        return FALSE;
    if (!c->has_intrinsics)
        return TRUE;
    *maps = gcv_undistort_new(c->camera_matrix, c->dist, c->n_dist, frame_width, frame_height, x,
                              y, width, height);
    if (!*maps) {
        g_set_error(error, CALIB_ERROR, 0, "%s: field camera_matrix: cannot undistort: %s", path,
                    gcv_last_error());
        return FALSE;
    }
    return TRUE;
}
