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
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_ranks.h"
#include "cpu_isa.h"
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

static double *sorted_copy(const double *x, size_t n)
{
    double *y = alloc_values(n);
    memcpy(y, x, n * sizeof *y);
    qsort(y, n, sizeof *y, jf_test_cmp_total);
    return y;
}

/* Rank error of v at level pct, in hundredths of a rank. */
static uint64_t rank_error100(const double *sorted, size_t n, unsigned pct, double v)
{
    uint64_t num = (uint64_t)(n - 1) * pct;
    uint64_t less = jf_test_count_less(sorted, n, v), leq = jf_test_count_leq(sorted, n, v);
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
    double out[128];
    bool cert[128];
    assert_true(n_pct <= 128);
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

/* Narrowing (after 4, 16, 64, ... times the pilot, the edges far from
 * every level are dropped): on continuous, atom, tied and discrete data
 * with small pilots, every answer and its certificate are bit for bit
 * those of the same bracket without narrowing, whatever the chunks (some
 * end exactly where a narrowing is due, some cross it), every answer is
 * certified within eps against the sorted data, and the edges did shrink. */
static void test_narrowing(void **state)
{
    (void)state;
    const unsigned pct[7] = {0, 5, 25, 50, 75, 95, 100};
    const size_t n = 400000, pilots[2] = {2048, 8192};
    const size_t chunks[4] = {0, 1, 4096, 999};
    double *x = alloc_values(n);
    for (int data = 0; data < 4; data++) {
        rng r = {40u + (uint64_t)data};
        for (size_t i = 0; i < n; i++) {
            switch (data) {
            case 0: x[i] = exp(normal(&r)); break;
            case 1: x[i] = uniform(&r) < 0.3 ? 0.0 : normal(&r) + 1.0; break;
            case 2: x[i] = (double)(next_u64(&r) % 1000); break;
            default: x[i] = (double)(next_u64(&r) % 5) * 0.5; break;
            }
        }
        double *sorted = sorted_copy(x, n);
        for (size_t pi = 0; pi < 2; pi++) {
            jf__qbracket *plain = jf__qbracket_alloc(pct, 7, pilots[pi]);
            assert_non_null(plain);
            jf__qbracket_no_narrowing(plain);
            assert_int_equal(jf__qbracket_add(plain, x, n), 0);
            double want[7], got[7];
            bool want_cert[7], got_cert[7];
            assert_int_equal(jf__qbracket_quantiles(plain, EPS, want, want_cert), 0);
            size_t edges_first = 0;
            for (size_t c = 0; c < 4; c++) {
                jf__qbracket *q = feed(x, n, pct, 7, pilots[pi], chunks[c]);
                /* narrowing happens at the same counts whatever the chunks */
                if (c == 0)
                    edges_first = jf__qbracket_edges(q);
                else if (jf__qbracket_edges(q) != edges_first)
                    fail_msg("data %d, pilot %zu, chunk %zu: %zu edges, %zu with one call", data,
                             pilots[pi], chunks[c], jf__qbracket_edges(q), edges_first);
                size_t n_cert = check_certified(q, sorted, n, pct, 7, EPS, got, got_cert);
                if (n_cert != 7)
                    fail_msg("data %d, pilot %zu, chunk %zu: %zu levels certified (unnarrowed: %d%d%d%d%d%d%d)",
                             data, pilots[pi], chunks[c], n_cert, want_cert[0], want_cert[1],
                             want_cert[2], want_cert[3], want_cert[4], want_cert[5], want_cert[6]);
                for (size_t k = 0; k < 7; k++)
                    if (!same_bits(got[k], want[k]) || got_cert[k] != want_cert[k])
                        fail_msg("data %d, pilot %zu, chunk %zu: p%u %.17g (%d), unnarrowed %.17g (%d)",
                                 data, pilots[pi], chunks[c], pct[k], got[k], got_cert[k], want[k],
                                 want_cert[k]);
                if (data == 0 && !(2 * jf__qbracket_edges(q) < jf__qbracket_edges(plain)))
                    fail_msg("pilot %zu, chunk %zu: %zu edges, unnarrowed %zu", pilots[pi], chunks[c],
                             jf__qbracket_edges(q), jf__qbracket_edges(plain));
                jf__qbracket_free(q);
            }
            if (data == 0)
                print_message("pilot %zu: %zu edges without narrowing\n", pilots[pi],
                              jf__qbracket_edges(plain));
            jf__qbracket_free(plain);
        }
        free(sorted);
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

/* Levels 0 and 100 are min and max bit for bit even when the extreme is a
 * zero whose sign differs from the pilot's zero edge: a pilot of 4 values
 * whose largest is -0, then +0 (so max = +0 by the sort's order, while the
 * top edge is -0); and the mirror image for min.  Level 50 (n = 5: h = 2,
 * the middle value) is exact as well. */
static void test_signed_zero_extremes(void **state)
{
    (void)state;
    const unsigned pct[3] = {0, 50, 100};
    const double up[5] = {-1.0, -2.0, -0.0, -3.0, 0.0};
    const double down[5] = {1.0, 2.0, 0.0, 3.0, -0.0};
    const double *xs[2] = {up, down};
    for (size_t t = 0; t < 2; t++) {
        jf__qbracket *q = feed(xs[t], 5, pct, 3, 4, 0);
        double *y = sorted_copy(xs[t], 5);
        check_exact(q, y, 5, pct, 3);
        free(y);
        jf__qbracket_free(q);
    }
}

/* ---- randomized properties --------------------------------------------- */

/* Mixtures of up to four components, each one of: an atom (often a special
 * value: ±0, ±1, ±DBL_MAX, ±DBL_MIN, the smallest denormal), a normal, a
 * lognormal, a Cauchy (heavy tails), a discrete variable on k points, values
 * just below ±DBL_MAX, denormals on a grid, and zeros of either sign.
 * Scales run from 2^-1000 to 2^899, so nothing overflows. */
#define MIX_MAX 4
typedef struct {
    size_t n_comp;
    int kind[MIX_MAX];
    double cum[MIX_MAX]; /* cumulative weights, the last one 1 */
    double a[MIX_MAX], b[MIX_MAX];
    unsigned k[MIX_MAX];
} mixture;

static double special_atom(rng *r)
{
    static const double atoms[] = {0.0,     -0.0,     1.0,        -1.0,        DBL_MAX, -DBL_MAX,
                                   DBL_MIN, -DBL_MIN, 0x1p-1074, -0x1p-1074, 1e300,   -2.5};
    return atoms[next_u64(r) % (sizeof atoms / sizeof atoms[0])];
}

/* A positive scale: usually near 1, sometimes extreme. */
static double random_scale(rng *r)
{
    if (uniform(r) < 0.7)
        return ldexp(1.0, (int)(next_u64(r) % 21) - 10);
    return ldexp(1.0, (int)(next_u64(r) % 1900) - 1000);
}

static double random_sign(rng *r)
{
    return (next_u64(r) & 1) ? -1.0 : 1.0;
}

static void mixture_random(rng *r, mixture *mx)
{
    mx->n_comp = 1 + (size_t)(next_u64(r) % MIX_MAX);
    double total = 0.0;
    for (size_t c = 0; c < mx->n_comp; c++) {
        mx->kind[c] = (int)(next_u64(r) % 8);
        double s = random_scale(r);
        mx->b[c] = s;
        double sign = random_sign(r), shift = uniform(r);
        mx->a[c] = uniform(r) < 0.5 ? 0.0 : sign * s * 4.0 * shift;
        if (mx->kind[c] == 0 && uniform(r) < 0.6)
            mx->a[c] = special_atom(r);
        mx->k[c] = 2 + (unsigned)(next_u64(r) % 40);
        total += 0.05 + uniform(r);
        mx->cum[c] = total;
    }
    for (size_t c = 0; c < mx->n_comp; c++)
        mx->cum[c] /= total;
    mx->cum[mx->n_comp - 1] = 1.0;
}

static double mixture_draw(rng *r, const mixture *mx)
{
    /* Every draw in its own statement: the order of calls within one
     * expression is unspecified. */
    double u = uniform(r);
    size_t c = 0;
    while (c + 1 < mx->n_comp && u > mx->cum[c])
        c++;
    double a = mx->a[c], b = mx->b[c];
    double sign = random_sign(r);
    switch (mx->kind[c]) {
    case 0:
        return a;
    case 1:
        return a + b * normal(r);
    case 2:
        return a + b * exp(2.0 * normal(r));
    case 3:
        return a + b * tan(3.141592653589793 * (uniform(r) - 0.5));
    case 4:
        return a + b * (double)(next_u64(r) % mx->k[c]);
    case 5:
        return sign * DBL_MAX * (1.0 - 0x1p-30 * (double)(next_u64(r) % 1000));
    case 6:
        return sign * 0x1p-1074 * (double)(next_u64(r) % (1u << 20));
    default:
        return sign * 0.0;
    }
}

/* Fill x[0..n): a mixture, switching to a second one from a change point
 * (often right at or next to the pilot's end), plus a linear drift in some
 * cases, and in a few cases the whole sequence sorted up or down (a pilot of
 * the smallest or largest values). */
static void random_sequence(rng *r, double *x, size_t n, size_t pilot)
{
    mixture m1, m2;
    mixture_random(r, &m1);
    mixture_random(r, &m2);
    size_t change = n;
    double u = uniform(r);
    if (u < 0.3)
        change = pilot + (size_t)(next_u64(r) % 3); /* just after the pilot */
    else if (u < 0.45)
        change = (size_t)(next_u64(r) % (n + 1));
    double drift = 0.0;
    if (uniform(r) < 0.2) {
        double sign = random_sign(r);
        drift = sign * random_scale(r) * 10.0;
    }
    for (size_t i = 0; i < n; i++) {
        double v = mixture_draw(r, i < change ? &m1 : &m2);
        if (drift != 0.0)
            v += drift * (double)i / (double)n;
        if (!isfinite(v))
            v = copysign(DBL_MAX, v);
        x[i] = v;
    }
    u = uniform(r);
    if (u < 0.1) {
        qsort(x, n, sizeof *x, jf_test_cmp_total);
        if (u < 0.05)
            for (size_t i = 0; i < n / 2; i++) {
                double t = x[i];
                x[i] = x[n - 1 - i];
                x[n - 1 - i] = t;
            }
    }
}

/* Levels: the five standard ones, with 0 and 100, a few random ones, many
 * random ones (more ranges than five), a cluster of neighbours (windows
 * that overlap or touch), or all of 0..100.  Duplicates allowed. */
static size_t random_levels(rng *r, unsigned *pct)
{
    static const unsigned seven[7] = {0, 5, 25, 50, 75, 95, 100};
    switch (next_u64(r) % 6) {
    case 0:
        memcpy(pct, std_pct, sizeof std_pct);
        return 5;
    case 1:
        memcpy(pct, seven, sizeof seven);
        return 7;
    case 2: {
        size_t n = 1 + (size_t)(next_u64(r) % 12);
        for (size_t i = 0; i < n; i++)
            pct[i] = (unsigned)(next_u64(r) % 101);
        return n;
    }
    case 3: {
        size_t n = 13 + (size_t)(next_u64(r) % 28);
        for (size_t i = 0; i < n; i++)
            pct[i] = (unsigned)(next_u64(r) % 101);
        return n;
    }
    case 4:
        for (unsigned i = 0; i <= 100; i++)
            pct[i] = i;
        return 101;
    default: {
        size_t n = 2 + (size_t)(next_u64(r) % 8);
        unsigned base = (unsigned)(next_u64(r) % 101);
        for (size_t i = 0; i < n; i++) {
            unsigned p = base + (unsigned)(next_u64(r) % 7);
            pct[i] = p > 100 ? 100 : p;
        }
        return n;
    }
    }
}

#define PROP_MAX_N 120000u
#define PROP_MAX_LEVELS 128u

/* Feed x[0..n) in random chunks (each of a random size class), and when
 * `query_at` <= n also query once after value query_at (which sorts the
 * pilot in place while it is the whole sample); that answer must be exact
 * while query_at <= pilot.  Returns the estimator. */
static jf__qbracket *feed_random(rng *r, const double *x, size_t n, const unsigned *pct,
                                 size_t n_pct, size_t pilot, size_t query_at)
{
    jf__qbracket *q = jf__qbracket_alloc(pct, n_pct, pilot);
    assert_non_null(q);
    static const size_t max_chunk[4] = {1, 9, 700, 6000};
    size_t i = 0;
    while (i < n) {
        size_t cls = (size_t)(next_u64(r) % 4);
        size_t len = 1 + (size_t)(next_u64(r) % max_chunk[cls]);
        if (len > n - i)
            len = n - i;
        if (i < query_at && len > query_at - i)
            len = query_at - i;
        assert_int_equal(jf__qbracket_add(q, x + i, len), 0);
        i += len;
        if (i == query_at) {
            if (i <= pilot) {
                double *y = sorted_copy(x, i);
                check_exact(q, y, i, pct, n_pct);
                free(y);
            } else { /* answers checked at the end: a query changes nothing */
                double out[PROP_MAX_LEVELS];
                bool cert[PROP_MAX_LEVELS];
                assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
            }
        }
    }
    assert_int_equal(jf__qbracket_count(q), n);
    return q;
}

/* FNV-1a over bytes, to compare runs of differently built binaries. */
static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

/* Random sequences, pilots, sizes, levels and chunkings.  For every level:
 * certified and either PERCENTILE.INC of a full sort (which may lie up to a
 * rank from both order statistics it interpolates, or overflow to ±inf) or
 * within eps·n ranks of it; or not certified and NaN.  Exact bit for bit
 * while n <= pilot, and levels 0 and 100 always (min and max); the same bits
 * and flags when the sequence is fed in one call.  About 400 cases, 6e6
 * values.  The sequence fed in one call is counted by the portable kernels
 * (cpu_isa.h) and the chunked one by the fastest this CPU has, so the
 * comparison covers the vector kernels too.  The hash of all answers is
 * printed, so that builds (compilers, -DJF_PORTABLE_ONLY) can be compared
 * (they must agree). */
static void test_random_properties(void **state)
{
    (void)state;
    static const size_t pilots[] = {1, 2, 3, 4, 5, 8, 16, 33, 64, 100, 257, 1000, 2048, 4096, 16384};
    rng r = {0x5eed1234u};
    double *x = alloc_values(PROP_MAX_N);
    unsigned pct[PROP_MAX_LEVELS];
    double out[PROP_MAX_LEVELS], out1[PROP_MAX_LEVELS];
    bool cert[PROP_MAX_LEVELS], cert1[PROP_MAX_LEVELS];
    uint64_t hash = 0xcbf29ce484222325ull;
    size_t n_levels = 0, n_cert = 0, cases = 0, values = 0;
    while (values < 6000000u) {
        size_t m = uniform(&r) < 0.8 ? pilots[next_u64(&r) % (sizeof pilots / sizeof pilots[0])]
                                     : 1 + (size_t)(next_u64(&r) % 20000);
        size_t n;
        switch (next_u64(&r) % 8) {
        case 0: n = m > 1 ? m - 1 : 1; break;
        case 1: n = m; break;
        case 2: n = m + 1; break;
        case 3: n = m + 2; break;
        case 4: n = m + 1 + (size_t)(next_u64(&r) % 600); break;
        case 5: n = 1 + (size_t)(next_u64(&r) % m); break;
        case 6: n = m * (2 + (size_t)(next_u64(&r) % 40)); break;
        default: n = m + (size_t)(next_u64(&r) % PROP_MAX_N); break;
        }
        if (n > PROP_MAX_N)
            n = PROP_MAX_N;
        size_t n_pct = random_levels(&r, pct);
        random_sequence(&r, x, n, m);
        /* Sometimes a query sorts the pilot part-way, or once it is full. */
        double u = uniform(&r);
        size_t query_at = u < 0.15 ? m : u < 0.3 ? 1 + (size_t)(next_u64(&r) % n) : SIZE_MAX;

        jf__qbracket *q = feed_random(&r, x, n, pct, n_pct, m, query_at);
        jf__isa_set_limit(JF__ISA_PORTABLE);
        jf__qbracket *q1 = feed(x, n, pct, n_pct, m, 0);
        jf__isa_set_limit(JF__ISA_COUNT);
        double *y = sorted_copy(x, n);
        assert_int_equal(jf__qbracket_quantiles(q, EPS, out, cert), 0);
        assert_int_equal(jf__qbracket_quantiles(q1, EPS, out1, cert1), 0);
        for (size_t i = 0; i < n_pct; i++) {
            double ref;
            assert_true(jf__percentile_sorted(y, n, pct[i], &ref));
            if (!same_bits(out[i], out1[i]) || cert[i] != cert1[i])
                fail_msg("case %zu (m %zu, n %zu) pct %u: chunked, fastest kernels %.17g (%d), "
                         "whole, portable %.17g (%d)", cases,
                         m, n, pct[i], out[i], cert[i], out1[i], cert1[i]);
            if ((n <= m || pct[i] == 0 || pct[i] == 100) && !(cert[i] && same_bits(out[i], ref)))
                fail_msg("case %zu (m %zu, n %zu) pct %u: %.17g (%d), exact %.17g", cases, m, n,
                         pct[i], out[i], cert[i], ref);
            if (!cert[i]) {
                assert_true(isnan(out[i]));
                continue;
            }
            n_cert++;
            if (out[i] == ref) /* exact (zeros may differ in sign, see the .c file) */
                continue;
            if (!isfinite(out[i]))
                fail_msg("case %zu pct %u: %.17g, exact %.17g", cases, pct[i], out[i], ref);
            uint64_t err = rank_error100(y, n, pct[i], out[i]);
            if ((double)err > 100.0 * EPS * (double)n)
                fail_msg("case %zu (m %zu, n %zu) pct %u: %.17g has rank error %.2f > %g", cases, m,
                         n, pct[i], out[i], (double)err / 100.0, EPS * (double)n);
        }
        hash = fnv(hash, out, n_pct * sizeof *out);
        hash = fnv(hash, cert, n_pct * sizeof *cert);
        n_levels += n_pct;
        free(y);
        jf__qbracket_free(q1);
        jf__qbracket_free(q);
        values += n;
        cases++;
    }
    print_message("%zu cases, %zu values, %zu of %zu levels certified, hash %016llx\n", cases,
                  values, n_cert, n_levels, (unsigned long long)hash);
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
        cmocka_unit_test(test_small_pilot),      cmocka_unit_test(test_random_properties),
        cmocka_unit_test(test_signed_zero_extremes), cmocka_unit_test(test_narrowing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
