/*
 * path_sim.c — compile a scenario into a model and simulate one path (MODEL.md §1–§7).
 *
 * jf__model_alloc resolves everything that does not change between paths:
 * the catalogue (summary and annual rows, in the order of the outputs), the
 * stream ids of every random variable (FNV-1a of "resource/<name>/<var>",
 * "scheme/<name>/<var>", "path/regime", "path/fund_return"), the values of
 * fixed parameters, the list of uncertain ones to draw, the discount factors
 * (1+d)^-t and the lower Cholesky factor L of the price-shock correlations,
 * stored as sparse rows.
 *
 * jf__path_simulate then runs one path in passes that each consume whole
 * streams in year order (one stream per variable, MODEL.md §1):
 *   1. regime s_1..s_T (stream path/regime) and the shared fund shocks
 *      (path/fund_return, only when a joint_fund exists);
 *   2. uncertain scalars of every resource and scheme, each from its own
 *      stream (purpose JF__STREAM_PARAM), clamped to the key's range;
 *   3. independent price shocks e_r,t per resource (price.shock), then
 *      z_t = L·e_t;
 *   4. per resource: success, price, volume (noise, occupation, conflict
 *      output) and fiscal take for t = 1..T, written straight into the
 *      annual rows, with the take's components kept for the schemes;
 *   5. kind and total rows, scenario-wide NPVs;
 *   6. each scheme on its eligible proceeds (scheme.c), then the pairwise
 *      comparisons.
 * Nothing in jf__path_simulate allocates, hashes or formats text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>

#include "fiscal.h"
#include "path_sim.h"
#include "cholesky.h"
#include "price.h"
#include "production.h"
#include "regime.h"
#include "rng.h"
#include "scheme.h"
#include "uncertain.h"

#define JF__NONE ((size_t)-1)
#define JF__LN2 0.693147180559945309417232121458176568

/* Index of each numeric resource parameter in a resource's value array;
 * schedule entries follow at RP_COUNT + i. */
typedef enum {
    RP_CAPACITY = 0, RP_RAMP_YEARS, RP_PLATEAU_YEARS, RP_DECLINE_RATE, RP_FIRST_YEAR,
    RP_START_DELAY, RP_SUCCESS, RP_VOLUME_NOISE, RP_OCCUPIED, RP_LIBERATION,
    RP_CONFLICT_OUTPUT, RP_PRICE_START, RP_PRICE_GROWTH, RP_PRICE_DRIFT, RP_PRICE_VOLATILITY,
    RP_PRICE_LONG_RUN, RP_PRICE_REVERSION, RP_PRICE_HALF_LIFE, RP_JUMP_RATE, RP_JUMP_MEAN,
    RP_JUMP_SD, RP_UNIT_COST, RP_FIXED_COST, RP_COST_ESCALATION, RP_ROYALTY_RATE,
    RP_PROFIT_TAX_RATE, RP_STATE_EQUITY, RP_DIVIDEND_PAYOUT, RP_LICENSE_FEES,
    RP_ELIGIBLE_SHARE, RP_COUNT
} res_param;

static const struct {
    const char *key;
    size_t offset;
} res_params[RP_COUNT] = {
    [RP_CAPACITY] = {"capacity", offsetof(jf_resource, capacity)},
    [RP_RAMP_YEARS] = {"ramp_years", offsetof(jf_resource, ramp_years)},
    [RP_PLATEAU_YEARS] = {"plateau_years", offsetof(jf_resource, plateau_years)},
    [RP_DECLINE_RATE] = {"decline_rate", offsetof(jf_resource, decline_rate)},
    [RP_FIRST_YEAR] = {"first_year", offsetof(jf_resource, first_year)},
    [RP_START_DELAY] = {"start_delay", offsetof(jf_resource, start_delay)},
    [RP_SUCCESS] = {"success_probability", offsetof(jf_resource, success_probability)},
    [RP_VOLUME_NOISE] = {"volume_noise", offsetof(jf_resource, volume_noise)},
    [RP_OCCUPIED] = {"occupied_share", offsetof(jf_resource, occupied_share)},
    [RP_LIBERATION] = {"liberation_probability", offsetof(jf_resource, liberation_probability)},
    [RP_CONFLICT_OUTPUT] = {"conflict_output", offsetof(jf_resource, conflict_output)},
    [RP_PRICE_START] = {"price.start", offsetof(jf_resource, price.start)},
    [RP_PRICE_GROWTH] = {"price.growth", offsetof(jf_resource, price.growth)},
    [RP_PRICE_DRIFT] = {"price.drift", offsetof(jf_resource, price.drift)},
    [RP_PRICE_VOLATILITY] = {"price.volatility", offsetof(jf_resource, price.volatility)},
    [RP_PRICE_LONG_RUN] = {"price.long_run", offsetof(jf_resource, price.long_run)},
    [RP_PRICE_REVERSION] = {"price.reversion", offsetof(jf_resource, price.reversion)},
    [RP_PRICE_HALF_LIFE] = {"price.half_life", offsetof(jf_resource, price.half_life)},
    [RP_JUMP_RATE] = {"price.jumps.rate", offsetof(jf_resource, price.jump_rate)},
    [RP_JUMP_MEAN] = {"price.jumps.mean", offsetof(jf_resource, price.jump_mean)},
    [RP_JUMP_SD] = {"price.jumps.sd", offsetof(jf_resource, price.jump_sd)},
    [RP_UNIT_COST] = {"unit_cost", offsetof(jf_resource, unit_cost)},
    [RP_FIXED_COST] = {"fixed_cost", offsetof(jf_resource, fixed_cost)},
    [RP_COST_ESCALATION] = {"cost_escalation", offsetof(jf_resource, cost_escalation)},
    [RP_ROYALTY_RATE] = {"royalty_rate", offsetof(jf_resource, royalty_rate)},
    [RP_PROFIT_TAX_RATE] = {"profit_tax_rate", offsetof(jf_resource, profit_tax_rate)},
    [RP_STATE_EQUITY] = {"state_equity", offsetof(jf_resource, state_equity)},
    [RP_DIVIDEND_PAYOUT] = {"dividend_payout", offsetof(jf_resource, dividend_payout)},
    [RP_LICENSE_FEES] = {"license_fees", offsetof(jf_resource, license_fees)},
    [RP_ELIGIBLE_SHARE] = {"eligible_share", offsetof(jf_resource, eligible_share)},
};

/* Components of the take kept per resource and year for the schemes' bases. */
enum { COMP_ROYALTY = 0, COMP_PROFIT_TAX, COMP_DIVIDENDS, COMP_LICENSE_FEES, COMP_COUNT };

/* One uncertain scalar to draw per path. */
typedef struct {
    const jf_param *param;
    uint64_t stream;
    size_t dest;   /* index into the owner's value array */
} draw_def;

typedef struct {
    const jf_resource *res;
    size_t val_off;     /* first value in model->fixed_vals / ws->vals */
    size_t draw_first;
    size_t n_draws;
    uint64_t id_success, id_noise, id_liberation, id_shock, id_jump_count, id_jump_size;
    bool needs_shock;   /* draws price.shock (diffusive price or correlated) */
    size_t chol_first;  /* nonzero entries of row r of L: chol_col/chol_val[first..first+n) */
    size_t chol_n;
} res_model;

typedef struct {
    const jf_scheme *sch;
    const jf__scheme_type *type;
    jf__scheme_values fixed;
    size_t draw_first;
    size_t n_draws;
    size_t metric_off;
    size_t n_res;
    const size_t *res_idx;
    size_t ser_inflow, ser_level, ser_us, ser_ua, ser_reached;
} scheme_model;

struct jf__model {
    const jf_scenario *sc;
    jf__catalogue cat;
    int T;
    size_t nr, ns;
    res_model *res;
    scheme_model *sch;
    draw_def *draws;         /* resource draws, then scheme draws */
    size_t n_draws;
    double *fixed_vals;      /* every resource's values with fixed parameters filled in */
    size_t n_vals;
    size_t *chol_col;
    double *chol_val;
    double *discount;        /* (1+d)^-t, t = 1..T */
    size_t *all_res;         /* 0..nr-1 */
    uint64_t id_regime, id_fund;
    bool any_fund;
    bool kind_present[JF_KIND_COUNT];
    /* annual rows */
    size_t ser_volume, ser_price, ser_gross, ser_gross_kind[JF_KIND_COUNT], ser_gross_total;
    size_t ser_state, ser_state_kind[JF_KIND_COUNT], ser_state_total, ser_conflict;
    /* summary rows */
    size_t met_pairs, met_gross, met_gross_kind[JF_KIND_COUNT], met_state,
        met_state_kind[JF_KIND_COUNT];
};

struct jf__path_ws {
    gsl_rng *rng[5];         /* main, volume noise, liberation, jump count, jump size */
    double *vals;            /* n_vals */
    jf__scheme_values *svals;/* ns */
    unsigned char *conflict; /* T */
    double *zfund;           /* T */
    double *eps;             /* nr·T independent shocks */
    double *z;               /* nr·T correlated shocks */
    double *comp;            /* COMP_COUNT·nr·T components of the take */
    double *eligible;        /* T */
    double *draw;            /* T: one resource's jumps or noise draws */
    jf__scheme_result *sres; /* ns */
};

const char *jf__unit_str(jf__unit unit)
{
    switch (unit) {
    case JF__UNIT_USD: return "USD";
    case JF__UNIT_YEARS: return "years";
    case JF__UNIT_SHARE: return "share";
    }
    return "USD";
}

static const char *const kind_names[JF_KIND_COUNT] = {"mineral", "oil", "gas"};

static jf_status fail(jf_error *err, jf_status status, const jf_scenario *sc, const char *path,
                      const char *message)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        if (sc)
            snprintf(err->file, sizeof err->file, "%s", sc->source_file);
        snprintf(err->path, sizeof err->path, "%s", path);
        snprintf(err->message, sizeof err->message, "%s", message);
    }
    return status;
}

static size_t add_metric(jf__catalogue *cat, const char *scheme, const char *b, const char *metric,
                         jf__unit unit, bool censored)
{
    jf__metric_def *m = &cat->metrics[cat->n_metrics];
    if (b)
        snprintf(m->scheme, sizeof m->scheme, "%s vs %s", scheme, b);
    else
        snprintf(m->scheme, sizeof m->scheme, "%s", scheme);
    snprintf(m->metric, sizeof m->metric, "%s", metric);
    m->unit = unit;
    m->censored = censored;
    return cat->n_metrics++;
}

static size_t add_series(jf__catalogue *cat, const char *variable, const char *scope)
{
    jf__series_def *s = &cat->series[cat->n_series];
    snprintf(s->variable, sizeof s->variable, "%s", variable);
    snprintf(s->scope, sizeof s->scope, "%s", scope);
    return cat->n_series++;
}

/* Rows of summary.csv and annual.csv in output order, recording where each
 * quantity goes.  m->sch must be set up (types). */
static jf_status build_catalogue(jf__model *m, jf_error *err)
{
    const jf_scenario *sc = m->sc;
    jf__catalogue *cat = &m->cat;
    size_t nr = m->nr, ns = m->ns, n_kinds = 0, n_repay = 0;
    for (int k = 0; k < JF_KIND_COUNT; k++)
        n_kinds += m->kind_present[k];
    for (size_t s = 0; s < ns; s++)
        n_repay += m->sch[s].type->has_years_to_repay;
    size_t n_pairs = ns > 1 ? ns * (ns - 1) / 2 : 0;
    size_t max_metrics = 7 * ns + n_repay + 4 * n_pairs + 2 * (1 + n_kinds);
    size_t max_series = 2 * nr + 2 * (nr + n_kinds + 1) + 1 + 5 * ns;
    cat->metrics = calloc(max_metrics, sizeof *cat->metrics);
    cat->series = calloc(max_series, sizeof *cat->series);
    if (!cat->metrics || !cat->series)
        return fail(err, JF_ERR_NOMEM, sc, "", "out of memory building the output catalogue");
    cat->start_year = sc->start_year;
    cat->horizon = sc->horizon_years;

    for (size_t s = 0; s < ns; s++) {
        const char *name = sc->schemes[s].name;
        m->sch[s].metric_off = add_metric(cat, name, NULL, "us_value", JF__UNIT_USD, false);
        add_metric(cat, name, NULL, "us_npv", JF__UNIT_USD, false);
        add_metric(cat, name, NULL, "us_net_npv", JF__UNIT_USD, false);
        add_metric(cat, name, NULL, "ukraine_value", JF__UNIT_USD, false);
        add_metric(cat, name, NULL, "ukraine_npv", JF__UNIT_USD, false);
        add_metric(cat, name, NULL, "years_to_target", JF__UNIT_YEARS, true);
        add_metric(cat, name, NULL, "reached_target", JF__UNIT_SHARE, false);
        if (m->sch[s].type->has_years_to_repay)
            add_metric(cat, name, NULL, "years_to_repay", JF__UNIT_YEARS, true);
    }
    m->met_pairs = cat->n_metrics;
    for (size_t a = 0; a < ns; a++)
        for (size_t b = a + 1; b < ns; b++) {
            const char *na = sc->schemes[a].name, *nb = sc->schemes[b].name;
            add_metric(cat, na, nb, "us_npv_diff", JF__UNIT_USD, false);
            add_metric(cat, na, nb, "ukraine_npv_diff", JF__UNIT_USD, false);
            add_metric(cat, na, nb, "p_a_better_us", JF__UNIT_SHARE, false);
            add_metric(cat, na, nb, "p_a_better_ukraine", JF__UNIT_SHARE, false);
        }
    char name[64];
    m->met_gross = add_metric(cat, "-", NULL, "gross_revenue_npv", JF__UNIT_USD, false);
    for (int k = 0; k < JF_KIND_COUNT; k++) {
        m->met_gross_kind[k] = JF__NONE;
        if (m->kind_present[k]) {
            snprintf(name, sizeof name, "gross_revenue_npv.%s", kind_names[k]);
            m->met_gross_kind[k] = add_metric(cat, "-", NULL, name, JF__UNIT_USD, false);
        }
    }
    m->met_state = add_metric(cat, "-", NULL, "state_proceeds_npv", JF__UNIT_USD, false);
    for (int k = 0; k < JF_KIND_COUNT; k++) {
        m->met_state_kind[k] = JF__NONE;
        if (m->kind_present[k]) {
            snprintf(name, sizeof name, "state_proceeds_npv.%s", kind_names[k]);
            m->met_state_kind[k] = add_metric(cat, "-", NULL, name, JF__UNIT_USD, false);
        }
    }

    m->ser_volume = cat->n_series;
    for (size_t r = 0; r < nr; r++)
        add_series(cat, "volume", sc->resources[r].name);
    m->ser_price = cat->n_series;
    for (size_t r = 0; r < nr; r++)
        add_series(cat, "price", sc->resources[r].name);
    m->ser_gross = cat->n_series;
    for (size_t r = 0; r < nr; r++)
        add_series(cat, "gross_revenue", sc->resources[r].name);
    for (int k = 0; k < JF_KIND_COUNT; k++)
        m->ser_gross_kind[k] = m->kind_present[k] ? add_series(cat, "gross_revenue", kind_names[k]) : JF__NONE;
    m->ser_gross_total = add_series(cat, "gross_revenue", "total");
    m->ser_state = cat->n_series;
    for (size_t r = 0; r < nr; r++)
        add_series(cat, "state_proceeds", sc->resources[r].name);
    for (int k = 0; k < JF_KIND_COUNT; k++)
        m->ser_state_kind[k] = m->kind_present[k] ? add_series(cat, "state_proceeds", kind_names[k]) : JF__NONE;
    m->ser_state_total = add_series(cat, "state_proceeds", "total");
    m->ser_conflict = add_series(cat, "conflict", "total");
    for (size_t s = 0; s < ns; s++)
        m->sch[s].ser_inflow = add_series(cat, "inflow", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        m->sch[s].ser_level = JF__NONE;
    for (size_t s = 0; s < ns; s++)
        if (m->sch[s].type->has_fund_nav)
            m->sch[s].ser_level = add_series(cat, "fund_nav", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        if (m->sch[s].type->has_outstanding)
            m->sch[s].ser_level = add_series(cat, "outstanding", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        m->sch[s].ser_us = add_series(cat, "us_cumulative", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        m->sch[s].ser_ua = add_series(cat, "ukraine_cumulative", sc->schemes[s].name);
    for (size_t s = 0; s < ns; s++)
        m->sch[s].ser_reached = add_series(cat, "reached_target", sc->schemes[s].name);
    return JF_OK;
}

/* Lower Cholesky factor of the correlation matrix over all resources, kept as
 * sparse rows.  JF_ERR_NOT_PD names the resources of the first leading block
 * that is not positive definite. */
static jf_status build_cholesky(jf__model *m, jf_error *err)
{
    const jf_scenario *sc = m->sc;
    size_t nr = m->nr, nnz = 0;
    double *a = calloc(nr ? nr * nr : 1, sizeof *a);
    if (!a)
        return fail(err, JF_ERR_NOMEM, sc, "correlations", "out of memory factoring the correlations");
    for (size_t i = 0; i < nr; i++)
        a[i * nr + i] = 1.0;
    for (size_t c = 0; c < sc->n_correlations; c++) {
        const jf_correlation *cr = &sc->correlations[c];
        if (cr->a < nr && cr->b < nr && cr->a != cr->b) {
            a[cr->a * nr + cr->b] = cr->rho;
            a[cr->b * nr + cr->a] = cr->rho;
        }
    }
    jf_status st = JF_OK;
    if (sc->n_correlations > 0) {
        double *work = malloc(nr * nr * sizeof *work);
        if (!work) {
            free(a);
            return fail(err, JF_ERR_NOMEM, sc, "correlations", "out of memory factoring the correlations");
        }
        memcpy(work, a, nr * nr * sizeof *work);
        gsl_matrix_view v = gsl_matrix_view_array(work, nr, nr);
        int rc = jf__cholesky_decomp(&v.matrix);
        if (rc != GSL_SUCCESS) {
            /* Smallest leading block that fails: its last resource and its partners. */
            size_t k = 1;
            for (; k <= nr; k++) {
                for (size_t i = 0; i < k; i++)
                    memcpy(work + i * k, a + i * nr, k * sizeof *work);
                gsl_matrix_view b = gsl_matrix_view_array(work, k, k);
                if (jf__cholesky_decomp(&b.matrix) != GSL_SUCCESS)
                    break;
            }
            if (k > nr)
                k = nr;
            size_t last = k - 1;
            char msg[1024];
            int len = snprintf(msg, sizeof msg,
                               "the correlation matrix is not positive definite; resources involved:");
            bool first = true;
            int line = 0, column = 0;
            for (size_t j = 0; j <= last; j++) {
                if (j != last && a[last * nr + j] == 0.0)
                    continue;
                if (len > 0 && (size_t)len < sizeof msg)
                    len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %s", first ? "" : ",",
                                    sc->resources[j].name);
                first = false;
            }
            for (size_t c = 0; c < sc->n_correlations && line == 0; c++)
                if (sc->correlations[c].a == last || sc->correlations[c].b == last) {
                    line = sc->correlations[c].loc.line;
                    column = sc->correlations[c].loc.column;
                }
            st = fail(err, JF_ERR_NOT_PD, sc, "correlations", msg);
            if (err) {
                err->line = line;
                err->column = column;
            }
        } else {
            memcpy(a, work, nr * nr * sizeof *a);
        }
        free(work);
        if (st != JF_OK) {
            free(a);
            return st;
        }
    }
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j <= i; j++)
            nnz += a[i * nr + j] != 0.0;
    m->chol_col = malloc((nnz ? nnz : 1) * sizeof *m->chol_col);
    m->chol_val = malloc((nnz ? nnz : 1) * sizeof *m->chol_val);
    if (!m->chol_col || !m->chol_val) {
        free(a);
        return fail(err, JF_ERR_NOMEM, sc, "correlations", "out of memory factoring the correlations");
    }
    size_t at = 0;
    for (size_t i = 0; i < nr; i++) {
        m->res[i].chol_first = at;
        for (size_t j = 0; j <= i; j++)
            if (a[i * nr + j] != 0.0) {
                m->chol_col[at] = j;
                m->chol_val[at] = a[i * nr + j];
                at++;
            }
        m->res[i].chol_n = at - m->res[i].chol_first;
    }
    free(a);
    return JF_OK;
}

static const jf_param *res_param_of(const jf_resource *res, size_t which)
{
    return (const jf_param *)((const char *)res + res_params[which].offset);
}

/* Stream ids, fixed values and the list of uncertain scalars to draw. */
static jf_status build_parameters(jf__model *m, jf_error *err)
{
    const jf_scenario *sc = m->sc;
    size_t n_vals = 0, n_draws = 0;
    for (size_t r = 0; r < m->nr; r++) {
        const jf_resource *res = &sc->resources[r];
        size_t n_sched = res->has_schedule ? res->n_schedule : 0;
        n_vals += RP_COUNT + n_sched;
        for (size_t i = 0; i < RP_COUNT; i++)
            n_draws += jf__param_is_random(res_param_of(res, i));
        for (size_t i = 0; i < n_sched; i++)
            n_draws += jf__param_is_random(&res->schedule[i]);
    }
    for (size_t s = 0; s < m->ns; s++)
        for (int i = 0; i < JF__SP_COUNT; i++)
            n_draws += jf__param_is_random(jf__scheme_param_of(&sc->schemes[s], (jf__scheme_param)i));
    m->n_vals = n_vals;
    m->fixed_vals = calloc(n_vals ? n_vals : 1, sizeof *m->fixed_vals);
    m->draws = calloc(n_draws ? n_draws : 1, sizeof *m->draws);
    if (!m->fixed_vals || !m->draws)
        return fail(err, JF_ERR_NOMEM, sc, "", "out of memory compiling the model");

    size_t off = 0, d = 0;
    char key[64];
    for (size_t r = 0; r < m->nr; r++) {
        const jf_resource *res = &sc->resources[r];
        res_model *rm = &m->res[r];
        size_t n_sched = res->has_schedule ? res->n_schedule : 0;
        rm->res = res;
        rm->val_off = off;
        rm->draw_first = d;
        for (size_t i = 0; i < RP_COUNT + n_sched; i++) {
            const jf_param *p = i < RP_COUNT ? res_param_of(res, i) : &res->schedule[i - RP_COUNT];
            m->fixed_vals[off + i] = p->p[0];
            if (!jf__param_is_random(p))
                continue;
            const char *k = res_params[i < RP_COUNT ? i : 0].key;
            if (i >= RP_COUNT) {
                snprintf(key, sizeof key, "schedule.%zu", i - RP_COUNT + 1);   /* 1-based, as parameter paths */
                k = key;
            }
            m->draws[d].param = p;
            m->draws[d].stream = jf__stream_id("resource", res->name, k);
            m->draws[d].dest = i;
            d++;
        }
        rm->n_draws = d - rm->draw_first;
        off += RP_COUNT + n_sched;
        rm->id_success = jf__stream_id("resource", res->name, "success");
        rm->id_noise = jf__stream_id("resource", res->name, "volume_noise");
        rm->id_liberation = jf__stream_id("resource", res->name, "liberation");
        rm->id_shock = jf__stream_id("resource", res->name, "price.shock");
        rm->id_jump_count = jf__stream_id("resource", res->name, "price.jump_count");
        rm->id_jump_size = jf__stream_id("resource", res->name, "price.jump_size");
        rm->needs_shock = res->price.model != JF_PRICE_FIXED;
        for (size_t c = 0; c < sc->n_correlations; c++)
            if (sc->correlations[c].a == r || sc->correlations[c].b == r)
                rm->needs_shock = true;
    }
    for (size_t s = 0; s < m->ns; s++) {
        const jf_scheme *sch = &sc->schemes[s];
        scheme_model *sm = &m->sch[s];
        sm->draw_first = d;
        sm->fixed.ownership = sch->ownership;
        for (int i = 0; i < JF__SP_COUNT; i++) {
            const jf_param *p = jf__scheme_param_of(sch, (jf__scheme_param)i);
            sm->fixed.v[i] = p->p[0];
            if (!jf__param_is_random(p))
                continue;
            m->draws[d].param = p;
            m->draws[d].stream = jf__stream_id("scheme", sch->name, jf__scheme_param_key((jf__scheme_param)i));
            m->draws[d].dest = (size_t)i;
            d++;
        }
        sm->n_draws = d - sm->draw_first;
        if (sch->all_resources) {
            sm->n_res = m->nr;
            sm->res_idx = m->all_res;
        } else {
            sm->n_res = sch->n_resources;
            sm->res_idx = sch->resources;
        }
    }
    m->n_draws = d;
    return JF_OK;
}

jf_status jf__model_alloc(const jf_scenario *scenario, jf__model **out, jf_error *err)
{
    *out = NULL;
    if (scenario->horizon_years < 1)
        return fail(err, JF_ERR_RANGE, scenario, "horizon_years", "the horizon must be at least one year");
    jf__model *m = calloc(1, sizeof *m);
    if (!m)
        return fail(err, JF_ERR_NOMEM, scenario, "", "out of memory compiling the model");
    m->sc = scenario;
    m->T = scenario->horizon_years;
    m->nr = scenario->n_resources;
    m->ns = scenario->n_schemes;
    m->res = calloc(m->nr ? m->nr : 1, sizeof *m->res);
    m->sch = calloc(m->ns ? m->ns : 1, sizeof *m->sch);
    m->all_res = calloc(m->nr ? m->nr : 1, sizeof *m->all_res);
    m->discount = calloc((size_t)m->T, sizeof *m->discount);
    jf_status st = JF_OK;
    if (!m->res || !m->sch || !m->all_res || !m->discount) {
        st = fail(err, JF_ERR_NOMEM, scenario, "", "out of memory compiling the model");
        goto fail;
    }
    for (size_t r = 0; r < m->nr; r++) {
        m->all_res[r] = r;
        if ((unsigned)scenario->resources[r].kind < JF_KIND_COUNT)
            m->kind_present[scenario->resources[r].kind] = true;
    }
    for (size_t s = 0; s < m->ns; s++) {
        m->sch[s].sch = &scenario->schemes[s];
        m->sch[s].type = jf__scheme_type_get(scenario->schemes[s].type);
        if (!m->sch[s].type) {
            st = fail(err, JF_ERR_INTERNAL, scenario, "schemes", "unknown scheme type");
            goto fail;
        }
        if (m->sch[s].type->has_fund_nav)
            m->any_fund = true;
    }
    for (int t = 1; t <= m->T; t++)
        m->discount[t - 1] = pow(1.0 + scenario->discount_rate, -(double)t);
    m->id_regime = jf__fnv1a64("path/regime");
    m->id_fund = jf__fnv1a64("path/fund_return");
    if ((st = build_parameters(m, err)) != JF_OK || (st = build_cholesky(m, err)) != JF_OK ||
        (st = build_catalogue(m, err)) != JF_OK)
        goto fail;
    *out = m;
    return JF_OK;
fail:
    jf__model_free(m);
    return st;
}

void jf__model_free(jf__model *model)
{
    if (!model)
        return;
    free(model->cat.metrics);
    free(model->cat.series);
    free(model->res);
    free(model->sch);
    free(model->draws);
    free(model->fixed_vals);
    free(model->chol_col);
    free(model->chol_val);
    free(model->discount);
    free(model->all_res);
    free(model);
}

const jf__catalogue *jf__model_catalogue(const jf__model *model)
{
    return &model->cat;
}

jf__path_ws *jf__path_ws_alloc(const jf__model *model)
{
    jf__path_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    size_t T = (size_t)model->T, nr = model->nr;
    bool ok = true;
    for (size_t i = 0; i < sizeof ws->rng / sizeof ws->rng[0]; i++)
        ok = ok && (ws->rng[i] = jf__rng_alloc()) != NULL;
    ws->vals = malloc((model->n_vals ? model->n_vals : 1) * sizeof *ws->vals);
    ws->svals = malloc((model->ns ? model->ns : 1) * sizeof *ws->svals);
    ws->conflict = malloc(T);
    ws->zfund = malloc(T * sizeof *ws->zfund);
    ws->eps = malloc((nr ? nr : 1) * T * sizeof *ws->eps);
    ws->z = malloc((nr ? nr : 1) * T * sizeof *ws->z);
    ws->comp = malloc((nr ? nr : 1) * COMP_COUNT * T * sizeof *ws->comp);
    ws->eligible = malloc(T * sizeof *ws->eligible);
    ws->draw = malloc(T * sizeof *ws->draw);
    ws->sres = malloc((model->ns ? model->ns : 1) * sizeof *ws->sres);
    if (!ok || !ws->vals || !ws->svals || !ws->conflict || !ws->zfund || !ws->eps || !ws->z ||
        !ws->comp || !ws->eligible || !ws->draw || !ws->sres) {
        jf__path_ws_free(ws);
        return NULL;
    }
    return ws;
}

void jf__path_ws_free(jf__path_ws *ws)
{
    if (!ws)
        return;
    for (size_t i = 0; i < sizeof ws->rng / sizeof ws->rng[0]; i++)
        jf__rng_free(ws->rng[i]);
    free(ws->vals);
    free(ws->svals);
    free(ws->conflict);
    free(ws->zfund);
    free(ws->eps);
    free(ws->z);
    free(ws->comp);
    free(ws->eligible);
    free(ws->draw);
    free(ws->sres);
    free(ws);
}

/* Success, price, volume and fiscal take of resource r for t = 1..T (MODEL.md §3–§5). */
static void simulate_resource(const jf__model *m, jf__path_ws *ws, uint64_t path, size_t r,
                              double *annual)
{
    const jf_scenario *sc = m->sc;
    const res_model *rm = &m->res[r];
    const jf_resource *res = rm->res;
    const double *v = ws->vals + rm->val_off;
    const size_t T = (size_t)m->T;
    const uint64_t seed = sc->seed;
    double *volume = annual + (m->ser_volume + r) * T;
    double *price = annual + (m->ser_price + r) * T;
    double *gross = annual + (m->ser_gross + r) * T;
    double *state = annual + (m->ser_state + r) * T;
    double *comp = ws->comp + r * COMP_COUNT * T;
    const double *z = ws->z + r * T;
    const unsigned char *conflict = ws->conflict;

    /* Success: one Bernoulli per path, u < q (q >= 1 or q <= 0 needs no draw). */
    double q = v[RP_SUCCESS];
    bool ok = q >= 1.0;
    if (q > 0.0 && q < 1.0) {
        jf__rng_key(ws->rng[0], seed, path, rm->id_success);
        ok = jf__rng_uniform(ws->rng[0]) < q;
    }

    /* Price process. */
    const jf_price_spec *ps = &res->price;
    double kappa = ps->has_half_life ? JF__LN2 / v[RP_PRICE_HALF_LIFE] : v[RP_PRICE_REVERSION];
    jf__price_params pp;
    jf__price_params_set(&pp, ps->model, v[RP_PRICE_START], v[RP_PRICE_GROWTH], v[RP_PRICE_DRIFT],
                         v[RP_PRICE_VOLATILITY], v[RP_PRICE_LONG_RUN], kappa, ps->has_jumps,
                         v[RP_JUMP_RATE], v[RP_JUMP_MEAN], v[RP_JUMP_SD]);
    const bool fixed_price = ps->model == JF_PRICE_FIXED;
    const bool jumps = pp.has_jumps && pp.jump_rate > 0.0;
    if (jumps) {
        jf__rng_key(ws->rng[3], seed, path, rm->id_jump_count);
        jf__rng_key(ws->rng[4], seed, path, rm->id_jump_size);
    }
    const double growth = 1.0 + pp.growth;
    double p_fixed = pp.p0, x = fixed_price ? 0.0 : log(pp.p0);

    /* Production. */
    jf__profile prof = {
        res->has_schedule ? v + RP_COUNT : NULL, res->has_schedule ? res->n_schedule : 0,
        v[RP_CAPACITY], v[RP_RAMP_YEARS], v[RP_PLATEAU_YEARS], v[RP_DECLINE_RATE],
    };
    if (res->has_schedule && res->n_schedule == 0)
        prof.schedule = v;   /* empty schedule: V = 0 (n_schedule 0 is checked first) */
    const long t_start = jf__production_t_start(sc->start_year, v[RP_FIRST_YEAR], v[RP_START_DELAY]);
    const double sv = v[RP_VOLUME_NOISE];
    const bool noise = ok && sv > 0.0;
    const double noise_shift = -0.5 * sv * sv;
    if (noise)
        jf__rng_key(ws->rng[1], seed, path, rm->id_noise);
    const double occ_share = v[RP_OCCUPIED], lib = v[RP_LIBERATION];
    bool occupied = ok && occ_share > 0.0;
    if (occupied && lib > 0.0)
        jf__rng_key(ws->rng[2], seed, path, rm->id_liberation);
    const double conflict_output = v[RP_CONFLICT_OUTPUT];

    /* Fiscal terms. */
    jf__fiscal_params fp = {
        v[RP_UNIT_COST], v[RP_FIXED_COST], v[RP_ROYALTY_RATE], res->n_brackets,
        (const double (*)[2])res->royalty_brackets, v[RP_PROFIT_TAX_RATE], v[RP_STATE_EQUITY],
        v[RP_DIVIDEND_PAYOUT], v[RP_LICENSE_FEES],
    };
    const double esc_step = 1.0 + v[RP_COST_ESCALATION];
    double *draw = ws->draw;

    /* Row by row (price, volume, take) rather than year by year: each loop's
     * years are then independent work the processor overlaps.  Each stream
     * is still drawn in year order, and streams are independent, so the
     * numbers are those of the year-by-year order. */
    if (fixed_price) {
        for (size_t i = 0; i < T; i++) {
            p_fixed *= growth;
            price[i] = p_fixed;
        }
    } else {
        if (jumps)
            for (size_t i = 0; i < T; i++) {
                unsigned n = gsl_ran_poisson(ws->rng[3], pp.jump_rate);
                double e = gsl_ran_gaussian_ziggurat(ws->rng[4], 1.0);
                draw[i] = jf__price_jump(&pp, n, e);
            }
        else
            for (size_t i = 0; i < T; i++)
                draw[i] = 0.0;
        for (size_t i = 0; i < T; i++) {
            x = jf__price_log_step(&pp, x, z[i], draw[i]);
            price[i] = x;
        }
        for (size_t i = 0; i < T; i++)
            price[i] = exp(price[i]);
    }
    if (!ok) {
        for (size_t i = 0; i < T; i++)
            volume[i] = gross[i] = state[i] = 0.0;
        memset(comp, 0, COMP_COUNT * T * sizeof *comp);
        return;
    }

    /* Volume: the profile, then noise, occupation and conflict output, in
     * the order MODEL.md §3 multiplies them. */
    double decline = 1.0;
    long decline_age = -1;
    for (size_t i = 0; i < T; i++) {
        const long age = (long)i + 2 - t_start;
        double Q;
        if (!prof.schedule && age >= 1 && (double)age > prof.ramp_years + prof.plateau_years) {
            /* Decline phase: C·(1-d)^(a-R-L) by a running product instead of a pow per year. */
            if (decline_age == age - 1)
                decline *= 1.0 - prof.decline_rate;
            else
                decline = pow(1.0 - prof.decline_rate, (double)age - prof.ramp_years - prof.plateau_years);
            decline_age = age;
            Q = prof.capacity * decline;
        } else {
            Q = jf__production_base(&prof, age);
        }
        volume[i] = Q;
    }
    if (noise) {
        for (size_t i = 0; i < T; i++)
            draw[i] = gsl_ran_gaussian_ziggurat(ws->rng[1], 1.0);
        for (size_t i = 0; i < T; i++)
            volume[i] *= exp(sv * draw[i] + noise_shift);
    }
    if (occupied) {
        for (size_t i = 0; i < T; i++) {
            if (occupied && lib > 0.0 && jf__rng_uniform(ws->rng[2]) < lib)
                occupied = false;   /* liberated in year t frees year t itself */
            if (occupied)
                volume[i] *= 1.0 - occ_share;
        }
    }
    for (size_t i = 0; i < T; i++)
        if (conflict[i])
            volume[i] *= conflict_output;

    /* The take. */
    double esc = 1.0;
    for (size_t i = 0; i < T; i++) {
        esc *= esc_step;
        const long age = (long)i + 2 - t_start;
        jf__take take;
        jf__fiscal_take(&fp, volume[i], price[i], esc, age >= 1, true, &take);
        gross[i] = take.gross;
        state[i] = take.state;
        comp[COMP_ROYALTY * T + i] = take.royalty;
        comp[COMP_PROFIT_TAX * T + i] = take.profit_tax;
        comp[COMP_DIVIDENDS * T + i] = take.dividends;
        comp[COMP_LICENSE_FEES * T + i] = take.license_fees;
    }
}

static void draw_values(const jf__model *m, gsl_rng *r, uint64_t path, const draw_def *d, size_t n,
                        double *dest)
{
    for (size_t i = 0; i < n; i++) {
        jf__rng_key_purpose(r, m->sc->seed, path, d[i].stream, JF__STREAM_PARAM);
        dest[d[i].dest] = jf__param_draw(d[i].param, r);
    }
}

static double discounted(const double *row, const double *discount, size_t T)
{
    double sum = 0.0;
    for (size_t i = 0; i < T; i++)
        sum += row[i] * discount[i];
    return sum;
}

void jf__path_simulate(const jf__model *model, jf__path_ws *ws, uint64_t path,
                       double *metrics, double *annual)
{
    const jf__model *m = model;
    const jf_scenario *sc = m->sc;
    const size_t T = (size_t)m->T, nr = m->nr, ns = m->ns;
    const uint64_t seed = sc->seed;
    gsl_rng *rng = ws->rng[0];

    /* 1. Regime and the shared fund-return shocks. */
    if (sc->has_regime)
        jf__rng_key(rng, seed, path, m->id_regime);
    jf__regime_path(sc, rng, ws->conflict);
    double *conflict_row = annual + m->ser_conflict * T;
    for (size_t i = 0; i < T; i++)
        conflict_row[i] = ws->conflict[i] ? 1.0 : 0.0;
    if (m->any_fund) {
        jf__rng_key(rng, seed, path, m->id_fund);
        for (size_t i = 0; i < T; i++)
            ws->zfund[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    }

    /* 2. Uncertain scalars. */
    memcpy(ws->vals, m->fixed_vals, m->n_vals * sizeof *ws->vals);
    for (size_t r = 0; r < nr; r++)
        draw_values(m, rng, path, m->draws + m->res[r].draw_first, m->res[r].n_draws,
                    ws->vals + m->res[r].val_off);
    for (size_t s = 0; s < ns; s++) {
        ws->svals[s] = m->sch[s].fixed;
        draw_values(m, rng, path, m->draws + m->sch[s].draw_first, m->sch[s].n_draws, ws->svals[s].v);
    }

    /* 3. Price shocks: independent e_r,t, then z_t = L·e_t. */
    for (size_t r = 0; r < nr; r++) {
        if (!m->res[r].needs_shock)
            continue;
        jf__rng_key(rng, seed, path, m->res[r].id_shock);
        double *e = ws->eps + r * T;
        for (size_t i = 0; i < T; i++)
            e[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    for (size_t r = 0; r < nr; r++) {
        if (m->res[r].res->price.model == JF_PRICE_FIXED)
            continue;
        /* z_r = Σ_k L[r][k]·e_k over the row's nonzeros, one whole year row at
         * a time (a vectorisable axpy; per year the same sum in the same order). */
        double *z = ws->z + r * T;
        const size_t first = m->res[r].chol_first, n = m->res[r].chol_n;
        for (size_t i = 0; i < T; i++)
            z[i] = 0.0;
        for (size_t k = first; k < first + n; k++) {
            const double l = m->chol_val[k];
            const double *e = ws->eps + m->chol_col[k] * T;
            for (size_t i = 0; i < T; i++)
                z[i] += l * e[i];
        }
    }

    /* 4. Each resource. */
    for (size_t r = 0; r < nr; r++)
        simulate_resource(m, ws, path, r, annual);

    /* 5. Kind and total rows, scenario-wide NPVs. */
    double *gross_total = annual + m->ser_gross_total * T;
    double *state_total = annual + m->ser_state_total * T;
    memset(gross_total, 0, T * sizeof *gross_total);
    memset(state_total, 0, T * sizeof *state_total);
    for (int k = 0; k < JF_KIND_COUNT; k++)
        if (m->kind_present[k]) {
            memset(annual + m->ser_gross_kind[k] * T, 0, T * sizeof *annual);
            memset(annual + m->ser_state_kind[k] * T, 0, T * sizeof *annual);
        }
    for (size_t r = 0; r < nr; r++) {
        const double *g = annual + (m->ser_gross + r) * T;
        const double *s = annual + (m->ser_state + r) * T;
        double *gk = annual + m->ser_gross_kind[m->res[r].res->kind] * T;
        double *sk = annual + m->ser_state_kind[m->res[r].res->kind] * T;
        for (size_t i = 0; i < T; i++) {
            gk[i] += g[i];
            sk[i] += s[i];
            gross_total[i] += g[i];
            state_total[i] += s[i];
        }
    }
    metrics[m->met_gross] = discounted(gross_total, m->discount, T);
    metrics[m->met_state] = discounted(state_total, m->discount, T);
    for (int k = 0; k < JF_KIND_COUNT; k++)
        if (m->kind_present[k]) {
            metrics[m->met_gross_kind[k]] = discounted(annual + m->ser_gross_kind[k] * T, m->discount, T);
            metrics[m->met_state_kind[k]] = discounted(annual + m->ser_state_kind[k] * T, m->discount, T);
        }

    /* 6. Schemes, then pairwise comparisons. */
    for (size_t s = 0; s < ns; s++) {
        const scheme_model *sm = &m->sch[s];
        const unsigned base = sm->sch->base;
        memset(ws->eligible, 0, T * sizeof *ws->eligible);
        for (size_t j = 0; j < sm->n_res; j++) {
            const size_t r = sm->res_idx[j];
            const double share = ws->vals[m->res[r].val_off + RP_ELIGIBLE_SHARE];
            const double *comp = ws->comp + r * COMP_COUNT * T;
            for (int c = 0; c < COMP_COUNT; c++) {
                if (!(base & (1u << c)))
                    continue;
                const double *row = comp + (size_t)c * T;
                for (size_t i = 0; i < T; i++)
                    ws->eligible[i] += share * row[i];
            }
        }
        jf__scheme_series series = {
            annual + sm->ser_inflow * T,
            sm->ser_level != JF__NONE ? annual + sm->ser_level * T : NULL,
            annual + sm->ser_us * T,
            annual + sm->ser_ua * T,
            annual + sm->ser_reached * T,
        };
        jf__scheme_result *res = &ws->sres[s];
        jf__scheme_simulate(sm->type, &ws->svals[s], m->T, ws->eligible, state_total,
                            m->any_fund ? ws->zfund : NULL, m->discount, sc->comparison_target,
                            &series, res);
        double *out = metrics + sm->metric_off;
        out[0] = res->us_value;
        out[1] = res->us_npv;
        out[2] = res->us_net_npv;
        out[3] = res->ukraine_value;
        out[4] = res->ukraine_npv;
        out[5] = res->years_to_target;
        out[6] = res->reached_target;
        if (sm->type->has_years_to_repay)
            out[7] = res->years_to_repay;
    }
    double *pair = metrics + m->met_pairs;
    for (size_t a = 0; a < ns; a++)
        for (size_t b = a + 1; b < ns; b++) {
            const jf__scheme_result *ra = &ws->sres[a], *rb = &ws->sres[b];
            pair[0] = ra->us_npv - rb->us_npv;
            pair[1] = ra->ukraine_npv - rb->ukraine_npv;
            pair[2] = ra->us_npv > rb->us_npv ? 1.0 : 0.0;
            pair[3] = ra->ukraine_npv > rb->ukraine_npv ? 1.0 : 0.0;
            pair += 4;
        }
}

size_t jf__model_n_draws(const jf__model *model)
{
    return model->n_draws;
}

void jf__model_draw_path(const jf__model *model, size_t i, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t r = 0; r < model->nr; r++) {
        const res_model *rm = &model->res[r];
        if (i < rm->draw_first || i >= rm->draw_first + rm->n_draws)
            continue;
        size_t dest = model->draws[i].dest;
        if (dest < RP_COUNT)
            snprintf(buf, size, "resources.%s.%s", rm->res->name, res_params[dest].key);
        else
            snprintf(buf, size, "resources.%s.schedule.%zu", rm->res->name, dest - RP_COUNT + 1);
        return;
    }
    for (size_t s = 0; s < model->ns; s++) {
        const scheme_model *sm = &model->sch[s];
        if (i < sm->draw_first || i >= sm->draw_first + sm->n_draws)
            continue;
        snprintf(buf, size, "schemes.%s.%s", sm->sch->name,
                 jf__scheme_param_key((jf__scheme_param)model->draws[i].dest));
        return;
    }
}

void jf__path_drawn(const jf__model *model, const jf__path_ws *ws, double *out)
{
    for (size_t r = 0; r < model->nr; r++) {
        const res_model *rm = &model->res[r];
        for (size_t d = rm->draw_first; d < rm->draw_first + rm->n_draws; d++)
            out[d] = ws->vals[rm->val_off + model->draws[d].dest];
    }
    for (size_t s = 0; s < model->ns; s++) {
        const scheme_model *sm = &model->sch[s];
        for (size_t d = sm->draw_first; d < sm->draw_first + sm->n_draws; d++)
            out[d] = ws->svals[s].v[model->draws[d].dest];
    }
}
