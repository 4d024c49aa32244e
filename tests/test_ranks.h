/*
 * test_ranks.h — where a value sits in a sorted sample, for the tests that
 * check a percentile's rank error against a full sort (quantile sketch,
 * brackets, sketch-mode runs).  Header-only (static inline), for tests.
 */
#ifndef JF_TEST_RANKS_H
#define JF_TEST_RANKS_H

#include <stddef.h>

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
