/*
 * test_loader.c — jf_scenario_load: error cases (one file each, with status,
 * line, column and key path), number rules, defaults, distributions, and
 * --set overrides with their errors.
 *
 * Expected positions were counted by hand in the files under tests/data/
 * (1-based line and column of the offending key or value).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "jfsim.h"

/* ---- error cases, one file each ------------------------------------------- */

typedef struct {
    const char *file;
    jf_status status;
    int line, column;
    const char *path;
    const char *message; /* a part of the message */
} error_case;

static const error_case error_cases[] = {
    {"err_syntax.yaml", JF_ERR_SYNTAX, 4, 10, "", "did not find expected ',' or ']'"},
    {"err_unknown_key.yaml", JF_ERR_UNKNOWN_KEY, 10, 7, "resources.lithium.price.volatilty",
     "did you mean 'volatility'?"},
    {"err_duplicate_key.yaml", JF_ERR_DUPLICATE, 3, 1, "horizon_years", "first given at line 2"},
    {"err_wrong_type.yaml", JF_ERR_TYPE, 7, 16, "resources.lithium.unit_cost",
     "expected a number or a distribution, found a list"},
    {"err_missing_key.yaml", JF_ERR_MISSING, 4, 5, "resources.lithium.kind", "missing required key 'kind'"},
    {"err_negative_volatility.yaml", JF_ERR_RANGE, 7, 49, "resources.lithium.price.volatility",
     "expected a number >= 0, found -0.3"},
    {"err_share_gt1.yaml", JF_ERR_RANGE, 7, 21, "resources.lithium.eligible_share",
     "expected a number in [0, 1], found 1.5"},
    {"err_probability_negative.yaml", JF_ERR_RANGE, 7, 26, "resources.lithium.success_probability",
     "expected a number in [0, 1], found -0.1"},
    {"err_probs_sum.yaml", JF_ERR_RANGE, 7, 58, "resources.lithium.start_delay.probs",
     "probabilities must sum to 1, found a sum of 0.9"},
    {"err_triangular_min_gt_mode.yaml", JF_ERR_RANGE, 7, 50, "resources.lithium.unit_cost.mode",
     "min 50 > mode 40"},
    {"err_pert_min_gt_mode.yaml", JF_ERR_RANGE, 7, 44, "resources.lithium.unit_cost.mode", "min 50 > mode 40"},
    {"err_horizon_0.yaml", JF_ERR_RANGE, 2, 16, "horizon_years", "expected a whole number in [1, 200], found 0"},
    {"err_horizon_201.yaml", JF_ERR_RANGE, 2, 16, "horizon_years", "found 201"},
    {"err_paths_0.yaml", JF_ERR_RANGE, 3, 8, "paths", "expected a whole number >= 1"},
    {"err_nan.yaml", JF_ERR_RANGE, 3, 16, "discount_rate", "expected a finite number, found \".nan\""},
    {"err_infinity.yaml", JF_ERR_RANGE, 3, 12, "inflation", "expected a finite number, found \"-.inf\""},
    {"err_percent.yaml", JF_ERR_TYPE, 3, 16, "discount_rate", "percent signs are not accepted: write 0.05 for 5%"},
    {"err_quoted_number.yaml", JF_ERR_TYPE, 3, 16, "discount_rate",
     "expected a number, found text \"0.05\" (quoted values are text)"},
    {"err_duplicate_resource.yaml", JF_ERR_DUPLICATE, 8, 11, "resources[2].name",
     "duplicate resource name 'lithium' (first defined at line 4)"},
    {"err_duplicate_scheme.yaml", JF_ERR_DUPLICATE, 10, 12, "schemes[2].name",
     "duplicate scheme name 'fund' (first defined at line 9)"},
    {"err_correlation_missing.yaml", JF_ERR_REFERENCE, 13, 15, "correlations.1",
     "no resource is named 'coper'; did you mean 'copper'?"},
    {"err_scheme_missing_resource.yaml", JF_ERR_REFERENCE, 15, 26, "schemes.fund.resources.2",
     "no resource is named 'lithum'; did you mean 'lithium'?"},
    {"err_sweep_missing_parameter.yaml", JF_ERR_REFERENCE, 11, 5, "sweep.parameters.resources.lithium.price.volatilty",
     "did you mean 'resources.lithium.price.volatility'?"},
    {"err_not_pd.yaml", JF_ERR_NOT_PD, 16, 1, "correlations", "among c, a, b"},
    {"err_unknown_price_model.yaml", JF_ERR_RANGE, 7, 20, "resources.lithium.price.model",
     "unknown price model \"brownian\""},
    {"err_unknown_scheme_type.yaml", JF_ERR_RANGE, 9, 24, "schemes.fund.type", "did you mean 'joint_fund'?"},
    {"err_empty.yaml", JF_ERR_MISSING, 1, 1, "",
     "empty scenario: expected a mapping with start_year, horizon_years and resources"},
    {"err_list.yaml", JF_ERR_TYPE, 1, 1, "", "found a list"},
    {"err_binary.yaml", JF_ERR_SYNTAX, 1, 1, "", "control characters are not allowed"},
    {"err_alias_bomb.yaml", JF_ERR_LIMIT, 1, 4, "", "anchors and aliases are not supported"},
    {"err_deep_nesting.yaml", JF_ERR_LIMIT, 3, 75, "", "nesting deeper than 64 levels"},
    {"err_royalty_both.yaml", JF_ERR_DUPLICATE, 8, 5, "resources.lithium.royalty_brackets",
     "give either 'royalty_rate' or 'royalty_brackets', not both"},
    {"err_jumps_on_fixed.yaml", JF_ERR_UNKNOWN_KEY, 10, 7, "resources.lithium.price.jumps",
     "jumps are not allowed on a fixed price"},
    {"err_no_value.yaml", JF_ERR_MISSING, 3, 1, "regime", "key 'regime' has no value"},
    {"err_dist_top_level.yaml", JF_ERR_TYPE, 3, 16, "discount_rate", "a distribution is not allowed here"},
};

static void data_path(char *buf, size_t size, const char *file)
{
    snprintf(buf, size, "%s/%s", JF_TEST_DATA, file);
}

static void run_error_case(void **state)
{
    const error_case *c = *state;
    char file[1024];
    data_path(file, sizeof file, c->file);
    jf_scenario *sc = (jf_scenario *)&sc; /* must be reset to NULL */
    jf_error err;
    jf_status st = jf_scenario_load(file, NULL, 0, &sc, &err);
    if (st != c->status || err.line != c->line || err.column != c->column || strcmp(err.path, c->path) ||
        !strstr(err.message, c->message)) {
        char text[2048];
        jf_error_format(&err, text, sizeof text);
        print_error("%s: got status %d (%s): %s\n", c->file, st, jf_status_str(st), text);
    }
    assert_int_equal(st, c->status);
    assert_null(sc);
    assert_int_equal(err.status, c->status);
    assert_string_equal(err.file, file);
    assert_int_equal(err.line, c->line);
    assert_int_equal(err.column, c->column);
    assert_string_equal(err.path, c->path);
    assert_non_null(strstr(err.message, c->message));
    assert_true(jf_status_is_input_error(st));
}

/* ---- helpers ---------------------------------------------------------------- */

static jf_status load_text(const char *text, jf_scenario **sc, jf_error *err)
{
    return jf_scenario_load_string(text, strlen(text), "test.yaml", NULL, 0, sc, err);
}

static jf_scenario *load_ok(const char *file, const jf_override *ov, size_t n)
{
    char path[1024];
    data_path(path, sizeof path, file);
    jf_scenario *sc = NULL;
    jf_error err;
    jf_status st = jf_scenario_load(path, ov, n, &sc, &err);
    if (st != JF_OK) {
        char text[2048];
        jf_error_format(&err, text, sizeof text);
        print_error("%s\n", text);
    }
    assert_int_equal(st, JF_OK);
    assert_non_null(sc);
    return sc;
}

static const char minimal_head[] = "start_year: 2026\nhorizon_years: 10\n";

/* A scenario text: the minimal head, then `top` (top-level keys), then one resource with `extra` keys. */
static char *scenario_text(const char *top, const char *extra)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "%s%sresources:\n  - name: lithium\n    kind: mineral\n    capacity: 1000\n"
             "    price: {model: gbm, start: 100, volatility: 0.3}\n%s",
             minimal_head, top, extra);
    return buf;
}

static void assert_load_fails(const char *text, jf_status status, const char *path, const char *message)
{
    jf_scenario *sc = NULL;
    jf_error err;
    jf_status st = load_text(text, &sc, &err);
    if (st != status || strcmp(err.path, path) || !strstr(err.message, message)) {
        char out[2048];
        jf_error_format(&err, out, sizeof out);
        print_error("text:\n%s\ngot %d: %s\n", text, st, out);
    }
    assert_int_equal(st, status);
    assert_null(sc);
    assert_string_equal(err.path, path);
    assert_non_null(strstr(err.message, message));
}

/* ---- files that are not there, too large, or hostile ------------------------ */

static void test_missing_file(void **state)
{
    (void)state;
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(JF_TEST_DATA "/no_such_file.yaml", NULL, 0, &sc, &err), JF_ERR_IO);
    assert_null(sc);
    assert_string_equal(err.file, JF_TEST_DATA "/no_such_file.yaml");
    assert_non_null(strstr(err.message, "No such file"));
    assert_false(jf_status_is_input_error(JF_ERR_IO)); /* exit status 1, not 2 */
}

static void test_directory(void **state)
{
    (void)state;
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(JF_TEST_DATA, NULL, 0, &sc, &err), JF_ERR_IO);
    assert_null(sc);
    assert_non_null(strstr(err.message, "directory"));
}

static void test_file_over_16mib(void **state)
{
    (void)state;
    char path[] = "/tmp/jf_test_big_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* 16 MiB + 1 byte, sparse: the loader must refuse it from its size alone. */
    assert_int_equal(ftruncate(fd, 16 * 1024 * 1024 + 1), 0);
    close(fd);
    jf_scenario *sc = NULL;
    jf_error err;
    clock_t t0 = clock();
    jf_status st = jf_scenario_load(path, NULL, 0, &sc, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    unlink(path);
    assert_int_equal(st, JF_ERR_LIMIT);
    assert_non_null(strstr(err.message, "16 MiB"));
    assert_true(secs < 0.5);
}

static void test_deep_nesting_refused_quickly(void **state)
{
    (void)state;
    size_t depth = 1000000;
    char *text = malloc(2 * depth + 32);
    assert_non_null(text);
    size_t o = (size_t)sprintf(text, "a: ");
    memset(text + o, '[', depth);
    memset(text + o + depth, ']', depth);
    text[o + 2 * depth] = '\0';
    jf_scenario *sc = NULL;
    jf_error err;
    clock_t t0 = clock();
    jf_status st = load_text(text, &sc, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(text);
    assert_int_equal(st, JF_ERR_LIMIT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4 + 63); /* the 64th '[', the 65th level under the root mapping */
    assert_true(secs < 1.0);
}

static void test_alias_bomb_refused_quickly(void **state)
{
    (void)state;
    /* 12 levels of 10 aliases each would expand to 10^12 nodes. */
    char text[8192];
    size_t o = (size_t)snprintf(text, sizeof text, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 12; i++) {
        o += (size_t)snprintf(text + o, sizeof text - o, "l%d: &l%d [", i, i);
        for (int k = 0; k < 10; k++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s*l%d", k ? ", " : "", i - 1);
        o += (size_t)snprintf(text + o, sizeof text - o, "]\n");
    }
    jf_scenario *sc = NULL;
    jf_error err;
    clock_t t0 = clock();
    jf_status st = load_text(text, &sc, &err);
    assert_int_equal(st, JF_ERR_LIMIT);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.1);
    assert_string_equal(err.message, "anchors and aliases are not supported");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 5);
}

/* ---- numbers ------------------------------------------------------------------ */

static double load_discount(const char *value, jf_status *st, jf_error *err)
{
    char top[256];
    snprintf(top, sizeof top, "discount_rate: %s\n", value);
    jf_scenario *sc = NULL;
    *st = load_text(scenario_text(top, ""), &sc, err);
    double x = sc ? sc->discount_rate : -999.0;
    jf_scenario_free(sc);
    return x;
}

static void test_number_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } ok[] = {
        {"0.05", 0.05}, {"5e-2", 0.05}, {"5E-2", 0.05}, {"+0.5", 0.5}, {"-0.5", -0.5},
        {".25", 0.25}, {"2.", 2.0}, {"1_000", 1000.0}, {"1.5e-3", 1.5e-3}, {"0_0.1", 0.1},
        {"1e-400", 0.0}, /* underflow to zero is a finite number */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        jf_status st;
        jf_error err;
        double x = load_discount(ok[i].text, &st, &err);
        if (st != JF_OK)
            print_error("%s: %s\n", ok[i].text, err.message);
        assert_int_equal(st, JF_OK);
        assert_true(x == ok[i].value);
    }
    static const struct {
        const char *text;
        jf_status status;
        const char *message;
    } bad[] = {
        {"5%", JF_ERR_TYPE, "percent"},          {"0.05%", JF_ERR_TYPE, "percent"},
        {"\"0.05\"", JF_ERR_TYPE, "quoted"},     {"'0.05'", JF_ERR_TYPE, "quoted"},
        {".nan", JF_ERR_RANGE, "finite"},        {"NaN", JF_ERR_RANGE, "finite"},
        {"nan", JF_ERR_RANGE, "finite"},         {".inf", JF_ERR_RANGE, "finite"},
        {"-.Inf", JF_ERR_RANGE, "finite"},       {"inf", JF_ERR_RANGE, "finite"},
        {"Infinity", JF_ERR_RANGE, "finite"},    {"1e999", JF_ERR_RANGE, "too large"},
        {"-1e999", JF_ERR_RANGE, "too large"},   {"0x10", JF_ERR_TYPE, "hexadecimal"},
        {"0o17", JF_ERR_TYPE, "hexadecimal"},    {"1__0", JF_ERR_TYPE, "expected a number"},
        {"_1", JF_ERR_TYPE, "expected a number"}, {"1_", JF_ERR_TYPE, "expected a number"},
        {"1e", JF_ERR_TYPE, "expected a number"}, {"five", JF_ERR_TYPE, "expected a number, found \"five\""},
        {"1,5", JF_ERR_TYPE, "expected a number"}, {"true", JF_ERR_TYPE, "expected a number"},
        {"[0.05]", JF_ERR_TYPE, "found a list"}, {"-1", JF_ERR_RANGE, "> -1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jf_status st;
        jf_error err;
        load_discount(bad[i].text, &st, &err);
        if (st != bad[i].status || !strstr(err.message, bad[i].message))
            print_error("%s: got %d: %s\n", bad[i].text, st, err.message);
        assert_int_equal(st, bad[i].status);
        assert_string_equal(err.path, "discount_rate");
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, 16);
        assert_non_null(strstr(err.message, bad[i].message));
    }
}

static void test_big_numbers_and_integers(void **state)
{
    (void)state;
    jf_scenario *sc = load_ok("ok_numbers.yaml", NULL, 0);
    assert_true(sc->comparison_target == 500e9);  /* 500_000_000_000 */
    assert_true(sc->schemes[0].target.p[0] == 500e9); /* 500e9 */
    assert_true(sc->discount_rate == 0.05);        /* +5e-2 */
    assert_true(sc->inflation == -0.5);
    assert_true(sc->resources[0].capacity.p[0] == 1500.0); /* 1.5E3 */
    assert_true(sc->resources[0].price.start.p[0] == 1000.0);
    assert_true(sc->resources[0].price.volatility.p[0] == 0.25);
    jf_scenario_free(sc);

    jf_error err;
    /* seed covers all of 0..2^64-1 exactly; paths may be written 1e3 */
    assert_int_equal(load_text(scenario_text("seed: 18446744073709551615\npaths: 1e3\n", ""), &sc, &err), JF_OK);
    assert_true(sc->seed == UINT64_MAX);
    assert_true(sc->paths == 1000);
    jf_scenario_free(sc);
    assert_load_fails(scenario_text("seed: 18446744073709551616\n", ""), JF_ERR_RANGE, "seed", "at most 2^64-1");
    assert_load_fails(scenario_text("seed: -1\n", ""), JF_ERR_RANGE, "seed", "found -1");
    assert_load_fails(scenario_text("paths: 2.5\n", ""), JF_ERR_RANGE, "paths", "whole number");
    assert_load_fails("start_year: 2026.5\nhorizon_years: 10\n", JF_ERR_RANGE, "start_year", "whole number");
    assert_load_fails(scenario_text("paths: \"100\"\n", ""), JF_ERR_TYPE, "paths", "quoted values are text");
}

/* ---- defaults ----------------------------------------------------------------- */

static void test_defaults_filled(void **state)
{
    (void)state;
    jf_scenario *sc = load_ok("ok_defaults.yaml", NULL, 0);
    assert_string_equal(sc->name, "ok_defaults"); /* file name without extension */
    assert_int_equal(sc->start_year, 2026);
    assert_int_equal(sc->horizon_years, 10);
    assert_true(sc->paths == 10000);
    assert_true(sc->seed == 0);
    assert_true(sc->discount_rate == 0.0 && sc->inflation == 0.0);
    assert_false(sc->has_regime);
    assert_true(sc->comparison_target == 500e9);
    assert_int_equal(sc->n_schemes, 0);
    assert_int_equal(sc->n_correlations, 0);
    assert_false(sc->sweep.present);
    assert_false(sc->sensitivity.present);
    const jf_resource *r = &sc->resources[0];
    assert_string_equal(r->unit, "");
    assert_false(r->has_schedule);
    assert_true(r->first_year.p[0] == 2026.0); /* default: start_year */
    assert_true(r->ramp_years.p[0] == 0.0);
    assert_true(r->plateau_years.p[0] == 1.0);
    assert_true(r->decline_rate.p[0] == 0.0);
    assert_true(r->decline_rate.hi < 1.0 && r->decline_rate.hi > 0.999999); /* [0, 1) */
    assert_true(r->success_probability.p[0] == 1.0);
    assert_true(r->conflict_output.p[0] == 1.0);
    assert_true(r->profit_tax_rate.p[0] == 0.18);
    assert_true(r->eligible_share.p[0] == 1.0);
    assert_true(r->royalty_rate.p[0] == 0.0 && r->n_brackets == 0);
    assert_true(r->price.start.lo > 0.0); /* P_0 > 0 */
    assert_true(r->price.volatility.lo == 0.0);
    assert_true(r->volume_noise.dist == JF_DIST_FIXED);
    assert_false(r->price.has_jumps);
    assert_int_equal(r->loc.line, 5);
    assert_int_equal(r->price.volatility.loc.line, 8);
    assert_int_equal(r->price.volatility.loc.column, 49);
    jf_scenario_free(sc);

    /* cost_escalation defaults to inflation; scheme defaults (MODEL.md §6). */
    jf_error err;
    const char *text = "start_year: 2030\nhorizon_years: 20\ninflation: 0.03\n"
                       "resources:\n"
                       "  - {name: a, kind: oil, capacity: 1, price: {model: fixed, start: 1}}\n"
                       "  - {name: b, kind: gas, capacity: 1, first_year: 2020, price: {model: fixed, start: 1}}\n"
                       "schemes:\n  - {name: f, type: joint_fund}\n  - {name: r, type: repayment}\n";
    assert_int_equal(load_text(text, &sc, &err), JF_OK);
    assert_string_equal(sc->name, "test");
    assert_true(sc->resources[0].cost_escalation.p[0] == 0.03);
    assert_true(sc->resources[0].first_year.p[0] == 2030.0);
    assert_true(sc->resources[1].first_year.p[0] == 2020.0); /* may be earlier */
    assert_true(sc->resources[0].price.growth.p[0] == 0.0);
    const jf_scheme *f = &sc->schemes[0], *rp = &sc->schemes[1];
    assert_int_equal(f->type, JF_SCHEME_JOINT_FUND);
    assert_true(f->contribution_share.p[0] == 0.5 && f->us_stake.p[0] == 0.5);
    assert_int_equal(f->ownership, JF_OWNERSHIP_FIXED);
    assert_true(f->reinvest_years.p[0] == 10.0 && f->payout_rate.p[0] == 0.05);
    assert_true(f->management_fee.p[0] == 0.0 && f->initial_capital_us.p[0] == 0.0);
    assert_true(f->return_mean.p[0] == 0.0 && f->return_volatility.p[0] == 0.0);
    assert_int_equal(f->base, JF_BASE_ALL);
    assert_true(f->all_resources);
    assert_int_equal(f->n_resources, 2);
    assert_int_equal(f->resources[0], 0);
    assert_int_equal(f->resources[1], 1);
    assert_int_equal(rp->type, JF_SCHEME_REPAYMENT);
    assert_true(rp->target.p[0] == 500e9 && rp->share.p[0] == 0.5 && rp->interest_rate.p[0] == 0.0);
    jf_scenario_free(sc);
}

static void test_default_name_from_file_name(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/some/dir/my scen.v2.yaml", "my_scen.v2"},
        {"plain", "plain"},
        {".hidden.yaml", "scenario.hidden"},
        {"dir/-x.yml", "scenario-x"},
        {"Ünï.yaml", "scenario__n__"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *text = scenario_text("", "");
        jf_scenario *sc = NULL;
        jf_error err;
        assert_int_equal(jf_scenario_load_string(text, strlen(text), cases[i][0], NULL, 0, &sc, &err), JF_OK);
        assert_string_equal(sc->name, cases[i][1]);
        jf_scenario_free(sc);
    }
}

/* ---- distributions ---------------------------------------------------------------- */

static void test_every_distribution_form(void **state)
{
    (void)state;
    jf_scenario *sc = load_ok("ok_distributions.yaml", NULL, 0);
    const jf_resource *r = &sc->resources[0];
    assert_true(r->has_schedule);
    assert_int_equal(r->n_schedule, 8);
    const jf_param *s = r->schedule;
    assert_int_equal(s[0].dist, JF_DIST_FIXED);
    assert_true(s[0].p[0] == 100.0);
    assert_int_equal(s[1].dist, JF_DIST_NORMAL);
    assert_true(s[1].p[0] == 200.0 && s[1].p[1] == 20.0);
    assert_int_equal(s[2].dist, JF_DIST_LOGNORMAL);
    assert_true(s[2].p[0] == 300.0 && s[2].p[1] == 0.2);
    assert_int_equal(s[3].dist, JF_DIST_UNIFORM);
    assert_true(s[3].p[0] == 350.0 && s[3].p[1] == 450.0);
    assert_int_equal(s[4].dist, JF_DIST_TRIANGULAR);
    assert_true(s[4].p[0] == 400.0 && s[4].p[1] == 500.0 && s[4].p[2] == 700.0);
    assert_int_equal(s[5].dist, JF_DIST_PERT);
    assert_true(s[5].p[0] == 400.0 && s[5].p[1] == 500.0 && s[5].p[2] == 700.0);
    assert_int_equal(s[6].dist, JF_DIST_DISCRETE);
    assert_int_equal(s[6].n_values, 3);
    assert_true(s[6].values[2] == 900.0 && s[6].probs[1] == 0.5);
    assert_int_equal(s[7].dist, JF_DIST_BERNOULLI);
    assert_true(s[7].p[0] == 0.3);
    for (size_t i = 0; i < 8; i++) /* every schedule entry keeps the key's range [0, inf) */
        assert_true(s[i].lo == 0.0 && s[i].hi == HUGE_VAL);
    assert_int_equal(s[1].loc.line, 8);
    assert_int_equal(s[1].loc.column, 9);

    const jf_price_spec *p = &r->price;
    assert_int_equal(p->model, JF_PRICE_MEAN_REVERTING);
    assert_false(p->has_half_life);
    assert_true(p->reversion.p[0] == 0.4);
    assert_int_equal(p->long_run.dist, JF_DIST_LOGNORMAL);
    assert_int_equal(p->volatility.dist, JF_DIST_UNIFORM);
    assert_true(p->has_jumps);
    assert_true(p->jump_rate.p[0] == 0.2);
    assert_int_equal(p->jump_mean.dist, JF_DIST_NORMAL);
    assert_true(p->jump_sd.p[0] == 0.0); /* default */
    assert_int_equal(r->n_brackets, 2);
    assert_true(r->royalty_brackets[1][0] == 400.0 && r->royalty_brackets[1][1] == 0.65);

    const jf_scheme *f = &sc->schemes[0];
    assert_int_equal(f->ownership, JF_OWNERSHIP_PRO_RATA);
    assert_int_equal(f->base, JF_BASE_ROYALTY | JF_BASE_DIVIDENDS);
    assert_false(f->all_resources);
    assert_int_equal(f->n_resources, 1);
    assert_int_equal(f->initial_capital_us.dist, JF_DIST_UNIFORM);
    assert_true(f->initial_capital_ukraine.p[0] == 0.0);
    assert_int_equal(f->return_mean.dist, JF_DIST_NORMAL);
    assert_int_equal(f->reinvest_years.dist, JF_DIST_DISCRETE);

    assert_true(sc->sweep.present);
    assert_int_equal(sc->sweep.method, JF_SWEEP_LHS);
    assert_int_equal(sc->sweep.n, 16);
    assert_true(sc->sweep.seed == UINT64_MAX);
    assert_int_equal(sc->sweep.n_axes, 1);
    assert_string_equal(sc->sweep.axes[0].path, "schemes.fund.contribution_share");
    assert_int_equal(sc->sweep.axes[0].kind, JF_AXIS_MINMAX);
    assert_true(sc->sweep.axes[0].min == 0.2 && sc->sweep.axes[0].max == 0.8);
    assert_true(sc->sensitivity.present);
    assert_int_equal(sc->sensitivity.method, JF_SENS_TORNADO);
    assert_int_equal(sc->sensitivity.n, 256);
    assert_int_equal(sc->sensitivity.bootstrap, 200);
    assert_true(sc->sensitivity.seed == 0);
    assert_int_equal(sc->sensitivity.n_outputs, 0);
    jf_scenario_free(sc);
}

static void test_distribution_errors(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        jf_status status;
        const char *path;
        const char *message;
    } cases[] = {
        {"{dist: normal, mean: 1, sd: -1}", JF_ERR_RANGE, "resources.lithium.unit_cost.sd", ">= 0"},
        {"{dist: lognormal, median: 0, sigma: 1}", JF_ERR_RANGE, "resources.lithium.unit_cost.median", "> 0"},
        {"{dist: lognormal, median: 1, sigma: -0.1}", JF_ERR_RANGE, "resources.lithium.unit_cost.sigma", ">= 0"},
        {"{dist: uniform, min: 2, max: 1}", JF_ERR_RANGE, "resources.lithium.unit_cost.max", "max >= min"},
        {"{dist: triangular, min: 1, mode: 3, max: 2}", JF_ERR_RANGE, "resources.lithium.unit_cost.max", "mode 3 > max 2"},
        {"{dist: pert, min: 2, mode: 2, max: 2}", JF_ERR_RANGE, "resources.lithium.unit_cost.max", "min < max"},
        {"{dist: discrete, values: [1, 2], probs: [1]}", JF_ERR_RANGE, "resources.lithium.unit_cost.probs", "one per value"},
        {"{dist: discrete, values: [], probs: []}", JF_ERR_RANGE, "resources.lithium.unit_cost.values", "at least one"},
        {"{dist: discrete, values: [1, 2], probs: [1.5, -0.5]}", JF_ERR_RANGE, "resources.lithium.unit_cost.probs.1",
         "[0, 1]"},
        {"{dist: bernoulli, p: 1.5}", JF_ERR_RANGE, "resources.lithium.unit_cost.p", "[0, 1]"},
        {"{dist: normal, mean: 1}", JF_ERR_MISSING, "resources.lithium.unit_cost.sd", "missing required key 'sd'"},
        {"{dist: normal, mean: 1, sd: 1, max: 3}", JF_ERR_UNKNOWN_KEY, "resources.lithium.unit_cost.max",
         "a normal distribution"},
        {"{dist: gaussian, mean: 1, sd: 1}", JF_ERR_RANGE, "resources.lithium.unit_cost.dist", "unknown distribution"},
        {"{mean: 1, sd: 1}", JF_ERR_MISSING, "resources.lithium.unit_cost.dist", "missing required key 'dist'"},
        {"{dist: normal, mean: \"1\", sd: 1}", JF_ERR_TYPE, "resources.lithium.unit_cost.mean", "quoted"},
        {"-5", JF_ERR_RANGE, "resources.lithium.unit_cost", ">= 0, found -5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[256];
        snprintf(extra, sizeof extra, "    unit_cost: %s\n", cases[i].value);
        assert_load_fails(scenario_text("", extra), cases[i].status, cases[i].path, cases[i].message);
    }
    /* A distribution may reach beyond the key's range (draws are clamped): not an error. */
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(load_text(scenario_text("", "    eligible_share: {dist: normal, mean: 0.9, sd: 0.5}\n"), &sc, &err),
                     JF_OK);
    assert_true(sc->resources[0].eligible_share.lo == 0.0 && sc->resources[0].eligible_share.hi == 1.0);
    jf_scenario_free(sc);
    /* probabilities summing to 1 within 1e-9 are accepted */
    assert_int_equal(load_text(scenario_text("", "    start_delay: {dist: discrete, values: [0, 1, 2], "
                                                 "probs: [0.1, 0.2, 0.7000000001]}\n"), &sc, &err), JF_OK);
    jf_scenario_free(sc);
}

/* ---- other schema rules ---------------------------------------------------------- */

static void test_schema_rules(void **state)
{
    (void)state;
    assert_load_fails(scenario_text("", "    schedule: [1, 2]\n"), JF_ERR_DUPLICATE, "resources.lithium.schedule",
                      "not both");
    assert_load_fails("start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, price: {model: fixed, start: 1}}\n",
                      JF_ERR_MISSING, "resources.x.capacity", "'capacity' or 'schedule'");
    assert_load_fails("start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, schedule: [1], ramp_years: 2,"
                      " price: {model: fixed, start: 1}}\n",
                      JF_ERR_UNKNOWN_KEY, "resources.x.ramp_years", "not used with a schedule");
    assert_load_fails(scenario_text("", "    decline_rate: 1\n"), JF_ERR_RANGE, "resources.lithium.decline_rate",
                      "[0, 1), found 1");
    assert_load_fails(scenario_text("", "    royalty_brackets: [[10, 0.1]]\n"), JF_ERR_RANGE,
                      "resources.lithium.royalty_brackets.1", "starts at price 0");
    assert_load_fails(scenario_text("", "    royalty_brackets: [[0, 0.1], [0, 0.2]]\n"), JF_ERR_RANGE,
                      "resources.lithium.royalty_brackets.2", "increase strictly");
    assert_load_fails(scenario_text("", "    royalty_brackets: [[0, 1.1]]\n"), JF_ERR_RANGE,
                      "resources.lithium.royalty_brackets.1", "[0, 1]");
    assert_load_fails(scenario_text("", "    royalty_brackets: [[0, {dist: uniform, min: 0, max: 1}]]\n"),
                      JF_ERR_TYPE, "resources.lithium.royalty_brackets.1", "not allowed here");
    assert_load_fails(scenario_text("", "    kind: coal\n"), JF_ERR_DUPLICATE, "kind", "first given at line 5");
    /* price models */
    const char *mr_both = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                          "price: {model: mean_reverting, start: 1, long_run: 1, reversion: 1, half_life: 2, volatility: 0.1}}\n";
    assert_load_fails(mr_both, JF_ERR_DUPLICATE, "resources.x.price.half_life", "not both");
    const char *mr_none = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                          "price: {model: mean_reverting, start: 1, long_run: 1, volatility: 0.1}}\n";
    assert_load_fails(mr_none, JF_ERR_MISSING, "resources.x.price.reversion", "exactly one of 'reversion' or 'half_life'");
    const char *mr_nolr = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                          "price: {model: mean_reverting, start: 1, half_life: 1, volatility: 0.1}}\n";
    assert_load_fails(mr_nolr, JF_ERR_MISSING, "resources.x.price.long_run", "missing required key");
    const char *gbm_novol = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                            "price: {model: gbm, start: 1}}\n";
    assert_load_fails(gbm_novol, JF_ERR_MISSING, "resources.x.price.volatility", "missing required key");
    const char *fixed_drift = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                              "price: {model: fixed, start: 1, drift: 0.1}}\n";
    assert_load_fails(fixed_drift, JF_ERR_UNKNOWN_KEY, "resources.x.price.drift", "a fixed price");
    const char *jumps_norate = "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: x, kind: oil, capacity: 1, "
                               "price: {model: gbm, start: 1, volatility: 0.1, jumps: {mean: 1}}}\n";
    assert_load_fails(jumps_norate, JF_ERR_MISSING, "resources.x.price.jumps.rate", "missing required key 'rate'");
    /* names */
    const char *bad_names[] = {"total", "gas", "2x", "a-b", "_x",
                               "a234567890123456789012345678901234567890123456789012345678901234"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "start_year: 2026\nhorizon_years: 10\nresources:\n  - {name: %s, kind: oil, "
                 "capacity: 1, price: {model: fixed, start: 1}}\n", bad_names[i]);
        assert_load_fails(text, JF_ERR_RANGE, "resources[1].name", "invalid resource name");
    }
    assert_load_fails(scenario_text("name: -bad\n", ""), JF_ERR_RANGE, "name", "invalid scenario name");
    assert_load_fails(scenario_text("name: ok.name-2_x\nfoo: 1\n", ""), JF_ERR_UNKNOWN_KEY, "foo", "unknown key 'foo'");
    /* schemes */
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, target: 1}\n"), JF_ERR_UNKNOWN_KEY,
                      "schemes.f.target", "a joint_fund scheme");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: repayment, ownership: fixed}\n"),
                      JF_ERR_UNKNOWN_KEY, "schemes.f.ownership", "a repayment scheme");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, ownership: shared}\n"), JF_ERR_RANGE,
                      "schemes.f.ownership", "fixed, pro_rata");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, base: [royalty, royalty]}\n"),
                      JF_ERR_DUPLICATE, "schemes.f.base.2", "listed twice");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, base: []}\n"), JF_ERR_RANGE,
                      "schemes.f.base", "at least one");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, base: [royalties]}\n"), JF_ERR_RANGE,
                      "schemes.f.base.1", "did you mean 'royalty'?");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f, type: joint_fund, return: {mean: -1}}\n"), JF_ERR_RANGE,
                      "schemes.f.return.mean", "> -1");
    assert_load_fails(scenario_text("", "schemes:\n  - {name: f}\n"), JF_ERR_MISSING, "schemes.f.type",
                      "missing required key 'type'");
    /* regime */
    assert_load_fails(scenario_text("regime: {initial: war, p_end: 0.1, p_relapse: 0.1}\n", ""), JF_ERR_RANGE,
                      "regime.initial", "conflict");
    assert_load_fails(scenario_text("regime: {initial: peace, p_end: 0.1}\n", ""), JF_ERR_MISSING, "regime.p_relapse",
                      "missing required key");
    assert_load_fails(scenario_text("regime: {initial: peace, p_end: 0.1, p_relapse: {dist: uniform, min: 0, max: 1}}\n", ""),
                      JF_ERR_TYPE, "regime.p_relapse", "not allowed here");
    assert_load_fails(scenario_text("comparison: {target: -1}\n", ""), JF_ERR_RANGE, "comparison.target", ">= 0");
    /* correlations */
    const char *two = "start_year: 2026\nhorizon_years: 10\nresources:\n"
                      "  - {name: a, kind: oil, capacity: 1, price: {model: gbm, start: 1, volatility: 0.1}}\n"
                      "  - {name: b, kind: oil, capacity: 1, price: {model: gbm, start: 1, volatility: 0.1}}\n";
    char text[1024];
    snprintf(text, sizeof text, "%scorrelations:\n  - [a, a, 0.5]\n", two);
    assert_load_fails(text, JF_ERR_RANGE, "correlations.1", "itself");
    snprintf(text, sizeof text, "%scorrelations:\n  - [a, b, 0.5]\n  - [b, a, 0.4]\n", two);
    assert_load_fails(text, JF_ERR_DUPLICATE, "correlations.2", "already correlated (line 7)");
    snprintf(text, sizeof text, "%scorrelations:\n  - [a, b, 1]\n", two);
    assert_load_fails(text, JF_ERR_RANGE, "correlations.1", "(-1, 1), found 1");
    snprintf(text, sizeof text, "%scorrelations:\n  - [a, b]\n", two);
    assert_load_fails(text, JF_ERR_TYPE, "correlations.1", "found 2 entries");
    /* sweep and sensitivity */
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {paths: [1, 2]}}\n"), JF_ERR_TYPE,
                      "sweep.parameters.paths", "cannot be swept");
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {resources.lithium.price.volatility: [0.1, -0.1]}}\n"),
                      JF_ERR_RANGE, "sweep.parameters.resources.lithium.price.volatility.2", "for this parameter");
    /* first_year takes whole years: a grid of whole years only, never a {min, max} range. */
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {resources.lithium.first_year: [2030, 2031.5]}}\n"),
                      JF_ERR_RANGE, "sweep.parameters.resources.lithium.first_year.2", "whole year");
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {resources.lithium.first_year: {from: 2030, to: 2035, steps: 3}}}\n"),
                      JF_ERR_RANGE, "sweep.parameters.resources.lithium.first_year.steps", "whole years");
    assert_load_fails(scenario_text("", "sweep: {method: lhs, n: 4, parameters: {resources.lithium.first_year: {min: 2030, max: 2035}}}\n"),
                      JF_ERR_TYPE, "sweep.parameters.resources.lithium.first_year", "whole years");
    assert_load_fails(scenario_text("", "sweep: {method: grid, n: 3, parameters: {discount_rate: [0.1]}}\n"),
                      JF_ERR_UNKNOWN_KEY, "sweep.n", "grid sweep");
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {discount_rate: {from: 0, to: 1, steps: 1}}}\n"),
                      JF_ERR_RANGE, "sweep.parameters.discount_rate.steps", "[2, 1000000]");
    assert_load_fails(scenario_text("", "sweep: {method: lhs, parameters: {discount_rate: {min: 0, max: 1}}}\n"),
                      JF_ERR_MISSING, "sweep.n", "missing required key 'n'");
    assert_load_fails(scenario_text("", "sweep: {method: sobol, n: 8, parameters: {discount_rate: {min: 1, max: 1}}}\n"),
                      JF_ERR_RANGE, "sweep.parameters.discount_rate.max", "max > min");
    assert_load_fails(scenario_text("", "sweep: {method: lhs, n: 8, parameters: {discount_rate: [0, 1]}}\n"),
                      JF_ERR_TYPE, "sweep.parameters.discount_rate", "a range {min, max}");
    assert_load_fails(scenario_text("", "sweep: {method: grid, parameters: {}}\n"), JF_ERR_MISSING, "sweep.parameters",
                      "at least one parameter");
    assert_load_fails(scenario_text("", "sensitivity: {method: sobol}\n"), JF_ERR_MISSING, "sensitivity.parameters",
                      "missing required key");
    assert_load_fails(scenario_text("", "schemes: [{name: f, type: joint_fund}]\nsensitivity: {method: contribution, "
                                        "outputs: [f.us_npv.mean, f.years_to_repay.mean]}\n"),
                      JF_ERR_REFERENCE, "sensitivity.outputs.2", "only for repayment");
    assert_load_fails(scenario_text("", "schemes: [{name: f, type: joint_fund}]\nsensitivity: {method: contribution, "
                                        "outputs: [g.us_npv.mean]}\n"),
                      JF_ERR_REFERENCE, "sensitivity.outputs.1", "no scheme is named 'g'");
    assert_load_fails(scenario_text("", "schemes: [{name: f, type: joint_fund}]\nsensitivity: {method: contribution, "
                                        "outputs: [f.us_npv.median]}\n"),
                      JF_ERR_REFERENCE, "sensitivity.outputs.1", "unknown statistic 'median'");
    assert_load_fails(scenario_text("", "schemes: [{name: f, type: joint_fund}]\nsensitivity: {method: contribution, "
                                        "outputs: [f.us_npv]}\n"),
                      JF_ERR_TYPE, "sensitivity.outputs.1", "<scheme>.<metric>.<stat>");
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(load_text(scenario_text("", "schemes: [{name: f, type: repayment}]\nsensitivity: {method: contribution, "
                                                 "n: 10, seed: 5, bootstrap: 0, outputs: [f.years_to_repay.p50]}\n"),
                               &sc, &err), JF_OK);
    assert_int_equal(sc->sensitivity.method, JF_SENS_CONTRIBUTION);
    assert_int_equal(sc->sensitivity.n, 10);
    assert_true(sc->sensitivity.seed == 5);
    assert_int_equal(sc->sensitivity.bootstrap, 0);
    assert_string_equal(sc->sensitivity.outputs[0], "f.years_to_repay.p50");
    assert_int_equal(sc->sensitivity.n_axes, 0);
    jf_scenario_free(sc);
}

static void test_interface_example(void **state)
{
    (void)state;
    jf_scenario *sc = load_ok("ok_interface_example.yaml", NULL, 0);
    assert_string_equal(sc->name, "example");
    assert_true(sc->paths == 100000 && sc->seed == 20250430);
    assert_true(sc->has_regime && sc->regime_initial == JF_REGIME_CONFLICT);
    assert_true(sc->p_end == 0.3 && sc->p_relapse == 0.03);
    assert_int_equal(sc->n_resources, 2);
    const jf_resource *gas = &sc->resources[0], *li = &sc->resources[1];
    assert_int_equal(gas->kind, JF_KIND_GAS);
    assert_string_equal(gas->unit, "mcm");
    assert_true(gas->capacity.p[0] == 18.0e6);
    assert_true(gas->price.has_half_life && gas->price.half_life.p[0] == 3.0);
    assert_true(gas->cost_escalation.p[0] == 0.02); /* = inflation */
    assert_int_equal(li->start_delay.dist, JF_DIST_DISCRETE);
    assert_string_equal(li->unit, "t LCE");
    assert_int_equal(sc->n_correlations, 1);
    assert_int_equal(sc->correlations[0].a, 0);
    assert_int_equal(sc->correlations[0].b, 1);
    assert_true(sc->correlations[0].rho == 0.1);
    assert_int_equal(sc->n_schemes, 2);
    assert_true(sc->schemes[0].return_mean.p[0] == 0.05 && sc->schemes[0].return_volatility.p[0] == 0.1);
    assert_true(sc->schemes[1].target.p[0] == 500e9);
    assert_int_equal(sc->sweep.method, JF_SWEEP_GRID);
    assert_int_equal(sc->sweep.n_axes, 2);
    assert_int_equal(sc->sweep.axes[0].kind, JF_AXIS_LIST);
    assert_int_equal(sc->sweep.axes[0].n_values, 3);
    assert_int_equal(sc->sweep.axes[1].kind, JF_AXIS_RANGE);
    assert_int_equal(sc->sweep.axes[1].steps, 5);
    assert_int_equal(sc->sensitivity.n_outputs, 2);
    assert_string_equal(sc->sensitivity.outputs[1], "repay500.reached_target.mean");
    assert_int_equal(sc->sensitivity.n_axes, 2);
    assert_string_equal(sc->sensitivity.axes[1].path, "regime.p_end");
    jf_scenario_free(sc);
}

/* ---- --set overrides ---------------------------------------------------------------- */

static void test_override_parse(void **state)
{
    (void)state;
    jf_override ov;
    jf_error err;
    const char *arg = "a.b=c=d";
    assert_int_equal(jf_override_parse(arg, &ov, &err), JF_OK);
    assert_ptr_equal(ov.path, arg);
    assert_string_equal(ov.value, "c=d"); /* split at the first '=' */
    assert_int_equal(jf_override_parse("novalue", &ov, &err), JF_ERR_USAGE);
    assert_int_equal(jf_override_parse("=5", &ov, &err), JF_ERR_USAGE);
    assert_int_equal(jf_override_parse("paths=", &ov, &err), JF_OK);
    assert_string_equal(ov.value, "");
}

static void test_overrides_applied(void **state)
{
    (void)state;
    const char *args[] = {
        "resources.lithium.price.volatility=0.6",
        "schemes.fund.return.mean={dist: normal, mean: 0.05, sd: 0.02}",
        "paths=500",
        "resources.natural_gas.unit=\"thousand m3\"",
        "schemes.repay500.target=1e12",
        "sweep.parameters.schemes.fund.contribution_share=[0.1, 0.9]",
        "regime.p_end=0.25",
        "resources.2.success_probability=1",
        "comparison.target=7_000",
    };
    jf_override ov[sizeof args / sizeof args[0]];
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        assert_int_equal(jf_override_parse(args[i], &ov[i], NULL), JF_OK);
    jf_scenario *sc = load_ok("ok_interface_example.yaml", ov, sizeof args / sizeof args[0]);
    assert_true(sc->resources[1].price.volatility.p[0] == 0.6);
    assert_int_equal(sc->resources[1].price.volatility.loc.line, 0); /* not from the file */
    assert_int_equal(sc->schemes[0].return_mean.dist, JF_DIST_NORMAL);
    assert_true(sc->schemes[0].return_mean.p[1] == 0.02);
    assert_true(sc->schemes[0].return_volatility.p[0] == 0.1); /* sibling kept */
    assert_true(sc->paths == 500);
    assert_string_equal(sc->resources[0].unit, "thousand m3");
    assert_true(sc->schemes[1].target.p[0] == 1e12);
    assert_int_equal(sc->sweep.axes[0].n_values, 2);
    assert_true(sc->sweep.axes[0].values[1] == 0.9);
    assert_true(sc->p_end == 0.25);
    assert_true(sc->resources[1].success_probability.p[0] == 1.0);
    assert_true(sc->comparison_target == 7000.0);
    jf_scenario_free(sc);

    /* schedule entry (1-based) and a created nested key */
    jf_override sched[2] = {{"resources.lithium.schedule.3", "999"}, {"resources.lithium.price.jumps.sd", "0.5"}};
    sc = load_ok("ok_distributions.yaml", sched, 2);
    assert_int_equal(sc->resources[0].schedule[2].dist, JF_DIST_FIXED);
    assert_true(sc->resources[0].schedule[2].p[0] == 999.0);
    assert_int_equal(sc->resources[0].schedule[1].dist, JF_DIST_NORMAL);
    assert_true(sc->resources[0].price.jump_sd.p[0] == 0.5);
    jf_scenario_free(sc);

    /* later overrides win */
    jf_override twice[2] = {{"paths", "5"}, {"paths", "7"}};
    sc = load_ok("ok_defaults.yaml", twice, 2);
    assert_true(sc->paths == 7);
    jf_scenario_free(sc);
}

typedef struct {
    const char *file;
    const char *arg;
    jf_status status;
    int column;
    const char *path;
    const char *message;
} override_case;

static void test_override_errors(void **state)
{
    (void)state;
    static const override_case cases[] = {
        {"ok_interface_example.yaml", "resources.lithum.price.volatility=0.3", JF_ERR_REFERENCE, 11,
         "resources.lithum.price.volatility", "did you mean 'lithium'?"},
        {"ok_interface_example.yaml", "regime.p_end=\"0.3\"", JF_ERR_TYPE, 14, "regime.p_end", "quoted values are text"},
        {"ok_interface_example.yaml", "resources.lithium.price.volatility=-1", JF_ERR_RANGE, 36,
         "resources.lithium.price.volatility", ">= 0, found -1"},
        {"ok_interface_example.yaml", "resources.lithium.price.volatilty=0.3", JF_ERR_UNKNOWN_KEY, 25,
         "resources.lithium.price.volatilty", "did you mean 'volatility'?"},
        {"ok_interface_example.yaml", "paths={a: ", JF_ERR_SYNTAX, 11, "paths", "YAML syntax error"},
        {"ok_interface_example.yaml", "paths.x=1", JF_ERR_TYPE, 7, "paths.x", "holds a single value"},
        {"ok_interface_example.yaml", "discount_rate=", JF_ERR_MISSING, 1, "discount_rate", "has no value"},
        {"ok_interface_example.yaml", "discount_rate=5%", JF_ERR_TYPE, 15, "discount_rate", "percent"},
        {"ok_interface_example.yaml", "discount_rate={dist: normal, mean: 0, sd: 1}", JF_ERR_TYPE, 15, "discount_rate",
         "not allowed here"},
        {"ok_interface_example.yaml", "a..b=1", JF_ERR_USAGE, 3, "a..b", "empty component"},
        {"ok_interface_example.yaml", "schemes.fund.target=1", JF_ERR_UNKNOWN_KEY, 14, "schemes.fund.target",
         "a joint_fund scheme"},
        {"ok_interface_example.yaml", "horizon_years=0", JF_ERR_RANGE, 15, "horizon_years", "[1, 200]"},
        {"ok_distributions.yaml", "resources.lithium.schedule.99=1", JF_ERR_RANGE, 28, "resources.lithium.schedule.99",
         "outside the list (it has 8 entries"},
        /* a created regime block: validation reports its other missing keys at the --set */
        {"ok_defaults.yaml", "regime.p_end=0.3", JF_ERR_MISSING, 1, "regime.initial", "missing required key 'initial'"},
        {"ok_defaults.yaml", "sweep.parameters.resources.lithium.price.volatily=[0.1]", JF_ERR_REFERENCE, 18,
         "sweep.parameters.resources.lithium.price.volatily", "did you mean 'resources.lithium.price.volatility'?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const override_case *c = &cases[i];
        char file[1024];
        data_path(file, sizeof file, c->file);
        jf_override ov;
        assert_int_equal(jf_override_parse(c->arg, &ov, NULL), JF_OK);
        jf_scenario *sc = NULL;
        jf_error err;
        jf_status st = jf_scenario_load(file, &ov, 1, &sc, &err);
        if (st != c->status || err.column != c->column || strcmp(err.path, c->path) || !strstr(err.message, c->message)) {
            char text[2048];
            jf_error_format(&err, text, sizeof text);
            print_error("--set %s: got %d: %s\n", c->arg, st, text);
        }
        assert_int_equal(st, c->status);
        assert_null(sc);
        assert_string_equal(err.file, "--set");
        assert_int_equal(err.line, 1);
        assert_int_equal(err.column, c->column);
        assert_string_equal(err.path, c->path);
        assert_non_null(strstr(err.message, c->message));
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    enum { N_ERRORS = sizeof error_cases / sizeof error_cases[0] };
    struct CMUnitTest errors[N_ERRORS];
    for (size_t i = 0; i < N_ERRORS; i++)
        errors[i] = (struct CMUnitTest){error_cases[i].file, run_error_case, NULL, NULL, (void *)&error_cases[i]};
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_file_over_16mib),
        cmocka_unit_test(test_deep_nesting_refused_quickly),
        cmocka_unit_test(test_alias_bomb_refused_quickly),
        cmocka_unit_test(test_number_spellings),
        cmocka_unit_test(test_big_numbers_and_integers),
        cmocka_unit_test(test_defaults_filled),
        cmocka_unit_test(test_default_name_from_file_name),
        cmocka_unit_test(test_every_distribution_form),
        cmocka_unit_test(test_distribution_errors),
        cmocka_unit_test(test_schema_rules),
        cmocka_unit_test(test_interface_example),
        cmocka_unit_test(test_override_parse),
        cmocka_unit_test(test_overrides_applied),
        cmocka_unit_test(test_override_errors),
    };
    int failed = _cmocka_run_group_tests("loader_error_files", errors, N_ERRORS, NULL, NULL);
    failed += cmocka_run_group_tests_name("loader", tests, NULL, NULL);
    return failed;
}
