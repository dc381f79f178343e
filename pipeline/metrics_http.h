/*
 * metrics_http.h — serves the metrics registry (metrics_text.h) over HTTP with libsoup-3's
 * SoupServer, on the GLib main context that is the thread's default when it is made (the
 * daemon's main loop): GET /metrics (Prometheus text 0.0.4) and GET /healthz (200 healthy,
 * 503 not, with a short JSON body). Any other path is 404, any other method 405.
 *
 * Handlers run on the main loop, one at a time; `collect` and `health` are called there.
 */
#ifndef GATECV_METRICS_HTTP_H
#define GATECV_METRICS_HTTP_H

#include <glib.h>

#include "metrics_text.h"

typedef struct {
    const char *host; /* an IP address: 127.0.0.1, ::1, 0.0.0.0 */
    int port;         /* 1..65535 */
    metrics_registry *registry; /* borrowed; outlives the server */
    /* Before each /metrics answer: copy into the registry what is counted elsewhere. */
    void (*collect)(metrics_registry *registry, void *user);
    /* Each /healthz: TRUE when healthy; appends its JSON body to `body`. */
    gboolean (*health)(GString *body, void *user);
    void *user;
} metrics_http_options;

typedef struct metrics_http metrics_http;

/* Listening when it returns; NULL + error naming the address and why (in use, not an
 * address of this machine, no permission). */
metrics_http *metrics_http_new(const metrics_http_options *o, GError **error);
void metrics_http_free(metrics_http *h);

/* "127.0.0.1:9464", "[::1]:9464" (g_free it). */
char *metrics_http_address(const char *host, int port);

#endif
