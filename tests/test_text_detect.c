/*
 * test_text_detect.c — the detector's canvases (text_mosaic.c) and the coarse-to-fine
 * pass against one full-scale pass on rendered scenes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "models.h"
#include "render.h"
#include "text_detect.h"
#include "text_mosaic.h"

static gatecv_models *models;
static render_fonts *fonts;

static int setup(void **state)
{
    (void)state;
    GError *error = NULL;
    models = gatecv_models_load(gatecv_model_dir(NULL), &error);
    fonts = models ? render_fonts_load(NULL, &error) : NULL;
    if (!fonts) {
        fprintf(stderr, "setup: %s\n", error ? error->message : "?");
        g_clear_error(&error);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    render_fonts_free(fonts);
    gatecv_models_free(models);
    return 0;
}

/* An image whose pixel (x, y) is (x % 256, y % 256, (x + y) % 256): where a canvas pixel
 * came from can be told from its value. */
static gcv_image *coordinate_image(int w, int h)
{
    gcv_image *img = gcv_image_new(w, h, 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * 3;
            p[0] = (uint8_t)(x % 256), p[1] = (uint8_t)(y % 256), p[2] = (uint8_t)((x + y) % 256);
        }
    return img;
}

/* Regions packed at scale 1 hold their own pixels, on the 32 px grid, without overlap, and
 * map back to where they came from. */
static void test_mosaic_packs_and_maps_back(void **state)
{
    (void)state;
    gcv_image *img = coordinate_image(900, 600);
    const text_region regions[] = {
        {100, 50, 200, 60, 1.0f}, {517, 301, 90, 140, 1.0f}, {30, 400, 300, 40, 1.0f}};
    text_mosaic *m = text_mosaic_build(img, regions, 3, 256, 16);
    assert_non_null(m);
    assert_int_equal(m->n_cells, 3);
    assert_int_equal(m->canvas->width % 64, 0);
    assert_int_equal(m->canvas->height % 64, 0);
    for (int i = 0; i < m->n_cells; i++) {
        const text_mosaic_cell *c = &m->cells[i];
        /* snapped back onto the grid: the origin is a multiple of 32 and covers the region */
        assert_int_equal(c->source.x % 32, 0);
        assert_int_equal(c->source.y % 32, 0);
        assert_int_equal((c->place_x - 16) % 32, 0);
        gcv_point origin = text_mosaic_to_input(c, (gcv_point){c->place_x, c->place_y});
        assert_true(fabsf(origin.x - c->source.x) < 0.01f && fabsf(origin.y - c->source.y) < 0.01f);
        /* a pixel inside the cell is the input pixel it maps to */
        int cx = c->place_x + c->width / 2, cy = c->place_y + c->height / 2;
        gcv_point in = text_mosaic_to_input(c, (gcv_point){cx, cy});
        const uint8_t *p = m->canvas->data + (size_t)cy * m->canvas->stride + (size_t)cx * 3;
        assert_int_equal(p[0], (int)in.x % 256);
        assert_int_equal(p[1], (int)in.y % 256);
        assert_int_equal(text_mosaic_cell_at(m, cx, cy, 16), i);
        for (int j = 0; j < i; j++) { /* no two cells overlap */
            const text_mosaic_cell *d = &m->cells[j];
            bool apart =
                c->place_x + c->width <= d->place_x || d->place_x + d->width <= c->place_x ||
                c->place_y + c->height <= d->place_y || d->place_y + d->height <= c->place_y;
            assert_true(apart);
        }
    }
    text_mosaic_free(m);
    gcv_image_free(img);
}

/* Packing picks the narrowest canvas that holds a few small regions with the least area,
 * and a region wider than every width grows the canvas. */
static void test_mosaic_pack_widths(void **state)
{
    (void)state;
    gcv_image *img = coordinate_image(3000, 400);
    const text_region small[] = {{0, 0, 100, 40, 1.0f}, {200, 0, 100, 40, 1.0f}};
    text_mosaic *m = text_mosaic_pack(img, small, 2, 16);
    assert_non_null(m);
    assert_true(m->canvas->width <= 384);
    text_mosaic_free(m);
    const text_region wide = {0, 0, 2000, 40, 1.0f};
    m = text_mosaic_pack(img, &wide, 1, 16);
    assert_non_null(m);
    assert_true(m->canvas->width >= 2032);
    text_mosaic_free(m);
    gcv_image_free(img);
}

/* The coarse canvas is the whole image stretched to the given size. */
static void test_mosaic_fit(void **state)
{
    (void)state;
    gcv_image *img = coordinate_image(1920, 1080);
    text_mosaic *m = text_mosaic_fit(img, 512, 288);
    assert_non_null(m);
    assert_int_equal(m->canvas->width, 512);
    assert_int_equal(m->canvas->height, 288);
    gcv_point far = text_mosaic_to_input(&m->cells[0], (gcv_point){512, 288});
    assert_true(fabsf(far.x - 1920) < 0.5f && fabsf(far.y - 1080) < 0.5f);
    text_mosaic_free(m);
    gcv_image_free(img);
}

/* The box whose centre lies inside the quad's bounds, or NULL. */
static const text_box *box_over(const text_box *boxes, int n, const gcv_point q[4])
{
    for (int i = 0; i < n; i++) {
        gcv_point c = boxes[i].rect.center;
        if (c.x > q[0].x && c.x < q[1].x && c.y > q[0].y && c.y < q[2].y)
            return &boxes[i];
    }
    return NULL;
}

/* A grey 1080p scene with a blue container panel at (x, y), w x h. */
static gcv_image *scene_with_panel(int x, int y, int w, int h)
{
    gcv_image *img = gcv_image_new(1920, 1080, 3);
    gcv_fill_rect(img, 0, 0, 1920, 1080, 90, 95, 100);
    render_container_panel(img, x, y, w, h, (render_colour){40, 40, 150}, 24);
    return img;
}

/* MSKU1234565 painted white at (x, y), characters char_height px high; its quad to *quad. */
static void paint_code(gcv_image *img, render_container_layout layout, int x, int y,
                       int char_height, gcv_point quad[4])
{
    render_container_text code = {"MSKU1234565", "45G1"};
    GError *error = NULL;
    assert_int_equal(render_container_code(img, fonts, layout, &code, false, x, y, char_height,
                                           (render_colour){235, 235, 235}, quad, &error),
                     0);
}

/* On a 1080p scene with a plate and a container code, the coarse-to-fine pass finds each
 * where one full-scale pass does, with a box of the same size within a few pixels. */
static void test_coarse_to_fine_matches_full_pass(void **state)
{
    (void)state;
    gcv_image *img = scene_with_panel(1000, 100, 900, 500);
    render_plate_text plate = {"51F-446.14", "", "51F44614"};
    gcv_point code_quad[4], plate_quad[4];
    GError *error = NULL;
    paint_code(img, RENDER_CONTAINER_ONE_LINE, 1100, 200, 48, code_quad);
    assert_int_equal(render_plate(img, fonts, RENDER_PLATE_VN_ONE_LINE, &plate, 300, 700, 60,
                                  plate_quad, &error),
                     0);
    text_detect_params p;
    text_detect_params_default(&p);
    assert_true(p.coarse_side > 0);
    text_box *fine = NULL, *full = NULL;
    int n_fine = text_detect(models, img, &p, &fine, &error);
    p.coarse_side = 0;
    int n_full = text_detect(models, img, &p, &full, &error);
    assert_true(n_fine > 0 && n_full > 0);
    const gcv_point *quads[] = {code_quad, plate_quad};
    for (int k = 0; k < 2; k++) {
        const text_box *a = box_over(fine, n_fine, quads[k]), *b = box_over(full, n_full, quads[k]);
        assert_non_null(a);
        assert_non_null(b);
        float la = fmaxf(a->rect.width, a->rect.height), lb = fmaxf(b->rect.width, b->rect.height);
        assert_true(fabsf(la - lb) < 0.05f * lb);
        assert_true(fabsf(a->rect.center.x - b->rect.center.x) < 6);
        assert_true(fabsf(a->rect.center.y - b->rect.center.y) < 6);
    }
    g_free(fine);
    g_free(full);
    gcv_image_free(img);
}

/* A small vertical code on a 1080p scene leaves no trace at the coarse scale: the blind
 * full pass finds it, and without that pass (a plate reader's) nothing is found. */
static void test_blind_full_pass(void **state)
{
    (void)state;
    gcv_image *img = scene_with_panel(1200, 100, 300, 800);
    gcv_point quad[4];
    GError *error = NULL;
    paint_code(img, RENDER_CONTAINER_VERTICAL, 1300, 200, 14, quad);
    text_detect_params p;
    text_detect_params_default(&p);
    assert_true(p.blind_full_pass);
    text_box *with = NULL, *without = NULL;
    int n_with = text_detect(models, img, &p, &with, &error);
    p.blind_full_pass = false;
    int n_without = text_detect(models, img, &p, &without, &error);
    assert_non_null(box_over(with, n_with, quad));
    assert_int_equal(n_without, 0);
    g_free(with);
    g_free(without);
    gcv_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mosaic_packs_and_maps_back),
        cmocka_unit_test(test_mosaic_pack_widths),
        cmocka_unit_test(test_mosaic_fit),
        cmocka_unit_test(test_coarse_to_fine_matches_full_pass),
        cmocka_unit_test(test_blind_full_pass),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
