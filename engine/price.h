/*
 * price.h — price processes (MODEL.md §4, §9).
 *
 *   fixed:           P_t = P_0·(1+g)^t
 *   gbm:             x_t = x_{t-1} + μ - σ²/2 + σ·z_t + J_t
 *   mean_reverting:  x_t = x_{t-1}·e^{-κ} + (1-e^{-κ})·ln(long_run)
 *                          + σ·sqrt((1-e^{-2κ})/(2κ))·z_t + J_t
 * with x = ln P, x_0 = ln P_0, and the jump term J_t = n·μJ + sqrt(n)·σJ·ε
 * (n ~ Poisson(λ), not compensated) added after the diffusion step, so on the
 * mean-reverting model a jump decays with the log price.  κ = reversion, or
 * ln 2 / half_life.  The path simulation supplies the correlated shocks z_t
 * and the jump draws.
 */
#ifndef JF_PRICE_H
#define JF_PRICE_H

#include <stdbool.h>

#include "jfsim.h"

typedef struct {
    jf_price_model model;
    double p0;
    double growth;        /* fixed */
    double log_drift;     /* gbm: μ - σ²/2 */
    double sigma;         /* gbm: σ; mean_reverting: σ·sqrt((1-e^{-2κ})/(2κ)) */
    double decay;         /* mean_reverting: e^{-κ} */
    double pull;          /* mean_reverting: (1-e^{-κ})·ln(long_run) */
    bool has_jumps;
    double jump_rate;
    double jump_mean;
    double jump_sd;
} jf__price_params;

/* Precompute the step coefficients.  `kappa` is used by mean_reverting only;
 * jumps only when has_jumps.  This function can't fail. */
void jf__price_params_set(jf__price_params *pp, jf_price_model model, double p0, double growth,
                          double drift, double volatility, double long_run, double kappa,
                          bool has_jumps, double jump_rate, double jump_mean, double jump_sd);

/* One step of the log price for gbm / mean_reverting given the shock z and
 * the jump term `jump` (0 without jumps).  Inline: it runs once per
 * resource-year of every path.  This function can't fail. */
static inline double jf__price_log_step(const jf__price_params *pp, double x_prev, double z,
                                        double jump)
{
    if (pp->model == JF_PRICE_MEAN_REVERTING)
        return x_prev * pp->decay + pp->pull + pp->sigma * z + jump;
    return x_prev + pp->log_drift + pp->sigma * z + jump;
}

/* Jump term n·μJ + sqrt(n)·σJ·ε.  This function can't fail. */
double jf__price_jump(const jf__price_params *pp, unsigned n, double eps);

/* Fixed model price P_0·(1+g)^t.  This function can't fail. */
double jf__price_fixed(const jf__price_params *pp, int t);

#endif /* JF_PRICE_H */
