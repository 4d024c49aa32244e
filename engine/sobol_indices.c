/*
 * sobol_indices.c — Saltelli design, Jansen estimators and percentile
 * bootstrap (the equations and references are in sobol_indices.h).
 *
 * The estimator works on one set of "rows": row r of the design is the
 * tuple (f(A_r), f(B_r), f(A_B^(1)_r), ..., f(A_B^(k)_r)).  The point
 * estimate uses rows 0..n-1; a bootstrap resample uses n rows drawn with
 * replacement, each row as a whole, so the pairing between A, B and the
 * A_B^(i) that the estimators rely on is kept.  Sums are plain loops in row
 * order, so the results depend only on (y, bootstrap, level, seed).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sobol_indices.h"

size_t jf__saltelli_size(size_t n, size_t k)
{
    if (k > SIZE_MAX - 2 || (n && k + 2 > SIZE_MAX / n))
        return 0;
    return n * (k + 2);
}

int jf__saltelli_design(size_t n, size_t k, jf__saltelli_kind kind, uint64_t seed, double *x)
{
    if (n < 2 || k < 1 || !x || jf__saltelli_size(n, k) == 0 || jf__saltelli_size(n, k) > SIZE_MAX / k)
        return JF__SOBOL_EINVAL;
    double *a = x;              /* rows [0, n) */
    double *b = x + n * k;      /* rows [n, 2n) */
    if (kind == JF__SALTELLI_QUASI) {
        if (k > JF__SOBOL_QRNG_MAX_K)
            return JF__SOBOL_EINVAL;
        gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
        if (!q)
            return JF__SOBOL_ENOMEM;
        double point[2 * JF__SOBOL_QRNG_MAX_K];
        for (size_t j = 0; j < n; j++) {
            if (gsl_qrng_get(q, point) != 0) {
                gsl_qrng_free(q);
                return JF__SOBOL_EINVAL;
            }
            for (size_t d = 0; d < k; d++) {
                a[j * k + d] = point[d];
                b[j * k + d] = point[k + d];
            }
        }
        gsl_qrng_free(q);
    } else if (kind == JF__SALTELLI_RANDOM) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        if (!r)
            return JF__SOBOL_ENOMEM;
        gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
        for (size_t j = 0; j < n; j++)
            for (size_t d = 0; d < k; d++)
                a[j * k + d] = gsl_rng_uniform(r);
        for (size_t j = 0; j < n; j++)
            for (size_t d = 0; d < k; d++)
                b[j * k + d] = gsl_rng_uniform(r);
        gsl_rng_free(r);
    } else {
        return JF__SOBOL_EINVAL;
    }
    for (size_t i = 0; i < k; i++) {
        double *ab = x + (2 + i) * n * k;
        for (size_t j = 0; j < n; j++) {
            for (size_t d = 0; d < k; d++)
                ab[j * k + d] = a[j * k + d];
            ab[j * k + i] = b[j * k + i];
        }
    }
    return JF__SOBOL_OK;
}

/* Jansen estimates over the rows rows[0..n) (rows == NULL: 0..n-1) into
 * s1[0..k), st[0..k); *mean_out and *var_out get the mean and V. */
static void estimate_rows(size_t n, size_t k, const double *y, const size_t *rows, double *s1,
                          double *st, double *mean_out, double *var_out)
{
    const double *fa = y, *fb = y + n;
    double sum = 0.0;
    bool finite = true;
    for (size_t j = 0; j < n; j++) {
        size_t r = rows ? rows[j] : j;
        sum += fa[r] + fb[r];
        finite = finite && isfinite(fa[r]) && isfinite(fb[r]);
    }
    double mean = sum / (double)(2 * n);
    double ss = 0.0;
    for (size_t j = 0; j < n; j++) {
        size_t r = rows ? rows[j] : j;
        ss += (fa[r] - mean) * (fa[r] - mean) + (fb[r] - mean) * (fb[r] - mean);
    }
    double v = ss / (double)(2 * n);
    if (mean_out)
        *mean_out = finite ? mean : NAN;
    if (var_out)
        *var_out = finite ? v : NAN;
    for (size_t i = 0; i < k; i++) {
        const double *fab = y + (2 + i) * n;
        double d_first = 0.0, d_total = 0.0;
        for (size_t j = 0; j < n; j++) {
            size_t r = rows ? rows[j] : j;
            double e1 = fb[r] - fab[r], et = fa[r] - fab[r];
            d_first += e1 * e1;
            d_total += et * et;
        }
        d_first /= (double)n;
        d_total /= (double)n;
        if (!finite || !(v > 0.0) || !isfinite(d_first) || !isfinite(d_total)) {
            s1[i] = NAN;
            st[i] = NAN;
        } else {
            s1[i] = (v - 0.5 * d_first) / v;
            st[i] = 0.5 * d_total / v;
        }
    }
}

/* Percentile interval of the finite values among x[0..m) (x is reordered). */
static void percentile_interval(double *x, size_t m, double level, double *lo, double *hi)
{
    size_t nf = 0;
    for (size_t i = 0; i < m; i++)
        if (isfinite(x[i]))
            x[nf++] = x[i];
    if (nf == 0) {
        *lo = *hi = NAN;
        return;
    }
    gsl_sort(x, 1, nf);
    *lo = gsl_stats_quantile_from_sorted_data(x, 1, nf, 0.5 * (1.0 - level));
    *hi = gsl_stats_quantile_from_sorted_data(x, 1, nf, 0.5 * (1.0 + level));
}

int jf__sobol_estimate(size_t n, size_t k, const double *y, unsigned bootstrap, double level,
                       uint64_t seed, jf__sobol_index *out, jf__sobol_moments *moments)
{
    if (n < 2 || k < 1 || !y || !out || !(level > 0.0 && level < 1.0))
        return JF__SOBOL_EINVAL;
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    if (!s1 || !st) {
        free(s1);
        free(st);
        return JF__SOBOL_ENOMEM;
    }
    double mean, var;
    estimate_rows(n, k, y, NULL, s1, st, &mean, &var);
    if (moments) {
        moments->mean = mean;
        moments->variance = var;
    }
    for (size_t i = 0; i < k; i++) {
        out[i].s1 = s1[i];
        out[i].st = st[i];
        out[i].s1_lo = out[i].s1_hi = out[i].st_lo = out[i].st_hi = NAN;
    }
    free(s1);
    free(st);
    if (bootstrap == 0)
        return JF__SOBOL_OK;

    size_t nb = bootstrap;
    if (k > SIZE_MAX / sizeof(double) / nb)
        return JF__SOBOL_ENOMEM;
    double *bs1 = malloc(nb * k * sizeof *bs1);   /* [i·B + b] */
    double *bst = malloc(nb * k * sizeof *bst);
    double *tmp1 = malloc(2 * k * sizeof *tmp1);
    size_t *rows = malloc(n * sizeof *rows);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int status = JF__SOBOL_OK;
    if (!bs1 || !bst || !tmp1 || !rows || !r) {
        status = JF__SOBOL_ENOMEM;
        goto done;
    }
    /* Its own stream, not the random design's (same seed): resamples must not
     * reuse the numbers that placed the design's points. */
    uint64_t bseed = (seed ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    gsl_rng_set(r, (unsigned long)(bseed ^ (bseed >> 32)));
    for (size_t b = 0; b < nb; b++) {
        for (size_t j = 0; j < n; j++)
            rows[j] = (size_t)gsl_rng_uniform_int(r, (unsigned long)n);
        estimate_rows(n, k, y, rows, tmp1, tmp1 + k, NULL, NULL);
        for (size_t i = 0; i < k; i++) {
            bs1[i * nb + b] = tmp1[i];
            bst[i * nb + b] = tmp1[k + i];
        }
    }
    for (size_t i = 0; i < k; i++) {
        if (isnan(out[i].s1))
            continue;
        percentile_interval(bs1 + i * nb, nb, level, &out[i].s1_lo, &out[i].s1_hi);
        percentile_interval(bst + i * nb, nb, level, &out[i].st_lo, &out[i].st_hi);
    }
done:
    free(bs1);
    free(bst);
    free(tmp1);
    free(rows);
    if (r)
        gsl_rng_free(r);
    return status;
}
