/*
 * event_bus.h — the box's side of the event bus (docs/bus.md): a ZeroMQ PUB socket that
 * sends every journaled crossing and a health message every few seconds (and at once when
 * the daemon asks: a camera went down or came up), and a ROUTER
 * socket that answers requests (fetch from a seq, acknowledge, status, manifest).
 * CurveZMQ with czmq's ZAP handler (zauth) when keys are configured.
 *
 * The bus runs in a thread of its own (a czmq actor) and owns its sockets. A new event is
 * published from the parts the journal has just made durable (the same bytes, not read
 * back: a fetch reads the journal, live publishing never waits for it). It
 * knows nothing of cameras or OpenCV: the daemon fills the health message's camera list
 * and its own alarms through callbacks.
 */
#ifndef GATECV_EVENT_BUS_H
#define GATECV_EVENT_BUS_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "journal.h"
#include "manifest.h"

#define EVENT_BUS_ERROR (event_bus_error_quark())
GQuark event_bus_error_quark(void);

/* Adds the health message's "cameras" array's elements ({name, role, up, fps}) to `b`,
 * which is inside that array. Called on the bus thread. */
typedef void (*event_bus_cameras_fn)(JsonBuilder *b, void *user);
/* Adds the daemon's own alarms (strings, e.g. camera_down:NAME) to the health message's
 * "alarms" array, after the journal's. Called on the bus thread. */
typedef void (*event_bus_alarms_fn)(JsonBuilder *b, void *user);

/* A "trigger" request: the lane's presence sensor says a vehicle is present (or the line is
 * free) at at_us (µs since 1970 UTC; 0: now). Called on the bus thread. FALSE + *why
 * (g_free'd) for the error reply. */
typedef gboolean (*event_bus_trigger_fn)(gboolean present, gint64 at_us, void *user, char **why);

typedef struct {
    const char *gate, *lane;
    const char *publish;      /* PUB endpoint, e.g. tcp://0.0.0.0:7700 */
    const char *request;      /* ROUTER endpoint, e.g. tcp://0.0.0.0:7701 */
    const char *server_key;   /* the box's secret certificate; NULL: plain TCP */
    const char *allowed_keys; /* folder of the allowed clients' public certificates */
    int health_interval_ms;
    int max_fetch;             /* events one fetch returns at most */
    int max_request_bytes;     /* a larger request gets an error reply */
    const char *manifest_path; /* where a pushed manifest is saved (may be NULL) */
    event_bus_cameras_fn cameras;
    event_bus_alarms_fn alarms; /* may be NULL */
    void *cameras_user;         /* for both */
    event_bus_trigger_fn trigger; /* NULL: trigger requests get an error reply */
    void *trigger_user;
} event_bus_options;

typedef struct event_bus event_bus;

/* Binds both sockets (and starts the ZAP handler with keys). NULL + an error naming the
 * endpoint or key file when it cannot. The journal and manifest are the caller's and
 * must outlive the bus. */
event_bus *event_bus_new(const event_bus_options *options, journal *events, manifest *expected,
                         GError **error);

/* Publish the event `seq` that journal_append has just made durable from these parts
 * (the JSON, then the JPEGs; copied). Any thread. */
void event_bus_publish(event_bus *bus, guint64 seq, const journal_part *parts, guint n_parts);

/* Sends a health message now rather than at the end of the interval (a camera went down or
 * came up); the next one follows a whole interval later. Any thread. */
void event_bus_health_now(event_bus *bus);

/* Stops the thread after it has sent what it was told to, and closes the sockets. */
void event_bus_free(event_bus *bus);

#endif
