/*
 * stats.c — statistics of MODEL.md §7 from exact samples, and mergeable
 * moment accumulators (see stats.h for the definitions and the censoring rule).
 *
 * From samples, in linear passes over the array in its given order (the
 * caller fills rows in path order, whatever the threads did):
 *   n     the values that count (finite ones when censored: INFINITY, the
 *         censored marker, and anything ordered above it is left out);
 *   mean  Σx/n with Neumaier's compensated sum (in 8 lanes, value i in lane
 *         i mod 8, added in lane order; one running sum on censored rows),
 *         or the value itself when min == max (so a deterministic scenario
 *         reports its figure unchanged and a share of k paths in n is the
 *         correctly rounded k/n);
 *   M2    by the corrected two-pass formula Σ(x-m)² - (Σ(x-m))²/n
 *         (Chan, Golub & LeVeque, "Algorithms for computing the sample variance"),
 *         both sums taken in blocks whose totals are added with compensation;
 *   sd    sqrt(M2/(n-1)) for n >= 2;  se = sd/sqrt(n);
 *   min, max  compared as order keys (fast_sort.h), so -0 is below +0 just
 *         as in the sorted array;
 *   pct   PERCENTILE.INC with h = (n-1)·k/100 split into integer and
 *         fractional parts in integer arithmetic.  Only x_(j) and x_(j+1) of
 *         the five levels are needed, at most ten order statistics, so
 *         instead of sorting the row jf__select_f64 (select.c) puts just
 *         those in their sorted places (O(n) expected instead of a sort of
 *         the whole row); they are bit for bit the sorted array's, so the
 *         percentiles are exactly those of a sort.
 * Mean and sd depend on the summation order, which is the array's (so on
 * the path order, not on the threads); n, min, max and the percentiles only
 * on the multiset of values.
 *
 * Accumulators: the compensated sum, Welford's one-value update of M2, and
 * Chan et al.'s merge  n = na + nb, δ = mb - ma, M2 = M2a + M2b + δ²·na·nb/n
 * (sums add with compensation).
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bracket_count.h"
#include "fast_sort.h"
#include "moment_lanes.h"
#include "select.h"
#include "stats.h"

const unsigned jf__pct_levels[JF_N_PCT] = {5, 25, 50, 75, 95};

static void stats_clear(jf_stats *out)
{
    memset(out, 0, sizeof *out);
}

/* Neumaier's compensated addition: (*s, *c) += x. */
static inline void sum_add(double *s, double *c, double x)
{
    /* Both corrections are computed and one selected: the same numbers as a
     * branch, without a data-dependent jump in the hot loops. */
    double t = *s + x;
    double big_s = (*s - t) + x, big_x = (x - t) + *s;
    *c += fabs(*s) >= fabs(x) ? big_s : big_x;
    *s = t;
}

void jf__moments_init(jf__moments *acc)
{
    acc->n = 0;
    acc->sum = 0.0;
    acc->sum_err = 0.0;
    acc->m2 = 0.0;
    acc->min = INFINITY;
    acc->max = -INFINITY;
}

double jf__moments_mean(const jf__moments *acc)
{
    if (acc->n == 0)
        return 0.0;
    if (acc->min == acc->max)
        return acc->min;
    return (acc->sum + acc->sum_err) / (double)acc->n;
}

void jf__moments_add(jf__moments *acc, double x)
{
    double delta = x - jf__moments_mean(acc);
    acc->n++;
    sum_add(&acc->sum, &acc->sum_err, x);
    if (x < acc->min)
        acc->min = x;
    if (x > acc->max)
        acc->max = x;
    acc->m2 += delta * (x - jf__moments_mean(acc));
}

void jf__moments_add_array(jf__moments *acc, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jf__moments_add(acc, x[i]);
}

/* Lanes of jf__moments_add_block (moment_lanes.h): value i goes to lane
 * i mod JF__MOMENT_LANES, so the lanes' sums are independent chains in
 * vector registers; they are combined in lane order, which fixes the result
 * whatever the vector width. */
#define JF__LANES JF__MOMENT_LANES

/* The compensated sum (sum + err) and the numeric min and max of x[0..n)
 * in the lanes: the full lanes by the vector kernels, the tail into lane 0,
 * then the lanes combined in lane order.  This function can't fail. */
static void lanes_sum_minmax(jf__isa isa, const double *x, size_t n, double *sum, double *err,
                             double *mn, double *mx)
{
    double s[JF__LANES], c[JF__LANES], lo[JF__LANES], hi[JF__LANES];
    size_t full = n - n % JF__LANES;
    jf__lanes_sum_minmax(isa, x, full, s, c, lo, hi);
    for (size_t i = full; i < n; i++) {
        sum_add(&s[0], &c[0], x[i]);
        lo[0] = x[i] < lo[0] ? x[i] : lo[0];
        hi[0] = x[i] > hi[0] ? x[i] : hi[0];
    }
    *sum = s[0];
    *err = c[0];
    *mn = lo[0];
    *mx = hi[0];
    for (int l = 1; l < JF__LANES; l++) {
        sum_add(sum, err, s[l]);
        *err += c[l];
        *mn = lo[l] < *mn ? lo[l] : *mn;
        *mx = hi[l] > *mx ? hi[l] : *mx;
    }
}

void jf__moments_add_block(jf__moments *acc, const double *x, size_t n)
{
    if (n == 0)
        return;
    const jf__isa isa = jf__isa_best();
    jf__moments blk;
    jf__moments_init(&blk);
    blk.n = n;
    lanes_sum_minmax(isa, x, n, &blk.sum, &blk.sum_err, &blk.min, &blk.max);
    size_t full = n - n % JF__LANES;
    double m = jf__moments_mean(&blk);
    double s1[JF__LANES], s2[JF__LANES];
    jf__lanes_deviations(isa, x, full, m, s1, s2);
    for (size_t i = full; i < n; i++) {
        double d = x[i] - m;
        s1[0] += d;
        s2[0] += d * d;
    }
    double t1 = s1[0], t2 = s2[0];
    for (int l = 1; l < JF__LANES; l++) {
        t1 += s1[l];
        t2 += s2[l];
    }
    double m2 = t2 - t1 * t1 / (double)n;
    blk.m2 = m2 > 0.0 ? m2 : 0.0;
    jf__moments_merge(acc, &blk);
}

void jf__moments_merge(jf__moments *dst, const jf__moments *src)
{
    if (src->n == 0)
        return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    double na = (double)dst->n, nb = (double)src->n;
    double delta = jf__moments_mean(src) - jf__moments_mean(dst);
    dst->m2 += src->m2 + delta * delta * (na * nb / (na + nb));
    dst->n += src->n;
    sum_add(&dst->sum, &dst->sum_err, src->sum);
    dst->sum_err += src->sum_err;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

void jf__moments_stats(const jf__moments *acc, jf_stats *out)
{
    stats_clear(out);
    out->n = acc->n;
    if (acc->n == 0)
        return;
    out->mean = jf__moments_mean(acc);
    out->has_mean = true;
    out->min = acc->min;
    out->max = acc->max;
    out->has_minmax = true;
    if (acc->n >= 2) {
        double m2 = acc->m2 > 0.0 ? acc->m2 : 0.0;
        out->sd = sqrt(m2 / (double)(acc->n - 1));
        out->se = out->sd / sqrt((double)acc->n);
        out->has_sd = true;
    }
}

bool jf__percentile_sorted(const double *x, size_t n, unsigned pct, double *out)
{
    if (n == 0 || pct > 100)
        return false;
    uint64_t num = (uint64_t)(n - 1) * pct;
    size_t j = (size_t)(num / 100);
    unsigned rem = (unsigned)(num % 100);
    if (!isfinite(x[j]))
        return false;
    if (rem == 0 || j + 1 >= n) {
        *out = x[j];
        return true;
    }
    if (!isfinite(x[j + 1]))
        return false;
    *out = x[j] + ((double)rem / 100.0) * (x[j + 1] - x[j]);
    return true;
}

void jf__sort_doubles(double *x, size_t n, double *tmp)
{
    if (n < 2)
        return;
    if (!tmp) {
        /* A partitioning budget of 0 sorts the whole array at once: without
         * scratch that is a heapsort on the same order keys as jf__sort_f64
         * (gsl_sort would compare numerically and leave -0/+0 in any order). */
        const size_t first = 0;
        jf__select_f64_depth(x, n, &first, 1, NULL, 0);
        return;
    }
    jf__sort_f64(x, n, tmp);
}

/* The ranks jf__percentile_sorted reads for the five levels, ascending and
 * distinct, into r (room for 2·JF_N_PCT); returns their count. */
static size_t pct_ranks(size_t n, size_t *r)
{
    size_t m = 0;
    for (int k = 0; k < JF_N_PCT; k++) {
        uint64_t num = (uint64_t)(n - 1) * jf__pct_levels[k];
        size_t j = (size_t)(num / 100);
        if (m == 0 || r[m - 1] < j)
            r[m++] = j;
        if (num % 100 != 0 && j + 1 < n && r[m - 1] < j + 1)
            r[m++] = j + 1;
    }
    return m;
}

/* The order key of fast_sort.h, from a double. */
static inline uint64_t order_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return jf__order_key(u);
}

/* v when keep, else +0.0, by masking the bits: compilers turn the
 * conditional expression into a branch, mispredicted on censored rows. */
static inline double masked(double v, bool keep)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    u &= 0 - (uint64_t)keep;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline double key_value(uint64_t k)
{
    uint64_t u = jf__key_bits(k);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* What pass 1 collects over the values that count. */
typedef struct {
    size_t n;
    double sum, sum_err;     /* Neumaier */
    uint64_t key_lo, key_hi; /* order keys of min and max */
    bool any_finite;
} row_scan;

/* Pass 1, in array order: count, compensated sum, min and max (by key, so
 * -0 is below +0 as in the sorted array) of the values that count.  No
 * unpredictable branch on censored rows: a censored value adds +0.0 to the
 * sum, which changes no bit of it (it never is -0), and enters min and max
 * as a key that changes neither. */
static inline row_scan scan_row(const double *x, size_t n, bool censored)
{
    const uint64_t key_inf = order_key(INFINITY);
    row_scan r = {0, 0.0, 0.0, UINT64_MAX, 0, false};
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        uint64_t k = order_key(v);
        bool keep = !censored || k < key_inf;
        r.n += keep;
        r.any_finite |= keep & (isfinite(v) != 0);
        sum_add(&r.sum, &r.sum_err, masked(v, keep));
        uint64_t k_lo = k | ((uint64_t)keep - 1), k_hi = k & (0 - (uint64_t)keep);
        r.key_lo = k_lo < r.key_lo ? k_lo : r.key_lo;
        r.key_hi = k_hi > r.key_hi ? k_hi : r.key_hi;
    }
    return r;
}

/* Pass 1 for a row without censoring, the common case: the compensated sum
 * in the moment lanes (moment_lanes.h: value i in lane i mod 8, vector
 * kernels, the lanes then added in lane order, as jf__moments_add_block),
 * which also give the numeric min and max.  One running sum would be a
 * chain of dependent additions, several cycles a value.  A finite sum means
 * every value is finite (an infinity or NaN would make it infinite or NaN),
 * and then the numeric extremes are those of the order keys except for the
 * sign of a zero, settled only when an extreme is zero, by the brackets'
 * vector scan for bit-order extremes (bracket_count.h).
 * Otherwise (NaN, infinities, or an overflowing sum) min and max come from
 * the keys in a second pass. */
static row_scan scan_row_lanes(const double *x, size_t n)
{
    row_scan r = {n, 0.0, 0.0, UINT64_MAX, 0, true};
    const jf__isa isa = jf__isa_best();
    double mn, mx;
    lanes_sum_minmax(isa, x, n, &r.sum, &r.sum_err, &mn, &mx);
    if (isfinite(r.sum) && isfinite(r.sum_err)) {
        if (mn == 0.0 || mx == 0.0) {
            bool scanned = jf__qb_scan(isa, x, n, &mn, &mx);
            assert(scanned); /* every value is finite */
            (void)scanned;
        }
        r.key_lo = order_key(mn);
        r.key_hi = order_key(mx);
        return r;
    }
    uint64_t k_lo[4] = {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}, k_hi[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; l++) {
            uint64_t k = order_key(x[i + (size_t)l]);
            k_lo[l] = k < k_lo[l] ? k : k_lo[l];
            k_hi[l] = k > k_hi[l] ? k : k_hi[l];
        }
    for (; i < n; i++) {
        uint64_t k = order_key(x[i]);
        k_lo[0] = k < k_lo[0] ? k : k_lo[0];
        k_hi[0] = k > k_hi[0] ? k : k_hi[0];
    }
    for (int l = 0; l < 4; l++) {
        r.key_lo = k_lo[l] < r.key_lo ? k_lo[l] : r.key_lo;
        r.key_hi = k_hi[l] > r.key_hi ? k_hi[l] : r.key_hi;
    }
    return r;
}

#define JF__DEV_BLOCK 256u
#define JF__DEV_LANES 4u

/* Σd and Σd² of d = x - m over the values that count (those ordered below
 * INFINITY when censored), in array order: plain sums in four lanes within
 * blocks of JF__DEV_BLOCK values, the block sums added with compensation, so
 * the rounding error is that of a block instead of growing with n (a plain
 * running sum of 100,000 squares of {0,1,2} - m is off by ~1e-12). */
static inline void deviation_sums(const double *x, size_t n, bool censored, double m,
                                  double *s1, double *s2)
{
    const uint64_t key_inf = order_key(INFINITY);
    double t1 = 0.0, c1 = 0.0, t2 = 0.0, c2 = 0.0;
    for (size_t b = 0; b < n; b += JF__DEV_BLOCK) {
        size_t e = n - b < JF__DEV_BLOCK ? n : b + JF__DEV_BLOCK, i = b;
        double a1[JF__DEV_LANES] = {0.0}, a2[JF__DEV_LANES] = {0.0};
        for (; i + JF__DEV_LANES <= e; i += JF__DEV_LANES)
            for (size_t l = 0; l < JF__DEV_LANES; l++) {
                double v = x[i + l];
                double d = masked(v - m, !censored || order_key(v) < key_inf);
                a1[l] += d;
                a2[l] += d * d;
            }
        for (; i < e; i++) {
            double v = x[i];
            double d = masked(v - m, !censored || order_key(v) < key_inf);
            a1[0] += d;
            a2[0] += d * d;
        }
        sum_add(&t1, &c1, (a1[0] + a1[1]) + (a1[2] + a1[3]));
        sum_add(&t2, &c2, (a2[0] + a2[1]) + (a2[2] + a2[3]));
    }
    *s1 = t1 + c1;
    *s2 = t2 + c2;
}

void jf__stats_compute(double *x, size_t n, bool censored, double *tmp, jf_stats *out)
{
    stats_clear(out);
    if (n == 0)
        return;

    /* Both passes specialised for censored or not: the common case carries
     * no masking, and its sum runs in vector lanes. */
    row_scan sc = censored ? scan_row(x, n, true) : scan_row_lanes(x, n);
    /* As the sorted array did: with nothing finite every value is censored. */
    size_t nf = censored && !sc.any_finite ? 0 : sc.n;
    out->n = nf;
    if (nf > 0) {
        double lo = key_value(sc.key_lo), hi = key_value(sc.key_hi);
        double m = lo == hi ? lo : (sc.sum + sc.sum_err) / (double)nf;
        double s1, s2;
        if (censored)
            deviation_sums(x, n, true, m, &s1, &s2);
        else
            deviation_sums(x, n, false, m, &s1, &s2);
        double dn = (double)nf;
        out->mean = m;
        out->has_mean = true;
        out->min = lo;
        out->max = hi;
        out->has_minmax = true;
        if (nf >= 2) {
            double m2 = s2 - s1 * s1 / dn;
            if (m2 < 0.0)
                m2 = 0.0;
            out->sd = sqrt(m2 / (dn - 1.0));
            out->se = out->sd / sqrt(dn);
            out->has_sd = true;
        }
    }

    /* The order statistics the percentiles read, each in its sorted place. */
    size_t ranks[2 * JF_N_PCT];
    jf__select_f64(x, n, ranks, pct_ranks(n, ranks), tmp);
    for (int k = 0; k < JF_N_PCT; k++)
        out->has_pct[k] = jf__percentile_sorted(x, n, jf__pct_levels[k], &out->pct[k]);
}
