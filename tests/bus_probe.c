/*
 * bus_probe — a test tool: sends one raw frame to a gatecv request endpoint (docs/bus.md)
 * and prints every message that comes back, so tests can send what gatecv-sub never would
 * (malformed JSON, unknown requests, oversized frames).
 *
 *   bus_probe ENDPOINT FILE [SERVER_PUBLIC_CERT CLIENT_CERT]
 *
 * FILE is sent as the one request frame. Each message received is printed
 * as one line, `KIND<TAB>JSON` (KIND = the first frame: reply, or the crossing topic's
 * first word "crossing"), followed for an event by ` +N` when N evidence frames came with
 * it. Stops after the `reply` message. Exit 0 when a reply came, 1 after 5 s without one,
 * 2 on bad usage.
 */
#include <stdio.h>
#include <string.h>

#include <czmq.h>
#include <glib.h>

static zsock_t *connect_dealer(const char *endpoint, const char *server_cert,
                               const char *client_cert)
{
    zsock_t *s = zsock_new(ZMQ_DEALER);
    zsock_set_linger(s, 0);
    if (server_cert) {
        zcert_t *server = zcert_load(server_cert), *client = zcert_load(client_cert);
        if (!server || !client) {
            fprintf(stderr, "bus_probe: cannot load %s or %s\n", server_cert, client_cert);
            exit(2);
        }
        zcert_apply(client, s);
        zsock_set_curve_serverkey(s, zcert_public_txt(server));
        zcert_destroy(&server);
        zcert_destroy(&client);
    }
    if (zsock_connect(s, "%s", endpoint) != 0) {
        fprintf(stderr, "bus_probe: cannot connect to %s\n", endpoint);
        exit(2);
    }
    return s;
}

/* Prints one received message; TRUE when it was the reply. */
static gboolean print_message(zmsg_t *msg)
{
    char *kind = zmsg_popstr(msg);
    char *json = zmsg_popstr(msg);
    gboolean reply = kind && strcmp(kind, "reply") == 0;
    const char *label =
        reply ? "reply" : (kind && g_str_has_prefix(kind, "crossing.") ? "crossing" : kind);
    printf("%s\t%s", label ? label : "?", json ? json : "");
    if (!reply)
        printf(" +%zu", zmsg_size(msg));
    printf("\n");
    zstr_free(&kind);
    zstr_free(&json);
    return reply;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: bus_probe ENDPOINT FILE [SERVER_PUBLIC_CERT CLIENT_CERT]\n");
        return 2;
    }
    zsys_handler_set(NULL);
    gchar *body = NULL;
    gsize size = 0;
    GError *error = NULL;
    if (!g_file_get_contents(argv[2], &body, &size, &error)) {
        fprintf(stderr, "bus_probe: %s\n", error->message);
        g_error_free(error);
        return 2;
    }
    zsock_t *s = connect_dealer(argv[1], argc == 5 ? argv[3] : NULL, argc == 5 ? argv[4] : NULL);
    zframe_t *frame = zframe_new(body, size);
    zframe_send(&frame, s, 0);
    g_free(body);
    zpoller_t *poller = zpoller_new(s, NULL);
    int status = 1;
    while (zpoller_wait(poller, 5000)) {
        zmsg_t *msg = zmsg_recv(s);
        gboolean reply = msg && print_message(msg);
        zmsg_destroy(&msg);
        if (reply) {
            status = 0;
            break;
        }
    }
    fflush(stdout);
    zpoller_destroy(&poller);
    zsock_destroy(&s);
    return status;
}
