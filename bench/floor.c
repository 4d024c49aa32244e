/*
 * floor.c — the unavoidable work of a case, as fast as plain C does it (see floor.h).
 *
 * Per path p and resource r the shocks e_r,1..T come from the stream keyed
 * {seed, id_r} with counter {p, block, 0, 0} (the layout of engine/rng.c,
 * id_r = FNV-1a of "resource/<name>/price.shock" as in the engine), stored
 * resource-major in a per-thread buffer; then for each year
 * z_t = L·e_t (MODEL.md §4) and the sum of exp(0.1·z_r,t) is accumulated.
 * The factor 0.1 only keeps the sum finite; it costs one multiply, as the
 * engine's σ·z does.
 *
 * floor-case adds, per path, the engine's normals and exps beyond R·T
 * (jfsim-draws counts them) from one more stream, {seed, FNV-1a of
 * "floor/case/extra"}, with the same ziggurat.
 *
 * Box–Muller (MODEL.md does not fix the normal method; the engine uses the
 * ziggurat): u1 = (w >> 11 + 0.5)·2^-53 in (0,1), u2 likewise, then
 * sqrt(-2 ln u1)·(cos, sin)(2π u2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>
#include <gsl/gsl_randist.h>
#include <Random123/philox.h>

#include "floor.h"
#include "rng.h"

#define JF__TWO_PI 6.283185307179586476925286766559005768

jf_status jf__floor_cholesky(const jf_scenario *sc, double *L)
{
    const size_t n = sc->n_resources;
    /* Start from the correlation matrix in the lower triangle. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            L[i * n + j] = i == j ? 1.0 : 0.0;
    for (size_t k = 0; k < sc->n_correlations; k++) {
        size_t a = sc->correlations[k].a, b = sc->correlations[k].b;
        if (a >= n || b >= n || a == b)
            return JF_ERR_INTERNAL;
        size_t i = a > b ? a : b, j = a > b ? b : a;
        L[i * n + j] = sc->correlations[k].rho;
    }
    /* Cholesky–Banachiewicz, in place on the lower triangle. */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j <= i; j++) {
            double s = L[i * n + j];
            for (size_t k = 0; k < j; k++)
                s -= L[i * n + k] * L[j * n + k];
            if (i == j) {
                if (!(s > 0.0))
                    return JF_ERR_NOT_PD;
                L[i * n + i] = sqrt(s);
            } else {
                L[i * n + j] = s / L[j * n + j];
            }
        }
    }
    return JF_OK;
}

static inline double u01(uint64_t w)
{
    return ((double)(w >> 11) + 0.5) * 0x1.0p-53;
}

/* T normals of stream (seed, id, path) by Box–Muller, 4 per Philox call. */
static void normals_box_muller(uint64_t seed, uint64_t id, uint64_t path, size_t T, double *e)
{
    philox4x64_key_t key = {{seed, id}};
    philox4x64_ctr_t ctr = {{path, 0, 0, 0}};
    for (size_t t = 0; t < T; t += 4) {
        philox4x64_ctr_t w = philox4x64(ctr, key);
        ctr.v[1]++;
        double r1 = sqrt(-2.0 * log(u01(w.v[0]))), a1 = JF__TWO_PI * u01(w.v[1]);
        double r2 = sqrt(-2.0 * log(u01(w.v[2]))), a2 = JF__TWO_PI * u01(w.v[3]);
        double n[4] = {r1 * cos(a1), r1 * sin(a1), r2 * cos(a2), r2 * sin(a2)};
        size_t m = T - t < 4 ? T - t : 4;
        for (size_t k = 0; k < m; k++)
            e[t + k] = n[k];
    }
}

/* T normals of stream (seed, id, path) the engine's way. */
static void normals_ziggurat(gsl_rng *rng, uint64_t seed, uint64_t id, uint64_t path, size_t T,
                             double *e)
{
    jf__rng_key(rng, seed, path, id);
    for (size_t t = 0; t < T; t++)
        e[t] = gsl_ran_gaussian_ziggurat(rng, 1.0);
}

/* Correlate year by year and sum exp(0.1·z).  e is resource-major (e[r·T + t]). */
static double correlate_exp(const double *L, size_t R, size_t T, const double *e)
{
    double sum = 0.0;
    for (size_t t = 0; t < T; t++)
        for (size_t r = 0; r < R; r++) {
            double z = 0.0;
            for (size_t k = 0; k <= r; k++)
                z += L[r * R + k] * e[k * T + t];
            sum += exp(0.1 * z);
        }
    return sum;
}

/* This path's share of `extra` per path on average: the totals over paths
 * 0..n-1 add up to floor(n·extra). */
static size_t share(uint64_t p, double extra)
{
    return (size_t)(floor((double)(p + 1) * extra) - floor((double)p * extra));
}

/* The case's draws beyond R·T: n normals from stream (seed, id, path), and
 * x exps of 0.1 times them (cycling when x > n). */
static double extra_draws(gsl_rng *rng, uint64_t seed, uint64_t id, uint64_t path, size_t n,
                          size_t x, double *buf)
{
    jf__rng_key(rng, seed, path, id);
    for (size_t k = 0; k < n; k++)
        buf[k] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    double sum = 0.0;
    for (size_t k = 0; k < x; k++)
        sum += exp(0.1 * (n ? buf[k % n] : 1e-3 * (double)k));
    return sum;
}

jf_status jf__floor_run(const jf_scenario *sc, const double *L, uint64_t paths, int threads,
                        jf__floor_method method, const jf__floor_counts *counts, double *checksum)
{
    const size_t R = sc->n_resources, T = (size_t)sc->horizon_years;
    const uint64_t seed = sc->seed;
    double extra_n = 0.0, extra_x = 0.0;
    if (method == JF__FLOOR_CASE) {
        if (!counts)
            return JF_ERR_USAGE;
        extra_n = counts->normals - (double)(R * T);
        extra_x = counts->exps - (double)(R * T);
        if (!(extra_n >= 0.0 && extra_x >= 0.0 && extra_n < 1e6 && extra_x < 1e6))
            return JF_ERR_USAGE;
    }
    const size_t extra_cap = (size_t)ceil(extra_n) + 1;
    const uint64_t id_extra = jf__stream_id("floor", "case", "extra");
    const bool zig = method != JF__FLOOR_BOX_MULLER;
    uint64_t *ids = malloc((R ? R : 1) * sizeof *ids);
    if (!ids)
        return JF_ERR_NOMEM;
    for (size_t r = 0; r < R; r++)
        ids[r] = jf__stream_id("resource", sc->resources[r].name, "price.shock");
    double total = 0.0;
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(+ : total, failed)
    {
        /* Per-thread buffers, allocated once; every thread reaches the worksharing loop. */
        double *e = malloc(((R ? R : 1) * (T + 4) + extra_cap) * sizeof *e);
        gsl_rng *rng = zig ? jf__rng_alloc() : NULL;
        int ok = e && (!zig || rng);
        if (!ok)
            failed += 1;
#pragma omp for schedule(static)
        for (uint64_t p = 0; p < paths; p++) {
            if (!ok)
                continue;
            for (size_t r = 0; r < R; r++) {
                if (zig)
                    normals_ziggurat(rng, seed, ids[r], p, T, e + r * T);
                else
                    normals_box_muller(seed, ids[r], p, T, e + r * T);
            }
            total += correlate_exp(L, R, T, e);
            if (method == JF__FLOOR_CASE)
                total += extra_draws(rng, seed, id_extra, p, share(p, extra_n), share(p, extra_x),
                                     e + R * (T + 4));
        }
        jf__rng_free(rng);
        free(e);
    }
    free(ids);
    if (failed)
        return JF_ERR_NOMEM;
    *checksum = total;
    return JF_OK;
}
