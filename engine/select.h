/*
 * select.h — order statistics of doubles without a full sort (internal).
 *
 * The exact statistics (stats.c) need only a handful of order statistics of
 * a row of samples: x_(j) and x_(j+1) for each reported percentile.
 * jf__select_f64 puts every wanted rank in its sorted place in linear
 * expected time.  The order is the one jf__sort_f64 (fast_sort.h) uses, the
 * IEEE total order of the bit patterns (-INF < negatives < -0 < +0 <
 * positives < +INF; NaN not expected), so each wanted x[r] is bit for bit
 * the value a full sort would put at index r.  The algorithm is described in
 * the .c file.
 */
#ifndef JF_SELECT_H
#define JF_SELECT_H

#include <stddef.h>

/* Permute x[0..n) so that for every rank r in ranks[0..n_ranks) x[r] is the
 * value jf__sort_f64 would put at index r; x[0..r) then holds the values
 * ordered before it and x(r..n) those ordered after it (ties anywhere among
 * equal bit patterns).  ranks must be strictly ascending and < n.  tmp is
 * NULL or n doubles of scratch (clobbered): with it the partitions run in
 * vector registers (several times faster) and a part is sorted with it when
 * the recursion is too deep (see the .c file).  The permutation is a
 * function of the input array, the ranks and whether tmp is given (no
 * randomness, not the CPU); the values at the ranks never depend on tmp.
 * Allocates nothing.  This function can't fail. */
void jf__select_f64(double *x, size_t n, const size_t *ranks, size_t n_ranks, double *tmp);

/* jf__select_f64 with an explicit budget of partitioning levels instead of
 * the default 2·log2(n): a part still holding wanted ranks when the budget
 * is used up is sorted (0: the whole array is sorted at once).  For tests of
 * that fallback; same contract otherwise.  This function can't fail. */
void jf__select_f64_depth(double *x, size_t n, const size_t *ranks, size_t n_ranks, double *tmp,
                          unsigned max_depth);

#endif /* JF_SELECT_H */
