/*
 * scenegen_truth.c — view intervals per vehicle and camera, and the truth.json text:
 * fixed key order, two-space indentation, times with three decimals (g_ascii_formatd,
 * whatever the locale), strings escaped for JSON.
 */
#include <math.h>
#include <string.h>

#include "scenegen_truth.h"

sg_view *sg_truth_views(const sg_world *w, const sg_camera cams[SG_N_CAMERAS],
                        const bool rendered[SG_N_CAMERAS], int fps, int n_frames)
{
    sg_view *views = g_new(sg_view, (size_t)MAX(1, w->n) * SG_N_CAMERAS);
    for (int i = 0; i < MAX(1, w->n) * SG_N_CAMERAS; i++)
        views[i] = (sg_view){-1, -1};
    sg_item *items = g_new(sg_item, sg_scene_capacity(MAX(1, w->n)));
    int *cells = g_new(int, MAX(1, w->n));
    for (int c = 0; c < SG_N_CAMERAS; c++) {
        if (!rendered[c])
            continue;
        for (int k = 0; k < n_frames; k++) {
            int n = sg_camera_scene(&cams[c], w->vehicles, w->n, (double)k / fps, items);
            sg_camera_visibility(&cams[c], items, n, cells, w->n);
            for (int v = 0; v < w->n; v++) {
                sg_view *view = &views[v * SG_N_CAMERAS + c];
                if (cells[v] < SG_VIS_MIN_CELLS)
                    continue;
                if (view->enter < 0)
                    view->enter = k;
                view->exit = k;
            }
        }
    }
    g_free(items);
    g_free(cells);
    return views;
}

/* --- JSON text ---------------------------------------------------------------------------- */

static void json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(out, "\\u%04x", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
}

static void json_time(GString *out, double t)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (fabs(t) < 0.0005)
        t = 0.0; /* never "-0.000" */
    g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.3f", t));
}

static void json_plates(GString *out, const sg_vehicle *v)
{
    g_string_append(out, "      \"plates\": [");
    for (int i = 0; i < v->n_plates; i++) {
        const sg_plate *p = &v->plates[i];
        g_string_append(out, i ? ",\n        {" : "\n        {");
        g_string_append(out, "\"text\": ");
        json_string(out, p->text.label);
        g_string_append_printf(out, ", \"country\": \"%s\", \"layout\": \"%s\", \"position\": \"%s\"}",
                               sg_plate_is_cn(p) ? "CN" : "VN",
                               render_plate_style_two_line(p->style) ? "two_line" : "one_line",
                               sg_plate_position_name(p->position));
    }
    g_string_append(out, v->n_plates ? "\n      ],\n" : "],\n");
}

static void json_containers(GString *out, const sg_vehicle *v)
{
    g_string_append(out, "      \"containers\": [");
    for (int i = 0; i < v->n_containers; i++) {
        const sg_container *k = &v->containers[i];
        g_string_append(out, i ? ",\n        {" : "\n        {");
        g_string_append(out, "\"code\": ");
        json_string(out, k->text.code);
        g_string_append(out, ", \"size_type\": ");
        json_string(out, k->text.size_type);
        bool vertical = k->doors_visible && k->door_vertical;
        g_string_append_printf(out, ", \"layouts\": [\"horizontal\"%s]",
                               vertical ? ", \"vertical\"" : "");
        if (vertical) /* how the door's vertical code is laid out */
            g_string_append_printf(
                out, ", \"vertical\": {\"split\": %s, \"serial_lower\": %s, \"size_type\": \"%s\"}",
                k->door_style.split ? "true" : "false",
                k->door_style.serial_drop ? "true" : "false",
                render_size_type_place_name(k->door_style.size_type));
        else
            g_string_append(out, ", \"vertical\": null");
        g_string_append(out, "}");
    }
    g_string_append(out, v->n_containers ? "\n      ],\n" : "],\n");
}

static void json_views(GString *out, const sg_view *views, int vi, const sg_truth_meta *m)
{
    g_string_append(out, "      \"views\": {");
    bool first = true;
    for (int c = 0; c < SG_N_CAMERAS; c++) {
        if (!m->rendered[c])
            continue;
        const sg_view *view = &views[vi * SG_N_CAMERAS + c];
        g_string_append_printf(out, "%s\n        \"%s\": ", first ? "" : ",", sg_role_name((sg_role)c));
        first = false;
        if (view->enter < 0) {
            g_string_append(out, "null");
            continue;
        }
        g_string_append(out, "{\"enter_s\": ");
        json_time(out, (double)view->enter / m->fps);
        g_string_append(out, ", \"exit_s\": ");
        json_time(out, (double)view->exit / m->fps);
        g_string_append(out, "}");
    }
    g_string_append(out, "\n      }\n");
}

static void json_vehicle(GString *out, const sg_vehicle *v, const sg_view *views, int vi,
                         const sg_truth_meta *m)
{
    g_string_append_printf(out,
                           "    {\n      \"id\": %d,\n      \"kind\": \"%s\",\n"
                           "      \"direction\": \"%s\",\n      \"condition\": \"%s\",\n",
                           v->id, sg_kind_name(v->kind), sg_direction_name(v->direction),
                           sg_condition_name(v->condition));
    json_plates(out, v);
    json_containers(out, v);
    g_string_append(out, "      \"fleet_number\": ");
    if (v->fleet_number[0])
        json_string(out, v->fleet_number);
    else
        g_string_append(out, "null");
    g_string_append(out, ",\n      \"tripwire_s\": ");
    json_time(out, v->tripwire_s);
    g_string_append(out, ",\n      \"tripwire_clear_s\": ");
    json_time(out, v->tripwire_clear_s);
    g_string_append_printf(out, ",\n      \"stops_and_reverses\": %s,\n",
                           v->stops_and_reverses ? "true" : "false");
    json_views(out, views, vi, m);
    g_string_append(out, "    }");
}

char *sg_truth_json(const sg_world *w, const sg_view *views, const sg_truth_meta *m)
{
    GString *out = g_string_new("{\n  \"schema\": \"gatecv.truth/1\",\n");
    g_string_append_printf(out, "  \"seed\": %" G_GINT64_FORMAT ",\n  \"fps\": %d,\n", m->seed, m->fps);
    g_string_append_printf(out, "  \"width\": %d,\n  \"height\": %d,\n  \"duration_s\": ", m->width,
                           m->height);
    json_time(out, w->duration_s);
    g_string_append(out, ",\n  \"cameras\": [");
    bool first = true;
    for (int c = 0; c < SG_N_CAMERAS; c++) {
        if (!m->rendered[c])
            continue;
        g_string_append_printf(out, "%s\n    {\"role\": \"%s\", \"file\": \"%s.mkv\"}", first ? "" : ",",
                               sg_role_name((sg_role)c), sg_role_name((sg_role)c));
        first = false;
    }
    g_string_append(out, "\n  ],\n  \"vehicles\": [");
    for (int i = 0; i < w->n; i++) {
        g_string_append(out, i ? ",\n" : "\n");
        json_vehicle(out, &w->vehicles[i], views, i, m);
    }
    g_string_append(out, w->n ? "\n  ]\n}\n" : "]\n}\n");
    return g_string_free(out, FALSE);
}

bool sg_truth_write(const char *path, const sg_world *w, const sg_view *views,
                    const sg_truth_meta *meta, GError **error)
{
    char *text = sg_truth_json(w, views, meta);
    bool ok = g_file_set_contents(path, text, -1, error);
    g_free(text);
    return ok;
}
