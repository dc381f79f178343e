/*
 * event_text.h — the text forms the crossing event and the bus's messages share: times as
 * RFC 3339 UTC with milliseconds, and string members that are null when unknown.
 */
#ifndef GATECV_EVENT_TEXT_H
#define GATECV_EVENT_TEXT_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* e.g. 2026-11-23T14:03:07.120Z for µs since 1970 (g_free it). */
char *event_text_time(gint64 unix_us);

/* Member `name`: the string, or null when `value` is NULL. */
void event_text_add_string(JsonBuilder *b, const char *name, const char *value);

#endif
