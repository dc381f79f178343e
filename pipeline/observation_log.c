/*
 * observation_log.c — the observation line format (see observation_log.h): writing a
 * line, and parsing one back with an error that says which field is wrong.
 */
#include "observation_log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_PER_READ 12
#define FIELDS_PER_BLOB 4
#define HEAD_FIELDS 8 /* camera, time, moving, the box, the blob count */

/* The box around a read's quad. */
static lane_box read_box(const gatecv_read *r)
{
    float x0 = r->quad[0].x, y0 = r->quad[0].y, x1 = x0, y1 = y0;
    for (int k = 1; k < 4; k++) {
        x0 = MIN(x0, r->quad[k].x);
        y0 = MIN(y0, r->quad[k].y);
        x1 = MAX(x1, r->quad[k].x);
        y1 = MAX(y1, r->quad[k].y);
    }
    return (lane_box){x0, y0, x1 - x0, y1 - y0};
}

/* What the fusion is given must come back from the log unchanged, or gatecv-fuse decides
 * otherwise than the daemon did: a read's confidence and box are floats, written with the
 * nine digits a float needs to round-trip (a confidence rounded to 4 decimals turned a tie
 * and changed which read stood for a text); stream times to the microsecond. */
#define TIME_FORMAT "%.6f"

void observation_log_write(FILE *out, const lane_observation *o)
{
    char t[G_ASCII_DTOSTR_BUF_SIZE];
    int n_blobs = CLAMP(o->n_blobs, 0, LANE_MAX_BLOBS);
    fprintf(out, "%d\t%s\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%d", o->camera,
            g_ascii_formatd(t, sizeof t, TIME_FORMAT, o->t), o->moving ? 1 : 0, o->x, o->y, o->width,
            o->height, n_blobs);
    for (int i = 0; i < n_blobs; i++)
        fprintf(out, "\t%.0f\t%.0f\t%.0f\t%.0f", o->blobs[i].x, o->blobs[i].y, o->blobs[i].width,
                o->blobs[i].height);
    fprintf(out, "\t%d", o->n_reads);
    for (int i = 0; i < o->n_reads; i++) {
        const gatecv_read *r = &o->reads[i];
        const char *country = r->kind == READ_PLATE ? gatecv_country_name(r->country) : NULL;
        char conf[G_ASCII_DTOSTR_BUF_SIZE];
        lane_box at = read_box(r);
        fprintf(out, "\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.9g\t%.9g\t%.9g\t%.9g",
                r->kind == READ_PLATE ? "plate" : "container", r->valid ? 1 : 0,
                g_ascii_formatd(conf, sizeof conf, "%.9g", r->confidence), country ? country : "-",
                gatecv_layout_name(r->layout), r->text, r->display,
                r->size_type[0] ? r->size_type : "-", at.x, at.y, at.width, at.height);
    }
    fputc('\n', out);
}

void observation_log_write_done(FILE *out, int camera, double t)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    fprintf(out, "done\t%d\t%s\n", camera, g_ascii_formatd(buf, sizeof buf, TIME_FORMAT, t));
}

void observation_log_write_state(FILE *out, int camera, double t, gboolean up)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    fprintf(out, "%s\t%d\t%s\n", up ? "up" : "down", camera,
            g_ascii_formatd(buf, sizeof buf, TIME_FORMAT, t));
}

gboolean observation_log_parse_state(const char *line, int *camera, double *t, gboolean *up)
{
    gchar **f = g_strsplit(line, "\t", -1);
    gboolean state = g_strv_length(f) == 3 && (strcmp(f[0], "up") == 0 || strcmp(f[0], "down") == 0);
    if (state) {
        *up = strcmp(f[0], "up") == 0;
        *camera = atoi(f[1]);
        *t = g_ascii_strtod(f[2], NULL);
    }
    g_strfreev(f);
    return state;
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
    r->country = strcmp(f[3], "VN") == 0   ? PLATE_VN
                 : strcmp(f[3], "CN") == 0 ? PLATE_CN
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
    float x = (float)g_ascii_strtod(f[8], NULL), y = (float)g_ascii_strtod(f[9], NULL);
    float w = (float)g_ascii_strtod(f[10], NULL), h = (float)g_ascii_strtod(f[11], NULL);
    r->quad[0] = (gcv_point){x, y};
    r->quad[1] = (gcv_point){x + w, y};
    r->quad[2] = (gcv_point){x + w, y + h};
    r->quad[3] = (gcv_point){x, y + h};
    return TRUE;
bad:
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "read kind '%s' is not plate or container",
                f[0]);
    return FALSE;
}

void observation_log_write_trigger(FILE *out, double t, gboolean present)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    fprintf(out, "trigger\t%s\t%s\n", g_ascii_formatd(buf, sizeof buf, TIME_FORMAT, t),
            present ? "present" : "gone");
}

/* "trigger<TAB>time<TAB>present|gone" into o->t and o->moving (camera -1). */
static gboolean parse_trigger(gchar **f, lane_observation *o, GError **error)
{
    char *end = NULL;
    o->camera = -1;
    o->t = g_ascii_strtod(f[1], &end);
    o->moving = strcmp(f[2], "present") == 0;
    if (end == f[1] || *end || !isfinite(o->t) || (!o->moving && strcmp(f[2], "gone") != 0)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "trigger line: expected a time and present or gone, got '%s' '%s'", f[1],
                    f[2]);
        return FALSE;
    }
    return TRUE;
}

gboolean observation_log_parse(const char *line, lane_observation *o, GArray *reads,
                               observation_line *kind, GError **error)
{
    gchar **f = g_strsplit(line, "\t", -1);
    guint n = g_strv_length(f);
    gboolean ok = FALSE;
    g_array_set_size(reads, 0);
    memset(o, 0, sizeof *o);
    *kind = OBSERVATION_FRAME;
    if (n == 3 && strcmp(f[0], "done") == 0) {
        *kind = OBSERVATION_DONE;
        o->camera = atoi(f[1]);
        o->t = g_ascii_strtod(f[2], NULL);
        g_strfreev(f);
        return TRUE;
    }
    if (n == 3 && strcmp(f[0], "trigger") == 0) {
        *kind = OBSERVATION_TRIGGER;
        ok = parse_trigger(f, o, error);
        g_strfreev(f);
        return ok;
    }
    if (n < HEAD_FIELDS + 1) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%u fields, expected at least %d", n,
                    HEAD_FIELDS + 1);
        goto out;
    }
    char *end, *blobs_end;
    o->camera = (int)strtol(f[0], &end, 10);
    o->t = g_ascii_strtod(f[1], NULL);
    o->moving = strcmp(f[2], "1") == 0;
    o->x = (float)g_ascii_strtod(f[3], NULL);
    o->y = (float)g_ascii_strtod(f[4], NULL);
    o->width = (float)g_ascii_strtod(f[5], NULL);
    o->height = (float)g_ascii_strtod(f[6], NULL);
    long n_blobs = strtol(f[7], &blobs_end, 10);
    guint reads_at = HEAD_FIELDS + (guint)CLAMP(n_blobs, 0, LANE_MAX_BLOBS) * FIELDS_PER_BLOB;
    if (*end || *blobs_end || n_blobs < 0 || n_blobs > LANE_MAX_BLOBS || n <= reads_at) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "camera '%s' or blob count '%s' (at most %d) does not match the %u fields",
                    f[0], f[7], LANE_MAX_BLOBS, n);
        goto out;
    }
    int n_reads = atoi(f[reads_at]);
    if (n_reads < 0 || n != reads_at + 1 + (guint)n_reads * FIELDS_PER_READ) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "read count '%s' does not match the %u fields", f[reads_at], n);
        goto out;
    }
    o->n_blobs = (int)n_blobs;
    for (int i = 0; i < o->n_blobs; i++) {
        gchar **b = f + HEAD_FIELDS + i * FIELDS_PER_BLOB;
        o->blobs[i] =
            (lane_box){(float)g_ascii_strtod(b[0], NULL), (float)g_ascii_strtod(b[1], NULL),
                       (float)g_ascii_strtod(b[2], NULL), (float)g_ascii_strtod(b[3], NULL)};
    }
    for (int i = 0; i < n_reads; i++) {
        gatecv_read r;
        if (!parse_read(f + reads_at + 1 + i * FIELDS_PER_READ, &r, error))
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
