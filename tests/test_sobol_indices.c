/*
 * test_sobol_indices.c — the Saltelli design and Jansen estimators
 * (engine/sobol_indices.h) on models whose Sobol indices are known in closed form:
 *   - Ishigami, f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³ (a = 7, b = 0.1),
 *     with V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
 *     V3 = 0, V13 = 8b²π⁸/225: S1 = 0.3139, S2 = 0.4424, S3 = 0, ST1 = 0.5576,
 *     ST2 = 0.4424, ST3 = 0.2437 (Saltelli et al. 2010; Ishigami & Homma 1990);
 *   - a linear model y = Σ a_i x_i with independent uniform x_i:
 *     S_i = ST_i = a_i² / Σ a_j²;
 *   - identities that hold exactly for any sample (an input the model ignores
 *     has ST = 0; the only input has S1 = 1).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "sobol_indices.h"

#define PI 3.14159265358979323846

typedef double (*model_fn)(const double *u, size_t k); /* u in [0,1)^k */

static double ishigami(const double *u, size_t k)
{
    (void)k;
    double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1], x3 = -PI + 2 * PI * u[2];
    double s2 = sin(x2);
    return sin(x1) + 7.0 * s2 * s2 + 0.1 * pow(x3, 4) * sin(x1);
}

static double linear_123(const double *u, size_t k)
{
    (void)k;
    return 1.0 * u[0] + 2.0 * u[1] + 3.0 * u[2];
}

static double only_first(const double *u, size_t k)
{
    (void)k;
    return exp(u[0]);
}

static double constant(const double *u, size_t k)
{
    (void)u;
    (void)k;
    return 4.0;
}

/* Run a whole study: design, evaluate, estimate. */
static void study(model_fn f, size_t n, size_t k, jf__saltelli_kind kind, uint64_t seed,
                  unsigned bootstrap, jf__sobol_index *out)
{
    size_t rows = jf__saltelli_size(n, k);
    assert_int_equal(rows, n * (k + 2));
    double *x = malloc(rows * k * sizeof *x);
    double *y = malloc(rows * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(jf__saltelli_design(n, k, kind, seed, x), JF__SOBOL_OK);
    for (size_t j = 0; j < rows; j++)
        y[j] = f(x + j * k, k);
    assert_int_equal(jf__sobol_estimate(n, k, y, bootstrap, 0.95, seed + 1, out, NULL), JF__SOBOL_OK);
    free(x);
    free(y);
}

/* The analytic Ishigami indices from the closed forms, checked against the
 * four-decimal figures of the issue. */
static void ishigami_truth(double s1[3], double st[3])
{
    const double a = 7.0, b = 0.1, p4 = pow(PI, 4), p8 = pow(PI, 8);
    double v = a * a / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
    double v1 = 0.5 * (1 + b * p4 / 5) * (1 + b * p4 / 5), v2 = a * a / 8, v13 = 8 * b * b * p8 / 225;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0.0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
    const double quoted_s1[3] = {0.3139, 0.4424, 0.0}, quoted_st[3] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; i++) {
        assert_true(fabs(s1[i] - quoted_s1[i]) < 5e-5);
        assert_true(fabs(st[i] - quoted_st[i]) < 5e-5);
    }
}

static void test_design_layout(void **state)
{
    (void)state;
    const size_t n = 16, k = 3;
    for (int kind = JF__SALTELLI_QUASI; kind <= JF__SALTELLI_RANDOM; kind++) {
        double x[16 * 5 * 3];
        assert_int_equal(jf__saltelli_design(n, k, (jf__saltelli_kind)kind, 7, x), JF__SOBOL_OK);
        const double *a = x, *b = x + n * k;
        for (size_t j = 0; j < n * (k + 2) * k; j++)
            assert_true(x[j] >= 0.0 && x[j] < 1.0);
        for (size_t i = 0; i < k; i++) {
            const double *ab = x + (2 + i) * n * k;
            for (size_t j = 0; j < n; j++)
                for (size_t d = 0; d < k; d++)
                    assert_true(ab[j * k + d] == (d == i ? b[j * k + d] : a[j * k + d]));
        }
        /* A and B are not the same sample. */
        size_t same = 0;
        for (size_t j = 0; j < n * k; j++)
            same += a[j] == b[j];
        assert_true(same < n * k / 2);
    }
    /* The quasi design is GSL's 6-dimensional Sobol sequence: its first point is (0.5, ..., 0.5),
     * the second (0.75, 0.25, 0.75, 0.25, ...): A row 1 = (0.75, 0.25, 0.75), B row 1 = (0.25, 0.75, 0.25). */
    double x[16 * 5 * 3];
    assert_int_equal(jf__saltelli_design(n, k, JF__SALTELLI_QUASI, 0, x), JF__SOBOL_OK);
    for (size_t d = 0; d < k; d++) {
        assert_true(x[d] == 0.5 && x[n * k + d] == 0.5);
    }
    assert_true(x[3] == 0.75 && x[4] == 0.25 && x[5] == 0.75);
    assert_true(x[n * k + 3] == 0.25 && x[n * k + 4] == 0.75 && x[n * k + 5] == 0.25);
    /* The random design depends on the seed, reproducibly. */
    double y1[16 * 5 * 3], y2[16 * 5 * 3], y3[16 * 5 * 3];
    assert_int_equal(jf__saltelli_design(n, k, JF__SALTELLI_RANDOM, 11, y1), JF__SOBOL_OK);
    assert_int_equal(jf__saltelli_design(n, k, JF__SALTELLI_RANDOM, 11, y2), JF__SOBOL_OK);
    assert_int_equal(jf__saltelli_design(n, k, JF__SALTELLI_RANDOM, 12, y3), JF__SOBOL_OK);
    assert_memory_equal(y1, y2, sizeof y1);
    assert_true(y1[0] != y3[0]);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    double x[4 * 23 * 21], y[4 * 23];
    jf__sobol_index out[21];
    assert_int_equal(jf__saltelli_design(1, 2, JF__SALTELLI_QUASI, 0, x), JF__SOBOL_EINVAL);
    assert_int_equal(jf__saltelli_design(4, 0, JF__SALTELLI_QUASI, 0, x), JF__SOBOL_EINVAL);
    assert_int_equal(jf__saltelli_design(4, 21, JF__SALTELLI_QUASI, 0, x), JF__SOBOL_EINVAL);
    assert_int_equal(jf__saltelli_design(4, 21, JF__SALTELLI_RANDOM, 0, x), JF__SOBOL_OK);
    assert_int_equal(jf__saltelli_design(4, 20, JF__SALTELLI_QUASI, 0, x), JF__SOBOL_OK);
    for (size_t j = 0; j < 4 * 23; j++)
        y[j] = (double)j;
    assert_int_equal(jf__sobol_estimate(1, 2, y, 0, 0.95, 0, out, NULL), JF__SOBOL_EINVAL);
    assert_int_equal(jf__sobol_estimate(4, 0, y, 0, 0.95, 0, out, NULL), JF__SOBOL_EINVAL);
    assert_int_equal(jf__sobol_estimate(4, 2, y, 0, 1.0, 0, out, NULL), JF__SOBOL_EINVAL);
    assert_int_equal(jf__sobol_estimate(4, 2, y, 0, 0.0, 0, out, NULL), JF__SOBOL_EINVAL);
    assert_true(jf__saltelli_size(SIZE_MAX / 2, 3) == 0);
}

/* Ishigami, quasi-random design, n = 1024: every analytic index inside its
 * 95% bootstrap interval, and each estimate within 0.05 of the truth (the
 * first-order estimate of x3, which acts only through its interaction with
 * x1, is the noisiest: Jansen's S3 here is about -0.03). */
static void test_ishigami_quasi(void **state)
{
    (void)state;
    double s1[3], st[3];
    ishigami_truth(s1, st);
    jf__sobol_index out[3];
    study(ishigami, 1024, 3, JF__SALTELLI_QUASI, 1, 1000, out);
    for (int i = 0; i < 3; i++) {
        print_message("x%d: S1 %.4f [%.4f, %.4f] (true %.4f)  ST %.4f [%.4f, %.4f] (true %.4f)\n", i + 1,
                      out[i].s1, out[i].s1_lo, out[i].s1_hi, s1[i], out[i].st, out[i].st_lo, out[i].st_hi, st[i]);
        assert_true(out[i].s1_lo <= s1[i] && s1[i] <= out[i].s1_hi);
        assert_true(out[i].st_lo <= st[i] && st[i] <= out[i].st_hi);
        assert_true(out[i].s1_lo <= out[i].s1 && out[i].s1 <= out[i].s1_hi);
        assert_true(fabs(out[i].s1 - s1[i]) < 0.05);
        assert_true(fabs(out[i].st - st[i]) < 0.05);
    }
}

/* Ishigami, pseudo-random design (seed 2025), n = 4096: the analytic indices
 * inside the 95% intervals; these intervals are honest (rows independent). */
static void test_ishigami_random(void **state)
{
    (void)state;
    double s1[3], st[3];
    ishigami_truth(s1, st);
    jf__sobol_index out[3];
    study(ishigami, 4096, 3, JF__SALTELLI_RANDOM, 2025, 1000, out);
    for (int i = 0; i < 3; i++) {
        print_message("x%d: S1 %.4f [%.4f, %.4f] (true %.4f)  ST %.4f [%.4f, %.4f] (true %.4f)\n", i + 1,
                      out[i].s1, out[i].s1_lo, out[i].s1_hi, s1[i], out[i].st, out[i].st_lo, out[i].st_hi, st[i]);
        assert_true(out[i].s1_lo <= s1[i] && s1[i] <= out[i].s1_hi);
        assert_true(out[i].st_lo <= st[i] && st[i] <= out[i].st_hi);
    }
}

/* Interval widths shrink with more samples: n = 8192 against n = 1024 should
 * narrow each interval by about √8 ≈ 2.8 (Monte Carlo rate); we ask for a
 * factor of at least 1.8 on every index, for both designs. */
static void test_ishigami_intervals_shrink(void **state)
{
    (void)state;
    for (int kind = JF__SALTELLI_QUASI; kind <= JF__SALTELLI_RANDOM; kind++) {
        jf__sobol_index small[3], large[3];
        study(ishigami, 1024, 3, (jf__saltelli_kind)kind, 5, 500, small);
        study(ishigami, 8192, 3, (jf__saltelli_kind)kind, 5, 500, large);
        for (int i = 0; i < 3; i++) {
            double w1s = small[i].s1_hi - small[i].s1_lo, w1l = large[i].s1_hi - large[i].s1_lo;
            double wts = small[i].st_hi - small[i].st_lo, wtl = large[i].st_hi - large[i].st_lo;
            print_message("%s x%d: S1 width %.4f -> %.4f, ST width %.4f -> %.4f\n",
                          kind == JF__SALTELLI_QUASI ? "quasi" : "random", i + 1, w1s, w1l, wts, wtl);
            assert_true(w1l > 0.0 && w1l * 1.8 < w1s);
            assert_true(wtl > 0.0 && wtl * 1.8 < wts);
        }
    }
}

/* y = x1 + 2 x2 + 3 x3: S_i = ST_i = a_i²/14 = 1/14, 4/14, 9/14. */
static void test_linear_model(void **state)
{
    (void)state;
    const double truth[3] = {1.0 / 14, 4.0 / 14, 9.0 / 14};
    for (int kind = JF__SALTELLI_QUASI; kind <= JF__SALTELLI_RANDOM; kind++) {
        jf__sobol_index out[3];
        study(linear_123, 4096, 3, (jf__saltelli_kind)kind, 9, 500, out);
        for (int i = 0; i < 3; i++) {
            print_message("linear x%d: S1 %.4f [%.4f, %.4f]  ST %.4f [%.4f, %.4f]  (true %.4f)\n", i + 1,
                          out[i].s1, out[i].s1_lo, out[i].s1_hi, out[i].st, out[i].st_lo, out[i].st_hi, truth[i]);
            assert_true(out[i].s1_lo <= truth[i] && truth[i] <= out[i].s1_hi);
            assert_true(out[i].st_lo <= truth[i] && truth[i] <= out[i].st_hi);
            assert_true(fabs(out[i].s1 - truth[i]) < 0.03);
            assert_true(fabs(out[i].st - truth[i]) < 0.03);
        }
    }
}

/* y = exp(x1) with k = 3: f(B) = f(A_B^(1)) row by row, so S1 = 1 exactly;
 * f(A) = f(A_B^(i)) for i = 2, 3, so ST2 = ST3 = 0 exactly (with zero-width
 * intervals), whatever the sample. */
static void test_exact_identities(void **state)
{
    (void)state;
    jf__sobol_index out[3];
    study(only_first, 64, 3, JF__SALTELLI_RANDOM, 3, 50, out);
    assert_true(out[0].s1 == 1.0 && out[0].s1_lo == 1.0 && out[0].s1_hi == 1.0);
    for (int i = 1; i < 3; i++) {
        assert_true(out[i].st == 0.0 && out[i].st_lo == 0.0 && out[i].st_hi == 0.0);
        assert_true(out[i].s1 < 0.5);  /* ½E[(f_B - f_ABi)²] = V(1 - 0) on average: S ≈ 0 */
    }
    assert_true(out[0].st > 0.5);
}

/* A constant output has no variance: every index and bound is NaN. */
static void test_constant_output(void **state)
{
    (void)state;
    jf__sobol_index out[3];
    study(constant, 32, 3, JF__SALTELLI_QUASI, 0, 20, out);
    for (int i = 0; i < 3; i++)
        assert_true(isnan(out[i].s1) && isnan(out[i].st) && isnan(out[i].s1_lo) && isnan(out[i].st_hi));
}

/* Hand-sized case, n = 2, k = 1: y = (fA; fB; fAB) = (1, 3; 2, 4; 2, 5).
 * mean of {1, 3, 2, 4} = 2.5, V = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25;
 * first: ½·mean[(fB − fAB)²] = ½·(0 + 1)/2 = 0.25 → S1 = (1.25 − 0.25)/1.25 = 0.8;
 * total: ½·mean[(fA − fAB)²] = ½·(1 + 4)/2 = 1.25 → ST = 1.
 * No bootstrap: the bounds are NaN. */
static void test_hand_case(void **state)
{
    (void)state;
    const double y[6] = {1, 3, 2, 4, 2, 5};
    jf__sobol_index out[1];
    jf__sobol_moments mom;
    assert_int_equal(jf__sobol_estimate(2, 1, y, 0, 0.95, 0, out, &mom), JF__SOBOL_OK);
    assert_true(fabs(mom.mean - 2.5) < 1e-15 && fabs(mom.variance - 1.25) < 1e-15);
    assert_true(fabs(out[0].s1 - 0.8) < 1e-15);
    assert_true(fabs(out[0].st - 1.0) < 1e-15);
    assert_true(isnan(out[0].s1_lo) && isnan(out[0].st_hi));
}

/* The bootstrap is reproducible from its seed and changes with it. */
static void test_bootstrap_reproducible(void **state)
{
    (void)state;
    jf__sobol_index a[3], b[3], c[3];
    study(ishigami, 256, 3, JF__SALTELLI_QUASI, 4, 100, a);
    study(ishigami, 256, 3, JF__SALTELLI_QUASI, 4, 100, b);
    study(ishigami, 256, 3, JF__SALTELLI_QUASI, 40, 100, c); /* quasi: same estimates, other resamples */
    assert_memory_equal(a, b, sizeof a);
    assert_true(a[0].s1 == c[0].s1 && a[0].s1_lo != c[0].s1_lo);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_layout),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_hand_case),
        cmocka_unit_test(test_exact_identities),
        cmocka_unit_test(test_constant_output),
        cmocka_unit_test(test_ishigami_quasi),
        cmocka_unit_test(test_ishigami_random),
        cmocka_unit_test(test_ishigami_intervals_shrink),
        cmocka_unit_test(test_linear_model),
        cmocka_unit_test(test_bootstrap_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
