/*
 * test_uncertain.c — distribution forms of uncertain scalars (engine/uncertain.c, MODEL.md §1).
 *
 * Each form is drawn n times; its sample mean must be within 4 standard
 * errors of the closed-form mean (SE from the closed-form sd) and the share
 * of draws below a known quantile within 4 SE of its probability.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "rng.h"
#include "uncertain.h"

#define N_DRAWS 100000

/* Draw n values of `p` from independent streams (one per "path", as the engine does). */
static void check(const jf_param *p, double mean, double sd, double q, double prob_below_q,
                  uint64_t id)
{
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    double sum = 0.0;
    long below = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        jf__rng_key_purpose(r, 11, (uint64_t)i, id, JF__STREAM_PARAM);
        double x = jf__param_draw(p, r);
        sum += x;
        below += x <= q;
    }
    jf__rng_free(r);
    double m = sum / N_DRAWS, share = (double)below / N_DRAWS;
    assert_true(fabs(m - mean) < 4.0 * sd / sqrt(N_DRAWS));
    assert_true(fabs(share - prob_below_q) <
                4.0 * sqrt(prob_below_q * (1.0 - prob_below_q) / N_DRAWS) + 1e-12);
}

static jf_param make(jf_dist_kind dist, double a, double b, double c)
{
    jf_param p = {0};
    p.dist = dist;
    p.p[0] = a;
    p.p[1] = b;
    p.p[2] = c;
    p.lo = -HUGE_VAL;
    p.hi = HUGE_VAL;
    return p;
}

/* normal(3, 2): mean 3, P(X <= 3 + 2·1.2815515655) = 0.9. */
static void test_normal(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_NORMAL, 3.0, 2.0, 0.0);
    check(&p, 3.0, 2.0, 3.0 + 2.0 * 1.2815515655446004, 0.9, 1);
}

/* lognormal(median 2, sigma 0.5): mean 2·e^{0.125}, sd = mean·sqrt(e^{0.25}-1), P(X <= 2) = 0.5. */
static void test_lognormal(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_LOGNORMAL, 2.0, 0.5, 0.0);
    double mean = 2.0 * exp(0.125);
    check(&p, mean, mean * sqrt(exp(0.25) - 1.0), 2.0, 0.5, 2);
}

/* uniform(1, 5): mean 3, sd 4/sqrt(12), P(X <= 2) = 0.25. */
static void test_uniform(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_UNIFORM, 1.0, 5.0, 0.0);
    check(&p, 3.0, 4.0 / sqrt(12.0), 2.0, 0.25, 3);
}

/* triangular(0, 1, 4): mean 5/3, var (0+1+16-0-0-4)/18 = 13/18,
 * P(X <= 2) = 1 - (4-2)²/((4-0)(4-1)) = 2/3, P(X <= 1) = 1/4. */
static void test_triangular(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_TRIANGULAR, 0.0, 1.0, 4.0);
    check(&p, 5.0 / 3.0, sqrt(13.0 / 18.0), 2.0, 2.0 / 3.0, 4);
    check(&p, 5.0 / 3.0, sqrt(13.0 / 18.0), 1.0, 0.25, 5);
}

/* PERT(0, 2, 10): α = 1 + 4·2/10 = 1.8, β = 1 + 4·8/10 = 4.2, mean (0 + 4·2 + 10)/6 = 3,
 * var = 100·αβ/((α+β)²(α+β+1)) = 100·7.56/(36·7); P(X <= 2) = I_{0.2}(1.8, 4.2) (GSL's CDF). */
static void test_pert(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_PERT, 0.0, 2.0, 10.0);
    check(&p, 3.0, sqrt(100.0 * 7.56 / (36.0 * 7.0)), 2.0, gsl_cdf_beta_P(0.2, 1.8, 4.2), 6);
    jf_param same = make(JF_DIST_PERT, 4.0, 4.0, 4.0);
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    assert_true(jf__param_draw(&same, r) == 4.0);
    jf__rng_free(r);
}

/* discrete [0, 2, 5] with [0.4, 0.4, 0.2]: mean 1.8, E[X²] = 1.6 + 5 = 6.6, P(X <= 2) = 0.8. */
static void test_discrete(void **state)
{
    (void)state;
    double values[3] = {0.0, 2.0, 5.0}, probs[3] = {0.4, 0.4, 0.2};
    jf_param p = make(JF_DIST_DISCRETE, 0.0, 0.0, 0.0);
    p.n_values = 3;
    p.values = values;
    p.probs = probs;
    check(&p, 1.8, sqrt(6.6 - 1.8 * 1.8), 2.0, 0.8, 7);
    check(&p, 1.8, sqrt(6.6 - 1.8 * 1.8), 0.0, 0.4, 8);
}

/* bernoulli(0.3): mean 0.3, P(X <= 0) = 0.7. */
static void test_bernoulli(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_BERNOULLI, 0.3, 0.0, 0.0);
    check(&p, 0.3, sqrt(0.21), 0.0, 0.7, 9);
}

/* Clamping to [lo, hi]: normal(0,1) in [-0.5, 0.5] never leaves the range and
 * sits on 0.5 with probability 1 - Φ(0.5) = 0.30853754. */
static void test_clamp(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_NORMAL, 0.0, 1.0, 0.0);
    p.lo = -0.5;
    p.hi = 0.5;
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    long at_hi = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        jf__rng_key_purpose(r, 3, (uint64_t)i, 10, JF__STREAM_PARAM);
        double x = jf__param_draw(&p, r);
        assert_true(x >= -0.5 && x <= 0.5);
        at_hi += x == 0.5;
    }
    jf__rng_free(r);
    double pr = 0.3085375387259869;
    assert_true(fabs((double)at_hi / N_DRAWS - pr) < 4.0 * sqrt(pr * (1 - pr) / N_DRAWS));
    assert_true(jf__clamp(2.0, 0.0, 1.0) == 1.0);
    assert_true(jf__clamp(-2.0, 0.0, 1.0) == 0.0);
    assert_true(jf__clamp(0.25, 0.0, 1.0) == 0.25);
}

/* A fixed parameter returns p[0] and draws nothing from the stream. */
static void test_fixed_draws_nothing(void **state)
{
    (void)state;
    jf_param p = make(JF_DIST_FIXED, 42.0, 0.0, 0.0);
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    jf__rng_key(r, 1, 2, 3);
    uint64_t w0 = jf__rng_u64(r);
    jf__rng_key(r, 1, 2, 3);
    assert_true(jf__param_draw(&p, r) == 42.0);
    assert_false(jf__param_is_random(&p));
    assert_true(jf__rng_u64(r) == w0);
    jf__rng_free(r);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal),     cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_uniform),    cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_pert),       cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_bernoulli),  cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_fixed_draws_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
