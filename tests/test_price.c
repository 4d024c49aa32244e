/*
 * test_price.c — price models (engine/price.c) and the price paths and
 * correlated shocks of the simulation (engine/path_sim.c), MODEL.md §4, §8.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "path_sim.h"
#include "price.h"
#include "scenario_fixture.h"

static void assert_rel(double got, double want, double tol)
{
    assert_true(fabs(got - want) <= tol * fabs(want) + 1e-300);
}

/* ---- one step, by hand ---- */

/* fixed: 100·1.05³ = 115.7625. */
static void test_fixed_closed_form(void **state)
{
    (void)state;
    jf__price_params pp;
    jf__price_params_set(&pp, JF_PRICE_FIXED, 100.0, 0.05, 0, 0, 0, 0, false, 0, 0, 0);
    assert_rel(jf__price_fixed(&pp, 3), 115.7625, 1e-13);
    assert_rel(jf__price_fixed(&pp, 0), 100.0, 0);
}

/* gbm, μ = 0.05, σ = 0.2, z = 1.5: x = x_0 + 0.05 - 0.02 + 0.3 = x_0 + 0.33. */
static void test_gbm_step(void **state)
{
    (void)state;
    jf__price_params pp;
    jf__price_params_set(&pp, JF_PRICE_GBM, 100.0, 0, 0.05, 0.2, 0, 0, false, 0, 0, 0);
    double x0 = log(100.0);
    assert_rel(jf__price_log_step(&pp, x0, 1.5, 0.0) - x0, 0.33, 1e-12);
    assert_rel(jf__price_log_step(&pp, x0, 0.0, 0.25) - x0, 0.28, 1e-12);
}

/* mean_reverting κ = 0.5, σ = 0.3, long_run 50, x_0 = ln 80, z = -1:
 * x = ln80·e^{-0.5} + (1-e^{-0.5})·ln50 - 0.3·sqrt((1-e^{-1})/1). */
static void test_mr_step(void **state)
{
    (void)state;
    jf__price_params pp;
    jf__price_params_set(&pp, JF_PRICE_MEAN_REVERTING, 80.0, 0, 0, 0.3, 50.0, 0.5, false, 0, 0, 0);
    double e = 0.6065306597126334;   /* e^{-0.5} */
    double want = log(80.0) * e + (1.0 - e) * log(50.0) - 0.3 * sqrt(1.0 - e * e);
    assert_rel(jf__price_log_step(&pp, log(80.0), -1.0, 0.0), want, 1e-13);
}

/* Jump term n·μJ + sqrt(n)·σJ·ε: n = 2, μJ = -0.1, σJ = 0.2, ε = 0.5 -> -0.2 + 0.1·sqrt(2). */
static void test_jump_term(void **state)
{
    (void)state;
    jf__price_params pp;
    jf__price_params_set(&pp, JF_PRICE_GBM, 1.0, 0, 0, 0, 0, 0, true, 1.0, -0.1, 0.2);
    assert_rel(jf__price_jump(&pp, 2, 0.5), -0.2 + 0.1 * sqrt(2.0), 1e-14);
    assert_true(jf__price_jump(&pp, 0, 3.0) == 0.0);
    /* Jumps on a fixed price are ignored (the loader refuses them). */
    jf__price_params_set(&pp, JF_PRICE_FIXED, 1.0, 0, 0, 0, 0, 0, true, 1.0, -0.1, 0.2);
    assert_false(pp.has_jumps);
}

/* ---- price paths in the simulation ---- */

/* Deterministic paths: fixed 100·1.05^t; gbm σ = 0: 50·e^{0.03t};
 * mean_reverting σ = 0 with half-life 3 from 400 towards 100: the log gap
 * halves every 3 years, so P_3 = 100·e^{ln4/2} = 200, P_6 = 100·e^{ln4/4} = 100·sqrt(2). */
static void test_deterministic_paths(void **state)
{
    (void)state;
    jf_fixture *f = fx_alloc(2026, 6, 1, 1, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "fixedp", JF_KIND_OIL, JF_PRICE_FIXED, 100.0, 1.0);
    a->price.growth.p[0] = 0.05;
    jf_resource *b = fx_resource(f, "gbmp", JF_KIND_OIL, JF_PRICE_GBM, 50.0, 1.0);
    b->price.drift.p[0] = 0.03;
    jf_resource *c = fx_resource(f, "mrp", JF_KIND_GAS, JF_PRICE_MEAN_REVERTING, 400.0, 1.0);
    c->price.long_run.p[0] = 100.0;
    c->price.has_half_life = true;
    c->price.half_life.p[0] = 3.0;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, 1, &r, &err), JF_OK);
    size_t pa = fx_series(&r, "price", "fixedp"), pb = fx_series(&r, "price", "gbmp"),
           pc = fx_series(&r, "price", "mrp");
    assert_true(pa != (size_t)-1 && pb != (size_t)-1 && pc != (size_t)-1);
    for (int t = 1; t <= 6; t++) {
        assert_rel(fx_a(&r, 0, pa, t), 100.0 * pow(1.05, t), 1e-13);
        assert_rel(fx_a(&r, 0, pb, t), 50.0 * exp(0.03 * t), 1e-13);
    }
    assert_rel(fx_a(&r, 0, pc, 3), 200.0, 1e-12);
    assert_rel(fx_a(&r, 0, pc, 6), 100.0 * sqrt(2.0), 1e-12);
    fx_run_free(&r);
    free(f);
}

/* gbm: E[P_t] = P_0·e^{μt} (P_0 = 100, μ = 0.05, σ = 0.3, t = 1 and 10), within 4 SE. */
static void test_gbm_mean(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    const double dn = (double)n;
    jf_fixture *f = fx_alloc(2026, 10, n, 20250430, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "lithium", JF_KIND_MINERAL, JF_PRICE_GBM, 100.0, 1.0);
    a->price.drift.p[0] = 0.05;
    a->price.volatility.p[0] = 0.3;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t s = fx_series(&r, "price", "lithium");
    const int years[2] = {1, 10};
    for (int k = 0; k < 2; k++) {
        double sum = 0, sum2 = 0;
        for (uint64_t p = 0; p < n; p++) {
            double x = fx_a(&r, p, s, years[k]);
            sum += x;
            sum2 += x * x;
        }
        double mean = sum / dn, sd = sqrt((sum2 - dn * mean * mean) / (dn - 1));
        assert_true(fabs(mean - 100.0 * exp(0.05 * years[k])) < 4.0 * sd / sqrt((double)n));
    }
    fx_run_free(&r);
    free(f);
}

/* mean_reverting: at t = 40 (κ = 0.5, e^{-20} negligible), ln P ~ N(ln 100, σ²/(2κ) = 0.16);
 * mean and variance within 4 SE (SE of a normal variance ≈ v·sqrt(2/(n-1))). */
static void test_mr_stationary(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    const double dn = (double)n;
    jf_fixture *f = fx_alloc(2026, 40, n, 7, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "gas", JF_KIND_GAS, JF_PRICE_MEAN_REVERTING, 400.0, 1.0);
    a->price.long_run.p[0] = 100.0;
    a->price.reversion.p[0] = 0.5;
    a->price.volatility.p[0] = 0.4;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t s = fx_series(&r, "price", "gas");
    double sum = 0, sum2 = 0;
    for (uint64_t p = 0; p < n; p++) {
        double x = log(fx_a(&r, p, s, 40));
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / dn, var = (sum2 - dn * mean * mean) / (dn - 1), v = 0.16;
    assert_true(fabs(mean - log(100.0)) < 4.0 * sqrt(v / dn));
    assert_true(fabs(var - v) < 4.0 * v * sqrt(2.0 / (dn - 1)));
    fx_run_free(&r);
    free(f);
}

/* Jumps on a gbm with σ = 0, μ = 0: the yearly log change is n·μJ + sqrt(n)·σJ·ε,
 * mean λμJ = 0.05 and variance λ(σJ² + μJ²) = 0.025 (λ = 0.5, μJ = 0.1, σJ = 0.2). */
static void test_jumps(void **state)
{
    (void)state;
    const uint64_t n = 20000;
    const double dn = (double)n;
    jf_fixture *f = fx_alloc(2026, 2, n, 3, 0.0, 0.0);
    assert_non_null(f);
    jf_resource *a = fx_resource(f, "oil", JF_KIND_OIL, JF_PRICE_GBM, 10.0, 1.0);
    a->price.has_jumps = true;
    a->price.jump_rate.p[0] = 0.5;
    a->price.jump_mean.p[0] = 0.1;
    a->price.jump_sd.p[0] = 0.2;
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t s = fx_series(&r, "price", "oil");
    double sum = 0, sum2 = 0;
    long zero = 0;
    for (uint64_t p = 0; p < n; p++) {
        double x = log(fx_a(&r, p, s, 2) / fx_a(&r, p, s, 1));
        sum += x;
        sum2 += x * x;
        zero += fabs(x) < 1e-12;
    }
    double mean = sum / dn, var = (sum2 - dn * mean * mean) / (dn - 1);
    assert_true(fabs(mean - 0.05) < 4.0 * sqrt(0.025 / dn));
    /* P(no jump) = e^{-0.5}. */
    double p0 = exp(-0.5);
    assert_true(fabs((double)zero / dn - p0) < 4.0 * sqrt(p0 * (1 - p0) / dn));
    assert_true(var > 0.02 && var < 0.03);
    fx_run_free(&r);
    free(f);
}

/* Correlated shocks: ρ(a,b) = 0.6, ρ(b,c) = -0.3, ρ(a,c) = 0 (unlisted).  With
 * μ = σ²/2 the log return is σ·z_t; the sample correlation over n paths × T
 * years is within 4·(1-ρ²)/sqrt(N) of ρ.  A fixed-price resource between them
 * (correlated with nothing) changes nothing. */
static void test_correlation(void **state)
{
    (void)state;
    const uint64_t n = 5000;
    const int T = 4;
    jf_fixture *f = fx_alloc(2026, T, n, 99, 0.0, 0.0);
    assert_non_null(f);
    const char *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        jf_resource *x = fx_resource(f, names[i], JF_KIND_MINERAL, JF_PRICE_GBM, 10.0, 1.0);
        x->price.volatility.p[0] = 0.2;
        x->price.drift.p[0] = 0.02;
    }
    fx_resource(f, "flat", JF_KIND_OIL, JF_PRICE_FIXED, 1.0, 1.0);
    fx_correlate(f, 0, 1, 0.6);
    fx_correlate(f, 1, 2, -0.3);
    fx_run_result r;
    jf_error err;
    assert_int_equal(fx_run(&f->sc, 0, n, &r, &err), JF_OK);
    size_t s[3];
    for (int i = 0; i < 3; i++)
        s[i] = fx_series(&r, "price", names[i]);
    const double rho[3][3] = {{1, 0.6, 0}, {0.6, 1, -0.3}, {0, -0.3, 1}};
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++) {
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, N = 0;
            for (uint64_t p = 0; p < n; p++)
                for (int t = 1; t <= T; t++) {
                    double prev_i = t > 1 ? fx_a(&r, p, s[i], t - 1) : 10.0;
                    double prev_j = t > 1 ? fx_a(&r, p, s[j], t - 1) : 10.0;
                    double x = log(fx_a(&r, p, s[i], t) / prev_i);
                    double y = log(fx_a(&r, p, s[j], t) / prev_j);
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    syy += y * y;
                    sxy += x * y;
                    N += 1;
                }
            double c = (sxy - sx * sy / N) / sqrt((sxx - sx * sx / N) * (syy - sy * sy / N));
            double se = (1.0 - rho[i][j] * rho[i][j]) / sqrt(N);
            assert_true(fabs(c - rho[i][j]) < 4.0 * se);
        }
    fx_run_free(&r);
    free(f);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_closed_form),
        cmocka_unit_test(test_gbm_step),
        cmocka_unit_test(test_mr_step),
        cmocka_unit_test(test_jump_term),
        cmocka_unit_test(test_deterministic_paths),
        cmocka_unit_test(test_gbm_mean),
        cmocka_unit_test(test_mr_stationary),
        cmocka_unit_test(test_jumps),
        cmocka_unit_test(test_correlation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
