/*
 * cmd_sweep.c — `jfsim sweep`: run every point of the scenario's sweep
 * section (jf_sweep_run) and write OUTDIR/sweep.csv; with --per-point also
 * each point's summary.csv, annual.csv and manifest.json in
 * OUTDIR/points/<k>/; with --resume skip the points that OUTDIR/sweep.journal
 * records.  A progress line (points done/total, paths/s, ETA) goes to stderr
 * when it is a terminal, unless --quiet.  Exit status as for run.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"


int cmd_sweep(const cli_options *o)
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
    jf_sweep_options so = {0};
    cli_study_options(o, &progress, &so.study);
    so.per_point = o->per_point;
    so.resume = o->resume;

    jf_sweep_report rep;
    if (jf_sweep_run(&so, &rep, &err) != JF_OK) {
        if (so.study.progress)
            cli_progress_clear();
        return cli_print_error(&err);
    }
    printf("%s: %zu points over %zu parameter%s x %llu paths, %.2f s", rep.scenario_name, rep.points,
           rep.parameters, rep.parameters == 1 ? "" : "s", (unsigned long long)rep.paths, rep.seconds);
    if (rep.points_resumed)
        printf(" (%zu points taken from the journal of an interrupted run)", rep.points_resumed);
    printf("\nFiles: %s/sweep.csv, %s/sweep.journal%s\n", rep.outdir, rep.outdir,
           o->per_point ? ", and points/<k>/ per point" : "");
    return EXIT_OK;
}
