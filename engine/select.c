/*
 * select.c — multi-selection of order statistics (see select.h).
 *
 * Values are compared by an unsigned key that orders like them (the map of
 * fast_sort.c: negative: all bits flipped; otherwise: sign bit set), so -0
 * sorts before +0 and one integer comparison decides; the key is computed
 * where it is needed and the array only ever holds the caller's doubles,
 * moved.  On the keys, Hoare's FIND (quickselect) generalised to an
 * ascending list of ranks: partition, then go only into the parts that
 * still hold a wanted rank.
 *   pivot      median of 3 keys of the part (first, middle, last), or Tukey's
 *              ninther (median of three such medians spread over the part)
 *              above 512 keys: deterministic, and the exact median on sorted
 *              and reverse-sorted input.
 *   partition  [lo, m) < pivot <= [m, hi): with the caller's scratch, stable
 *              and out of place, a vector at a time (key_partition.h: every
 *              instruction set gives the same array); without, branch-free
 *              Lomuto in place.  When nothing is below the pivot (it is the
 *              part's minimum) the part is split again into == pivot |
 *              > pivot, and the equal block,
 *              already in its sorted place, is dropped with the ranks inside
 *              it: an atom (the zeros of a failed resource, the INFINITY of
 *              censored paths) costs a pass, not a descent.  Either way the
 *              part shrinks (the pivot value is in it and lands on the right).
 *   small      a part of at most 24 keys is insertion-sorted.
 *   fallback   a part still holding wanted ranks after 2·log2(n) levels of
 *              partitioning (input pathological for the pivot rule) is sorted
 *              whole: jf__sort_f64 with the scratch, a heapsort on the keys
 *              without it.
 * Expected time O(n·log k) for k separate clusters of ranks (k <= 5 for the
 * statistics: a pass over the row, then parts that shrink geometrically);
 * worst case O(n log n).  Every step depends only on the keys and their
 * positions, so the result is a function of the input array.  Values are
 * moved as bit patterns through memcpy (no type punning); nothing is
 * allocated.
 */
#include "select.h"

#include <stdint.h>
#include <string.h>

#include "fast_sort.h"
#include "key_partition.h"

#define JF__SELECT_SMALL 24u
#define JF__SELECT_NINTHER 512u

/* The order key of a[i]. */
static inline uint64_t key_at(const double *a, size_t i)
{
    return jf__order_key(jf__bits_at(a, i));
}

static void insertion_sort(double *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t u = jf__bits_at(a, i), k = jf__order_key(u);
        size_t j = i;
        while (j > 0) {
            uint64_t p = jf__bits_at(a, j - 1);
            if (jf__order_key(p) <= k)
                break;
            jf__set_bits(a, j, p);
            j--;
        }
        jf__set_bits(a, j, u);
    }
}

/* Restore the max-heap a[0..n) below index i. */
static void sift_down(double *a, size_t i, size_t n)
{
    uint64_t u = jf__bits_at(a, i), k = jf__order_key(u);
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        uint64_t kc = key_at(a, c);
        if (c + 1 < n) {
            uint64_t k2 = key_at(a, c + 1);
            if (k2 > kc) {
                c++;
                kc = k2;
            }
        }
        if (kc <= k)
            break;
        jf__set_bits(a, i, jf__bits_at(a, c));
        i = c;
    }
    jf__set_bits(a, i, u);
}

static void heap_sort(double *a, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        uint64_t top = jf__bits_at(a, 0);
        jf__set_bits(a, 0, jf__bits_at(a, end));
        jf__set_bits(a, end, top);
        sift_down(a, 0, end);
    }
}

/* Sort a[0..n) (the fallback); tmp is NULL or >= n doubles. */
static void sort_part(double *a, size_t n, double *tmp)
{
    if (tmp)
        jf__sort_f64(a, n, tmp);
    else
        heap_sort(a, n);
}

static inline uint64_t med3(uint64_t a, uint64_t b, uint64_t c)
{
    if (a > b) {
        uint64_t t = a;
        a = b;
        b = t;
    }
    return c <= a ? a : c >= b ? b : c;
}

/* The pivot of the part a[0..n), n > JF__SELECT_SMALL. */
static uint64_t pivot_key(const double *a, size_t n)
{
    size_t mid = n / 2;
    if (n <= JF__SELECT_NINTHER)
        return med3(key_at(a, 0), key_at(a, mid), key_at(a, n - 1));
    size_t d = n / 8;
    return med3(med3(key_at(a, 0), key_at(a, d), key_at(a, 2 * d)),
                med3(key_at(a, mid - d), key_at(a, mid), key_at(a, mid + d)),
                med3(key_at(a, n - 1 - 2 * d), key_at(a, n - 1 - d), key_at(a, n - 1)));
}

/* Move the keys < p to the front of a[0..n), keeping no order; returns their
 * count.  Invariant: a[0..m) < p <= a[m..i). */
static size_t partition_below(double *a, size_t n, uint64_t p)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = jf__bits_at(a, i);
        jf__set_bits(a, i, jf__bits_at(a, m));
        jf__set_bits(a, m, u);
        m += jf__order_key(u) < p;
    }
    return m;
}

/* partition_below with the stable vector kernels when there is scratch
 * (key_partition.h), else in place. */
static size_t partition_part(double *a, size_t n, uint64_t p, double *tmp)
{
    return tmp ? jf__key_partition(jf__isa_best(), a, n, p, tmp) : partition_below(a, n, p);
}

/* Put the ranks r[0..nr) (ascending, all in [lo, hi)) of a in place; `depth`
 * partitioning levels are left before the fallback. */
static void select_keys(double *a, size_t lo, size_t hi, const size_t *r, size_t nr, double *tmp,
                        unsigned depth)
{
    while (nr > 0) {
        size_t n = hi - lo;
        if (n <= JF__SELECT_SMALL) {
            insertion_sort(a + lo, n);
            return;
        }
        if (depth == 0) {
            sort_part(a + lo, n, tmp);
            return;
        }
        depth--;
        uint64_t p = pivot_key(a + lo, n);
        size_t m = partition_part(a + lo, n, p, tmp);
        if (m == 0) {
            /* p is the minimum: a[lo, lo+e) == p is in its sorted place. */
            size_t e = p == UINT64_MAX ? n : partition_part(a + lo, n, p + 1, tmp);
            lo += e;
            while (nr > 0 && *r < lo) {
                r++;
                nr--;
            }
            continue;
        }
        size_t cut = lo + m, nl = 0;
        while (nl < nr && r[nl] < cut)
            nl++;
        if (nl > 0)
            select_keys(a, lo, cut, r, nl, tmp, depth);
        r += nl;
        nr -= nl;
        lo = cut;
    }
}

void jf__select_f64_depth(double *x, size_t n, const size_t *ranks, size_t n_ranks, double *tmp,
                          unsigned max_depth)
{
    if (n < 2 || n_ranks == 0)
        return;
    select_keys(x, 0, n, ranks, n_ranks, tmp, max_depth);
}

void jf__select_f64(double *x, size_t n, const size_t *ranks, size_t n_ranks, double *tmp)
{
    unsigned lg = 0;
    for (size_t v = n; v > 1; v >>= 1)
        lg++;
    jf__select_f64_depth(x, n, ranks, n_ranks, tmp, 2 * lg);
}
