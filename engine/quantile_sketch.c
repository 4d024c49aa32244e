/*
 * quantile_sketch.c — a deterministic, mergeable quantile summary with a
 * guaranteed rank error (MODEL.md §7: annual-series percentiles within ±0.1
 * percentile rank, i.e. eps = 0.001, when the exact samples do not fit).
 *
 * Algorithm (Munro–Paterson / Manku–Rajagopalan–Lindsay hierarchy).  Values
 * go into an input buffer of k items of weight 1.  A full input buffer is
 * sorted and carried into level 0.  Level h holds at most one sorted buffer of
 * k items, each of weight 2^h.  A carry arriving at an occupied level is
 * compacted with the buffer there: the 2k items are merged in order and every
 * other one is kept (offset 0 or 1), giving k items of weight 2^(h+1) that are
 * carried on to level h+1.  Total weight is conserved exactly, so the
 * weighted summary always stands for exactly n values.  No random numbers:
 * the state is a function of the value sequence (and of the merge calls).
 * A merge adds src's POS/NEG (below) to dst's, carries src's level buffers
 * into dst at their own levels (copied; src is left as it was), then appends
 * src's partial input as jf__sketch_add would.
 *
 * Rank error.  For a query x let r be how many of the 2k compacted items are
 * <= x (a prefix of the merged order).  Keeping offset 0 keeps ceil(r/2) of
 * them, so the weight counted below x changes by 2^(h+1)·ceil(r/2) - 2^h·r,
 * in [0, +2^h]; offset 1 gives floor(r/2), an error in [-2^h, 0].  So after
 * all compactions the error of the rank of every x lies in [-NEG, +POS],
 * where POS (NEG) is the sum of 2^h over the compactions made with offset 0
 * (1).  The sketch keeps POS and NEG (exact integers) and picks for each
 * compaction the offset whose side is smaller (ties: offset 0), so the
 * imbalance D = |POS - NEG| obeys D' <= max(D, 2^h) at a compaction, and
 * D <= D_dst + D_src at a merge (POS and NEG add).
 *   - A compaction at level h needs two level-h buffers, i.e. weight
 *     2k·2^h <= n; so 2^h <= n/(2k), levels h = 0..L-1 compact, with
 *     L = floor(log2(n/k)), and level h compacts at most n/(2k·2^h) times
 *     (each takes weight 2k·2^h of the n).  Total T = POS + NEG <= L·n/(2k).
 *   - By induction over any tree of merges, D <= n/(2k): a leaf's D is at
 *     most its largest 2^h <= n_leaf/(2k); a merge gives D_dst + D_src <=
 *     n/(2k) and later compactions keep D <= max(D, n/(2k)).
 *   - The rank error is at most max(POS, NEG) = (T + D)/2, so
 *         |rank error| <= (L + 1)·n/(4k),   L = floor(log2(max_n / k)).
 *     jf__sketch_alloc picks the smallest k with (L + 1)/(4k) <= eps.  For
 *     eps = 0.001 and max_n = 1e7: k = 3000, L = 11 (the bound is reached at
 *     n = k·2^L exactly, so no smaller k is safe); max_n = 1e6: k = 2250, L = 8.
 *   - The rank error of an order statistic turns into an error of the
 *     PERCENTILE.INC result as follows: the returned value lies between the
 *     exact order statistics of positions floor(p(n-1)) - E and
 *     floor(p(n-1)) + 1 + E, with E the bound above.  The certified bound
 *     max(POS, NEG) of the actual history, usually far below eps·n, is
 *     available from jf__sketch_error_bound.
 *
 * Memory.  Buffers of k doubles come from a pool allocated once with the
 * sketch.  At rest the input buffer and the occupied levels are in use; a
 * compaction needs one more output buffer, and a level h can be occupied only
 * if weight k·2^h <= n.  A cascade starts when a carry meets occupied level
 * buffers; all levels 0..L occupied plus a carry would weigh at least
 * k·2^(L+1) > n, so at most L+2 buffers are ever in use for n <= max_n (at
 * rest at most L+1 levels + the input; during a compaction at most L levels +
 * the carry + the output; when a full input is sorted, at most L levels +
 * the input, so a free buffer serves as the sort's scratch).  Total:
 * (L+2)·k doubles, about 305 KiB for (0.001, 1e7) and 176 KiB for
 * (0.001, 1e6).  That is a hair over the
 * 300 KB planning target at 1e7; the options that would meet it were
 * rejected: a smaller k breaks the guarantee above, and storing floats moves
 * atoms such as a 500e9 repayment target in the 8th significant digit, which
 * the 15-digit CSV would show.  Past max_n the sketch keeps working (extra
 * buffers are allocated on demand) but the guarantee scales with the larger L.
 *
 * Queries copy and sort the partial input buffer (one malloc of at most 2k
 * doubles) and walk all sorted buffers with a small heap, so they take
 * O(items·log(levels)) time and never modify the sketch.
 */
#include "quantile_sketch.h"

#include "fast_sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JF__SKETCH_MAX_LEVELS 64
#define JF__SKETCH_MAX_BUFFERS (JF__SKETCH_MAX_LEVELS + 2)

struct jf__sketch {
    size_t k;            /* items per buffer */
    uint64_t n;          /* values summarised */
    uint64_t pos, neg;   /* summed weights of offset-0 / offset-1 compactions */
    double *input;       /* the partial buffer of weight-1 items (unsorted) */
    size_t input_n;
    double *level[JF__SKETCH_MAX_LEVELS]; /* sorted k-item buffer or NULL */
    double *free_list[JF__SKETCH_MAX_BUFFERS];
    size_t n_free;
    double *block;       /* the pool allocated with the sketch */
    double *extra[JF__SKETCH_MAX_BUFFERS]; /* buffers allocated past max_n */
    size_t n_extra;
};

/* floor(log2(max_n / k)), or 0 when max_n < k. */
static unsigned top_level(uint64_t max_n, size_t k)
{
    unsigned L = 0;
    while (L + 1 < JF__SKETCH_MAX_LEVELS && (uint64_t)k <= (max_n >> (L + 1)))
        L++;
    return L;
}

/* The smallest k with (L(k) + 1) <= 4·eps·k (see the design note), capped at
 * max_n (then nothing is ever compacted and the sketch is exact).  For each
 * candidate top level L the smallest k is max(ceil((L+1)/(4 eps)), the
 * smallest k whose top level is at most L); the answer is the least of these.
 * Returns 0 for unusable arguments. */
static size_t choose_k(double eps, uint64_t max_n)
{
    if (!(eps > 0.0) || !(eps <= 0.5) || max_n == 0)
        return 0;
    double best = INFINITY;
    for (unsigned L = 0; L + 1 < JF__SKETCH_MAX_LEVELS; L++) {
        double k = ceil((double)(L + 1) / (4.0 * eps));
        double k_top = (double)(max_n >> (L + 1)) + 1.0; /* top_level(max_n, k) <= L */
        if (k_top > k)
            k = k_top;
        if (k < best)
            best = k;
    }
    if (best >= (double)max_n)
        best = (double)max_n;
    if (best < 2.0)
        best = 2.0;
    if (best > 1e12)
        return 0;
    return (size_t)best;
}

static size_t pool_buffers(uint64_t max_n, size_t k)
{
    return (size_t)top_level(max_n, k) + 2;
}

size_t jf__sketch_bytes(double eps, uint64_t max_n)
{
    size_t k = choose_k(eps, max_n);
    if (k == 0)
        return 0;
    /* +64 per allocation: a generous allowance for allocator headers. */
    return sizeof(jf__sketch) + 64 + pool_buffers(max_n, k) * k * sizeof(double) + 64;
}

jf__sketch *jf__sketch_alloc(double eps, uint64_t max_n)
{
    size_t k = choose_k(eps, max_n);
    if (k == 0)
        return NULL;
    size_t nb = pool_buffers(max_n, k);
    jf__sketch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->k = k;
    s->block = malloc(nb * k * sizeof(double));
    if (!s->block) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < nb; i++)
        s->free_list[s->n_free++] = s->block + (nb - 1 - i) * k;
    s->input = s->free_list[--s->n_free];
    return s;
}

void jf__sketch_free(jf__sketch *sketch)
{
    if (!sketch)
        return;
    for (size_t i = 0; i < sketch->n_extra; i++)
        free(sketch->extra[i]);
    free(sketch->block);
    free(sketch);
}

void jf__sketch_clear(jf__sketch *sketch)
{
    for (unsigned h = 0; h < JF__SKETCH_MAX_LEVELS; h++) {
        if (sketch->level[h]) {
            sketch->free_list[sketch->n_free++] = sketch->level[h];
            sketch->level[h] = NULL;
        }
    }
    sketch->n = sketch->pos = sketch->neg = 0;
    sketch->input_n = 0;
}

uint64_t jf__sketch_count(const jf__sketch *sketch)
{
    return sketch->n;
}

uint64_t jf__sketch_error_bound(const jf__sketch *sketch)
{
    return sketch->pos > sketch->neg ? sketch->pos : sketch->neg;
}

size_t jf__sketch_buffer_size(const jf__sketch *sketch)
{
    return sketch->k;
}

/* ---- buffers ------------------------------------------------------------ */

/* A free buffer, or NULL when out of memory (only possible past max_n). */
static double *get_buffer(jf__sketch *s)
{
    if (s->n_free > 0)
        return s->free_list[--s->n_free];
    if (s->n_extra >= JF__SKETCH_MAX_BUFFERS)
        return NULL;
    double *b = malloc(s->k * sizeof(double));
    if (b)
        s->extra[s->n_extra++] = b;
    return b;
}

static void put_buffer(jf__sketch *s, double *b)
{
    s->free_list[s->n_free++] = b;
}

/* ---- sorting ------------------------------------------------------------------
 * jf__sort_f64 (fast_sort.c): a bucket sort on the doubles' order-preserving
 * bit keys, so the result is a function of the input alone (-0 never occurs:
 * jf__sketch_add turns it into +0). */

/* Sort a[n] ascending using tmp[n] as scratch. */
static void sort_doubles(double *a, double *tmp, size_t n)
{
    jf__sort_f64(a, n, tmp);
}

/* ---- compaction ----------------------------------------------------------- */

/* Merge sorted a[k] and b[k], keep every other item from `offset` into out[k]:
 * the merged order has positions 0..2k-1 (ties: a's item first), and the
 * item at position p is kept, as out[p / 2], when p % 2 == offset.
 * Two independent branch-free merges run in one loop: from the front
 * (positions 0..k-1) and from the back (positions 2k-1 down to k), which
 * halves the length of the compare-and-advance dependency chain.  Neither
 * runs off its arrays: after s steps from the front i + j = s < k, and from
 * the back k-1-ia + k-1-jb = s < k.  Items not kept go to a sink. */
static void merge_half(const double *a, const double *b, size_t k, unsigned offset, double *out)
{
    size_t i = 0, j = 0;              /* front: next unconsumed */
    size_t ia = k - 1, jb = k - 1;    /* back: last unconsumed */
    double sink;
    for (size_t step = 0; step < k; step++) {
        double x = a[i], y = b[j];
        int fa = x <= y;              /* front takes a on ties */
        double v = fa ? x : y;
        i += (size_t)fa;
        j += (size_t)!fa;
        size_t p = step;
        double *d = (p & 1u) == offset ? &out[p >> 1] : &sink;
        *d = v;

        double xb = a[ia], yb = b[jb];
        int ba = xb > yb;             /* back takes b on ties (b's item comes last) */
        double w = ba ? xb : yb;
        ia -= (size_t)ba;
        jb -= (size_t)!ba;
        size_t q = 2 * k - 1 - step;
        double *e = (q & 1u) == offset ? &out[q >> 1] : &sink;
        *e = w;
    }
    (void)sink;
}

/* Carry sorted buffer `carry` (k items of weight 2^h) into level h and up.
 * `owned`: carry is a pool buffer that now belongs to the sketch; otherwise it
 * is another sketch's buffer, only read.  Returns 0 or -1 (out of memory). */
static int carry_in(jf__sketch *s, unsigned h, const double *carry, double *owned)
{
    for (;;) {
        if (h >= JF__SKETCH_MAX_LEVELS)
            return -1; /* unreachable: weight 2^64 */
        if (!s->level[h]) {
            if (!owned) {
                owned = get_buffer(s);
                if (!owned)
                    return -1;
                memcpy(owned, carry, s->k * sizeof(double));
            }
            s->level[h] = owned;
            return 0;
        }
        double *out = get_buffer(s);
        if (!out)
            return -1;
        uint64_t w = (uint64_t)1 << h;
        unsigned offset;
        if (s->pos <= s->neg) {
            offset = 0;
            s->pos += w;
        } else {
            offset = 1;
            s->neg += w;
        }
        merge_half(s->level[h], carry, s->k, offset, out);
        put_buffer(s, s->level[h]);
        s->level[h] = NULL;
        if (owned)
            put_buffer(s, owned);
        carry = owned = out;
        h++;
    }
}

/* Push the full input buffer into level 0 and take a fresh one. */
static int flush_input(jf__sketch *s)
{
    double *full = s->input;
    double *tmp = get_buffer(s); /* free for n <= max_n: see the design note */
    if (!tmp)
        return -1;
    sort_doubles(full, tmp, s->k);
    put_buffer(s, tmp);
    s->input = NULL;
    s->input_n = 0;
    if (carry_in(s, 0, full, full) != 0)
        return -1;
    s->input = get_buffer(s);
    return s->input ? 0 : -1;
}

int jf__sketch_add(jf__sketch *sketch, const double *values, size_t n)
{
    /* x - x is 0 for a finite x and NaN for ±INF or NaN; NaN poisons the sum. */
    double probe = 0.0;
    for (size_t i = 0; i < n; i++)
        probe += values[i] - values[i];
    if (probe != 0.0)
        return -2;
    if (!sketch->input)
        return -1; /* an earlier out-of-memory left the sketch unusable */
    size_t i = 0;
    while (i < n) {
        if (sketch->input_n == sketch->k && flush_input(sketch) != 0)
            return -1;
        size_t room = sketch->k - sketch->input_n, take = n - i < room ? n - i : room;
        double *dst = sketch->input + sketch->input_n;
        for (size_t j = 0; j < take; j++)
            dst[j] = values[i + j] + 0.0; /* -0 + 0 = +0: -0 -> +0, everything else unchanged */
        sketch->input_n += take;
        sketch->n += take;
        i += take;
    }
    return 0;
}

int jf__sketch_merge(jf__sketch *dst, const jf__sketch *src)
{
    if (dst->k != src->k)
        return -2;
    if (!dst->input || !src->input)
        return -1;
    dst->pos += src->pos;
    dst->neg += src->neg;
    for (unsigned h = 0; h < JF__SKETCH_MAX_LEVELS; h++) {
        if (src->level[h]) {
            if (carry_in(dst, h, src->level[h], NULL) != 0)
                return -1;
            dst->n += (uint64_t)src->k << h;
        }
    }
    return jf__sketch_add(dst, src->input, src->input_n);
}

/* ---- queries -------------------------------------------------------------- */

typedef struct {
    const double *items;
    size_t len, next;
    uint64_t weight;
} run_cursor;

static int cursor_less(const run_cursor *a, const run_cursor *b)
{
    return a->items[a->next] < b->items[b->next];
}

static void heap_down(run_cursor *heap, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && cursor_less(&heap[l], &heap[m]))
            m = l;
        if (l + 1 < n && cursor_less(&heap[l + 1], &heap[m]))
            m = l + 1;
        if (m == i)
            return;
        run_cursor t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
}

int jf__sketch_quantiles(const jf__sketch *sketch, const double *p, size_t np, double *out)
{
    if (np == 0)
        return 0;
    if (sketch->n == 0) {
        for (size_t q = 0; q < np; q++)
            out[q] = NAN;
        return 0;
    }
    double *input = NULL;
    if (sketch->input_n > 0) {
        input = malloc(2 * sketch->input_n * sizeof(double));
        if (!input)
            return -1;
        memcpy(input, sketch->input, sketch->input_n * sizeof(double));
        sort_doubles(input, input + sketch->input_n, sketch->input_n);
    }
    /* Order the requests by position: idx[] sorted by p (insertion sort; np is small). */
    size_t *idx = malloc(np * sizeof *idx);
    uint64_t *lo = malloc(np * sizeof *lo);
    double *a = malloc(np * sizeof *a), *b = malloc(np * sizeof *b);
    if (!idx || !lo || !a || !b) {
        free(input);
        free(idx);
        free(lo);
        free(a);
        free(b);
        return -1;
    }
    uint64_t n = sketch->n;
    for (size_t q = 0; q < np; q++) {
        double pq = p[q] < 0.0 ? 0.0 : p[q] > 1.0 ? 1.0 : p[q];
        if (isnan(p[q]))
            pq = 0.0;
        lo[q] = (uint64_t)floor(pq * (double)(n - 1));
        if (lo[q] > n - 1)
            lo[q] = n - 1;
        size_t j = q;
        while (j > 0 && lo[idx[j - 1]] > lo[q]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = q;
    }

    run_cursor heap[JF__SKETCH_MAX_LEVELS + 1];
    size_t nh = 0;
    if (input)
        heap[nh++] = (run_cursor){input, sketch->input_n, 0, 1};
    for (unsigned h = 0; h < JF__SKETCH_MAX_LEVELS; h++)
        if (sketch->level[h])
            heap[nh++] = (run_cursor){sketch->level[h], sketch->k, 0, (uint64_t)1 << h};
    for (size_t i = nh / 2; i-- > 0;)
        heap_down(heap, nh, i);

    /* Walk the weighted items in order; item v of weight w covers positions
     * [cum, cum + w) of the expanded sample.  Fill a = x[lo], b = x[lo + 1]. */
    uint64_t cum = 0;
    size_t r = 0;   /* next request (in idx order) still needing a */
    size_t rb = 0;  /* next request still needing b */
    while (nh > 0 && rb < np) {
        run_cursor *c = &heap[0];
        double v = c->items[c->next];
        uint64_t end = cum + c->weight;
        while (r < np && lo[idx[r]] < end) {
            a[idx[r]] = v;
            r++;
        }
        while (rb < r && (lo[idx[rb]] + 1 < end || lo[idx[rb]] + 1 >= n)) {
            b[idx[rb]] = lo[idx[rb]] + 1 >= n ? a[idx[rb]] : v;
            rb++;
        }
        cum = end;
        if (++c->next == c->len)
            heap[0] = heap[--nh];
        heap_down(heap, nh, 0);
    }
    for (size_t q = 0; q < np; q++) {
        double pq = p[q] < 0.0 ? 0.0 : p[q] > 1.0 ? 1.0 : p[q];
        if (isnan(p[q]))
            pq = 0.0;
        double delta = pq * (double)(n - 1) - (double)lo[q];
        if (a[q] == b[q] || delta <= 0.0)
            out[q] = a[q];
        else
            out[q] = (1.0 - delta) * a[q] + delta * b[q];
    }
    free(input);
    free(idx);
    free(lo);
    free(a);
    free(b);
    return 0;
}

double jf__sketch_quantile(const jf__sketch *sketch, double p)
{
    double out;
    if (jf__sketch_quantiles(sketch, &p, 1, &out) != 0)
        return NAN;
    return out;
}
