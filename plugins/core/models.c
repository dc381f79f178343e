/*
 * models.c — loads and checks the converted PP-OCRv4 models and the character list.
 * Owns the gatecv_models struct and everything in it but a borrowed detector cache; and
 * the detector cache (gatecv_det_cache) and its instances.
 */
#include "models.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "gatecv_error.h"

#define FIX_HINT "run models/fetch-models.sh (or make models) to fetch and convert it"

G_DEFINE_QUARK(gatecv-error-quark, gatecv_error)

const char *gatecv_model_dir(const char *override)
{
    if (override && *override)
        return override;
    const char *env = g_getenv("GATECV_MODEL_DIR");
    if (env && *env)
        return env;
    return GATECV_DEFAULT_MODEL_DIR;
}

/* The recogniser's classes: 0 = CTC blank, 1..n = keys.txt lines, n+1 = space. */
static gboolean load_charset(gatecv_models *m, const char *path, GError **error)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING,
                    "character list %s is missing: " FIX_HINT, path);
        return FALSE;
    }
    gchar **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    guint n = g_strv_length(lines);
    if (n > 0 && lines[n - 1][0] == '\0')
        n--; /* trailing newline */
    m->n_classes = (int)n + 2;
    m->charset = g_new0(char *, m->n_classes + 1);
    m->charset[0] = g_strdup("");
    for (guint i = 0; i < n; i++) {
        g_strchomp(lines[i]);
        m->charset[i + 1] = g_strdup(lines[i]);
    }
    m->charset[n + 1] = g_strdup(" ");
    g_strfreev(lines);
    if (n < 100 || !g_utf8_validate(m->charset[1], -1, NULL)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "character list %s is corrupt (%u lines): " FIX_HINT, path, n);
        return FALSE;
    }
    return TRUE;
}

static gcv_net *load_net(const char *path, double *ms, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING,
                    "model %s is missing: " FIX_HINT, path);
        return NULL;
    }
    gint64 t0 = g_get_monotonic_time();
    gcv_net *net = gcv_net_load_onnx(path);
    *ms = (g_get_monotonic_time() - t0) / 1000.0;
    if (!net)
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID, "%s; " FIX_HINT,
                    gcv_last_error());
    return net;
}

/* One forward pass of the given input; the output must have the expected shape
 * (a -1 in `want` matches any size). */
static gboolean check_shapes(gcv_net *net, const char *path, const int in[4], const int *want,
                             int want_dims, GError **error)
{
    size_t n = (size_t)in[0] * in[1] * in[2] * in[3];
    float *blob = g_new0(float, n);
    float *out = NULL;
    int shape[8], dims = 0;
    int rc = gcv_net_forward(net, blob, in, &out, shape, &dims);
    g_free(blob);
    free(out);
    if (rc < 0) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "model %s does not take input %dx%dx%dx%d (%s): " FIX_HINT, path, in[0], in[1],
                    in[2], in[3], gcv_last_error());
        return FALSE;
    }
    gboolean ok = dims == want_dims;
    for (int i = 0; ok && i < dims; i++)
        ok = want[i] < 0 || want[i] == shape[i];
    if (!ok) {
        GString *got = g_string_new(NULL);
        for (int i = 0; i < dims; i++)
            g_string_append_printf(got, i ? "x%d" : "%d", shape[i]);
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "model %s gives output %s for input %dx%dx%dx%d, not the expected shape "
                    "(wrong model in that file?): " FIX_HINT,
                    path, got->str, in[0], in[1], in[2], in[3]);
        g_string_free(got, TRUE);
    }
    return ok;
}

/* rec-<W>.onnx for each narrow width, each checked like rec.onnx. */
static gboolean load_narrow_recognisers(gatecv_models *m, const char *dir, GError **error)
{
    static const int widths[GATECV_REC_N_NARROW] = GATECV_REC_NARROW_WIDTHS;
    for (int i = 0; i < GATECV_REC_N_NARROW; i++) {
        gchar *name = g_strdup_printf("rec-%d.onnx", widths[i]);
        gchar *path = g_build_filename(dir, name, NULL);
        double ms = 0;
        m->rec_narrow_width[i] = widths[i];
        m->rec_narrow[i] = load_net(path, &ms, error);
        m->rec_load_ms += ms;
        const int in[4] = {1, 3, GATECV_REC_HEIGHT, widths[i]};
        const int want[3] = {1, widths[i] / GATECV_REC_STRIDE, m->n_classes};
        gboolean ok = m->rec_narrow[i] && check_shapes(m->rec_narrow[i], path, in, want, 3, error);
        g_free(name);
        g_free(path);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* ---- the detector cache ------------------------------------------------------ */

typedef struct {
    int width, height;
    gcv_net *net;      /* NULL while its loader is loading it */
    GThread *holder;   /* the thread using it (or loading it); NULL: idle */
    guint64 last_used; /* cache tick of its last acquire: the LRU order */
} det_instance;

struct gatecv_det_cache {
    char *path;
    gint64 budget;     /* the most cost_px may reach, but for one instance alone */
    GMutex lock;       /* guards everything below */
    GCond released;    /* an instance became idle, or a reservation was dropped */
    GPtrArray *instances; /* det_instance *, loading ones included */
    guint64 tick;
    int users;         /* gatecv_models borrowing the cache */
    gatecv_det_cache_stats stats; /* cost_px: the instances' costs, loading ones included */
};

/* Detector instances the calling thread holds, over all caches: at most one, so that a
 * thread never waits while it holds one (see gatecv_det_cache_acquire). */
static _Thread_local int held_here;

static gint64 instance_cost(int width, int height)
{
    return (gint64)width * height + GATECV_DET_INSTANCE_PX;
}

gint64 gatecv_det_budget_default(void)
{
    const char *env = g_getenv("GATECV_DET_BUDGET");
    double mpx = env ? g_ascii_strtod(env, NULL) : 0;
    if (mpx > 0 && mpx < 1000)
        return (gint64)(mpx * 1024 * 1024);
    return GATECV_DET_BUDGET_PX;
}

/* Adds an instance (the lock held); held by the calling thread when `net` is NULL (a
 * reservation its loader fills in). */
static det_instance *add_instance(gatecv_det_cache *c, int width, int height, gcv_net *net)
{
    det_instance *d = g_new0(det_instance, 1);
    *d = (det_instance){width, height, net, net ? NULL : g_thread_self(), ++c->tick};
    g_ptr_array_add(c->instances, d);
    c->stats.instances++;
    c->stats.cost_px += instance_cost(width, height);
    c->stats.peak_cost_px = MAX(c->stats.peak_cost_px, c->stats.cost_px);
    return d;
}

static det_instance *instance_at(const gatecv_det_cache *c, guint i)
{
    return g_ptr_array_index(c->instances, i);
}

/* Removes and frees instance d (the lock held). Its net is freed under the lock: a few
 * milliseconds, and the cost stays exact for the other threads. */
static void remove_instance(gatecv_det_cache *c, det_instance *d)
{
    c->stats.instances--;
    c->stats.cost_px -= instance_cost(d->width, d->height);
    g_assert(c->stats.instances >= 0 && c->stats.cost_px >= 0);
    gboolean found = g_ptr_array_remove_fast(c->instances, d);
    g_assert(found);
    gcv_net_free(d->net);
    g_free(d);
}

/* The idle instance used least recently, or NULL (the lock held). */
static det_instance *least_recent_idle(const gatecv_det_cache *c)
{
    det_instance *lru = NULL;
    for (guint i = 0; i < c->instances->len; i++) {
        det_instance *d = instance_at(c, i);
        if (!d->holder && (!lru || d->last_used < lru->last_used))
            lru = d;
    }
    return lru;
}

/* The cost of the instances no thread holds (the lock held). */
static gint64 idle_cost(const gatecv_det_cache *c)
{
    gint64 cost = 0;
    for (guint i = 0; i < c->instances->len; i++) {
        const det_instance *d = instance_at(c, i);
        cost += d->holder ? 0 : instance_cost(d->width, d->height);
    }
    return cost;
}

/* Makes room for `need` more within the budget by freeing idle instances, least recently
 * used first; frees none when even all of them would not make room (the lock held).
 * Returns whether it fits. Busy instances are never evicted: their holder is using them. */
static bool evict_for(gatecv_det_cache *c, gint64 need)
{
    if (c->stats.cost_px - idle_cost(c) + need > c->budget)
        return false;
    while (c->stats.cost_px + need > c->budget) {
        det_instance *lru = least_recent_idle(c);
        g_assert(lru);
        remove_instance(c, lru);
        c->stats.evictions++;
    }
    return true;
}

/* What acquire does for a size, decided under the lock. */
typedef enum { TAKE, LOAD, DUPLICATE, WAIT } det_plan;

static det_plan plan_for(gatecv_det_cache *c, int width, int height, det_instance **idle)
{
    bool busy_same = false, busy_any = false;
    for (guint i = 0; i < c->instances->len; i++) {
        det_instance *d = instance_at(c, i);
        busy_any |= d->holder != NULL;
        if (d->width != width || d->height != height)
            continue;
        if (!d->holder) {
            *idle = d;
            return TAKE;
        }
        busy_same = true;
    }
    /* A size whose instances are all busy gets another when the budget has room for it,
     * idle ones evicted if need be, as a new size does: loading takes about 30 ms, while
     * waiting for the other thread's pass takes up to a whole pass (100-300 ms), and the
     * budget bounds the memory either way. */
    if (evict_for(c, instance_cost(width, height)))
        return busy_same ? DUPLICATE : LOAD;
    /* No room even with every idle instance gone: wait for a busy one, unless there is
     * none (this size alone is larger than the budget: it must still be read). */
    return busy_any ? WAIT : LOAD;
}

/* Loads the net of reservation d outside the lock (a load takes tens of ms); on failure
 * drops the reservation. */
static gcv_net *fill_reservation(gatecv_det_cache *c, det_instance *d, GError **error)
{
    double ms = 0;
    gcv_net *net = load_net(c->path, &ms, error);
    g_mutex_lock(&c->lock);
    if (net) {
        d->net = net;
    } else {
        remove_instance(c, d);
        g_cond_broadcast(&c->released); /* its cost is free again */
    }
    g_mutex_unlock(&c->lock);
    return net;
}

/* An evicted instance's feature maps go back to malloc, which keeps most of them (tens
 * of MB an instance, in the arena of the thread that ran its first pass) for reuse; the
 * next instance has another size and seldom fits them. Trimming hands them back to the
 * system, so the budget bounds the resident memory, not only the live one. A few ms, and
 * only after an eviction; outside the lock. */
static void return_freed_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

gcv_net *gatecv_det_cache_acquire(gatecv_det_cache *c, int width, int height, GError **error)
{
    g_assert(held_here == 0); /* one at a time: see models.h */
    g_mutex_lock(&c->lock);
    c->stats.acquires++;
    guint64 evictions_before = c->stats.evictions;
    det_instance *d = NULL;
    det_plan plan;
    bool waited = false;
    while ((plan = plan_for(c, width, height, &d)) == WAIT) {
        c->stats.waits += !waited; /* counted as it starts: a test can see it waiting */
        waited = true;
        g_cond_wait(&c->released, &c->lock);
    }
    if (plan == TAKE) {
        g_assert(d->holder == NULL && d->net);
        d->holder = g_thread_self();
        d->last_used = ++c->tick;
        g_mutex_unlock(&c->lock);
        held_here++;
        return d->net;
    }
    c->stats.duplicates += plan == DUPLICATE;
    c->stats.loads++;
    d = add_instance(c, width, height, NULL);
    bool evicted = c->stats.evictions != evictions_before;
    g_mutex_unlock(&c->lock);
    if (evicted)
        return_freed_memory();
    gcv_net *net = fill_reservation(c, d, error);
    held_here += net != NULL;
    return net;
}

void gatecv_det_cache_release(gatecv_det_cache *c, gcv_net *net)
{
    g_assert(net); /* a reservation's NULL net is not a held instance */
    g_mutex_lock(&c->lock);
    det_instance *d = NULL;
    for (guint i = 0; i < c->instances->len && !d; i++)
        if (instance_at(c, i)->net == net)
            d = instance_at(c, i);
    g_assert(d && d->holder == g_thread_self());
    d->holder = NULL;
    held_here--;
    g_cond_broadcast(&c->released);
    g_mutex_unlock(&c->lock);
}

gatecv_det_cache *gatecv_det_cache_new(const char *det_path, gint64 budget_px, GError **error)
{
    double ms = 0;
    gcv_net *net = load_net(det_path, &ms, error);
    const int in[4] = {1, 3, 96, 64};
    const int want[4] = {1, 1, 96, 64};
    if (!net || !check_shapes(net, det_path, in, want, 4, error)) {
        gcv_net_free(net);
        return NULL;
    }
    gatecv_det_cache *c = g_new0(gatecv_det_cache, 1);
    c->path = g_strdup(det_path);
    c->budget = budget_px;
    g_mutex_init(&c->lock);
    g_cond_init(&c->released);
    c->instances = g_ptr_array_new();
    c->stats.load_ms = ms;
    c->stats.loads = 1;
    add_instance(c, 64, 96, net); /* the checked one: a small input's instance */
    return c;
}

void gatecv_det_cache_free(gatecv_det_cache *c)
{
    if (!c)
        return;
    g_assert(c->users == 0);
    while (c->instances->len) {
        g_assert(instance_at(c, 0)->holder == NULL);
        remove_instance(c, instance_at(c, 0));
    }
    g_ptr_array_free(c->instances, TRUE);
    g_mutex_clear(&c->lock);
    g_cond_clear(&c->released);
    g_free(c->path);
    g_free(c);
}

void gatecv_det_cache_get_stats(gatecv_det_cache *c, gatecv_det_cache_stats *stats)
{
    g_mutex_lock(&c->lock);
    *stats = c->stats;
    g_mutex_unlock(&c->lock);
}

/* ---- the models ---------------------------------------------------------------- */

/* The models' detector cache: `shared`, borrowed, or with NULL one of their own. */
static gboolean attach_detector(gatecv_models *m, gatecv_det_cache *shared, GError **error)
{
    if (shared) {
        g_mutex_lock(&shared->lock);
        shared->users++;
        g_mutex_unlock(&shared->lock);
        m->det = shared;
        m->det_shared = TRUE;
        return TRUE;
    }
    gchar *det_path = g_build_filename(m->dir, "det.onnx", NULL);
    m->det = gatecv_det_cache_new(det_path, gatecv_det_budget_default(), error);
    g_free(det_path);
    if (m->det)
        m->det_load_ms = m->det->stats.load_ms;
    return m->det != NULL;
}

/* Loads the character list, the detector (`shared`, or a cache of the models' own) and
 * the recognisers, in that order (the first missing file is the one named). */
static gatecv_models *load_with(const char *dir, gatecv_det_cache *shared, GError **error)
{
    gatecv_models *m = g_new0(gatecv_models, 1);
    m->dir = g_strdup(dir);
    m->rec_locks = g_new0(GMutex, 1 + GATECV_REC_N_NARROW);
    for (int i = 0; i < 1 + GATECV_REC_N_NARROW; i++)
        g_mutex_init(&m->rec_locks[i]);
    gchar *rec_path = g_build_filename(dir, "rec.onnx", NULL);
    gchar *keys_path = g_build_filename(dir, "keys.txt", NULL);
    gboolean ok = FALSE;

    if (!load_charset(m, keys_path, error) || !attach_detector(m, shared, error))
        goto out;
    if (!(m->rec = load_net(rec_path, &m->rec_load_ms, error)))
        goto out;
    const int rec_in[4] = {1, 3, GATECV_REC_HEIGHT, GATECV_REC_WIDTH};
    const int rec_want[3] = {1, GATECV_REC_STEPS, m->n_classes};
    if (!check_shapes(m->rec, rec_path, rec_in, rec_want, 3, error))
        goto out;
    ok = load_narrow_recognisers(m, dir, error);
out:
    g_free(rec_path);
    g_free(keys_path);
    if (!ok) {
        gatecv_models_free(m);
        return NULL;
    }
    return m;
}

gatecv_models *gatecv_models_load(const char *dir, GError **error)
{
    return load_with(dir, NULL, error);
}

gatecv_models *gatecv_models_load_shared(const char *dir, gatecv_det_cache *cache,
                                         GError **error)
{
    g_assert(cache);
    return load_with(dir, cache, error);
}

void gatecv_models_free(gatecv_models *m)
{
    if (!m)
        return;
    if (m->det_shared) {
        g_mutex_lock(&m->det->lock);
        m->det->users--;
        g_mutex_unlock(&m->det->lock);
    } else {
        gatecv_det_cache_free(m->det); /* NULL when loading failed before it */
    }
    gcv_net_free(m->rec);
    for (int i = 0; i < GATECV_REC_N_NARROW; i++)
        gcv_net_free(m->rec_narrow[i]);
    for (int i = 0; i < 1 + GATECV_REC_N_NARROW; i++)
        g_mutex_clear(&m->rec_locks[i]);
    g_free(m->rec_locks);
    g_strfreev(m->charset);
    g_free(m->dir);
    g_free(m);
}

gcv_net *gatecv_models_recogniser(const gatecv_models *m, int width, int *net_width)
{
    for (int i = 0; i < GATECV_REC_N_NARROW; i++)
        if (m->rec_narrow[i] && width <= m->rec_narrow_width[i]) {
            *net_width = m->rec_narrow_width[i];
            return m->rec_narrow[i];
        }
    *net_width = GATECV_REC_WIDTH;
    return m->rec;
}

/* The lock of one of the models' recognisers. */
static GMutex *recogniser_lock(const gatecv_models *m, const gcv_net *net)
{
    for (int i = 0; i < GATECV_REC_N_NARROW; i++)
        if (net == m->rec_narrow[i])
            return &m->rec_locks[1 + i];
    g_assert(net == m->rec);
    return &m->rec_locks[0];
}

void gatecv_models_recogniser_hold(const gatecv_models *m, gcv_net *net)
{
    g_mutex_lock(recogniser_lock(m, net));
}

void gatecv_models_recogniser_release(const gatecv_models *m, gcv_net *net)
{
    g_mutex_unlock(recogniser_lock(m, net));
}
