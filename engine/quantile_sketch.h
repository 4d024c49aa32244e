/*
 * quantile_sketch.h — a deterministic, mergeable quantile summary (internal).
 *
 * Used for the annual series when keeping every sample would exceed the
 * memory budget (MODEL.md §7: percentiles within ±0.1 percentile rank).
 * Values are fed in path order; summaries merge in a fixed order, so the
 * result depends only on the sequence of values, never on threads.  The
 * algorithm, its rank-error bound and memory bound are described in the .c file.
 */
#ifndef JF_QUANTILE_SKETCH_H
#define JF_QUANTILE_SKETCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct jf__sketch jf__sketch;

/* A sketch whose rank error stays below `eps` (fraction of n, e.g. 0.001)
 * for up to `max_n` values.  Returns NULL when out of memory. */
jf__sketch *jf__sketch_alloc(double eps, uint64_t max_n);
void jf__sketch_free(jf__sketch *sketch);

/* Append values (finite doubles) in order.  Returns 0, or -1 when out of memory. */
int jf__sketch_add(jf__sketch *sketch, const double *values, size_t n);

/* Append everything `src` summarises after what `dst` holds.  Returns 0 or -1 (out of memory). */
int jf__sketch_merge(jf__sketch *dst, const jf__sketch *src);

/* Number of values summarised.  This function can't fail. */
uint64_t jf__sketch_count(const jf__sketch *sketch);

/* Estimate of the p-quantile (p in [0,1]) with linear interpolation between
 * order statistics, like PERCENTILE.INC.  NaN when the sketch is empty. */
double jf__sketch_quantile(const jf__sketch *sketch, double p);

/* Upper bound of the bytes one sketch uses for (eps, max_n), for memory planning. */
size_t jf__sketch_bytes(double eps, uint64_t max_n);

#endif /* JF_QUANTILE_SKETCH_H */
