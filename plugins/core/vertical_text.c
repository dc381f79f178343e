/*
 * vertical_text.c — vertical text as a horizontal line: row-profile segmentation of a
 * column into character cells, and the strip the recogniser reads. Owns nothing past a call.
 */
#define G_LOG_DOMAIN "gatecv-vertical" /* G_MESSAGES_DEBUG=gatecv-vertical shows the cuts */
#include "vertical_text.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gatecv_error.h"

#define MAX_CELLS 24
#define CELLS_PER_READ 6   /* characters per recogniser pass: keeps the strip under 320 px */
#define CELL_GAP 10        /* pixels between characters in the strip */

/* Contrast of each row: the standard deviation of its grey levels over the central
 * columns (the column's edges often hold the background's own edges). */
static void row_contrast(const gcv_image *grey, float *out)
{
    int x0 = grey->width / 8, x1 = grey->width - grey->width / 8;
    for (int y = 0; y < grey->height; y++) {
        const uint8_t *row = grey->data + (size_t)y * grey->stride;
        double s = 0, s2 = 0;
        for (int x = x0; x < x1; x++) {
            s += row[x];
            s2 += (double)row[x] * row[x];
        }
        double mean = s / (x1 - x0);
        out[y] = (float)sqrt(fmax(s2 / (x1 - x0) - mean * mean, 0.0));
    }
}

/* The character pitch of a column in rows: the lag, between half and three column widths,
 * at which the mean-removed contrast profile matches itself (characters of a code repeat
 * at one pitch). The profile also matches itself at twice and three times the pitch, so
 * the shortest lag whose peak is half as strong as the best is taken. 0 if the profile
 * has no repeat. Cost: O(height x lags), a few 10^4 steps. */
int vertical_text_pitch(const float *profile, int h, int width)
{
    int lo = MAX(3, width / 2), hi = MIN(h / 2, 3 * width);
    if (hi <= lo + 2)
        return 0;
    double mean = 0;
    for (int y = 0; y < h; y++)
        mean += profile[y];
    mean /= h;
    double *ac = g_new0(double, hi + 1), best = 0;
    for (int k = lo; k <= hi; k++) {
        for (int y = 0; y + k < h; y++)
            ac[k] += (profile[y] - mean) * (profile[y + k] - mean);
        ac[k] /= h - k;
        best = fmax(best, ac[k]);
    }
    int lag = 0;
    for (int k = lo + 1; k < hi && !lag; k++)
        if (ac[k] >= ac[k - 1] && ac[k] >= ac[k + 1] && ac[k] > 0.5 * best && best > 0)
            lag = k;
    g_free(ac);
    return lag;
}

/* The weakest row of the profile within [y0, y1). */
static int weakest_row(const float *profile, int y0, int y1)
{
    int best = y0;
    for (int y = y0; y < y1; y++)
        if (profile[y] < profile[best])
            best = y;
    return best;
}

/* A run of ink taller than 1.3 pitches holds touching characters: walk down it one pitch
 * at a time, cutting at the weakest row within a quarter pitch of each step, so that the
 * cuts follow the gaps where the pitch drifts (perspective, a boxed check digit). */
static int cut_run(const float *profile, int y0, int y1, int pitch, int (*cells)[2], int n,
                   int max_cells)
{
    int from = y0, win = MAX(1, pitch / 4);
    while (y1 - from > 1.3f * pitch && n < max_cells - 1) {
        int cut = weakest_row(profile, from + pitch - win, MIN(y1 - 1, from + pitch + win));
        cells[n][0] = from, cells[n][1] = cut, n++;
        from = cut;
    }
    if (n < max_cells)
        cells[n][0] = from, cells[n][1] = y1, n++;
    return n;
}

/* The gap threshold of each row: a third of the peak contrast within LOCAL_WIDTHS column
 * widths of it, but never under a third of FADE_FLOOR times the column's peak. A code's
 * contrast fades along it (a light gradient, a shadow band, glare): against the whole
 * column's peak its faded characters fall under the threshold and are lost, while plain
 * background (under the floor) is not made ink by its noise. Cost: O(height x width). */
#define LOCAL_WIDTHS 1
#define FADE_FLOOR 0.35f
static void local_thresholds(const float *smooth, int h, int width, float peak, float *out)
{
    int reach = MAX(1, LOCAL_WIDTHS * width);
    for (int y = 0; y < h; y++) {
        float local = 0;
        for (int k = MAX(0, y - reach); k < MIN(h, y + reach + 1); k++)
            local = fmaxf(local, smooth[k]);
        out[y] = 0.33f * fmaxf(local, FADE_FLOOR * peak);
    }
}

/* Runs of rows above the threshold, pieces that together span at most `merge` rows joined
 * (one character that the threshold broke up). Returns the count. */
static int ink_runs(const float *smooth, int h, const float *thresh, int merge, int (*runs)[2],
                    int max)
{
    int n = 0, start = -1;
    for (int y = 0; y <= h; y++) {
        bool ink = y < h && smooth[y] > thresh[y];
        if (ink && start < 0)
            start = y;
        if (!ink && start >= 0) {
            if (n > 0 && y - runs[n - 1][0] <= merge)
                runs[n - 1][1] = y;
            else if (n < max)
                runs[n][0] = start, runs[n][1] = y, n++;
            start = -1;
        }
    }
    return n;
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* The pitch from clear gaps: the median spacing of the starts of consecutive characters,
 * a character being the runs of ink that together span at most the typical character
 * (the upper quartile of runs at least half a column width tall, as the threshold breaks
 * some characters into shorter runs: a T's bar and stem, a box's frame and its digit are one), counting spacings of at most three column widths (a missing
 * row is not one). 0 unless at least three count. Cost: O(n log n), n a few dozen. */
static int pitch_from_runs(const int (*runs)[2], int n, int width)
{
    int heights[MAX_CELLS * 2], chars[MAX_CELLS * 2][2], d[MAX_CELLS * 2], m = 0, k = 0;
    for (int i = 0; i < n; i++)
        if (runs[i][1] - runs[i][0] >= width / 2)
            heights[m++] = runs[i][1] - runs[i][0];
    if (m < 3)
        return 0;
    qsort(heights, m, sizeof heights[0], cmp_int);
    int typical = heights[m * 3 / 4];
    for (int i = 0; i < n; i++) {
        if (k > 0 && runs[i][1] - chars[k - 1][0] <= 1.15f * typical)
            chars[k - 1][1] = runs[i][1];
        else
            chars[k][0] = runs[i][0], chars[k][1] = runs[i][1], k++;
    }
    m = 0;
    for (int i = 1; i < k; i++) {
        int s = chars[i][0] - chars[i - 1][0];
        if (s <= 3 * width)
            d[m++] = s;
    }
    if (m < 3)
        return 0;
    qsort(d, m, sizeof d[0], cmp_int);
    return d[m / 2];
}

/* The pitch from the dips between touching characters: where no gap parts them, the row
 * where one character meets the next is still weaker than the characters either side (a
 * dip to under VALLEY_DIP of the weaker of the strongest rows within a column width above
 * and below it, and the weakest row within a sixth of a width). The median spacing of
 * consecutive dips within one run of ink, counting spacings of half to three column
 * widths; 0 unless at least three count and every one is at that pitch or at twice it (a
 * dip missed). A character's own bars and waist dip too (an E, an 8): dips at half the
 * pitch in some characters only, spacings a pitch and half of one, which fail the test.
 * Cost: O(height x width). */
#define VALLEY_DIP 0.8f
static bool at_pitch(int d, int pitch)
{
    return (d >= 0.75f * pitch && d <= 1.25f * pitch) ||
           (d >= 1.75f * pitch && d <= 2.25f * pitch);
}

static int pitch_from_valleys(const float *smooth, int h, const int (*runs)[2], int n, int width)
{
    int near = MAX(1, width / 6), far = MAX(2, width), d[MAX_CELLS * 2], m = 0;
    for (int i = 0; i < n; i++) {
        int last = -1;
        for (int y = runs[i][0] + 1; y < runs[i][1] - 1; y++) {
            bool low = true;
            float up = 0, down = 0;
            for (int k = MAX(0, y - far); k < y; k++) {
                low = low && (k < y - near || smooth[k] > smooth[y]);
                up = fmaxf(up, smooth[k]);
            }
            for (int k = y + 1; k < MIN(h, y + far + 1); k++) {
                low = low && (k > y + near || smooth[k] >= smooth[y]);
                down = fmaxf(down, smooth[k]);
            }
            if (!low || smooth[y] >= VALLEY_DIP * fminf(up, down))
                continue;
            if (last >= 0 && y - last >= width / 2 && y - last <= 3 * width && m < MAX_CELLS * 2)
                d[m++] = y - last;
            last = y;
        }
    }
    if (m < 3)
        return 0;
    qsort(d, m, sizeof d[0], cmp_int);
    int pitch = d[m / 2];
    for (int i = 0; i < m; i++)
        if (!at_pitch(d[i], pitch))
            return 0;
    return pitch;
}

/* vertical_text_cells, and in *n_runs the count of runs of ink it cut the cells from. */
static int cells_of(const gcv_image *column, int (*cells)[2], int max_cells, int *pitch_out,
                    int *n_runs);

int vertical_text_cells(const gcv_image *column, int (*cells)[2], int max_cells, int *pitch_out)
{
    int n_runs;
    return cells_of(column, cells, max_cells, pitch_out, &n_runs);
}

static int cells_of(const gcv_image *column, int (*cells)[2], int max_cells, int *pitch_out,
                    int *n_runs)
{
    gcv_image *grey = gcv_to_gray(column);
    if (!grey)
        return 0;
    int h = grey->height, w = grey->width;
    float *c = g_new(float, h), *smooth = g_new(float, h);
    row_contrast(grey, c);
    float peak = 0;
    for (int y = 0; y < h; y++) {
        float a = c[y > 0 ? y - 1 : y], b = c[y], d = c[y < h - 1 ? y + 1 : y];
        smooth[y] = (a + b + d) / 3.0f;
        peak = fmaxf(peak, smooth[y]);
    }
    /* Rows under a third of the nearby peak contrast (local_thresholds) are the gaps
     * between characters. The pitch
     * is the prior: a run of ink much taller than it holds touching characters, and pieces
     * that together are shorter than it are one character. Where the gaps are clear, their
     * spacing gives it; else the profile's repeat; else about a column width a row. */
    float *thresh = g_new(float, h);
    local_thresholds(smooth, h, w, peak, thresh);
    int runs[MAX_CELLS * 2][2];
    int n = ink_runs(smooth, h, thresh, 0, runs, MAX_CELLS * 2);
    int pitch = pitch_from_runs(runs, n, w);
    const char *from = "gaps";
    if (pitch <= 0)
        pitch = pitch_from_valleys(smooth, h, runs, n, w), from = "dips";
    if (pitch <= 0)
        pitch = vertical_text_pitch(smooth, h, w), from = "repeat";
    if (pitch <= 0)
        pitch = (int)(1.2f * w), from = "width";
    n = ink_runs(smooth, h, thresh, (int)(1.1f * pitch), runs, MAX_CELLS * 2);
    int kept = 0, min_height = MAX(2, pitch / 4);
    for (int i = 0; i < n; i++)
        if (runs[i][1] - runs[i][0] >= min_height)
            kept = cut_run(smooth, runs[i][0], runs[i][1], pitch, cells, kept, max_cells);
    g_debug("column %dx%d: pitch %d (%s), %d runs, %d cells", w, h, pitch, from, n, kept);
    *n_runs = n;
    if (pitch_out)
        *pitch_out = pitch;
    g_free(c);
    g_free(smooth);
    g_free(thresh);
    gcv_image_free(grey);
    return kept;
}

/* Median-ish background: the mean colour of the column's first and last rows. */
static void background(const gcv_image *col, int bgr[3])
{
    for (int ch = 0; ch < 3; ch++) {
        long s = 0;
        for (int x = 0; x < col->width; x++)
            s += col->data[x * 3 + ch] +
                 col->data[(size_t)(col->height - 1) * col->stride + x * 3 + ch];
        bgr[ch] = (int)(s / (2 * col->width));
    }
}

gcv_image *vertical_text_strip(const gcv_image *column, const int (*cells)[2], int first, int n,
                               int (*spans)[2])
{
    const int H = GATECV_REC_HEIGHT;
    gcv_image *parts[MAX_CELLS];
    int total = CELL_GAP;
    for (int i = 0; i < n; i++) {
        int y0 = MAX(0, cells[first + i][0]), y1 = MIN(column->height, cells[first + i][1]);
        gcv_image *cell = gcv_image_crop(column, 0, y0, column->width, y1 - y0);
        int w = cell ? (int)lroundf((float)H * cell->width / cell->height) : 1;
        parts[i] = cell ? gcv_resize(cell, w > 0 ? w : 1, H, GCV_INTER_LINEAR) : NULL;
        gcv_image_free(cell);
        total += (parts[i] ? parts[i]->width : 0) + CELL_GAP;
    }
    gcv_image *strip = gcv_image_new(total, H, 3);
    if (strip) {
        int bg[3];
        background(column, bg);
        gcv_fill_rect(strip, 0, 0, total, H, bg[0], bg[1], bg[2]);
        int x = CELL_GAP;
        for (int i = 0; i < n; i++) {
            if (spans)
                spans[i][0] = spans[i][1] = x;
            if (!parts[i])
                continue;
            for (int y = 0; y < H; y++)
                memcpy(strip->data + (size_t)y * strip->stride + (size_t)x * 3,
                       parts[i]->data + (size_t)y * parts[i]->stride, (size_t)parts[i]->width * 3);
            if (spans)
                spans[i][0] = x, spans[i][1] = x + parts[i]->width;
            x += parts[i]->width + CELL_GAP;
        }
    }
    for (int i = 0; i < n; i++)
        gcv_image_free(parts[i]);
    return strip;
}

/* Keeps the cells of the code that the box found, [core0, core1) in rows, and those
 * continuing it at the pitch into the margins around it: a cell in a margin stays only
 * if its gap to the kept cell next to it is under a pitch (the code's rows run on; a
 * sticker or a rib further off does not). Returns the new count. */
static int keep_continuing(int (*cells)[2], int n, int core0, int core1, int pitch)
{
    int first = -1, last = -1;
    for (int i = 0; i < n; i++) {
        int mid = (cells[i][0] + cells[i][1]) / 2;
        if (mid >= core0 && mid < core1) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first < 0)
        return 0;
    while (first > 0 && cells[first][0] - cells[first - 1][1] < pitch)
        first--;
    while (last < n - 1 && cells[last + 1][0] - cells[last][1] < pitch)
        last++;
    memmove(cells, cells + first, sizeof cells[0] * (size_t)(last - first + 1));
    return last - first + 1;
}

/* Grows each cell by an eighth of the pitch at each end, within the column and not past
 * the middle of the gap to its neighbour: the threshold cuts a character's softer edges
 * (a T's bar, the curve of an S), which the recogniser needs. */
static void pad_cells(int (*cells)[2], int n, int pitch, int height)
{
    int pad = MAX(2, pitch / 8);
    for (int i = 0; i < n; i++) {
        int up = i > 0 ? (cells[i - 1][1] + cells[i][0] + 1) / 2 : 0;
        int down = i < n - 1 ? (cells[i][1] + cells[i + 1][0]) / 2 : height;
        cells[i][0] = MAX(up, cells[i][0] - pad);
        cells[i][1] = MIN(down, cells[i][1] + pad);
    }
}

/* The cell of the strip at x: the one whose span holds it, else the nearest. */
static int cell_at(const int (*spans)[2], int n, float x)
{
    int best = 0;
    float best_d = 1e9f;
    for (int i = 0; i < n; i++) {
        float d = x < spans[i][0] ? spans[i][0] - x : x > spans[i][1] ? x - spans[i][1] : 0;
        if (d < best_d)
            best_d = d, best = i;
    }
    return best;
}

/* Where along the strip the recogniser read character c: the middle of its CTC step, in
 * strip pixels (a strip wider than the recogniser is squeezed into it). */
static float step_x(const text_char *c, int strip_w)
{
    float scale = strip_w > GATECV_REC_WIDTH ? (float)strip_w / GATECV_REC_WIDTH : 1.0f;
    return ((float)c->step + 0.5f) * GATECV_REC_STRIDE * scale;
}

/* One strip's read, its characters given to the cells they were read from (a PP-OCR
 * character's CTC step is its place along the strip, step_x). A cell holds one character:
 * where two or more were read in one (a box's frame or a neighbour's edge read as 1 beside
 * the digit), the one nearest the cell's centre stays. Characters without a step
 * (Tesseract) all stay, cell unknown (-1). `strip_w` is the strip's width; writes one cell
 * index per kept character to cell_of and returns the count kept into `kept`. Cost:
 * O(chars x cells). */
static int assign_cells(const text_line *part, const int (*spans)[2], int n, int strip_w,
                        text_char *kept, int *cell_of)
{
    int m = 0;
    for (int i = 0; i < part->n; i++) {
        const text_char *c = &part->chars[i];
        if (c->step < 0) {
            kept[m] = *c, cell_of[m++] = -1;
            continue;
        }
        float x = step_x(c, strip_w);
        int cell = cell_at(spans, n, x);
        float mid = (spans[cell][0] + spans[cell][1]) / 2.0f;
        if (m > 0 && cell_of[m - 1] == cell) {
            if (fabsf(x - mid) < fabsf(step_x(&kept[m - 1], strip_w) - mid))
                kept[m - 1] = *c;
            continue;
        }
        kept[m] = *c, cell_of[m++] = cell;
    }
    return m;
}

/* A letter or digit, also in its full-width form (the recogniser's charset has both, and
 * the reader folds them): what a cell of a code holds. */
static bool is_code_char(const text_char *c)
{
    if (strlen(c->ch) == 1)
        return g_ascii_isalnum(c->ch[0]);
    gunichar u = g_utf8_get_char_validated(c->ch, -1);
    return (u >= 0xFF10 && u <= 0xFF19) || (u >= 0xFF21 && u <= 0xFF3A) ||
           (u >= 0xFF41 && u <= 0xFF5A);
}

/* The one letter or digit of a cell read alone, its frame's strokes at either end (read
 * as 1, I, l or |) dropped; NULL if none or several. */
static const text_char *lone_char(const text_line *line)
{
    const text_char *kept[TEXT_LINE_MAX_CHARS];
    int n = 0;
    for (int i = 0; i < line->n; i++)
        if (is_code_char(&line->chars[i]) || line->chars[i].ch[0] == '|')
            kept[n++] = &line->chars[i];
    int first = 0, last = n - 1;
    while (last > first && strchr("1lI|", kept[first]->ch[0]))
        first++;
    while (last > first && strchr("1lI|", kept[last]->ch[0]))
        last--;
    return n > 0 && first == last && is_code_char(kept[first]) ? kept[first] : NULL;
}

/* A boxed character (the check digit) read in a strip among others often comes out as a
 * symbol or as nothing: its frame is ink the recogniser has not learnt. Cell i is read
 * again alone, whole and then its inner part (the frame trimmed off: a sixth, then a
 * quarter of the width at each side, an eighth, then a sixth of the height at each end),
 * and the first lone character read is taken into *out. Returns 1 if one was, 0 if not,
 * -1 + error. Cost: at most three narrow recogniser passes. */
static int reread_cell(const gcv_image *column, const int (*cells)[2], int i, line_reader_fn read,
                       void *user, text_line *holder, text_char *out, GError **error)
{
    static const float trims[][2] = {{0, 0}, {1.0f / 6, 1.0f / 8}, {1.0f / 4, 1.0f / 6}};
    int h = cells[i][1] - cells[i][0];
    for (size_t t = 0; t < G_N_ELEMENTS(trims); t++) {
        int dx = (int)(trims[t][0] * column->width), dy = (int)(trims[t][1] * h);
        gcv_image *inner = gcv_image_crop(column, dx, 0, column->width - 2 * dx, column->height);
        int cell[1][2] = {{cells[i][0] + dy, cells[i][1] - dy}};
        gcv_image *strip = inner ? vertical_text_strip(inner, (const int(*)[2])cell, 0, 1, NULL)
                                 : NULL;
        gcv_image_free(inner);
        if (!strip)
            continue;
        int rc = read(user, strip, holder, error);
        gcv_image_free(strip);
        if (rc < 0)
            return -1;
        const text_char *c = lone_char(holder);
        if (c) {
            *out = *c;
            g_debug("cell %d read alone (trim %zu): '%s'", i, t, c->ch);
            return 1;
        }
    }
    return 0;
}

/* The cells of a PP-OCR read (its characters have steps) that got no letter or digit, in
 * the chunk [0, k): bit i set. Only if they are at most two and others got one (a chunk
 * read as nothing at all is not text, and not worth a pass per cell), or the chunk is the
 * column's lone last cell (`last_alone`: the chunks before it were read). */
static unsigned blank_cells(const text_char *kept, const int *cell_of, int m, int k,
                            bool last_alone)
{
    unsigned got = 0, blank = 0;
    for (int i = 0; i < m; i++) {
        if (cell_of[i] < 0)
            return 0;
        if (is_code_char(&kept[i]))
            got |= 1u << cell_of[i];
    }
    int n = 0;
    for (int i = 0; i < k; i++)
        if (!(got & (1u << i)))
            blank |= 1u << i, n++;
    return (n < k || last_alone) && n <= 2 ? blank : 0;
}

/* Each blank cell of the chunk at `first` (blank_cells) read again alone; a character
 * found replaces what the strip read there (a symbol) or is put in at its place. `holder`
 * keeps the characters' text alive (text_char points into the charset, so any line will
 * do). Returns 0 or -1 + error. */
static int reread_blanks(const gcv_image *column, const int (*cells)[2], int first, int k,
                         line_reader_fn read, void *user, text_line *holder, text_char *kept,
                         int *cell_of, int *m, GError **error)
{
    unsigned blank = blank_cells(kept, cell_of, *m, k, k == 1 && first > 0);
    for (int cell = 0; cell < k; cell++) {
        if (!(blank & (1u << cell)))
            continue;
        text_char c;
        int rc = reread_cell(column, cells, first + cell, read, user, holder, &c, error);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        int at = 0;
        while (at < *m && cell_of[at] < cell)
            at++;
        if (at < *m && cell_of[at] == cell) { /* the symbol read there */
            kept[at] = c;
            continue;
        }
        if (*m >= TEXT_LINE_MAX_CHARS)
            continue;
        memmove(kept + at + 1, kept + at, sizeof kept[0] * (size_t)(*m - at));
        memmove(cell_of + at + 1, cell_of + at, sizeof cell_of[0] * (size_t)(*m - at));
        kept[at] = c, cell_of[at] = cell, (*m)++;
    }
    return 0;
}

/* Reads cells [first, first + k) as one strip and appends their characters to out;
 * *code_start becomes the index in out of the first character of a cell inside the
 * detector's box (core[cell]) if none was yet. Returns 0 or -1 + error. */
static int read_chunk(const gcv_image *column, const int (*cells)[2], const bool *core, int first,
                      int k, line_reader_fn read, void *user, text_line *out, int *code_start,
                      GError **error)
{
    int spans[MAX_CELLS][2];
    gcv_image *strip = vertical_text_strip(column, cells, first, k, spans);
    if (!strip) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL, "vertical strip: %s",
                    gcv_last_error());
        return -1;
    }
    text_line part;
    int rc = read(user, strip, &part, error);
    int strip_w = strip->width;
    gcv_image_free(strip);
    if (rc < 0)
        return -1;
    text_char kept[TEXT_LINE_MAX_CHARS];
    int cell_of[TEXT_LINE_MAX_CHARS];
    int m = assign_cells(&part, (const int(*)[2])spans, k, strip_w, kept, cell_of);
    if (!g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN)) {
        char *text = text_line_string(&part);
        g_debug("cells %d..%d [%d, %d) read '%s'", first, first + k - 1, cells[first][0],
                cells[first + k - 1][1], text);
        g_free(text);
    }
    if (reread_blanks(column, cells, first, k, read, user, &part, kept, cell_of, &m, error) < 0)
        return -1;
    for (int i = 0; i < m && out->n < TEXT_LINE_MAX_CHARS; i++) {
        if (*code_start < 0 && (cell_of[i] < 0 || core[first + cell_of[i]]))
            *code_start = out->n;
        out->chars[out->n] = kept[i];
        out->chars[out->n++].step = -1; /* steps of separate chunks: no common scale */
    }
    return 0;
}

int vertical_text_read(const gcv_image *column, int core0, int core1, line_reader_fn read,
                       void *user, text_line *out, int *code_start, GError **error)
{
    memset(out, 0, sizeof *out);
    int cells[MAX_CELLS][2], pitch = 0, start = -1;
    int n = vertical_text_cells(column, cells, MAX_CELLS, &pitch);
    n = keep_continuing(cells, n, core0, core1, pitch);
    bool core[MAX_CELLS];
    for (int i = 0; i < n; i++) {
        int mid = (cells[i][0] + cells[i][1]) / 2;
        core[i] = mid >= core0 && mid < core1;
    }
    pad_cells(cells, n, pitch, column->height);
    for (int first = 0; first < n; first += CELLS_PER_READ) {
        int k = n - first < CELLS_PER_READ ? n - first : CELLS_PER_READ;
        if (read_chunk(column, (const int(*)[2])cells, core, first, k, read, user, out, &start,
                       error) < 0)
            return -1;
    }
    double sum = 0;
    for (int i = 0; i < out->n; i++)
        sum += out->chars[i].prob;
    out->confidence = out->n ? (float)(sum / out->n) : 0.0f;
    if (code_start)
        *code_start = start < 0 ? 0 : start;
    return 0;
}

#define CLEAR_RUNS 0.75f /* of the cells, at least this share are runs of ink of their own */
#define MIN_CODE_CELLS 7  /* cells of a column that holds a serial and its check digit */
int vertical_text_cut_ends(const gcv_image *column, int core0, int core1)
{
    int cells[MAX_CELLS][2], pitch = 0, runs = 0;
    int all = cells_of(column, cells, MAX_CELLS, &pitch, &runs);
    int n = keep_continuing(cells, all, core0, core1, pitch);
    if (n < MIN_CODE_CELLS || runs < CLEAR_RUNS * all)
        return 0; /* no clear gaps between characters, or an owner code's 4 letters, whose
                   * margins hold ribs and stickers at about their pitch */
    /* a cell within an eighth of a pitch of an end, and shorter than a character, is
     * one cut through by that end */
    int edge = MAX(1, pitch / 8), part = (int)(0.8f * pitch);
    return (cells[0][0] <= edge && cells[0][1] - cells[0][0] < part ? VERTICAL_CUT_TOP : 0) |
           (cells[n - 1][1] >= column->height - edge && cells[n - 1][1] - cells[n - 1][0] < part
                ? VERTICAL_CUT_BOTTOM
                : 0);
}

void vertical_text_extend(const gcv_point in[4], float up, float down, float across,
                          gcv_point out[4])
{
    float w = hypotf(in[1].x - in[0].x, in[1].y - in[0].y);
    float h = hypotf(in[3].x - in[0].x, in[3].y - in[0].y);
    if (w <= 0 || h <= 0) {
        memcpy(out, in, sizeof(gcv_point) * 4);
        return;
    }
    gcv_point u = {(in[1].x - in[0].x) / w, (in[1].y - in[0].y) / w}; /* across */
    gcv_point v = {(in[3].x - in[0].x) / h, (in[3].y - in[0].y) / h}; /* down */
    float a = up * w, d = down * w, c = across * w;
    out[0] = (gcv_point){in[0].x - u.x * c - v.x * a, in[0].y - u.y * c - v.y * a};
    out[1] = (gcv_point){in[1].x + u.x * c - v.x * a, in[1].y + u.y * c - v.y * a};
    out[2] = (gcv_point){in[2].x + u.x * c + v.x * d, in[2].y + u.y * c + v.y * d};
    out[3] = (gcv_point){in[3].x - u.x * c + v.x * d, in[3].y - u.y * c + v.y * d};
}
