/*
 * test_path_sim.c — one path of the whole model (engine/path_sim.c, MODEL.md §1–§8).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "path_sim.h"
#include "scenario_fixture.h"

#define NONE ((size_t)-1)

static void assert_rel(double got, double want)
{
    assert_true(fabs(got - want) <= 1e-12 * fabs(want) + 1e-300);
}

static size_t metric(const fx_run_result *r, const char *scheme, const char *name)
{
    size_t i = fx_metric(r, scheme, name);
    assert_true(i != NONE);
    return i;
}

static size_t series(const fx_run_result *r, const char *variable, const char *scope)
{
    size_t i = fx_series(r, variable, scope);
    assert_true(i != NONE);
    return i;
}

/* Sample mean of series s at year t over all paths, and its standard error. */
static void mean_se(const fx_run_result *r, size_t s, int t, double *mean, double *se)
{
    double sum = 0, sum2 = 0, n = (double)r->n;
    for (uint64_t p = 0; p < r->n; p++) {
        double x = fx_a(r, p, s, t);
        sum += x;
        sum2 += x * x;
    }
    *mean = sum / n;
    double var = (sum2 - n * *mean * *mean) / (n - 1);
    *se = sqrt(var > 0 ? var / n : 0);
}

/* ---- catalogue ---- */

/* Rows in output order: schemes (file order; years_to_repay for repayments only),
 * pairs "A vs B", then "-" with kinds in the order mineral, oil, gas; annual
 * rows variable-major. */
static void test_catalogue_order(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 2, 1, 0, 0.05, 0.02);
    assert_non_null(f);
    fx_resource(f, "gasfield", JF_KIND_GAS, JF_PRICE_FIXED, 1.0, 1.0);
    fx_resource(f, "mine", JF_KIND_MINERAL, JF_PRICE_FIXED, 1.0, 1.0);
    fx_fund(f, "fund");
    fx_repayment(f, "repay");
    fx_fund(f, "fund2");
    jf__model *m = NULL;
    jf_error err;
    assert_int_equal(jf__model_alloc(&f->sc, &m, &err), JF_OK);
    const jf__catalogue *c = jf__model_catalogue(m);
    static const char *const want_m[][2] = {
        {"fund", "us_value"}, {"fund", "us_npv"}, {"fund", "us_net_npv"}, {"fund", "ukraine_value"},
        {"fund", "ukraine_npv"}, {"fund", "years_to_target"}, {"fund", "reached_target"},
        {"repay", "us_value"}, {"repay", "us_npv"}, {"repay", "us_net_npv"}, {"repay", "ukraine_value"},
        {"repay", "ukraine_npv"}, {"repay", "years_to_target"}, {"repay", "reached_target"},
        {"repay", "years_to_repay"},
        {"fund2", "us_value"}, {"fund2", "us_npv"}, {"fund2", "us_net_npv"}, {"fund2", "ukraine_value"},
        {"fund2", "ukraine_npv"}, {"fund2", "years_to_target"}, {"fund2", "reached_target"},
        {"fund vs repay", "us_npv_diff"}, {"fund vs repay", "ukraine_npv_diff"},
        {"fund vs repay", "p_a_better_us"}, {"fund vs repay", "p_a_better_ukraine"},
        {"fund vs fund2", "us_npv_diff"}, {"fund vs fund2", "ukraine_npv_diff"},
        {"fund vs fund2", "p_a_better_us"}, {"fund vs fund2", "p_a_better_ukraine"},
        {"repay vs fund2", "us_npv_diff"}, {"repay vs fund2", "ukraine_npv_diff"},
        {"repay vs fund2", "p_a_better_us"}, {"repay vs fund2", "p_a_better_ukraine"},
        {"-", "gross_revenue_npv"}, {"-", "gross_revenue_npv.mineral"}, {"-", "gross_revenue_npv.gas"},
        {"-", "state_proceeds_npv"}, {"-", "state_proceeds_npv.mineral"},
        {"-", "state_proceeds_npv.gas"},
    };
    size_t nm = sizeof want_m / sizeof want_m[0];
    assert_int_equal(c->n_metrics, nm);
    for (size_t i = 0; i < nm; i++) {
        assert_string_equal(c->metrics[i].scheme, want_m[i][0]);
        assert_string_equal(c->metrics[i].metric, want_m[i][1]);
    }
    assert_true(c->metrics[5].unit == JF__UNIT_YEARS && c->metrics[5].censored);
    assert_true(c->metrics[6].unit == JF__UNIT_SHARE && !c->metrics[6].censored);
    assert_true(c->metrics[14].unit == JF__UNIT_YEARS && c->metrics[14].censored);
    assert_true(c->metrics[24].unit == JF__UNIT_SHARE && c->metrics[22].unit == JF__UNIT_USD);
    static const char *const want_s[][2] = {
        {"volume", "gasfield"}, {"volume", "mine"}, {"price", "gasfield"}, {"price", "mine"},
        {"gross_revenue", "gasfield"}, {"gross_revenue", "mine"}, {"gross_revenue", "mineral"},
        {"gross_revenue", "gas"}, {"gross_revenue", "total"},
        {"state_proceeds", "gasfield"}, {"state_proceeds", "mine"}, {"state_proceeds", "mineral"},
        {"state_proceeds", "gas"}, {"state_proceeds", "total"}, {"conflict", "total"},
        {"inflow", "fund"}, {"inflow", "repay"}, {"inflow", "fund2"},
        {"fund_nav", "fund"}, {"fund_nav", "fund2"}, {"outstanding", "repay"},
        {"us_cumulative", "fund"}, {"us_cumulative", "repay"}, {"us_cumulative", "fund2"},
        {"ukraine_cumulative", "fund"}, {"ukraine_cumulative", "repay"}, {"ukraine_cumulative", "fund2"},
        {"reached_target", "fund"}, {"reached_target", "repay"}, {"reached_target", "fund2"},
    };
    size_t ns = sizeof want_s / sizeof want_s[0];
    assert_int_equal(c->n_series, ns);
    for (size_t i = 0; i < ns; i++) {
        assert_string_equal(c->series[i].variable, want_s[i][0]);
        assert_string_equal(c->series[i].scope, want_s[i][1]);
    }
    assert_int_equal(c->start_year, 2026);
    assert_int_equal(c->horizon, 2);
    assert_string_equal(jf__unit_str(JF__UNIT_USD), "USD");
    assert_string_equal(jf__unit_str(JF__UNIT_YEARS), "years");
    assert_string_equal(jf__unit_str(JF__UNIT_SHARE), "share");
    jf__model_free(m);
    jf__model_free(NULL);
    free(f);
}

/* ---- the deterministic 3-year case, worked on paper ----
 *
 * start 2026, T = 3, d = 10%, no inflation.  Resource "ore": capacity 1000,
 * ramp 1, plateau 1, decline 10%  ->  V = 1000·1/2, 1000, 1000·0.9 = 500, 1000, 900.
 * Fixed price 100, growth 10%  ->  P = 110, 121, 133.1;  G = 55000, 121000, 119790.
 * Costs 20/unit + 5000/yr  ->  C = 15000, 25000, 23000.  Royalty 10% = 5500, 12100, 11979.
 * Tax 20% of 34500, 83900, 84811 = 6900, 16780, 16962.2.  Dividends 0.5·0.5 of what
 * is left (27600, 67120, 67848.8) = 6900, 16780, 16962.2.  Fees 1000.
 * S = 20300, 46660, 46903.4 (all eligible).
 *
 * "repay" (target 50000, share 0.5): pay = 10150, 23330, then min(23451.7, 16520) = 16520;
 *   B = 39850, 16520, 0 -> years_to_repay 3; U = 10150, 33480, 50000 (target 20000 at t = 2);
 *   K_3 = 10150 + 23330 + 30383.4 = 63863.4;
 *   us_npv = 10150/1.1 + 23330/1.21 + 16520/1.331; ukraine_npv = 10150/1.1 + 23330/1.21 + 30383.4/1.331.
 * "fund" (c 0.5, stake 0.5, R = 0, Y = 1, π = 0.5):
 *   In = 10150, 23330, 23451.7;  A' = 10150, 33480, 40191.7;  D = 0, 16740, 20095.85;
 *   N = 10150, 16740, 20095.85;  U = 5075, 16740, 28465.85 (target at t = 3);
 *   K_3 = 10150 + 31700 + 33499.625 + 10047.925 = 85397.55  (U_3 + K_3 = ΣS = 113863.4);
 *   us_npv = 8370/1.21 + 20095.85/1.331;
 *   ukraine_npv = 10150/1.1 + 31700/1.21 + 43547.55/1.331.
 * gross_revenue_npv = 50000 + 100000 + 90000 = 240000. */
static jf_fixture *three_year_case(void)
{
    jf_fixture *f = fx_alloc(2026, 3, 1, 42, 0.1, 0.0);
    assert_non_null(f);
    jf_resource *r = fx_resource(f, "ore", JF_KIND_MINERAL, JF_PRICE_FIXED, 100.0, 1000.0);
    r->ramp_years.p[0] = 1;
    r->decline_rate.p[0] = 0.1;
    r->price.growth.p[0] = 0.1;
    r->unit_cost.p[0] = 20;
    r->fixed_cost.p[0] = 5000;
    r->royalty_rate.p[0] = 0.1;
    r->profit_tax_rate.p[0] = 0.2;
    r->state_equity.p[0] = 0.5;
    r->dividend_payout.p[0] = 0.5;
    r->license_fees.p[0] = 1000;
    jf_scheme *fund = fx_fund(f, "fund");
    fund->reinvest_years.p[0] = 1;
    fund->payout_rate.p[0] = 0.5;
    jf_scheme *rep = fx_repayment(f, "repay");
    rep->target.p[0] = 50000;
    f->sc.comparison_target = 20000;
    return f;
}

static void test_three_year_by_hand(void **state)
{
    (void)state;
    jf_fixture *f = three_year_case();
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    const double v[3] = {500, 1000, 900}, S[3] = {20300, 46660, 46903.4};
    for (int t = 1; t <= 3; t++) {
        assert_rel(fx_a(&r, 0, series(&r, "volume", "ore"), t), v[t - 1]);
        assert_rel(fx_a(&r, 0, series(&r, "state_proceeds", "ore"), t), S[t - 1]);
        assert_rel(fx_a(&r, 0, series(&r, "state_proceeds", "total"), t), S[t - 1]);
        assert_true(fx_a(&r, 0, series(&r, "conflict", "total"), t) == 0.0);
    }
    assert_rel(fx_a(&r, 0, series(&r, "price", "ore"), 3), 133.1);
    assert_rel(fx_a(&r, 0, series(&r, "gross_revenue", "mineral"), 3), 119790);
    const double out[3] = {39850, 16520, 0}, nav[3] = {10150, 16740, 20095.85};
    for (int t = 1; t <= 2; t++)
        assert_rel(fx_a(&r, 0, series(&r, "outstanding", "repay"), t), out[t - 1]);
    assert_true(fx_a(&r, 0, series(&r, "outstanding", "repay"), 3) == 0.0);
    for (int t = 1; t <= 3; t++)
        assert_rel(fx_a(&r, 0, series(&r, "fund_nav", "fund"), t), nav[t - 1]);
    assert_rel(fx_a(&r, 0, series(&r, "inflow", "repay"), 3), 16520);
    assert_rel(fx_a(&r, 0, series(&r, "inflow", "fund"), 3), 23451.7);
    assert_rel(fx_a(&r, 0, series(&r, "us_cumulative", "fund"), 2), 16740);
    assert_true(fx_a(&r, 0, series(&r, "reached_target", "repay"), 1) == 0.0);
    assert_true(fx_a(&r, 0, series(&r, "reached_target", "repay"), 2) == 1.0);

    assert_rel(fx_m(&r, 0, metric(&r, "repay", "us_value")), 50000);
    double rep_us = 10150 / 1.1 + 23330 / 1.21 + 16520 / 1.331;
    double rep_ua = 10150 / 1.1 + 23330 / 1.21 + 30383.4 / 1.331;
    assert_rel(fx_m(&r, 0, metric(&r, "repay", "us_npv")), rep_us);
    assert_rel(fx_m(&r, 0, metric(&r, "repay", "us_net_npv")), rep_us);
    assert_rel(fx_m(&r, 0, metric(&r, "repay", "ukraine_value")), 63863.4);
    assert_rel(fx_m(&r, 0, metric(&r, "repay", "ukraine_npv")), rep_ua);
    assert_true(fx_m(&r, 0, metric(&r, "repay", "years_to_repay")) == 3.0);
    assert_true(fx_m(&r, 0, metric(&r, "repay", "years_to_target")) == 2.0);
    assert_true(fx_m(&r, 0, metric(&r, "repay", "reached_target")) == 1.0);

    double fund_us = 8370 / 1.21 + 20095.85 / 1.331;
    double fund_ua = 10150 / 1.1 + 31700 / 1.21 + 43547.55 / 1.331;
    assert_rel(fx_m(&r, 0, metric(&r, "fund", "us_value")), 28465.85);
    assert_rel(fx_m(&r, 0, metric(&r, "fund", "us_npv")), fund_us);
    assert_rel(fx_m(&r, 0, metric(&r, "fund", "us_net_npv")), fund_us);
    assert_rel(fx_m(&r, 0, metric(&r, "fund", "ukraine_value")), 85397.55);
    assert_rel(fx_m(&r, 0, metric(&r, "fund", "ukraine_npv")), fund_ua);
    assert_true(fx_m(&r, 0, metric(&r, "fund", "years_to_target")) == 3.0);

    assert_rel(fx_m(&r, 0, metric(&r, "fund vs repay", "us_npv_diff")), fund_us - rep_us);
    assert_rel(fx_m(&r, 0, metric(&r, "fund vs repay", "ukraine_npv_diff")), fund_ua - rep_ua);
    assert_true(fx_m(&r, 0, metric(&r, "fund vs repay", "p_a_better_us")) == 0.0);
    assert_true(fx_m(&r, 0, metric(&r, "fund vs repay", "p_a_better_ukraine")) == 1.0);

    assert_rel(fx_m(&r, 0, metric(&r, "-", "gross_revenue_npv")), 240000);
    assert_rel(fx_m(&r, 0, metric(&r, "-", "gross_revenue_npv.mineral")), 240000);
    double s_npv = 20300 / 1.1 + 46660 / 1.21 + 46903.4 / 1.331;
    assert_rel(fx_m(&r, 0, metric(&r, "-", "state_proceeds_npv")), s_npv);
    assert_rel(fx_m(&r, 0, metric(&r, "-", "state_proceeds_npv.mineral")), s_npv);
    assert_true(fx_metric(&r, "-", "gross_revenue_npv.oil") == NONE);
    fx_run_free(&r);
    free(f);
}

/* ---- regime ---- */

/* Long-run conflict share p_relapse/(p_end + p_relapse) = 0.1/0.4 = 0.25 at t = 50
 * (the chain forgets its start as 0.6^t), within 4 SE; a regime stuck in
 * conflict scales every year's volume by conflict_output exactly. */
static void test_regime(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    jf_fixture *f = fx_alloc(2026, 50, n, 1, 0.0, 0.0);
    assert_non_null(f);
    fx_regime(f, JF_REGIME_CONFLICT, 0.3, 0.1);
    jf_resource *x = fx_resource(f, "field", JF_KIND_OIL, JF_PRICE_FIXED, 1.0, 10.0);
    x->conflict_output.p[0] = 0.25;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t c = series(&r, "conflict", "total"), vol = series(&r, "volume", "field");
    double mean, se;
    mean_se(&r, c, 50, &mean, &se);
    assert_true(fabs(mean - 0.25) < 4.0 * sqrt(0.25 * 0.75 / (double)n));
    /* Year 1 from conflict: P(still conflict) = 1 - p_end = 0.7. */
    mean_se(&r, c, 1, &mean, &se);
    assert_true(fabs(mean - 0.7) < 4.0 * sqrt(0.7 * 0.3 / (double)n));
    for (uint64_t p = 0; p < 50; p++)
        for (int t = 1; t <= 50; t++)
            assert_true(fx_a(&r, p, vol, t) == (fx_a(&r, p, c, t) == 1.0 ? 2.5 : 10.0));
    fx_run_free(&r);
    free(f);

    f = fx_alloc(2026, 5, 1, 1, 0.0, 0.0);
    assert_non_null(f);
    fx_regime(f, JF_REGIME_CONFLICT, 0.0, 0.0);
    x = fx_resource(f, "field", JF_KIND_OIL, JF_PRICE_FIXED, 1.0, 10.0);
    x->conflict_output.p[0] = 0.25;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    for (int t = 1; t <= 5; t++)
        assert_true(fx_a(&r, 0, series(&r, "volume", "field"), t) == 2.5);
    fx_run_free(&r);
    free(f);
}

/* ---- repayment through the whole model ---- */

/* Royalty 12.5% of 1e6 units at 100 = 1.25e7 a year, share 0.25: k = 3.125e6;
 * target 501e6 is repaid in ceil(501e6/3.125e6) = ceil(160.32) = 161 years. */
static void test_repayment_ceil_full_model(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 200, 1, 0, 0.05, 0.0);
    assert_non_null(f);
    jf_resource *x = fx_resource(f, "mine", JF_KIND_MINERAL, JF_PRICE_FIXED, 100.0, 1e6);
    x->royalty_rate.p[0] = 0.125;
    x->profit_tax_rate.p[0] = 0.0;
    jf_scheme *s = fx_repayment(f, "repay");
    s->target.p[0] = 501e6;
    s->share.p[0] = 0.25;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    assert_true(fx_m(&r, 0, metric(&r, "repay", "years_to_repay")) == ceil(501e6 / 3.125e6));
    assert_true(fx_m(&r, 0, metric(&r, "repay", "years_to_repay")) == 161.0);
    assert_true(isinf(fx_m(&r, 0, metric(&r, "repay", "years_to_target"))));   /* 500e9 never */
    assert_true(fx_m(&r, 0, metric(&r, "repay", "reached_target")) == 0.0);
    fx_run_free(&r);
    free(f);
}

/* ---- production modifiers ---- */

/* success_probability 0.3: share of producing paths within 4 SE; a failed
 * path still reports a price but no volume, revenue or proceeds (fees included). */
static void test_success(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    jf_fixture *f = fx_alloc(2026, 2, n, 9, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *x = fx_resource(f, "mine", JF_KIND_MINERAL, JF_PRICE_GBM, 50.0, 10.0);
    x->success_probability.p[0] = 0.3;
    x->price.volatility.p[0] = 0.1;
    x->license_fees.p[0] = 5.0;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t vol = series(&r, "volume", "mine"), pr = series(&r, "price", "mine"),
           st = series(&r, "state_proceeds", "mine"), g = series(&r, "gross_revenue", "mine");
    long ok = 0;
    for (uint64_t p = 0; p < n; p++) {
        bool producing = fx_a(&r, p, vol, 1) > 0;
        ok += producing;
        assert_true(fx_a(&r, p, pr, 1) > 0);
        assert_true(producing == (fx_a(&r, p, vol, 2) > 0));   /* one draw per path */
        if (!producing)
            assert_true(fx_a(&r, p, st, 2) == 0.0 && fx_a(&r, p, g, 2) == 0.0);
        else
            assert_true(fx_a(&r, p, st, 2) >= 5.0);
    }
    assert_true(fabs((double)ok / (double)n - 0.3) < 4.0 * sqrt(0.21 / (double)n));
    fx_run_free(&r);
    free(f);
}

/* Occupied share 1, liberation 0.2: liberation in year t frees year t, so
 * E[Q_1] = 0.2·C and E[Q_3] = (1 - 0.8³)·C = 0.488·C; volume noise 0.5 on a
 * second resource keeps E[Q_t] = C. */
static void test_occupation_and_noise(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    jf_fixture *f = fx_alloc(2026, 3, n, 13, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *x = fx_resource(f, "occ", JF_KIND_MINERAL, JF_PRICE_FIXED, 1.0, 1.0);
    x->occupied_share.p[0] = 1.0;
    x->liberation_probability.p[0] = 0.2;
    jf_resource *y = fx_resource(f, "noisy", JF_KIND_OIL, JF_PRICE_FIXED, 1.0, 1.0);
    y->volume_noise.p[0] = 0.5;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    double mean, se;
    size_t occ = series(&r, "volume", "occ"), noisy = series(&r, "volume", "noisy");
    mean_se(&r, occ, 1, &mean, &se);
    assert_true(fabs(mean - 0.2) < 4.0 * sqrt(0.2 * 0.8 / (double)n));
    mean_se(&r, occ, 3, &mean, &se);
    assert_true(fabs(mean - 0.488) < 4.0 * sqrt(0.488 * 0.512 / (double)n));
    for (uint64_t p = 0; p < 100; p++)   /* liberation is for good */
        assert_true(fx_a(&r, p, occ, 1) <= fx_a(&r, p, occ, 2) && fx_a(&r, p, occ, 2) <= fx_a(&r, p, occ, 3));
    for (int t = 1; t <= 3; t++) {
        mean_se(&r, noisy, t, &mean, &se);
        assert_true(fabs(mean - 1.0) < 4.0 * sqrt((exp(0.25) - 1.0) / (double)n));
    }
    fx_run_free(&r);
    free(f);
}

/* Start years: first_year 2024 (before start_year 2026) with ramp 4 is at age 3
 * in t = 1: 100·3/5 = 60; first_year 2028 starts at t = 3 (V = 0 before), and
 * licence fees (100) are paid from t = 1 while the fixed cost waits for the start. */
static void test_start_years_and_fees(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 4, 1, 0, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "early", JF_KIND_MINERAL, JF_PRICE_FIXED, 1.0, 100.0);
    a->first_year.p[0] = 2024;
    a->ramp_years.p[0] = 4;
    jf_resource *b = fx_resource(f, "late", JF_KIND_MINERAL, JF_PRICE_FIXED, 10.0, 100.0);
    b->first_year.p[0] = 2028;
    b->license_fees.p[0] = 100;
    b->fixed_cost.p[0] = 50;
    b->profit_tax_rate.p[0] = 0.5;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    assert_rel(fx_a(&r, 0, series(&r, "volume", "early"), 1), 60.0);
    assert_rel(fx_a(&r, 0, series(&r, "volume", "early"), 2), 80.0);
    assert_rel(fx_a(&r, 0, series(&r, "volume", "early"), 3), 100.0);
    size_t lv = series(&r, "volume", "late"), ls = series(&r, "state_proceeds", "late");
    assert_true(fx_a(&r, 0, lv, 2) == 0.0);
    assert_rel(fx_a(&r, 0, lv, 3), 100.0);
    assert_rel(fx_a(&r, 0, ls, 1), 100.0);
    /* t = 3: G = 1000, C = 50, tax 0.5·950 = 475, plus fees 100. */
    assert_rel(fx_a(&r, 0, ls, 3), 575.0);
    fx_run_free(&r);
    free(f);
}

/* The simulation's volume follows V(a) of MODEL.md §3 for real R, L over a long
 * decline (R = 1.5, L = 0.7, d = 5%: ramp 100/2.5 at a = 1, plateau at a = 2,
 * then 100·0.95^(a - 2.2) from a = 3), with a start delay of 2.5 -> 3 years. */
static void test_decline_profile(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 40, 1, 0, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *x = fx_resource(f, "well", JF_KIND_OIL, JF_PRICE_FIXED, 1.0, 100.0);
    x->ramp_years.p[0] = 1.5;
    x->plateau_years.p[0] = 0.7;
    x->decline_rate.p[0] = 0.05;
    x->start_delay.p[0] = 2.5;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    size_t v = series(&r, "volume", "well");
    for (int t = 1; t <= 3; t++)
        assert_true(fx_a(&r, 0, v, t) == 0.0);
    assert_rel(fx_a(&r, 0, v, 4), 40.0);
    assert_rel(fx_a(&r, 0, v, 5), 100.0);
    for (int t = 6; t <= 40; t++)
        assert_rel(fx_a(&r, 0, v, t), 100.0 * pow(0.95, (double)(t - 3) - 2.2));
    fx_run_free(&r);
    free(f);
}

/* Eligible proceeds: scheme on resource 1 only, base = royalty, eligible share 0.5:
 * pay_t = share·0.5·royalty_1 = 1·0.5·(0.1·100·20) = 100. */
static void test_eligible_proceeds(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 2, 1, 0, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "a", JF_KIND_OIL, JF_PRICE_FIXED, 50.0, 100.0);
    a->royalty_rate.p[0] = 0.3;
    jf_resource *b = fx_resource(f, "b", JF_KIND_GAS, JF_PRICE_FIXED, 20.0, 100.0);
    b->royalty_rate.p[0] = 0.1;
    b->eligible_share.p[0] = 0.5;
    b->license_fees.p[0] = 1000;
    jf_scheme *s = fx_repayment(f, "rep");
    s->share.p[0] = 1.0;
    s->base = JF_BASE_ROYALTY;
    const size_t only_b[1] = {1};
    fx_scheme_resources(s, only_b, 1);
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    assert_rel(fx_a(&r, 0, series(&r, "inflow", "rep"), 1), 100.0);
    /* Ukraine keeps all proceeds (eligible or not) minus the payment: S_a + S_b - 100. */
    double Sa = fx_a(&r, 0, series(&r, "state_proceeds", "a"), 1);
    double Sb = fx_a(&r, 0, series(&r, "state_proceeds", "b"), 1);
    assert_rel(fx_a(&r, 0, series(&r, "ukraine_cumulative", "rep"), 1), Sa + Sb - 100.0);
    fx_run_free(&r);
    free(f);
}

/* ---- streams keyed by name (MODEL.md §1) ---- */

static void add_random_resource(jf_fixture *f, const char *name)
{
    jf_resource *x = fx_resource(f, name, JF_KIND_MINERAL, JF_PRICE_GBM, 100.0, 10.0);
    x->capacity = fx_dist(JF_DIST_TRIANGULAR, 5, 10, 20, 0, HUGE_VAL);
    x->start_delay = fx_dist(JF_DIST_UNIFORM, 0, 3, 0, 0, HUGE_VAL);
    x->success_probability.p[0] = 0.8;
    x->volume_noise = fx_dist(JF_DIST_UNIFORM, 0.1, 0.3, 0, 0, HUGE_VAL);
    x->occupied_share.p[0] = 0.5;
    x->liberation_probability.p[0] = 0.3;
    x->price.volatility = fx_dist(JF_DIST_PERT, 0.1, 0.3, 0.6, 0, HUGE_VAL);
    x->price.has_jumps = true;
    x->price.jump_rate.p[0] = 0.3;
    x->price.jump_mean.p[0] = -0.1;
    x->price.jump_sd.p[0] = 0.2;
}

static bool same_series2(const fx_run_result *a, const char *va, const char *scope_a,
                         const fx_run_result *b, const char *scope_b)
{
    size_t sa = series(a, va, scope_a), sb = series(b, va, scope_b);
    for (uint64_t p = 0; p < a->n; p++)
        for (int t = 1; t <= a->T; t++)
            if (memcmp(&a->annual[(p * a->cat->n_series + sa) * (size_t)a->T + (size_t)(t - 1)],
                       &b->annual[(p * b->cat->n_series + sb) * (size_t)b->T + (size_t)(t - 1)],
                       sizeof(double)) != 0)
                return false;
    return true;
}

static bool same_series(const fx_run_result *a, const char *va, const fx_run_result *b,
                        const char *scope)
{
    return same_series2(a, va, scope, b, scope);
}

/* Adding a resource in front and reordering leaves x's volume and price
 * unchanged bit for bit (no correlations); another seed changes them. */
static void test_streams_by_name(void **state)
{
    (void)state;
    const uint64_t n = 200;
    jf_fixture *f1 = fx_alloc(2026, 10, n, 5, 0.05, 0.0), *f2 = fx_alloc(2026, 10, n, 5, 0.05, 0.0),
               *f3 = fx_alloc(2026, 10, n, 6, 0.05, 0.0);
    assert_non_null(f1);
    assert_non_null(f2);
    assert_non_null(f3);
    fx_regime(f1, JF_REGIME_CONFLICT, 0.3, 0.1);
    fx_regime(f2, JF_REGIME_CONFLICT, 0.3, 0.1);
    fx_regime(f3, JF_REGIME_CONFLICT, 0.3, 0.1);
    add_random_resource(f1, "x");
    add_random_resource(f1, "y");
    add_random_resource(f2, "w");
    add_random_resource(f2, "y");
    add_random_resource(f2, "x");
    add_random_resource(f3, "x");
    add_random_resource(f3, "y");
    fx_run_result r1, r2, r3;
    jf_error err;
    assert_int_equal(fx_run(&f1->sc, 0, n, &r1, &err), JF_OK);
    assert_int_equal(fx_run(&f2->sc, 0, n, &r2, &err), JF_OK);
    assert_int_equal(fx_run(&f3->sc, 0, n, &r3, &err), JF_OK);
    assert_true(same_series(&r1, "volume", &r2, "x"));
    assert_true(same_series(&r1, "price", &r2, "x"));
    assert_true(same_series(&r1, "volume", &r2, "y"));
    assert_true(same_series(&r1, "state_proceeds", &r2, "x"));
    assert_true(same_series(&r1, "conflict", &r2, "total"));
    assert_false(same_series(&r1, "price", &r3, "x"));
    assert_false(same_series(&r1, "volume", &r3, "x"));
    assert_false(same_series2(&r1, "price", "x", &r1, "y"));   /* x and y have their own streams */
    fx_run_free(&r1);
    fx_run_free(&r2);
    fx_run_free(&r3);
    free(f1);
    free(f2);
    free(f3);
}

/* Path p re-run alone (fresh model and workspace) gives identical bytes. */
static void test_path_rerun_alone(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 12, 10, 77, 0.05, 0.02);
    assert_non_null(f);
    fx_regime(f, JF_REGIME_PEACE, 0.4, 0.2);
    add_random_resource(f, "x");
    add_random_resource(f, "y");
    fx_correlate(f, 0, 1, 0.5);
    jf_scheme *fund = fx_fund(f, "fund");
    fund->contribution_share = fx_dist(JF_DIST_UNIFORM, 0.3, 0.7, 0, 0, 1);
    fund->return_volatility.p[0] = 0.1;
    fund->return_mean.p[0] = 0.05;
    fx_repayment(f, "rep");
    fx_run_result all, one;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 10, &all, &err), JF_OK);
    assert_int_equal(fx_run(&f->sc, 7, 1, &one, &err), JF_OK);
    size_t nm = all.cat->n_metrics, na = all.cat->n_series * 12;
    assert_memory_equal(all.metrics + 7 * nm, one.metrics, nm * sizeof(double));
    assert_memory_equal(all.annual + 7 * na, one.annual, na * sizeof(double));
    assert_memory_not_equal(all.annual + 6 * na, one.annual, na * sizeof(double));
    fx_run_free(&all);
    fx_run_free(&one);
    free(f);
}

/* A scheme's drawn parameters and fund shocks do not move when another scheme
 * is added in front of it. */
static void test_scheme_streams_by_name(void **state)
{
    (void)state;
    jf_fixture *f1 = fx_alloc(2026, 8, 50, 3, 0.05, 0.0), *f2 = fx_alloc(2026, 8, 50, 3, 0.05, 0.0);
    assert_non_null(f1);
    assert_non_null(f2);
    add_random_resource(f1, "x");
    add_random_resource(f2, "x");
    jf_scheme *other = fx_fund(f2, "other");
    other->contribution_share = fx_dist(JF_DIST_UNIFORM, 0.1, 0.9, 0, 0, 1);
    other->return_volatility.p[0] = 0.2;
    for (int k = 0; k < 2; k++) {
        jf_scheme *s = fx_fund(k ? f2 : f1, "fund");
        s->contribution_share = fx_dist(JF_DIST_UNIFORM, 0.3, 0.7, 0, 0, 1);
        s->reinvest_years = fx_dist(JF_DIST_DISCRETE, 0, 0, 0, 0, HUGE_VAL);
        s->reinvest_years.dist = JF_DIST_UNIFORM;
        s->reinvest_years.p[0] = 1;
        s->reinvest_years.p[1] = 6;
        s->return_volatility.p[0] = 0.15;
    }
    fx_run_result r1, r2;
    jf_error err;
    assert_int_equal(fx_run(&f1->sc, 0, 50, &r1, &err), JF_OK);
    assert_int_equal(fx_run(&f2->sc, 0, 50, &r2, &err), JF_OK);
    assert_true(same_series(&r1, "fund_nav", &r2, "fund"));
    assert_true(same_series(&r1, "us_cumulative", &r2, "fund"));
    size_t a = metric(&r1, "fund", "us_npv"), b = metric(&r2, "fund", "us_npv");
    for (uint64_t p = 0; p < 50; p++)
        assert_true(fx_m(&r1, p, a) == fx_m(&r2, p, b));
    fx_run_free(&r1);
    fx_run_free(&r2);
    free(f1);
    free(f2);
}

/* ---- errors ---- */

/* ρ = 0.9, 0.9, -0.9 among three resources is not positive definite
 * (det = 1 - 3·0.81 - 2·0.729 < 0): JF_ERR_NOT_PD naming the resources. */
static void test_not_pd(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 2, 1, 0, 0.0, 0.0);
    assert_non_null(f);
    fx_resource(f, "alpha", JF_KIND_OIL, JF_PRICE_GBM, 1.0, 1.0);
    fx_resource(f, "beta", JF_KIND_OIL, JF_PRICE_GBM, 1.0, 1.0);
    fx_resource(f, "gamma", JF_KIND_OIL, JF_PRICE_GBM, 1.0, 1.0);
    fx_resource(f, "delta", JF_KIND_OIL, JF_PRICE_GBM, 1.0, 1.0);
    fx_correlate(f, 0, 1, 0.9);
    fx_correlate(f, 1, 2, 0.9);
    fx_correlate(f, 0, 2, -0.9);
    f->corr[2].loc.line = 17;
    jf__model *m = (jf__model *)(uintptr_t)1;
    jf_error err;
    assert_int_equal(jf__model_alloc(&f->sc, &m, &err), JF_ERR_NOT_PD);
    assert_null(m);
    assert_int_equal(err.status, JF_ERR_NOT_PD);
    assert_non_null(strstr(err.message, "alpha"));
    assert_non_null(strstr(err.message, "beta"));
    assert_non_null(strstr(err.message, "gamma"));
    assert_null(strstr(err.message, "delta"));
    assert_string_equal(err.path, "correlations");
    assert_true(err.line == 17);
    /* A valid matrix compiles. */
    f->corr[2].rho = 0.8;
    assert_int_equal(jf__model_alloc(&f->sc, &m, &err), JF_OK);
    jf__model_free(m);
    free(f);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_order),
        cmocka_unit_test(test_three_year_by_hand),
        cmocka_unit_test(test_regime),
        cmocka_unit_test(test_repayment_ceil_full_model),
        cmocka_unit_test(test_success),
        cmocka_unit_test(test_occupation_and_noise),
        cmocka_unit_test(test_start_years_and_fees),
        cmocka_unit_test(test_decline_profile),
        cmocka_unit_test(test_eligible_proceeds),
        cmocka_unit_test(test_streams_by_name),
        cmocka_unit_test(test_path_rerun_alone),
        cmocka_unit_test(test_scheme_streams_by_name),
        cmocka_unit_test(test_not_pd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
