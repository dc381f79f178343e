/*
 * rtsp_serve — a network camera for the tests, on loopback: plays a recording in real time
 * from the moment the first client connects (what a camera sees goes on whether or not anyone
 * watches) and serves it as RTSP (H.264 or H.265, over TCP or UDP as the client asks) or as
 * MJPEG over HTTP (multipart/x-mixed-replace), at rtsp://127.0.0.1:PORT/cam or
 * http://127.0.0.1:PORT/cam.
 *
 *   rtsp_serve --file lane/side-left.mkv --port 8554 [--codec h264|h265|mjpeg]
 *              [--size WxH] [--cut AT:FOR]
 *
 * --cut AT:FOR: AT seconds into the playback the camera goes away for FOR seconds: every
 * client is disconnected and new ones are refused (RTSP: the mount is gone, 404; HTTP: 503),
 * while the recording plays on; then it serves again what it shows by then. It prints
 * "playing", "cut" and "back" lines (with the playback time) on stdout for the test.
 *
 * How: the recording plays into an intervideosink; each client's media (RTSP) or the one
 * JPEG encoder (HTTP) takes the frames from an intervideosrc of the same channel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <libsoup/soup.h>

#define MOUNT "/cam"
#define BOUNDARY "gatecvframe" /* multipartmux's boundary, and the HTTP header's */

typedef struct {
    GstElement *player;  /* the recording into the intervideosink */
    GstClockTime started; /* the system clock's time when it began playing (0: not yet) */
    double cut_at, cut_for;
    char *caps;           /* what the camera sends: the recording's size, 25 fps */
    gboolean cut;         /* the camera is away */
    /* RTSP */
    GstRTSPServer *server;
    GstRTSPMediaFactory *factory; /* a reference kept across the cut */
    /* HTTP */
    SoupServer *http;
    GstElement *jpeg;       /* intervideosrc ! jpegenc ! multipartmux ! appsink */
    GPtrArray *watchers;    /* SoupServerMessage*: the clients being streamed to */
} camera;

static double playback_s(camera *c)
{
    GstClock *clock = gst_system_clock_obtain();
    double s = (double)(gst_clock_get_time(clock) - c->started) / GST_SECOND;
    gst_object_unref(clock);
    return s;
}

/* ---- the cut ---------------------------------------------------------------------- */

static GstRTSPFilterResult drop_client(GstRTSPServer *server, GstRTSPClient *client, gpointer user)
{
    (void)server;
    (void)client;
    (void)user;
    return GST_RTSP_FILTER_REMOVE;
}

static void end_http_streams(camera *c)
{
    for (guint i = 0; i < c->watchers->len; i++) {
        SoupServerMessage *msg = c->watchers->pdata[i];
        soup_message_body_complete(soup_server_message_get_response_body(msg));
        soup_server_message_unpause(msg);
    }
    g_ptr_array_set_size(c->watchers, 0);
}

static gboolean come_back(gpointer user)
{
    camera *c = user;
    c->cut = FALSE;
    if (c->server) {
        GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(c->server);
        gst_rtsp_mount_points_add_factory(mounts, MOUNT, g_object_ref(c->factory));
        g_object_unref(mounts);
    }
    printf("back %.2f\n", playback_s(c));
    fflush(stdout);
    return G_SOURCE_REMOVE;
}

static gboolean go_away(gpointer user)
{
    camera *c = user;
    c->cut = TRUE;
    if (c->server) {
        GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(c->server);
        gst_rtsp_mount_points_remove_factory(mounts, MOUNT);
        g_object_unref(mounts);
        gst_rtsp_server_client_filter(c->server, drop_client, NULL);
    } else {
        end_http_streams(c);
    }
    printf("cut %.2f\n", playback_s(c));
    fflush(stdout);
    g_timeout_add((guint)(c->cut_for * 1000), come_back, c);
    return G_SOURCE_REMOVE;
}

/* The recording starts with the first client: the test's daemon sees it from its start. */
static void start_playing(camera *c)
{
    if (c->started)
        return;
    gst_element_set_state(c->player, GST_STATE_PLAYING);
    GstClock *clock = gst_system_clock_obtain();
    c->started = gst_clock_get_time(clock);
    gst_object_unref(clock);
    printf("playing\n");
    fflush(stdout);
    if (c->cut_for > 0)
        g_timeout_add((guint)(c->cut_at * 1000), go_away, c);
}

/* ---- RTSP ------------------------------------------------------------------------- */

static void on_rtsp_client(GstRTSPServer *server, GstRTSPClient *client, gpointer user)
{
    (void)server;
    (void)client;
    start_playing(user);
}

static gboolean serve_rtsp(camera *c, int port, const char *codec)
{
    const char *encoder =
        strcmp(codec, "h265") == 0
            ? "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=25 "
              "! rtph265pay name=pay0 pt=96 config-interval=-1"
            : "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 "
              "! rtph264pay name=pay0 pt=96 config-interval=-1";
    char *launch = g_strdup_printf("( intervideosrc channel=cam ! %s "
                                   "! videoconvert ! %s )",
                                   c->caps, encoder);
    c->server = gst_rtsp_server_new();
    char *service = g_strdup_printf("%d", port);
    gst_rtsp_server_set_address(c->server, "127.0.0.1");
    gst_rtsp_server_set_service(c->server, service);
    g_free(service);
    c->factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(c->factory, launch);
    g_free(launch);
    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(c->server);
    gst_rtsp_mount_points_add_factory(mounts, MOUNT, g_object_ref(c->factory));
    g_object_unref(mounts);
    g_signal_connect(c->server, "client-connected", G_CALLBACK(on_rtsp_client), c);
    return gst_rtsp_server_attach(c->server, NULL) != 0;
}

/* ---- HTTP MJPEG ------------------------------------------------------------------- */

typedef struct {
    camera *c;
    GBytes *part; /* one JPEG with its multipart header */
} http_part;

/* On the main loop (libsoup's): the part goes to every client being streamed to. */
static gboolean send_part(gpointer user)
{
    http_part *h = user;
    for (guint i = 0; i < h->c->watchers->len; i++) {
        SoupServerMessage *msg = h->c->watchers->pdata[i];
        soup_message_body_append_bytes(soup_server_message_get_response_body(msg), h->part);
        soup_server_message_unpause(msg);
    }
    g_bytes_unref(h->part);
    g_free(h);
    return G_SOURCE_REMOVE;
}

static GstFlowReturn on_jpeg(GstAppSink *sink, gpointer user)
{
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_EOS;
    GstBuffer *buf = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (buf && gst_buffer_map(buf, &map, GST_MAP_READ)) {
        http_part *h = g_new(http_part, 1);
        h->c = user;
        h->part = g_bytes_new(map.data, map.size);
        gst_buffer_unmap(buf, &map);
        g_idle_add(send_part, h);
    }
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

static void forget_watcher(SoupServerMessage *msg, gpointer user)
{
    g_ptr_array_remove(((camera *)user)->watchers, msg);
}

static void on_http(SoupServer *server, SoupServerMessage *msg, const char *path,
                    GHashTable *query, gpointer user)
{
    (void)server;
    (void)query;
    camera *c = user;
    if (strcmp(path, MOUNT) != 0) {
        soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
        return;
    }
    if (c->cut) {
        soup_server_message_set_status(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
        return;
    }
    start_playing(c);
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(headers, "Content-Type",
                                 "multipart/x-mixed-replace; boundary=" BOUNDARY);
    soup_message_headers_set_encoding(headers, SOUP_ENCODING_EOF);
    g_ptr_array_add(c->watchers, msg);
    g_signal_connect(msg, "finished", G_CALLBACK(forget_watcher), c);
    g_signal_connect(msg, "disconnected", G_CALLBACK(forget_watcher), c);
    soup_server_message_pause(msg); /* parts come as the camera makes them */
}

static gboolean serve_http(camera *c, int port)
{
    GError *error = NULL;
    char *desc = g_strdup_printf("intervideosrc channel=cam ! %s ! videoconvert "
                                 "! jpegenc quality=90 ! multipartmux boundary=" BOUNDARY
                                 " ! appsink name=sink sync=false",
                                 c->caps);
    c->jpeg = gst_parse_launch(desc, &error);
    g_free(desc);
    if (!c->jpeg) {
        fprintf(stderr, "rtsp_serve: %s\n", error->message);
        g_error_free(error);
        return FALSE;
    }
    GstElement *sink = gst_bin_get_by_name(GST_BIN(c->jpeg), "sink");
    GstAppSinkCallbacks cb = {.new_sample = on_jpeg};
    gst_app_sink_set_callbacks(GST_APP_SINK(sink), &cb, c, NULL);
    gst_object_unref(sink);
    gst_element_set_state(c->jpeg, GST_STATE_PLAYING);
    c->watchers = g_ptr_array_new();
    c->http = soup_server_new("server-header", "rtsp_serve", NULL);
    soup_server_add_handler(c->http, NULL, on_http, c, NULL);
    GInetAddress *lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    GSocketAddress *addr = g_inet_socket_address_new(lo, (guint16)port);
    gboolean ok = soup_server_listen(c->http, addr, 0, &error);
    g_object_unref(addr);
    g_object_unref(lo);
    if (!ok) {
        fprintf(stderr, "rtsp_serve: port %d: %s\n", port, error->message);
        g_error_free(error);
    }
    return ok;
}

int main(int argc, char **argv)
{
    gchar *file = NULL, *codec = NULL, *cut = NULL, *size = NULL;
    int port = 0;
    GOptionEntry entries[] = {
        {"file", 0, 0, G_OPTION_ARG_FILENAME, &file, "Recording to serve", "FILE"},
        {"port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1", "PORT"},
        {"codec", 0, 0, G_OPTION_ARG_STRING, &codec, "h264 (default), h265 or mjpeg (HTTP)",
         "CODEC"},
        {"size", 0, 0, G_OPTION_ARG_STRING, &size, "The recording's frame size (default 640x360)",
         "WxH"},
        {"cut", 0, 0, G_OPTION_ARG_STRING, &cut, "Go away AT seconds in, for FOR seconds",
         "AT:FOR"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, gst_init_get_option_group());
    GError *error = NULL;
    camera c = {0};
    if (!g_option_context_parse(ctx, &argc, &argv, &error) || !file || port <= 0 ||
        (cut && sscanf(cut, "%lf:%lf", &c.cut_at, &c.cut_for) != 2)) {
        fprintf(stderr, "rtsp_serve: %s\n",
                error ? error->message : "--file FILE --port PORT [--codec C] [--cut AT:FOR]");
        return 2;
    }
    g_option_context_free(ctx);
    int width = 640, height = 360;
    if (size && sscanf(size, "%dx%d", &width, &height) != 2) {
        fprintf(stderr, "rtsp_serve: --size WxH, not '%s'\n", size);
        return 2;
    }
    /* intervideosrc sends its own size unless told: the recording's */
    c.caps = g_strdup_printf("video/x-raw,width=%d,height=%d,framerate=25/1", width, height);
    char *location = g_strescape(file, NULL);
    char *play = g_strdup_printf("filesrc location=\"%s\" ! decodebin ! videoconvert "
                                 "! intervideosink channel=cam",
                                 location);
    g_free(location);
    c.player = gst_parse_launch(play, &error);
    g_free(play);
    if (!c.player) {
        fprintf(stderr, "rtsp_serve: %s\n", error->message);
        return 2;
    }
    codec = codec ? codec : g_strdup("h264");
    gboolean ok = strcmp(codec, "mjpeg") == 0 ? serve_http(&c, port) : serve_rtsp(&c, port, codec);
    if (!ok)
        return 1;
    printf("serving %s on port %d\n", codec, port);
    fflush(stdout);
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    g_main_loop_run(loop); /* until the test kills it */
    return 0;
}
