/*
 * scheme.c — the table of scheme types and what all types share (see scheme.h, MODEL.md §6–§7).
 */
#include <math.h>
#include <stddef.h>

#include "scheme.h"

static const struct {
    const char *key;
    size_t offset;
} param_table[JF__SP_COUNT] = {
    [JF__SP_CONTRIBUTION_SHARE] = {"contribution_share", offsetof(jf_scheme, contribution_share)},
    [JF__SP_US_STAKE] = {"us_stake", offsetof(jf_scheme, us_stake)},
    [JF__SP_INITIAL_US] = {"initial_capital.us", offsetof(jf_scheme, initial_capital_us)},
    [JF__SP_INITIAL_UKRAINE] = {"initial_capital.ukraine", offsetof(jf_scheme, initial_capital_ukraine)},
    [JF__SP_US_ANNUAL] = {"us_annual_contribution", offsetof(jf_scheme, us_annual_contribution)},
    [JF__SP_RETURN_MEAN] = {"return.mean", offsetof(jf_scheme, return_mean)},
    [JF__SP_RETURN_VOLATILITY] = {"return.volatility", offsetof(jf_scheme, return_volatility)},
    [JF__SP_REINVEST_YEARS] = {"reinvest_years", offsetof(jf_scheme, reinvest_years)},
    [JF__SP_PAYOUT_RATE] = {"payout_rate", offsetof(jf_scheme, payout_rate)},
    [JF__SP_MANAGEMENT_FEE] = {"management_fee", offsetof(jf_scheme, management_fee)},
    [JF__SP_TARGET] = {"target", offsetof(jf_scheme, target)},
    [JF__SP_SHARE] = {"share", offsetof(jf_scheme, share)},
    [JF__SP_INTEREST_RATE] = {"interest_rate", offsetof(jf_scheme, interest_rate)},
};

const char *jf__scheme_param_key(jf__scheme_param which)
{
    return param_table[which].key;
}

const jf_param *jf__scheme_param_of(const jf_scheme *scheme, jf__scheme_param which)
{
    return (const jf_param *)((const char *)scheme + param_table[which].offset);
}

const jf__scheme_type *jf__scheme_type_get(jf_scheme_type type)
{
    switch (type) {
    case JF_SCHEME_JOINT_FUND: return &jf__scheme_joint_fund;
    case JF_SCHEME_REPAYMENT: return &jf__scheme_repayment;
    }
    return NULL;
}

void jf__scheme_simulate(const jf__scheme_type *type, const jf__scheme_values *values, int horizon,
                         const double *eligible, const double *state, const double *z_fund,
                         const double *discount, double target, const jf__scheme_series *series,
                         jf__scheme_result *result)
{
    jf__scheme_state st;
    type->start(values, &st);
    double us_sum = 0.0, ua_sum = 0.0, us_npv = 0.0, ua_npv = 0.0, us_capital_npv = 0.0;
    double U = 0.0, K = 0.0, years_to_target = INFINITY;
    jf__scheme_year y = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    for (int t = 1; t <= horizon; t++) {
        double df = discount[t - 1];
        type->year(values, &st, t, eligible[t - 1], state[t - 1], z_fund ? z_fund[t - 1] : 0.0, &y);
        us_sum += y.us_flow;
        ua_sum += y.ua_flow;
        us_npv += y.us_flow * df;
        ua_npv += y.ua_flow * df;
        us_capital_npv += y.us_capital * df;
        U = us_sum + y.us_hold;
        K = ua_sum + y.ua_hold;
        if (years_to_target == INFINITY && (U >= target || y.us_floor >= target))
            years_to_target = (double)t;
        if (series) {
            if (series->inflow)
                series->inflow[t - 1] = y.inflow;
            if (series->level)
                series->level[t - 1] = y.level;
            if (series->us_cumulative)
                series->us_cumulative[t - 1] = U;
            if (series->ukraine_cumulative)
                series->ukraine_cumulative[t - 1] = K;
            if (series->reached_target)
                series->reached_target[t - 1] = years_to_target <= (double)t ? 1.0 : 0.0;
        }
    }
    double df_T = horizon > 0 ? discount[horizon - 1] : 1.0;
    result->us_value = U;
    result->ukraine_value = K;
    result->us_npv = us_npv + y.us_hold * df_T;
    result->ukraine_npv = ua_npv + y.ua_hold * df_T;
    result->us_net_npv = result->us_npv - st.us_initial - us_capital_npv;
    result->years_to_target = years_to_target;
    result->reached_target = years_to_target <= (double)horizon ? 1.0 : 0.0;
    result->years_to_repay = st.repaid_year;
}
