/*
 * param_path.h — parameter paths: names for the numbers of a scenario (internal).
 *
 * Grammar (INTERFACE.md "Parameter paths"), components separated by '.':
 *
 *   path     := top | "regime." ("p_end" | "p_relapse") | "comparison.target"
 *             | "resources." NAME "." rkey | "schemes." NAME "." skey
 *   top      := "start_year" | "horizon_years" | "paths" | "seed" | "discount_rate" | "inflation"
 *   rkey     := "capacity" | "schedule." INDEX | "ramp_years" | "plateau_years" | "decline_rate"
 *             | "first_year" | "start_delay" | "success_probability" | "volume_noise"
 *             | "occupied_share" | "liberation_probability" | "conflict_output"
 *             | "price." ("start" | "growth" | "drift" | "volatility" | "long_run" | "reversion"
 *                        | "half_life" | "jumps." ("rate" | "mean" | "sd"))
 *             | "unit_cost" | "fixed_cost" | "cost_escalation" | "royalty_rate"
 *             | "profit_tax_rate" | "state_equity" | "dividend_payout" | "license_fees"
 *             | "eligible_share"
 *   skey     := joint_fund: "contribution_share" | "us_stake" | "initial_capital.us"
 *                 | "initial_capital.ukraine" | "us_annual_contribution" | "return.mean"
 *                 | "return.volatility" | "reinvest_years" | "payout_rate" | "management_fee"
 *             | repayment: "target" | "share" | "interest_rate"
 *   INDEX    := 1-based position in the schedule (like the age a of MODEL.md §3)
 *
 * A path is valid for a scenario only when the scenario uses that number:
 * `price.long_run` of a gbm price, `capacity` of a scheduled resource,
 * `royalty_rate` beside royalty_brackets, `regime.*` without a regime block,
 * keys of the other scheme type are not valid.  The --set grammar
 * (overrides.c) is wider: it addresses any key of the YAML tree.
 */
#ifndef JF_PARAM_PATH_H
#define JF_PARAM_PATH_H

#include "jfsim.h"

typedef enum {
    JF__TARGET_PARAM = 0, /* a jf_param of a resource or scheme */
    JF__TARGET_REAL,      /* a top-level double */
    JF__TARGET_INT,       /* start_year, horizon_years */
    JF__TARGET_U64        /* paths, seed */
} jf__target_kind;

typedef struct {
    jf__target_kind kind;
    jf_param *param;      /* JF__TARGET_PARAM */
    double *real;         /* JF__TARGET_REAL */
    int *integer;         /* JF__TARGET_INT */
    uint64_t *u64;        /* JF__TARGET_U64 */
    double lo, hi;        /* valid range, inclusive (open ends already moved inwards) */
    bool whole;           /* a fixed value must be a whole number (first_year) */
} jf__target;

/* Resolve `path` on `sc`: true and *out filled when it names a number the
 * scenario uses, false otherwise.  Pointers in *out point into `sc`.  This function can't fail. */
bool jf__param_path_resolve(jf_scenario *sc, const char *path, jf__target *out);

/* Visit every valid path of `sc` in a fixed order (file order of resources
 * and schemes); stops when `fn` returns false.  This function can't fail. */
typedef bool (*jf__path_visit_fn)(void *ctx, const char *path, const jf__target *target);
void jf__param_path_each(jf_scenario *sc, jf__path_visit_fn fn, void *ctx);

/* The valid path nearest to `path` by edit distance into buf, or "" when
 * none is close.  This function can't fail. */
void jf__param_path_suggest(jf_scenario *sc, const char *path, char *buf, size_t size);

#endif /* JF_PARAM_PATH_H */
