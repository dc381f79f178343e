/*
 * reader.c — the still-image reader: detection, line reading, candidate grouping and
 * the choice among candidates by grammar and check digit. Owns the gatecv_reader and
 * the arrays it returns.
 */
#include "reader.h"

#include <math.h>
#include <string.h>

#include "gatecv_error.h"
#include "iso6346.h"
#include "text_recognise.h"
#include "vertical_text.h"

#define MAX_LINES 64          /* text lines read per image (the most confident first) */
#define MAX_CHAIN 4           /* container fragments joined on one row */
#define SUB_PENALTY 0.85f     /* confidence factor per look-alike substitution */
#define MAX_GENERIC_PLATES 2  /* plates of no known country reported per image */

struct gatecv_reader {
    gatecv_models *models;
    gatecv_reader_params params;
};

/* One detected and read text line. */
typedef struct {
    text_box box;
    text_line line;
    char norm[GATECV_READ_TEXT * 2]; /* A-Z, 0-9 and CJK characters only */
    float x0, y0, x1, y1;            /* axis-aligned bounds */
    float cx, cy;                    /* centre */
    float length;                    /* along the text: width, or height of a column */
    float height;                    /* across the text: character height, or column width */
    bool vertical;
} ocr_line;

/* A group of lines proposed as one plate or code. */
typedef struct {
    int idx[MAX_CHAIN];
    int n;
    gatecv_layout layout;
} candidate;

void gatecv_reader_params_default(gatecv_reader_params *p)
{
    text_detect_params_default(&p->detect);
    p->ocr = OCR_PPOCR;
    p->plate_grammars = PLATES_ALL;
    p->plates = true;
    p->containers = true;
    p->max_pixels = 40L * 1000 * 1000;
}

gatecv_reader *gatecv_reader_new(gatecv_models *models, const gatecv_reader_params *p,
                                 GError **error)
{
    if (p->ocr != OCR_PPOCR) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_INTERNAL,
                    "OCR engine %d is not available in this build", p->ocr);
        return NULL;
    }
    gatecv_reader *r = g_new0(gatecv_reader, 1);
    r->models = models;
    r->params = *p;
    return r;
}

void gatecv_reader_free(gatecv_reader *reader)
{
    g_free(reader);
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

/* Keep A-Z (upper-cased), 0-9 and CJK ideographs; drop separators and everything else. */
static void normalise_line(const text_line *line, char *out, size_t size)
{
    size_t n = 0;
    for (int i = 0; i < line->n; i++) {
        const char *c = line->chars[i].ch;
        size_t len = strlen(c);
        bool keep = false;
        char one[5] = {0};
        if (len == 1 && g_ascii_isalnum(c[0])) {
            one[0] = g_ascii_toupper(c[0]);
            keep = true;
        } else if (len == 3) {
            gunichar u = g_utf8_get_char(c);
            keep = u >= 0x4E00 && u <= 0x9FFF;
            memcpy(one, c, 3);
        }
        if (keep && n + strlen(one) < size) {
            memcpy(out + n, one, strlen(one));
            n += strlen(one);
        }
    }
    out[n] = '\0';
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

static int read_lines(gatecv_reader *r, const gcv_image *bgr, ocr_line **out, GError **error)
{
    text_box *boxes = NULL;
    int n = text_detect(r->models, bgr, &r->params.detect, &boxes, error);
    if (n < 0)
        return -1;
    qsort(boxes, n, sizeof *boxes, by_score_desc);
    if (n > MAX_LINES)
        n = MAX_LINES;
    ocr_line *lines = g_new0(ocr_line, n > 0 ? n : 1);
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
        int rc = l->vertical ? vertical_text_read(r->models, bgr, q, &l->line, error)
                             : text_recognise_quad(r->models, bgr, q, &l->line, error);
        if (rc < 0) {
            g_free(boxes);
            g_free(lines);
            return -1;
        }
        normalise_line(&l->line, l->norm, sizeof l->norm);
        if (l->norm[0] == '\0')
            continue;
        l->x0 = fminf(fminf(q[0].x, q[1].x), fminf(q[2].x, q[3].x));
        l->x1 = fmaxf(fmaxf(q[0].x, q[1].x), fmaxf(q[2].x, q[3].x));
        l->y0 = fminf(fminf(q[0].y, q[1].y), fminf(q[2].y, q[3].y));
        l->y1 = fmaxf(fmaxf(q[0].y, q[1].y), fmaxf(q[2].y, q[3].y));
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
    return ratio > 0.6f && ratio < 1.67f && fabsf(b->cy - a->cy) < 0.5f * fminf(a->height, b->height) &&
           gap > -0.3f * h && gap < 2.5f * h;
}

/* b is the line right under a, roughly centred with it (two-line plates, codes on two
 * rows, or pieces of one vertical column). */
static bool stacked_below(const ocr_line *a, const ocr_line *b)
{
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

/* ---- turning a candidate into a read --------------------------------------- */

typedef struct {
    gatecv_read read;
    unsigned used;      /* bit mask of the lines it uses (lines < 32) or 0 */
    float rank;
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
                           char *raw, size_t raw_size, float *conf, unsigned *used)
{
    text[0] = raw[0] = '\0';
    double sum = 0;
    int chars = 0;
    *used = 0;
    for (int i = 0; i < c->n; i++) {
        const ocr_line *l = &lines[c->idx[i]];
        g_strlcat(text, l->norm, size);
        char *s = text_line_string(&l->line);
        if (i)
            g_strlcat(raw, "|", raw_size);
        g_strlcat(raw, s, raw_size);
        g_free(s);
        for (int k = 0; k < l->line.n; k++)
            sum += l->line.chars[k].prob;
        chars += l->line.n;
        if (c->idx[i] < 32)
            *used |= 1u << c->idx[i];
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

/* Every 11-character window of the text that is, or is one look-alike away from, a
 * valid ISO 6346 code. */
static void try_container(const ocr_line *lines, const candidate *c, read_list *out)
{
    char text[GATECV_READ_TEXT * 4], raw[GATECV_READ_TEXT * 2];
    float conf;
    unsigned used;
    candidate_text(lines, c, text, sizeof text, raw, sizeof raw, &conf, &used);
    size_t len = strlen(text);
    if (len < ISO6346_CODE_LEN || len > ISO6346_CODE_LEN + 8)
        return;
    for (size_t start = 0; start + ISO6346_CODE_LEN <= len; start++) {
        char window[ISO6346_CODE_LEN + 1];
        memcpy(window, text + start, ISO6346_CODE_LEN);
        window[ISO6346_CODE_LEN] = '\0';
        struct text_fix fix;
        enum iso6346_result res = iso6346_correct(window, &fix);
        if (res == ISO6346_INVALID)
            continue;
        scored_read s = {0};
        gatecv_read *rd = &s.read;
        rd->kind = READ_CONTAINER;
        g_strlcpy(rd->text, fix.text, sizeof rd->text);
        container_display(rd->text, rd->display, sizeof rd->display);
        g_strlcpy(rd->raw, raw, sizeof rd->raw);
        rd->country = PLATE_GENERIC;
        rd->layout = c->layout;
        candidate_quad(lines, c, rd->quad);
        rd->fix = fix;
        rd->valid = true;
        rd->confidence = conf * powf(SUB_PENALTY, (float)fix.n_subs);
        /* Extra characters around the code make it less likely to be the code itself. */
        s.rank = rd->confidence - 0.02f * (float)(len - ISO6346_CODE_LEN);
        s.used = used;
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

/* The text as a VN or CN plate (with look-alike corrections), else a generic plate. */
static void try_plate(const ocr_line *lines, const candidate *c, unsigned grammars,
                      read_list *out)
{
    char text[GATECV_READ_TEXT * 4], raw[GATECV_READ_TEXT * 2];
    float conf;
    unsigned used;
    candidate_text(lines, c, text, sizeof text, raw, sizeof raw, &conf, &used);
    size_t len = strlen(text);
    if (len < 4 || len > 14)
        return;
    static const enum plate_country countries[] = {PLATE_VN, PLATE_CN};
    bool matched = false;
    for (int k = 0; k < 2; k++) {
        if (!(grammars & (1u << countries[k])))
            continue;
        struct text_fix fix;
        enum plate_fix_result res = plate_correct(countries[k], text, 2, &fix);
        if (res == PLATE_FIX_INVALID)
            continue;
        scored_read s = {0};
        gatecv_read *rd = &s.read;
        rd->kind = READ_PLATE;
        rd->country = countries[k];
        g_strlcpy(rd->text, fix.text, sizeof rd->text);
        plate_display(rd->country, rd->text, c->layout == LAYOUT_TWO_LINE, rd->display,
                      sizeof rd->display);
        g_strlcpy(rd->raw, raw, sizeof rd->raw);
        rd->layout = c->layout;
        candidate_quad(lines, c, rd->quad);
        rd->fix = fix;
        rd->valid = true;
        rd->confidence = conf * powf(SUB_PENALTY, (float)fix.n_subs);
        s.rank = 1.0f + rd->confidence; /* a national grammar beats a generic read */
        s.used = used;
        push(out, &s);
        matched = true;
    }
    if (matched || len > 8 || !(grammars & PLATES_GENERIC) || looks_like_marking(text))
        return;
    scored_read s = {0};
    gatecv_read *rd = &s.read;
    rd->kind = READ_PLATE;
    rd->country = PLATE_GENERIC;
    g_strlcpy(rd->text, text, sizeof rd->text);
    g_strlcpy(rd->display, text, sizeof rd->display);
    g_strlcpy(rd->raw, raw, sizeof rd->raw);
    rd->layout = c->layout;
    candidate_quad(lines, c, rd->quad);
    bool has_digit = strpbrk(text, "0123456789") != NULL;
    bool has_letter = strpbrk(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
    /* Plates of other countries mix letters and digits; words and numbers on signs,
     * badges and timestamps usually do not. */
    rd->valid = plate_grammar_match(PLATE_GENERIC, text) && has_digit && has_letter;
    rd->confidence = conf;
    s.rank = rd->confidence * (len >= 5 ? 1.0f : 0.8f);
    s.used = used;
    push(out, &s);
}

/* ---- candidates ------------------------------------------------------------ */

static void propose(const ocr_line *lines, int n, const gatecv_reader_params *p, read_list *out)
{
    for (int i = 0; i < n; i++) {
        candidate single = {{i}, 1, lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_ONE_LINE};
        if (p->plates && !lines[i].vertical)
            try_plate(lines, &single, p->plate_grammars, out);
        if (p->containers) {
            single.layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_HORIZONTAL;
            try_container(lines, &single, out);
        }
        for (int j = 0; j < n; j++) {
            if (j == i || !stacked_below(&lines[i], &lines[j]))
                continue;
            candidate pair = {{i, j}, 2, lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_TWO_LINE};
            if (p->plates && !lines[i].vertical)
                try_plate(lines, &pair, p->plate_grammars, out);
            if (p->containers) {
                pair.layout = lines[i].vertical ? LAYOUT_VERTICAL : LAYOUT_HORIZONTAL;
                try_container(lines, &pair, out);
            }
        }
        if (!p->containers)
            continue;
        /* Fragments on one row, left to right: owner code, serial, boxed check digit. */
        candidate chain = {{i}, 1, LAYOUT_HORIZONTAL};
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
            try_container(lines, &chain, out);
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

static int by_rank_desc(const void *a, const void *b)
{
    const scored_read *x = a, *y = b;
    if (x->read.valid != y->read.valid)
        return x->read.valid ? -1 : 1;
    return (x->rank < y->rank) - (x->rank > y->rank);
}

/* Container codes are chosen first: a line that carries a code that passed its check
 * digit is not offered again as a plate. Within a kind, best first; a read is dropped
 * when a better one already used one of its lines or has the same text; invalid reads
 * stay (one per kind) only if their kind has no valid read; generic plates are capped. */
static int choose(read_list *all, gatecv_read **out)
{
    qsort(all->items, all->n, sizeof *all->items, by_rank_desc);
    gatecv_read *chosen = g_new0(gatecv_read, all->n > 0 ? all->n : 1);
    unsigned used = 0;
    int n = 0;
    static const gatecv_read_kind order[] = {READ_CONTAINER, READ_PLATE};
    for (int o = 0; o < 2; o++) {
        int first = n, generic = 0;
        bool have_valid = false, have_guess = false;
        for (int i = 0; i < all->n; i++) {
            scored_read *s = &all->items[i];
            if (s->read.kind != order[o] || (s->used & used))
                continue;
            if (!s->read.valid && (have_valid || have_guess))
                continue;
            bool is_generic = s->read.kind == READ_PLATE && s->read.country == PLATE_GENERIC;
            if (is_generic && s->read.valid && generic >= MAX_GENERIC_PLATES)
                continue;
            bool dup = false;
            for (int j = first; j < n && !dup; j++)
                dup = strcmp(chosen[j].text, s->read.text) == 0;
            if (dup)
                continue;
            used |= s->used;
            have_valid |= s->read.valid;
            have_guess |= !s->read.valid;
            generic += is_generic && s->read.valid;
            chosen[n++] = s->read;
        }
    }
    *out = chosen;
    return n;
}

int gatecv_reader_read(gatecv_reader *r, const gcv_image *bgr, gatecv_read **reads,
                       GError **error)
{
    *reads = NULL;
    long pixels = (long)bgr->width * bgr->height;
    if (pixels > r->params.max_pixels) {
        g_set_error(error, GATECV_ERROR, GATECV_ERROR_IMAGE,
                    "image is %dx%d (%ld pixels), over the limit of %ld pixels", bgr->width,
                    bgr->height, pixels, r->params.max_pixels);
        return -1;
    }
    ocr_line *lines = NULL;
    int n = read_lines(r, bgr, &lines, error);
    if (n < 0)
        return -1;
    read_list all = {0};
    propose(lines, n, &r->params, &all);
    int count = choose(&all, reads);
    char size_type[5];
    find_size_type(lines, n, size_type);
    for (int i = 0; i < count; i++)
        if ((*reads)[i].kind == READ_CONTAINER)
            memcpy((*reads)[i].size_type, size_type, sizeof size_type);
    g_free(all.items);
    g_free(lines);
    return count;
}
