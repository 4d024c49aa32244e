/*
 * param_path.c — resolve and list parameter paths (see param_path.h for the grammar).
 *
 * One enumerator walks the scenario in a fixed order and yields every valid
 * (path, target) pair; resolving a path is a walk that stops at the match,
 * and suggestions offer every visited path to suggest.c.  Scenarios are
 * small (<= 1000 resources of ~35 numbers), so a linear walk is cheap and
 * keeps the grammar in one place.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "param_path.h"
#include "suggest.h"

typedef struct {
    jf__path_visit_fn fn;
    void *ctx;
    bool stopped;
} jf__walk;

static void visit_param(jf__walk *w, const char *prefix, const char *key, jf_param *p)
{
    if (w->stopped)
        return;
    char path[JF_PATH_MAX];
    snprintf(path, sizeof path, "%s%s", prefix, key);
    jf__target t = {.kind = JF__TARGET_PARAM, .param = p, .lo = p->lo, .hi = p->hi,
                    .whole = strcmp(key, "first_year") == 0};
    if (!w->fn(w->ctx, path, &t))
        w->stopped = true;
}

static void visit_other(jf__walk *w, const char *path, jf__target t)
{
    if (!w->stopped && !w->fn(w->ctx, path, &t))
        w->stopped = true;
}

static void walk_resource(jf__walk *w, jf_resource *r)
{
    char pre[JF_PATH_MAX];
    snprintf(pre, sizeof pre, "resources.%s.", r->name);
    if (r->has_schedule) {
        for (size_t i = 0; i < r->n_schedule; i++) {
            char key[48];
            snprintf(key, sizeof key, "schedule.%zu", i + 1);
            visit_param(w, pre, key, &r->schedule[i]);
        }
    } else {
        visit_param(w, pre, "capacity", &r->capacity);
        visit_param(w, pre, "ramp_years", &r->ramp_years);
        visit_param(w, pre, "plateau_years", &r->plateau_years);
        visit_param(w, pre, "decline_rate", &r->decline_rate);
    }
    visit_param(w, pre, "first_year", &r->first_year);
    visit_param(w, pre, "start_delay", &r->start_delay);
    visit_param(w, pre, "success_probability", &r->success_probability);
    visit_param(w, pre, "volume_noise", &r->volume_noise);
    visit_param(w, pre, "occupied_share", &r->occupied_share);
    visit_param(w, pre, "liberation_probability", &r->liberation_probability);
    visit_param(w, pre, "conflict_output", &r->conflict_output);
    jf_price_spec *p = &r->price;
    visit_param(w, pre, "price.start", &p->start);
    if (p->model == JF_PRICE_FIXED)
        visit_param(w, pre, "price.growth", &p->growth);
    if (p->model == JF_PRICE_GBM)
        visit_param(w, pre, "price.drift", &p->drift);
    if (p->model == JF_PRICE_MEAN_REVERTING) {
        visit_param(w, pre, "price.long_run", &p->long_run);
        if (p->has_half_life)
            visit_param(w, pre, "price.half_life", &p->half_life);
        else
            visit_param(w, pre, "price.reversion", &p->reversion);
    }
    if (p->model != JF_PRICE_FIXED)
        visit_param(w, pre, "price.volatility", &p->volatility);
    if (p->has_jumps) {
        visit_param(w, pre, "price.jumps.rate", &p->jump_rate);
        visit_param(w, pre, "price.jumps.mean", &p->jump_mean);
        visit_param(w, pre, "price.jumps.sd", &p->jump_sd);
    }
    visit_param(w, pre, "unit_cost", &r->unit_cost);
    visit_param(w, pre, "fixed_cost", &r->fixed_cost);
    visit_param(w, pre, "cost_escalation", &r->cost_escalation);
    if (r->n_brackets == 0)
        visit_param(w, pre, "royalty_rate", &r->royalty_rate);
    visit_param(w, pre, "profit_tax_rate", &r->profit_tax_rate);
    visit_param(w, pre, "state_equity", &r->state_equity);
    visit_param(w, pre, "dividend_payout", &r->dividend_payout);
    visit_param(w, pre, "license_fees", &r->license_fees);
    visit_param(w, pre, "eligible_share", &r->eligible_share);
}

static void walk_scheme(jf__walk *w, jf_scheme *s)
{
    char pre[JF_PATH_MAX];
    snprintf(pre, sizeof pre, "schemes.%s.", s->name);
    if (s->type == JF_SCHEME_JOINT_FUND) {
        visit_param(w, pre, "contribution_share", &s->contribution_share);
        visit_param(w, pre, "us_stake", &s->us_stake);
        visit_param(w, pre, "initial_capital.us", &s->initial_capital_us);
        visit_param(w, pre, "initial_capital.ukraine", &s->initial_capital_ukraine);
        visit_param(w, pre, "us_annual_contribution", &s->us_annual_contribution);
        visit_param(w, pre, "return.mean", &s->return_mean);
        visit_param(w, pre, "return.volatility", &s->return_volatility);
        visit_param(w, pre, "reinvest_years", &s->reinvest_years);
        visit_param(w, pre, "payout_rate", &s->payout_rate);
        visit_param(w, pre, "management_fee", &s->management_fee);
    } else {
        visit_param(w, pre, "target", &s->target);
        visit_param(w, pre, "share", &s->share);
        visit_param(w, pre, "interest_rate", &s->interest_rate);
    }
}

void jf__param_path_each(jf_scenario *sc, jf__path_visit_fn fn, void *ctx)
{
    jf__walk w = {fn, ctx, false};
    double above_m1 = nextafter(-1.0, 0.0);
    visit_other(&w, "start_year", (jf__target){.kind = JF__TARGET_INT, .integer = &sc->start_year, .lo = 1, .hi = 9999});
    visit_other(&w, "horizon_years",
                (jf__target){.kind = JF__TARGET_INT, .integer = &sc->horizon_years, .lo = 1, .hi = 200});
    visit_other(&w, "paths", (jf__target){.kind = JF__TARGET_U64, .u64 = &sc->paths, .lo = 1, .hi = 18446744073709551615.0});
    visit_other(&w, "seed", (jf__target){.kind = JF__TARGET_U64, .u64 = &sc->seed, .lo = 0, .hi = 18446744073709551615.0});
    visit_other(&w, "discount_rate",
                (jf__target){.kind = JF__TARGET_REAL, .real = &sc->discount_rate, .lo = above_m1, .hi = HUGE_VAL});
    visit_other(&w, "inflation",
                (jf__target){.kind = JF__TARGET_REAL, .real = &sc->inflation, .lo = above_m1, .hi = HUGE_VAL});
    if (sc->has_regime) {
        visit_other(&w, "regime.p_end", (jf__target){.kind = JF__TARGET_REAL, .real = &sc->p_end, .lo = 0, .hi = 1});
        visit_other(&w, "regime.p_relapse",
                    (jf__target){.kind = JF__TARGET_REAL, .real = &sc->p_relapse, .lo = 0, .hi = 1});
    }
    visit_other(&w, "comparison.target",
                (jf__target){.kind = JF__TARGET_REAL, .real = &sc->comparison_target, .lo = 0, .hi = HUGE_VAL});
    for (size_t i = 0; i < sc->n_resources && !w.stopped; i++)
        walk_resource(&w, &sc->resources[i]);
    for (size_t i = 0; i < sc->n_schemes && !w.stopped; i++)
        walk_scheme(&w, &sc->schemes[i]);
}

typedef struct {
    const char *path;
    jf__target *out;
    bool found;
} jf__find;

static bool find_visit(void *ctx, const char *path, const jf__target *target)
{
    jf__find *f = ctx;
    if (strcmp(path, f->path) != 0)
        return true;
    *f->out = *target;
    f->found = true;
    return false;
}

bool jf__param_path_resolve(jf_scenario *sc, const char *path, jf__target *out)
{
    jf__find f = {path, out, false};
    /* Cheap filter: every valid path is shorter than JF_PATH_MAX. */
    if (strlen(path) >= JF_PATH_MAX)
        return false;
    jf__param_path_each(sc, find_visit, &f);
    return f.found;
}

typedef struct {
    jf__suggest s;
    char best[JF_PATH_MAX];
} jf__near;

static bool near_visit(void *ctx, const char *path, const jf__target *target)
{
    jf__near *n = ctx;
    (void)target;
    const char *before = n->s.best;
    jf__suggest_offer(&n->s, path);
    if (n->s.best != before) { /* the visited path is temporary: keep a copy */
        snprintf(n->best, sizeof n->best, "%s", path);
        n->s.best = n->best;
    }
    return true;
}

void jf__param_path_suggest(jf_scenario *sc, const char *path, char *buf, size_t size)
{
    jf__near n;
    jf__suggest_init(&n.s, path);
    n.best[0] = '\0';
    jf__param_path_each(sc, near_visit, &n);
    snprintf(buf, size, "%s", n.s.best ? n.best : "");
}
