/*
 * cmd_sensitivity.c — `jfsim sensitivity`: run the scenario's sensitivity
 * section (jf_sensitivity_run: sobol, tornado or contribution), write
 * OUTDIR/sensitivity.csv and OUTDIR/manifest.json, and print a short human
 * summary: per output, the most important parameters (at most 5) with their
 * total and first-order Sobol indices, tornado swings, or rank correlations
 * and shares of variance.  A progress line (points done/total, paths/s, ETA)
 * goes to stderr when it is a terminal, unless --quiet.  A scenario without
 * a sensitivity section is an input error (exit 2).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define TOP_PARAMETERS 5


static void print_interval(double lo, double hi)
{
    if (isfinite(lo) && isfinite(hi))
        printf(" [%.3f, %.3f]", lo, hi);
}

static void print_value(double v)
{
    if (!isfinite(v))
        printf("%12s", "-");
    else if (fabs(v) >= 1e9)
        printf("%11.2fbn", v / 1e9);
    else if (fabs(v) >= 1e6)
        printf("%11.2fm ", v / 1e6);
    else
        printf("%12.4g", v);
}

/* The value of `statistic` for (output, parameter), or NULL. */
static const jf_sens_row *find(const jf_sens_results *r, const char *output, const char *parameter,
                               const char *statistic)
{
    size_t n = jf_sens_results_count(r);
    for (size_t i = 0; i < n; i++) {
        const jf_sens_row *row = jf_sens_results_row(r, i);
        if (!strcmp(row->output, output) && !strcmp(row->parameter, parameter) &&
            !strcmp(row->statistic, statistic))
            return row;
    }
    return NULL;
}

/* One line for a parameter of an output. */
static void print_parameter(const jf_sens_results *r, jf_sens_method method, const char *output,
                            const char *parameter)
{
    printf("    %-44s", parameter);
    if (method == JF_SENS_SOBOL) {
        const jf_sens_row *st = find(r, output, parameter, "ST"), *s1 = find(r, output, parameter, "S1");
        if (st && isfinite(st->value)) {
            printf(" ST %6.3f", st->value);
            print_interval(st->ci_low, st->ci_high);
        } else {
            printf(" ST      -");
        }
        if (s1 && isfinite(s1->value)) {
            printf("  S1 %6.3f", s1->value);
            print_interval(s1->ci_low, s1->ci_high);
        }
    } else if (method == JF_SENS_TORNADO) {
        const jf_sens_row *lo = find(r, output, parameter, "low"), *hi = find(r, output, parameter, "high"),
                          *sw = find(r, output, parameter, "swing");
        printf(" low");
        print_value(lo ? lo->value : NAN);
        printf("  high");
        print_value(hi ? hi->value : NAN);
        printf("  swing");
        print_value(sw ? sw->value : NAN);
    } else {
        const jf_sens_row *rho = find(r, output, parameter, "spearman"),
                          *sh = find(r, output, parameter, "variance_share");
        if (rho && isfinite(rho->value)) {
            printf(" rank corr %+6.3f", rho->value);
            print_interval(rho->ci_low, rho->ci_high);
        } else {
            printf(" rank corr      -");
        }
        if (sh && isfinite(sh->value))
            printf("  share of variance %5.1f%%", 100.0 * sh->value);
    }
    printf("\n");
}

static void print_summary(const jf_sens_results *r)
{
    static const char *const names[] = {"Sobol indices", "tornado", "contribution to variance"};
    jf_sens_method method = jf_sens_results_method(r);
    printf("%s: %s, %zu point%s x %llu paths, %.2f s\n", jf_sens_results_scenario_name(r), names[method],
           jf_sens_results_points(r), jf_sens_results_points(r) == 1 ? "" : "s",
           (unsigned long long)jf_sens_results_paths(r), jf_sens_results_seconds(r));
    size_t n = jf_sens_results_count(r);
    const char *output = NULL, *parameter = NULL;
    int shown = 0;
    for (size_t i = 0; i < n; i++) {
        const jf_sens_row *row = jf_sens_results_row(r, i);
        if (!output || strcmp(output, row->output)) {
            output = row->output;
            parameter = NULL;
            shown = 0;
            printf("  %s%s\n", output,
                   method == JF_SENS_SOBOL ? " (by total index, 95% bootstrap intervals)"
                   : method == JF_SENS_TORNADO ? " (by swing = |high - low|)"
                                               : " (by |Spearman|, 95% intervals)");
        }
        if (parameter && !strcmp(parameter, row->parameter))
            continue;
        parameter = row->parameter;
        if (shown++ < TOP_PARAMETERS)
            print_parameter(r, method, output, parameter);
    }
    printf("Files: %s/sensitivity.csv, %s/manifest.json\n", jf_sens_results_outdir(r), jf_sens_results_outdir(r));
}

int cmd_sensitivity(const cli_options *o)
{
    /* Validate first, like run: a missing file or bad scenario is an input error (exit 2). */
    jf_scenario *checked = NULL;
    int rc = cli_load_scenario(o, &checked);
    if (rc >= 0)
        return rc;
    jf_scenario_free(checked);
    jf_error err;
    jf_error_clear(&err);
    cli_progress progress;
    jf_sens_options so;
    cli_study_options(o, &progress, &so.study);

    jf_sens_results *res = NULL;
    if (jf_sensitivity_run(&so, &res, &err) != JF_OK) {
        if (so.study.progress)
            cli_progress_clear();
        return cli_print_error(&err);
    }
    print_summary(res);
    jf_sens_results_free(res);
    return EXIT_OK;
}
