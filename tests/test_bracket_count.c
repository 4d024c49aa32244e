/*
 * test_bracket_count.c — the vector kernels, every variant this CPU has
 * (cpu_isa.h): the percentile brackets' counting and scan (bracket_count.c)
 * and the moment lanes (moment_lanes.c).  Each histogram is compared with a
 * count by linear search (slot 2j when j edges lie below x, 2j+1 when x
 * equals edge j), each scan with a plain loop, each lane bit for bit with
 * the portable C.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bracket_count.h"
#include "cpu_isa.h"
#include "moment_lanes.h"

typedef struct {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double uniform(rng *r)
{
    return (double)(next_u64(r) >> 11) * 0x1.0p-53;
}

/* Identical bits, or both NaN (the payload and sign of a NaN depend on
 * operand order, which compilers may swap in scalar code; the CSV writes
 * every NaN alike). */
static bool same_bits(double a, double b)
{
    if (isnan(a) && isnan(b))
        return true;
    uint64_t ua, ub;
    memcpy(&ua, &a, sizeof ua);
    memcpy(&ub, &b, sizeof ub);
    return ua == ub;
}

/* Tables as quantile_bracket.c builds them: E increasing edges split into R
 * consecutive ranges of edge indices. */
typedef struct {
    double edges[400];
    uint64_t hist[801];
    double lo_bound[401], hi_bound[400];
    size_t gap_slot[401], start[401], steps[JF__QB_MAX_STEPS];
    uint64_t *acc; /* exactly JF__QB_ACC_WORDS(R) words, on the heap for ASan */
    jf__qb_tables t;
} tables;

static void make_tables(rng *r, tables *tb, size_t n_edges, size_t n_ranges)
{
    double v = -50.0 + 10.0 * uniform(r);
    for (size_t j = 0; j < n_edges; j++) {
        tb->edges[j] = v;
        uint64_t gap = next_u64(r) % 8;
        /* some edges 1e-9 apart, some adjacent doubles (then a range's upper
         * bound can be the next range's lower bound) */
        v = gap == 0 ? v + 1e-9 : gap == 1 ? nextafter(v, INFINITY) : v + 0.1 + uniform(r);
        if (j + 1 < n_edges && tb->edges[j] < 0.0 && v > 0.0 && next_u64(r) % 2 == 0)
            v = 0.0; /* sometimes an edge at zero */
    }
    /* cut points: range g = [ws_g, we_g], ws_0 = 0, ws_{g+1} = we_g + 1 */
    size_t ws[400], we[400];
    size_t left = n_edges;
    for (size_t g = 0; g < n_ranges; g++) {
        size_t ranges_left = n_ranges - g;
        size_t len = ranges_left == 1 ? left : 1 + (size_t)(next_u64(r) % (left - ranges_left + 1));
        ws[g] = n_edges - left;
        we[g] = ws[g] + len - 1;
        left -= len;
    }
    size_t longest = 1;
    for (size_t g = 0; g < n_ranges; g++)
        if (we[g] - ws[g] + 1 > longest)
            longest = we[g] - ws[g] + 1;
    for (size_t g = 0; g < n_ranges; g++) {
        tb->lo_bound[g] = tb->edges[ws[g]];
        tb->hi_bound[g] = nextafter(tb->edges[we[g]], INFINITY);
        tb->gap_slot[g + 1] = 2 * we[g] + 2;
        tb->start[g] = ws[g] < n_edges - longest ? ws[g] : n_edges - longest;
    }
    tb->lo_bound[n_ranges] = INFINITY;
    tb->gap_slot[0] = 0;
    tb->start[n_ranges] = 0;
    size_t n_steps = 0;
    for (size_t len = longest; len > 1; len -= len / 2)
        tb->steps[n_steps++] = len / 2;
    tb->acc = malloc(JF__QB_ACC_WORDS(n_ranges) * sizeof *tb->acc);
    assert_non_null(tb->acc);
    tb->t = (jf__qb_tables){
        .n_edges = n_edges, .edges = tb->edges, .hist = tb->hist, .n_ranges = n_ranges,
        .lo_bound = tb->lo_bound, .hi_bound = tb->hi_bound, .gap_slot = tb->gap_slot,
        .start = tb->start, .n_steps = n_steps, .steps = tb->steps, .acc = tb->acc,
    };
    for (size_t h = 0; h < JF__QB_HOT; h++) {
        tb->t.hot[h] = NAN;
        tb->t.hot_slot[h] = 0;
    }
    size_t n_hot = (size_t)(next_u64(r) % 3);
    for (size_t h = 0; h < n_hot; h++) {
        size_t j = (size_t)(next_u64(r) % n_edges);
        if (h == 1 && tb->t.hot_slot[0] == 2 * j + 1)
            break;
        tb->t.hot[h] = tb->edges[j];
        tb->t.hot_slot[h] = 2 * j + 1;
    }
}

static double random_value(rng *r, const tables *tb)
{
    const size_t n_edges = tb->t.n_edges;
    const double *e = tb->edges;
    switch (next_u64(r) % 6) {
    case 0: /* an edge itself (a hot one often) */
        if (!isnan(tb->t.hot[0]) && next_u64(r) % 2 == 0)
            return tb->t.hot[next_u64(r) % 2 == 0 || isnan(tb->t.hot[1]) ? 0 : 1];
        return e[next_u64(r) % n_edges];
    case 1: { /* next to an edge */
        double x = e[next_u64(r) % n_edges];
        return next_u64(r) % 2 ? nextafter(x, INFINITY) : nextafter(x, -INFINITY);
    }
    case 2: /* below the first / above the last */
        return next_u64(r) % 2 ? e[0] - 1e3 * uniform(r) : e[n_edges - 1] + 1e3 * uniform(r);
    case 3:
        return next_u64(r) % 2 ? -0.0 : 0.0;
    default: /* anywhere in the span */
        return e[0] + (e[n_edges - 1] - e[0]) * (1.2 * uniform(r) - 0.1);
    }
}

static size_t reference_slot(const tables *tb, double x)
{
    size_t j = 0;
    while (j < tb->t.n_edges && tb->edges[j] < x)
        j++;
    return j < tb->t.n_edges && tb->edges[j] == x ? 2 * j + 1 : 2 * j;
}

/* Random tables and blocks of every length; every kernel must give the
 * linear-search histogram. */
static void test_count_matches_linear_search(void **state)
{
    (void)state;
    rng r = {0xb7ac4e7u};
    double x[JF__QB_BLOCK];
    uint64_t want[801];
    size_t kernels_run[JF__ISA_COUNT] = {0};
    for (int trial = 0; trial < 400; trial++) {
        tables tb;
        size_t n_edges = 1 + (size_t)(next_u64(&r) % (trial < 40 ? 8 : 400));
        size_t n_ranges = 1 + (size_t)(next_u64(&r) % (n_edges < 12 ? n_edges : 12));
        make_tables(&r, &tb, n_edges, n_ranges);
        size_t n = trial % 50 == 0 ? JF__QB_BLOCK : 1 + (size_t)(next_u64(&r) % JF__QB_BLOCK);
        for (size_t i = 0; i < n; i++)
            x[i] = random_value(&r, &tb);
        memset(want, 0, sizeof want);
        for (size_t i = 0; i < n; i++)
            want[reference_slot(&tb, x[i])]++;
        for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            memset(tb.hist, 0, sizeof tb.hist);
            tb.hist[5] = 1000; /* counts are added, not stored */
            want[5] += 1000;
            jf__qb_count_block((jf__isa)isa, &tb.t, x, n);
            want[5] -= 1000;
            tb.hist[5] -= 1000;
            for (size_t s = 0; s < 2 * n_edges + 1; s++)
                if (tb.hist[s] != want[s])
                    fail_msg("trial %d, kernel %s (E %zu, R %zu, n %zu): slot %zu has %llu, want %llu",
                             trial, jf__isa_name((jf__isa)isa), n_edges, n_ranges, n, s,
                             (unsigned long long)tb.hist[s], (unsigned long long)want[s]);
            kernels_run[isa]++;
        }
        free(tb.acc);
    }
    for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
        print_message("%s: %zu blocks\n", jf__isa_name((jf__isa)isa), kernels_run[isa]);
        assert_true(kernels_run[isa] == (jf__isa_supported((jf__isa)isa) ? 400u : 0u));
    }
}

/* The finiteness and min/max scan: every kernel against a plain loop on
 * the bit order (-0 < +0), over blocks with zeros of both signs, NaN and
 * infinities in any lane. */
static bool bit_before(double a, double b)
{
    return a < b || (a == b && signbit(a) && !signbit(b));
}

static void test_scan(void **state)
{
    (void)state;
    rng r = {0x5ca7u};
    double x[300];
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 1 + (size_t)(next_u64(&r) % 300);
        int kind = trial % 5;
        for (size_t i = 0; i < n; i++) {
            uint64_t u = next_u64(&r) % 16;
            x[i] = u == 0 ? -0.0 : u == 1 ? 0.0 : kind == 0 ? uniform(&r) - 0.5 : 1e300 * (uniform(&r) - 0.5);
            if (kind == 4)
                x[i] = next_u64(&r) % 2 ? -0.0 : 0.0;
        }
        if (kind == 1)
            x[next_u64(&r) % n] = NAN;
        if (kind == 2)
            x[next_u64(&r) % n] = next_u64(&r) % 2 ? INFINITY : -INFINITY;
        bool finite = kind != 1 && kind != 2;
        double mn = x[0], mx = x[0];
        for (size_t i = 1; i < n; i++) {
            if (bit_before(x[i], mn))
                mn = x[i];
            if (bit_before(mx, x[i]))
                mx = x[i];
        }
        for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            double got_mn = 42.0, got_mx = 42.0;
            bool ok = jf__qb_scan((jf__isa)isa, x, n, &got_mn, &got_mx);
            if (ok != finite)
                fail_msg("trial %d, %s (n %zu): finite %d, want %d", trial,
                         jf__isa_name((jf__isa)isa), n, ok, finite);
            if (finite && !(same_bits(got_mn, mn) && same_bits(got_mx, mx)))
                fail_msg("trial %d, %s (n %zu): min %g max %g, want %g %g", trial,
                         jf__isa_name((jf__isa)isa), n, got_mn, got_mx, mn, mx);
        }
    }
}

/* A zero extreme's sign with the deciding zero at every position, so that
 * it falls in every lane and half of each vector kernel and in the tail:
 * one ±0 among negatives (it is the max), among positives (the min), and
 * among zeros of the other sign (min -0, max +0), and among the smallest
 * subnormals of either sign (which are not zeros), against the plain loop. */
static void test_scan_zero_positions(void **state)
{
    (void)state;
    double x[48];
    const struct {
        double fill, odd;
    } shapes[] = {{-1.0, 0.0}, {-1.0, -0.0}, {1.0, -0.0}, {1.0, 0.0}, {-0.0, 0.0}, {0.0, -0.0},
                  {-0x1p-1074, 0.0}, {-0x1p-1074, -0.0}, {0x1p-1074, -0.0}, {0x1p-1074, 0.0}};
    for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++)
        for (size_t n = 1; n <= 48; n++)
            for (size_t p = 0; p < n; p++) {
                for (size_t i = 0; i < n; i++)
                    x[i] = shapes[sh].fill;
                x[p] = shapes[sh].odd;
                double want_mn = x[0], want_mx = x[0];
                for (size_t i = 1; i < n; i++) {
                    want_mn = bit_before(x[i], want_mn) ? x[i] : want_mn;
                    want_mx = bit_before(want_mx, x[i]) ? x[i] : want_mx;
                }
                for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
                    if (!jf__isa_supported((jf__isa)isa))
                        continue;
                    double mn = 42.0, mx = 42.0;
                    assert_true(jf__qb_scan((jf__isa)isa, x, n, &mn, &mx));
                    if (!same_bits(mn, want_mn) || !same_bits(mx, want_mx))
                        fail_msg("shape %zu, %s, n %zu, zero at %zu: min %g max %g", sh,
                                 jf__isa_name((jf__isa)isa), n, p, mn, mx);
                }
            }
}

/* The moment lanes: every variant, same bits as the portable C, on values
 * that exercise both branches of the compensation, ties of ±0, infinities
 * and NaN. */
static void test_lanes_agree(void **state)
{
    (void)state;
    rng r = {0x1a2e5u};
    double x[1024];
    for (int trial = 0; trial < 300; trial++) {
        size_t n = JF__MOMENT_LANES * (size_t)(next_u64(&r) % (1024 / JF__MOMENT_LANES + 1));
        for (size_t i = 0; i < n; i++) {
            double u = uniform(&r);
            switch (next_u64(&r) % 8) {
            case 0: x[i] = 1e16 * (u - 0.5); break;
            case 1: x[i] = 1e-3 * u; break;
            case 2: x[i] = next_u64(&r) % 2 ? -0.0 : 0.0; break;
            case 3: x[i] = trial % 7 == 0 ? (next_u64(&r) % 2 ? INFINITY : -INFINITY) : u; break;
            case 4: x[i] = trial % 11 == 0 ? NAN : u; break;
            default: x[i] = 1e6 * u; break;
            }
        }
        double ref[6][JF__MOMENT_LANES], got[6][JF__MOMENT_LANES];
        double m = n ? x[0] * 0.5 : 0.0;
        jf__lanes_sum_minmax(JF__ISA_PORTABLE, x, n, ref[0], ref[1], ref[2], ref[3]);
        jf__lanes_deviations(JF__ISA_PORTABLE, x, n, m, ref[4], ref[5]);
        for (int isa = 1; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            jf__lanes_sum_minmax((jf__isa)isa, x, n, got[0], got[1], got[2], got[3]);
            jf__lanes_deviations((jf__isa)isa, x, n, m, got[4], got[5]);
            for (int q = 0; q < 6; q++)
                for (int l = 0; l < JF__MOMENT_LANES; l++)
                    if (!same_bits(got[q][l], ref[q][l]))
                        fail_msg("trial %d, %s, quantity %d lane %d: %.17g, portable %.17g", trial,
                                 jf__isa_name((jf__isa)isa), q, l, got[q][l], ref[q][l]);
        }
    }
}

/* By hand: lanes of 1..16 are {1, 9}, {2, 10}, ...: sums 10, 12, ..., 24;
 * min = lane + 1, max = lane + 9; around m = 8.5 lane l has deviations
 * l - 7.5 and l + 0.5, so s1 = 2l - 7 and s2 = (l-7.5)² + (l+0.5)². */
static void test_lanes_by_hand(void **state)
{
    (void)state;
    double x[16];
    for (int i = 0; i < 16; i++)
        x[i] = i + 1;
    for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
        if (!jf__isa_supported((jf__isa)isa))
            continue;
        double s[8], c[8], lo[8], hi[8], s1[8], s2[8];
        jf__lanes_sum_minmax((jf__isa)isa, x, 16, s, c, lo, hi);
        jf__lanes_deviations((jf__isa)isa, x, 16, 8.5, s1, s2);
        for (int l = 0; l < 8; l++) {
            assert_true(s[l] == 10.0 + 2.0 * l && c[l] == 0.0);
            assert_true(lo[l] == l + 1.0 && hi[l] == l + 9.0);
            assert_true(s1[l] == 2.0 * l - 7.0);
            assert_true(s2[l] == (l - 7.5) * (l - 7.5) + (l + 0.5) * (l + 0.5));
        }
    }
}

/* Detection: on x86-64 (GCC or Clang, not -DJF_PORTABLE_ONLY) SSE2 is always
 * there and AVX2 / AVX-512 exactly when the CPU says so, so a vector kernel
 * is never skipped silently.  The limit: lowering it lowers jf__isa_best,
 * restoring brings it back. */
static void test_isa_limit(void **state)
{
    (void)state;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(JF_PORTABLE_ONLY)
    __builtin_cpu_init();
    assert_true(jf__isa_supported(JF__ISA_SSE2));
    assert_int_equal(jf__isa_supported(JF__ISA_AVX2), __builtin_cpu_supports("avx2") != 0);
    assert_int_equal(jf__isa_supported(JF__ISA_AVX512),
                     __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("popcnt") != 0);
#endif
    jf__isa best = jf__isa_best();
    assert_true(jf__isa_supported(best));
    assert_true(jf__isa_supported(JF__ISA_PORTABLE));
    jf__isa_set_limit(JF__ISA_PORTABLE);
    assert_int_equal(jf__isa_best(), JF__ISA_PORTABLE);
    jf__isa_set_limit(JF__ISA_COUNT);
    assert_int_equal(jf__isa_best(), best);
    print_message("this CPU: %s\n", jf__isa_name(best));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_matches_linear_search),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_scan_zero_positions),
        cmocka_unit_test(test_lanes_agree),
        cmocka_unit_test(test_lanes_by_hand),
        cmocka_unit_test(test_isa_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
