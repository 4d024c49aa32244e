/*
 * quantile_bracket.c — streaming percentiles from a pilot sample and a
 * bracketing histogram, with a certified rank error (MODEL.md §7: annual
 * percentiles exact or within ±0.1 percentile rank, eps = 0.001).
 *
 * Method.  The first m = pilot_n values are stored.  When value m + 1
 * arrives the pilot is sorted (y[0..m)) and, for each level p = pct/100, a
 * window of pilot ranks is placed around hp = (m-1)·p: half-width
 * W = ceil(8·sqrt(m·p·(1-p))) + 16 ranks (8 standard deviations of the pilot
 * rank of the population p-quantile; computed in integers), clipped to
 * [0, m-1].  Every s-th pilot order statistic of the window is an edge,
 * s = max(1, m/4096), and both window ends always are.  The edges of all
 * windows form one strictly increasing array e[0..E) (equal values merged).
 * The histogram has 2E+1 exact counters: slot 0 counts values < e[0], slot
 * 2j+1 values == e[j], slot 2j+2 values strictly between e[j] and e[j+1]
 * (e[E] = +inf).  The pilot itself is counted, then freed; min and max are
 * kept exactly.  Everything is a function of the sequence of values: the
 * pilot is its first m values, counts do not depend on order.  (Min and max
 * use the order of the bit patterns, -0 < +0, so they too depend only on
 * the multiset; edges compare as numbers, so a zero edge may carry the other
 * sign than the zero at that position of the full sort.)
 *
 * Rank error.  Let x_(0) <= ... <= x_(n-1) be all values sorted,
 * h = (n-1)·p, j0 = floor(h), j1 = ceil(h); PERCENTILE.INC is
 * Q = x_(j0) + (h-j0)·(x_(j1) - x_(j0)).  For a value v let c<(v) and c<=(v)
 * count the values below and not above v.  v is within r ranks when
 * x_(ceil(h-r)) <= v <= x_(floor(h+r)) (indices clipped to [0, n-1]), i.e.
 * c<=(v) - 1 >= h - r and c<(v) <= h + r; its rank error is the least such
 * r, max(0, h - (c<=(v) - 1), c<(v) - h).  This is the sketch's notion
 * (quantile_sketch.h: v between x_(floor(h) - r) and x_(floor(h) + 1 + r)),
 * slightly sharper.  An atom of k equal values takes k consecutive ranks, so
 * v on an atom has error 0 for every h among those ranks.
 *
 * Why the certificate holds.  A "known point" is a value with a rank
 * interval [lo, hi] such that x_(k) equals it for every k in [lo, hi]: min
 * with [0, 0], max with [n-1, n-1], and each edge with [L_j, U_j - 1], where
 * L_j = #{x < e_j} (slots 0..2j summed) and U_j = L_j + #{x == e_j}, both
 * exact counts (U_j > L_j because an edge is one of the values).  The
 * intervals are disjoint and increase with the value.  Take a = the last
 * known point with lo <= j0 and b = the first with hi >= j1 (min and max
 * guarantee both exist), so a <= x_(j0) <= Q <= x_(j1) <= b.
 *   - If a.hi >= j0 and b.lo <= j1 then a = x_(j0) and b = x_(j1): the
 *     answer is Q computed exactly as jf__percentile_sorted does (with min
 *     and max themselves for x_(0) and x_(n-1), so that levels 0 and 100
 *     keep the sign of a zero extreme).
 *   - Otherwise a.hi < h < b.lo, and any v in [a, b] has c<=(v) - 1 >= a.hi
 *     (v >= a = x_(a.hi)) and c<(v) <= b.lo (v <= b = x_(b.lo)), so its rank
 *     error is at most G = max(h - a.hi, b.lo - h).  If G <= eps·n the answer
 *     is a + t·(b - a), t = (h - a.hi)/(b.lo - a.hi) (linear in rank across
 *     the gap).  Else a alone (error <= h - a.hi, since a.lo <= h) or b alone
 *     (error <= b.lo - h) when that is <= eps·n.  Else the level is not
 *     certified: NaN.
 * Only exact counts enter the argument; the pilot merely decides where the
 * edges are.  A pilot unlike the rest (a drifting series) puts them in the
 * wrong places, which shows up as a wide gap G: the level comes back not
 * certified, never wrong.  With a representative pilot the edges around h
 * are s/m of the mass apart (0.00024·n for m = 16384), so G is about that,
 * far inside 0.001·n.  Atoms: a value taken by many paths (0 on 30% of
 * them) that lies in a window is an edge, its count is exact, and every
 * level whose h falls on it is exact; a constant series has one edge with
 * interval [0, n-1], so every level is exact.  While n <= m the pilot is
 * the whole sample and the answers are exact PERCENTILE.INC of it.
 *
 * Narrowing.  After 4m, 16m, 64m, ... values (exactly at those counts,
 * whatever the calls) the windows shrink to what the counts so far leave
 * uncertain: for each level, the edges whose rank interval meets
 * [h - W, h + W], h = (n-1)·p, W = ceil(10·sqrt(n·p·(1-p))) + n/1024 ranks,
 * plus the nearest edge beyond each end, are kept; the others are dropped
 * and their counts added to the gap they fall in.  Counts stay exact, so
 * the certificate above is untouched (a level the narrowed edges could no
 * longer certify would come back not certified, never wrong).  The final
 * quantile's rank among the first n values strays from h by more than W
 * only if it moves by some seven standard deviations (W is ten of them for
 * n values, the final quantile adds at most as much variance again), so for
 * exchangeable values (jfsim's paths are independent and identically
 * distributed) the edges next to it are kept and the answers are, bit for
 * bit, those of the pilot's windows (tests/test_quantile_bracket.c compares
 * the two).  A drifting sequence may lose a certificate it would have had,
 * never gain a wrong answer.  At 10^7 values (last narrowing at 4^4·m,
 * about 4.2·10^6) the windows are about a tenth as wide as the pilot's.
 *
 * Speed.  The windows cover a few percent of the mass each (about a
 * quarter of all values for the five standard levels until the first
 * narrowing), so most values lie between windows.  Overlapping windows
 * are merged into R ranges of edges [ws_g, we_g]; a value is located by
 * comparing it with the ranges' bounds (vectors, and only the per-bound
 * totals are kept for values between ranges), and the values inside a
 * range by a branch-free binary search.
 * Values equal to one of the (at most two) hot atoms, the edges holding at
 * least 1/64 of the pilot (the zeros of a failed resource, the 0 and 1 of a
 * reached-target share), are counted in registers and skip the search,
 * which would otherwise serialise on one histogram cell.  That loop is
 * bracket_count.c, with a kernel per instruction set (cpu_isa.h; all give
 * the same counts).  Only the windows of the pilot are
 * sorted (their end ranks selected first, select.h, then each window sorted
 * on its own: about a quarter of the pilot for the five standard levels),
 * and the pilot is then counted like any other values.
 *
 * Memory.  The pilot buffer (8m bytes) lives from allocation until value
 * m + 1; then a scratch of 9m bytes (sorts, marks) exists for the duration
 * of that call, and one block with edges, histogram and the small range tables
 * stays, sized by the edge bound of the actual windows, sum over levels of
 * (window span)/s + 2 (about 24 bytes per edge: some 975 edges for the five
 * standard levels at m = 16384, i.e. ~24 KB).  jf__qbracket_steady_bytes
 * bounds it for any levels by taking every window as wide as the 50% one.
 */
#include "quantile_bracket.h"

#include "bracket_count.h"
#include "fast_sort.h"
#include "select.h"
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JF__QB_MAX_PILOT ((size_t)1 << 32)


struct jf__qbracket {
    size_t n_pct;
    size_t pilot_n;    /* m */
    uint64_t n;        /* values added */
    double min, max;   /* by bit order (-0 < +0); +inf / -inf while empty */
    double *pilot;     /* m values while n <= m; NULL afterwards */
    bool pilot_sorted; /* pilot[0..n) is sorted */
    bool broken;       /* an allocation failed: unusable */

    /* Histogram stage (after the pilot was freed); tables in `block`. */
    void *block;
    jf__qb_tables tab;
    size_t steps[JF__QB_MAX_STEPS]; /* tab.steps */
    jf__isa isa;    /* the counting kernel (bracket_count.h) */
    uint64_t next_narrow; /* value count of the next narrowing (0: none) */
    bool narrowing;       /* narrow at all (tests switch it off) */
    size_t *keep;         /* 2·n_pct words: the edge intervals a narrowing keeps */

    unsigned pct[];    /* n_pct levels */
};

/* ---- sizes ------------------------------------------------------------- */

/* Bytes of an allocation of `bytes` including malloc headers and rounding
 * (a page more for blocks large enough to be mmapped). */
static size_t with_slack(size_t bytes)
{
    size_t r = (bytes + 16u + 63u) / 64u * 64u;
    return bytes >= 65536u ? r + 4096u : r;
}

/* Smallest w with (100·w)^2 >= 64·m·pct·(100-pct), i.e.
 * w = ceil(8·sqrt(m·p·(1-p))) for p = pct/100, exactly. */
static uint64_t window_sd8(uint64_t m, unsigned pct)
{
    uint64_t t = 64u * m * pct * (100u - pct); /* m <= 2^32: < 2^50 */
    uint64_t w = (uint64_t)ceil(sqrt((double)t) / 100.0);
    while ((100u * w) * (100u * w) < t)
        w++;
    while (w > 0 && (100u * (w - 1)) * (100u * (w - 1)) >= t)
        w--;
    return w;
}

/* The window of pilot ranks [lo, hi] of level pct for a pilot of m values. */
static void window(size_t m, unsigned pct, size_t *lo, size_t *hi)
{
    uint64_t num = (uint64_t)(m - 1) * pct;
    uint64_t jlo = num / 100u, jhi = jlo + (num % 100u != 0);
    uint64_t w = window_sd8(m, pct) + 16u;
    *lo = (size_t)(jlo > w ? jlo - w : 0);
    *hi = (size_t)(jhi + w < m - 1 ? jhi + w : m - 1);
}

static size_t edge_stride(size_t m)
{
    return m / 4096u > 1 ? m / 4096u : 1;
}

static size_t block_bytes(size_t n_edges, size_t n_ranges)
{
    size_t doubles = n_edges + (2 * n_edges + 1) + 2 * n_ranges + 1;
    size_t words = 2 * (n_ranges + 1) + JF__QB_ACC_WORDS(n_ranges);
    return doubles * sizeof(double) + words * sizeof(uint64_t);
}

/* An upper bound of E for any n_pct levels: a window spans at most
 * 2W + 2 ranks (W largest at p = 1/2) and yields floor(span/s) + 2 edges. */
static size_t max_edges(size_t n_pct, size_t m)
{
    size_t per = (size_t)(2 * (window_sd8(m, 50) + 16) + 1) / edge_stride(m) + 2;
    if (per > m)
        per = m;
    if (n_pct > m / per)
        return m;
    return n_pct * per;
}

static bool sizes_ok(size_t n_pct, size_t pilot_n)
{
    return n_pct > 0 && n_pct <= 4096 && pilot_n > 0 && pilot_n <= JF__QB_MAX_PILOT;
}

size_t jf__qbracket_steady_bytes(size_t n_pct, size_t pilot_n)
{
    if (!sizes_ok(n_pct, pilot_n))
        return 0;
    size_t e = max_edges(n_pct, pilot_n);
    return with_slack(sizeof(jf__qbracket) + n_pct * sizeof(unsigned))
           + with_slack(2 * n_pct * sizeof(size_t)) + with_slack(block_bytes(e, n_pct));
}

size_t jf__qbracket_peak_bytes(size_t n_pct, size_t pilot_n)
{
    if (!sizes_ok(n_pct, pilot_n))
        return 0;
    return jf__qbracket_steady_bytes(n_pct, pilot_n) + with_slack(pilot_n * sizeof(double)) +
           jf__qbracket_switch_bytes(n_pct, pilot_n);
}

size_t jf__qbracket_switch_bytes(size_t n_pct, size_t pilot_n)
{
    if (!sizes_ok(n_pct, pilot_n))
        return 0;
    /* sort scratch and marks (9 bytes a pilot value), the window runs */
    return with_slack(pilot_n * (sizeof(double) + 1)) + with_slack((4 * n_pct + 1) * sizeof(size_t));
}

/* ---- alloc / free ------------------------------------------------------ */

jf__qbracket *jf__qbracket_alloc(const unsigned *pct, size_t n_pct, size_t pilot_n)
{
    if (!pct || !sizes_ok(n_pct, pilot_n))
        return NULL;
    for (size_t i = 0; i < n_pct; i++)
        if (pct[i] > 100)
            return NULL;
    jf__qbracket *q = malloc(sizeof *q + n_pct * sizeof(unsigned));
    if (!q)
        return NULL;
    memset(q, 0, sizeof *q);
    memcpy(q->pct, pct, n_pct * sizeof(unsigned));
    q->n_pct = n_pct;
    q->pilot_n = pilot_n;
    q->min = INFINITY;
    q->max = -INFINITY;
    q->pilot_sorted = true;
    q->isa = jf__isa_best();
    q->narrowing = true;
    q->pilot = malloc(pilot_n * sizeof(double));
    q->keep = malloc(2 * n_pct * sizeof *q->keep);
    if (!q->pilot || !q->keep) {
        free(q->pilot);
        free(q->keep);
        free(q);
        return NULL;
    }
    return q;
}

void jf__qbracket_free(jf__qbracket *q)
{
    if (!q)
        return;
    free(q->pilot);
    free(q->keep);
    free(q->block);
    free(q);
}

uint64_t jf__qbracket_count(const jf__qbracket *q)
{
    return q->n;
}

void jf__qbracket_no_narrowing(jf__qbracket *q)
{
    q->narrowing = false;
    q->next_narrow = 0;
}

size_t jf__qbracket_edges(const jf__qbracket *q)
{
    return q->pilot ? 0 : q->tab.n_edges;
}

/* ---- the switch from pilot to histogram -------------------------------- */


/* Walk the marked pilot ranks (bit 1: inside a window, bit 0: an edge) in
 * order, merging equal edge values into one edge and turning runs of window
 * ranks into ranges of edge indices [ws, we].  A run that starts on the
 * value its predecessor ended on (a tie across two windows) continues that
 * range.  Stretches of unmarked ranks are skipped a word at a time.  This
 * function can't fail. */
static void walk_marks(const double *y, const unsigned char *mark, size_t m, size_t *n_edges,
                       size_t *n_ranges, double *edges, size_t *ws, size_t *we)
{
    size_t e = 0, r = 0;
    bool in_run = false;
    size_t k = 0;
    while (k < m) {
        if (k % 8 == 0 && m - k >= 8) {
            uint64_t word;
            memcpy(&word, mark + k, sizeof word);
            if (word == 0) {
                in_run = false;
                k += 8;
                continue;
            }
        }
        unsigned char mk = mark[k];
        if (!(mk & 2u))
            in_run = false;
        else if (mk & 1u) {
            if (e == 0 || y[k] != edges[e - 1])
                edges[e++] = y[k];
            if (!in_run && (r == 0 || we[r - 1] != e - 1))
                ws[r++] = e - 1;
            in_run = true;
            we[r - 1] = e - 1;
        }
        k++;
    }
    *n_edges = e;
    *n_ranges = r;
}

/* The next run of window ranks (mark bit 1) at or after `from`: returns
 * false when there is none, else sets [*lo, *hi].  Stretches without window
 * ranks are skipped eight marks at a time.  This function can't fail. */
static bool next_run(const unsigned char *mark, size_t m, size_t from, size_t *lo, size_t *hi)
{
    size_t k = from;
    while (k < m && !(mark[k] & 2u)) {
        if (k % 8 == 0 && m - k >= 8) {
            uint64_t word;
            memcpy(&word, mark + k, sizeof word);
            if ((word & 0x0202020202020202ull) == 0) {
                k += 8;
                continue;
            }
        }
        k++;
    }
    if (k >= m)
        return false;
    size_t end = k;
    while (end + 1 < m && (mark[end + 1] & 2u))
        end++;
    *lo = k;
    *hi = end;
    return true;
}

/* Put the marked window ranks of the pilot y[0..m) in their sorted places
 * (the rest of y is only partitioned around them): select the first and
 * last rank of each run of window ranks (select.h), then sort each run.
 * Every marked y[k] is then exactly the k-th order statistic, and the
 * windows are all that walk_marks reads.  tmp: m doubles of scratch.
 * Returns 0, or -1 when out of memory. */
static int sort_windows(double *y, size_t m, const unsigned char *mark, double *tmp)
{
    size_t n_runs = 0, lo, hi;
    for (size_t k = 0; next_run(mark, m, k, &lo, &hi); k = hi + 1)
        n_runs++;
    /* runs[2i], runs[2i+1]: first and last rank of run i; ranks: their
     * distinct values, ascending. */
    size_t *runs = malloc((4 * n_runs + 1) * sizeof *runs);
    if (!runs)
        return -1;
    size_t *ranks = runs + 2 * n_runs;
    size_t r = 0, n_ranks = 0;
    for (size_t k = 0; next_run(mark, m, k, &lo, &hi); k = hi + 1) {
        runs[2 * r] = lo;
        runs[2 * r + 1] = hi;
        r++;
        ranks[n_ranks++] = lo;
        if (hi > lo)
            ranks[n_ranks++] = hi;
    }
    jf__select_f64(y, m, ranks, n_ranks, tmp);
    for (size_t i = 0; i < n_runs; i++) {
        size_t a = runs[2 * i], b = runs[2 * i + 1];
        if (b > a + 1)
            jf__sort_f64(y + a + 1, b - a - 1, tmp);
    }
    free(runs);
    return 0;
}

/* The (at most JF__QB_HOT) edges holding the most pilot values, at least
 * `min_count` each, get the fast path of the counting loop; ties go to the lower
 * edge, so the choice is a function of the pilot.  This function can't fail. */
static void pick_hot(jf__qbracket *q, uint64_t min_count)
{
    for (size_t h = 0; h < JF__QB_HOT; h++) {
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < q->tab.n_edges; j++) {
            uint64_t c = q->tab.hist[2 * j + 1];
            bool taken = false;
            for (size_t k = 0; k < h; k++)
                taken |= q->tab.hot_slot[k] == 2 * j + 1;
            if (!taken && c >= min_count && (best == SIZE_MAX || c > q->tab.hist[2 * best + 1]))
                best = j;
        }
        if (best == SIZE_MAX)
            break;
        q->tab.hot[h] = q->tab.edges[best];
        q->tab.hot_slot[h] = 2 * best + 1;
    }
}

/* The range tables from the edges and the ranges [ws_g, we_g], which are
 * parked in gap_slot (ws) and start (we): bounds, gap slots, search starts
 * and steps.  The tables live in q->block (the const in jf__qb_tables is
 * for the counting kernels).  This function can't fail. */
static void set_ranges(jf__qbracket *q, size_t n_edges, size_t n_ranges)
{
    const double *edges = q->tab.edges;
    double *lo_bound = (double *)q->tab.lo_bound, *hi_bound = (double *)q->tab.hi_bound;
    size_t *gap_slot = (size_t *)q->tab.gap_slot, *start = (size_t *)q->tab.start;
    const size_t *ws = gap_slot, *we = start;
    size_t longest = 1;
    for (size_t r = 0; r < n_ranges; r++) {
        size_t len = we[r] - ws[r] + 1;
        if (len > longest)
            longest = len;
        lo_bound[r] = edges[ws[r]];
        hi_bound[r] = nextafter(edges[we[r]], INFINITY);
    }
    lo_bound[n_ranges] = INFINITY;
    /* Rewrite in place, back to front: gap_slot[g] needs we[g-1], start[g]
     * needs ws[g] (ws and gap_slot share storage, as do we and start). */
    for (size_t g = n_ranges; g-- > 0;) {
        size_t w_end = we[g], w_start = ws[g];
        gap_slot[g + 1] = 2 * w_end + 2;
        start[g] = w_start < n_edges - longest ? w_start : n_edges - longest;
    }
    gap_slot[0] = 0;
    start[n_ranges] = 0;

    q->tab.n_steps = 0;
    for (size_t len = longest; len > 1; len -= len / 2)
        q->steps[q->tab.n_steps++] = len / 2;
    q->tab.steps = q->steps;
    q->tab.n_edges = n_edges;
    q->tab.n_ranges = n_ranges;
}

/* Build edges, ranges and histogram from the pilot, count the pilot,
 * free it.  Returns 0, or -1 when out of memory (the pilot is kept). */
static int start_histogram(jf__qbracket *q)
{
    size_t m = q->pilot_n;
    double *y = q->pilot;
    /* Scratch: m doubles for the sorts, then m marks. */
    double *tmp = malloc(m * (sizeof *tmp + 1));
    if (!tmp)
        return -1;

    /* Mark the windows; cap_e bounds the edges (before equal values merge). */
    unsigned char *mark = (unsigned char *)(tmp + m);
    memset(mark, 0, m);
    size_t s = edge_stride(m), cap_e = 0;
    for (size_t i = 0; i < q->n_pct; i++) {
        size_t lo, hi;
        window(m, q->pct[i], &lo, &hi);
        memset(mark + lo, 2, hi - lo + 1);
        cap_e += (hi - lo) / s + 2;
    }
    for (size_t i = 0; i < q->n_pct; i++) {
        size_t lo, hi;
        window(m, q->pct[i], &lo, &hi);
        for (size_t k = lo; k < hi; k += s)
            mark[k] = 3u;
        mark[hi] = 3u;
    }
    if (cap_e > m)
        cap_e = m;
    const size_t cap_r = q->n_pct;
    if (!q->pilot_sorted && sort_windows(y, m, mark, tmp) != 0) {
        free(tmp);
        return -1;
    }

    void *block = calloc(1, block_bytes(cap_e, cap_r));
    if (!block) {
        free(tmp);
        return -1;
    }
    /* Layout by capacity (8-byte items only); ws/we are parked in
     * gap_slot/start until the final tables are built. */
    double *edges = block;
    uint64_t *hist = (uint64_t *)(edges + cap_e);
    double *lo_bound = (double *)(hist + 2 * cap_e + 1);
    double *hi_bound = lo_bound + cap_r + 1;
    uint64_t *acc = (uint64_t *)(hi_bound + cap_r);
    size_t *gap_slot = (size_t *)(acc + JF__QB_ACC_WORDS(cap_r));
    size_t *start = gap_slot + cap_r + 1;
    size_t *ws = gap_slot, *we = start;
    size_t n_edges, n_ranges;
    walk_marks(y, mark, m, &n_edges, &n_ranges, edges, ws, we);

    q->block = block;
    q->tab.edges = edges;
    q->tab.hist = hist;
    q->tab.lo_bound = lo_bound;
    q->tab.hi_bound = hi_bound;
    q->tab.gap_slot = gap_slot;
    q->tab.start = start;
    q->tab.acc = acc;
    set_ranges(q, n_edges, n_ranges);
    /* Count the pilot like any other values (only the windows are sorted),
     * then make the most frequent edges hot (counting does not depend on it). */
    for (size_t h = 0; h < JF__QB_HOT; h++) {
        q->tab.hot[h] = NAN;
        q->tab.hot_slot[h] = 0; /* += 0 */
    }
    for (size_t i = 0; i < m; i += JF__QB_BLOCK)
        jf__qb_count_block(q->isa, &q->tab, y + i, m - i < JF__QB_BLOCK ? m - i : JF__QB_BLOCK);
    pick_hot(q, m / 64 > 1 ? m / 64 : 2);
    free(tmp);
    free(y);
    q->pilot = NULL;
    q->next_narrow = q->narrowing && (uint64_t)m <= UINT64_MAX / 4 ? 4 * (uint64_t)m : 0;
    return 0;
}

/* ---- narrowing the windows ---------------------------------------------- */

/* The edge interval [*jlo, *jhi] level pct keeps after n values: the edges
 * whose rank interval meets [h - W, h + W], h = (n-1)·p,
 * W = ceil(10·sqrt(n·p·(1-p))) + n/1024, and the nearest edge beyond each
 * end (the first and last edge when there is none).  This function can't fail. */
static void keep_interval(const jf__qbracket *q, unsigned pct, size_t *jlo, size_t *jhi)
{
    const uint64_t n = q->n;
    const double p = (double)pct / 100.0;
    const double h = (double)(n - 1) * p;
    const double w = ceil(10.0 * sqrt((double)n * p * (1.0 - p))) + (double)(n / 1024u);
    const double lo = h - w, hi = h + w;
    const size_t n_edges = q->tab.n_edges;
    const uint64_t *hist = q->tab.hist;
    size_t a = 0, b = n_edges - 1;
    bool have_b = false;
    uint64_t below = hist[0];
    for (size_t j = 0; j < n_edges && !have_b; j++) {
        uint64_t upto = below + hist[2 * j + 1]; /* edge j holds ranks [below, upto - 1] */
        if ((double)(upto - 1) <= lo)
            a = j;
        if ((double)below >= hi) {
            b = j;
            have_b = true;
        }
        below = upto + hist[2 * j + 2];
    }
    *jlo = a;
    *jhi = b;
}

/* Drop the edges far from every level (see the top), merging their counts
 * into the gaps, and rebuild ranges and hot atoms.  Counts stay exact, so
 * the certificate is untouched; only where later values are searched
 * changes.  In place, nothing allocated.  This function can't fail. */
static void narrow(jf__qbracket *q)
{
    /* The levels' intervals, sorted by first edge, overlapping or touching ones merged. */
    size_t *iv = q->keep, n_iv = 0;
    for (size_t i = 0; i < q->n_pct; i++) {
        size_t a, b;
        keep_interval(q, q->pct[i], &a, &b);
        size_t k = n_iv++;
        while (k > 0 && iv[2 * (k - 1)] > a) {
            iv[2 * k] = iv[2 * (k - 1)];
            iv[2 * k + 1] = iv[2 * (k - 1) + 1];
            k--;
        }
        iv[2 * k] = a;
        iv[2 * k + 1] = b;
    }
    size_t n_merged = 0;
    for (size_t i = 0; i < n_iv; i++) {
        if (n_merged > 0 && iv[2 * i] <= iv[2 * (n_merged - 1) + 1] + 1) {
            if (iv[2 * i + 1] > iv[2 * (n_merged - 1) + 1])
                iv[2 * (n_merged - 1) + 1] = iv[2 * i + 1];
            continue;
        }
        iv[2 * n_merged] = iv[2 * i];
        iv[2 * n_merged + 1] = iv[2 * i + 1];
        n_merged++;
    }

    /* Compact edges and slots front to back (a new index never passes the
     * old one); each merged interval becomes a range, parked as set_ranges
     * expects (ws in gap_slot, we in start). */
    double *edges = (double *)q->tab.edges;
    uint64_t *hist = q->tab.hist;
    size_t *ws = (size_t *)q->tab.gap_slot, *we = (size_t *)q->tab.start;
    uint64_t gap = hist[0];
    size_t k = 0, r = 0, at = 0;
    for (size_t j = 0; j < q->tab.n_edges; j++) {
        while (at < n_merged && iv[2 * at + 1] < j)
            at++;
        if (at == n_merged || j < iv[2 * at]) {
            gap += hist[2 * j + 1] + hist[2 * j + 2];
            continue;
        }
        if (j == iv[2 * at])
            ws[r] = k;
        hist[2 * k] = gap;
        hist[2 * k + 1] = hist[2 * j + 1];
        edges[k] = edges[j];
        gap = hist[2 * j + 2];
        if (j == iv[2 * at + 1])
            we[r++] = k;
        k++;
    }
    hist[2 * k] = gap;
    set_ranges(q, k, r);
    for (size_t h = 0; h < JF__QB_HOT; h++) {
        q->tab.hot[h] = NAN;
        q->tab.hot_slot[h] = 0;
    }
    pick_hot(q, q->n / 64 > 1 ? q->n / 64 : 2);
}

/* ---- adding values ----------------------------------------------------- */

/* Bit-order comparisons: -0 < +0, otherwise numeric (no NaN here). */
static bool before(double a, double b)
{
    return a < b || (a == b && signbit(a) && !signbit(b));
}

int jf__qbracket_add(jf__qbracket *q, const double *x, size_t n)
{
    if (q->broken)
        return -1;
    if (n == 0)
        return 0;
    double mn, mx;
    if (!jf__qb_scan(q->isa, x, n, &mn, &mx))
        return -2;
    if (before(mn, q->min))
        q->min = mn;
    if (before(q->max, mx))
        q->max = mx;

    size_t i = 0;
    if (q->pilot) {
        size_t room = q->pilot_n - (size_t)q->n;
        size_t take = n < room ? n : room;
        if (take > 0) {
            memcpy(q->pilot + q->n, x, take * sizeof *x);
            q->n += take;
            q->pilot_sorted = q->n <= 1;
        }
        i = take;
        if (i == n)
            return 0;
        if (start_histogram(q) != 0) {
            q->broken = true;
            return -1;
        }
    }
    while (i < n) {
        if (q->next_narrow != 0 && q->n == q->next_narrow) {
            narrow(q);
            q->next_narrow = q->next_narrow <= UINT64_MAX / 4 ? 4 * q->next_narrow : 0;
        }
        size_t len = n - i < JF__QB_BLOCK ? n - i : JF__QB_BLOCK;
        if (q->next_narrow != 0 && q->next_narrow - q->n < len)
            len = (size_t)(q->next_narrow - q->n); /* narrow at that count exactly */
        jf__qb_count_block(q->isa, &q->tab, x + i, len);
        q->n += len;
        i += len;
    }
    return 0;
}

/* ---- queries ----------------------------------------------------------- */

typedef struct {
    double v;
    uint64_t lo, hi; /* x_(k) == v for every k in [lo, hi] */
} known_point;

/* a = the last known point with lo <= j0, b = the first with hi >= j1
 * (j0 <= j1 <= n-1).  Known points: min, the edges, max (see the top). */
static void bracket(const jf__qbracket *q, uint64_t j0, uint64_t j1, known_point *a, known_point *b)
{
    const size_t n_edges = q->tab.n_edges;
    const uint64_t *hist = q->tab.hist;
    known_point p;
    if (q->min < q->tab.edges[0]) {
        p = (known_point){q->min, 0, 0};
        *a = p;
        if (p.hi >= j1) {
            *b = p;
            return;
        }
    }
    uint64_t below = hist[0];
    for (size_t j = 0; j < n_edges; j++) {
        uint64_t upto = below + hist[2 * j + 1];
        p = (known_point){q->tab.edges[j], below, upto - 1};
        if (p.lo <= j0)
            *a = p;
        if (p.hi >= j1) {
            *b = p;
            return;
        }
        below = upto + hist[2 * j + 2];
    }
    /* Reached only when max > e[E-1] (else the last edge ends at n-1). */
    p = (known_point){q->max, q->n - 1, q->n - 1};
    if (p.lo <= j0)
        *a = p;
    *b = p;
}

/* One level from the histogram, as described at the top. */
static bool level_from_histogram(const jf__qbracket *q, unsigned pct, double eps, double *out)
{
    uint64_t num = (q->n - 1) * pct; /* 100·h */
    uint64_t j0 = num / 100u, rem = num % 100u, j1 = j0 + (rem != 0);
    known_point a = {0.0, 0, 0}, b = {0.0, 0, 0};
    bracket(q, j0, j1, &a, &b);
    if (a.hi >= j0 && b.lo <= j1) {
        /* The same arithmetic as jf__percentile_sorted.  x_(0) and x_(n-1)
         * are min and max bit for bit (an edge may be a zero of the other
         * sign). */
        const uint64_t last = q->n - 1;
        double lo = j0 == 0 ? q->min : j0 == last ? q->max : a.v;
        double hi = j1 == last ? q->max : b.v;
        *out = rem == 0 ? lo : lo + ((double)rem / 100.0) * (hi - lo);
        return true;
    }
    /* a.hi < h < b.lo: gaps in hundredths of a rank. */
    uint64_t below = num - 100u * a.hi, above = 100u * b.lo - num;
    double limit = 100.0 * eps * (double)q->n;
    if ((double)below <= limit && (double)above <= limit) {
        double t = (double)below / (double)(below + above);
        double v = (1.0 - t) * a.v + t * b.v;
        *out = v < a.v ? a.v : v > b.v ? b.v : v;
        return true;
    }
    if ((double)below <= limit) {
        *out = a.v;
        return true;
    }
    if ((double)above <= limit) {
        *out = b.v;
        return true;
    }
    return false;
}

int jf__qbracket_quantiles(jf__qbracket *q, double eps, double *out, bool *certified)
{
    for (size_t i = 0; i < q->n_pct; i++) {
        out[i] = NAN;
        certified[i] = false;
    }
    if (q->broken)
        return -1;
    if (q->n == 0)
        return 0;
    if (q->pilot) {
        size_t n = (size_t)q->n;
        if (!q->pilot_sorted) {
            double *tmp = malloc(n * sizeof *tmp);
            jf__sort_doubles(q->pilot, n, tmp); /* heapsort when tmp is NULL */
            free(tmp);
            q->pilot_sorted = true;
        }
        for (size_t i = 0; i < q->n_pct; i++)
            certified[i] = jf__percentile_sorted(q->pilot, n, q->pct[i], &out[i]);
        return 0;
    }
    for (size_t i = 0; i < q->n_pct; i++)
        certified[i] = level_from_histogram(q, q->pct[i], eps, &out[i]);
    return 0;
}
