/*
 * sweep_points.c — grid, Latin hypercube and Sobol points of a sweep
 * (see sweep_points.h for the definitions and the point order).
 *
 * Grid: point i's coordinates are the mixed-radix digits of i, the last axis
 * being the least significant digit.  LHS: one Philox stream per axis (rng.h),
 * Fisher–Yates shuffle with gsl_rng_uniform_int (unbiased), then one uniform
 * per point for the position inside its stratum.  Sobol: gsl_qrng_sobol,
 * every gsl_qrng_get status checked.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "rng.h"
#include "sweep_points.h"

static jf_status fail(jf_error *err, jf_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static jf_status fail(jf_error *err, jf_status status, const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        snprintf(err->path, sizeof err->path, "sweep");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

double jf__sweep_range_value(double from, double to, unsigned steps, unsigned i)
{
    if (steps < 2 || i == 0)
        return from;
    if (i >= steps - 1)
        return to;
    return from + (to - from) * (double)i / (double)(steps - 1);
}

static size_t axis_count(const jf_axis *a)
{
    return a->kind == JF_AXIS_LIST ? a->n_values : a->kind == JF_AXIS_RANGE ? a->steps : 0;
}

static double axis_value(const jf_axis *a, size_t i)
{
    return a->kind == JF_AXIS_LIST ? a->values[i] : jf__sweep_range_value(a->from, a->to, a->steps, (unsigned)i);
}

static jf_status grid_points(const jf_sweep *sw, double *values, size_t n)
{
    size_t k = sw->n_axes;
    for (size_t p = 0; p < n; p++) {
        size_t rest = p;
        for (size_t j = k; j-- > 0;) {
            size_t c = axis_count(&sw->axes[j]);
            values[p * k + j] = axis_value(&sw->axes[j], rest % c);
            rest /= c;
        }
    }
    return JF_OK;
}

static jf_status lhs_points(const jf_sweep *sw, double *values, size_t n, jf_error *err)
{
    size_t k = sw->n_axes;
    gsl_rng *r = jf__rng_alloc();
    unsigned long *perm = malloc(n * sizeof *perm);
    if (!r || !perm) {
        jf__rng_free(r);
        free(perm);
        return fail(err, JF_ERR_NOMEM, "out of memory generating %zu lhs points", n);
    }
    for (size_t j = 0; j < k; j++) {
        const jf_axis *a = &sw->axes[j];
        jf__rng_key(r, sw->seed, 0, jf__stream_id("sweep", "lhs", a->path));
        for (size_t i = 0; i < n; i++)
            perm[i] = (unsigned long)i;
        for (size_t i = n; i-- > 1;) {
            size_t s = (size_t)gsl_rng_uniform_int(r, (unsigned long)(i + 1));
            unsigned long t = perm[i];
            perm[i] = perm[s];
            perm[s] = t;
        }
        for (size_t i = 0; i < n; i++) {
            double u = ((double)perm[i] + jf__rng_uniform(r)) / (double)n;
            double x = a->min + u * (a->max - a->min);
            values[i * k + j] = x < a->min ? a->min : x > a->max ? a->max : x;
        }
    }
    jf__rng_free(r);
    free(perm);
    return JF_OK;
}

static jf_status sobol_points(const jf_sweep *sw, double *values, size_t n, jf_error *err)
{
    size_t k = sw->n_axes;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)k);
    double *u = malloc(k * sizeof *u);
    if (!q || !u) {
        if (q)
            gsl_qrng_free(q);
        free(u);
        return fail(err, JF_ERR_NOMEM, "out of memory generating %zu sobol points", n);
    }
    jf_status st = JF_OK;
    for (size_t i = 0; i < n && st == JF_OK; i++) {
        if (gsl_qrng_get(q, u) != GSL_SUCCESS) {
            st = fail(err, JF_ERR_INTERNAL, "GSL's Sobol sequence failed at point %zu", i);
            break;
        }
        for (size_t j = 0; j < k; j++) {
            const jf_axis *a = &sw->axes[j];
            values[i * k + j] = a->min + u[j] * (a->max - a->min);
        }
    }
    gsl_qrng_free(q);
    free(u);
    return st;
}

jf_status jf__sweep_points(const jf_sweep *sweep, double **values, size_t *n_points, jf_error *err)
{
    *values = NULL;
    *n_points = 0;
    if (!sweep || !sweep->present || sweep->n_axes == 0)
        return fail(err, JF_ERR_USAGE, "the scenario has no sweep section with parameters");
    size_t k = sweep->n_axes;
    size_t n = 1;
    if (sweep->method == JF_SWEEP_GRID) {
        for (size_t j = 0; j < k; j++) {
            size_t c = axis_count(&sweep->axes[j]);
            if (c == 0)
                return fail(err, JF_ERR_USAGE, "grid axis '%s' has no values", sweep->axes[j].path);
            if (n > JF__SWEEP_MAX_POINTS / c)
                return fail(err, JF_ERR_LIMIT,
                            "the grid has more than %u points (the product of the axes' sizes); use method: lhs or sobol",
                            JF__SWEEP_MAX_POINTS);
            n *= c;
        }
    } else {
        n = sweep->n;
        if (n == 0 || n > JF__SWEEP_MAX_POINTS)
            return fail(err, JF_ERR_LIMIT, "sweep n must be 1 to %u", JF__SWEEP_MAX_POINTS);
        if (sweep->method == JF_SWEEP_SOBOL && k > JF__SOBOL_MAX_DIM)
            return fail(err, JF_ERR_LIMIT, "a sobol sweep takes at most %u parameters (GSL's limit), found %zu",
                        JF__SOBOL_MAX_DIM, k);
    }
    if (n > SIZE_MAX / sizeof(double) / k)
        return fail(err, JF_ERR_LIMIT, "too many sweep points for this machine");
    double *v = malloc(n * k * sizeof *v);
    if (!v)
        return fail(err, JF_ERR_NOMEM, "out of memory for %zu sweep points", n);
    jf_status st;
    if (sweep->method == JF_SWEEP_GRID)
        st = grid_points(sweep, v, n);
    else if (sweep->method == JF_SWEEP_LHS)
        st = lhs_points(sweep, v, n, err);
    else
        st = sobol_points(sweep, v, n, err);
    if (st != JF_OK) {
        free(v);
        return st;
    }
    *values = v;
    *n_points = n;
    return JF_OK;
}
