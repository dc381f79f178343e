/*
 * observation_log.c — the observation line format (see observation_log.h): writing a
 * line, and parsing one back with an error that says which field is wrong.
 */
#include "observation_log.h"

#include <stdlib.h>
#include <string.h>

#define FIELDS_PER_READ 8
#define HEAD_FIELDS 8

void observation_log_write(FILE *out, const lane_observation *o)
{
    char t[G_ASCII_DTOSTR_BUF_SIZE];
    fprintf(out, "%d\t%s\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%d", o->camera,
            g_ascii_formatd(t, sizeof t, "%.3f", o->t), o->moving ? 1 : 0, o->x, o->y, o->width,
            o->height, o->n_reads);
    for (int i = 0; i < o->n_reads; i++) {
        const gatecv_read *r = &o->reads[i];
        const char *country = r->kind == READ_PLATE ? gatecv_country_name(r->country) : NULL;
        char conf[G_ASCII_DTOSTR_BUF_SIZE];
        fprintf(out, "\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s",
                r->kind == READ_PLATE ? "plate" : "container", r->valid ? 1 : 0,
                g_ascii_formatd(conf, sizeof conf, "%.4f", r->confidence), country ? country : "-",
                gatecv_layout_name(r->layout), r->text, r->display,
                r->size_type[0] ? r->size_type : "-");
    }
    fputc('\n', out);
}

void observation_log_write_done(FILE *out, int camera, double t)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    fprintf(out, "done\t%d\t%s\n", camera, g_ascii_formatd(buf, sizeof buf, "%.3f", t));
}

static gboolean parse_read(gchar **f, gatecv_read *r, GError **error)
{
    memset(r, 0, sizeof *r);
    if (strcmp(f[0], "plate") == 0)
        r->kind = READ_PLATE;
    else if (strcmp(f[0], "container") == 0)
        r->kind = READ_CONTAINER;
    else
        goto bad;
    r->valid = strcmp(f[1], "1") == 0;
    r->confidence = (float)g_ascii_strtod(f[2], NULL);
    r->country = strcmp(f[3], "VN") == 0 ? PLATE_VN : strcmp(f[3], "CN") == 0 ? PLATE_CN
                                                                             : PLATE_GENERIC;
    r->layout = LAYOUT_ONE_LINE;
    for (int l = LAYOUT_ONE_LINE; l <= LAYOUT_VERTICAL; l++)
        if (strcmp(f[4], gatecv_layout_name((gatecv_layout)l)) == 0)
            r->layout = (gatecv_layout)l;
    g_strlcpy(r->text, f[5], sizeof r->text);
    g_strlcpy(r->display, f[6], sizeof r->display);
    g_strlcpy(r->raw, f[5], sizeof r->raw);
    if (strcmp(f[7], "-") != 0)
        g_strlcpy(r->size_type, f[7], sizeof r->size_type);
    r->min_char_confidence = r->confidence;
    return TRUE;
bad:
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "read kind '%s' is not plate or container",
                f[0]);
    return FALSE;
}

gboolean observation_log_parse(const char *line, lane_observation *o, GArray *reads,
                               gboolean *done, GError **error)
{
    gchar **f = g_strsplit(line, "\t", -1);
    guint n = g_strv_length(f);
    gboolean ok = FALSE;
    g_array_set_size(reads, 0);
    memset(o, 0, sizeof *o);
    *done = n == 3 && strcmp(f[0], "done") == 0;
    if (*done) {
        o->camera = atoi(f[1]);
        o->t = g_ascii_strtod(f[2], NULL);
        g_strfreev(f);
        return TRUE;
    }
    if (n < HEAD_FIELDS) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%u fields, expected at least %d", n,
                    HEAD_FIELDS);
        goto out;
    }
    char *end;
    o->camera = (int)strtol(f[0], &end, 10);
    o->t = g_ascii_strtod(f[1], NULL);
    o->moving = strcmp(f[2], "1") == 0;
    o->x = (float)g_ascii_strtod(f[3], NULL);
    o->y = (float)g_ascii_strtod(f[4], NULL);
    o->width = (float)g_ascii_strtod(f[5], NULL);
    o->height = (float)g_ascii_strtod(f[6], NULL);
    int n_reads = atoi(f[7]);
    if (*end || n_reads < 0 || n != HEAD_FIELDS + (guint)n_reads * FIELDS_PER_READ) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "camera '%s' or read count '%s' does not match the %u fields", f[0], f[7], n);
        goto out;
    }
    for (int i = 0; i < n_reads; i++) {
        gatecv_read r;
        if (!parse_read(f + HEAD_FIELDS + i * FIELDS_PER_READ, &r, error))
            goto out;
        g_array_append_val(reads, r);
    }
    o->reads = (const gatecv_read *)reads->data;
    o->n_reads = n_reads;
    ok = TRUE;
out:
    g_strfreev(f);
    return ok;
}
