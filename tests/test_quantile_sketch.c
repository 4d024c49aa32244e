/*
 * test_quantile_sketch.c — the deterministic mergeable quantile sketch
 * (engine/quantile_sketch.c; MODEL.md §7: percentiles within ±0.1 percentile
 * rank, eps = 0.001).
 *
 * Reference: the exact sample sorted with gsl_sort.  For an estimate q of
 * the p-quantile, with h = p·(n-1), the sketch guarantees (see the design note
 * in quantile_sketch.c) that q lies between the exact order statistics of
 * positions floor(h) - E and floor(h) + 1 + E, E the rank-error bound:
 *     #{x <= q} >= floor(h) + 1 - E   and   #{x < q} <= floor(h) + 1 + E.
 * Each check uses E = the sketch's own certified bound, asserted <= eps·n, so
 * the test catches both a wrong summary and a wrong error accounting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "test_ranks.h"
#include "quantile_sketch.h"

#define EPS 0.001
#define MAX_N 10000000u

static const double probs[] = {0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.3, 0.5,
                               0.7, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};
#define N_PROBS (sizeof probs / sizeof probs[0])

/* Assert every estimated percentile of `s` is within its rank bound of the
 * exact sample `sorted`; returns the largest rank miss seen (for reporting). */
static double check_ranks(const jf__sketch *s, const double *sorted, size_t n)
{
    assert_int_equal(jf__sketch_count(s), n);
    uint64_t E = jf__sketch_error_bound(s);
    assert_true((double)E <= EPS * (double)n);
    double est[N_PROBS];
    assert_int_equal(jf__sketch_quantiles(s, probs, N_PROBS, est), 0);
    double worst = 0.0;
    for (size_t i = 0; i < N_PROBS; i++) {
        double h = probs[i] * (double)(n - 1);
        double target = floor(h) + 1.0;
        double leq = (double)jf_test_count_leq(sorted, n, est[i]);
        double less = (double)jf_test_count_less(sorted, n, est[i]);
        if (leq < target - (double)E || less > target + (double)E)
            fail_msg("p=%g: estimate %.17g has ranks [%g, %g], exact position %g, bound %llu", probs[i],
                     est[i], less, leq, target, (unsigned long long)E);
        double miss = leq < target ? target - leq : less > target ? less - target : 0.0;
        if (miss > worst)
            worst = miss;
        /* The single-p entry point agrees with the batch one. */
        assert_true(jf__sketch_quantile(s, probs[i]) == est[i]);
    }
    return worst;
}

static double *sorted_copy(const double *x, size_t n)
{
    double *y = malloc(n * sizeof *y);
    assert_non_null(y);
    memcpy(y, x, n * sizeof *y);
    gsl_sort(y, 1, n);
    return y;
}

/* Feed x in one sketch (in chunks of `chunk`) and check the ranks. */
static void run_sequential(const double *x, size_t n, size_t chunk)
{
    jf__sketch *s = jf__sketch_alloc(EPS, MAX_N);
    assert_non_null(s);
    for (size_t i = 0; i < n; i += chunk)
        assert_int_equal(jf__sketch_add(s, x + i, n - i < chunk ? n - i : chunk), 0);
    double *sorted = sorted_copy(x, n);
    check_ranks(s, sorted, n);
    /* The bound must be doing some work: at this n the sketch compacted. */
    if (n > 2 * jf__sketch_buffer_size(s))
        assert_true(jf__sketch_error_bound(s) > 0);
    free(sorted);
    jf__sketch_free(s);
}

static gsl_rng *make_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* ---- tests ---------------------------------------------------------------- */

/* k for (0.001, 1e7) is 3000 by the bound (L+1)/(4k) <= eps with L = 11,
 * and the memory is (L+2)·k doubles = 312000 bytes plus small change. */
static void test_sizes(void **state)
{
    (void)state;
    jf__sketch *s = jf__sketch_alloc(EPS, MAX_N);
    assert_non_null(s);
    assert_int_equal(jf__sketch_buffer_size(s), 3000);
    size_t bytes = jf__sketch_bytes(EPS, MAX_N);
    assert_true(bytes >= 13u * 3000u * sizeof(double));
    assert_true(bytes < 13u * 3000u * sizeof(double) + 4096);
    jf__sketch_free(s);
    /* 1e6: k = 2250, since L(2250) = floor(log2(444.4)) = 8 and 8 + 1 <= 4·0.001·2250 = 9,
     * while k = 2249 has L = 8 and 9 > 8.996.  Also checked generically. */
    s = jf__sketch_alloc(EPS, 1000000);
    assert_non_null(s);
    size_t k = jf__sketch_buffer_size(s);
    assert_int_equal(k, 2250);
    unsigned L = 0;
    while ((uint64_t)k << (L + 1) <= 1000000u)
        L++;
    assert_true((double)(L + 1) <= 4.0 * EPS * (double)k);
    /* and k - 1 would not satisfy it */
    unsigned L1 = 0;
    while ((uint64_t)(k - 1) << (L1 + 1) <= 1000000u)
        L1++;
    assert_true((double)(L1 + 1) > 4.0 * EPS * (double)(k - 1));
    jf__sketch_free(s);
    /* Tiny max_n: everything is kept, exactly. */
    s = jf__sketch_alloc(EPS, 100);
    assert_non_null(s);
    assert_int_equal(jf__sketch_buffer_size(s), 100);
    jf__sketch_free(s);
    assert_null(jf__sketch_alloc(0.0, 100));
    assert_null(jf__sketch_alloc(EPS, 0));
    assert_null(jf__sketch_alloc(NAN, 100));
    jf__sketch_free(NULL);
}

/* n below k: the summary is the sample itself, so the result equals GSL's
 * exact quantile (same interpolation formula). */
static void test_small_exact(void **state)
{
    (void)state;
    gsl_rng *r = make_rng(11);
    size_t sizes[] = {1, 2, 3, 10, 999, 2999, 3000};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t n = sizes[t];
        double *x = malloc(n * sizeof *x);
        for (size_t i = 0; i < n; i++)
            x[i] = gsl_ran_lognormal(r, 0.0, 2.0) - 1.0;
        jf__sketch *s = jf__sketch_alloc(EPS, MAX_N);
        assert_int_equal(jf__sketch_add(s, x, n), 0);
        assert_int_equal(jf__sketch_error_bound(s), 0);
        gsl_sort(x, 1, n);
        for (size_t i = 0; i < N_PROBS; i++) {
            double ref = gsl_stats_quantile_from_sorted_data(x, 1, n, probs[i]);
            double got = jf__sketch_quantile(s, probs[i]);
            assert_true(fabs(got - ref) <= 4e-16 * fabs(ref));
        }
        jf__sketch_free(s);
        free(x);
    }
    /* Values one ulp apart, shuffled (the sort must order the last mantissa
     * bits too), negative and positive: with n - 1 = 1024 the position of
     * p = j/1024 is exactly j, so each answer is the j-th value exactly. */
    {
        size_t n = 1025;
        double x[1025], sorted[1025];
        for (size_t i = 0; i < n; i++) {
            double base = i < 512 ? -1.0 : 1.0;
            sorted[i] = base + (double)i * 0x1p-52;
        }
        gsl_sort(sorted, 1, n);
        memcpy(x, sorted, sizeof x);
        gsl_ran_shuffle(r, x, n, sizeof x[0]);
        jf__sketch *s = jf__sketch_alloc(EPS, MAX_N);
        assert_int_equal(jf__sketch_add(s, x, n), 0);
        for (size_t j = 0; j < n; j++)
            assert_true(jf__sketch_quantile(s, (double)j / 1024.0) == sorted[j]);
        jf__sketch_free(s);
    }
    /* Hand case: {1, 2, 3, 4}, p = 0.5 -> position 1.5 -> 2.5; p = 0.25 -> 1.75. */
    double v[] = {4, 1, 3, 2};
    jf__sketch *s = jf__sketch_alloc(EPS, 10);
    assert_int_equal(jf__sketch_add(s, v, 4), 0);
    assert_true(jf__sketch_quantile(s, 0.5) == 2.5);
    assert_true(jf__sketch_quantile(s, 0.25) == 1.75);
    assert_true(jf__sketch_quantile(s, 0.0) == 1.0);
    assert_true(jf__sketch_quantile(s, 1.0) == 4.0);
    jf__sketch_free(s);
    gsl_rng_free(r);
}

static void test_empty_and_invalid(void **state)
{
    (void)state;
    jf__sketch *s = jf__sketch_alloc(EPS, 1000);
    assert_true(isnan(jf__sketch_quantile(s, 0.5)));
    assert_int_equal(jf__sketch_count(s), 0);
    double bad[] = {1.0, NAN, 2.0};
    assert_int_equal(jf__sketch_add(s, bad, 3), -2);
    double inf[] = {INFINITY};
    assert_int_equal(jf__sketch_add(s, inf, 1), -2);
    assert_int_equal(jf__sketch_count(s), 0);
    /* -0 and +0 are one value. */
    double z[] = {-0.0, 0.0, -0.0};
    assert_int_equal(jf__sketch_add(s, z, 3), 0);
    assert_false(signbit(jf__sketch_quantile(s, 0.5)));
    jf__sketch *other = jf__sketch_alloc(EPS, MAX_N);
    assert_int_equal(jf__sketch_merge(s, other), -2); /* different k */
    jf__sketch_free(other);
    jf__sketch_free(s);
}

static void test_uniform(void **state)
{
    (void)state;
    size_t n = 2000000;
    gsl_rng *r = make_rng(1);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_rng_uniform(r);
    run_sequential(x, n, 256);
    free(x);
    gsl_rng_free(r);
}

static void test_lognormal_heavy_tail(void **state)
{
    (void)state;
    size_t n = 1234567; /* not a multiple of k */
    gsl_rng *r = make_rng(2);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = 1e9 * gsl_ran_lognormal(r, 0.0, 3.0);
    run_sequential(x, n, 1000);
    free(x);
    gsl_rng_free(r);
}

/* 70% exact zeros, a 10% atom at 500e9 and a continuous rest: the answers on
 * the atoms must be the atoms exactly (a float store would fail here). */
static void test_atoms(void **state)
{
    (void)state;
    size_t n = 1000003;
    gsl_rng *r = make_rng(3);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        x[i] = u < 0.7 ? 0.0 : u < 0.8 ? 500e9 : gsl_ran_exponential(r, 300e9);
    }
    run_sequential(x, n, 4096);
    jf__sketch *s = jf__sketch_alloc(EPS, MAX_N);
    assert_int_equal(jf__sketch_add(s, x, n), 0);
    assert_true(jf__sketch_quantile(s, 0.05) == 0.0);
    assert_true(jf__sketch_quantile(s, 0.5) == 0.0);
    assert_true(jf__sketch_quantile(s, 0.69) == 0.0);
    free(x);
    /* All values equal: every percentile is that value. */
    double *c = malloc(200000 * sizeof *c);
    for (size_t i = 0; i < 200000; i++)
        c[i] = 500e9;
    jf__sketch_clear(s);
    assert_int_equal(jf__sketch_add(s, c, 200000), 0);
    for (size_t i = 0; i < N_PROBS; i++)
        assert_true(jf__sketch_quantile(s, probs[i]) == 500e9);
    free(c);
    jf__sketch_free(s);
    gsl_rng_free(r);
}

/* Sorted and reverse-sorted input: the worst orders for a naive sampler. */
static void test_sorted_inputs(void **state)
{
    (void)state;
    size_t n = 1500001;
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)i * 0.5 - 1000.0;
    run_sequential(x, n, 777);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(n - i);
    run_sequential(x, n, 777);
    /* Sawtooth: repeated ascending runs of length 5000. */
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i % 5000) + 1e-6 * (double)(i / 5000);
    run_sequential(x, n, n);
    free(x);
}

/* Blocks summarised separately then merged in block order (and as a tree)
 * keep the bound, whatever the block size. */
static void test_merge_blocks(void **state)
{
    (void)state;
    size_t n = 1000000;
    gsl_rng *r = make_rng(4);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_lognormal(r, 0.0, 1.0) * (gsl_rng_uniform(r) < 0.3 ? 0.0 : 1.0);
    double *sorted = sorted_copy(x, n);
    size_t blocks[] = {1, 100, 2999, 3000, 6001, 50000, 333333, 700000};
    for (size_t t = 0; t < sizeof blocks / sizeof blocks[0]; t++) {
        size_t B = blocks[t];
        jf__sketch *total = jf__sketch_alloc(EPS, MAX_N);
        jf__sketch *part = jf__sketch_alloc(EPS, MAX_N);
        for (size_t i = 0; i < n; i += B) {
            jf__sketch_clear(part);
            assert_int_equal(jf__sketch_add(part, x + i, n - i < B ? n - i : B), 0);
            assert_int_equal(jf__sketch_merge(total, part), 0);
        }
        check_ranks(total, sorted, n);
        jf__sketch_free(part);
        jf__sketch_free(total);
    }
    /* A balanced tree of 16 leaves, merged pairwise. */
    jf__sketch *leaf[16];
    size_t per = n / 16;
    for (int i = 0; i < 16; i++) {
        leaf[i] = jf__sketch_alloc(EPS, MAX_N);
        size_t len = i == 15 ? n - 15 * per : per;
        assert_int_equal(jf__sketch_add(leaf[i], x + (size_t)i * per, len), 0);
    }
    for (int step = 1; step < 16; step *= 2)
        for (int i = 0; i + step < 16; i += 2 * step)
            assert_int_equal(jf__sketch_merge(leaf[i], leaf[i + step]), 0);
    check_ranks(leaf[0], sorted, n);
    for (int i = 0; i < 16; i++)
        jf__sketch_free(leaf[i]);
    free(sorted);
    free(x);
    gsl_rng_free(r);
}

/* The same sequence (and the same merge calls) gives bit-identical answers;
 * chunking of add calls does not matter. */
static void test_determinism(void **state)
{
    (void)state;
    size_t n = 800000;
    gsl_rng *r = make_rng(5);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_gaussian(r, 1.0);
    jf__sketch *a = jf__sketch_alloc(EPS, MAX_N);
    jf__sketch *b = jf__sketch_alloc(EPS, MAX_N);
    assert_int_equal(jf__sketch_add(a, x, n), 0);
    for (size_t i = 0; i < n; i += 313)
        assert_int_equal(jf__sketch_add(b, x + i, n - i < 313 ? n - i : 313), 0);
    double qa[N_PROBS], qb[N_PROBS];
    assert_int_equal(jf__sketch_quantiles(a, probs, N_PROBS, qa), 0);
    assert_int_equal(jf__sketch_quantiles(b, probs, N_PROBS, qb), 0);
    assert_memory_equal(qa, qb, sizeof qa);
    assert_int_equal(jf__sketch_error_bound(a), jf__sketch_error_bound(b));
    /* A different order of the same values is a different (still valid) summary:
     * swap two halves and check that the answers remain within bound. */
    double *sorted = sorted_copy(x, n);
    jf__sketch_clear(b);
    assert_int_equal(jf__sketch_add(b, x + n / 2, n - n / 2), 0);
    assert_int_equal(jf__sketch_add(b, x, n / 2), 0);
    check_ranks(b, sorted, n);
    free(sorted);
    jf__sketch_free(a);
    jf__sketch_free(b);
    free(x);
    gsl_rng_free(r);
}

/* Past max_n the sketch keeps working (extra buffers) and stays within
 * its certified bound, which then may exceed eps·n. */
static void test_past_max_n(void **state)
{
    (void)state;
    size_t n = 300000;
    gsl_rng *r = make_rng(6);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_rng_uniform(r);
    jf__sketch *s = jf__sketch_alloc(0.01, 10000); /* k = 300ish, sized for 1e4 */
    assert_int_equal(jf__sketch_add(s, x, n), 0);
    double *sorted = sorted_copy(x, n);
    uint64_t E = jf__sketch_error_bound(s);
    for (size_t i = 0; i < N_PROBS; i++) {
        double q = jf__sketch_quantile(s, probs[i]);
        double target = floor(probs[i] * (double)(n - 1)) + 1.0;
        assert_true((double)jf_test_count_leq(sorted, n, q) >= target - (double)E);
        assert_true((double)jf_test_count_less(sorted, n, q) <= target + (double)E);
    }
    free(sorted);
    jf__sketch_free(s);
    free(x);
    gsl_rng_free(r);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_small_exact),
        cmocka_unit_test(test_empty_and_invalid),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_lognormal_heavy_tail),
        cmocka_unit_test(test_atoms),
        cmocka_unit_test(test_sorted_inputs),
        cmocka_unit_test(test_merge_blocks),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_past_max_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
