/*
 * test_stats.c — statistics of MODEL.md §7 (stats.c): hand data, censoring,
 * PERCENTILE.INC agreement with GSL, and the mergeable moments accumulator.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

static void assert_close(double got, double want, double rel)
{
    double tol = rel * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %.3g)", got, want, tol);
}

/* 1..10 in a scrambled order.  By hand: mean 5.5; Σ(x-5.5)² = 82.5, so
 * sd = sqrt(82.5/9) = 3.0276503540974917; PERCENTILE.INC: h = 9p, so
 * p05 = 1 + 0.45 = 1.45, p25 = 3 + 0.25 = 3.25, p50 = 5.5, p75 = 7.75, p95 = 9.55. */
static void test_one_to_ten(void **state)
{
    (void)state;
    double x[10] = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
    jf_stats s;
    jf__stats_compute(x, 10, false, NULL, &s);
    assert_int_equal(s.n, 10);
    assert_true(s.has_mean && s.has_sd && s.has_minmax);
    assert_close(s.mean, 5.5, 1e-15);
    assert_close(s.sd, 3.0276503540974917, 1e-14);
    assert_close(s.se, 3.0276503540974917 / sqrt(10.0), 1e-14);
    const double want[5] = {1.45, 3.25, 5.5, 7.75, 9.55};
    for (int q = 0; q < 5; q++) {
        assert_true(s.has_pct[q]);
        assert_close(s.pct[q], want[q], 1e-15);
    }
    assert_true(s.min == 1.0 && s.max == 10.0);
    /* Sorted in place, as documented. */
    for (int i = 0; i < 10; i++)
        assert_true(x[i] == (double)(i + 1));
}

/* {2,4,4,4,5,5,7,9}: mean 5, Σ(x-5)² = 32, sd = sqrt(32/7). */
static void test_textbook_sd(void **state)
{
    (void)state;
    double x[8] = {9, 4, 2, 5, 4, 7, 4, 5};
    jf_stats s;
    jf__stats_compute(x, 8, false, NULL, &s);
    assert_close(s.mean, 5.0, 1e-15);
    assert_close(s.sd, sqrt(32.0 / 7.0), 1e-14);
}

/* A large offset ruins the naive Σx² - n·mean² formula; deviations -6,-3,3,6
 * give variance 90/3 = 30 exactly. */
static void test_large_offset(void **state)
{
    (void)state;
    double x[4] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    jf_stats s;
    jf__stats_compute(x, 4, false, NULL, &s);
    assert_close(s.mean, 1e9 + 10, 1e-15);
    assert_close(s.sd, sqrt(30.0), 1e-9);

    jf__moments acc;
    jf__moments_init(&acc);
    double y[4] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    jf__moments_add_array(&acc, y, 4);
    jf__moments_stats(&acc, &s);
    assert_close(s.mean, 1e9 + 10, 1e-15);
    assert_close(s.sd, sqrt(30.0), 1e-9);
}

/* One path: sd and se are missing, every percentile is the value. */
static void test_single_value(void **state)
{
    (void)state;
    double x[1] = {-42.5};
    jf_stats s;
    jf__stats_compute(x, 1, false, NULL, &s);
    assert_int_equal(s.n, 1);
    assert_true(s.has_mean && s.mean == -42.5);
    assert_false(s.has_sd);
    assert_true(s.has_minmax && s.min == -42.5 && s.max == -42.5);
    for (int q = 0; q < 5; q++)
        assert_true(s.has_pct[q] && s.pct[q] == -42.5);
}

/* A deterministic scenario gives every path the same value: the figures must
 * come back exactly (a plain Σx/n of 0.1 a thousand times does not). */
static void test_constant_is_exact(void **state)
{
    (void)state;
    enum { N = 1000 };
    double x[N];
    for (int i = 0; i < N; i++)
        x[i] = 0.1;
    jf_stats s;
    jf__stats_compute(x, N, false, NULL, &s);
    assert_true(s.mean == 0.1);
    assert_true(s.has_sd && s.sd == 0.0 && s.se == 0.0);
    for (int q = 0; q < 5; q++)
        assert_true(s.pct[q] == 0.1);

    jf__moments a, b;
    jf__moments_init(&a);
    jf__moments_init(&b);
    jf__moments_add_array(&a, x, 300);
    jf__moments_add_array(&b, x + 300, N - 300);
    jf__moments_merge(&a, &b);
    jf__moments_stats(&a, &s);
    assert_true(s.mean == 0.1 && s.sd == 0.0);
}

/* A share metric: 9 paths of 20000 reached (value 1), the rest 0.  The mean
 * must be the correctly rounded 9/20000 = 0.00045, also from 256-path blocks
 * merged in order; sd = sqrt((9 - 9²/20000)/19999) by hand. */
static void test_share_mean_is_exact(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double x[N];
    for (int i = 0; i < N; i++)
        x[i] = (i % 2222 == 7) ? 1.0 : 0.0; /* i = 7, 2229, ..., 17783: 9 ones */
    jf__moments total;
    jf__moments_init(&total);
    for (size_t p0 = 0; p0 < N; p0 += 256) {
        jf__moments blk;
        jf__moments_init(&blk);
        jf__moments_add_array(&blk, x + p0, (N - p0 < 256) ? N - p0 : 256);
        jf__moments_merge(&total, &blk);
    }
    jf_stats s;
    jf__moments_stats(&total, &s);
    assert_true(s.mean == 9.0 / 20000.0);
    double sd = sqrt((9.0 - 81.0 / 20000.0) / 19999.0);
    assert_close(s.sd, sd, 1e-12);

    /* The same through whole-block accumulators, as the run driver does. */
    jf__moments_init(&total);
    for (size_t p0 = 0; p0 < N; p0 += 256)
        jf__moments_add_block(&total, x + p0, (N - p0 < 256) ? N - p0 : 256);
    jf__moments_stats(&total, &s);
    assert_true(s.mean == 9.0 / 20000.0);
    assert_close(s.sd, sd, 1e-12);

    static double tmp[N];
    jf__stats_compute(x, N, false, tmp, &s);
    assert_true(s.mean == 9.0 / 20000.0);
    assert_close(s.sd, sd, 1e-13);
    assert_true(s.pct[4] == 0.0 && s.max == 1.0);
}

/* Ten paths, two censored (value INFINITY).  n = 8 reached: mean of 1..8 = 4.5,
 * sd = sqrt(42/7) = sqrt(6).  Percentiles over all 10 with the censored last:
 * p05 h=0.45 -> 1.45; p25 h=2.25 -> 3.25; p50 h=4.5 -> 5.5; p75 h=6.75 -> 7.75;
 * p95 h=8.55 touches x[8] = censored -> empty. */
static void test_censored_top(void **state)
{
    (void)state;
    double x[10] = {INFINITY, 8, 1, 7, 2, 6, INFINITY, 3, 5, 4};
    jf_stats s;
    jf__stats_compute(x, 10, true, NULL, &s);
    assert_int_equal(s.n, 8);
    assert_close(s.mean, 4.5, 1e-15);
    assert_close(s.sd, sqrt(6.0), 1e-14);
    assert_close(s.se, sqrt(6.0) / sqrt(8.0), 1e-14);
    assert_true(s.min == 1.0 && s.max == 8.0);
    const double want[4] = {1.45, 3.25, 5.5, 7.75};
    for (int q = 0; q < 4; q++) {
        assert_true(s.has_pct[q]);
        assert_close(s.pct[q], want[q], 1e-15);
    }
    assert_false(s.has_pct[4]);
}

/* 21 paths, the last censored: p95 has h = 20·0.95 = 19 exactly, so only
 * x[19] = 20 counts and the percentile is defined although x[20] is censored. */
static void test_censored_exact_order_statistic(void **state)
{
    (void)state;
    double x[21];
    for (int i = 0; i < 20; i++)
        x[i] = (double)(20 - i);
    x[20] = INFINITY;
    jf_stats s;
    jf__stats_compute(x, 21, true, NULL, &s);
    assert_int_equal(s.n, 20);
    assert_true(s.has_pct[4]);
    assert_true(s.pct[4] == 20.0);
    /* p75: h = 15 -> x[15] = 16. */
    assert_true(s.has_pct[3] && s.pct[3] == 16.0);
}

/* Mostly censored: one path reached.  n = 1, mean = value, sd missing; p05
 * interpolates between x[0] and the censored x[1] with weight 0.45 -> empty. */
static void test_censored_bottom(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = INFINITY;
    x[3] = 12.0;
    jf_stats s;
    jf__stats_compute(x, 10, true, NULL, &s);
    assert_int_equal(s.n, 1);
    assert_true(s.has_mean && s.mean == 12.0);
    assert_false(s.has_sd);
    assert_true(s.has_minmax && s.min == 12.0 && s.max == 12.0);
    for (int q = 0; q < 5; q++)
        assert_false(s.has_pct[q]);

    /* Nobody reached it. */
    for (int i = 0; i < 10; i++)
        x[i] = INFINITY;
    jf__stats_compute(x, 10, true, NULL, &s);
    assert_int_equal(s.n, 0);
    assert_false(s.has_mean || s.has_sd || s.has_minmax);
    for (int q = 0; q < 5; q++)
        assert_false(s.has_pct[q]);
}

/* Our integer-h PERCENTILE.INC agrees with GSL's quantile on random samples of many sizes. */
static void test_percentiles_match_gsl(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 12345);
    double *x = malloc(1000 * sizeof *x);
    double *y = malloc(1000 * sizeof *y);
    double *tmp = malloc(1000 * sizeof *tmp);
    assert_non_null(tmp);
    assert_non_null(x);
    assert_non_null(y);
    for (size_t n = 1; n <= 1000; n += (n < 50 ? 1 : 37)) {
        for (size_t i = 0; i < n; i++)
            x[i] = y[i] = gsl_rng_uniform(rng) * 100.0 - 30.0;
        gsl_sort(y, 1, n);
        jf_stats s;
        jf__stats_compute(x, n, false, (n % 2) ? tmp : NULL, &s);
        for (int q = 0; q < 5; q++) {
            double ref = gsl_stats_quantile_from_sorted_data(y, 1, n, jf__pct_levels[q] / 100.0);
            assert_true(s.has_pct[q]);
            assert_close(s.pct[q], ref, 1e-12);
        }
        assert_close(s.mean, gsl_stats_mean(y, 1, n), 1e-12);
        if (n >= 2)
            assert_close(s.sd, gsl_stats_sd(y, 1, n), 1e-11);
    }
    free(x);
    free(y);
    free(tmp);
    gsl_rng_free(rng);
}

/* The radix sort gives the same array as gsl_sort on awkward data: signs,
 * zeros of both signs, subnormals, huge values, duplicates and INFINITY. */
static void test_radix_sort(void **state)
{
    (void)state;
    enum { N = 5000 };
    static double x[N], y[N], tmp[N];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 7);
    const double specials[] = {0.0, -0.0, INFINITY, 5e-324, -5e-324, 1e308, -1e308, 1.0, -1.0};
    for (int i = 0; i < N; i++) {
        unsigned long r = gsl_rng_uniform_int(rng, 4);
        if (r == 0)
            x[i] = specials[gsl_rng_uniform_int(rng, sizeof specials / sizeof specials[0])];
        else if (r == 1)
            x[i] = (double)gsl_rng_uniform_int(rng, 10); /* many ties */
        else
            x[i] = (gsl_rng_uniform(rng) - 0.5) * pow(10.0, (double)gsl_rng_uniform_int(rng, 40) - 20.0);
        y[i] = x[i];
    }
    gsl_rng_free(rng);
    jf__sort_doubles(x, N, tmp);
    gsl_sort(y, 1, N);
    for (int i = 0; i < N; i++) {
        assert_true(x[i] == y[i]); /* -0 == +0: the only freedom */
        if (i > 0)
            assert_true(x[i - 1] <= x[i]);
    }
    /* -0 sorts before +0 in the radix sort. */
    for (int i = 1; i < N; i++)
        if (x[i] == 0.0 && x[i - 1] == 0.0)
            assert_false(!signbit(x[i - 1]) && signbit(x[i]));

    /* Constant data: every pass is skipped, the values come back. */
    for (int i = 0; i < N; i++)
        x[i] = -2.5;
    jf__sort_doubles(x, N, tmp);
    for (int i = 0; i < N; i++)
        assert_true(x[i] == -2.5);
}

/* Accumulators merged from any split (and from many blocks, in order) equal the
 * one-pass accumulator to rounding, and agree with the exact-sample statistics. */
static void test_moments_merge(void **state)
{
    (void)state;
    enum { N = 2000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 99);
    double x[N], copy[N];
    for (int i = 0; i < N; i++)
        x[i] = copy[i] = 1e6 + 1000.0 * gsl_rng_uniform(rng) * gsl_rng_uniform(rng);
    gsl_rng_free(rng);

    jf__moments one;
    jf__moments_init(&one);
    jf__moments_add_array(&one, x, N);

    jf_stats exact;
    jf__stats_compute(copy, N, false, NULL, &exact);
    assert_close(jf__moments_mean(&one), exact.mean, 1e-14);
    assert_close(sqrt(one.m2 / (N - 1)), exact.sd, 1e-10);
    assert_true(one.min == exact.min && one.max == exact.max);

    const size_t splits[] = {0, 1, 2, 17, 1000, 1999, 2000};
    for (size_t k = 0; k < sizeof splits / sizeof splits[0]; k++) {
        size_t cut = splits[k];
        jf__moments a, b;
        jf__moments_init(&a);
        jf__moments_init(&b);
        jf__moments_add_array(&a, x, cut);
        jf__moments_add_array(&b, x + cut, N - cut);
        jf__moments_merge(&a, &b);
        assert_int_equal(a.n, N);
        assert_close(jf__moments_mean(&a), jf__moments_mean(&one), 1e-14);
        assert_close(a.m2, one.m2, 1e-10);
        assert_true(a.min == one.min && a.max == one.max);
    }

    /* Whole-block accumulators of 13 values, in order. */
    jf__moments blocks;
    jf__moments_init(&blocks);
    for (size_t p0 = 0; p0 < N; p0 += 13)
        jf__moments_add_block(&blocks, x + p0, (N - p0 < 13) ? N - p0 : 13);
    assert_int_equal(blocks.n, N);
    assert_close(jf__moments_mean(&blocks), jf__moments_mean(&one), 1e-14);
    assert_close(blocks.m2, one.m2, 1e-10);
    assert_true(blocks.min == one.min && blocks.max == one.max);

    /* Blocks of 7 merged in order. */
    jf__moments total;
    jf__moments_init(&total);
    for (size_t p0 = 0; p0 < N; p0 += 7) {
        jf__moments blk;
        jf__moments_init(&blk);
        jf__moments_add_array(&blk, x + p0, (N - p0 < 7) ? N - p0 : 7);
        jf__moments_merge(&total, &blk);
    }
    assert_int_equal(total.n, N);
    assert_close(jf__moments_mean(&total), jf__moments_mean(&one), 1e-14);
    assert_close(total.m2, one.m2, 1e-10);

    /* Merging the empty accumulator changes nothing, bit for bit. */
    jf__moments empty, before = one;
    jf__moments_init(&empty);
    jf__moments_merge(&one, &empty);
    assert_memory_equal(&one, &before, sizeof one);
    jf__moments_merge(&empty, &before);
    assert_memory_equal(&empty, &before, sizeof one);

    jf_stats st;
    jf__moments_stats(&one, &st);
    assert_int_equal(st.n, N);
    for (int q = 0; q < 5; q++)
        assert_false(st.has_pct[q]);
    assert_close(st.se, st.sd / sqrt((double)N), 1e-15);
}

/* An empty accumulator reports n = 0 and nothing else. */
static void test_moments_empty(void **state)
{
    (void)state;
    jf__moments acc;
    jf__moments_init(&acc);
    jf_stats s;
    jf__moments_stats(&acc, &s);
    assert_int_equal(s.n, 0);
    assert_false(s.has_mean || s.has_sd || s.has_minmax);
    jf__moments_add(&acc, 3.0);
    jf__moments_stats(&acc, &s);
    assert_true(s.has_mean && s.mean == 3.0 && !s.has_sd);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_to_ten),
        cmocka_unit_test(test_textbook_sd),
        cmocka_unit_test(test_large_offset),
        cmocka_unit_test(test_single_value),
        cmocka_unit_test(test_constant_is_exact),
        cmocka_unit_test(test_share_mean_is_exact),
        cmocka_unit_test(test_censored_top),
        cmocka_unit_test(test_censored_exact_order_statistic),
        cmocka_unit_test(test_censored_bottom),
        cmocka_unit_test(test_percentiles_match_gsl),
        cmocka_unit_test(test_radix_sort),
        cmocka_unit_test(test_moments_merge),
        cmocka_unit_test(test_moments_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
