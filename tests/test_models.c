/*
 * test_models.c — pins model loading: both converted models load from the model folder,
 * take their fixed input shapes and give outputs of the expected shape; a missing,
 * corrupt or swapped model file is refused with one line naming it and the fix; threads
 * sharing one set of models read what one thread alone reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "gatecv_error.h"
#include "models.h"
#include "text_recognise.h"

static gatecv_models *models;

static int load_models(void **state)
{
    (void)state;
    GError *error = NULL;
    models = gatecv_models_load(gatecv_model_dir(NULL), &error);
    if (!models) {
        fprintf(stderr, "test_models: %s\n", error->message);
        g_error_free(error);
        return -1;
    }
    return 0;
}

static int free_models(void **state)
{
    (void)state;
    gatecv_models_free(models);
    return 0;
}

/* The character list has the blank, the 6623 PP-OCR characters and the space. */
static void test_charset(void **state)
{
    (void)state;
    assert_int_equal(models->n_classes, 6625);
    assert_string_equal(models->charset[0], "");
    assert_string_equal(models->charset[models->n_classes - 1], " ");
    gboolean has_gui = FALSE, has_a = FALSE;
    for (int i = 1; i < models->n_classes; i++) {
        has_gui |= strcmp(models->charset[i], "桂") == 0;
        has_a |= strcmp(models->charset[i], "A") == 0;
    }
    assert_true(has_gui);
    assert_true(has_a);
}

/* The detector maps a 1x3x544x960 input to a 1x1x544x960 probability map in [0, 1]. */
static void test_detector_forward(void **state)
{
    (void)state;
    const int in[4] = {1, 3, 544, 960};
    float *blob = calloc(3 * 544 * 960, sizeof(float));
    float *out = NULL;
    int shape[8], dims = 0;
    gcv_net *det = gatecv_det_cache_acquire(models->det, 960, 544, NULL);
    assert_non_null(det);
    assert_int_equal(gcv_net_forward(det, blob, in, &out, shape, &dims), 0);
    gatecv_det_cache_release(models->det, det);
    assert_int_equal(dims, 4);
    assert_int_equal(shape[1], 1);
    assert_int_equal(shape[2], 544);
    assert_int_equal(shape[3], 960);
    for (int i = 0; i < 544 * 960; i += 997)
        assert_true(out[i] >= 0.0f && out[i] <= 1.0f);
    free(blob);
    free(out);
}

/* Highest detector probability for black text drawn on a white width x height input. */
static float detect_drawn_text(int width, int height)
{
    gcv_image *img = gcv_image_new(width, height, 3);
    gcv_fill_rect(img, 0, 0, width, height, 255, 255, 255);
    gcv_font *font = gcv_font_load("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    assert_non_null(font);
    assert_int_equal(gcv_font_draw(font, img, "51F-446.14", width / 8, height / 3, 40, 0, 0, 0), 0);
    gcv_font_free(font);
    static const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
    float *blob = malloc(sizeof(float) * 3 * width * height);
    gcv_image_to_blob(img, blob, mean, sd);
    gcv_image_free(img);
    gcv_net *det = gatecv_det_cache_acquire(models->det, width, height, NULL);
    assert_non_null(det);
    const int in[4] = {1, 3, height, width};
    float *out = NULL;
    int shape[8], dims = 0;
    assert_int_equal(gcv_net_forward(det, blob, in, &out, shape, &dims), 0);
    gatecv_det_cache_release(models->det, det);
    float best = 0;
    for (int i = 0; i < width * height; i++)
        best = out[i] > best ? out[i] : best;
    free(blob);
    free(out);
    return best;
}

/* Each input size finds drawn text, in any order of sizes: OpenCV 4.6 keeps a net's
 * shapes from its first forward, so each size must get its own detector instance. */
static void test_detector_sizes(void **state)
{
    (void)state;
    assert_true(detect_drawn_text(640, 384) > 0.9f);
    assert_true(detect_drawn_text(960, 576) > 0.9f);
    assert_true(detect_drawn_text(640, 384) > 0.9f);
    assert_true(detect_drawn_text(512, 192) > 0.9f);
}

/* The recogniser maps 1x3x48x320 to 40 steps of 6625 class probabilities summing to 1. */
static void test_recogniser_forward(void **state)
{
    (void)state;
    const int in[4] = {1, 3, GATECV_REC_HEIGHT, GATECV_REC_WIDTH};
    float *blob = calloc(3 * GATECV_REC_HEIGHT * GATECV_REC_WIDTH, sizeof(float));
    float *out = NULL;
    int shape[8], dims = 0;
    assert_int_equal(gcv_net_forward(models->rec, blob, in, &out, shape, &dims), 0);
    assert_int_equal(dims, 3);
    assert_int_equal(shape[1], GATECV_REC_STEPS);
    assert_int_equal(shape[2], 6625);
    double sum = 0;
    for (int k = 0; k < 6625; k++)
        sum += out[k];
    assert_true(sum > 0.99 && sum < 1.01);
    free(blob);
    free(out);
}

static const char *MODEL_FILES[] = {"det.onnx",    "rec.onnx",    "rec-96.onnx",
                                    "rec-160.onnx", "rec-224.onnx", "keys.txt"};

/* Copies file `from` in folder `src_dir` to file `to` in folder `dst_dir`. */
static void copy_file(const char *src_dir, const char *from, const char *dst_dir, const char *to)
{
    gchar *src = g_build_filename(src_dir, from, NULL);
    gchar *dst = g_build_filename(dst_dir, to, NULL);
    gchar *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(src, &data, &len, NULL));
    assert_true(g_file_set_contents(dst, data, (gssize)len, NULL));
    g_free(data);
    g_free(src);
    g_free(dst);
}

/* Copies the real model folder to a scratch one so a test can break one file. */
static gchar *scratch_copy(void)
{
    gchar *dir = g_dir_make_tmp("gatecv-models-XXXXXX", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(MODEL_FILES); i++)
        copy_file(models->dir, MODEL_FILES[i], dir, MODEL_FILES[i]);
    return dir;
}

static void remove_scratch(gchar *dir)
{
    for (size_t i = 0; i < G_N_ELEMENTS(MODEL_FILES); i++) {
        gchar *p = g_build_filename(dir, MODEL_FILES[i], NULL);
        g_unlink(p);
        g_free(p);
    }
    g_rmdir(dir);
    g_free(dir);
}

static void expect_refusal(const char *dir, const char *file_named, int code)
{
    GError *error = NULL;
    gatecv_models *m = gatecv_models_load(dir, &error);
    assert_null(m);
    assert_non_null(error);
    assert_int_equal(error->code, code);
    assert_non_null(strstr(error->message, file_named));
    assert_non_null(strstr(error->message, "models/fetch-models.sh"));
    assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

/* A missing model file is named, with the command that produces it. */
static void test_missing_model(void **state)
{
    (void)state;
    gchar *dir = scratch_copy();
    gchar *rec = g_build_filename(dir, "rec.onnx", NULL);
    g_unlink(rec);
    expect_refusal(dir, "rec.onnx", GATECV_ERROR_MODEL_MISSING);
    g_free(rec);
    remove_scratch(dir);
}

/* A truncated (corrupt) model file is refused as invalid, naming it. */
static void test_corrupt_model(void **state)
{
    (void)state;
    gchar *dir = scratch_copy();
    gchar *det = g_build_filename(dir, "det.onnx", NULL);
    gchar *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(det, &data, &len, NULL));
    assert_true(g_file_set_contents(det, data, (gssize)(len / 3), NULL));
    g_free(data);
    expect_refusal(dir, "det.onnx", GATECV_ERROR_MODEL_INVALID);
    g_free(det);
    remove_scratch(dir);
}

/* The detector put where the recogniser belongs fails the shape check, naming rec.onnx. */
static void test_swapped_model(void **state)
{
    (void)state;
    gchar *dir = scratch_copy();
    copy_file(dir, "det.onnx", dir, "rec.onnx");
    expect_refusal(dir, "rec.onnx", GATECV_ERROR_MODEL_INVALID);
    remove_scratch(dir);
}

/* A narrow recogniser missing, or of another width than its name says, is named. */
static void test_narrow_recogniser_checked(void **state)
{
    (void)state;
    gchar *dir = scratch_copy();
    gchar *narrow = g_build_filename(dir, "rec-160.onnx", NULL);
    g_unlink(narrow);
    g_free(narrow);
    expect_refusal(dir, "rec-160.onnx", GATECV_ERROR_MODEL_MISSING);
    copy_file(dir, "rec-96.onnx", dir, "rec-160.onnx");
    expect_refusal(dir, "rec-160.onnx", GATECV_ERROR_MODEL_INVALID);
    remove_scratch(dir);
}

/* A short line goes through the narrowest recogniser that holds it; a long one through
 * rec.onnx. */
static void test_recogniser_width_choice(void **state)
{
    (void)state;
    int w = 0;
    assert_ptr_equal(gatecv_models_recogniser(models, 90, &w), models->rec_narrow[0]);
    assert_int_equal(w, 96);
    assert_ptr_equal(gatecv_models_recogniser(models, 97, &w), models->rec_narrow[1]);
    assert_int_equal(w, 160);
    assert_ptr_equal(gatecv_models_recogniser(models, 224, &w), models->rec_narrow[2]);
    assert_ptr_equal(gatecv_models_recogniser(models, 225, &w), models->rec);
    assert_int_equal(w, GATECV_REC_WIDTH);
}

/* A line of black text drawn on white, `width` px wide. */
static gcv_image *drawn_line(const char *text, int width)
{
    gcv_image *img = gcv_image_new(width, 56, 3);
    gcv_fill_rect(img, 0, 0, width, 56, 255, 255, 255);
    gcv_font *font = gcv_font_load("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    assert_non_null(font);
    assert_int_equal(gcv_font_draw(font, img, text, 8, 8, 36, 0, 0, 0), 0);
    gcv_font_free(font);
    return img;
}

static char *recognise(const gcv_image *line)
{
    text_line out;
    GError *error = NULL;
    if (text_recognise_image(models, line, true, &out, &error) != 0) {
        g_error_free(error);
        return g_strdup("(failed)");
    }
    return text_line_string(&out);
}

#define SHARED_THREADS 4
#define SHARED_ROUNDS 12

typedef struct {
    const gcv_image *lines[2];
    const char *want[2];
    int wrong;
} shared_job;

static gpointer recognise_rounds(gpointer user)
{
    shared_job *job = user;
    for (int r = 0; r < SHARED_ROUNDS; r++)
        for (int k = 0; k < 2; k++) {
            char *got = recognise(job->lines[k]);
            job->wrong += strcmp(got, job->want[k]) != 0;
            g_free(got);
        }
    return NULL;
}

/* Reader threads share one gatecv_models: each recogniser serves one thread at a time, so
 * threads reading at once (a short line through a narrow net, a long one through rec.onnx)
 * get exactly what one thread alone gets. */
static void test_recognisers_shared_by_threads(void **state)
{
    (void)state;
    gcv_image *short_line = drawn_line("51F44614", 260), *long_line = drawn_line("MSCU1234565 45G1", 420);
    char *want_short = recognise(short_line), *want_long = recognise(long_line);
    assert_string_equal(want_short, "51F44614");
    shared_job jobs[SHARED_THREADS];
    GThread *threads[SHARED_THREADS];
    for (int i = 0; i < SHARED_THREADS; i++) {
        jobs[i] = (shared_job){{short_line, long_line}, {want_short, want_long}, 0};
        threads[i] = g_thread_new("recognise", recognise_rounds, &jobs[i]);
    }
    for (int i = 0; i < SHARED_THREADS; i++) {
        g_thread_join(threads[i]);
        assert_int_equal(jobs[i].wrong, 0);
    }
    g_free(want_short);
    g_free(want_long);
    gcv_image_free(short_line);
    gcv_image_free(long_line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_recognisers_shared_by_threads),
        cmocka_unit_test(test_detector_forward),
        cmocka_unit_test(test_detector_sizes),
        cmocka_unit_test(test_recogniser_forward),
        cmocka_unit_test(test_missing_model),
        cmocka_unit_test(test_corrupt_model),
        cmocka_unit_test(test_swapped_model),
        cmocka_unit_test(test_narrow_recogniser_checked),
        cmocka_unit_test(test_recogniser_width_choice),
    };
    return cmocka_run_group_tests(tests, load_models, free_models);
}
