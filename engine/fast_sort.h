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
#include <stdint.h>
#include <string.h>

/* The order key of a double's bit pattern: negative: all bits flipped;
 * otherwise: sign bit set.  Keys compare as unsigned integers exactly as the
 * total order above, so one integer comparison decides (fast_sort.c,
 * select.c, stats.c all use this one map).  This function can't fail. */
static inline uint64_t jf__order_key(uint64_t bits)
{
    return bits ^ ((0 - (bits >> 63)) | ((uint64_t)1 << 63));
}

/* The bit pattern of order key `key` (the inverse).  This function can't fail. */
static inline uint64_t jf__key_bits(uint64_t key)
{
    return key ^ (((key >> 63) - 1) | ((uint64_t)1 << 63));
}

/* The bits of base[i], and storing bits there, without type punning.
 * These functions can't fail. */
static inline uint64_t jf__bits_at(const double *base, size_t i)
{
    uint64_t u;
    memcpy(&u, base + i, sizeof u);
    return u;
}

static inline void jf__set_bits(double *base, size_t i, uint64_t u)
{
    memcpy(base + i, &u, sizeof u);
}

/* Sort x[0..n) ascending as above, using tmp[0..n) as scratch (its contents
 * are clobbered; tmp must not overlap x).  Allocates nothing.  This function
 * can't fail. */
void jf__sort_f64(double *x, size_t n, double *tmp);

#endif /* JF_FAST_SORT_H */
