/*
 * point_runner.c — run a scenario at many parameter points (see point_runner.h).
 *
 * Layout: one "slot" per concurrent worker, allocated once before any point
 * runs: an override array (base overrides, then one per swept parameter),
 * the value texts ("%.17g", at most 24 characters + NUL) those overrides
 * point into, and a jf__run_reuse (results.h) through which each point's
 * run takes the sample arrays the worker's previous point left, instead
 * of fresh pages the kernel must zero.  A point therefore costs one scenario
 * load (parse + validate of the text, microseconds to a millisecond) and one
 * run; nothing else is allocated per point outside those two.
 *
 * The plan (MODEL.md §1 makes any split exact): a point with at least
 * JF__POINTS_PATHS_PER_THREAD paths per thread fills the cores by itself,
 * so points run one after another with all threads; below that, points run
 * in an OpenMP `parallel for schedule(dynamic, 1)`, each jf_run with one
 * thread (nested parallelism stays off, so jf_run's own region has a team
 * of one).  The number of points at once is also capped so that their exact
 * sample buffers, (n_metrics + n_series·T)·paths·8 bytes each, fit the
 * memory budget together.  Each point keeps the full budget for its own
 * exact-or-sketch decision, so no output depends on the plan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "path_sim.h"
#include "point_runner.h"
#include "results.h"

#define JF__VALUE_TEXT 32
#define JF__DEFAULT_BUDGET ((size_t)2 << 30)

/* One worker's override array and value texts. */
typedef struct {
    jf_override *ov;   /* n_overrides + n_params */
    char *text;        /* n_params × JF__VALUE_TEXT */
    jf__run_reuse *reuse; /* the big buffers of this worker's last point (results.h) */
} slot;

/* What the workers share. */
typedef struct {
    const jf__points_job *job;
    int stop;                 /* written under the lock, read atomically */
    jf_status status;         /* first error */
    jf_error *err;
    size_t points_done;
    uint64_t paths_done;      /* of finished points */
    uint64_t paths_per_point;
} shared_state;

static jf_status fail(jf_error *err, jf_status status, const char *msg)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return status;
}

/* Fill the slot's overrides for point k; returns the count.  This function can't fail. */
static size_t slot_fill(slot *s, const jf__points_job *job, size_t k)
{
    size_t n = job->n_overrides;
    for (size_t j = 0; j < job->n_params; j++) {
        char *t = s->text + j * JF__VALUE_TEXT;
        snprintf(t, JF__VALUE_TEXT, "%.17g", job->values[k * job->n_params + j]);
        s->ov[n].path = job->params[j];
        s->ov[n].value = t;
        n++;
    }
    return n;
}

/* Load point k's scenario into *out (err prefixed with "point K: " on failure). */
static jf_status point_load(slot *s, const jf__points_job *job, size_t k, jf_scenario **out,
                            jf_error *err)
{
    size_t n = slot_fill(s, job, k);
    jf_status st = jf_scenario_load_string(job->text, job->len, job->name, s->ov, n, out, err);
    if (st != JF_OK && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        snprintf(err->message, sizeof err->message, "point %zu: %.1000s", k, msg);
    }
    return st;
}

static void slots_free(slot *slots, int n)
{
    if (!slots)
        return;
    for (int i = 0; i < n; i++) {
        free(slots[i].ov);
        free(slots[i].text);
        jf__run_reuse_free(slots[i].reuse);
    }
    free(slots);
}

static slot *slots_alloc(const jf__points_job *job, int n)
{
    slot *slots = calloc((size_t)n, sizeof *slots);
    if (!slots)
        return NULL;
    for (int i = 0; i < n; i++) {
        slots[i].ov = calloc(job->n_overrides + job->n_params + 1, sizeof *slots[i].ov);
        slots[i].text = calloc(job->n_params + 1, JF__VALUE_TEXT);
        slots[i].reuse = jf__run_reuse_alloc();
        if (!slots[i].ov || !slots[i].text || !slots[i].reuse) {
            slots_free(slots, n);
            return NULL;
        }
        for (size_t j = 0; j < job->n_overrides; j++)
            slots[i].ov[j] = job->overrides[j];
    }
    return slots;
}

static int job_threads(const jf__points_job *job)
{
    int t = job->run.threads > 0 ? job->run.threads : omp_get_max_threads();
    return t > 0 ? t : 1;
}

jf__points_mode jf__points_plan(const jf__points_job *job, uint64_t paths, size_t bytes_per_point,
                                int *concurrency)
{
    int threads = job_threads(job);
    size_t todo = 0;
    for (size_t k = 0; k < job->n_points; k++)
        todo += !(job->skip && job->skip[k]);
    jf__points_mode mode = job->mode;
    if (mode == JF__POINTS_AUTO)
        mode = paths >= (uint64_t)threads * JF__POINTS_PATHS_PER_THREAD || threads == 1 || todo <= 1
                   ? JF__POINTS_SEQUENTIAL
                   : JF__POINTS_PARALLEL;
    int conc = 1;
    if (mode == JF__POINTS_PARALLEL) {
        conc = threads;
        if ((size_t)conc > todo)
            conc = todo > 0 ? (int)todo : 1;
        size_t budget = job->run.memory_budget ? job->run.memory_budget : JF__DEFAULT_BUDGET;
        if (bytes_per_point > 0) {
            size_t fit = budget / bytes_per_point;
            if (fit < 1)
                fit = 1;
            if ((size_t)conc > fit)
                conc = (int)fit;
        }
    }
    if (concurrency)
        *concurrency = conc;
    return mode;
}

/* Bytes of exact samples one point needs (0 when unknown). */
static size_t point_bytes(const jf_scenario *sc)
{
    jf__model *model = NULL;
    jf_error e;
    if (jf__model_alloc(sc, &model, &e) != JF_OK)
        return 0;
    const jf__catalogue *cat = jf__model_catalogue(model);
    double per_path = (double)cat->n_metrics +
                      (double)cat->n_series * (double)(cat->horizon > 0 ? cat->horizon : 0);
    double bytes = per_path * 8.0 * (double)sc->paths;
    jf__model_free(model);
    return bytes > 1e18 ? (size_t)1e18 : (size_t)bytes;
}

/* Deliver a finished point under the lock. */
static void deliver(shared_state *sh, size_t k, const jf_scenario *sc, const jf_results *res,
                    const slot *s)
{
    const jf__points_job *job = sh->job;
    if (sh->stop)
        return;
    jf_error e;
    jf_error_clear(&e);
    jf_status st = job->done(job->done_ctx, k, sc, res, s->ov, job->n_overrides + job->n_params, &e);
    if (st != JF_OK) {
#pragma omp atomic write
        sh->stop = 1;
        sh->status = st;
        if (sh->err)
            *sh->err = e;
        return;
    }
    sh->points_done++;
    sh->paths_done += sc->paths;
    if (job->progress)
        job->progress(job->progress_ctx, sh->points_done, sh->paths_done);
}

static void record_error(shared_state *sh, jf_status st, const jf_error *e)
{
    if (sh->stop)
        return;
#pragma omp atomic write
    sh->stop = 1;
    sh->status = st;
    if (sh->err)
        *sh->err = *e;
}

/* jf_run progress inside one sequential point. */
static void seq_progress(void *ctx, uint64_t done, uint64_t total)
{
    shared_state *sh = ctx;
    (void)total;
    if (done < total && sh->job->progress)
        sh->job->progress(sh->job->progress_ctx, sh->points_done, sh->paths_done + done);
}

static void run_sequential(shared_state *sh, slot *s)
{
    const jf__points_job *job = sh->job;
    jf_run_options ro = job->run;
    ro.progress = job->progress ? seq_progress : NULL;
    ro.progress_ctx = sh;
    for (size_t k = 0; k < job->n_points && !sh->stop; k++) {
        if (job->skip && job->skip[k])
            continue;
        jf_error e;
        jf_scenario *sc = NULL;
        jf_results *res = NULL;
        jf_status st = point_load(s, job, k, &sc, &e);
        if (st == JF_OK)
            st = jf__run_reusing(sc, &ro, s->reuse, &res, &e);
        if (st == JF_OK)
            deliver(sh, k, sc, res, s);
        else
            record_error(sh, st, &e);
        jf_results_free(res);
        jf_scenario_free(sc);
    }
}

static void run_parallel(shared_state *sh, slot *slots, int conc)
{
    const jf__points_job *job = sh->job;
    jf_run_options ro = job->run;
    ro.threads = 1;
    ro.progress = NULL;
    ro.progress_ctx = NULL;
    long long n = (long long)job->n_points;
#pragma omp parallel for schedule(dynamic, 1) num_threads(conc)
    for (long long i = 0; i < n; i++) {
        size_t k = (size_t)i;
        int stop;
#pragma omp atomic read
        stop = sh->stop;
        if (stop || (job->skip && job->skip[k]))
            continue;
        slot *s = &slots[omp_get_thread_num()];
        jf_error e;
        jf_scenario *sc = NULL;
        jf_results *res = NULL;
        jf_status st = point_load(s, job, k, &sc, &e);
        if (st == JF_OK)
            st = jf__run_reusing(sc, &ro, s->reuse, &res, &e);
#pragma omp critical(jf__points_lock)
        {
            if (st == JF_OK)
                deliver(sh, k, sc, res, s);
            else
                record_error(sh, st, &e);
        }
        jf_results_free(res);
        jf_scenario_free(sc);
    }
}

jf_status jf__points_run(const jf__points_job *job, jf_error *err)
{
    jf_error_clear(err);
    if (!job || !job->done || (!job->text && job->len) ||
        (job->n_params && (!job->params || (job->n_points && !job->values))) ||
        (job->n_overrides && !job->overrides))
        return fail(err, JF_ERR_USAGE, "jf__points_run: malformed job");
    if (job->n_points == 0)
        return JF_OK;

    int threads = job_threads(job);
    slot *slots = slots_alloc(job, threads);
    if (!slots)
        return fail(err, JF_ERR_NOMEM, "out of memory preparing the points");

    /* Validate every point before simulating any (in parallel: loading is
     * all a point costs here); report the lowest-numbered invalid point. */
    size_t bad = SIZE_MAX;
    long long n_points = (long long)job->n_points;
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads)
    for (long long i = 0; i < n_points; i++) {
        size_t k = (size_t)i;
        if (job->skip && job->skip[k])
            continue;
        jf_error e;
        jf_scenario *sc = NULL;
        jf_status ls = point_load(&slots[omp_get_thread_num()], job, k, &sc, &e);
        jf_scenario_free(sc);
        if (ls != JF_OK) {
#pragma omp critical(jf__points_validate)
            {
                if (k < bad) {
                    bad = k;
                    if (err)
                        *err = e;
                }
            }
        }
    }
    if (bad != SIZE_MAX) {
        slots_free(slots, threads);
        return err ? err->status : JF_ERR_RANGE;
    }
    /* The size of a point, from the first one that is to run. */
    uint64_t paths = 0;
    size_t bytes = 0;
    size_t first = 0;
    while (first < job->n_points && job->skip && job->skip[first])
        first++;
    if (first == job->n_points) {
        slots_free(slots, threads);
        return JF_OK;
    }
    jf_scenario *sc0 = NULL;
    jf_status st = point_load(&slots[0], job, first, &sc0, err);
    if (st != JF_OK) {
        slots_free(slots, threads);
        return st;
    }
    paths = sc0->paths;
    bytes = point_bytes(sc0);
    jf_scenario_free(sc0);

    int conc = 1;
    jf__points_mode mode = jf__points_plan(job, paths, bytes, &conc);
    shared_state sh;
    memset(&sh, 0, sizeof sh);
    sh.job = job;
    sh.status = JF_OK;
    sh.err = err;
    sh.paths_per_point = paths;
    if (mode == JF__POINTS_SEQUENTIAL)
        run_sequential(&sh, &slots[0]);
    else
        run_parallel(&sh, slots, conc);
    slots_free(slots, threads);
    return sh.status;
}
