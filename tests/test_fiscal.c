/*
 * test_fiscal.c — the state's take (engine/fiscal.c, MODEL.md §5, §9).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "fiscal.h"

static void assert_rel(double got, double want)
{
    assert_true(fabs(got - want) <= 1e-12 * fabs(want) + 1e-300);
}

/* Q = 100, P = 500, unit cost 100, fixed cost 1000, escalation factor 1.02² = 1.0404,
 * royalty 10%, tax 18%, equity 0.5 × payout 0.4, fees 7:
 *   G = 50000; C = 100·100·1.0404 + 1000·1.0404 = 11444.4; Roy = 5000;
 *   Tax = 0.18·(50000 - 11444.4 - 5000) = 0.18·33555.6 = 6040.008;
 *   Div = 0.2·(33555.6 - 6040.008) = 5503.1184; S = 5000 + 6040.008 + 5503.1184 + 7 = 16550.1264. */
static void test_with_profit(void **state)
{
    (void)state;
    jf__fiscal_params fp = {100.0, 1000.0, 0.1, 0, NULL, 0.18, 0.5, 0.4, 7.0};
    jf__take t;
    jf__fiscal_take(&fp, 100.0, 500.0, 1.0404, true, true, &t);
    assert_rel(t.gross, 50000.0);
    assert_rel(t.royalty, 5000.0);
    assert_rel(t.profit_tax, 6040.008);
    assert_rel(t.dividends, 5503.1184);
    assert_rel(t.license_fees, 7.0);
    assert_rel(t.state, 16550.1264);
}

/* A loss: Q = 10, P = 50, unit cost 60: G = 500, C = 600, Roy = 50, no tax or
 * dividends (no carry-forward), fees 7 still due: S = 57. */
static void test_without_profit(void **state)
{
    (void)state;
    jf__fiscal_params fp = {60.0, 0.0, 0.1, 0, NULL, 0.18, 0.5, 0.4, 7.0};
    jf__take t;
    jf__fiscal_take(&fp, 10.0, 50.0, 1.0, true, true, &t);
    assert_rel(t.gross, 500.0);
    assert_rel(t.royalty, 50.0);
    assert_true(t.profit_tax == 0.0);
    assert_true(t.dividends == 0.0);
    assert_rel(t.state, 57.0);
}

/* Not yet operating: no fixed cost (G = 0, C = 0), but fees are paid.
 * Failed: everything zero. */
static void test_not_operating_and_failed(void **state)
{
    (void)state;
    jf__fiscal_params fp = {60.0, 1e6, 0.1, 0, NULL, 0.18, 0.5, 0.4, 7.0};
    jf__take t;
    jf__fiscal_take(&fp, 0.0, 50.0, 1.0, false, true, &t);
    assert_true(t.gross == 0.0 && t.royalty == 0.0 && t.profit_tax == 0.0 && t.dividends == 0.0);
    assert_rel(t.state, 7.0);
    jf__fiscal_take(&fp, 10.0, 50.0, 1.0, true, false, &t);
    assert_true(t.gross == 0.0 && t.state == 0.0 && t.license_fees == 0.0);
}

/* [[0, 0.29], [400, 0.65]]: at P = 500, 0.29·400 + 0.65·100 = 181 per unit;
 * at 300, 0.29·300 = 87; at 400, 116.  With Q = 10, P = 500 and tax 18% on
 * G - Roy = 5000 - 1810: Tax = 574.2. */
static void test_brackets(void **state)
{
    (void)state;
    const double br[2][2] = {{0.0, 0.29}, {400.0, 0.65}};
    assert_rel(jf__royalty_per_unit(br, 2, 500.0), 181.0);
    assert_rel(jf__royalty_per_unit(br, 2, 300.0), 87.0);
    assert_rel(jf__royalty_per_unit(br, 2, 400.0), 116.0);
    assert_true(jf__royalty_per_unit(br, 2, 0.0) == 0.0);
    jf__fiscal_params fp = {0.0, 0.0, 0.99 /* ignored */, 2, br, 0.18, 0.0, 0.0, 0.0};
    jf__take t;
    jf__fiscal_take(&fp, 10.0, 500.0, 1.0, true, true, &t);
    assert_rel(t.royalty, 1810.0);
    assert_rel(t.profit_tax, 574.2);
    assert_rel(t.state, 2384.2);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_with_profit),
        cmocka_unit_test(test_without_profit),
        cmocka_unit_test(test_not_operating_and_failed),
        cmocka_unit_test(test_brackets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
