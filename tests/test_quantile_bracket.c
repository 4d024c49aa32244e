/*
 * test_quantile_bracket.c — the pilot + bracketing-histogram percentile
 * estimator (engine/quantile_bracket.c; MODEL.md §7: percentiles exact or
 * within ±0.1 percentile rank, eps = 0.001).
 *
 * Reference: every value kept and sorted with qsort on the IEEE total order
 * of the bit patterns (the order jf__sort_f64 uses).  With h = (n-1)·pct/100
 * kept in hundredths (num = (n-1)·pct, exact), the rank error of an answer v
 * is max(0, h - (#{x <= v} - 1), #{x < v} - h): how far the order statistics
 * v sits between are from position h (the definition in the .c file).  A
 * certified answer must have rank error <= eps·n; an exact one must equal
 * PERCENTILE.INC of the sorted data (jf__percentile_sorted) bit for bit.
 * Random inputs come from a fixed xorshift64* generator, normals by
 * Box–Muller.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quantile_bracket.h"
#include "stats.h"

#define EPS 0.001
#define PILOT 16384u

static const unsigned std_pct[5] = {5, 25, 50, 75, 95};

/* ---- a fixed generator ------------------------------------------------- */

typedef struct {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

/* Uniform in (0, 1). */
static double uniform(rng *r)
{
    return ((double)(next_u64(r) >> 11) + 0.5) * 0x1p-53;
}

static double normal(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double *alloc_values(size_t n)
{
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    return x;
}

/* ---- the reference ----------------------------------------------------- */

/* Total order of the bit patterns: ... < -0 < +0 < ... */
static int cmp_total(const void *pa, const void *pb)
{
    int64_t a, b;
    memcpy(&a, pa, sizeof a);
    memcpy(&b, pb, sizeof b);
    if (a < 0)
        a = INT64_MIN - a - 1;
    if (b < 0)
        b = INT64_MIN - b - 1;
    return (a > b) - (a < b);
}

static double *sorted_copy(const double *x, size_t n)
{
    double *y = alloc_values(n);
    memcpy(y, x, n * sizeof *y);
    qsort(y, n, sizeof *y, cmp_total);
    return y;
}

static size_t count_less(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t count_leq(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Rank error of v at level pct, in hundredths of a rank. */
static uint64_t rank_error100(const double *sorted, size_t n, unsigned pct, double v)
{
    uint64_t num = (uint64_t)(n - 1) * pct;
    uint64_t less = count_less(sorted, n, v), leq = count_leq(sorted, n, v);
    uint64_t err = 0;
    if (leq == 0 || 100 * (leq - 1) < num)
        err = leq == 0 ? num + 100 : num - 100 * (leq - 1);
    if (100 * less > num && 100 * less - num > err)
        err = 100 * less - num;
    return err;
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Feed x in chunks of `chunk` (0: all at once) into a new estimator. */
static jf__qbracket *feed(const double *x, size_t n, const unsigned *pct, size_t n_pct, size_t pilot,
                          size_t chunk)
{
    jf__qbracket *q = jf__qbracket_alloc(pct, n_pct, pilot);
    assert_non_null(q);
    if (chunk == 0)
        chunk = n > 0 ? n : 1;
    for (size_t i = 0; i < n; i += chunk)
        assert_int_equal(jf__qbracket_add(q, x + i, n - i < chunk ? n - i : chunk), 0);
    assert_int_equal(jf__qbracket_count(q), n);
    return q;
}

/* Check every certified answer against the sorted data: rank error at most
 * `tol`·n (tol <= eps).  Returns how many levels were certified. */
static size_t check_certified(jf__qbracket *q, const double *sorted, size_t n, const unsigned *pct,
                              size_t n_pct, double tol, double *out, bool *cert)
{
    assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
    size_t n_cert = 0;
    for (size_t i = 0; i < n_pct; i++) {
        if (!cert[i]) {
            assert_true(isnan(out[i]));
            continue;
        }
        n_cert++;
        uint64_t err = rank_error100(sorted, n, pct[i], out[i]);
        if ((double)err > 100.0 * tol * (double)n)
            fail_msg("pct %u: %.17g has rank error %.2f > %g", pct[i], out[i], (double)err / 100.0,
                     tol * (double)n);
    }
    return n_cert;
}

/* Assert each level is exact: equal to PERCENTILE.INC of the sorted data. */
static void check_exact(jf__qbracket *q, const double *sorted, size_t n, const unsigned *pct,
                        size_t n_pct)
{
    double out[16];
    bool cert[16];
    assert_true(n_pct <= 16);
    assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
    for (size_t i = 0; i < n_pct; i++) {
        double ref;
        assert_true(jf__percentile_sorted(sorted, n, pct[i], &ref));
        assert_true(cert[i]);
        if (!same_bits(out[i], ref))
            fail_msg("pct %u, n %zu: %.17g, exact %.17g", pct[i], n, out[i], ref);
    }
}

/* ---- tests ------------------------------------------------------------- */

/* Bad arguments, and the planning sizes from the formula in the .c file:
 * m = 16384, s = 4, W(50%) = ceil(8·sqrt(4096)) + 16 = 528, so a window
 * yields at most (2·528 + 1)/4 + 2 = 266 edges and five levels 1330; the
 * block holds 3·1330 + 1 + 2·5 + 1 = 4002 doubles and 2·6 + 4·11 = 56
 * words, i.e. 32464 bytes, plus the object; the peak adds two pilot-sized
 * buffers. */
static void test_args_and_sizes(void **state)
{
    (void)state;
    unsigned bad[2] = {50, 101};
    assert_null(jf__qbracket_alloc(NULL, 5, PILOT));
    assert_null(jf__qbracket_alloc(std_pct, 0, PILOT));
    assert_null(jf__qbracket_alloc(std_pct, 5, 0));
    assert_null(jf__qbracket_alloc(bad, 2, PILOT));
    jf__qbracket_free(NULL);
    assert_int_equal(jf__qbracket_steady_bytes(0, PILOT), 0);
    assert_int_equal(jf__qbracket_peak_bytes(5, 0), 0);

    size_t steady = jf__qbracket_steady_bytes(5, PILOT);
    size_t peak = jf__qbracket_peak_bytes(5, PILOT);
    assert_true(steady >= 32464);
    assert_true(steady <= 32464 + 1024);
    /* pilot buffer (8 bytes a value) + switch scratch (9 bytes a value + runs) */
    size_t sw = jf__qbracket_switch_bytes(5, PILOT);
    assert_true(sw >= PILOT * (sizeof(double) + 1) + 21 * sizeof(size_t));
    assert_true(sw <= PILOT * (sizeof(double) + 1) + 2 * 4096);
    assert_true(peak >= steady + PILOT * sizeof(double) + sw);
    assert_true(peak <= steady + PILOT * sizeof(double) + sw + 4096 + 128);
    /* A tiny pilot: every pilot value may be an edge, so E <= m = 64. */
    assert_true(jf__qbracket_steady_bytes(100, 64) < jf__qbracket_steady_bytes(100, PILOT));
}

/* No values: NaN and not certified; the call itself succeeds. */
static void test_empty(void **state)
{
    (void)state;
    jf__qbracket *q = jf__qbracket_alloc(std_pct, 5, PILOT);
    assert_non_null(q);
    double out[5];
    bool cert[5];
    assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
    for (size_t i = 0; i < 5; i++) {
        assert_true(isnan(out[i]));
        assert_false(cert[i]);
    }
    assert_int_equal(jf__qbracket_add(q, NULL, 0), 0);
    assert_int_equal(jf__qbracket_count(q), 0);
    jf__qbracket_free(q);
}

/* n <= pilot: the pilot is the sample, so every level is PERCENTILE.INC of
 * it bit for bit, including n = pilot exactly, and again after more values
 * are appended to a pilot that a query has sorted. */
static void test_small_exact(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    rng r = {12345};
    size_t sizes[] = {1, 2, 3, 7, 100, 1001, PILOT - 1, PILOT};
    double *x = alloc_values(PILOT);
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t n = sizes[t];
        for (size_t i = 0; i < n; i++)
            x[i] = exp(2.0 * normal(&r)) - 1.0;
        jf__qbracket *q = feed(x, n, pct, 7, PILOT, 1000);
        double *y = sorted_copy(x, n);
        check_exact(q, y, n, pct, 7);
        free(y);
        jf__qbracket_free(q);
    }
    /* Query half-way, then append: the sorted pilot plus new values. */
    for (size_t i = 0; i < 9000; i++)
        x[i] = normal(&r);
    jf__qbracket *q = feed(x, 4000, pct, 7, PILOT, 0);
    double *y = sorted_copy(x, 4000);
    check_exact(q, y, 4000, pct, 7);
    free(y);
    assert_int_equal(jf__qbracket_add(q, x + 4000, 5000), 0);
    y = sorted_copy(x, 9000);
    check_exact(q, y, 9000, pct, 7);
    check_exact(q, y, 9000, pct, 7); /* a second query changes nothing */
    free(y);
    jf__qbracket_free(q);
    free(x);
}

/* Normal and lognormal samples, n = 200000: every level certified, and well
 * inside the bound (edges are 4 pilot ranks ≈ 0.00024·n apart, so the
 * interpolated answer is off by far less than 0.00035·n).  Levels 0 and 100
 * are min and max exactly. */
static void test_continuous(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const size_t n = 200000;
    double *x = alloc_values(n);
    for (int shape = 0; shape < 2; shape++) {
        rng r = {shape == 0 ? 777u : 4242u};
        for (size_t i = 0; i < n; i++)
            x[i] = shape == 0 ? 3.0 + 2.0 * normal(&r) : exp(1.5 * normal(&r));
        jf__qbracket *q = feed(x, n, pct, 7, PILOT, 1536);
        double *y = sorted_copy(x, n);
        double out[7];
        bool cert[7];
        assert_int_equal(check_certified(q, y, n, pct, 7, 0.00035, out, cert), 7);
        assert_true(same_bits(out[0], y[0]));
        assert_true(same_bits(out[6], y[n - 1]));
        free(y);
        jf__qbracket_free(q);
    }
    free(x);
}

/* 30% zeros, the rest lognormal: the 5% and 25% levels fall on the atom and
 * are exactly 0 (the zero is an edge with an exact count); the others are
 * certified within the bound. */
static void test_atom_at_zero(void **state)
{
    (void)state;
    const size_t n = 200000;
    rng r = {99};
    double *x = alloc_values(n);
    for (size_t i = 0; i < n; i++)
        x[i] = uniform(&r) < 0.3 ? 0.0 : exp(normal(&r));
    jf__qbracket *q = feed(x, n, std_pct, 5, PILOT, 1536);
    double *y = sorted_copy(x, n);
    check_exact(q, y, n, std_pct, 2);
    double out[5];
    bool cert[5];
    assert_int_equal(check_certified(q, y, n, std_pct, 5, 0.00035, out, cert), 5);
    assert_true(same_bits(out[0], 0.0) && same_bits(out[1], 0.0));
    free(y);
    jf__qbracket_free(q);
    free(x);
}

/* A discrete variable on {1,...,5} with cumulative shares 0.10, 0.25, 0.60,
 * 0.90, 1: every level is exact, including 25% where h sits at the border
 * between 2 and 3 (both are edges), and 0/100 (min, max). */
static void test_discrete(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const double cum[5] = {0.10, 0.25, 0.60, 0.90, 1.0};
    const size_t n = 200000;
    rng r = {2024};
    double *x = alloc_values(n);
    for (size_t i = 0; i < n; i++) {
        double u = uniform(&r);
        unsigned k = 0;
        while (u > cum[k])
            k++;
        x[i] = (double)(k + 1);
    }
    double *y = sorted_copy(x, n);
    jf__qbracket *q = feed(x, n, pct, 7, PILOT, 1536);
    check_exact(q, y, n, pct, 7);
    jf__qbracket_free(q);
    /* A pilot of 64 still holds all five values: exact as well. */
    q = feed(x, n, pct, 7, 64, 1536);
    check_exact(q, y, n, pct, 7);
    jf__qbracket_free(q);
    free(y);
    free(x);
}

/* A constant series: one edge whose count is n, so every level is the
 * constant exactly; also for a constant below the pilot size. */
static void test_constant(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const size_t n = 200000;
    double *x = alloc_values(n);
    for (size_t i = 0; i < n; i++)
        x[i] = -2.5;
    size_t sizes[2] = {n, 500};
    for (size_t t = 0; t < 2; t++) {
        jf__qbracket *q = feed(x, sizes[t], pct, 7, PILOT, 1536);
        double out[7];
        bool cert[7];
        assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
        for (size_t i = 0; i < 7; i++) {
            assert_true(cert[i]);
            assert_true(same_bits(out[i], -2.5));
        }
        jf__qbracket_free(q);
    }
    free(x);
}

/* The result depends on the sequence only: chunks of 1, 7, 1536 and all at
 * once give the same bits, for lognormal data and for data with an atom
 * made of both +0 and -0 (min, max and the zero edge). */
static void test_chunking(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const size_t n = 200000;
    const size_t chunks[4] = {1, 7, 1536, 0};
    double *x = alloc_values(n);
    for (int data = 0; data < 2; data++) {
        rng r = {data == 0 ? 5u : 6u};
        for (size_t i = 0; i < n; i++) {
            if (data == 0)
                x[i] = exp(normal(&r));
            else
                x[i] = uniform(&r) < 0.3 ? ((i & 1) ? -0.0 : 0.0) : normal(&r) + 1.0;
        }
        double first[7];
        bool first_cert[7];
        for (size_t c = 0; c < 4; c++) {
            jf__qbracket *q = feed(x, n, pct, 7, PILOT, chunks[c]);
            double out[7];
            bool cert[7];
            assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
            for (size_t i = 0; i < 7; i++) {
                assert_true(cert[i]);
                if (c == 0) {
                    first[i] = out[i];
                    first_cert[i] = cert[i];
                } else {
                    assert_true(same_bits(out[i], first[i]));
                    assert_true(cert[i] == first_cert[i]);
                }
            }
            jf__qbracket_free(q);
        }
        if (data == 1) /* 11% of N(1,1) draws lie below the atom: 25% is on it */
            assert_true(first[2] == 0.0);
    }
    free(x);
}

/* A drifting series: the pilot (first 16384 values) is N(0,1), the other
 * 183616 values N(10,1).  The true 5% point is the ~61st percentile of the
 * N(0,1) part, between the pilot's 50% and 75% windows; the 25%..95% points
 * lie in the N(10,1) part, above every edge.  All five levels must come back
 * not certified (a gap of >1000 ranks around h), never wrong. */
static void test_drift(void **state)
{
    (void)state;
    const size_t n = 200000;
    rng r = {31337};
    double *x = alloc_values(n);
    for (size_t i = 0; i < n; i++)
        x[i] = (i < PILOT ? 0.0 : 10.0) + normal(&r);
    jf__qbracket *q = feed(x, n, std_pct, 5, PILOT, 1536);
    double *y = sorted_copy(x, n);
    double out[5];
    bool cert[5];
    assert_int_equal(check_certified(q, y, n, std_pct, 5, EPS, out, cert), 0);
    free(y);
    jf__qbracket_free(q);
    free(x);
}

/* NaN and infinities are refused with -2 and nothing of the call is added,
 * in the pilot stage, in the call that would fill the pilot, and in the
 * histogram stage: the results equal those of a twin fed only the rest. */
static void test_bad_values(void **state)
{
    (void)state;
    const size_t n = 60000;
    rng r = {8};
    double *x = alloc_values(n);
    for (size_t i = 0; i < n; i++)
        x[i] = normal(&r);
    const double bads[3] = {NAN, INFINITY, -INFINITY};
    jf__qbracket *q = jf__qbracket_alloc(std_pct, 5, PILOT);
    jf__qbracket *twin = jf__qbracket_alloc(std_pct, 5, PILOT);
    assert_non_null(q);
    assert_non_null(twin);
    double *buf = alloc_values(20000);
    size_t done = 0;
    const size_t steps[4] = {1000, 20000, 3, 20000}; /* pilot, fills it, histogram, histogram */
    for (size_t s = 0; s < 4; s++) {
        size_t len = steps[s];
        for (size_t b = 0; b < 3; b++) {
            memcpy(buf, x + done, len * sizeof *buf);
            buf[(len * (b + 1)) / 4] = bads[b];
            assert_int_equal(jf__qbracket_add(q, buf, len), -2);
            assert_int_equal(jf__qbracket_count(q), done);
        }
        assert_int_equal(jf__qbracket_add(q, x + done, len), 0);
        assert_int_equal(jf__qbracket_add(twin, x + done, len), 0);
        done += len;
    }
    double a[5], b[5];
    bool ca[5], cb[5];
    assert_int_equal(jf__qbracket_quantiles(q, EPS, a, ca), 0);
    assert_int_equal(jf__qbracket_quantiles(twin, EPS, b, cb), 0);
    for (size_t i = 0; i < 5; i++) {
        assert_true(ca[i] && cb[i]);
        assert_true(same_bits(a[i], b[i]));
    }
    free(buf);
    jf__qbracket_free(twin);
    jf__qbracket_free(q);
    free(x);
}

/* A pilot of 64: the edges are the 64 pilot values, about n/65 ≈ 1500 ranks
 * apart, so most levels cannot be certified; whatever is certified must be
 * within eps·n.  Levels 0 and 100 (min, max) are always exact.  Also the
 * degenerate pilots of 1 and 2 values. */
static void test_small_pilot(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const size_t n = 100000;
    const size_t pilots[4] = {64, 64, 1, 2};
    double *x = alloc_values(n);
    for (unsigned shape = 0; shape < 4; shape++) {
        rng r = {shape + 1u};
        for (size_t i = 0; i < n; i++)
            x[i] = shape == 0 ? exp(normal(&r)) : normal(&r);
        jf__qbracket *q = feed(x, n, pct, 7, pilots[shape], 1536);
        double *y = sorted_copy(x, n);
        double out[7];
        bool cert[7];
        check_certified(q, y, n, pct, 7, EPS, out, cert);
        assert_true(cert[0] && same_bits(out[0], y[0]));
        assert_true(cert[6] && same_bits(out[6], y[n - 1]));
        free(y);
        jf__qbracket_free(q);
    }
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_and_sizes), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_small_exact),    cmocka_unit_test(test_continuous),
        cmocka_unit_test(test_atom_at_zero),   cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_constant),       cmocka_unit_test(test_chunking),
        cmocka_unit_test(test_drift),          cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_small_pilot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
