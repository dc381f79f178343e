/* sub_output — lines on stdout and files in the --save folder (see sub_output.h). */
#include "sub_output.h"

#include <stdio.h>
#include <string.h>

/* Prints `KIND<TAB>JSON` on one line. The box sends compact JSON; anything with a line break
 * in it is compacted so that every document stays one line. */
static void print_json_line(const char *kind, const char *text, JsonNode *parsed)
{
    if (!strpbrk(text, "\r\n")) {
        printf("%s\t%s\n", kind, text);
    } else {
        JsonNode *node = parsed ? json_node_ref(parsed) : json_from_string(text, NULL);
        char *compact =
            node ? json_to_string(node, FALSE) : g_strdelimit(g_strdup(text), "\r\n", ' ');
        printf("%s\t%s\n", kind, compact);
        g_free(compact);
        if (node)
            json_node_unref(node);
    }
    fflush(stdout);
}

static gboolean item_superseded(JsonObject *item)
{
    JsonNode *n = item ? json_object_get_member(item, "superseded") : NULL;
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_boolean(n);
}

/* "12C34567 (front, 3 frames), 12R01234 (rear, 2 frames)" or "none"; a plate an earlier
 * revision told that this one no longer counts says "superseded". */
static void append_plates(GString *line, JsonObject *event)
{
    JsonArray *plates = sub_json_array(sub_json_object(event, "vehicle"), "plates");
    guint n = plates ? json_array_get_length(plates) : 0;
    g_string_append(line, "  plates ");
    if (n == 0)
        g_string_append(line, "none");
    for (guint i = 0; i < n; i++) {
        JsonObject *p = json_array_get_object_element(plates, i);
        const char *text = sub_json_string(p, "text");
        const char *camera = sub_json_string(p, "camera");
        gint64 frames = 0;
        sub_json_int(p, "frames", &frames);
        g_string_append_printf(line, "%s%s (%s, %" G_GINT64_FORMAT " frame%s%s)", i ? ", " : "",
                               text ? text : "?", camera ? camera : "?", frames,
                               frames == 1 ? "" : "s", item_superseded(p) ? ", superseded" : "");
    }
}

/* "MSKU1234565, TGHU1234567 (check digit wrong)" or "none". */
static void append_containers(GString *line, JsonObject *event)
{
    JsonArray *codes = sub_json_array(event, "containers");
    guint n = codes ? json_array_get_length(codes) : 0;
    g_string_append(line, "  containers ");
    if (n == 0)
        g_string_append(line, "none");
    for (guint i = 0; i < n; i++) {
        JsonObject *c = json_array_get_object_element(codes, i);
        const char *code = sub_json_string(c, "code");
        JsonNode *ok = c ? json_object_get_member(c, "check_digit_ok") : NULL;
        gboolean bad = ok && JSON_NODE_HOLDS_VALUE(ok) && !json_node_get_boolean(ok);
        g_string_append_printf(line, "%s%s%s%s", i ? ", " : "", code ? code : "?",
                               bad ? " (check digit wrong)" : "",
                               item_superseded(c) ? " (superseded)" : "");
    }
}

/* "provisional 1 of 3f2a9c1e" (more revisions of the event will follow) or "final 2 of
 * 3f2a9c1e" (the event_id's first 8 characters: which lines are one crossing); nothing for an
 * event without a revision. */
static void append_revision(GString *line, JsonObject *event)
{
    gint64 revision = 0;
    JsonNode *final = json_object_get_member(event, "final");
    if (!sub_json_int(event, "revision", &revision) || !final || !JSON_NODE_HOLDS_VALUE(final))
        return;
    const char *id = sub_json_string(event, "event_id");
    g_string_append_printf(line, "  %s %" G_GINT64_FORMAT " of %.8s",
                           json_node_get_boolean(final) ? "final" : "provisional", revision,
                           id ? id : "?");
}

/* "verified", or "needs_review (plate_votes_low, cameras_disagree)". */
static void append_verification(GString *line, JsonObject *event)
{
    JsonObject *v = sub_json_object(event, "verification");
    const char *status = sub_json_string(v, "status");
    g_string_append_printf(line, "  %s", status ? status : "status?");
    JsonArray *reasons = sub_json_array(v, "reasons");
    guint n = reasons ? json_array_get_length(reasons) : 0;
    if (n == 0 || g_strcmp0(status, "verified") == 0)
        return;
    g_string_append(line, " (");
    for (guint i = 0; i < n; i++) {
        const char *r = json_array_get_string_element(reasons, i);
        g_string_append_printf(line, "%s%s", i ? ", " : "", r ? r : "?");
    }
    g_string_append(line, ")");
}

/* "manifest match VN-1", "manifest not_expected"; nothing when no manifest is loaded. */
static void append_manifest(GString *line, JsonObject *event)
{
    JsonObject *m = sub_json_object(event, "manifest_match");
    if (!m)
        return;
    const char *result = sub_json_string(m, "result");
    const char *vehicle = sub_json_string(m, "vehicle_id");
    g_string_append_printf(line, "  manifest %s%s%s", result ? result : "?", vehicle ? " " : "",
                           vehicle ? vehicle : "");
}

void sub_output_crossing(const sub_event *ev, guint bad_evidence, gboolean json)
{
    if (json) {
        print_json_line("crossing", ev->json, ev->root);
        return;
    }
    JsonObject *e = ev->object;
    const char *ts = sub_json_string(e, "ts_exit");
    if (!ts)
        ts = sub_json_string(e, "ts_enter");
    const char *direction = sub_json_string(e, "direction");
    GString *line = g_string_new(NULL);
    g_string_append_printf(line, "seq %" G_GINT64_FORMAT "  %s  %s", ev->seq, ts ? ts : "time?",
                           direction ? direction : "direction?");
    append_revision(line, e);
    append_verification(line, e);
    append_plates(line, e);
    append_containers(line, e);
    append_manifest(line, e);
    g_string_append_printf(line, "  evidence %u ", ev->jpegs->len);
    if (bad_evidence == 0)
        g_string_append(line, "ok");
    else
        g_string_append_printf(line, "BAD (%u problem%s)", bad_evidence,
                               bad_evidence == 1 ? "" : "s");
    printf("%s\n", line->str);
    fflush(stdout);
    g_string_free(line, TRUE);
}

/* A readable health line: the lane, each camera, the journal, the backlog, the alarms. The
 * health schema may grow: members missing here are left out, never guessed. */
static void append_health(GString *line, JsonObject *h)
{
    JsonArray *cameras = sub_json_array(h, "cameras");
    guint n = cameras ? json_array_get_length(cameras) : 0;
    for (guint i = 0; i < n; i++) {
        JsonObject *c = json_array_get_object_element(cameras, i);
        const char *name = sub_json_string(c, "name");
        if (!name)
            name = sub_json_string(c, "camera");
        JsonNode *up = c ? json_object_get_member(c, "up") : NULL;
        const char *state = sub_json_string(c, "state");
        if (!state && up && JSON_NODE_HOLDS_VALUE(up))
            state = json_node_get_boolean(up) ? "up" : "down";
        JsonNode *fps = c ? json_object_get_member(c, "fps") : NULL;
        g_string_append_printf(line, "%s%s %s", i ? ", " : "  cameras ", name ? name : "?",
                               state ? state : "?");
        if (fps && JSON_NODE_HOLDS_VALUE(fps))
            g_string_append_printf(line, " %.1f fps", json_node_get_double(fps));
    }
    JsonObject *journal = sub_json_object(h, "journal");
    JsonObject *seqs = journal ? journal : h;
    gint64 first = 0, last = 0, backlog = 0;
    gboolean has_first = sub_json_int(seqs, "first_seq", &first);
    gboolean has_last = sub_json_int(seqs, "last_seq", &last);
    if (has_first || has_last)
        g_string_append_printf(line, "  journal %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, first,
                               last);
    if (sub_json_int(h, "backlog", &backlog))
        g_string_append_printf(line, "  backlog %" G_GINT64_FORMAT, backlog);
    JsonArray *consumers = sub_json_array(h, "consumers");
    guint nc = consumers ? json_array_get_length(consumers) : 0;
    for (guint i = 0; i < nc; i++) {
        JsonObject *c = json_array_get_object_element(consumers, i);
        const char *name = sub_json_string(c, "name");
        gint64 acked = 0;
        sub_json_int(c, "acked_seq", &acked);
        g_string_append_printf(line, "%s%s@%" G_GINT64_FORMAT, i ? ", " : "  acked ",
                               name ? name : "?", acked);
    }
    JsonArray *alarms = sub_json_array(h, "alarms");
    guint na = alarms ? json_array_get_length(alarms) : 0;
    g_string_append(line, "  alarms ");
    if (na == 0)
        g_string_append(line, "none");
    for (guint i = 0; i < na; i++) {
        JsonNode *a = json_array_get_element(alarms, i);
        const char *name = JSON_NODE_HOLDS_OBJECT(a)
                               ? sub_json_string(json_node_get_object(a), "alarm")
                               : json_node_get_string(a);
        g_string_append_printf(line, "%s%s", i ? ", " : "", name ? name : "?");
    }
}

void sub_output_health(const char *topic, const char *body, gboolean json)
{
    if (json) {
        print_json_line("health", body, NULL);
        return;
    }
    GString *line = g_string_new(NULL);
    g_string_append_printf(line, "health %s", topic + strlen("health."));
    JsonNode *root = sub_json_parse_object(body, -1, NULL);
    if (root)
        append_health(line, json_node_get_object(root));
    else
        g_string_append(line, "  (not a JSON object)");
    printf("%s\n", line->str);
    fflush(stdout);
    if (root)
        json_node_unref(root);
    g_string_free(line, TRUE);
}

void sub_output_reply(JsonNode *reply, gboolean json)
{
    char *text = json_to_string(reply, !json);
    JsonObject *o = json_node_get_object(reply);
    if (json) {
        print_json_line("reply", text, reply);
    } else if (g_strcmp0(sub_json_string(o, "reply"), "status") == 0) {
        /* A status reply carries the health fields: the health line, then every field. */
        GString *line = g_string_new("status");
        const char *gate = sub_json_string(o, "gate"), *lane = sub_json_string(o, "lane");
        if (gate && lane)
            g_string_append_printf(line, " %s.%s", gate, lane);
        append_health(line, o);
        printf("%s\n%s\n", line->str, text);
        g_string_free(line, TRUE);
    } else {
        printf("%s\n", text);
    }
    fflush(stdout);
    g_free(text);
}

/* A camera or kind name made safe as part of a file name: anything but A-Za-z0-9._- is '_'. */
static char *file_part(const char *s)
{
    if (!s || !*s)
        return g_strdup("unknown");
    char *out = g_strdup(s);
    for (char *p = out; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
            *p = '_';
    if (out[0] == '.')
        out[0] = '_';
    return out;
}

/* Writes one file (atomically: temporary file and rename); keeps the first error. */
static void save_file(const char *path, const void *data, gsize size, GError **first_error)
{
    GError *e = NULL;
    if (!g_file_set_contents(path, data, (gssize)size, &e)) {
        if (first_error && !*first_error)
            *first_error = e;
        else
            g_error_free(e);
    }
}

gboolean sub_output_save(const sub_event *ev, const char *dir, GError **error)
{
    GError *first = NULL;
    char *name = g_strdup_printf("%" G_GINT64_FORMAT ".json", ev->seq);
    char *path = g_build_filename(dir, name, NULL);
    save_file(path, ev->json, strlen(ev->json), &first);
    g_free(path);
    g_free(name);
    for (guint i = 0; i < ev->jpegs->len; i++) {
        JsonObject *entry = sub_event_evidence(ev, i);
        char *camera = file_part(sub_json_string(entry, "camera"));
        char *kind = file_part(sub_json_string(entry, "kind"));
        name = g_strdup_printf("%" G_GINT64_FORMAT "-%u-%s-%s.jpg", ev->seq, i + 1, camera, kind);
        path = g_build_filename(dir, name, NULL);
        gsize size = 0;
        const void *data = g_bytes_get_data(ev->jpegs->pdata[i], &size);
        save_file(path, data, size, &first);
        g_free(path);
        g_free(name);
        g_free(kind);
        g_free(camera);
    }
    if (first) {
        g_propagate_prefixed_error(error, first, "seq %" G_GINT64_FORMAT ": saving: ", ev->seq);
        return FALSE;
    }
    return TRUE;
}
