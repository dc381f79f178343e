/*
 * crossing_event.c — event JSON (json-glib), evidence JPEGs (libjpeg-turbo) with their
 * SHA-256, and the persistent sequence number. Owns the writer and its folder handle.
 */
#include "crossing_event.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <turbojpeg.h>

#include "read_json.h"

#define JPEG_QUALITY 85

struct event_writer {
    const lane_config *config;
    char *dir;
    gint64 epoch_us;
    guint64 seq;
    tjhandle jpeg;
};

G_DEFINE_QUARK(gatecv - event - error - quark, event_error)

static guint64 read_seq(const char *dir)
{
    gchar *path = g_build_filename(dir, "SEQ", NULL), *text = NULL;
    guint64 seq = 0;
    if (g_file_get_contents(path, &text, NULL, NULL))
        seq = g_ascii_strtoull(text, NULL, 10);
    g_free(text);
    g_free(path);
    return seq;
}

/* Write SEQ through a temporary file, fsync'd, renamed: a crash leaves old or new. */
static gboolean write_seq(const event_writer *w, guint64 seq, GError **error)
{
    gchar *path = g_build_filename(w->dir, "SEQ", NULL);
    gchar *tmp = g_strconcat(path, ".tmp", NULL);
    char text[32];
    int len = g_snprintf(text, sizeof text, "%" G_GUINT64_FORMAT "\n", seq);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    gboolean ok = fd >= 0 && write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        g_set_error(error, event_error_quark(), 0, "cannot write %s: %s", path, g_strerror(errno));
    g_free(tmp);
    g_free(path);
    return ok;
}

event_writer *event_writer_new(const lane_config *config, const char *out_dir, gint64 epoch_us,
                               GError **error)
{
    if (g_mkdir_with_parents(out_dir, 0755) != 0) {
        g_set_error(error, event_error_quark(), 0, "cannot create output folder %s: %s", out_dir,
                    g_strerror(errno));
        return NULL;
    }
    event_writer *w = g_new0(event_writer, 1);
    w->config = config;
    w->dir = g_strdup(out_dir);
    w->epoch_us = epoch_us;
    w->seq = read_seq(out_dir);
    w->jpeg = tjInitCompress();
    return w;
}

void event_writer_free(event_writer *w)
{
    if (!w)
        return;
    if (w->jpeg)
        tjDestroy(w->jpeg);
    g_free(w->dir);
    g_free(w);
}

char *event_time_string(gint64 epoch_us, double stream_t)
{
    gint64 us = epoch_us + (gint64)(stream_t * 1e6);
    GDateTime *dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    gchar *base = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
    char *s = g_strdup_printf("%s.%03dZ", base, (int)((us % G_USEC_PER_SEC) / 1000));
    g_free(base);
    g_date_time_unref(dt);
    return s;
}

/* Encode `img` as JPEG into DIR/NAME and return its SHA-256 (hex, g_free it). */
static char *write_jpeg(event_writer *w, const gcv_image *img, const char *name, GError **error)
{
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    int pf = img->channels == 3 ? TJPF_BGR : TJPF_GRAY;
    int sub = img->channels == 3 ? TJSAMP_420 : TJSAMP_GRAY;
    if (tjCompress2(w->jpeg, img->data, img->width, (int)img->stride, img->height, pf, &jpeg, &size,
                    sub, JPEG_QUALITY, TJFLAG_FASTDCT) != 0) {
        g_set_error(error, event_error_quark(), 0, "JPEG encoding failed: %s",
                    tjGetErrorStr2(w->jpeg));
        return NULL;
    }
    gchar *path = g_build_filename(w->dir, name, NULL);
    GError *io = NULL;
    char *sha = NULL;
    if (g_file_set_contents(path, (const gchar *)jpeg, (gssize)size, &io))
        sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, jpeg, size);
    else {
        g_set_error(error, event_error_quark(), 0, "cannot write evidence %s: %s", path,
                    io->message);
        g_error_free(io);
    }
    tjFree(jpeg);
    g_free(path);
    return sha;
}

static void add_plate(JsonBuilder *b, const lane_item *it)
{
    const gatecv_read *r = &it->read;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "text");
    json_builder_add_string_value(b, r->text);
    json_builder_set_member_name(b, "display");
    json_builder_add_string_value(b, r->display);
    json_builder_set_member_name(b, "country");
    if (gatecv_country_name(r->country))
        json_builder_add_string_value(b, gatecv_country_name(r->country));
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "layout");
    json_builder_add_string_value(b, r->layout == LAYOUT_TWO_LINE ? "two_line" : "one_line");
    json_builder_set_member_name(b, "camera");
    json_builder_add_string_value(b, it->camera);
    json_builder_set_member_name(b, "confidence");
    json_builder_add_double_value(b, read_json_round(r->confidence));
    json_builder_set_member_name(b, "frames");
    json_builder_add_int_value(b, it->frames);
    json_builder_set_member_name(b, "valid");
    json_builder_add_boolean_value(b, r->valid);
    read_json_add_polygon(b, r->quad);
    json_builder_end_object(b);
}

static void add_container(JsonBuilder *b, const lane_item *it)
{
    const gatecv_read *r = &it->read;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "code");
    json_builder_add_string_value(b, r->text);
    json_builder_set_member_name(b, "check_digit_ok");
    json_builder_add_boolean_value(b, r->valid);
    json_builder_set_member_name(b, "size_type");
    if (r->size_type[0])
        json_builder_add_string_value(b, r->size_type);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "camera");
    json_builder_add_string_value(b, it->camera);
    json_builder_set_member_name(b, "confidence");
    json_builder_add_double_value(b, read_json_round(r->confidence));
    json_builder_set_member_name(b, "frames");
    json_builder_add_int_value(b, it->frames);
    read_json_add_polygon(b, r->quad);
    json_builder_end_object(b);
}

static void add_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

/* Evidence of every item that has a frame: the JPEG and an entry in `evidence`. */
static gboolean add_evidence(event_writer *w, JsonBuilder *b, const char *event_id,
                             const lane_crossing *c, GError **error)
{
    json_builder_set_member_name(b, "evidence");
    json_builder_begin_array(b);
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const lane_item *items = pass == 0 ? c->plates : c->containers;
        int count = pass == 0 ? c->n_plates : c->n_containers;
        for (int i = 0; i < count; i++) {
            if (!items[i].evidence)
                continue;
            const char *kind = pass == 0 ? "plate" : "container";
            char *name = g_strdup_printf("%s-%d-%s-%s.jpg", event_id, ++n, items[i].camera, kind);
            char *sha = write_jpeg(w, items[i].evidence, name, error);
            if (!sha) {
                g_free(name);
                json_builder_end_array(b);
                return FALSE;
            }
            char *ts = event_time_string(w->epoch_us, items[i].evidence_t);
            json_builder_begin_object(b);
            add_string(b, "camera", items[i].camera);
            add_string(b, "kind", kind);
            add_string(b, "ts", ts);
            add_string(b, "sha256", sha);
            add_string(b, "file", name);
            json_builder_end_object(b);
            g_free(ts);
            g_free(sha);
            g_free(name);
        }
    }
    json_builder_end_array(b);
    return TRUE;
}

char *event_writer_write(event_writer *w, const lane_crossing *c, GError **error)
{
    if (!write_seq(w, w->seq + 1, error))
        return NULL;
    w->seq++;
    char *event_id = g_uuid_string_random();
    char *enter = event_time_string(w->epoch_us, c->t_enter);
    char *exit_ = event_time_string(w->epoch_us, c->t_exit);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_string(b, "schema", "gatecv.crossing/1");
    add_string(b, "event_id", event_id);
    json_builder_set_member_name(b, "seq");
    json_builder_add_int_value(b, (gint64)w->seq);
    add_string(b, "gate", w->config->gate);
    add_string(b, "lane", w->config->lane);
    add_string(b, "direction", lane_direction_name(c->direction));
    add_string(b, "ts_enter", enter);
    add_string(b, "ts_exit", exit_);
    json_builder_set_member_name(b, "vehicle");
    json_builder_begin_object(b);
    add_string(b, "kind", c->vehicle_kind);
    json_builder_set_member_name(b, "plates");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_plates; i++)
        add_plate(b, &c->plates[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "containers");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_containers; i++)
        add_container(b, &c->containers[i]);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "verification");
    json_builder_begin_object(b);
    add_string(b, "status", c->status);
    json_builder_set_member_name(b, "reasons");
    json_builder_begin_array(b);
    for (int i = 0; i < c->n_reasons; i++)
        json_builder_add_string_value(b, c->reasons[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
    add_string(b, "manifest_match", NULL);
    gboolean ok = add_evidence(w, b, event_id, c, error);
    json_builder_end_object(b);
    char *json = NULL;
    if (ok) {
        JsonNode *root = json_builder_get_root(b);
        json = json_node_to_string(root, FALSE);
        json_node_unref(root);
    }
    g_object_unref(b);
    g_free(enter);
    g_free(exit_);
    g_free(event_id);
    return json;
}
