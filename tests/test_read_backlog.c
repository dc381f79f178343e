/*
 * test_read_backlog.c — pins pipeline/read_backlog: frames of an episode with nothing read
 * yet are taken first, then those with something, then those with enough; older first among
 * equals; the order follows reads that come while frames wait; at the bound a backlog that
 * may drop gives back the least useful frame (the episode with the most read, oldest first),
 * which may be the one just pushed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_backlog.h"

/* Jobs are plain numbers here. */
#define JOB(n) GINT_TO_POINTER(n)

static void test_nothing_read_first(void **state)
{
    (void)state;
    read_backlog *b = read_backlog_new(8, NULL);
    read_interest *done = read_interest_new(2), *some = read_interest_new(2),
                  *fresh = read_interest_new(2);
    read_interest_add(done, 2);
    read_interest_add(some, 1);
    assert_null(read_backlog_push(b, JOB(1), done, 0, false));
    assert_null(read_backlog_push(b, JOB(2), some, 0, false));
    assert_null(read_backlog_push(b, JOB(3), fresh, 0, false));
    assert_null(read_backlog_push(b, JOB(4), fresh, 0, false));
    assert_int_equal(read_backlog_length(b), 4);
    assert_ptr_equal(read_backlog_pop(b), JOB(3)); /* nothing read: oldest first */
    assert_ptr_equal(read_backlog_pop(b), JOB(4));
    assert_ptr_equal(read_backlog_pop(b), JOB(2)); /* something read */
    assert_ptr_equal(read_backlog_pop(b), JOB(1)); /* enough read */
    assert_null(read_backlog_pop(b));
    read_interest_unref(done);
    read_interest_unref(some);
    read_interest_unref(fresh);
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
    assert_ptr_equal(read_backlog_pop(b), JOB(1));
    read_interest_add(first, 1); /* job 1's read found the plate: enough for `first` */
    assert_ptr_equal(read_backlog_pop(b), JOB(3));
    assert_ptr_equal(read_backlog_pop(b), JOB(2));
    read_interest_unref(first);
    read_interest_unref(second);
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
        cmocka_unit_test(test_nothing_read_first),
        cmocka_unit_test(test_standing_moves_while_waiting),
        cmocka_unit_test(test_bound_drops_least_useful),
        cmocka_unit_test(test_expire),
        cmocka_unit_test(test_free_held_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
