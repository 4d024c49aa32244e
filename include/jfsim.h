/*
 * jfsim.h — the public interface of the jfsim engine.
 *
 * jfsim simulates state resource proceeds (MODEL.md §2–§5) and feeds them into
 * revenue-sharing schemes (§6), over many Monte Carlo paths with common random
 * numbers, and reports distributions (§7).  Data flows one way:
 *
 *   scenario file --jf_scenario_load--> jf_scenario (plain validated structs)
 *                 --jf_run-----------> jf_results (statistics per metric/series)
 *                 --jf_write_*-------> summary.csv, annual.csv, manifest.json
 *
 * Conventions (see README "House style"):
 *   - Every fallible function returns a jf_status and fills a caller-owned
 *     jf_error; JF_OK (0) is success.  The library never prints, exits or
 *     aborts on bad input.
 *   - Objects come in _alloc/_free (or _load/_free) pairs; _free(NULL) is a no-op.
 *   - Public symbols are prefixed jf_, macros JF_.
 */
#ifndef JF_JFSIM_H
#define JF_JFSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JF_VERSION_MAJOR 0
#define JF_VERSION_MINOR 1
#define JF_VERSION_PATCH 0
#define JF_VERSION_STRING "0.1.0"

/* The vector kernels this process runs for the statistics: "avx512",
 * "avx2", "sse2" or "portable" (the widest the CPU has, capped by the
 * environment variable JFSIM_ISA).  Results are the same with any of them.
 * This function can't fail. */
const char *jf_vector_kernels(void);

/* The entry of the NULL-terminated list `candidates` nearest to `word` by
 * edit distance, when it is close enough to be a likely misspelling (the
 * rule of the loader's "did you mean" hints); NULL otherwise.  For front
 * ends' own hints, e.g. on a mistyped command-line option.  This function
 * can't fail. */
const char *jf_nearest_word(const char *word, const char *const *candidates);

/* ------------------------------------------------------------------------ */
/* Status codes and error records                                            */
/* ------------------------------------------------------------------------ */

/* X-macro: one table gives both the codes and their short descriptions. */
#define JF_STATUS_TABLE(X)                                                   \
    X(JF_OK, "success")                                                      \
    X(JF_ERR_USAGE, "bad usage")                                             \
    X(JF_ERR_IO, "input/output error")                                       \
    X(JF_ERR_SYNTAX, "YAML syntax error")                                    \
    X(JF_ERR_UNKNOWN_KEY, "unknown key")                                     \
    X(JF_ERR_DUPLICATE, "duplicate key or name")                             \
    X(JF_ERR_TYPE, "wrong type")                                             \
    X(JF_ERR_MISSING, "missing required key")                                \
    X(JF_ERR_RANGE, "value out of range")                                    \
    X(JF_ERR_REFERENCE, "reference to something that does not exist")        \
    X(JF_ERR_NOT_PD, "correlation matrix not positive definite")             \
    X(JF_ERR_LIMIT, "input exceeds a safety limit")                          \
    X(JF_ERR_NOMEM, "out of memory")                                         \
    X(JF_ERR_INTERNAL, "internal error")

typedef enum {
#define JF__STATUS_ENUM(code, text) code,
    JF_STATUS_TABLE(JF__STATUS_ENUM)
#undef JF__STATUS_ENUM
    JF_STATUS_COUNT
} jf_status;

/* Short description of a status code.  Never returns NULL.  This function can't fail. */
const char *jf_status_str(jf_status status);

/* Is the status a problem with the user's input (exit status 2) rather than
 * with the machine (exit status 1)?  This function can't fail. */
bool jf_status_is_input_error(jf_status status);

/*
 * An error record, filled by any failing library call.  line/column are
 * 1-based and 0 when unknown; `file` is the scenario file (or "--set" for a
 * command-line override); `path` is the key path ("resources.lithium.price.volatility")
 * or empty.
 */
typedef struct {
    jf_status status;
    char file[512];
    int line;
    int column;
    char path[256];
    char message[1024];
} jf_error;

/* Reset an error record to JF_OK with empty fields.  Accepts NULL.  This function can't fail. */
void jf_error_clear(jf_error *err);

/* Format as "FILE:LINE:COL: error: PATH: message" (parts that are unknown are
 * left out).  Returns the number of characters that the full text needs, like
 * snprintf.  This function can't fail. */
int jf_error_format(const jf_error *err, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* The scenario model (MODEL.md; INTERFACE.md "Scenario files")              */
/* ------------------------------------------------------------------------ */

#define JF_NAME_MAX 64    /* resource and scheme names, including the NUL */
#define JF_TEXT_MAX 256   /* scenario name, units */
#define JF_PATH_MAX 256   /* parameter paths */

/* Source location of a value in the scenario file (0 = not from the file). */
typedef struct {
    int line;
    int column;
} jf_loc;

/* Distribution forms of an uncertain scalar (MODEL.md §1). */
typedef enum {
    JF_DIST_FIXED = 0,  /* a plain number: p[0] */
    JF_DIST_NORMAL,     /* p[0] mean, p[1] sd */
    JF_DIST_LOGNORMAL,  /* p[0] median, p[1] sigma */
    JF_DIST_UNIFORM,    /* p[0] min, p[1] max */
    JF_DIST_TRIANGULAR, /* p[0] min, p[1] mode, p[2] max */
    JF_DIST_PERT,       /* p[0] min, p[1] mode, p[2] max; beta-PERT with lambda = 4 */
    JF_DIST_DISCRETE,   /* values[i] with probs[i], i < n_values */
    JF_DIST_BERNOULLI   /* p[0] = probability of 1 */
} jf_dist_kind;

/*
 * A numeric parameter of a resource or scheme: a number, or a distribution
 * drawn once per path.  `lo`/`hi` is the key's valid range (inclusive); a
 * drawn value outside it is clamped into it.  `is_integer` marks keys that
 * the model rounds half away from zero (first_year, start_delay,
 * reinvest_years is NOT one: it is compared as a real).  The scenario owns
 * `values`/`probs`.
 */
typedef struct {
    jf_dist_kind dist;
    double p[3];
    size_t n_values;
    double *values;
    double *probs;
    double lo;
    double hi;
    jf_loc loc;
} jf_param;

typedef enum { JF_KIND_MINERAL = 0, JF_KIND_OIL, JF_KIND_GAS, JF_KIND_COUNT } jf_kind;
typedef enum { JF_PRICE_FIXED = 0, JF_PRICE_GBM, JF_PRICE_MEAN_REVERTING } jf_price_model;
typedef enum { JF_REGIME_PEACE = 0, JF_REGIME_CONFLICT = 1 } jf_regime_state;
typedef enum { JF_SCHEME_JOINT_FUND = 0, JF_SCHEME_REPAYMENT } jf_scheme_type;
typedef enum { JF_OWNERSHIP_FIXED = 0, JF_OWNERSHIP_PRO_RATA } jf_ownership;

/* Components of state proceeds that a scheme's base may include (bit mask). */
enum {
    JF_BASE_ROYALTY = 1u << 0,
    JF_BASE_PROFIT_TAX = 1u << 1,
    JF_BASE_DIVIDENDS = 1u << 2,
    JF_BASE_LICENSE_FEES = 1u << 3,
    JF_BASE_ALL = 0xFu
};

/* Price process of one resource (MODEL.md §4). */
typedef struct {
    jf_price_model model;
    jf_param start;       /* P_0 > 0 */
    jf_param growth;      /* fixed: g (> -1) */
    jf_param drift;       /* gbm: mu */
    jf_param volatility;  /* gbm, mean_reverting: sigma >= 0 */
    jf_param long_run;    /* mean_reverting: long-run median > 0 */
    bool has_half_life;   /* mean_reverting: exactly one of reversion / half_life */
    jf_param reversion;   /* kappa > 0 */
    jf_param half_life;   /* years > 0; kappa = ln 2 / half_life */
    bool has_jumps;
    jf_param jump_rate;   /* lambda >= 0 */
    jf_param jump_mean;   /* mu_J */
    jf_param jump_sd;     /* sigma_J >= 0 */
} jf_price_spec;

/* One resource (MODEL.md §3–§5). Defaults are filled in by the loader. */
typedef struct {
    char name[JF_NAME_MAX];
    jf_loc loc;
    jf_kind kind;
    char unit[JF_TEXT_MAX];

    /* Production profile: a schedule, or capacity/ramp/plateau/decline. */
    bool has_schedule;
    size_t n_schedule;
    jf_param *schedule;       /* n_schedule entries, each >= 0 */
    jf_param capacity;        /* >= 0 */
    jf_param ramp_years;      /* >= 0, default 0 */
    jf_param plateau_years;   /* >= 0, default 1 */
    jf_param decline_rate;    /* [0, 1), default 0 */
    jf_param first_year;      /* calendar year, default start_year; rounded */
    jf_param start_delay;     /* years >= 0, default 0; rounded */

    jf_param success_probability;    /* [0,1], default 1 */
    jf_param volume_noise;           /* >= 0 */
    jf_param occupied_share;         /* [0,1] */
    jf_param liberation_probability; /* [0,1] */
    jf_param conflict_output;        /* [0,1], default 1 */

    jf_price_spec price;

    jf_param unit_cost;        /* >= 0, USD per unit */
    jf_param fixed_cost;       /* >= 0, USD per year */
    jf_param cost_escalation;  /* > -1, default: scenario inflation */
    jf_param royalty_rate;     /* [0,1]; unused when n_brackets > 0 */
    size_t n_brackets;
    double (*royalty_brackets)[2]; /* [threshold USD/unit, marginal rate], thresholds 0 = p_0 < p_1 < ... */
    jf_param profit_tax_rate;  /* [0,1], default 0.18 */
    jf_param state_equity;     /* [0,1] */
    jf_param dividend_payout;  /* [0,1] */
    jf_param license_fees;     /* >= 0, USD per year */
    jf_param eligible_share;   /* [0,1], default 1 */
} jf_resource;

/* One scheme (MODEL.md §6).  Parameters of the other type are left at 0. */
typedef struct {
    char name[JF_NAME_MAX];
    jf_loc loc;
    jf_scheme_type type;
    unsigned base;            /* JF_BASE_* mask, default JF_BASE_ALL */
    bool all_resources;       /* true when `resources` was not given */
    size_t n_resources;
    size_t *resources;        /* indexes into jf_scenario.resources, file order */

    /* joint_fund */
    jf_param contribution_share;     /* c in [0,1], default 0.5 */
    jf_param us_stake;               /* [0,1], default 0.5 */
    jf_ownership ownership;          /* default fixed */
    jf_param initial_capital_us;     /* >= 0 */
    jf_param initial_capital_ukraine;/* >= 0 */
    jf_param us_annual_contribution; /* >= 0, USD per year */
    jf_param return_mean;            /* mu_f > -1 */
    jf_param return_volatility;      /* sigma_f >= 0 */
    jf_param reinvest_years;         /* Y >= 0, default 10 */
    jf_param payout_rate;            /* pi in [0,1], default 0.05 */
    jf_param management_fee;         /* f in [0,1] */

    /* repayment */
    jf_param target;                 /* >= 0, default 500e9 */
    jf_param share;                  /* c in [0,1], default 0.5 */
    jf_param interest_rate;          /* r > -1, default 0 */
} jf_scheme;

typedef struct {
    size_t a;   /* resource indexes, a != b */
    size_t b;
    double rho; /* (-1, 1) */
    jf_loc loc;
} jf_correlation;

/* One swept or studied parameter (INTERFACE.md `sweep`, `sensitivity`). */
typedef enum {
    JF_AXIS_LIST = 0,  /* values[0..n_values) */
    JF_AXIS_RANGE,     /* from, to, steps (grid) */
    JF_AXIS_MINMAX     /* min, max (lhs, sobol, sensitivity) */
} jf_axis_kind;

typedef struct {
    char path[JF_PATH_MAX];  /* a parameter path, validated to exist */
    jf_axis_kind kind;
    size_t n_values;
    double *values;
    double from, to;
    unsigned steps;
    double min, max;
    jf_loc loc;
} jf_axis;

typedef enum { JF_SWEEP_GRID = 0, JF_SWEEP_LHS, JF_SWEEP_SOBOL } jf_sweep_method;

typedef struct {
    bool present;
    jf_sweep_method method;
    unsigned n;              /* lhs/sobol: number of points */
    uint64_t seed;           /* lhs permutation seed */
    size_t n_axes;
    jf_axis *axes;
    jf_loc loc;
} jf_sweep;

typedef enum { JF_SENS_SOBOL = 0, JF_SENS_TORNADO, JF_SENS_CONTRIBUTION } jf_sens_method;

typedef struct {
    bool present;
    jf_sens_method method;
    unsigned n;              /* sobol: base samples */
    uint64_t seed;
    unsigned bootstrap;      /* sobol: bootstrap resamples for confidence intervals */
    size_t n_outputs;
    char (*outputs)[JF_PATH_MAX]; /* "<scheme>.<metric>.<stat>" */
    size_t n_axes;
    jf_axis *axes;
    jf_loc loc;
} jf_sensitivity;

/* A validated scenario.  Every pointer inside is owned by the scenario. */
typedef struct {
    char name[JF_TEXT_MAX];
    char source_file[512];
    int start_year;
    int horizon_years;        /* 1..200 */
    uint64_t paths;           /* >= 1, default 10000 */
    uint64_t seed;            /* default 0 */
    double discount_rate;     /* > -1 */
    double inflation;         /* > -1 */

    bool has_regime;
    jf_regime_state regime_initial;
    double p_end;             /* [0,1] */
    double p_relapse;         /* [0,1] */

    size_t n_resources;
    jf_resource *resources;
    size_t n_correlations;
    jf_correlation *correlations;
    size_t n_schemes;
    jf_scheme *schemes;

    double comparison_target; /* default 500e9 */

    jf_sweep sweep;
    jf_sensitivity sensitivity;
} jf_scenario;

/* One --set PATH=VALUE override; VALUE is YAML (a number, text or a flow mapping). */
typedef struct {
    const char *path;
    const char *value;
} jf_override;

/*
 * Load, override and validate a scenario file.  `overrides` (may be NULL when
 * n_overrides is 0) are applied in order before validation and validated like
 * the file.  On success *out owns a new scenario (free with jf_scenario_free).
 * On failure *out is NULL and err says what, where and why.
 */
jf_status jf_scenario_load(const char *file, const jf_override *overrides, size_t n_overrides,
                           jf_scenario **out, jf_error *err);

/* The same from a text in memory; `name` is used in messages and as the default scenario name. */
jf_status jf_scenario_load_string(const char *text, size_t len, const char *name,
                                  const jf_override *overrides, size_t n_overrides,
                                  jf_scenario **out, jf_error *err);

/* Free a scenario and everything it owns.  Accepts NULL. */
void jf_scenario_free(jf_scenario *scenario);

/* Write the resolved scenario (defaults filled in) as YAML that jf_scenario_load
 * accepts again and that validates to the same scenario.  Returns JF_ERR_IO on a write error. */
jf_status jf_scenario_emit(const jf_scenario *scenario, FILE *out, jf_error *err);

/* Parse "PATH=VALUE" into an override pointing into `arg` (which must outlive it).
 * Returns JF_ERR_USAGE when there is no '=' or the path is empty. */
jf_status jf_override_parse(const char *arg, jf_override *out, jf_error *err);

/* ------------------------------------------------------------------------ */
/* Running (MODEL.md §1, §7)                                                 */
/* ------------------------------------------------------------------------ */

/* Called from one thread at a time, at most a few times per second.
 * paths_total is the scenario's paths; paths_done counts the work of every
 * simulation pass in paths (a run that simulates every path twice, README
 * "Statistics", shows each pass as half of them), never decreases, and
 * equals paths_total exactly once, when the run has finished. */
typedef void (*jf_progress_fn)(void *ctx, uint64_t paths_done, uint64_t paths_total);

typedef struct {
    int threads;                 /* 0 = all cores */
    size_t memory_budget;        /* bytes for the per-path samples that statistics keep
                                  * (README "Statistics, memory and reproducibility"):
                                  * annual percentiles are exact while they fit, else
                                  * certified within ±0.1 percentile rank (pilot-bracketed
                                  * counts); per-path metrics stay exact, with
                                  * extra simulation passes when they do not fit; 0 = 2 GiB */
    jf_progress_fn progress;     /* may be NULL */
    void *progress_ctx;
} jf_run_options;

/* Statistics of one metric or series (MODEL.md §7).  A statistic whose
 * `has_*` flag is false is written as an empty cell. */
typedef struct {
    uint64_t n;
    double mean, sd, se, min, max;
    double pct[5];               /* p05, p25, p50, p75, p95 */
    bool has_mean, has_sd, has_minmax;
    bool has_pct[5];
} jf_stats;

typedef struct jf_results jf_results;

/* Simulate the scenario.  On success *out owns the results (jf_results_free). */
jf_status jf_run(const jf_scenario *scenario, const jf_run_options *options,
                 jf_results **out, jf_error *err);

void jf_results_free(jf_results *results);

/* Look up one summary row: `scheme` is a scheme name, "A vs B" or "-"; `metric`
 * as in summary.csv.  Returns false when there is no such row. */
bool jf_results_summary(const jf_results *results, const char *scheme, const char *metric,
                        jf_stats *out);

/* Threads used and wall time of the run, in seconds. */
int jf_results_threads(const jf_results *results);
double jf_results_seconds(const jf_results *results);

/* ------------------------------------------------------------------------ */
/* Output (INTERFACE.md "Outputs")                                           */
/* ------------------------------------------------------------------------ */

typedef struct {
    char separator;  /* ',' (default) or ';' */
    char decimal;    /* '.' (default) or ',' */
} jf_csv_format;

/* Information for manifest.json that only the caller knows. */
typedef struct {
    const char *scenario_file;   /* as given on the command line */
    const char *command_line;    /* may be NULL */
    const jf_override *overrides;
    size_t n_overrides;
    double start_time;           /* seconds since the epoch */
} jf_manifest_info;

/* Create `outdir` (and its parents) if missing and check that files can be
 * written there, so a long run does not fail only at the end.  JF_ERR_IO with
 * the OS error otherwise.  Leaves nothing behind but the folder. */
jf_status jf_output_prepare(const char *outdir, jf_error *err);

/* Write summary.csv, annual.csv and manifest.json into `outdir` (created if
 * missing), each atomically: nothing half-written is ever left behind. */
jf_status jf_write_outputs(const jf_results *results, const jf_scenario *scenario,
                           const char *outdir, const jf_csv_format *format,
                           const jf_manifest_info *info, jf_error *err);

/* Remove the temporary files of any output being written and the output
 * folders this process created that are still empty, and stop any new
 * set of output files from being renamed into place; returns 0, after which
 * the process may end.  Returns non-zero, doing nothing, while a set of output
 * files is being renamed into place: call it again a moment later (so a
 * process never ends with old and new files mixed).  Async-signal-safe
 * (atomics, unlink and rmdir only): call it when SIGINT/SIGTERM/SIGHUP arrives. */
int jf_output_cleanup_on_signal(void);

/* ------------------------------------------------------------------------ */
/* Sweeps (INTERFACE.md `sweep`; README "Sweeps")                            */
/* ------------------------------------------------------------------------ */

/* How the points of a sweep share the threads; the results never depend on it. */
typedef enum {
    JF_SWEEP_PARALLEL_AUTO = 0,  /* points one after another when one point fills the cores */
    JF_SWEEP_POINTS_IN_SEQUENCE, /* one point at a time, each with all threads */
    JF_SWEEP_POINTS_AT_ONCE      /* several points at once, one thread each */
} jf_sweep_parallel;

/* Progress of a sweep or sensitivity study (a study of many points), for a
 * progress line.  A contribution study is one point (one ordinary run). */
typedef struct {
    size_t points_done;     /* finished, including those resumed from a sweep's journal */
    size_t points_total;
    size_t points_resumed;  /* finished by an earlier, interrupted sweep (0 for studies) */
    uint64_t paths_done;    /* simulated by this run so far */
    uint64_t paths_todo;    /* to simulate by this run in all */
} jf_points_progress;

/* Called from one thread at a time, at most a few times per second. */
typedef void (*jf_points_progress_fn)(void *ctx, const jf_points_progress *progress);

/* What every study of many points (a sweep, a sensitivity study) is given. */
typedef struct {
    const char *scenario_file;     /* read once; its text is what every point re-validates */
    const char *scenario_text;     /* or the scenario text itself (then scenario_file only names it) */
    size_t scenario_len;
    const jf_override *overrides;  /* --set, -n, --seed: applied before each point's values */
    size_t n_overrides;
    const char *outdir;            /* NULL = out/<scenario name> */
    jf_csv_format format;          /* zero = ',' and '.' */
    int threads;                   /* 0 = all cores */
    size_t memory_budget;          /* per point, as jf_run_options; 0 = 2 GiB */
    const char *command_line;      /* for manifest.json files; may be NULL */
    double start_time;             /* seconds since the epoch, for manifest.json files */
    jf_points_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} jf_study_options;

typedef struct {
    jf_study_options study;
    bool per_point;                /* also OUTDIR/points/<k>/{summary,annual}.csv, manifest.json */
    bool resume;                   /* skip the points recorded in OUTDIR/sweep.journal */
    jf_sweep_parallel parallel;
} jf_sweep_options;

/* What a finished sweep did. */
typedef struct {
    char scenario_name[JF_TEXT_MAX];
    char outdir[4096];             /* where sweep.csv and sweep.journal are */
    size_t points;
    size_t points_resumed;         /* taken from the journal instead of being run */
    size_t parameters;
    uint64_t paths;                /* per point */
    double seconds;                /* wall time of this call */
} jf_sweep_report;

/*
 * Run every point of the scenario's sweep section and write OUTDIR/sweep.csv
 * (one row per point, numbered from 0: `point`, the swept values, then
 * `<scheme>.<metric>.<stat>` columns; README "Sweeps").  Point k's figures
 * equal those of jf_run on the scenario loaded with the overrides followed by
 * the point's PATH=VALUE overrides.  Finished points are recorded durably in
 * OUTDIR/sweep.journal, which is kept after success; sweep.csv is written
 * from it, atomically, once every point is recorded.  Errors: the loader's
 * (the scenario or a point is invalid), JF_ERR_MISSING when the scenario has
 * no sweep section (nothing is written), JF_ERR_USAGE when --resume finds a
 * journal of another scenario, overrides or options, JF_ERR_IO, JF_ERR_NOMEM.
 * `report` may be NULL.
 */
jf_status jf_sweep_run(const jf_sweep_options *options, jf_sweep_report *report, jf_error *err);

/* ------------------------------------------------------------------------ */
/* Sensitivity studies (INTERFACE.md `sensitivity`; README "Sensitivity")    */
/* ------------------------------------------------------------------------ */

typedef struct {
    jf_study_options study;
} jf_sens_options;

/* One row of sensitivity.csv.  `value`, `ci_low`, `ci_high` are NaN when
 * undefined (an empty cell).  Statistics: S1, ST (sobol); input_low,
 * input_high, low, base, high, swing, rank (tornado); spearman,
 * variance_share (contribution). */
typedef struct {
    char output[JF_PATH_MAX];      /* "<scheme>.<metric>.<stat>", contribution "<scheme>.<metric>" */
    char parameter[JF_PATH_MAX];   /* a parameter path */
    char statistic[16];
    double value;
    double ci_low;
    double ci_high;
} jf_sens_row;

typedef struct jf_sens_results jf_sens_results;

/*
 * Run the scenario's sensitivity study and write OUTDIR/sensitivity.csv and
 * OUTDIR/manifest.json, atomically (README "Sensitivity").  Sobol and tornado
 * points are run like sweep points: point k's figures equal those of jf_run
 * on the scenario loaded with the overrides followed by the point's
 * PATH=VALUE overrides, with the same random streams at every point.
 * Errors: the loader's (the scenario or a point is invalid), JF_ERR_MISSING
 * when the scenario has no sensitivity section (nothing is written),
 * JF_ERR_IO, JF_ERR_NOMEM.  On success *out (when out is not NULL) owns the
 * rows (jf_sens_results_free).
 */
jf_status jf_sensitivity_run(const jf_sens_options *options, jf_sens_results **out, jf_error *err);

void jf_sens_results_free(jf_sens_results *results);

/* The rows, in sensitivity.csv order.  This function can't fail. */
size_t jf_sens_results_count(const jf_sens_results *results);
const jf_sens_row *jf_sens_results_row(const jf_sens_results *results, size_t i);

/* Facts about the study: method, where the files are, points run, paths per
 * point, threads, wall time.  These functions can't fail. */
jf_sens_method jf_sens_results_method(const jf_sens_results *results);
const char *jf_sens_results_outdir(const jf_sens_results *results);
const char *jf_sens_results_scenario_name(const jf_sens_results *results);
size_t jf_sens_results_points(const jf_sens_results *results);
uint64_t jf_sens_results_paths(const jf_sens_results *results);
double jf_sens_results_seconds(const jf_sens_results *results);

#ifdef __cplusplus
}
#endif

#endif /* JF_JFSIM_H */
