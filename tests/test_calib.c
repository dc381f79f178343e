/*
 * test_calib.c — pins a camera's calibration file: a good file loads with every field; each
 * kind of unusable file (wrong image size, singular matrix, tripwire outside the image, a
 * missing field, a distortion of the wrong length, a degenerate ROI, NaN) is refused with
 * the file and the field named (and text that hangs OpenCV's YAML reader, before it reads
 * it); lane.conf and the file are joined as lane_calib.h says (the file fills what lane.conf
 * leaves out, both given is refused); and undistorting one
 * region with its maps gives what cv::undistort gives the whole frame there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "calib_load.h"
#include "gcv.h"
#include "gcv_camera.h"
#include "lane_calib.h"

static gchar *dir;

static int setup(void **state)
{
    (void)state;
    dir = g_dir_make_tmp("gatecv-calib-XXXXXX", NULL);
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        gchar *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
    return 0;
}

static const char *GOOD = "%YAML:1.0\n"
                          "---\n"
                          "image_width: 1280\n"
                          "image_height: 720\n"
                          "camera_matrix: !!opencv-matrix\n"
                          "   rows: 3\n"
                          "   cols: 3\n"
                          "   dt: d\n"
                          "   data: [ 900., 0., 640., 0., 905., 360., 0., 0., 1. ]\n"
                          "distortion_coefficients: !!opencv-matrix\n"
                          "   rows: 1\n"
                          "   cols: 5\n"
                          "   dt: d\n"
                          "   data: [ -0.2, 0.05, 0., 0., 0. ]\n"
                          "roi_polygon: [ [ 10, 200 ], [ 1270, 210.5 ], [ 1270, 700 ], [ 10, 700 ] ]\n"
                          "tripwire: [ [ 640, 720 ], [ 640, 0 ] ]\n"
                          "metres_per_pixel: 0.0064\n"
                          "plate_height_px: 40\n";

/* Writes GOOD with `from` replaced by `to` (NULL: as it is) as NAME in the test folder. */
static gchar *write_file(const char *name, const char *text, const char *from, const char *to)
{
    gchar *body = g_strdup(text);
    if (from) {
        gchar **parts = g_strsplit(text, from, 2);
        assert_int_equal(g_strv_length(parts), 2);
        g_free(body);
        body = g_strjoin(to, parts[0], parts[1], NULL);
        g_strfreev(parts);
    }
    gchar *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, body, -1, NULL));
    g_free(body);
    return path;
}

static void test_good_file_loads(void **state)
{
    (void)state;
    gchar *path = write_file("good.yml", GOOD, NULL, NULL);
    camera_calib c;
    GError *error = NULL;
    assert_true(calib_load(path, &c, &error));
    assert_int_equal(c.image_width, 1280);
    assert_int_equal(c.image_height, 720);
    assert_true(c.has_intrinsics);
    assert_true(c.camera_matrix[0] == 900 && c.camera_matrix[4] == 905 && c.camera_matrix[2] == 640);
    assert_int_equal(c.n_dist, 5);
    assert_true(c.dist[0] == -0.2);
    assert_int_equal(c.n_roi, 4);
    assert_true(c.roi[1].y == 210.5);
    assert_true(c.has_tripwire && c.tripwire[0].y == 720 && c.tripwire[1].y == 0);
    assert_true(c.metres_per_pixel == 0.0064 && c.plate_height_px == 40);
    int x, y, w, h;
    camera_calib_roi_box(&c, &x, &y, &w, &h);
    assert_true(x == 10 && y == 200 && w == 1260 && h == 500);
    assert_true(calib_fits_frame(&c, path, 1280, 720, &error));
    /* written and read again: the same */
    gchar *again = g_build_filename(dir, "again.yml", NULL);
    camera_calib d;
    assert_true(calib_save(again, &c, &error));
    assert_true(calib_load(again, &d, &error));
    assert_memory_equal(&c, &d, sizeof c);
    g_free(again);
    g_free(path);
}

/* Each unusable file: refused, the message naming the file and the field. */
static void test_refusals_name_file_and_field(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *says;
    } cases[] = {
        {"900., 0., 640., 0., 905.", "0., 0., 640., 0., 905.", "field camera_matrix: focal lengths"},
        {"0., 0., 1. ]", "0., 0., 0. ]", "field camera_matrix: expected a camera matrix"},
        {"tripwire: [ [ 640, 720 ]", "tripwire: [ [ 640, 721 ]", "field tripwire: point 0 (640, 721) outside the 1280x720 image"},
        {"image_height: 720\n", "", "field image_height: missing (required)"},
        {"cols: 5\n   dt: d\n   data: [ -0.2, 0.05, 0., 0., 0. ]", "cols: 3\n   dt: d\n   data: [ -0.2, 0.05, 0. ]",
         "field distortion_coefficients: 3 coefficients; OpenCV takes 4, 5, 8, 12 or 14"},
        {"[ 10, 700 ] ]", "[ 10, 700 ], [ 10, 700, 3 ] ]", "field roi_polygon[4]: expected a point [x, y]"},
        {"[ 1270, 210.5 ], [ 1270, 700 ], [ 10, 700 ]", "[ 20, 200 ], [ 30, 200 ]", "field roi_polygon: degenerate"},
        {"metres_per_pixel: 0.0064", "metres_per_pixel: .nan", "field metres_per_pixel"},
        {"metres_per_pixel: 0.0064", "metres_per_pixel: many", "field metres_per_pixel: expected a number"},
        {"image_width: 1280", "image_width: 12.5", "field image_width: expected a whole number"},
        {"distortion_coefficients: !!opencv-matrix", "distortion: !!opencv-matrix", "field distortion_coefficients: missing"},
        {"plate_height_px: 40", "plate_height_px: 900", "field plate_height_px"},
        {"%YAML:1.0\n---\n", "%YAML:1.0\n---\n[ 1, ", "bad.yml: "},
        /* OpenCV's YAML reader never returns on some of these: refused before it sees them */
        {"---\n", "---image_width: 3\n", "bad.yml: line 2: the document marker must stand alone"},
        {"plate_height_px: 40", "plate_height_px: 40\nx --", "bad.yml: line 19: expected 'field: value' at the start"},
        {"image_width: 1280", "image_width:\t1280", "bad.yml: line 3: a tab"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gchar *path = write_file("bad.yml", GOOD, cases[i].from, cases[i].to);
        camera_calib c;
        GError *error = NULL;
        gboolean ok = calib_load(path, &c, &error);
        if (ok || !g_str_has_prefix(error->message, path) || !strstr(error->message, cases[i].says))
            fail_msg("case %zu: expected '%s: ...%s', got %s", i, path, cases[i].says,
                     ok ? "a load" : error->message);
        g_error_free(error);
        g_free(path);
    }
    gchar *path = write_file("good.yml", GOOD, NULL, NULL);
    camera_calib c;
    GError *error = NULL;
    assert_true(calib_load(path, &c, &error));
    assert_false(calib_fits_frame(&c, path, 1920, 1080, &error));
    assert_non_null(strstr(error->message, "good.yml: field image_width: 1280, but the camera's frames are 1920x1080"));
    g_clear_error(&error);
    assert_false(calib_fits_frame(&c, path, 1280, 721, &error));
    assert_non_null(strstr(error->message, "field image_height: 720"));
    g_clear_error(&error);
    gchar *missing = g_build_filename(dir, "none.yml", NULL);
    assert_false(calib_load(missing, &c, &error));
    assert_non_null(strstr(error->message, "none.yml: no such file"));
    g_clear_error(&error);
    g_free(missing);
    g_free(path);
}

/* The file's 14 coefficients (OpenCV's longest model) and a file without intrinsics load. */
static void test_optional_fields(void **state)
{
    (void)state;
    gchar *path = write_file("lane-only.yml", "%YAML:1.0\n---\nimage_width: 640\nimage_height: 480\n"
                                              "tripwire: [ [ 0, 240 ], [ 640, 240 ] ]\n",
                             NULL, NULL);
    camera_calib c;
    GError *error = NULL;
    assert_true(calib_load(path, &c, &error));
    assert_false(c.has_intrinsics);
    assert_int_equal(c.n_roi, 0);
    g_free(path);
    path = write_file("fourteen.yml", GOOD, "cols: 5\n   dt: d\n   data: [ -0.2, 0.05, 0., 0., 0. ]",
                      "cols: 14\n   dt: d\n   data: [ -0.2, 0.05, 0., 0., 0., 0, 0, 0, 0, 0, 0, 0, 0, 0 ]");
    assert_true(calib_load(path, &c, &error));
    assert_int_equal(c.n_dist, 14);
    g_free(path);
}

static lane_config *conf_with(const char *calib, const char *extra, GError **error)
{
    gchar *video = write_file("v.mkv", "x", NULL, NULL);
    gchar *text = g_strdup_printf("[gate]\nname=g\nlane=l\npositive_direction=VN_TO_CN\n"
                                  "[camera front]\nrole=front\nuri=file://%s\ncalibration=%s\n%s",
                                  video, calib, extra);
    lane_config *c = lane_config_load_data(text, strlen(text), "lane.conf", error);
    assert_non_null(c);
    g_free(text);
    g_free(video);
    return c;
}

/* lane.conf + the file: the file fills what lane.conf leaves out; both is refused. */
static void test_lane_config_joined(void **state)
{
    (void)state;
    gchar *path = write_file("good.yml", GOOD, NULL, NULL);
    GError *error = NULL;
    lane_config *c = conf_with(path, "", &error);
    assert_true(lane_calib_apply(c, &error));
    const lane_camera *cam = &c->cameras[0];
    assert_non_null(cam->calib);
    assert_true(cam->roi.x == 10 && cam->roi.y == 200 && cam->roi.width == 1260 && cam->roi.height == 500);
    assert_true(cam->tripwire.x1 == 640 && cam->tripwire.y1 == 720 && cam->tripwire.y2 == 0);
    assert_true(cam->metres_per_pixel == 0.0064);
    lane_config_free(c);

    static const struct {
        const char *extra, *says;
    } refused[] = {
        {"tripwire=0,0,10,10\n", "lane.conf: [camera front] tripwire is given both in this group and as tripwire in"},
        {"roi=0,0,100,100\n", "[camera front] roi is given both in this group and as roi_polygon in"},
        {"metres_per_pixel=0.01\n", "[camera front] metres_per_pixel is given both"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
        c = conf_with(path, refused[i].extra, &error);
        assert_false(lane_calib_apply(c, &error));
        if (!strstr(error->message, refused[i].says))
            fail_msg("expected '%s', got '%s'", refused[i].says, error->message);
        g_clear_error(&error);
        lane_config_free(c);
    }
    g_free(path);

    /* a file without tripwire: lane.conf's, which must lie in the file's image */
    path = write_file("no-wire.yml", GOOD, "tripwire: [ [ 640, 720 ], [ 640, 0 ] ]\n", "");
    c = conf_with(path, "", &error);
    assert_false(lane_calib_apply(c, &error));
    assert_non_null(strstr(error->message, "[camera front] tripwire: missing (required: in this group or in"));
    g_clear_error(&error);
    lane_config_free(c);
    c = conf_with(path, "tripwire=0,0,2000,10\n", &error);
    assert_false(lane_calib_apply(c, &error));
    assert_non_null(strstr(error->message, "[camera front] tripwire: 0,0,2000,10 is outside the 1280x720 image of"));
    g_clear_error(&error);
    lane_config_free(c);
    g_free(path);

    /* a bad file: named through the camera and the key that names it */
    path = write_file("singular.yml", GOOD, "900., 0., 640., 0., 905.", "900., 0., 640., 0., -905.");
    c = conf_with(path, "", &error);
    assert_false(lane_calib_apply(c, &error));
    assert_non_null(strstr(error->message, "lane.conf: [camera front] calibration: "));
    assert_non_null(strstr(error->message, "singular.yml: field camera_matrix: focal lengths"));
    g_clear_error(&error);
    lane_config_free(c);
    g_free(path);
}

/* A textured 1280x720 BGR frame (deterministic). */
static gcv_image *test_frame(void)
{
    gcv_image *img = gcv_image_new(1280, 720, 3);
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            for (int ch = 0; ch < 3; ch++)
                img->data[y * img->stride + x * 3 + ch] =
                    (uint8_t)(((x / 16 + y / 16) & 1) ? 200 - ch * 30 : 40 + ch * 20 + (x + y) % 13);
    return img;
}

/* One region undistorted with its maps is cv::undistort's whole frame on that region
 * (within 1 grey level: both interpolate with fixed-point maps). */
static void test_region_undistortion_matches_whole_frame(void **state)
{
    (void)state;
    const double k[9] = {900, 0, 640, 0, 905, 360, 0, 0, 1};
    const double dist[5] = {-0.3, 0.1, 0.001, -0.001, 0};
    gcv_image *frame = test_frame();
    gcv_image *whole = gcv_undistort_image(frame, k, dist, 5);
    assert_non_null(whole);
    const int regions[][4] = {{100, 200, 600, 300}, {0, 0, 1280, 720}, {1001, 501, 279, 219}};
    for (size_t r = 0; r < G_N_ELEMENTS(regions); r++) {
        const int *a = regions[r];
        gcv_undistort *u = gcv_undistort_new(k, dist, 5, 1280, 720, a[0], a[1], a[2], a[3]);
        assert_non_null(u);
        int sx, sy, sw, sh;
        gcv_undistort_source(u, &sx, &sy, &sw, &sh);
        assert_true(sx % 2 == 0 && sy % 2 == 0 && sw % 2 == 0 && sh % 2 == 0);
        assert_true(sx + sw <= 1280 && sy + sh <= 720);
        gcv_image *source = gcv_image_crop(frame, sx, sy, sw, sh);
        gcv_image *part = gcv_undistort_apply(u, source);
        assert_non_null(part);
        assert_true(part->width == a[2] && part->height == a[3]);
        int worst = 0;
        for (int y = 0; y < a[3]; y++)
            for (int x = 0; x < a[2] * 3; x++) {
                int d = abs((int)part->data[y * part->stride + x] -
                            (int)whole->data[(y + a[1]) * whole->stride + a[0] * 3 + x]);
                worst = MAX(worst, d);
            }
        if (worst > 1) {
            for (int y = 0, shown = 0; y < a[3] && shown < 10; y++)
                for (int x = 0; x < a[2] * 3 && shown < 10; x++) {
                    int p = part->data[y * part->stride + x], q = whole->data[(y + a[1]) * whole->stride + a[0] * 3 + x];
                    if (abs(p - q) > 1) { print_message("at %d,%d: %d vs %d\n", x / 3 + a[0], y + a[1], p, q); shown++; }
                }
        }
        if (worst > 1)
            fail_msg("region %zu: differs by %d grey levels", r, worst);
        gcv_image_free(part);
        gcv_image_free(source);
        gcv_undistort_free(u);
    }
    gcv_image_free(whole);
    gcv_image_free(frame);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file_loads),
        cmocka_unit_test(test_refusals_name_file_and_field),
        cmocka_unit_test(test_optional_fields),
        cmocka_unit_test(test_lane_config_joined),
        cmocka_unit_test(test_region_undistortion_matches_whole_frame),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
