/*
 * schema_resource.c — validate `resources` and `correlations` (MODEL.md §3–§5, §9).
 *
 * Each resource is a mapping; its name comes first (so every later message
 * can say `resources.lithium.price.volatility`; before that it is
 * `resources[2]`, 1-based).  Profile: exactly one of `capacity` (with
 * ramp_years, plateau_years, decline_rate) or `schedule` (those three are
 * then refused: they would be silently ignored).  Price keys depend on the
 * model: fixed {start, growth}, gbm {start, drift, volatility, jumps},
 * mean_reverting {start, long_run, reversion | half_life, volatility, jumps}.
 * `royalty_rate` and `royalty_brackets` exclude each other; brackets are
 * plain numbers [threshold, rate] with thresholds 0 = p_0 < p_1 < ... .
 *
 * Correlations are `[name_a, name_b, rho]` with distinct, existing names,
 * |rho| < 1, each pair once.  The full matrix (unlisted pairs 0) must be
 * positive definite: checked with gsl_linalg_cholesky_decomp1; on failure
 * our own Cholesky loop finds the failing pivot, and the message names that
 * resource and those it is correlated with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "cholesky.h"
#include "schema.h"
#include "suggest.h"

static const char *const resource_keys[] = {
    "name", "kind", "unit", "capacity", "schedule", "ramp_years", "plateau_years", "decline_rate",
    "first_year", "start_delay", "success_probability", "volume_noise", "occupied_share",
    "liberation_probability", "conflict_output", "price", "unit_cost", "fixed_cost",
    "cost_escalation", "royalty_rate", "royalty_brackets", "profit_tax_rate", "state_equity",
    "dividend_payout", "license_fees", "eligible_share", NULL};

static const char *const kind_names[] = {"mineral", "oil", "gas", NULL};
static const char *const model_names[] = {"fixed", "gbm", "mean_reverting", NULL};

static const char *const price_keys[][8] = {
    [JF_PRICE_FIXED] = {"model", "start", "growth", NULL},
    [JF_PRICE_GBM] = {"model", "start", "drift", "volatility", "jumps", NULL},
    [JF_PRICE_MEAN_REVERTING] = {"model", "start", "long_run", "reversion", "half_life", "volatility",
                                 "jumps", NULL},
};
static const char *const jump_keys[] = {"rate", "mean", "sd", NULL};

/* When both of two exclusive keys are given: DUPLICATE at the later one. */
static jf_status exclusive(jf__vctx *v, const jf__ynode *map, const char *path, const char *a,
                           const char *b, const char *why)
{
    size_t ia, ib;
    if (!jf__yaml_get(map, a, &ia) || !jf__yaml_get(map, b, &ib))
        return JF_OK;
    const jf__ynode *later = map->keys[ia > ib ? ia : ib];
    char kp[JF_PATH_MAX];
    jf__path_join(kp, path, ia > ib ? a : b);
    return jf__vfail(v, JF_ERR_DUPLICATE, later, kp, "give either '%s' or '%s', not both%s", a, b, why);
}

static jf_status parse_jumps(jf__vctx *v, const jf__ynode *node, const char *path, jf_price_spec *p)
{
    const jf__ynode *rate;
    char kp[JF_PATH_MAX];
    jf_status st = jf__want_map(v, node, path, "a mapping {rate, mean, sd}");
    if (st == JF_OK)
        st = jf__check_keys(v, node, path, jump_keys, "price jumps");
    if (st == JF_OK)
        st = jf__require(v, node, path, "rate", &rate);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, "rate");
    if ((st = jf__param(v, rate, kp, JF__NONNEG, &p->jump_rate)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "mean", JF__ANY, 0.0, &p->jump_mean)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "sd", JF__NONNEG, 0.0, &p->jump_sd)) != JF_OK)
        return st;
    p->has_jumps = true;
    return JF_OK;
}

static jf_status parse_price(jf__vctx *v, const jf__ynode *node, const char *path, jf_price_spec *p)
{
    const jf__ynode *model, *start, *x;
    char kp[JF_PATH_MAX];
    int m;
    jf_status st = jf__want_map(v, node, path, "a mapping of price settings {model, start, ...}");
    if (st == JF_OK)
        st = jf__require(v, node, path, "model", &model);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, "model");
    if ((st = jf__enum(v, model, kp, model_names, "price model", &m)) != JF_OK)
        return st;
    p->model = (jf_price_model)m;
    size_t ij;
    if (p->model == JF_PRICE_FIXED && jf__yaml_get(node, "jumps", &ij)) {
        jf__path_join(kp, path, "jumps");
        return jf__vfail(v, JF_ERR_UNKNOWN_KEY, node->keys[ij], kp,
                         "jumps are not allowed on a fixed price (use model gbm or mean_reverting)");
    }
    char context[64];
    snprintf(context, sizeof context, "a %s price", model_names[m]);
    if ((st = jf__check_keys(v, node, path, price_keys[m], context)) != JF_OK)
        return st;
    if ((st = jf__require(v, node, path, "start", &start)) != JF_OK)
        return st;
    jf__path_join(kp, path, "start");
    if ((st = jf__param(v, start, kp, JF__POSITIVE, &p->start)) != JF_OK)
        return st;
    /* Parameters of other models stay fixed at 0 with their ranges. */
    jf__param_fixed(&p->growth, 0.0, JF__ABOVE_M1);
    jf__param_fixed(&p->drift, 0.0, JF__ANY);
    jf__param_fixed(&p->volatility, 0.0, JF__NONNEG);
    jf__param_fixed(&p->long_run, 1.0, JF__POSITIVE);
    jf__param_fixed(&p->reversion, 1.0, JF__POSITIVE);
    jf__param_fixed(&p->half_life, 1.0, JF__POSITIVE);
    jf__param_fixed(&p->jump_rate, 0.0, JF__NONNEG);
    jf__param_fixed(&p->jump_mean, 0.0, JF__ANY);
    jf__param_fixed(&p->jump_sd, 0.0, JF__NONNEG);
    if (p->model == JF_PRICE_FIXED)
        return jf__opt_param(v, node, path, "growth", JF__ABOVE_M1, 0.0, &p->growth);
    if (p->model == JF_PRICE_GBM &&
        (st = jf__opt_param(v, node, path, "drift", JF__ANY, 0.0, &p->drift)) != JF_OK)
        return st;
    if (p->model == JF_PRICE_MEAN_REVERTING) {
        if ((st = jf__require(v, node, path, "long_run", &x)) != JF_OK)
            return st;
        jf__path_join(kp, path, "long_run");
        if ((st = jf__param(v, x, kp, JF__POSITIVE, &p->long_run)) != JF_OK)
            return st;
        if ((st = exclusive(v, node, path, "reversion", "half_life", "")) != JF_OK)
            return st;
        if ((x = jf__yaml_get(node, "half_life", NULL)) != NULL) {
            p->has_half_life = true;
            jf__path_join(kp, path, "half_life");
            st = jf__param(v, x, kp, JF__POSITIVE, &p->half_life);
        } else if ((x = jf__yaml_get(node, "reversion", NULL)) != NULL) {
            jf__path_join(kp, path, "reversion");
            st = jf__param(v, x, kp, JF__POSITIVE, &p->reversion);
        } else {
            jf__path_join(kp, path, "reversion");
            st = jf__vfail(v, JF_ERR_MISSING, node, kp,
                           "a mean_reverting price needs exactly one of 'reversion' or 'half_life'");
        }
        if (st != JF_OK)
            return st;
    }
    if ((st = jf__require(v, node, path, "volatility", &x)) != JF_OK)
        return st;
    jf__path_join(kp, path, "volatility");
    if ((st = jf__param(v, x, kp, JF__NONNEG, &p->volatility)) != JF_OK)
        return st;
    if ((x = jf__yaml_get(node, "jumps", NULL)) != NULL) {
        jf__path_join(kp, path, "jumps");
        return parse_jumps(v, x, kp, p);
    }
    return JF_OK;
}

static jf_status parse_schedule(jf__vctx *v, const jf__ynode *node, const char *path, jf_resource *r)
{
    jf_status st = jf__want_seq(v, node, path, "a list of yearly volumes");
    if (st != JF_OK)
        return st;
    if (node->n == 0)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected at least one volume, found an empty list");
    if (node->n > JF__MAX_LIST)
        return jf__vfail(v, JF_ERR_LIMIT, node, path, "too many entries (the limit is %d)", JF__MAX_LIST);
    r->schedule = calloc(node->n, sizeof *r->schedule);
    if (!r->schedule)
        return jf__vfail(v, JF_ERR_NOMEM, node, path, "out of memory");
    r->n_schedule = node->n;
    r->has_schedule = true;
    for (size_t i = 0; i < node->n; i++) {
        char ip[JF_PATH_MAX], idx[24];
        snprintf(idx, sizeof idx, "%zu", i + 1);
        jf__path_join(ip, path, idx);
        if ((st = jf__param(v, node->vals[i], ip, JF__NONNEG, &r->schedule[i])) != JF_OK)
            return st;
    }
    return JF_OK;
}

static jf_status parse_brackets(jf__vctx *v, const jf__ynode *node, const char *path, jf_resource *r)
{
    jf_status st = jf__want_seq(v, node, path, "a list of [price threshold, rate] pairs");
    if (st != JF_OK)
        return st;
    if (node->n == 0)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected at least one bracket, found an empty list");
    if (node->n > JF__MAX_LIST)
        return jf__vfail(v, JF_ERR_LIMIT, node, path, "too many entries (the limit is %d)", JF__MAX_LIST);
    r->royalty_brackets = calloc(node->n, sizeof *r->royalty_brackets);
    if (!r->royalty_brackets)
        return jf__vfail(v, JF_ERR_NOMEM, node, path, "out of memory");
    r->n_brackets = node->n;
    for (size_t i = 0; i < node->n; i++) {
        const jf__ynode *b = node->vals[i];
        char ip[JF_PATH_MAX], idx[24];
        snprintf(idx, sizeof idx, "%zu", i + 1);
        jf__path_join(ip, path, idx);
        if ((st = jf__want_seq(v, b, ip, "a pair [price threshold, rate]")) != JF_OK)
            return st;
        if (b->n != 2)
            return jf__vfail(v, JF_ERR_TYPE, b, ip, "expected a pair [price threshold, rate], found %zu entries",
                             b->n);
        double p, rate;
        if ((st = jf__real(v, b->vals[0], ip, JF__NONNEG, &p)) != JF_OK ||
            (st = jf__real(v, b->vals[1], ip, JF__UNIT, &rate)) != JF_OK)
            return st;
        if (i == 0 && p != 0.0)
            return jf__vfail(v, JF_ERR_RANGE, b->vals[0], ip, "the first bracket starts at price 0, found %.15g", p);
        if (i > 0 && !(p > r->royalty_brackets[i - 1][0]))
            return jf__vfail(v, JF_ERR_RANGE, b->vals[0], ip,
                             "thresholds must increase strictly, found %.15g after %.15g", p,
                             r->royalty_brackets[i - 1][0]);
        r->royalty_brackets[i][0] = p;
        r->royalty_brackets[i][1] = rate;
    }
    return JF_OK;
}

/* Production profile: exactly one of capacity / schedule. */
static jf_status parse_profile(jf__vctx *v, const jf__ynode *node, const char *path, jf_resource *r)
{
    static const char *const capacity_only[] = {"ramp_years", "plateau_years", "decline_rate", NULL};
    const jf__ynode *cap = jf__yaml_get(node, "capacity", NULL);
    const jf__ynode *sched = jf__yaml_get(node, "schedule", NULL);
    char kp[JF_PATH_MAX];
    jf_status st = exclusive(v, node, path, "capacity", "schedule", " (a resource has one production profile)");
    if (st != JF_OK)
        return st;
    jf__param_fixed(&r->capacity, 0.0, JF__NONNEG);
    jf__param_fixed(&r->ramp_years, 0.0, JF__NONNEG);
    jf__param_fixed(&r->plateau_years, 1.0, JF__NONNEG);
    jf__param_fixed(&r->decline_rate, 0.0, JF__UNIT_HALFOPEN);
    if (!cap && !sched) {
        jf__path_join(kp, path, "capacity");
        return jf__vfail(v, JF_ERR_MISSING, node, kp, "missing required key: give 'capacity' or 'schedule'");
    }
    if (sched) {
        size_t i;
        for (size_t k = 0; capacity_only[k]; k++)
            if (jf__yaml_get(node, capacity_only[k], &i)) {
                jf__path_join(kp, path, capacity_only[k]);
                return jf__vfail(v, JF_ERR_UNKNOWN_KEY, node->keys[i], kp,
                                 "'%s' shapes a capacity profile and is not used with a schedule",
                                 capacity_only[k]);
            }
        jf__path_join(kp, path, "schedule");
        return parse_schedule(v, sched, kp, r);
    }
    jf__path_join(kp, path, "capacity");
    if ((st = jf__param(v, cap, kp, JF__NONNEG, &r->capacity)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "ramp_years", JF__NONNEG, 0.0, &r->ramp_years)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "plateau_years", JF__NONNEG, 1.0, &r->plateau_years)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "decline_rate", JF__UNIT_HALFOPEN, 0.0, &r->decline_rate)) != JF_OK)
        return st;
    return JF_OK;
}

static jf_status parse_resource(jf__vctx *v, const jf__ynode *node, size_t index)
{
    jf_scenario *sc = v->sc;
    jf_resource *r = &sc->resources[index];
    char path[JF_PATH_MAX], kp[JF_PATH_MAX];
    const jf__ynode *x;
    snprintf(path, sizeof path, "resources[%zu]", index + 1);
    jf_status st = jf__want_map(v, node, path, "a resource mapping {name, kind, price, ...}");
    if (st == JF_OK)
        st = jf__require(v, node, path, "name", &x);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, "name");
    if ((st = jf__text(v, x, kp, r->name, sizeof r->name)) != JF_OK) {
        if (st == JF_ERR_RANGE)
            return jf__vfail(v, JF_ERR_RANGE, x, kp, "invalid resource name: a name has at most 63 characters");
        return st;
    }
    const char *problem = jf__name_problem(r->name);
    if (problem)
        return jf__vfail(v, JF_ERR_RANGE, x, kp, "invalid resource name '%s': %s", r->name, problem);
    r->loc = (jf_loc){node->src ? 0 : node->line, node->src ? 0 : node->column};
    for (size_t j = 0; j < index; j++)
        if (!strcmp(sc->resources[j].name, r->name))
            return jf__vfail(v, JF_ERR_DUPLICATE, x, kp, "duplicate resource name '%s' (first defined at line %d)",
                             r->name, sc->resources[j].loc.line);
    snprintf(path, sizeof path, "resources.%s", r->name);
    if ((st = jf__check_keys(v, node, path, resource_keys, "a resource")) != JF_OK)
        return st;
    int kind;
    if ((st = jf__require(v, node, path, "kind", &x)) != JF_OK)
        return st;
    jf__path_join(kp, path, "kind");
    if ((st = jf__enum(v, x, kp, kind_names, "resource kind", &kind)) != JF_OK)
        return st;
    r->kind = (jf_kind)kind;
    if ((x = jf__yaml_get(node, "unit", NULL)) != NULL) {
        jf__path_join(kp, path, "unit");
        if ((st = jf__text(v, x, kp, r->unit, sizeof r->unit)) != JF_OK)
            return st;
    }
    if ((st = parse_profile(v, node, path, r)) != JF_OK)
        return st;
    if ((st = jf__opt_param(v, node, path, "first_year", JF__YEAR, (double)sc->start_year, &r->first_year)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "start_delay", JF__NONNEG, 0.0, &r->start_delay)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "success_probability", JF__UNIT, 1.0, &r->success_probability)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "volume_noise", JF__NONNEG, 0.0, &r->volume_noise)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "occupied_share", JF__UNIT, 0.0, &r->occupied_share)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "liberation_probability", JF__UNIT, 0.0, &r->liberation_probability)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "conflict_output", JF__UNIT, 1.0, &r->conflict_output)) != JF_OK)
        return st;
    if ((st = jf__require(v, node, path, "price", &x)) != JF_OK)
        return st;
    jf__path_join(kp, path, "price");
    if ((st = parse_price(v, x, kp, &r->price)) != JF_OK)
        return st;
    if ((st = jf__opt_param(v, node, path, "unit_cost", JF__NONNEG, 0.0, &r->unit_cost)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "fixed_cost", JF__NONNEG, 0.0, &r->fixed_cost)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "cost_escalation", JF__ABOVE_M1, sc->inflation, &r->cost_escalation)) != JF_OK)
        return st;
    if ((st = exclusive(v, node, path, "royalty_rate", "royalty_brackets", " (a flat rate or a sliding scale)")) != JF_OK)
        return st;
    if ((st = jf__opt_param(v, node, path, "royalty_rate", JF__UNIT, 0.0, &r->royalty_rate)) != JF_OK)
        return st;
    if ((x = jf__yaml_get(node, "royalty_brackets", NULL)) != NULL) {
        jf__path_join(kp, path, "royalty_brackets");
        if ((st = parse_brackets(v, x, kp, r)) != JF_OK)
            return st;
    }
    if ((st = jf__opt_param(v, node, path, "profit_tax_rate", JF__UNIT, 0.18, &r->profit_tax_rate)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "state_equity", JF__UNIT, 0.0, &r->state_equity)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "dividend_payout", JF__UNIT, 0.0, &r->dividend_payout)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "license_fees", JF__NONNEG, 0.0, &r->license_fees)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "eligible_share", JF__UNIT, 1.0, &r->eligible_share)) != JF_OK)
        return st;
    return JF_OK;
}

jf_status jf__schema_resources(jf__vctx *v, const jf__ynode *root)
{
    const jf__ynode *list;
    jf_status st = jf__require(v, root, "", "resources", &list);
    if (st == JF_OK)
        st = jf__want_seq(v, list, "resources", "a list of resources");
    if (st != JF_OK)
        return st;
    if (list->n == 0)
        return jf__vfail(v, JF_ERR_MISSING, list, "resources", "expected at least one resource, found an empty list");
    if (list->n > JF__MAX_RESOURCES)
        return jf__vfail(v, JF_ERR_LIMIT, list, "resources", "too many resources (the limit is %d)",
                         JF__MAX_RESOURCES);
    v->sc->resources = calloc(list->n, sizeof *v->sc->resources);
    if (!v->sc->resources)
        return jf__vfail(v, JF_ERR_NOMEM, list, "resources", "out of memory");
    v->sc->n_resources = list->n;
    for (size_t i = 0; i < list->n; i++)
        if ((st = parse_resource(v, list->vals[i], i)) != JF_OK)
            return st;
    return JF_OK;
}

/* ---- correlations ---------------------------------------------------------- */

static jf_status resource_ref(jf__vctx *v, const jf__ynode *node, const char *path, size_t *out)
{
    char name[JF_NAME_MAX + 8];
    jf_status st = jf__text(v, node, path, name, sizeof name);
    if (st == JF_ERR_RANGE)
        snprintf(name, sizeof name, "(a long name)");
    else if (st != JF_OK)
        return st;
    const jf_scenario *sc = v->sc;
    jf__suggest s;
    jf__suggest_init(&s, name);
    for (size_t i = 0; i < sc->n_resources; i++) {
        if (!strcmp(sc->resources[i].name, name)) {
            *out = i;
            return JF_OK;
        }
        jf__suggest_offer(&s, sc->resources[i].name);
    }
    if (s.best)
        return jf__vfail(v, JF_ERR_REFERENCE, node, path, "no resource is named '%s'; did you mean '%s'?", name,
                         s.best);
    return jf__vfail(v, JF_ERR_REFERENCE, node, path, "no resource is named '%s'", name);
}

/* Index of the first pivot where the Cholesky factorisation of the n x n
 * matrix `a` (row-major) breaks down, or n when it does not. */
static size_t failing_pivot(const double *a, size_t n, double *l)
{
    for (size_t j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (size_t k = 0; k < j; k++)
            s -= l[j * n + k] * l[j * n + k];
        if (!(s > 0.0))
            return j;
        l[j * n + j] = sqrt(s);
        for (size_t i = j + 1; i < n; i++) {
            double t = a[i * n + j];
            for (size_t k = 0; k < j; k++)
                t -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = t / l[j * n + j];
        }
    }
    return n;
}

static jf_status check_pd(jf__vctx *v, const jf__ynode *key)
{
    jf_scenario *sc = v->sc;
    size_t n = sc->n_resources;
    gsl_matrix *m = gsl_matrix_alloc(n, n);
    double *a = malloc(n * n * sizeof *a), *l = calloc(n * n, sizeof *l);
    if (!m || !a || !l) {
        gsl_matrix_free(m);
        free(a);
        free(l);
        return jf__vfail(v, JF_ERR_NOMEM, key, "correlations", "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[i * n + j] = i == j ? 1.0 : 0.0;
    for (size_t c = 0; c < sc->n_correlations; c++) {
        const jf_correlation *cr = &sc->correlations[c];
        a[cr->a * n + cr->b] = a[cr->b * n + cr->a] = cr->rho;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(m, i, j, a[i * n + j]);
    int rc = jf__cholesky_decomp(m); /* never aborts, whatever GSL's handler */
    gsl_matrix_free(m);
    jf_status st = JF_OK;
    if (rc != GSL_SUCCESS) {
        size_t k = failing_pivot(a, n, l);
        if (k == n)
            k = n - 1; /* GSL and our loop disagree only at round-off: name the last one */
        char names[640];
        size_t o = (size_t)snprintf(names, sizeof names, "%s", sc->resources[k].name);
        for (size_t j = 0; j < n && o < sizeof names; j++)
            if (j != k && a[k * n + j] != 0.0)
                o += (size_t)snprintf(names + o, sizeof names - o, ", %s", sc->resources[j].name);
        st = jf__vfail(v, JF_ERR_NOT_PD, key, "correlations",
                       "the correlations are not consistent (the matrix is not positive definite): "
                       "check those among %s (the factorisation fails at %s)",
                       names, sc->resources[k].name);
    }
    free(a);
    free(l);
    return st;
}

jf_status jf__schema_correlations(jf__vctx *v, const jf__ynode *root)
{
    size_t ik;
    const jf__ynode *list = jf__yaml_get(root, "correlations", &ik);
    if (!list)
        return JF_OK;
    jf_scenario *sc = v->sc;
    jf_status st = jf__want_seq(v, list, "correlations", "a list of [name_a, name_b, rho] triples");
    if (st != JF_OK)
        return st;
    if (list->n == 0)
        return JF_OK;
    if (list->n > JF__MAX_LIST)
        return jf__vfail(v, JF_ERR_LIMIT, list, "correlations", "too many entries (the limit is %d)", JF__MAX_LIST);
    sc->correlations = calloc(list->n, sizeof *sc->correlations);
    if (!sc->correlations)
        return jf__vfail(v, JF_ERR_NOMEM, list, "correlations", "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        const jf__ynode *t = list->vals[i];
        char ip[JF_PATH_MAX];
        snprintf(ip, sizeof ip, "correlations.%zu", i + 1);
        if ((st = jf__want_seq(v, t, ip, "a triple [name_a, name_b, rho]")) != JF_OK)
            return st;
        if (t->n != 3)
            return jf__vfail(v, JF_ERR_TYPE, t, ip, "expected a triple [name_a, name_b, rho], found %zu entries",
                             t->n);
        jf_correlation *c = &sc->correlations[i];
        if ((st = resource_ref(v, t->vals[0], ip, &c->a)) != JF_OK ||
            (st = resource_ref(v, t->vals[1], ip, &c->b)) != JF_OK)
            return st;
        if (c->a == c->b)
            return jf__vfail(v, JF_ERR_RANGE, t->vals[1], ip,
                             "a resource cannot be correlated with itself ('%s')", sc->resources[c->a].name);
        if ((st = jf__real(v, t->vals[2], ip, (jf__range){-1.0, 1.0, true, true, false}, &c->rho)) != JF_OK)
            return st;
        c->loc = (jf_loc){t->src ? 0 : t->line, t->src ? 0 : t->column};
        for (size_t j = 0; j < i; j++) {
            const jf_correlation *d = &sc->correlations[j];
            if ((d->a == c->a && d->b == c->b) || (d->a == c->b && d->b == c->a))
                return jf__vfail(v, JF_ERR_DUPLICATE, t, ip,
                                 "the pair %s, %s is already correlated (line %d)", sc->resources[c->a].name,
                                 sc->resources[c->b].name, list->vals[j]->line);
        }
        sc->n_correlations = i + 1;
    }
    return check_pd(v, root->keys[ik]);
}
