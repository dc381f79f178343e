/*
 * frame_select.c — whether a camera's frame is worth a read (see frame_select.h). Owns the
 * current episode's reference on its read_interest.
 */
#include "frame_select.h"

#include <math.h>
#include <stdlib.h>

void frame_select_params_default(frame_select_params *p)
{
    *p = (frame_select_params){
        .min_frames = 5,    /* 5 reads a second at 25 fps, at most */
        .min_shift = 1.0 / 8,
        .fill = 0.9,
        .max_gap_s = 2.0,
        .blur_ratio = 0.6,
        .max_passed = 3,
        .enough = 2,
    };
}

void frame_select_init(frame_select *s, const frame_select_params *p)
{
    *s = (frame_select){.params = *p};
    if (s->params.min_frames < 1)
        s->params.min_frames = 1;
}

static void end_episode(frame_select *s)
{
    read_interest_unref(s->interest);
    s->interest = NULL;
    s->in_episode = false;
    s->read_any = false;
    s->sharpest = 0;
    s->passed = 0;
    s->speed = 0;
    s->travel = 0;
}

void frame_select_clear(frame_select *s)
{
    end_episode(s);
}

read_interest *frame_select_interest(const frame_select *s)
{
    return s->interest;
}

/* How far the box has moved or grown since the last frame read, in pixels: the largest
 * shift of one of its edges. */
static double box_change(const lane_box *a, const lane_box *b)
{
    double left = fabs(a->x - b->x), top = fabs(a->y - b->y);
    double right = fabs((a->x + a->width) - (b->x + b->width));
    double bottom = fabs((a->y + a->height) - (b->y + b->height));
    return fmax(fmax(left, right), fmax(top, bottom));
}

/* Whether the box reaches across the ROI, so its edges no longer show the vehicle move. */
static bool fills_view(const lane_box *box, const lane_box *roi, double fill)
{
    return box->width >= fill * roi->width || box->height >= fill * roi->height;
}

/* A speed is measured over this long at least: the motion mask's edges jitter by some
 * pixels from frame to frame, which over one frame would read as a fast vehicle. */
#define SPEED_WINDOW_S 0.4

/* How the vehicle moves: while the box's edges are in the view, their speed (measured over
 * SPEED_WINDOW_S); while the box fills the view, how far that speed carried the vehicle. */
static void follow_motion(frame_select *s, const lane_box *box, bool filled, double t)
{
    double dt = t - s->prev_t;
    if (filled) {
        s->travel += s->speed * fmax(0, t - s->fill_t);
        s->fill_t = t;
        s->prev_box = *box; /* the edges in view again start a new measure */
        s->prev_t = t;
        return;
    }
    s->fill_t = t;
    if (dt >= SPEED_WINDOW_S) {
        s->speed = dt < 2 * SPEED_WINDOW_S ? box_change(box, &s->prev_box) / dt : 0;
        s->prev_box = *box;
        s->prev_t = t;
    }
}

bool frame_select_want(frame_select *s, bool moving, const lane_box *box, const lane_box *roi,
                       double t, double sharpness)
{
    const frame_select_params *p = &s->params;
    if (!moving) {
        end_episode(s);
        return false;
    }
    bool filled = fills_view(box, roi, p->fill);
    if (!s->in_episode) {
        s->in_episode = true;
        s->interest = read_interest_new(p->enough);
        s->since = p->min_frames; /* the first frame may be read at once */
        s->prev_box = *box;
        s->prev_t = t;
        s->fill_t = t;
    } else {
        s->since++;
        follow_motion(s, box, filled, t);
    }
    s->sharpest = fmax(s->sharpest, sharpness);
    if (s->since < p->min_frames)
        return false;
    double step = p->min_shift * fmax(roi->width, roi->height);
    bool due = !s->read_any || box_change(box, &s->last_box) + s->travel >= step ||
               (filled && s->speed == 0) || t - s->last_t >= p->max_gap_s;
    if (!due)
        return false;
    if (sharpness < p->blur_ratio * s->sharpest && s->passed < p->max_passed) {
        s->passed++;
        return false;
    }
    s->read_any = true;
    s->since = 0;
    s->passed = 0;
    s->travel = 0;
    s->last_t = t;
    s->last_box = *box;
    return true;
}

double frame_sharpness(const uint8_t *luma, int stride, int width, int height,
                       const lane_box *box)
{
    int x0 = (int)fmax(0, box->x), y0 = (int)fmax(0, box->y);
    int x1 = (int)fmin(width - 1, box->x + box->width);
    int y1 = (int)fmin(height - 1, box->y + box->height);
    long sum = 0, n = 0;
    for (int y = y0; y < y1; y += 4) {
        const uint8_t *row = luma + (size_t)y * stride, *below = row + stride;
        for (int x = x0; x < x1; x += 4) {
            sum += abs(row[x + 1] - row[x]) + abs(below[x] - row[x]);
            n++;
        }
    }
    return n ? (double)sum / (double)n : 0;
}
