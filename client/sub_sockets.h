/* sub_sockets — gatecv-sub's two sockets: the SUB socket on the box's PUB endpoint and the
 * DEALER socket on its ROUTER endpoint, both CurveZMQ clients when keys are given. */
#ifndef GATECV_SUB_SOCKETS_H
#define GATECV_SUB_SOCKETS_H

#include "sub_options.h"

#include <czmq.h>

/* The CurveZMQ keys of a run: this client's certificate and the box's public key. */
typedef struct {
    zcert_t *client;     /* with its secret key */
    char *server_public; /* Z85 */
} sub_keys;

/* Loads --key and --server-key (both or neither, checked by sub_options). A missing or
 * unreadable file, or a --key without a secret key, is an error (SUB_EXIT_USAGE) naming it. */
gboolean sub_keys_load(const sub_options *opts, sub_keys *keys, GError **error);
void sub_keys_clear(sub_keys *keys);

/* A SUB socket connected to --connect, subscribed to crossings (of --topic's lane, or every
 * lane) and, with --health, health messages. */
zsock_t *sub_sockets_subscriber(const sub_options *opts, const sub_keys *keys, GError **error);

/* A DEALER socket connected to --request. */
zsock_t *sub_sockets_dealer(const sub_options *opts, const sub_keys *keys, GError **error);

#endif
