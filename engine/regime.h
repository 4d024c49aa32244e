/*
 * regime.h — the war regime Markov chain (MODEL.md §2).
 *
 * s_0 = regime.initial; for t >= 1, from conflict the chain moves to peace
 * when u_t < p_end, from peace to conflict when u_t < p_relapse, with one
 * uniform u_t per year from the path-wide stream "path/regime".  Without a
 * regime block every year is peace and nothing is drawn.
 */
#ifndef JF_REGIME_H
#define JF_REGIME_H

#include <gsl/gsl_rng.h>

#include "jfsim.h"

/* One transition given the uniform u in (0,1).  This function can't fail. */
jf_regime_state jf__regime_step(jf_regime_state prev, double u, double p_end, double p_relapse);

/* Fill conflict[t-1] (1 in conflict, 0 in peace) for t = 1..T from `r`,
 * which must be keyed to the path's "path/regime" stream.  Allocates
 * nothing.  This function can't fail. */
void jf__regime_path(const jf_scenario *scenario, gsl_rng *r, unsigned char *conflict);

#endif /* JF_REGIME_H */
