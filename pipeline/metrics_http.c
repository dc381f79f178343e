/*
 * metrics_http.c — the /metrics and /healthz endpoints on a SoupServer (see
 * metrics_http.h). Owns the server; borrows the registry.
 */
#define G_LOG_DOMAIN "gatecv-metrics"
#include "metrics_http.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

struct metrics_http {
    metrics_http_options opts;
    SoupServer *server;
};

char *metrics_http_address(const char *host, int port)
{
    return strchr(host, ':') ? g_strdup_printf("[%s]:%d", host, port)
                             : g_strdup_printf("%s:%d", host, port);
}

/* Only GET (and HEAD, whose body libsoup leaves out) of the handler's own path read anything
 * here: a handler also gets the paths below its own. */
static gboolean method_allowed(SoupServerMessage *msg, const char *path, const char *own)
{
    if (strcmp(path, own) != 0) {
        soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
        return FALSE;
    }
    const char *method = soup_server_message_get_method(msg);
    if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        return TRUE;
    soup_message_headers_append(soup_server_message_get_response_headers(msg), "Allow",
                                "GET, HEAD");
    soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return FALSE;
}

static void on_metrics(SoupServer *server, SoupServerMessage *msg, const char *path,
                       GHashTable *query, gpointer user)
{
    (void)server, (void)query;
    metrics_http *h = user;
    if (!method_allowed(msg, path, "/metrics"))
        return;
    if (h->opts.collect)
        h->opts.collect(h->opts.registry, h->opts.user);
    char *text = metrics_render(h->opts.registry);
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response(msg, METRICS_CONTENT_TYPE, SOUP_MEMORY_TAKE, text,
                                     strlen(text));
}

static void on_healthz(SoupServer *server, SoupServerMessage *msg, const char *path,
                       GHashTable *query, gpointer user)
{
    (void)server, (void)query;
    metrics_http *h = user;
    if (!method_allowed(msg, path, "/healthz"))
        return;
    GString *body = g_string_new(NULL);
    gboolean ok = h->opts.health(body, h->opts.user);
    g_string_append_c(body, '\n');
    soup_server_message_set_status(msg, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
                                   NULL);
    gsize len = body->len;
    soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_TAKE,
                                     g_string_free(body, FALSE), len);
}

metrics_http *metrics_http_new(const metrics_http_options *o, GError **error)
{
    g_return_val_if_fail(o->host && o->registry && o->health, NULL);
    char *where = metrics_http_address(o->host, o->port);
    GSocketAddress *address = g_inet_socket_address_new_from_string(o->host, (guint)o->port);
    if (!address || o->port < 1 || o->port > 65535) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "metrics: %s is not an IP address and port", where);
        g_clear_object(&address);
        g_free(where);
        return NULL;
    }
    metrics_http *h = g_new0(metrics_http, 1);
    h->opts = *o;
    h->server = soup_server_new("server-header", "gatecvd", NULL);
    soup_server_add_handler(h->server, "/metrics", on_metrics, h, NULL);
    soup_server_add_handler(h->server, "/healthz", on_healthz, h, NULL);
    GError *e = NULL;
    if (!soup_server_listen(h->server, address, 0, &e)) {
        g_set_error(error, G_IO_ERROR, e->code, "metrics: cannot listen on %s: %s", where,
                    e->message);
        g_error_free(e);
        metrics_http_free(h);
        h = NULL;
    }
    g_object_unref(address);
    g_free(where);
    return h;
}

void metrics_http_free(metrics_http *h)
{
    if (!h)
        return;
    soup_server_disconnect(h->server);
    g_object_unref(h->server);
    g_free(h);
}
