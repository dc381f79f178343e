/*
 * test_read_backlog.c — pins pipeline/read_backlog: the readers take turns between episodes
 * (a frame of the episode with the fewest frames taken goes first), an episode with enough
 * valid reads waits behind every other; older first among equals; the order follows reads
 * that come while frames wait; at the bound a backlog that may drop gives back the least
 * useful frame (the episode with enough, or else the most taken, oldest first), which may be
 * the one just pushed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_backlog.h"

/* Jobs are plain numbers here. */
#define JOB(n) GINT_TO_POINTER(n)

/* Two vehicles in view at once are read in turns, whatever their first reads found; an
 * episode with enough valid reads waits behind both. */
static void test_episodes_take_turns(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(8, NULL);
    read_interest *front = read_interest_new(2), *side = read_interest_new(2),
                  *done = read_interest_new(2);
    read_interest_add(done, 2);
    assert_null(read_backlog_push(b, JOB(1), done, 0, false));
    for (int i = 0; i < 3; i++)
        assert_null(read_backlog_push(b, JOB(10 + i), front, 0, false));
    for (int i = 0; i < 2; i++)
        assert_null(read_backlog_push(b, JOB(20 + i), side, 0, false));
    assert_int_equal(read_backlog_length(b), 6);
    assert_ptr_equal(read_backlog_pop(b), JOB(10)); /* none taken of either: the older */
    read_interest_add(front, 1);                    /* its plate, once: not yet enough */
    assert_ptr_equal(read_backlog_pop(b), JOB(20)); /* side's turn */
    assert_ptr_equal(read_backlog_pop(b), JOB(11)); /* one each: the older again */
    assert_ptr_equal(read_backlog_pop(b), JOB(21));
    assert_ptr_equal(read_backlog_pop(b), JOB(12));
    assert_ptr_equal(read_backlog_pop(b), JOB(1)); /* enough read: last */
    assert_null(read_backlog_pop(b));
    assert_int_equal(front->taken, 3);
    assert_int_equal(side->taken, 2);
    read_interest_unref(front);
    read_interest_unref(side);
    read_interest_unref(done);
    read_backlog_free(b);
}

/* A read that comes back while frames wait moves its episode's frames back. */
static void test_standing_moves_while_waiting(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(8, NULL);
    read_interest *first = read_interest_new(1), *second = read_interest_new(1);
    read_backlog_push(b, JOB(1), first, 0, false);
    read_backlog_push(b, JOB(2), first, 0, false);
    read_backlog_push(b, JOB(3), second, 0, false);
    read_backlog_push(b, JOB(4), second, 0, false);
    assert_ptr_equal(read_backlog_pop(b), JOB(1));
    assert_ptr_equal(read_backlog_pop(b), JOB(3)); /* one taken each: job 2 is next.. */
    read_interest_add(first, 1); /* ..but job 1's read found the plate: enough for `first` */
    assert_ptr_equal(read_backlog_pop(b), JOB(4));
    assert_ptr_equal(read_backlog_pop(b), JOB(2));
    read_interest_unref(first);
    read_interest_unref(second);
    read_backlog_free(b);
}

/* At the bound, without an episode that has enough, the one that has had the most frames
 * taken gives up its oldest waiting frame. */
static void test_bound_drops_most_taken(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(3, NULL);
    read_interest *busy = read_interest_new(2), *fresh = read_interest_new(2);
    assert_null(read_backlog_push(b, JOB(1), busy, 0, true));
    assert_ptr_equal(read_backlog_pop(b), JOB(1)); /* busy has had one */
    assert_null(read_backlog_push(b, JOB(2), fresh, 0, true));
    assert_null(read_backlog_push(b, JOB(3), busy, 0, true));
    assert_null(read_backlog_push(b, JOB(4), busy, 0, true));
    assert_ptr_equal(read_backlog_push(b, JOB(5), fresh, 0, true), JOB(3));
    assert_ptr_equal(read_backlog_pop(b), JOB(2));
    read_interest_unref(busy);
    read_interest_unref(fresh);
    read_backlog_free(b);
}

/* At the bound the least useful frame comes back: of the episode with the most read, the
 * oldest; the frame just pushed when it is that one. */
static void test_bound_drops_least_useful(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(3, NULL);
    read_interest *done = read_interest_new(1), *fresh = read_interest_new(1);
    read_interest_add(done, 1);
    assert_null(read_backlog_push(b, JOB(1), fresh, 0, true));
    assert_null(read_backlog_push(b, JOB(2), done, 0, true));
    assert_null(read_backlog_push(b, JOB(3), done, 0, true));
    assert_ptr_equal(read_backlog_push(b, JOB(4), fresh, 0, true), JOB(2)); /* oldest of `done` */
    assert_ptr_equal(read_backlog_push(b, JOB(5), done, 0, true), JOB(3));
    assert_ptr_equal(read_backlog_push(b, JOB(6), done, 0, true), JOB(5));
    assert_int_equal(read_backlog_length(b), 3);
    assert_ptr_equal(read_backlog_push(b, JOB(7), fresh, 0, true), JOB(6));
    assert_ptr_equal(read_backlog_push(b, JOB(8), fresh, 0, true), JOB(1)); /* all fresh: oldest */
    assert_ptr_equal(read_backlog_push(b, JOB(9), done, 0, true), JOB(9)); /* the one pushed */
    assert_ptr_equal(read_backlog_pop(b), JOB(4));
    assert_ptr_equal(read_backlog_pop(b), JOB(7));
    assert_ptr_equal(read_backlog_pop(b), JOB(8));
    read_interest_unref(done);
    read_interest_unref(fresh);
    read_backlog_free(b);
}

/* Frames queued before a moment come out for expiry, and only those. */
static void test_expire(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(8, NULL);
    read_interest *interest = read_interest_new(1);
    read_backlog_push(b, JOB(1), interest, 100, true);
    read_backlog_push(b, JOB(2), interest, 300, true);
    read_backlog_push(b, JOB(3), interest, 200, true);
    assert_null(read_backlog_expire(b, 100));
    assert_ptr_equal(read_backlog_expire(b, 250), JOB(1));
    assert_ptr_equal(read_backlog_expire(b, 250), JOB(3));
    assert_null(read_backlog_expire(b, 250));
    assert_ptr_equal(read_backlog_pop(b), JOB(2));
    read_interest_unref(interest);
    read_backlog_free(b);
}

static int freed;
static void count_free(gpointer job)
{
    (void)job;
    freed++;
}

/* Freeing the backlog frees the jobs it holds and lets go of their episodes. */
static void test_free_held_jobs(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(4, count_free);
    read_interest *interest = read_interest_new(1);
    read_backlog_push(b, JOB(1), interest, 0, false);
    read_backlog_push(b, JOB(2), interest, 0, false);
    assert_int_equal(interest->ref, 3);
    freed = 0;
    read_backlog_free(b);
    assert_int_equal(freed, 2);
    assert_int_equal(interest->ref, 1);
    read_interest_unref(interest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_episodes_take_turns),
        cmocka_unit_test(test_standing_moves_while_waiting),
        cmocka_unit_test(test_bound_drops_most_taken),
        cmocka_unit_test(test_bound_drops_least_useful),
        cmocka_unit_test(test_expire),
        cmocka_unit_test(test_free_held_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
