/* sub_output — what gatecv-sub shows and writes: the readable or KIND<TAB>JSON lines on
 * stdout, and the evidence saved to a folder. Everything a person or a script sees. */
#ifndef GATECV_SUB_OUTPUT_H
#define GATECV_SUB_OUTPUT_H

#include "sub_event.h"

/* One line for the event: readable, or `crossing<TAB>JSON`. `bad_evidence` is the number of
 * problems sub_event_check_evidence found. */
void sub_output_crossing(const sub_event *ev, guint bad_evidence, gboolean json);

/* One line for a health message (topic health.<gate>.<lane>, body JSON). */
void sub_output_health(const char *topic, const char *body, gboolean json);

/* A request's reply: `reply<TAB>JSON`, or the JSON indented for a person. */
void sub_output_reply(JsonNode *reply, gboolean json);

/* Writes DIR/<seq>.json and DIR/<seq>-<n>-<camera>-<kind>.jpg for each JPEG frame (n from
 * 1, in evidence order). Goes on past a failed file; FALSE with the first error. */
gboolean sub_output_save(const sub_event *ev, const char *dir, GError **error);

#endif
