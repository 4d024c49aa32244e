/*
 * test_fast_sort.c — jf__sort_f64 (fast_sort.c) against an independent
 * reference: qsort with a comparison on the IEEE total order (sign, then
 * magnitude of the bit pattern), over inputs chosen to hit every branch of
 * the bucket sort: tiny runs (insertion sort), atoms (a bucket whose keys are
 * all equal), a few far outliers (a bucket that must be split again, many
 * levels deep), both signs, ±0, ±INFINITY, subnormals, and large n.  The
 * result must be the reference BYTE FOR BYTE (the contract of fast_sort.h:
 * the sorted array is a function of the multiset of bit patterns).
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
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "test_ranks.h"
#include "fast_sort.h"

/* Sort a copy both ways and compare bytes. */
static void check(const double *x, size_t n)
{
    double *ref = malloc((n ? n : 1) * sizeof *ref);
    double *got = malloc((n ? n : 1) * sizeof *got);
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    assert_non_null(ref);
    assert_non_null(got);
    assert_non_null(tmp);
    memcpy(ref, x, n * sizeof *x);
    memcpy(got, x, n * sizeof *x);
    qsort(ref, n, sizeof *ref, jf_test_cmp_total);
    jf__sort_f64(got, n, tmp);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&ref[i], &got[i], sizeof ref[i]) != 0)
            fail_msg("n=%zu: position %zu is %.17g, want %.17g", n, i, got[i], ref[i]);
    free(ref);
    free(got);
    free(tmp);
}

/* The reference comparison itself, on hand-ordered values. */
static void test_reference_order(void **state)
{
    (void)state;
    const double want[] = {-INFINITY, -1e300, -2.0, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 2.0,
                           1e300, INFINITY};
    const size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i + 1 < n; i++)
        assert_true(jf_test_cmp_total(&want[i], &want[i + 1]) < 0);
    double x[12];
    for (size_t i = 0; i < n; i++)
        x[i] = want[(i * 7) % n]; /* 7 is prime to 12: a permutation */
    double tmp[12];
    jf__sort_f64(x, n, tmp);
    assert_memory_equal(x, want, sizeof want);
}

static void test_small_and_edge(void **state)
{
    (void)state;
    double x[40] = {0};
    check(x, 0);
    x[0] = 3.0;
    check(x, 1);
    for (size_t n = 2; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            x[i] = (double)((i * 37) % 11) - 5.0;
        check(x, n);
    }
    /* Every value equal, and all but one equal. */
    for (size_t i = 0; i < 40; i++)
        x[i] = 7.25;
    check(x, 40);
    x[17] = -7.25;
    check(x, 40);
}

static void test_random_shapes(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, 12345);
    const size_t sizes[] = {33, 64, 100, 1563, 3000, 4096, 20011, 200000};
    double *x = malloc(200000 * sizeof *x);
    assert_non_null(x);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        for (int shape = 0; shape < 7; shape++) {
            for (size_t i = 0; i < n; i++) {
                double z = gsl_ran_gaussian_ziggurat(r, 1.0), u = gsl_rng_uniform(r);
                switch (shape) {
                case 0: x[i] = 400.0 * exp(0.5 * z); break;                  /* lognormal price */
                case 1: x[i] = u < 0.4 ? 0.0 : 1e6 * exp(0.3 * z); break;   /* atom at 0 */
                case 2: x[i] = 1e9 * z; break;                              /* both signs */
                case 3: x[i] = u < 0.5 ? 0.0 : 1.0; break;                  /* a share */
                case 4: x[i] = u < 0.001 ? 1e300 : u < 0.002 ? -1e-300 : z; break; /* outliers */
                case 5: x[i] = u < 0.1 ? INFINITY : u < 0.2 ? -0.0 : u < 0.3 ? 0.0
                             : u < 0.35 ? 5e-324 : floor(10.0 * u); break; /* censored, ±0, ties */
                default: x[i] = 500e9 + (u < 0.5 ? 0.0 : ldexp(z, -20)); break; /* near an atom */
                }
            }
            check(x, n);
        }
    }
    /* Already sorted and reversed. */
    for (size_t i = 0; i < 5000; i++)
        x[i] = (double)i * 0.5;
    check(x, 5000);
    for (size_t i = 0; i < 5000; i++)
        x[i] = -(double)i * 0.5;
    check(x, 5000);
    free(x);
    gsl_rng_free(r);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_order),
        cmocka_unit_test(test_small_and_edge),
        cmocka_unit_test(test_random_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
