/*
 * regime.c — the two-state war regime chain (see regime.h, MODEL.md §2).
 */
#include <string.h>

#include "regime.h"
#include "rng.h"

jf_regime_state jf__regime_step(jf_regime_state prev, double u, double p_end, double p_relapse)
{
    if (prev == JF_REGIME_CONFLICT)
        return u < p_end ? JF_REGIME_PEACE : JF_REGIME_CONFLICT;
    return u < p_relapse ? JF_REGIME_CONFLICT : JF_REGIME_PEACE;
}

void jf__regime_path(const jf_scenario *scenario, gsl_rng *r, unsigned char *conflict)
{
    int T = scenario->horizon_years;
    if (!scenario->has_regime) {
        memset(conflict, 0, (size_t)T);
        return;
    }
    jf_regime_state s = scenario->regime_initial;
    for (int t = 1; t <= T; t++) {
        s = jf__regime_step(s, jf__rng_uniform(r), scenario->p_end, scenario->p_relapse);
        conflict[t - 1] = s == JF_REGIME_CONFLICT;
    }
}
