/*
 * scheme.h — revenue-sharing schemes behind one table of types (MODEL.md §6, §7).
 *
 * Each scheme type is a "type + state" table entry (like gsl_rng_type):
 * `start` sets up the state from the path's parameter values, `year` runs one
 * year of the type's recurrence given the eligible proceeds E_t, the total
 * state proceeds S_t and the path's fund-return shock z_t, and reports the
 * year's flows in a common shape (jf__scheme_year).  jf__scheme_simulate does
 * what every type shares: cumulative values U_t and K_t, discounting, the
 * years-to-target test and the metrics of §7:
 *   U_t = Σ_{u<=t} us_flow_u + us_hold_t,   K_t = Σ_{u<=t} ua_flow_u + ua_hold_t,
 *   us_npv = Σ_t us_flow_t/(1+d)^t + us_hold_T/(1+d)^T   (ukraine_npv alike),
 *   us_net_npv = us_npv - initial US capital - Σ_t us_capital_t/(1+d)^t,
 *   years_to_target = first t with U_t >= comparison target (INFINITY if none).
 * The types live in scheme_joint_fund.c and scheme_repayment.c.
 */
#ifndef JF_SCHEME_H
#define JF_SCHEME_H

#include <stdbool.h>

#include "jfsim.h"

/* Index of each numeric scheme parameter in jf__scheme_values.v. */
typedef enum {
    JF__SP_CONTRIBUTION_SHARE = 0,
    JF__SP_US_STAKE,
    JF__SP_INITIAL_US,
    JF__SP_INITIAL_UKRAINE,
    JF__SP_US_ANNUAL,
    JF__SP_RETURN_MEAN,
    JF__SP_RETURN_VOLATILITY,
    JF__SP_REINVEST_YEARS,
    JF__SP_PAYOUT_RATE,
    JF__SP_MANAGEMENT_FEE,
    JF__SP_TARGET,
    JF__SP_SHARE,
    JF__SP_INTEREST_RATE,
    JF__SP_COUNT
} jf__scheme_param;

/* Key path (as in the scenario file) of a scheme parameter, e.g.
 * "initial_capital.us", "return.mean".  This function can't fail. */
const char *jf__scheme_param_key(jf__scheme_param which);

/* The jf_param of `scheme` that holds parameter `which`.  This function can't fail. */
const jf_param *jf__scheme_param_of(const jf_scheme *scheme, jf__scheme_param which);

/* One path's values of a scheme's parameters. */
typedef struct {
    double v[JF__SP_COUNT];
    jf_ownership ownership;
} jf__scheme_values;

/* Running state of one scheme in one path (fields used by the type that owns them). */
typedef struct {
    double us_initial;   /* US capital at t = 0 (undiscounted in us_net_npv) */
    /* joint_fund */
    double nav;          /* N_t */
    double cap_us;       /* capital contributed by the US through t */
    double cap_ua;       /* capital contributed by Ukraine through t */
    double log_growth;   /* ln(1+μf) - σf²/2 */
    /* repayment */
    double balance;      /* B_t */
    double repaid_year;  /* first t with B_t = 0, else INFINITY */
} jf__scheme_state;

/* One year's flows in the shape all types share. */
typedef struct {
    double inflow;      /* In_t (fund) or pay_t (repayment) */
    double level;       /* N_t (fund) or B_t (repayment) */
    double us_flow;     /* US receipts in year t: w_t·D_t, or pay_t */
    double ua_flow;     /* Ukraine receipts: S_t - c·E_t + (1-w_t)·D_t, or S_t - pay_t */
    double us_hold;     /* US claim on what the scheme holds at t: w_t·N_t, or 0 */
    double ua_hold;     /* (1-w_t)·N_t, or 0 */
    double us_capital;  /* US money put in during year t (us_annual_contribution) */
    double us_floor;    /* an exact lower bound of U_t known to the type (0 if none):
                           a repaid repayment with r >= 0 has paid at least its target,
                           though the floating-point sum of payments may fall short by ulps */
} jf__scheme_year;

typedef struct {
    jf_scheme_type type;
    const char *name;
    bool has_fund_nav;        /* annual `fund_nav` */
    bool has_outstanding;     /* annual `outstanding` */
    bool has_years_to_repay;  /* metric `years_to_repay` */
    void (*start)(const jf__scheme_values *v, jf__scheme_state *st);
    void (*year)(const jf__scheme_values *v, jf__scheme_state *st, int t, double eligible,
                 double state_proceeds, double z_fund, jf__scheme_year *out);
} jf__scheme_type;

extern const jf__scheme_type jf__scheme_joint_fund;
extern const jf__scheme_type jf__scheme_repayment;

/* The table entry of a scheme type; NULL for an unknown type. */
const jf__scheme_type *jf__scheme_type_get(jf_scheme_type type);

/* Per-path metrics of one scheme (MODEL.md §7). */
typedef struct {
    double us_value;
    double us_npv;
    double us_net_npv;
    double ukraine_value;
    double ukraine_npv;
    double years_to_target;   /* INFINITY when never reached */
    double reached_target;    /* 0 or 1 */
    double years_to_repay;    /* repayment only; INFINITY when not repaid */
} jf__scheme_result;

/* Annual outputs of one scheme: each points to T values (t = 1..T) or is NULL. */
typedef struct {
    double *inflow;
    double *level;           /* fund_nav or outstanding */
    double *us_cumulative;
    double *ukraine_cumulative;
    double *reached_target;
} jf__scheme_series;

/*
 * Run one scheme over t = 1..T.  eligible[t-1] = E_t, state[t-1] = S_t,
 * z_fund[t-1] = the path's fund-return shock (may be NULL for a type that
 * does not use it), discount[t-1] = (1+d)^-t.  Fills *result and the
 * non-NULL series.  Allocates nothing.  This function can't fail.
 */
void jf__scheme_simulate(const jf__scheme_type *type, const jf__scheme_values *values, int horizon,
                         const double *eligible, const double *state, const double *z_fund,
                         const double *discount, double target, const jf__scheme_series *series,
                         jf__scheme_result *result);

#endif /* JF_SCHEME_H */
