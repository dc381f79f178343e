/*
 * manifest.c — the manifest check (docs/bus.md, "Manifest check"). Owns the expected
 * vehicles (checked field by field as they arrive), the manifest file's format
 * ({"vehicles":[...]}, written durably), and the matching of a crossing's reads against
 * the vehicles valid at its exit time, which gives the event's manifest_match object.
 *
 * One GMutex guards the vehicle list. A new list is parsed outside the lock and swapped
 * in whole, so the list in force is never half replaced.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK(gatecv - manifest - error - quark, manifest_error)

#define ID_MAX_CHARS 64
#define PLATE_MAX_CHARS 16
#define QUOTE_MAX_CHARS 40 /* a bad value is shown in an error up to this long */

/* A text as UTF-8 and as Unicode characters (edits are counted in characters). */
typedef struct {
    char *utf8;
    gunichar *chars;
    glong n_chars;
} text;

typedef struct {
    char *id;
    text plates[2]; /* the plate, then the trailer plate if there is one */
    int n_plates;
    text containers[MANIFEST_MAX_CONTAINERS];
    int n_containers;
    char *valid_from, *valid_until; /* as given; NULL = open */
    gint64 from_us, until_us;       /* G_MININT64 / G_MAXINT64 when open */
} vehicle;

struct manifest {
    GMutex lock;
    GPtrArray *vehicles; /* of vehicle; NULL when no manifest was ever loaded */
};

/* ---- texts ---------------------------------------------------------------------- */

static void text_set(text *t, const char *s)
{
    t->utf8 = g_strdup(s);
    t->chars = g_utf8_to_ucs4_fast(s, -1, &t->n_chars);
}

static void text_clear(text *t)
{
    g_free(t->utf8);
    g_free(t->chars);
    t->utf8 = NULL;
    t->chars = NULL;
    t->n_chars = 0;
}

/* The Levenshtein distance of a and b, capped at 2: 0 (same text), 1 (one character
 * substituted, inserted or deleted) or 2 (more). A text with no characters is 2 from
 * everything: an empty read matches nothing. */
static int edits_capped(const text *a, const text *b)
{
    if (a->n_chars == 0 || b->n_chars == 0)
        return 2;
    const text *longer = a->n_chars >= b->n_chars ? a : b;
    const text *shorter = longer == a ? b : a;
    glong diff = longer->n_chars - shorter->n_chars;
    if (diff > 1)
        return 2;
    glong i = 0;
    while (i < shorter->n_chars && longer->chars[i] == shorter->chars[i])
        i++;
    if (i == shorter->n_chars)
        return (int)diff; /* equal, or the longer has one more character at its end */
    /* first difference at i: substitution (same length) or one character of the longer
     * text inserted there; the rest must then be equal */
    glong skip = diff == 0 ? 1 : 0;
    glong rest = shorter->n_chars - i - skip;
    return memcmp(longer->chars + i + 1, shorter->chars + i + skip, rest * sizeof(gunichar)) == 0
               ? 1
               : 2;
}

/* ---- vehicles ------------------------------------------------------------------- */

static void vehicle_free(gpointer p)
{
    vehicle *v = p;
    if (v == NULL)
        return;
    g_free(v->id);
    for (int i = 0; i < v->n_plates; i++)
        text_clear(&v->plates[i]);
    for (int i = 0; i < v->n_containers; i++)
        text_clear(&v->containers[i]);
    g_free(v->valid_from);
    g_free(v->valid_until);
    g_free(v);
}

static gboolean vehicle_valid_at(const vehicle *v, gint64 ts_us)
{
    return v->from_us <= ts_us && ts_us <= v->until_us;
}

static gboolean vehicle_has_container(const vehicle *v, const char *code)
{
    for (int i = 0; i < v->n_containers; i++)
        if (strcmp(v->containers[i].utf8, code) == 0)
            return TRUE;
    return FALSE;
}

/* ---- checking a manifest, field by field ---------------------------------------- */

/* Where a field is: the origin ("" or "FILE: ") and the vehicle's index. */
typedef struct {
    const char *origin;
    guint index;
} where;

/* A bad value as it is shown in an error: quoted, cut to QUOTE_MAX_CHARS characters. */
static char *quoted(const char *s)
{
    if (g_utf8_strlen(s, -1) <= QUOTE_MAX_CHARS)
        return g_strdup_printf("'%s'", s);
    char *head = g_utf8_substring(s, 0, QUOTE_MAX_CHARS);
    char *q = g_strdup_printf("'%s…'", head);
    g_free(head);
    return q;
}

/* Sets "ORIGINvehicles[I].FIELD: what" (or "ORIGINvehicles[I]: what"); returns FALSE. */
static gboolean bad(GError **error, const where *w, const char *field, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static gboolean bad(GError **error, const where *w, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID, "%svehicles[%u]%s%s: %s", w->origin,
                w->index, field ? "." : "", field ? field : "", what);
    g_free(what);
    return FALSE;
}

static gboolean bad_value(GError **error, const where *w, const char *field, const char *value,
                          const char *what)
{
    char *q = quoted(value);
    bad(error, w, field, "%s %s", q, what);
    g_free(q);
    return FALSE;
}

static const char *const vehicle_fields[] = {"id",         "plate",      "trailer_plate",
                                             "containers", "valid_from", "valid_until"};

static gboolean check_members(JsonObject *o, const where *w, GError **error)
{
    GList *members = json_object_get_members(o);
    gboolean ok = TRUE;
    for (GList *l = members; l != NULL && ok; l = l->next) {
        gboolean known = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(vehicle_fields); i++)
            known = known || strcmp(l->data, vehicle_fields[i]) == 0;
        if (!known) {
            char *q = quoted(l->data);
            ok = bad(error, w, NULL, "unknown field %s", q);
            g_free(q);
        }
    }
    g_list_free(members);
    return ok;
}

/* A string member; with `nullable`, null or absent gives *out = NULL. */
static gboolean get_string(JsonObject *o, const char *name, gboolean nullable, const where *w,
                           const char **out, GError **error)
{
    JsonNode *node = json_object_get_member(o, name);
    *out = NULL;
    if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
        if (nullable)
            return TRUE;
        return bad(error, w, name, node == NULL ? "missing" : "must be a string, not null");
    }
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return bad(error, w, name, nullable ? "must be a string or null" : "must be a string");
    *out = json_node_get_string(node);
    return TRUE;
}

/* A CJK ideograph (U+3400-U+4DBF, U+4E00-U+9FFF, U+F900-U+FAFF): 桂, 挂, 使 ... — the
 * same ranges as the plate pattern of schema/gatecv.request-1.schema.json. */
static gboolean cjk_ideograph(gunichar c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

/* Normalised plate text: 1-16 characters, each A-Z, 0-9 or a CJK ideograph. No
 * separators, no lower case, no full-width Latin letters: a read is normalised to exactly
 * this before it is compared. */
static gboolean plate_text_ok(const char *s)
{
    glong n = g_utf8_strlen(s, -1);
    if (n < 1 || n > PLATE_MAX_CHARS)
        return FALSE;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        gboolean ascii_ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!ascii_ok && !cjk_ideograph(c))
            return FALSE;
    }
    return TRUE;
}

/* ^[A-Z]{3}[UJZ][0-9]{7}$ — the check digit is not checked: the declaration is taken as
 * the clearance system wrote it. */
static gboolean iso6346_pattern_ok(const char *s)
{
    if (strlen(s) != 11)
        return FALSE;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return FALSE;
    if (s[3] != 'U' && s[3] != 'J' && s[3] != 'Z')
        return FALSE;
    for (int i = 4; i < 11; i++)
        if (s[i] < '0' || s[i] > '9')
            return FALSE;
    return TRUE;
}

static gboolean digits_at(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!g_ascii_isdigit(s[i]))
            return FALSE;
    return TRUE;
}

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), to µs since 1970. */
static gboolean parse_rfc3339(const char *s, gint64 *us)
{
    if (strlen(s) < 20 || !digits_at(s, 4) || s[4] != '-' || !digits_at(s + 5, 2) || s[7] != '-' ||
        !digits_at(s + 8, 2) || s[10] != 'T' || !digits_at(s + 11, 2) || s[13] != ':' ||
        !digits_at(s + 14, 2) || s[16] != ':' || !digits_at(s + 17, 2))
        return FALSE;
    const char *p = s + 19;
    if (*p == '.') {
        const char *digits = ++p;
        while (g_ascii_isdigit(*p))
            p++;
        if (p == digits)
            return FALSE;
    }
    gboolean zone_ok =
        strcmp(p, "Z") == 0 || ((p[0] == '+' || p[0] == '-') && digits_at(p + 1, 2) &&
                                p[3] == ':' && digits_at(p + 4, 2) && p[6] == '\0');
    if (!zone_ok)
        return FALSE;
    GDateTime *dt = g_date_time_new_from_iso8601(s, NULL);
    if (dt == NULL)
        return FALSE; /* e.g. month 13 */
    *us = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
    g_date_time_unref(dt);
    return TRUE;
}

static gboolean parse_id(JsonObject *o, const where *w, vehicle *v, GError **error)
{
    const char *id;
    if (!get_string(o, "id", FALSE, w, &id, error))
        return FALSE;
    glong n = g_utf8_strlen(id, -1);
    if (n < 1 || n > ID_MAX_CHARS)
        return bad_value(error, w, "id", id, "must be 1 to 64 characters");
    v->id = g_strdup(id);
    return TRUE;
}

static gboolean parse_plates(JsonObject *o, const where *w, vehicle *v, GError **error)
{
    static const char *const names[2] = {"plate", "trailer_plate"};
    for (int i = 0; i < 2; i++) {
        const char *s;
        if (!get_string(o, names[i], i == 1, w, &s, error))
            return FALSE;
        if (s == NULL)
            continue;
        if (!plate_text_ok(s))
            return bad_value(error, w, names[i], s,
                             "is not normalised plate text (1-16 of A-Z, 0-9 and CJK, "
                             "no separators)");
        text_set(&v->plates[v->n_plates++], s);
    }
    return TRUE;
}

static gboolean parse_container(JsonNode *node, guint k, const where *w, vehicle *v, GError **error)
{
    char field[32];
    g_snprintf(field, sizeof field, "containers[%u]", k);
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return bad(error, w, field, "must be a string");
    const char *code = json_node_get_string(node);
    if (!iso6346_pattern_ok(code))
        return bad_value(error, w, field, code, "is not an ISO 6346 code");
    if (vehicle_has_container(v, code))
        return bad_value(error, w, field, code, "is listed twice");
    text_set(&v->containers[v->n_containers++], code);
    return TRUE;
}

static gboolean parse_containers(JsonObject *o, const where *w, vehicle *v, GError **error)
{
    JsonNode *node = json_object_get_member(o, "containers");
    if (node == NULL)
        return bad(error, w, "containers", "missing (an empty array if none)");
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return bad(error, w, "containers", "must be an array");
    JsonArray *a = json_node_get_array(node);
    guint n = json_array_get_length(a);
    if (n > MANIFEST_MAX_CONTAINERS)
        return bad(error, w, "containers", "%u codes, at most %d", n, MANIFEST_MAX_CONTAINERS);
    for (guint k = 0; k < n; k++)
        if (!parse_container(json_array_get_element(a, k), k, w, v, error))
            return FALSE;
    return TRUE;
}

static gboolean parse_time_field(JsonObject *o, const char *name, const where *w, char **text_out,
                                 gint64 *us, GError **error)
{
    const char *s;
    if (!get_string(o, name, TRUE, w, &s, error))
        return FALSE;
    if (s == NULL)
        return TRUE;
    if (!parse_rfc3339(s, us))
        return bad_value(error, w, name, s,
                         "is not an RFC 3339 time (e.g. 2026-11-23T18:30:00Z or "
                         "2026-11-23T18:30:00+07:00)");
    *text_out = g_strdup(s);
    return TRUE;
}

static gboolean parse_validity(JsonObject *o, const where *w, vehicle *v, GError **error)
{
    v->from_us = G_MININT64;
    v->until_us = G_MAXINT64;
    if (!parse_time_field(o, "valid_from", w, &v->valid_from, &v->from_us, error) ||
        !parse_time_field(o, "valid_until", w, &v->valid_until, &v->until_us, error))
        return FALSE;
    if (v->from_us > v->until_us)
        return bad(error, w, "valid_until", "'%s' is before valid_from '%s'", v->valid_until,
                   v->valid_from);
    return TRUE;
}

static gboolean parse_vehicle(JsonNode *node, const where *w, vehicle *v, GError **error)
{
    if (!JSON_NODE_HOLDS_OBJECT(node))
        return bad(error, w, NULL, "must be an object");
    JsonObject *o = json_node_get_object(node);
    return check_members(o, w, error) && parse_id(o, w, v, error) && parse_plates(o, w, v, error) &&
           parse_containers(o, w, v, error) && parse_validity(o, w, v, error);
}

/* The vehicles of `request`'s "vehicles" array, every field checked (the caller owns the
 * array); NULL + error at the first bad one. */
static GPtrArray *parse_vehicles(JsonObject *request, const char *origin, GError **error)
{
    JsonNode *node = request != NULL ? json_object_get_member(request, "vehicles") : NULL;
    if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
        g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID, "%svehicles: %s", origin,
                    node == NULL ? "missing" : "must be an array");
        return NULL;
    }
    JsonArray *a = json_node_get_array(node);
    guint n = json_array_get_length(a);
    if (n > MANIFEST_MAX_VEHICLES) {
        g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID,
                    "%svehicles: %u vehicles, at most %d", origin, n, MANIFEST_MAX_VEHICLES);
        return NULL;
    }
    GPtrArray *vehicles = g_ptr_array_new_full(n, vehicle_free);
    GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal); /* id -> index + 1 */
    gboolean ok = TRUE;
    for (guint i = 0; i < n && ok; i++) {
        where w = {origin, i};
        vehicle *v = g_new0(vehicle, 1);
        g_ptr_array_add(vehicles, v);
        ok = parse_vehicle(json_array_get_element(a, i), &w, v, error);
        gpointer first = ok ? g_hash_table_lookup(ids, v->id) : NULL;
        if (first != NULL) {
            char *q = quoted(v->id);
            ok = bad(error, &w, "id", "%s is also the id of vehicles[%u]", q,
                     GPOINTER_TO_UINT(first) - 1);
            g_free(q);
        } else if (ok) {
            g_hash_table_insert(ids, v->id, GUINT_TO_POINTER(i + 1));
        }
    }
    g_hash_table_destroy(ids);
    if (!ok) {
        g_ptr_array_unref(vehicles);
        return NULL;
    }
    return vehicles;
}

/* ---- the manifest in force ------------------------------------------------------ */

manifest *manifest_new(void)
{
    manifest *m = g_new0(manifest, 1);
    g_mutex_init(&m->lock);
    return m;
}

void manifest_free(manifest *m)
{
    if (m == NULL)
        return;
    if (m->vehicles != NULL)
        g_ptr_array_unref(m->vehicles);
    g_mutex_clear(&m->lock);
    g_free(m);
}

/* Puts `vehicles` (taken; NULL = no manifest) in force and frees the list it replaces. */
static void swap_in(manifest *m, GPtrArray *vehicles)
{
    g_mutex_lock(&m->lock);
    GPtrArray *old = m->vehicles;
    m->vehicles = vehicles;
    g_mutex_unlock(&m->lock);
    if (old != NULL)
        g_ptr_array_unref(old);
}

gboolean manifest_replace(manifest *m, JsonObject *request, GError **error)
{
    GPtrArray *vehicles = parse_vehicles(request, "", error);
    if (vehicles == NULL)
        return FALSE;
    swap_in(m, vehicles);
    return TRUE;
}

int manifest_count(manifest *m)
{
    g_mutex_lock(&m->lock);
    int n = m->vehicles != NULL ? (int)m->vehicles->len : -1;
    g_mutex_unlock(&m->lock);
    return n;
}

/* ---- the manifest file ---------------------------------------------------------- */

static void add_nullable(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    if (value != NULL)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

static void add_vehicle(JsonBuilder *b, const vehicle *v)
{
    json_builder_begin_object(b);
    add_nullable(b, "id", v->id);
    add_nullable(b, "plate", v->plates[0].utf8);
    add_nullable(b, "trailer_plate", v->n_plates > 1 ? v->plates[1].utf8 : NULL);
    json_builder_set_member_name(b, "containers");
    json_builder_begin_array(b);
    for (int i = 0; i < v->n_containers; i++)
        json_builder_add_string_value(b, v->containers[i].utf8);
    json_builder_end_array(b);
    add_nullable(b, "valid_from", v->valid_from);
    add_nullable(b, "valid_until", v->valid_until);
    json_builder_end_object(b);
}

/* {"vehicles":[...]} as one line and a newline (g_free it). */
static char *vehicles_to_text(const GPtrArray *vehicles)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "vehicles");
    json_builder_begin_array(b);
    for (guint i = 0; i < vehicles->len; i++)
        add_vehicle(b, g_ptr_array_index(vehicles, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, root);
    char *json = json_generator_to_data(gen, NULL);
    char *out = g_strconcat(json, "\n", NULL);
    g_free(json);
    g_object_unref(gen);
    json_node_unref(root);
    g_object_unref(b);
    return out;
}

static gboolean io_error(GError **error, const char *what, const char *path, int err)
{
    g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_IO, "%s %s: %s", what, path, g_strerror(err));
    return FALSE;
}

static gboolean write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return FALSE;
        data += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* Makes a rename or removal in the folder of `path` durable. */
static gboolean sync_folder(const char *path, GError **error)
{
    char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    gboolean ok = fd >= 0 && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (!ok)
        io_error(error, "cannot sync the folder", dir, err);
    g_free(dir);
    return ok;
}

/* `data` into `path`: PATH.tmp written and fsync'd, renamed over `path`, folder fsync'd. */
static gboolean write_durably(const char *path, const char *data, GError **error)
{
    char *tmp = g_strconcat(path, ".tmp", NULL);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    gboolean ok = fd >= 0;
    if (!ok)
        io_error(error, "cannot create", tmp, errno);
    if (ok && (!write_all(fd, data, strlen(data)) || fsync(fd) != 0))
        ok = io_error(error, "cannot write", tmp, errno);
    if (fd >= 0 && close(fd) != 0 && ok)
        ok = io_error(error, "cannot write", tmp, errno);
    if (ok && rename(tmp, path) != 0)
        ok = io_error(error, "cannot rename to", path, errno);
    if (!ok && fd >= 0)
        g_unlink(tmp);
    g_free(tmp);
    return ok && sync_folder(path, error);
}

gboolean manifest_save(manifest *m, const char *path, GError **error)
{
    /* The lock is held to the end so that two saves land in the order of their lists;
     * manifests are pushed rarely, and a crossing waits for one fsync at most. */
    g_mutex_lock(&m->lock);
    gboolean ok;
    if (m->vehicles != NULL) {
        char *data = vehicles_to_text(m->vehicles);
        ok = write_durably(path, data, error);
        g_free(data);
    } else if (g_unlink(path) != 0 && errno != ENOENT) {
        ok = io_error(error, "cannot remove", path, errno);
    } else {
        ok = sync_folder(path, error);
    }
    g_mutex_unlock(&m->lock);
    return ok;
}

gboolean manifest_load(manifest *m, const char *path, GError **error)
{
    char *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &data, &len, &err)) {
        gboolean missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        if (!missing)
            g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_IO, "%s", err->message);
        g_error_free(err);
        if (missing)
            swap_in(m, NULL);
        return missing;
    }
    JsonParser *parser = json_parser_new();
    GPtrArray *vehicles = NULL;
    char *origin = g_strdup_printf("%s: ", path);
    if (!json_parser_load_from_data(parser, data, (gssize)len, &err)) {
        g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID, "%snot JSON: %s", origin,
                    err->message);
        g_error_free(err);
    } else if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        g_set_error(error, MANIFEST_ERROR, MANIFEST_ERROR_INVALID, "%snot a JSON object", origin);
    } else {
        vehicles =
            parse_vehicles(json_node_get_object(json_parser_get_root(parser)), origin, error);
    }
    g_free(origin);
    g_object_unref(parser);
    g_free(data);
    if (vehicles == NULL)
        return FALSE;
    swap_in(m, vehicles);
    return TRUE;
}

/* ---- matching a crossing -------------------------------------------------------- */

/*
 * Why one_edit is never treated as exact: a read one character away from the declared
 * text may be an OCR slip (8/B, 0/D, a Chinese province character confused with a
 * similar one) — or a different, real vehicle or container: neighbouring plates of one
 * fleet, or a box of the same owner, differ in exactly one character. The box cannot tell
 * which, so it says "one_edit" in the event and the result is at best "partial": the
 * clearance system (or a person) decides, and a near miss is never published as the
 * declared vehicle confirmed.
 */
typedef enum {
    MATCH_MISSING,
    MATCH_ONE_EDIT,
    MATCH_EXACT,
} match_kind;

static const char *match_name(match_kind k)
{
    return k == MATCH_EXACT ? "exact" : k == MATCH_ONE_EDIT ? "one_edit" : "missing";
}

typedef struct {
    int read; /* index of the read, -1 when missing */
    match_kind kind;
} pairing;

/* One crossing's reads, as texts (a NULL or empty read has no characters: it matches
 * nothing and is never listed). */
typedef struct {
    text *texts;
    gboolean *used;
    int n;
} reads;

static void reads_init(reads *r, const manifest_read *in, int n)
{
    r->n = n > 0 ? n : 0;
    r->texts = g_new0(text, r->n + 1);
    r->used = g_new0(gboolean, r->n + 1);
    for (int i = 0; i < r->n; i++)
        if (in[i].text != NULL)
            text_set(&r->texts[i], in[i].text);
}

static void reads_clear(reads *r)
{
    for (int i = 0; i < r->n; i++)
        text_clear(&r->texts[i]);
    g_free(r->texts);
    g_free(r->used);
}

/* Pairs each expected text with a read not yet used: exact matches first, then one_edit,
 * so that a read exactly equal to one expected text is never taken as another's near
 * miss. Marks the reads it takes in r->used. */
static void pair_texts(const text *expected, int n_expected, reads *r, pairing *out)
{
    for (int e = 0; e < n_expected; e++)
        out[e] = (pairing){-1, MATCH_MISSING};
    for (int pass = 0; pass < 2; pass++) {
        int want = pass == 0 ? 0 : 1;
        for (int e = 0; e < n_expected; e++) {
            for (int i = 0; i < r->n && out[e].read < 0; i++) {
                if (r->used[i] || edits_capped(&expected[e], &r->texts[i]) != want)
                    continue;
                out[e] = (pairing){i, want == 0 ? MATCH_EXACT : MATCH_ONE_EDIT};
                r->used[i] = TRUE;
            }
        }
    }
}

typedef struct {
    pairing plates[2];
    pairing containers[MANIFEST_MAX_CONTAINERS];
    int score;        /* 2 per exact match, 1 per one_edit */
    int exact_plates; /* the tie-break: plates name the vehicle */
    gboolean qualifies;
} candidate;

static int score_of(const pairing *p, int n, int *exact, gboolean *any)
{
    int score = 0;
    for (int i = 0; i < n; i++) {
        score += p[i].kind == MATCH_EXACT ? 2 : p[i].kind == MATCH_ONE_EDIT ? 1 : 0;
        *exact += p[i].kind == MATCH_EXACT;
        *any = *any || p[i].kind != MATCH_MISSING;
    }
    return score;
}

/* How the crossing's reads match vehicle `v`; leaves the reads each took marked used. */
static void evaluate(const vehicle *v, reads *plates, reads *containers, candidate *c)
{
    memset(plates->used, 0, sizeof(gboolean) * plates->n);
    memset(containers->used, 0, sizeof(gboolean) * containers->n);
    pair_texts(v->plates, v->n_plates, plates, c->plates);
    pair_texts(v->containers, v->n_containers, containers, c->containers);
    int exact_containers = 0;
    gboolean plate_matched = FALSE, container_matched = FALSE;
    c->exact_plates = 0;
    c->score = score_of(c->plates, v->n_plates, &c->exact_plates, &plate_matched) +
               score_of(c->containers, v->n_containers, &exact_containers, &container_matched);
    c->qualifies = plate_matched || container_matched;
}

static gboolean better(const candidate *c, const candidate *best)
{
    if (c->score != best->score)
        return c->score > best->score;
    return c->exact_plates > best->exact_plates;
}

/* The index of the expected vehicle (-1: none), its pairing in *best, and the reads it
 * took marked used. */
static int pick_vehicle(const GPtrArray *vehicles, gint64 ts_us, reads *plates, reads *containers,
                        candidate *best)
{
    int chosen = -1;
    for (guint i = 0; i < vehicles->len; i++) {
        const vehicle *v = g_ptr_array_index(vehicles, i);
        candidate c = {0};
        if (!vehicle_valid_at(v, ts_us))
            continue;
        evaluate(v, plates, containers, &c);
        if (c.qualifies && (chosen < 0 || better(&c, best))) {
            *best = c;
            chosen = (int)i;
        }
    }
    if (chosen >= 0) {
        evaluate(g_ptr_array_index(vehicles, chosen), plates, containers, best);
    } else {
        memset(plates->used, 0, sizeof(gboolean) * plates->n);
        memset(containers->used, 0, sizeof(gboolean) * containers->n);
    }
    return chosen;
}

static void add_pair(JsonBuilder *b, const char *expected, const char *read, const char *match)
{
    json_builder_begin_object(b);
    add_nullable(b, "expected", expected);
    add_nullable(b, "read", read);
    json_builder_set_member_name(b, "match");
    json_builder_add_string_value(b, match);
    json_builder_end_object(b);
}

static void add_pairs(JsonBuilder *b, const char *name, const text *expected, const pairing *p,
                      int n, const reads *r)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_array(b);
    for (int e = 0; e < n; e++)
        add_pair(b, expected[e].utf8, p[e].read >= 0 ? r->texts[p[e].read].utf8 : NULL,
                 match_name(p[e].kind));
    if (r != NULL && strcmp(name, "containers") == 0)
        for (int i = 0; i < r->n; i++)
            if (!r->used[i] && r->texts[i].n_chars > 0)
                add_pair(b, NULL, r->texts[i].utf8, "unexpected");
    json_builder_end_array(b);
}

static gboolean has_string(const GPtrArray *a, const char *s)
{
    for (guint i = 0; a != NULL && i < a->len; i++)
        if (strcmp(g_ptr_array_index(a, i), s) == 0)
            return TRUE;
    return FALSE;
}

/* The mismatch rule: the vehicle's plate or trailer plate matched exactly and a verified
 * container read is not exactly one of its codes. Appends a reason per such code. */
static gboolean find_mismatch(const vehicle *v, const candidate *c, const manifest_read *in,
                              const reads *containers, GPtrArray *reasons)
{
    if (c->exact_plates == 0)
        return FALSE;
    gboolean differs = FALSE;
    for (int i = 0; i < containers->n; i++) {
        const char *code = containers->texts[i].utf8;
        if (!in[i].verified || containers->texts[i].n_chars == 0 || vehicle_has_container(v, code))
            continue;
        differs = TRUE;
        char *reason = g_strconcat("manifest_container_differs:", code, NULL);
        if (reasons != NULL && !has_string(reasons, reason))
            g_ptr_array_add(reasons, reason);
        else
            g_free(reason);
    }
    return differs;
}

static gboolean all_exact(const vehicle *v, const candidate *c, const reads *containers)
{
    for (int i = 0; i < v->n_plates; i++)
        if (c->plates[i].kind != MATCH_EXACT)
            return FALSE;
    for (int i = 0; i < v->n_containers; i++)
        if (c->containers[i].kind != MATCH_EXACT)
            return FALSE;
    for (int i = 0; i < containers->n; i++)
        if (!containers->used[i] && containers->texts[i].n_chars > 0)
            return FALSE; /* a container read left over */
    return TRUE;
}

static JsonNode *build_match(const vehicle *v, const candidate *c, const char *result,
                             const reads *plates, const reads *containers)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_nullable(b, "vehicle_id", v != NULL ? v->id : NULL);
    json_builder_set_member_name(b, "result");
    json_builder_add_string_value(b, result);
    add_pairs(b, "plates", v != NULL ? v->plates : NULL, c->plates, v != NULL ? v->n_plates : 0,
              plates);
    add_pairs(b, "containers", v != NULL ? v->containers : NULL, c->containers,
              v != NULL ? v->n_containers : 0, containers);
    json_builder_end_object(b);
    JsonNode *node = json_builder_get_root(b);
    g_object_unref(b);
    return node;
}

JsonNode *manifest_match(manifest *m, gint64 ts_us, const manifest_read *plates, int n_plates,
                         const manifest_read *containers, int n_containers, GPtrArray *reasons,
                         gboolean *mismatch)
{
    if (mismatch != NULL)
        *mismatch = FALSE;
    g_mutex_lock(&m->lock);
    if (m->vehicles == NULL) {
        g_mutex_unlock(&m->lock);
        return NULL;
    }
    reads pr, cr;
    reads_init(&pr, plates, n_plates);
    reads_init(&cr, containers, n_containers);
    candidate best = {0};
    int chosen = pick_vehicle(m->vehicles, ts_us, &pr, &cr, &best);
    const vehicle *v = chosen >= 0 ? g_ptr_array_index(m->vehicles, chosen) : NULL;
    const char *result = "not_expected";
    if (v != NULL && find_mismatch(v, &best, containers, &cr, reasons)) {
        result = "mismatch";
        if (mismatch != NULL)
            *mismatch = TRUE;
    } else if (v != NULL) {
        result = all_exact(v, &best, &cr) ? "match" : "partial";
    }
    JsonNode *node = build_match(v, &best, result, &pr, &cr);
    g_mutex_unlock(&m->lock);
    reads_clear(&pr);
    reads_clear(&cr);
    return node;
}
