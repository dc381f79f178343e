/*
 * reader.c — the still-image reader: detection, line reading, candidate grouping and
 * the choice among candidates by grammar and check digit. Owns the gatecv_reader and
 * the arrays it returns.
 */
#define G_LOG_DOMAIN "gatecv-reader" /* G_MESSAGES_DEBUG=gatecv-reader shows every line read */
#include "reader.h"

#include <math.h>
#include <string.h>

#include "column_group.h"
#include "column_split.h"
#include "gatecv_error.h"
#include "iso6346.h"
#include "plate_doubt.h"
#include "tess_reader.h"
#include "text_recognise.h"
#include "vertical_text.h"

#define MAX_LINES 64         /* text lines read per image (the most confident first) */
#define MAX_CHAIN 4          /* container fragments joined on one row */
#define SUB_PENALTY 0.85f    /* confidence factor per look-alike substitution */
#define MAX_GENERIC_PLATES 2 /* plates of no known country reported per image */
#define SURE_CHAR 0.9f       /* a character read this surely is not substituted */
#define DISAGREE_FACTOR 0.7f /* --ocr both: probability factor when the readers differ */
/* A plate has no check digit: it is valid only if every character was read at least
 * this surely (measured on the development set: keeps 88% of right reads valid and
 * leaves 6 of 244 wrong reads valid, most of them label slips, see the issue note). */
#define PLATE_MIN_CHAR 0.85f
/* A container code is valid only if each of its characters was read at least this surely
 * (a window of junk characters passes a check digit one time in ten) ... */
#define CONTAINER_MIN_CHAR 0.3f
/* ... and its owner letters, which the check digit cannot tell from their partners 11
 * values away, at least this surely (0.8 read by PP-OCR, times DISAGREE_FACTOR when
 * Tesseract read the line otherwise, still passes). */
#define OWNER_MIN_CHAR 0.55f
/* An owner letter's or check digit's runner-up is tried (for review only) when read at
 * least this surely. */
#define CODE_ALT_PROB 0.02f
/* A column is read from a crop grown by this many column widths at each end and each side
 * (the detector's box often cuts its end letters and their sides; vertical_text keeps only
 * the cells that continue the column at its pitch). */
#define COLUMN_ALONG 1.5f
#define COLUMN_ACROSS 0.0f

struct gatecv_reader {
    gatecv_models *models;
    gatecv_reader_params params;
    tess_reader *tess;         /* the second recogniser, with --ocr tesseract or both */
    gatecv_reader_stats stats; /* of the last read */
};

/* How far a column's crop reaches past its box at each end, in column widths. */
typedef struct {
    float up, down;
} column_reach;

/* One detected and read text line. */
typedef struct {
    text_box box;
    text_line line;
    char norm[GATECV_READ_TEXT * 2];            /* A-Z, 0-9 and CJK characters only */
    const text_char *kept[TEXT_LINE_MAX_CHARS]; /* the recognised character of each in norm */
    int n_kept;
    float x0, y0, x1, y1; /* axis-aligned bounds */
    float cx, cy;         /* centre */
    float length;         /* along the text: width, or height of a column */
    float height;         /* across the text: character height, or column width */
    bool vertical;
    bool second_read; /* Tesseract has read it too (--ocr both) */
    uint8_t surface[3]; /* median colour of its box: what the text is written on */
    column_reach reach; /* a column's crop past its box (see reach_of) */
    int code_start;     /* a column's first character (in norm) read inside its box */
} ocr_line;

/* A boxed check digit probed right of a line (it depends on the line's box only, so a
 * second round of choosing reuses it instead of reading it again). */
typedef struct {
    bool done;
    char digit; /* 0: none found */
    float prob;
} digit_probe;

/* What the candidate functions work on: the image and its read lines. */
typedef struct {
    gatecv_reader *reader;
    const gcv_image *image;
    const ocr_line *lines;
    int n_lines;
    digit_probe *probes; /* one per line */
} read_ctx;

/* A group of lines proposed as one plate or code. */
typedef struct {
    int idx[MAX_CHAIN];
    int n;
    gatecv_layout layout;
    /* Split vertical codes: the first line (the owner column) gives only its 4 characters
     * from owner_from on, the second (the serial) its characters from serial_from on; a
     * column's crop reaches past its box, and what it read there (a rib's end read as L,
     * T, I or 1) would stand between the owner code and the serial, or before the serial. */
    bool owner_slice;
    int owner_from, serial_from;
} candidate;

/* The first of line i's characters (in norm) that candidate c uses, and how many. */
static void line_part(const ocr_line *lines, const candidate *c, int i, int *from, int *count)
{
    const ocr_line *l = &lines[c->idx[i]];
    *from = 0, *count = l->n_kept;
    if (i == 0 && c->owner_slice)
        *from = c->owner_from, *count = MIN(4, l->n_kept - c->owner_from);
    if (i == 1 && c->owner_slice)
        *from = c->serial_from, *count = l->n_kept - c->serial_from;
}

void gatecv_reader_params_default(gatecv_reader_params *p)
{
    text_detect_params_default(&p->detect);
    p->ocr = OCR_BOTH; /* measured best: fewest wrong-but-valid plates (issue note) */
    p->plate_grammars = PLATES_ALL;
    p->plates = true;
    p->containers = true;
    p->max_pixels = 40L * 1000 * 1000;
    p->narrow_recognisers = true;
    p->second_read_all = false;
}

void gatecv_reader_params_legacy(gatecv_reader_params *p)
{
    p->detect.coarse_side = 0;
    p->narrow_recognisers = false;
    p->second_read_all = true;
}

gatecv_reader *gatecv_reader_new(gatecv_models *models, const gatecv_reader_params *p,
                                 GError **error)
{
    tess_reader *tess = NULL;
    if (p->ocr != OCR_PPOCR && !(tess = tess_reader_new(error)))
        return NULL;
    gatecv_reader *r = g_new0(gatecv_reader, 1);
    r->models = models;
    r->params = *p;
    r->tess = tess;
    return r;
}

void gatecv_reader_free(gatecv_reader *reader)
{
    if (!reader)
        return;
    tess_reader_free(reader->tess);
    g_free(reader);
}

void gatecv_reader_set_detect_side(gatecv_reader *reader, int max_side)
{
    reader->params.detect.max_side = max_side > 0 ? max_side : 1;
}

void gatecv_reader_set_kinds(gatecv_reader *reader, bool plates, bool containers)
{
    reader->params.plates = plates;
    reader->params.containers = containers;
}

void gatecv_reader_last_stats(const gatecv_reader *reader, gatecv_reader_stats *stats)
{
    *stats = reader->stats;
}

const char *gatecv_layout_name(gatecv_layout layout)
{
    static const char *names[] = {"one_line", "two_line", "horizontal", "vertical"};
    return names[layout];
}

const char *gatecv_country_name(enum plate_country country)
{
    return country == PLATE_VN ? "VN" : country == PLATE_CN ? "CN" : NULL;
}

unsigned gatecv_plate_grammars_parse(const char *list)
{
    unsigned mask = 0;
    gchar **names = g_strsplit(list, ",", -1);
    for (int i = 0; names[i]; i++) {
        const char *n = g_strstrip(names[i]);
        unsigned bit = g_ascii_strcasecmp(n, "vn") == 0        ? PLATES_VN
                       : g_ascii_strcasecmp(n, "cn") == 0      ? PLATES_CN
                       : g_ascii_strcasecmp(n, "generic") == 0 ? PLATES_GENERIC
                                                               : 0;
        if (!bit) {
            mask = 0;
            break;
        }
        mask |= bit;
    }
    g_strfreev(names);
    return mask;
}

/* ---- reading lines ------------------------------------------------------- */

/* Keep A-Z (upper-cased), 0-9 (also their full-width forms) and CJK ideographs; drop
 * separators and everything else. Remembers which recognised character each kept one came
 * from. */
static void normalise_line(ocr_line *l)
{
    size_t n = 0;
    l->n_kept = 0;
    for (int i = 0; i < l->line.n; i++) {
        const char *c = l->line.chars[i].ch;
        size_t len = strlen(c);
        char one[5] = {0};
        gunichar u = g_utf8_get_char(c);
        if (len == 1 && g_ascii_isalnum(c[0]))
            one[0] = g_ascii_toupper(c[0]);
        else if (u >= 0xFF10 && u <= 0xFF5A && g_ascii_isalnum((char)(u - 0xFEE0)))
            one[0] = g_ascii_toupper((char)(u - 0xFEE0)); /* a full-width letter or digit */
        else if (u == 0x300D)
            one[0] = 'J'; /* the corner bracket, read for a small J beside CJK text */
        else if (len == 3 && u >= 0x4E00 && u <= 0x9FFF)
            memcpy(one, c, 3);
        size_t k = strlen(one);
        if (k == 0 || n + k >= sizeof l->norm)
            continue;
        memcpy(l->norm + n, one, k);
        n += k;
        l->kept[l->n_kept++] = &l->line.chars[i];
    }
    l->norm[n] = '\0';
}

/* The position in norm of the first kept character at or after line character `i`. */
static int norm_index(const ocr_line *l, int i)
{
    int k = 0;
    while (k < l->n_kept && l->kept[k] < &l->line.chars[i])
        k++;
    return k;
}

static bool gatecv_debug_enabled(void)
{
    return g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE;
}

static int read_with_ppocr(void *user, const gcv_image *line, text_line *out, GError **error)
{
    gatecv_reader *r = user;
    gint64 t0 = g_get_monotonic_time();
    int rc = text_recognise_image(r->models, line, r->params.narrow_recognisers, out, error);
    r->stats.recognise_ms += (g_get_monotonic_time() - t0) / 1000.0;
    r->stats.recognitions++;
    return rc;
}

static int read_with_tesseract(void *user, const gcv_image *line, text_line *out, GError **error)
{
    gatecv_reader *r = user;
    gint64 t0 = g_get_monotonic_time();
    int rc = tess_reader_read(r->tess, line, out, error);
    double ms = (g_get_monotonic_time() - t0) / 1000.0;
    r->stats.recognise_ms += ms;
    r->stats.recognitions++;
    r->stats.second_ms += ms;
    r->stats.second_reads++;
    return rc;
}

/* Read an upright crop with one engine. A column (reach not NULL) is cut into characters
 * first; its crop has reach->up and reach->down widths of margin, its own rows between;
 * *code_start (if not NULL) gets the index of its first character read inside its box. */
static int read_crop(gatecv_reader *r, line_reader_fn engine, const gcv_image *crop,
                     const column_reach *reach, text_line *out, int *code_start, GError **error)
{
    if (!reach)
        return engine(r, crop, out, error);
    float w = crop->width / (1 + 2 * COLUMN_ACROSS);
    int core0 = (int)lroundf(w * reach->up), core1 = crop->height - (int)lroundf(w * reach->down);
    return vertical_text_read(crop, core0, core1, engine, r, out, code_start, error);
}

static bool latin_only(const text_line *line)
{
    for (int i = 0; i < line->n; i++)
        if (strlen(line->chars[i].ch) != 1)
            return false;
    return true;
}

/* The same characters, separators aside. */
static bool same_text(const text_line *a, const text_line *b)
{
    GString *x = g_string_new(NULL), *y = g_string_new(NULL);
    for (int i = 0; i < a->n; i++)
        if (g_ascii_isalnum(a->chars[i].ch[0]))
            g_string_append_c(x, g_ascii_toupper(a->chars[i].ch[0]));
    for (int i = 0; i < b->n; i++)
        if (g_ascii_isalnum(b->chars[i].ch[0]))
            g_string_append_c(y, g_ascii_toupper(b->chars[i].ch[0]));
    bool same = strcmp(x->str, y->str) == 0;
    g_string_free(x, TRUE);
    g_string_free(y, TRUE);
    return same;
}

/* The crop of column `quad` grown by its reach (*used gets the reach taken). Where the
 * column's characters run into an end of the crop (a boxed check digit the detector left
 * out of its box, a first letter beyond it), that end reaches COLUMN_ALONG widths further,
 * up to COLUMN_MORE times, unless another piece of column stopped it short (reach_of).
 * NULL if degenerate. Cost: a row profile of the crop per step. */
#define COLUMN_MORE 2
static gcv_image *column_crop(const gcv_image *bgr, const gcv_point quad[4],
                              const column_reach *reach, column_reach *used)
{
    *used = *reach;
    gcv_point grown[4];
    vertical_text_extend(quad, used->up, used->down, COLUMN_ACROSS, grown);
    gcv_image *crop = text_crop_quad(bgr, grown);
    float limit = COLUMN_ALONG * (1 + COLUMN_MORE);
    while (crop) {
        float w = crop->width / (1 + 2 * COLUMN_ACROSS);
        int core0 = (int)lroundf(w * used->up), core1 = crop->height - (int)lroundf(w * used->down);
        int cut = vertical_text_cut_ends(crop, core0, core1);
        bool up = (cut & VERTICAL_CUT_TOP) && reach->up == COLUMN_ALONG && used->up < limit;
        bool down = (cut & VERTICAL_CUT_BOTTOM) && reach->down == COLUMN_ALONG && used->down < limit;
        if (!up && !down)
            break;
        used->up += up ? COLUMN_ALONG : 0;
        used->down += down ? COLUMN_ALONG : 0;
        g_debug("column at (%.0f,%.0f) cut at its %s: reaching further", quad[0].x, quad[0].y,
                up && down ? "ends" : up ? "top" : "bottom");
        gcv_image_free(crop);
        vertical_text_extend(quad, used->up, used->down, COLUMN_ACROSS, grown);
        crop = text_crop_quad(bgr, grown);
    }
    return crop;
}

/* Read the region `quad` (a column's grown by its reach) with one engine; a degenerate
 * region reads as nothing. Returns 0 or -1 + error. */
static int read_quad(gatecv_reader *r, line_reader_fn engine, const gcv_image *bgr,
                     const gcv_point quad[4], const column_reach *reach, text_line *out,
                     int *code_start, GError **error)
{
    memset(out, 0, sizeof *out);
    column_reach more;
    gcv_image *crop = reach ? column_crop(bgr, quad, reach, &more) : text_crop_quad(bgr, quad);
    if (!crop)
        return 0;
    int rc = read_crop(r, engine, crop, reach ? &more : NULL, out, code_start, error);
    gcv_image_free(crop);
    return rc;
}

/* Read one detected region with the first engine: PP-OCR, or Tesseract alone. */
static int read_region(gatecv_reader *r, const gcv_image *bgr, const gcv_point quad[4],
                       const column_reach *reach, text_line *out, int *code_start, GError **error)
{
    line_reader_fn first = r->params.ocr == OCR_TESSERACT ? read_with_tesseract : read_with_ppocr;
    return read_quad(r, first, bgr, quad, reach, out, code_start, error);
}

/* With --ocr both, Tesseract reads a Latin-only line again; when the two disagree every
 * character of the line loses confidence (DISAGREE_FACTOR), which is enough to make a plate
 * that relied on it invalid. Returns 0 or -1 + error. */
static int second_opinion(gatecv_reader *r, const gcv_image *bgr, text_line *line,
                          const gcv_point quad[4], const column_reach *reach, GError **error)
{
    if (line->n == 0 || !latin_only(line))
        return 0;
    text_line second;
    int rc = read_quad(r, read_with_tesseract, bgr, quad, reach, &second, NULL, error);
    if (rc == 0 && !same_text(line, &second)) {
        for (int i = 0; i < line->n; i++)
            line->chars[i].prob *= DISAGREE_FACTOR;
        line->confidence *= DISAGREE_FACTOR;
    }
    return rc;
}

static float dist(gcv_point a, gcv_point b)
{
    return hypotf(a.x - b.x, a.y - b.y);
}

static int by_score_desc(const void *a, const void *b)
{
    const text_box *x = a, *y = b;
    float ax = x->score * x->rect.width * x->rect.height;
    float ay = y->score * y->rect.width * y->rect.height;
    return (ax < ay) - (ax > ay);
}

/* The axis-aligned bounds of a line's quadrilateral. */
static void line_bounds(ocr_line *l)
{
    const gcv_point *q = l->box.quad;
    l->x0 = fminf(fminf(q[0].x, q[1].x), fminf(q[2].x, q[3].x));
    l->x1 = fmaxf(fmaxf(q[0].x, q[1].x), fmaxf(q[2].x, q[3].x));
    l->y0 = fminf(fminf(q[0].y, q[1].y), fminf(q[2].y, q[3].y));
    l->y1 = fmaxf(fmaxf(q[0].y, q[1].y), fmaxf(q[2].y, q[3].y));
}

/* The median colour of the line's bounds, per channel: the surface the text is written
 * on (a text box holds more background than ink). Cost: one pass over the box. */
static void surface_colour(const gcv_image *bgr, ocr_line *l)
{
    int x0 = MAX((int)l->x0, 0), x1 = MIN((int)l->x1, bgr->width);
    int y0 = MAX((int)l->y0, 0), y1 = MIN((int)l->y1, bgr->height);
    guint32 hist[3][256] = {{0}};
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++)
            for (int c = 0; c < 3; c++)
                hist[c][bgr->data[(size_t)y * bgr->stride + (size_t)x * 3 + c]]++;
    for (int c = 0; c < 3; c++) {
        long seen = 0;
        int v = 0;
        while (v < 255 && (seen += hist[c][v]) * 2 < n)
            v++;
        l->surface[c] = (uint8_t)v;
    }
}

/* A column's crop reaches COLUMN_ALONG widths past each end of its box, but not into
 * another column box on its line: that piece of the column is read on its own, and
 * reading it twice would repeat its characters in the joined code. (A boxed check digit
 * detected on its own is read into the column all the same: it often reads as nothing
 * alone, and a repeated last character falls outside the code's window.) Cost: O(n) per
 * box. */
static column_reach reach_of(const text_box *boxes, int n, int i)
{
    const gcv_point *q = boxes[i].quad;
    float w = dist(q[0], q[1]), h = dist(q[0], q[3]);
    column_reach reach = {COLUMN_ALONG, COLUMN_ALONG};
    if (w <= 0 || h <= 0)
        return reach;
    gcv_point v = {(q[3].x - q[0].x) / h, (q[3].y - q[0].y) / h}; /* down the column */
    gcv_point c = boxes[i].rect.center;
    for (int j = 0; j < n; j++) {
        float jw = dist(boxes[j].quad[0], boxes[j].quad[1]);
        float jh = dist(boxes[j].quad[0], boxes[j].quad[3]);
        if (j == i || jh <= 2.2f * jw)
            continue; /* only another piece of column is read on its own */
        /* the other box's extent along the column and across it */
        float lo = 1e9f, hi = -1e9f, left = 1e9f, right = -1e9f;
        for (int k = 0; k < 4; k++) {
            gcv_point d = {boxes[j].quad[k].x - c.x, boxes[j].quad[k].y - c.y};
            float a = d.x * v.x + d.y * v.y, x = -d.x * v.y + d.y * v.x;
            lo = fminf(lo, a), hi = fmaxf(hi, a);
            left = fminf(left, x), right = fmaxf(right, x);
        }
        if (right < -0.25f * w || left > 0.25f * w)
            continue; /* beside the column, not on its line */
        if (lo > 0)
            reach.down = fmaxf(0.0f, fminf(reach.down, (lo - h / 2) / w));
        else if (hi < 0)
            reach.up = fmaxf(0.0f, fminf(reach.up, (-hi - h / 2) / w));
    }
    return reach;
}

static int read_lines(gatecv_reader *r, const gcv_image *bgr, ocr_line **out, GError **error)
{
    text_box *boxes = NULL;
    gint64 t0 = g_get_monotonic_time();
    /* The full pass after a blind coarse one is for small vertical codes. A reader of plates
     * alone skips it: most frames a lane's plate camera reads show a vehicle's body and no
     * text, and paid for both passes (a plate too small for the coarse map is read in a
     * frame where its vehicle is nearer). */
    text_detect_params detect = r->params.detect;
    detect.blind_full_pass = detect.blind_full_pass && r->params.containers;
    int n = text_detect(r->models, bgr, &detect, &boxes, error);
    r->stats.detect_ms = (g_get_monotonic_time() - t0) / 1000.0;
    if (n < 0)
        return -1;
    n = column_split(bgr, &boxes, n); /* a column read alone, not beside another */
    n = column_group(boxes, n);       /* a column read whole, not piece by piece */
    r->stats.lines = n;
    qsort(boxes, n, sizeof *boxes, by_score_desc);
    if (n > MAX_LINES)
        n = MAX_LINES;
    ocr_line *lines = g_new0(ocr_line, n > 0 ? 2 * n : 1); /* room for add_plate_tops */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        ocr_line *l = &lines[kept];
        l->box = boxes[i];
        const gcv_point *q = l->box.quad;
        float w = dist(q[0], q[1]), h = dist(q[0], q[3]);
        l->vertical = h > 2.2f * w;
        l->length = l->vertical ? h : w;
        l->height = l->vertical ? w : h;
        l->cx = l->box.rect.center.x;
        l->cy = l->box.rect.center.y;
        l->reach = reach_of(boxes, n, i);
        const column_reach *reach = l->vertical ? &l->reach : NULL;
        int code_start = 0;
        int rc = read_region(r, bgr, q, reach, &l->line, &code_start, error);
        if (rc == 0 && r->params.ocr == OCR_BOTH && r->params.second_read_all) {
            rc = second_opinion(r, bgr, &l->line, q, reach, error);
            l->second_read = true;
        }
        if (rc < 0) {
            g_free(boxes);
            g_free(lines);
            return -1;
        }
        normalise_line(l);
        l->code_start = norm_index(l, code_start);
        if (gatecv_debug_enabled()) {
            char *text = text_line_string(&l->line);
            g_debug("line at (%.0f,%.0f) %.0fx%.0f%s: '%s' (confidence %.2f)", l->box.rect.center.x,
                    l->box.rect.center.y, w, h, l->vertical ? " vertical" : "", text,
                    l->line.confidence);
            g_free(text);
        }
        if (l->norm[0] == '\0')
            continue;
        line_bounds(l);
        surface_colour(bgr, l);
        kept++;
    }
    g_free(boxes);
    *out = lines;
    return kept;
}

/* ---- geometry: which lines may belong together ---------------------------- */

/* Geometry uses centres and the boxes' own sizes, not axis-aligned bounds, so that a
 * tilted plate or code groups as well as a level one. */

/* b sits right after a on the same row, at a similar height. */
static bool same_row_next(const ocr_line *a, const ocr_line *b)
{
    if (a->vertical || b->vertical)
        return false;
    float h = fmaxf(a->height, b->height);
    float ratio = a->height / b->height;
    float gap = (b->cx - b->length / 2) - (a->cx + a->length / 2);
    return ratio > 0.6f && ratio < 1.67f &&
           fabsf(b->cy - a->cy) < 0.5f * fminf(a->height, b->height) && gap > -0.3f * h &&
           gap < 2.5f * h;
}

/* b is the line right under a, roughly centred with it (two-line plates, codes on two
 * rows, or pieces of one vertical column). */
static bool stacked_below(const ocr_line *a, const ocr_line *b)
{
    if (a->vertical && !b->vertical && b->n_kept <= 2) { /* a column's boxed check digit */
        float gap = (b->cy - b->height / 2) - (a->cy + a->length / 2);
        return fabsf(a->cx - b->cx) < 0.5f * a->height && gap > -0.3f * a->height &&
               gap < 1.5f * a->height;
    }
    if (a->vertical != b->vertical)
        return false;
    if (a->vertical) { /* pieces of one column: same x, b continues below a */
        float gap = (b->cy - b->length / 2) - (a->cy + a->length / 2);
        return fabsf(a->cx - b->cx) < 0.5f * fmaxf(a->height, b->height) &&
               gap > -0.3f * a->height && gap < 1.5f * fmaxf(a->height, b->height);
    }
    float h = fmaxf(a->height, b->height);
    float gap = (b->cy - a->cy) - (a->height + b->height) / 2;
    float ratio = a->height / b->height;
    return fabsf(a->cx - b->cx) < 0.5f * fmaxf(a->length, b->length) && gap > -0.35f * h &&
           gap < 0.9f * h && ratio > 0.4f && ratio < 2.5f;
}

/* b is the serial column of a split vertical code right of a, the owner column: both
 * columns, of similar width, b's centre one to four column widths to the right, and b
 * starting level with a or lower (corner posts often start the serial lower) but before
 * a ends. */
static bool column_beside(const ocr_line *a, const ocr_line *b)
{
    if (!a->vertical || !b->vertical || a->n_kept - a->code_start > 6)
        return false; /* an owner column: 4 letters, and what its crop reached past them */
    float w = fmaxf(a->height, b->height), ratio = a->height / b->height;
    float dx = b->cx - a->cx;
    return ratio > 0.6f && ratio < 1.67f && dx > 0.7f * w && dx < 4.0f * w &&
           b->y0 > a->y0 - 0.6f * w && b->y0 < a->y1;
}

/* ---- the top line of a two-line plate ------------------------------------- */

/* Whether a line reads like the lower line of a Chinese two-line plate: five letters and
 * digits, at least one a digit ("626SK", "637J2"). */
static bool looks_like_cn_plate_body(const ocr_line *l)
{
    if (l->vertical || strlen(l->norm) != 5)
        return false;
    bool digit = false;
    for (int i = 0; i < 5; i++) {
        if (!g_ascii_isalnum(l->norm[i]))
            return false;
        digit = digit || g_ascii_isdigit(l->norm[i]);
    }
    return digit;
}

/* Whether some line already lies right above l (its top line was found). */
static bool has_line_above(const ocr_line *lines, int n, const ocr_line *l)
{
    for (int i = 0; i < n; i++)
        if (&lines[i] != l && lines[i].cy < l->cy && stacked_below(&lines[i], l))
            return true;
    return false;
}

/* The top line of a Chinese two-line plate (province character and office letter, small and
 * centred over the five large characters) is often too small for the detector: read the band
 * just above such a lower line, the middle TOP_BAND_WIDTH of its length and TOP_BAND_HEIGHT
 * of its height tall, as a line of its own. Returns whether `top` holds something read. */
#define TOP_BAND_WIDTH 0.6f
#define TOP_BAND_HEIGHT 0.7f
static bool probe_plate_top(gatecv_reader *r, const gcv_image *bgr, const ocr_line *l,
                            ocr_line *top)
{
    const gcv_point *q = l->box.quad;
    float h = l->height;
    gcv_point u = {(q[1].x - q[0].x) / l->length, (q[1].y - q[0].y) / l->length};
    gcv_point v = {-u.y, u.x}; /* down the text, for a level line */
    float up = TOP_BAND_HEIGHT * h, down = 0.05f * h;
    float cut = (1 - TOP_BAND_WIDTH) / 2 * l->length;
    gcv_point a = {q[0].x + u.x * cut, q[0].y + u.y * cut},
              b = {q[1].x - u.x * cut, q[1].y - u.y * cut};
    const gcv_point band[4] = {{a.x - v.x * up, a.y - v.y * up},
                               {b.x - v.x * up, b.y - v.y * up},
                               {b.x + v.x * down, b.y + v.y * down},
                               {a.x + v.x * down, a.y + v.y * down}};
    memset(top, 0, sizeof *top);
    memcpy(top->box.quad, band, sizeof band);
    top->box.score = l->box.score;
    GError *error = NULL;
    gcv_image *crop = text_crop_quad(bgr, band);
    int rc = crop ? read_with_ppocr(r, crop, &top->line, &error) : -1;
    gcv_image_free(crop);
    if (rc < 0) {
        g_clear_error(&error);
        return false;
    }
    normalise_line(top);
    if (gatecv_debug_enabled()) {
        char *text = text_line_string(&top->line);
        g_debug("plate top-line probe over '%s': '%s'", l->norm, text);
        g_free(text);
    }
    if (top->norm[0] == '\0')
        return false;
    top->length = TOP_BAND_WIDTH * l->length;
    top->height = up + down;
    top->cx = (band[0].x + band[2].x) / 2;
    top->cy = (band[0].y + band[2].y) / 2;
    line_bounds(top);
    return true;
}

/* Probes the top line over every lower line of a Chinese two-line plate that has none
 * (lines has room for n more; a candidate's lines are bits of a 64-bit mask, so there are
 * never more than MAX_LINES in all); returns the new count. */
static int add_plate_tops(gatecv_reader *r, const gcv_image *bgr, ocr_line *lines, int n)
{
    int found = n;
    if (!r->params.plates || !(r->params.plate_grammars & (1u << PLATE_CN)))
        return n;
    for (int i = 0; i < n && found < MAX_LINES; i++)
        if (looks_like_cn_plate_body(&lines[i]) && !has_line_above(lines, n, &lines[i]) &&
            probe_plate_top(r, bgr, &lines[i], &lines[found]))
            found++;
    return found;
}

/* ---- turning a candidate into a read --------------------------------------- */

typedef struct {
    gatecv_read read;
    guint64 used;  /* bit mask of the lines it uses */
    float rank;
    float char_h;  /* its characters' height in pixels (the tallest line's) */
    bool marking;  /* plates: a line reads like a container marking (45G1, 30480KGS) */
    uint8_t surface[3]; /* the colour its text is written on (its first line's) */
} scored_read;

typedef struct {
    scored_read *items;
    int n, cap;
} read_list;

static void push(read_list *list, const scored_read *s)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 16;
        list->items = g_renew(scored_read, list->items, list->cap);
    }
    list->items[list->n++] = *s;
}

static void candidate_text(const ocr_line *lines, const candidate *c, char *text, size_t size,
                           char *raw, size_t raw_size, float *conf, float *min_conf, guint64 *used)
{
    text[0] = raw[0] = '\0';
    *min_conf = 1.0f;
    double sum = 0;
    int chars = 0;
    *used = 0;
    for (int i = 0; i < c->n; i++) {
        const ocr_line *l = &lines[c->idx[i]];
        int from, count;
        line_part(lines, c, i, &from, &count);
        if (from == 0 && count == l->n_kept) {
            g_strlcat(text, l->norm, size);
        } else { /* a slice: only of a Latin column, one byte a character */
            size_t len = strlen(text);
            g_strlcpy(text + MIN(len, size - 1), l->norm + from,
                      MIN((size_t)count + 1, size - MIN(len, size - 1)));
        }
        char *s = text_line_string(&l->line);
        if (i)
            g_strlcat(raw, "|", raw_size);
        g_strlcat(raw, s, raw_size);
        g_free(s);
        for (int k = from; k < from + count; k++) {
            sum += l->kept[k]->prob;
            *min_conf = fminf(*min_conf, l->kept[k]->prob);
        }
        chars += count;
        *used |= (guint64)1 << c->idx[i];
    }
    *conf = chars ? (float)(sum / chars) : 0.0f;
}

static void candidate_quad(const ocr_line *lines, const candidate *c, gcv_point quad[4])
{
    if (c->n == 1) {
        memcpy(quad, lines[c->idx[0]].box.quad, sizeof(gcv_point) * 4);
        return;
    }
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (int i = 0; i < c->n; i++) {
        const ocr_line *l = &lines[c->idx[i]];
        x0 = fminf(x0, l->x0), y0 = fminf(y0, l->y0);
        x1 = fmaxf(x1, l->x1), y1 = fmaxf(y1, l->y1);
    }
    quad[0] = (gcv_point){x0, y0};
    quad[1] = (gcv_point){x1, y0};
    quad[2] = (gcv_point){x1, y1};
    quad[3] = (gcv_point){x0, y1};
}

static void container_display(const char *code, char *out, size_t size)
{
    g_snprintf(out, size, "%.4s %.6s %.1s", code, code + 4, code + 10);
}

/* The text, confidences and region of a candidate, as a read to be completed. */
static scored_read new_read(const read_ctx *ctx, const candidate *c, gatecv_read_kind kind,
                            char *text, size_t text_size)
{
    scored_read s = {0};
    gatecv_read *rd = &s.read;
    rd->kind = kind;
    rd->country = PLATE_GENERIC;
    rd->layout = c->layout;
    candidate_text(ctx->lines, c, text, text_size, rd->raw, sizeof rd->raw, &rd->confidence,
                   &rd->min_char_confidence, &s.used);
    candidate_quad(ctx->lines, c, rd->quad);
    for (int i = 0; i < c->n; i++)
        s.char_h = fmaxf(s.char_h, ctx->lines[c->idx[i]].height);
    memcpy(s.surface, ctx->lines[c->idx[0]].surface, sizeof s.surface);
    return s;
}

/* The recognised character at character position `pos` of a candidate's text. */
static const text_char *candidate_char(const read_ctx *ctx, const candidate *c, int pos)
{
    for (int i = 0; i < c->n; i++) {
        int from, count;
        line_part(ctx->lines, c, i, &from, &count);
        if (pos < count)
            return ctx->lines[c->idx[i]].kept[from + pos];
        pos -= count;
    }
    return NULL;
}

/* A look-alike substitution is believable when the recogniser was unsure of that
 * character or itself ranked the replacement second; a confident read of another
 * character is not overruled by the grammar. An O in a code's digit positions is a zero
 * however surely it was read: the fonts draw both alike, and a column's characters are
 * read one by one, without the digits around them that tell them apart. */
static bool fix_supported(const read_ctx *ctx, const candidate *c, const struct text_fix *fix,
                          int offset, bool container)
{
    for (int i = 0; i < fix->n_subs; i++) {
        if (container && iso6346_zero_for_o(fix->subs[i].pos, fix->subs[i].from[0]))
            continue;
        const text_char *ch = candidate_char(ctx, c, offset + fix->subs[i].pos);
        if (ch && ch->prob >= SURE_CHAR && strcmp(ch->alt, fix->subs[i].to) != 0)
            return false;
    }
    return true;
}

/* Owner code, category and serial without the check digit: AAAU999999. */
static bool is_code_without_check_digit(const char *t)
{
    if (strlen(t) != ISO6346_CODE_LEN - 1)
        return false;
    for (int i = 0; i < 10; i++)
        if (i < 4 ? !g_ascii_isupper(t[i]) : !g_ascii_isdigit(t[i]))
            return false;
    return true;
}

/* The one digit of a probe's read, or 0 if it holds none or several. The box's frame
 * reads as 1, l, I or | beside the digit and is dropped; O, o, D and Q inside a box are
 * a zero. */
static char lone_digit(const text_line *line, float *prob)
{
    char chars[TEXT_LINE_MAX_CHARS];
    float probs[TEXT_LINE_MAX_CHARS];
    int n = 0;
    for (int i = 0; i < line->n; i++) {
        const char *ch = line->chars[i].ch;
        if (strlen(ch) != 1 || !(g_ascii_isalnum(ch[0]) || ch[0] == '|'))
            continue;
        chars[n] = strchr("oODQ", ch[0]) ? '0' : ch[0];
        probs[n++] = line->chars[i].prob;
    }
    int first = 0, last = n - 1;
    while (last > first && strchr("1lI|", chars[first]))
        first++;
    while (last > first && strchr("1lI|", chars[last]))
        last--;
    if (n == 0 || first != last || !g_ascii_isdigit(chars[first]))
        return 0;
    *prob = probs[first];
    return chars[first];
}

/* The boxed check digit right of a code's last line is often missed by the detector:
 * read the square just past the line's right end and return the one digit found. The
 * box's frame can read as a '1' beside the digit, so a few placements are tried, the
 * tightest first; the check digit itself then decides whether the code is valid. */
static char probe_check_digit(const read_ctx *ctx, const ocr_line *l, float *prob)
{
    /* start and end along the line and half-height across it, in line heights */
    static const float placements[][3] = {
        {-0.1f, 1.6f, 0.45f}, {0.2f, 1.3f, 0.45f}, {-0.1f, 1.6f, 0.65f}};
    const gcv_point *q = l->box.quad;
    float len = l->length, h = l->height;
    gcv_point u = {(q[1].x - q[0].x) / len, (q[1].y - q[0].y) / len};
    gcv_point v = {-u.y, u.x}; /* down the text, for a level line */
    gcv_point e = {(q[1].x + q[2].x) / 2, (q[1].y + q[2].y) / 2};
    for (size_t p = 0; p < G_N_ELEMENTS(placements); p++) {
        float a = placements[p][0] * h, b = placements[p][1] * h, half = placements[p][2] * h;
        gcv_point probe[4] = {
            {e.x + u.x * a - v.x * half, e.y + u.y * a - v.y * half},
            {e.x + u.x * b - v.x * half, e.y + u.y * b - v.y * half},
            {e.x + u.x * b + v.x * half, e.y + u.y * b + v.y * half},
            {e.x + u.x * a + v.x * half, e.y + u.y * a + v.y * half},
        };
        text_line line;
        GError *error = NULL;
        gcv_image *crop = text_crop_quad(ctx->image, probe);
        int rc = crop ? read_with_ppocr(ctx->reader, crop, &line, &error) : -1;
        gcv_image_free(crop);
        if (rc < 0) {
            g_clear_error(&error);
            return 0;
        }
        if (gatecv_debug_enabled()) {
            char *text = text_line_string(&line);
            g_debug("check-digit probe %zu right of '%s': '%s'", p, l->norm, text);
            g_free(text);
        }
        char digit = lone_digit(&line, prob);
        if (digit)
            return digit;
    }
    return 0;
}

/* Whether the window's characters were read surely enough for the check digit to vouch
 * for them: every one at CONTAINER_MIN_CHAR, the owner letters as iso6346_owner_sure asks.
 * A letter put in by a look-alike fix (a digit read at a letter position) is only as sure
 * as the read it replaced. `probed_prob`: that of a check digit read by probe_check_digit. */
static bool container_sure(const read_ctx *ctx, const candidate *c, const char *code, int start,
                           float probed_prob)
{
    iso6346_char_read owner[3];
    for (int i = 0; i < ISO6346_CODE_LEN; i++) {
        const text_char *ch = candidate_char(ctx, c, start + i);
        if (!ch) { /* the probed check digit, past the lines' own characters */
            if (i < 10 || probed_prob < CONTAINER_MIN_CHAR)
                return false;
            continue;
        }
        if (ch->prob < CONTAINER_MIN_CHAR)
            return false;
        if (i < 3)
            owner[i] = (iso6346_char_read){code[i], ch->prob,
                                           (char)g_ascii_toupper(ch->alt[0]), ch->alt_prob};
    }
    bool sure = iso6346_owner_sure(owner, OWNER_MIN_CHAR);
    if (!sure)
        g_debug("owner of '%s' unsure: %c %.2f (%c %.2f), %c %.2f (%c %.2f), %c %.2f (%c %.2f)",
                code, owner[0].ch, owner[0].prob, owner[0].alt, owner[0].alt_prob, owner[1].ch,
                owner[1].prob, owner[1].alt, owner[1].alt_prob, owner[2].ch, owner[2].prob,
                owner[2].alt, owner[2].alt_prob);
    return sure;
}

/* In a code joined from several lines (owner and serial columns or rows), the code
 * starts where one of them starts: a window that begins inside a line takes that line's
 * stray characters for code, which the check digit passes one time in ten. A column's
 * read reaches past its box, and what it read above the box (a rib's end, a sticker) may
 * come first: its first character inside the box is a start too. */
static bool window_starts_line(const read_ctx *ctx, const candidate *c, int start)
{
    if (c->n == 1)
        return true;
    for (int i = 0, pos = 0; i < c->n && pos <= start; i++) {
        const ocr_line *l = &ctx->lines[c->idx[i]];
        int from, count;
        line_part(ctx->lines, c, i, &from, &count);
        if (pos == start || (l->vertical && !c->owner_slice && pos + l->code_start == start))
            return true;
        pos += count;
    }
    return false;
}

/* The substitutions of a code's fix that were guesses: all but O read for a zero. */
static int guesses(const struct text_fix *fix)
{
    int n = 0;
    for (int i = 0; i < fix->n_subs; i++)
        n += !iso6346_zero_for_o(fix->subs[i].pos, fix->subs[i].from[0]);
    return n;
}

/* A window failing the check digit may pass with one owner letter, or its check digit,
 * replaced by the recogniser's own runner-up for it (iso6346_runner_up). Such a read is for
 * review only: every alternative tried is another chance for junk to pass. */
static bool code_runner_up(const read_ctx *ctx, const candidate *c, const char *window,
                           int start, struct text_fix *fix)
{
    char alt[ISO6346_CODE_LEN] = {0};
    for (int i = 0; i < ISO6346_CODE_LEN; i++) {
        const text_char *ch = candidate_char(ctx, c, start + i);
        if (ch && strlen(ch->alt) == 1 && ch->alt_prob >= CODE_ALT_PROB)
            alt[i] = g_ascii_toupper(ch->alt[0]);
    }
    return iso6346_runner_up(window, alt, fix);
}

/* Every 11-character window of the text that is, or is one look-alike away from, a
 * valid ISO 6346 code (O read for a zero aside, see iso6346_correct). */
static void try_container(const read_ctx *ctx, const candidate *c, read_list *out)
{
    char text[GATECV_READ_TEXT * 4];
    scored_read base = new_read(ctx, c, READ_CONTAINER, text, sizeof text);
    const ocr_line *last = &ctx->lines[c->idx[c->n - 1]];
    float digit_prob = 1.0f;
    if (!last->vertical && is_code_without_check_digit(text)) {
        digit_probe *memo = &ctx->probes[c->idx[c->n - 1]];
        if (!memo->done) {
            memo->digit = probe_check_digit(ctx, last, &memo->prob);
            memo->done = true;
        }
        char digit = memo->digit;
        digit_prob = memo->prob;
        if (!digit)
            return;
        size_t n = strlen(text);
        text[n] = digit;
        text[n + 1] = '\0';
        base.read.min_char_confidence = fminf(base.read.min_char_confidence, digit_prob);
        g_strlcat(base.read.raw, "|+", sizeof base.read.raw);
        char d[2] = {digit, 0};
        g_strlcat(base.read.raw, d, sizeof base.read.raw);
    }
    size_t len = strlen(text);
    if (len < ISO6346_CODE_LEN || len > ISO6346_CODE_LEN + 8)
        return;
    for (size_t start = 0; start + ISO6346_CODE_LEN <= len; start++) {
        char window[ISO6346_CODE_LEN + 1];
        memcpy(window, text + start, ISO6346_CODE_LEN);
        window[ISO6346_CODE_LEN] = '\0';
        struct text_fix fix;
        if (!window_starts_line(ctx, c, (int)start))
            continue;
        bool runner_up = false;
        if (iso6346_correct(window, &fix) == ISO6346_INVALID)
            runner_up = code_runner_up(ctx, c, window, (int)start, &fix);
        if ((!runner_up && fix.text[0] == '\0') || !fix_supported(ctx, c, &fix, (int)start, true))
            continue;
        scored_read s = base;
        gatecv_read *rd = &s.read;
        g_strlcpy(rd->text, fix.text, sizeof rd->text);
        container_display(rd->text, rd->display, sizeof rd->display);
        rd->fix = fix;
        rd->valid = !runner_up && container_sure(ctx, c, fix.text, (int)start, digit_prob);
        rd->confidence *= powf(SUB_PENALTY, (float)guesses(&fix));
        /* Extra characters around the code make it less likely to be the code itself. */
        s.rank = rd->confidence - 0.02f * (float)(len - ISO6346_CODE_LEN) - (rd->valid ? 0 : 1);
        push(out, &s);
    }
}

/* Container markings that look like short plates: the size-type code and the weight
 * and volume lines of the data plate (30480KGS, 67200LBS, 332CUM). */
static bool looks_like_marking(const char *text)
{
    static const char *units[] = {"KG", "KGS", "LB", "LBS", "CUM", "CUFT", "M3"};
    size_t len = strlen(text);
    if (len == 4 && iso6346_size_type_valid(text))
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        size_t u = strlen(units[i]);
        if (len > u && g_ascii_isdigit(text[len - u - 1]) && strcmp(text + len - u, units[i]) == 0)
            return true;
    }
    return false;
}

/* A two-line VN plate is the province and series on top and the 4-5 digit number
 * below: a line break anywhere else means the lines were misread or mismatched. */
static bool two_line_split_ok(enum plate_country country, const char *text, size_t top_len)
{
    size_t len = strlen(text);
    if (country != PLATE_VN)
        return true;
    if (top_len < 3 || top_len > 4 || len - top_len < 4 || len - top_len > 5)
        return false;
    for (size_t i = top_len; i < len; i++)
        if (!g_ascii_isdigit(text[i]))
            return false;
    return true;
}

/* Logs a plate read's characters with their probabilities, runners-up and steps. */
static void debug_plate(const read_ctx *ctx, const candidate *c, const gatecv_read *rd,
                        const char *why)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < c->n; i++) {
        const ocr_line *l = &ctx->lines[c->idx[i]];
        for (int k = 0; k < l->n_kept; k++)
            g_string_append_printf(s, " %s:%.3f/%s:%.3f@%d", l->kept[k]->ch, l->kept[k]->prob,
                                   l->kept[k]->alt, l->kept[k]->alt_prob, l->kept[k]->step);
        if (i + 1 < c->n)
            g_string_append(s, " |");
    }
    g_debug("plate '%s' %s %s%s%s:%s", rd->text, gatecv_country_name(rd->country) ? gatecv_country_name(rd->country) : "generic",
            plate_colour_name(rd->colour) ? plate_colour_name(rd->colour) : "unknown", why ? " doubtful: " : "", why ? why : "",
            s->str);
    g_string_free(s, TRUE);
}

/* Why a plate read that fits its grammar is still not sure (plate_doubt.h), or NULL: the
 * colour against the character count, a gap in a line's spacing, an unclear look-alike. */
static const char *plate_doubt(const read_ctx *ctx, const candidate *c, const gatecv_read *rd)
{
    if (plate_doubt_colour(rd->country, rd->colour, rd->text))
        return "colour";
    /* Chinese plates only: the others' separators (VN 59-S2, 12C-345.67; spaces on EU
     * plates) sit anywhere and are often not read, and look like gaps. */
    for (int i = 0; i < c->n && rd->country == PLATE_CN; i++) {
        const ocr_line *l = &ctx->lines[c->idx[i]];
        if (plate_doubt_gap(l->kept, l->n_kept, i == 0 ? 1 : -1)) /* 皖A·12345 */
            return "gap";
    }
    int n = (int)g_utf8_strlen(rd->text, -1);
    for (int pos = 0; pos < n; pos++)
        if (plate_doubt_lookalike(rd->country, rd->text, pos, candidate_char(ctx, c, pos)))
            return "look-alike";
    return NULL;
}

/* Valid when every character was read surely and nothing makes the read doubtful. */
static bool plate_sure(const read_ctx *ctx, const candidate *c, const gatecv_read *rd)
{
    const char *why = plate_doubt(ctx, c, rd);
    if (gatecv_debug_enabled())
        debug_plate(ctx, c, rd, why);
    return rd->min_char_confidence >= PLATE_MIN_CHAR && !why;
}

/* The recogniser's runner-up at each character of the candidate's text, where it found it
 * at least RUNNER_UP_SHARE as likely as what it read (plate_fix_prefer_runner_up takes it
 * over a look-alike table's guess); NULL elsewhere. A runner-up far behind is no evidence
 * against the table: a CN O, read surely, is the 0 the plates print alike, whatever came
 * second. */
#define RUNNER_UP_SHARE 0.5f
static void runner_ups(const read_ctx *ctx, const candidate *c, const char *runner_up[], int n)
{
    for (int pos = 0; pos < n; pos++) {
        const text_char *ch = candidate_char(ctx, c, pos);
        runner_up[pos] = ch && ch->alt_prob >= RUNNER_UP_SHARE * ch->prob ? ch->alt : NULL;
    }
}

/* The text as a VN or CN plate (with look-alike corrections), else a generic plate. */
static void try_plate(const read_ctx *ctx, const candidate *c, read_list *out)
{
    unsigned grammars = ctx->reader->params.plate_grammars;
    char text[GATECV_READ_TEXT * 4];
    scored_read base = new_read(ctx, c, READ_PLATE, text, sizeof text);
    size_t len = strlen(text);
    if (len < 4 || len > 14)
        return;
    size_t top_len = strlen(ctx->lines[c->idx[0]].norm);
    base.read.colour = plate_colour_classify(ctx->image, base.read.quad);
    for (int i = 0; i < c->n; i++)
        base.marking = base.marking || looks_like_marking(ctx->lines[c->idx[i]].norm);
    const char *runner_up[GATECV_READ_TEXT];
    int n_chars = MIN((int)g_utf8_strlen(text, -1), GATECV_READ_TEXT);
    runner_ups(ctx, c, runner_up, n_chars);
    static const enum plate_country countries[] = {PLATE_VN, PLATE_CN};
    bool matched = false;
    for (int k = 0; k < 2; k++) {
        if (!(grammars & (1u << countries[k])))
            continue;
        struct text_fix fix;
        if (plate_correct(countries[k], text, 2, &fix) == PLATE_FIX_INVALID ||
            !fix_supported(ctx, c, &fix, 0, false))
            continue;
        plate_fix_prefer_runner_up(countries[k], &fix, runner_up, n_chars);
        if (c->n == 2 && !two_line_split_ok(countries[k], fix.text, top_len))
            continue;
        scored_read s = base;
        gatecv_read *rd = &s.read;
        rd->country = countries[k];
        g_strlcpy(rd->text, fix.text, sizeof rd->text);
        plate_display(rd->country, rd->text, c->layout == LAYOUT_TWO_LINE, rd->display,
                      sizeof rd->display);
        rd->fix = fix;
        rd->valid = plate_sure(ctx, c, rd);
        rd->confidence *= powf(SUB_PENALTY, (float)fix.n_subs);
        s.rank = 2.0f + rd->confidence; /* a national grammar beats a generic read */
        push(out, &s);
        matched = true;
    }
    /* Generic plates are single lines: the benchmarks' plates are, and a pair of
     * unrelated lines is too easily a plate-shaped string. */
    if (matched || len > 8 || c->n > 1 || !(grammars & PLATES_GENERIC) || looks_like_marking(text))
        return;
    gatecv_read *rd = &base.read;
    g_strlcpy(rd->text, text, sizeof rd->text);
    g_strlcpy(rd->display, text, sizeof rd->display);
    bool has_digit = strpbrk(text, "0123456789") != NULL;
    bool has_letter = strpbrk(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
    /* Plates of other countries mix letters and digits; words and numbers on signs,
     * badges and timestamps usually do not. */
    bool shaped = plate_grammar_match(PLATE_GENERIC, text) && has_digit && has_letter;
    /* At a site with national grammars, a plate none of them accepts is reviewed by a
     * person; only in generic mode (benchmarks) can it be valid. */
    bool generic_mode = (grammars & (PLATES_VN | PLATES_CN)) == 0;
    rd->valid = shaped && generic_mode && plate_sure(ctx, c, rd);
    base.rank = (shaped ? 1.0f : 0.0f) + rd->confidence * (len >= 5 ? 1.0f : 0.8f);
    push(out, &base);
}

/* ---- candidates ------------------------------------------------------------ */

/* The split code of owner column i and serial column j (and k, the serial's boxed check
 * digit detected on its own under it, if k >= 0): the whole owner column, and its 4
 * characters from its start and from its first character inside its box. */
static void try_split(const read_ctx *ctx, int i, int j, int k, read_list *out)
{
    const ocr_line *owner = &ctx->lines[i];
    const ocr_line *serial = &ctx->lines[j];
    candidate c = {.idx = {i, j, k}, .n = k >= 0 ? 3 : 2, .layout = LAYOUT_VERTICAL};
    if (owner->n_kept <= 4) /* more: the rest is not the serial's (owner_slice below) */
        try_container(ctx, &c, out);
    if (strlen(owner->norm) != (size_t)owner->n_kept ||
        strlen(serial->norm) != (size_t)serial->n_kept)
        return; /* not Latin columns */
    /* Cost: at most 4 candidates more per pair of columns. */
    int owner_starts[2] = {0, owner->code_start}, serial_starts[2] = {0, serial->code_start};
    for (int a = 0; a < (owner_starts[1] ? 2 : 1); a++)
        for (int b = 0; b < (serial_starts[1] ? 2 : 1); b++) {
            if (owner->n_kept - owner_starts[a] < 4 || (a == 0 && b == 0 && owner->n_kept == 4))
                continue; /* too short, or the whole lines tried above */
            c.owner_slice = true, c.owner_from = owner_starts[a], c.serial_from = serial_starts[b];
            try_container(ctx, &c, out);
        }
}

/* A split vertical code: the owner column i, a serial column beside it, and the serial's
 * boxed check digit if it was detected on its own under it. Cost: O(n^2) in lines. */
static void propose_split_columns(const read_ctx *ctx, int i, read_list *out)
{
    const ocr_line *lines = ctx->lines;
    for (int j = 0; j < ctx->n_lines; j++) {
        if (j == i || !column_beside(&lines[i], &lines[j]))
            continue;
        try_split(ctx, i, j, -1, out);
        for (int k = 0; k < ctx->n_lines; k++)
            if (k != i && k != j && stacked_below(&lines[j], &lines[k]))
                try_split(ctx, i, j, k, out);
    }
}

static void propose(const read_ctx *ctx, read_list *out)
{
    const ocr_line *lines = ctx->lines;
    const gatecv_reader_params *p = &ctx->reader->params;
    int n = ctx->n_lines;
    for (int i = 0; i < n; i++) {
        candidate single = {
            .idx = {i}, .n = 1, .layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_ONE_LINE};
        if (p->plates && !lines[i].vertical)
            try_plate(ctx, &single, out);
        if (p->containers) {
            single.layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_HORIZONTAL;
            try_container(ctx, &single, out);
        }
        for (int j = 0; j < n; j++) {
            if (j == i || !stacked_below(&lines[i], &lines[j]))
                continue;
            candidate pair = {.idx = {i, j},
                              .n = 2,
                              .layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_TWO_LINE};
            if (p->plates && !lines[i].vertical)
                try_plate(ctx, &pair, out);
            if (p->containers) {
                pair.layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_HORIZONTAL;
                try_container(ctx, &pair, out);
            }
        }
        if (!p->containers)
            continue;
        propose_split_columns(ctx, i, out);
        /* Fragments on one row, left to right: owner code, serial, boxed check digit. */
        candidate chain = {.idx = {i}, .n = 1, .layout = LAYOUT_HORIZONTAL};
        for (int step = 1; step < MAX_CHAIN; step++) {
            int next = -1;
            const ocr_line *last = &lines[chain.idx[chain.n - 1]];
            for (int j = 0; j < n; j++)
                if (j != i && same_row_next(last, &lines[j]) &&
                    (next < 0 || lines[j].x0 < lines[next].x0))
                    next = j;
            if (next < 0)
                break;
            chain.idx[chain.n++] = next;
            try_container(ctx, &chain, out);
        }
    }
}

/* The size-type code, if a line of the image is one (22G1, 45G1, ...). */
static void find_size_type(const ocr_line *lines, int n, char out[5])
{
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        if (strlen(lines[i].norm) == 4 && iso6346_size_type_valid(lines[i].norm)) {
            memcpy(out, lines[i].norm, 5);
            return;
        }
}

/* A plate candidate this close to a container code (in the code's character heights,
 * from the code's bounding box) is text on the box: an owner's name, a weight, a
 * plate-like serial. A box is about 26 code heights tall, but the markings that look
 * like plates sit beside the code; a tractor's plate is further away. */
#define NEAR_CODE 8.0f

/* The distance from point p to the axis-aligned bounds of quad. */
static float distance_to_quad(gcv_point p, const gcv_point q[4])
{
    float x0 = fminf(fminf(q[0].x, q[1].x), fminf(q[2].x, q[3].x));
    float x1 = fmaxf(fmaxf(q[0].x, q[1].x), fmaxf(q[2].x, q[3].x));
    float y0 = fminf(fminf(q[0].y, q[1].y), fminf(q[2].y, q[3].y));
    float y1 = fmaxf(fmaxf(q[0].y, q[1].y), fmaxf(q[2].y, q[3].y));
    float dx = p.x < x0 ? x0 - p.x : p.x > x1 ? p.x - x1 : 0;
    float dy = p.y < y0 ? y0 - p.y : p.y > y1 ? p.y - y1 : 0;
    return hypotf(dx, dy);
}

/* Whether two reads are written on surfaces of one colour (within SURFACE_DIFF, BGR
 * distance): text painted on the box shares the code's paint; a plate is a panel of its own. */
#define SURFACE_DIFF 48.0f
static bool same_surface(const scored_read *a, const scored_read *b)
{
    float d = 0;
    for (int c = 0; c < 3; c++)
        d += ((float)a->surface[c] - b->surface[c]) * ((float)a->surface[c] - b->surface[c]);
    return sqrtf(d) < SURFACE_DIFF;
}

/* Whether a plate candidate is text on a container whose code was read (valid, among the
 * `n` reads chosen so far): near the code on the same surface, or a marking anywhere in
 * the image. */
static bool on_container(const scored_read *plate, const scored_read *chosen, int n)
{
    const gcv_point *q = plate->read.quad;
    gcv_point centre = {(q[0].x + q[1].x + q[2].x + q[3].x) / 4,
                        (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
    for (int i = 0; i < n; i++) {
        if (chosen[i].read.kind != READ_CONTAINER || !chosen[i].read.valid)
            continue;
        if (plate->marking || (same_surface(plate, &chosen[i]) &&
                               distance_to_quad(centre, chosen[i].read.quad) <
                                   NEAR_CODE * chosen[i].char_h))
            return true;
    }
    return false;
}

/* A vertical code is read from columns whose crops reach past their boxes, and so its
 * lines are joined from several starts: where two different codes from lines they share
 * both pass the check digit (without a look-alike fix), one of them is a chance pass
 * (one in ten) and nothing tells which, so neither is valid. Cost: O(n^2) in reads. */
static void unvalidate_ambiguous(read_list *all)
{
    for (int i = 0; i < all->n; i++) {
        gatecv_read *a = &all->items[i].read;
        if (a->kind != READ_CONTAINER || a->layout != LAYOUT_VERTICAL || !a->valid)
            continue;
        for (int j = 0; j < all->n; j++) {
            const scored_read *b = &all->items[j];
            if (j == i || b->read.kind != READ_CONTAINER || b->read.fix.n_subs > 0 ||
                !(b->used & all->items[i].used) || strcmp(b->read.text, a->text) == 0)
                continue;
            g_debug("'%s' and '%s' both pass from one column: neither is valid", a->text,
                    b->read.text);
            a->valid = false;
            all->items[i].rank -= 1; /* as try_container ranks an invalid read */
            break;
        }
    }
}

/* Whether the second reader's disagreement could change what this read publishes. A
 * plate is valid only with every character at PLATE_MIN_CHAR, which a disagreement's
 * DISAGREE_FACTOR always undoes. A valid code whose every character was read surely enough
 * to stay over OWNER_MIN_CHAR (and so CONTAINER_MIN_CHAR) after that factor stays valid:
 * its check digit still vouches for it, and the second read would only cost time (a
 * column is read again cell by cell). */
static bool second_read_may_change(const scored_read *s)
{
    const gatecv_read *rd = &s->read;
    return !(rd->kind == READ_CONTAINER && rd->valid &&
             rd->min_char_confidence * DISAGREE_FACTOR >= OWNER_MIN_CHAR);
}

static int by_rank_desc(const void *a, const void *b)
{
    const scored_read *x = a, *y = b;
    return (x->rank < y->rank) - (x->rank > y->rank);
}

/* Container codes are chosen first: a line that carries a code that passed its check
 * digit is not offered again as a plate, nor is text on that container (on_container).
 * Within a kind, best rank first; a read is dropped when a better one already used one of
 * its lines or has the same text; an invalid read is kept only as the best of its kind
 * (for a person to review); generic plates are capped. The lines of the chosen reads that
 * the second reader could change go to *chosen_lines. */
static int choose(read_list *all, gatecv_read **out, guint64 *chosen_lines)
{
    *chosen_lines = 0;
    if (all->n > 0) /* qsort may not be given a NULL array */
        qsort(all->items, all->n, sizeof *all->items, by_rank_desc);
    scored_read *chosen = g_new0(scored_read, all->n > 0 ? all->n : 1);
    guint64 used = 0;
    int n = 0;
    static const gatecv_read_kind order[] = {READ_CONTAINER, READ_PLATE};
    for (int o = 0; o < 2; o++) {
        int first = n, generic = 0;
        for (int i = 0; i < all->n; i++) {
            scored_read *s = &all->items[i];
            if (s->read.kind != order[o] || (s->used & used))
                continue;
            if (!s->read.valid && n > first)
                continue;
            if (s->read.kind == READ_PLATE && on_container(s, chosen, first))
                continue;
            bool is_generic = s->read.kind == READ_PLATE && s->read.country == PLATE_GENERIC;
            if (is_generic && s->read.valid && generic >= MAX_GENERIC_PLATES)
                continue;
            bool dup = false;
            for (int j = first; j < n && !dup; j++)
                dup = strcmp(chosen[j].read.text, s->read.text) == 0;
            if (dup)
                continue;
            used |= s->used;
            if (second_read_may_change(s))
                *chosen_lines |= s->used;
            generic += is_generic && s->read.valid;
            chosen[n++] = *s;
        }
    }
    gatecv_read *reads = g_new0(gatecv_read, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        reads[i] = chosen[i].read;
    g_free(chosen);
    *out = reads;
    return n;
}

/* The second reader (--ocr both) on the lines in `mask` it has not read yet: only the
 * lines of the chosen reads, because only there can its opinion change what is published
 * (a valid read made invalid, or another read ranked first for review). Returns how many
 * lines it disagreed with, or -1 + error. */
static int second_read_lines(gatecv_reader *r, const gcv_image *bgr, ocr_line *lines, int n,
                             guint64 mask, GError **error)
{
    if (r->params.ocr != OCR_BOTH)
        return 0;
    int changed = 0;
    for (int i = 0; i < n; i++) {
        ocr_line *l = &lines[i];
        if (!(mask & ((guint64)1 << i)) || l->second_read)
            continue;
        float before = l->line.confidence;
        l->second_read = true;
        if (second_opinion(r, bgr, &l->line, l->box.quad, l->vertical ? &l->reach : NULL,
                           error) < 0)
            return -1;
        changed += l->line.confidence != before;
    }
    return changed;
}

int gatecv_reader_read(gatecv_reader *r, const gcv_image *bgr, gatecv_read **reads, GError **error)
{
    *reads = NULL;
    long pixels = (long)bgr->width * bgr->height;
    if (pixels > r->params.max_pixels) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "image is %dx%d (%ld pixels), over the limit of %ld pixels", bgr->width,
                    bgr->height, pixels, r->params.max_pixels);
        return -1;
    }
    memset(&r->stats, 0, sizeof r->stats);
    ocr_line *lines = NULL;
    int n = read_lines(r, bgr, &lines, error);
    if (n < 0)
        return -1;
    n = add_plate_tops(r, bgr, lines, n);
    read_ctx ctx = {r, bgr, lines, n, g_new0(digit_probe, n > 0 ? n : 1)};
    int count;
    /* Choose; then the second reader reads the lines of the chosen reads, and where it
     * disagrees the choice is made again. Each round reads new lines, so it ends. */
    for (;;) {
        read_list all = {0};
        propose(&ctx, &all);
        unvalidate_ambiguous(&all);
        guint64 chosen_lines = 0;
        count = choose(&all, reads, &chosen_lines);
        g_free(all.items);
        int changed = second_read_lines(r, bgr, lines, n, chosen_lines, error);
        if (changed == 0)
            break;
        g_free(*reads);
        *reads = NULL;
        if (changed < 0) {
            g_free(ctx.probes);
            g_free(lines);
            return -1;
        }
    }
    g_free(ctx.probes);
    char size_type[5];
    find_size_type(lines, n, size_type);
    for (int i = 0; i < count; i++)
        if ((*reads)[i].kind == READ_CONTAINER)
            memcpy((*reads)[i].size_type, size_type, sizeof size_type);
    g_free(lines);
    return count;
}
