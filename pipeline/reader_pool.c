/*
 * reader_pool.c — reader threads draining one backlog (see reader_pool.h). Owns the
 * threads, each thread's reader, the models they all share (with their detector cache),
 * the backlog and the jobs in it.
 */
#define G_LOG_DOMAIN "gatecv-readers"
#include "reader_pool.h"

#include "evidence_jpeg.h"
#include "gatecv_error.h"
#include "gatecvframe.h"
#include "models.h"
#include "reader.h"

#define MAX_THREADS 64

typedef struct {
    reader_pool *pool;
    GThread *thread;
    gatecv_reader *reader; /* borrows the pool's models; set to each job's kinds */
} worker;

struct reader_pool {
    reader_pool_options opts;
    GMutex lock;
    GCond work;  /* a job was queued, or the pool is stopping */
    GCond space; /* a job was taken: a camera waiting at the bound may go on */
    GCond idle;  /* a read finished: cancel may be waiting for it */
    read_backlog *backlog;
    /* The networks of every thread, each used by one thread at a time (models.h): the
     * recognisers, and the detector instances (models->det), one per input size. So their
     * memory is paid once, not once a thread. Freed after the workers' readers, which
     * borrow them. */
    gatecv_models *models;
    int n_workers;
    worker workers[MAX_THREADS];
    int reading;    /* threads in the middle of a read */
    bool cancelled; /* hand every frame back unread */
    bool stopping;  /* threads end */
    reader_pool_stats stats;
    guint64 *depth_counts; /* submissions that found 0..bound frames waiting */
};

void reader_pool_options_default(reader_pool_options *o)
{
    *o = (reader_pool_options){
        .threads = 0,
        .backlog = 16,
        .may_drop = false,
        .max_wait_ms = 3000,
        .model_dir = NULL,
        .det_size = 960};
}

static void job_finish(reader_job *job, gatecv_read *reads, int n, GBytes *evidence,
                       bool dropped)
{
    int valid = 0;
    for (int i = 0; i < n; i++)
        valid += reads[i].valid;
    read_interest_add(job->interest, valid);
    read_hold_complete(job->hold, job->item, reads, n, evidence, dropped);
    read_interest_unref(job->interest);
    gst_buffer_unref(job->buffer);
    g_free(job);
}

static void job_drop(gpointer data)
{
    job_finish(data, NULL, 0, NULL, true);
}

/* What one read gave, for its camera. */
typedef struct {
    gatecv_read *reads;
    int n;
    GBytes *evidence;
} read_result;

/* The whole frame as the evidence JPEG (NULL, logged, if it cannot be made). */
static GBytes *frame_evidence(const char *camera, GstVideoFrame *frame)
{
    gcv_image *bgr = gatecv_frame_region_to_bgr(frame, 0, 0, GST_VIDEO_FRAME_WIDTH(frame),
                                                GST_VIDEO_FRAME_HEIGHT(frame));
    GError *error = NULL;
    GBytes *jpeg = bgr ? evidence_jpeg_encode(bgr, &error) : NULL;
    if (!jpeg)
        g_warning("camera %s: no evidence picture: %s", camera,
                  error ? error->message : gcv_last_error());
    g_clear_error(&error);
    gcv_image_free(bgr);
    return jpeg;
}

/* The job's area as a BGR image whose top-left is (*x, *y) of the frame: converted as it is,
 * or (a calibrated camera) the part of the frame its undistorted pixels come from, converted
 * and remapped. */
static gcv_image *area_image(GstVideoFrame *frame, const reader_job *job, int *x, int *y)
{
    if (!job->undistort) {
        *x = job->area.x & ~1; /* where 4:2:0 conversion starts */
        *y = job->area.y & ~1;
        return gatecv_frame_region_to_bgr(frame, *x, *y, job->area.width + (job->area.x - *x),
                                          job->area.height + (job->area.y - *y));
    }
    int sx, sy, sw, sh;
    gcv_undistort_source(job->undistort, &sx, &sy, &sw, &sh);
    gcv_image *source = gatecv_frame_region_to_bgr(frame, sx, sy, sw, sh);
    gcv_image *area = source ? gcv_undistort_apply(job->undistort, source) : NULL;
    gcv_image_free(source);
    *x = job->area.x & ~1; /* the maps' region starts there (camera_pipeline.c) */
    *y = job->area.y & ~1;
    return area;
}

/* Reads the job's area with the thread's reader, for the kinds of text its camera reads:
 * reads in frame coordinates, and the whole frame as the evidence JPEG when something was
 * read. */
static read_result read_job(worker *w, reader_job *job)
{
    gatecv_read *reads = NULL;
    int n = 0;
    GBytes *evidence = NULL;
    GstVideoFrame frame;
    if (!gst_video_frame_map(&frame, &job->info, job->buffer, GST_MAP_READ)) {
        g_warning("camera %s: a frame to read cannot be mapped: not read", job->camera);
        return (read_result){NULL, 0, NULL};
    }
    int x, y;
    gcv_image *area = area_image(&frame, job, &x, &y);
    GError *error = NULL;
    gatecv_reader_set_kinds(w->reader, job->what != READ_WHAT_CODES, job->what != READ_WHAT_PLATES);
    if (!area) {
        g_warning("camera %s: cannot convert the area to read: %s", job->camera,
                  gcv_last_error());
    } else if ((n = gatecv_reader_read(w->reader, area, &reads, &error)) < 0) {
        g_warning("camera %s: read failed: %s", job->camera, error->message);
        g_clear_error(&error);
        n = 0;
    }
    gcv_image_free(area);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) {
            reads[i].quad[k].x += x;
            reads[i].quad[k].y += y;
        }
    if (n > 0)
        evidence = frame_evidence(job->camera, &frame);
    gst_video_frame_unmap(&frame);
    return (read_result){reads, n, evidence};
}

/* A pool that may drop gives up the frames that have waited max_wait_ms: they are handed
 * back unread, outside the lock (completing hands observations on). Lock held on entry and
 * on return. */
static void drop_expired(reader_pool *pool)
{
    if (!pool->opts.may_drop || pool->opts.max_wait_ms <= 0)
        return;
    gint64 before = g_get_monotonic_time() - (gint64)pool->opts.max_wait_ms * 1000;
    reader_job *job;
    while ((job = read_backlog_expire(pool->backlog, before))) {
        pool->stats.dropped++;
        pool->stats.expired++;
        g_cond_signal(&pool->space);
        g_mutex_unlock(&pool->lock);
        job_drop(job);
        g_mutex_lock(&pool->lock);
    }
}

static gpointer worker_main(gpointer data)
{
    worker *w = data;
    reader_pool *pool = w->pool;
    g_mutex_lock(&pool->lock);
    for (;;) {
        drop_expired(pool);
        reader_job *job;
        while (!(job = read_backlog_pop(pool->backlog)) && !pool->stopping)
            g_cond_wait(&pool->work, &pool->lock);
        if (!job)
            break;
        pool->reading++;
        g_cond_signal(&pool->space);
        g_mutex_unlock(&pool->lock);
        gint64 t0 = g_get_monotonic_time();
        read_result r = read_job(w, job);
        gint64 t1 = g_get_monotonic_time();
        double ms = (t1 - t0) / 1000.0;
        if (pool->opts.on_read)
            pool->opts.on_read(job->camera, (t1 - job->submitted_us) / 1e6, ms / 1000.0,
                               pool->opts.on_read_user);
        g_mutex_lock(&pool->lock);
        pool->stats.read++; /* counted before the camera hears of it */
        pool->stats.read_ms += ms;
        g_mutex_unlock(&pool->lock);
        job_finish(job, r.reads, r.n, r.evidence, false);
        g_mutex_lock(&pool->lock);
        pool->reading--;
        g_cond_broadcast(&pool->idle);
    }
    g_mutex_unlock(&pool->lock);
    return NULL;
}

/* The thread's reader, over the pool's models; FALSE + error when it cannot be made. */
static gboolean worker_load(worker *w, const reader_pool_options *o, gatecv_models *models,
                            GError **error)
{
    gatecv_reader_params params;
    gatecv_reader_params_default(&params);
    params.detect.max_side = o->det_size;
    params.detect.blind_full_pass = o->blank_full_pass;
    w->reader = gatecv_reader_new(models, &params, error);
    return w->reader != NULL;
}

static void worker_unload(worker *w)
{
    g_clear_pointer(&w->reader, gatecv_reader_free);
}

reader_pool *reader_pool_new(const reader_pool_options *o, GError **error)
{
    reader_pool *pool = g_new0(reader_pool, 1);
    pool->opts = *o;
    if (pool->opts.threads <= 0)
        pool->opts.threads = (int)g_get_num_processors();
    pool->opts.threads = CLAMP(pool->opts.threads, 1, MAX_THREADS);
    pool->opts.backlog = MAX(pool->opts.backlog, 1);
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->work);
    g_cond_init(&pool->space);
    g_cond_init(&pool->idle);
    pool->backlog = read_backlog_new(pool->opts.backlog, job_drop);
    pool->depth_counts = g_new0(guint64, pool->opts.backlog + 1);
    pool->stats.threads = pool->opts.threads;
    /* Each thread reads on one core: OpenCV's own threads would only compete with the
     * other readers. One setting for the process. */
    gcv_set_num_threads(0);
    pool->models = gatecv_models_load(gatecv_model_dir(o->model_dir), error);
    if (!pool->models) {
        reader_pool_free(pool);
        return NULL;
    }
    for (int i = 0; i < pool->opts.threads; i++) {
        worker *w = &pool->workers[i];
        w->pool = pool;
        if (!worker_load(w, &pool->opts, pool->models, error)) {
            worker_unload(w);
            reader_pool_free(pool);
            return NULL;
        }
        pool->n_workers++;
        w->thread = g_thread_new("gatecv-reader", worker_main, w);
    }
    return pool;
}

void reader_pool_cancel(reader_pool *pool)
{
    g_mutex_lock(&pool->lock);
    pool->cancelled = true;
    GPtrArray *queued = g_ptr_array_new();
    gpointer job;
    while ((job = read_backlog_pop(pool->backlog)))
        g_ptr_array_add(queued, job);
    g_cond_broadcast(&pool->space);
    while (pool->reading > 0)
        g_cond_wait(&pool->idle, &pool->lock);
    pool->stats.dropped += queued->len;
    g_mutex_unlock(&pool->lock);
    for (guint i = 0; i < queued->len; i++) /* outside the lock: completing hands on */
        job_drop(queued->pdata[i]);
    g_ptr_array_free(queued, TRUE);
}

void reader_pool_free(reader_pool *pool)
{
    if (!pool)
        return;
    reader_pool_cancel(pool);
    g_mutex_lock(&pool->lock);
    pool->stopping = true;
    g_cond_broadcast(&pool->work);
    g_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->n_workers; i++) {
        g_thread_join(pool->workers[i].thread);
        worker_unload(&pool->workers[i]);
    }
    if (pool->models) {
        gatecv_det_cache_stats st;
        gatecv_det_cache_get_stats(pool->models->det, &st);
        g_debug("detector instances: %" G_GUINT64_FORMAT " passes, %" G_GUINT64_FORMAT
                " loads (%" G_GUINT64_FORMAT " duplicates), %" G_GUINT64_FORMAT
                " waits, %" G_GUINT64_FORMAT " evictions; peak %.2f Mpx of %.2f",
                st.acquires, st.loads, st.duplicates, st.waits, st.evictions,
                st.peak_cost_px / 1048576.0, gatecv_det_budget_default() / 1048576.0);
    }
    gatecv_models_free(pool->models);
    read_backlog_free(pool->backlog);
    g_free(pool->depth_counts);
    g_mutex_clear(&pool->lock);
    g_cond_clear(&pool->work);
    g_cond_clear(&pool->space);
    g_cond_clear(&pool->idle);
    g_free(pool);
}

void reader_pool_submit(reader_pool *pool, reader_job *job)
{
    job->submitted_us = g_get_monotonic_time(); /* before any wait for room: that counts too */
    g_mutex_lock(&pool->lock);
    guint bound = read_backlog_bound(pool->backlog);
    while (!pool->opts.may_drop && !pool->cancelled && read_backlog_length(pool->backlog) >= bound)
        g_cond_wait(&pool->space, &pool->lock);
    reader_job *dropped = job;
    if (!pool->cancelled) {
        pool->depth_counts[MIN(read_backlog_length(pool->backlog), bound)]++;
        dropped = read_backlog_push(pool->backlog, job, job->interest, g_get_monotonic_time(),
                                    pool->opts.may_drop);
        pool->stats.max_depth = MAX(pool->stats.max_depth, read_backlog_length(pool->backlog));
        g_cond_signal(&pool->work);
    }
    pool->stats.submitted++;
    pool->stats.dropped += dropped != NULL;
    g_mutex_unlock(&pool->lock);
    if (dropped)
        job_drop(dropped); /* outside the lock: completing hands observations on */
}

void reader_pool_get_stats(reader_pool *pool, reader_pool_stats *stats)
{
    g_mutex_lock(&pool->lock);
    *stats = pool->stats;
    stats->depth = read_backlog_length(pool->backlog);
    guint64 total = 0, seen = 0;
    for (guint d = 0; d <= pool->opts.backlog; d++)
        total += pool->depth_counts[d];
    stats->p95_depth = 0;
    for (guint d = 0; d <= pool->opts.backlog && total; d++) {
        seen += pool->depth_counts[d];
        if (seen * 100 >= total * 95) {
            stats->p95_depth = d;
            break;
        }
    }
    g_mutex_unlock(&pool->lock);
}
