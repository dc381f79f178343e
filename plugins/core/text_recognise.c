/*
 * text_recognise.c — PP-OCRv4 recogniser: crop warping, normalisation, forward pass
 * and greedy CTC decoding. Owns nothing past a call.
 */
#include "text_recognise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gatecv_error.h"

static float dist(gcv_point a, gcv_point b)
{
    return hypotf(a.x - b.x, a.y - b.y);
}

gcv_image *text_crop_quad(const gcv_image *bgr, const gcv_point quad[4])
{
    float w = fmaxf(dist(quad[0], quad[1]), dist(quad[3], quad[2]));
    float h = fmaxf(dist(quad[0], quad[3]), dist(quad[1], quad[2]));
    if (w < 2 || h < 2)
        return NULL;
    return gcv_warp_quad(bgr, quad, (int)lroundf(w), (int)lroundf(h));
}

/* Greedy CTC: best class per step, repeats collapsed, blanks dropped. */
static void ctc_decode(const gatecv_models *m, const float *probs, int steps, int classes,
                       text_line *out)
{
    memset(out, 0, sizeof *out);
    int prev = 0;
    double sum = 0;
    for (int t = 0; t < steps; t++) {
        const float *p = probs + (size_t)t * classes;
        int best = 0, second = 0;
        for (int k = 1; k < classes; k++) {
            if (p[k] > p[best]) {
                second = best;
                best = k;
            } else if (second == best || p[k] > p[second]) {
                second = k;
            }
        }
        if (best != 0 && best != prev && out->n < TEXT_LINE_MAX_CHARS) {
            text_char *c = &out->chars[out->n++];
            c->ch = m->charset[best];
            c->prob = p[best];
            c->alt = m->charset[second];
            c->alt_prob = second != best ? p[second] : 0.0f;
            c->step = t;
            sum += p[best];
        } else if (best != 0 && best == prev && out->n > 0) {
            /* a repeated step of the same character: keep its most confident step */
            text_char *c = &out->chars[out->n - 1];
            if (p[best] > c->prob) {
                sum += p[best] - c->prob;
                c->prob = p[best];
            }
        }
        prev = best;
    }
    out->confidence = out->n ? (float)(sum / out->n) : 0.0f;
}

int text_recognise_image(const gatecv_models *m, const gcv_image *line, bool narrow,
                         text_line *out, GError **error)
{
    const int H = GATECV_REC_HEIGHT;
    int w = (int)ceilf((float)H * line->width / line->height);
    if (w > GATECV_REC_WIDTH)
        w = GATECV_REC_WIDTH;
    if (w < 1)
        w = 1;
    int W = GATECV_REC_WIDTH;
    gcv_net *rec = narrow ? gatecv_models_recogniser(m, w, &W) : m->rec;
    gcv_image *colour = line->channels == 3 ? NULL : gcv_to_bgr(line);
    gcv_image *resized = gcv_resize(colour ? colour : line, w, H, GCV_INTER_LINEAR);
    gcv_image_free(colour);
    if (!resized) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "recogniser resize: %s",
                    gcv_last_error());
        return -1;
    }
    /* (pixel/255 - 0.5) / 0.5 per channel; the padding right of the text stays 0. */
    float *blob = g_new0(float, (size_t)3 * H * W);
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < H; y++) {
            const uint8_t *row = resized->data + (size_t)y * resized->stride;
            float *dst = blob + (size_t)c * H * W + (size_t)y * W;
            for (int x = 0; x < w; x++)
                dst[x] = row[x * 3 + c] / 127.5f - 1.0f;
        }
    gcv_image_free(resized);

    const int in[4] = {1, 3, H, W};
    float *probs = NULL;
    int shape[8], dims = 0;
    gatecv_models_recogniser_hold(m, rec); /* the models may serve several threads */
    int rc = gcv_net_forward(rec, blob, in, &probs, shape, &dims);
    gatecv_models_recogniser_release(m, rec);
    g_free(blob);
    if (rc < 0 || dims != 3 || shape[2] != m->n_classes) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "recogniser forward: %s",
                    rc < 0 ? gcv_last_error() : "unexpected output shape");
        free(probs);
        return -1;
    }
    ctc_decode(m, probs, shape[1], shape[2], out);
    free(probs);
    return 0;
}

char *text_line_string(const text_line *line)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < line->n; i++)
        g_string_append(s, line->chars[i].ch);
    return g_string_free(s, FALSE);
}
