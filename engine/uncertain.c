/*
 * uncertain.c — the distribution forms of an uncertain scalar (see uncertain.h).
 *
 * Uniform draws come from jf__rng_uniform (open interval (0,1), so inverse
 * CDFs never see 0 or 1); normals from GSL's ziggurat, betas from
 * gsl_ran_beta, all through the Philox gsl_rng adapter.
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "uncertain.h"

bool jf__param_is_random(const jf_param *param)
{
    return param->dist != JF_DIST_FIXED;
}

double jf__clamp(double x, double lo, double hi)
{
    if (!(lo <= hi))
        return x;
    if (x < lo)
        return lo;
    if (x > hi)
        return hi;
    return x;
}

static double triangular(double a, double c, double b, double u)
{
    if (!(b > a))
        return a;
    double fc = (c - a) / (b - a);
    if (u < fc)
        return a + sqrt(u * (b - a) * (c - a));
    return b - sqrt((1.0 - u) * (b - a) * (b - c));
}

static double pert(double a, double c, double b, gsl_rng *r)
{
    if (!(b > a))
        return a;
    double alpha = 1.0 + 4.0 * (c - a) / (b - a);
    double beta = 1.0 + 4.0 * (b - c) / (b - a);
    return a + (b - a) * gsl_ran_beta(r, alpha, beta);
}

static double discrete(const jf_param *param, double u)
{
    size_t n = param->n_values;
    if (n == 0 || !param->values)
        return param->p[0];
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += param->probs ? param->probs[i] : 1.0;
    double target = u * total, cum = 0.0;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        double pr = param->probs ? param->probs[i] : 1.0;
        if (pr <= 0.0)
            continue;
        last = i;
        cum += pr;
        if (target < cum)
            return param->values[i];
    }
    return param->values[last];   /* u·total rounded up to the total */
}

double jf__param_draw(const jf_param *param, gsl_rng *r)
{
    const double *p = param->p;
    double x;
    switch (param->dist) {
    case JF_DIST_FIXED:
        return p[0];
    case JF_DIST_NORMAL:
        x = p[0] + p[1] * gsl_ran_gaussian_ziggurat(r, 1.0);
        break;
    case JF_DIST_LOGNORMAL:
        x = p[0] * exp(p[1] * gsl_ran_gaussian_ziggurat(r, 1.0));
        break;
    case JF_DIST_UNIFORM:
        x = p[0] + (p[1] - p[0]) * jf__rng_uniform(r);
        break;
    case JF_DIST_TRIANGULAR:
        x = triangular(p[0], p[1], p[2], jf__rng_uniform(r));
        break;
    case JF_DIST_PERT:
        x = pert(p[0], p[1], p[2], r);
        break;
    case JF_DIST_DISCRETE:
        x = discrete(param, jf__rng_uniform(r));
        break;
    case JF_DIST_BERNOULLI:
        x = jf__rng_uniform(r) < p[0] ? 1.0 : 0.0;
        break;
    default:
        x = p[0];
        break;
    }
    return jf__clamp(x, param->lo, param->hi);
}
