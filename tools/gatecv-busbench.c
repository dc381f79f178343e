/*
 * gatecv-busbench — speed of event delivery, for `make bench`: journal + publish + one
 * subscriber.
 *
 *   gatecv-busbench [--events N] [--warmup N] [--dir DIR] [--jpeg-kb N]
 *
 * Each event is what gatecvd makes of a crossing: the event JSON (the fields of
 * schema/gatecv.crossing-1.schema.json) and three 1920x1080 evidence JPEGs. The JPEGs are
 * made once with libjpeg-turbo (quality 85, 4:2:0) from seeded synthetic pictures with
 * texture (sensor noise, asphalt grain, a truck, a container's corrugation, a plate), so
 * they are the size of real lane frames: a few hundred KB each (--jpeg-kb N tunes the noise
 * until they average N KB). For every event, as fast as it goes on one thread: the
 * decision time, journal_append (which fdatasyncs) in DIR/journal, event_bus_publish (the
 * bus thread reads the event back from the journal and sends it on its PUB socket, plain
 * TCP on 127.0.0.1); a subscriber thread with a SUB socket checks each message's frames and
 * notes when it arrived. Printed: events per second, the latency from decision to the
 * subscriber's receipt (p50, p95, max), that latency from the end of the append on, and the
 * time of journal_append alone. --warmup events go first and are not counted. The bus
 * reads an event back under the journal's one lock, so with the producer flat out the read
 * of seq N waits for the append of N + 1 (its fdatasync included): the "journaled ->"
 * latency shows that wait.
 *
 * Why: a lane makes about one event a minute, so this is the headroom for fan-in (several
 * lanes' subscribers on one host) and for catch-up bursts after an outage. The aim on the
 * 2-core box is at least 200 events/s and a p95 latency under 20 ms. Figures, not a
 * pass/fail test; exit 1 only if the subscriber misses an event or the journal fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include <czmq.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <turbojpeg.h>

#include "event_bus.h"
#include "journal.h"
#include "manifest.h"
#include "percentile.h"

#define WIDTH 1920
#define HEIGHT 1080
#define N_JPEGS 3
#define JPEG_QUALITY 85
#define DEFAULT_NOISE 8.0 /* ± grey levels of sensor noise */
#define WAIT_S 60         /* for the subscriber to receive everything */
#define TMPFS_MAGIC_NUMBER 0x01021994

static const char *const camera_names[N_JPEGS] = {"plate", "container", "overview"};

/* ---- the evidence JPEGs -------------------------------------------------------------- */

typedef struct {
    unsigned char *data;
    unsigned long size;
    char *sha256;
} bench_jpeg;

typedef struct {
    guint8 *rgb;
    guint32 noise_state;
} canvas;

static guint32 xorshift(guint32 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static guint8 clamp_byte(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (guint8)v;
}

static void fill_rect(canvas *c, int x0, int y0, int x1, int y1, const guint8 rgb[3])
{
    x0 = CLAMP(x0, 0, WIDTH), x1 = CLAMP(x1, 0, WIDTH);
    y0 = CLAMP(y0, 0, HEIGHT), y1 = CLAMP(y1, 0, HEIGHT);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            memcpy(c->rgb + ((gsize)y * WIDTH + x) * 3, rgb, 3);
}

static void fill_ellipse(canvas *c, int cx, int cy, int rx, int ry, const guint8 rgb[3])
{
    for (int y = MAX(cy - ry, 0); y < MIN(cy + ry, HEIGHT); y++)
        for (int x = MAX(cx - rx, 0); x < MIN(cx + rx, WIDTH); x++) {
            double dx = (double)(x - cx) / rx, dy = (double)(y - cy) / ry;
            if (dx * dx + dy * dy <= 1)
                memcpy(c->rgb + ((gsize)y * WIDTH + x) * 3, rgb, 3);
        }
}

static void random_colour(GRand *r, guint8 rgb[3], int lo, int hi)
{
    for (int i = 0; i < 3; i++)
        rgb[i] = (guint8)g_rand_int_range(r, lo, hi);
}

/* Dark blocks in a row, like the characters of a plate or a painted container code. */
static void draw_glyphs(canvas *c, GRand *r, int x, int y, int n, int w, int h, const guint8 ink[3])
{
    for (int i = 0; i < n; i++) {
        int gx = x + i * (w + w / 3);
        fill_rect(c, gx, y, gx + w, y + h / 5, ink);
        fill_rect(c, gx, y, gx + w / 4, y + h, ink);
        if (g_rand_boolean(r))
            fill_rect(c, gx + w - w / 4, y, gx + w, y + h, ink);
        fill_rect(c, gx, y + h / 2 - h / 10, gx + w, y + h / 2 + h / 10, ink);
        if (g_rand_boolean(r))
            fill_rect(c, gx, y + h - h / 5, gx + w, y + h, ink);
    }
}

/* Sky over asphalt, with lane marks. */
static void draw_background(canvas *c, int horizon)
{
    for (int y = 0; y < HEIGHT; y++) {
        guint8 row[3];
        if (y < horizon) {
            double t = (double)y / horizon;
            row[0] = clamp_byte(150 + 60 * t), row[1] = clamp_byte(180 + 40 * t), row[2] = 225;
        } else {
            double t = (double)(y - horizon) / (HEIGHT - horizon);
            row[0] = row[1] = clamp_byte(95 + 40 * t), row[2] = clamp_byte(100 + 40 * t);
        }
        fill_rect(c, 0, y, WIDTH, y + 1, row);
    }
    static const guint8 paint[3] = {230, 230, 220};
    for (int x = 80; x < WIDTH; x += 420)
        fill_rect(c, x, HEIGHT - 60, x + 220, HEIGHT - 40, paint);
}

static void draw_clutter(canvas *c, GRand *r, int n)
{
    for (int i = 0; i < n; i++) {
        guint8 rgb[3];
        random_colour(r, rgb, 20, 235);
        int x = g_rand_int_range(r, 0, WIDTH), y = g_rand_int_range(r, 0, HEIGHT);
        int w = g_rand_int_range(r, 8, 160), h = g_rand_int_range(r, 8, 160);
        if (g_rand_boolean(r))
            fill_rect(c, x, y, x + w, y + h, rgb);
        else
            fill_ellipse(c, x, y, w / 2 + 1, h / 2 + 1, rgb);
    }
}

/* A container side: vertical corrugation, rails, a painted code. */
static void draw_container(canvas *c, GRand *r, int x0, int y0, int x1, int y1)
{
    guint8 base[3];
    random_colour(r, base, 60, 200);
    for (int x = x0; x < x1; x++) {
        double shade = 0.75 + 0.25 * ((x - x0) % 28 < 14 ? 1.0 : -0.4);
        guint8 rgb[3] = {clamp_byte(base[0] * shade), clamp_byte(base[1] * shade),
                         clamp_byte(base[2] * shade)};
        fill_rect(c, x, y0, x + 1, y1, rgb);
    }
    static const guint8 rail[3] = {50, 50, 55}, white[3] = {235, 235, 235};
    fill_rect(c, x0, y0, x1, y0 + 24, rail);
    fill_rect(c, x0, y1 - 24, x1, y1, rail);
    draw_glyphs(c, r, x0 + (x1 - x0) / 8, y0 + 70, 11, 34, 56, white);
}

/* A truck front: cab, grille, headlights and a plate. */
static void draw_truck_front(canvas *c, GRand *r, int x0, int y0, int x1, int y1)
{
    guint8 cab[3];
    random_colour(r, cab, 30, 220);
    fill_rect(c, x0, y0, x1, y1, cab);
    static const guint8 glass[3] = {40, 55, 70}, grille[3] = {30, 30, 30},
                        lamp[3] = {250, 245, 210}, plate[3] = {240, 240, 235},
                        ink[3] = {15, 15, 20};
    int w = x1 - x0, h = y1 - y0;
    fill_rect(c, x0 + w / 12, y0 + h / 12, x1 - w / 12, y0 + h * 5 / 12, glass);
    for (int y = y0 + h / 2; y < y0 + h * 3 / 4; y += 18)
        fill_rect(c, x0 + w / 4, y, x1 - w / 4, y + 9, grille);
    fill_ellipse(c, x0 + w / 8, y0 + h * 5 / 8, w / 16, h / 16, lamp);
    fill_ellipse(c, x1 - w / 8, y0 + h * 5 / 8, w / 16, h / 16, lamp);
    int px = x0 + w / 2 - 260, py = y0 + h * 13 / 16;
    fill_rect(c, px, py, px + 520, py + 115, plate);
    draw_glyphs(c, r, px + 30, py + 20, 8, 44, 76, ink);
}

/* Asphalt grain (8x8 blotches) and per-pixel sensor noise of ±noise grey levels. */
static void add_noise(canvas *c, GRand *r, double noise)
{
    for (int by = 0; by < HEIGHT; by += 8)
        for (int bx = 0; bx < WIDTH; bx += 8) {
            int d = g_rand_int_range(r, -6, 7);
            for (int y = by; y < by + 8; y++)
                for (int x = bx; x < bx + 8; x++) {
                    guint8 *p = c->rgb + ((gsize)y * WIDTH + x) * 3;
                    for (int k = 0; k < 3; k++) {
                        double n = ((xorshift(&c->noise_state) >> 8) / 16777216.0 * 2 - 1);
                        p[k] = clamp_byte(p[k] + d + n * noise);
                    }
                }
        }
}

/* Picture `which` (0 plate, 1 container, 2 overview) of the lane, the same every run. */
static void render(guint8 *rgb, int which, double noise)
{
    canvas c = {rgb, 0x9e3779b9u ^ (guint32)(which + 1) * 2654435761u};
    GRand *r = g_rand_new_with_seed(2024 + which);
    switch (which) {
    case 0:
        draw_background(&c, 260);
        draw_clutter(&c, r, 40);
        draw_truck_front(&c, r, 360, 120, 1560, 1040);
        break;
    case 1:
        draw_background(&c, 140);
        draw_clutter(&c, r, 30);
        draw_container(&c, r, 60, 180, 1860, 980);
        break;
    default:
        draw_background(&c, 420);
        draw_clutter(&c, r, 120);
        draw_container(&c, r, 420, 300, 1500, 700);
        draw_truck_front(&c, r, 1500, 330, 1820, 800);
        break;
    }
    add_noise(&c, r, noise);
    g_rand_free(r);
}

static gboolean compress(tjhandle tj, const guint8 *rgb, bench_jpeg *out)
{
    out->data = NULL, out->size = 0;
    if (tjCompress2(tj, rgb, WIDTH, WIDTH * 3, HEIGHT, TJPF_RGB, &out->data, &out->size, TJSAMP_420,
                    JPEG_QUALITY, 0) != 0) {
        fprintf(stderr, "gatecv-busbench: tjCompress2: %s\n", tjGetErrorStr2(tj));
        return FALSE;
    }
    return TRUE;
}

/* The three JPEGs at `noise`; their mean size in KB, or -1. */
static double make_jpegs(tjhandle tj, guint8 *rgb, double noise, bench_jpeg jpegs[N_JPEGS])
{
    double total = 0;
    for (int i = 0; i < N_JPEGS; i++) {
        tjFree(jpegs[i].data);
        render(rgb, i, noise);
        if (!compress(tj, rgb, &jpegs[i]))
            return -1;
        total += jpegs[i].size;
    }
    return total / N_JPEGS / 1024;
}

/* The evidence JPEGs, at the default noise or (target_kb > 0) at the noise that makes
 * them average target_kb KB (bisection; the nearest it gets). */
static gboolean make_evidence(int target_kb, bench_jpeg jpegs[N_JPEGS])
{
    tjhandle tj = tjInitCompress();
    guint8 *rgb = g_malloc((gsize)WIDTH * HEIGHT * 3);
    double kb = make_jpegs(tj, rgb, DEFAULT_NOISE, jpegs);
    if (kb >= 0 && target_kb > 0) {
        double lo = 0, hi = 96, best_noise = DEFAULT_NOISE, best_err = ABS(kb - target_kb);
        for (int step = 0; step < 12 && best_err > target_kb * 0.02 && kb >= 0; step++) {
            double mid = (lo + hi) / 2;
            kb = make_jpegs(tj, rgb, mid, jpegs);
            if (ABS(kb - target_kb) < best_err)
                best_err = ABS(kb - target_kb), best_noise = mid;
            *(kb < target_kb ? &lo : &hi) = mid;
        }
        if (kb >= 0)
            kb = make_jpegs(tj, rgb, best_noise, jpegs);
        if (kb >= 0 && best_err > target_kb * 0.05)
            fprintf(stderr, "gatecv-busbench: --jpeg-kb %d: the nearest is %.0f KB\n", target_kb,
                    kb);
    }
    g_free(rgb);
    tjDestroy(tj);
    for (int i = 0; kb >= 0 && i < N_JPEGS; i++)
        jpegs[i].sha256 =
            g_compute_checksum_for_data(G_CHECKSUM_SHA256, jpegs[i].data, jpegs[i].size);
    return kb >= 0;
}

/* ---- the event JSON ------------------------------------------------------------------ */

static void format_time(GString *s, gint64 us)
{
    GDateTime *t = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    char *text = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
    g_string_append_printf(s, "\"%s.%03dZ\"", text, (int)(us % G_USEC_PER_SEC / 1000));
    g_free(text);
    g_date_time_unref(t);
}

/* A plausible crossing event (schema/gatecv.crossing-1.schema.json): one VN truck with a
 * container, verified, no manifest, the three JPEGs as evidence. */
static char *event_json(guint64 seq, gint64 now_us, const bench_jpeg jpegs[N_JPEGS])
{
    static const char *const kinds[N_JPEGS] = {"plate", "container", "overview"};
    GString *s = g_string_sized_new(2048);
    g_string_append_printf(s,
                           "{\"schema\":\"gatecv.crossing/1\","
                           "\"event_id\":\"6a7eb0c1-0000-4000-8000-%012" G_GINT64_MODIFIER "x\","
                           "\"seq\":%" G_GUINT64_FORMAT ",\"revision\":1,\"final\":true,"
                           "\"gate\":\"BENCH\",\"lane\":\"L1\","
                           "\"direction\":\"VN_TO_CN\",\"ts_enter\":",
                           seq, seq);
    format_time(s, now_us - 6200000);
    g_string_append(s, ",\"ts_exit\":");
    format_time(s, now_us - 400000);
    g_string_append(s, ",\"vehicle\":{\"kind\":\"truck\",\"plates\":[{\"text\":\"12C34567\","
                       "\"display\":\"12C-345.67\",\"country\":\"VN\",\"layout\":\"one_line\","
                       "\"camera\":\"plate\",\"confidence\":0.96,\"frames\":7,\"valid\":true,"
                       "\"polygon\":[[820,952],[1340,952],[1340,1067],[820,1067]]}]},"
                       "\"containers\":[{\"code\":\"MSKU1234565\",\"check_digit_ok\":true,"
                       "\"size_type\":\"45G1\",\"camera\":\"container\",\"confidence\":0.91,"
                       "\"frames\":5,\"polygon\":[[285,250],[980,250],[980,306],[285,306]]}],"
                       "\"verification\":{\"status\":\"verified\",\"reasons\":[]},"
                       "\"manifest_match\":null,\"evidence\":[");
    for (int i = 0; i < N_JPEGS; i++) {
        g_string_append_printf(s, "%s{\"camera\":\"%s\",\"kind\":\"%s\",\"ts\":", i ? "," : "",
                               camera_names[i], kinds[i]);
        format_time(s, now_us - 2000000 + i * 40000);
        g_string_append_printf(
            s, ",\"sha256\":\"%s\",\"file\":\"evidence/%" G_GUINT64_FORMAT "-%s.jpg\"}",
            jpegs[i].sha256, seq, camera_names[i]);
    }
    g_string_append(s, "]}");
    return g_string_free(s, FALSE);
}

/* ---- the subscriber ------------------------------------------------------------------ */

typedef struct {
    char *endpoint;
    const bench_jpeg *jpegs;
    guint64 first_seq; /* receipt[i] is of seq first_seq + i */
    guint n;
    gint64 *receipt; /* monotonic µs, 0 until received */
    GMutex lock;
    GCond changed;
    gboolean health;
    guint received; /* distinct seqs of [first_seq, first_seq + n) */
    guint errors;
    char *first_error;
    gint stop;
} subscriber;

static void sub_error(subscriber *s, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void sub_error(subscriber *s, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = g_strdup_vprintf(format, args);
    va_end(args);
    g_mutex_lock(&s->lock);
    if (s->errors++ == 0)
        s->first_error = text, text = NULL;
    g_mutex_unlock(&s->lock);
    g_free(text);
}

/* The seq of the event JSON frame, 0 if none. */
static guint64 json_seq(zframe_t *frame)
{
    const char *data = (const char *)zframe_data(frame);
    const char *at = g_strstr_len(data, (gssize)zframe_size(frame), "\"seq\":");
    if (!at)
        return 0;
    guint64 seq = 0;
    for (const char *p = at + 6; p < data + zframe_size(frame) && g_ascii_isdigit(*p); p++)
        seq = seq * 10 + (guint64)(*p - '0');
    return seq;
}

/* A crossing message: [topic, JSON, 3 JPEGs], the JPEGs those that were journaled. */
static void take_crossing(subscriber *s, zmsg_t *msg, gint64 now)
{
    if (zmsg_size(msg) != 2 + N_JPEGS) {
        sub_error(s, "a crossing message of %zu frames, not %d", zmsg_size(msg), 2 + N_JPEGS);
        return;
    }
    zframe_t *frame = zmsg_next(msg);
    guint64 seq = json_seq(frame);
    if (seq < s->first_seq || seq >= s->first_seq + s->n) {
        sub_error(s, "a crossing message with seq %" G_GUINT64_FORMAT ", not one sent", seq);
        return;
    }
    for (int i = 0; i < N_JPEGS; i++) {
        frame = zmsg_next(msg);
        if (zframe_size(frame) != s->jpegs[i].size ||
            memcmp(zframe_data(frame), s->jpegs[i].data, s->jpegs[i].size) != 0) {
            sub_error(s, "seq %" G_GUINT64_FORMAT ": JPEG %d differs from the one journaled", seq,
                      i + 1);
            return;
        }
    }
    g_mutex_lock(&s->lock);
    gint64 *at = &s->receipt[seq - s->first_seq];
    gboolean again = *at != 0;
    if (!again) {
        *at = now;
        s->received++;
        g_cond_broadcast(&s->changed);
    }
    g_mutex_unlock(&s->lock);
    if (again)
        sub_error(s, "seq %" G_GUINT64_FORMAT " received twice", seq);
}

static gpointer subscriber_thread(gpointer user)
{
    subscriber *s = user;
    zsock_t *sock = zsock_new_sub(s->endpoint, "crossing.");
    zsock_set_subscribe(sock, "health.");
    zsock_set_rcvtimeo(sock, 100);
    while (!g_atomic_int_get(&s->stop)) {
        zmsg_t *msg = zmsg_recv(sock);
        gint64 now = g_get_monotonic_time();
        if (!msg)
            continue;
        zframe_t *topic = zmsg_first(msg);
        if (zframe_size(topic) >= 9 && memcmp(zframe_data(topic), "crossing.", 9) == 0) {
            take_crossing(s, msg, now);
        } else if (zframe_size(topic) >= 7 && memcmp(zframe_data(topic), "health.", 7) == 0) {
            g_mutex_lock(&s->lock);
            s->health = TRUE;
            g_cond_broadcast(&s->changed);
            g_mutex_unlock(&s->lock);
        }
        zmsg_destroy(&msg);
    }
    zsock_destroy(&sock);
    return NULL;
}

/* Waits until the subscriber has `count` events (or, count 0, a health message); FALSE
 * after timeout_s. */
static gboolean wait_for(subscriber *s, guint count, int timeout_s)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    g_mutex_lock(&s->lock);
    while (count ? s->received < count : !s->health)
        if (!g_cond_wait_until(&s->changed, &s->lock, end))
            break;
    gboolean done = count ? s->received >= count : s->health;
    g_mutex_unlock(&s->lock);
    return done;
}

/* ---- the producer -------------------------------------------------------------------- */

typedef struct {
    journal *events;
    event_bus *bus;
    const bench_jpeg *jpegs;
    gint64 *decision;  /* monotonic µs, per event */
    gint64 *published; /* monotonic µs after journal_append, per event */
    double *append_ms;
} producer;

/* Events [from, from + n) of the run, as gatecvd makes them: decision, journal, publish. */
static gboolean produce(producer *p, guint64 first_seq, guint from, guint n)
{
    for (guint i = from; i < from + n; i++) {
        gint64 t0 = g_get_monotonic_time();
        guint64 seq = journal_next_seq(p->events);
        if (seq != first_seq + i) {
            fprintf(stderr,
                    "gatecv-busbench: the journal's next seq is %" G_GUINT64_FORMAT
                    ", not %" G_GUINT64_FORMAT "\n",
                    seq, first_seq + i);
            return FALSE;
        }
        char *json = event_json(seq, g_get_real_time(), p->jpegs);
        journal_part parts[1 + N_JPEGS] = {{json, strlen(json)}};
        for (int k = 0; k < N_JPEGS; k++)
            parts[1 + k] = (journal_part){p->jpegs[k].data, p->jpegs[k].size};
        GError *error = NULL;
        gint64 a0 = g_get_monotonic_time();
        gboolean ok = journal_append(p->events, seq, parts, 1 + N_JPEGS, &error);
        gint64 a1 = g_get_monotonic_time();
        if (!ok) {
            fprintf(stderr, "gatecv-busbench: journal_append %" G_GUINT64_FORMAT ": %s\n", seq,
                    error->message);
            g_error_free(error);
            g_free(json);
            return FALSE;
        }
        event_bus_publish(p->bus, seq, parts, 1 + N_JPEGS);
        g_free(json);
        p->decision[i] = t0;
        p->published[i] = a1;
        p->append_ms[i] = (a1 - a0) / 1000.0;
    }
    return TRUE;
}

/* ---- main ---------------------------------------------------------------------------- */

/* The bus on plain TCP on 127.0.0.1: ports 17700 and 17701, else (taken, e.g. by a daemon
 * or another run) random pairs below the ephemeral range. *publish is its PUB endpoint. */
static event_bus *start_bus(journal *events, manifest *expected, char **publish, GError **error)
{
    event_bus *bus = NULL;
    for (int attempt = 0; !bus && attempt < 10; attempt++) {
        int port = attempt == 0 ? 17700 : 2 * g_random_int_range(10000, 16000);
        g_clear_error(error);
        g_free(*publish);
        *publish = g_strdup_printf("tcp://127.0.0.1:%d", port);
        char *request = g_strdup_printf("tcp://127.0.0.1:%d", port + 1);
        event_bus_options o = {.gate = "BENCH",
                               .lane = "L1",
                               .publish = *publish,
                               .request = request,
                               .health_interval_ms = 1000,
                               .max_fetch = 100,
                               .max_request_bytes = 1 << 20};
        bus = event_bus_new(&o, events, expected, error);
        g_free(request);
    }
    return bus;
}

static void remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
        char *child = g_build_filename(path, name, NULL);
        if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            remove_tree(child);
        else
            g_unlink(child);
        g_free(child);
    }
    if (dir)
        g_dir_close(dir);
    g_rmdir(path);
}

/* " on tmpfs: no disk" when the journal's folder is in memory, so fdatasync costs nothing. */
static const char *fs_note(const char *dir)
{
    struct statfs st;
    if (statfs(dir, &st) == 0 && (unsigned long)st.f_type == TMPFS_MAGIC_NUMBER)
        return " on tmpfs: no disk";
    return "";
}

static void print_report(const producer *p, const subscriber *s, guint warmup, guint n,
                         const char *fs)
{
    double *latency = g_new(double, n), *after_append = g_new(double, n);
    gint64 start = p->decision[warmup], end = start;
    for (guint i = 0; i < n; i++) {
        gint64 got = s->receipt[warmup + i];
        latency[i] = (got - p->decision[warmup + i]) / 1000.0;
        after_append[i] = (got - p->published[warmup + i]) / 1000.0;
        end = MAX(end, got);
    }
    double seconds = (end - start) / 1e6;
    printf("  throughput: %.0f events/s (journal + publish + one subscriber, %.2f s)\n",
           n / seconds, seconds);
    printf("  decision -> subscriber receipt: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           percentile(latency, (int)n, 0.5), percentile(latency, (int)n, 0.95),
           percentile(latency, (int)n, 1.0));
    printf("  journaled -> subscriber receipt (publish): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           percentile(after_append, (int)n, 0.5), percentile(after_append, (int)n, 0.95),
           percentile(after_append, (int)n, 1.0));
    printf("  journal append alone: p50 %.1f ms, p95 %.1f ms (fdatasync%s)\n",
           percentile(p->append_ms + warmup, (int)n, 0.5),
           percentile(p->append_ms + warmup, (int)n, 0.95), fs);
    g_free(latency);
    g_free(after_append);
}

/* Reports what the subscriber missed or got wrong; TRUE if nothing. */
static gboolean check_received(subscriber *s)
{
    g_mutex_lock(&s->lock);
    guint missing = s->n - s->received;
    if (missing) {
        GString *list = g_string_new(NULL);
        for (guint i = 0, shown = 0; i < s->n && shown < 10; i++)
            if (!s->receipt[i])
                g_string_append_printf(list, "%s%" G_GUINT64_FORMAT, shown++ ? ", " : "",
                                       s->first_seq + i);
        fprintf(stderr, "gatecv-busbench: %u of %u events not received in %d s (seq %s%s)\n",
                missing, s->n, WAIT_S, list->str, missing > 10 ? ", ..." : "");
        g_string_free(list, TRUE);
    }
    if (s->errors)
        fprintf(stderr, "gatecv-busbench: %u bad messages, the first: %s\n", s->errors,
                s->first_error);
    gboolean ok = !missing && !s->errors;
    g_mutex_unlock(&s->lock);
    return ok;
}

int main(int argc, char **argv)
{
    gint opt_events = 500, opt_warmup = 20, opt_jpeg_kb = 0;
    gchar *opt_dir = NULL;
    GOptionEntry entries[] = {
        {"events", 'n', 0, G_OPTION_ARG_INT, &opt_events, "Events to time (default 500)", "N"},
        {"warmup", 'w', 0, G_OPTION_ARG_INT, &opt_warmup,
         "Events sent first and not timed (default 20)", "N"},
        {"dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir,
         "Journal in DIR/journal, kept (default: a temporary folder, removed after)", "DIR"},
        {"jpeg-kb", 'k', 0, G_OPTION_ARG_INT, &opt_jpeg_kb,
         "Make the evidence JPEGs about N KB each (default: as the texture makes them)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, "Measure crossing events per second and their latency "
                                      "through the journal, the bus and one subscriber.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    gboolean ok = g_option_context_parse(ctx, &argc, &argv, &error);
    g_option_context_free(ctx);
    if (ok && (argc > 1 || opt_events < 1 || opt_warmup < 0 || opt_jpeg_kb < 0))
        g_set_error(&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    "no arguments; --events >= 1, --warmup >= 0, --jpeg-kb >= 0");
    if (!ok || error) {
        fprintf(stderr, "gatecv-busbench: %s (try --help)\n", error->message);
        return 2;
    }
    zsys_handler_set(NULL);

    bench_jpeg jpegs[N_JPEGS] = {{0}};
    if (!make_evidence(opt_jpeg_kb, jpegs))
        return 2;
    gboolean temporary = opt_dir == NULL;
    char *dir = temporary ? g_dir_make_tmp("gatecv-busbench-XXXXXX", &error) : g_strdup(opt_dir);
    char *journal_dir = dir ? g_build_filename(dir, "journal", NULL) : NULL;
    journal *events = journal_dir ? journal_open(journal_dir, NULL, &error) : NULL;
    if (!events) {
        fprintf(stderr, "gatecv-busbench: %s\n", error->message);
        if (temporary && dir)
            remove_tree(dir);
        return 2;
    }
    char *pub = NULL;
    manifest *expected = manifest_new();
    event_bus *bus = start_bus(events, expected, &pub, &error);
    if (!bus) {
        fprintf(stderr, "gatecv-busbench: %s\n", error->message);
        journal_close(events);
        manifest_free(expected);
        if (temporary)
            remove_tree(dir);
        return 2;
    }

    guint total = (guint)opt_warmup + (guint)opt_events;
    subscriber sub = {.endpoint = pub,
                      .jpegs = jpegs,
                      .first_seq = journal_next_seq(events),
                      .n = total,
                      .receipt = g_new0(gint64, total)};
    g_mutex_init(&sub.lock);
    g_cond_init(&sub.changed);
    GThread *sub_thread = g_thread_new("subscriber", subscriber_thread, &sub);
    producer prod = {
        events, bus, jpegs, g_new0(gint64, total), g_new0(gint64, total), g_new0(double, total)};

    printf("gatecv-busbench: %d events, %d JPEGs each (%lu+%lu+%lu KB), journal in %s\n",
           opt_events, N_JPEGS, jpegs[0].size / 1024, jpegs[1].size / 1024, jpegs[2].size / 1024,
           journal_dir);
    fflush(stdout);
    int status = 1;
    /* Slow joiner: a SUB socket gets nothing until its subscription reached the PUB. */
    if (!wait_for(&sub, 0, 10)) {
        fprintf(stderr, "gatecv-busbench: no health message from %s in 10 s\n", pub);
    } else {
        gboolean produced = produce(&prod, sub.first_seq, 0, (guint)opt_warmup) &&
                            wait_for(&sub, (guint)opt_warmup, WAIT_S) &&
                            produce(&prod, sub.first_seq, (guint)opt_warmup, (guint)opt_events);
        if (produced)
            wait_for(&sub, total, WAIT_S);
        if (check_received(&sub) && produced) {
            print_report(&prod, &sub, (guint)opt_warmup, (guint)opt_events, fs_note(journal_dir));
            status = 0;
        }
    }

    g_atomic_int_set(&sub.stop, 1);
    g_thread_join(sub_thread);
    event_bus_free(bus);
    manifest_free(expected);
    journal_close(events);
    if (temporary)
        remove_tree(dir);
    g_mutex_clear(&sub.lock);
    g_cond_clear(&sub.changed);
    g_free(sub.receipt);
    g_free(sub.first_error);
    g_free(prod.decision);
    g_free(prod.published);
    g_free(prod.append_ms);
    for (int i = 0; i < N_JPEGS; i++) {
        tjFree(jpegs[i].data);
        g_free(jpegs[i].sha256);
    }
    g_free(pub);
    g_free(journal_dir);
    g_free(dir);
    g_free(opt_dir);
    return status;
}
