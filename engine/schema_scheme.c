/*
 * schema_scheme.c — validate `schemes` (MODEL.md §5–§6, §9).
 *
 * A scheme is a mapping with `name` and `type` first; the keys allowed then
 * depend on the type (a `target` on a joint_fund is an unknown key).
 * Common keys: `base` (a non-empty list of distinct royalty | profit_tax |
 * dividends | license_fees; default all four) and `resources` (a non-empty
 * list of distinct existing resource names; absent = every resource, and
 * all_resources is set).  joint_fund: contribution_share, us_stake,
 * ownership (fixed | pro_rata), initial_capital {us, ukraine},
 * us_annual_contribution, return {mean, volatility}, reinvest_years,
 * payout_rate, management_fee.  repayment: target, share, interest_rate.
 * Parameters of the other type are left fixed at 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "suggest.h"

static const char *const type_names[] = {"joint_fund", "repayment", NULL};
static const char *const fund_keys[] = {
    "name", "type", "base", "resources", "contribution_share", "us_stake", "ownership",
    "initial_capital", "us_annual_contribution", "return", "reinvest_years", "payout_rate",
    "management_fee", NULL};
static const char *const repayment_keys[] = {"name", "type", "base", "resources", "target", "share",
                                             "interest_rate", NULL};
static const char *const base_names[] = {"royalty", "profit_tax", "dividends", "license_fees", NULL};
static const char *const ownership_names[] = {"fixed", "pro_rata", NULL};
static const char *const capital_keys[] = {"us", "ukraine", NULL};
static const char *const return_keys[] = {"mean", "volatility", NULL};

static jf_status parse_base(jf__vctx *v, const jf__ynode *node, const char *path, jf_scheme *s)
{
    jf_status st = jf__want_seq(v, node, path, "a list of proceeds (royalty, profit_tax, dividends, license_fees)");
    if (st != JF_OK)
        return st;
    if (node->n == 0)
        return jf__vfail(v, JF_ERR_RANGE, node, path, "expected at least one kind of proceeds, found an empty list");
    s->base = 0;
    for (size_t i = 0; i < node->n; i++) {
        char ip[JF_PATH_MAX], idx[24];
        int b;
        snprintf(idx, sizeof idx, "%zu", i + 1);
        jf__path_join(ip, path, idx);
        if ((st = jf__enum(v, node->vals[i], ip, base_names, "base component", &b)) != JF_OK)
            return st;
        if (s->base & (1u << b))
            return jf__vfail(v, JF_ERR_DUPLICATE, node->vals[i], ip, "'%s' is listed twice", base_names[b]);
        s->base |= 1u << b;
    }
    return JF_OK;
}

static jf_status parse_scheme_resources(jf__vctx *v, const jf__ynode *node, const char *path, jf_scheme *s)
{
    const jf_scenario *sc = v->sc;
    jf_status st = jf__want_seq(v, node, path, "a list of resource names");
    if (st != JF_OK)
        return st;
    if (node->n == 0)
        return jf__vfail(v, JF_ERR_RANGE, node, path,
                         "expected at least one resource name, found an empty list (leave the key out for all)");
    s->resources = calloc(node->n, sizeof *s->resources);
    if (!s->resources)
        return jf__vfail(v, JF_ERR_NOMEM, node, path, "out of memory");
    s->all_resources = false;
    for (size_t i = 0; i < node->n; i++) {
        char ip[JF_PATH_MAX], idx[24], name[JF_NAME_MAX + 8];
        snprintf(idx, sizeof idx, "%zu", i + 1);
        jf__path_join(ip, path, idx);
        st = jf__text(v, node->vals[i], ip, name, sizeof name);
        if (st == JF_ERR_RANGE)
            snprintf(name, sizeof name, "(a long name)");
        else if (st != JF_OK)
            return st;
        size_t r;
        jf__suggest sg;
        jf__suggest_init(&sg, name);
        for (r = 0; r < sc->n_resources; r++) {
            if (!strcmp(sc->resources[r].name, name))
                break;
            jf__suggest_offer(&sg, sc->resources[r].name);
        }
        if (r == sc->n_resources) {
            if (sg.best)
                return jf__vfail(v, JF_ERR_REFERENCE, node->vals[i], ip,
                                 "no resource is named '%s'; did you mean '%s'?", name, sg.best);
            return jf__vfail(v, JF_ERR_REFERENCE, node->vals[i], ip, "no resource is named '%s'", name);
        }
        for (size_t j = 0; j < s->n_resources; j++)
            if (s->resources[j] == r)
                return jf__vfail(v, JF_ERR_DUPLICATE, node->vals[i], ip, "resource '%s' is listed twice", name);
        s->resources[s->n_resources++] = r;
    }
    return JF_OK;
}

/* A sub-mapping of parameters ({us, ukraine}, {mean, volatility}); absent = defaults. */
static jf_status sub_map(jf__vctx *v, const jf__ynode *scheme, const char *path, const char *key,
                         const char *const *keys, const char *what, const jf__ynode **out, char *kp)
{
    *out = jf__yaml_get(scheme, key, NULL);
    jf__path_join(kp, path, key);
    if (!*out)
        return JF_OK;
    jf_status st = jf__want_map(v, *out, kp, what);
    if (st != JF_OK)
        return st;
    return jf__check_keys(v, *out, kp, keys, what);
}

static jf_status parse_fund(jf__vctx *v, const jf__ynode *node, const char *path, jf_scheme *s)
{
    const jf__ynode *x;
    char kp[JF_PATH_MAX];
    int own;
    jf_status st;
    if ((st = jf__opt_param(v, node, path, "contribution_share", JF__UNIT, 0.5, &s->contribution_share)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "us_stake", JF__UNIT, 0.5, &s->us_stake)) != JF_OK)
        return st;
    s->ownership = JF_OWNERSHIP_FIXED;
    if ((x = jf__yaml_get(node, "ownership", NULL)) != NULL) {
        jf__path_join(kp, path, "ownership");
        if ((st = jf__enum(v, x, kp, ownership_names, "ownership rule", &own)) != JF_OK)
            return st;
        s->ownership = (jf_ownership)own;
    }
    if ((st = sub_map(v, node, path, "initial_capital", capital_keys, "initial capital {us, ukraine}", &x, kp)) != JF_OK ||
        (st = jf__opt_param(v, x, kp, "us", JF__NONNEG, 0.0, &s->initial_capital_us)) != JF_OK ||
        (st = jf__opt_param(v, x, kp, "ukraine", JF__NONNEG, 0.0, &s->initial_capital_ukraine)) != JF_OK)
        return st;
    if ((st = jf__opt_param(v, node, path, "us_annual_contribution", JF__NONNEG, 0.0, &s->us_annual_contribution)) != JF_OK)
        return st;
    if ((st = sub_map(v, node, path, "return", return_keys, "a fund return {mean, volatility}", &x, kp)) != JF_OK ||
        (st = jf__opt_param(v, x, kp, "mean", JF__ABOVE_M1, 0.0, &s->return_mean)) != JF_OK ||
        (st = jf__opt_param(v, x, kp, "volatility", JF__NONNEG, 0.0, &s->return_volatility)) != JF_OK)
        return st;
    if ((st = jf__opt_param(v, node, path, "reinvest_years", JF__NONNEG, 10.0, &s->reinvest_years)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "payout_rate", JF__UNIT, 0.05, &s->payout_rate)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "management_fee", JF__UNIT, 0.0, &s->management_fee)) != JF_OK)
        return st;
    return JF_OK;
}

static void fill_other_type(jf_scheme *s)
{
    if (s->type == JF_SCHEME_REPAYMENT) {
        jf__param_fixed(&s->contribution_share, 0.0, JF__UNIT);
        jf__param_fixed(&s->us_stake, 0.0, JF__UNIT);
        jf__param_fixed(&s->initial_capital_us, 0.0, JF__NONNEG);
        jf__param_fixed(&s->initial_capital_ukraine, 0.0, JF__NONNEG);
        jf__param_fixed(&s->us_annual_contribution, 0.0, JF__NONNEG);
        jf__param_fixed(&s->return_mean, 0.0, JF__ABOVE_M1);
        jf__param_fixed(&s->return_volatility, 0.0, JF__NONNEG);
        jf__param_fixed(&s->reinvest_years, 0.0, JF__NONNEG);
        jf__param_fixed(&s->payout_rate, 0.0, JF__UNIT);
        jf__param_fixed(&s->management_fee, 0.0, JF__UNIT);
    } else {
        jf__param_fixed(&s->target, 0.0, JF__NONNEG);
        jf__param_fixed(&s->share, 0.0, JF__UNIT);
        jf__param_fixed(&s->interest_rate, 0.0, JF__ABOVE_M1);
    }
}

static jf_status parse_scheme(jf__vctx *v, const jf__ynode *node, size_t index)
{
    jf_scenario *sc = v->sc;
    jf_scheme *s = &sc->schemes[index];
    char path[JF_PATH_MAX], kp[JF_PATH_MAX];
    const jf__ynode *x;
    int type;
    snprintf(path, sizeof path, "schemes[%zu]", index + 1);
    jf_status st = jf__want_map(v, node, path, "a scheme mapping {name, type, ...}");
    if (st == JF_OK)
        st = jf__require(v, node, path, "name", &x);
    if (st != JF_OK)
        return st;
    jf__path_join(kp, path, "name");
    if ((st = jf__text(v, x, kp, s->name, sizeof s->name)) != JF_OK) {
        if (st == JF_ERR_RANGE)
            return jf__vfail(v, JF_ERR_RANGE, x, kp, "invalid scheme name: a name has at most 63 characters");
        return st;
    }
    const char *problem = jf__name_problem(s->name);
    if (problem)
        return jf__vfail(v, JF_ERR_RANGE, x, kp, "invalid scheme name '%s': %s", s->name, problem);
    s->loc = (jf_loc){node->src ? 0 : node->line, node->src ? 0 : node->column};
    for (size_t j = 0; j < index; j++)
        if (!strcmp(sc->schemes[j].name, s->name))
            return jf__vfail(v, JF_ERR_DUPLICATE, x, kp, "duplicate scheme name '%s' (first defined at line %d)",
                             s->name, sc->schemes[j].loc.line);
    snprintf(path, sizeof path, "schemes.%s", s->name);
    if ((st = jf__require(v, node, path, "type", &x)) != JF_OK)
        return st;
    jf__path_join(kp, path, "type");
    if ((st = jf__enum(v, x, kp, type_names, "scheme type", &type)) != JF_OK)
        return st;
    s->type = (jf_scheme_type)type;
    if ((st = jf__check_keys(v, node, path, s->type == JF_SCHEME_JOINT_FUND ? fund_keys : repayment_keys,
                             s->type == JF_SCHEME_JOINT_FUND ? "a joint_fund scheme" : "a repayment scheme")) != JF_OK)
        return st;
    s->base = JF_BASE_ALL;
    if ((x = jf__yaml_get(node, "base", NULL)) != NULL) {
        jf__path_join(kp, path, "base");
        if ((st = parse_base(v, x, kp, s)) != JF_OK)
            return st;
    }
    if ((x = jf__yaml_get(node, "resources", NULL)) != NULL) {
        jf__path_join(kp, path, "resources");
        if ((st = parse_scheme_resources(v, x, kp, s)) != JF_OK)
            return st;
    } else {
        s->all_resources = true;
        s->resources = calloc(sc->n_resources, sizeof *s->resources);
        if (!s->resources)
            return jf__vfail(v, JF_ERR_NOMEM, node, path, "out of memory");
        for (size_t r = 0; r < sc->n_resources; r++)
            s->resources[r] = r;
        s->n_resources = sc->n_resources;
    }
    fill_other_type(s);
    if (s->type == JF_SCHEME_JOINT_FUND)
        return parse_fund(v, node, path, s);
    if ((st = jf__opt_param(v, node, path, "target", JF__NONNEG, 500e9, &s->target)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "share", JF__UNIT, 0.5, &s->share)) != JF_OK ||
        (st = jf__opt_param(v, node, path, "interest_rate", JF__ABOVE_M1, 0.0, &s->interest_rate)) != JF_OK)
        return st;
    return JF_OK;
}

jf_status jf__schema_schemes(jf__vctx *v, const jf__ynode *root)
{
    const jf__ynode *list = jf__yaml_get(root, "schemes", NULL);
    if (!list)
        return JF_OK;
    jf_status st = jf__want_seq(v, list, "schemes", "a list of schemes");
    if (st != JF_OK)
        return st;
    if (list->n == 0)
        return JF_OK;
    if (list->n > JF__MAX_SCHEMES)
        return jf__vfail(v, JF_ERR_LIMIT, list, "schemes", "too many schemes (the limit is %d)", JF__MAX_SCHEMES);
    v->sc->schemes = calloc(list->n, sizeof *v->sc->schemes);
    if (!v->sc->schemes)
        return jf__vfail(v, JF_ERR_NOMEM, list, "schemes", "out of memory");
    v->sc->n_schemes = list->n;
    for (size_t i = 0; i < list->n; i++)
        if ((st = parse_scheme(v, list->vals[i], i)) != JF_OK)
            return st;
    return JF_OK;
}
