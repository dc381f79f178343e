/*
 * test_sub_output.c — pins gatecv-sub's readable line for a crossing: it says which revision
 * of which event it is (provisional or final, with the event_id's first characters, so that
 * the lines of one crossing can be told), marks a superseded plate or code, and says nothing
 * of revisions for an event that has none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "../client/sub_output.h"

#define EVENT_HEAD                                                                                 \
    "{\"schema\":\"gatecv.crossing/1\",\"event_id\":\"0f8c2a4e-1b2c-4d5e-8f90-123456789abc\","
#define EVENT_TAIL                                                                                 \
    "\"gate\":\"g\",\"lane\":\"1\",\"direction\":\"VN_TO_CN\","                                    \
    "\"ts_enter\":\"2026-11-23T11:45:01.250Z\",\"ts_exit\":\"2026-11-23T11:45:09.120Z\","          \
    "\"vehicle\":{\"kind\":\"truck\",\"plates\":[{\"text\":\"12C34567\",\"camera\":\"front\","     \
    "\"frames\":9,\"superseded\":false},{\"text\":\"12C3456\",\"camera\":\"front\",\"frames\":2,"  \
    "\"superseded\":true}]},\"containers\":[{\"code\":\"MSKU1234565\",\"check_digit_ok\":true,"    \
    "\"superseded\":true}],\"verification\":{\"status\":\"verified\",\"reasons\":[]},"             \
    "\"manifest_match\":null,\"evidence\":[]}"

/* The readable line gatecv-sub prints for `json`. */
static char *line_for(const char *json)
{
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, "crossing.g.1");
    zmsg_addstr(msg, json);
    GError *error = NULL;
    sub_event *ev = sub_event_from_msg(&msg, &error);
    assert_non_null(ev);
    char path[] = "/tmp/test_sub_output-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    sub_output_crossing(ev, 0, FALSE);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fd);
    char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    unlink(path);
    sub_event_free(ev);
    return text;
}

static void test_revision_in_the_line(void **state)
{
    (void)state;
    char *provisional = line_for(EVENT_HEAD "\"seq\":3,\"revision\":1,\"final\":false," EVENT_TAIL);
    assert_non_null(strstr(provisional, "seq 3  2026-11-23T11:45:09.120Z  VN_TO_CN  provisional 1 "
                                        "of 0f8c2a4e  verified"));
    assert_non_null(strstr(provisional, "12C3456 (front, 2 frames, superseded)"));
    assert_non_null(strstr(provisional, "12C34567 (front, 9 frames)"));
    assert_non_null(strstr(provisional, "MSKU1234565 (superseded)"));
    char *final = line_for(EVENT_HEAD "\"seq\":4,\"revision\":2,\"final\":true," EVENT_TAIL);
    assert_non_null(strstr(final, "VN_TO_CN  final 2 of 0f8c2a4e  verified"));
    char *old = line_for(EVENT_HEAD "\"seq\":5," EVENT_TAIL);
    assert_non_null(strstr(old, "VN_TO_CN  verified"));
    assert_null(strstr(old, " of 0f8c2a4e"));
    g_free(provisional);
    g_free(final);
    g_free(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revision_in_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
