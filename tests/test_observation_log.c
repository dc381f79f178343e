/*
 * test_observation_log.c — pins the observation log that gatecvd --observations writes and
 * gatecv-fuse reads: an observation with its reads comes back field for field, a camera's
 * end comes back as such, malformed lines are refused with the reason, and the fusion run
 * on the log decides what it decides on the observations themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "observation_log.h"

static gatecv_read make_read(gatecv_read_kind kind, const char *text, const char *display)
{
    gatecv_read r = {0};
    r.kind = kind;
    g_strlcpy(r.text, text, sizeof r.text);
    g_strlcpy(r.display, display, sizeof r.display);
    r.valid = true;
    r.confidence = 0.9375f;
    r.country = kind == READ_PLATE ? PLATE_CN : PLATE_GENERIC;
    r.layout = kind == READ_PLATE ? LAYOUT_TWO_LINE : LAYOUT_VERTICAL;
    if (kind == READ_CONTAINER)
        g_strlcpy(r.size_type, "45G1", sizeof r.size_type);
    return r;
}

/* Writes to a memory stream; returns the text (free it). */
static char *written(const lane_observation *o, int done_camera, double done_t)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    if (o)
        observation_log_write(mem, o);
    else
        observation_log_write_done(mem, done_camera, done_t);
    fclose(mem);
    return text;
}

/* Parses a line that must parse; its reads go to `reads`. Returns what kind it was. */
static observation_line parsed(const char *line, lane_observation *o, GArray *reads)
{
    observation_line kind = OBSERVATION_FRAME;
    GError *error = NULL;
    if (!observation_log_parse(line, o, reads, &kind, &error))
        fail_msg("'%s' did not parse: %s", line, error ? error->message : "?");
    return kind;
}

static void test_round_trip(void **state)
{
    (void)state;
    gatecv_read reads[2] = {make_read(READ_PLATE, "桂F12345", "桂F·12345"),
                            make_read(READ_CONTAINER, "MSKU1234565", "MSKU 123456 5")};
    reads[1].valid = false;
    const gcv_point quad[4] = {{40, 50}, {140, 52}, {139, 90}, {41, 88}};
    memcpy(reads[0].quad, quad, sizeof quad);
    lane_observation o = {.camera = 2,
                          .t = 12.345,
                          .moving = true,
                          .x = 10,
                          .y = 20,
                          .width = 300,
                          .height = 400,
                          .reads = reads,
                          .n_reads = 2,
                          .n_blobs = 2,
                          .blobs = {{10, 20, 120, 400}, {200, 30, 110, 200}}};
    char *line = written(&o, 0, 0);
    assert_non_null(strchr(line, '\n'));
    g_strchomp(line);
    GArray *back = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    lane_observation p;
    assert_int_equal(parsed(line, &p, back), OBSERVATION_FRAME);
    assert_int_equal(p.camera, 2);
    assert_true(p.t > 12.344 && p.t < 12.346);
    assert_true(p.moving);
    assert_true(p.x == 10 && p.y == 20 && p.width == 300 && p.height == 400);
    assert_int_equal(p.n_blobs, 2);
    assert_true(p.blobs[0].x == 10 && p.blobs[0].y == 20 && p.blobs[0].width == 120 &&
                p.blobs[0].height == 400);
    assert_true(p.blobs[1].x == 200 && p.blobs[1].y == 30 && p.blobs[1].width == 110 &&
                p.blobs[1].height == 200);
    /* a read keeps where it was: the box around its quad */
    assert_true(p.reads[0].quad[0].x == 40 && p.reads[0].quad[0].y == 50);
    assert_true(p.reads[0].quad[2].x == 140 && p.reads[0].quad[2].y == 90);
    assert_int_equal(p.n_reads, 2);
    assert_string_equal(p.reads[0].text, "桂F12345");
    assert_string_equal(p.reads[0].display, "桂F·12345");
    assert_int_equal(p.reads[0].kind, READ_PLATE);
    assert_int_equal(p.reads[0].country, PLATE_CN);
    assert_int_equal(p.reads[0].layout, LAYOUT_TWO_LINE);
    assert_true(p.reads[0].valid);
    assert_true(p.reads[0].confidence > 0.937f && p.reads[0].confidence < 0.938f);
    assert_int_equal(p.reads[1].kind, READ_CONTAINER);
    assert_false(p.reads[1].valid);
    assert_int_equal(p.reads[1].layout, LAYOUT_VERTICAL);
    assert_string_equal(p.reads[1].size_type, "45G1");
    assert_string_equal(p.reads[1].display, "MSKU 123456 5");
    free(line);

    line = written(NULL, 3, 84.96);
    g_strchomp(line);
    assert_int_equal(parsed(line, &p, back), OBSERVATION_DONE);
    assert_int_equal(p.camera, 3);
    assert_true(p.t > 84.95 && p.t < 84.97);
    free(line);

    for (int present = 0; present <= 1; present++) {
        size_t len = 0;
        FILE *mem = open_memstream(&line, &len);
        observation_log_write_trigger(mem, 12.5 + present, present);
        fclose(mem);
        g_strchomp(line);
        assert_int_equal(parsed(line, &p, back), OBSERVATION_TRIGGER);
        assert_true(p.t == 12.5 + present);
        assert_int_equal(p.moving, present);
        free(line);
    }
    g_array_free(back, TRUE);
}

/* gatecv-fuse must decide from the log as the daemon decided from memory: two reads whose
 * confidences differ only past the 4th decimal keep their order, and a read's box its
 * fractions, exactly, after a write and a parse. */
static void test_round_trip_exact(void **state)
{
    (void)state;
    gatecv_read reads[2] = {make_read(READ_PLATE, "苏N71M14", "苏N·71M14"),
                            make_read(READ_PLATE, "苏N71M14", "苏N·71M14")};
    reads[0].confidence = 0.99843f;
    reads[1].confidence = 0.99836f;
    const gcv_point quad[4] = {
        {589.3f, 492.71f}, {684.55f, 492.71f}, {684.55f, 517.2f}, {589.3f, 517.2f}};
    memcpy(reads[0].quad, quad, sizeof quad);
    memcpy(reads[1].quad, quad, sizeof quad);
    lane_observation o = {.camera = 1, .t = 53.96, .reads = reads, .n_reads = 2};
    char *line = written(&o, 0, 0);
    g_strchomp(line);
    GArray *back = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    lane_observation p;
    assert_int_equal(parsed(line, &p, back), OBSERVATION_FRAME);
    assert_true(p.reads[0].confidence == reads[0].confidence);
    assert_true(p.reads[1].confidence == reads[1].confidence);
    assert_true(p.reads[0].confidence > p.reads[1].confidence);
    assert_true(p.reads[0].quad[0].x == quad[0].x && p.reads[0].quad[0].y == quad[0].y);
    assert_true(p.t == 53.96);
    free(line);
    g_array_free(back, TRUE);
}

/* A live camera's outage is logged, in order with its frames, as "down" and "up" lines that
 * gatecv-fuse hands to lane_fusion_camera_state; observation lines are no such lines. */
static void test_camera_state_lines(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    observation_log_write_state(mem, 1, 12.5, FALSE);
    observation_log_write_state(mem, 1, 30.25, TRUE);
    fclose(mem);
    gchar **lines = g_strsplit(text, "\n", -1);
    int camera = -1;
    double t = 0;
    gboolean up = TRUE;
    assert_true(observation_log_parse_state(lines[0], &camera, &t, &up));
    assert_int_equal(camera, 1);
    assert_true(fabs(t - 12.5) < 1e-6 && !up);
    assert_true(observation_log_parse_state(lines[1], &camera, &t, &up));
    assert_true(fabs(t - 30.25) < 1e-6 && up);
    g_strfreev(lines);
    free(text);
    lane_observation o = {.camera = 0, .t = 1.0};
    char *observation = written(&o, 0, 0);
    char *done = written(NULL, 0, 4.0);
    assert_false(observation_log_parse_state(g_strchomp(observation), &camera, &t, &up));
    assert_false(observation_log_parse_state(g_strchomp(done), &camera, &t, &up));
    free(observation);
    free(done);
}

static void test_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "",                              /* nothing */
        "1\t0.0\t1\t0\t0\t10",           /* too few fields */
        "1\t0.0\t1\t0\t0\t10\t10\t0\t1", /* a read announced, none there */
        "1\t0.0\t1\t0\t0\t10\t10\t1\t0", /* a blob announced, none there */
        "trigger\t1.5\toccupied",             /* a trigger state that is no state */
        "trigger\tsoon\tpresent",             /* a trigger time that is no number */
        "1\t0.0\t1\t0\t0\t10\t10\t9\t0", /* more blobs than allowed */
        "x\t0.0\t1\t0\t0\t10\t10\t0\t0", /* camera not a number */
        "1\t0.0\t1\t0\t0\t10\t10\t0\t1\tsign\t1\t0.9\t-\tone_line\tA\tA\t-\t0\t0\t9\t9",
        /* unknown kind */
    };
    GArray *reads = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        lane_observation o;
        observation_line kind;
        GError *error = NULL;
        assert_false(observation_log_parse(bad[i], &o, reads, &kind, &error));
        assert_non_null(error);
        assert_true(strlen(error->message) > 5);
        g_error_free(error);
    }
    g_array_free(reads, TRUE);
}

typedef struct {
    int n;
    char plate[GATECV_READ_TEXT];
    lane_direction direction;
} seen;

static void on_crossing(const lane_crossing *c, void *user)
{
    seen *s = user;
    s->n++;
    s->direction = c->direction;
    if (c->n_plates)
        g_strlcpy(s->plate, c->plates[0].read.text, sizeof s->plate);
}

/* A passage fed to the fusion directly and through the log gives the same crossing. */
static void test_fusion_through_log(void **state)
{
    (void)state;
    lane_config c = {0};
    c.positive = DIR_VN_TO_CN;
    c.votes = 2;
    c.n_cameras = 1;
    c.cameras[0].name = "side";
    c.cameras[0].role = LANE_ROLE_SIDE_LEFT;
    c.cameras[0].tripwire = (lane_line){640, 720, 640, 0};
    gatecv_read r = make_read(READ_PLATE, "51F44614", "51F-446.14");
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    seen direct = {0}, logged = {0};
    lane_fusion *f = lane_fusion_new(&c, 2.0, on_crossing, &direct);
    for (int k = 0; k <= 100; k++) {
        double t = k * 0.04;
        bool with = k >= 40 && k < 45;
        lane_observation o = {.camera = 0,
                              .t = t,
                              .moving = k < 100,
                              .x = 100 + 10.0f * k,
                              .y = 310,
                              .width = 200,
                              .height = 100,
                              .reads = with ? &r : NULL,
                              .n_reads = with};
        lane_fusion_observe(f, &o);
        observation_log_write(mem, &o);
    }
    lane_fusion_camera_done(f, 0, 4.0);
    observation_log_write_done(mem, 0, 4.0);
    lane_fusion_finish(f);
    lane_fusion_free(f);
    fclose(mem);

    f = lane_fusion_new(&c, 2.0, on_crossing, &logged);
    GArray *reads = g_array_new(FALSE, FALSE, sizeof(gatecv_read));
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i] && *lines[i]; i++) {
        lane_observation o;
        if (parsed(lines[i], &o, reads) == OBSERVATION_DONE)
            lane_fusion_camera_done(f, o.camera, o.t);
        else
            lane_fusion_observe(f, &o);
    }
    lane_fusion_finish(f);
    lane_fusion_free(f);
    assert_int_equal(direct.n, 1);
    assert_int_equal(logged.n, direct.n);
    assert_string_equal(logged.plate, "51F44614");
    assert_int_equal(logged.direction, direct.direction);
    g_strfreev(lines);
    g_array_free(reads, TRUE);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_exact),
        cmocka_unit_test(test_camera_state_lines),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_fusion_through_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
