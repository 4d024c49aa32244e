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
    bool sketch_mode;         /* annual percentiles from the quantile sketch */
};

/* A results object with a copy of `catalogue` and zeroed statistics (all
 * missing).  Returns JF_ERR_NOMEM (err filled) on allocation failure, *out NULL. */
jf_status jf__results_alloc(const jf__catalogue *catalogue, jf_results **out, jf_error *err);

/* Number of annual statistics records (n_series * horizon).  This function can't fail. */
size_t jf__results_n_series_stats(const jf_results *results);

/* Text of the memory mode, "exact" or "sketch".  This function can't fail. */
const char *jf__results_mode_str(const jf_results *results);

#endif /* JF_RESULTS_H */
