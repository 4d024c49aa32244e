/*
 * uncertain.h — drawing uncertain scalars (MODEL.md §1, §9).
 *
 * A jf_param is a number (JF_DIST_FIXED) or a distribution drawn once per
 * path from its own stream.  Forms: normal (mean + sd·z), lognormal
 * (median·exp(sigma·z)), uniform, triangular (inverse CDF), beta-PERT with
 * λ = 4 (min + (max-min)·Beta(α, β), α = 1 + 4(mode-min)/(max-min),
 * β = 1 + 4(max-mode)/(max-min); min == max gives min), discrete (inverse
 * CDF over probs) and bernoulli (u < p).  A drawn value is clamped into the
 * key's [lo, hi].
 */
#ifndef JF_UNCERTAIN_H
#define JF_UNCERTAIN_H

#include <stdbool.h>

#include <gsl/gsl_rng.h>

#include "jfsim.h"

/* True when the parameter is a distribution (draws from a stream).  This function can't fail. */
bool jf__param_is_random(const jf_param *param);

/* Draw the parameter from `r` and clamp it into [lo, hi] (when lo <= hi).
 * A FIXED parameter draws nothing and returns p[0].  This function can't fail. */
double jf__param_draw(const jf_param *param, gsl_rng *r);

/* Clamp x into [lo, hi]; no-op when lo > hi.  This function can't fail. */
double jf__clamp(double x, double lo, double hi);

#endif /* JF_UNCERTAIN_H */
