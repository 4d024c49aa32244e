/*
 * scheme_repayment.c — the repayment recurrence (MODEL.md §6 "repayment", §9).
 *
 *   B_0 = target;  due_t = B_{t-1}·(1+r);  pay_t = min(c·E_t, due_t);  B_t = due_t - pay_t
 * US receipts pay_t, Ukraine receipts S_t - pay_t, nothing held.
 * years_to_repay = first t with B_t = 0 (INFINITY when not repaid).
 * Once repaid with r >= 0 the US has received at least `target` (Σ pay = target
 * plus interest); that bound is reported as us_floor so that years_to_target
 * with comparison.target = target agrees with years_to_repay, where the
 * floating-point sum of the payments can fall a few ulps short of the target.
 */
#include <math.h>

#include "scheme.h"

static void repay_start(const jf__scheme_values *v, jf__scheme_state *st)
{
    st->us_initial = 0.0;
    st->nav = 0.0;
    st->cap_us = 0.0;
    st->cap_ua = 0.0;
    st->log_growth = 0.0;
    st->balance = v->v[JF__SP_TARGET];
    st->repaid_year = INFINITY;
}

static void repay_year(const jf__scheme_values *v, jf__scheme_state *st, int t, double eligible,
                       double state_proceeds, double z_fund, jf__scheme_year *out)
{
    (void)z_fund;
    double due = st->balance * (1.0 + v->v[JF__SP_INTEREST_RATE]);
    double offered = v->v[JF__SP_SHARE] * eligible;
    double pay = offered < due ? offered : due;
    st->balance = due - pay;
    if (st->repaid_year == INFINITY && st->balance == 0.0)
        st->repaid_year = (double)t;
    out->inflow = pay;
    out->level = st->balance;
    out->us_flow = pay;
    out->ua_flow = state_proceeds - pay;
    out->us_hold = 0.0;
    out->ua_hold = 0.0;
    out->us_capital = 0.0;
    out->us_floor = st->repaid_year != INFINITY && v->v[JF__SP_INTEREST_RATE] >= 0.0
                        ? v->v[JF__SP_TARGET] : 0.0;
}

const jf__scheme_type jf__scheme_repayment = {
    JF_SCHEME_REPAYMENT, "repayment", false, true, true, repay_start, repay_year,
};
