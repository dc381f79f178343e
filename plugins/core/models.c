/*
 * models.c — loads and checks the converted PP-OCRv4 models and the character list.
 * Owns the gatecv_models struct and everything in it.
 */
#include "models.h"

#include <stdlib.h>
#include <string.h>

#include "gatecv_error.h"

#define FIX_HINT "run models/fetch-models.sh (or make models) to fetch and convert it"

G_DEFINE_QUARK(gatecv-error-quark, gatecv_error)

const char *gatecv_model_dir(const char *override)
{
    if (override && *override)
        return override;
    const char *env = g_getenv("GATECV_MODEL_DIR");
    if (env && *env)
        return env;
    return GATECV_DEFAULT_MODEL_DIR;
}

/* The recogniser's classes: 0 = CTC blank, 1..n = keys.txt lines, n+1 = space. */
static gboolean load_charset(gatecv_models *m, const char *path, GError **error)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING,
                    "character list %s is missing: " FIX_HINT, path);
        return FALSE;
    }
    gchar **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    guint n = g_strv_length(lines);
    if (n > 0 && lines[n - 1][0] == '\0')
        n--; /* trailing newline */
    m->n_classes = (int)n + 2;
    m->charset = g_new0(char *, m->n_classes + 1);
    m->charset[0] = g_strdup("");
    for (guint i = 0; i < n; i++) {
        g_strchomp(lines[i]);
        m->charset[i + 1] = g_strdup(lines[i]);
    }
    m->charset[n + 1] = g_strdup(" ");
    g_strfreev(lines);
    if (n < 100 || !g_utf8_validate(m->charset[1], -1, NULL)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "character list %s is corrupt (%u lines): " FIX_HINT, path, n);
        return FALSE;
    }
    return TRUE;
}

static gcv_net *load_net(const char *path, double *ms, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_MISSING,
                    "model %s is missing: " FIX_HINT, path);
        return NULL;
    }
    gint64 t0 = g_get_monotonic_time();
    gcv_net *net = gcv_net_load_onnx(path);
    *ms = (g_get_monotonic_time() - t0) / 1000.0;
    if (!net)
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID, "%s; " FIX_HINT,
                    gcv_last_error());
    return net;
}

/* One forward pass of the given input; the output must have the expected shape
 * (a -1 in `want` matches any size). */
static gboolean check_shapes(gcv_net *net, const char *path, const int in[4], const int *want,
                             int want_dims, GError **error)
{
    size_t n = (size_t)in[0] * in[1] * in[2] * in[3];
    float *blob = g_new0(float, n);
    float *out = NULL;
    int shape[8], dims = 0;
    int rc = gcv_net_forward(net, blob, in, &out, shape, &dims);
    g_free(blob);
    free(out);
    if (rc < 0) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "model %s does not take input %dx%dx%dx%d (%s): " FIX_HINT, path, in[0], in[1],
                    in[2], in[3], gcv_last_error());
        return FALSE;
    }
    gboolean ok = dims == want_dims;
    for (int i = 0; ok && i < dims; i++)
        ok = want[i] < 0 || want[i] == shape[i];
    if (!ok) {
        GString *got = g_string_new(NULL);
        for (int i = 0; i < dims; i++)
            g_string_append_printf(got, i ? "x%d" : "%d", shape[i]);
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_MODEL_INVALID,
                    "model %s gives output %s for input %dx%dx%dx%d, not the expected shape "
                    "(wrong model in that file?): " FIX_HINT,
                    path, got->str, in[0], in[1], in[2], in[3]);
        g_string_free(got, TRUE);
    }
    return ok;
}

/* rec-<W>.onnx for each narrow width, each checked like rec.onnx. */
static gboolean load_narrow_recognisers(gatecv_models *m, const char *dir, GError **error)
{
    static const int widths[GATECV_REC_N_NARROW] = GATECV_REC_NARROW_WIDTHS;
    for (int i = 0; i < GATECV_REC_N_NARROW; i++) {
        gchar *name = g_strdup_printf("rec-%d.onnx", widths[i]);
        gchar *path = g_build_filename(dir, name, NULL);
        double ms = 0;
        m->rec_narrow_width[i] = widths[i];
        m->rec_narrow[i] = load_net(path, &ms, error);
        m->rec_load_ms += ms;
        const int in[4] = {1, 3, GATECV_REC_HEIGHT, widths[i]};
        const int want[3] = {1, widths[i] / GATECV_REC_STRIDE, m->n_classes};
        gboolean ok = m->rec_narrow[i] && check_shapes(m->rec_narrow[i], path, in, want, 3, error);
        g_free(name);
        g_free(path);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

gatecv_models *gatecv_models_load(const char *dir, GError **error)
{
    gatecv_models *m = g_new0(gatecv_models, 1);
    m->dir = g_strdup(dir);
    gchar *det_path = g_build_filename(dir, "det.onnx", NULL);
    gchar *rec_path = g_build_filename(dir, "rec.onnx", NULL);
    gchar *keys_path = g_build_filename(dir, "keys.txt", NULL);
    gboolean ok = FALSE;

    if (!load_charset(m, keys_path, error))
        goto out;
    m->det_path = g_strdup(det_path);
    gcv_net *det = load_net(det_path, &m->det_load_ms, error);
    if (!det)
        goto out;
    m->det_cache[0] = (gatecv_det_instance){64, 96, det, 0};
    if (!(m->rec = load_net(rec_path, &m->rec_load_ms, error)))
        goto out;

    const int det_in[4] = {1, 3, 96, 64};
    const int det_want[4] = {1, 1, 96, 64};
    if (!check_shapes(det, det_path, det_in, det_want, 4, error))
        goto out;
    const int rec_in[4] = {1, 3, GATECV_REC_HEIGHT, GATECV_REC_WIDTH};
    const int rec_want[3] = {1, GATECV_REC_STEPS, m->n_classes};
    if (!check_shapes(m->rec, rec_path, rec_in, rec_want, 3, error))
        goto out;
    ok = load_narrow_recognisers(m, dir, error);
out:
    g_free(det_path);
    g_free(rec_path);
    g_free(keys_path);
    if (!ok) {
        gatecv_models_free(m);
        return NULL;
    }
    return m;
}

void gatecv_models_free(gatecv_models *m)
{
    if (!m)
        return;
    for (int i = 0; i < GATECV_DET_CACHE; i++)
        gcv_net_free(m->det_cache[i].net);
    g_free(m->det_path);
    gcv_net_free(m->rec);
    for (int i = 0; i < GATECV_REC_N_NARROW; i++)
        gcv_net_free(m->rec_narrow[i]);
    g_strfreev(m->charset);
    g_free(m->dir);
    g_free(m);
}

gcv_net *gatecv_models_detector(gatecv_models *m, int width, int height, GError **error)
{
    gatecv_det_instance *slot = &m->det_cache[0];
    m->det_uses++;
    for (int i = 0; i < GATECV_DET_CACHE; i++) {
        gatecv_det_instance *d = &m->det_cache[i];
        if (d->net && d->width == width && d->height == height) {
            d->last_used = m->det_uses;
            return d->net;
        }
        if (!d->net || (slot->net && d->last_used < slot->last_used))
            slot = d;
    }
    double ms = 0;
    gcv_net *net = load_net(m->det_path, &ms, error);
    if (!net)
        return NULL;
    gcv_net_free(slot->net);
    *slot = (gatecv_det_instance){width, height, net, m->det_uses};
    m->det_loads++;
    return net;
}

gcv_net *gatecv_models_recogniser(const gatecv_models *m, int width, int *net_width)
{
    for (int i = 0; i < GATECV_REC_N_NARROW; i++)
        if (m->rec_narrow[i] && width <= m->rec_narrow_width[i]) {
            *net_width = m->rec_narrow_width[i];
            return m->rec_narrow[i];
        }
    *net_width = GATECV_REC_WIDTH;
    return m->rec;
}
