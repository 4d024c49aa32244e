/*
 * path_sim.c — compile a scenario into a model and simulate one path (MODEL.md §1–§7).
 *
 * SKELETON: the catalogue is complete; jf__path_simulate writes zeros for now.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path_sim.h"

struct jf__model {
    const jf_scenario *sc;
    jf__catalogue cat;
};

struct jf__path_ws {
    int unused;
};

const char *jf__unit_str(jf__unit unit)
{
    switch (unit) {
    case JF__UNIT_USD: return "USD";
    case JF__UNIT_YEARS: return "years";
    case JF__UNIT_SHARE: return "share";
    }
    return "USD";
}

static const char *const kind_names[JF_KIND_COUNT] = {"mineral", "oil", "gas"};

static void add_metric(jf__catalogue *cat, const char *scheme, const char *a, const char *b,
                       const char *metric, jf__unit unit, bool censored)
{
    jf__metric_def *m = &cat->metrics[cat->n_metrics++];
    if (b)
        snprintf(m->scheme, sizeof m->scheme, "%s vs %s", a, b);
    else
        snprintf(m->scheme, sizeof m->scheme, "%s", scheme);
    snprintf(m->metric, sizeof m->metric, "%s", metric);
    m->unit = unit;
    m->censored = censored;
}

static void add_series(jf__catalogue *cat, const char *variable, const char *scope)
{
    jf__series_def *s = &cat->series[cat->n_series++];
    snprintf(s->variable, sizeof s->variable, "%s", variable);
    snprintf(s->scope, sizeof s->scope, "%s", scope);
}

static jf_status build_catalogue(const jf_scenario *sc, jf__catalogue *cat, jf_error *err)
{
    size_t nr = sc->n_resources, ns = sc->n_schemes;
    bool kind_present[JF_KIND_COUNT] = {false, false, false};
    size_t n_kinds = 0, n_fund = 0, n_repay = 0;
    for (size_t r = 0; r < nr; r++)
        kind_present[sc->resources[r].kind] = true;
    for (int k = 0; k < JF_KIND_COUNT; k++)
        n_kinds += kind_present[k];
    for (size_t s = 0; s < ns; s++) {
        if (sc->schemes[s].type == JF_SCHEME_JOINT_FUND)
            n_fund++;
        else
            n_repay++;
    }
    size_t max_metrics = 7 * ns + n_repay + 4 * (ns * (ns - (ns > 0)) / 2) + 2 * (1 + n_kinds);
    size_t max_series = 2 * nr + 2 * (nr + n_kinds + 1) + 1 + 4 * ns + n_fund + n_repay;
    cat->metrics = calloc(max_metrics ? max_metrics : 1, sizeof *cat->metrics);
    cat->series = calloc(max_series ? max_series : 1, sizeof *cat->series);
    if (!cat->metrics || !cat->series) {
        free(cat->metrics);
        free(cat->series);
        cat->metrics = NULL;
        cat->series = NULL;
        if (err) {
            err->status = JF_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "out of memory building the catalogue");
        }
        return JF_ERR_NOMEM;
    }
    cat->n_metrics = 0;
    cat->n_series = 0;
    cat->start_year = sc->start_year;
    cat->horizon = sc->horizon_years;

    for (size_t s = 0; s < ns; s++) {
        const jf_scheme *k = &sc->schemes[s];
        add_metric(cat, k->name, NULL, NULL, "us_value", JF__UNIT_USD, false);
        add_metric(cat, k->name, NULL, NULL, "us_npv", JF__UNIT_USD, false);
        add_metric(cat, k->name, NULL, NULL, "us_net_npv", JF__UNIT_USD, false);
        add_metric(cat, k->name, NULL, NULL, "ukraine_value", JF__UNIT_USD, false);
        add_metric(cat, k->name, NULL, NULL, "ukraine_npv", JF__UNIT_USD, false);
        add_metric(cat, k->name, NULL, NULL, "years_to_target", JF__UNIT_YEARS, true);
        add_metric(cat, k->name, NULL, NULL, "reached_target", JF__UNIT_SHARE, false);
        if (k->type == JF_SCHEME_REPAYMENT)
            add_metric(cat, k->name, NULL, NULL, "years_to_repay", JF__UNIT_YEARS, true);
    }
    for (size_t a = 0; a < ns; a++)
        for (size_t b = a + 1; b < ns; b++) {
            const char *na = sc->schemes[a].name, *nb = sc->schemes[b].name;
            add_metric(cat, NULL, na, nb, "us_npv_diff", JF__UNIT_USD, false);
            add_metric(cat, NULL, na, nb, "ukraine_npv_diff", JF__UNIT_USD, false);
            add_metric(cat, NULL, na, nb, "p_a_better_us", JF__UNIT_SHARE, false);
            add_metric(cat, NULL, na, nb, "p_a_better_ukraine", JF__UNIT_SHARE, false);
        }
    static const char *const npv_names[2] = {"gross_revenue_npv", "state_proceeds_npv"};
    for (int v = 0; v < 2; v++) {
        char name[64];
        add_metric(cat, "-", NULL, NULL, npv_names[v], JF__UNIT_USD, false);
        for (int k = 0; k < JF_KIND_COUNT; k++)
            if (kind_present[k]) {
                snprintf(name, sizeof name, "%s.%s", npv_names[v], kind_names[k]);
                add_metric(cat, "-", NULL, NULL, name, JF__UNIT_USD, false);
            }
    }

    for (size_t r = 0; r < nr; r++)
        add_series(cat, "volume", sc->resources[r].name);
    for (size_t r = 0; r < nr; r++)
        add_series(cat, "price", sc->resources[r].name);
    static const char *const money[2] = {"gross_revenue", "state_proceeds"};
    for (int v = 0; v < 2; v++) {
        for (size_t r = 0; r < nr; r++)
            add_series(cat, money[v], sc->resources[r].name);
        for (int k = 0; k < JF_KIND_COUNT; k++)
            if (kind_present[k])
                add_series(cat, money[v], kind_names[k]);
        add_series(cat, money[v], "total");
    }
    add_series(cat, "conflict", "total");
    for (size_t s = 0; s < ns; s++)
        add_series(cat, "inflow", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        if (sc->schemes[s].type == JF_SCHEME_JOINT_FUND)
            add_series(cat, "fund_nav", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        if (sc->schemes[s].type == JF_SCHEME_REPAYMENT)
            add_series(cat, "outstanding", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        add_series(cat, "us_cumulative", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        add_series(cat, "ukraine_cumulative", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        add_series(cat, "reached_target", sc->schemes[s].name);
    return JF_OK;
}

jf_status jf__model_alloc(const jf_scenario *scenario, jf__model **out, jf_error *err)
{
    *out = NULL;
    jf__model *m = calloc(1, sizeof *m);
    if (!m) {
        if (err) {
            err->status = JF_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "out of memory compiling the model");
        }
        return JF_ERR_NOMEM;
    }
    m->sc = scenario;
    jf_status st = build_catalogue(scenario, &m->cat, err);
    if (st != JF_OK) {
        free(m);
        return st;
    }
    *out = m;
    return JF_OK;
}

void jf__model_free(jf__model *model)
{
    if (!model)
        return;
    free(model->cat.metrics);
    free(model->cat.series);
    free(model);
}

const jf__catalogue *jf__model_catalogue(const jf__model *model)
{
    return &model->cat;
}

jf__path_ws *jf__path_ws_alloc(const jf__model *model)
{
    (void)model;
    return calloc(1, sizeof(jf__path_ws));
}

void jf__path_ws_free(jf__path_ws *ws)
{
    free(ws);
}

void jf__path_simulate(const jf__model *model, jf__path_ws *ws, uint64_t path,
                       double *metrics, double *annual)
{
    (void)ws;
    (void)path;
    const jf__catalogue *cat = &model->cat;
    for (size_t i = 0; i < cat->n_metrics; i++)
        metrics[i] = 0.0;
    for (size_t i = 0; i < cat->n_series * (size_t)cat->horizon; i++)
        annual[i] = 0.0;
}
