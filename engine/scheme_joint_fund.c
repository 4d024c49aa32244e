/*
 * scheme_joint_fund.c — the joint fund recurrence (MODEL.md §6 "joint_fund", §9).
 *
 *   N_0 = initial_capital.us + initial_capital.ukraine
 *   1+R_t = exp(ln(1+μf) - σf²/2 + σf·z_t)    (z_t: the path's shared fund shock)
 *   A_t = N_{t-1}·(1+R_t);  fee_t = f·A_t      (the fee leaves the fund)
 *   In_t = c·E_t + us_annual_contribution      (years 1..T)
 *   A'_t = A_t - fee_t + In_t
 *   D_t = (t > Y) ? π·A'_t : 0                 (Y real, may be drawn)
 *   N_t = A'_t - D_t
 * US stake w_t: us_stake (fixed), or (pro_rata) the US share of capital
 * contributed through year t, 0.5 while both partners have put in nothing.
 * US receipts w_t·D_t, Ukraine receipts S_t - c·E_t + (1-w_t)·D_t; the
 * holdings w_t·N_t and (1-w_t)·N_t complete U_t and K_t.
 */
#include <math.h>

#include "scheme.h"

static void fund_start(const jf__scheme_values *v, jf__scheme_state *st)
{
    double mu = v->v[JF__SP_RETURN_MEAN], sigma = v->v[JF__SP_RETURN_VOLATILITY];
    st->us_initial = v->v[JF__SP_INITIAL_US];
    st->cap_us = v->v[JF__SP_INITIAL_US];
    st->cap_ua = v->v[JF__SP_INITIAL_UKRAINE];
    st->nav = st->cap_us + st->cap_ua;
    st->log_growth = log1p(mu) - 0.5 * sigma * sigma;
    st->balance = 0.0;
    st->repaid_year = INFINITY;
}

static void fund_year(const jf__scheme_values *v, jf__scheme_state *st, int t, double eligible,
                      double state_proceeds, double z_fund, jf__scheme_year *out)
{
    double c = v->v[JF__SP_CONTRIBUTION_SHARE];
    double us_in = v->v[JF__SP_US_ANNUAL];
    double sigma = v->v[JF__SP_RETURN_VOLATILITY];
    double growth = st->nav != 0.0 ? exp(st->log_growth + sigma * z_fund) : 0.0;
    double A = st->nav * growth;
    double fee = v->v[JF__SP_MANAGEMENT_FEE] * A;
    double ua_in = c * eligible;
    double inflow = ua_in + us_in;
    double A1 = A - fee + inflow;
    double D = (double)t > v->v[JF__SP_REINVEST_YEARS] ? v->v[JF__SP_PAYOUT_RATE] * A1 : 0.0;
    st->nav = A1 - D;
    st->cap_us += us_in;
    st->cap_ua += ua_in;
    double w;
    if (v->ownership == JF_OWNERSHIP_PRO_RATA) {
        double total = st->cap_us + st->cap_ua;
        w = total > 0.0 ? st->cap_us / total : 0.5;
    } else {
        w = v->v[JF__SP_US_STAKE];
    }
    out->inflow = inflow;
    out->level = st->nav;
    out->us_flow = w * D;
    out->ua_flow = state_proceeds - ua_in + (1.0 - w) * D;
    out->us_hold = w * st->nav;
    out->ua_hold = (1.0 - w) * st->nav;
    out->us_capital = us_in;
    out->us_floor = 0.0;
}

const jf__scheme_type jf__scheme_joint_fund = {
    JF_SCHEME_JOINT_FUND, "joint_fund", true, false, false, fund_start, fund_year,
};
