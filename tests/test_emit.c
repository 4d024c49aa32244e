/*
 * test_emit.c — jf_scenario_emit: load -> emit -> load -> emit gives identical
 * text, and the two loaded scenarios are equal field by field (positions and
 * the source file name aside), for the INTERFACE.md example and every
 * tests/data/ok_*.yaml; defaults appear in the text; awkward numbers and
 * text survive; a write error is reported.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "jfsim.h"

/* ---- field-by-field comparison (loc and source_file excluded) -------------- */

static void same_doubles(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_memory_equal(&a[i], &b[i], sizeof(double)); /* bit-identical, -0 and all */
}

static void same_param(const jf_param *a, const jf_param *b)
{
    assert_int_equal(a->dist, b->dist);
    same_doubles(a->p, b->p, 3);
    assert_int_equal(a->n_values, b->n_values);
    if (a->n_values) {
        same_doubles(a->values, b->values, a->n_values);
        same_doubles(a->probs, b->probs, a->n_values);
    }
    same_doubles(&a->lo, &b->lo, 1);
    same_doubles(&a->hi, &b->hi, 1);
}

static void same_resource(const jf_resource *a, const jf_resource *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->kind, b->kind);
    assert_string_equal(a->unit, b->unit);
    assert_int_equal(a->has_schedule, b->has_schedule);
    assert_int_equal(a->n_schedule, b->n_schedule);
    for (size_t i = 0; i < a->n_schedule; i++)
        same_param(&a->schedule[i], &b->schedule[i]);
    const jf_param *pa[] = {&a->capacity, &a->ramp_years, &a->plateau_years, &a->decline_rate, &a->first_year,
                            &a->start_delay, &a->success_probability, &a->volume_noise, &a->occupied_share,
                            &a->liberation_probability, &a->conflict_output, &a->price.start, &a->price.growth,
                            &a->price.drift, &a->price.volatility, &a->price.long_run, &a->price.reversion,
                            &a->price.half_life, &a->price.jump_rate, &a->price.jump_mean, &a->price.jump_sd,
                            &a->unit_cost, &a->fixed_cost, &a->cost_escalation, &a->royalty_rate,
                            &a->profit_tax_rate, &a->state_equity, &a->dividend_payout, &a->license_fees,
                            &a->eligible_share};
    const jf_param *pb[] = {&b->capacity, &b->ramp_years, &b->plateau_years, &b->decline_rate, &b->first_year,
                            &b->start_delay, &b->success_probability, &b->volume_noise, &b->occupied_share,
                            &b->liberation_probability, &b->conflict_output, &b->price.start, &b->price.growth,
                            &b->price.drift, &b->price.volatility, &b->price.long_run, &b->price.reversion,
                            &b->price.half_life, &b->price.jump_rate, &b->price.jump_mean, &b->price.jump_sd,
                            &b->unit_cost, &b->fixed_cost, &b->cost_escalation, &b->royalty_rate,
                            &b->profit_tax_rate, &b->state_equity, &b->dividend_payout, &b->license_fees,
                            &b->eligible_share};
    for (size_t i = 0; i < sizeof pa / sizeof pa[0]; i++)
        same_param(pa[i], pb[i]);
    assert_int_equal(a->price.model, b->price.model);
    assert_int_equal(a->price.has_half_life, b->price.has_half_life);
    assert_int_equal(a->price.has_jumps, b->price.has_jumps);
    assert_int_equal(a->n_brackets, b->n_brackets);
    for (size_t i = 0; i < a->n_brackets; i++)
        same_doubles(a->royalty_brackets[i], b->royalty_brackets[i], 2);
}

static void same_scheme(const jf_scheme *a, const jf_scheme *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->base, b->base);
    assert_int_equal(a->all_resources, b->all_resources);
    assert_int_equal(a->n_resources, b->n_resources);
    for (size_t i = 0; i < a->n_resources; i++)
        assert_int_equal(a->resources[i], b->resources[i]);
    assert_int_equal(a->ownership, b->ownership);
    const jf_param *pa[] = {&a->contribution_share, &a->us_stake, &a->initial_capital_us, &a->initial_capital_ukraine,
                            &a->us_annual_contribution, &a->return_mean, &a->return_volatility, &a->reinvest_years,
                            &a->payout_rate, &a->management_fee, &a->target, &a->share, &a->interest_rate};
    const jf_param *pb[] = {&b->contribution_share, &b->us_stake, &b->initial_capital_us, &b->initial_capital_ukraine,
                            &b->us_annual_contribution, &b->return_mean, &b->return_volatility, &b->reinvest_years,
                            &b->payout_rate, &b->management_fee, &b->target, &b->share, &b->interest_rate};
    for (size_t i = 0; i < sizeof pa / sizeof pa[0]; i++)
        same_param(pa[i], pb[i]);
}

static void same_axes(const jf_axis *a, const jf_axis *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(a[i].path, b[i].path);
        assert_int_equal(a[i].kind, b[i].kind);
        assert_int_equal(a[i].n_values, b[i].n_values);
        if (a[i].n_values)
            same_doubles(a[i].values, b[i].values, a[i].n_values);
        same_doubles(&a[i].from, &b[i].from, 1);
        same_doubles(&a[i].to, &b[i].to, 1);
        assert_int_equal(a[i].steps, b[i].steps);
        same_doubles(&a[i].min, &b[i].min, 1);
        same_doubles(&a[i].max, &b[i].max, 1);
    }
}

static void same_scenario(const jf_scenario *a, const jf_scenario *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->start_year, b->start_year);
    assert_int_equal(a->horizon_years, b->horizon_years);
    assert_true(a->paths == b->paths && a->seed == b->seed);
    same_doubles(&a->discount_rate, &b->discount_rate, 1);
    same_doubles(&a->inflation, &b->inflation, 1);
    assert_int_equal(a->has_regime, b->has_regime);
    assert_int_equal(a->regime_initial, b->regime_initial);
    same_doubles(&a->p_end, &b->p_end, 1);
    same_doubles(&a->p_relapse, &b->p_relapse, 1);
    same_doubles(&a->comparison_target, &b->comparison_target, 1);
    assert_int_equal(a->n_resources, b->n_resources);
    for (size_t i = 0; i < a->n_resources; i++)
        same_resource(&a->resources[i], &b->resources[i]);
    assert_int_equal(a->n_correlations, b->n_correlations);
    for (size_t i = 0; i < a->n_correlations; i++) {
        assert_int_equal(a->correlations[i].a, b->correlations[i].a);
        assert_int_equal(a->correlations[i].b, b->correlations[i].b);
        same_doubles(&a->correlations[i].rho, &b->correlations[i].rho, 1);
    }
    assert_int_equal(a->n_schemes, b->n_schemes);
    for (size_t i = 0; i < a->n_schemes; i++)
        same_scheme(&a->schemes[i], &b->schemes[i]);
    assert_int_equal(a->sweep.present, b->sweep.present);
    assert_int_equal(a->sweep.method, b->sweep.method);
    assert_int_equal(a->sweep.n, b->sweep.n);
    assert_true(a->sweep.seed == b->sweep.seed);
    assert_int_equal(a->sweep.n_axes, b->sweep.n_axes);
    same_axes(a->sweep.axes, b->sweep.axes, a->sweep.n_axes);
    assert_int_equal(a->sensitivity.present, b->sensitivity.present);
    assert_int_equal(a->sensitivity.method, b->sensitivity.method);
    assert_int_equal(a->sensitivity.n, b->sensitivity.n);
    assert_true(a->sensitivity.seed == b->sensitivity.seed);
    assert_int_equal(a->sensitivity.bootstrap, b->sensitivity.bootstrap);
    assert_int_equal(a->sensitivity.n_outputs, b->sensitivity.n_outputs);
    for (size_t i = 0; i < a->sensitivity.n_outputs; i++)
        assert_string_equal(a->sensitivity.outputs[i], b->sensitivity.outputs[i]);
    assert_int_equal(a->sensitivity.n_axes, b->sensitivity.n_axes);
    same_axes(a->sensitivity.axes, b->sensitivity.axes, a->sensitivity.n_axes);
}

/* ---- helpers ---------------------------------------------------------------- */

/* Emit into a new string (caller frees). */
static char *emit(const jf_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    jf_error err;
    assert_int_equal(jf_scenario_emit(sc, mem, &err), JF_OK);
    assert_int_equal(fclose(mem), 0);
    return buf;
}

static jf_scenario *load_text(const char *text, const char *name)
{
    jf_scenario *sc = NULL;
    jf_error err;
    jf_status st = jf_scenario_load_string(text, strlen(text), name, NULL, 0, &sc, &err);
    if (st != JF_OK) {
        char msg[2048];
        jf_error_format(&err, msg, sizeof msg);
        print_error("%s\n--- text ---\n%s\n", msg, text);
    }
    assert_int_equal(st, JF_OK);
    return sc;
}

/* load(file) -> emit -> load -> emit: identical text and equal scenarios. */
static void round_trip_scenario(jf_scenario *first)
{
    char *text1 = emit(first);
    jf_scenario *second = load_text(text1, "emitted.yaml");
    same_scenario(first, second);
    char *text2 = emit(second);
    assert_string_equal(text1, text2);
    jf_scenario *third = load_text(text2, "again.yaml");
    same_scenario(second, third);
    jf_scenario_free(third);
    free(text2);
    jf_scenario_free(second);
    free(text1);
}

static void round_trip_file(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", JF_TEST_DATA, file);
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(path, NULL, 0, &sc, &err), JF_OK);
    round_trip_scenario(sc);
    jf_scenario_free(sc);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_round_trip_interface_example(void **state)
{
    (void)state;
    round_trip_file("ok_interface_example.yaml");
}

static void test_round_trip_ok_files(void **state)
{
    (void)state;
    round_trip_file("ok_defaults.yaml");
    round_trip_file("ok_numbers.yaml");
    round_trip_file("ok_distributions.yaml");
}

static void test_defaults_written_out(void **state)
{
    (void)state;
    jf_scenario *sc = load_text("start_year: 2026\nhorizon_years: 5\ninflation: 0.025\nresources:\n"
                                "  - {name: a, kind: oil, capacity: 2, price: {model: fixed, start: 3}}\n"
                                "schemes: [{name: r, type: repayment}]\n",
                                "dir/defaults.yaml");
    char *text = emit(sc);
    static const char *const expected[] = {
        "name: \"defaults\"\n", "paths: 10000\n", "seed: 0\n", "discount_rate: 0\n",
        "comparison: {target: 500000000000}\n", "    profit_tax_rate: 0.18\n", "    plateau_years: 1\n",
        "    cost_escalation: 0.025\n", "    first_year: 2026\n", "      growth: 0\n", "    eligible_share: 1\n",
        "    target: 500000000000\n", "    share: 0.5\n", "    base: [royalty, profit_tax, dividends, license_fees]\n",
        "    unit: \"\"\n",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (!strstr(text, expected[i]))
            print_error("missing %s in:\n%s\n", expected[i], text);
        assert_non_null(strstr(text, expected[i]));
    }
    assert_null(strstr(text, "ownership")); /* a joint_fund key on a repayment scheme */
    assert_null(strstr(text, "volatility")); /* not a key of a fixed price */
    free(text);
    jf_scenario_free(sc);
}

static void test_awkward_values_survive(void **state)
{
    (void)state;
    /* 0.1 + 0.2 needs 17 digits; 1e-300 and 5e-324 (subnormal) are extremes; the
     * unit holds quotes, a backslash, a tab and non-ASCII text; a scenario named
     * "null" or "1e5" must stay text. */
    const char *text = "name: '1e5'\nstart_year: 2026\nhorizon_years: 5\ninflation: 0.30000000000000004\n"
                       "discount_rate: -0.9999999999999999\n"
                       "resources:\n"
                       "  - name: a\n    kind: oil\n    unit: \"say \\\"hi\\\" \\\\ \\t ±\"\n"
                       "    capacity: 1e-300\n    fixed_cost: 5e-324\n    unit_cost: 1.7976931348623157e308\n"
                       "    price: {model: fixed, start: 3, growth: -0.5}\n";
    jf_scenario *sc = load_text(text, "x.yaml");
    assert_string_equal(sc->name, "1e5");
    assert_string_equal(sc->resources[0].unit, "say \"hi\" \\ \t ±");
    assert_true(sc->inflation == 0.1 + 0.2);
    assert_true(sc->resources[0].fixed_cost.p[0] == 5e-324);
    round_trip_scenario(sc);
    char *out = emit(sc);
    assert_non_null(strstr(out, "inflation: 0.30000000000000004\n"));
    assert_non_null(strstr(out, "name: \"1e5\"\n"));
    free(out);
    jf_scenario_free(sc);
}

static void test_unprintable_text_escaped(void **state)
{
    (void)state;
    /* NEL, LS and C1/BOM code points would be folded or refused if written raw. */
    const char *text = "start_year: 2026\nhorizon_years: 5\nresources:\n"
                       "  - {name: a, kind: oil, capacity: 2, price: {model: fixed, start: 3},"
                       " unit: \"a\\u0085b\\u2028c\\x01d\\uFEFFe\\U0001F600\\x80\"}\n";
    jf_scenario *sc = load_text(text, "x.yaml");
    assert_string_equal(sc->resources[0].unit, "a\xc2\x85" "b\xe2\x80\xa8" "c\x01" "d\xef\xbb\xbf" "e\xf0\x9f\x98\x80\xc2\x80");
    char *out = emit(sc);
    assert_non_null(strstr(out, "unit: \"a\\x85b\\u2028c\\x01d\\ufeffe\xf0\x9f\x98\x80\\x80\"\n"));
    round_trip_scenario(sc);
    free(out);
    jf_scenario_free(sc);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full) {
        skip();
        return;
    }
    setvbuf(full, NULL, _IONBF, 0); /* every write reaches the device and fails */
    jf_scenario *sc = load_text("start_year: 2026\nhorizon_years: 5\nresources:\n"
                                "  - {name: a, kind: oil, capacity: 2, price: {model: fixed, start: 3}}\n",
                                "x.yaml");
    jf_error err;
    assert_int_equal(jf_scenario_emit(sc, full, &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    fclose(full);
    jf_scenario_free(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_interface_example),
        cmocka_unit_test(test_round_trip_ok_files),
        cmocka_unit_test(test_defaults_written_out),
        cmocka_unit_test(test_awkward_values_survive),
        cmocka_unit_test(test_unprintable_text_escaped),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
