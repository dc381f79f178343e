/*
 * fuzz_lane_config.c — the daemon's configuration (pipeline/lane_config.c) on any bytes:
 * GLib's key-file parser, then every group and key check, through lane_config_load_data, the
 * parse lane_config_load runs on a file's contents. A config that loads must hold what its
 * header promises (ranges, at least one camera, named cameras); one that fails must say so as
 * "NAME:..." with a message.
 */
#include "fuzz_target.h"

#include <math.h>
#include <string.h>

#include "lane_config.h"

#define NAME "fuzz.conf"

static void check_loaded(const lane_config *c)
{
    FUZZ_CHECK(c->gate && *c->gate && c->lane && *c->lane);
    FUZZ_CHECK(c->n_cameras >= 1 && c->n_cameras <= LANE_MAX_CAMERAS);
    for (int i = 0; i < c->n_cameras; i++) {
        const lane_camera *cam = &c->cameras[i];
        FUZZ_CHECK(cam->name && *cam->name && cam->uri && *cam->uri);
        FUZZ_CHECK(strcmp(lane_role_name(cam->role), "unknown") != 0);
        FUZZ_CHECK(cam->roi.x >= 0 && cam->roi.y >= 0 && cam->roi.width >= 0 &&
                   cam->roi.height >= 0);
        const lane_line *w = &cam->tripwire;
        FUZZ_CHECK(isfinite(w->x1) && isfinite(w->y1) && isfinite(w->x2) && isfinite(w->y2));
        /* without one here, the calibration file gives it (lane_calib.h) */
        FUZZ_CHECK(cam->tripwire_given || cam->calibration);
        FUZZ_CHECK(!cam->tripwire_given || w->x1 != w->x2 || w->y1 != w->y2);
        FUZZ_CHECK(cam->metres_per_pixel == 0 ||
                   (cam->metres_per_pixel >= 0.0001 && cam->metres_per_pixel <= 1));
        for (int k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(c->cameras[k].name, cam->name) != 0);
    }
    FUZZ_CHECK(c->votes >= 1 && c->votes <= 50);
    FUZZ_CHECK(c->read_interval >= 1 && c->read_interval <= 1000);
    FUZZ_CHECK(c->reader_threads >= 0 && c->reader_threads <= 64);
    FUZZ_CHECK(c->join_window >= 0.1 && c->join_window <= 30);
    FUZZ_CHECK(c->max_vehicle_m >= 5 && c->max_vehicle_m <= 100);
    if (c->bus.enabled) {
        FUZZ_CHECK(c->bus.publish && c->bus.request && strcmp(c->bus.publish, c->bus.request));
        FUZZ_CHECK(!c->bus.server_key != !c->bus.insecure);
        FUZZ_CHECK(c->bus.max_fetch >= 1 && c->bus.max_fetch <= 10000);
    }
    FUZZ_CHECK(c->metrics.host == NULL || (c->metrics.port >= 1 && c->metrics.port <= 65535));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fatal_criticals();
    GError *error = NULL;
    lane_config *c = lane_config_load_data((const char *)data, size, NAME, &error);
    if (c) {
        FUZZ_CHECK(error == NULL);
        check_loaded(c);
        lane_config_free(c);
    } else {
        FUZZ_CHECK(error && strncmp(error->message, NAME ":", strlen(NAME ":")) == 0);
        g_error_free(error);
    }
    return 0;
}
