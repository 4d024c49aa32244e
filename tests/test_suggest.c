/*
 * test_suggest.c — edit distance and "did you mean" (hand-computed distances).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "jfsim.h"
#include "suggest.h"

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(jf__edit_distance("", "", 5), 0);
    assert_int_equal(jf__edit_distance("abc", "", 5), 3);
    assert_int_equal(jf__edit_distance("kitten", "sitting", 5), 3);    /* k->s, e->i, +g */
    assert_int_equal(jf__edit_distance("volatilty", "volatility", 5), 1); /* one insertion */
    assert_int_equal(jf__edit_distance("pirce", "price", 5), 1);        /* one transposition */
    assert_int_equal(jf__edit_distance("flaw", "lawn", 5), 2);
    assert_int_equal(jf__edit_distance("kitten", "sitting", 2), 3);    /* capped: cap + 1 */
    assert_int_equal(jf__edit_distance("a", "abcdefgh", 3), 4);         /* length gap alone exceeds the cap */
}

static void test_suggestions(void **state)
{
    (void)state;
    static const char *const keys[] = {"volatility", "drift", "start", "long_run", "half_life", NULL};
    assert_string_equal(jf__suggest_from("volatilty", keys), "volatility");
    assert_string_equal(jf__suggest_from("strat", keys), "start");
    assert_string_equal(jf__suggest_from("halflife", keys), "half_life");
    assert_null(jf__suggest_from("xyz", keys));          /* nothing close */
    assert_null(jf__suggest_from("volatility", keys));   /* an exact match is not a suggestion */
    assert_null(jf__suggest_from("dr", keys));           /* 3 edits away from drift, too far for 5 letters */
    static const char *const names[] = {"lithium", "lithium2", NULL};
    assert_string_equal(jf__suggest_from("lithum", names), "lithium"); /* the nearest wins */
}

/* The public wrapper the CLI uses for mistyped options. */
static void test_nearest_word(void **state)
{
    (void)state;
    const char *const options[] = {"output", "paths", "threads", "csv-sep", "per-point", NULL};
    assert_string_equal(jf_nearest_word("thred", options), "threads");
    assert_string_equal(jf_nearest_word("csv_sep", options), "csv-sep");
    assert_string_equal(jf_nearest_word("outptu", options), "output");
    assert_null(jf_nearest_word("xyz", options));
    assert_null(jf_nearest_word(NULL, options));
    assert_null(jf_nearest_word("thred", NULL));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_nearest_word),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
