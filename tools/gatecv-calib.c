/*
 * gatecv-calib — makes and checks a camera's calibration file (calib/, camera_calib.h):
 *
 *   gatecv-calib intrinsics --board 9x6 --square-mm 25 [--min-views 5] -o cam.yml IMAGE...
 *   gatecv-calib intrinsics --board 9x6 --square-mm 25 --video board.mkv [--every 10] -o cam.yml
 *       the camera matrix and distortion from views of a chessboard (9x6 inner corners);
 *       prints fx, fy, cx, cy and the RMS reprojection error in pixels
 *   gatecv-calib lane (--calib cam.yml | --image-size 1920x1080) --roi "x,y x,y x,y ..."
 *       [--tripwire x1,y1,x2,y2] [--metres-per-pixel M] [--plate-height PX] -o cam.yml
 *       the lane's geometry in the camera's image, added to (or replacing that of) a file
 *   gatecv-calib draw --calib cam.yml (--frame IMAGE | --video FILE) [--undistorted] -o check.png
 *       the ROI polygon (green) and the tripwire (red, arrow at its end) over a frame, to
 *       check by eye; --undistorted: over the frame undistorted with the file's intrinsics
 *   gatecv-calib bench --calib cam.yml [--frames 200] [--threads 1]
 *       the milliseconds one undistortion (remap) of the file's ROI takes
 *
 * Exit: 0 done, 1 the work failed (too few views found, unreadable image), 2 bad options or
 * a bad calibration file (the message names the file and the field).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "calib_load.h"
#include "gcv.h"
#include "gcv_camera.h"

#define MAX_VIEWS 500

typedef int (*command_fn)(int argc, char **argv);

static int usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "gatecv-calib %s: %s (try gatecv-calib %s --help)\n", cmd, what, cmd);
    g_free(what);
    return 2;
}

/* Parses the options of one subcommand; FALSE (message printed) on an error. */
static gboolean parse_options(const char *cmd, const char *params, const char *summary,
                              GOptionEntry *entries, int *argc, char ***argv)
{
    GOptionContext *ctx = g_option_context_new(params);
    g_option_context_set_summary(ctx, summary);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    gboolean ok = g_option_context_parse(ctx, argc, argv, &error);
    if (!ok) {
        usage_error(cmd, "%s", error->message);
        g_error_free(error);
    }
    g_option_context_free(ctx);
    return ok;
}

static gboolean parse_size(const char *s, int *w, int *h)
{
    char *end = NULL;
    long a = strtol(s, &end, 10);
    if (!end || end == s || (*end != 'x' && *end != 'X'))
        return FALSE;
    const char *rest = end + 1;
    long b = strtol(rest, &end, 10);
    if (!end || end == rest || *end || a < 1 || b < 1 || a > 100000 || b > 100000)
        return FALSE;
    *w = (int)a;
    *h = (int)b;
    return TRUE;
}

/* "x,y": FALSE unless two finite numbers. */
static gboolean parse_point(const char *s, calib_point *p)
{
    gchar **xy = g_strsplit(s, ",", -1);
    gboolean ok = g_strv_length(xy) == 2;
    double v[2] = {0, 0};
    for (int i = 0; ok && i < 2; i++) {
        char *end = NULL;
        v[i] = g_ascii_strtod(xy[i], &end);
        ok = end && end != xy[i] && *end == '\0' && isfinite(v[i]);
    }
    g_strfreev(xy);
    *p = (calib_point){v[0], v[1]};
    return ok;
}

static gboolean write_calib(const char *path, const camera_calib *c)
{
    GError *error = NULL;
    if (!calib_save(path, c, &error)) {
        fprintf(stderr, "gatecv-calib: %s\n", error->message);
        g_error_free(error);
        return FALSE;
    }
    return TRUE;
}

/* --- intrinsics ------------------------------------------------------------ */

typedef struct {
    int cols, rows;
    int width, height; /* of the first view; every view must match */
    int n_views, n_seen;
    gcv_point *corners; /* n_views * cols * rows */
} board_views;

/* Adds the view's corners if the board is found in it; FALSE on a size mismatch. */
static gboolean add_view(board_views *b, const gcv_image *img, const char *name)
{
    if (b->n_seen++ == 0) {
        b->width = img->width;
        b->height = img->height;
    } else if (img->width != b->width || img->height != b->height) {
        fprintf(stderr, "gatecv-calib: %s: %dx%d, but the first view is %dx%d: one camera at a time\n",
                name, img->width, img->height, b->width, b->height);
        return FALSE;
    }
    if (b->n_views >= MAX_VIEWS)
        return TRUE;
    gcv_point *slot = b->corners + (size_t)b->n_views * b->cols * b->rows;
    int found = gcv_find_chessboard(img, b->cols, b->rows, slot);
    if (found < 0)
        fprintf(stderr, "gatecv-calib: %s: %s\n", name, gcv_last_error());
    else if (found == 0)
        fprintf(stderr, "gatecv-calib: %s: no %dx%d board found (skipped)\n", name, b->cols, b->rows);
    else
        b->n_views++;
    return TRUE;
}

static gboolean views_from_images(board_views *b, char **paths)
{
    for (int i = 0; paths[i]; i++) {
        gcv_image *img = gcv_image_read(paths[i]);
        if (!img) {
            fprintf(stderr, "gatecv-calib: %s: cannot read it as an image: %s\n", paths[i],
                    gcv_last_error());
            return FALSE;
        }
        gboolean ok = add_view(b, img, paths[i]);
        gcv_image_free(img);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static gboolean views_from_video(board_views *b, const char *path, int every)
{
    gcv_video *v = gcv_video_open(path);
    if (!v) {
        fprintf(stderr, "gatecv-calib: %s: %s\n", path, gcv_last_error());
        return FALSE;
    }
    gcv_image *img;
    gboolean ok = TRUE;
    for (int n = 0; ok && (img = gcv_video_next(v)); n++) {
        if (n % every == 0) {
            gchar *name = g_strdup_printf("%s frame %d", path, n);
            ok = add_view(b, img, name);
            g_free(name);
        }
        gcv_image_free(img);
    }
    gcv_video_free(v);
    return ok;
}

static int calibrate_views(const board_views *b, double square, int min_views, const char *out)
{
    if (b->n_views < min_views) {
        fprintf(stderr,
                "gatecv-calib: the board was found in %d of %d views; at least %d are needed "
                "(tilt it, move it into the corners; --min-views)\n",
                b->n_views, b->n_seen, min_views);
        return 1;
    }
    camera_calib c;
    camera_calib_init(&c);
    c.image_width = b->width;
    c.image_height = b->height;
    c.has_intrinsics = true;
    c.n_dist = 5;
    if (gcv_calibrate_camera(b->corners, b->n_views, b->cols, b->rows, square, b->width,
                             b->height, c.camera_matrix, c.dist, &c.rms_px) != 0) {
        fprintf(stderr, "gatecv-calib: calibration failed: %s\n", gcv_last_error());
        return 1;
    }
    const double *k = c.camera_matrix;
    printf("views=%d of %d image=%dx%d fx=%.3f fy=%.3f cx=%.3f cy=%.3f "
           "dist=%.5f,%.5f,%.5f,%.5f,%.5f rms=%.4f px\n",
           b->n_views, b->n_seen, b->width, b->height, k[0], k[4], k[2], k[5], c.dist[0],
           c.dist[1], c.dist[2], c.dist[3], c.dist[4], c.rms_px);
    if (c.rms_px > 1.0)
        fprintf(stderr, "gatecv-calib: warning: RMS reprojection error %.2f px is above 1 px: "
                        "check the board's size and the views\n", c.rms_px);
    return write_calib(out, &c) ? 0 : 2;
}

static int cmd_intrinsics(int argc, char **argv)
{
    gchar *board = NULL, *video = NULL, *out = NULL;
    double square = 0;
    gint min_views = 5, every = 10;
    gchar **images = NULL;
    GOptionEntry entries[] = {
        {"board", 'b', 0, G_OPTION_ARG_STRING, &board,
         "Inner corners of the chessboard, COLSxROWS (a board of 10x7 squares has 9x6)", "COLSxROWS"},
        {"square-mm", 's', 0, G_OPTION_ARG_DOUBLE, &square, "Side of one square in millimetres", "MM"},
        {"video", 0, 0, G_OPTION_ARG_FILENAME, &video, "Take the views from a video file", "FILE"},
        {"every", 0, 0, G_OPTION_ARG_INT, &every, "With --video: every Nth frame (default 10)", "N"},
        {"min-views", 0, 0, G_OPTION_ARG_INT, &min_views,
         "Refuse with fewer views where the board is found (default 5, at least 3)", "N"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The calibration file to write (YAML)", "FILE"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &images, NULL, "IMAGE..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    int status = 2;
    board_views b = {0};
    if (!parse_options("intrinsics", "[IMAGE...]",
                       "The camera matrix and distortion from chessboard views (images or a "
                       "video), written with the image size to --output.",
                       entries, &argc, &argv)) {
    } else if (!board || !parse_size(board, &b.cols, &b.rows) || b.cols < 2 || b.rows < 2) {
        status = usage_error("intrinsics", "--board COLSxROWS (inner corners, each >= 2) is required");
    } else if (!(square > 0 && square < 10000)) {
        status = usage_error("intrinsics", "--square-mm MM (> 0) is required");
    } else if (!out) {
        status = usage_error("intrinsics", "--output FILE is required");
    } else if (!video == !images) {
        status = usage_error("intrinsics", "give chessboard IMAGE files or --video FILE (one of them)");
    } else if (min_views < 3 || every < 1) {
        status = usage_error("intrinsics", "--min-views is at least 3, --every at least 1");
    } else {
        b.corners = g_new(gcv_point, (size_t)MAX_VIEWS * b.cols * b.rows);
        gboolean ok = video ? views_from_video(&b, video, every) : views_from_images(&b, images);
        status = ok ? calibrate_views(&b, square, min_views, out) : 1;
    }
    g_free(b.corners);
    g_free(board);
    g_free(video);
    g_free(out);
    g_strfreev(images);
    return status;
}

/* --- lane ------------------------------------------------------------------ */

/* The --roi values: points "x,y" separated by spaces (one argument or several). */
static gboolean parse_roi(char **values, camera_calib *c)
{
    c->n_roi = 0;
    for (int i = 0; values[i]; i++) {
        gchar **words = g_strsplit_set(values[i], " \t;", -1);
        gboolean ok = TRUE;
        for (int k = 0; ok && words[k]; k++) {
            if (!*words[k])
                continue;
            ok = c->n_roi < CALIB_MAX_ROI_POINTS && parse_point(words[k], &c->roi[c->n_roi++]);
        }
        g_strfreev(words);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_tripwire(const char *s, camera_calib *c)
{
    gchar **v = g_strsplit(s, ",", -1);
    gboolean ok = g_strv_length(v) == 4;
    if (ok) {
        gchar *a = g_strjoin(",", v[0], v[1], NULL), *b = g_strjoin(",", v[2], v[3], NULL);
        ok = parse_point(a, &c->tripwire[0]) && parse_point(b, &c->tripwire[1]);
        g_free(a);
        g_free(b);
    }
    g_strfreev(v);
    c->has_tripwire = ok;
    return ok;
}

/* The file to start from: --calib's, or an empty one of --image-size. */
static gboolean lane_base(const char *calib, const char *size, camera_calib *c)
{
    camera_calib_init(c);
    if (calib) {
        GError *error = NULL;
        gboolean ok = calib_load(calib, c, &error);
        if (!ok) {
            fprintf(stderr, "gatecv-calib lane: %s\n", error->message);
            g_error_free(error);
        }
        return ok;
    }
    if (!parse_size(size, &c->image_width, &c->image_height)) {
        usage_error("lane", "--image-size takes WIDTHxHEIGHT, not '%s'", size);
        return FALSE;
    }
    return TRUE;
}

static int cmd_lane(int argc, char **argv)
{
    gchar *calib = NULL, *size = NULL, *wire = NULL, *out = NULL;
    gchar **roi = NULL;
    double mpp = -1, plate = -1;
    GOptionEntry entries[] = {
        {"calib", 'c', 0, G_OPTION_ARG_FILENAME, &calib,
         "Start from this calibration file (its intrinsics and image size are kept)", "FILE"},
        {"image-size", 0, 0, G_OPTION_ARG_STRING, &size,
         "Without --calib: the camera's frame size", "WIDTHxHEIGHT"},
        {"roi", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &roi,
         "The lane's polygon: 3 or more points \"x,y x,y x,y\" (quoted, or --roi once per point)",
         "POINTS"},
        {"tripwire", 't', 0, G_OPTION_ARG_STRING, &wire,
         "The line vehicles cross, directed from (x1,y1) to (x2,y2) (lane_config.h)", "x1,y1,x2,y2"},
        {"metres-per-pixel", 'm', 0, G_OPTION_ARG_DOUBLE, &mpp,
         "Side cameras: one pixel's length along the lane at the vehicle (0.0001..1)", "M"},
        {"plate-height", 'p', 0, G_OPTION_ARG_DOUBLE, &plate,
         "Expected height of a plate in the image, pixels", "PX"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The calibration file to write (may be --calib's)", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    int status = 2;
    camera_calib c;
    if (!parse_options("lane", "",
                       "The lane's geometry in the camera's image: the values given replace "
                       "those of --calib's file; all are checked against its image.",
                       entries, &argc, &argv)) {
    } else if (argc > 1) {
        status = usage_error("lane", "unexpected argument '%s' (quote the --roi points)", argv[1]);
    } else if (!calib == !size) {
        status = usage_error("lane", "give --calib FILE or --image-size WIDTHxHEIGHT (one of them)");
    } else if (!out) {
        status = usage_error("lane", "--output FILE is required");
    } else if (lane_base(calib, size, &c)) {
        if (roi && !parse_roi(roi, &c))
            status = usage_error("lane", "--roi takes points x,y separated by spaces (at most %d)",
                                 CALIB_MAX_ROI_POINTS);
        else if (wire && !parse_tripwire(wire, &c))
            status = usage_error("lane", "--tripwire takes x1,y1,x2,y2, not '%s'", wire);
        else {
            if (mpp >= 0)
                c.metres_per_pixel = mpp;
            if (plate >= 0)
                c.plate_height_px = plate;
            status = write_calib(out, &c) ? 0 : 2;
        }
    }
    g_free(calib);
    g_free(size);
    g_free(wire);
    g_free(out);
    g_strfreev(roi);
    return status;
}

/* --- draw ------------------------------------------------------------------ */

static gcv_point pt(calib_point p)
{
    return (gcv_point){(float)p.x, (float)p.y};
}

/* The ROI polygon in green, the tripwire in red with an arrow head at its end. */
static void draw_lane(gcv_image *img, const camera_calib *c)
{
    int t = MAX(2, img->width / 640);
    for (int i = 0; i < c->n_roi; i++)
        gcv_draw_line(img, pt(c->roi[i]), pt(c->roi[(i + 1) % c->n_roi]), t, 0, 255, 0);
    if (!c->has_tripwire)
        return;
    calib_point a = c->tripwire[0], b = c->tripwire[1];
    gcv_draw_line(img, pt(a), pt(b), t, 0, 0, 255);
    double len = hypot(b.x - a.x, b.y - a.y), head = MIN(len / 4, 12.0 * t);
    double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
    for (int side = -1; side <= 1; side += 2) {
        calib_point tip = {b.x - head * (ux + side * 0.5 * uy), b.y - head * (uy - side * 0.5 * ux)};
        gcv_draw_line(img, pt(b), pt(tip), t, 0, 0, 255);
    }
}

static gcv_image *first_frame(const char *frame, const char *video)
{
    if (frame) {
        gcv_image *img = gcv_image_read(frame);
        if (!img)
            fprintf(stderr, "gatecv-calib draw: %s: %s\n", frame, gcv_last_error());
        return img;
    }
    gcv_video *v = gcv_video_open(video);
    gcv_image *img = v ? gcv_video_next(v) : NULL;
    if (!img)
        fprintf(stderr, "gatecv-calib draw: %s: no frame: %s\n", video, gcv_last_error());
    gcv_video_free(v);
    return img;
}

static int draw_check(const char *path, const char *frame, const char *video, gboolean undistorted,
                      const char *out)
{
    camera_calib c;
    GError *error = NULL;
    if (!calib_load(path, &c, &error)) {
        fprintf(stderr, "gatecv-calib draw: %s\n", error->message);
        g_error_free(error);
        return 2;
    }
    if (undistorted && !c.has_intrinsics) {
        fprintf(stderr, "gatecv-calib draw: %s: field camera_matrix: missing: --undistorted needs "
                        "the intrinsics\n", path);
        return 2;
    }
    gcv_image *img = first_frame(frame, video);
    if (!img)
        return 1;
    gcv_image *bgr = gcv_to_bgr(img);
    gcv_image_free(img);
    int status = 1;
    if (!bgr) {
        fprintf(stderr, "gatecv-calib draw: %s\n", gcv_last_error());
    } else if (!calib_fits_frame(&c, path, bgr->width, bgr->height, &error)) {
        fprintf(stderr, "gatecv-calib draw: %s\n", error->message);
        g_error_free(error);
        status = 2;
    } else {
        if (undistorted) {
            gcv_image *straight = gcv_undistort_image(bgr, c.camera_matrix, c.dist, c.n_dist);
            if (straight) {
                gcv_image_free(bgr);
                bgr = straight;
            }
        }
        draw_lane(bgr, &c);
        if (gcv_image_write(bgr, out) == 0)
            status = 0;
        else
            fprintf(stderr, "gatecv-calib draw: cannot write %s: %s\n", out, gcv_last_error());
    }
    gcv_image_free(bgr);
    return status;
}

static int cmd_draw(int argc, char **argv)
{
    gchar *calib = NULL, *frame = NULL, *video = NULL, *out = NULL;
    gboolean undistorted = FALSE;
    GOptionEntry entries[] = {
        {"calib", 'c', 0, G_OPTION_ARG_FILENAME, &calib, "The calibration file to check", "FILE"},
        {"undistorted", 'u', 0, G_OPTION_ARG_NONE, &undistorted,
         "Draw over the undistorted frame (the file's intrinsics): what the readers see in the "
         "ROI's rectangle (the ROI and tripwire themselves are raw-frame points)",
         NULL},
        {"frame", 'f', 0, G_OPTION_ARG_FILENAME, &frame, "A frame of the camera (an image file)", "IMAGE"},
        {"video", 0, 0, G_OPTION_ARG_FILENAME, &video, "Or a video of it: its first frame", "FILE"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The PNG to write (the frame's size)", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    int status = 2;
    if (!parse_options("draw", "",
                       "The ROI polygon (green) and the tripwire (red, arrow at its end) over a "
                       "frame of the camera (raw, or --undistorted), as a PNG of its size.",
                       entries, &argc, &argv)) {
    } else if (argc > 1) {
        status = usage_error("draw", "unexpected argument '%s'", argv[1]);
    } else if (!calib || !out) {
        status = usage_error("draw", "--calib FILE and --output FILE are required");
    } else if (!frame == !video) {
        status = usage_error("draw", "give --frame IMAGE or --video FILE (one of them)");
    } else {
        status = draw_check(calib, frame, video, undistorted, out);
    }
    g_free(calib);
    g_free(frame);
    g_free(video);
    g_free(out);
    return status;
}

/* --- bench ----------------------------------------------------------------- */

/* Milliseconds of one remap of the file's ROI box (the whole image without one), the cost
 * gatecvd adds to each frame it reads from this camera: the median of `frames` runs. */
static int bench_remap(const camera_calib *c, int frames)
{
    int x = 0, y = 0, w = c->image_width, h = c->image_height;
    if (c->n_roi > 0)
        camera_calib_roi_box(c, &x, &y, &w, &h);
    gcv_undistort *u = gcv_undistort_new(c->camera_matrix, c->dist, c->n_dist, c->image_width,
                                         c->image_height, x & ~1, y & ~1, w & ~1, h & ~1);
    if (!u) {
        fprintf(stderr, "gatecv-calib bench: %s\n", gcv_last_error());
        return 1;
    }
    int sx, sy, sw, sh;
    gcv_undistort_source(u, &sx, &sy, &sw, &sh);
    gcv_image *source = gcv_image_new(sw, sh, 3);
    for (size_t i = 0; i < (size_t)sh * source->stride; i++)
        source->data[i] = (uint8_t)(i * 2654435761u >> 24);
    double *ms = g_new(double, frames);
    for (int i = 0; i < frames; i++) {
        gint64 t0 = g_get_monotonic_time();
        gcv_image_free(gcv_undistort_apply(u, source));
        ms[i] = (g_get_monotonic_time() - t0) / 1000.0;
    }
    for (int i = 1; i < frames; i++) /* insertion sort: a few hundred values */
        for (int k = i; k > 0 && ms[k] < ms[k - 1]; k--) {
            double t = ms[k];
            ms[k] = ms[k - 1];
            ms[k - 1] = t;
        }
    printf("remap of %dx%d (from %dx%d of the %dx%d frame): median %.2f ms, p95 %.2f ms over %d "
           "frames\n",
           w & ~1, h & ~1, sw, sh, c->image_width, c->image_height, ms[frames / 2],
           ms[frames * 95 / 100], frames);
    g_free(ms);
    gcv_image_free(source);
    gcv_undistort_free(u);
    return 0;
}

static int cmd_bench(int argc, char **argv)
{
    gchar *calib = NULL;
    gint frames = 200, threads = 1;
    GOptionEntry entries[] = {
        {"calib", 'c', 0, G_OPTION_ARG_FILENAME, &calib, "The calibration file (with intrinsics)", "FILE"},
        {"frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Remaps to time (default 200)", "N"},
        {"threads", 0, 0, G_OPTION_ARG_INT, &threads,
         "OpenCV threads (default 1: a reader thread's own cost)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    int status = 2;
    camera_calib c;
    GError *error = NULL;
    if (!parse_options("bench", "",
                       "The time one undistortion of the file's ROI takes (what gatecvd adds to "
                       "each frame it reads from the camera).",
                       entries, &argc, &argv)) {
    } else if (!calib || frames < 1 || threads < 0) {
        status = usage_error("bench", "--calib FILE is required, --frames at least 1");
    } else if (!calib_load(calib, &c, &error)) {
        fprintf(stderr, "gatecv-calib bench: %s\n", error->message);
        g_error_free(error);
    } else if (!c.has_intrinsics) {
        fprintf(stderr, "gatecv-calib bench: %s: field camera_matrix: missing: nothing to undistort\n",
                calib);
    } else {
        gcv_set_num_threads(threads);
        status = bench_remap(&c, frames);
    }
    g_free(calib);
    return status;
}

static const struct {
    const char *name;
    command_fn run;
    const char *what;
} COMMANDS[] = {
    {"intrinsics", cmd_intrinsics, "camera matrix and distortion from chessboard views"},
    {"lane", cmd_lane, "ROI polygon, tripwire, metres per pixel, plate height"},
    {"draw", cmd_draw, "the file's lane drawn over a frame (raw or undistorted), a PNG to check"},
    {"bench", cmd_bench, "the time one undistortion of the file's ROI takes"},
};

static int usage(FILE *to, int status)
{
    fprintf(to, "Usage: gatecv-calib COMMAND [OPTION...]   (gatecv-calib COMMAND --help)\n\n"
                "Makes and checks a camera's calibration file (OpenCV FileStorage YAML).\n\n");
    for (size_t i = 0; i < G_N_ELEMENTS(COMMANDS); i++)
        fprintf(to, "  %-11s %s\n", COMMANDS[i].name, COMMANDS[i].what);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, 2);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return usage(stdout, 0);
    if (strcmp(argv[1], "--version") == 0) {
        printf("gatecv-calib %s\n", GATECV_VERSION);
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(COMMANDS); i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0) {
            argv[1] = g_strdup_printf("gatecv-calib %s", COMMANDS[i].name);
            int status = COMMANDS[i].run(argc - 1, argv + 1);
            g_free(argv[1]);
            return status;
        }
    fprintf(stderr, "gatecv-calib: unknown command '%s'\n", argv[1]);
    return usage(stderr, 2);
}
