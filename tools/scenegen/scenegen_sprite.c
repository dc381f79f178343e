/*
 * scenegen_sprite.c — painting vehicle faces: a small canvas in metres (u across the
 * face, h up from the road), the parts every face is made of (cab, chassis, container
 * side and doors, box body, AGV, car), plates and container codes through the
 * renderer, and the sprite of a face put together from them.
 */
#include <math.h>
#include <string.h>

#include "scenegen_sprite.h"

/* --- canvas in metres ------------------------------------------------------------------ */

typedef struct {
    gcv_image *img;
    double s;        /* px per metre */
    double w_m, h_m; /* face size */
} canvas;

static int px_x(const canvas *c, double u)
{
    return (int)lround(u * c->s);
}

static int px_y(const canvas *c, double h)
{
    return (int)lround((c->h_m - h) * c->s);
}

/* Fills [u0, u1] × [h0, h1] (h up). */
static void fill_m(canvas *c, double u0, double h0, double u1, double h1, render_colour col)
{
    int x0 = px_x(c, fmin(u0, u1)), x1 = px_x(c, fmax(u0, u1));
    int y0 = px_y(c, fmax(h0, h1)), y1 = px_y(c, fmin(h0, h1));
    if (x1 > x0 && y1 > y0)
        gcv_fill_rect(c->img, x0, y0, x1 - x0, y1 - y0, col.b, col.g, col.r);
}

static void disc_m(canvas *c, double u, double h, double r, render_colour col)
{
    gcv_point pts[20];
    for (int i = 0; i < 20; i++) {
        double a = i * 2 * G_PI / 20;
        pts[i] = (gcv_point){(float)((u + r * cos(a)) * c->s), (float)((c->h_m - h + r * sin(a)) * c->s)};
    }
    gcv_fill_poly(c->img, pts, 20, col.b, col.g, col.r);
}

static render_colour scale_colour(render_colour c, double f)
{
    return (render_colour){(int)fmin(255, c.b * f), (int)fmin(255, c.g * f), (int)fmin(255, c.r * f)};
}

static const render_colour DARK = {32, 32, 34}, SHADOW = {22, 22, 24}, RAIL = {62, 62, 66},
                           GLASS = {70, 55, 45}, RUBBER = {28, 28, 28}, HUB = {120, 120, 125},
                           LAMP = {215, 235, 240}, RED = {40, 40, 190}, GREY = {110, 110, 112};

/* --- plates and lettering ------------------------------------------------------------------ */

/* A plate's real height, m. */
static double plate_height_m(render_plate_style st)
{
    switch (st) {
    case RENDER_PLATE_VN_TWO_LINE: return 0.20;
    case RENDER_PLATE_CN_YELLOW_TWO_ROW: return 0.22;
    case RENDER_PLATE_VN_ONE_LINE:
    case RENDER_PLATE_VN_YELLOW: return 0.11;
    default: return 0.14;
    }
}

/* Draws plate `pi` centred at (u, h) with a dark bracket around it; too small a plate
 * (under 8 px) is left out. */
static int plate_m(canvas *c, const sg_vehicle *v, int pi, double u, double h,
                   const sg_paint_fonts *pf, GError **error)
{
    if (pi < 0 || pi >= v->n_plates)
        return 0;
    const sg_plate *p = &v->plates[pi];
    int ph = (int)lround(plate_height_m(p->style) * c->s);
    if (ph < 8)
        return 0;
    int pw = render_plate_width(p->style, ph);
    int x = px_x(c, u) - pw / 2, y = px_y(c, h) - ph / 2, m = MAX(1, ph / 10);
    gcv_fill_rect(c->img, x - m, y - m, pw + 2 * m, ph + 2 * m, DARK.b, DARK.g, DARK.r);
    gcv_point quad[4];
    return render_plate(c->img, pf->fonts, p->style, &p->text, x, y, ph, quad, error);
}

/* Paints `text` `height_m` high centred at (u, h). */
static int lettering_m(canvas *c, const sg_paint_fonts *pf, const char *text, double u, double h,
                       double height_m, render_colour col, GError **error)
{
    int th = (int)lround(height_m * c->s), w, hh, base;
    if (th < 6 || !text[0])
        return 0;
    if (gcv_font_text_size(pf->bold, text, th, &w, &hh, &base) < 0 ||
        gcv_font_draw(pf->bold, c->img, text, px_x(c, u) - w / 2, px_y(c, h) - hh / 2, th, col.b,
                      col.g, col.r) < 0) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "lettering \"%s\": %s", text,
                    gcv_last_error());
        return -1;
    }
    return 0;
}

/* --- container codes ------------------------------------------------------------------------ */

/* The largest char height <= h px (>= 6) whose block fits max_w × max_h; 0 if none. */
static int fit_code(const sg_paint_fonts *pf, render_container_layout layout,
                    const render_container_text *t, int h, int max_w, int max_h, int *bw, int *bh,
                    GError **error)
{
    for (; h >= 6; h = h * 5 / 6) {
        if (render_container_measure(pf->fonts, layout, t, true, h, bw, bh, error) < 0)
            return -1;
        if (*bw <= max_w && *bh <= max_h)
            return h;
    }
    return 0;
}

/* Draws the code in the box [u0, u1] × [h0, h1], `char_m` high, flush with the box's
 * right edge (or left), top edge. */
static int code_in_box(canvas *c, const sg_paint_fonts *pf, const sg_container *k,
                       render_container_layout layout, double u0, double h0, double u1, double h1,
                       double char_m, bool right, GError **error)
{
    int bx0 = px_x(c, u0), bx1 = px_x(c, u1), by0 = px_y(c, h1), by1 = px_y(c, h0), bw, bh;
    int ch = fit_code(pf, layout, &k->text, (int)lround(char_m * c->s), bx1 - bx0, by1 - by0, &bw,
                      &bh, error);
    if (ch <= 0)
        return ch;
    gcv_point quad[4];
    return render_container_code(c->img, pf->fonts, layout, &k->text, true, right ? bx1 - bw : bx0,
                                 by0, ch, k->ink, quad, error);
}

/* The door's vertical code (its own layout) in the box [u0, u1] × [h0, h1], flush
 * with the box's right and top edges, as large as fits up to `char_m`. */
static int vertical_in_box(canvas *c, const sg_paint_fonts *pf, const sg_container *k, double u0,
                           double h0, double u1, double h1, double char_m, GError **error)
{
    int bx0 = px_x(c, u0), bx1 = px_x(c, u1), by0 = px_y(c, h1), by1 = px_y(c, h0);
    render_vertical_geometry g;
    for (int h = (int)lround(char_m * c->s); h >= 6; h = h * 5 / 6) {
        if (render_vertical_measure(pf->fonts, &k->text, &k->door_style, h, &g, error) < 0)
            return -1;
        if (g.width <= bx1 - bx0 && g.height <= by1 - by0) {
            gcv_point quad[4];
            return render_vertical_code(c->img, pf->fonts, &k->text, &k->door_style,
                                        bx1 - g.width, by0, h, k->ink, quad, error);
        }
    }
    return 0; /* too small to paint at this scale */
}

static void corner_castings(canvas *c, double u0, double h0, double u1, double h1, render_colour p)
{
    const double k = 0.16;
    render_colour d = scale_colour(p, 0.55);
    fill_m(c, u0, h1 - 0.08, u1, h1, scale_colour(p, 0.8)); /* top rail */
    fill_m(c, u0, h0, u1, h0 + 0.1, scale_colour(p, 0.7));  /* bottom rail */
    fill_m(c, u0, h1 - k, u0 + k, h1, d), fill_m(c, u1 - k, h1 - k, u1, h1, d);
    fill_m(c, u0, h0, u0 + k, h0 + k, d), fill_m(c, u1 - k, h0, u1, h0 + k, d);
}

static void panel_m(canvas *c, double u0, double h0, double u1, double h1, render_colour col,
                    double rib_m)
{
    int x0 = px_x(c, u0), y0 = px_y(c, h1);
    render_container_panel(c->img, x0, y0, px_x(c, u1) - x0, px_y(c, h0) - y0, col,
                           MAX(4, (int)lround(rib_m * c->s)));
}

/* A container side over [u0, u1] × [h0, h1], the code near the top at the door end. */
static int container_side(canvas *c, const sg_paint_fonts *pf, const sg_container *k, double u0,
                          double h0, double u1, double h1, bool doors_right, GError **error)
{
    panel_m(c, u0, h0, u1, h1, k->panel, 0.28);
    corner_castings(c, u0, h0, u1, h1, k->panel);
    render_container_layout lay = k->side_two_line ? RENDER_CONTAINER_TWO_LINE : RENDER_CONTAINER_ONE_LINE;
    double w = fmin(2.2, (u1 - u0) / 2);
    if (doors_right)
        return code_in_box(c, pf, k, lay, u1 - 0.3 - w, h1 - 1.1, u1 - 0.3, h1 - 0.2, 0.15, true,
                           error);
    return code_in_box(c, pf, k, lay, u0 + 0.3, h1 - 1.1, u0 + 0.3 + w, h1 - 0.2, 0.15, false, error);
}

/* A container end: the doors (bars, codes) when they face this way, else a plain wall. */
static int container_end(canvas *c, const sg_paint_fonts *pf, const sg_container *k, double h0,
                         double h1, bool doors, GError **error)
{
    double w = c->w_m, mid = w / 2;
    panel_m(c, 0, h0, w, h1, k->panel, doors ? 0.09 : 0.2);
    corner_castings(c, 0, h0, w, h1, k->panel);
    if (!doors)
        return 0;
    render_colour bar = scale_colour(k->panel, 0.6);
    fill_m(c, mid - 0.02, h0 + 0.1, mid + 0.02, h1 - 0.08, scale_colour(k->panel, 0.45));
    const double bars[4] = {0.35, mid - 0.3, mid + 0.3, w - 0.35};
    for (int i = 0; i < 4; i++)
        fill_m(c, bars[i] - 0.025, h0 + 0.15, bars[i] + 0.025, h1 - 0.15, bar);
    int rc = 0;
    if (k->door_vertical)
        rc = vertical_in_box(c, pf, k, w - 0.34, h0 + 0.2, w - 0.05, h1 - 0.15, 0.12, error);
    if (rc == 0 && k->door_horizontal) {
        bool left_door = k->door_vertical;
        double u0 = left_door ? 0.42 : mid + 0.1, u1 = left_door ? mid - 0.36 : w - 0.42;
        rc = code_in_box(c, pf, k, RENDER_CONTAINER_TWO_LINE, u0, h1 - 1.0, u1, h1 - 0.18, 0.14,
                         false, error);
    }
    return rc < 0 ? -1 : 0;
}

/* --- parts ------------------------------------------------------------------------------------ */

static void wheels(canvas *c, const sg_vehicle *v, const sg_section *s, bool front_at_left)
{
    double len = s->a1 - s->a0;
    for (int i = 0; i < s->n_axles; i++) {
        double u = front_at_left ? s->axle[i] : len - s->axle[i];
        disc_m(c, u, v->wheel_r, v->wheel_r, RUBBER);
        disc_m(c, u, v->wheel_r, v->wheel_r * 0.45, HUB);
    }
}

/* Position along a side sprite of a point `a` metres behind the section's front. */
static double side_u(const canvas *c, bool front_at_left, double a)
{
    return front_at_left ? a : c->w_m - a;
}

static void cab_front(canvas *c, const sg_vehicle *v)
{
    double w = c->w_m;
    fill_m(c, 0, 0, w, c->h_m, v->body);
    fill_m(c, 0, 0, w, 0.15, SHADOW);
    fill_m(c, 0, 0.15, w, 0.58, DARK);
    fill_m(c, 0.15, 0.62, 0.55, 0.82, LAMP), fill_m(c, w - 0.55, 0.62, w - 0.15, 0.82, LAMP);
    fill_m(c, 0.75, 0.65, w - 0.75, 1.45, DARK);
    for (double h = 0.75; h < 1.4; h += 0.14)
        fill_m(c, 0.8, h, w - 0.8, h + 0.04, RAIL);
    fill_m(c, 0.12, 1.65, w - 0.12, c->h_m - 0.3, GLASS);
    fill_m(c, 0.12, c->h_m - 0.55, w - 0.12, c->h_m - 0.3, scale_colour(GLASS, 1.35));
}

static void cab_side(canvas *c, const sg_vehicle *v, const sg_section *s, bool fl)
{
    fill_m(c, 0, 0.45, c->w_m, c->h_m, v->body);
    fill_m(c, 0, 0, c->w_m, 0.45, SHADOW);
    fill_m(c, side_u(c, fl, 0.25), 1.75, side_u(c, fl, 1.35), c->h_m - 0.35, GLASS);
    fill_m(c, side_u(c, fl, 1.45), 0.5, side_u(c, fl, 1.49), c->h_m - 0.3, scale_colour(v->body, 0.6));
    fill_m(c, side_u(c, fl, 0.6), 1.25, side_u(c, fl, 0.85), 1.32, DARK); /* door handle */
    wheels(c, v, s, fl);
}

static void chassis_lower_front(canvas *c, const sg_section *s)
{
    fill_m(c, 0, 0, c->w_m, s->base_h, SHADOW);
    fill_m(c, 0.3, s->base_h - 0.3, c->w_m - 0.3, s->base_h, RAIL);
}

static int chassis_lower_rear(canvas *c, const sg_vehicle *v, const sg_section *s,
                              const sg_paint_fonts *pf, GError **error)
{
    double w = c->w_m, top = s->base_h;
    fill_m(c, 0, 0, w, top, SHADOW);
    fill_m(c, 0.15, 0, 0.7, 0.55, RUBBER), fill_m(c, w - 0.7, 0, w - 0.15, 0.55, RUBBER);
    fill_m(c, 0, top - 0.25, w, top, RAIL);
    fill_m(c, 0.1, 0.38, w - 0.1, 0.5, GREY); /* under-run bar */
    fill_m(c, 0.1, 0.62, 0.45, 0.86, RED), fill_m(c, w - 0.45, 0.62, w - 0.1, 0.86, RED);
    return plate_m(c, v, s->rear_plate, w / 2, 0.74, pf, error);
}

static void chassis_lower_side(canvas *c, const sg_vehicle *v, const sg_section *s, bool fl)
{
    fill_m(c, 0, 0, c->w_m, s->base_h - 0.35, SHADOW);
    fill_m(c, 0, s->base_h - 0.35, c->w_m, s->base_h, RAIL);
    wheels(c, v, s, fl);
}

static render_colour box_colour(const sg_vehicle *v)
{
    return (render_colour){(v->body.b + 200) / 2, (v->body.g + 200) / 2, (v->body.r + 200) / 2};
}

static void box_face(canvas *c, const sg_vehicle *v, const sg_section *s, bool doors)
{
    render_colour b = box_colour(v);
    fill_m(c, 0, s->base_h, c->w_m, s->height, b);
    fill_m(c, 0, s->height - 0.1, c->w_m, s->height, scale_colour(b, 0.8));
    if (doors) {
        fill_m(c, c->w_m / 2 - 0.02, s->base_h, c->w_m / 2 + 0.02, s->height - 0.1, scale_colour(b, 0.5));
        fill_m(c, 0.3, s->base_h + 0.9, 0.5, s->base_h + 1.0, DARK);
    }
}

static void box_side(canvas *c, const sg_vehicle *v, const sg_section *s)
{
    render_colour b = box_colour(v);
    fill_m(c, 0, s->base_h, c->w_m, s->height, b);
    for (double h = s->base_h + 0.5; h < s->height - 0.2; h += 0.6)
        fill_m(c, 0, h, c->w_m, h + 0.03, scale_colour(b, 0.75));
    for (double u = 1.0; u < c->w_m - 0.2; u += 1.2)
        fill_m(c, u, s->base_h, u + 0.04, s->height, scale_colour(b, 0.7));
}

static int agv_end(canvas *c, const sg_vehicle *v, bool front, const sg_paint_fonts *pf,
                   GError **error)
{
    double w = c->w_m;
    fill_m(c, 0, 0, w, 1.2, v->body);
    fill_m(c, 0, 0, w, 0.12, SHADOW);
    for (double u = 0; u < w; u += 0.3) /* hazard stripes */
        fill_m(c, u, 0.12, u + 0.15, 0.2, DARK);
    fill_m(c, 0.05, 1.0, w - 0.05, 1.08, front ? LAMP : RED);
    fill_m(c, 0.12, 0.28, 0.45, 0.42, front ? LAMP : RED);
    fill_m(c, w - 0.45, 0.28, w - 0.12, 0.42, front ? LAMP : RED);
    if (lettering_m(c, pf, v->fleet_number, w / 2, 0.7, 0.26, DARK, error) < 0)
        return -1;
    return front ? plate_m(c, v, 0, w / 2, 0.33, pf, error) : 0;
}

static int agv_side(canvas *c, const sg_vehicle *v, const sg_section *s, bool fl,
                    const sg_paint_fonts *pf, GError **error)
{
    fill_m(c, 0, 0.12, c->w_m, 1.2, v->body);
    fill_m(c, 0, 0, c->w_m, 0.12, SHADOW);
    fill_m(c, 0, 1.0, c->w_m, 1.06, DARK);
    wheels(c, v, s, fl);
    return lettering_m(c, pf, v->fleet_number, c->w_m / 2, 0.62, 0.4, DARK, error);
}

static int car_face(canvas *c, const sg_vehicle *v, const sg_section *s, bool front,
                    const sg_paint_fonts *pf, GError **error)
{
    double w = c->w_m;
    fill_m(c, 0, 0.1, w, s->height, v->body);
    fill_m(c, 0, 0, w, 0.1, SHADOW);
    if (s->base == SG_BASE_CAR_CABIN) {
        fill_m(c, 0.12, 0.98, w - 0.12, 1.4, GLASS);
        return 0;
    }
    bool lit = (front && s->base == SG_BASE_CAR_HOOD) || (!front && s->base == SG_BASE_CAR_TRUNK);
    if (!lit)
        return 0;
    fill_m(c, 0, 0.12, w, 0.3, scale_colour(v->body, 0.6));
    fill_m(c, 0.08, 0.58, 0.45, 0.78, front ? LAMP : RED);
    fill_m(c, w - 0.45, 0.58, w - 0.08, 0.78, front ? LAMP : RED);
    if (front)
        fill_m(c, 0.55, 0.52, w - 0.55, 0.74, DARK);
    return plate_m(c, v, front ? s->front_plate : s->rear_plate, w / 2, 0.42, pf, error);
}

static void car_side(canvas *c, const sg_vehicle *v, const sg_section *s, bool fl)
{
    fill_m(c, 0, 0.22, c->w_m, fmin(s->height, 0.95), v->body);
    fill_m(c, 0, 0, c->w_m, 0.22, SHADOW);
    if (s->base == SG_BASE_CAR_CABIN) {
        fill_m(c, 0, 0.95, c->w_m, s->height, v->body);
        fill_m(c, 0.12, 0.99, c->w_m / 2 - 0.05, 1.38, GLASS);
        fill_m(c, c->w_m / 2 + 0.05, 0.99, c->w_m - 0.12, 1.38, GLASS);
    }
    wheels(c, v, s, fl);
}

/* --- faces ------------------------------------------------------------------------------------- */

/* The load on a chassis or AGV column (container or box), as seen from `face`. */
static int load_face(canvas *c, const sg_vehicle *v, const sg_section *s, sg_face face,
                     const sg_paint_fonts *pf, GError **error)
{
    bool side = face == SG_FACE_LEFT || face == SG_FACE_RIGHT;
    if (s->top == SG_TOP_BOX) {
        if (side)
            box_side(c, v, s);
        else
            box_face(c, v, s, face == SG_FACE_REAR);
        return 0;
    }
    if (s->top != SG_TOP_CONTAINER)
        return 0;
    const sg_container *k = &v->containers[s->container];
    if (side) /* the doors are at the rear: on the right of a left-side sprite */
        return container_side(c, pf, k, 0, s->base_h, c->w_m, s->height, face == SG_FACE_LEFT,
                              error);
    return container_end(c, pf, k, s->base_h, s->height, face == SG_FACE_REAR && k->doors_visible,
                         error);
}

static int paint_face(canvas *c, const sg_vehicle *v, const sg_section *s, sg_face face,
                      const sg_paint_fonts *pf, GError **error)
{
    bool side = face == SG_FACE_LEFT || face == SG_FACE_RIGHT, fl = face == SG_FACE_LEFT;
    bool front = face == SG_FACE_FRONT;
    switch (s->base) {
    case SG_BASE_CAB:
        if (side)
            cab_side(c, v, s, fl);
        else if (front)
            cab_front(c, v);
        else
            fill_m(c, 0, 0, c->w_m, c->h_m, scale_colour(v->body, 0.7));
        return front ? plate_m(c, v, s->front_plate, c->w_m / 2, 0.36, pf, error) : 0;
    case SG_BASE_CHASSIS:
        if (side)
            chassis_lower_side(c, v, s, fl);
        else if (front)
            chassis_lower_front(c, s);
        else if (chassis_lower_rear(c, v, s, pf, error) < 0)
            return -1;
        return load_face(c, v, s, face, pf, error);
    case SG_BASE_AGV:
        if ((side ? agv_side(c, v, s, fl, pf, error) : agv_end(c, v, front, pf, error)) < 0)
            return -1;
        return load_face(c, v, s, face, pf, error);
    default:
        if (side) {
            car_side(c, v, s, fl);
            return 0;
        }
        return car_face(c, v, s, front, pf, error);
    }
}

gcv_image *sg_sprite_face(const sg_vehicle *v, int section, sg_face face, double px_per_m,
                          const sg_paint_fonts *pf, GError **error)
{
    const sg_section *s = &v->sections[section];
    bool side = face == SG_FACE_LEFT || face == SG_FACE_RIGHT;
    canvas c = {NULL, px_per_m, side ? s->a1 - s->a0 : v->width_m, s->height};
    int w = MAX(1, (int)lround(c.w_m * px_per_m)), h = MAX(1, (int)lround(c.h_m * px_per_m));
    c.img = gcv_image_new(w, h, 3);
    if (!c.img) {
        g_set_error(error, RENDER_ERROR, RENDER_ERROR_CV, "sprite %dx%d: %s", w, h, gcv_last_error());
        return NULL;
    }
    if (paint_face(&c, v, s, face, pf, error) < 0) {
        gcv_image_free(c.img);
        return NULL;
    }
    return c.img;
}

render_colour sg_sprite_roof_colour(const sg_vehicle *v, int section)
{
    const sg_section *s = &v->sections[section];
    if (s->top == SG_TOP_CONTAINER)
        return scale_colour(v->containers[s->container].panel, 0.9);
    if (s->top == SG_TOP_BOX)
        return scale_colour(box_colour(v), 0.9);
    if (s->base == SG_BASE_CHASSIS)
        return RAIL;
    if (s->base == SG_BASE_CAR_CABIN)
        return scale_colour(v->body, 0.85);
    return scale_colour(v->body, 0.8);
}

int sg_sprite_headlights(const sg_vehicle *v, double u[2], double h[2])
{
    double w = v->width_m, in = v->kind == SG_CAR ? 0.27 : v->kind == SG_AGV ? 0.29 : 0.35;
    double hh = v->kind == SG_CAR ? 0.68 : v->kind == SG_AGV ? 0.35 : 0.72;
    u[0] = in, u[1] = w - in;
    h[0] = h[1] = hh;
    return 2;
}
