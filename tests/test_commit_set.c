/*
 * test_commit_set.c — the hand-shake between the clean-up that runs when a
 * signal ends the process and a set of output files being renamed into place
 * (csv.h): the clean-up waits for a set in progress, and no set starts after it.
 * (Its own program: once the clean-up has run, this process writes no more sets.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"

static void test_cleanup_waits_for_a_set(void **state)
{
    (void)state;
    assert_true(jf__commit_begin());          /* two threads commit sets at once */
    assert_true(jf__commit_begin());
    assert_int_equal(jf__atomic_cleanup_on_signal(), 1); /* busy: ask again */
    jf__commit_end();
    assert_int_equal(jf__atomic_cleanup_on_signal(), 1); /* still one in progress */
    jf__commit_end();
    assert_int_equal(jf__atomic_cleanup_on_signal(), 0); /* done: the process may end */
    assert_false(jf__commit_begin());         /* and no new set starts */
    assert_int_equal(jf__atomic_cleanup_on_signal(), 0); /* idempotent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cleanup_waits_for_a_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
