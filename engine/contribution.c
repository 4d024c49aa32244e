/*
 * contribution.c — Spearman rank correlations and shares of variance of
 * per-path uncertain scalars (definitions in contribution.h).
 *
 * Ranks: the indices are sorted by value (qsort of (value, index) pairs with
 * the index as tie-breaker, so the order is total and the result does not
 * depend on the qsort implementation), then each run of equal values gets
 * the mean of its 1-based positions.  Correlations use two-pass sums.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "contribution.h"

static int pair_cmp(const void *pa, const void *pb)
{
    const jf__rank_pair *a = pa, *b = pb;
    if (a->v < b->v)
        return -1;
    if (a->v > b->v)
        return 1;
    return (a->i > b->i) - (a->i < b->i);
}

bool jf__average_ranks(const double *x, size_t n, double *rank, jf__rank_pair *scratch)
{
    for (size_t p = 0; p < n; p++) {
        if (isnan(x[p]))
            return false;
        scratch[p].v = x[p];
        scratch[p].i = p;
    }
    qsort(scratch, n, sizeof *scratch, pair_cmp);
    size_t j = 0;
    while (j < n) {
        size_t e = j + 1;
        while (e < n && scratch[e].v == scratch[j].v)
            e++;
        double r = 0.5 * ((double)(j + 1) + (double)e); /* mean of positions j+1..e */
        for (size_t q = j; q < e; q++)
            rank[scratch[q].i] = r;
        j = e;
    }
    return true;
}

double jf__pearson(const double *a, const double *b, size_t n)
{
    if (n < 2)
        return NAN;
    double ma = 0, mb = 0;
    for (size_t p = 0; p < n; p++) {
        ma += a[p];
        mb += b[p];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t p = 0; p < n; p++) {
        double da = a[p] - ma, db = b[p] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (!(saa > 0) || !(sbb > 0))
        return NAN;
    double r = sab / sqrt(saa * sbb);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

int jf__contribution_compute(size_t n, size_t m, const double *x, const double *y, double level,
                             jf__contribution *out)
{
    if (n == 0 || m == 0 || !x || !y || !out || !(level > 0 && level < 1))
        return JF__CONTRIB_EINVAL;
    double *ry = malloc(n * sizeof *ry), *rx = malloc(n * sizeof *rx);
    jf__rank_pair *order = malloc(n * sizeof *order);
    if (!ry || !rx || !order) {
        free(ry);
        free(rx);
        free(order);
        return JF__CONTRIB_ENOMEM;
    }
    double q = gsl_cdf_ugaussian_Pinv(0.5 * (1 + level));
    bool y_ok = jf__average_ranks(y, n, ry, order);
    for (size_t i = 0; i < m; i++) {
        jf__contribution *c = &out[i];
        c->rho = c->rho_lo = c->rho_hi = NAN;
        c->share = c->share_lo = c->share_hi = NAN;
        if (!y_ok || !jf__average_ranks(x + i * n, n, rx, order))
            continue;
        c->rho = jf__pearson(rx, ry, n);
        if (isnan(c->rho) || n < 4)
            continue;
        double z = atanh(c->rho);  /* ±INFINITY for |ρ| = 1: the interval is then [ρ, ρ] */
        double se = sqrt((1 + 0.5 * c->rho * c->rho) / (double)(n - 3));
        c->rho_lo = tanh(z - q * se);
        c->rho_hi = tanh(z + q * se);
    }
    free(ry);
    free(rx);
    free(order);

    double total = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(out[i].rho))
            total += out[i].rho * out[i].rho;
    if (!(total > 0))
        return JF__CONTRIB_OK;
    for (size_t i = 0; i < m; i++) {
        jf__contribution *c = &out[i];
        if (isnan(c->rho))
            continue;
        double r2 = c->rho * c->rho, rest = total - r2;
        if (rest < 0)
            rest = 0;
        c->share = r2 / total;
        if (isnan(c->rho_lo))
            continue;
        double lo2 = c->rho_lo * c->rho_lo, hi2 = c->rho_hi * c->rho_hi;
        double r_lo = c->rho_lo <= 0 && c->rho_hi >= 0 ? 0 : fmin(lo2, hi2);
        double r_hi = fmax(lo2, hi2);
        c->share_lo = r_lo + rest > 0 ? r_lo / (r_lo + rest) : c->share;
        c->share_hi = r_hi + rest > 0 ? r_hi / (r_hi + rest) : c->share;
    }
    return JF__CONTRIB_OK;
}
