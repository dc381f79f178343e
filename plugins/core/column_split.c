/*
 * column_split.c — a detector box of several columns side by side cut into one box per
 * column by its profile across. Owns nothing past a call.
 */
#define G_LOG_DOMAIN "gatecv-reader"
#include "column_split.h"

#include <math.h>
#include <string.h>

#include "text_recognise.h"
#include "vertical_text.h"

#define COLUMN_SPLIT_RATIO 2.2f /* as reader.c: taller than this many widths is a column */
#define INK_LEVEL 0.3f  /* a pixel column is ink above this share of the profile's range */
#define STRONG_LEVEL 0.5f /* a column's strongest pixel column reaches this share */
#define MAX_PITCH 2.2f /* a column's character pitch is at most this many of its widths */

/* How much each pixel column's grey levels vary down the crop: their standard deviation
 * once each row's mean is taken off (light that changes down the crop changes whole rows;
 * ribs and edges running down the crop do not vary down it). */
static void down_variation(const gcv_image *grey, float *out)
{
    int w = grey->width, h = grey->height;
    double *s = g_new0(double, w), *s2 = g_new0(double, w);
    for (int y = 0; y < h; y++) {
        const uint8_t *row = grey->data + (size_t)y * grey->stride;
        double mean = 0;
        for (int x = 0; x < w; x++)
            mean += row[x];
        mean /= w;
        for (int x = 0; x < w; x++) {
            double d = row[x] - mean;
            s[x] += d, s2[x] += d * d;
        }
    }
    for (int x = 0; x < w; x++) {
        double m = s[x] / h;
        out[x] = (float)sqrt(fmax(s2[x] / h - m * m, 0.0));
    }
    g_free(s);
    g_free(s2);
}

/* The strongest value of p over [x0, x1). */
static float peak_of(const float *p, int x0, int x1)
{
    float m = 0;
    for (int x = x0; x < x1; x++)
        m = fmaxf(m, p[x]);
    return m;
}

/* Where band [x0, x1) of p dips between two columns touching each other: the deepest
 * column under VALLEY times the weaker of the peaks either side, with at least `min_w`
 * columns each side; -1 if none. */
#define VALLEY 0.3f
static int valley_of(const float *p, int x0, int x1, int min_w)
{
    int best = -1;
    float best_r = VALLEY;
    for (int x = x0 + min_w; x < x1 - min_w; x++) {
        float r = p[x] / fminf(peak_of(p, x0, x), peak_of(p, x + 1, x1));
        if (r < best_r)
            best_r = r, best = x;
    }
    return best;
}

/* Runs of p above `ink`, each split at its valleys (valley_of). Returns the count (at
 * most max). */
static int ink_bands(const float *p, int w, float ink, int min_w, int (*bands)[2], int max)
{
    int n = 0, start = -1;
    for (int x = 0; x <= w; x++) {
        bool on = x < w && p[x] > ink;
        if (on && start < 0)
            start = x;
        if (!on && start >= 0) {
            int from = start, v;
            while (n < max && (v = valley_of(p, from, x, min_w)) >= 0)
                bands[n][0] = from, bands[n++][1] = v, from = v + 1;
            if (n < max)
                bands[n][0] = from, bands[n++][1] = x;
            start = -1;
        }
    }
    return n;
}

/* Whether pixel columns [x0, x1) of `grey` hold characters stacked one per row: the
 * contrast of their rows repeats at a pitch of at most MAX_PITCH widths (the strokes of one
 * letter, cut lengthwise, repeat only at the letters' pitch, several of their widths). */
static bool holds_characters(const gcv_image *grey, int x0, int x1)
{
    int h = grey->height, bw = x1 - x0;
    float *rows = g_new(float, h);
    for (int y = 0; y < h; y++) {
        const uint8_t *r = grey->data + (size_t)y * grey->stride;
        double s = 0, s2 = 0;
        for (int x = x0; x < x1; x++)
            s += r[x], s2 += (double)r[x] * r[x];
        double m = s / bw;
        rows[y] = (float)sqrt(fmax(s2 / bw - m * m, 0.0));
    }
    int pitch = vertical_text_pitch(rows, h, bw);
    g_free(rows);
    g_debug("band [%d, %d): pitch %d", x0, x1, pitch);
    return pitch > 0 && pitch <= MAX_PITCH * bw;
}

int column_split_bands(const gcv_image *crop, int (*bands)[2])
{
    gcv_image *grey = gcv_to_gray(crop);
    if (!grey)
        return 0;
    int w = grey->width, h = grey->height;
    float *p = g_new(float, w), *sm = g_new(float, w);
    down_variation(grey, p);
    float lo = 1e9f, hi = 0;
    for (int x = 0; x < w; x++) {
        sm[x] = (p[MAX(0, x - 1)] + p[x] + p[MIN(w - 1, x + 1)]) / 3;
        lo = fminf(lo, sm[x]), hi = fmaxf(hi, sm[x]);
    }
    int found[2 * COLUMN_SPLIT_MAX + 2][2], min_w = MAX(3, w / 10);
    int n = hi > lo ? ink_bands(sm, w, lo + INK_LEVEL * (hi - lo), min_w, found,
                                (int)G_N_ELEMENTS(found))
                    : 0;
    /* Weak bands are edges and noise beside the code, not columns. */
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (found[i][1] - found[i][0] >= min_w &&
            peak_of(sm, found[i][0], found[i][1]) > lo + STRONG_LEVEL * (hi - lo))
            memmove(found[kept++], found[i], sizeof found[0]);
    /* Each band holds characters one per row, not a letter's strokes (a U, an M, an E cut
     * lengthwise): its rows repeat at a pitch of about its width. */
    bool ok = kept >= 2 && kept <= COLUMN_SPLIT_MAX;
    for (int i = 0; ok && i < kept; i++)
        ok = holds_characters(grey, found[i][0], found[i][1]);
    gcv_image_free(grey);
    g_free(p);
    g_free(sm);
    for (int i = 0; ok && i < kept; i++)
        ok = h > COLUMN_SPLIT_RATIO * (found[i][1] - found[i][0]);
    if (!ok)
        return 0;
    memcpy(bands, found, sizeof found[0] * (size_t)kept);
    return kept;
}

/* The box of band [x0, x1) of box b's upright crop (w px across): the box's own sides
 * moved in. */
static text_box band_box(const text_box *b, int w, int x0, int x1)
{
    const gcv_point *q = b->quad;
    float a = (float)x0 / w, c = (float)x1 / w;
    text_box out = *b;
    out.quad[0] = (gcv_point){q[0].x + (q[1].x - q[0].x) * a, q[0].y + (q[1].y - q[0].y) * a};
    out.quad[1] = (gcv_point){q[0].x + (q[1].x - q[0].x) * c, q[0].y + (q[1].y - q[0].y) * c};
    out.quad[2] = (gcv_point){q[3].x + (q[2].x - q[3].x) * c, q[3].y + (q[2].y - q[3].y) * c};
    out.quad[3] = (gcv_point){q[3].x + (q[2].x - q[3].x) * a, q[3].y + (q[2].y - q[3].y) * a};
    out.rect.center = (gcv_point){(out.quad[0].x + out.quad[2].x) / 2,
                                  (out.quad[0].y + out.quad[2].y) / 2};
    out.rect.width = hypotf(out.quad[1].x - out.quad[0].x, out.quad[1].y - out.quad[0].y);
    out.rect.height = hypotf(out.quad[3].x - out.quad[0].x, out.quad[3].y - out.quad[0].y);
    return out;
}

/* A band cut by the box's side (the detector often boxes a column beside another only in
 * part) is widened outward, past the box, to the widest band's width. `w`: the crop's. */
static void widen_cut_bands(int (*bands)[2], int n, int w)
{
    int widest = 0;
    for (int i = 0; i < n; i++)
        widest = MAX(widest, bands[i][1] - bands[i][0]);
    if (n < 2)
        return;
    if (bands[0][0] == 0)
        bands[0][0] = bands[0][1] - widest;
    if (bands[n - 1][1] == w)
        bands[n - 1][1] = bands[n - 1][0] + widest;
}

/* Splits box i into its columns, appended to *out (room for COLUMN_SPLIT_MAX). Returns how
 * many were appended, 0 if the box is not several columns. */
static int split_box(const gcv_image *bgr, const text_box *b, text_box *out)
{
    const gcv_point *q = b->quad;
    float w = hypotf(q[1].x - q[0].x, q[1].y - q[0].y), h = hypotf(q[3].x - q[0].x, q[3].y - q[0].y);
    if (h < 1.2f * w || h > COLUMN_SPLIT_RATIO * 2.0f * w)
        return 0; /* not upright, or one column already */
    gcv_image *crop = text_crop_quad(bgr, q);
    if (!crop)
        return 0;
    int bands[COLUMN_SPLIT_MAX][2];
    int n = column_split_bands(crop, bands);
    widen_cut_bands(bands, n, crop->width);
    for (int i = 0; i < n; i++) { /* a sixth of its width each side, within the gaps */
        int pad = MAX(1, (bands[i][1] - bands[i][0]) / 6);
        int left = i > 0 ? (bands[i - 1][1] + bands[i][0]) / 2 : bands[i][0] - pad;
        int right = i < n - 1 ? (bands[i][1] + bands[i + 1][0]) / 2 : bands[i][1] + pad;
        out[i] = band_box(b, crop->width, MAX(left, bands[i][0] - pad), MIN(right, bands[i][1] + pad));
    }
    if (n)
        g_debug("box at (%.0f,%.0f) %.0fx%.0f: %d columns", b->rect.center.x, b->rect.center.y, w,
                h, n);
    gcv_image_free(crop);
    return n;
}

int column_split(const gcv_image *bgr, text_box **boxes, int n)
{
    text_box *all = g_new(text_box, (size_t)n * COLUMN_SPLIT_MAX + 1);
    int m = 0;
    for (int i = 0; i < n; i++) {
        int k = split_box(bgr, &(*boxes)[i], all + m);
        if (k == 0)
            all[m++] = (*boxes)[i];
        else
            m += k;
    }
    g_free(*boxes);
    *boxes = all;
    return m;
}
