/*
 * column_group.c — pieces of one vertical column joined into one detector box. Owns
 * nothing past a call.
 */
#define G_LOG_DOMAIN "gatecv-reader"
#include "column_group.h"

#include <math.h>
#include <string.h>

/* A piece beyond a column's end by more than this many column widths is another text
 * (a sticker, a size-type code further down); a missing character leaves about one. */
#define COLUMN_GROUP_GAP 1.5f
#define COLUMN_RATIO 2.2f /* as reader.c: taller than this many widths is a column */

static float dist(gcv_point a, gcv_point b)
{
    return hypotf(a.x - b.x, a.y - b.y);
}

bool column_group_is_column(const text_box *box)
{
    const gcv_point *q = box->quad;
    return dist(q[0], q[3]) > COLUMN_RATIO * dist(q[0], q[1]);
}

/* A column's frame: its centre, unit vectors across (u) and down (v), its width, and its
 * extent along v from the centre, [lo, hi]. */
typedef struct {
    gcv_point c, u, v;
    float w, lo, hi;
} column_frame;

static column_frame frame_of(const text_box *b)
{
    const gcv_point *q = b->quad;
    float w = dist(q[0], q[1]), h = dist(q[0], q[3]);
    column_frame f = {.w = w, .lo = -h / 2, .hi = h / 2};
    f.c = (gcv_point){(q[0].x + q[1].x + q[2].x + q[3].x) / 4, (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
    f.u = (gcv_point){(q[1].x - q[0].x) / w, (q[1].y - q[0].y) / w};
    f.v = (gcv_point){(q[3].x - q[0].x) / h, (q[3].y - q[0].y) / h};
    return f;
}

/* Whether box b lies on the column's line, close enough to its current ends to be a
 * piece of it; if so, grows the column's extent to take it in. */
static bool take_piece(column_frame *f, const text_box *b)
{
    float lo = 1e9f, hi = -1e9f, left = 1e9f, right = -1e9f;
    for (int k = 0; k < 4; k++) {
        gcv_point d = {b->quad[k].x - f->c.x, b->quad[k].y - f->c.y};
        float a = d.x * f->v.x + d.y * f->v.y, x = d.x * f->u.x + d.y * f->u.y;
        lo = fminf(lo, a), hi = fmaxf(hi, a);
        left = fminf(left, x), right = fmaxf(right, x);
    }
    if (fabsf((left + right) / 2) > 0.5f * f->w || right - left > 1.5f * f->w)
        return false; /* beside the column, or wider text across it */
    float gap = lo > f->hi ? lo - f->hi : f->lo > hi ? f->lo - hi : 0;
    if (gap > COLUMN_GROUP_GAP * f->w)
        return false;
    f->lo = fminf(f->lo, lo), f->hi = fmaxf(f->hi, hi);
    return true;
}

/* The box of the column's frame: its width about its axis, [lo, hi] along it. */
static void frame_box(const column_frame *f, text_box *out)
{
    float h = f->w / 2;
    gcv_point top = {f->c.x + f->v.x * f->lo, f->c.y + f->v.y * f->lo};
    gcv_point bottom = {f->c.x + f->v.x * f->hi, f->c.y + f->v.y * f->hi};
    out->quad[0] = (gcv_point){top.x - f->u.x * h, top.y - f->u.y * h};
    out->quad[1] = (gcv_point){top.x + f->u.x * h, top.y + f->u.y * h};
    out->quad[2] = (gcv_point){bottom.x + f->u.x * h, bottom.y + f->u.y * h};
    out->quad[3] = (gcv_point){bottom.x - f->u.x * h, bottom.y - f->u.y * h};
    out->rect.center = (gcv_point){(top.x + bottom.x) / 2, (top.y + bottom.y) / 2};
    out->rect.width = f->w;
    out->rect.height = f->hi - f->lo;
    out->rect.angle = atan2f(f->u.y, f->u.x) * 180.0f / (float)G_PI;
}

/* Index of the longest column box not yet used, or -1. */
static int longest_column(const text_box *boxes, int n, const bool *used)
{
    int best = -1;
    float best_len = 0;
    for (int i = 0; i < n; i++) {
        if (used[i] || !column_group_is_column(&boxes[i]))
            continue;
        float len = dist(boxes[i].quad[0], boxes[i].quad[3]);
        if (len > best_len)
            best = i, best_len = len;
    }
    return best;
}

int column_group(text_box *boxes, int n)
{
    bool *used = g_new0(bool, n), *gone = g_new0(bool, n);
    int i;
    while ((i = longest_column(boxes, n, used)) >= 0) {
        used[i] = true;
        column_frame f = frame_of(&boxes[i]);
        int joined = 0;
        for (bool grew = true; grew;) { /* a piece taken may bring the next within reach */
            grew = false;
            for (int j = 0; j < n; j++)
                if (!used[j] && !gone[j] && take_piece(&f, &boxes[j])) {
                    used[j] = gone[j] = grew = true;
                    joined++;
                }
        }
        if (joined) {
            g_debug("column at (%.0f,%.0f): %d pieces joined", f.c.x, f.c.y, joined);
            frame_box(&f, &boxes[i]);
        }
    }
    int kept = 0;
    for (int j = 0; j < n; j++)
        if (!gone[j])
            boxes[kept++] = boxes[j];
    g_free(used);
    g_free(gone);
    return kept;
}
