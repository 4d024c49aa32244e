/*
 * scenario_fixture.h — build jf_scenario structs in C for the engine tests.
 *
 * The tests of the simulation must not depend on the YAML loader, so this
 * helper fills the plain structs of jfsim.h directly with the loader's
 * defaults (MODEL.md §3–§6, §9): a resource is flat at its capacity for ever,
 * sells at a fixed price, pays profit tax 0.18 and nothing else; a
 * joint_fund has c = 0.5, us_stake 0.5, Y = 10, π = 0.05; a repayment has
 * target 500e9 and share 0.5.  Everything lives inside one jf_fixture
 * (fixed-size arrays, no heap), allocated by fx_alloc and freed with free().
 */
#ifndef JF_SCENARIO_FIXTURE_H
#define JF_SCENARIO_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfsim.h"

#define FX_MAX_RES 8
#define FX_MAX_SCH 8
#define FX_MAX_CORR 16
#define FX_MAX_LIST 16

typedef struct {
    jf_scenario sc;
    jf_resource res[FX_MAX_RES];
    jf_scheme sch[FX_MAX_SCH];
    jf_correlation corr[FX_MAX_CORR];
    size_t sch_res[FX_MAX_SCH][FX_MAX_RES];
    jf_param sched[FX_MAX_RES][FX_MAX_LIST];
    double brackets[FX_MAX_RES][FX_MAX_LIST][2];
    double values[FX_MAX_LIST];
    double probs[FX_MAX_LIST];
} jf_fixture;

/* A fixed parameter with valid range [lo, hi]. */
static inline jf_param fx_fixed(double x, double lo, double hi)
{
    jf_param p;
    memset(&p, 0, sizeof p);
    p.dist = JF_DIST_FIXED;
    p.p[0] = x;
    p.lo = lo;
    p.hi = hi;
    return p;
}

/* A distribution with parameters a, b, c and valid range [lo, hi]. */
static inline jf_param fx_dist(jf_dist_kind dist, double a, double b, double c, double lo, double hi)
{
    jf_param p = fx_fixed(a, lo, hi);
    p.dist = dist;
    p.p[1] = b;
    p.p[2] = c;
    return p;
}

static inline jf_fixture *fx_alloc(int start_year, int horizon, uint64_t paths, uint64_t seed,
                                   double discount_rate, double inflation)
{
    jf_fixture *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->sc.name, sizeof f->sc.name, "fixture");
    f->sc.start_year = start_year;
    f->sc.horizon_years = horizon;
    f->sc.paths = paths;
    f->sc.seed = seed;
    f->sc.discount_rate = discount_rate;
    f->sc.inflation = inflation;
    f->sc.resources = f->res;
    f->sc.schemes = f->sch;
    f->sc.correlations = f->corr;
    f->sc.comparison_target = 500e9;
    return f;
}

static inline void fx_regime(jf_fixture *f, jf_regime_state initial, double p_end, double p_relapse)
{
    f->sc.has_regime = true;
    f->sc.regime_initial = initial;
    f->sc.p_end = p_end;
    f->sc.p_relapse = p_relapse;
}

/* Add a resource with the loader's defaults. */
static inline jf_resource *fx_resource(jf_fixture *f, const char *name, jf_kind kind,
                                       jf_price_model model, double p0, double capacity)
{
    const double inf = HUGE_VAL;
    jf_resource *r = &f->res[f->sc.n_resources++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->kind = kind;
    r->capacity = fx_fixed(capacity, 0, inf);
    r->ramp_years = fx_fixed(0, 0, inf);
    r->plateau_years = fx_fixed(1, 0, inf);
    r->decline_rate = fx_fixed(0, 0, nextafter(1.0, 0.0));
    r->first_year = fx_fixed(f->sc.start_year, 1, 9999);
    r->start_delay = fx_fixed(0, 0, inf);
    r->success_probability = fx_fixed(1, 0, 1);
    r->volume_noise = fx_fixed(0, 0, inf);
    r->occupied_share = fx_fixed(0, 0, 1);
    r->liberation_probability = fx_fixed(0, 0, 1);
    r->conflict_output = fx_fixed(1, 0, 1);
    r->price.model = model;
    r->price.start = fx_fixed(p0, 0, inf);
    r->price.growth = fx_fixed(0, nextafter(-1.0, 0.0), inf);
    r->price.drift = fx_fixed(0, -inf, inf);
    r->price.volatility = fx_fixed(0, 0, inf);
    r->price.long_run = fx_fixed(p0, 0, inf);
    r->price.reversion = fx_fixed(1, 0, inf);
    r->price.half_life = fx_fixed(1, 0, inf);
    r->price.jump_rate = fx_fixed(0, 0, inf);
    r->price.jump_mean = fx_fixed(0, -inf, inf);
    r->price.jump_sd = fx_fixed(0, 0, inf);
    r->unit_cost = fx_fixed(0, 0, inf);
    r->fixed_cost = fx_fixed(0, 0, inf);
    r->cost_escalation = fx_fixed(f->sc.inflation, nextafter(-1.0, 0.0), inf);
    r->royalty_rate = fx_fixed(0, 0, 1);
    r->profit_tax_rate = fx_fixed(0.18, 0, 1);
    r->state_equity = fx_fixed(0, 0, 1);
    r->dividend_payout = fx_fixed(0, 0, 1);
    r->license_fees = fx_fixed(0, 0, inf);
    r->eligible_share = fx_fixed(1, 0, 1);
    return r;
}

/* Give resource r a schedule of fixed values. */
static inline void fx_schedule(jf_fixture *f, jf_resource *r, const double *v, size_t n)
{
    size_t i = (size_t)(r - f->res);
    for (size_t k = 0; k < n; k++)
        f->sched[i][k] = fx_fixed(v[k], 0, HUGE_VAL);
    r->has_schedule = true;
    r->n_schedule = n;
    r->schedule = f->sched[i];
}

static inline void fx_brackets(jf_fixture *f, jf_resource *r, const double (*b)[2], size_t n)
{
    size_t i = (size_t)(r - f->res);
    memcpy(f->brackets[i], b, n * sizeof *b);
    r->n_brackets = n;
    r->royalty_brackets = f->brackets[i];
}

static inline void fx_correlate(jf_fixture *f, size_t a, size_t b, double rho)
{
    jf_correlation *c = &f->corr[f->sc.n_correlations++];
    c->a = a;
    c->b = b;
    c->rho = rho;
}

static inline jf_scheme *fx_scheme_common(jf_fixture *f, const char *name, jf_scheme_type type)
{
    const double inf = HUGE_VAL;
    size_t i = f->sc.n_schemes++;
    jf_scheme *s = &f->sch[i];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->type = type;
    s->base = JF_BASE_ALL;
    s->all_resources = true;
    s->resources = f->sch_res[i];
    s->contribution_share = fx_fixed(0, 0, 1);
    s->us_stake = fx_fixed(0, 0, 1);
    s->initial_capital_us = fx_fixed(0, 0, inf);
    s->initial_capital_ukraine = fx_fixed(0, 0, inf);
    s->us_annual_contribution = fx_fixed(0, 0, inf);
    s->return_mean = fx_fixed(0, nextafter(-1.0, 0.0), inf);
    s->return_volatility = fx_fixed(0, 0, inf);
    s->reinvest_years = fx_fixed(0, 0, inf);
    s->payout_rate = fx_fixed(0, 0, 1);
    s->management_fee = fx_fixed(0, 0, 1);
    s->target = fx_fixed(0, 0, inf);
    s->share = fx_fixed(0, 0, 1);
    s->interest_rate = fx_fixed(0, nextafter(-1.0, 0.0), inf);
    return s;
}

static inline jf_scheme *fx_fund(jf_fixture *f, const char *name)
{
    jf_scheme *s = fx_scheme_common(f, name, JF_SCHEME_JOINT_FUND);
    s->contribution_share.p[0] = 0.5;
    s->us_stake.p[0] = 0.5;
    s->ownership = JF_OWNERSHIP_FIXED;
    s->reinvest_years.p[0] = 10;
    s->payout_rate.p[0] = 0.05;
    return s;
}

static inline jf_scheme *fx_repayment(jf_fixture *f, const char *name)
{
    jf_scheme *s = fx_scheme_common(f, name, JF_SCHEME_REPAYMENT);
    s->target.p[0] = 500e9;
    s->share.p[0] = 0.5;
    return s;
}

/* Restrict a scheme to the listed resources (indexes in file order). */
static inline void fx_scheme_resources(jf_scheme *s, const size_t *idx, size_t n)
{
    s->all_resources = false;
    s->n_resources = n;
    for (size_t k = 0; k < n; k++)
        s->resources[k] = idx[k];
}

/* ---- Running the path simulation (engine/path_sim.h) on a fixture ---- */
#ifdef JF_PATH_SIM_H

/* Results of paths [first, first + n) of a compiled model. */
typedef struct {
    jf__model *model;
    const jf__catalogue *cat;
    uint64_t n;
    int T;
    double *metrics;   /* n × n_metrics */
    double *annual;    /* n × n_series × T */
} fx_run_result;

/* Compile and simulate; returns the status of jf__model_alloc (NOMEM if buffers fail). */
static inline jf_status fx_run(const jf_scenario *sc, uint64_t first, uint64_t n, fx_run_result *out,
                               jf_error *err)
{
    memset(out, 0, sizeof *out);
    jf_status st = jf__model_alloc(sc, &out->model, err);
    if (st != JF_OK)
        return st;
    out->cat = jf__model_catalogue(out->model);
    out->n = n;
    out->T = sc->horizon_years;
    size_t nm = out->cat->n_metrics, na = out->cat->n_series * (size_t)out->T;
    out->metrics = calloc(n * nm + 1, sizeof(double));
    out->annual = calloc(n * na + 1, sizeof(double));
    jf__path_ws *ws = jf__path_ws_alloc(out->model);
    if (!out->metrics || !out->annual || !ws) {
        jf__path_ws_free(ws);
        return JF_ERR_NOMEM;
    }
    for (uint64_t p = 0; p < n; p++)
        jf__path_simulate(out->model, ws, first + p, out->metrics + p * nm, out->annual + p * na);
    jf__path_ws_free(ws);
    return JF_OK;
}

static inline void fx_run_free(fx_run_result *r)
{
    jf__model_free(r->model);
    free(r->metrics);
    free(r->annual);
    memset(r, 0, sizeof *r);
}

/* Index of a summary row, or (size_t)-1. */
static inline size_t fx_metric(const fx_run_result *r, const char *scheme, const char *metric)
{
    for (size_t i = 0; i < r->cat->n_metrics; i++)
        if (!strcmp(r->cat->metrics[i].scheme, scheme) && !strcmp(r->cat->metrics[i].metric, metric))
            return i;
    return (size_t)-1;
}

/* Index of an annual series, or (size_t)-1. */
static inline size_t fx_series(const fx_run_result *r, const char *variable, const char *scope)
{
    for (size_t i = 0; i < r->cat->n_series; i++)
        if (!strcmp(r->cat->series[i].variable, variable) && !strcmp(r->cat->series[i].scope, scope))
            return i;
    return (size_t)-1;
}

/* Value of metric m in path p (0-based within the run). */
static inline double fx_m(const fx_run_result *r, uint64_t p, size_t m)
{
    return r->metrics[p * r->cat->n_metrics + m];
}

/* Value of series s in year t (1-based) of path p. */
static inline double fx_a(const fx_run_result *r, uint64_t p, size_t s, int t)
{
    return r->annual[(p * r->cat->n_series + s) * (size_t)r->T + (size_t)(t - 1)];
}

#endif /* JF_PATH_SIM_H */

#endif /* JF_SCENARIO_FIXTURE_H */
