/*
 * quantile_bracket.h — streaming percentiles with a certified rank error
 * (internal; no jfsim types).
 *
 * A cheaper alternative to the quantile sketch for the annual series
 * (MODEL.md §7: percentiles exact or within ±0.1 percentile rank).  The
 * first pilot_n values are kept; when more arrive, a sorted copy of them
 * places histogram edges around each requested percentile, the pilot is
 * freed, and every later value only increments a counter.  A query returns
 * PERCENTILE.INC exactly when it is known exactly, otherwise a value whose
 * rank error is certified <= eps·n, otherwise NaN marked "not certified"
 * (the caller then needs another method).  The method, the meaning of "rank
 * error" and why the bound holds are in the .c file.  The result depends
 * only on the sequence of values, never on how it was cut into calls.
 */
#ifndef JF_QUANTILE_BRACKET_H
#define JF_QUANTILE_BRACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bracket_count.h"

typedef struct jf__qbracket jf__qbracket;

/* An estimator of the n_pct percentiles pct[0..n_pct) (percent, each <= 100;
 * copied) keeping a pilot of pilot_n values (1 <= pilot_n <= 2^32).  Allocates
 * the object and its pilot buffer (jf__qbracket_peak_bytes).  Returns NULL
 * when out of memory or when an argument is unusable (pct NULL, n_pct not in
 * 1..4096, a level above 100, pilot_n out of range).  The caller frees it with
 * jf__qbracket_free. */
jf__qbracket *jf__qbracket_alloc(const unsigned *pct, size_t n_pct, size_t pilot_n);

/* Accepts NULL.  This function can't fail. */
void jf__qbracket_free(jf__qbracket *q);

/* Append x[0..n) in order (finite doubles).  Returns 0; -1 when out of memory
 * (only possible in the call that takes value pilot_n + 1, which sorts the
 * pilot and allocates the histogram; the object is then unusable and every
 * later call returns -1); -2 when a value is NaN or infinite (then nothing of
 * this call is added).  Nothing else is allocated. */
int jf__qbracket_add(jf__qbracket *q, const double *x, size_t n);

/* Number of values added.  This function can't fail. */
uint64_t jf__qbracket_count(const jf__qbracket *q);

/* Keep the pilot's windows to the end (no narrowing; see the .c file): for
 * tests that compare the two.  Call before any value is added.  This
 * function can't fail. */
void jf__qbracket_no_narrowing(jf__qbracket *q);

/* Edges of the histogram now (0 while the pilot fills): for tests and
 * diagnostics.  This function can't fail. */
size_t jf__qbracket_edges(const jf__qbracket *q);

/* The n_pct percentiles in the order given to jf__qbracket_alloc.  eps is
 * the allowed rank error as a fraction of n (MODEL.md §7: 0.001).  out[i] is
 * exact PERCENTILE.INC, or a value certified to be within eps·n ranks of it,
 * with certified[i] = true; or NaN with certified[i] = false when it cannot
 * be certified or no value was added.  While n <= pilot_n every answer is
 * exact (the pilot is sorted in place here, with a temporary malloc of n
 * doubles, or a heapsort when that fails).  The object stays usable.
 * Returns 0, or -1 when the object is unusable after a failed add (every
 * out[i] is then NaN and certified[i] false). */
int jf__qbracket_quantiles(jf__qbracket *q, double eps, double *out, bool *certified);

/* Upper bound of the bytes one object uses at its peak, for memory planning:
 * the object and pilot buffer, plus, in the call that fills the pilot, the
 * scratch of jf__qbracket_switch_bytes (freed before the call returns) and
 * the histogram, with allocator overhead.  Valid for any n_pct levels.  0 when
 * the arguments are unusable.  This function can't fail. */
size_t jf__qbracket_peak_bytes(size_t n_pct, size_t pilot_n);

/* Upper bound of the bytes one object holds once its pilot has been freed
 * (object, edges, histogram; with allocator overhead).  Before that it holds
 * at most the object and pilot buffer, i.e. about 8·pilot_n bytes.  0 when
 * the arguments are unusable.  This function can't fail. */
size_t jf__qbracket_steady_bytes(size_t n_pct, size_t pilot_n);

/* Upper bound of the scratch the call that fills the pilot allocates and
 * frees (about 9·pilot_n bytes): objects filled one after another by one
 * thread need it once, not once each.  0 when the arguments are unusable.
 * This function can't fail. */
size_t jf__qbracket_switch_bytes(size_t n_pct, size_t pilot_n);

#endif /* JF_QUANTILE_BRACKET_H */
