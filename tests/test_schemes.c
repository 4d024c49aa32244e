/*
 * test_schemes.c — joint fund and repayment recurrences (engine/scheme*.c, MODEL.md §6–§7).
 *
 * Three years with E = [100, 200, 300], S = [150, 250, 350], discount 10%.
 * The figures in the comments were worked by hand (and checked with exact
 * rational arithmetic).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "scheme.h"

static const double E[3] = {100.0, 200.0, 300.0};
static const double S[3] = {150.0, 250.0, 350.0};
static const double Z[3] = {0.0, 0.0, 0.0};
static const double DF[3] = {1.0 / 1.1, 1.0 / 1.21, 1.0 / 1.331};

static void assert_rel(double got, double want)
{
    assert_true(fabs(got - want) <= 1e-12 * fabs(want) + 1e-300);
}

static jf__scheme_values fund_values(jf_ownership own, double init_ua)
{
    jf__scheme_values v = {{0}, own};
    v.v[JF__SP_CONTRIBUTION_SHARE] = 0.5;
    v.v[JF__SP_US_STAKE] = 0.5;
    v.v[JF__SP_INITIAL_US] = 100.0;
    v.v[JF__SP_INITIAL_UKRAINE] = init_ua;
    v.v[JF__SP_US_ANNUAL] = 10.0;
    v.v[JF__SP_RETURN_MEAN] = 0.1;
    v.v[JF__SP_RETURN_VOLATILITY] = 0.0;
    v.v[JF__SP_REINVEST_YEARS] = 1.0;
    v.v[JF__SP_PAYOUT_RATE] = 0.1;
    v.v[JF__SP_MANAGEMENT_FEE] = 0.01;
    return v;
}

/* Fixed stake 0.5, N_0 = 100, R = 10%, fee 1%, c = 0.5, US adds 10/yr, Y = 1, π = 10%:
 *   t=1: A = 110, fee 1.1, In = 60, A' = 168.9, no payout (1 > 1 is false), N = 168.9
 *   t=2: A = 185.79, fee 1.8579, In = 110, A' = 293.9321, D = 29.39321, N = 264.53889
 *   t=3: A = 290.992779, fee 2.90992779, In = 160, A' = 448.08285121,
 *        D = 44.808285121, N = 403.274566089
 *   U = 84.45, 146.96605, 238.738030605;  K = 184.45, 396.96605, 688.738030605
 *   us_npv = 0.5·29.39321/1.21 + 0.5·(44.808285121 + 403.274566089)/1.331 = 180.47159361758077
 *   ukraine_npv = 100/1.1 + 164.696605/1.21 + (222.4041425605 + 201.6372830445)/1.331
 *               = 545.6105868557476
 *   us_net_npv = us_npv - 100 - 10/1.1 - 10/1.21 - 10/1.331 = 55.603073707738545 */
static void test_fund_fixed(void **state)
{
    (void)state;
    jf__scheme_values v = fund_values(JF_OWNERSHIP_FIXED, 0.0);
    double inflow[3], nav[3], us[3], ua[3], reached[3];
    jf__scheme_series ser = {inflow, nav, us, ua, reached};
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_joint_fund, &v, 3, E, S, Z, DF, 200.0, &ser, &res);
    assert_rel(inflow[0], 60.0);
    assert_rel(inflow[2], 160.0);
    assert_rel(nav[0], 168.9);
    assert_rel(nav[1], 264.53889);
    assert_rel(nav[2], 403.274566089);
    assert_rel(us[0], 84.45);
    assert_rel(us[1], 146.96605);
    assert_rel(us[2], 238.738030605);
    assert_rel(ua[0], 184.45);
    assert_rel(ua[1], 396.96605);
    assert_rel(ua[2], 688.738030605);
    assert_rel(res.us_value, 238.738030605);
    assert_rel(res.ukraine_value, 688.738030605);
    assert_rel(res.us_npv, 180.47159361758077);
    assert_rel(res.ukraine_npv, 545.6105868557476);
    assert_rel(res.us_net_npv, 55.603073707738545);
    assert_true(res.years_to_target == 3.0);   /* U_2 = 146.97 < 200 <= U_3 */
    assert_true(res.reached_target == 1.0);
    assert_true(reached[0] == 0.0 && reached[1] == 0.0 && reached[2] == 1.0);
    assert_true(isinf(res.years_to_repay));
}

/* Pro rata with initial capital 100 (US) + 50 (Ukraine): capital through t is
 * US 110, 120, 130 and Ukraine 100, 200, 350, so w = 11/21, 3/8, 13/48.
 *   N = 223.35, 317.905335, 455.5790188335 (same rules, N_0 = 150)
 *   U_1 = 11/21·223.35 = 116.99285714285715, U_3 = 150.34159369989584
 *   K_3 = 841.1801311151041, us_npv = 113.94906030232595, ukraine_npv = 660.6970751710023,
 *   us_net_npv = -10.919459607516279 */
static void test_fund_pro_rata(void **state)
{
    (void)state;
    jf__scheme_values v = fund_values(JF_OWNERSHIP_PRO_RATA, 50.0);
    double inflow[3], nav[3], us[3], ua[3], reached[3];
    jf__scheme_series ser = {inflow, nav, us, ua, reached};
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_joint_fund, &v, 3, E, S, Z, DF, 1e9, &ser, &res);
    assert_rel(nav[0], 223.35);
    assert_rel(nav[1], 317.905335);
    assert_rel(nav[2], 455.5790188335);
    assert_rel(us[0], 116.99285714285715);
    assert_rel(us[1], 132.46055625);
    assert_rel(us[2], 150.34159369989584);
    assert_rel(ua[2], 841.1801311151041);
    assert_rel(res.us_npv, 113.94906030232595);
    assert_rel(res.ukraine_npv, 660.6970751710023);
    assert_rel(res.us_net_npv, -10.919459607516279);
    /* Censored: never reaches 1e9. */
    assert_true(isinf(res.years_to_target));
    assert_true(res.reached_target == 0.0);
    assert_true(reached[2] == 0.0);
}

/* The fund return: with σf = 0.2 and z = [1, -0.5, 0], 1+R_t = 1.1·exp(-0.02 + 0.2·z_t).
 * N_0 = 100, nothing else: N_3 = 100·1.1³·exp(-0.06 + 0.2·0.5). */
static void test_fund_return_shock(void **state)
{
    (void)state;
    jf__scheme_values v = {{0}, JF_OWNERSHIP_FIXED};
    v.v[JF__SP_INITIAL_US] = 100.0;
    v.v[JF__SP_US_STAKE] = 0.5;
    v.v[JF__SP_RETURN_MEAN] = 0.1;
    v.v[JF__SP_RETURN_VOLATILITY] = 0.2;
    v.v[JF__SP_REINVEST_YEARS] = 10.0;
    const double zero[3] = {0, 0, 0}, z[3] = {1.0, -0.5, 0.0};
    double nav[3];
    jf__scheme_series ser = {NULL, nav, NULL, NULL, NULL};
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_joint_fund, &v, 3, zero, zero, z, DF, 1e9, &ser, &res);
    assert_rel(nav[0], 110.0 * exp(-0.02 + 0.2));
    assert_rel(nav[2], 100.0 * 1.331 * exp(-0.06 + 0.1));
    assert_rel(res.us_value, 0.5 * nav[2]);
}

/* Repayment: target 100, share 0.5, r = 10%, E = [60, 80, 300], S = [70, 90, 310]:
 *   t=1: due 110, pay 30, B 80;  t=2: due 88, pay 40, B 48;  t=3: due 52.8, pay 52.8, B 0
 *   U = 30, 70, 122.8;  K = 40, 90, 347.2;  years_to_repay = 3
 *   us_npv = 30/1.1 + 40/1.21 + 52.8/1.331; ukraine_npv = 40/1.1 + 50/1.21 + 257.2/1.331 */
static void test_repayment_interest(void **state)
{
    (void)state;
    jf__scheme_values v = {{0}, JF_OWNERSHIP_FIXED};
    v.v[JF__SP_TARGET] = 100.0;
    v.v[JF__SP_SHARE] = 0.5;
    v.v[JF__SP_INTEREST_RATE] = 0.1;
    const double e[3] = {60.0, 80.0, 300.0}, s[3] = {70.0, 90.0, 310.0};
    double inflow[3], out[3], us[3], ua[3], reached[3];
    jf__scheme_series ser = {inflow, out, us, ua, reached};
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_repayment, &v, 3, e, s, NULL, DF, 100.0, &ser, &res);
    assert_rel(inflow[0], 30.0);
    assert_rel(inflow[1], 40.0);
    assert_rel(inflow[2], 52.8);
    assert_rel(out[0], 80.0);
    assert_rel(out[1], 48.0);
    assert_true(out[2] == 0.0);
    assert_rel(us[2], 122.8);
    assert_rel(ua[0], 40.0);
    assert_rel(ua[1], 90.0);
    assert_rel(ua[2], 347.2);
    assert_true(res.years_to_repay == 3.0);
    assert_true(res.years_to_target == 3.0);   /* U_2 = 70 < 100 <= U_3 */
    assert_true(reached[1] == 0.0 && reached[2] == 1.0);
    assert_rel(res.us_npv, 30.0 / 1.1 + 40.0 / 1.21 + 52.8 / 1.331);
    assert_rel(res.us_net_npv, res.us_npv);
    assert_rel(res.ukraine_npv, 40.0 / 1.1 + 50.0 / 1.21 + 257.2 / 1.331);
}

/* Target 1, c·E = 0.3 a year, r = 0: B = 0.7, 0.4, 0.1 (in floating point a
 * hair above), then 0 in year 4 — but the floating-point sum of the payments is
 * 0.9999999999999999 < 1.  Reaching the comparison target (= the repayment
 * target) must agree with years_to_repay: year 4.  With the comparison target
 * above what was paid, it must not be reached. */
static void test_repayment_reaches_its_own_target(void **state)
{
    (void)state;
    jf__scheme_values v = {{0}, JF_OWNERSHIP_FIXED};
    v.v[JF__SP_TARGET] = 1.0;
    v.v[JF__SP_SHARE] = 1.0;
    const double e[6] = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, s[6] = {1, 1, 1, 1, 1, 1};
    const double df[6] = {1, 1, 1, 1, 1, 1};
    double reached[6];
    jf__scheme_series ser = {NULL, NULL, NULL, NULL, reached};
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_repayment, &v, 6, e, s, NULL, df, 1.0, &ser, &res);
    assert_true(res.us_value < 1.0); /* the premise: the float sum falls short */
    assert_true(res.years_to_repay == 4.0);
    assert_true(res.years_to_target == 4.0);
    assert_true(reached[2] == 0.0 && reached[3] == 1.0 && reached[5] == 1.0);
    jf__scheme_simulate(&jf__scheme_repayment, &v, 6, e, s, NULL, df, 1.0 + 1e-9, NULL, &res);
    assert_true(isinf(res.years_to_target));
}

/* Constant c·E = k, r = 0: repaid in ceil(target/k) years (500e9 / 3e9 -> 167),
 * and not repaid (censored) within a shorter horizon. */
static void test_repayment_ceil(void **state)
{
    (void)state;
    enum { T = 200 };
    static double e[T], s[T], df[T];
    for (int i = 0; i < T; i++) {
        e[i] = 6e9;
        s[i] = 6e9;
        df[i] = 1.0;
    }
    jf__scheme_values v = {{0}, JF_OWNERSHIP_FIXED};
    v.v[JF__SP_TARGET] = 500e9;
    v.v[JF__SP_SHARE] = 0.5;
    jf__scheme_result res;
    jf__scheme_simulate(&jf__scheme_repayment, &v, T, e, s, NULL, df, 500e9, NULL, &res);
    assert_true(res.years_to_repay == ceil(500e9 / 3e9));
    assert_true(res.years_to_target == 167.0);
    assert_rel(res.us_value, 500e9);
    jf__scheme_simulate(&jf__scheme_repayment, &v, 166, e, s, NULL, df, 500e9, NULL, &res);
    assert_true(isinf(res.years_to_repay));
    assert_true(isinf(res.years_to_target));
    assert_true(res.reached_target == 0.0);
}

static void test_type_table(void **state)
{
    (void)state;
    assert_ptr_equal(jf__scheme_type_get(JF_SCHEME_JOINT_FUND), &jf__scheme_joint_fund);
    assert_ptr_equal(jf__scheme_type_get(JF_SCHEME_REPAYMENT), &jf__scheme_repayment);
    assert_true(jf__scheme_joint_fund.has_fund_nav && !jf__scheme_joint_fund.has_outstanding);
    assert_true(jf__scheme_repayment.has_outstanding && jf__scheme_repayment.has_years_to_repay);
    assert_string_equal(jf__scheme_param_key(JF__SP_INITIAL_US), "initial_capital.us");
    assert_string_equal(jf__scheme_param_key(JF__SP_RETURN_MEAN), "return.mean");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fund_fixed),
        cmocka_unit_test(test_fund_pro_rata),
        cmocka_unit_test(test_fund_return_shock),
        cmocka_unit_test(test_repayment_interest),
        cmocka_unit_test(test_repayment_ceil),
        cmocka_unit_test(test_repayment_reaches_its_own_target),
        cmocka_unit_test(test_type_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
