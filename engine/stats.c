/*
 * stats.c — statistics of MODEL.md §7 from exact samples, and mergeable
 * moment accumulators (see stats.h for the definitions and the censoring rule).
 *
 * From samples: the array is sorted ascending (INFINITY, the censored
 * marker, sorts last) by jf__sort_f64 (fast_sort.c: a bucket sort on the
 * doubles' order-preserving bit keys) or by gsl_sort when no scratch is
 * given.  Then
 *   mean  Σx/n with Neumaier's compensated sum, or x[0] itself when every
 *         value is equal (so a deterministic scenario reports its figure
 *         unchanged and a share of k paths in n is the correctly rounded k/n);
 *   M2    by the corrected two-pass formula Σ(x-m)² - (Σ(x-m))²/n
 *         (Chan, Golub & LeVeque, "Algorithms for computing the sample variance");
 *   sd    sqrt(M2/(n-1)) for n >= 2;  se = sd/sqrt(n);
 *   pct   PERCENTILE.INC with h = (n-1)·k/100 split into integer and
 *         fractional parts in integer arithmetic.
 * Because every figure is read off the sorted array, the result depends only
 * on the values, not on the order they were produced in.
 *
 * Accumulators: the compensated sum, Welford's one-value update of M2, and
 * Chan et al.'s merge  n = na + nb, δ = mb - ma, M2 = M2a + M2b + δ²·na·nb/n
 * (sums add with compensation).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "fast_sort.h"
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

void jf__moments_add_block(jf__moments *acc, const double *x, size_t n)
{
    if (n == 0)
        return;
    jf__moments blk;
    jf__moments_init(&blk);
    blk.n = n;
    double lo = blk.min, hi = blk.max;
    for (size_t i = 0; i < n; i++) {
        sum_add(&blk.sum, &blk.sum_err, x[i]);
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    blk.min = lo;
    blk.max = hi;
    double m = jf__moments_mean(&blk);
    double s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        s1 += d;
        s2 += d * d;
    }
    double m2 = s2 - s1 * s1 / (double)n;
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
        gsl_sort(x, 1, n);
        return;
    }
    jf__sort_f64(x, n, tmp);
}

void jf__stats_compute(double *x, size_t n, bool censored, double *tmp, jf_stats *out)
{
    stats_clear(out);
    if (n == 0)
        return;
    jf__sort_doubles(x, n, tmp);

    size_t nf = n;
    if (censored)
        while (nf > 0 && !isfinite(x[nf - 1]))
            nf--;
    out->n = nf;

    for (int k = 0; k < JF_N_PCT; k++)
        out->has_pct[k] = jf__percentile_sorted(x, n, jf__pct_levels[k], &out->pct[k]);

    if (nf == 0)
        return;

    double m;
    if (x[0] == x[nf - 1]) {
        m = x[0];
    } else {
        double s = 0.0, c = 0.0;
        for (size_t i = 0; i < nf; i++)
            sum_add(&s, &c, x[i]);
        m = (s + c) / (double)nf;
    }
    double s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < nf; i++) {
        double d = x[i] - m;
        s1 += d;
        s2 += d * d;
    }
    double dn = (double)nf;
    out->mean = m;
    out->has_mean = true;
    out->min = x[0];
    out->max = x[nf - 1];
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
