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

/* A sketch whose rank error stays at most `eps`·n (eps a fraction, e.g. 0.001)
 * for any n <= `max_n` values, however they were added and merged; exact
 * while n <= jf__sketch_buffer_size().  All memory is allocated here
 * (jf__sketch_bytes).  Returns NULL when out of memory, eps is not in
 * (0, 0.5] or max_n is 0.  The caller frees it with jf__sketch_free. */
jf__sketch *jf__sketch_alloc(double eps, uint64_t max_n);
/* Accepts NULL.  This function can't fail. */
void jf__sketch_free(jf__sketch *sketch);

/* Append values (finite doubles) in order.  Returns 0, -1 when out of memory
 * (the sketch is then unusable), or -2 when a value is NaN or infinite (then
 * nothing is added).  Memory is allocated only past max_n values. */
int jf__sketch_add(jf__sketch *sketch, const double *values, size_t n);

/* Append everything `src` summarises after what `dst` holds (src != dst;
 * src is unchanged).  Returns 0, -1 (out of memory), or -2 when the two were
 * allocated with different (eps, max_n) buffer sizes. */
int jf__sketch_merge(jf__sketch *dst, const jf__sketch *src);

/* Number of values summarised.  This function can't fail. */
uint64_t jf__sketch_count(const jf__sketch *sketch);

/* Estimate of the p-quantile (p in [0,1]) with linear interpolation between
 * order statistics, like PERCENTILE.INC (and gsl_stats_quantile_from_sorted_data)
 * over the weighted summary.  NaN when the sketch is empty or out of memory. */
double jf__sketch_quantile(const jf__sketch *sketch, double p);

/* Upper bound of the bytes one sketch uses for (eps, max_n), for memory planning
 * (including allocator overhead; a query also mallocs at most 2k + 4·np doubles
 * for its duration).  0 when the arguments are unusable.  This function can't fail. */
size_t jf__sketch_bytes(double eps, uint64_t max_n);

/* Several quantiles in one pass (cheaper than repeated jf__sketch_quantile):
 * out[i] = the p[i]-quantile, p[i] in any order, clamped to [0,1].  All NaN
 * when the sketch is empty.  Returns 0, or -1 when out of memory. */
int jf__sketch_quantiles(const jf__sketch *sketch, const double *p, size_t np, double *out);

/* A certified bound of the rank error of the current summary: the rank of
 * every value is off by at most this many (<= eps·count for count <= max_n,
 * usually far less).  This function can't fail. */
uint64_t jf__sketch_error_bound(const jf__sketch *sketch);

/* Forget every value and keep the memory, as if just allocated.  This function can't fail. */
void jf__sketch_clear(jf__sketch *sketch);

/* Items per buffer (k); values up to k are summarised exactly.  This function can't fail. */
size_t jf__sketch_buffer_size(const jf__sketch *sketch);

#endif /* JF_QUANTILE_SKETCH_H */
