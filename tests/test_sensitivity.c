/*
 * test_sensitivity.c — the sensitivity driver (engine/sensitivity.c), the
 * contribution statistics (engine/contribution.c) and the run driver's
 * capture hook (jf__run_captured, results.h), on scenarios whose answers are
 * known by hand (tests/data/sens_*.yaml explain each figure):
 *   - tornado on a deterministic scenario: us_npv = 1500·c·r, ukraine_npv =
 *     3000·r − 1500·c·r, so every low/base/high/swing is hand arithmetic;
 *   - sobol end to end on the same model over a box: closed-form indices of a
 *     product of independent uniforms inside the bootstrap intervals;
 *   - contribution with one uncertain scalar that drives the output
 *     (Spearman exactly 1) and one that cannot (0 within sampling error);
 *   - errors: no sensitivity section, parameters in a contribution study,
 *     n < 2 for sobol, a contribution study without uncertain scalars.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "contribution.h"
#include "results.h"
#include "sensitivity.h"

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/jf_test_sens_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static jf_sens_results *run_study(const char *file, const char *sub, const jf_override *ov, size_t n_ov,
                                  int threads)
{
    char path[512], outdir[512];
    snprintf(path, sizeof path, "%s/%s", JF_TEST_DATA, file);
    snprintf(outdir, sizeof outdir, "%s/%s", tmpdir, sub);
    jf_sens_options so;
    memset(&so, 0, sizeof so);
    so.study.scenario_file = path;
    so.study.overrides = ov;
    so.study.n_overrides = n_ov;
    so.study.outdir = outdir;
    so.study.threads = threads;
    jf_sens_results *res = NULL;
    jf_error err;
    jf_status st = jf_sensitivity_run(&so, &res, &err);
    if (st != JF_OK) {
        char text[2048];
        jf_error_format(&err, text, sizeof text);
        print_error("%s\n", text);
    }
    assert_int_equal(st, JF_OK);
    assert_non_null(res);
    return res;
}

static const jf_sens_row *row_of(const jf_sens_results *r, const char *output, const char *parameter,
                                 const char *statistic)
{
    for (size_t i = 0; i < jf_sens_results_count(r); i++) {
        const jf_sens_row *row = jf_sens_results_row(r, i);
        if (!strcmp(row->output, output) && !strcmp(row->parameter, parameter) && !strcmp(row->statistic, statistic))
            return row;
    }
    fail_msg("no row %s / %s / %s", output, parameter, statistic);
    return NULL;
}

static double value_of(const jf_sens_results *r, const char *output, const char *parameter, const char *statistic)
{
    return row_of(r, output, parameter, statistic)->value;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

#define CS "schemes.fund.contribution_share"
#define RR "resources.ore.royalty_rate"

/* us_npv = 1500·c·r (c base 0.5 in [0.2, 0.8]; r base 0.1 in [0.05, 0.2]):
 *   c: low 1500·0.2·0.1 = 30, high 1500·0.8·0.1 = 120, swing 90;
 *   r: low 1500·0.5·0.05 = 37.5, high 1500·0.5·0.2 = 150, swing 112.5 → rank 1.
 * ukraine_npv = 3000·r − 1500·c·r, base 300 − 75 = 225:
 *   c: low 300 − 30 = 270, high 300 − 120 = 180, swing 90;
 *   r: low 150 − 37.5 = 112.5, high 600 − 150 = 450, swing 337.5 → rank 1. */
static void test_tornado_by_hand(void **state)
{
    (void)state;
    jf_sens_results *r = run_study("sens_tornado.yaml", "tornado", NULL, 0, 0);
    assert_int_equal(jf_sens_results_method(r), JF_SENS_TORNADO);
    assert_int_equal(jf_sens_results_points(r), 5);
    const char *us = "fund.us_npv.mean", *ua = "fund.ukraine_npv.mean";
    const double tol = 1e-9;
    assert_true(fabs(value_of(r, us, CS, "low") - 30) < tol);
    assert_true(fabs(value_of(r, us, CS, "base") - 75) < tol);
    assert_true(fabs(value_of(r, us, CS, "high") - 120) < tol);
    assert_true(fabs(value_of(r, us, CS, "swing") - 90) < tol);
    assert_true(value_of(r, us, CS, "rank") == 2);
    assert_true(fabs(value_of(r, us, RR, "low") - 37.5) < tol);
    assert_true(fabs(value_of(r, us, RR, "high") - 150) < tol);
    assert_true(fabs(value_of(r, us, RR, "swing") - 112.5) < tol);
    assert_true(value_of(r, us, RR, "rank") == 1);
    assert_true(value_of(r, us, RR, "input_low") == 0.05 && value_of(r, us, RR, "input_high") == 0.2);
    assert_true(fabs(value_of(r, ua, CS, "low") - 270) < tol);
    assert_true(fabs(value_of(r, ua, CS, "base") - 225) < tol);
    assert_true(fabs(value_of(r, ua, CS, "high") - 180) < tol);
    assert_true(fabs(value_of(r, ua, RR, "low") - 112.5) < tol);
    assert_true(fabs(value_of(r, ua, RR, "high") - 450) < tol);
    assert_true(fabs(value_of(r, ua, RR, "swing") - 337.5) < tol);
    /* Deterministic: sd = 0, so the mean's interval is the point itself. */
    const jf_sens_row *b = row_of(r, us, CS, "base");
    assert_true(b->ci_low == b->value && b->ci_high == b->value);
    /* Rows: per output, the largest swing first, each parameter's 7 rows together. */
    assert_int_equal(jf_sens_results_count(r), 2 * 2 * 7);
    assert_string_equal(jf_sens_results_row(r, 0)->parameter, RR);
    assert_string_equal(jf_sens_results_row(r, 0)->statistic, "input_low");
    assert_string_equal(jf_sens_results_row(r, 7)->parameter, CS);
    assert_string_equal(jf_sens_results_row(r, 14)->output, ua);
    /* The CSV: header and one hand-checked row. */
    char path[600];
    snprintf(path, sizeof path, "%s/tornado/sensitivity.csv", tmpdir);
    const char *csv = slurp(path);
    assert_non_null(csv);
    assert_true(!strncmp(csv, "method,output,parameter,statistic,value,ci_low,ci_high\n", 55));
    assert_non_null(strstr(csv, "\ntornado,fund.us_npv.mean,resources.ore.royalty_rate,swing,112.5,,\n"));
    snprintf(path, sizeof path, "%s/tornado/manifest.json", tmpdir);
    const char *man = slurp(path);
    assert_non_null(man);
    assert_non_null(strstr(man, "\"method\": \"tornado\""));
    assert_non_null(strstr(man, "\"points\": 5"));
    jf_sens_results_free(r);
}

/* Tornado figures are `jfsim run --set` figures: the high point of c equals a
 * run of the scenario with contribution_share = 0.8, number for number.
 * With --set ore royalty 0.2 as a base override, every figure scales by 2. */
static void test_tornado_matches_run_and_overrides(void **state)
{
    (void)state;
    jf_override ov = {"resources.ore.royalty_rate", "0.2"};
    jf_sens_results *r = run_study("sens_tornado.yaml", "tornado_set", &ov, 1, 1);
    const char *us = "fund.us_npv.mean";
    assert_true(fabs(value_of(r, us, CS, "base") - 150) < 1e-9);   /* 1500·0.5·0.2 */
    assert_true(fabs(value_of(r, us, CS, "high") - 240) < 1e-9);   /* 1500·0.8·0.2 */

    char path[512];
    snprintf(path, sizeof path, "%s/sens_tornado.yaml", JF_TEST_DATA);
    jf_override ovs[2] = {{"resources.ore.royalty_rate", "0.2"}, {CS, "0.80000000000000004"}};
    jf_scenario *sc = NULL;
    jf_results *res = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(path, ovs, 2, &sc, &err), JF_OK);
    jf_run_options ro = {0};
    assert_int_equal(jf_run(sc, &ro, &res, &err), JF_OK);
    jf_stats st;
    assert_true(jf_results_summary(res, "fund", "us_npv", &st));
    assert_true(st.mean == value_of(r, us, CS, "high"));
    jf_results_free(res);
    jf_scenario_free(sc);
    jf_sens_results_free(r);
}

/* Sobol over c ~ U(0.2, 0.8), r ~ U(0.05, 0.2) (closed forms in sens_sobol.yaml):
 *   us_npv = 1500·c·r:            S_c = S_r = 0.471698, ST_c = ST_r = 0.528302;
 *   ukraine_npv = r·(3000 − 1500·c): with g = 3000 − 1500c, μ_g = 2250,
 *   Var g = 1500²·0.03 = 67500: V_r = μ_g²·Var r = 9492.1875,
 *   V_c = μ_r²·Var g = 1054.6875, V_cr = Var g·Var r = 126.5625, V = 10673.4375:
 *   S_r = 0.889328, S_c = 0.098814, ST_r = 0.901186, ST_c = 0.110672.
 * Each analytic value inside its 95% bootstrap interval (n = 512, seed 3);
 * reached_target never varies: its indices are undefined (NaN). */
static void test_sobol_end_to_end(void **state)
{
    (void)state;
    jf_sens_results *r = run_study("sens_sobol.yaml", "sobol", NULL, 0, 0);
    assert_int_equal(jf_sens_results_points(r), 512 * 4);
    struct {
        const char *output, *param, *stat;
        double truth;
    } cases[] = {
        {"fund.us_npv.mean", CS, "S1", 0.00046875 / 0.00099375},
        {"fund.us_npv.mean", RR, "S1", 0.00046875 / 0.00099375},
        {"fund.us_npv.mean", CS, "ST", 0.000525 / 0.00099375},
        {"fund.us_npv.mean", RR, "ST", 0.000525 / 0.00099375},
        {"fund.ukraine_npv.mean", RR, "S1", 9492.1875 / 10673.4375},
        {"fund.ukraine_npv.mean", CS, "S1", 1054.6875 / 10673.4375},
        {"fund.ukraine_npv.mean", RR, "ST", (9492.1875 + 126.5625) / 10673.4375},
        {"fund.ukraine_npv.mean", CS, "ST", (1054.6875 + 126.5625) / 10673.4375},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const jf_sens_row *row = row_of(r, cases[i].output, cases[i].param, cases[i].stat);
        print_message("%s %s %s: %.4f [%.4f, %.4f] (true %.4f)\n", cases[i].output, cases[i].param, cases[i].stat,
                      row->value, row->ci_low, row->ci_high, cases[i].truth);
        assert_true(row->ci_low <= cases[i].truth && cases[i].truth <= row->ci_high);
        assert_true(fabs(row->value - cases[i].truth) < 0.05);
    }
    /* ukraine_npv: the royalty rate ranks first (by ST). */
    for (size_t i = 0; i < jf_sens_results_count(r); i++) {
        const jf_sens_row *row = jf_sens_results_row(r, i);
        if (!strcmp(row->output, "fund.ukraine_npv.mean")) {
            assert_string_equal(row->parameter, RR);
            break;
        }
    }
    const jf_sens_row *rt = row_of(r, "fund.reached_target.mean", CS, "ST");
    assert_true(isnan(rt->value) && isnan(rt->ci_low) && isnan(rt->ci_high));
    jf_sens_results_free(r);
}

/* The study does not depend on the thread count: byte-identical CSV for 1 and 2 threads. */
static void test_sobol_threads_identical(void **state)
{
    (void)state;
    jf_override ov = {"sensitivity.n", "64"};
    jf_sens_results *a = run_study("sens_sobol.yaml", "sobol_j1", &ov, 1, 1);
    jf_sens_results *b = run_study("sens_sobol.yaml", "sobol_j2", &ov, 1, 2);
    char pa[600], pb[600];
    snprintf(pa, sizeof pa, "%s/sobol_j1/sensitivity.csv", tmpdir);
    snprintf(pb, sizeof pb, "%s/sobol_j2/sensitivity.csv", tmpdir);
    char *ta = strdup(slurp(pa));
    const char *tb = slurp(pb);
    assert_string_equal(ta, tb);
    free(ta);
    jf_sens_results_free(a);
    jf_sens_results_free(b);
}

/* fund.us_npv = 150·c with c drawn per path: Spearman exactly 1 (identical
 * ranks), interval [1, 1]; the repayment's interest rate cannot move the
 * fund: |ρ| < 4 standard errors (1/sqrt(n − 3), n = 2000) and its interval
 * holds 0; rep.us_npv = 150 on every path: undefined (NaN). */
static void test_contribution(void **state)
{
    (void)state;
    jf_sens_results *r = run_study("sens_contribution.yaml", "contribution", NULL, 0, 0);
    assert_int_equal(jf_sens_results_method(r), JF_SENS_CONTRIBUTION);
    const char *us = "fund.us_npv";
    const jf_sens_row *c = row_of(r, us, CS, "spearman");
    assert_true(c->value == 1.0 && c->ci_low == 1.0 && c->ci_high == 1.0);
    const jf_sens_row *i = row_of(r, us, "schemes.rep.interest_rate", "spearman");
    assert_true(fabs(i->value) < 4.0 / sqrt(1997.0));
    assert_true(i->ci_low < 0 && 0 < i->ci_high);
    double share_c = value_of(r, us, CS, "variance_share"),
           share_i = value_of(r, us, "schemes.rep.interest_rate", "variance_share");
    assert_true(fabs(share_c + share_i - 1.0) < 1e-12);
    assert_true(fabs(share_c - 1.0 / (1.0 + i->value * i->value)) < 1e-12);  /* 1/(1 + ρ_i²) */
    assert_true(isnan(value_of(r, "rep.us_npv", CS, "spearman")));
    /* Ranked by |ρ|: the contribution share first. */
    assert_string_equal(jf_sens_results_row(r, 0)->parameter, CS);
    jf_sens_results_free(r);
}

/* The capture hook: statistics bit-identical to jf_run, captured values in
 * path order and aligned (fund.us_npv_p = 150·c_p on every path), and the
 * same capture for 1 and 3 threads. */
static void test_capture_hook(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/sens_contribution.yaml", JF_TEST_DATA);
    jf_scenario *sc = NULL;
    jf_error err;
    assert_int_equal(jf_scenario_load(path, NULL, 0, &sc, &err), JF_OK);
    jf_run_options ro = {0};
    ro.threads = 1;
    jf_results *plain = NULL, *cap1 = NULL, *cap3 = NULL;
    jf__run_capture c1, c3;
    assert_int_equal(jf_run(sc, &ro, &plain, &err), JF_OK);
    assert_int_equal(jf__run_captured(sc, &ro, &c1, &cap1, &err), JF_OK);
    ro.threads = 3;
    assert_int_equal(jf__run_captured(sc, &ro, &c3, &cap3, &err), JF_OK);
    assert_int_equal(plain->catalogue.n_metrics, cap1->catalogue.n_metrics);
    assert_memory_equal(plain->metric_stats, cap1->metric_stats, plain->catalogue.n_metrics * sizeof(jf_stats));
    assert_memory_equal(plain->series_stats, cap1->series_stats, jf__results_n_series_stats(plain) * sizeof(jf_stats));

    assert_int_equal(c1.n_inputs, 2);
    assert_string_equal(c1.input_paths[0], CS);
    assert_string_equal(c1.input_paths[1], "schemes.rep.interest_rate");
    assert_true(c1.paths == 2000 && c1.n_metrics == plain->catalogue.n_metrics);
    size_t m_us = c1.n_metrics;
    for (size_t m = 0; m < c1.n_metrics; m++)
        if (!strcmp(plain->catalogue.metrics[m].scheme, "fund") && !strcmp(plain->catalogue.metrics[m].metric, "us_npv"))
            m_us = m;
    assert_true(m_us < c1.n_metrics);
    double sum = 0;
    for (size_t p = 0; p < 2000; p++) {
        double cp = c1.inputs[p], ip = c1.inputs[2000 + p];
        assert_true(cp >= 0.2 && cp <= 0.8 && ip >= 0 && ip <= 0.1);
        assert_true(fabs(c1.metrics[m_us * 2000 + p] - 150.0 * cp) < 1e-9);
        sum += c1.metrics[m_us * 2000 + p];
    }
    /* The captured (unsorted) samples have the reported mean. */
    assert_true(fabs(sum / 2000 - plain->metric_stats[m_us].mean) < 1e-9);
    assert_memory_equal(c1.inputs, c3.inputs, 2 * 2000 * sizeof(double));
    assert_memory_equal(c1.metrics, c3.metrics, c1.n_metrics * 2000 * sizeof(double));
    jf__run_capture_free(&c1);
    jf__run_capture_free(&c3);
    jf__run_capture_free(NULL);
    jf_results_free(plain);
    jf_results_free(cap1);
    jf_results_free(cap3);
    jf_scenario_free(sc);
}

/* Spearman and shares on small hand cases. */
static void test_contribution_statistics(void **state)
{
    (void)state;
    /* Ranks with ties: x = (3, 1, 3, 2, INF) → positions 1:1, 2:2, 3-4:3 (avg 3.5), 5:INF. */
    const double x[5] = {3, 1, 3, 2, INFINITY};
    double rank[5];
    jf__rank_pair scratch[5];
    assert_true(jf__average_ranks(x, 5, rank, scratch));
    assert_true(rank[0] == 3.5 && rank[1] == 1 && rank[2] == 3.5 && rank[3] == 2 && rank[4] == 5);
    const double bad[2] = {1, NAN};
    assert_false(jf__average_ranks(bad, 2, rank, scratch));
    /* Pearson of (1,2,3) and (2,4,7): means 2, 13/3; Σdadb = (-1)(-7/3) + 0 + (1)(8/3) = 5;
     * Σda² = 2, Σdb² = 49/9 + 1/9 + 64/9 = 114/9; r = 5/sqrt(2·114/9) = 0.99339... */
    const double a[3] = {1, 2, 3}, b[3] = {2, 4, 7};
    assert_true(fabs(jf__pearson(a, b, 3) - 5.0 / sqrt(228.0 / 9.0)) < 1e-15);
    const double k[3] = {5, 5, 5};
    assert_true(isnan(jf__pearson(a, k, 3)));
    /* Two inputs over n = 8 paths: x0 = y (ρ = 1), x1 reversed rank pattern
     * (8,7,...,1) → ρ = −1; shares 1/2 each; y constant → NaN. */
    double xs[16], y[8];
    for (int p = 0; p < 8; p++) {
        y[p] = p * p;        /* monotone in p */
        xs[p] = p;
        xs[8 + p] = -p;
    }
    jf__contribution out[2];
    assert_int_equal(jf__contribution_compute(8, 2, xs, y, 0.95, out), JF__CONTRIB_OK);
    assert_true(out[0].rho == 1 && out[1].rho == -1);
    assert_true(out[0].share == 0.5 && out[1].share == 0.5);
    /* Fisher interval: for a permutation y = 17·p mod 28 of 28 paths the
     * bounds are tanh(atanh ρ ∓ 1.959964·sqrt((1 + ρ²/2)/25)); and by hand for
     * ρ = 0.5: z = 0.549306, se = sqrt(1.125/25) = 0.212132, lower bound
     * tanh(0.549306 − 0.415771) = tanh(0.133536) = 0.132750. */
    double x3[28], y3[28];
    for (int p = 0; p < 28; p++) {
        x3[p] = p;
        y3[p] = (p * 17) % 28;
    }
    assert_int_equal(jf__contribution_compute(28, 1, x3, y3, 0.95, out), JF__CONTRIB_OK);
    double rho = out[0].rho, z = atanh(rho), se = sqrt((1 + rho * rho / 2) / 25.0);
    assert_true(fabs(out[0].rho_lo - tanh(z - 1.959963984540054 * se)) < 1e-12);
    assert_true(fabs(out[0].rho_hi - tanh(z + 1.959963984540054 * se)) < 1e-12);
    assert_true(out[0].share == 1.0);
    assert_true(fabs(tanh(atanh(0.5) - 1.959963984540054 * sqrt(1.125 / 25)) - 0.132750) < 1e-5);
    for (int p = 0; p < 8; p++)
        y[p] = 1;
    assert_int_equal(jf__contribution_compute(8, 2, xs, y, 0.95, out), JF__CONTRIB_OK);
    assert_true(isnan(out[0].rho) && isnan(out[0].share) && isnan(out[1].rho_lo));
    assert_int_equal(jf__contribution_compute(0, 2, xs, y, 0.95, out), JF__CONTRIB_EINVAL);
}

static jf_status study_error(const char *text, jf_error *err, const char *outdir)
{
    jf_sens_options so;
    memset(&so, 0, sizeof so);
    so.study.scenario_file = "inline.yaml";
    so.study.scenario_text = text;
    so.study.scenario_len = strlen(text);
    so.study.outdir = outdir;
    jf_sens_results *res = (jf_sens_results *)&so; /* must be reset to NULL on failure */
    jf_status st = jf_sensitivity_run(&so, &res, err);
    assert_null(res);
    return st;
}

#define BASE_TEXT                                                                                  \
    "start_year: 2026\nhorizon_years: 3\nresources:\n"                                             \
    "  - {name: ore, kind: mineral, schedule: [10], price: {model: fixed, start: 100}}\n"          \
    "schemes:\n  - {name: fund, type: joint_fund}\n"

static void test_errors(void **state)
{
    (void)state;
    jf_error err;
    char outdir[600];
    snprintf(outdir, sizeof outdir, "%s/never", tmpdir);
    /* No sensitivity section: an input error (exit 2), nothing written. */
    assert_int_equal(study_error(BASE_TEXT, &err, outdir), JF_ERR_MISSING);
    assert_true(jf_status_is_input_error(err.status));
    assert_non_null(strstr(err.message, "no sensitivity section"));
    struct stat sb;
    assert_true(stat(outdir, &sb) != 0);
    /* Contribution without uncertain scalars: error at the section. */
    assert_int_equal(study_error(BASE_TEXT "sensitivity:\n  method: contribution\n", &err, outdir), JF_ERR_MISSING);
    assert_int_equal(err.line, 8);
    assert_non_null(strstr(err.message, "uncertain scalar"));
    /* Contribution with parameters: the loader rejects the key. */
    assert_int_equal(study_error(BASE_TEXT "sensitivity:\n  method: contribution\n  parameters:\n"
                                           "    schemes.fund.contribution_share: {min: 0.2, max: 0.8}\n",
                                 &err, outdir),
                     JF_ERR_UNKNOWN_KEY);
    assert_string_equal(err.path, "sensitivity.parameters");
    assert_int_equal(err.line, 9);
    /* Sobol with n = 1. */
    assert_int_equal(study_error(BASE_TEXT "sensitivity:\n  method: sobol\n  n: 1\n  parameters:\n"
                                           "    schemes.fund.contribution_share: {min: 0.2, max: 0.8}\n",
                                 &err, outdir),
                     JF_ERR_RANGE);
    assert_string_equal(err.path, "sensitivity.n");
    assert_int_equal(err.line, 9);
    assert_int_equal(err.column, 6);
    /* A misspelt parameter path: the loader's nearest-key hint. */
    assert_int_equal(study_error(BASE_TEXT "sensitivity:\n  method: tornado\n  parameters:\n"
                                           "    schemes.fund.contribution_shar: {min: 0.2, max: 0.8}\n",
                                 &err, outdir),
                     JF_ERR_REFERENCE);
    assert_non_null(strstr(err.message, "did you mean 'schemes.fund.contribution_share'"));
    assert_true(stat(outdir, &sb) != 0);
}

/* The CSV dialect: ';' separator and ',' decimal mark. */
static void test_csv_dialect(void **state)
{
    (void)state;
    jf_sens_results r;
    memset(&r, 0, sizeof r);
    jf_sens_row rows[1];
    memset(rows, 0, sizeof rows);
    snprintf(rows[0].output, sizeof rows[0].output, "fund.us_npv.mean");
    snprintf(rows[0].parameter, sizeof rows[0].parameter, "regime.p_end");
    snprintf(rows[0].statistic, sizeof rows[0].statistic, "S1");
    rows[0].value = 0.25;
    rows[0].ci_low = NAN;
    rows[0].ci_high = 1.5;
    r.rows = rows;
    r.n_rows = 1;
    r.method = JF_SENS_SOBOL;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    jf_csv_format fmt = {';', ','};
    jf__sens_write_csv(fp, &r, &fmt);
    fclose(fp);
    assert_string_equal(buf, "method;output;parameter;statistic;value;ci_low;ci_high\n"
                             "sobol;fund.us_npv.mean;regime.p_end;S1;0,25;;1,5\n");
    free(buf);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tornado_by_hand),
        cmocka_unit_test(test_tornado_matches_run_and_overrides),
        cmocka_unit_test(test_sobol_end_to_end),
        cmocka_unit_test(test_sobol_threads_identical),
        cmocka_unit_test(test_contribution),
        cmocka_unit_test(test_capture_hook),
        cmocka_unit_test(test_contribution_statistics),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_csv_dialect),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
