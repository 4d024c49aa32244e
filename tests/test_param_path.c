/*
 * test_param_path.c — parameter paths: resolving to the right field, the
 * paths a scenario does NOT use, the complete list (counted by hand for the
 * INTERFACE.md example), every listed path resolving to itself, every fixed
 * value inside its range, and suggestions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "param_path.h"

static jf_scenario *load(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", JF_TEST_DATA, file);
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(path, NULL, 0, &sc, &err), JF_OK);
    return sc;
}

static void test_resolve(void **state)
{
    (void)state;
    jf_scenario *sc = load("ok_interface_example.yaml");
    jf__target t;
    assert_true(jf__param_path_resolve(sc, "resources.lithium.price.volatility", &t));
    assert_int_equal(t.kind, JF__TARGET_PARAM);
    assert_ptr_equal(t.param, &sc->resources[1].price.volatility);
    assert_true(t.lo == 0.0);
    /* the sweep driver sets values through the pointer */
    t.param->p[0] = 0.7;
    assert_true(sc->resources[1].price.volatility.p[0] == 0.7);

    assert_true(jf__param_path_resolve(sc, "schemes.fund.contribution_share", &t));
    assert_ptr_equal(t.param, &sc->schemes[0].contribution_share);
    assert_true(t.lo == 0.0 && t.hi == 1.0);
    assert_true(jf__param_path_resolve(sc, "schemes.fund.initial_capital.ukraine", &t));
    assert_ptr_equal(t.param, &sc->schemes[0].initial_capital_ukraine);
    assert_true(jf__param_path_resolve(sc, "schemes.repay500.target", &t));
    assert_ptr_equal(t.param, &sc->schemes[1].target);
    assert_true(jf__param_path_resolve(sc, "regime.p_end", &t));
    assert_int_equal(t.kind, JF__TARGET_REAL);
    assert_ptr_equal(t.real, &sc->p_end);
    assert_true(jf__param_path_resolve(sc, "discount_rate", &t));
    assert_ptr_equal(t.real, &sc->discount_rate);
    assert_true(t.lo > -1.0 && t.lo < -0.999999);
    assert_true(jf__param_path_resolve(sc, "comparison.target", &t));
    assert_ptr_equal(t.real, &sc->comparison_target);
    assert_true(jf__param_path_resolve(sc, "paths", &t));
    assert_int_equal(t.kind, JF__TARGET_U64);
    assert_ptr_equal(t.u64, &sc->paths);
    assert_true(jf__param_path_resolve(sc, "horizon_years", &t));
    assert_int_equal(t.kind, JF__TARGET_INT);
    assert_ptr_equal(t.integer, &sc->horizon_years);
    assert_true(jf__param_path_resolve(sc, "resources.natural_gas.price.half_life", &t));
    assert_ptr_equal(t.param, &sc->resources[0].price.half_life);

    /* numbers the scenario does not use */
    static const char *const unused[] = {
        "resources.lithium.price.long_run",       /* gbm */
        "resources.natural_gas.price.reversion",  /* it has half_life */
        "resources.natural_gas.price.drift",      /* mean_reverting */
        "resources.lithium.price.jumps.rate",     /* no jumps */
        "schemes.repay500.contribution_share",    /* a fund key */
        "schemes.fund.target",                    /* a repayment key */
        "resources.copper.capacity",              /* no such resource */
        "resources.lithium",                      /* not a number */
        "resources.lithium.capacity.mode",        /* inside a distribution */
        "lithium.capacity", "", "regime", "name",
    };
    for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) {
        if (jf__param_path_resolve(sc, unused[i], &t))
            print_error("'%s' resolved\n", unused[i]);
        assert_false(jf__param_path_resolve(sc, unused[i], &t));
    }
    jf_scenario_free(sc);

    sc = load("ok_distributions.yaml");
    assert_true(jf__param_path_resolve(sc, "resources.lithium.schedule.8", &t));
    assert_ptr_equal(t.param, &sc->resources[0].schedule[7]);
    assert_true(jf__param_path_resolve(sc, "resources.lithium.schedule.1", &t));
    assert_ptr_equal(t.param, &sc->resources[0].schedule[0]);
    assert_false(jf__param_path_resolve(sc, "resources.lithium.schedule.9", &t));
    assert_false(jf__param_path_resolve(sc, "resources.lithium.schedule.0", &t));
    assert_false(jf__param_path_resolve(sc, "resources.lithium.capacity", &t));    /* scheduled */
    assert_false(jf__param_path_resolve(sc, "resources.lithium.royalty_rate", &t)); /* brackets */
    assert_false(jf__param_path_resolve(sc, "regime.p_end", &t));                   /* no regime */
    assert_true(jf__param_path_resolve(sc, "resources.lithium.price.jumps.sd", &t));
    assert_ptr_equal(t.param, &sc->resources[0].price.jump_sd);
    jf_scenario_free(sc);
}

typedef struct {
    jf_scenario *sc;
    size_t n;
    size_t n_params;
} visit_ctx;

static bool check_visit(void *ctx, const char *path, const jf__target *target)
{
    visit_ctx *v = ctx;
    jf__target again;
    v->n++;
    /* every listed path resolves to the same field */
    assert_true(jf__param_path_resolve(v->sc, path, &again));
    assert_int_equal(again.kind, target->kind);
    assert_ptr_equal(again.param, target->param);
    assert_ptr_equal(again.real, target->real);
    assert_true(target->lo <= target->hi);
    if (target->kind == JF__TARGET_PARAM) {
        const jf_param *p = target->param;
        v->n_params++;
        if (p->dist == JF_DIST_FIXED) /* a fixed value lies in its key's range */
            assert_true(p->p[0] >= p->lo && p->p[0] <= p->hi);
    } else if (target->kind == JF__TARGET_REAL) {
        assert_true(*target->real >= target->lo && *target->real <= target->hi);
    }
    return true;
}

static void test_list_all_paths(void **state)
{
    (void)state;
    /* Counted by hand for the INTERFACE.md example:
     *   top level: start_year, horizon_years, paths, seed, discount_rate, inflation,
     *              regime.p_end, regime.p_relapse, comparison.target            =  9
     *   natural_gas (capacity profile, mean_reverting with half_life, no jumps):
     *              4 profile + 7 timing/risk + 4 price + 9 fiscal                = 24
     *   lithium (capacity profile, gbm): 4 + 7 + 3 + 9                          = 23
     *   fund (joint_fund) 10, repay500 (repayment) 3                             = 13
     *   total 69, of which 60 are jf_params. */
    jf_scenario *sc = load("ok_interface_example.yaml");
    visit_ctx v = {sc, 0, 0};
    jf__param_path_each(sc, check_visit, &v);
    assert_int_equal(v.n, 69);
    assert_int_equal(v.n_params, 60);
    jf_scenario_free(sc);

    static const char *const files[] = {"ok_defaults.yaml", "ok_numbers.yaml", "ok_distributions.yaml"};
    for (size_t i = 0; i < 3; i++) {
        sc = load(files[i]);
        visit_ctx w = {sc, 0, 0};
        jf__param_path_each(sc, check_visit, &w);
        assert_true(w.n > 7);
        jf_scenario_free(sc);
    }
}

static bool stop_after_three(void *ctx, const char *path, const jf__target *target)
{
    (void)path;
    (void)target;
    return ++*(int *)ctx < 3;
}

static void test_visit_stops(void **state)
{
    (void)state;
    jf_scenario *sc = load("ok_interface_example.yaml");
    int n = 0;
    jf__param_path_each(sc, stop_after_three, &n);
    assert_int_equal(n, 3);
    jf_scenario_free(sc);
}

static void test_suggest(void **state)
{
    (void)state;
    jf_scenario *sc = load("ok_interface_example.yaml");
    char near[JF_PATH_MAX];
    jf__param_path_suggest(sc, "resources.lithum.price.volatility", near, sizeof near);
    assert_string_equal(near, "resources.lithium.price.volatility");
    jf__param_path_suggest(sc, "schemes.fund.contribution_shares", near, sizeof near);
    assert_string_equal(near, "schemes.fund.contribution_share");
    jf__param_path_suggest(sc, "regime.pend", near, sizeof near);
    assert_string_equal(near, "regime.p_end");
    jf__param_path_suggest(sc, "something.else.entirely", near, sizeof near);
    assert_string_equal(near, "");
    jf_scenario_free(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_list_all_paths),
        cmocka_unit_test(test_visit_stops),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests_name("param_path", tests, NULL, NULL);
}
