/*
 * test_gcv.c — pins the behaviour of the OpenCV wrapper (plugins/cv/gcv.h): every
 * wrapped function on small images whose right answer is known by hand; and the geometry
 * beside it (gcv_geometry.h).
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gcv.h"
#include "gcv_geometry.h"

#define LATIN_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

static uint8_t px(const gcv_image *img, int x, int y, int c)
{
    return img->data[y * img->stride + x * img->channels + c];
}

static void set_px(gcv_image *img, int x, int y, int c, uint8_t v)
{
    img->data[y * img->stride + x * img->channels + c] = v;
}

static long count_nonzero(const gcv_image *img)
{
    long n = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width * img->channels; x++)
            n += img->data[y * img->stride + x] != 0;
    return n;
}

/* A 16x12 BGR image whose pixel (x, y) is (x, y, x + y): every position distinct. */
static gcv_image *gradient(void)
{
    gcv_image *img = gcv_image_new(16, 12, 3);
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 16; x++) {
            set_px(img, x, y, 0, (uint8_t)(x * 10));
            set_px(img, x, y, 1, (uint8_t)(y * 10));
            set_px(img, x, y, 2, (uint8_t)(x + y));
        }
    return img;
}

/* New images are zero-filled with a packed stride; impossible sizes are refused. */
static void test_image_new_and_refusals(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(7, 5, 3);
    assert_non_null(img);
    assert_int_equal(img->stride, 21);
    assert_int_equal(count_nonzero(img), 0);
    gcv_image_free(img);
    assert_null(gcv_image_new(0, 5, 1));
    assert_non_null(strstr(gcv_last_error(), "bad image size"));
    assert_null(gcv_image_new(5, 5, 2));
    gcv_image_free(NULL); /* accepted */
}

/* PNG write + read and in-memory decode give back the same pixels. */
static void test_png_round_trip(void **state)
{
    (void)state;
    gcv_image *img = gradient();
    char path[] = "/tmp/gcv-test-XXXXXX.png";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(gcv_image_write(img, path), 0);

    gcv_image *back = gcv_image_read(path);
    assert_non_null(back);
    assert_int_equal(back->width, 16);
    assert_int_equal(back->height, 12);
    assert_int_equal(back->channels, 3);
    assert_memory_equal(back->data, img->data, img->stride * img->height);

    FILE *f = fopen(path, "rb");
    uint8_t bytes[8192];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    gcv_image *decoded = gcv_image_decode(bytes, n);
    assert_non_null(decoded);
    assert_memory_equal(decoded->data, img->data, img->stride * img->height);

    unlink(path);
    gcv_image_free(img);
    gcv_image_free(back);
    gcv_image_free(decoded);
}

/* Unreadable data is an error naming the file, not a crash. */
static void test_read_refuses_non_images(void **state)
{
    (void)state;
    char path[] = "/tmp/gcv-test-XXXXXX.jpg";
    int fd = mkstemps(path, 4);
    assert_int_equal(write(fd, "not a picture", 13), 13);
    close(fd);
    assert_null(gcv_image_read(path));
    assert_non_null(strstr(gcv_last_error(), path));
    unlink(path);
    assert_null(gcv_image_read("/nonexistent/x.png"));
    const uint8_t junk[] = {0xff, 0xd8, 0xff, 0x00, 0x01};
    assert_null(gcv_image_decode(junk, sizeof junk));
}

/* Crop copies the clipped rectangle; a crop outside the image is refused. */
static void test_crop(void **state)
{
    (void)state;
    gcv_image *img = gradient();
    gcv_image *c = gcv_image_crop(img, 3, 2, 4, 5);
    assert_non_null(c);
    assert_int_equal(c->width, 4);
    assert_int_equal(c->height, 5);
    assert_int_equal(px(c, 0, 0, 0), 30);
    assert_int_equal(px(c, 0, 0, 1), 20);
    assert_int_equal(px(c, 3, 4, 2), 6 + 6);
    gcv_image *clipped = gcv_image_crop(img, 14, 10, 10, 10);
    assert_int_equal(clipped->width, 2);
    assert_int_equal(clipped->height, 2);
    assert_null(gcv_image_crop(img, 20, 20, 4, 4));
    gcv_image_free(c);
    gcv_image_free(clipped);
    gcv_image_free(img);
}

/* Resize: nearest keeps exact values; area averaging of a 2x2 checker gives the mean. */
static void test_resize(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(4, 4, 1);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
            set_px(img, x, y, 0, ((x + y) % 2) ? 200 : 0);
    gcv_image *area = gcv_resize(img, 2, 2, GCV_INTER_AREA);
    assert_int_equal(px(area, 0, 0, 0), 100);
    assert_int_equal(px(area, 1, 1, 0), 100);
    gcv_image *big = gcv_resize(img, 8, 8, GCV_INTER_NEAREST);
    assert_int_equal(px(big, 2, 0, 0), 200);
    assert_int_equal(px(big, 3, 1, 0), 200);
    assert_int_equal(px(big, 4, 0, 0), 0);
    assert_null(gcv_resize(img, 0, 3, GCV_INTER_LINEAR));
    gcv_image_free(img);
    gcv_image_free(area);
    gcv_image_free(big);
}

/* Grey uses the BT.601 weights; grey to BGR copies the level to all channels. */
static void test_colour_conversion(void **state)
{
    (void)state;
    gcv_image *bgr = gcv_image_new(2, 1, 3);
    set_px(bgr, 0, 0, 0, 10);
    set_px(bgr, 0, 0, 1, 20);
    set_px(bgr, 0, 0, 2, 30);
    gcv_image *grey = gcv_to_gray(bgr);
    assert_int_equal(grey->channels, 1);
    assert_int_equal(px(grey, 0, 0, 0), 22); /* 0.114*10 + 0.587*20 + 0.299*30 = 21.85 */
    gcv_image *back = gcv_to_bgr(grey);
    assert_int_equal(back->channels, 3);
    for (int c = 0; c < 3; c++)
        assert_int_equal(px(back, 0, 0, c), 22);
    gcv_image_free(bgr);
    gcv_image_free(grey);
    gcv_image_free(back);
}

/* A quad that is an axis-aligned rectangle warps to exactly that crop. */
static void test_perspective(void **state)
{
    (void)state;
    const gcv_point same[4] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    double h[9];
    assert_int_equal(gcv_perspective_transform(same, same, h), 0);
    for (int i = 0; i < 9; i++)
        assert_true(fabs(h[i] - ((i % 4 == 0) ? 1.0 : 0.0)) < 1e-9);

    gcv_image *img = gradient();
    const gcv_point quad[4] = {{4, 3}, {12, 3}, {12, 9}, {4, 9}};
    gcv_image *w = gcv_warp_quad(img, quad, 8, 6);
    assert_non_null(w);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 8; x++)
            assert_int_equal(px(w, x, y, 0), px(img, x + 4, y + 3, 0));

    /* a translation by (-2, 0) with a grey border of 77 on the uncovered right side */
    const double shift[9] = {1, 0, -2, 0, 1, 0, 0, 0, 1};
    gcv_image *s = gcv_warp_perspective(img, shift, 16, 12, 77);
    assert_int_equal(px(s, 0, 0, 0), px(img, 2, 0, 0));
    assert_int_equal(px(s, 15, 5, 1), 77);
    gcv_image_free(img);
    gcv_image_free(w);
    gcv_image_free(s);
}

/* Dilate grows one pixel to its kernel; erode takes it back; open removes it. */
static void test_morphology(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(9, 9, 1);
    set_px(img, 4, 4, 0, 255);
    gcv_image *d = gcv_morph(img, GCV_DILATE, 3, 3);
    assert_int_equal(count_nonzero(d), 9);
    gcv_image *e = gcv_morph(d, GCV_ERODE, 3, 3);
    assert_int_equal(count_nonzero(e), 1);
    gcv_image *o = gcv_morph(img, GCV_OPEN, 3, 3);
    assert_int_equal(count_nonzero(o), 0);
    gcv_image *c = gcv_morph(d, GCV_CLOSE, 3, 3);
    assert_int_equal(count_nonzero(c), 9);
    gcv_image *colour = gcv_image_new(3, 3, 3);
    assert_null(gcv_morph(colour, GCV_DILATE, 3, 3));
    gcv_image_free(img);
    gcv_image_free(d);
    gcv_image_free(e);
    gcv_image_free(o);
    gcv_image_free(c);
    gcv_image_free(colour);
}

/* Two separate rectangles are two components with their boxes, areas and labels. */
static void test_connected_components(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(20, 10, 1);
    gcv_fill_rect(img, 1, 1, 3, 4, 255, 0, 0);
    gcv_fill_rect(img, 10, 2, 5, 2, 255, 0, 0);
    gcv_component comps[4];
    int32_t *labels = NULL;
    int n = gcv_connected_components(img, comps, 4, &labels);
    assert_int_equal(n, 2);
    assert_int_equal(comps[0].x, 1);
    assert_int_equal(comps[0].width, 3);
    assert_int_equal(comps[0].height, 4);
    assert_int_equal(comps[0].area, 12);
    assert_int_equal(comps[1].x, 10);
    assert_int_equal(comps[1].area, 10);
    assert_int_equal(labels[2 * 20 + 2], 1);
    assert_int_equal(labels[3 * 20 + 12], 2);
    assert_int_equal(labels[0], 0);
    free(labels);
    gcv_image_free(img);
}

/* The rotated rectangle of an axis-aligned box has its size; corners come TL, TR, BR, BL. */
static void test_min_area_rect(void **state)
{
    (void)state;
    const gcv_point pts[] = {{10, 20}, {50, 20}, {50, 30}, {10, 30}, {30, 25}};
    gcv_rotated_rect r;
    assert_int_equal(gcv_min_area_rect(pts, 5, &r), 0);
    assert_true(fabs(r.center.x - 30) < 0.01 && fabs(r.center.y - 25) < 0.01);
    float longer = r.width > r.height ? r.width : r.height;
    float shorter = r.width > r.height ? r.height : r.width;
    assert_true(fabs(longer - 40) < 0.01 && fabs(shorter - 10) < 0.01);
    gcv_point c[4];
    gcv_rotated_rect_corners(&r, c);
    assert_true(fabs(c[0].x - 10) < 0.01 && fabs(c[0].y - 20) < 0.01);
    assert_true(fabs(c[1].x - 50) < 0.01 && fabs(c[1].y - 20) < 0.01);
    assert_true(fabs(c[2].x - 50) < 0.01 && fabs(c[2].y - 30) < 0.01);
    assert_true(fabs(c[3].x - 10) < 0.01 && fabs(c[3].y - 30) < 0.01);
    assert_int_equal(gcv_min_area_rect(pts, 0, &r), -1);
}

/* Blurs keep a flat image flat; a horizontal motion blur spreads a dot along its row only. */
static void test_blurs(void **state)
{
    (void)state;
    gcv_image *flat = gcv_image_new(12, 12, 1);
    gcv_fill_rect(flat, 0, 0, 12, 12, 90, 0, 0);
    gcv_image *g = gcv_gaussian_blur(flat, 5, 1.5);
    assert_int_equal(px(g, 6, 6, 0), 90);
    assert_null(gcv_gaussian_blur(flat, 4, 1.0));

    gcv_image *dot = gcv_image_new(15, 15, 1);
    set_px(dot, 7, 7, 0, 255);
    gcv_image *m = gcv_motion_blur(dot, 5, 0.0);
    assert_true(px(m, 5, 7, 0) > 0 && px(m, 9, 7, 0) > 0);
    assert_int_equal(px(m, 7, 6, 0), 0);
    assert_int_equal(px(m, 7, 8, 0), 0);
    assert_true(px(m, 7, 7, 0) < 255);
    gcv_image_free(flat);
    gcv_image_free(g);
    gcv_image_free(dot);
    gcv_image_free(m);
}

/* Drawing primitives set the pixels they cover and only those. */
static void test_drawing(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(20, 20, 3);
    gcv_fill_rect(img, 2, 3, 4, 5, 1, 2, 3);
    assert_int_equal(px(img, 2, 3, 0), 1);
    assert_int_equal(px(img, 5, 7, 2), 3);
    assert_int_equal(px(img, 6, 7, 2), 0);
    const gcv_point tri[3] = {{10, 10}, {19, 10}, {10, 19}};
    gcv_fill_poly(img, tri, 3, 0, 255, 0);
    assert_int_equal(px(img, 12, 12, 1), 255);
    assert_int_equal(px(img, 18, 18, 1), 0);
    gcv_draw_line(img, (gcv_point){0, 0}, (gcv_point){0, 19}, 1, 9, 9, 9);
    assert_true(px(img, 0, 10, 0) > 0);
    gcv_image_free(img);
}

/* FreeType renders text inside its measured box; a missing font file is an error. */
static void test_font(void **state)
{
    (void)state;
    gcv_font *font = gcv_font_load(LATIN_FONT);
    assert_non_null(font);
    int w = 0, h = 0, base = 0;
    assert_int_equal(gcv_font_text_size(font, "12C-345.67", 32, &w, &h, &base), 0);
    assert_true(w > 100 && w < 300);
    assert_true(h > 15 && h <= 40);
    gcv_image *img = gcv_image_new(w + 20, 60, 1);
    assert_int_equal(gcv_font_draw(font, img, "12C-345.67", 10, 10, 32, 255, 255, 255), 0);
    assert_true(count_nonzero(img) > 200);
    gcv_image *left = gcv_image_crop(img, 0, 0, 9, 60);
    assert_int_equal(count_nonzero(left), 0);
    gcv_image_free(left);
    gcv_image_free(img);
    gcv_font_free(font);
    assert_null(gcv_font_load("/nonexistent/font.ttf"));
    assert_non_null(strstr(gcv_last_error(), "/nonexistent/font.ttf"));
}

/* Blobs are planar B, G, R with the mean/std normalisation applied. */
static void test_blob(void **state)
{
    (void)state;
    gcv_image *img = gcv_image_new(2, 1, 3);
    set_px(img, 1, 0, 0, 255);
    set_px(img, 1, 0, 2, 51);
    float blob[6];
    const float mean[3] = {0.5f, 0.5f, 0.5f}, sd[3] = {0.5f, 0.5f, 0.5f};
    assert_int_equal(gcv_image_to_blob(img, blob, mean, sd), 0);
    assert_true(fabsf(blob[0] + 1.0f) < 1e-6);    /* B of pixel 0: (0 - .5)/.5 */
    assert_true(fabsf(blob[1] - 1.0f) < 1e-6);    /* B of pixel 1: (1 - .5)/.5 */
    assert_true(fabsf(blob[5] - (-0.6f)) < 1e-5); /* R of pixel 1: (.2 - .5)/.5 */
    gcv_image_free(img);
}

/* A missing or non-ONNX model file is refused with the file named. */
static void test_net_refusals(void **state)
{
    (void)state;
    assert_null(gcv_net_load_onnx("/nonexistent/model.onnx"));
    assert_non_null(strstr(gcv_last_error(), "/nonexistent/model.onnx"));
    char path[] = "/tmp/gcv-test-XXXXXX.onnx";
    int fd = mkstemps(path, 5);
    assert_int_equal(write(fd, "garbage!", 8), 8);
    close(fd);
    assert_null(gcv_net_load_onnx(path));
    assert_non_null(strstr(gcv_last_error(), path));
    unlink(path);
}

/* Of a decoder's I420 or NV12 frame, only the asked rectangle is converted, from an even
 * origin: with neutral chroma every BGR channel is the luma of the same pixel of the frame,
 * taken from video range (16-235, as decoders give it) to full range.
 * Chroma does reach the colour (a blue-shifted U gives more blue than red). A rectangle
 * outside the frame is an error. */
static void test_yuv420_crop(void **state)
{
    (void)state;
    enum { W = 32, H = 24 };
    uint8_t y[H][W + 8], u[H / 2][W / 2 + 4], v[H / 2][W / 2 + 4], uv[H / 2][W + 8];
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++)
            y[r][c] = (uint8_t)((c * 3 + r * 5 + 40) % 200);
    memset(u, 128, sizeof u);
    memset(v, 128, sizeof v);
    memset(uv, 128, sizeof uv);
    for (int layout = GCV_YUV_I420; layout <= GCV_YUV_NV12; layout++) {
        const uint8_t *planes[3] = {&y[0][0], layout == GCV_YUV_I420 ? &u[0][0] : &uv[0][0],
                                    &v[0][0]};
        const size_t strides[3] = {W + 8, layout == GCV_YUV_I420 ? W / 2 + 4 : W + 8, W / 2 + 4};
        gcv_image *img =
            gcv_yuv420_to_bgr((enum gcv_yuv_layout)layout, planes, strides, W, H, 7, 5, 10, 6);
        assert_non_null(img);
        assert_int_equal(img->width, 10);
        assert_int_equal(img->height, 6);
        assert_int_equal(img->channels, 3);
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 10; c++)
                for (int k = 0; k < 3; k++) {
                    int want = (int)lround(255.0 / 219.0 * (y[4 + r][6 + c] - 16));
                    assert_true(abs(img->data[r * img->stride + c * 3 + k] - want) <= 1);
                }
        gcv_image_free(img);
        assert_null(
            gcv_yuv420_to_bgr((enum gcv_yuv_layout)layout, planes, strides, W, H, 40, 0, 8, 8));
        assert_non_null(strstr(gcv_last_error(), "outside"));
    }
    memset(u, 200, sizeof u); /* U above neutral: blue */
    const uint8_t *planes[3] = {&y[0][0], &u[0][0], &v[0][0]};
    const size_t strides[3] = {W + 8, W / 2 + 4, W / 2 + 4};
    gcv_image *img = gcv_yuv420_to_bgr(GCV_YUV_I420, planes, strides, W, H, 0, 0, W, H);
    assert_non_null(img);
    assert_true(img->data[0] > img->data[2] + 50);
    gcv_image_free(img);
}

/* A segment is clipped to the part inside the rectangle; one wholly outside, or parallel to
 * an edge and outside it, is refused and left as it was. */
static void test_clip_segment(void **state)
{
    (void)state;
    gcv_point a = {-100, 50}, b = {300, 50}; /* across [0, 200] x [0, 100] */
    assert_true(gcv_clip_segment(&a, &b, 0, 0, 200, 100));
    assert_true(a.x == 0 && a.y == 50 && b.x == 200 && b.y == 50);
    gcv_point c = {50, -50}, d = {150, 150}; /* diagonal: enters at y = 0, leaves at y = 100 */
    assert_true(gcv_clip_segment(&c, &d, 0, 0, 200, 100));
    assert_true(fabsf(c.x - 75) < 1e-4f && c.y == 0 && fabsf(d.x - 125) < 1e-4f && d.y == 100);
    gcv_point e = {250, 10}, f = {400, 90}; /* right of it */
    assert_false(gcv_clip_segment(&e, &f, 0, 0, 200, 100));
    assert_true(e.x == 250 && f.x == 400);
    gcv_point g = {10, 120}, h = {190, 120}; /* parallel to the bottom edge, below it */
    assert_false(gcv_clip_segment(&g, &h, 0, 0, 200, 100));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_new_and_refusals),
        cmocka_unit_test(test_png_round_trip),
        cmocka_unit_test(test_read_refuses_non_images),
        cmocka_unit_test(test_crop),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_colour_conversion),
        cmocka_unit_test(test_perspective),
        cmocka_unit_test(test_morphology),
        cmocka_unit_test(test_connected_components),
        cmocka_unit_test(test_clip_segment),
        cmocka_unit_test(test_min_area_rect),
        cmocka_unit_test(test_blurs),
        cmocka_unit_test(test_drawing),
        cmocka_unit_test(test_font),
        cmocka_unit_test(test_blob),
        cmocka_unit_test(test_net_refusals),
        cmocka_unit_test(test_yuv420_crop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
