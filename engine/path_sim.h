/*
 * path_sim.h — the compiled model and the simulation of one path (internal).
 *
 * jf__model_alloc turns a validated jf_scenario into what the inner loop needs
 * (Cholesky factor of the price-shock correlations, stream keys, kind tables)
 * and a catalogue: the ordered list of per-path metrics (rows of summary.csv)
 * and annual series (rows of annual.csv).  jf__path_simulate fills, for one
 * path, one value per metric and one value per series and year.  It draws all
 * its random numbers from streams keyed by (seed, path, name, variable)
 * (MODEL.md §1), so any path can be simulated alone, in any thread, in any order.
 *
 * Layout contract with the run driver:
 *   metrics[m]                 m < catalogue->n_metrics
 *   annual[s * T + (t - 1)]    s < catalogue->n_series, t = 1..T (T = horizon)
 * A censored metric (years_to_target, years_to_repay never reached) is INFINITY.
 * Share metrics and series (reached_target, p_a_better_*, conflict) are 0 or 1.
 */
#ifndef JF_PATH_SIM_H
#define JF_PATH_SIM_H

#include "jfsim.h"

typedef enum { JF__UNIT_USD = 0, JF__UNIT_YEARS, JF__UNIT_SHARE } jf__unit;

/* One row of summary.csv: `scheme` is a scheme name, "A vs B" or "-". */
typedef struct {
    char scheme[2 * JF_NAME_MAX + 8];
    char metric[64];
    jf__unit unit;
    bool censored;   /* INFINITY marks a path that never got there */
} jf__metric_def;

/* One group of rows of annual.csv (one per year). */
typedef struct {
    char variable[32];
    char scope[JF_NAME_MAX];
} jf__series_def;

typedef struct {
    size_t n_metrics;
    jf__metric_def *metrics;
    size_t n_series;
    jf__series_def *series;
    int start_year;
    int horizon;
} jf__catalogue;

/* Returns the text of a unit ("USD", "years", "share").  This function can't fail. */
const char *jf__unit_str(jf__unit unit);

typedef struct jf__model jf__model;
typedef struct jf__path_ws jf__path_ws;

/* Compile a scenario.  Fails with JF_ERR_NOT_PD (naming the resources) when
 * the correlation matrix is not positive definite, JF_ERR_NOMEM on allocation
 * failure.  The model keeps a pointer to `scenario`, which must outlive it. */
jf_status jf__model_alloc(const jf_scenario *scenario, jf__model **out, jf_error *err);
void jf__model_free(jf__model *model);
const jf__catalogue *jf__model_catalogue(const jf__model *model);

/* Per-thread scratch space.  Returns NULL when out of memory. */
jf__path_ws *jf__path_ws_alloc(const jf__model *model);
void jf__path_ws_free(jf__path_ws *ws);

/* Simulate path `path` (0-based) and write its metrics and annual values.
 * Allocates nothing.  This function can't fail. */
void jf__path_simulate(const jf__model *model, jf__path_ws *ws, uint64_t path,
                       double *metrics, double *annual);

/*
 * Capture of the uncertain scalars (for the contribution-to-variance study,
 * contribution.h).  The model's uncertain scalars are the jf_params written as
 * distributions, in a fixed order: resources in file order (their keys in
 * res_params order, then schedule entries), then schemes in file order.
 * Nothing here runs unless a caller asks, so a plain run pays nothing.
 */

/* Number of uncertain scalars drawn per path.  This function can't fail. */
size_t jf__model_n_draws(const jf__model *model);

/* Parameter path of uncertain scalar i < jf__model_n_draws, e.g.
 * "resources.lithium.price.volatility" or "schemes.fund.return.mean"
 * (schedule entries "resources.x.schedule.3", 1-based), into buf (truncated
 * to size).  This function can't fail. */
void jf__model_draw_path(const jf__model *model, size_t i, char *buf, size_t size);

/* After jf__path_simulate(model, ws, p, ...): the values path p drew for its
 * uncertain scalars (after clamping to the key's range, before any rounding
 * the model applies), out[0..jf__model_n_draws).  This function can't fail. */
void jf__path_drawn(const jf__model *model, const jf__path_ws *ws, double *out);

#endif /* JF_PATH_SIM_H */
