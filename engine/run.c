/*
 * run.c — the run driver: simulate every path in parallel and summarise
 * (jf_run, MODEL.md §1 and §7).
 *
 * Paths are cut into blocks of B consecutive paths (B = 256, smaller only
 * when one block's buffers would pass 16 MiB; B depends on the catalogue
 * alone, never on the thread count).  OpenMP threads take blocks
 * dynamically; each thread owns a path workspace and block buffers, allocated
 * once before the parallel region, so nothing is allocated per path or year.
 * Within a block, jf__path_simulate writes each path's metrics and annual
 * values path-major into the buffers; afterwards they are distributed:
 *
 *   per-path metrics  always stored exactly, metric-major (m·paths + p);
 *   annual series     exact (k·paths + p, k = s·T + t-1) while
 *                     (n_series·T + n_metrics)·paths·8 bytes fit the memory
 *                     budget; otherwise ("sketch mode") each series-year k
 *                     gets a quantile sketch (eps 0.001, i.e. ±0.1 percentile
 *                     rank) and a moments accumulator.
 *
 * Sketch mode works in groups of G consecutive blocks (G·B·K·8 bytes about
 * 32 MiB; G depends on the catalogue alone).  Phase 1: the threads simulate
 * the group's blocks (any thread, any order) into a shared series-major group
 * buffer.  Phase 2, after a barrier: the threads split the series-years k
 * among themselves; for its k a thread merges the per-block accumulators
 * (n, Σ, M2) into the global one strictly in block order (Chan et al.) and
 * appends the group's values to sketch k in path order.  Each sketch and
 * accumulator thus sees exactly the same sequence whatever the thread count,
 * and the expensive sketch work runs in parallel instead of in a serial
 * ordered section.
 *
 * Statistics are computed at the end (stats.c), row by row in parallel, each
 * row from its own samples: exact samples are sorted in place (radix sort,
 * one scratch array per thread).  Every output therefore depends only on
 * (scenario, seed, paths) — byte-identical results for any number of threads
 * (MODEL.md §8).
 *
 * Memory: exact metrics 8·n_metrics bytes per path (~30 doubles: 240 MB for
 * 10^6 paths), plus either exact annual samples or K sketches and the group
 * buffer, plus per thread B·(K + n_metrics) doubles of block buffers and, for
 * the final sort, one array of `paths` doubles.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <omp.h>

#include "path_sim.h"
#include "quantile_sketch.h"
#include "results.h"
#include "stats.h"

#define JF__BLOCK_PATHS 256u
#define JF__BLOCK_MIN_PATHS 16u
#define JF__BLOCK_BUFFER_BYTES ((size_t)16 << 20)
#define JF__GROUP_BUFFER_BYTES ((size_t)32 << 20)
#define JF__GROUP_MAX_BLOCKS 16u
#define JF__DEFAULT_MEMORY_BUDGET ((size_t)2 << 30)
#define JF__SKETCH_EPS 0.001
#define JF__PROGRESS_SECONDS 0.2

/* What one thread owns during the simulation. */
typedef struct {
    jf__path_ws *ws;
    double *met;      /* B × n_metrics, path-major */
    double *ann;      /* B × K, path-major */
} thread_state;

/* Everything the parallel loop shares. */
typedef struct {
    const jf__model *model;
    uint64_t paths;
    size_t block;        /* B */
    size_t group;        /* G, blocks per group (sketch mode) */
    size_t n_metrics;    /* M */
    size_t n_annual;     /* K = n_series · T */
    bool sketch;
    double *metric_samples;  /* M × paths */
    double *annual_samples;  /* K × paths (exact mode) */
    jf__sketch **sketches;   /* K (sketch mode) */
    jf__moments *moments;    /* K (sketch mode) */
    double *group_buf;       /* K × G·B, series-major (sketch mode) */
    const jf_run_options *options;
    uint64_t done;           /* paths finished (atomic) */
    int failed;              /* a sketch ran out of memory (atomic) */
    int team;                /* threads that ran */
} run_state;

static jf_status set_error(jf_error *err, jf_status status, const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

static double realtime_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (double)time(NULL);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* a·b·c without overflow; false when the product does not fit size_t. */
static bool mul_size(size_t a, size_t b, size_t c, size_t *out)
{
    if (a && b > SIZE_MAX / a)
        return false;
    size_t ab = a * b;
    if (ab && c > SIZE_MAX / ab)
        return false;
    *out = ab * c;
    return true;
}

static size_t block_paths(size_t n_annual, size_t n_metrics)
{
    size_t per_path = (n_annual + n_metrics) * sizeof(double);
    size_t b = JF__BLOCK_PATHS;
    if (per_path > 0 && per_path * b > JF__BLOCK_BUFFER_BYTES) {
        b = JF__BLOCK_BUFFER_BYTES / per_path;
        if (b < JF__BLOCK_MIN_PATHS)
            b = JF__BLOCK_MIN_PATHS;
    }
    return b;
}

static size_t group_blocks(size_t n_annual, size_t block)
{
    size_t per_block = n_annual * block * sizeof(double);
    size_t g = per_block > 0 ? JF__GROUP_BUFFER_BYTES / per_block : JF__GROUP_MAX_BLOCKS;
    if (g < 1)
        g = 1;
    if (g > JF__GROUP_MAX_BLOCKS)
        g = JF__GROUP_MAX_BLOCKS;
    return g;
}

static void thread_states_free(thread_state *states, int n)
{
    if (!states)
        return;
    for (int i = 0; i < n; i++) {
        jf__path_ws_free(states[i].ws);
        free(states[i].met);
        free(states[i].ann);
    }
    free(states);
}

static thread_state *thread_states_alloc(const run_state *rs, int n)
{
    thread_state *states = calloc((size_t)n, sizeof *states);
    if (!states)
        return NULL;
    size_t B = rs->block, M = rs->n_metrics, K = rs->n_annual;
    for (int i = 0; i < n; i++) {
        thread_state *ts = &states[i];
        ts->ws = jf__path_ws_alloc(rs->model);
        ts->met = malloc((B * M > 0 ? B * M : 1) * sizeof(double));
        ts->ann = malloc((B * K > 0 ? B * K : 1) * sizeof(double));
        if (!ts->ws || !ts->met || !ts->ann) {
            thread_states_free(states, n);
            return NULL;
        }
    }
    return states;
}

static void sketches_free(jf__sketch **sketches, size_t n)
{
    if (!sketches)
        return;
    for (size_t k = 0; k < n; k++)
        jf__sketch_free(sketches[k]);
    free(sketches);
}

/* Simulate block `b` into the thread's buffers and distribute it: metrics to
 * the exact arrays, annual value k of the block's path i to
 * ann_dst[k * ann_stride + i].  Returns the number of paths in the block. */
static size_t simulate_block(const run_state *rs, thread_state *ts, uint64_t b, double *ann_dst,
                             size_t ann_stride)
{
    uint64_t p0 = b * rs->block;
    size_t nb = (size_t)(rs->paths - p0 < rs->block ? rs->paths - p0 : rs->block);
    size_t M = rs->n_metrics, K = rs->n_annual;
    for (size_t i = 0; i < nb; i++)
        jf__path_simulate(rs->model, ts->ws, p0 + i, ts->met + i * M, ts->ann + i * K);
    for (size_t m = 0; m < M; m++) {
        double *dst = rs->metric_samples + m * rs->paths + p0;
        for (size_t i = 0; i < nb; i++)
            dst[i] = ts->met[i * M + m];
    }
    for (size_t k = 0; k < K; k++) {
        double *dst = ann_dst + k * ann_stride;
        for (size_t i = 0; i < nb; i++)
            dst[i] = ts->ann[i * K + k];
    }
    return nb;
}

static void after_block(run_state *rs, size_t nb, int tid, double *last_report)
{
#pragma omp atomic update
    rs->done += nb;
    const jf_run_options *opt = rs->options;
    if (tid != 0 || !opt || !opt->progress)
        return;
    double now = omp_get_wtime();
    if (now - *last_report < JF__PROGRESS_SECONDS)
        return;
    *last_report = now;
    uint64_t done;
#pragma omp atomic read
    done = rs->done;
    opt->progress(opt->progress_ctx, done, rs->paths);
}

/* Phase 2 of a group for series-year k: block accumulators merged in block
 * order, then the group's values appended to the sketch in path order. */
static void absorb_group(run_state *rs, size_t k, size_t group_paths)
{
    int failed;
#pragma omp atomic read
    failed = rs->failed;
    if (failed)
        return;
    const double *col = rs->group_buf + k * rs->group * rs->block;
    for (size_t i0 = 0; i0 < group_paths; i0 += rs->block) {
        size_t nb = group_paths - i0 < rs->block ? group_paths - i0 : rs->block;
        jf__moments blk;
        jf__moments_init(&blk);
        jf__moments_add_block(&blk, col + i0, nb);
        jf__moments_merge(&rs->moments[k], &blk);
    }
    if (jf__sketch_add(rs->sketches[k], col, group_paths) != 0) {
#pragma omp atomic write
        rs->failed = 1;
    }
}

static void simulate_all(run_state *rs, thread_state *states, int nthreads)
{
    uint64_t n_blocks = (rs->paths + rs->block - 1) / rs->block;
    uint64_t n_groups = rs->group ? (n_blocks + rs->group - 1) / rs->group : 0;
    size_t group_stride = rs->group * rs->block;
#pragma omp parallel num_threads(nthreads)
    {
        int tid = omp_get_thread_num();
        thread_state *ts = &states[tid];
        double last_report = omp_get_wtime();
        if (tid == 0)
            rs->team = omp_get_num_threads();
        if (!rs->sketch) {
#pragma omp for schedule(dynamic, 1)
            for (long long b = 0; b < (long long)n_blocks; b++) {
                uint64_t p0 = (uint64_t)b * rs->block;
                size_t nb = simulate_block(rs, ts, (uint64_t)b, rs->annual_samples + p0,
                                           (size_t)rs->paths);
                after_block(rs, nb, tid, &last_report);
            }
        } else {
            for (uint64_t g = 0; g < n_groups; g++) {
                uint64_t b0 = g * rs->group;
                uint64_t b1 = b0 + rs->group < n_blocks ? b0 + rs->group : n_blocks;
#pragma omp for schedule(dynamic, 1)
                for (long long b = (long long)b0; b < (long long)b1; b++) {
                    size_t off = (size_t)((uint64_t)b - b0) * rs->block;
                    size_t nb = simulate_block(rs, ts, (uint64_t)b, rs->group_buf + off,
                                               group_stride);
                    after_block(rs, nb, tid, &last_report);
                }
                uint64_t p_end = b1 * rs->block < rs->paths ? b1 * rs->block : rs->paths;
                size_t group_paths = (size_t)(p_end - b0 * rs->block);
#pragma omp for schedule(dynamic, 8)
                for (long long k = 0; k < (long long)rs->n_annual; k++)
                    absorb_group(rs, (size_t)k, group_paths);
            }
        }
    }
}

/* Statistics of every row; rows are independent, so any schedule gives the
 * same numbers.  `scratch` holds nthreads × paths doubles for the radix sort,
 * or is NULL (then gsl_sort, same result). */
static void compute_stats(const run_state *rs, const jf__catalogue *cat, jf_results *res,
                          int nthreads, double *scratch)
{
    size_t M = rs->n_metrics, K = rs->n_annual;
    long long n_rows = (long long)(M + (rs->sketch ? 0 : K));
#pragma omp parallel num_threads(nthreads)
    {
        double *tmp = scratch ? scratch + (size_t)omp_get_thread_num() * rs->paths : NULL;
#pragma omp for schedule(dynamic, 1)
        for (long long r = 0; r < n_rows; r++) {
            size_t row = (size_t)r;
            if (row < M)
                jf__stats_compute(rs->metric_samples + row * rs->paths, (size_t)rs->paths,
                                  cat->metrics[row].censored, tmp, &res->metric_stats[row]);
            else
                jf__stats_compute(rs->annual_samples + (row - M) * rs->paths,
                                  (size_t)rs->paths, false, tmp, &res->series_stats[row - M]);
        }
    }
    if (rs->sketch) {
        for (size_t k = 0; k < K; k++) {
            jf_stats *st = &res->series_stats[k];
            jf__moments_stats(&rs->moments[k], st);
            for (int q = 0; q < JF_N_PCT; q++) {
                double v = jf__sketch_quantile(rs->sketches[k], (double)jf__pct_levels[q] / 100.0);
                st->has_pct[q] = isfinite(v);
                st->pct[q] = st->has_pct[q] ? v : 0.0;
            }
        }
    }
}

jf_status jf_run(const jf_scenario *scenario, const jf_run_options *options, jf_results **out,
                 jf_error *err)
{
    if (!out)
        return set_error(err, JF_ERR_USAGE, "jf_run: no place for the results");
    *out = NULL;
    if (!scenario)
        return set_error(err, JF_ERR_USAGE, "jf_run: no scenario");
    if (options && options->threads < 0)
        return set_error(err, JF_ERR_USAGE, "number of threads must be >= 0, got %d",
                         options->threads);
    if (scenario->paths < 1)
        return set_error(err, JF_ERR_RANGE, "paths must be at least 1");
    if (scenario->paths > SIZE_MAX / sizeof(double))
        return set_error(err, JF_ERR_LIMIT, "too many paths for this machine");

    double t_start = omp_get_wtime();
    double wall_start = realtime_now();

    jf__model *model = NULL;
    jf_status st = jf__model_alloc(scenario, &model, err);
    if (st != JF_OK)
        return st;
    const jf__catalogue *cat = jf__model_catalogue(model);

    run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.model = model;
    rs.paths = scenario->paths;
    rs.n_metrics = cat->n_metrics;
    rs.n_annual = cat->n_series * (size_t)(cat->horizon > 0 ? cat->horizon : 0);
    rs.block = block_paths(rs.n_annual, rs.n_metrics);
    rs.options = options;

    size_t budget = options && options->memory_budget ? options->memory_budget
                                                      : JF__DEFAULT_MEMORY_BUDGET;
    size_t metric_bytes = 0, exact_bytes = 0;
    if (!mul_size(rs.n_metrics, (size_t)rs.paths, sizeof(double), &metric_bytes)) {
        jf__model_free(model);
        return set_error(err, JF_ERR_LIMIT, "per-path metrics of %llu paths do not fit in memory",
                         (unsigned long long)rs.paths);
    }
    rs.sketch = !mul_size(rs.n_annual + rs.n_metrics, (size_t)rs.paths, sizeof(double),
                          &exact_bytes) ||
                exact_bytes > budget;

    uint64_t n_blocks = (rs.paths + rs.block - 1) / rs.block;
    int nthreads = options && options->threads > 0 ? options->threads : omp_get_max_threads();
    if (nthreads < 1)
        nthreads = 1;
    if ((uint64_t)nthreads > n_blocks)
        nthreads = (int)n_blocks;

    jf_results *res = NULL;
    thread_state *states = NULL;
    st = jf__results_alloc(cat, &res, err);
    if (st != JF_OK)
        goto done;
    res->paths = rs.paths;
    res->seed = scenario->seed;
    res->sketch_mode = rs.sketch;
    res->start_time = wall_start;

    rs.metric_samples = malloc(metric_bytes ? metric_bytes : 1);
    if (!rs.metric_samples) {
        st = set_error(err, JF_ERR_NOMEM, "out of memory: %zu bytes for per-path metrics",
                       metric_bytes);
        goto done;
    }
    if (!rs.sketch) {
        size_t annual_bytes = exact_bytes - metric_bytes;
        rs.annual_samples = malloc(annual_bytes ? annual_bytes : 1);
        if (!rs.annual_samples) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory: %zu bytes for annual series",
                           annual_bytes);
            goto done;
        }
    } else {
        rs.sketches = calloc(rs.n_annual ? rs.n_annual : 1, sizeof *rs.sketches);
        rs.moments = malloc((rs.n_annual ? rs.n_annual : 1) * sizeof *rs.moments);
        if (!rs.sketches || !rs.moments) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory allocating quantile sketches");
            goto done;
        }
        rs.group = group_blocks(rs.n_annual, rs.block);
        size_t group_bytes;
        if (mul_size(rs.n_annual ? rs.n_annual : 1, rs.group * rs.block, sizeof(double),
                     &group_bytes))
            rs.group_buf = malloc(group_bytes);
        if (!rs.group_buf) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory allocating the group buffer");
            goto done;
        }
        for (size_t k = 0; k < rs.n_annual; k++) {
            jf__moments_init(&rs.moments[k]);
            rs.sketches[k] = jf__sketch_alloc(JF__SKETCH_EPS, rs.paths);
            if (!rs.sketches[k]) {
                st = set_error(err, JF_ERR_NOMEM, "out of memory allocating quantile sketches");
                goto done;
            }
        }
    }
    states = thread_states_alloc(&rs, nthreads);
    if (!states) {
        st = set_error(err, JF_ERR_NOMEM, "out of memory allocating per-thread buffers");
        goto done;
    }

    simulate_all(&rs, states, nthreads);
    if (rs.failed) {
        st = set_error(err, JF_ERR_NOMEM, "out of memory in the quantile sketches");
        goto done;
    }
    if (options && options->progress)
        options->progress(options->progress_ctx, rs.paths, rs.paths);

    /* The simulation buffers are no longer needed: give their memory to the sort scratch. */
    thread_states_free(states, nthreads);
    states = NULL;
    size_t scratch_bytes;
    double *scratch = NULL;
    if (mul_size((size_t)nthreads, (size_t)rs.paths, sizeof(double), &scratch_bytes))
        scratch = malloc(scratch_bytes);
    compute_stats(&rs, cat, res, nthreads, scratch);
    free(scratch);

    res->threads = rs.team > 0 ? rs.team : nthreads;
    res->seconds = omp_get_wtime() - t_start;
    res->end_time = realtime_now();
    *out = res;
    res = NULL;
    st = JF_OK;

done:
    thread_states_free(states, nthreads);
    sketches_free(rs.sketches, rs.n_annual);
    free(rs.moments);
    free(rs.group_buf);
    free(rs.metric_samples);
    free(rs.annual_samples);
    jf_results_free(res);
    jf__model_free(model);
    return st;
}
