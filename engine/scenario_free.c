/*
 * scenario_free.c — jf_scenario_free: release a scenario and everything it owns.
 *
 * Safe on a partly built scenario (the loader calls it after a failed
 * validation): every pointer is either NULL or owned, every count matches
 * its array or is 0.
 */
#include <stdlib.h>

#include "jfsim.h"
#include "schema.h"

static void free_resource(jf_resource *r)
{
    jf_param *params[] = {
        &r->capacity, &r->ramp_years, &r->plateau_years, &r->decline_rate, &r->first_year,
        &r->start_delay, &r->success_probability, &r->volume_noise, &r->occupied_share,
        &r->liberation_probability, &r->conflict_output, &r->price.start, &r->price.growth,
        &r->price.drift, &r->price.volatility, &r->price.long_run, &r->price.reversion,
        &r->price.half_life, &r->price.jump_rate, &r->price.jump_mean, &r->price.jump_sd,
        &r->unit_cost, &r->fixed_cost, &r->cost_escalation, &r->royalty_rate, &r->profit_tax_rate,
        &r->state_equity, &r->dividend_payout, &r->license_fees, &r->eligible_share,
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        jf__param_clear(params[i]);
    if (r->schedule)
        for (size_t i = 0; i < r->n_schedule; i++)
            jf__param_clear(&r->schedule[i]);
    free(r->schedule);
    free(r->royalty_brackets);
}

static void free_scheme(jf_scheme *s)
{
    jf_param *params[] = {
        &s->contribution_share, &s->us_stake, &s->initial_capital_us, &s->initial_capital_ukraine,
        &s->us_annual_contribution, &s->return_mean, &s->return_volatility, &s->reinvest_years,
        &s->payout_rate, &s->management_fee, &s->target, &s->share, &s->interest_rate,
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        jf__param_clear(params[i]);
    free(s->resources);
}

static void free_axes(jf_axis *axes, size_t n)
{
    if (axes)
        for (size_t i = 0; i < n; i++)
            free(axes[i].values);
    free(axes);
}

void jf_scenario_free(jf_scenario *scenario)
{
    if (!scenario)
        return;
    if (scenario->resources)
        for (size_t i = 0; i < scenario->n_resources; i++)
            free_resource(&scenario->resources[i]);
    free(scenario->resources);
    if (scenario->schemes)
        for (size_t i = 0; i < scenario->n_schemes; i++)
            free_scheme(&scenario->schemes[i]);
    free(scenario->schemes);
    free(scenario->correlations);
    free_axes(scenario->sweep.axes, scenario->sweep.n_axes);
    free_axes(scenario->sensitivity.axes, scenario->sensitivity.n_axes);
    free(scenario->sensitivity.outputs);
    free(scenario);
}
