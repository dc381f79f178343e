/*
 * test_metrics_text.c — pins pipeline/metrics_text: the exact Prometheus text (0.0.4) of
 * counters, gauges and histograms: HELP and TYPE lines, label values escaped (backslash,
 * quote, newline) and HELP text escaped, numbers in their shortest form with +Inf / NaN,
 * histogram buckets cumulative with the +Inf bucket equal to the count, series in the order
 * they were made; and updates from several threads all counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "metrics_text.h"

#define LABELS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define VALUES(...) ((const char *const[]){__VA_ARGS__})

static void assert_text(metrics_registry *r, const char *want)
{
    char *got = metrics_render(r);
    if (strcmp(got, want) != 0)
        print_error("rendered:\n%s\nwanted:\n%s\n", got, want);
    assert_string_equal(got, want);
    g_free(got);
}

static void test_counter_and_gauge(void **state)
{
    (void)state;
    metrics_registry *r = metrics_registry_new();
    metrics_family *frames = metrics_register(r, METRICS_COUNTER, "gatecv_frames_total",
                                              "Frames decoded.", LABELS("camera"), NULL, 0);
    metrics_family *depth =
        metrics_register(r, METRICS_GAUGE, "gatecv_backlog", "Frames\\waiting\nnow.", NULL, NULL, 0);
    metrics_register(r, METRICS_GAUGE, "gatecv_unset", "No series yet.", NULL, NULL, 0);
    metrics_add(frames, VALUES("front"), 2);
    metrics_add(frames, VALUES("side-left"), 1);
    metrics_add(frames, VALUES("front"), 3);
    metrics_set(depth, NULL, 0.1);
    assert_text(r, "# HELP gatecv_frames_total Frames decoded.\n"
                   "# TYPE gatecv_frames_total counter\n"
                   "gatecv_frames_total{camera=\"front\"} 5\n"
                   "gatecv_frames_total{camera=\"side-left\"} 1\n"
                   "# HELP gatecv_backlog Frames\\\\waiting\\nnow.\n"
                   "# TYPE gatecv_backlog gauge\n"
                   "gatecv_backlog 0.1\n"
                   "# HELP gatecv_unset No series yet.\n"
                   "# TYPE gatecv_unset gauge\n");
    metrics_set(depth, NULL, NAN);
    metrics_set(frames, VALUES("front"), 123456789012.0);
    char *text = metrics_render(r);
    assert_non_null(strstr(text, "gatecv_backlog NaN\n"));
    assert_non_null(strstr(text, "gatecv_frames_total{camera=\"front\"} 123456789012\n"));
    g_free(text);
    metrics_registry_free(r);
}

/* A camera named with a quote, a backslash and a newline stays one well-formed line. */
static void test_label_escaping(void **state)
{
    (void)state;
    metrics_registry *r = metrics_registry_new();
    metrics_family *up = metrics_register(r, METRICS_GAUGE, "gatecv_camera_up", "1 up, 0 down.",
                                          LABELS("camera", "role"), NULL, 0);
    metrics_set(up, VALUES("gate \"A\"\\2\nx", "front"), 1);
    metrics_set(up, VALUES("rear", "rear"), 0);
    assert_text(r, "# HELP gatecv_camera_up 1 up, 0 down.\n"
                   "# TYPE gatecv_camera_up gauge\n"
                   "gatecv_camera_up{camera=\"gate \\\"A\\\"\\\\2\\nx\",role=\"front\"} 1\n"
                   "gatecv_camera_up{camera=\"rear\",role=\"rear\"} 0\n");
    metrics_registry_free(r);
}

static void test_histogram(void **state)
{
    (void)state;
    metrics_registry *r = metrics_registry_new();
    const double bounds[] = {0.125, 0.5, 2.5};
    metrics_family *lat = metrics_register(r, METRICS_HISTOGRAM, "gatecv_read_latency_seconds",
                                           "Frame to reads.", LABELS("camera"), bounds, 3);
    metrics_family *plain = metrics_register(r, METRICS_HISTOGRAM, "gatecv_publish_seconds",
                                             "Decision to publication.", NULL, bounds, 3);
    const double seen[] = {0.0625, 0.125, 0.25, 2, 7.5}; /* 0.125 sits on a bound: le holds it */
    for (size_t i = 0; i < G_N_ELEMENTS(seen); i++)
        metrics_observe(lat, VALUES("front"), seen[i]);
    metrics_observe(plain, NULL, 3);
    assert_text(r, "# HELP gatecv_read_latency_seconds Frame to reads.\n"
                   "# TYPE gatecv_read_latency_seconds histogram\n"
                   "gatecv_read_latency_seconds_bucket{camera=\"front\",le=\"0.125\"} 2\n"
                   "gatecv_read_latency_seconds_bucket{camera=\"front\",le=\"0.5\"} 3\n"
                   "gatecv_read_latency_seconds_bucket{camera=\"front\",le=\"2.5\"} 4\n"
                   "gatecv_read_latency_seconds_bucket{camera=\"front\",le=\"+Inf\"} 5\n"
                   "gatecv_read_latency_seconds_sum{camera=\"front\"} 9.9375\n"
                   "gatecv_read_latency_seconds_count{camera=\"front\"} 5\n"
                   "# HELP gatecv_publish_seconds Decision to publication.\n"
                   "# TYPE gatecv_publish_seconds histogram\n"
                   "gatecv_publish_seconds_bucket{le=\"0.125\"} 0\n"
                   "gatecv_publish_seconds_bucket{le=\"0.5\"} 0\n"
                   "gatecv_publish_seconds_bucket{le=\"2.5\"} 0\n"
                   "gatecv_publish_seconds_bucket{le=\"+Inf\"} 1\n"
                   "gatecv_publish_seconds_sum 3\n"
                   "gatecv_publish_seconds_count 1\n");
    metrics_registry_free(r);
}

#define THREADS 4
#define PER_THREAD 10000

static gpointer observe_many(gpointer data)
{
    metrics_family *f = data;
    for (int i = 0; i < PER_THREAD; i++)
        metrics_observe(f, VALUES(i % 2 ? "a" : "b"), 1.0);
    return NULL;
}

/* Reader threads observe while the HTTP thread renders: nothing is lost, and each
 * rendering's +Inf bucket equals its count. */
static void test_threads(void **state)
{
    (void)state;
    metrics_registry *r = metrics_registry_new();
    const double bounds[] = {0.5, 1};
    metrics_family *f =
        metrics_register(r, METRICS_HISTOGRAM, "h", "h", LABELS("camera"), bounds, 2);
    GThread *t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = g_thread_new("observe", observe_many, f);
    for (int k = 0; k < 50; k++) {
        char *text = metrics_render(r);
        for (const char *cam = "a"; cam; cam = *cam == 'a' ? "b" : NULL) {
            char *inf = g_strdup_printf("h_bucket{camera=\"%s\",le=\"+Inf\"} ", cam);
            char *count = g_strdup_printf("h_count{camera=\"%s\"} ", cam);
            const char *a = strstr(text, inf), *b = strstr(text, count);
            if (a && b)
                assert_int_equal(g_ascii_strtoull(a + strlen(inf), NULL, 10),
                                 g_ascii_strtoull(b + strlen(count), NULL, 10));
            g_free(inf);
            g_free(count);
        }
        g_free(text);
    }
    for (int i = 0; i < THREADS; i++)
        g_thread_join(t[i]);
    char *text = metrics_render(r);
    assert_non_null(strstr(text, "h_count{camera=\"a\"} 20000\n"));
    assert_non_null(strstr(text, "h_bucket{camera=\"b\",le=\"1\"} 20000\n"));
    assert_non_null(strstr(text, "h_sum{camera=\"b\"} 20000\n"));
    g_free(text);
    metrics_registry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_and_gauge),
        cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
