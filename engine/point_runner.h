/*
 * point_runner.h — run a scenario at many parameter points (internal).
 *
 * Shared by the sweep driver (sweep.c) and the sensitivity studies.  A point
 * is a list of (parameter path, value) overrides applied AFTER the caller's
 * base overrides (--set, -n, --seed).  Each point is run by re-validating
 * the scenario text with those overrides, the values printed with "%.17g"
 * (an exact round trip), and then calling jf_run.  Point k's results are
 * therefore the results of `jfsim run FILE --set ... --set P1=V1 --set
 * P2=V2 ...` number for number, defaults that follow other keys included
 * (cost_escalation = inflation, ...), and every point uses the same random
 * streams (MODEL.md §1: path p of point k = path p of point 0).
 *
 * Parallelism never changes a result:
 *   - JF__POINTS_SEQUENTIAL: one point after another, each with all threads
 *     (jf_run splits its paths);
 *   - JF__POINTS_PARALLEL: several points at once (OpenMP parallel for over
 *     points, schedule dynamic), each point with one thread;
 *   - JF__POINTS_AUTO: sequential when one point has enough paths to keep
 *     every thread busy (at least JF__POINTS_PATHS_PER_THREAD paths per
 *     thread), parallel otherwise.  Concurrent points are also limited so
 *     that their exact sample buffers fit the memory budget.
 * Every point gets the caller's full memory budget for its exact-or-sketch
 * decision, so that decision (and annual.csv) is the same in both modes.
 *
 * Before anything is simulated, every point that is not skipped is loaded
 * and validated once (in parallel), so an invalid point (a value the loader
 * rejects) stops the job with no result delivered; the error reported is
 * that of the lowest-numbered invalid point.
 *
 * The `done` callback is called exactly once per finished point, from one
 * thread at a time (under a lock), in completion order — which is not point
 * order in parallel mode.  If it returns an error, no further point starts,
 * points already running finish without a callback, and jf__points_run
 * returns that error (the callback fills `err`).
 */
#ifndef JF_POINT_RUNNER_H
#define JF_POINT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jfsim.h"

/* AUTO runs points one after another when paths >= threads × this. */
#define JF__POINTS_PATHS_PER_THREAD 2048u

typedef enum {
    JF__POINTS_AUTO = 0,
    JF__POINTS_SEQUENTIAL,
    JF__POINTS_PARALLEL
} jf__points_mode;

/* One finished point.  `scenario` is the point's validated scenario (base
 * and point overrides applied) and `results` its results; both are owned by
 * the runner and freed after the callback returns.  `overrides` are the
 * n_overrides base-then-point overrides the scenario was loaded with (valid
 * during the call only; use them for a per-point manifest).  Return JF_OK to
 * go on, or an error status with `err` filled to stop the job. */
typedef jf_status (*jf__point_done_fn)(void *ctx, size_t point, const jf_scenario *scenario,
                                       const jf_results *results, const jf_override *overrides,
                                       size_t n_overrides, jf_error *err);

/* Progress: `points_done` finished points of this job (skipped ones not
 * counted), `paths_done` paths simulated so far by this job (partial points
 * included in sequential mode).  Called from one thread at a time, at most a
 * few times per second and once at the end of each point. */
typedef void (*jf__points_progress_fn)(void *ctx, size_t points_done, uint64_t paths_done);

typedef struct {
    /* The scenario: its file text (not copied; must outlive the call) and a
     * name used in messages and as the default scenario name (the file path). */
    const char *text;
    size_t len;
    const char *name;
    /* Base overrides, applied first (may be NULL when n_overrides is 0). */
    const jf_override *overrides;
    size_t n_overrides;
    /* The swept parameters and the points: values[k * n_params + j] is the
     * value of params[j] at point k. */
    size_t n_params;
    const char *const *params;
    size_t n_points;
    const double *values;
    /* NULL, or n_points flags: skip[k] true = point k is already done (resume). */
    const bool *skip;
    /* threads (0 = all cores) and memory_budget (0 = 2 GiB) of every point;
     * the progress fields of jf_run_options are ignored (use `progress`). */
    jf_run_options run;
    jf__points_mode mode;
    jf__point_done_fn done;            /* required */
    void *done_ctx;
    jf__points_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
} jf__points_job;

/* Run every point of `job` that is not skipped.  Returns JF_OK when every
 * point ran and every callback returned JF_OK.  Otherwise: the loader's
 * error for an invalid point (err->message prefixed with "point K: "), a
 * jf_run error, JF_ERR_USAGE for a malformed job, JF_ERR_NOMEM, or the
 * callback's error.  Owns nothing after it returns. */
jf_status jf__points_run(const jf__points_job *job, jf_error *err);

/* The mode AUTO would choose and the number of points that would run at
 * once, for a job whose points have `paths` paths and (when known, else 0)
 * `bytes_per_point` of exact sample buffers.  `threads` 0 = all cores.  This
 * function can't fail. */
jf__points_mode jf__points_plan(const jf__points_job *job, uint64_t paths, size_t bytes_per_point,
                                int *concurrency);

#endif /* JF_POINT_RUNNER_H */
