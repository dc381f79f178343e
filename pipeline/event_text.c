/*
 * event_text.c — RFC 3339 times and nullable string members (see event_text.h).
 */
#include "event_text.h"

char *event_text_time(gint64 unix_us)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(unix_us / G_USEC_PER_SEC);
    gchar *base = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
    char *s = g_strdup_printf("%s.%03dZ", base, (int)((unix_us % G_USEC_PER_SEC) / 1000));
    g_free(base);
    g_date_time_unref(dt);
    return s;
}

void event_text_add_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}
