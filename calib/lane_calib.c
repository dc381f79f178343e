/*
 * lane_calib.c — lane_calib.h: each camera's calibration file loaded and merged into its
 * part of the lane config, conflicts refused.
 */
#include "lane_calib.h"

#include <stdarg.h>

#include "calib_load.h"

static gboolean refuse(GError **error, const lane_config *config, const lane_camera *cam,
                       const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static gboolean refuse(GError **error, const lane_config *config, const lane_camera *cam,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, CALIB_ERROR, 0, "%s: [camera %s] %s", config->path, cam->name, what);
    g_free(what);
    return FALSE;
}

static gboolean inside(const camera_calib *c, double x, double y)
{
    return x >= 0 && y >= 0 && x <= c->image_width && y <= c->image_height;
}

/* lane.conf's own roi and tripwire against the file's image. */
static gboolean check_conf_in_image(const lane_config *config, const lane_camera *cam,
                                    const camera_calib *c, GError **error)
{
    const lane_rect *r = &cam->roi;
    if (r->width > 0 && !(inside(c, r->x, r->y) && inside(c, r->x + r->width, r->y + r->height)))
        return refuse(error, config, cam, "roi: %d,%d,%d,%d is outside the %dx%d image of %s",
                      r->x, r->y, r->width, r->height, c->image_width, c->image_height,
                      cam->calibration);
    const lane_line *w = &cam->tripwire;
    if (cam->tripwire_given && !(inside(c, w->x1, w->y1) && inside(c, w->x2, w->y2)))
        return refuse(error, config, cam, "tripwire: %g,%g,%g,%g is outside the %dx%d image of %s",
                      w->x1, w->y1, w->x2, w->y2, c->image_width, c->image_height,
                      cam->calibration);
    return TRUE;
}

/* Takes from the file what lane.conf left out; a value in both is refused. */
static gboolean merge(const lane_config *config, lane_camera *cam, const camera_calib *c,
                      GError **error)
{
    const char *both = "%s is given both in this group and as %s in %s: keep it in one place";
    if (c->n_roi > 0 && cam->roi.width > 0)
        return refuse(error, config, cam, both, "roi", "roi_polygon", cam->calibration);
    if (c->has_tripwire && cam->tripwire_given)
        return refuse(error, config, cam, both, "tripwire", "tripwire", cam->calibration);
    if (c->metres_per_pixel > 0 && cam->metres_per_pixel > 0)
        return refuse(error, config, cam, both, "metres_per_pixel", "metres_per_pixel",
                      cam->calibration);
    if (c->n_roi > 0) {
        int x, y, w, h;
        camera_calib_roi_box(c, &x, &y, &w, &h);
        cam->roi = (lane_rect){x, y, w, h};
    }
    if (c->has_tripwire) {
        cam->tripwire = (lane_line){(float)c->tripwire[0].x, (float)c->tripwire[0].y,
                                    (float)c->tripwire[1].x, (float)c->tripwire[1].y};
        cam->tripwire_given = TRUE;
    }
    if (c->metres_per_pixel > 0)
        cam->metres_per_pixel = c->metres_per_pixel;
    if (!cam->tripwire_given)
        return refuse(error, config, cam,
                      "tripwire: missing (required: in this group or in %s)", cam->calibration);
    return TRUE;
}

static gboolean apply_camera(const lane_config *config, lane_camera *cam, GError **error)
{
    camera_calib *c = g_new(camera_calib, 1);
    GError *why = NULL;
    if (!calib_load(cam->calibration, c, &why)) {
        refuse(error, config, cam, "calibration: %s", why->message);
        g_error_free(why);
        g_free(c);
        return FALSE;
    }
    if (!check_conf_in_image(config, cam, c, error) || !merge(config, cam, c, error)) {
        g_free(c);
        return FALSE;
    }
    g_free(cam->calib);
    cam->calib = c;
    return TRUE;
}

gboolean lane_calib_apply(lane_config *config, GError **error)
{
    for (int i = 0; i < config->n_cameras; i++)
        if (config->cameras[i].calibration && !apply_camera(config, &config->cameras[i], error))
            return FALSE;
    return TRUE;
}
