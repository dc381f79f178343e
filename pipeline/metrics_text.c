/*
 * metrics_text.c — the metrics registry and its exposition text (see metrics_text.h). Owns
 * the families, their series and the lock over them.
 */
#include "metrics_text.h"

#include <math.h>
#include <string.h>

typedef struct {
    gchar **values; /* label values, one per label name */
    double value;   /* counter or gauge */
    guint64 *counts; /* histogram: observations per bucket (not cumulative), n_bounds + 1 */
    double sum;
    guint64 count;
} series;

struct metrics_family {
    metrics_registry *registry;
    metrics_type type;
    gchar *name, *help;
    gchar **labels; /* NULL-terminated, never NULL */
    int n_labels;
    double bounds[METRICS_MAX_BUCKETS];
    int n_bounds;
    GPtrArray *series; /* series*, in the order they were made */
};

struct metrics_registry {
    GMutex lock;
    GPtrArray *families; /* metrics_family*, in registration order */
};

static void series_free(gpointer data)
{
    series *s = data;
    g_strfreev(s->values);
    g_free(s->counts);
    g_free(s);
}

static void family_free(gpointer data)
{
    metrics_family *f = data;
    g_free(f->name);
    g_free(f->help);
    g_strfreev(f->labels);
    g_ptr_array_unref(f->series);
    g_free(f);
}

metrics_registry *metrics_registry_new(void)
{
    metrics_registry *r = g_new0(metrics_registry, 1);
    g_mutex_init(&r->lock);
    r->families = g_ptr_array_new_with_free_func(family_free);
    return r;
}

void metrics_registry_free(metrics_registry *r)
{
    if (!r)
        return;
    g_ptr_array_unref(r->families);
    g_mutex_clear(&r->lock);
    g_free(r);
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names the same without ':'. */
static gboolean valid_name(const char *name, gboolean colon)
{
    if (!name || !*name || g_ascii_isdigit(name[0]))
        return FALSE;
    for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '_' && !(colon && *p == ':'))
            return FALSE;
    return TRUE;
}

metrics_family *metrics_register(metrics_registry *r, metrics_type type, const char *name,
                                 const char *help, const char *const *labels,
                                 const double *bounds, int n_bounds)
{
    g_return_val_if_fail(valid_name(name, TRUE), NULL);
    g_return_val_if_fail(type != METRICS_COUNTER || g_str_has_suffix(name, "_total"), NULL);
    g_return_val_if_fail((type == METRICS_HISTOGRAM) == (n_bounds > 0), NULL);
    g_return_val_if_fail(n_bounds <= METRICS_MAX_BUCKETS, NULL);
    for (int i = 1; i < n_bounds; i++)
        g_return_val_if_fail(bounds[i] > bounds[i - 1], NULL);
    int n_labels = 0;
    for (; labels && labels[n_labels]; n_labels++) {
        g_return_val_if_fail(valid_name(labels[n_labels], FALSE), NULL);
        g_return_val_if_fail(type != METRICS_HISTOGRAM || strcmp(labels[n_labels], "le"), NULL);
    }
    g_return_val_if_fail(n_labels <= METRICS_MAX_LABELS, NULL);
    metrics_family *f = g_new0(metrics_family, 1);
    f->registry = r;
    f->type = type;
    f->name = g_strdup(name);
    f->help = g_strdup(help ? help : "");
    f->labels = labels ? g_strdupv((gchar **)labels) : g_new0(gchar *, 1);
    f->n_labels = n_labels;
    if (n_bounds > 0)
        memcpy(f->bounds, bounds, sizeof(double) * (size_t)n_bounds);
    f->n_bounds = n_bounds;
    f->series = g_ptr_array_new_with_free_func(series_free);
    g_mutex_lock(&r->lock);
    g_ptr_array_add(r->families, f);
    g_mutex_unlock(&r->lock);
    return f;
}

/* The series of these label values, made on first use. Lock held. */
static series *series_of(metrics_family *f, const char *const *values)
{
    for (guint i = 0; i < f->series->len; i++) {
        series *s = f->series->pdata[i];
        gboolean same = TRUE;
        for (int k = 0; same && k < f->n_labels; k++)
            same = strcmp(s->values[k], values[k]) == 0;
        if (same)
            return s;
    }
    series *s = g_new0(series, 1);
    s->values = g_new0(gchar *, f->n_labels + 1);
    for (int k = 0; k < f->n_labels; k++)
        s->values[k] = g_strdup(values[k]);
    if (f->type == METRICS_HISTOGRAM)
        s->counts = g_new0(guint64, f->n_bounds + 1);
    g_ptr_array_add(f->series, s);
    return s;
}

static gboolean values_given(const metrics_family *f, const char *const *values)
{
    for (int k = 0; k < f->n_labels; k++)
        if (!values || !values[k])
            return FALSE;
    return TRUE;
}

void metrics_set(metrics_family *f, const char *const *values, double v)
{
    g_return_if_fail(f && f->type != METRICS_HISTOGRAM && values_given(f, values));
    g_mutex_lock(&f->registry->lock);
    series_of(f, values)->value = v;
    g_mutex_unlock(&f->registry->lock);
}

void metrics_add(metrics_family *f, const char *const *values, double delta)
{
    g_return_if_fail(f && f->type != METRICS_HISTOGRAM && values_given(f, values));
    g_mutex_lock(&f->registry->lock);
    series_of(f, values)->value += delta;
    g_mutex_unlock(&f->registry->lock);
}

void metrics_observe(metrics_family *f, const char *const *values, double v)
{
    g_return_if_fail(f && f->type == METRICS_HISTOGRAM && values_given(f, values));
    int b = 0; /* the first bucket whose bound holds v; n_bounds: +Inf */
    while (b < f->n_bounds && !(v <= f->bounds[b]))
        b++;
    g_mutex_lock(&f->registry->lock);
    series *s = series_of(f, values);
    s->counts[b]++;
    s->sum += v;
    s->count++;
    g_mutex_unlock(&f->registry->lock);
}

void metrics_escape_label(GString *out, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '"')
            g_string_append(out, "\\\"");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *p);
    }
}

/* HELP text escapes backslash and newline only. */
static void escape_help(GString *out, const char *help)
{
    for (const char *p = help; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *p);
    }
}

/* Whole numbers as they are; others in the shortest text that reads back as v (0.1, not
 * 0.10000000000000001), in the C locale whatever the process's; +Inf, -Inf and NaN as the
 * format spells them. */
static void append_number(GString *out, double v)
{
    if (isnan(v)) {
        g_string_append(out, "NaN");
        return;
    }
    if (isinf(v)) {
        g_string_append(out, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    char buf[G_ASCII_DTOSTR_BUF_SIZE], format[8];
    if (v == floor(v) && fabs(v) < 1e15) { /* counts: 20000, not 2e+04 */
        g_string_append_printf(out, "%.0f", v);
        return;
    }
    for (int precision = 1; precision <= 17; precision++) {
        g_snprintf(format, sizeof format, "%%.%dg", precision);
        g_ascii_formatd(buf, sizeof buf, format, v);
        if (g_ascii_strtod(buf, NULL) == v)
            break;
    }
    g_string_append(out, buf);
}

/* name{a="x",b="y"[,le="bound"]}: the braces only when there is a label. */
static void append_series_name(GString *out, const metrics_family *f, const char *suffix,
                               const series *s, const char *le)
{
    g_string_append(out, f->name);
    g_string_append(out, suffix);
    if (f->n_labels == 0 && !le)
        return;
    g_string_append_c(out, '{');
    for (int k = 0; k < f->n_labels; k++) {
        g_string_append_printf(out, "%s%s=\"", k ? "," : "", f->labels[k]);
        metrics_escape_label(out, s->values[k]);
        g_string_append_c(out, '"');
    }
    if (le)
        g_string_append_printf(out, "%sle=\"%s\"", f->n_labels ? "," : "", le);
    g_string_append_c(out, '}');
}

static void render_histogram(GString *out, const metrics_family *f, const series *s)
{
    guint64 cumulative = 0;
    for (int b = 0; b <= f->n_bounds; b++) {
        cumulative += s->counts[b];
        GString *le = g_string_new(NULL);
        append_number(le, b < f->n_bounds ? f->bounds[b] : INFINITY);
        append_series_name(out, f, "_bucket", s, le->str);
        g_string_append_printf(out, " %" G_GUINT64_FORMAT "\n", cumulative);
        g_string_free(le, TRUE);
    }
    append_series_name(out, f, "_sum", s, NULL);
    g_string_append_c(out, ' ');
    append_number(out, s->sum);
    g_string_append_c(out, '\n');
    append_series_name(out, f, "_count", s, NULL);
    g_string_append_printf(out, " %" G_GUINT64_FORMAT "\n", s->count);
}

static const char *type_name(metrics_type t)
{
    return t == METRICS_COUNTER ? "counter" : t == METRICS_GAUGE ? "gauge" : "histogram";
}

char *metrics_render(metrics_registry *r)
{
    GString *out = g_string_new(NULL);
    g_mutex_lock(&r->lock);
    for (guint i = 0; i < r->families->len; i++) {
        const metrics_family *f = r->families->pdata[i];
        g_string_append_printf(out, "# HELP %s ", f->name);
        escape_help(out, f->help);
        g_string_append_printf(out, "\n# TYPE %s %s\n", f->name, type_name(f->type));
        for (guint k = 0; k < f->series->len; k++) {
            const series *s = f->series->pdata[k];
            if (f->type == METRICS_HISTOGRAM) {
                render_histogram(out, f, s);
                continue;
            }
            append_series_name(out, f, "", s, NULL);
            g_string_append_c(out, ' ');
            append_number(out, s->value);
            g_string_append_c(out, '\n');
        }
    }
    g_mutex_unlock(&r->lock);
    return g_string_free(out, FALSE);
}
