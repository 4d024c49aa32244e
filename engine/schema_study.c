/*
 * schema_study.c — validate `sweep` and `sensitivity` (INTERFACE.md).
 *
 * sweep:
 *   method: grid | lhs | sobol        (default grid)
 *   n: points                          (lhs, sobol: required, 1..10^7; not for grid)
 *   seed: permutation seed             (lhs, sobol: default 0; not for grid)
 *   parameters: {PATH: AXIS, ...}      (required, at least one)
 *     grid AXIS = [x1, x2, ...] | {from, to, steps}   (steps a whole number 2..10^6;
 *                                                      a single point is a one-element list)
 *     lhs/sobol AXIS = {min, max}                      (min < max)
 * sensitivity:
 *   method: sobol | tornado | contribution   (default sobol)
 *   n (default 256, 1..10^7; sobol needs n >= 2), seed (default 0),
 *   bootstrap (default 200, 0..10^6)
 *   outputs: [<scheme>.<metric>.<stat>, ...] (default empty = the engine's choice;
 *            a contribution study uses the per-path metric and ignores <stat>)
 *   parameters: {PATH: {min, max}, ...}      (required for sobol and tornado;
 *            not allowed for contribution, which studies the scenario's
 *            uncertain scalars; that there is one is checked when the study
 *            runs, sensitivity.c)
 *
 * Every PATH must name a real-valued number the scenario uses (param_path.h);
 * otherwise JF_ERR_REFERENCE with the nearest valid path.  Whole-number
 * settings (paths, seed, start_year, horizon_years) cannot be swept.  Every
 * value, end point and bound must lie in the parameter's valid range.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param_path.h"
#include "schema.h"
#include "suggest.h"

#define JF__STUDY_MAX_N 10000000u

static const char *const sweep_methods[] = {"grid", "lhs", "sobol", NULL};
static const char *const grid_keys[] = {"method", "parameters", NULL};
static const char *const sampled_keys[] = {"method", "n", "seed", "parameters", NULL};
static const char *const range_keys[] = {"from", "to", "steps", NULL};
static const char *const minmax_keys[] = {"min", "max", NULL};
static const char *const sens_methods[] = {"sobol", "tornado", "contribution", NULL};
static const char *const sens_keys[] = {"method", "n", "seed", "bootstrap", "outputs", "parameters", NULL};
static const char *const metric_names[] = {"us_value", "us_npv", "us_net_npv", "ukraine_value",
                                           "ukraine_npv", "years_to_target", "reached_target",
                                           "years_to_repay", NULL};
static const char *const stat_names[] = {"mean", "sd", "p05", "p25", "p50", "p75", "p95", NULL};

/* A value must lie in the swept parameter's range. */
static jf_status in_target(jf__vctx *v, const jf__ynode *node, const char *path, const jf__target *t,
                           double x)
{
    if (t->whole && x != floor(x))
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected a whole year for this parameter, found %.15g", x);
    if (x >= t->lo && x <= t->hi)
        return JF_OK;
    return jf__vfail(v, JF_ERR_RANGE, node, path,
                     "expected a value in [%.15g, %.15g] for this parameter, found %.15g", t->lo, t->hi, x);
}

static jf_status axis_target(jf__vctx *v, const jf__ynode *key, const char *where, jf_axis *axis,
                             jf__target *t)
{
    char kp[JF_PATH_MAX];
    jf_status st = jf__text(v, key, where, axis->path, sizeof axis->path);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, where, axis->path);
    if (!jf__param_path_resolve(v->sc, axis->path, t)) {
        char near[JF_PATH_MAX];
        jf__param_path_suggest(v->sc, axis->path, near, sizeof near);
        if (near[0])
            return jf__vfail(v, JF_ERR_REFERENCE, key, kp, "no parameter '%s' in this scenario; did you mean '%s'?",
                             axis->path, near);
        return jf__vfail(v, JF_ERR_REFERENCE, key, kp, "no parameter '%s' in this scenario", axis->path);
    }
    if (t->kind == JF__TARGET_INT || t->kind == JF__TARGET_U64)
        return jf__vfail(v, JF_ERR_TYPE, key, kp, "'%s' is a whole-number setting and cannot be swept", axis->path);
    axis->loc = (jf_loc){key->src ? 0 : key->line, key->src ? 0 : key->column};
    return JF_OK;
}

static jf_status minmax_axis(jf__vctx *v, const jf__ynode *node, const char *kp, const jf__target *t,
                             jf_axis *axis)
{
    const jf__ynode *a, *b;
    char ep[JF_PATH_MAX];
    jf_status st = jf__want_map(v, node, kp, "a range {min, max}");
    if (st == JF_OK)
        st = jf__check_keys(v, node, kp, minmax_keys, "a range {min, max}");
    if (st == JF_OK)
        st = jf__require(v, node, kp, "min", &a);
    if (st == JF_OK)
        st = jf__require(v, node, kp, "max", &b);
    if (st != JF_OK)
        return st;
    if (t->whole)
        return jf__vfail(v, JF_ERR_TYPE, node, kp,
                         "'%s' takes whole years, which a {min, max} range would not give: "
                         "sweep it with method grid and a list of years", axis->path);
    axis->kind = JF_AXIS_MINMAX;
    jf__path_join(ep, kp, "min");
    if ((st = jf__real(v, a, ep, JF__ANY, &axis->min)) != JF_OK || (st = in_target(v, a, ep, t, axis->min)) != JF_OK)
        return st;
    jf__path_join(ep, kp, "max");
    if ((st = jf__real(v, b, ep, JF__ANY, &axis->max)) != JF_OK || (st = in_target(v, b, ep, t, axis->max)) != JF_OK)
        return st;
    if (!(axis->min < axis->max))
        return jf__vfail(v, JF_ERR_RANGE, b, ep, "expected max > min (%.15g), found %.15g", axis->min, axis->max);
    return JF_OK;
}

static jf_status grid_axis(jf__vctx *v, const jf__ynode *node, const char *kp, const jf__target *t,
                           jf_axis *axis)
{
    jf_status st;
    char ep[JF_PATH_MAX];
    if (node->kind == JF__YAML_SEQ) {
        if (node->n == 0)
            return jf__vfail(v, JF_ERR_RANGE, node, kp, "expected at least one value, found an empty list");
        if (node->n > JF__MAX_LIST)
            return jf__vfail(v, JF_ERR_LIMIT, node, kp, "too many values (the limit is %d)", JF__MAX_LIST);
        axis->kind = JF_AXIS_LIST;
        axis->values = malloc(node->n * sizeof *axis->values);
        if (!axis->values)
            return jf__vfail(v, JF_ERR_NOMEM, node, kp, "out of memory");
        for (size_t i = 0; i < node->n; i++) {
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", i + 1);
            jf__path_join(ep, kp, idx);
            if ((st = jf__real(v, node->vals[i], ep, JF__ANY, &axis->values[i])) != JF_OK ||
                (st = in_target(v, node->vals[i], ep, t, axis->values[i])) != JF_OK)
                return st;
            axis->n_values = i + 1;
        }
        return JF_OK;
    }
    if (node->kind != JF__YAML_MAP) {
        char found[96];
        jf__yaml_describe(node, found, sizeof found);
        return jf__vfail(v, JF_ERR_TYPE, node, kp,
                         "expected a list of values or a range {from, to, steps}, found %s", found);
    }
    const jf__ynode *a, *b, *c;
    if ((st = jf__check_keys(v, node, kp, range_keys, "a grid range {from, to, steps}")) != JF_OK ||
        (st = jf__require(v, node, kp, "from", &a)) != JF_OK || (st = jf__require(v, node, kp, "to", &b)) != JF_OK ||
        (st = jf__require(v, node, kp, "steps", &c)) != JF_OK)
        return st;
    axis->kind = JF_AXIS_RANGE;
    jf__path_join(ep, kp, "from");
    if ((st = jf__real(v, a, ep, JF__ANY, &axis->from)) != JF_OK || (st = in_target(v, a, ep, t, axis->from)) != JF_OK)
        return st;
    jf__path_join(ep, kp, "to");
    if ((st = jf__real(v, b, ep, JF__ANY, &axis->to)) != JF_OK || (st = in_target(v, b, ep, t, axis->to)) != JF_OK)
        return st;
    uint64_t steps;
    jf__path_join(ep, kp, "steps");
    if ((st = jf__u64(v, c, ep, 2, 1000000, &steps)) != JF_OK)
        return st;
    axis->steps = (unsigned)steps;
    if (t->whole) {
        double step = (axis->to - axis->from) / (double)(steps - 1);
        if (step != floor(step))
            return jf__vfail(v, JF_ERR_RANGE, c, ep,
                             "'%s' takes whole years: from %.15g to %.15g in %u steps is not whole years apart",
                             axis->path, axis->from, axis->to, axis->steps);
    }
    return JF_OK;
}

/* parameters: {PATH: AXIS}; `minmax` selects {min, max} axes. */
static jf_status parse_axes(jf__vctx *v, const jf__ynode *node, const char *where, bool minmax,
                            jf_axis **axes, size_t *n_axes)
{
    jf_status st = jf__want_map(v, node, where, "a mapping {PARAMETER.PATH: values, ...}");
    if (st != JF_OK)
        return st;
    if (node->n == 0)
        return jf__vfail(v, JF_ERR_MISSING, node, where, "expected at least one parameter, found none");
    if (node->n > JF__MAX_LIST)
        return jf__vfail(v, JF_ERR_LIMIT, node, where, "too many parameters (the limit is %d)", JF__MAX_LIST);
    *axes = calloc(node->n, sizeof **axes);
    if (!*axes)
        return jf__vfail(v, JF_ERR_NOMEM, node, where, "out of memory");
    *n_axes = node->n;
    for (size_t i = 0; i < node->n; i++) {
        jf_axis *axis = &(*axes)[i];
        jf__target t;
        char kp[JF_PATH_MAX];
        if ((st = axis_target(v, node->keys[i], where, axis, &t)) != JF_OK)
            return st;
        jf__path_join(kp, where, axis->path);
        if (jf__yaml_is_null(node->vals[i]))
            return jf__vfail(v, JF_ERR_MISSING, node->keys[i], kp, "parameter '%s' has no values", axis->path);
        st = minmax ? minmax_axis(v, node->vals[i], kp, &t, axis) : grid_axis(v, node->vals[i], kp, &t, axis);
        if (st != JF_OK)
            return st;
    }
    return JF_OK;
}

static jf_status parse_sweep(jf__vctx *v, const jf__ynode *node)
{
    jf_sweep *sw = &v->sc->sweep;
    const jf__ynode *x;
    int method = JF_SWEEP_GRID;
    jf_status st = jf__want_map(v, node, "sweep", "a sweep mapping {method, parameters, ...}");
    if (st != JF_OK)
        return st;
    if ((x = jf__yaml_get(node, "method", NULL)) != NULL &&
        (st = jf__enum(v, x, "sweep.method", sweep_methods, "sweep method", &method)) != JF_OK)
        return st;
    sw->present = true;
    sw->method = (jf_sweep_method)method;
    sw->loc = (jf_loc){node->src ? 0 : node->line, node->src ? 0 : node->column};
    bool grid = sw->method == JF_SWEEP_GRID;
    if ((st = jf__check_keys(v, node, "sweep", grid ? grid_keys : sampled_keys,
                             grid ? "a grid sweep (n and seed belong to lhs and sobol)" : "an lhs or sobol sweep")) != JF_OK)
        return st;
    if (!grid) {
        uint64_t n;
        if ((st = jf__require(v, node, "sweep", "n", &x)) != JF_OK ||
            (st = jf__u64(v, x, "sweep.n", 1, JF__STUDY_MAX_N, &n)) != JF_OK)
            return st;
        sw->n = (unsigned)n;
        sw->seed = 0;
        if ((x = jf__yaml_get(node, "seed", NULL)) != NULL &&
            (st = jf__u64(v, x, "sweep.seed", 0, UINT64_MAX, &sw->seed)) != JF_OK)
            return st;
    }
    if ((st = jf__require(v, node, "sweep", "parameters", &x)) != JF_OK)
        return st;
    return parse_axes(v, x, "sweep.parameters", !grid, &sw->axes, &sw->n_axes);
}

static jf_status parse_output(jf__vctx *v, const jf__ynode *node, const char *ip, char out[JF_PATH_MAX])
{
    jf_status st = jf__text(v, node, ip, out, JF_PATH_MAX);
    if (st != JF_OK)
        return st;
    char scheme[JF_PATH_MAX], metric[JF_PATH_MAX], stat[JF_PATH_MAX];
    const char *d1 = strchr(out, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.'))
        return jf__vfail(v, JF_ERR_TYPE, node, ip, "expected <scheme>.<metric>.<stat> (e.g. fund.us_npv.mean), found \"%s\"",
                         out);
    snprintf(scheme, sizeof scheme, "%.*s", (int)(d1 - out), out);
    snprintf(metric, sizeof metric, "%.*s", (int)(d2 - d1 - 1), d1 + 1);
    snprintf(stat, sizeof stat, "%s", d2 + 1);
    const jf_scenario *sc = v->sc;
    const jf_scheme *found = NULL;
    jf__suggest sg;
    jf__suggest_init(&sg, scheme);
    for (size_t i = 0; i < sc->n_schemes && !found; i++) {
        if (!strcmp(sc->schemes[i].name, scheme))
            found = &sc->schemes[i];
        jf__suggest_offer(&sg, sc->schemes[i].name);
    }
    if (!found) {
        if (sg.best)
            return jf__vfail(v, JF_ERR_REFERENCE, node, ip, "no scheme is named '%s'; did you mean '%s'?", scheme,
                             sg.best);
        return jf__vfail(v, JF_ERR_REFERENCE, node, ip, "no scheme is named '%s'", scheme);
    }
    size_t m, s;
    for (m = 0; metric_names[m] && strcmp(metric_names[m], metric); m++)
        ;
    if (!metric_names[m] || (!strcmp(metric, "years_to_repay") && found->type != JF_SCHEME_REPAYMENT)) {
        const char *near = jf__suggest_from(metric, metric_names);
        if (metric_names[m])
            return jf__vfail(v, JF_ERR_REFERENCE, node, ip, "years_to_repay exists only for repayment schemes");
        return jf__vfail(v, JF_ERR_REFERENCE, node, ip, "unknown metric '%s'%s%s%s", metric,
                         near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    for (s = 0; stat_names[s] && strcmp(stat_names[s], stat); s++)
        ;
    if (!stat_names[s]) {
        const char *near = jf__suggest_from(stat, stat_names);
        return jf__vfail(v, JF_ERR_REFERENCE, node, ip, "unknown statistic '%s' (mean, sd, p05, p25, p50, p75, p95)%s%s%s",
                         stat, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    return JF_OK;
}

static jf_status parse_sensitivity(jf__vctx *v, const jf__ynode *node)
{
    jf_sensitivity *se = &v->sc->sensitivity;
    const jf__ynode *x;
    int method = JF_SENS_SOBOL;
    uint64_t u;
    jf_status st = jf__want_map(v, node, "sensitivity", "a sensitivity mapping {method, parameters, ...}");
    if (st == JF_OK)
        st = jf__check_keys(v, node, "sensitivity", sens_keys, "sensitivity");
    if (st != JF_OK)
        return st;
    if ((x = jf__yaml_get(node, "method", NULL)) != NULL &&
        (st = jf__enum(v, x, "sensitivity.method", sens_methods, "sensitivity method", &method)) != JF_OK)
        return st;
    se->present = true;
    se->method = (jf_sens_method)method;
    se->loc = (jf_loc){node->src ? 0 : node->line, node->src ? 0 : node->column};
    se->n = 256;
    se->bootstrap = 200;
    se->seed = 0;
    if ((x = jf__yaml_get(node, "n", NULL)) != NULL) {
        if ((st = jf__u64(v, x, "sensitivity.n", 1, JF__STUDY_MAX_N, &u)) != JF_OK)
            return st;
        se->n = (unsigned)u;
    }
    if ((x = jf__yaml_get(node, "seed", NULL)) != NULL &&
        (st = jf__u64(v, x, "sensitivity.seed", 0, UINT64_MAX, &se->seed)) != JF_OK)
        return st;
    if ((x = jf__yaml_get(node, "bootstrap", NULL)) != NULL) {
        if ((st = jf__u64(v, x, "sensitivity.bootstrap", 0, 1000000, &u)) != JF_OK)
            return st;
        se->bootstrap = (unsigned)u;
    }
    if ((x = jf__yaml_get(node, "outputs", NULL)) != NULL) {
        if ((st = jf__want_seq(v, x, "sensitivity.outputs", "a list of <scheme>.<metric>.<stat>")) != JF_OK)
            return st;
        if (x->n > JF__MAX_LIST)
            return jf__vfail(v, JF_ERR_LIMIT, x, "sensitivity.outputs", "too many outputs (the limit is %d)", JF__MAX_LIST);
        if (x->n) {
            se->outputs = calloc(x->n, sizeof *se->outputs);
            if (!se->outputs)
                return jf__vfail(v, JF_ERR_NOMEM, x, "sensitivity.outputs", "out of memory");
        }
        for (size_t i = 0; i < x->n; i++) {
            char ip[JF_PATH_MAX];
            snprintf(ip, sizeof ip, "sensitivity.outputs.%zu", i + 1);
            if ((st = parse_output(v, x->vals[i], ip, se->outputs[i])) != JF_OK)
                return st;
            for (size_t j = 0; j < i; j++)
                if (!strcmp(se->outputs[j], se->outputs[i]))
                    return jf__vfail(v, JF_ERR_DUPLICATE, x->vals[i], ip, "output '%s' is listed twice", se->outputs[i]);
            se->n_outputs = i + 1;
        }
    }
    if (se->method == JF_SENS_SOBOL && se->n < 2)
        return jf__vfail(v, JF_ERR_RANGE, jf__yaml_get(node, "n", NULL), "sensitivity.n",
                         "expected at least 2 base samples for a Sobol study (the variance needs two), found %u", se->n);
    if (se->method == JF_SENS_CONTRIBUTION) {
        size_t ki;
        if (jf__yaml_get(node, "parameters", &ki) != NULL)
            return jf__vfail(v, JF_ERR_UNKNOWN_KEY, node->keys[ki], "sensitivity.parameters",
                             "'parameters' does not belong to a contribution study, which measures the "
                             "scenario's uncertain scalars (parameters written as distributions)");
        return JF_OK;
    }
    if ((x = jf__yaml_get(node, "parameters", NULL)) != NULL)
        return parse_axes(v, x, "sensitivity.parameters", true, &se->axes, &se->n_axes);
    if (se->method != JF_SENS_CONTRIBUTION)
        return jf__vfail(v, JF_ERR_MISSING, node, "sensitivity.parameters",
                         "missing required key 'parameters' (a %s study varies parameters {PATH: {min, max}})",
                         sens_methods[se->method]);
    return JF_OK;
}

jf_status jf__schema_study(jf__vctx *v, const jf__ynode *root)
{
    const jf__ynode *x;
    jf_status st;
    if ((x = jf__yaml_get(root, "sweep", NULL)) != NULL && (st = parse_sweep(v, x)) != JF_OK)
        return st;
    if ((x = jf__yaml_get(root, "sensitivity", NULL)) != NULL && (st = parse_sensitivity(v, x)) != JF_OK)
        return st;
    return JF_OK;
}
