/* sub_sockets — the SUB and DEALER sockets and their keys (see sub_sockets.h). */
#include "sub_sockets.h"

#include <errno.h>
#include <string.h>

/* zcert_load leaves the secret key zero when the file has none (a public certificate). */
static const char zero_key_z85[] = "0000000000000000000000000000000000000000";

/* TRUE when the file has a czmq `public-key = "<40 characters>"` line. Checked before
 * zcert_load, whose parser prints to stderr (and leaks) on a file that is no certificate. */
static gboolean looks_like_cert(const char *path)
{
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return FALSE;
    gboolean found = FALSE;
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && !found; l++) {
        const char *p = *l + strspn(*l, " \t");
        found = g_str_has_prefix(p, "public-key = \"") && strlen(p) >= 55 && p[54] == '"';
    }
    g_strfreev(lines);
    g_free(text);
    return found;
}

static zcert_t *load_cert(const char *option, const char *path, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "%s %s: no such file", option, path);
        return NULL;
    }
    zcert_t *cert = looks_like_cert(path) ? zcert_load(path) : NULL;
    if (!cert)
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE,
                    "%s %s: not a czmq certificate (make one with gatecv-keygen)", option, path);
    return cert;
}

gboolean sub_keys_load(const sub_options *opts, sub_keys *keys, GError **error)
{
    memset(keys, 0, sizeof *keys);
    if (!opts->key)
        return TRUE;
    zcert_t *server = load_cert("--server-key", opts->server_key, error);
    if (!server)
        return FALSE;
    keys->server_public = g_strdup(zcert_public_txt(server));
    zcert_destroy(&server);
    keys->client = load_cert("--key", opts->key, error);
    if (keys->client && strcmp(zcert_secret_txt(keys->client), zero_key_z85) == 0) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE,
                    "--key %s: no secret key in it (give NAME.key_secret, not NAME.key)",
                    opts->key);
        zcert_destroy(&keys->client);
    }
    if (!keys->client)
        g_clear_pointer(&keys->server_public, g_free);
    return keys->client != NULL;
}

void sub_keys_clear(sub_keys *keys)
{
    zcert_destroy(&keys->client);
    g_clear_pointer(&keys->server_public, g_free);
}

/* A socket of `type`, a CURVE client when there are keys, connected to `endpoint`. */
static zsock_t *open_socket(int type, const char *option, const char *endpoint,
                            const sub_keys *keys, const char **subscriptions, GError **error)
{
    zsock_t *sock = zsock_new(type);
    if (!sock) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "could not make a ZeroMQ socket: %s",
                    zmq_strerror(errno));
        return NULL;
    }
    if (keys->client) {
        zcert_apply(keys->client, sock);
        zsock_set_curve_serverkey(sock, keys->server_public);
    }
    for (int i = 0; subscriptions && subscriptions[i]; i++)
        zsock_set_subscribe(sock, subscriptions[i]);
    if (zsock_connect(sock, "%s", endpoint) != 0) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "%s %s: cannot connect: %s", option, endpoint,
                    zmq_strerror(errno));
        zsock_destroy(&sock);
    }
    return sock;
}

zsock_t *sub_sockets_subscriber(const sub_options *opts, const sub_keys *keys, GError **error)
{
    /* Topics are prefixes: "crossing.G.L" would also take lane "L2"; sub_session compares
     * the whole topic of each message. */
    char *crossing = g_strconcat("crossing.", opts->topic ? opts->topic : "", NULL);
    char *health = g_strconcat("health.", opts->topic ? opts->topic : "", NULL);
    const char *subscriptions[] = {crossing, opts->health ? health : NULL, NULL};
    zsock_t *sock = open_socket(ZMQ_SUB, "--connect", opts->connect, keys, subscriptions, error);
    g_free(health);
    g_free(crossing);
    return sock;
}

zsock_t *sub_sockets_dealer(const sub_options *opts, const sub_keys *keys, GError **error)
{
    return open_socket(ZMQ_DEALER, "--request", opts->request, keys, NULL, error);
}
