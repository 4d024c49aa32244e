/*
 * test_production.c — start year and base profile (engine/production.c, MODEL.md §3, §9).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "production.h"

static void assert_rel(double got, double want)
{
    assert_true(fabs(got - want) <= 1e-12 * fabs(want) + 1e-300);
}

/* Spreadsheet ROUND: halves go away from zero. */
static void test_round_half_away(void **state)
{
    (void)state;
    assert_int_equal(jf__round_half_away(0.5), 1);
    assert_int_equal(jf__round_half_away(1.5), 2);
    assert_int_equal(jf__round_half_away(2.5), 3);
    assert_int_equal(jf__round_half_away(2.49), 2);
    assert_int_equal(jf__round_half_away(-2.5), -3);
    assert_int_equal(jf__round_half_away(-0.4), 0);
    assert_int_equal(jf__round_half_away(2030.5), 2031);
}

/* t_start = (first_year - start_year + 1) + max(0, round(delay)). */
static void test_t_start(void **state)
{
    (void)state;
    assert_int_equal(jf__production_t_start(2026, 2026, 0), 1);
    assert_int_equal(jf__production_t_start(2026, 2030, 0), 5);
    assert_int_equal(jf__production_t_start(2026, 2030, 2.5), 8);    /* 5 + 3 */
    assert_int_equal(jf__production_t_start(2026, 2030, 2.4), 7);    /* 5 + 2 */
    assert_int_equal(jf__production_t_start(2026, 2030, -3.0), 5);   /* delay floored at 0 */
    assert_int_equal(jf__production_t_start(2026, 2024, 0), -1);     /* earlier than start_year */
    assert_int_equal(jf__production_t_start(2026, 2029.5, 0), 5);    /* drawn first_year rounds up */
}

/* C = 100, R = 2.5, L = 1.5, d = 0.1: a = 1, 2 ramp (100·a/3.5); a = 3 is
 * past R = 2.5 so plateau; a = 4 <= R + L = 4 plateau; a = 5: 100·0.9^1; a = 6: 100·0.9^2. */
static void test_capacity_profile(void **state)
{
    (void)state;
    jf__profile p = {NULL, 0, 100.0, 2.5, 1.5, 0.1};
    assert_true(jf__production_base(&p, 0) == 0.0);
    assert_true(jf__production_base(&p, -3) == 0.0);
    assert_rel(jf__production_base(&p, 1), 100.0 / 3.5);
    assert_rel(jf__production_base(&p, 2), 200.0 / 3.5);
    assert_rel(jf__production_base(&p, 3), 100.0);
    assert_rel(jf__production_base(&p, 4), 100.0);
    assert_rel(jf__production_base(&p, 5), 90.0);
    assert_rel(jf__production_base(&p, 6), 81.0);
    /* Integer R = 2, L = 1: ramp 100/3, 200/3, plateau at a = 3, decline from a = 4. */
    jf__profile q = {NULL, 0, 100.0, 2.0, 1.0, 0.5};
    assert_rel(jf__production_base(&q, 2), 200.0 / 3.0);
    assert_rel(jf__production_base(&q, 3), 100.0);
    assert_rel(jf__production_base(&q, 4), 50.0);
    /* Defaults R = 0, L = 1, d = 0: flat at C for ever. */
    jf__profile flat = {NULL, 0, 7.0, 0.0, 1.0, 0.0};
    assert_true(jf__production_base(&flat, 1) == 7.0);
    assert_true(jf__production_base(&flat, 150) == 7.0);
}

/* Schedule [5, 7, 9]: V = 0 before the start, v_a, then the last value holds. */
static void test_schedule(void **state)
{
    (void)state;
    const double v[3] = {5.0, 7.0, 9.0};
    jf__profile p = {v, 3, 0.0, 0.0, 1.0, 0.0};
    assert_true(jf__production_base(&p, 0) == 0.0);
    assert_true(jf__production_base(&p, 1) == 5.0);
    assert_true(jf__production_base(&p, 2) == 7.0);
    assert_true(jf__production_base(&p, 3) == 9.0);
    assert_true(jf__production_base(&p, 10) == 9.0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_half_away),
        cmocka_unit_test(test_t_start),
        cmocka_unit_test(test_capacity_profile),
        cmocka_unit_test(test_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
