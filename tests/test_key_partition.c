/*
 * test_key_partition.c — the stable partition by order key (key_partition.c)
 * under every instruction set this CPU has, against its definition: the
 * values ordered below the pivot, in their original order, then the others,
 * in theirs; and multi-selection (select.c) with and without the scratch
 * that turns these kernels on, against a full sort.
 */
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu_isa.h"
#include "fast_sort.h"
#include "key_partition.h"
#include "select.h"
#include "test_ranks.h"

static uint64_t next_u64(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t bits_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* Values that stress the key: both zeros, infinities, subnormals, ties,
 * negatives and positives of every size. */
static double awkward_value(uint64_t *s)
{
    static const double fixed[] = {0.0, -0.0, INFINITY, -INFINITY, 0x1p-1074, -0x1p-1074,
                                   1.0, -1.0, 2.5, 1e300, -1e300};
    uint64_t r = next_u64(s);
    switch (r % 4) {
    case 0:
        return fixed[(r >> 8) % (sizeof fixed / sizeof fixed[0])];
    case 1:
        return (double)((int64_t)(r >> 40) % 7); /* small integers, many ties */
    default: {
        double v = ldexp((double)(r >> 11) * 0x1.0p-53, (int)((r >> 3) % 80) - 40);
        return (r & 4) ? -v : v;
    }
    }
}

/* The pivot as the test states it: "below" is v < pv in the total order
 * (tests/test_ranks.h, written without the engine's keys), or v <= pv
 * (`or_equal`: the key one past pv's), or never / always. */
typedef enum { BELOW_NONE, BELOW_ALL, BELOW_LT, BELOW_LE } pivot_kind;

static bool reference_below(double v, pivot_kind kind, double pv)
{
    switch (kind) {
    case BELOW_NONE:
        return false;
    case BELOW_ALL:
        return true;
    case BELOW_LT:
        return jf_test_cmp_total(&v, &pv) < 0;
    default:
        return jf_test_cmp_total(&v, &pv) <= 0;
    }
}

/* The definition, one value at a time. */
static size_t reference_partition(const double *in, size_t n, pivot_kind kind, double pv,
                                  double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (reference_below(in[i], kind, pv))
            out[m++] = in[i];
    size_t k = m;
    for (size_t i = 0; i < n; i++)
        if (!reference_below(in[i], kind, pv))
            out[k++] = in[i];
    return m;
}

/* Every kernel gives the reference array bit for bit, for every length up
 * to 100 and some long ones, pivots taken from the data, one past a value,
 * and the extremes 0 and UINT64_MAX.  Arrays and scratch are allocated to
 * their exact size so AddressSanitizer sees a store past either. */
static void test_partition_matches_definition(void **state)
{
    (void)state;
    uint64_t s = 0x5eed0001u;
    size_t runs[JF__ISA_COUNT] = {0};
    for (int trial = 0; trial < 600; trial++) {
        size_t n = trial < 400 ? (size_t)trial % 101 : 1 + (size_t)(next_u64(&s) % 5000);
        double *in = malloc((n ? n : 1) * sizeof *in);
        double *want = malloc((n ? n : 1) * sizeof *want);
        double *a = malloc((n ? n : 1) * sizeof *a);
        double *tmp = malloc((n ? n : 1) * sizeof *tmp);
        assert_non_null(in);
        assert_non_null(want);
        assert_non_null(a);
        assert_non_null(tmp);
        for (size_t i = 0; i < n; i++)
            in[i] = awkward_value(&s);
        pivot_kind kind = n == 0 ? BELOW_NONE : (pivot_kind)(trial % 4);
        double pv = n ? in[next_u64(&s) % n] : 0.0;
        uint64_t p = kind == BELOW_NONE ? 0
                     : kind == BELOW_ALL ? UINT64_MAX
                                         : jf__order_key(bits_of(pv)) + (uint64_t)(kind == BELOW_LE);
        size_t m_want = reference_partition(in, n, kind, pv, want);
        for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            if (n)
                memcpy(a, in, n * sizeof *a);
            size_t m = jf__key_partition((jf__isa)isa, a, n, p, tmp);
            if (m != m_want)
                fail_msg("trial %d, %s, n %zu: %zu below the pivot, want %zu", trial,
                         jf__isa_name((jf__isa)isa), n, m, m_want);
            for (size_t i = 0; i < n; i++)
                if (bits_of(a[i]) != bits_of(want[i]))
                    fail_msg("trial %d, %s, n %zu: a[%zu] = %a, want %a", trial,
                             jf__isa_name((jf__isa)isa), n, i, a[i], want[i]);
            runs[isa]++;
        }
        free(in);
        free(want);
        free(a);
        free(tmp);
    }
    for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
        print_message("%s: %zu arrays\n", jf__isa_name((jf__isa)isa), runs[isa]);
        assert_true(runs[isa] == (jf__isa_supported((jf__isa)isa) ? 600u : 0u));
    }
}

/* Selection with the scratch (vector partitions) and without (in place)
 * puts the same bits at every wanted rank as a full sort, under every
 * instruction set; with the scratch the whole array comes out the same
 * whatever the instruction set. */
static void test_select_with_scratch(void **state)
{
    (void)state;
    uint64_t s = 0x5eed0002u;
    const size_t sizes[] = {1, 2, 25, 26, 100, 513, 4096, 20000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        const size_t n = sizes[si];
        double *in = malloc(n * sizeof *in), *sorted = malloc(n * sizeof *sorted);
        double *a = malloc(n * sizeof *a), *first = malloc(n * sizeof *first);
        double *tmp = malloc(n * sizeof *tmp);
        assert_non_null(in);
        assert_non_null(sorted);
        assert_non_null(a);
        assert_non_null(first);
        assert_non_null(tmp);
        for (size_t i = 0; i < n; i++)
            in[i] = si % 2 ? awkward_value(&s) : (double)(next_u64(&s) % 3); /* atoms */
        memcpy(sorted, in, n * sizeof *in);
        qsort(sorted, n, sizeof *sorted, jf_test_cmp_total);
        size_t ranks[10], nr = 0;
        for (size_t k = 0; k < 10 && k < n; k++) {
            size_t r = (size_t)((double)(n - 1) * (double)k / 9.0);
            if (nr == 0 || r > ranks[nr - 1])
                ranks[nr++] = r;
        }
        bool have_first = false;
        for (int isa = 0; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            jf__isa_set_limit((jf__isa)isa);
            for (int with = 0; with < 2; with++) {
                memcpy(a, in, n * sizeof *a);
                jf__select_f64(a, n, ranks, nr, with ? tmp : NULL);
                for (size_t k = 0; k < nr; k++)
                    if (bits_of(a[ranks[k]]) != bits_of(sorted[ranks[k]]))
                        fail_msg("n %zu, %s, scratch %d: rank %zu holds %a, want %a", n,
                                 jf__isa_name((jf__isa)isa), with, ranks[k], a[ranks[k]],
                                 sorted[ranks[k]]);
                if (with && !have_first) {
                    memcpy(first, a, n * sizeof *a);
                    have_first = true;
                } else if (with) {
                    assert_memory_equal(first, a, n * sizeof *a);
                }
            }
        }
        jf__isa_set_limit(JF__ISA_COUNT);
        free(in);
        free(sorted);
        free(a);
        free(first);
        free(tmp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_matches_definition),
        cmocka_unit_test(test_select_with_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
