/*
 * cmd_run.c — `jfsim run`: load and validate the scenario, simulate, write
 * summary.csv, annual.csv and manifest.json atomically, then print a short
 * human summary (per scheme: US NPV P5/P50/P95, probability of reaching the
 * comparison target by the horizon, median years to it) and where the files are.
 * A progress line goes to stderr when it is a terminal, unless --quiet.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- human summary ------------------------------------------------------ */

static void print_money(double v, bool ok)
{
    if (!ok) {
        printf("%11s", "-");
        return;
    }
    double a = fabs(v);
    if (a >= 1e9) printf("%9.2fbn", v / 1e9);
    else if (a >= 1e6) printf("%9.2fm ", v / 1e6);
    else printf("%11.0f", v);
}

static void print_summary(const jf_results *res, const jf_scenario *sc, const char *outdir)
{
    int threads = jf_results_threads(res);
    printf("%s: %llu path%s x %d year%s, seed %llu, %d thread%s, %.2f s\n", sc->name,
           (unsigned long long)sc->paths, sc->paths == 1 ? "" : "s", sc->horizon_years,
           sc->horizon_years == 1 ? "" : "s", (unsigned long long)sc->seed, threads,
           threads == 1 ? "" : "s", jf_results_seconds(res));
    printf("US NPV (USD, discounted at %g%% a year); P(target): share of paths whose US receipts\n"
           "(undiscounted) reach $%g bn by %d:\n",
           100.0 * sc->discount_rate, sc->comparison_target / 1e9, sc->start_year + sc->horizon_years - 1);
    printf("  %-16s %11s %11s %11s  %9s  %s\n", "scheme", "P5", "P50", "P95", "P(target)",
           "median years to target");
    for (size_t i = 0; i < sc->n_schemes; i++) {
        const char *name = sc->schemes[i].name;
        jf_stats npv, reached, years;
        bool has_npv = jf_results_summary(res, name, "us_npv", &npv);
        bool has_reached = jf_results_summary(res, name, "reached_target", &reached);
        bool has_years = jf_results_summary(res, name, "years_to_target", &years);
        printf("  %-16s ", name);
        print_money(npv.pct[0], has_npv && npv.has_pct[0]);
        printf(" ");
        print_money(npv.pct[2], has_npv && npv.has_pct[2]);
        printf(" ");
        print_money(npv.pct[4], has_npv && npv.has_pct[4]);
        if (has_reached && reached.has_mean && reached.mean > 0 && reached.mean < 0.0005)
            printf("  %9s", "<0.1%");
        else if (has_reached && reached.has_mean && reached.mean < 1 && reached.mean > 0.9995)
            printf("  %9s", ">99.9%");
        else if (has_reached && reached.has_mean)
            printf("  %8.1f%%", 100.0 * reached.mean);
        else
            printf("  %9s", "-");
        if (has_years && years.has_pct[2])
            printf("  %.0f\n", years.pct[2]);
        else
            printf("  not reached by the median path\n");
    }
    printf("Files: %s/summary.csv, %s/annual.csv, %s/manifest.json\n", outdir, outdir, outdir);
}

int cmd_run(const cli_options *o)
{
    jf_error err;
    jf_error_clear(&err);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);

    jf_scenario *sc = NULL;
    int rc = cli_load_scenario(o, &sc);
    if (rc >= 0)
        return rc;

    char outdir[4096];
    if (o->outdir)
        snprintf(outdir, sizeof outdir, "%s", o->outdir);
    else
        snprintf(outdir, sizeof outdir, "out/%s", sc->name);
    /* Fail before simulating, not after, when the folder cannot be written. */
    if (jf_output_prepare(outdir, &err) != JF_OK) {
        jf_scenario_free(sc);
        return cli_print_error(&err);
    }

    cli_progress progress;
    cli_progress_start(&progress);
    jf_run_options ro = {0};
    ro.threads = o->threads;
    ro.memory_budget = o->memory_budget;
    if (!o->quiet && isatty(STDERR_FILENO)) {
        ro.progress = cli_progress_paths;
        ro.progress_ctx = &progress;
    }

    jf_results *res = NULL;
    rc = EXIT_OK;
    if (jf_run(sc, &ro, &res, &err) != JF_OK) {
        rc = cli_print_error(&err);
    } else {
        jf_manifest_info info = {0};
        info.scenario_file = o->scenario;
        info.command_line = o->command_line;
        info.overrides = o->overrides;
        info.n_overrides = o->n_overrides;
        info.start_time = (double)wall.tv_sec + 1e-9 * (double)wall.tv_nsec;
        if (jf_write_outputs(res, sc, outdir, &o->format, &info, &err) != JF_OK)
            rc = cli_print_error(&err);
        else
            print_summary(res, sc, outdir);
    }
    jf_results_free(res);
    jf_scenario_free(sc);
    return rc;
}

