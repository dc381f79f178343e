/*
 * test_assign.c — pins how texts go to vehicles (assign.c): a text goes to the vehicle on the
 * line nearest its own time there, within ASSIGN_CLAIM_S, whatever episode it was read in;
 * one camera's same text from two episodes is one, its frames added; a code whose true time
 * leans away from a vehicle, measured outside its span, is not its; a text nearer the next
 * vehicle, still in a camera's open episode, is left to it; a valid text with enough frames
 * that no vehicle claimed becomes a vehicle seen only by its reads, going the way it moved;
 * texts near a pending vehicle wait, one published lately or read after its vehicle was
 * decided is dropped, and so is one not valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "assign.h"
#include "fusion_fixture.h"

/* One test's lane (fusion_fixture.h), its vehicles on the line, its pool of texts and its
 * cameras. */
typedef struct {
    lane_config *c;
    line_timeline *tl;
    text_pool *pool;
    camera_track cams[N_CAMERAS];
} assign_case;

static void case_open(assign_case *k)
{
    k->c = fixture_config();
    k->tl = line_timeline_new(k->c, 1.5);
    k->pool = text_pool_new(k->c);
    for (int i = 0; i < N_CAMERAS; i++)
        camera_track_init(&k->cams[i], &k->c->cameras[i], i, k->c->votes);
}

static void case_close(assign_case *k)
{
    for (int i = 0; i < N_CAMERAS; i++)
        camera_track_clear(&k->cams[i]);
    text_pool_free(k->pool);
    line_timeline_free(k->tl);
    g_free(k->c);
}

/* A side camera's passage, positive, on the line from `on` to `off`. */
static camera_episode *passage(double on, double off)
{
    camera_episode *e = fixture_episode(SIDE);
    e->t_first = on - 2;
    e->t_last = off + 2;
    e->line = (line_track){.side_from = -1,
                           .side_now = 1,
                           .centre_now = 1,
                           .t_cross = on,
                           .t_clear = off,
                           .t_touch = on,
                           .t_off = off,
                           .touched = true};
    return e;
}

/* A text of `camera` on the line at t_line, read in `frames` frames, moving from offset s0 to
 * s1 (positive: right of the line). */
static lane_text *text(int camera, const char *s, bool valid, int frames, double t_line, float s0,
                       float s1)
{
    lane_text *v = lane_text_new(camera);
    v->best.kind = READ_CONTAINER;
    g_strlcpy(v->best.text, s, sizeof v->best.text);
    v->best.valid = valid;
    v->frames = frames;
    v->t_line = t_line;
    v->first_t = t_line - 0.5;
    v->last_t = t_line + 0.5;
    v->first_s = s0;
    v->last_s = s1;
    return v;
}

/* Puts the texts in the pool as one closed episode of `camera` would. */
static void pool_texts(text_pool *pool, int camera, lane_text **texts, int n)
{
    camera_episode *e = fixture_episode(camera);
    for (int i = 0; i < n; i++)
        g_ptr_array_add(e->votes, texts[i]);
    text_pool_add_episode(pool, e);
    assert_int_equal(e->votes->len, 0);
    camera_episode_free(e);
}

static bool holds(GPtrArray *texts, const char *s)
{
    for (guint i = 0; i < texts->len; i++)
        if (g_strcmp0(((lane_text *)g_ptr_array_index(texts, i))->best.text, s) == 0)
            return true;
    return false;
}

/* Each text goes to the vehicle on the line nearest its time there (within 2 s); a camera's
 * same text from two of its episodes is one. */
static void test_text_goes_to_the_vehicle_on_the_line(void **state)
{
    (void)state;
    assign_case k;
    case_open(&k);
    line_vehicle *a = line_timeline_add_passage(k.tl, passage(10, 13));
    line_vehicle *b = line_timeline_add_passage(k.tl, passage(16, 19));
    lane_text *one[] = {text(FRONT, "AAAU1234560", true, 3, 12.0, -50, 50),
                        text(FRONT, "BBBU1234560", true, 3, 14.2, -50, 50),
                        text(FRONT, "CCCU1234560", true, 3, 14.8, -50, 50),
                        text(FRONT, "DDDU1234560", true, 3, 30.0, -50, 50)};
    pool_texts(k.pool, FRONT, one, 4);
    lane_text *two[] = {text(FRONT, "AAAU1234560", true, 2, 12.5, -50, 50)};
    pool_texts(k.pool, FRONT, two, 1);

    GPtrArray *of_a = assign_claim(k.pool, k.tl, a, k.cams, N_CAMERAS);
    assert_int_equal(of_a->len, 2);
    assert_true(holds(of_a, "AAAU1234560") && holds(of_a, "BBBU1234560"));
    assert_int_equal(((lane_text *)g_ptr_array_index(of_a, 0))->frames, 5); /* 3 + 2 */
    GPtrArray *of_b = assign_claim(k.pool, k.tl, b, k.cams, N_CAMERAS);
    assert_int_equal(of_b->len, 1);
    assert_true(holds(of_b, "CCCU1234560")); /* 30 s is nobody's */
    g_ptr_array_free(of_a, TRUE);
    g_ptr_array_free(of_b, TRUE);
    case_close(&k);
}

/* A container code that a camera along the lane saw come towards it (its reads moving down
 * the image) was truly on the line before it measured it: measured 1 s before the only
 * vehicle near came onto the line, it was not that vehicle's; one that it saw go away, measured
 * as early, truly lay later, and may be. */
static void test_code_leaning_away_is_not_claimed(void **state)
{
    (void)state;
    assign_case k;
    case_open(&k);
    line_vehicle *b = line_timeline_add_passage(k.tl, passage(16, 19));
    lane_text *towards = text(FRONT, "AAAU1234560", true, 3, 15.0, -50, 50);
    towards->first_y = 300, towards->last_y = 500;
    lane_text *away = text(FRONT, "BBBU1234560", true, 3, 15.0, -50, 50);
    away->first_y = 500, away->last_y = 300;
    lane_text *texts[] = {towards, away};
    pool_texts(k.pool, FRONT, texts, 2);
    GPtrArray *of_b = assign_claim(k.pool, k.tl, b, k.cams, N_CAMERAS);
    assert_int_equal(of_b->len, 1);
    assert_true(holds(of_b, "BBBU1234560"));
    g_ptr_array_free(of_b, TRUE);
    case_close(&k);
}

/* A text nearer the next vehicle, on the line in a camera's open episode since after a left
 * it, is not a's. */
static void test_next_vehicle_in_an_open_episode(void **state)
{
    (void)state;
    assign_case k;
    case_open(&k);
    line_vehicle *a = line_timeline_add_passage(k.tl, passage(10, 13));
    lane_text *texts[] = {text(FRONT, "AAAU1234560", true, 3, 14.6, -50, 50)};
    pool_texts(k.pool, FRONT, texts, 1);
    k.cams[SIDE].open = passage(15, 15); /* on the line since 15 s, still open */
    GPtrArray *of_a = assign_claim(k.pool, k.tl, a, k.cams, N_CAMERAS);
    assert_int_equal(of_a->len, 0);
    g_ptr_array_free(of_a, TRUE);
    camera_track_clear(&k.cams[SIDE]);
    of_a = assign_claim(k.pool, k.tl, a, k.cams, N_CAMERAS); /* that episode gone: a's */
    assert_int_equal(of_a->len, 1);
    g_ptr_array_free(of_a, TRUE);
    case_close(&k);
}

typedef struct {
    int n;
    line_vehicle *vehicle[4];
    char first[4][GATECV_READ_TEXT];
    guint n_texts[4];
} handed;

static void on_vehicle(line_vehicle *v, GPtrArray *texts, void *user)
{
    handed *h = user;
    assert_true(h->n < 4);
    h->vehicle[h->n] = v;
    g_strlcpy(h->first[h->n], ((lane_text *)g_ptr_array_index(texts, 0))->best.text,
              GATECV_READ_TEXT);
    h->n_texts[h->n++] = texts->len;
    assign_note_published(v, texts);
}

/* Unclaimed texts wait ASSIGN_KEEP_S; then valid ones with enough frames become vehicles seen
 * by their reads (two within 2 s of each other one vehicle, going the way they moved), and the
 * others are dropped. A text near a pending vehicle waits for it. */
static void test_unclaimed_texts_become_vehicles(void **state)
{
    (void)state;
    assign_case k;
    case_open(&k);
    line_timeline_add_passage(k.tl, passage(50, 53)); /* pending */
    lane_text *texts[] = {text(FRONT, "AAAU1234560", true, 3, 10.0, 50, -50),
                          text(SIDE, "BBBU1234560", true, 2, 11.5, -50, 50),
                          text(FRONT, "CCCU1234560", true, 1, 20.0, -50, 50), /* one frame */
                          text(FRONT, "DDDU1234560", false, 4, 25.0, -50, 50),
                          text(FRONT, "EEEU1234560", true, 3, 54.0, -50, 50)};
    pool_texts(k.pool, FRONT, texts, 5);
    handed h = {0};
    assign_expire(k.pool, k.tl, 39.0, false, on_vehicle, &h); /* 10 s is not 30 s back yet */
    assert_int_equal(h.n, 0);
    assign_expire(k.pool, k.tl, 100.0, false, on_vehicle, &h);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.first[0], "AAAU1234560");
    assert_int_equal(h.n_texts[0], 2);
    line_vehicle *v = h.vehicle[0];
    assert_int_equal(v->state, LINE_SEEN_BY_READS);
    assert_int_equal(v->span.sign, -1); /* the first text moved to the left */
    assert_true(v->span.start == 10.0 && v->span.end == 11.5);
    assert_non_null(line_timeline_oldest_pending(k.tl)); /* the one at 50 s */
    /* EEE still waits for the pending vehicle; at the end it goes too */
    assign_expire(k.pool, k.tl, 200.0, true, on_vehicle, &h);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.first[1], "EEEU1234560");
    case_close(&k);
}

/* A text already published near its time (a second sighting), or read after the vehicle it
 * was on the line with was decided, makes no vehicle. */
static void test_second_sighting_makes_no_vehicle(void **state)
{
    (void)state;
    assign_case k;
    case_open(&k);
    line_vehicle *a = line_timeline_add_passage(k.tl, passage(10, 13));
    line_timeline_settle(k.tl, a, LINE_DECIDED);
    line_vehicle_note_published(a, "AAAU1234560", 12.0);
    lane_text *texts[] = {text(FRONT, "AAAU1234560", true, 3, 35.0, -50, 50),
                          text(FRONT, "BBBU1234560", true, 3, 14.0, -50, 50)};
    pool_texts(k.pool, FRONT, texts, 2);
    handed h = {0};
    assign_expire(k.pool, k.tl, 0, true, on_vehicle, &h);
    assert_int_equal(h.n, 0);
    case_close(&k);
}

/* An open episode's text on the line near a vehicle holds it back; one still read on the side
 * it came from counts as reaching the line no earlier than the camera's latest time. */
static void test_open_texts_near(void **state)
{
    (void)state;
    lane_config *c = fixture_config();
    line_timeline *tl = line_timeline_new(c, 1.5);
    line_vehicle *a = line_timeline_add_passage(tl, passage(10, 13));
    camera_episode *e = passage(14, 16);
    lane_text *v = lane_text_new(FRONT);
    lane_text_add(v, &(gatecv_read){.kind = READ_PLATE, .text = "51F44614"}, -80, NULL, 8.0);
    lane_text_add(v, &(gatecv_read){.kind = READ_PLATE, .text = "51F44614"}, -60, NULL, 9.0);
    g_ptr_array_add(e->votes, v); /* heading for the line at 12 s */
    assert_true(assign_open_texts_near(e, a, 9.0));
    assert_false(assign_open_texts_near(e, a, 16.0)); /* still short of the line at 16 s */
    camera_episode_free(e);
    line_timeline_free(tl);
    g_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_goes_to_the_vehicle_on_the_line),
        cmocka_unit_test(test_code_leaning_away_is_not_claimed),
        cmocka_unit_test(test_next_vehicle_in_an_open_episode),
        cmocka_unit_test(test_unclaimed_texts_become_vehicles),
        cmocka_unit_test(test_second_sighting_makes_no_vehicle),
        cmocka_unit_test(test_open_texts_near),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
