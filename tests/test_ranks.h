/*
 * test_ranks.h — the reference sort order and where a value sits in a sorted
 * sample, for the tests that check sorting, selection or a percentile's rank
 * error against a full sort (fast_sort, stats, quantile sketch, brackets,
 * sketch-mode runs).  Written independently of the engine's order keys.
 * Header-only (static inline), for tests.
 */
#ifndef JF_TEST_RANKS_H
#define JF_TEST_RANKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* qsort comparator: the total order of the bit patterns,
 * -INF < ... < -0 < +0 < ... < +INF. */
static inline int jf_test_cmp_total(const void *pa, const void *pb)
{
    int64_t a, b;
    memcpy(&a, pa, sizeof a);
    memcpy(&b, pb, sizeof b);
    if (a < 0)
        a = INT64_MIN - a - 1; /* negative doubles: larger magnitude sorts first */
    if (b < 0)
        b = INT64_MIN - b - 1;
    return (a > b) - (a < b);
}

/* Number of values of sorted[0..n) (ascending) below v.  Can't fail. */
static inline size_t jf_test_count_less(const double *sorted, size_t n, double v)
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

/* Number of values of sorted[0..n) (ascending) not above v.  Can't fail. */
static inline size_t jf_test_count_leq(const double *sorted, size_t n, double v)
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

#endif /* JF_TEST_RANKS_H */
