/* sub_options — gatecv-sub's command line (see sub_options.h). The --help text is the
 * operator's manual: keep it in step with what the code does. */
#include "sub_options.h"

#include <string.h>

G_DEFINE_QUARK(gatecv - sub - error, sub_error)

static const char summary[] =
    "Subscribes to a gatecv box's crossings (docs/bus.md), catches up on missed events by seq,\n"
    "checks every evidence JPEG against its SHA-256, and prints, saves and acknowledges them.\n"
    "\n"
    "  gatecv-sub --connect tcp://box:7700 --request tcp://box:7701 --cursor lane1.cursor\n"
    "  gatecv-sub --request tcp://box:7701 --status\n"
    "\n"
    "Catch-up: with --cursor (when the file exists) or --from-seq, events from that seq on are\n"
    "fetched from --request first; live ones are then handled in seq order, each once. A gap\n"
    "in the live seqs is fetched; events the box no longer holds end the run with exit 3.";

static const char description[] =
    "Output: one readable line per event, or with --json one line per document,\n"
    "KIND<TAB>JSON, KIND being crossing, health or reply.\n"
    "\n"
    "Exit codes: 0 ok; 1 an evidence checksum did not match or saving failed (the run went on);\n"
    "2 bad usage or configuration; 3 events the box no longer holds; 4 a request was answered\n"
    "with an error, or --status/--manifest got no reply. SIGINT and SIGTERM end the run\n"
    "between events (exit 0, or 1 if an evidence check failed before).";

/* GATE.LANE: two non-empty parts without wildcards or further dots, as in the topics. */
static gboolean valid_topic(const char *t)
{
    const char *dot = strchr(t, '.');
    return dot && dot != t && dot[1] != '\0' && !strchr(dot + 1, '.') && !strpbrk(t, " \t*");
}

/* NAME: 1-64 of A-Za-z0-9._- (docs/bus.md, "ack"). */
static gboolean valid_consumer(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(name[i]) && !strchr("._-", name[i]))
            return FALSE;
    return TRUE;
}

static gboolean usage(GError **error, const char *message)
{
    g_set_error_literal(error, SUB_ERROR, SUB_EXIT_USAGE, message);
    return FALSE;
}

/* The combinations that cannot work, each with what to do instead. */
static gboolean check(const sub_options *o, GError **error)
{
    gboolean one_shot = o->status || o->manifest || o->trigger;
    if ((o->status != 0) + (o->manifest != NULL) + (o->trigger != NULL) > 1)
        return usage(error, "--status, --manifest and --trigger are separate runs: give one");
    if (one_shot && !o->request)
        return usage(error, "--status, --manifest and --trigger need --request ENDPOINT (the "
                            "box's ROUTER)");
    if (o->trigger && strcmp(o->trigger, "present") != 0 && strcmp(o->trigger, "gone") != 0)
        return usage(error, "--trigger: expected present or gone");
    if (o->at && !o->trigger)
        return usage(error, "--at is the time of a --trigger: give --trigger too");
    if (!one_shot && !o->connect)
        return usage(error, "--connect ENDPOINT is required (the box's PUB endpoint, e.g. "
                            "tcp://127.0.0.1:7700)");
    if (o->from_seq < 0)
        return usage(error, "--from-seq: expected a seq of 1 or more");
    if ((o->from_seq > 0 || o->cursor) && !o->request && !one_shot)
        return usage(error, "--from-seq and --cursor catch up through --request ENDPOINT: give it");
    if (o->consumer && !o->request)
        return usage(error, "--consumer acknowledges through --request ENDPOINT: give it");
    if (o->consumer && !valid_consumer(o->consumer))
        return usage(error, "--consumer: expected 1-64 of A-Za-z0-9._-");
    if (o->count < 0)
        return usage(error, "--count: expected 0 (no limit) or more");
    if (o->idle_exit < 0)
        return usage(error, "--idle-exit: expected 0 (never) or more seconds");
    if (o->timeout_ms <= 0)
        return usage(error, "--timeout-ms: expected 1 or more");
    if (!o->server_key != !o->key)
        return usage(error, "--server-key and --key go together (CurveZMQ needs both)");
    if (o->topic && !valid_topic(o->topic))
        return usage(error, "--topic: expected GATE.LANE, e.g. huu-nghi.lane-1");
    return TRUE;
}

gboolean sub_options_parse(sub_options *o, int *argc, char ***argv, GError **error)
{
    o->timeout_ms = 5000;
    GOptionEntry entries[] = {
        {"connect", 'c', 0, G_OPTION_ARG_STRING, &o->connect,
         "The box's PUB endpoint (required unless --status/--manifest)", "ENDPOINT"},
        {"request", 'r', 0, G_OPTION_ARG_STRING, &o->request,
         "The box's ROUTER endpoint: catch-up, gaps, --consumer, --status, --manifest", "ENDPOINT"},
        {"from-seq", 0, 0, G_OPTION_ARG_INT64, &o->from_seq,
         "Catch up from this seq before handling live events", "N"},
        {"cursor", 0, 0, G_OPTION_ARG_FILENAME, &o->cursor,
         "Keep the last seq handled in FILE (written after each event); when FILE exists, "
         "resume after it (it wins over --from-seq)",
         "FILE"},
        {"json", 'j', 0, G_OPTION_ARG_NONE, &o->json,
         "Print KIND<TAB>JSON lines (KIND crossing, health or reply) instead of readable ones",
         NULL},
        {"save", 's', 0, G_OPTION_ARG_FILENAME, &o->save_dir,
         "Save DIR/<seq>.json and each evidence JPEG as DIR/<seq>-<n>-<camera>-<kind>.jpg "
         "(n from 1, in evidence order)",
         "DIR"},
        {"consumer", 0, 0, G_OPTION_ARG_STRING, &o->consumer,
         "Acknowledge each handled seq as consumer NAME (the box keeps what NAME has not "
         "acknowledged)",
         "NAME"},
        {"health", 0, 0, G_OPTION_ARG_NONE, &o->health, "Print health messages too", NULL},
        {"status", 0, 0, G_OPTION_ARG_NONE, &o->status,
         "Send one status request, print the reply and exit", NULL},
        {"manifest", 0, 0, G_OPTION_ARG_FILENAME, &o->manifest,
         "Send the expected vehicles in FILE ({\"vehicles\":[...]} or [...]) as a manifest "
         "request, print the reply; exit 0 if accepted, 1 if refused",
         "FILE"},
        {"trigger", 0, 0, G_OPTION_ARG_STRING, &o->trigger,
         "Tell the box's fusion what the lane's presence sensor saw: a vehicle present on the "
         "line, or the line free again ([trigger] source=request); print the reply and exit",
         "present|gone"},
        {"at", 0, 0, G_OPTION_ARG_STRING, &o->at,
         "When the sensor saw it, RFC 3339 with its zone (default: now)", "TIME"},
        {"count", 'n', 0, G_OPTION_ARG_INT, &o->count, "Exit 0 after N events handled", "N"},
        {"idle-exit", 0, 0, G_OPTION_ARG_DOUBLE, &o->idle_exit,
         "Exit 0 after SECONDS without a new event", "SECONDS"},
        {"server-key", 0, 0, G_OPTION_ARG_FILENAME, &o->server_key,
         "The box's public certificate (gatecv-keygen's NAME.key); with --key, use CurveZMQ",
         "FILE"},
        {"key", 0, 0, G_OPTION_ARG_FILENAME, &o->key,
         "This client's secret certificate (NAME.key_secret)", "FILE"},
        {"topic", 't', 0, G_OPTION_ARG_STRING, &o->topic,
         "Only this lane's crossings and health (default: every lane of the box)", "GATE.LANE"},
        {"timeout-ms", 0, 0, G_OPTION_ARG_INT, &o->timeout_ms,
         "How long a request waits for its reply (default 5000): --status and --manifest "
         "then fail (exit 4); a subscriber's fetch or ack is asked again until the box answers",
         "MS"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- monitor a gatecv lane");
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *parse_error = NULL;
    gboolean ok = g_option_context_parse(ctx, argc, argv, &parse_error);
    g_option_context_free(ctx);
    if (!ok) {
        g_set_error_literal(error, SUB_ERROR, SUB_EXIT_USAGE, parse_error->message);
        g_error_free(parse_error);
        return FALSE;
    }
    if (*argc > 1) {
        g_set_error(error, SUB_ERROR, SUB_EXIT_USAGE, "unexpected argument \"%s\" (try --help)",
                    (*argv)[1]);
        return FALSE;
    }
    return check(o, error);
}

void sub_options_clear(sub_options *o)
{
    g_free(o->connect);
    g_free(o->request);
    g_free(o->cursor);
    g_free(o->save_dir);
    g_free(o->consumer);
    g_free(o->manifest);
    g_free(o->trigger);
    g_free(o->at);
    g_free(o->server_key);
    g_free(o->key);
    g_free(o->topic);
    memset(o, 0, sizeof *o);
}
