/*
 * results.h — the jf_results object (internal layout).
 *
 * jf_run fills one of these: a private copy of the model's catalogue (the
 * summary rows and annual series, in output order), one jf_stats per summary
 * row and one per (series, year), and the facts about the run that
 * manifest.json reports.  The writers (output.c) only read it; they never
 * compute statistics.  Tests may build one by hand with jf__results_alloc.
 *
 *   metric_stats[m]              m < n_metrics
 *   series_stats[s * T + t - 1]  s < n_series, t = 1..T, T = catalogue.horizon
 */
#ifndef JF_RESULTS_H
#define JF_RESULTS_H

#include "jfsim.h"
#include "path_sim.h"

struct jf_results {
    jf__catalogue catalogue;  /* metrics/series arrays owned by the results */
    jf_stats *metric_stats;   /* catalogue.n_metrics entries */
    jf_stats *series_stats;   /* catalogue.n_series * catalogue.horizon entries */
    uint64_t paths;
    uint64_t seed;
    int threads;              /* threads that ran */
    double seconds;           /* wall time of jf_run */
    double start_time;        /* seconds since the epoch, when jf_run began */
    double end_time;          /* ... and when it ended */
    bool sketch_mode;         /* annual percentiles summarised (quantile_bracket.h), not stored */
    size_t annual_fallbacks;  /* series-years whose percentiles needed the fallback pass (run.c) */
    int metric_passes;        /* simulations of every path: 1, or more when the exact
                               * per-path metrics did not fit the memory budget (run.c) */
};

/* A results object with a copy of `catalogue` and zeroed statistics (all
 * missing).  Returns JF_ERR_NOMEM (err filled) on allocation failure, *out NULL. */
jf_status jf__results_alloc(const jf__catalogue *catalogue, jf_results **out, jf_error *err);

/* Number of annual statistics records (n_series * horizon).  This function can't fail. */
size_t jf__results_n_series_stats(const jf_results *results);

/* Text of the memory mode, "exact" or "sketch".  This function can't fail. */
const char *jf__results_mode_str(const jf_results *results);

/*
 * Capture hook (for the contribution-to-variance study): jf__run_captured is
 * jf_run that also hands back, in path order, every path's metric values
 * (catalogue order, as simulated: before the statistics sort them) and every
 * path's drawn uncertain scalars with their parameter paths (path_sim.h).
 * The statistics and outputs are bit-identical to jf_run's; jf_run itself
 * is this function with no capture and pays nothing for it.
 */
typedef struct {
    uint64_t paths;
    size_t n_metrics;
    double *metrics;                  /* n_metrics × paths: metrics[m·paths + p] */
    size_t n_inputs;
    char (*input_paths)[JF_PATH_MAX]; /* n_inputs parameter paths */
    double *inputs;                   /* n_inputs × paths: inputs[i·paths + p] */
} jf__run_capture;

/* Run like jf_run and fill *capture (which the caller owns; its arrays are
 * new and freed with jf__run_capture_free).  On failure *capture holds no
 * arrays.  Errors as jf_run, plus JF_ERR_NOMEM for the capture buffers. */
jf_status jf__run_captured(const jf_scenario *scenario, const jf_run_options *options,
                           jf__run_capture *capture, jf_results **out, jf_error *err);

/*
 * Reuse between runs (a sweep's points, one sequence per worker): the big
 * sample arrays a run ends with (8 MB and more) are kept by the
 * jf__run_reuse instead of freed, and the next run takes those of exactly
 * the sizes it needs instead of asking the kernel for fresh pages, which
 * it must zero (a tenth of a small sweep's time).  A run frees the kept
 * buffers it does not take before it allocates its own, so its memory plan
 * holds; between runs the object holds what the last run ended with.
 * Results do not depend on it (every element is written before it is read).
 */
typedef struct jf__run_reuse jf__run_reuse;

/* An empty reuse object, or NULL when out of memory. */
jf__run_reuse *jf__run_reuse_alloc(void);

/* Free it and the buffers it holds.  Accepts NULL.  This function can't fail. */
void jf__run_reuse_free(jf__run_reuse *reuse);

/* Bytes of the buffers it holds (what they were allocated for).  This function can't fail. */
size_t jf__run_reuse_bytes(const jf__run_reuse *reuse);

/* How many buffers runs have taken from it so far.  This function can't fail. */
size_t jf__run_reuse_taken(const jf__run_reuse *reuse);

/* jf_run taking its big buffers from `reuse` and leaving them there
 * (reuse NULL: jf_run).  Not for two runs at once on one object. */
jf_status jf__run_reusing(const jf_scenario *scenario, const jf_run_options *options,
                          jf__run_reuse *reuse, jf_results **out, jf_error *err);

/* Test hook: the pilot sample of each series-year in sketch mode (run.c,
 * quantile_bracket.h) holds `paths` paths instead of the default 16384 (0
 * restores it).  Process-wide and not thread-safe: tests only.  This
 * function can't fail. */
void jf__run_set_pilot_paths(size_t paths);

/* Free the capture's arrays and zero it.  Accepts NULL.  This function can't fail. */
void jf__run_capture_free(jf__run_capture *capture);

#endif /* JF_RESULTS_H */
