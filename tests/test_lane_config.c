/*
 * test_lane_config.c — pins the daemon's config parsing: a good file gives every value;
 * each kind of mistake (an unknown key too) is refused with FILE:LINE, the group and the key
 * named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "lane_config.h"

static gchar *dir, *video;

static int setup(void **state)
{
    (void)state;
    dir = g_dir_make_tmp("gatecv-conf-XXXXXX", NULL);
    video = g_build_filename(dir, "front.mkv", NULL);
    return g_file_set_contents(video, "x", 1, NULL) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    g_unlink(video);
    gchar *conf = g_build_filename(dir, "lane.conf", NULL);
    g_unlink(conf);
    g_free(conf);
    g_rmdir(dir);
    g_free(video);
    g_free(dir);
    return 0;
}

/* Writes `body` (with @VIDEO@ replaced by the video's path) and loads it. */
static lane_config *load(const char *body, GError **error)
{
    gchar **parts = g_strsplit(body, "@VIDEO@", -1);
    gchar *text = g_strjoinv(video, parts);
    g_strfreev(parts);
    gchar *conf = g_build_filename(dir, "lane.conf", NULL);
    g_file_set_contents(conf, text, -1, NULL);
    lane_config *c = lane_config_load(conf, error);
    g_free(conf);
    g_free(text);
    return c;
}

static const char *GOOD = "[gate]\n"
                          "name=huu-nghi\n"
                          "lane=freight-1\n"
                          "positive_direction=VN_TO_CN\n"
                          "\n"
                          "[camera front]\n"
                          "role=front\n"
                          "uri=file://@VIDEO@\n"
                          "roi=0,200,1280,520\n"
                          "tripwire=0,600,1280,600\n"
                          "\n"
                          "[camera side]\n"
                          "role=side-left\n"
                          "uri=rtsp://127.0.0.1:8554/side\n"
                          "tripwire=640,0,640,720\n"
                          "metres_per_pixel=0.0064\n"
                          "[fusion]\n"
                          "votes=3\n";

/* A good file gives the gate, every camera and the fusion values (defaults elsewhere). */
static void test_good_config(void **state)
{
    (void)state;
    GError *error = NULL;
    lane_config *c = load(GOOD, &error);
    assert_non_null(c);
    assert_string_equal(c->gate, "huu-nghi");
    assert_int_equal(c->positive, DIR_VN_TO_CN);
    assert_int_equal(c->n_cameras, 2);
    assert_string_equal(c->cameras[0].name, "front");
    assert_int_equal(c->cameras[0].role, LANE_ROLE_FRONT);
    assert_int_equal(c->cameras[1].role, LANE_ROLE_SIDE_LEFT);
    assert_int_equal(c->cameras[0].roi.y, 200);
    assert_true(c->cameras[0].tripwire.y2 == 600.0f);
    assert_int_equal(c->cameras[1].roi.width, 0); /* no roi: whole frame */
    assert_null(c->cameras[1].calibration);
    assert_int_equal(c->votes, 3);
    assert_int_equal(c->read_interval, 5);
    assert_int_equal(c->reader_threads, 0); /* [readers] unset: one per core */
    assert_int_equal(c->reader_backlog, 16);
    assert_int_equal(c->reader_max_wait_ms, 3000);
    assert_int_equal(c->decode_threads, 1); /* [decoding] unset: one thread per camera */
    assert_false(c->blank_full_pass);      /* no full-scale pass behind a blank coarse one */
    assert_true(c->cameras[0].metres_per_pixel == 0); /* not given: no scale */
    assert_true(c->cameras[1].metres_per_pixel == 0.0064);
    assert_true(c->max_vehicle_m == 28);
    assert_true(c->provisional); /* provisional revisions unless said otherwise */
    lane_config_free(c);
    gchar *off = g_strconcat(GOOD, "provisional=false\n", NULL);
    c = load(off, &error);
    g_free(off);
    assert_non_null(c);
    assert_false(c->provisional);
    lane_config_free(c);
    gchar *own = g_strconcat(GOOD, "[decoding]\nthreads=0\n[readers]\nblank_full_pass=true\n",
                             NULL);
    c = load(own, &error);
    g_free(own);
    assert_non_null(c);
    assert_int_equal(c->decode_threads, 0); /* the decoder's own choice */
    assert_true(c->blank_full_pass);
    lane_config_free(c);
}

/* Each role is parsed from its name, and gives what the readers and the fusion ask of it:
 * plates from the front and the rear, codes everywhere but the front, the front and the rear
 * look along the lane, the sides alone measure a vehicle's length. */
static void test_role_capabilities(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        lane_role role;
        gboolean plates, codes, along, length;
    } want[] = {
        {"front", LANE_ROLE_FRONT, TRUE, FALSE, TRUE, FALSE},
        {"rear", LANE_ROLE_REAR, TRUE, TRUE, TRUE, FALSE},
        {"side-left", LANE_ROLE_SIDE_LEFT, FALSE, TRUE, FALSE, TRUE},
        {"side-right", LANE_ROLE_SIDE_RIGHT, FALSE, TRUE, FALSE, TRUE},
        {"top", LANE_ROLE_TOP, FALSE, TRUE, FALSE, FALSE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        gchar **parts = g_strsplit(GOOD, "role=side-left", 2);
        gchar *role = g_strdup_printf("role=%s", want[i].name);
        gchar *body = g_strjoin(role, parts[0], parts[1], NULL);
        lane_config *c = load(body, NULL);
        assert_non_null(c);
        lane_role r = c->cameras[1].role;
        assert_int_equal(r, want[i].role);
        assert_string_equal(lane_role_name(r), want[i].name);
        assert_int_equal(lane_role_can(r, LANE_CAN_READ_PLATES), want[i].plates);
        assert_int_equal(lane_role_can(r, LANE_CAN_READ_CODES), want[i].codes);
        assert_int_equal(lane_role_can(r, LANE_CAN_LOOK_ALONG), want[i].along);
        assert_int_equal(lane_role_can(r, LANE_CAN_MEASURE_LENGTH), want[i].length);
        /* every flag asked at once: only a role that has them all */
        assert_int_equal(lane_role_can(r, LANE_CAN_READ_PLATES | LANE_CAN_READ_CODES),
                         want[i].plates && want[i].codes);
        lane_config_free(c);
        g_free(body);
        g_free(role);
        g_strfreev(parts);
    }
}

/* Replaces `from` by `to` in the good file and expects an error containing `want`. */
static void expect_error(const char *from, const char *to, const char *want)
{
    gchar **parts = g_strsplit(GOOD, from, 2);
    assert_non_null(parts[1]);
    gchar *body = g_strjoin(to, parts[0], parts[1], NULL);
    g_strfreev(parts);
    GError *error = NULL;
    lane_config *c = load(body, &error);
    g_free(body);
    assert_null(c);
    assert_non_null(error);
    if (!strstr(error->message, want))
        fail_msg("error '%s' does not contain '%s'", error->message, want);
    assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

/* Each camera source a site may have is taken as its URI: RTSP with the transport in the
 * scheme (rtspt:// TCP, rtspu:// UDP), MJPEG over HTTP, and a v4l2 device that is there. One
 * that cannot work is named at start: an unknown scheme, a device missing or not a device. */
static void test_camera_schemes(void **state)
{
    (void)state;
    const char *good[] = {"rtsp://127.0.0.1:8554/side",   "rtspt://127.0.0.1:8554/side",
                          "rtspu://127.0.0.1:8554/side",  "rtsps://127.0.0.1:8322/side",
                          "http://127.0.0.1:8080/mjpeg",  "https://127.0.0.1:8443/video.mjpg",
                          "v4l2:///dev/null" /* a character device, as a camera's is */};
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        gchar **parts = g_strsplit(GOOD, "rtsp://127.0.0.1:8554/side", 2);
        gchar *body = g_strjoin(good[i], parts[0], parts[1], NULL);
        g_strfreev(parts);
        GError *error = NULL;
        lane_config *c = load(body, &error);
        if (!c)
            fail_msg("%s: %s", good[i], error->message);
        assert_string_equal(c->cameras[1].uri, good[i]);
        lane_config_free(c);
        g_free(body);
    }
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=v4l2:///dev/video-gatecv-missing",
                 "lane.conf:14: [camera side] uri: no such device: /dev/video-gatecv-missing");
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=v4l2:///dev/shm",
                 "[camera side] uri: not a video device (not a character device): /dev/shm");
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=v4l2://video0",
                 "[camera side] uri: expected v4l2:///dev/videoN");
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=rtsp://127.0.0.1:99999/side",
                 "[camera side] uri: not a valid URI");
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=rtmp://127.0.0.1/live",
                 "[camera side] uri: unsupported scheme");
}

/* Each mistake names the file's line, the group and the key. */
static void test_errors_name_line_group_key(void **state)
{
    (void)state;
    expect_error("roi=0,200,1280,520", "roi=0,200,-5,520",
                 "lane.conf:9: [camera front] roi: expected x,y,w,h");
    expect_error("role=side-left", "role=sideways", "lane.conf:13: [camera side] role: 'sideways'");
    /* found by fuzzing: numbers that do not fit, a ROI side that would become 0, an escape
     * GLib cannot parse (fuzz/regressions/lane_config) */
    expect_error("tripwire=640,0,640,720", "tripwire=640,0,4e100,720",
                 "[camera side] tripwire: expected x1,y1,x2,y2");
    expect_error("tripwire=640,0,640,720", "tripwire=nan,0,640,720",
                 "[camera side] tripwire: expected x1,y1,x2,y2");
    expect_error("roi=0,200,1280,520", "roi=0,200,0.5,520",
                 "lane.conf:9: [camera front] roi: expected x,y,w,h");
    expect_error("role=side-left", "role=side-left\\x\\",
                 "lane.conf:13: [camera side] role: a backslash");
    expect_error("positive_direction=VN_TO_CN", "positive_direction=north",
                 "lane.conf:4: [gate] positive_direction: expected VN_TO_CN or CN_TO_VN");
    expect_error("tripwire=640,0,640,720\n", "\n", "[camera side] tripwire: missing (required)");
    expect_error("uri=file://@VIDEO@", "uri=file:///nonexistent/x.mkv",
                 "lane.conf:8: [camera front] uri: no such file: /nonexistent/x.mkv");
    expect_error("uri=rtsp://127.0.0.1:8554/side", "uri=ftp://127.0.0.1/side",
                 "[camera side] uri: unsupported scheme in 'ftp://127.0.0.1/side'");
    expect_error("votes=3", "votes=zero", "[fusion] votes: expected a whole number 1..50");
    expect_error("[camera side]", "[cameras side]", "[cameras side]: unknown group");
    expect_error("name=huu-nghi\n", "", "lane.conf:1: [gate] name: missing (required)");
    expect_error("metres_per_pixel=0.0064", "metres_per_pixel=0",
                 "lane.conf:16: [camera side] metres_per_pixel: expected a number 0.0001..1");
    expect_error("votes=3", "max_vehicle_m=2", "[fusion] max_vehicle_m: expected a number 5..100");
    /* a misspelt optional key would otherwise leave its default in force unnoticed */
    expect_error(
        "metres_per_pixel=", "metres_per_pixle=",
        "lane.conf:16: [camera side] metres_per_pixle: unknown key (expected one of role,");
    expect_error("votes=3", "vote=3", "lane.conf:18: [fusion] vote: unknown key");
    expect_error("votes=3", "provisional=maybe", "[fusion] provisional: expected true or false");
    expect_error("lane=freight-1", "lanes=freight-1", "lane.conf:3: [gate] lanes: unknown key");
    expect_error("votes=3", "votes=3\n[readers]\nbacklog=0",
                 "[readers] backlog: expected a whole number 1..1000");
    expect_error("votes=3", "votes=3\n[readers]\nthread=2", "[readers] thread: unknown key");
    expect_error("votes=3", "votes=3\n[decoding]\nthreads=17",
                 "[decoding] threads: expected a whole number 0..16");
}

/* The good file plus a [bus] group (the given lines) and a [journal] group. */
static lane_config *load_with_bus(const char *bus, GError **error)
{
    gchar *body = g_strconcat(GOOD, "[bus]\n", bus, "[journal]\nmax_mb=0.5\n", NULL);
    lane_config *c = load(body, error);
    g_free(body);
    return c;
}

static void expect_bus_error(const char *bus, const char *want)
{
    GError *error = NULL;
    lane_config *c = load_with_bus(bus, &error);
    assert_null(c);
    if (!strstr(error->message, want))
        fail_msg("error '%s' does not contain '%s'", error->message, want);
    g_error_free(error);
}

/* Without [bus] nothing is published; with it, the endpoints, plain TCP only when said
 * out loud, keys on both sides or none, and the journal's limits (defaults where silent). */
static void test_bus_and_journal(void **state)
{
    (void)state;
    GError *error = NULL;
    lane_config *c = load(GOOD, &error);
    assert_false(c->bus.enabled);
    assert_true(c->journal.max_mb == 2048 && c->journal.segment_mb == 64);
    assert_null(c->journal.dir);
    lane_config_free(c);
    const char *plain = "publish=tcp://127.0.0.1:7700\nrequest=tcp://127.0.0.1:7701\n";
    gchar *insecure = g_strconcat(plain, "insecure=true\nconsumers=clearance;audit\n", NULL);
    c = load_with_bus(insecure, &error);
    assert_non_null(c);
    assert_true(c->bus.enabled && c->bus.insecure);
    assert_string_equal(c->bus.publish, "tcp://127.0.0.1:7700");
    assert_int_equal(c->bus.health_interval, 5);
    assert_int_equal(c->bus.max_fetch, 100);
    assert_string_equal(c->bus.consumers[1], "audit");
    assert_true(c->journal.max_mb == 0.5);
    lane_config_free(c);
    g_free(insecure);
    expect_bus_error(plain, "[bus]: no keys: set server_key and allowed_keys");
    expect_bus_error("publish=tcp://127.0.0.1:7700\n", "[bus] request: missing (required)");
    expect_bus_error("publish=udp://x\nrequest=tcp://127.0.0.1:7701\ninsecure=true\n",
                     "[bus] publish: expected tcp://");
    static const struct {
        const char *lines, *want; /* [bus] lines after publish= and request= */
    } cases[] = {
        {"insecure=true\nconsumers=clear ance\n",
         "[bus] consumers: 'clear ance' is not a consumer name"},
        {"server_key=/nonexistent/box.key_secret\n",
         "[bus] server_key: no such file: /nonexistent/box.key_secret"},
        {"server_key=@VIDEO@\n",
         "[bus] allowed_keys: CurveZMQ needs both server_key and allowed_keys"},
        {"insecure=yes please\n", "[bus] insecure: expected true or false"},
        {"insecure=true\nhealth_interval=0\n",
         "[bus] health_interval: expected a whole number 1..3600"},
        {"insecure=true\npublsh=x\n", "[bus] publsh: unknown key"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gchar *bad = g_strconcat(plain, cases[i].lines, NULL);
        expect_bus_error(bad, cases[i].want);
        g_free(bad);
    }
}

static lane_config *load_with_metrics(const char *listen, GError **error)
{
    gchar *body = g_strconcat(GOOD, "[metrics]\n", listen, "\n", NULL);
    lane_config *c = load(body, error);
    g_free(body);
    return c;
}

/* No [metrics] group, or an empty listen, is no endpoint; an IPv4 or bracketed IPv6
 * address and a port are taken; a name, a bad port or a misspelt key is refused with the
 * line, group and key named. */
static void test_metrics(void **state)
{
    (void)state;
    GError *error = NULL;
    lane_config *c = load(GOOD, &error);
    assert_null(c->metrics.host);
    lane_config_free(c);
    c = load_with_metrics("listen=", &error);
    assert_non_null(c);
    assert_null(c->metrics.host);
    lane_config_free(c);
    c = load_with_metrics("listen = 127.0.0.1:9464", &error);
    assert_string_equal(c->metrics.host, "127.0.0.1");
    assert_int_equal(c->metrics.port, 9464);
    lane_config_free(c);
    c = load_with_metrics("listen=[::1]:9100", &error);
    assert_string_equal(c->metrics.host, "::1");
    assert_int_equal(c->metrics.port, 9100);
    lane_config_free(c);
    static const struct {
        const char *line, *want;
    } cases[] = {
        {"listen=localhost:9464", "lane.conf:20: [metrics] listen: the host must be an IP address"},
        {"listen=127.0.0.1:70000", "[metrics] listen: the port must be 1..65535, got '127.0.0.1:70000'"},
        {"listen=127.0.0.1:0", "[metrics] listen: the port must be 1..65535"},
        {"listen=127.0.0.1", "[metrics] listen: expected IP:PORT or [IPv6]:PORT"},
        {"listen=127.0.0.1:94x", "[metrics] listen: expected IP:PORT"},
        {"listen=::1:9464", "[metrics] listen: the host must be an IP address"},
        {"listn=127.0.0.1:9464", "lane.conf:20: [metrics] listn: unknown key (expected one of listen)"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_null(load_with_metrics(cases[i].line, &error));
        if (!strstr(error->message, cases[i].want))
            fail_msg("%s: error '%s' does not contain '%s'", cases[i].line, error->message,
                     cases[i].want);
        g_clear_error(&error);
    }
}

/* No [trigger] group: no sensor. source=request (with a bus) or gpio (with an existing chip
 * device and a line) is taken with min_gap's default; each mistake is named by its key. */
static void test_trigger(void **state)
{
    (void)state;
    GError *error = NULL;
    lane_config *c = load(GOOD, &error);
    assert_int_equal(c->trigger.source, LANE_TRIGGER_NONE);
    lane_config_free(c);
    const char *bus = "[bus]\npublish=tcp://127.0.0.1:7700\nrequest=tcp://127.0.0.1:7701\n"
                      "insecure=true\n";
    gchar *body = g_strconcat(GOOD, bus, "[trigger]\nsource=request\n", NULL);
    c = load(body, &error);
    g_free(body);
    assert_non_null(c);
    assert_int_equal(c->trigger.source, LANE_TRIGGER_REQUEST);
    assert_true(c->trigger.min_gap == 0.5);
    lane_config_free(c);
    gchar *gpio = g_strdup_printf("[trigger]\nsource=gpio\ngpio_chip=%s\ngpio_line=17\n"
                                  "active_low=true\nmin_gap=1.5\n",
                                  video); /* any existing file passes the parse */
    body = g_strconcat(GOOD, gpio, NULL);
    c = load(body, &error);
    g_free(body);
    g_free(gpio);
    assert_non_null(c);
    assert_int_equal(c->trigger.source, LANE_TRIGGER_GPIO);
    assert_string_equal(c->trigger.gpio_chip, video);
    assert_int_equal(c->trigger.gpio_line, 17);
    assert_true(c->trigger.active_low);
    assert_true(c->trigger.min_gap == 1.5);
    lane_config_free(c);
    static const struct {
        const char *group, *want;
    } cases[] = {
        {"source=request\n", "[trigger] source: source=request takes the reports on the bus's"},
        {"source=loop\n", "lane.conf:20: [trigger] source: expected request or gpio, got 'loop'"},
        {"min_gap=1\n", "[trigger] source: missing (required)"},
        {"source=gpio\ngpio_line=3\n", "[trigger] gpio_chip: missing (required)"},
        {"source=gpio\ngpio_chip=/dev/gpiochip-none\ngpio_line=3\n",
         "[trigger] gpio_chip: no such device: /dev/gpiochip-none"},
        {"source=gpio\ngpio_chip=/dev/null\n", "[trigger] gpio_line: missing (required for"},
        {"source=gpio\ngpio_chip=/dev/null\ngpio_line=2000\n",
         "[trigger] gpio_line: expected a whole number 0..1023, got '2000'"},
        {"source=gpio\ngpio_chip=/dev/null\ngpio_line=1\nactive_low=maybe\n",
         "[trigger] active_low: expected true or false"},
        {"source=gpio\ngpio_chip=/dev/null\ngpio_line=1\nmin_gap=20\n",
         "[trigger] min_gap: expected a number 0..10, got '20'"},
        {"source=gpio\ngpio_chip=/dev/null\ngpio_line=1\nline=2\n",
         "[trigger] line: unknown key (expected one of source, gpio_chip"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        body = g_strconcat(GOOD, "[trigger]\n", cases[i].group, NULL);
        assert_null(load(body, &error));
        if (!strstr(error->message, cases[i].want))
            fail_msg("%s: error '%s' does not contain '%s'", cases[i].group, error->message,
                     cases[i].want);
        g_clear_error(&error);
        g_free(body);
    }
    body = g_strconcat(GOOD, bus, "[trigger]\nsource=request\ngpio_line=3\n", NULL);
    assert_null(load(body, &error));
    assert_non_null(strstr(error->message, "[trigger] gpio_line: only for source=gpio"));
    g_clear_error(&error);
    g_free(body);
}

/* Syntax errors and unreadable files are one line naming the file. */
static void test_syntax_and_io(void **state)
{
    (void)state;
    GError *error = NULL;
    assert_null(load("[gate\nname=x\n", &error));
    assert_non_null(strstr(error->message, "lane.conf"));
    g_clear_error(&error);
    assert_null(lane_config_load("/nonexistent/lane.conf", &error));
    assert_non_null(strstr(error->message, "/nonexistent/lane.conf: cannot read"));
    g_clear_error(&error);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_config),       cmocka_unit_test(test_errors_name_line_group_key),
        cmocka_unit_test(test_camera_schemes),
        cmocka_unit_test(test_role_capabilities), cmocka_unit_test(test_syntax_and_io),
        cmocka_unit_test(test_bus_and_journal),   cmocka_unit_test(test_metrics), cmocka_unit_test(test_trigger),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
