/*
 * scenegen_run.c — the order of a generation: world, schedule, views, the cameras
 * (each one painter → encoder, one frame in memory at a time, sprites dropped as
 * vehicles leave), then the ground truth and lane.conf.
 *
 * Cameras are rendered by up to two worker threads (the machine has two cores; the
 * encoders run in GStreamer's own threads besides). The world, the cameras and the
 * views are read-only while the workers run; each worker owns its fonts, painter and
 * encoder. The first error wins and stops the other worker at its next frame.
 */
#include <errno.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "scenegen_draw.h"
#include "scenegen_encode.h"
#include "scenegen_laneconf.h"
#include "scenegen_run.h"
#include "scenegen_schedule.h"
#include "scenegen_truth.h"

#define PROGRESS_STEPS 10
#define MAX_WORKERS 2

/* What the workers share during one run. */
typedef struct {
    const sg_run_options *o;
    const char *out_abs;
    sg_world world;
    sg_camera cams[SG_N_CAMERAS];
    sg_view *views;
    int n_frames;
    gint next_camera; /* atomic: the next role a worker takes */
    gint failed;      /* atomic: set once a worker failed */
    GMutex lock;      /* guards error */
    GError *error;
} run;

static bool write_png(const run *r, sg_role role, int k, const gcv_image *img, GError **error)
{
    char *dir = g_build_filename(r->out_abs, "frames", NULL);
    char name[64];
    snprintf(name, sizeof name, "%s-%06d.png", sg_role_name(role), k);
    char *path = g_build_filename(dir, name, NULL);
    bool ok = g_mkdir_with_parents(dir, 0755) == 0 && gcv_image_write(img, path) == 0;
    if (!ok)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
    g_free(path);
    g_free(dir);
    return ok;
}

/* After frame k, drops the sprites of vehicles whose view of this camera just ended. */
static void forget_gone(const run *r, sg_painter *painter, sg_role role, int k)
{
    for (int v = 0; v < r->world.n; v++)
        if (r->views[v * SG_N_CAMERAS + role].exit == k)
            sg_painter_forget(painter, v);
}

static bool render_frames(run *r, sg_role role, sg_painter *painter, sg_encoder *enc,
                          GError **error)
{
    const sg_run_options *o = r->o;
    int step = MAX(1, r->n_frames / PROGRESS_STEPS);
    for (int k = 0; k < r->n_frames && !g_atomic_int_get(&r->failed); k++) {
        const gcv_image *img = sg_painter_frame(painter, k, (double)k / o->fps, error);
        bool ok = img && sg_encoder_push(enc, img, k, error);
        if (ok && o->png_every > 0 && k % o->png_every == 0)
            ok = write_png(r, role, k, img, error);
        if (!ok)
            return false;
        forget_gone(r, painter, role, k);
        if (o->progress && ((k + 1) % step == 0 || k + 1 == r->n_frames))
            o->progress(role, k + 1, r->n_frames, o->progress_data);
    }
    return true;
}

static bool render_camera(run *r, sg_role role, const sg_paint_fonts *pf, GError **error)
{
    const sg_run_options *o = r->o;
    sg_painter *painter = sg_painter_new(&r->cams[role], &r->world, pf, (uint64_t)o->seed, error);
    if (!painter)
        return false;
    char name[32];
    snprintf(name, sizeof name, "%s.mkv", sg_role_name(role));
    char *path = g_build_filename(r->out_abs, name, NULL);
    sg_encoder *enc = sg_encoder_open(path, o->width, o->height, o->fps, error);
    g_free(path);
    bool ok = enc && render_frames(r, role, painter, enc, error);
    if (ok)
        ok = sg_encoder_close(enc, error);
    else if (enc)
        sg_encoder_abort(enc);
    sg_painter_free(painter);
    return ok;
}

static bool load_fonts(sg_paint_fonts *pf, GError **error)
{
    pf->fonts = render_fonts_load(NULL, error);
    if (!pf->fonts)
        return false;
    pf->bold = gcv_font_load(RENDER_FONT_LATIN);
    if (!pf->bold)
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_FONT, "cannot load font %s: %s",
                    RENDER_FONT_LATIN, gcv_last_error());
    return pf->bold != NULL;
}

static void free_fonts(sg_paint_fonts *pf)
{
    render_fonts_free(pf->fonts);
    gcv_font_free(pf->bold);
}

/* Keeps the first error of all workers. */
static void record_error(run *r, GError *error)
{
    g_atomic_int_set(&r->failed, 1);
    g_mutex_lock(&r->lock);
    if (!r->error)
        r->error = error;
    else
        g_error_free(error);
    g_mutex_unlock(&r->lock);
}

/* A worker: takes cameras one by one until none is left or one failed. */
static gpointer worker(gpointer data)
{
    run *r = data;
    GError *error = NULL;
    sg_paint_fonts pf = {NULL, NULL};
    bool ok = load_fonts(&pf, &error);
    while (ok && !g_atomic_int_get(&r->failed)) {
        int c = g_atomic_int_add(&r->next_camera, 1);
        if (c >= SG_N_CAMERAS)
            break;
        if (r->o->cameras[c])
            ok = render_camera(r, (sg_role)c, &pf, &error);
    }
    if (!ok)
        record_error(r, error ? error : g_error_new(RENDER_ERROR, RENDER_ERROR_CV, "render failed"));
    free_fonts(&pf);
    return NULL;
}

static bool render_cameras(run *r, GError **error)
{
    int n_cams = 0;
    for (int c = 0; c < SG_N_CAMERAS; c++)
        n_cams += r->o->cameras[c];
    int n_workers = CLAMP((int)g_get_num_processors(), 1, MIN(MAX_WORKERS, MAX(1, n_cams)));
    GThread *threads[MAX_WORKERS] = {NULL};
    for (int i = 1; i < n_workers; i++)
        threads[i] = g_thread_new("scenegen-camera", worker, r);
    worker(r);
    for (int i = 1; i < n_workers; i++)
        g_thread_join(threads[i]);
    if (r->error) {
        g_propagate_error(error, r->error);
        r->error = NULL;
        return false;
    }
    return true;
}

static bool make_out_dir(const char *out, GError **error)
{
    if (g_mkdir_with_parents(out, 0755) == 0)
        return true;
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s", out,
                g_strerror(e));
    return false;
}

static bool write_outputs(const run *r, GError **error)
{
    const sg_run_options *o = r->o;
    sg_truth_meta meta = {o->seed, o->fps, o->width, o->height, o->cameras};
    char *truth = g_build_filename(r->out_abs, "truth.json", NULL);
    char *lane = g_build_filename(r->out_abs, "lane.conf", NULL);
    bool ok = sg_truth_write(truth, &r->world, r->views, &meta, error) &&
              sg_laneconf_write(lane, r->out_abs, r->cams, o->cameras, error);
    g_free(truth);
    g_free(lane);
    return ok;
}

static bool generate(run *r, GError **error)
{
    const sg_run_options *o = r->o;
    sg_scenario_build(&r->world, o->scenario, o->n_vehicles, (uint64_t)o->seed, o->conditions);
    for (int c = 0; c < SG_N_CAMERAS; c++)
        sg_camera_init(&r->cams[c], (sg_role)c, o->width, o->height);
    sg_schedule(&r->world, r->cams);
    r->n_frames = (int)r->world.duration_s * o->fps;
    r->views = sg_truth_views(&r->world, r->cams, o->cameras, o->fps, r->n_frames);
    return make_out_dir(r->out_abs, error) && render_cameras(r, error) && write_outputs(r, error);
}

bool sg_run(const sg_run_options *o, sg_run_summary *summary, GError **error)
{
    char *out_abs = g_canonicalize_filename(o->out, NULL);
    run r = {.o = o, .out_abs = out_abs};
    g_mutex_init(&r.lock);
    bool ok = generate(&r, error);
    if (ok && summary) {
        summary->n_vehicles = r.world.n;
        summary->n_frames = r.n_frames;
        summary->duration_s = r.world.duration_s;
        summary->n_cameras = 0;
        for (int c = 0; c < SG_N_CAMERAS; c++)
            summary->n_cameras += o->cameras[c];
    }
    g_mutex_clear(&r.lock);
    g_free(r.views);
    sg_world_clear(&r.world);
    g_free(out_abs);
    return ok;
}
