/*
 * lane_config.c — parses and checks the daemon's key file (see lane_config.h).
 * Every error names the file, the line, the group and the key.
 */
#include "lane_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

G_DEFINE_QUARK(gatecv - lane - config - error - quark, lane_config_error)

/* Each role's name and capabilities, in lane_role order. */
static const struct {
    const char *name;
    unsigned can;
} ROLES[] = {
    [LANE_ROLE_FRONT] = {"front", LANE_CAN_READ_PLATES | LANE_CAN_LOOK_ALONG},
    [LANE_ROLE_REAR] = {"rear", LANE_CAN_READ_PLATES | LANE_CAN_READ_CODES | LANE_CAN_LOOK_ALONG},
    [LANE_ROLE_SIDE_LEFT] = {"side-left", LANE_CAN_READ_CODES | LANE_CAN_MEASURE_LENGTH},
    [LANE_ROLE_SIDE_RIGHT] = {"side-right", LANE_CAN_READ_CODES | LANE_CAN_MEASURE_LENGTH},
    [LANE_ROLE_TOP] = {"top", LANE_CAN_READ_CODES},
};

/* The keys each kind of group may hold: a misspelt optional key is an error, not a
 * default silently kept. */
static const char *const GATE_KEYS[] = {"name", "lane", "positive_direction", NULL};
static const char *const CAMERA_KEYS[] = {
    "role", "uri", "roi", "tripwire", "calibration", "metres_per_pixel", NULL};
static const char *const FUSION_KEYS[] = {"votes",         "read_interval", "join_window",
                                          "max_vehicle_m", "provisional",   NULL};
static const char *const BUS_KEYS[] = {
    "publish",         "request",   "server_key",        "allowed_keys", "insecure",
    "health_interval", "max_fetch", "max_request_bytes", "consumers",    NULL};
static const char *const READERS_KEYS[] = {"threads", "backlog", "max_wait_ms",
                                           "blank_full_pass", NULL};
static const char *const DECODING_KEYS[] = {"threads", NULL};
static const char *const JOURNAL_KEYS[] = {"dir",        "max_mb",      "max_age_days",
                                           "segment_mb", "min_free_mb", NULL};
static const char *const METRICS_KEYS[] = {"listen", NULL};
static const char *const TRIGGER_KEYS[] = {"source", "gpio_chip", "gpio_line", "active_low",
                                           "min_gap", NULL};

/* The line on which `key` is set in `group` (or the group header if the key is
 * missing, or 0 if neither is found): key files know no line numbers of their own. */
static int line_of(const char *text, const char *group, const char *key)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    int found = 0, header = 0;
    gboolean in_group = FALSE;
    for (int i = 0; lines[i] && !found; i++) {
        const char *l = g_strstrip(lines[i]);
        if (l[0] == '[') {
            gchar *name = g_strndup(l + 1, strcspn(l + 1, "]"));
            in_group = strcmp(name, group) == 0;
            if (in_group)
                header = i + 1;
            g_free(name);
        } else if (in_group && key && g_str_has_prefix(l, key)) {
            const char *rest = l + strlen(key);
            while (*rest == ' ')
                rest++;
            if (*rest == '=')
                found = i + 1;
        }
    }
    g_strfreev(lines);
    return found ? found : header;
}

typedef struct {
    const char *path;
    const char *text;
    GKeyFile *kf;
} parser;

static gboolean fail(const parser *p, GError **error, const char *group, const char *key,
                     const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static gboolean fail(const parser *p, GError **error, const char *group, const char *key,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, LANE_CONFIG_ERROR, 0, "%s:%d: [%s]%s%s: %s", p->path,
                line_of(p->text, group, key), group, key ? " " : "", key ? key : "", what);
    g_free(what);
    return FALSE;
}

/* A required string value, stripped; NULL + error if missing or empty. */
static char *need_string(const parser *p, const char *group, const char *key, GError **error)
{
    char *v = g_key_file_get_string(p->kf, group, key, NULL);
    if (v)
        g_strstrip(v);
    if (!v || !*v) {
        g_free(v);
        fail(p, error, group, key, "missing (required)");
        return NULL;
    }
    return v;
}

/* Image coordinates beyond this are no camera's (and would not fit an int or a float). */
#define COORD_MAX 1e6

/* Parse "a,b,c,d" into 4 numbers, each within +-COORD_MAX: "nan", "inf" and 1e100 would
 * otherwise pass as a tripwire of infinities or an int ROI out of range (found by fuzzing). */
static gboolean four_numbers(const char *s, double out[4])
{
    gchar **parts = g_strsplit(s, ",", -1);
    gboolean ok = g_strv_length(parts) == 4;
    for (int i = 0; ok && i < 4; i++) {
        char *end = NULL;
        out[i] = g_ascii_strtod(g_strstrip(parts[i]), &end);
        ok = end && end != parts[i] && *end == '\0' && out[i] >= -COORD_MAX && out[i] <= COORD_MAX;
    }
    g_strfreev(parts);
    return ok;
}

static gboolean parse_int(const parser *p, const char *group, const char *key, int lo, int hi,
                          int def, int *out, GError **error)
{
    if (!g_key_file_has_key(p->kf, group, key, NULL)) {
        *out = def;
        return TRUE;
    }
    char *v = g_key_file_get_string(p->kf, group, key, NULL);
    char *end = NULL;
    long n = strtol(v ? g_strstrip(v) : "", &end, 10);
    gboolean ok = v && end != v && *end == '\0' && n >= lo && n <= hi;
    if (!ok)
        fail(p, error, group, key, "expected a whole number %d..%d, got '%s'", lo, hi, v ? v : "");
    g_free(v);
    *out = (int)n;
    return ok;
}

static gboolean parse_double(const parser *p, const char *group, const char *key, double lo,
                             double hi, double def, double *out, GError **error)
{
    if (!g_key_file_has_key(p->kf, group, key, NULL)) {
        *out = def;
        return TRUE;
    }
    char *v = g_key_file_get_string(p->kf, group, key, NULL);
    char *end = NULL;
    double x = g_ascii_strtod(v ? g_strstrip(v) : "", &end);
    gboolean ok = v && end != v && *end == '\0' && x >= lo && x <= hi;
    if (!ok)
        fail(p, error, group, key, "expected a number %g..%g, got '%s'", lo, hi, v ? v : "");
    g_free(v);
    *out = x;
    return ok;
}

static gboolean parse_bool(const parser *p, const char *group, const char *key, gboolean def,
                           gboolean *out, GError **error)
{
    GError *e = NULL;
    *out = g_key_file_has_key(p->kf, group, key, NULL)
               ? g_key_file_get_boolean(p->kf, group, key, &e)
               : def;
    if (!e)
        return TRUE;
    g_error_free(e);
    return fail(p, error, group, key, "expected true or false");
}

/* A v4l2:///dev/videoN camera: the device must be there, and a character device, at start
 * (a missing USB camera is named now rather than retried for ever). */
static gboolean check_v4l2_device(const parser *p, const char *group, const char *uri,
                                  GError **error)
{
    const char *dev = uri + strlen("v4l2://");
    if (!g_str_has_prefix(dev, "/dev/"))
        return fail(p, error, group, "uri", "expected v4l2:///dev/videoN, got '%s'", uri);
    GStatBuf st;
    if (g_stat(dev, &st) != 0)
        return fail(p, error, group, "uri", "no such device: %s (%s)", dev, g_strerror(errno));
    if (!S_ISCHR(st.st_mode))
        return fail(p, error, group, "uri", "not a video device (not a character device): %s",
                    dev);
    return TRUE;
}

/* The network schemes GStreamer's sources take as they are: rtspsrc (rtspt:// forces RTP over
 * the RTSP connection, TCP; rtspu:// RTP over UDP; rtsp:// tries UDP, then TCP) and
 * souphttpsrc (an MJPEG camera's multipart/x-mixed-replace stream). */
static const char *const NETWORK_SCHEMES[] = {"rtsp://",  "rtspt://", "rtspu://", "rtsps://",
                                              "rtspst://", "http://", "https://", NULL};

static gboolean parse_uri(const parser *p, const char *group, lane_camera *cam, GError **error)
{
    if (!(cam->uri = need_string(p, group, "uri", error)))
        return FALSE;
    if (g_str_has_prefix(cam->uri, "file://")) {
        gchar *file = g_filename_from_uri(cam->uri, NULL, NULL);
        gboolean exists = file && g_file_test(file, G_FILE_TEST_IS_REGULAR);
        gboolean ok = file != NULL;
        if (ok && !exists)
            fail(p, error, group, "uri", "no such file: %s", file);
        else if (!ok)
            fail(p, error, group, "uri", "not a valid file URI: '%s'", cam->uri);
        g_free(file);
        return ok && exists;
    }
    for (int i = 0; NETWORK_SCHEMES[i]; i++)
        if (g_str_has_prefix(cam->uri, NETWORK_SCHEMES[i])) {
            if (!g_uri_is_valid(cam->uri, G_URI_FLAGS_NONE, NULL))
                return fail(p, error, group, "uri", "not a valid URI: '%s'", cam->uri);
            return TRUE;
        }
    if (g_str_has_prefix(cam->uri, "v4l2://"))
        return check_v4l2_device(p, group, cam->uri, error);
    return fail(p, error, group, "uri",
                "unsupported scheme in '%s' (use file://, rtsp://, rtspt:// (TCP), rtspu:// (UDP), "
                "rtsps://, rtspst://, http://, https:// or v4l2:///dev/videoN)",
                cam->uri);
}

static gboolean parse_role(const parser *p, const char *group, lane_role *role, GError **error)
{
    char *name = need_string(p, group, "role", error);
    if (!name)
        return FALSE;
    gboolean known = FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(ROLES) && !known; i++)
        if (strcmp(name, ROLES[i].name) == 0) {
            *role = (lane_role)i;
            known = TRUE;
        }
    if (!known)
        fail(p, error, group, "role",
             "'%s' is not a role (front, rear, side-left, side-right, top)", name);
    g_free(name);
    return known;
}

static gboolean parse_camera(const parser *p, const char *group, lane_camera *cam, GError **error)
{
    cam->name = g_strdup(group + strlen("camera "));
    g_strstrip(cam->name);
    if (!*cam->name)
        return fail(p, error, group, NULL, "a camera group needs a name: [camera NAME]");
    if (!parse_role(p, group, &cam->role, error))
        return FALSE;
    if (!parse_uri(p, group, cam, error))
        return FALSE;
    double v[4];
    char *roi = g_key_file_get_string(p->kf, group, "roi", NULL);
    if (roi) {
        /* w,h at least 1: a width of 0.5 would become 0, which means the whole frame */
        gboolean ok = four_numbers(roi, v) && v[0] >= 0 && v[1] >= 0 && v[2] >= 1 && v[3] >= 1;
        if (ok)
            cam->roi = (lane_rect){(int)v[0], (int)v[1], (int)v[2], (int)v[3]};
        else
            fail(p, error, group, "roi", "expected x,y,w,h in pixels with w,h >= 1, got '%s'", roi);
        g_free(roi);
        if (!ok)
            return FALSE;
    }
    cam->calibration = g_key_file_get_string(p->kf, group, "calibration", NULL);
    if (cam->calibration && !g_file_test(g_strstrip(cam->calibration), G_FILE_TEST_IS_REGULAR))
        return fail(p, error, group, "calibration", "no such file: %s", cam->calibration);
    /* a calibration file may give the tripwire instead (lane_calib.h) */
    if (cam->calibration && !g_key_file_has_key(p->kf, group, "tripwire", NULL))
        return parse_double(p, group, "metres_per_pixel", 0.0001, 1, 0, &cam->metres_per_pixel,
                            error);
    char *wire = need_string(p, group, "tripwire", error);
    if (!wire)
        return FALSE;
    gboolean ok = four_numbers(wire, v) && (v[0] != v[2] || v[1] != v[3]);
    if (ok)
        cam->tripwire = (lane_line){(float)v[0], (float)v[1], (float)v[2], (float)v[3]};
    else
        fail(p, error, group, "tripwire",
             "expected x1,y1,x2,y2 of two different points (each within +-1e6), got '%s'", wire);
    g_free(wire);
    if (!ok)
        return FALSE;
    cam->tripwire_given = TRUE;
    return parse_double(p, group, "metres_per_pixel", 0.0001, 1, 0, &cam->metres_per_pixel, error);
}

static gboolean parse_gate(const parser *p, lane_config *c, GError **error)
{
    if (!(c->gate = need_string(p, "gate", "name", error)) ||
        !(c->lane = need_string(p, "gate", "lane", error)))
        return FALSE;
    char *dir = need_string(p, "gate", "positive_direction", error);
    if (!dir)
        return FALSE;
    gboolean ok = TRUE;
    if (strcmp(dir, "VN_TO_CN") == 0)
        c->positive = DIR_VN_TO_CN;
    else if (strcmp(dir, "CN_TO_VN") == 0)
        c->positive = DIR_CN_TO_VN;
    else
        ok = fail(p, error, "gate", "positive_direction", "expected VN_TO_CN or CN_TO_VN, got '%s'",
                  dir);
    g_free(dir);
    return ok;
}

/* A ZeroMQ endpoint the box can bind: transport://address. */
static char *parse_endpoint(const parser *p, const char *key, GError **error)
{
    char *v = need_string(p, "bus", key, error);
    if (v && !g_str_has_prefix(v, "tcp://") && !g_str_has_prefix(v, "ipc://") &&
        !g_str_has_prefix(v, "inproc://")) {
        fail(p, error, "bus", key,
             "expected tcp://ADDRESS:PORT, ipc://PATH or inproc://NAME, got '%s'", v);
        g_clear_pointer(&v, g_free);
    }
    return v;
}

static gboolean valid_consumer_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return FALSE;
    return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Keys on both sides (server_key + allowed_keys), or plain TCP said out loud (insecure). */
static gboolean parse_bus_security(const parser *p, lane_bus_config *b, GError **error)
{
    GError *e = NULL;
    b->insecure = g_key_file_has_key(p->kf, "bus", "insecure", NULL) &&
                  g_key_file_get_boolean(p->kf, "bus", "insecure", &e);
    if (e) {
        g_error_free(e);
        return fail(p, error, "bus", "insecure", "expected true or false");
    }
    b->server_key = g_key_file_get_string(p->kf, "bus", "server_key", NULL);
    b->allowed_keys = g_key_file_get_string(p->kf, "bus", "allowed_keys", NULL);
    if (b->server_key && !g_file_test(g_strstrip(b->server_key), G_FILE_TEST_IS_REGULAR))
        return fail(p, error, "bus", "server_key", "no such file: %s", b->server_key);
    if (b->allowed_keys && !g_file_test(g_strstrip(b->allowed_keys), G_FILE_TEST_IS_DIR))
        return fail(p, error, "bus", "allowed_keys", "no such folder: %s", b->allowed_keys);
    if (!b->server_key != !b->allowed_keys)
        return fail(p, error, "bus", b->server_key ? "allowed_keys" : "server_key",
                    "CurveZMQ needs both server_key and allowed_keys");
    if (b->server_key && b->insecure)
        return fail(p, error, "bus", "insecure", "true, but keys are configured: choose one");
    if (!b->server_key && !b->insecure)
        return fail(p, error, "bus", NULL,
                    "no keys: set server_key and allowed_keys (gatecv-keygen) for CurveZMQ, "
                    "or insecure=true for plain TCP");
    return TRUE;
}

static gboolean parse_bus(const parser *p, lane_bus_config *b, GError **error)
{
    b->enabled = TRUE;
    if (!(b->publish = parse_endpoint(p, "publish", error)) ||
        !(b->request = parse_endpoint(p, "request", error)) || !parse_bus_security(p, b, error))
        return FALSE;
    if (strcmp(b->publish, b->request) == 0)
        return fail(p, error, "bus", "request", "the same endpoint as publish");
    b->consumers = g_key_file_get_string_list(p->kf, "bus", "consumers", NULL, NULL);
    for (int i = 0; b->consumers && b->consumers[i]; i++)
        if (!valid_consumer_name(g_strstrip(b->consumers[i])))
            return fail(p, error, "bus", "consumers",
                        "'%s' is not a consumer name (1-64 of A-Z a-z 0-9 . _ -)", b->consumers[i]);
    return parse_int(p, "bus", "health_interval", 1, 3600, 5, &b->health_interval, error) &&
           parse_int(p, "bus", "max_fetch", 1, 10000, 100, &b->max_fetch, error) &&
           parse_int(p, "bus", "max_request_bytes", 1024, 64 << 20, 1 << 20, &b->max_request_bytes,
                     error);
}

static gboolean parse_journal(const parser *p, lane_journal_config *j, GError **error)
{
    j->dir = g_key_file_get_string(p->kf, "journal", "dir", NULL);
    if (j->dir && !*g_strstrip(j->dir))
        return fail(p, error, "journal", "dir", "empty");
    return parse_double(p, "journal", "max_mb", 0.01, 10000000, 2048, &j->max_mb, error) &&
           parse_int(p, "journal", "max_age_days", 1, 3650, 30, &j->max_age_days, error) &&
           parse_double(p, "journal", "segment_mb", 0.01, 1024, 64, &j->segment_mb, error) &&
           parse_double(p, "journal", "min_free_mb", 0, 1000000, 256, &j->min_free_mb, error);
}

gboolean lane_parse_listen(const char *text, char **host, int *port, const char **why)
{
    *host = NULL;
    *port = 0;
    gchar *t = g_strstrip(g_strdup(text ? text : ""));
    const char *colon = t[0] == '[' ? strstr(t, "]:") : strrchr(t, ':');
    gchar *name = NULL;
    if (!*t) {
        g_free(t);
        return TRUE;
    }
    if (colon)
        name = t[0] == '[' ? g_strndup(t + 1, (gsize)(colon - t - 1)) : g_strndup(t, (gsize)(colon - t));
    const char *digits = colon ? colon + (t[0] == '[' ? 2 : 1) : "";
    char *end = NULL;
    long p = strtol(digits, &end, 10);
    GInetAddress *ip = name ? g_inet_address_new_from_string(name) : NULL;
    gboolean bare_v6 = name && t[0] != '[' && strchr(name, ':');
    if (!colon || !*digits || *end || !g_ascii_isdigit(digits[0]))
        *why = "expected IP:PORT or [IPv6]:PORT, e.g. 127.0.0.1:9464";
    else if (p < 1 || p > 65535)
        *why = "the port must be 1..65535";
    else if (!ip || bare_v6)
        *why = "the host must be an IP address (127.0.0.1, 0.0.0.0, [::1]), not a name";
    else
        *why = NULL;
    if (!*why) {
        *host = g_strdup(name);
        *port = (int)p;
    }
    g_clear_object(&ip);
    g_free(name);
    g_free(t);
    return *why == NULL;
}

static gboolean parse_metrics(const parser *p, lane_metrics_config *m, GError **error)
{
    char *text = g_key_file_get_string(p->kf, "metrics", "listen", NULL);
    const char *why = NULL;
    gboolean ok = lane_parse_listen(text, &m->host, &m->port, &why);
    if (!ok)
        fail(p, error, "metrics", "listen", "%s, got '%s'", why, text);
    g_free(text);
    return ok;
}

/* [trigger]: where the presence sensor's reports come from; a GPIO line needs its chip (a
 * character device, checked here so that a wrong path is named at start) and its offset. */
static gboolean parse_trigger(const parser *p, lane_config *c, GError **error)
{
    lane_trigger_config *t = &c->trigger;
    char *source = need_string(p, "trigger", "source", error);
    if (!source)
        return FALSE;
    gboolean ok = TRUE;
    if (strcmp(source, "request") == 0)
        t->source = LANE_TRIGGER_REQUEST;
    else if (strcmp(source, "gpio") == 0)
        t->source = LANE_TRIGGER_GPIO;
    else
        ok = fail(p, error, "trigger", "source", "expected request or gpio, got '%s'", source);
    g_free(source);
    if (!ok || !parse_double(p, "trigger", "min_gap", 0, 10, 0.5, &t->min_gap, error))
        return FALSE;
    if (t->source == LANE_TRIGGER_REQUEST) {
        static const char *const gpio_only[] = {"gpio_chip", "gpio_line", "active_low", NULL};
        for (int i = 0; gpio_only[i]; i++)
            if (g_key_file_has_key(p->kf, "trigger", gpio_only[i], NULL))
                return fail(p, error, "trigger", gpio_only[i], "only for source=gpio");
        return TRUE;
    }
    if (!(t->gpio_chip = need_string(p, "trigger", "gpio_chip", error)))
        return FALSE;
    if (!g_file_test(t->gpio_chip, G_FILE_TEST_EXISTS))
        return fail(p, error, "trigger", "gpio_chip", "no such device: %s", t->gpio_chip);
    if (!g_key_file_has_key(p->kf, "trigger", "gpio_line", NULL))
        return fail(p, error, "trigger", "gpio_line", "missing (required for source=gpio)");
    return parse_int(p, "trigger", "gpio_line", 0, 1023, 0, &t->gpio_line, error) &&
           parse_bool(p, "trigger", "active_low", FALSE, &t->active_low, error);
}

static gboolean known_keys(const parser *p, const char *group, const char *const *allowed,
                           GError **error)
{
    gchar **keys = g_key_file_get_keys(p->kf, group, NULL, NULL);
    gboolean ok = TRUE;
    for (int i = 0; ok && keys && keys[i]; i++)
        if (!g_strv_contains(allowed, keys[i])) {
            gchar *list = g_strjoinv(", ", (gchar **)allowed);
            ok = fail(p, error, group, keys[i], "unknown key (expected one of %s)", list);
            g_free(list);
        }
    g_strfreev(keys);
    return ok;
}

/* Every value's backslash escapes are ones GLib's key file knows (\s \n \t \r \\ and \; in
 * lists). Checked before any value is read: GLib's own parse of a value with a bad escape and
 * a lone backslash at its end sets its GError twice (a GLib-WARNING in the log; found by
 * fuzzing), and the key would then read as missing. */
static gboolean escapes_ok(const parser *p, GError **error)
{
    gchar **groups = g_key_file_get_groups(p->kf, NULL);
    gboolean ok = TRUE;
    for (int g = 0; ok && groups[g]; g++) {
        gchar **keys = g_key_file_get_keys(p->kf, groups[g], NULL, NULL);
        for (int k = 0; ok && keys && keys[k]; k++) {
            gchar *v = g_key_file_get_value(p->kf, groups[g], keys[k], NULL);
            for (const char *c = v; ok && c && *c; c++)
                if (*c == '\\' && !(c[1] && strchr("sntr\\;", c[1]) && c++))
                    ok = fail(p, error, groups[g], keys[k],
                              "a backslash that is not one of \\s \\n \\t \\r \\\\ \\;");
            g_free(v);
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    return ok;
}

static gboolean parse_all(const parser *p, lane_config *c, GError **error)
{
    if (!escapes_ok(p, error))
        return FALSE;
    if (!g_key_file_has_group(p->kf, "gate"))
        return fail(p, error, "gate", NULL, "the [gate] group is missing");
    if (!known_keys(p, "gate", GATE_KEYS, error) || !parse_gate(p, c, error))
        return FALSE;
    gchar **groups = g_key_file_get_groups(p->kf, NULL);
    gboolean ok = TRUE;
    for (int i = 0; ok && groups[i]; i++) {
        const char *g = groups[i];
        if (strcmp(g, "gate") == 0)
            continue;
        if (strcmp(g, "fusion") == 0) {
            ok = known_keys(p, g, FUSION_KEYS, error);
            continue;
        }
        if (strcmp(g, "bus") == 0) {
            ok = known_keys(p, g, BUS_KEYS, error) && parse_bus(p, &c->bus, error);
            continue;
        }
        if (strcmp(g, "journal") == 0) {
            ok = known_keys(p, g, JOURNAL_KEYS, error);
            continue;
        }
        if (strcmp(g, "metrics") == 0) {
            ok = known_keys(p, g, METRICS_KEYS, error) && parse_metrics(p, &c->metrics, error);
            continue;
        }
        if (strcmp(g, "readers") == 0) {
            ok = known_keys(p, g, READERS_KEYS, error);
            continue;
        }
        if (strcmp(g, "trigger") == 0) {
            ok = known_keys(p, g, TRIGGER_KEYS, error) && parse_trigger(p, c, error);
            continue;
        }
        if (strcmp(g, "decoding") == 0) {
            ok = known_keys(p, g, DECODING_KEYS, error);
            continue;
        }
        if (!g_str_has_prefix(g, "camera ")) {
            ok = fail(p, error, g, NULL,
                      "unknown group (expected [gate], [fusion], [readers], [decoding], [bus], "
                      "[journal], [metrics], [trigger], [camera NAME])");
        } else if (c->n_cameras == LANE_MAX_CAMERAS) {
            ok = fail(p, error, g, NULL, "more than %d cameras", LANE_MAX_CAMERAS);
        } else {
            ok = known_keys(p, g, CAMERA_KEYS, error) &&
                 parse_camera(p, g, &c->cameras[c->n_cameras++], error);
            for (int k = 0; ok && k < c->n_cameras - 1; k++)
                if (strcmp(c->cameras[k].name, c->cameras[c->n_cameras - 1].name) == 0)
                    ok = fail(p, error, g, NULL, "camera name used twice");
        }
    }
    g_strfreev(groups);
    if (ok && c->n_cameras == 0)
        ok = fail(p, error, "gate", NULL, "no [camera NAME] group: at least one camera is needed");
    if (ok && c->trigger.source == LANE_TRIGGER_REQUEST && !c->bus.enabled)
        ok = fail(p, error, "trigger", "source",
                  "source=request takes the reports on the bus's request endpoint: add a [bus] "
                  "group");
    return ok && parse_int(p, "fusion", "votes", 1, 50, 2, &c->votes, error) &&
           parse_int(p, "fusion", "read_interval", 1, 1000, 5, &c->read_interval, error) &&
           parse_int(p, "readers", "threads", 0, 64, 0, &c->reader_threads, error) &&
           parse_int(p, "readers", "backlog", 1, 1000, 16, &c->reader_backlog, error) &&
           parse_int(p, "readers", "max_wait_ms", 0, 600000, 3000, &c->reader_max_wait_ms, error) &&
           parse_int(p, "decoding", "threads", 0, 16, 1, &c->decode_threads, error) &&
           parse_double(p, "fusion", "join_window", 0.1, 30, 1.5, &c->join_window, error) &&
           parse_double(p, "fusion", "max_vehicle_m", 5, 100, 28, &c->max_vehicle_m, error) &&
           parse_bool(p, "fusion", "provisional", TRUE, &c->provisional, error) &&
           parse_bool(p, "readers", "blank_full_pass", FALSE, &c->blank_full_pass, error) &&
           parse_journal(p, &c->journal, error);
}

lane_config *lane_config_load(const char *path, GError **error)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &text, &len, &io)) {
        g_set_error(error, LANE_CONFIG_ERROR, 0, "%s: cannot read: %s", path, io->message);
        g_error_free(io);
        return NULL;
    }
    lane_config *c = lane_config_load_data(text, len, path, error);
    g_free(text);
    return c;
}

lane_config *lane_config_load_data(const char *data, gsize len, const char *name, GError **error)
{
    /* One NUL-terminated copy for both the key file and line_of(): the text ends at its
     * first NUL for both, as it did when a file's contents were parsed in place. */
    gchar *text = g_strndup(data, len);
    GError *io = NULL;
    GKeyFile *kf = g_key_file_new();
    if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &io)) {
        g_set_error(error, LANE_CONFIG_ERROR, 0, "%s: %s", name, io->message);
        g_error_free(io);
        g_key_file_free(kf);
        g_free(text);
        return NULL;
    }
    lane_config *c = g_new0(lane_config, 1);
    c->path = g_strdup(name);
    parser p = {name, text, kf};
    gboolean ok = parse_all(&p, c, error);
    g_key_file_free(kf);
    g_free(text);
    if (!ok) {
        lane_config_free(c);
        return NULL;
    }
    return c;
}

void lane_config_free(lane_config *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_cameras; i++) {
        g_free(c->cameras[i].name);
        g_free(c->cameras[i].uri);
        g_free(c->cameras[i].calibration);
        g_free(c->cameras[i].calib);
    }
    g_free(c->bus.publish);
    g_free(c->bus.request);
    g_free(c->bus.server_key);
    g_free(c->bus.allowed_keys);
    g_strfreev(c->bus.consumers);
    g_free(c->journal.dir);
    g_free(c->metrics.host);
    g_free(c->trigger.gpio_chip);
    g_free(c->path);
    g_free(c->gate);
    g_free(c->lane);
    g_free(c);
}

const char *lane_direction_name(lane_direction d)
{
    return d == DIR_VN_TO_CN ? "VN_TO_CN" : "CN_TO_VN";
}

const char *lane_role_name(lane_role role)
{
    g_return_val_if_fail((size_t)role < G_N_ELEMENTS(ROLES), "unknown");
    return ROLES[role].name;
}

gboolean lane_role_can(lane_role role, unsigned what)
{
    g_return_val_if_fail((size_t)role < G_N_ELEMENTS(ROLES), FALSE);
    return (ROLES[role].can & what) == what;
}

gboolean lane_camera_can(const lane_config *config, int camera, unsigned what)
{
    g_return_val_if_fail(camera >= 0 && camera < config->n_cameras, FALSE);
    return lane_role_can(config->cameras[camera].role, what);
}
