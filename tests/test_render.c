/*
 * test_render.c — pins the synthetic renderer (fixtures/render/render.h): the same seed
 * gives the same text and the same pixels; generated VN/CN plates and ISO 6346 codes
 * are well-formed (the check digit recomputed here independently); a plate or a
 * container code changes pixels only inside its returned polygon; degradations keep
 * the labels' geometry; bad fonts and unsuitable texts are refused with errors.
 * Vertical codes: the classic style is the old layout pixel for pixel; split lays the
 * owner code (4) and serial + check digit (7) out in two columns; the size type goes
 * beside, below or nowhere; the quad is the code's rectangle; styles are deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

#define ROUNDS 400

static const char *const CN_PROVINCES =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

static int setup_fonts(void **state)
{
    GError *error = NULL;
    render_fonts *fonts = render_fonts_load(NULL, &error);
    if (!fonts) {
        fprintf(stderr, "fonts: %s\n", error->message);
        g_error_free(error);
        return -1;
    }
    *state = fonts;
    return 0;
}

static int teardown_fonts(void **state)
{
    render_fonts_free(*state);
    return 0;
}

/* --- helpers ------------------------------------------------------------------ */

/* A BGR image filled with a fixed pattern, so that any drawing shows. */
static gcv_image *pattern_image(int w, int h)
{
    gcv_image *img = gcv_image_new(w, h, 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w * 3; x++)
            img->data[y * img->stride + x] = (uint8_t)((x * 7 + y * 13) % 200 + 20);
    return img;
}

static bool same_pixels(const gcv_image *a, const gcv_image *b)
{
    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return false;
    for (int y = 0; y < a->height; y++)
        if (memcmp(a->data + y * a->stride, b->data + y * b->stride,
                   (size_t)a->width * a->channels) != 0)
            return false;
    return true;
}

static bool pixel_changed(const gcv_image *a, const gcv_image *b, int x, int y)
{
    return memcmp(a->data + y * a->stride + x * 3, b->data + y * b->stride + x * 3, 3) != 0;
}

/* Signed distance-like test: (x, y) is inside the convex quad grown by `margin`. */
static bool inside_quad(const gcv_point q[4], double x, double y, double margin)
{
    /* orientation of the quad */
    double area = 0;
    for (int i = 0; i < 4; i++)
        area += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
    double sign = area > 0 ? 1 : -1;
    for (int i = 0; i < 4; i++) {
        gcv_point a = q[i], b = q[(i + 1) % 4];
        double ex = b.x - a.x, ey = b.y - a.y, len = hypot(ex, ey);
        double cross = (ex * (y - a.y) - ey * (x - a.x)) * sign / len;
        if (cross < -margin)
            return false;
    }
    return true;
}

/* Counts changed pixels; fails if one lies outside quad grown by margin. */
static long changes_inside(const gcv_image *before, const gcv_image *after, const gcv_point q[4],
                           double margin)
{
    long changed = 0;
    for (int y = 0; y < before->height; y++)
        for (int x = 0; x < before->width; x++) {
            if (!pixel_changed(before, after, x, y))
                continue;
            changed++;
            if (!inside_quad(q, x + 0.5, y + 0.5, margin)) {
                fprintf(stderr, "pixel (%d, %d) changed outside the polygon\n", x, y);
                fail();
            }
        }
    return changed;
}

/* Removes ASCII '-', '.', ' ' and U+00B7 from a display text. */
static void strip_separators(const char *in, char *out)
{
    while (*in) {
        if (*in == '-' || *in == '.' || *in == ' ')
            in++;
        else if ((unsigned char)in[0] == 0xC2 && (unsigned char)in[1] == 0xB7)
            in += 2;
        else
            *out++ = *in++;
    }
    *out = '\0';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* --- PRNG --------------------------------------------------------------------- */

/* The PRNG is a pure function of its seed; ranges are respected. */
static void test_rng_deterministic(void **state)
{
    (void)state;
    render_rng a, b, c;
    render_rng_seed(&a, 42);
    render_rng_seed(&b, 42);
    render_rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t va = render_rng_next(&a);
        assert_true(va == render_rng_next(&b));
        differ += va != render_rng_next(&c);
    }
    assert_true(differ > 990);
    for (int i = 0; i < 10000; i++) {
        int v = render_rng_range(&a, -3, 5);
        assert_true(v >= -3 && v <= 5);
        double u = render_rng_unit(&a);
        assert_true(u >= 0 && u < 1);
        assert_true(render_rng_below(&a, 7) < 7);
    }
}

/* --- text generators ------------------------------------------------------------ */

/* VN: province 11..99, a series letter from the list, optional series digit on
 * motorbike plates, 4 or 5 digits; the label is the display text without separators. */
static void test_vn_text_well_formed(void **state)
{
    (void)state;
    render_rng rng;
    render_rng_seed(&rng, 1);
    int motorbikes = 0, four_digits = 0;
    for (int i = 0; i < ROUNDS; i++) {
        bool two = i % 2;
        render_plate_text t;
        render_gen_vn_plate(&rng, two, &t);
        const char *l = t.label;
        size_t n = strlen(l);
        assert_true(all_digits(l, 2));
        int province = (l[0] - '0') * 10 + (l[1] - '0');
        assert_true(province >= 11 && province <= 99);
        assert_non_null(strchr("ABCDEFGHKLMNPSTUVXYZ", l[2]));
        size_t serial = 3;
        if (two && isdigit((unsigned char)l[3]) && n - 4 >= 4 && strchr(t.top, '-')) {
            serial = 4; /* motorbike "59-C1" */
            motorbikes++;
        }
        assert_true(n - serial == 4 || n - serial == 5);
        four_digits += n - serial == 4;
        assert_true(all_digits(l + serial, n - serial));
        assert_int_equal(two, t.bottom[0] != '\0');
        char joined[2 * RENDER_TEXT_MAX], stripped[2 * RENDER_TEXT_MAX];
        snprintf(joined, sizeof joined, "%s%s", t.top, t.bottom);
        strip_separators(joined, stripped);
        assert_string_equal(stripped, l);
        if (!two && n == 8) /* one line, 5 digits: "51F-446.14" */
            assert_int_equal(strlen(t.top), 10);
    }
    assert_true(motorbikes > 0 && four_digits > 0);
}

/* CN: a province character, an office letter (no I/O), five characters without
 * I/O, or D/F and five digits for new energy; one row shows "桂F·12345". */
static void test_cn_text_well_formed(void **state)
{
    (void)state;
    render_rng rng;
    render_rng_seed(&rng, 2);
    for (int i = 0; i < ROUNDS; i++) {
        bool nev = i % 3 == 0, two_row = i % 3 == 1;
        render_plate_text t;
        render_gen_cn_plate(&rng, nev, two_row, &t);
        const char *l = t.label;
        char province[4] = {l[0], l[1], l[2], '\0'};
        assert_non_null(strstr(CN_PROVINCES, province));
        const char *rest = l + 3;
        assert_int_equal(strlen(rest), nev ? 7 : 6);
        for (const char *p = rest; *p; p++) {
            assert_true(isupper((unsigned char)*p) || isdigit((unsigned char)*p));
            assert_true(*p != 'I' && *p != 'O');
        }
        assert_true(isupper((unsigned char)rest[0]));
        if (nev) {
            assert_true(rest[1] == 'D' || rest[1] == 'F');
            assert_true(all_digits(rest + 2, 5));
        }
        char expect[RENDER_TEXT_MAX];
        if (two_row) {
            snprintf(expect, sizeof expect, "%s %c", province, rest[0]);
            assert_string_equal(t.top, expect);
            assert_string_equal(t.bottom, rest + 1);
        } else {
            snprintf(expect, sizeof expect, "%s%c\u00B7%s", province, rest[0], rest + 1);
            assert_string_equal(t.top, expect);
            assert_string_equal(t.bottom, "");
        }
    }
}

/* Letter values written out by hand (A=10, B=12 ... Z=38: multiples of 11 skipped). */
static int value_of(char c)
{
    static const int letters[26] = {10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
                                    25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38};
    return isdigit((unsigned char)c) ? c - '0' : letters[c - 'A'];
}

static int check_digit(const char *code)
{
    int sum = 0, weight = 1;
    for (int i = 0; i < 10; i++, weight *= 2)
        sum += value_of(code[i]) * weight;
    return sum % 11 == 10 ? 0 : sum % 11;
}

/* ISO 6346: 3 letters, U, 6 digits, a correct check digit; a size type from the list. */
static void test_container_text_well_formed(void **state)
{
    (void)state;
    assert_int_equal(check_digit("CSQU3054383"), 3); /* the standard's example */
    assert_int_equal(check_digit("TRHU3074372"), 2);
    render_rng rng;
    render_rng_seed(&rng, 3);
    int seen_check[10] = {0};
    for (int i = 0; i < ROUNDS; i++) {
        render_container_text t;
        render_gen_container(&rng, &t);
        assert_int_equal(strlen(t.code), 11);
        for (int k = 0; k < 3; k++)
            assert_true(t.code[k] >= 'A' && t.code[k] <= 'Z');
        assert_int_equal(t.code[3], 'U');
        assert_true(all_digits(t.code + 4, 7));
        assert_int_equal(t.code[10] - '0', check_digit(t.code));
        seen_check[t.code[10] - '0']++;
        assert_non_null(strstr(" 22G1 45G1 42G1 22R1 45R1 L5G1 ", t.size_type));
        assert_int_equal(strlen(t.size_type), 4);
    }
    for (int d = 0; d < 10; d++)
        assert_true(seen_check[d] > 0);
}

static void assert_same_plate(const render_plate_text *a, const render_plate_text *b)
{
    assert_string_equal(a->top, b->top);
    assert_string_equal(a->bottom, b->bottom);
    assert_string_equal(a->label, b->label);
}

/* The same seed gives the same texts. */
static void test_same_seed_same_text(void **state)
{
    (void)state;
    render_rng a, b;
    render_rng_seed(&a, 99);
    render_rng_seed(&b, 99);
    for (int i = 0; i < 50; i++) {
        render_plate_text ta, tb;
        render_gen_vn_plate(&a, i % 2, &ta);
        render_gen_vn_plate(&b, i % 2, &tb);
        assert_same_plate(&ta, &tb);
        render_gen_cn_plate(&a, i % 3 == 0, i % 2, &ta);
        render_gen_cn_plate(&b, i % 3 == 0, i % 2, &tb);
        assert_same_plate(&ta, &tb);
        render_container_text ca, cb;
        render_gen_container(&a, &ca);
        render_gen_container(&b, &cb);
        assert_string_equal(ca.code, cb.code);
        assert_string_equal(ca.size_type, cb.size_type);
    }
}

/* --- drawing -------------------------------------------------------------------- */

/* A plate text suited to a style. */
static void text_for(render_rng *rng, render_plate_style st, render_plate_text *t)
{
    if (st <= RENDER_PLATE_VN_YELLOW)
        render_gen_vn_plate(rng, st == RENDER_PLATE_VN_TWO_LINE, t);
    else
        render_gen_cn_plate(rng, st == RENDER_PLATE_CN_GREEN, st == RENDER_PLATE_CN_YELLOW_TWO_ROW,
                            t);
}

/* One full render: a plate, a container code, every degradation; from a seed. */
static gcv_image *render_all(render_fonts *fonts, uint64_t seed)
{
    render_rng rng;
    render_rng_seed(&rng, seed);
    gcv_image *img = pattern_image(480, 320);
    render_plate_text t;
    text_for(&rng, RENDER_PLATE_CN_BLUE, &t);
    gcv_point q[4];
    assert_int_equal(render_plate(img, fonts, RENDER_PLATE_CN_BLUE, &t, 20, 20, 50, q, NULL), 0);
    render_container_text c;
    render_gen_container(&rng, &c);
    render_container_panel(img, 0, 150, 480, 170, (render_colour){40, 50, 150}, 16);
    assert_int_equal(render_container_code(img, fonts, RENDER_CONTAINER_ONE_LINE, &c, true, 20, 170,
                                           24, (render_colour){240, 240, 240}, q, NULL),
                     0);
    gcv_image *tilted = render_tilt(img, &rng, 0.05, q, 4, NULL);
    gcv_image *blurred = render_blur(tilted, 1.0, NULL);
    gcv_image *moved = render_motion_blur(blurred, 5, 10, NULL);
    render_dusk(moved);
    render_add_noise(moved, &rng, 6);
    gcv_image_free(img);
    gcv_image_free(tilted);
    gcv_image_free(blurred);
    return moved;
}

/* The same seed gives identical pixels; another seed does not. */
static void test_same_seed_same_pixels(void **state)
{
    gcv_image *a = render_all(*state, 5), *b = render_all(*state, 5), *c = render_all(*state, 6);
    assert_non_null(a);
    assert_true(same_pixels(a, b));
    assert_false(same_pixels(a, c));
    gcv_image_free(a);
    gcv_image_free(b);
    gcv_image_free(c);
}

/* Every style draws, changes pixels only inside its rectangle, and inks its text:
 * both plate colours and text colours appear. */
static void test_plate_changes_only_inside(void **state)
{
    render_rng rng;
    render_rng_seed(&rng, 11);
    for (int st = 0; st < RENDER_PLATE_N_STYLES; st++) {
        gcv_image *img = pattern_image(400, 240), *before = gcv_image_clone(img);
        render_plate_text t;
        text_for(&rng, (render_plate_style)st, &t);
        gcv_point q[4];
        GError *error = NULL;
        int h = render_plate_style_two_line((render_plate_style)st) ? 120 : 60;
        int rc = render_plate(img, *state, (render_plate_style)st, &t, 37, 41, h, q, &error);
        if (rc < 0)
            fprintf(stderr, "%s: %s\n", render_plate_style_name(st), error->message);
        assert_int_equal(rc, 0);
        assert_true(q[0].x == 37 && q[0].y == 41 && q[2].y == 41 + h);
        assert_int_equal((int)(q[1].x - q[0].x), render_plate_width((render_plate_style)st, h));
        long changed = changes_inside(before, img, q, 0.0);
        assert_true(changed > (q[1].x - q[0].x) * h / 2);
        gcv_image_free(img);
        gcv_image_free(before);
    }
}

/* A plate warped into a rotated quad changes pixels only inside it (1 px AA). */
static void test_warped_plate_changes_only_inside(void **state)
{
    render_rng rng;
    render_rng_seed(&rng, 12);
    const gcv_point q[4] = {{60, 80}, {330, 40}, {340, 110}, {70, 150}};
    for (int st = 0; st < RENDER_PLATE_N_STYLES; st++) {
        gcv_image *img = pattern_image(400, 240), *before = gcv_image_clone(img);
        render_plate_text t;
        text_for(&rng, (render_plate_style)st, &t);
        assert_int_equal(render_plate_quad(img, *state, (render_plate_style)st, &t, q, NULL), 0);
        assert_true(changes_inside(before, img, q, 1.5) > 10000);
        gcv_image_free(img);
        gcv_image_free(before);
    }
}

/* A plate partly outside the image is clipped, not refused. */
static void test_plate_clipped(void **state)
{
    render_rng rng;
    render_rng_seed(&rng, 13);
    gcv_image *img = pattern_image(200, 100);
    render_plate_text t;
    text_for(&rng, RENDER_PLATE_VN_ONE_LINE, &t);
    gcv_point q[4];
    assert_int_equal(render_plate(img, *state, RENDER_PLATE_VN_ONE_LINE, &t, 150, -20, 60, q, NULL),
                     0);
    assert_true(q[1].x > 200);
    gcv_image_free(img);
}

/* Each container layout draws inside its measured block; the code's polygon lies in
 * it; vertical is taller than wide, one-line wider than tall. */
static void test_container_code_inside_block(void **state)
{
    render_rng rng;
    render_rng_seed(&rng, 21);
    for (int layout = 0; layout < RENDER_CONTAINER_N_LAYOUTS; layout++)
        for (int with_st = 0; with_st < 2; with_st++) {
            render_container_text c;
            render_gen_container(&rng, &c);
            int bw = 0, bh = 0;
            assert_int_equal(
                render_container_measure(*state, layout, &c, with_st, 20, &bw, &bh, NULL), 0);
            if (layout == RENDER_CONTAINER_VERTICAL)
                assert_true(bh > 3 * bw);
            if (layout == RENDER_CONTAINER_ONE_LINE)
                assert_true(bw > 3 * bh);
            gcv_image *img = pattern_image(bw + 60, bh + 60), *before = gcv_image_clone(img);
            gcv_point q[4];
            assert_int_equal(render_container_code(img, *state, layout, &c, with_st, 30, 30, 20,
                                                   (render_colour){255, 255, 255}, q, NULL),
                             0);
            const gcv_point block[4] = {
                {30, 30}, {30.0f + bw, 30}, {30.0f + bw, 30.0f + bh}, {30, 30.0f + bh}};
            assert_true(changes_inside(before, img, block, 0.0) > 0);
            for (int i = 0; i < 4; i++)
                assert_true(inside_quad(block, q[i].x, q[i].y, 0.01));
            if (!with_st) /* without size type, the code is the whole block */
                assert_true(q[0].x == 30 && q[0].y == 30 && q[2].x == 30 + bw && q[2].y == 30 + bh);
            gcv_image_free(img);
            gcv_image_free(before);
        }
}

/* --- vertical codes ------------------------------------------------------------------ */

static render_container_text vertical_text(void)
{
    render_container_text t = {"MSKU1234565", "45G1"};
    return t;
}

static int centre_x(render_rect r)
{
    return r.x + r.w / 2;
}

/* The classic style is the old RENDER_CONTAINER_VERTICAL, pixel for pixel: old seeds
 * keep their pictures. */
static void test_vertical_classic_is_the_old_layout(void **state)
{
    render_container_text t = vertical_text();
    for (int with_st = 0; with_st < 2; with_st++) {
        render_vertical_style st;
        render_vertical_style_classic(&st, with_st);
        gcv_image *a = pattern_image(120, 520), *b = gcv_image_clone(a);
        gcv_point qa[4], qb[4];
        assert_int_equal(render_container_code(a, *state, RENDER_CONTAINER_VERTICAL, &t, with_st,
                                               20, 20, 24, (render_colour){255, 255, 255}, qa,
                                               NULL),
                         0);
        assert_int_equal(render_vertical_code(b, *state, &t, &st, 20, 20, 24,
                                              (render_colour){255, 255, 255}, qb, NULL),
                         0);
        assert_memory_equal(a->data, b->data, a->stride * (size_t)a->height);
        assert_memory_equal(qa, qb, sizeof qa);
        gcv_image_free(a);
        gcv_image_free(b);
    }
}

/* Split: the owner code's 4 characters in one column, the serial and check digit (7)
 * in a second column right of it, top-aligned or starting `serial_drop` lower; one
 * column: all 11 on one axis, top to bottom. */
static void test_vertical_split_columns(void **state)
{
    render_container_text t = vertical_text();
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    const int h = 20;
    render_vertical_geometry g;
    assert_int_equal(render_vertical_measure(*state, &t, &st, h, &g, NULL), 0);
    for (int i = 1; i < 11; i++) {
        assert_true(abs(centre_x(g.chars[i]) - centre_x(g.chars[0])) <= 1);
        assert_true(g.chars[i].y >= g.chars[i - 1].y + g.chars[i - 1].h);
    }
    for (int drop = 0; drop <= 150; drop += 150) {
        st.split = true;
        st.serial_drop = drop;
        assert_int_equal(render_vertical_measure(*state, &t, &st, h, &g, NULL), 0);
        int owner_right = 0;
        for (int i = 0; i < 4; i++) {
            assert_true(abs(centre_x(g.chars[i]) - centre_x(g.chars[0])) <= 1);
            owner_right = MAX(owner_right, g.chars[i].x + g.chars[i].w);
        }
        for (int i = 4; i < 11; i++) {
            assert_true(abs(centre_x(g.chars[i]) - centre_x(g.chars[4])) <= 1);
            assert_true(g.chars[i].x >= owner_right); /* a column of its own, to the right */
        }
        for (int i = 5; i < 11; i++)
            assert_true(g.chars[i].y >= g.chars[i - 1].y + g.chars[i - 1].h);
        /* first rows level when top-aligned, the serial lower by the drop otherwise */
        assert_true(abs(g.chars[4].y - g.chars[0].y - h * drop / 100) <= 2);
        assert_true(g.height < 9 * h * st.pitch / 100); /* 7 rows, not 11 */
    }
}

/* The size type sits beside the code (right of it, from its top) or below it
 * (under it, centred) or nowhere; the code rectangle holds all 11 characters. */
static void test_vertical_size_type_place(void **state)
{
    render_container_text t = vertical_text();
    render_vertical_style st;
    render_vertical_style_classic(&st, false);
    for (int split = 0; split < 2; split++)
        for (int place = 0; place < 3; place++) {
            st.split = split;
            st.size_type = (render_size_type_place)place;
            render_vertical_geometry g;
            assert_int_equal(render_vertical_measure(*state, &t, &st, 20, &g, NULL), 0);
            render_rect c = g.code, s = g.size_type;
            for (int i = 0; i < 11; i++)
                assert_true(g.chars[i].x >= c.x && g.chars[i].y >= c.y &&
                            g.chars[i].x + g.chars[i].w <= c.x + c.w &&
                            g.chars[i].y + g.chars[i].h <= c.y + c.h);
            if (place == RENDER_SIZE_TYPE_NONE) {
                assert_int_equal(s.w, 0);
                assert_true(g.width == c.w && g.height == c.h);
            } else if (place == RENDER_SIZE_TYPE_BESIDE) {
                assert_true(s.x >= c.x + c.w && s.y < c.y + c.h / 2);
                assert_true(s.h > s.w); /* stacked, not written across */
            } else {
                assert_true(s.y >= c.y + c.h && s.w > s.h);
                assert_true(abs((s.x + s.w / 2) - (c.x + c.w / 2)) <= 1);
            }
        }
}

/* Any random style: the quad is the code's rectangle and every changed pixel outside
 * it belongs to the size type; the same rng gives the same style and pixels; the
 * random styles cover every layout. */
static void test_vertical_random_styles(void **state)
{
    render_container_text t = vertical_text();
    render_rng rng, again;
    render_rng_seed(&rng, 77);
    render_rng_seed(&again, 77);
    int split = 0, places[3] = {0, 0, 0};
    for (int n = 0; n < 24; n++) {
        render_vertical_style st, st2;
        render_vertical_style_random(&rng, &st);
        render_vertical_style_random(&again, &st2);
        assert_true(st.split == st2.split && st.serial_drop == st2.serial_drop &&
                    st.column_gap == st2.column_gap && st.pitch == st2.pitch &&
                    st.check_gap == st2.check_gap && st.check_box == st2.check_box &&
                    st.condensed == st2.condensed && st.stroke == st2.stroke &&
                    st.size_type == st2.size_type);
        split += st.split;
        places[st.size_type]++;
        render_vertical_geometry g;
        assert_int_equal(render_vertical_measure(*state, &t, &st, 22, &g, NULL), 0);
        gcv_image *img = pattern_image(g.width + 40, g.height + 40), *before = gcv_image_clone(img);
        gcv_image *twice = gcv_image_clone(img);
        gcv_point q[4], q2[4];
        assert_int_equal(render_vertical_code(img, *state, &t, &st, 20, 20, 22,
                                              (render_colour){255, 255, 255}, q, NULL),
                         0);
        assert_int_equal(render_vertical_code(twice, *state, &t, &st, 20, 20, 22,
                                              (render_colour){255, 255, 255}, q2, NULL),
                         0);
        assert_memory_equal(img->data, twice->data, img->stride * (size_t)img->height);
        assert_true(q[0].x == 20 + g.code.x && q[0].y == 20 + g.code.y &&
                    q[2].x == 20 + g.code.x + g.code.w && q[2].y == 20 + g.code.y + g.code.h);
        int outside = 0;
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++) {
                if (!pixel_changed(before, img, x, y) || inside_quad(q, x + 0.5, y + 0.5, 0))
                    continue;
                render_rect s = g.size_type;
                bool in_st = s.w > 0 && x >= 20 + s.x && x < 20 + s.x + s.w && y >= 20 + s.y &&
                             y < 20 + s.y + s.h;
                outside += !in_st;
            }
        assert_int_equal(outside, 0);
        gcv_image_free(img);
        gcv_image_free(before);
        gcv_image_free(twice);
    }
    assert_true(split > 0 && split < 24);
    assert_true(places[0] > 0 && places[1] > 0 && places[2] > 0);
}

/* A canvas warped into a quad: its corners land on the quad, the pixels inside change. */
static void test_warp_into_maps_points(void **state)
{
    (void)state;
    gcv_image *dst = pattern_image(200, 150), *before = gcv_image_clone(dst);
    gcv_image *src = gcv_image_new(80, 120, 3);
    gcv_fill_rect(src, 0, 0, 80, 120, 0, 0, 255);
    const gcv_point quad[4] = {{40, 10}, {100, 20}, {110, 140}, {30, 130}};
    gcv_point pts[3] = {{0, 0}, {80, 120}, {40, 60}};
    assert_int_equal(render_warp_into(dst, src, quad, pts, 3, NULL), 0);
    assert_true(fabs(pts[0].x - 40) < 0.01 && fabs(pts[0].y - 10) < 0.01);
    assert_true(fabs(pts[1].x - 110) < 0.01 && fabs(pts[1].y - 140) < 0.01);
    assert_true(inside_quad(quad, pts[2].x, pts[2].y, 0));
    assert_true(changes_inside(before, dst, quad, 1.5) > 0);
    gcv_image_free(dst);
    gcv_image_free(before);
    gcv_image_free(src);
}

/* The panel paints its rectangle only, in more than one shade. */
static void test_container_panel(void **state)
{
    (void)state;
    gcv_image *img = pattern_image(200, 100), *before = gcv_image_clone(img);
    render_container_panel(img, 10, 20, 150, 60, (render_colour){40, 50, 150}, 12);
    const gcv_point q[4] = {{10, 20}, {160, 20}, {160, 80}, {10, 80}};
    assert_int_equal(changes_inside(before, img, q, 0.0), 150 * 60);
    int shades = 0;
    for (int x = 11; x < 160; x++)
        shades += memcmp(img->data + 50 * img->stride + x * 3,
                         img->data + 50 * img->stride + (x - 1) * 3, 3) != 0;
    assert_true(shades >= 150 / 12);
    gcv_image_free(img);
    gcv_image_free(before);
}

/* --- degradations --------------------------------------------------------------- */

/* The tilt maps the caller's points where the pixels went. */
static void test_tilt_maps_points(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(320, 240, 3);
    gcv_fill_rect(img, 158, 98, 5, 5, 255, 255, 255); /* a dot centred on (160, 100) */
    render_rng rng;
    render_rng_seed(&rng, 31);
    gcv_point p[1] = {{160.5f, 100.5f}};
    gcv_image *out = render_tilt(img, &rng, 0.08, p, 1, NULL);
    assert_non_null(out);
    int x = (int)p[0].x, y = (int)p[0].y;
    assert_true(x != 160 || y != 100); /* it did move */
    assert_true(out->data[y * out->stride + x * 3] > 200);
    GError *error = NULL;
    assert_null(render_tilt(img, &rng, 0.5, NULL, 0, &error)); /* not mild */
    assert_true(g_error_matches(error, RENDER_ERROR, RENDER_ERROR_ARG));
    g_error_free(error);
    gcv_image_free(img);
    gcv_image_free(out);
}

/* Noise is zero-mean with about the asked spread; lighting looks keep the size. */
static void test_noise_and_lighting(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(200, 100, 3);
    gcv_fill_rect(img, 0, 0, 200, 100, 128, 128, 128);
    render_rng rng;
    render_rng_seed(&rng, 41);
    render_add_noise(img, &rng, 8);
    double sum = 0, sq = 0;
    long n = 200L * 100 * 3;
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 600; x++) {
            double v = img->data[y * img->stride + x] - 128.0;
            sum += v;
            sq += v * v;
        }
    assert_true(fabs(sum / n) < 0.5);
    assert_true(fabs(sqrt(sq / n) - 8) < 1.0);
    render_night_ir(img);
    for (int x = 0; x < 200; x++) { /* grey: channels equal, low contrast */
        const uint8_t *p = img->data + 50 * img->stride + x * 3;
        assert_true(p[0] == p[1] && p[1] == p[2] && p[0] >= 60 && p[0] <= 175);
    }
    render_brightness_contrast(img, 0.0, 10.0);
    assert_int_equal(img->data[0], 138);
    gcv_image_free(img);
}

/* --- refusals ------------------------------------------------------------------- */

/* A missing font file is an error naming it, for each of the three fonts. */
static void test_missing_font_refused(void **state)
{
    (void)state;
    const char *missing = "/nonexistent/gatecv/NoSuchFont.ttf";
    render_font_paths cases[3] = {
        {missing, NULL, NULL}, {NULL, missing, NULL}, {NULL, NULL, missing}};
    for (int i = 0; i < 3; i++) {
        GError *error = NULL;
        assert_null(render_fonts_load(&cases[i], &error));
        assert_non_null(error);
        assert_true(g_error_matches(error, RENDER_ERROR, RENDER_ERROR_FONT));
        assert_non_null(strstr(error->message, missing));
        g_error_free(error);
    }
    render_fonts_free(NULL); /* accepted */
}

/* A file that is not a font is refused too. */
static void test_bad_font_refused(void **state)
{
    (void)state;
    char path[] = "/tmp/render-test-XXXXXX";
    int fd = g_mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a font", 10), 10);
    close(fd);
    render_font_paths p = {path, NULL, NULL};
    GError *error = NULL;
    assert_null(render_fonts_load(&p, &error));
    assert_true(g_error_matches(error, RENDER_ERROR, RENDER_ERROR_FONT));
    g_error_free(error);
    remove(path);
}

/* A text that does not suit the style, or a tiny height, is refused and draws nothing. */
static void test_unsuitable_text_refused(void **state)
{
    render_rng rng;
    render_rng_seed(&rng, 51);
    render_plate_text vn, vn2, cn;
    render_gen_vn_plate(&rng, false, &vn);
    render_gen_vn_plate(&rng, true, &vn2);
    render_gen_cn_plate(&rng, false, false, &cn);
    gcv_image *img = pattern_image(300, 200), *before = gcv_image_clone(img);
    gcv_point q[4];
    struct {
        render_plate_style st;
        const render_plate_text *t;
        int h;
    } bad[] = {{RENDER_PLATE_CN_BLUE, &vn, 40},      {RENDER_PLATE_VN_ONE_LINE, &cn, 40},
               {RENDER_PLATE_VN_ONE_LINE, &vn2, 40}, {RENDER_PLATE_VN_TWO_LINE, &vn, 40},
               {RENDER_PLATE_VN_ONE_LINE, &vn, 4},   {(render_plate_style)99, &vn, 40}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        GError *error = NULL;
        assert_int_equal(
            render_plate(img, *state, bad[i].st, bad[i].t, 10, 10, bad[i].h, q, &error), -1);
        assert_true(g_error_matches(error, RENDER_ERROR, RENDER_ERROR_ARG));
        g_error_free(error);
    }
    assert_true(same_pixels(img, before));
    render_container_text c = {"ABC", "22G1"};
    GError *error = NULL;
    assert_int_equal(render_container_code(img, *state, RENDER_CONTAINER_ONE_LINE, &c, false, 0, 0,
                                           20, (render_colour){0, 0, 0}, q, &error),
                     -1);
    assert_true(g_error_matches(error, RENDER_ERROR, RENDER_ERROR_ARG));
    g_error_free(error);
    gcv_image_free(img);
    gcv_image_free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_vn_text_well_formed),
        cmocka_unit_test(test_cn_text_well_formed),
        cmocka_unit_test(test_container_text_well_formed),
        cmocka_unit_test(test_same_seed_same_text),
        cmocka_unit_test(test_same_seed_same_pixels),
        cmocka_unit_test(test_plate_changes_only_inside),
        cmocka_unit_test(test_warped_plate_changes_only_inside),
        cmocka_unit_test(test_plate_clipped),
        cmocka_unit_test(test_container_code_inside_block),
        cmocka_unit_test(test_vertical_classic_is_the_old_layout),
        cmocka_unit_test(test_vertical_split_columns),
        cmocka_unit_test(test_vertical_size_type_place),
        cmocka_unit_test(test_vertical_random_styles),
        cmocka_unit_test(test_warp_into_maps_points),
        cmocka_unit_test(test_container_panel),
        cmocka_unit_test(test_tilt_maps_points),
        cmocka_unit_test(test_noise_and_lighting),
        cmocka_unit_test(test_missing_font_refused),
        cmocka_unit_test(test_bad_font_refused),
        cmocka_unit_test(test_unsuitable_text_refused),
    };
    return cmocka_run_group_tests(tests, setup_fonts, teardown_fonts);
}
