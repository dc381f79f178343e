/*
 * test_det_cache.c — pins the shared detector cache (models.h): threads detecting at one
 * size share one instance and get the single-threaded result; the budget evicts idle
 * instances only, least recently used first, a busy size is duplicated when there is
 * room, and a thread over budget waits for a busy instance rather than evict it; no
 * instance is ever used by two threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models.h"
#include "text_detect.h"

/* What the budget charges an instance of width x height (see models.h). */
#define COST(w, h) ((gint64)(w) * (h) + GATECV_DET_INSTANCE_PX)
/* The instance gatecv_det_cache_new loads and checks: a 64x96 input's. */
#define CHECK_COST COST(64, 96)

static gchar *det_path;

static int setup(void **state)
{
    (void)state;
    det_path = g_build_filename(gatecv_model_dir(NULL), "det.onnx", NULL);
    return g_file_test(det_path, G_FILE_TEST_EXISTS) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    g_free(det_path);
    return 0;
}

static gatecv_det_cache *cache_new(gint64 budget)
{
    GError *error = NULL;
    gatecv_det_cache *c = gatecv_det_cache_new(det_path, budget, &error);
    if (!c)
        fail_msg("%s", error->message);
    return c;
}

static gatecv_det_cache_stats stats_of(gatecv_det_cache *c)
{
    gatecv_det_cache_stats st;
    gatecv_det_cache_get_stats(c, &st);
    return st;
}

/* ---- two threads, one instance, the single-threaded result ------------------- */

/* Black text drawn on a white 640x384 image. */
static gcv_image *drawn_text(void)
{
    gcv_image *img = gcv_image_new(640, 384, 3);
    gcv_fill_rect(img, 0, 0, 640, 384, 255, 255, 255);
    gcv_font *font = gcv_font_load("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    assert_non_null(font);
    assert_int_equal(gcv_font_draw(font, img, "51F-446.14", 80, 120, 40, 0, 0, 0), 0);
    assert_int_equal(gcv_font_draw(font, img, "MSKU 123456 5", 200, 260, 32, 0, 0, 0), 0);
    gcv_font_free(font);
    return img;
}

typedef struct {
    gatecv_models *models;
    const gcv_image *img;
    int n;            /* boxes of the last pass */
    text_box *boxes;  /* of the last pass */
    bool same;        /* every pass gave what the first did */
} detect_job;

#define PASSES 4

/* One full-scale pass (one canvas size) PASSES times; the boxes must not change. */
static gpointer detect_thread(gpointer data)
{
    detect_job *j = data;
    text_detect_params p;
    text_detect_params_default(&p);
    p.coarse_side = 0;
    j->same = true;
    for (int k = 0; k < PASSES; k++) {
        text_box *boxes = NULL;
        int n = text_detect(j->models, j->img, &p, &boxes, NULL);
        if (k > 0 && (n != j->n || memcmp(boxes, j->boxes, sizeof *boxes * (size_t)n) != 0))
            j->same = false;
        g_free(j->boxes);
        j->boxes = boxes, j->n = n;
    }
    return NULL;
}

/* Two threads, each with its own models borrowing one cache, detect at one size: one
 * instance serves both (a budget with no room for a second), and both get exactly the
 * boxes of a thread alone with models of its own. */
static void test_threads_share_one_instance(void **state)
{
    (void)state;
    gcv_image *img = drawn_text();
    GError *error = NULL;
    /* alone */
    gatecv_models *own = gatecv_models_load(gatecv_model_dir(NULL), &error);
    assert_non_null(own);
    detect_job alone = {own, img, 0, NULL, false};
    detect_thread(&alone);
    assert_true(alone.n > 0);
    assert_true(alone.same);
    /* shared: the canvas (960x576 and margins, rounded: 1024x640) fits once, not twice */
    gatecv_det_cache *c = cache_new(CHECK_COST + COST(1024, 640) + COST(1024, 640) / 2);
    detect_job jobs[2];
    GThread *threads[2];
    for (int i = 0; i < 2; i++) {
        gatecv_models *m = gatecv_models_load_shared(gatecv_model_dir(NULL), c, &error);
        assert_non_null(m);
        assert_ptr_equal(m->det, c);
        jobs[i] = (detect_job){m, img, 0, NULL, false};
    }
    for (int i = 0; i < 2; i++)
        threads[i] = g_thread_new("detect", detect_thread, &jobs[i]);
    for (int i = 0; i < 2; i++)
        g_thread_join(threads[i]);
    gatecv_det_cache_stats st = stats_of(c);
    assert_int_equal(st.acquires, 2 * PASSES);
    assert_int_equal(st.loads, 2); /* the checked 64x96 one, and the canvas's */
    assert_int_equal(st.duplicates, 0);
    assert_int_equal(st.evictions, 0);
    for (int i = 0; i < 2; i++) {
        assert_true(jobs[i].same);
        assert_int_equal(jobs[i].n, alone.n);
        assert_memory_equal(jobs[i].boxes, alone.boxes, sizeof(text_box) * (size_t)alone.n);
        g_free(jobs[i].boxes);
        gatecv_models_free(jobs[i].models);
    }
    gatecv_det_cache_free(c);
    g_free(alone.boxes);
    gatecv_models_free(own);
    gcv_image_free(img);
}

/* ---- the budget ---------------------------------------------------------------- */

/* A thread that acquires a size, says so, and releases it when told. */
typedef struct {
    gatecv_det_cache *cache;
    int width, height;
    gcv_net *net;
    GAsyncQueue *held, *go;
    GThread *thread;
} holder;

static gpointer holder_main(gpointer data)
{
    holder *h = data;
    h->net = gatecv_det_cache_acquire(h->cache, h->width, h->height, NULL);
    g_async_queue_push(h->held, h);
    g_async_queue_pop(h->go);
    if (h->net)
        gatecv_det_cache_release(h->cache, h->net);
    return NULL;
}

static void holder_start(holder *h, gatecv_det_cache *c, int width, int height)
{
    *h = (holder){c, width, height, NULL, g_async_queue_new(), g_async_queue_new(), NULL};
    h->thread = g_thread_new("holder", holder_main, h);
}

/* Waits until the holder holds its instance (or failed to get it). */
static void holder_wait_held(holder *h)
{
    g_async_queue_pop(h->held);
    assert_non_null(h->net);
}

static void holder_finish(holder *h)
{
    g_async_queue_push(h->go, h);
    g_thread_join(h->thread);
    g_async_queue_unref(h->held);
    g_async_queue_unref(h->go);
}

/* Acquires and at once releases a size in the calling thread. */
static void use_once(gatecv_det_cache *c, int width, int height)
{
    gcv_net *net = gatecv_det_cache_acquire(c, width, height, NULL);
    assert_non_null(net);
    gatecv_det_cache_release(c, net);
}

/* With room for two 256x128 instances: a new size evicts the idle ones, least recently
 * used first, never the one another thread holds. */
static void test_budget_evicts_idle_only(void **state)
{
    (void)state;
    gatecv_det_cache *c = cache_new(2 * COST(256, 128));
    holder a;
    holder_start(&a, c, 256, 128); /* held from here on */
    holder_wait_held(&a);
    assert_int_equal(stats_of(c).evictions, 0); /* the checked instance and A fit */

    use_once(c, 128, 256); /* B: the idle checked instance goes, A stays */
    gatecv_det_cache_stats st = stats_of(c);
    assert_int_equal(st.evictions, 1);
    assert_int_equal(st.instances, 2);
    assert_int_equal(st.cost_px, 2 * COST(256, 128));

    use_once(c, 192, 160); /* C, as costly: B is the only idle one */
    st = stats_of(c);
    assert_int_equal(st.evictions, 2);
    assert_int_equal(st.instances, 2);
    assert_int_equal(st.loads, 4);

    holder_finish(&a); /* A idle again, and still cached */
    use_once(c, 256, 128);
    assert_int_equal(stats_of(c).loads, 4);
    use_once(c, 192, 160);
    assert_int_equal(stats_of(c).loads, 4);
    /* B again: the least recently used (A) goes, C stays */
    use_once(c, 128, 256);
    use_once(c, 192, 160);
    st = stats_of(c);
    assert_int_equal(st.loads, 5);
    assert_int_equal(st.evictions, 3);
    assert_true(st.peak_cost_px <= 2 * COST(256, 128));
    gatecv_det_cache_free(c);
}

typedef struct {
    gatecv_det_cache *cache;
    volatile gint done;
} late_acquire;

static gpointer late_main(gpointer data)
{
    late_acquire *l = data;
    gcv_net *net = gatecv_det_cache_acquire(l->cache, 128, 256, NULL);
    g_assert(net);
    gatecv_det_cache_release(l->cache, net);
    g_atomic_int_set(&l->done, 1);
    return NULL;
}

/* A size already held by another thread gets a second instance, idle ones evicted for
 * it; with every instance busy and no room for another, a thread waits for a release,
 * then evicts the instance just released. The budget is never exceeded. */
static void test_budget_waits_for_busy(void **state)
{
    (void)state;
    gatecv_det_cache *c = cache_new(2 * COST(256, 128));
    holder a, b;
    holder_start(&a, c, 256, 128);
    holder_wait_held(&a);
    holder_start(&b, c, 256, 128); /* A busy: a duplicate, for which the checked one goes */
    holder_wait_held(&b);
    assert_ptr_not_equal(a.net, b.net);
    gatecv_det_cache_stats st = stats_of(c);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.evictions, 1);
    assert_int_equal(st.waits, 0);

    late_acquire late = {c, 0};
    GThread *t = g_thread_new("late", late_main, &late); /* no room, nothing idle: waits */
    g_usleep(300 * 1000);
    assert_int_equal(g_atomic_int_get(&late.done), 0);
    assert_int_equal(stats_of(c).waits, 1);
    holder_finish(&a); /* A's instance idle: the late thread evicts it */
    g_thread_join(t);
    assert_int_equal(g_atomic_int_get(&late.done), 1);
    st = stats_of(c);
    assert_int_equal(st.evictions, 2);
    assert_int_equal(st.instances, 2);
    assert_true(st.peak_cost_px <= 2 * COST(256, 128));
    holder_finish(&b);
    gatecv_det_cache_free(c);
}

/* ---- one thread at a time --------------------------------------------------------- */

typedef struct {
    gatecv_det_cache *cache;
    int n_sizes;        /* 1: 64x96 only; 2: 64x96 and 96x64 in turn */
    GMutex lock;
    GHashTable *in_use; /* gcv_net * -> threads using it now */
    int overlaps;       /* times a net was found in use by another thread */
} hammer;

#define HAMMER_ROUNDS 40

/* Acquires its sizes in turn, runs a pass on each, and counts any net found in use. */
static gpointer hammer_main(gpointer data)
{
    hammer *h = data;
    static const int sizes[2][2] = {{64, 96}, {96, 64}};
    for (int k = 0; k < HAMMER_ROUNDS; k++) {
        int w = sizes[k % h->n_sizes][0], ht = sizes[k % h->n_sizes][1];
        gcv_net *net = gatecv_det_cache_acquire(h->cache, w, ht, NULL);
        g_assert(net);
        g_mutex_lock(&h->lock);
        int users = GPOINTER_TO_INT(g_hash_table_lookup(h->in_use, net));
        h->overlaps += users > 0;
        g_hash_table_insert(h->in_use, net, GINT_TO_POINTER(users + 1));
        g_mutex_unlock(&h->lock);
        const int in[4] = {1, 3, ht, w};
        float *blob = g_new0(float, 3 * 64 * 96), *out = NULL;
        int shape[8], dims = 0;
        g_assert(gcv_net_forward(net, blob, in, &out, shape, &dims) == 0);
        g_assert(dims == 4 && shape[2] == ht && shape[3] == w);
        g_free(blob);
        free(out);
        g_mutex_lock(&h->lock);
        users = GPOINTER_TO_INT(g_hash_table_lookup(h->in_use, net));
        g_hash_table_insert(h->in_use, net, GINT_TO_POINTER(users - 1));
        g_mutex_unlock(&h->lock);
        gatecv_det_cache_release(h->cache, net);
    }
    return NULL;
}

/* Two hammering threads; returns the cache's figures and asserts no net was shared. */
static gatecv_det_cache_stats hammer_run(gint64 budget, int n_sizes)
{
    hammer h = {cache_new(budget), n_sizes, {0}, NULL, 0};
    g_mutex_init(&h.lock);
    h.in_use = g_hash_table_new(NULL, NULL);
    GThread *t1 = g_thread_new("hammer", hammer_main, &h);
    GThread *t2 = g_thread_new("hammer", hammer_main, &h);
    g_thread_join(t1);
    g_thread_join(t2);
    gatecv_det_cache_stats st = stats_of(h.cache);
    assert_int_equal(h.overlaps, 0);
    assert_int_equal(st.acquires, 2 * HAMMER_ROUNDS);
    assert_true(st.peak_cost_px <= budget);
    g_hash_table_destroy(h.in_use);
    g_mutex_clear(&h.lock);
    gatecv_det_cache_free(h.cache);
    return st;
}

/* Two threads hammering one size with room for one instance take turns on the checked
 * instance; with room for two of each of two sizes, they may get duplicates; either way
 * no net is ever used by both at once, and the budget holds. */
static void test_hammer_two_threads(void **state)
{
    (void)state;
    gatecv_det_cache_stats st = hammer_run(COST(64, 96), 1);
    assert_int_equal(st.loads, 1);
    assert_int_equal(st.duplicates, 0);
    st = hammer_run(2 * COST(64, 96) + 2 * COST(96, 64), 2);
    assert_true(st.loads >= 2 && st.loads <= 4);
    assert_int_equal(st.evictions, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_share_one_instance),
        cmocka_unit_test(test_budget_evicts_idle_only),
        cmocka_unit_test(test_budget_waits_for_busy),
        cmocka_unit_test(test_hammer_two_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
