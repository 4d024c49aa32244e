/*
 * stats.h — statistics of MODEL.md §7 (internal).
 *
 * Two ways to the same jf_stats record:
 *   - from exact samples (every path's value): jf__stats_compute reads n,
 *     mean, sd, se, min and max in linear passes over the array as given and
 *     the five percentiles off the few order statistics they need (put in
 *     place by selection, not a sort).  n, min, max and the percentiles
 *     depend only on the multiset of values; mean and sd (summation order)
 *     on the array's order too, which the caller makes the path order,
 *     never the order in which threads produced them;
 *   - from a mergeable moments accumulator (n, compensated sum, M2, min,
 *     max): per-block accumulators are merged in a fixed order (M2 by Chan,
 *     Golub & LeVeque 1979), which is how the annual series are summarised
 *     when exact samples would not fit the memory budget (the percentiles
 *     then come from the quantile sketch).  The accumulator is a plain struct
 *     of numbers, so accumulators of separate processes can be merged the
 *     same way after a byte copy.
 *
 * Means are a compensated (Neumaier) sum divided by n, and exactly the value
 * when min == max: a share of 9 paths in 20000 is written 0.00045, not
 * 0.000450000000000022, and a deterministic figure comes back unchanged.
 *
 * Percentiles follow PERCENTILE.INC (MODEL.md §7): with n sorted values x[0..n),
 * h = (n-1)·p, j = floor(h), value = x[j] + (h-j)·(x[j+1]-x[j]).  For the five
 * reported percentiles h is computed in integer arithmetic ((n-1)·k/100), so
 * "exactly on an order statistic" is decided exactly.
 *
 * Censored metrics (MODEL.md §7, §9): a path that never got there holds
 * INFINITY.  n counts the finite values; mean/sd/se/min/max are over them; the
 * percentiles are over all paths with the censored ones sorted last, and a
 * percentile whose interpolation gives nonzero weight to a censored order
 * statistic is missing (empty cell).  sd uses the n-1 divisor and is missing
 * when n < 2; se = sd/sqrt(n).
 */
#ifndef JF_STATS_H
#define JF_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jfsim.h"

/* The reported percentiles, in percent, in jf_stats.pct order. */
#define JF_N_PCT 5
extern const unsigned jf__pct_levels[JF_N_PCT]; /* 5, 25, 50, 75, 95 */

/* A mergeable accumulator of count, sum, sum of squared deviations, min, max. */
typedef struct {
    uint64_t n;
    double sum;      /* Σx = sum + sum_err (Neumaier compensation) */
    double sum_err;
    double m2;       /* Σ(x - mean)² */
    double min;
    double max;
} jf__moments;

/* Reset to the empty accumulator.  This function can't fail. */
void jf__moments_init(jf__moments *acc);

/* Add one value (Welford's update of M2).  This function can't fail. */
void jf__moments_add(jf__moments *acc, double x);

/* Add n values in order.  This function can't fail. */
void jf__moments_add_array(jf__moments *acc, const double *x, size_t n);

/* The mean of what the accumulator holds (0 when empty).  This function can't fail. */
double jf__moments_mean(const jf__moments *acc);

/* Add n values in order, as one block: the block's own sum (8 compensated
 * lanes, value i in lane i mod 8, combined in lane order), min, max and
 * M2 (corrected two-pass) are computed first and then merged into acc, which
 * is more accurate and faster than n single updates.  The result may differ
 * from jf__moments_add_array in the last bits; callers use one or the other
 * consistently.  This function can't fail. */
void jf__moments_add_block(jf__moments *acc, const double *x, size_t n);

/* dst := dst followed by src (Chan et al. pairwise update).  The result
 * depends on the order of merges, so callers merge in a fixed order.
 * This function can't fail. */
void jf__moments_merge(jf__moments *dst, const jf__moments *src);

/* Fill n, mean, sd, se, min, max of `out` from the accumulator; the
 * percentiles are marked missing.  This function can't fail. */
void jf__moments_stats(const jf__moments *acc, jf_stats *out);

/* PERCENTILE.INC of the sorted array x[0..n) at `pct` percent (0..100).
 * Only x[j] and x[j+1] (h = (n-1)·pct/100 = j + f) are read, so an array in
 * which just those two are in their sorted places will do.  Returns false
 * (and leaves *out alone) when n == 0 or when the interpolation gives nonzero
 * weight to a non-finite order statistic.  This function can't fail. */
bool jf__percentile_sorted(const double *x, size_t n, unsigned pct, double *out);

/* Sort x[0..n) ascending (INFINITY last, -0 before +0; no NaN expected).
 * With scratch `tmp` (n doubles) a bucket sort on the IEEE bit patterns
 * (linear time); with tmp NULL a heapsort on the same keys (select.h; no
 * extra memory).  Both give the same array, bit for bit.  This function
 * can't fail. */
void jf__sort_doubles(double *x, size_t n, double *tmp);

/* Statistics of the samples x[0..n).  PERMUTES x IN PLACE (jf__select_f64:
 * afterwards x holds the same values in an unspecified order, in general not
 * sorted); `tmp` is NULL or n doubles of scratch, used only by the selection's
 * fallback sort.  With `censored`, INFINITY marks a censored path as
 * described above; without it every value is expected to be finite.  The
 * result is a function of the array's contents in their given order.  This
 * function can't fail. */
void jf__stats_compute(double *x, size_t n, bool censored, double *tmp, jf_stats *out);

#endif /* JF_STATS_H */
