/*
 * test_run.c — the run driver (run.c): hand figures of a deterministic
 * scenario through summary.csv/annual.csv, byte-identical output for 1, 2 and
 * 7 threads in exact and sketch mode, sketch percentiles within ±0.1
 * percentile rank of the exact sample, progress reporting and bad arguments.
 *
 * Scenarios are built as C structs here (with the loader's documented
 * defaults), so this test does not depend on the YAML loader.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>

#include "cpu_isa.h"
#include "path_sim.h"
#include "quantile_bracket.h"
#include "results.h"
#include "stats.h"
#include "test_files.h"
#include "test_ranks.h"

/* ------------------------------------------------------------------------ */
/* A small scenario builder                                                  */
/* ------------------------------------------------------------------------ */

static jf_param num(double v)
{
    jf_param p;
    memset(&p, 0, sizeof p);
    p.dist = JF_DIST_FIXED;
    p.p[0] = v;
    p.lo = 1.0; /* lo > hi: no clamping */
    p.hi = 0.0;
    return p;
}

static jf_param dist3(jf_dist_kind kind, double a, double b, double c, double lo, double hi)
{
    jf_param p = num(a);
    p.dist = kind;
    p.p[0] = a;
    p.p[1] = b;
    p.p[2] = c;
    p.lo = lo;
    p.hi = hi;
    return p;
}

static void resource_init(jf_resource *r, const jf_scenario *sc, const char *name, jf_kind kind)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->kind = kind;
    snprintf(r->unit, sizeof r->unit, "t");
    r->capacity = num(0);
    r->ramp_years = num(0);
    r->plateau_years = num(1);
    r->decline_rate = num(0);
    r->first_year = num(sc->start_year);
    r->start_delay = num(0);
    r->success_probability = num(1);
    r->volume_noise = num(0);
    r->occupied_share = num(0);
    r->liberation_probability = num(0);
    r->conflict_output = num(1);
    r->price.model = JF_PRICE_FIXED;
    r->price.start = num(1);
    r->price.growth = num(0);
    r->price.drift = num(0);
    r->price.volatility = num(0);
    r->price.long_run = num(1);
    r->price.reversion = num(1);
    r->price.half_life = num(1);
    r->price.jump_rate = num(0);
    r->price.jump_mean = num(0);
    r->price.jump_sd = num(0);
    r->unit_cost = num(0);
    r->fixed_cost = num(0);
    r->cost_escalation = num(sc->inflation);
    r->royalty_rate = num(0);
    r->profit_tax_rate = num(0.18);
    r->state_equity = num(0);
    r->dividend_payout = num(0);
    r->license_fees = num(0);
    r->eligible_share = num(1);
}

static void scheme_init(jf_scheme *k, const jf_scenario *sc, const char *name, jf_scheme_type type)
{
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    k->type = type;
    k->base = JF_BASE_ALL;
    k->all_resources = true;
    k->n_resources = sc->n_resources;
    k->resources = calloc(sc->n_resources, sizeof *k->resources);
    assert_non_null(k->resources);
    for (size_t r = 0; r < sc->n_resources; r++)
        k->resources[r] = r;
    k->contribution_share = num(0.5);
    k->us_stake = num(0.5);
    k->ownership = JF_OWNERSHIP_FIXED;
    k->initial_capital_us = num(0);
    k->initial_capital_ukraine = num(0);
    k->us_annual_contribution = num(0);
    k->return_mean = num(0);
    k->return_volatility = num(0);
    k->reinvest_years = num(10);
    k->payout_rate = num(0.05);
    k->management_fee = num(0);
    k->target = num(500e9);
    k->share = num(0.5);
    k->interest_rate = num(0);
}

static jf_scenario *scenario_new(const char *name, int start_year, int horizon, uint64_t paths,
                                 size_t n_resources, size_t n_schemes)
{
    jf_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    snprintf(sc->name, sizeof sc->name, "%s", name);
    sc->start_year = start_year;
    sc->horizon_years = horizon;
    sc->paths = paths;
    sc->seed = 0;
    sc->comparison_target = 500e9;
    sc->n_resources = n_resources;
    sc->resources = calloc(n_resources, sizeof *sc->resources);
    sc->n_schemes = n_schemes;
    sc->schemes = calloc(n_schemes, sizeof *sc->schemes);
    assert_non_null(sc->resources);
    assert_non_null(sc->schemes);
    return sc;
}

static void scenario_delete(jf_scenario *sc)
{
    if (!sc)
        return;
    for (size_t s = 0; s < sc->n_schemes; s++)
        free(sc->schemes[s].resources);
    free(sc->schemes);
    free(sc->resources);
    free(sc);
}

/*
 * The 3-year deterministic case, worked on paper.  One mineral resource,
 * 100 t/yr at a fixed $10, unit cost $4, royalty 10%, profit tax 20%:
 *   G = 1000, C = 400, Roy = 100, Tax = 0.2·(1000-400-100) = 100, S = 200 each year.
 * Discount 10%: Σ 1/1.1^t (t=1..3) = 2.486851990984222, so
 *   gross_revenue_npv = 2486.8519909842225, state_proceeds_npv = 497.37039819684446.
 * repay (repayment, target 250, share 0.5): pays 100, 100, 50 -> B = 150, 50, 0;
 *   years_to_repay = 3, us_value = 250, ukraine_value = 100+100+150 = 350,
 *   us_npv = 100/1.1 + 100/1.21 + 50/1.331 = 211.11945905334335;
 *   with comparison target 200: U_t = 100, 200, 250 -> years_to_target = 2.
 * fund (joint fund, c 0.5, w 0.5, zero return, Y = 1, payout 0.5):
 *   N_1 = 100; t=2: A' = 200, D = 100, N = 100; t=3 the same.
 *   us_value = 0.5·(100+100) + 0.5·100 = 150; ukraine_value = 100+150+150+50 = 450;
 *   us_npv = 50/1.21 + 50/1.331 + 50/1.331 = 116.45379413974453.
 * Pairwise fund vs repay: us_npv_diff = 116.45379413974453 - 211.11945905334335,
 *   the US is better off in no path (0), Ukraine in every path (1).
 */
static jf_scenario *deterministic_scenario(uint64_t paths)
{
    jf_scenario *sc = scenario_new("hand", 2026, 3, paths, 1, 2);
    sc->discount_rate = 0.1;
    sc->inflation = 0.0;
    sc->comparison_target = 200;
    jf_resource *r = &sc->resources[0];
    resource_init(r, sc, "ore", JF_KIND_MINERAL);
    r->capacity = num(100);
    r->price.start = num(10);
    r->unit_cost = num(4);
    r->royalty_rate = num(0.1);
    r->profit_tax_rate = num(0.2);
    scheme_init(&sc->schemes[0], sc, "fund", JF_SCHEME_JOINT_FUND);
    sc->schemes[0].reinvest_years = num(1);
    sc->schemes[0].payout_rate = num(0.5);
    scheme_init(&sc->schemes[1], sc, "repay", JF_SCHEME_REPAYMENT);
    sc->schemes[1].target = num(250);
    return sc;
}

/* Something with every kind of noise: two resources, regime, fund returns. */
static jf_scenario *stochastic_scenario(uint64_t paths)
{
    jf_scenario *sc = scenario_new("noisy", 2030, 6, paths, 2, 2);
    sc->seed = 20250430;
    sc->discount_rate = 0.05;
    sc->inflation = 0.02;
    sc->has_regime = true;
    sc->regime_initial = JF_REGIME_CONFLICT;
    sc->p_end = 0.3;
    sc->p_relapse = 0.05;
    sc->comparison_target = 3e9;

    jf_resource *gas = &sc->resources[0];
    resource_init(gas, sc, "gas1", JF_KIND_GAS);
    gas->capacity = num(1e6);
    gas->volume_noise = num(0.2);
    gas->conflict_output = num(0.7);
    gas->price.model = JF_PRICE_MEAN_REVERTING;
    gas->price.start = num(400);
    gas->price.long_run = num(300);
    gas->price.has_half_life = true;
    gas->price.half_life = num(3);
    gas->price.volatility = num(0.4);
    gas->unit_cost = num(60);
    gas->royalty_rate = num(0.14);
    gas->state_equity = num(0.9);
    gas->dividend_payout = num(0.5);

    jf_resource *li = &sc->resources[1];
    resource_init(li, sc, "lithium", JF_KIND_MINERAL);
    li->capacity = dist3(JF_DIST_TRIANGULAR, 10000, 30000, 60000, 0, INFINITY);
    li->ramp_years = num(2);
    li->success_probability = num(0.6);
    li->occupied_share = num(0.5);
    li->liberation_probability = num(0.2);
    li->price.model = JF_PRICE_GBM;
    li->price.start = num(10000);
    li->price.drift = num(0.03);
    li->price.volatility = num(0.5);
    li->unit_cost = num(6000);
    li->royalty_rate = num(0.1);

    scheme_init(&sc->schemes[0], sc, "fund", JF_SCHEME_JOINT_FUND);
    sc->schemes[0].return_mean = num(0.05);
    sc->schemes[0].return_volatility = num(0.1);
    sc->schemes[0].reinvest_years = num(2);
    scheme_init(&sc->schemes[1], sc, "repay", JF_SCHEME_REPAYMENT);
    sc->schemes[1].target = num(5e9);
    return sc;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                     */
/* ------------------------------------------------------------------------ */

static void remove_outputs(const char *dir)
{
    static const char *const names[] = {"summary.csv", "annual.csv", "manifest.json"};
    char path[4200];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Run `sc` with `threads` and budget, write the outputs, return summary.csv and annual.csv. */
static void run_and_write(const jf_scenario *sc, int threads, size_t budget, char **summary,
                          char **annual, jf_results **keep)
{
    jf_run_options opt = {threads, budget, NULL, NULL};
    jf_results *res = NULL;
    jf_error err;
    jf_status st = jf_run(sc, &opt, &res, &err);
    if (st != JF_OK)
        fail_msg("jf_run: %s", err.message);
    char dir[4096];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_run"));
    st = jf_write_outputs(res, sc, dir, NULL, NULL, &err);
    if (st != JF_OK)
        fail_msg("jf_write_outputs: %s", err.message);
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    *summary = jf_test_read_file(path, NULL);
    snprintf(path, sizeof path, "%s/annual.csv", dir);
    *annual = jf_test_read_file(path, NULL);
    assert_non_null(*summary);
    assert_non_null(*annual);
    remove_outputs(dir);
    if (keep)
        *keep = res;
    else
        jf_results_free(res);
}

/* Split one CSV line (no quoted cells expected) into at most `max` cells. */
static int split_line(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        cells[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

/* Find the row whose first cells are key0,key1[,key2] and copy its cells. */
static bool find_row(const char *csv, const char *key0, const char *key1, const char *key2,
                     char cells_out[16][64])
{
    char *copy = strdup(csv);
    assert_non_null(copy);
    bool found = false;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line && !found;
         line = strtok_r(NULL, "\n", &save)) {
        char *cells[16];
        int n = split_line(line, cells, 16);
        if (n < 3 || strcmp(cells[0], key0) != 0 || strcmp(cells[1], key1) != 0)
            continue;
        if (key2 && strcmp(cells[2], key2) != 0)
            continue;
        for (int i = 0; i < 16; i++)
            snprintf(cells_out[i], 64, "%s", i < n ? cells[i] : "");
        found = true;
    }
    free(copy);
    return found;
}

static void assert_cell(const char *cell, double want)
{
    char *end;
    double got = strtod(cell, &end);
    if (end == cell || *end != '\0')
        fail_msg("cell '%s' is not a number (want %.17g)", cell, want);
    if (!(fabs(got - want) <= 1e-13 * fmax(1.0, fabs(want))))
        fail_msg("cell %s, want %.17g", cell, want);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */
/* ------------------------------------------------------------------------ */

/* summary.csv columns: scheme,metric,unit,n,mean,sd,se,p05,p25,p50,p75,p95,min,max */
static void check_summary_row(const char *csv, const char *scheme, const char *metric,
                              const char *unit, const char *n, double value)
{
    char c[16][64];
    if (!find_row(csv, scheme, metric, NULL, c))
        fail_msg("no summary row %s,%s", scheme, metric);
    assert_string_equal(c[2], unit);
    assert_string_equal(c[3], n);
    assert_cell(c[4], value);
    assert_cell(c[5], 0.0); /* sd of identical paths */
    assert_cell(c[6], 0.0);
    for (int i = 7; i < 14; i++)
        assert_cell(c[i], value);
}

/* annual.csv columns: year,variable,scope,n,mean,sd,p05,p25,p50,p75,p95 */
static void check_annual_row(const char *csv, const char *year, const char *variable,
                             const char *scope, double value)
{
    char c[16][64];
    if (!find_row(csv, year, variable, scope, c))
        fail_msg("no annual row %s,%s,%s", year, variable, scope);
    assert_string_equal(c[3], "5");
    assert_cell(c[4], value);
    assert_cell(c[5], 0.0);
    for (int i = 6; i < 11; i++)
        assert_cell(c[i], value);
}

static void test_deterministic_hand_figures(void **state)
{
    (void)state;
    jf_scenario *sc = deterministic_scenario(5);
    char *summary, *annual;
    jf_results *res;
    run_and_write(sc, 2, 0, &summary, &annual, &res);

    static const char sh[] = "scheme,metric,unit,n,mean,sd,se,p05,p25,p50,p75,p95,min,max\n";
    static const char ah[] = "year,variable,scope,n,mean,sd,p05,p25,p50,p75,p95\n";
    assert_true(strncmp(summary, sh, sizeof sh - 1) == 0);
    assert_true(strncmp(annual, ah, sizeof ah - 1) == 0);

    check_summary_row(summary, "-", "gross_revenue_npv", "USD", "5", 2486.8519909842225);
    check_summary_row(summary, "-", "gross_revenue_npv.mineral", "USD", "5", 2486.8519909842225);
    check_summary_row(summary, "-", "state_proceeds_npv", "USD", "5", 497.37039819684446);
    check_summary_row(summary, "repay", "us_value", "USD", "5", 250);
    check_summary_row(summary, "repay", "us_npv", "USD", "5", 211.11945905334335);
    check_summary_row(summary, "repay", "ukraine_value", "USD", "5", 350);
    check_summary_row(summary, "repay", "years_to_repay", "years", "5", 3);
    check_summary_row(summary, "repay", "years_to_target", "years", "5", 2);
    check_summary_row(summary, "repay", "reached_target", "share", "5", 1);
    check_summary_row(summary, "fund", "us_value", "USD", "5", 150);
    check_summary_row(summary, "fund", "us_npv", "USD", "5", 116.45379413974453);
    check_summary_row(summary, "fund", "ukraine_value", "USD", "5", 450);
    check_summary_row(summary, "fund vs repay", "us_npv_diff", "USD", "5",
                      116.45379413974453 - 211.11945905334335);
    check_summary_row(summary, "fund vs repay", "p_a_better_us", "share", "5", 0);
    check_summary_row(summary, "fund vs repay", "p_a_better_ukraine", "share", "5", 1);

    /* The fund's U_t = 50, 100, 150 never reaches 200: censored in all 5 paths,
     * so n = 0 and every statistic but n is an empty cell. */
    char c[16][64];
    assert_true(find_row(summary, "fund", "years_to_target", NULL, c));
    assert_string_equal(c[3], "0");
    for (int i = 4; i < 14; i++)
        assert_string_equal(c[i], "");

    /* Annual rows carry calendar years 2026..2028. */
    check_annual_row(annual, "2027", "state_proceeds", "total", 200);
    check_annual_row(annual, "2026", "volume", "ore", 100);
    check_annual_row(annual, "2028", "price", "ore", 10);
    check_annual_row(annual, "2026", "outstanding", "repay", 150);
    check_annual_row(annual, "2027", "outstanding", "repay", 50);
    check_annual_row(annual, "2028", "outstanding", "repay", 0);
    check_annual_row(annual, "2028", "inflow", "repay", 50);
    check_annual_row(annual, "2028", "fund_nav", "fund", 100);
    check_annual_row(annual, "2026", "conflict", "total", 0);
    assert_false(find_row(annual, "2029", "volume", "ore", c));
    assert_false(find_row(annual, "2025", "volume", "ore", c));

    /* The public lookup gives the same numbers. */
    jf_stats s;
    assert_true(jf_results_summary(res, "-", "state_proceeds_npv", &s));
    assert_true(fabs(s.mean - 497.37039819684446) < 1e-10);
    assert_false(jf_results_summary(res, "fund", "no_such_metric", &s));
    assert_false(jf_results_summary(res, "nobody", "us_npv", &s));
    assert_int_equal(jf_results_threads(res), 1); /* 5 paths are one block */
    assert_true(jf_results_seconds(res) >= 0.0);

    jf_results_free(res);
    free(summary);
    free(annual);
    scenario_delete(sc);
}

/* MODEL.md §8: the same seed gives byte-identical CSV for 1, 2 and 7 threads,
 * in exact mode and in sketch mode; summary.csv does not depend on the mode,
 * nor on how many re-simulation passes the memory budget forced (run.c). */
static void test_thread_independence(void **state)
{
    (void)state;
    /* 36 blocks, the last one partial: three groups of at most 16 blocks in sketch mode. */
    jf_scenario *sc = stochastic_scenario(9001);
    const int threads[3] = {1, 2, 7};
    /* exact; sketch mode with every value in the pilot; with a pilot of 1,000
     * paths (bracketing histograms); with a pilot of 8 (fallback pass) */
    const size_t budgets[4] = {0, 1, 1, 1}, pilots[4] = {0, 0, 1000, 8};
    char *ref_summary = NULL;
    for (int b = 0; b < 4; b++) {
        char *summary0 = NULL, *annual0 = NULL;
        jf__run_set_pilot_paths(pilots[b]);
        for (int i = 0; i < 3; i++) {
            char *summary, *annual;
            jf_results *res;
            run_and_write(sc, threads[i], budgets[b], &summary, &annual, &res);
            assert_int_equal(res->sketch_mode, b >= 1);
            if (b == 3)
                assert_true(res->annual_fallbacks > 0);
            /* A 1-byte budget cannot hold one row of metrics beside the sketches:
             * the rows are stored a quarter at a time (run.c: at most 4 passes),
             * re-simulating every path for each quarter after the first. */
            if (b >= 1) {
                size_t M = res->catalogue.n_metrics, rows = (M + 3) / 4;
                assert_true(M >= 4);
                assert_int_equal(res->metric_passes,
                                 (int)((M + rows - 1) / rows) + (res->annual_fallbacks > 0));
            } else
                assert_int_equal(res->metric_passes, 1);
            assert_true(jf_results_threads(res) >= 1 && jf_results_threads(res) <= threads[i]);
            jf_results_free(res);
            if (i == 0) {
                summary0 = summary;
                annual0 = annual;
                continue;
            }
            assert_string_equal(summary, summary0);
            assert_string_equal(annual, annual0);
            free(summary);
            free(annual);
        }
        if (b == 0)
            ref_summary = summary0;
        else {
            assert_string_equal(summary0, ref_summary);
            free(summary0);
        }
        free(annual0);
    }
    jf__run_set_pilot_paths(0);
    free(ref_summary);
    scenario_delete(sc);
}

/* Bit for bit: two results hold the same statistics. */
static void assert_same_stats(const jf_stats *a, const jf_stats *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        const jf_stats *x = &a[i], *y = &b[i];
        bool same = x->n == y->n && x->has_mean == y->has_mean && x->has_sd == y->has_sd &&
                    x->has_minmax == y->has_minmax && memcmp(&x->mean, &y->mean, sizeof x->mean) == 0 &&
                    memcmp(&x->sd, &y->sd, sizeof x->sd) == 0 && memcmp(&x->se, &y->se, sizeof x->se) == 0 &&
                    memcmp(&x->min, &y->min, sizeof x->min) == 0 &&
                    memcmp(&x->max, &y->max, sizeof x->max) == 0;
        for (int q = 0; q < JF_N_PCT; q++)
            same = same && x->has_pct[q] == y->has_pct[q] &&
                   memcmp(&x->pct[q], &y->pct[q], sizeof x->pct[q]) == 0;
        if (!same)
            fail_msg("%s %zu: mean %.17g / %.17g, sd %.17g / %.17g, p50 %.17g / %.17g", what, i,
                     x->mean, y->mean, x->sd, y->sd, x->pct[2], y->pct[2]);
    }
}

static int restore_run_hooks(void **state)
{
    (void)state;
    jf__isa_set_limit(JF__ISA_COUNT);
    jf__run_set_pilot_paths(0);
    return 0;
}

/* The vector kernels (cpu_isa.h) change nothing: exact mode and brackets
 * (pilot 1,000) with every instruction set this CPU has give the results of
 * the portable C, every statistic bit for bit. */
static void test_isa_independence(void **state)
{
    (void)state;
    jf_scenario *sc = stochastic_scenario(5000);
    const size_t budgets[2] = {0, 1}, pilots[2] = {0, 1000};
    int compared = 0;
    for (int b = 0; b < 2; b++) {
        jf__run_set_pilot_paths(pilots[b]);
        jf_results *ref = NULL;
        for (int isa = JF__ISA_PORTABLE; isa < JF__ISA_COUNT; isa++) {
            if (!jf__isa_supported((jf__isa)isa))
                continue;
            jf__isa_set_limit((jf__isa)isa);
            jf_run_options opt = {2, budgets[b], NULL, NULL};
            jf_results *res = NULL;
            jf_error err;
            assert_int_equal(jf_run(sc, &opt, &res, &err), JF_OK);
            assert_int_equal(res->sketch_mode, b == 1);
            if (!ref) {
                ref = res;
                continue;
            }
            assert_same_stats(res->metric_stats, ref->metric_stats, res->catalogue.n_metrics,
                              "metric");
            assert_same_stats(res->series_stats, ref->series_stats,
                              jf__results_n_series_stats(res), "series-year");
            compared++;
            jf_results_free(res);
        }
        jf_results_free(ref);
    }
    print_message("%d runs compared with the portable kernels\n", compared);
    scenario_delete(sc);
}

/* Runs through one jf__run_reuse (a sweep worker's sequence of points:
 * exact twice at one size, then a smaller one, then sketch twice with a
 * group buffer worth keeping) give jf_run's results bit for bit, so a
 * reused buffer's old contents never leak into a statistic; the object
 * keeps the big arrays the last run ended with, and a run takes only
 * buffers of exactly the size it asks for. */
static void test_run_reuse(void **state)
{
    (void)state;
    const uint64_t paths[5] = {20000, 20000, 10000, 60000, 60000};
    /* 72 MB: sketch mode at 60,000 paths, group buffer budget/8 = 9 MB */
    const size_t budgets[5] = {0, 0, 0, (size_t)72 << 20, (size_t)72 << 20};
    jf__run_reuse *reuse = jf__run_reuse_alloc();
    assert_non_null(reuse);
    assert_int_equal(jf__run_reuse_bytes(reuse), 0);
    jf__run_set_pilot_paths(1000);
    size_t held_before = 0, taken_before = 0;
    for (int i = 0; i < 5; i++) {
        jf_scenario *sc = stochastic_scenario(paths[i]);
        jf_run_options opt = {2, budgets[i], NULL, NULL};
        jf_results *plain = NULL, *reused = NULL;
        jf_error err;
        assert_int_equal(jf_run(sc, &opt, &plain, &err), JF_OK);
        assert_int_equal(jf__run_reusing(sc, &opt, reuse, &reused, &err), JF_OK);
        assert_int_equal(reused->sketch_mode, budgets[i] != 0);
        assert_same_stats(reused->metric_stats, plain->metric_stats, plain->catalogue.n_metrics,
                          "metric");
        assert_same_stats(reused->series_stats, plain->series_stats,
                          jf__results_n_series_stats(plain), "series-year");
        size_t K = jf__results_n_series_stats(plain);
        size_t annual = K * (size_t)paths[i] * sizeof(double);
        size_t held = jf__run_reuse_bytes(reuse);
        print_message("run %d (%s, %llu paths): %zu bytes kept\n", i,
                      reused->sketch_mode ? "sketch" : "exact", (unsigned long long)paths[i], held);
        if (!reused->sketch_mode)
            assert_true(held >= annual); /* the annual rows (and the metric rows if >= 8 MB) */
        else
            assert_true(held >= ((size_t)8 << 20)); /* the group buffer */
        size_t taken = jf__run_reuse_taken(reuse);
        print_message("   buffers taken from the object so far: %zu\n", taken);
        /* same shape: the same buffers again (run 1: the annual rows, the
         * metric rows being < 8 MB; run 4: the group buffer).  (Run 3 takes
         * run 2's annual rows for its metric rows: both are 12,000,000 bytes.) */
        if (i == 1 || i == 4) {
            assert_true(taken - taken_before >= 1);
            assert_int_equal(held, held_before);
        }
        held_before = held;
        taken_before = taken;
        jf_results_free(plain);
        jf_results_free(reused);
        scenario_delete(sc);
    }
    jf__run_set_pilot_paths(0);
    jf__run_reuse_free(reuse);
    jf__run_reuse_free(NULL);
}

/* Every path's annual values simulated one by one, series-year-major:
 * value k of path p at [k·n + p]; *K_out = series-years.  Caller frees. */
static double *simulate_samples(const jf_scenario *sc, uint64_t n, size_t *K_out)
{
    jf_error err;
    jf__model *model = NULL;
    assert_int_equal(jf__model_alloc(sc, &model, &err), JF_OK);
    const jf__catalogue *cat = jf__model_catalogue(model);
    size_t K = cat->n_series * (size_t)cat->horizon;
    jf__path_ws *ws = jf__path_ws_alloc(model);
    double *metrics = malloc((cat->n_metrics + 1) * sizeof *metrics);
    double *annual = malloc(K * sizeof *annual);
    double *samples = malloc(K * n * sizeof *samples);
    assert_true(ws && metrics && annual && samples);
    for (uint64_t p = 0; p < n; p++) {
        jf__path_simulate(model, ws, p, metrics, annual);
        for (size_t k = 0; k < K; k++)
            samples[k * n + p] = annual[k];
    }
    free(annual);
    free(metrics);
    jf__path_ws_free(ws);
    jf__model_free(model);
    *K_out = K;
    return samples;
}

/* Exact mode puts every path's annual value in its series-year's row, once:
 * the statistics of each series-year are those of jf__stats_compute over
 * the paths simulated one by one, bit for bit, so a value lost, duplicated
 * or put in another row shows.  (A different order within a row would only
 * move the compensated means in the last bits, if at all, and no output
 * depends on it.)  4,096 paths go through the streaming stores of the
 * transposition, 4,099 through the plain copy. */
static void test_exact_rows_in_path_order(void **state)
{
    (void)state;
    const uint64_t sizes[2] = {4096, 4099};
    for (int c = 0; c < 2; c++) {
        const uint64_t n = sizes[c];
        jf_scenario *sc = stochastic_scenario(n);
        jf_run_options opt = {2, 0, NULL, NULL};
        jf_results *res = NULL;
        jf_error err;
        assert_int_equal(jf_run(sc, &opt, &res, &err), JF_OK);
        assert_false(res->sketch_mode);
        size_t K;
        double *samples = simulate_samples(sc, n, &K);
        assert_int_equal(K, jf__results_n_series_stats(res));
        jf_stats *want = calloc(K, sizeof *want);
        assert_non_null(want);
        for (size_t k = 0; k < K; k++)
            jf__stats_compute(samples + k * n, (size_t)n, false, NULL, &want[k]);
        assert_same_stats(res->series_stats, want, K, "series-year");
        free(want);
        free(samples);
        jf_results_free(res);
        scenario_delete(sc);
    }
}

/* Sketch-mode percentiles lie within ±0.1 percentile rank of the exact
 * sample: each reported value v must be placed, in the sorted sample of that
 * series-year, within 0.001·n positions of h = (n-1)·p.  The sample is made
 * here by simulating every path again (paths are independent of threads).
 * The exact-mode run must give the exact PERCENTILE.INC. */
static size_t check_sketch_rank_error(size_t pilot)
{
    const uint64_t n = 6000;
    jf_scenario *sc = stochastic_scenario(n);
    jf_run_options sketch_opt = {2, 1, NULL, NULL};
    jf_run_options exact_opt = {2, 0, NULL, NULL};
    jf_results *sk = NULL, *ex = NULL;
    jf_error err;
    jf__run_set_pilot_paths(pilot);
    assert_int_equal(jf_run(sc, &sketch_opt, &sk, &err), JF_OK);
    jf__run_set_pilot_paths(0);
    assert_int_equal(jf_run(sc, &exact_opt, &ex, &err), JF_OK);
    assert_true(sk->sketch_mode);
    assert_false(ex->sketch_mode);
    size_t fallbacks = sk->annual_fallbacks;

    size_t K;
    double *samples = simulate_samples(sc, n, &K);
    assert_int_equal(K, jf__results_n_series_stats(sk));

    size_t checked = 0, kept = 0;
    size_t bracket_pilot = pilot == 0 || pilot > n ? (size_t)n : pilot;
    for (size_t k = 0; k < K; k++) {
        double *x = samples + k * n;
        /* A percentile the series-year's bracket certifies (the same values
         * in path order, the same pilot) is reported as it is, bit for bit,
         * also when another level of that series-year needed the fallback. */
        jf__qbracket *qb = jf__qbracket_alloc(jf__pct_levels, JF_N_PCT, bracket_pilot);
        assert_non_null(qb);
        assert_int_equal(jf__qbracket_add(qb, x, n), 0);
        double qv[JF_N_PCT];
        bool qc[JF_N_PCT];
        assert_int_equal(jf__qbracket_quantiles(qb, 0.001, qv, qc), 0);
        jf__qbracket_free(qb);
        for (int q = 0; q < JF_N_PCT; q++)
            if (qc[q]) {
                if (sk->series_stats[k].pct[q] != qv[q])
                    fail_msg("series-year %zu level %d: %.17g, certified by its bracket %.17g", k,
                             q, sk->series_stats[k].pct[q], qv[q]);
                kept++;
            }
        gsl_sort(x, 1, n);
        const jf_stats *a = &sk->series_stats[k], *e = &ex->series_stats[k];
        assert_int_equal(a->n, n);
        assert_int_equal(e->n, n);
        assert_true(fabs(a->mean - e->mean) <= 1e-9 * fmax(1.0, fabs(e->mean)));
        assert_true(fabs(a->sd - e->sd) <= 1e-7 * fmax(1.0, fabs(e->sd)));
        for (int q = 0; q < 5; q++) {
            double p = (double)(q == 0 ? 5 : q == 1 ? 25 : q == 2 ? 50 : q == 3 ? 75 : 95) / 100.0;
            double h = (double)(n - 1) * p;
            size_t j = (size_t)floor(h);
            double want = x[j] + (h - (double)j) * (j + 1 < n ? x[j + 1] - x[j] : 0.0);
            assert_true(e->has_pct[q]);
            assert_true(fabs(e->pct[q] - want) <= 1e-12 * fmax(1.0, fabs(want)));

            assert_true(a->has_pct[q]);
            double v = a->pct[q];
            size_t below = jf_test_count_less(x, n, v), upto = jf_test_count_leq(x, n, v);
            /* v sits at positions [below - 1, upto] of the sorted sample. */
            double slack = 0.001 * (double)n;
            if (!((double)upto >= h - slack && (double)below - 1.0 <= h + slack))
                fail_msg("series-year %zu p%d: sketch %.17g at positions [%zu, %zu], exact h %.1f",
                         k, (int)(p * 100 + 0.5), v, below, upto, h);
            checked++;
        }
    }
    assert_true(checked == 5 * K);
    assert_true(kept > 0);

    free(samples);
    jf_results_free(sk);
    jf_results_free(ex);
    scenario_delete(sc);
    return fallbacks;
}

/* 6,000 paths fit in the default pilot (16,384): the brackets hold every
 * value and their percentiles are exact. */
static void test_sketch_rank_error(void **state)
{
    (void)state;
    assert_int_equal(check_sketch_rank_error(0), 0);
}

/* A pilot of 2,048 paths: the percentiles come from the bracketing
 * histograms, certified within ±0.1 percentile rank. */
static void test_bracket_rank_error(void **state)
{
    (void)state;
    (void)check_sketch_rank_error(2048);
}

/* A pilot of 8 paths cannot place the bin edges finely enough: the levels
 * it cannot certify go to the fallback pass (quantile sketches over a second
 * simulation), and every percentile is still within ±0.1 percentile rank. */
static void test_bracket_fallback(void **state)
{
    (void)state;
    assert_true(check_sketch_rank_error(8) > 0);
}

/* A pilot of 200 paths: edges one pilot rank (~30 ranks of 6,000) apart, so
 * some levels of a series-year are certified (h within 6 ranks of an edge)
 * and others go to the fallback pass, which must leave the certified ones as
 * the bracket gave them (check_sketch_rank_error). */
static void test_bracket_partial_fallback(void **state)
{
    (void)state;
    assert_true(check_sketch_rank_error(200) > 0);
}

typedef struct {
    int calls;
    uint64_t last_done;
    uint64_t total;
    bool monotone;
    int finished; /* calls with done == total */
} progress_log;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_log *log = ctx;
    if (done < log->last_done || done > total || log->finished > 0)
        log->monotone = false;
    log->calls++;
    log->finished += done == total;
    log->last_done = done;
    log->total = total;
}

static void test_progress(void **state)
{
    (void)state;
    jf_scenario *sc = stochastic_scenario(2000);
    progress_log log = {0, 0, 0, true, 0};
    jf_run_options opt = {2, 0, on_progress, &log};
    jf_results *res = NULL;
    jf_error err;
    assert_int_equal(jf_run(sc, &opt, &res, &err), JF_OK);
    assert_true(log.monotone);
    assert_true(log.calls >= 1);
    /* At most ~5 calls a second, plus the final one. */
    assert_true(log.calls <= 2 + (int)(5.0 * jf_results_seconds(res) + 1.0));
    assert_int_equal(log.last_done, 2000);
    assert_int_equal(log.total, 2000);
    jf_results_free(res);
    scenario_delete(sc);
}

/* Memory planning in sketch mode (run.c plan_sketch_rows): a budget that
 * holds the brackets after their pilots and every metric row, but not the
 * pilots themselves (16,384 values per series-year), runs in one pass: the
 * pilots are over budget whatever is planned, and re-simulating every path
 * would only save the rows' first 16,384 entries.  A budget that cannot hold
 * the rows takes more passes.  Both give the exact-mode summary.csv. */
static void test_sketch_budget_plan(void **state)
{
    (void)state;
    jf_scenario *sc = stochastic_scenario(40000);
    char *exact_summary, *exact_annual, *summary, *annual;
    jf_results *res;
    run_and_write(sc, 2, 0, &exact_summary, &exact_annual, &res);
    assert_false(res->sketch_mode);
    size_t K = jf__results_n_series_stats(res), M = res->catalogue.n_metrics;
    jf_results_free(res);
    /* Less than exact mode needs ((K + M)·n·8 bytes) and less than the
     * pilots plus every metric row, but room for the rows, the brackets
     * after their pilots (~24 KiB each), the group buffer (<= budget/8) and
     * the threads' buffers within 15/16 of the budget. */
    size_t rows = M * 40000 * sizeof(double), pilots = K * 16384 * sizeof(double);
    size_t exact_bytes = (K + M) * 40000 * sizeof(double);
    size_t budget = (rows + K * 40 * 1024 + ((size_t)4 << 20)) * 16 / 15 * 8 / 7;
    assert_true(budget < exact_bytes);
    assert_true(budget < pilots + rows);
    run_and_write(sc, 2, budget, &summary, &annual, &res);
    assert_true(res->sketch_mode);
    assert_int_equal(res->metric_passes, 1);
    assert_string_equal(summary, exact_summary);
    jf_results_free(res);
    free(summary);
    free(annual);
    /* Room for the brackets but for only a few metric rows: more passes. */
    run_and_write(sc, 2, K * 40 * 1024 + ((size_t)8 << 20) + 4 * 40000 * sizeof(double), &summary,
                  &annual, &res);
    assert_true(res->sketch_mode);
    assert_true(res->metric_passes > 1);
    assert_string_equal(summary, exact_summary);
    jf_results_free(res);
    free(summary);
    free(annual);
    free(exact_summary);
    free(exact_annual);
    scenario_delete(sc);
}

/* Extra simulation passes (a 1-byte budget: the metric rows a quarter at a
 * time; a pilot of 8: a fallback pass) are part of the progress: the count
 * never goes back, and "finished" (done == total) is said once, at the end,
 * not when the first pass ends. */
static void test_progress_passes(void **state)
{
    (void)state;
    jf_scenario *sc = stochastic_scenario(30000);
    progress_log log = {0, 0, 0, true, 0};
    jf_run_options opt = {2, 1, on_progress, &log};
    jf_results *res = NULL;
    jf_error err;
    jf__run_set_pilot_paths(8);
    assert_int_equal(jf_run(sc, &opt, &res, &err), JF_OK);
    jf__run_set_pilot_paths(0);
    assert_true(res->metric_passes >= 3);
    assert_true(res->annual_fallbacks > 0);
    assert_true(log.monotone);
    assert_int_equal(log.finished, 1);
    assert_int_equal(log.last_done, 30000);
    assert_int_equal(log.total, 30000);
    jf_results_free(res);
    scenario_delete(sc);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    jf_scenario *sc = deterministic_scenario(5);
    jf_results *res = (jf_results *)sc; /* must be reset to NULL */
    jf_error err;
    assert_int_equal(jf_run(NULL, NULL, &res, &err), JF_ERR_USAGE);
    assert_null(res);
    jf_run_options opt = {-1, 0, NULL, NULL};
    assert_int_equal(jf_run(sc, &opt, &res, &err), JF_ERR_USAGE);
    assert_true(err.status == JF_ERR_USAGE && err.message[0] != '\0');
    assert_null(res);
    assert_int_equal(jf_run(sc, NULL, NULL, &err), JF_ERR_USAGE);
    /* Many more threads than blocks is fine, and NULL options mean defaults. */
    opt.threads = 64;
    assert_int_equal(jf_run(sc, &opt, &res, &err), JF_OK);
    assert_int_equal(jf_results_threads(res), 1);
    jf_results_free(res);
    assert_int_equal(jf_run(sc, NULL, &res, &err), JF_OK);
    jf_results_free(res);
    jf_results_free(NULL);
    assert_int_equal(jf_results_threads(NULL), 0);
    scenario_delete(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_hand_figures),
        cmocka_unit_test(test_thread_independence),
        cmocka_unit_test_teardown(test_isa_independence, restore_run_hooks),
        cmocka_unit_test(test_exact_rows_in_path_order),
        cmocka_unit_test_teardown(test_run_reuse, restore_run_hooks),
        cmocka_unit_test(test_sketch_rank_error),
        cmocka_unit_test(test_bracket_rank_error),
        cmocka_unit_test(test_bracket_fallback),
        cmocka_unit_test(test_bracket_partial_fallback),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_progress_passes),
        cmocka_unit_test(test_sketch_budget_plan),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
