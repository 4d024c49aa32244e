/*
 * cli.h — what the jfsim command's files share: parsed options, exit codes,
 * error printing.  Each command lives in its own file (cmd_<name>.c); the
 * CLI uses only the public header jfsim.h.
 */
#ifndef JF_CLI_H
#define JF_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "jfsim.h"

enum { EXIT_OK = 0, EXIT_FAILURE_OTHER = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *command;
    const char *scenario;
    const char *outdir;
    jf_override *overrides;
    size_t n_overrides;
    char paths_arg[64];
    char seed_arg[64];
    int threads;
    size_t memory_budget;
    jf_csv_format format;
    bool quiet;
    char *command_line; /* argv joined with shell quoting, for manifest.json (owned) */
    bool per_point;   /* sweep: also write each point's summary.csv and annual.csv */
    bool resume;      /* sweep: skip points finished by an earlier, interrupted run */
} cli_options;

/* Parse the command line.  Returns -1 to go on, or the exit status to end with
 * (after --help, --version or a usage error, which it has printed). */
int cli_parse_args(int argc, char **argv, cli_options *o);

/* Print "FILE:LINE:COL: error: PATH: message" to stderr; return the exit status for it. */
int cli_print_error(const jf_error *err);

/* Print "jfsim: <message>" and a hint to stderr (a usage error). */
void cli_usage_error(const char *fmt, const char *arg);

/* Load and validate o->scenario with o's overrides.  On failure prints the
 * error and returns the exit status (2 for anything wrong with the input,
 * including a missing or unreadable file; 1 for out of memory); else -1. */
int cli_load_scenario(const cli_options *o, jf_scenario **out);

/* Seconds on a monotonic clock. */
double cli_now(void);

/* A progress line on stderr, redrawn at most five times a second: "[POINTS]
 * paths done/total, paths/s, ETA".  Used through the callbacks below, with a
 * cli_progress as their context. */
typedef struct {
    double start;
    double last;
} cli_progress;

/* Start a progress line now.  This function can't fail. */
void cli_progress_start(cli_progress *p);
/* jf_progress_fn of jf_run. */
void cli_progress_paths(void *ctx, uint64_t paths_done, uint64_t paths_total);
/* jf_points_progress_fn of sweeps and sensitivity studies. */
void cli_progress_points(void *ctx, const jf_points_progress *progress);
/* Clear the progress line (after an error, say).  This function can't fail. */
void cli_progress_clear(void);

/* The options every study of many points takes (sweep, sensitivity), from
 * the command line; the progress line (when stderr is a terminal and not
 * --quiet) draws through `progress`, which must outlive the study.  This
 * function can't fail. */
void cli_study_options(const cli_options *o, cli_progress *progress, jf_study_options *out);

/* The commands; each returns the process exit status. */
int cmd_check(const cli_options *o);
int cmd_run(const cli_options *o);
int cmd_sweep(const cli_options *o);
int cmd_sensitivity(const cli_options *o);

#endif /* JF_CLI_H */
