/*
 * replay_eval.h — `gatecv-eval --replay DIR`: replays a recorded lane made by
 * gatecv-scenegen (DIR/lane.conf, DIR/truth.json, one video per camera) through
 * gatecvd and scores its crossing events against the ground truth: vehicles detected,
 * duplicate and phantom crossings, plate exact matches by day and at night, container
 * codes, the vehicles verified, and wrong-but-verified events; a crossing told in revisions
 * (a first notice, then the final) is scored by its last. With `realtime` the daemon replays
 * at the recording's rate and the lag from each vehicle clearing the tripwire to its first
 * and to its final revision is measured on the wall clock (p50, p95, max). It also reports
 * what the daemon cost (CPU seconds, peak RSS), what its readers did (OUT/readers.json:
 * frames selected, read, dropped; backlog max and p95), and with `baseline` the CPU time of
 * decoding the same recordings alone and the ratio of the two.
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
    gboolean baseline;     /* also time decoding the recordings alone, for the CPU ratio */
} replay_options;

/* Returns 0 when scored, 1 when the daemon failed or files are unreadable. */
int replay_eval_run(const replay_options *o);

#endif
