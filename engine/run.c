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
 *   per-path metrics  always exact, stored metric-major (m·paths + p) for
 *                     the rows [m_lo, m_hi) of the current pass (below);
 *   annual series     exact (k·paths + p, k = s·T + t-1) while
 *                     (n_series·T + n_metrics)·paths·8 bytes fit the memory
 *                     budget; otherwise ("sketch mode") each series-year k
 *                     gets a moments accumulator and a pilot-bracketed
 *                     histogram (quantile_bracket.h): its first 16,384
 *                     values are kept, their order statistics around the
 *                     five percentile levels become bin edges, and every
 *                     value is then only counted into a bin (a few ns, where
 *                     a sorting sketch costs ~20).  The percentiles it
 *                     returns are certified within ±0.1 percentile rank
 *                     (eps 0.001) by exact counts; a level it cannot certify
 *                     (a pilot far from the whole sample: ~1e-5 per run on
 *                     bench/large.yaml) is recomputed by the fallback pass
 *                     below with a quantile sketch (quantile_sketch.h).
 *
 * Sketch mode works in groups of G consecutive blocks (G·B·K·8 bytes about
 * 128 MiB or an eighth of the budget, rounded up to a multiple of the thread
 * count so that no thread idles in phase 1; the results do not depend on G).
 * Phase 1: the threads simulate the group's blocks (any thread, any order) into a shared series-major group
 * buffer.  Phase 2, after a barrier: the threads split the series-years k
 * among themselves; for its k a thread merges the per-block accumulators
 * (n, Σ, M2) into the global one strictly in block order (Chan et al.) and
 * appends the group's values to bracket k in path order.  Each bracket and
 * accumulator thus sees exactly the same sequence whatever the thread count,
 * and the expensive per-value work runs in parallel instead of in a serial
 * ordered section.
 *
 * Fallback pass: after the first pass, the series-years with an uncertified
 * percentile (if any) get a quantile sketch each, every path is simulated
 * again with no metric rows stored, and those series-years' values are fed
 * to their sketches in path order exactly as above; the sketches answer the
 * missing percentiles (jf_results.annual_fallbacks counts the series-years).
 *
 * Statistics are computed at the end (stats.c), row by row in parallel, each
 * row from its own samples: an exact row gives its moments in path order and
 * its percentiles by selection in place (select.h, no scratch); the
 * brackets answer their five percentiles, in parallel.  Every output therefore depends only on
 * (scenario, seed, paths) — byte-identical results for any number of threads
 * (MODEL.md §8).
 *
 * Capture (results.h, for the contribution study): with a jf__run_capture,
 * each thread also copies every path's drawn uncertain scalars out of its
 * workspace (jf__path_drawn) into input-major arrays, and the exact metric
 * samples are copied before the statistics sort them.  Without one, the
 * only cost is a NULL test per block.
 *
 * Memory model.  With n = paths, M metrics, K = n_series·T, t threads, the
 * run holds at its peak
 *   exact mode   (K + M)·n·8                        annual + metric samples
 *   sketch mode  K·Q + G·B·K·8 + R·n·8              brackets (at their pilot peak),
 *                                                   group buffer, R stored metric rows
 *   both         t·(32·K + B·M)·8                   block buffers (simulation)
 * where Q (~160 KiB) is a bracket's 128 KiB pilot, freed once full, plus
 * the ~24 KiB of edges and counts that stay; each thread also needs ~150 KiB
 * of scratch while it turns a pilot into edges.  A fallback pass
 * holds one sketch (~176 KiB at 10^6 paths, ~305 KiB at 10^7) per
 * uncertified series-year instead of the metric rows, which are summarised
 * and freed by then.
 * Exact mode is chosen when (K + M)·n·8 fits the budget (2 GiB unless
 * jf_run_options.memory_budget says otherwise), as before.  In sketch mode
 * the planner (plan_sketch_rows) stores as many metric rows R as fit in
 * 15/16 of the budget beside the rest, both while the pilots fill (when the
 * rows hold only the pilot's paths so far) and after (when the brackets are
 * small), but at least a quarter of them, so a run takes at most 4 passes: a
 * budget too small for that could not hold the brackets either, and is
 * exceeded rather than failed.  A budget that cannot hold the pilots is
 * exceeded while they fill whatever R is, so then only the second bound
 * counts.  If R < M, the rows [R, M) are done by re-simulating
 * every path (paths are re-runnable: counter-based streams, MODEL.md §1) in
 * further passes that store only the next rows — the brackets, sketches, group buffer
 * and annual values are dropped first, so those passes fit many more rows —
 * and each pass summarises its rows exactly as in a single pass.  The per-path
 * percentiles therefore stay exact and bit-identical to a one-pass run at
 * the cost of one more simulation per pass (jf_results.metric_passes).
 * bench/large.yaml (K = 2950, M = 27): exact up to ~90,000 paths; then
 * sketch mode, one pass up to ~8·10^6 paths (the rows beside ~0.1 GB of brackets
 * after their pilots and the ~130 MB group buffer); two at 10^7 (14 + 13 rows,
 * measured peak 1.27 GiB).  The statistics give each thread a row of
 * selection scratch when all of them fit in 1/32 of the budget and, in
 * exact mode, beside the samples.
 * Through a jf__run_reuse (a sweep worker's points) the big buffers the
 * previous run gave back (exact mode: metric and annual rows; sketch mode:
 * the group buffer, and the last pass's metric rows, of use only to a run
 * asking for that size) are taken when they have exactly the size asked
 * for, before the other big buffers are allocated; the kept buffers this
 * run does not use are freed first, so the plan's bounds hold.
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>

#include <omp.h>
#if defined(__SSE2__) && !defined(JF_PORTABLE_ONLY)
#include <emmintrin.h>
#define JF__STREAM_STORES 1
#endif

#include "path_sim.h"
#include "quantile_bracket.h"
#include "quantile_sketch.h"
#include "results.h"
#include "stats.h"

#define JF__BLOCK_PATHS 256u
#define JF__SUB_BLOCK 32u          /* paths per trip through the annual buffer (cache) */
#define JF__BLOCK_MIN_PATHS 16u
#define JF__BLOCK_BUFFER_BYTES ((size_t)16 << 20)
#define JF__GROUP_BUFFER_BYTES ((size_t)128 << 20)
#define JF__GROUP_MAX_BLOCKS 64u   /* 16,384 paths */
#define JF__DEFAULT_MEMORY_BUDGET ((size_t)2 << 30)
#define JF__SKETCH_EPS 0.001
#define JF__PROGRESS_SECONDS 0.2
#define JF__MAX_METRIC_PASSES 4u   /* simulations of every path at most (metric rows) */
#define JF__PILOT_PATHS ((size_t)16384) /* pilot sample of each series-year (quantile_bracket.h) */

/* Test hook (jf__run_set_pilot_paths): 0 = JF__PILOT_PATHS. */
static size_t pilot_paths_override;

/* What one thread owns during the simulation. */
typedef struct {
    jf__path_ws *ws;
    double *met;      /* B × n_metrics, path-major */
    double *ann;      /* B × K, path-major */
    double *drawn;    /* B × n_inputs, path-major (capture only) */
} thread_state;

/* Everything the parallel loop shares. */
typedef struct {
    const jf__model *model;
    uint64_t paths;
    size_t block;        /* B */
    size_t group;        /* G, blocks per group (sketch mode) */
    size_t n_metrics;    /* M */
    size_t n_annual;     /* K = n_series · T */
    size_t budget;       /* memory budget, bytes */
    size_t exact_bytes;  /* exact mode: (K + M)·paths·8, the samples' share of it */
    bool sketch;
    double *metric_samples;  /* M × paths */
    double *annual_samples;  /* K × paths (exact mode) */
    jf__qbracket **brackets; /* K (sketch mode, first pass) */
    jf__sketch **sketches;   /* K, NULL where not needed (fallback pass) */
    unsigned char *uncertified; /* K: bit q set when the bracket could not certify level q */
    bool fallback;           /* the fallback pass: sketches only, no moments, no metrics */
    jf__moments *moments;    /* K (sketch mode) */
    unsigned char *nonfinite;/* K (sketch mode): a value was ±inf or NaN, so no percentiles */
    double *group_buf;       /* K × G·B, series-major (sketch mode) */
    const jf_run_options *options;
    size_t n_inputs;         /* capture: uncertain scalars per path */
    double *input_samples;   /* capture: n_inputs × paths, or NULL */
    size_t m_lo, m_hi;       /* metric rows stored in this pass: metric_samples[(m-m_lo)·paths + p] */
    bool rerun;              /* a metrics-only re-simulation pass (annual values discarded) */
    uint64_t done;           /* paths finished in this pass (atomic) */
    uint64_t pass_index;     /* 0 for the first simulation of every path */
    uint64_t passes_planned; /* simulations of every path expected (progress) */
    uint64_t shown;          /* last progress value reported (thread 0 only) */
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

/* n bytes (at least 1) on a 64-byte boundary, so that rows can be streamed
 * (scatter_annual); free() releases it.  NULL when out of memory.  Buffers
 * of 8 MB and more are placed on 2 MB boundaries and offered to the kernel
 * for transparent huge pages: a run writes hundreds of MB once, and with
 * 4 KB pages a tenth of its time went to page faults. */
static void *alloc_lines(size_t n)
{
    const size_t huge = (size_t)2 << 20;
    size_t align = n >= 4 * huge ? huge : 64;
    size_t rounded = (n + align - 1) / align * align;
    if (rounded < n)
        return NULL;
    void *p = aligned_alloc(align, rounded ? rounded : align);
#ifdef MADV_HUGEPAGE
    if (p && align == huge)
        (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice: a kernel without THP ignores it */
#endif
    return p;
}

/* ---- buffers kept between runs (results.h) ---------------------------- */

#define JF__REUSE_SLOTS 3u                 /* metric rows, annual rows, group buffer */
#define JF__REUSE_MIN_BYTES ((size_t)8 << 20)

struct jf__run_reuse {
    void *buf[JF__REUSE_SLOTS];
    size_t bytes[JF__REUSE_SLOTS]; /* what each was allocated for */
    size_t taken;                  /* buffers runs have taken back (diagnostics) */
};

jf__run_reuse *jf__run_reuse_alloc(void)
{
    return calloc(1, sizeof(jf__run_reuse));
}

void jf__run_reuse_free(jf__run_reuse *reuse)
{
    if (!reuse)
        return;
    for (size_t i = 0; i < JF__REUSE_SLOTS; i++)
        free(reuse->buf[i]);
    free(reuse);
}

size_t jf__run_reuse_taken(const jf__run_reuse *reuse)
{
    return reuse ? reuse->taken : 0;
}

size_t jf__run_reuse_bytes(const jf__run_reuse *reuse)
{
    size_t total = 0;
    for (size_t i = 0; reuse && i < JF__REUSE_SLOTS; i++)
        total += reuse->buf[i] ? reuse->bytes[i] : 0;
    return total;
}

/* A kept buffer of exactly n bytes (n >= JF__REUSE_MIN_BYTES), or NULL.
 * Exactly: the run's memory plan counts n, and the points of one sweep ask
 * for the same sizes (paths and horizon are not swept), so a larger buffer
 * (the last pass's metric rows, say) would only hold memory the plan does
 * not know about. */
static void *take_kept(jf__run_reuse *reuse, size_t n)
{
    for (size_t i = 0; reuse && n >= JF__REUSE_MIN_BYTES && i < JF__REUSE_SLOTS; i++)
        if (reuse->buf[i] && reuse->bytes[i] == n) {
            void *p = reuse->buf[i];
            reuse->buf[i] = NULL;
            reuse->taken++;
            return p;
        }
    return NULL;
}

/* The run's two big buffers (metric rows; annual rows or the group
 * buffer): kept ones first, then the rest of the kept ones freed, then new
 * ones for what is missing, so the process never holds buffers this run
 * does not use beside new ones.  *p stays NULL when out of memory. */
static void take_buffers(jf__run_reuse *reuse, void **p1, size_t n1, void **p2, size_t n2)
{
    *p1 = take_kept(reuse, n1);
    *p2 = n2 ? take_kept(reuse, n2) : NULL;
    for (size_t i = 0; reuse && i < JF__REUSE_SLOTS; i++) {
        free(reuse->buf[i]);
        reuse->buf[i] = NULL;
    }
    if (!*p1)
        *p1 = alloc_lines(n1);
    if (!*p2 && n2)
        *p2 = alloc_lines(n2);
}

/* Keep p (a buffer of n bytes) for the next run, or free it. */
static void give_lines(jf__run_reuse *reuse, void *p, size_t n)
{
    for (size_t i = 0; p && reuse && n >= JF__REUSE_MIN_BYTES && i < JF__REUSE_SLOTS; i++)
        if (!reuse->buf[i]) {
            reuse->buf[i] = p;
            reuse->bytes[i] = n;
            return;
        }
    free(p);
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

/* Blocks per group: about JF__GROUP_BUFFER_BYTES of annual values (at most
 * an eighth of the memory budget), rounded up to a multiple of the thread
 * count so that phase 1 keeps every thread busy.  Big groups matter: phase 2
 * brings each series-year's bracket (~24 KiB) into cache once per group, so
 * more paths per group spread that cost thinner.  The results do not depend
 * on G (a bracket sees its values in path order and the moments merge per
 * block of B, in block order, whatever the grouping), so G may depend on the
 * thread count and the budget where B may not. */
static size_t group_blocks(size_t n_annual, size_t block, int nthreads, size_t budget)
{
    size_t per_block = n_annual * block * sizeof(double);
    size_t bytes = budget / 8 < JF__GROUP_BUFFER_BYTES ? budget / 8 : JF__GROUP_BUFFER_BYTES;
    size_t g = per_block > 0 ? bytes / per_block : JF__GROUP_MAX_BLOCKS;
    size_t t = nthreads > 1 ? (size_t)nthreads : 1;
    if (g < 1)
        g = 1;
    if (g > JF__GROUP_MAX_BLOCKS)
        g = JF__GROUP_MAX_BLOCKS;
    return (g + t - 1) / t * t;
}

/* Metric rows a pass can store exactly: what is left of the budget after
 * `fixed` bytes, in whole rows of `paths` doubles; at most n_metrics, and at
 * least ceil(n_metrics / JF__MAX_METRIC_PASSES), so that an unrealistically
 * small budget (one that cannot even hold the brackets) costs at most that
 * many simulations rather than one per metric.  See "Memory model" in the
 * design note. */
static size_t plan_metric_rows(const run_state *rs, size_t budget, size_t fixed)
{
    size_t row = (size_t)rs->paths * sizeof(double);
    budget -= budget / 16; /* headroom for the allocator, the program and the results */
    size_t rows = 1;
    if (budget > fixed)
        rows = (budget - fixed) / row;
    size_t min_rows = (rs->n_metrics + JF__MAX_METRIC_PASSES - 1) / JF__MAX_METRIC_PASSES;
    if (rows < min_rows)
        rows = min_rows;
    return rows < rs->n_metrics ? rows : rs->n_metrics;
}

static size_t thread_bytes(const run_state *rs, int nthreads);

/* Metric rows the first pass of a sketch-mode run stores (design note,
 * "Memory model").  Two moments bound the memory: while the pilots fill (the
 * first `pilot` paths) every bracket holds its pilot but the metric rows
 * have only pilot·8 bytes each written (they fill in path order); afterwards
 * the brackets are small and the rows fill up.  Both must fit; when the
 * pilots alone cannot, the budget is exceeded during that stretch whatever
 * is planned, so only the second bound counts (re-simulating every path to
 * save a few pilot-sized row prefixes would be a bad trade).  Returns at
 * least ceil(n_metrics / JF__MAX_METRIC_PASSES) rows, as plan_metric_rows. */
static size_t plan_sketch_rows(const run_state *rs, size_t budget, int nthreads, size_t pilot)
{
    size_t sw = jf__qbracket_switch_bytes(JF_N_PCT, pilot);
    size_t steady = jf__qbracket_steady_bytes(JF_N_PCT, pilot);
    size_t peak = jf__qbracket_peak_bytes(JF_N_PCT, pilot);
    size_t group = 0, brackets = 0, pilots = 0;
    if (!steady || !peak ||
        !mul_size(rs->n_annual, group_blocks(rs->n_annual, rs->block, nthreads, budget) * rs->block,
                  sizeof(double), &group) ||
        !mul_size(rs->n_annual, steady + sizeof(jf__moments) + sizeof(jf__qbracket *) + 2, 1,
                  &brackets) ||
        !mul_size(rs->n_annual, peak - sw - steady, 1, &pilots))
        return plan_metric_rows(rs, budget, SIZE_MAX);
    size_t fixed = thread_bytes(rs, nthreads) + (size_t)nthreads * sw + group + brackets;
    if (fixed > SIZE_MAX - pilots)
        return plan_metric_rows(rs, budget, SIZE_MAX);
    size_t rows = plan_metric_rows(rs, budget, fixed);
    size_t usable = budget - budget / 16;
    if (usable > fixed + pilots) {
        /* The pilot stretch: rows·pilot·8 bytes written beside the pilots. */
        size_t prefix = pilot * sizeof(double);
        size_t fit = prefix ? (usable - fixed - pilots) / prefix : rows;
        size_t min_rows = (rs->n_metrics + JF__MAX_METRIC_PASSES - 1) / JF__MAX_METRIC_PASSES;
        if (fit < min_rows)
            fit = min_rows;
        if (fit < rows)
            rows = fit;
    }
    return rows;
}

/* Bytes of nthreads thread states, an estimate for planning (block buffers
 * plus a generous allowance for the path workspace). */
static size_t thread_bytes(const run_state *rs, int nthreads)
{
    size_t sub = rs->block < JF__SUB_BLOCK ? rs->block : JF__SUB_BLOCK;
    return (size_t)nthreads * ((sub * rs->n_annual + rs->block * (rs->n_metrics + rs->n_inputs)) *
                                   sizeof(double) + ((size_t)1 << 20));
}

static void thread_states_free(thread_state *states, int n)
{
    if (!states)
        return;
    for (int i = 0; i < n; i++) {
        jf__path_ws_free(states[i].ws);
        free(states[i].met);
        free(states[i].ann);
        free(states[i].drawn);
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
        size_t S = B < JF__SUB_BLOCK ? B : JF__SUB_BLOCK;
        ts->ann = malloc((S * K > 0 ? S * K : 1) * sizeof(double));
        if (rs->input_samples)
            ts->drawn = malloc((B * rs->n_inputs > 0 ? B * rs->n_inputs : 1) * sizeof(double));
        if (!ts->ws || !ts->met || !ts->ann || (rs->input_samples && !ts->drawn)) {
            thread_states_free(states, n);
            return NULL;
        }
    }
    return states;
}

static void brackets_free(jf__qbracket **brackets, size_t n)
{
    if (!brackets)
        return;
    for (size_t k = 0; k < n; k++)
        jf__qbracket_free(brackets[k]);
    free(brackets);
}

static void sketches_free(jf__sketch **sketches, size_t n)
{
    if (!sketches)
        return;
    for (size_t k = 0; k < n; k++)
        jf__sketch_free(sketches[k]);
    free(sketches);
}

/* Transpose ns paths of annual values (path i's value k at src[i*K + k])
 * into dst[k*stride + i].  The destination rows are not read again until
 * the whole group or run is written (hundreds of MB later), so with a full
 * sub-block on 64-byte boundaries the rows are written with streaming
 * stores: whole cache lines go to memory without first being read from it
 * (half the memory traffic of this step).  The caller issues the fence. */
static void scatter_annual(const double *src, size_t K, size_t ns, double *dst, size_t stride)
{
#ifdef JF__STREAM_STORES
    if (ns == JF__SUB_BLOCK && stride % 8 == 0 && (uintptr_t)dst % 64 == 0) {
        for (size_t k = 0; k < K; k++) {
            double *row = dst + k * stride;
            for (size_t i = 0; i < JF__SUB_BLOCK; i += 2)
                _mm_stream_pd(row + i, _mm_set_pd(src[(i + 1) * K + k], src[i * K + k]));
        }
        return;
    }
#endif
    for (size_t k = 0; k < K; k++) {
        double *row = dst + k * stride;
        for (size_t i = 0; i < ns; i++)
            row[i] = src[i * K + k];
    }
}

/* Simulate block `b` into the thread's buffers and distribute it: metrics to
 * the exact arrays, annual value k of the block's path i to
 * ann_dst[k * ann_stride + i].  The annual values go through the thread's
 * buffer JF__SUB_BLOCK paths at a time (~0.75 MB on bench/large.yaml, so it
 * stays in cache between the simulation writing it and the transpose reading
 * it).  Returns the number of paths in the block. */
static size_t simulate_block(const run_state *rs, thread_state *ts, uint64_t b, double *ann_dst,
                             size_t ann_stride)
{
    uint64_t p0 = b * rs->block;
    size_t nb = (size_t)(rs->paths - p0 < rs->block ? rs->paths - p0 : rs->block);
    size_t M = rs->n_metrics, K = rs->n_annual;
    for (size_t s0 = 0; s0 < nb; s0 += JF__SUB_BLOCK) {
        size_t ns = nb - s0 < JF__SUB_BLOCK ? nb - s0 : JF__SUB_BLOCK;
        for (size_t i = s0; i < s0 + ns; i++) {
            jf__path_simulate(rs->model, ts->ws, p0 + i, ts->met + i * M, ts->ann + (i - s0) * K);
            /* Capture: jf__path_drawn reads the workspace of the path just simulated. */
            if (rs->input_samples)
                jf__path_drawn(rs->model, ts->ws, ts->drawn + i * rs->n_inputs);
        }
        if (ann_dst)
            scatter_annual(ts->ann, K, ns, ann_dst + s0, ann_stride);
    }
#ifdef JF__STREAM_STORES
    _mm_sfence(); /* the streamed stores are seen by other threads after the barrier */
#endif
    for (size_t d = 0; rs->input_samples && d < rs->n_inputs; d++) {
        double *dst = rs->input_samples + d * rs->paths + p0;
        for (size_t i = 0; i < nb; i++)
            dst[i] = ts->drawn[i * rs->n_inputs + d];
    }
    for (size_t m = rs->m_lo; m < rs->m_hi; m++) {
        double *dst = rs->metric_samples + (m - rs->m_lo) * rs->paths + p0;
        for (size_t i = 0; i < nb; i++)
            dst[i] = ts->met[i * M + m];
    }
    return nb;
}

/* Progress counts the work of every pass in paths: with P passes planned,
 * path p of pass i (0-based) stands for (i·paths + p) / P of the total
 * `paths`, so the line keeps moving through the extra passes and its ETA
 * covers them.  An unplanned fallback pass adds one to P; the value shown
 * never goes back (it waits until the new pass catches up). */
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
    uint64_t passes = rs->passes_planned > 0 ? rs->passes_planned : 1;
    uint64_t shown = (rs->pass_index * rs->paths + done) / passes;
    if (shown < rs->shown)
        shown = rs->shown;
    if (shown >= rs->paths)
        shown = rs->paths - 1; /* "finished" is said once, at the end of jf_run */
    rs->shown = shown;
    opt->progress(opt->progress_ctx, shown, rs->paths);
}

/* Phase 2 of a group for series-year k: block accumulators merged in block
 * order, then the group's values appended to the bracket (first pass) or the
 * sketch (fallback pass) in path order. */
static void absorb_group(run_state *rs, size_t k, size_t group_paths)
{
    int failed;
#pragma omp atomic read
    failed = rs->failed;
    if (failed)
        return;
    const double *col = rs->group_buf + k * rs->group * rs->block;
    if (!rs->fallback)
        for (size_t i0 = 0; i0 < group_paths; i0 += rs->block) {
            size_t nb = group_paths - i0 < rs->block ? group_paths - i0 : rs->block;
            jf__moments blk;
            jf__moments_init(&blk);
            jf__moments_add_block(&blk, col + i0, nb);
            jf__moments_merge(&rs->moments[k], &blk);
        }
    if (rs->nonfinite[k])
        return;
    int added = 0;
    if (rs->brackets && rs->brackets[k])
        added = jf__qbracket_add(rs->brackets[k], col, group_paths);
    else if (rs->sketches && rs->sketches[k])
        added = jf__sketch_add(rs->sketches[k], col, group_paths);
    if (added == -2) {
        /* An overflowing path (a price past 1e308, say): the rank of every
         * finite value is then unknown, so the percentiles are left empty, as
         * exact mode leaves those an infinity or NaN enters.  Only this
         * thread touches series-year k. */
        rs->nonfinite[k] = 1;
    } else if (added != 0) {
#pragma omp atomic write
        rs->failed = 1;
    }
}

static void simulate_all(run_state *rs, thread_state *states, int nthreads)
{
    rs->done = 0;
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
        if (rs->rerun || !rs->sketch) {
#pragma omp for schedule(dynamic, 1)
            for (long long b = 0; b < (long long)n_blocks; b++) {
                uint64_t p0 = (uint64_t)b * rs->block;
                size_t nb = simulate_block(rs, ts, (uint64_t)b,
                                           rs->rerun ? NULL : rs->annual_samples + p0,
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
 * same numbers. */
static void compute_stats(run_state *rs, const jf__catalogue *cat, jf_results *res, int nthreads)
{
    size_t M = rs->m_hi - rs->m_lo, K = rs->n_annual;
    long long n_rows = (long long)(M + (rs->sketch || rs->rerun ? 0 : K));
    /* Each thread's selection scratch (a row: the partitions then run in
     * vector registers) when all of them stay within 1/32 of the budget and,
     * in exact mode (no headroom), fit beside the samples; without it (or
     * when malloc fails) the same numbers come in place. */
    size_t scratch_bytes;
    const bool scratch_ok = mul_size((size_t)nthreads, (size_t)rs->paths, sizeof(double),
                                     &scratch_bytes) &&
                            scratch_bytes <= rs->budget / 32 &&
                            (rs->sketch || scratch_bytes <= rs->budget - rs->exact_bytes);
#pragma omp parallel num_threads(nthreads)
    {
        double *tmp = scratch_ok ? malloc((size_t)rs->paths * sizeof *tmp) : NULL;
#pragma omp for schedule(dynamic, 1)
        for (long long r = 0; r < n_rows; r++) {
            size_t row = (size_t)r;
            if (row < M)
                jf__stats_compute(rs->metric_samples + row * rs->paths, (size_t)rs->paths,
                                  cat->metrics[rs->m_lo + row].censored, tmp,
                                  &res->metric_stats[rs->m_lo + row]);
            else
                jf__stats_compute(rs->annual_samples + (row - M) * rs->paths, (size_t)rs->paths,
                                  false, tmp, &res->series_stats[row - M]);
        }
        free(tmp);
    }
    if (rs->sketch && !rs->rerun) {
        /* The five percentiles of each bracket (series-years in parallel, each
         * reads only its own); one the bracket cannot certify is marked for
         * the fallback pass and left missing until then. */
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 16)
        for (long long kk = 0; kk < (long long)K; kk++) {
            size_t k = (size_t)kk;
            jf_stats *st = &res->series_stats[k];
            double v[JF_N_PCT];
            bool cert[JF_N_PCT];
            jf__moments_stats(&rs->moments[k], st);
            if (rs->nonfinite[k])
                st->has_sd = false; /* as exact mode: no spread around an infinite mean */
            if (rs->nonfinite[k] ||
                jf__qbracket_quantiles(rs->brackets[k], JF__SKETCH_EPS, v, cert) != 0)
                for (int q = 0; q < JF_N_PCT; q++) {
                    v[q] = NAN;
                    cert[q] = true;
                }
            for (int q = 0; q < JF_N_PCT; q++) {
                if (!cert[q])
                    rs->uncertified[k] |= (unsigned char)(1u << q);
                st->has_pct[q] = isfinite(v[q]);
                st->pct[q] = st->has_pct[q] ? v[q] : 0.0;
            }
        }
    }
}

/* Percentiles of the series-years the brackets could not certify: simulate
 * every path again (paths are re-runnable, MODEL.md §1) and feed those
 * series-years' values, in path order, to quantile sketches (certified rank
 * error <= eps·n whatever the data).  The moments and the certified
 * percentiles are kept.  Costs one more simulation, and happens only when a
 * series-year's distribution puts a percentile far outside what its pilot
 * sample predicted (quantile_bracket.c). */
static jf_status fallback_pass(run_state *rs, jf_results *res, int nthreads, jf_error *err)
{
    size_t K = rs->n_annual, n_flagged = 0;
    for (size_t k = 0; k < K; k++)
        n_flagged += rs->uncertified[k] != 0;
    if (n_flagged == 0)
        return JF_OK;
    rs->sketches = calloc(K, sizeof *rs->sketches);
    if (!rs->sketches)
        return set_error(err, JF_ERR_NOMEM, "out of memory allocating quantile sketches");
    for (size_t k = 0; k < K; k++)
        if (rs->uncertified[k] && !(rs->sketches[k] = jf__sketch_alloc(JF__SKETCH_EPS, rs->paths)))
            return set_error(err, JF_ERR_NOMEM, "out of memory allocating quantile sketches");
    thread_state *states = thread_states_alloc(rs, nthreads);
    if (!states)
        return set_error(err, JF_ERR_NOMEM, "out of memory allocating per-thread buffers");
    size_t m_lo = rs->m_lo, m_hi = rs->m_hi;
    rs->m_lo = rs->m_hi = rs->n_metrics; /* store no metric rows */
    rs->fallback = true;
    rs->passes_planned++;
    rs->pass_index++;
    simulate_all(rs, states, nthreads);
    rs->fallback = false;
    rs->m_lo = m_lo;
    rs->m_hi = m_hi;
    thread_states_free(states, nthreads);
    if (rs->failed)
        return set_error(err, JF_ERR_NOMEM, "out of memory in the quantile sketches");
    double p[JF_N_PCT];
    for (int q = 0; q < JF_N_PCT; q++)
        p[q] = (double)jf__pct_levels[q] / 100.0;
    for (size_t k = 0; k < K; k++) {
        if (!rs->sketches[k])
            continue;
        jf_stats *st = &res->series_stats[k];
        double v[JF_N_PCT];
        if (rs->nonfinite[k] || jf__sketch_quantiles(rs->sketches[k], p, JF_N_PCT, v) != 0)
            for (int q = 0; q < JF_N_PCT; q++)
                v[q] = NAN;
        for (int q = 0; q < JF_N_PCT; q++) {
            if (!(rs->uncertified[k] & (1u << q)))
                continue; /* certified by the bracket: kept */
            st->has_pct[q] = isfinite(v[q]);
            st->pct[q] = st->has_pct[q] ? v[q] : 0.0;
        }
    }
    res->annual_fallbacks = n_flagged;
    res->metric_passes++;
    return JF_OK;
}

void jf__run_set_pilot_paths(size_t paths)
{
    pilot_paths_override = paths;
}

/* jf_run with an optional capture (NULL = none); see results.h. */
static jf_status run_impl(const jf_scenario *scenario, const jf_run_options *options,
                          jf__run_capture *capture, jf__run_reuse *reuse, jf_results **out,
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
    rs.budget = budget;
    size_t metric_bytes = 0, exact_bytes = 0, annual_bytes = 0, group_bytes = 0;
    if (!mul_size(rs.n_metrics, (size_t)rs.paths, sizeof(double), &metric_bytes)) {
        jf__model_free(model);
        return set_error(err, JF_ERR_LIMIT, "per-path metrics of %llu paths do not fit in memory",
                         (unsigned long long)rs.paths);
    }
    rs.sketch = !mul_size(rs.n_annual + rs.n_metrics, (size_t)rs.paths, sizeof(double),
                          &exact_bytes) ||
                exact_bytes > budget;
    rs.exact_bytes = rs.sketch ? 0 : exact_bytes;

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
    res->metric_passes = 1;
    res->start_time = wall_start;

    /* Memory plan (design note): the first pass stores metric rows [0, m_hi). */
    rs.m_lo = 0;
    rs.m_hi = rs.n_metrics;
    size_t pilot = pilot_paths_override ? pilot_paths_override : JF__PILOT_PATHS;
    if (pilot > rs.paths)
        pilot = (size_t)rs.paths;
    if (rs.sketch && !capture)
        rs.m_hi = plan_sketch_rows(&rs, budget, nthreads, pilot);
    rs.passes_planned = 1;
    size_t later_rows = 0; /* metric rows per later pass */
    if (rs.m_hi < rs.n_metrics) {
        /* As few passes as the budget allows, with the rows spread evenly over
         * them: the same number of simulations as filling each pass to the
         * brim, at a lower peak. */
        const size_t M = rs.n_metrics;
        size_t cap = plan_metric_rows(&rs, budget, thread_bytes(&rs, nthreads));
        size_t passes = 1 + (M - rs.m_hi + cap - 1) / cap;
        size_t even = (M + passes - 1) / passes;
        if (even < rs.m_hi)
            rs.m_hi = even;
        later_rows = (M - rs.m_hi + passes - 2) / (passes - 1);
        if (later_rows > cap)
            later_rows = cap;
        rs.passes_planned += (M - rs.m_hi + later_rows - 1) / later_rows;
    }
    metric_bytes = rs.m_hi * (size_t)rs.paths * sizeof(double);
    if (!rs.sketch) {
        annual_bytes = exact_bytes - metric_bytes;
    } else {
        rs.group = group_blocks(rs.n_annual, rs.block, nthreads, budget);
        if (!mul_size(rs.n_annual ? rs.n_annual : 1, rs.group * rs.block, sizeof(double),
                      &group_bytes)) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory allocating the group buffer");
            goto done;
        }
    }
    void *first = NULL, *second = NULL;
    take_buffers(reuse, &first, metric_bytes, &second, rs.sketch ? group_bytes : annual_bytes);
    rs.metric_samples = first;
    if (rs.sketch)
        rs.group_buf = second;
    else
        rs.annual_samples = second;
    if (!rs.metric_samples) {
        st = set_error(err, JF_ERR_NOMEM, "out of memory: %zu bytes for per-path metrics",
                       metric_bytes);
        goto done;
    }
    if (capture) {
        rs.n_inputs = jf__model_n_draws(model);
        size_t input_bytes = 0;
        if (mul_size(rs.n_inputs, (size_t)rs.paths, sizeof(double), &input_bytes))
            rs.input_samples = malloc(input_bytes ? input_bytes : 1);
        capture->metrics = malloc(metric_bytes ? metric_bytes : 1);
        capture->input_paths = calloc(rs.n_inputs ? rs.n_inputs : 1, sizeof *capture->input_paths);
        if (!rs.input_samples || !capture->metrics || !capture->input_paths) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory capturing per-path values");
            goto done;
        }
        for (size_t i = 0; i < rs.n_inputs; i++)
            jf__model_draw_path(model, i, capture->input_paths[i], JF_PATH_MAX);
    }
    if (!rs.sketch) {
        if (!rs.annual_samples && annual_bytes) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory: %zu bytes for annual series",
                           annual_bytes);
            goto done;
        }
    } else {
        if (!rs.group_buf) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory allocating the group buffer");
            goto done;
        }
        rs.brackets = calloc(rs.n_annual ? rs.n_annual : 1, sizeof *rs.brackets);
        rs.moments = malloc((rs.n_annual ? rs.n_annual : 1) * sizeof *rs.moments);
        rs.nonfinite = calloc(rs.n_annual ? rs.n_annual : 1, 1);
        rs.uncertified = calloc(rs.n_annual ? rs.n_annual : 1, 1);
        if (!rs.brackets || !rs.moments || !rs.nonfinite || !rs.uncertified) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory allocating quantile sketches");
            goto done;
        }
        for (size_t k = 0; k < rs.n_annual; k++) {
            jf__moments_init(&rs.moments[k]);
            rs.brackets[k] = jf__qbracket_alloc(jf__pct_levels, JF_N_PCT, pilot);
            if (!rs.brackets[k]) {
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
    thread_states_free(states, nthreads);
    states = NULL;
    if (capture) {
        /* Before compute_stats sorts the samples in place. */
        memcpy(capture->metrics, rs.metric_samples, metric_bytes);
        capture->paths = rs.paths;
        capture->n_metrics = rs.n_metrics;
        capture->n_inputs = rs.n_inputs;
        capture->inputs = rs.input_samples;
        rs.input_samples = NULL;
    }
    compute_stats(&rs, cat, res, nthreads);
    if (rs.sketch) {
        brackets_free(rs.brackets, rs.n_annual);
        rs.brackets = NULL;
        /* The stored metric rows are summarised: their memory goes to the fallback's sketches. */
        free(rs.metric_samples);
        rs.metric_samples = NULL;
        st = fallback_pass(&rs, res, nthreads, err);
        if (st != JF_OK)
            goto done;
    }

    /* Metrics that did not fit: re-simulate every path (paths are re-runnable,
     * MODEL.md §1) and store the next rows, until all are done. */
    if (rs.m_hi < rs.n_metrics) {
        sketches_free(rs.sketches, rs.n_annual);
        rs.sketches = NULL;
        free(rs.moments);
        rs.moments = NULL;
        free(rs.nonfinite);
        rs.nonfinite = NULL;
        free(rs.uncertified);
        rs.uncertified = NULL;
        free(rs.group_buf);
        rs.group_buf = NULL;
        rs.rerun = true;
    }
    while (rs.m_hi < rs.n_metrics) {
        free(rs.metric_samples);
        rs.metric_samples = NULL;
        rs.m_lo = rs.m_hi;
        rs.m_hi = rs.m_lo + later_rows;
        if (rs.m_hi > rs.n_metrics)
            rs.m_hi = rs.n_metrics;
        metric_bytes = (rs.m_hi - rs.m_lo) * (size_t)rs.paths * sizeof(double);
        rs.metric_samples = alloc_lines(metric_bytes);
        states = rs.metric_samples ? thread_states_alloc(&rs, nthreads) : NULL;
        if (!states) {
            st = set_error(err, JF_ERR_NOMEM, "out of memory: %zu bytes for per-path metrics",
                           metric_bytes);
            goto done;
        }
        rs.pass_index++;
        simulate_all(&rs, states, nthreads);
        thread_states_free(states, nthreads);
        states = NULL;
        compute_stats(&rs, cat, res, nthreads);
        res->metric_passes++;
    }

    if (options && options->progress)
        options->progress(options->progress_ctx, rs.paths, rs.paths);
    res->threads = rs.team > 0 ? rs.team : nthreads;
    res->seconds = omp_get_wtime() - t_start;
    res->end_time = realtime_now();
    *out = res;
    res = NULL;
    st = JF_OK;

done:
    thread_states_free(states, nthreads);
    brackets_free(rs.brackets, rs.n_annual);
    sketches_free(rs.sketches, rs.n_annual);
    free(rs.moments);
    free(rs.nonfinite);
    free(rs.uncertified);
    give_lines(reuse, rs.group_buf, group_bytes);
    give_lines(reuse, rs.metric_samples, metric_bytes);
    give_lines(reuse, rs.annual_samples, annual_bytes);
    free(rs.input_samples);
    if (st != JF_OK)
        jf__run_capture_free(capture);
    jf_results_free(res);
    jf__model_free(model);
    return st;
}

jf_status jf_run(const jf_scenario *scenario, const jf_run_options *options, jf_results **out,
                 jf_error *err)
{
    return run_impl(scenario, options, NULL, NULL, out, err);
}

jf_status jf__run_reusing(const jf_scenario *scenario, const jf_run_options *options,
                          jf__run_reuse *reuse, jf_results **out, jf_error *err)
{
    return run_impl(scenario, options, NULL, reuse, out, err);
}

jf_status jf__run_captured(const jf_scenario *scenario, const jf_run_options *options,
                           jf__run_capture *capture, jf_results **out, jf_error *err)
{
    if (!capture) {
        if (out)
            *out = NULL;
        return set_error(err, JF_ERR_USAGE, "jf__run_captured: no place for the capture");
    }
    memset(capture, 0, sizeof *capture);
    return run_impl(scenario, options, capture, NULL, out, err);
}

void jf__run_capture_free(jf__run_capture *capture)
{
    if (!capture)
        return;
    free(capture->metrics);
    free(capture->input_paths);
    free(capture->inputs);
    memset(capture, 0, sizeof *capture);
}
