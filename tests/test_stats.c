/*
 * test_stats.c — statistics of MODEL.md §7 (stats.c): hand data, censoring,
 * PERCENTILE.INC agreement with GSL, the mergeable moments accumulator, and
 * the selection behind the exact percentiles (select.c) against a full sort
 * (qsort on the IEEE total order) over awkward inputs.
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

#include "test_ranks.h"
#include "select.h"
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
    /* Permuted in place, as documented: still the values 1..10, each once. */
    int seen[11] = {0};
    for (int i = 0; i < 10; i++) {
        assert_true(x[i] >= 1.0 && x[i] <= 10.0 && x[i] == floor(x[i]));
        seen[(int)x[i]]++;
    }
    for (int v = 1; v <= 10; v++)
        assert_int_equal(seen[v], 1);
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
    static double x[N], y[N], z[N], tmp[N];
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
        z[i] = x[i];
    }
    gsl_rng_free(rng);
    jf__sort_doubles(x, N, tmp);
    /* Without scratch (a heapsort on the same keys): the same bits, -0/+0 included. */
    jf__sort_doubles(z, N, NULL);
    assert_memory_equal(x, z, N * sizeof *x);
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

/* ---- Selection instead of a sort: brute-force reference ---------------- */

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The statistics the old full sort gave: sort a copy with qsort, drop the
 * censored tail, read PERCENTILE.INC off the sorted copy; mean and sd in long
 * double (two passes) for the 1e-13 comparison.  `sorted` gets the copy. */
static void ref_stats(const double *x, size_t n, bool censored, double *sorted, jf_stats *out)
{
    memset(out, 0, sizeof *out);
    memcpy(sorted, x, n * sizeof *x);
    qsort(sorted, n, sizeof *sorted, jf_test_cmp_total);
    size_t nf = n;
    if (censored)
        while (nf > 0 && !isfinite(sorted[nf - 1]))
            nf--;
    out->n = nf;
    for (int q = 0; q < JF_N_PCT; q++)
        out->has_pct[q] = jf__percentile_sorted(sorted, n, jf__pct_levels[q], &out->pct[q]);
    if (nf == 0)
        return;
    out->min = sorted[0];
    out->max = sorted[nf - 1];
    out->has_minmax = out->has_mean = true;
    long double sum = 0.0L;
    for (size_t i = 0; i < nf; i++)
        sum += sorted[i];
    long double m = sum / (long double)nf;
    out->mean = out->min == out->max ? out->min : (double)m;
    if (nf >= 2) {
        long double ss = 0.0L;
        for (size_t i = 0; i < nf; i++)
            ss += ((long double)sorted[i] - m) * ((long double)sorted[i] - m);
        out->sd = (double)sqrtl(ss / (long double)(nf - 1));
        out->has_sd = true;
    }
}

/* jf__stats_compute on a copy of x[0..n) against ref_stats: n, min, max and
 * the percentiles bit for bit, mean and sd to 1e-13 relative (exactly for a
 * constant row), and the array afterwards a permutation of the input. */
static void check_stats(const double *x, size_t n, bool censored, bool use_tmp, const char *what)
{
    size_t sz = (n ? n : 1) * sizeof(double);
    double *got = malloc(sz), *sorted = malloc(sz), *after = malloc(sz), *tmp = malloc(sz);
    assert_true(got && sorted && after && tmp);
    memcpy(got, x, n * sizeof *x);
    jf_stats s, r;
    jf__stats_compute(got, n, censored, use_tmp ? tmp : NULL, &s);
    ref_stats(x, n, censored, sorted, &r);

    if (s.n != r.n)
        fail_msg("%s n=%zu: count %llu, want %llu", what, n, (unsigned long long)s.n,
                 (unsigned long long)r.n);
    for (int q = 0; q < JF_N_PCT; q++) {
        if (s.has_pct[q] != r.has_pct[q])
            fail_msg("%s n=%zu: p%02u %s, want %s", what, n, jf__pct_levels[q],
                     s.has_pct[q] ? "present" : "missing", r.has_pct[q] ? "present" : "missing");
        if (r.has_pct[q] && !same_bits(s.pct[q], r.pct[q]))
            fail_msg("%s n=%zu: p%02u = %.17g, want %.17g", what, n, jf__pct_levels[q], s.pct[q],
                     r.pct[q]);
    }
    assert_int_equal(s.has_minmax, r.has_minmax);
    assert_int_equal(s.has_mean, r.has_mean);
    assert_int_equal(s.has_sd, r.has_sd);
    if (r.has_minmax) {
        if (!same_bits(s.min, r.min) || !same_bits(s.max, r.max))
            fail_msg("%s n=%zu: min/max %.17g/%.17g, want %.17g/%.17g", what, n, s.min, s.max,
                     r.min, r.max);
        if (r.min == r.max) {
            assert_true(same_bits(s.mean, r.mean));
            if (r.has_sd)
                assert_true(s.sd == 0.0 && s.se == 0.0);
        } else {
            double scale = fmax(fabs(r.min), fabs(r.max));
            if (!(fabs(s.mean - r.mean) <= 1e-13 * fmax(fabs(r.mean), 1e-3 * scale)))
                fail_msg("%s n=%zu: mean %.17g, want %.17g", what, n, s.mean, r.mean);
            if (r.has_sd && !(fabs(s.sd - r.sd) <= 1e-13 * r.sd))
                fail_msg("%s n=%zu: sd %.17g, want %.17g", what, n, s.sd, r.sd);
        }
    }
    /* x was permuted, nothing else. */
    memcpy(after, got, n * sizeof *got);
    qsort(after, n, sizeof *after, jf_test_cmp_total);
    assert_memory_equal(after, sorted, n * sizeof *after);
    free(got);
    free(sorted);
    free(after);
    free(tmp);
}

enum shape {
    SHAPE_UNIFORM,
    SHAPE_LOGNORMAL,
    SHAPE_TIES,      /* values from {0, 1, 2} */
    SHAPE_CONSTANT,
    SHAPE_ZEROS,     /* -0 and +0 */
    SHAPE_SIGNED,    /* ±0, ±1, ±2.5 */
    SHAPE_SORTED,
    SHAPE_REVERSE,
    SHAPE_ORGAN,     /* 0, 1, ..., n/2, ..., 1, 0 */
    SHAPE_ATOM,      /* 70% zeros, the rest lognormal */
    SHAPE_COUNT
};

static const char *const shape_name[SHAPE_COUNT] = {
    "uniform", "lognormal", "ties{0,1,2}", "constant", "±0", "signed", "sorted", "reverse",
    "organ-pipe", "atom"};

static void fill(double *x, size_t n, enum shape sh, gsl_rng *rng)
{
    static const double signed_vals[] = {-0.0, 0.0, -1.0, 1.0, -2.5, 2.5};
    for (size_t i = 0; i < n; i++) {
        switch (sh) {
        case SHAPE_UNIFORM: x[i] = gsl_rng_uniform(rng) * 100.0 - 30.0; break;
        case SHAPE_LOGNORMAL: x[i] = exp(4.0 * (gsl_rng_uniform(rng) - 0.5)) * 1e9; break;
        case SHAPE_TIES: x[i] = (double)gsl_rng_uniform_int(rng, 3); break;
        case SHAPE_CONSTANT: x[i] = 0.1; break;
        case SHAPE_ZEROS: x[i] = gsl_rng_uniform_int(rng, 2) ? 0.0 : -0.0; break;
        case SHAPE_SIGNED: x[i] = signed_vals[gsl_rng_uniform_int(rng, 6)]; break;
        case SHAPE_SORTED: x[i] = (double)i * 0.5 - 7.0; break;
        case SHAPE_REVERSE: x[i] = (double)(n - i) * 3.0; break;
        case SHAPE_ORGAN: x[i] = (double)(i < n / 2 ? i : n - 1 - i); break;
        case SHAPE_ATOM:
            x[i] = gsl_rng_uniform(rng) < 0.7 ? 0.0 : exp(gsl_rng_uniform(rng) * 3.0);
            break;
        case SHAPE_COUNT: break;
        }
    }
}

/* Replace a share of the values, chosen at random, by INFINITY (censored). */
static void censor(double *x, size_t n, double share, gsl_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        if (gsl_rng_uniform(rng) < share)
            x[i] = INFINITY;
}

/* Rows that are not censored but hold infinities, a NaN, or finite values
 * whose sum overflows: min and max are still the first and last value of
 * the sorted row, bit for bit (a NaN sorts above +INF), with and without
 * scratch, at lengths where the vector lanes and the tail both see them. */
static void test_extremes_of_nonfinite_rows(void **state)
{
    (void)state;
    const size_t lengths[] = {3, 8, 17, 100};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        const size_t n = lengths[li];
        for (int kind = 0; kind < 5; kind++) {
            for (size_t at = 0; at < n; at += n / 3 + 1) {
                double x[100], got[100], sorted[100], tmp[100];
                for (size_t i = 0; i < n; i++)
                    x[i] = kind == 3 ? 1e308 * (i % 2 ? 1.0 : 0.9) : (double)(i % 7) - 2.0;
                switch (kind) {
                case 0: x[at] = INFINITY; break;
                case 1: x[at] = -INFINITY; break;
                case 2: x[at] = NAN; break;
                case 3: x[at] = -0.0; break;          /* and the sum overflows */
                default: x[at] = -INFINITY; x[n - 1 - at] = INFINITY; break;
                }
                for (int with = 0; with < 2; with++) {
                    memcpy(got, x, n * sizeof *x);
                    jf_stats st;
                    jf__stats_compute(got, n, false, with ? tmp : NULL, &st);
                    memcpy(sorted, x, n * sizeof *x);
                    qsort(sorted, n, sizeof *sorted, jf_test_cmp_total);
                    assert_int_equal(st.n, n);
                    assert_true(st.has_minmax);
                    if (!same_bits(st.min, sorted[0]) || !same_bits(st.max, sorted[n - 1]))
                        fail_msg("kind %d, n %zu, at %zu: min/max %g/%g, want %g/%g", kind, n, at,
                                 st.min, st.max, sorted[0], sorted[n - 1]);
                }
            }
        }
    }
}

/* Every shape at sizes 1..64 and then growing by ~1/8 up to 2000, with and
 * without scratch. */
static void test_select_stats_matches_sort(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 2024);
    double *x = malloc(2000 * sizeof *x);
    assert_non_null(x);
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (size_t n = 1; n <= 2000; n += (n < 64 ? 1 : n / 8)) {
            fill(x, n, (enum shape)sh, rng);
            check_stats(x, n, false, n % 2 == 0, shape_name[sh]);
        }
    free(x);
    gsl_rng_free(rng);
}

/* Censored rows: INFINITY at shares from none to all, on several shapes.  The
 * share 0.95 puts the 95th percentile right at the edge of the censored block. */
static void test_select_stats_censored(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 77);
    const double shares[] = {0.0, 0.01, 0.05, 0.3, 0.5, 0.75, 0.94, 0.95, 0.96, 0.99, 1.0};
    const enum shape shapes[] = {SHAPE_UNIFORM, SHAPE_TIES, SHAPE_SORTED, SHAPE_ATOM};
    double *x = malloc(2000 * sizeof *x);
    assert_non_null(x);
    for (size_t a = 0; a < sizeof shares / sizeof shares[0]; a++)
        for (size_t b = 0; b < sizeof shapes / sizeof shapes[0]; b++)
            for (size_t n = 1; n <= 2000; n += (n < 40 ? 1 : n / 4)) {
                fill(x, n, shapes[b], rng);
                censor(x, n, shares[a], rng);
                check_stats(x, n, true, n % 2 == 1, shape_name[shapes[b]]);
            }
    /* Exactly the last k of 101 censored, sorted and reversed: with n = 101 the
     * levels sit exactly on x[5], x[25], x[50], x[75], x[95] (no interpolation). */
    for (size_t k = 0; k <= 101; k++) {
        double y[101];
        for (size_t i = 0; i < 101; i++)
            y[i] = i + k >= 101 ? INFINITY : (double)i;
        check_stats(y, 101, true, false, "censored tail");
        for (size_t i = 0; i < 50; i++) {
            double t = y[i];
            y[i] = y[100 - i];
            y[100 - i] = t;
        }
        check_stats(y, 101, true, true, "censored head");
    }
    free(x);
    gsl_rng_free(rng);
}

/* Not expected from the model, but kept as the full sort had it: in a
 * censored row -INFINITY counts as reached (it sorts first, the censored
 * tail is what is stripped), except that a row without one finite value has
 * n = 0, because the sorted array's whole tail was then non-finite. */
static void test_censored_negative_infinity(void **state)
{
    (void)state;
    double a[3] = {INFINITY, -INFINITY, INFINITY};
    jf_stats s;
    jf__stats_compute(a, 3, true, NULL, &s);
    assert_int_equal(s.n, 0);
    assert_false(s.has_mean || s.has_minmax || s.has_sd);

    double b[4] = {INFINITY, -INFINITY, 2.0, INFINITY};
    jf__stats_compute(b, 4, true, NULL, &s);
    assert_int_equal(s.n, 2);
    assert_true(s.has_minmax && s.min == -INFINITY && s.max == 2.0);
    /* Sorted: -INF, 2, INF, INF; p25 h = 0.75 weighs x[0] = -INF -> missing;
     * p50 h = 1.5 weighs x[2] (censored) -> missing. */
    assert_false(s.has_pct[1] || s.has_pct[2]);
}

/* 100,000 values of every shape, and a censored uniform row. */
static void test_select_stats_large(void **state)
{
    (void)state;
    enum { N = 100000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 31337);
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    for (int sh = 0; sh < SHAPE_COUNT; sh++) {
        fill(x, N, (enum shape)sh, rng);
        check_stats(x, N, false, sh % 2 == 0, shape_name[sh]);
    }
    fill(x, N, SHAPE_UNIFORM, rng);
    censor(x, N, 0.3, rng);
    check_stats(x, N, true, true, "censored 30%");
    free(x);
    gsl_rng_free(rng);
}

/* jf__select_f64 directly: for a random set of ranks, each x[r] is the sorted
 * copy's value bit for bit and splits the array (nothing after it orders
 * before it, nothing before it after it) — also when the depth budget is
 * small or zero, which forces the fallback sort (with scratch: jf__sort_f64;
 * without: heapsort), on every shape. */
static void test_select_ranks_and_fallback(void **state)
{
    (void)state;
    enum { N = 3000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 5);
    static double x[N], y[N], sorted[N], tmp[N];
    size_t ranks[16];
    const unsigned depths[] = {0, 1, 2, 3, 6, 100};
    const size_t sizes[] = {2, 25, 26, 100, 513, 1000, N};
    for (int sh = 0; sh < SHAPE_COUNT; sh++)
        for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++) {
            size_t n = sizes[a];
            fill(x, n, (enum shape)sh, rng);
            if (sh == SHAPE_UNIFORM)
                censor(x, n, 0.2, rng);
            memcpy(sorted, x, n * sizeof *x);
            qsort(sorted, n, sizeof *sorted, jf_test_cmp_total);
            for (size_t d = 0; d <= sizeof depths / sizeof depths[0]; d++) {
                /* Up to 16 distinct random ranks, ascending; sometimes 0 and n-1. */
                size_t m = 0;
                for (size_t r = 0; r < n && m < 16; r++)
                    if (gsl_rng_uniform(rng) < 16.0 / (double)n || (d == 1 && (r == 0 || r == n - 1)))
                        ranks[m++] = r;
                memcpy(y, x, n * sizeof *x);
                double *scratch = (d + a) % 2 ? tmp : NULL;
                if (d < sizeof depths / sizeof depths[0])
                    jf__select_f64_depth(y, n, ranks, m, scratch, depths[d]);
                else
                    jf__select_f64(y, n, ranks, m, scratch);
                for (size_t k = 0; k < m; k++) {
                    size_t r = ranks[k];
                    if (!same_bits(y[r], sorted[r]))
                        fail_msg("%s n=%zu depth#%zu: x[%zu] = %.17g, want %.17g",
                                 shape_name[sh], n, d, r, y[r], sorted[r]);
                    for (size_t i = 0; i < r; i++)
                        assert_true(jf_test_cmp_total(&y[i], &y[r]) <= 0);
                    for (size_t i = r + 1; i < n; i++)
                        assert_true(jf_test_cmp_total(&y[i], &y[r]) >= 0);
                }
                if (d == 0 && m > 0) /* budget 0: sorted whole */
                    assert_memory_equal(y, sorted, n * sizeof *y);
                qsort(y, n, sizeof *y, jf_test_cmp_total);
                assert_memory_equal(y, sorted, n * sizeof *y); /* a permutation */
            }
        }
    gsl_rng_free(rng);
}

/* The same array gives the same bytes every time (no hidden state), and no
 * ranks leaves the array untouched. */
static void test_select_deterministic(void **state)
{
    (void)state;
    enum { N = 5000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 9);
    static double x[N], a[N], b[N];
    fill(x, N, SHAPE_LOGNORMAL, rng);
    gsl_rng_free(rng);
    const size_t ranks[] = {249, 250, 1249, 2499, 2500, 3749, 4749, 4750};
    memcpy(a, x, sizeof x);
    memcpy(b, x, sizeof x);
    jf__select_f64(a, N, ranks, 8, NULL);
    jf__select_f64(b, N, ranks, 8, NULL);
    assert_memory_equal(a, b, sizeof a);
    memcpy(a, x, sizeof x);
    jf__select_f64(a, N, ranks, 0, NULL);
    assert_memory_equal(a, x, sizeof a);
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
        cmocka_unit_test(test_select_stats_matches_sort),
        cmocka_unit_test(test_extremes_of_nonfinite_rows),
        cmocka_unit_test(test_select_stats_censored),
        cmocka_unit_test(test_censored_negative_infinity),
        cmocka_unit_test(test_select_stats_large),
        cmocka_unit_test(test_select_ranks_and_fallback),
        cmocka_unit_test(test_select_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
