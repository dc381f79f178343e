/* sub_options — gatecv-sub's command line: what each option means, and which combinations
 * make sense. Parsing only; nothing here opens a socket or a file other than to check it. */
#ifndef GATECV_SUB_OPTIONS_H
#define GATECV_SUB_OPTIONS_H

#include <glib.h>

typedef struct {
    char *connect;     /* PUB endpoint of the box (live crossings and health) */
    char *request;     /* ROUTER endpoint of the box (fetch, ack, status, manifest, trigger) */
    gint64 from_seq;   /* catch up from this seq; 0 = not given */
    char *cursor;      /* file keeping the last seq handled */
    gboolean json;     /* KIND<TAB>JSON lines instead of readable ones */
    char *save_dir;    /* folder for evidence JPEGs and event JSON */
    char *consumer;    /* acknowledge each handled seq as this consumer */
    gboolean health;   /* print health messages too */
    gboolean status;   /* one status request, then exit */
    char *manifest;    /* JSON file: one manifest request, then exit */
    char *trigger;     /* "present" or "gone": one trigger request, then exit */
    char *at;          /* the trigger's time (RFC 3339), or NULL for now */
    gint count;        /* exit after this many events handled; 0 = no limit */
    gdouble idle_exit; /* exit after this many seconds without a new event; 0 = never */
    char *server_key;  /* the box's public certificate */
    char *key;         /* this client's secret certificate */
    char *topic;       /* GATE.LANE, or NULL for every lane */
    gint timeout_ms;   /* how long a request waits for its reply */
} sub_options;

/* Exit codes of gatecv-sub (also the GError codes of SUB_ERROR). */
enum {
    SUB_EXIT_OK = 0,
    SUB_EXIT_EVIDENCE = 1, /* evidence checksum or save error (the run went on) */
    SUB_EXIT_USAGE = 2,    /* bad usage or configuration */
    SUB_EXIT_GAP = 3,      /* events the box no longer holds */
    SUB_EXIT_REQUEST = 4,  /* an error reply, or no reply to --status/--manifest */
    SUB_STOPPED = 128,     /* not an exit code: SIGINT/SIGTERM ended the run */
};

#define SUB_ERROR (sub_error_quark())
GQuark sub_error_quark(void);

/* Parses argv into `opts` (zeroed by the caller) and checks the combination.
 * On FALSE, `error` (code SUB_EXIT_USAGE) says what is wrong. */
gboolean sub_options_parse(sub_options *opts, int *argc, char ***argv, GError **error);

void sub_options_clear(sub_options *opts);

#endif
