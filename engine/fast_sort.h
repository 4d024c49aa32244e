/*
 * fast_sort.h — sorting doubles by their bit patterns (internal).
 *
 * The statistics (stats.c: exact percentiles) and the quantile sketch
 * (quantile_sketch.c: its input buffers) spend most of their time sorting
 * doubles.  jf__sort_f64 sorts by the IEEE total order of the bit patterns
 * (-INF < negatives < -0 < +0 < positives < +INF; NaN not expected), so the
 * sorted array is a function of the multiset of bit patterns alone: any
 * correct sort gives the same bytes, and the choice of algorithm never
 * changes a result.  The algorithm is described in the .c file.
 */
#ifndef JF_FAST_SORT_H
#define JF_FAST_SORT_H

#include <stddef.h>

/* Sort x[0..n) ascending as above, using tmp[0..n) as scratch (its contents
 * are clobbered; tmp must not overlap x).  Allocates nothing.  This function
 * can't fail. */
void jf__sort_f64(double *x, size_t n, double *tmp);

#endif /* JF_FAST_SORT_H */
