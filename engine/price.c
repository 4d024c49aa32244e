/*
 * price.c — one step of each price model (see price.h, MODEL.md §4).
 */
#include <math.h>

#include "price.h"

void jf__price_params_set(jf__price_params *pp, jf_price_model model, double p0, double growth,
                          double drift, double volatility, double long_run, double kappa,
                          bool has_jumps, double jump_rate, double jump_mean, double jump_sd)
{
    pp->model = model;
    pp->p0 = p0;
    pp->growth = growth;
    pp->log_drift = 0.0;
    pp->sigma = volatility;
    pp->decay = 1.0;
    pp->pull = 0.0;
    if (model == JF_PRICE_GBM) {
        pp->log_drift = drift - 0.5 * volatility * volatility;
    } else if (model == JF_PRICE_MEAN_REVERTING) {
        pp->decay = exp(-kappa);
        pp->pull = -expm1(-kappa) * log(long_run);
        /* (1-e^{-2κ})/(2κ) -> 1 as κ -> 0 (a random walk); guard κ = 0 itself. */
        pp->sigma = kappa > 0.0 ? volatility * sqrt(-expm1(-2.0 * kappa) / (2.0 * kappa)) : volatility;
    }
    pp->has_jumps = has_jumps && model != JF_PRICE_FIXED;
    pp->jump_rate = jump_rate;
    pp->jump_mean = jump_mean;
    pp->jump_sd = jump_sd;
}

double jf__price_jump(const jf__price_params *pp, unsigned n, double eps)
{
    if (n == 0)
        return 0.0;
    double dn = (double)n;
    return dn * pp->jump_mean + sqrt(dn) * pp->jump_sd * eps;
}

double jf__price_fixed(const jf__price_params *pp, int t)
{
    return pp->p0 * pow(1.0 + pp->growth, (double)t);
}
