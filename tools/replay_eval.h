/*
 * replay_eval.h — `gatecv-eval --replay DIR`: replays a recorded lane made by
 * gatecv-scenegen (DIR/lane.conf, DIR/truth.json, one video per camera) through
 * gatecvd and scores its crossing events against the ground truth: vehicles detected,
 * duplicate and phantom crossings, plate exact matches by day and at night, container
 * codes, and wrong-but-verified events. With `realtime` the daemon replays at the
 * recording's rate and the lag from each vehicle clearing the tripwire to its event is
 * measured on the wall clock (p50, p95).
 */
#ifndef GATECV_REPLAY_EVAL_H
#define GATECV_REPLAY_EVAL_H

#include <glib.h>

typedef struct {
    const char *dir;       /* the recording: lane.conf, truth.json, videos */
    const char *gatecvd;   /* the daemon to run */
    const char *events;    /* score this events.jsonl instead of running the daemon (or NULL) */
    const char *report;    /* JSON report path */
    const char *model_dir; /* passed to the daemon (or NULL) */
    gboolean realtime;     /* replay at the recording's rate and measure the event lag */
    gboolean verbose;      /* print each vehicle not read exactly and each unmatched event */
} replay_options;

/* Returns 0 when scored, 1 when the daemon failed or files are unreadable. */
int replay_eval_run(const replay_options *o);

#endif
