/*
 * test_rng.c — Philox streams and their gsl_rng adapter (engine/rng.c, MODEL.md §1).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "rng.h"

/* FNV-1a 64 reference values (from the FNV specification's test suite). */
static void test_fnv1a(void **state)
{
    (void)state;
    assert_true(jf__fnv1a64("") == 0xcbf29ce484222325ull);
    assert_true(jf__fnv1a64("a") == 0xaf63dc4c8601ec8cull);
    assert_true(jf__fnv1a64("foobar") == 0x85944171f73967e8ull);
    assert_true(jf__stream_id("resource", "lithium", "capacity") ==
                jf__fnv1a64("resource/lithium/capacity"));
    assert_true(jf__stream_id("scheme", "fund", "return.mean") == jf__fnv1a64("scheme/fund/return.mean"));
}

/* Key {seed 0, id 0}, counter {path 0, block 0, 0, 0} is Random123's all-zero
 * known-answer vector for philox4x64-10. */
static void test_philox_known_answer(void **state)
{
    (void)state;
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    jf__rng_key(r, 0, 0, 0);
    assert_true(jf__rng_u64(r) == 0x16554d9eca36314cull);
    assert_true(jf__rng_u64(r) == 0xdb20fe9d672d0fdcull);
    assert_true(jf__rng_u64(r) == 0xd7e772cee186176bull);
    assert_true(jf__rng_u64(r) == 0x7e68b68aec7ba23bull);
    jf__rng_free(r);
}

/* Re-keying restarts the stream; seed, path, id and purpose each change it;
 * the fifth word starts block 1. */
static void test_keying(void **state)
{
    (void)state;
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    uint64_t first[6];
    jf__rng_key(r, 7, 3, 99);
    for (int i = 0; i < 6; i++)
        first[i] = jf__rng_u64(r);
    jf__rng_key(r, 7, 3, 99);
    for (int i = 0; i < 6; i++)
        assert_true(jf__rng_u64(r) == first[i]);
    for (int i = 0; i < 4; i++)
        assert_true(first[4] != first[i]);
    jf__rng_key(r, 8, 3, 99);
    assert_true(jf__rng_u64(r) != first[0]);
    jf__rng_key(r, 7, 4, 99);
    assert_true(jf__rng_u64(r) != first[0]);
    jf__rng_key(r, 7, 3, 100);
    assert_true(jf__rng_u64(r) != first[0]);
    jf__rng_key_purpose(r, 7, 3, 99, JF__STREAM_PARAM);
    assert_true(jf__rng_u64(r) != first[0]);
    jf__rng_key_purpose(r, 7, 3, 99, JF__STREAM_SERIES);
    assert_true(jf__rng_u64(r) == first[0]);
    jf__rng_free(r);
}

/* Uniforms lie in (0,1) with mean 1/2 and variance 1/12 (within 4 SE);
 * gsl_rng_get stays within [0, 2^32-1] and gsl_rng_uniform works through the adapter. */
static void test_uniform_moments(void **state)
{
    (void)state;
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    jf__rng_key(r, 1, 0, jf__fnv1a64("test/uniform"));
    const int n = 200000;
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < n; i++) {
        double u = jf__rng_uniform(r);
        assert_true(u > 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    assert_true(fabs(mean - 0.5) < 4.0 * sqrt(1.0 / 12.0 / n));
    /* Var of u^2 is 1/5 - 1/9 = 4/45. */
    assert_true(fabs(var - 1.0 / 12.0) < 4.0 * sqrt(4.0 / 45.0 / n));
    assert_true(gsl_rng_max(r) == 0xFFFFFFFFul);
    double gsum = 0.0;
    for (int i = 0; i < n; i++) {
        unsigned long g = gsl_rng_get(r);
        assert_true(g <= 0xFFFFFFFFul);
        gsum += gsl_rng_uniform(r);
    }
    assert_true(fabs(gsum / n - 0.5) < 4.0 * sqrt(1.0 / 12.0 / n));
    jf__rng_free(r);
}

/* GSL's ziggurat through the adapter: mean 0, variance 1, P(z < 1.6448536) = 0.95. */
/* The bit-to-uniform map stays inside the open interval at both ends:
 * all-zero bits give 2^-54, all-one bits (whose exact value 1 - 2^-54 would
 * round to 1.0) give the largest double below 1. */
static void test_uniform_open_interval(void **state)
{
    (void)state;
    assert_true(jf__u01_from_bits(0) == 0x1.0p-54);
    assert_true(jf__u01_from_bits(UINT64_MAX) < 1.0);
    assert_true(jf__u01_from_bits(UINT64_MAX) == 0x1.fffffffffffffp-1);
    assert_true(jf__u01_from_bits(0xfffffffffffff800ull) < 1.0);
    /* Away from the top the map is the plain (k + 1/2)/2^53. */
    assert_true(jf__u01_from_bits(1ull << 63) == 0.5 + 0x1.0p-54);
}

static void test_gaussian_through_gsl(void **state)
{
    (void)state;
    gsl_rng *r = jf__rng_alloc();
    assert_non_null(r);
    jf__rng_key(r, 2, 5, jf__fnv1a64("test/gauss"));
    const int n = 200000;
    double sum = 0.0, sum2 = 0.0;
    int below = 0;
    for (int i = 0; i < n; i++) {
        double z = gsl_ran_gaussian_ziggurat(r, 1.0);
        sum += z;
        sum2 += z * z;
        below += z < 1.6448536269514722;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    assert_true(fabs(mean) < 4.0 / sqrt(n));
    assert_true(fabs(var - 1.0) < 4.0 * sqrt(2.0 / n));
    assert_true(fabs((double)below / n - 0.95) < 4.0 * sqrt(0.95 * 0.05 / n));
    jf__rng_free(r);
}

/* Streams of neighbouring paths and ids are uncorrelated (|r| < 4/sqrt(n)). */
static void test_streams_uncorrelated(void **state)
{
    (void)state;
    gsl_rng *a = jf__rng_alloc(), *b = jf__rng_alloc();
    assert_non_null(a);
    assert_non_null(b);
    const int n = 100000;
    double sxy = 0.0;
    for (int p = 0; p < n; p++) {
        jf__rng_key(a, 0, (uint64_t)p, 1);
        jf__rng_key(b, 0, (uint64_t)p + 1, 1);
        sxy += (jf__rng_uniform(a) - 0.5) * (jf__rng_uniform(b) - 0.5);
    }
    assert_true(fabs(sxy / n * 12.0) < 4.0 / sqrt(n));
    jf__rng_free(a);
    jf__rng_free(b);
    jf__rng_free(NULL);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a),
        cmocka_unit_test(test_philox_known_answer),
        cmocka_unit_test(test_keying),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_uniform_open_interval),
        cmocka_unit_test(test_gaussian_through_gsl),
        cmocka_unit_test(test_streams_uncorrelated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
