/*
 * fast_sort.c — sorting doubles by their bit patterns (see fast_sort.h).
 *
 * Each double is mapped to an unsigned key that orders like it (negative:
 * all bits flipped; otherwise: sign bit set), the keys are sorted, and mapped
 * back.  The key sort is a most-significant-digit bucket sort on the key
 * RANGE rather than on fixed bytes: with lo and hi the smallest and largest
 * key of a run, item k goes to bucket (k - lo) >> s, s chosen so that there
 * are at most 2^b buckets (b ~ log2(run length) + 1, 6..11).  Because the key
 * is close to a piecewise-linear log of the value, the values of a Monte
 * Carlo column (a few octaves, lognormal-like) spread over the buckets evenly
 * and one counting pass plus one scatter usually leaves buckets of 1–3
 * items; a bucket of more than 32 items is sorted the same way again
 * (its range is at least 2^(b-1) times smaller, so the depth stays below
 * 64/6 levels), a smaller one by insertion sort, a bucket whose keys are all
 * equal (an atom such as the zeros of a failed resource) not at all.
 * Compared with the former LSD radix sort (one pass per varying byte, about
 * 7 on such data) this touches each item 2–3 times instead of ~8.
 *
 * Keys live in the caller's double arrays and are accessed only through
 * memcpy (no type punning).  Nothing is allocated; the count array of a
 * level (at most 2049 uint32) is on the stack.
 */
#include "fast_sort.h"

#include <stdint.h>
#include <string.h>

#define JF__SORT_SMALL 32u
#define JF__SORT_MAX_BITS 11u


static void insertion_keys(double *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t k = jf__bits_at(a, i);
        size_t j = i;
        while (j > 0) {
            uint64_t p = jf__bits_at(a, j - 1);
            if (p <= k)
                break;
            jf__set_bits(a, j, p);
            j--;
        }
        jf__set_bits(a, j, k);
    }
}

static unsigned bit_width(uint64_t v)
{
    unsigned w = 0;
    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

static void sort_keys(double *a, double *t, size_t n);

/* Sort the keys a[0..n), whose smallest and largest are lo and hi, using
 * t[0..n) as scratch (n > JF__SORT_SMALL). */
static void sort_keys_range(double *a, double *t, size_t n, uint64_t lo, uint64_t hi)
{
    if (lo == hi)
        return;
    unsigned bits = bit_width((uint64_t)n) + 1;
    if (bits < 6)
        bits = 6;
    if (bits > JF__SORT_MAX_BITS)
        bits = JF__SORT_MAX_BITS;
    unsigned width = bit_width(hi - lo);
    unsigned shift = width > bits ? width - bits : 0;
    size_t nbk = (size_t)((hi - lo) >> shift) + 1;   /* <= 2^bits */
    size_t count[(1u << JF__SORT_MAX_BITS) + 1]; /* size_t: a row may pass 2^32 values */
    memset(count, 0, (nbk + 1) * sizeof count[0]);
    for (size_t i = 0; i < n; i++)
        count[(size_t)((jf__bits_at(a, i) - lo) >> shift) + 1]++;
    for (size_t b = 1; b <= nbk; b++)
        count[b] += count[b - 1];
    /* count[b] is now the start of bucket b; scatter advances it to the end. */
    for (size_t i = 0; i < n; i++) {
        uint64_t k = jf__bits_at(a, i);
        jf__set_bits(t, count[(size_t)((k - lo) >> shift)]++, k);
    }
    memcpy(a, t, n * sizeof *a);
    if (shift == 0)
        return; /* every bucket holds one key value */
    size_t start = 0;
    for (size_t b = 0; b < nbk; b++) {
        size_t end = count[b];
        if (end - start > 1)
            sort_keys(a + start, t + start, end - start);
        start = end;
    }
}

/* Sort the keys a[0..n) using t[0..n) as scratch. */
static void sort_keys(double *a, double *t, size_t n)
{
    if (n <= JF__SORT_SMALL) {
        insertion_keys(a, n);
        return;
    }
    uint64_t lo = jf__bits_at(a, 0), hi = lo;
    for (size_t i = 1; i < n; i++) {
        uint64_t k = jf__bits_at(a, i);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    sort_keys_range(a, t, n, lo, hi);
}

void jf__sort_f64(double *x, size_t n, double *tmp)
{
    if (n < 2)
        return;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = jf__bits_at(x, i);
        uint64_t k = jf__order_key(u);
        jf__set_bits(x, i, k);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (n <= JF__SORT_SMALL)
        insertion_keys(x, n);
    else
        sort_keys_range(x, tmp, n, lo, hi);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = jf__bits_at(x, i);
        jf__set_bits(x, i, jf__key_bits(k));
    }
}
