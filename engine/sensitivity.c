/*
 * sensitivity.c — `jfsim sensitivity`: Sobol indices, tornado and
 * contribution to variance (issue 5 item 3; the methods and the layout of
 * sensitivity.csv are described in sensitivity.h and the README).
 *
 * Flow: read the scenario text once; load it with the caller's overrides
 * (this is also the base of every point); pick the outputs (default: each
 * scheme's us_npv.mean, ukraine_npv.mean and reached_target.mean, for a
 * contribution study each scheme's us_npv and ukraine_npv); run the points
 * (point_runner.h, the same machinery as `jfsim sweep`, so point figures
 * equal `jfsim run --set PATH=VALUE ...` figures number for number) or the
 * one captured run; estimate; write sensitivity.csv and manifest.json, each
 * atomically (csv.h), the CSV first.
 *
 * Sobol design: quasi-random (GSL's Sobol sequence in dimension 2k) when
 * k <= 20 parameters, pseudo-random (MT19937 from `seed`) beyond; a unit
 * coordinate u maps to min + u·(max − min).  Model outputs that a point
 * lacks (e.g. a years_to_target.mean when no path reached the target) are
 * NaN and make that output's indices undefined (empty cells).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "contribution.h"
#include "csv.h"
#include "param_path.h"
#include "point_runner.h"
#include "scenario_read.h"
#include "results.h"
#include "sensitivity.h"
#include "sha256.h"
#include "sobol_indices.h"

static const char *const method_names[] = {"sobol", "tornado", "contribution"};
static const char *const stat_names[] = {"mean", "sd", "p05", "p25", "p50", "p75", "p95"};
enum { STAT_MEAN = 0, STAT_SD, STAT_P05, STAT_COUNT = 7 };

/* One output: a scheme's metric and (sobol, tornado) a statistic of it. */
typedef struct {
    char scheme[JF_NAME_MAX];
    char metric[64];
    int stat;                 /* index into stat_names; -1 for contribution */
    char label[JF_PATH_MAX];  /* as written in sensitivity.csv */
} out_spec;

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */

static jf_status fail(jf_error *err, jf_status status, const char *file, const char *path,
                      const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        if (file)
            snprintf(err->file, sizeof err->file, "%s", file);
        if (path)
            snprintf(err->path, sizeof err->path, "%s", path);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

static double monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double epoch_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (double)time(NULL);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static jf_sens_row *add_row(jf_sens_results *r, const char *output, const char *parameter,
                            const char *statistic, double value, double lo, double hi)
{
    if (r->n_rows == r->cap_rows) {
        size_t cap = r->cap_rows ? 2 * r->cap_rows : 64;
        jf_sens_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        r->rows = rows;
        r->cap_rows = cap;
    }
    jf_sens_row *row = &r->rows[r->n_rows++];
    snprintf(row->output, sizeof row->output, "%s", output);
    snprintf(row->parameter, sizeof row->parameter, "%s", parameter);
    snprintf(row->statistic, sizeof row->statistic, "%s", statistic);
    row->value = value;
    row->ci_low = lo;
    row->ci_high = hi;
    return row;
}

/* Order of k items by key descending, NaN last, ties by index (a stable
 * insertion sort: k is small). */
static void rank_order(const double *key, size_t k, size_t *order)
{
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        while (j > 0) {
            double a = key[order[j - 1]], b = key[i];
            bool before = !isnan(b) && (isnan(a) || b > a);
            if (!before)
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* ------------------------------------------------------------------------ */
/* Outputs                                                                   */
/* ------------------------------------------------------------------------ */

static int stat_index(const char *name)
{
    for (int s = 0; s < STAT_COUNT; s++)
        if (!strcmp(stat_names[s], name))
            return s;
    return -1;
}

/* The outputs of the study (validated by the loader: "<scheme>.<metric>.<stat>"). */
static jf_status pick_outputs(const jf_scenario *sc, out_spec **outs, size_t *n_outs, jf_error *err)
{
    const jf_sensitivity *se = &sc->sensitivity;
    bool per_path = se->method == JF_SENS_CONTRIBUTION;
    static const char *const def_metrics[] = {"us_npv", "ukraine_npv", "reached_target"};
    size_t n_def = per_path ? 2 : 3;
    size_t cap = se->n_outputs ? se->n_outputs : sc->n_schemes * n_def;
    *outs = calloc(cap ? cap : 1, sizeof **outs);
    *n_outs = 0;
    if (!*outs)
        return fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < cap; i++) {
        out_spec o;
        memset(&o, 0, sizeof o);
        if (se->n_outputs) {
            const char *text = se->outputs[i];
            const char *d1 = strchr(text, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
            if (!d1 || !d2)
                return fail(err, JF_ERR_INTERNAL, sc->source_file, "sensitivity.outputs", "bad output '%s'", text);
            snprintf(o.scheme, sizeof o.scheme, "%.*s", (int)(d1 - text), text);
            snprintf(o.metric, sizeof o.metric, "%.*s", (int)(d2 - d1 - 1), d1 + 1);
            o.stat = stat_index(d2 + 1);
        } else {
            snprintf(o.scheme, sizeof o.scheme, "%s", sc->schemes[i / n_def].name);
            snprintf(o.metric, sizeof o.metric, "%s", def_metrics[i % n_def]);
            o.stat = STAT_MEAN;
        }
        if (per_path) {
            o.stat = -1;
            snprintf(o.label, sizeof o.label, "%s.%s", o.scheme, o.metric);
        } else {
            if (o.stat < 0)
                return fail(err, JF_ERR_INTERNAL, sc->source_file, "sensitivity.outputs", "bad statistic");
            snprintf(o.label, sizeof o.label, "%s.%s.%s", o.scheme, o.metric, stat_names[o.stat]);
        }
        bool dup = false;
        for (size_t j = 0; j < *n_outs; j++)
            dup = dup || !strcmp((*outs)[j].label, o.label);
        if (!dup)
            (*outs)[(*n_outs)++] = o;
    }
    return JF_OK;
}

/* The statistic `stat` of a summary row; NaN when missing.  *se gets the
 * standard error of the mean (NaN unless stat is the mean and sd exists). */
static double read_output(const jf_results *res, const out_spec *o, double *se)
{
    jf_stats st;
    if (se)
        *se = NAN;
    if (!jf_results_summary(res, o->scheme, o->metric, &st))
        return NAN;
    switch (o->stat) {
    case STAT_MEAN:
        if (se && st.has_sd)
            *se = st.se;
        return st.has_mean ? st.mean : NAN;
    case STAT_SD:
        return st.has_sd ? st.sd : NAN;
    default: {
        int q = o->stat - STAT_P05;
        return q >= 0 && q < 5 && st.has_pct[q] ? st.pct[q] : NAN;
    }
    }
}

/* ------------------------------------------------------------------------ */
/* Running points                                                            */
/* ------------------------------------------------------------------------ */

/* What the point callbacks share. */
typedef struct {
    const out_spec *outs;
    size_t n_outs;
    double *y;           /* [point · n_outs + o] */
    double *se;          /* same layout, standard errors (tornado), may be NULL */
    size_t point_base;   /* offset of this job's points in y */
    const jf_sens_options *opt;
    size_t points_before;   /* progress: points of earlier jobs */
    size_t points_total;
    uint64_t paths;         /* per point */
    int threads;
} study_ctx;

static jf_status on_point(void *ctx, size_t point, const jf_scenario *sc, const jf_results *res,
                          const jf_override *overrides, size_t n_overrides, jf_error *err)
{
    (void)sc;
    (void)overrides;
    (void)n_overrides;
    (void)err;
    study_ctx *c = ctx;
    size_t k = c->point_base + point;
    for (size_t o = 0; o < c->n_outs; o++)
        c->y[k * c->n_outs + o] = read_output(res, &c->outs[o], c->se ? &c->se[k * c->n_outs + o] : NULL);
    int t = jf_results_threads(res);
    if (t > c->threads)
        c->threads = t;
    return JF_OK;
}

static void on_progress(void *ctx, size_t points_done, uint64_t paths_done)
{
    study_ctx *c = ctx;
    if (!c->opt->study.progress)
        return;
    jf_points_progress p;
    p.points_resumed = 0;
    p.points_done = c->points_before + points_done;
    p.points_total = c->points_total;
    p.paths_done = (uint64_t)c->points_before * c->paths + paths_done;
    p.paths_todo = (uint64_t)c->points_total * c->paths;
    c->opt->study.progress(c->opt->study.progress_ctx, &p);
}

/* Run n_points points of n_params parameters (values row-major) into y. */
static jf_status run_points(study_ctx *c, const char *text, size_t len, size_t n_params,
                            const char *const *params, size_t n_points, const double *values,
                            jf_error *err)
{
    jf__points_job job;
    memset(&job, 0, sizeof job);
    job.text = text;
    job.len = len;
    job.name = c->opt->study.scenario_file ? c->opt->study.scenario_file : "scenario";
    job.overrides = c->opt->study.overrides;
    job.n_overrides = c->opt->study.n_overrides;
    job.n_params = n_params;
    job.params = params;
    job.n_points = n_points;
    job.values = values;
    job.run.threads = c->opt->study.threads;
    job.run.memory_budget = c->opt->study.memory_budget;
    job.mode = JF__POINTS_AUTO;
    job.done = on_point;
    job.done_ctx = c;
    job.progress = on_progress;
    job.progress_ctx = c;
    jf_status st = jf__points_run(&job, err);
    c->points_before += n_points;
    c->point_base += n_points;
    return st;
}

/* ------------------------------------------------------------------------ */
/* The three methods                                                         */
/* ------------------------------------------------------------------------ */

static jf_status study_sobol(const jf_scenario *sc, const char *text, size_t len, study_ctx *c,
                             jf_sens_results *r, jf_error *err)
{
    const jf_sensitivity *se = &sc->sensitivity;
    const size_t k = se->n_axes, n = se->n;
    size_t n_points = jf__saltelli_size(n, k);
    if (n < 2 || k < 1 || n_points == 0 || n_points > SIZE_MAX / k / sizeof(double))
        return fail(err, JF_ERR_LIMIT, sc->source_file, "sensitivity.n",
                    "a Sobol study of n = %zu base samples and %zu parameters is too large", n, k);
    jf__saltelli_kind kind = k <= JF__SOBOL_QRNG_MAX_K ? JF__SALTELLI_QUASI : JF__SALTELLI_RANDOM;
    double *x = malloc(n_points * k * sizeof *x);
    double *y = malloc(n_points * c->n_outs * sizeof *y);
    double *yo = malloc(n_points * sizeof *yo);
    const char **params = malloc(k * sizeof *params);
    jf__sobol_index *idx = malloc(k * sizeof *idx);
    size_t *order = malloc(k * sizeof *order);
    double *key = malloc(k * sizeof *key);
    jf_status st = JF_OK;
    if (!x || !y || !yo || !params || !idx || !order || !key) {
        st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory for a Sobol design of %zu points", n_points);
        goto done;
    }
    if (jf__saltelli_design(n, k, kind, se->seed, x) != JF__SOBOL_OK) {
        st = fail(err, JF_ERR_INTERNAL, NULL, NULL, "cannot build the Saltelli design");
        goto done;
    }
    for (size_t j = 0; j < k; j++) {
        params[j] = se->axes[j].path;
        double lo = se->axes[j].min, hi = se->axes[j].max;
        for (size_t p = 0; p < n_points; p++) {
            double v = lo + x[p * k + j] * (hi - lo);
            x[p * k + j] = v < lo ? lo : v > hi ? hi : v;
        }
    }
    c->y = y;
    c->points_total = n_points;
    st = run_points(c, text, len, k, params, n_points, x, err);
    if (st != JF_OK)
        goto done;
    r->points = n_points;
    for (size_t o = 0; o < c->n_outs && st == JF_OK; o++) {
        for (size_t p = 0; p < n_points; p++)
            yo[p] = y[p * c->n_outs + o];
        int e = jf__sobol_estimate(n, k, yo, se->bootstrap, JF__SENS_LEVEL, se->seed, idx, NULL);
        if (e != JF__SOBOL_OK) {
            st = fail(err, e == JF__SOBOL_ENOMEM ? JF_ERR_NOMEM : JF_ERR_INTERNAL, NULL, NULL,
                      "cannot estimate the Sobol indices of %s", c->outs[o].label);
            break;
        }
        for (size_t j = 0; j < k; j++)
            key[j] = idx[j].st;
        rank_order(key, k, order);
        for (size_t q = 0; q < k && st == JF_OK; q++) {
            const jf__sobol_index *ix = &idx[order[q]];
            const char *path = se->axes[order[q]].path;
            if (!add_row(r, c->outs[o].label, path, "S1", ix->s1, ix->s1_lo, ix->s1_hi) ||
                !add_row(r, c->outs[o].label, path, "ST", ix->st, ix->st_lo, ix->st_hi))
                st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        }
    }
done:
    free(x);
    free(y);
    free(yo);
    free(params);
    free(idx);
    free(order);
    free(key);
    c->y = NULL;
    return st;
}

static jf_status study_tornado(const jf_scenario *sc, const char *text, size_t len, study_ctx *c,
                               jf_sens_results *r, jf_error *err)
{
    const jf_sensitivity *se = &sc->sensitivity;
    const size_t k = se->n_axes, n_points = 1 + 2 * k, m = c->n_outs;
    double *y = malloc(n_points * m * sizeof *y);
    double *ese = malloc(n_points * m * sizeof *ese);
    size_t *order = malloc((k ? k : 1) * sizeof *order);
    double *swing = malloc((k ? k : 1) * sizeof *swing);
    jf_status st = JF_OK;
    if (!y || !ese || !order || !swing) {
        st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        goto done;
    }
    c->y = y;
    c->se = ese;
    c->points_total = n_points;
    /* Point 0: the base; points 1 + 2j and 2 + 2j: parameter j at min, at max. */
    st = run_points(c, text, len, 0, NULL, 1, NULL, err);
    for (size_t j = 0; j < k && st == JF_OK; j++) {
        const char *params[1] = {se->axes[j].path};
        double values[2] = {se->axes[j].min, se->axes[j].max};
        st = run_points(c, text, len, 1, params, 2, values, err);
    }
    if (st != JF_OK)
        goto done;
    r->points = n_points;
    const double q = 1.959963984540054; /* Φ⁻¹(0.975) */
    for (size_t o = 0; o < m && st == JF_OK; o++) {
        for (size_t j = 0; j < k; j++)
            swing[j] = fabs(y[(2 + 2 * j) * m + o] - y[(1 + 2 * j) * m + o]);
        rank_order(swing, k, order);
        double base = y[o], base_se = ese[o];
        for (size_t rank = 0; rank < k && st == JF_OK; rank++) {
            size_t j = order[rank];
            const char *path = se->axes[j].path, *label = c->outs[o].label;
            double lo = y[(1 + 2 * j) * m + o], hi = y[(2 + 2 * j) * m + o];
            double lo_se = ese[(1 + 2 * j) * m + o], hi_se = ese[(2 + 2 * j) * m + o];
            if (!add_row(r, label, path, "input_low", se->axes[j].min, NAN, NAN) ||
                !add_row(r, label, path, "input_high", se->axes[j].max, NAN, NAN) ||
                !add_row(r, label, path, "low", lo, lo - q * lo_se, lo + q * lo_se) ||
                !add_row(r, label, path, "base", base, base - q * base_se, base + q * base_se) ||
                !add_row(r, label, path, "high", hi, hi - q * hi_se, hi + q * hi_se) ||
                !add_row(r, label, path, "swing", swing[j], NAN, NAN) ||
                !add_row(r, label, path, "rank", isnan(swing[j]) ? NAN : (double)(rank + 1), NAN, NAN))
                st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        }
    }
done:
    free(y);
    free(ese);
    free(order);
    free(swing);
    c->y = NULL;
    c->se = NULL;
    return st;
}

/* jf_run's progress inside the one run of a contribution study. */
static void run_progress(void *ctx, uint64_t done, uint64_t total)
{
    if (done < total)
        on_progress(ctx, 0, done);
}

static jf_status study_contribution(const jf_scenario *sc, study_ctx *c, jf_sens_results *r,
                                    jf_error *err)
{
    jf_run_options ro;
    memset(&ro, 0, sizeof ro);
    ro.threads = c->opt->study.threads;
    ro.memory_budget = c->opt->study.memory_budget;
    if (c->opt->study.progress) {
        ro.progress = run_progress;
        ro.progress_ctx = c;
    }
    jf__run_capture cap;
    jf_results *res = NULL;
    c->points_total = 1;
    jf_status st = jf__run_captured(sc, &ro, &cap, &res, err);
    if (st != JF_OK)
        return st;
    on_progress(c, 1, sc->paths);
    r->points = 1;
    c->threads = jf_results_threads(res);
    const size_t n = (size_t)cap.paths, m = cap.n_inputs;
    jf__contribution *out = malloc((m ? m : 1) * sizeof *out);
    size_t *order = malloc((m ? m : 1) * sizeof *order);
    double *key = malloc((m ? m : 1) * sizeof *key);
    if (!out || !order || !key) {
        st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        goto done;
    }
    if (m == 0) {
        st = fail(err, JF_ERR_MISSING, sc->source_file, "sensitivity",
                  "a contribution study needs uncertain scalars (parameters written as distributions), "
                  "and this scenario has none");
        goto done;
    }
    const jf__catalogue *cat = &res->catalogue;
    for (size_t o = 0; o < c->n_outs && st == JF_OK; o++) {
        size_t met = cat->n_metrics;
        for (size_t i = 0; i < cat->n_metrics && met == cat->n_metrics; i++)
            if (!strcmp(cat->metrics[i].scheme, c->outs[o].scheme) &&
                !strcmp(cat->metrics[i].metric, c->outs[o].metric))
                met = i;
        if (met == cat->n_metrics) {
            st = fail(err, JF_ERR_REFERENCE, sc->source_file, "sensitivity.outputs",
                      "no per-path metric %s in this scenario", c->outs[o].label);
            break;
        }
        int e = jf__contribution_compute(n, m, cap.inputs, cap.metrics + met * n, JF__SENS_LEVEL, out);
        if (e != JF__CONTRIB_OK) {
            st = fail(err, e == JF__CONTRIB_ENOMEM ? JF_ERR_NOMEM : JF_ERR_INTERNAL, NULL, NULL,
                      "cannot compute the contributions to %s", c->outs[o].label);
            break;
        }
        for (size_t i = 0; i < m; i++)
            key[i] = fabs(out[i].rho);
        rank_order(key, m, order);
        for (size_t q = 0; q < m && st == JF_OK; q++) {
            const jf__contribution *ct = &out[order[q]];
            const char *path = cap.input_paths[order[q]];
            if (!add_row(r, c->outs[o].label, path, "spearman", ct->rho, ct->rho_lo, ct->rho_hi) ||
                !add_row(r, c->outs[o].label, path, "variance_share", ct->share, ct->share_lo, ct->share_hi))
                st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        }
    }
done:
    free(out);
    free(order);
    free(key);
    jf__run_capture_free(&cap);
    jf_results_free(res);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                     */
/* ------------------------------------------------------------------------ */

void jf__sens_write_csv(FILE *fp, const jf_sens_results *r, const jf_csv_format *format)
{
    static const char *const header[] = {"method", "output", "parameter", "statistic",
                                         "value", "ci_low", "ci_high"};
    jf__csv csv;
    jf__csv_init(&csv, fp, format);
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        jf__csv_text(&csv, header[i]);
    jf__csv_end_row(&csv);
    for (size_t i = 0; i < r->n_rows; i++) {
        const jf_sens_row *row = &r->rows[i];
        jf__csv_text(&csv, method_names[r->method]);
        jf__csv_text(&csv, row->output);
        jf__csv_text(&csv, row->parameter);
        jf__csv_text(&csv, row->statistic);
        jf__csv_number(&csv, row->value);
        jf__csv_number(&csv, row->ci_low);
        jf__csv_number(&csv, row->ci_high);
        jf__csv_end_row(&csv);
    }
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes as they are (the texts are the user's UTF-8).  NULL is null. */
static void json_string(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(fp, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", fp);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(fp, "\\u%04x", ch);
        else
            fputc(ch, fp);
    }
    fputc('"', fp);
}

static void json_number(FILE *fp, double x)
{
    if (isfinite(x))
        fprintf(fp, "%.15g", x);
    else
        fputs("null", fp);
}

static void iso8601_utc(double epoch, char buf[32])
{
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

/* manifest.json of the study. */
static void write_manifest(FILE *fp, const jf_sens_results *r, const jf_scenario *sc,
                           const jf_sens_options *opt, const char *sha, const out_spec *outs,
                           size_t n_outs, double start, double end)
{
    const jf_sensitivity *se = &sc->sensitivity;
    char t0[32], t1[32];
    iso8601_utc(start, t0);
    iso8601_utc(end, t1);
    fputs("{\n  \"engine\": \"jfsim\",\n  \"engine_version\": ", fp);
    json_string(fp, JF_VERSION_STRING);
    fputs(",\n  \"command\": \"sensitivity\",\n  \"command_line\": ", fp);
    json_string(fp, opt->study.command_line);
    fputs(",\n  \"scenario_file\": ", fp);
    json_string(fp, opt->study.scenario_file);
    fputs(",\n  \"scenario_sha256\": ", fp);
    json_string(fp, sha);
    fputs(",\n  \"scenario_name\": ", fp);
    json_string(fp, sc->name);
    fputs(",\n  \"method\": ", fp);
    json_string(fp, method_names[se->method]);
    if (se->method == JF_SENS_SOBOL) {
        fprintf(fp, ",\n  \"n\": %u,\n  \"bootstrap\": %u,\n  \"study_seed\": %" PRIu64 ",\n  \"design\": ",
                se->n, se->bootstrap, se->seed);
        json_string(fp, se->n_axes <= JF__SOBOL_QRNG_MAX_K ? "sobol_sequence" : "random");
    }
    fprintf(fp, ",\n  \"confidence_level\": %g", JF__SENS_LEVEL);
    fputs(",\n  \"outputs\": [", fp);
    for (size_t o = 0; o < n_outs; o++) {
        fputs(o ? ", " : "", fp);
        json_string(fp, outs[o].label);
    }
    fputs("],\n  \"parameters\": [", fp);
    for (size_t j = 0; j < se->n_axes; j++) {
        fputs(j ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
        json_string(fp, se->axes[j].path);
        fputs(", \"min\": ", fp);
        json_number(fp, se->axes[j].min);
        fputs(", \"max\": ", fp);
        json_number(fp, se->axes[j].max);
        fputs("}", fp);
    }
    fprintf(fp, "%s],\n  \"points\": %zu,\n  \"paths\": %" PRIu64 ",\n  \"seed\": %" PRIu64
                ",\n  \"threads\": %d,\n  \"wall_time_seconds\": ",
            se->n_axes ? "\n  " : "", r->points, r->paths, sc->seed, r->threads);
    json_number(fp, r->seconds);
    fputs(",\n  \"start_time\": ", fp);
    json_string(fp, t0);
    fputs(",\n  \"end_time\": ", fp);
    json_string(fp, t1);
    fputs(",\n  \"overrides\": [", fp);
    for (size_t i = 0; i < opt->study.n_overrides; i++) {
        fputs(i ? ", {\"path\": " : "{\"path\": ", fp);
        json_string(fp, opt->study.overrides[i].path);
        fputs(", \"value\": ", fp);
        json_string(fp, opt->study.overrides[i].value);
        fputs("}", fp);
    }
    fputs("],\n  \"resolved_scenario_yaml\": ", fp);
    char *yaml = NULL;
    size_t ylen = 0;
    FILE *mem = open_memstream(&yaml, &ylen);
    jf_error e;
    if (mem) {
        jf_status st = jf_scenario_emit(sc, mem, &e);
        fclose(mem);
        json_string(fp, st == JF_OK ? yaml : NULL);
    } else {
        json_string(fp, NULL);
    }
    free(yaml);
    fputs("\n}\n", fp);
}

/* Write sensitivity.csv, then manifest.json, each atomically. */
static jf_status write_files(const jf_sens_results *r, const jf_scenario *sc, const jf_sens_options *opt,
                             const jf_csv_format *fmt, const char *sha, const out_spec *outs,
                             size_t n_outs, double start, jf_error *err)
{
    jf_status st = jf_output_prepare(r->outdir, err);
    if (st != JF_OK)
        return st;
    char path[4200];
    jf__atomic_file f;
    memset(&f, 0, sizeof f);
    snprintf(path, sizeof path, "%s/sensitivity.csv", r->outdir);
    if ((st = jf__atomic_open(&f, path, err)) != JF_OK)
        return st;
    jf__sens_write_csv(f.fp, r, fmt);
    if ((st = jf__atomic_commit(&f, err)) != JF_OK)
        return st;
    memset(&f, 0, sizeof f);
    snprintf(path, sizeof path, "%s/manifest.json", r->outdir);
    if ((st = jf__atomic_open(&f, path, err)) != JF_OK)
        return st;
    write_manifest(f.fp, r, sc, opt, sha, outs, n_outs, start, epoch_now());
    return jf__atomic_commit(&f, err);
}

/* ------------------------------------------------------------------------ */
/* The public entry point                                                    */
/* ------------------------------------------------------------------------ */

static bool random_visit(void *ctx, const char *path, const jf__target *target)
{
    (void)path;
    if (target->kind == JF__TARGET_PARAM && target->param->dist != JF_DIST_FIXED) {
        *(bool *)ctx = true;
        return false;
    }
    return true;
}

/* Does the scenario draw any uncertain scalar? */
static bool has_uncertain_scalar(jf_scenario *sc)
{
    bool any = false;
    jf__param_path_each(sc, random_visit, &any);
    return any;
}

jf_status jf_sensitivity_run(const jf_sens_options *opt, jf_sens_results **out, jf_error *err)
{
    double t0 = monotonic_now();
    if (out)
        *out = NULL;
    jf_error_clear(err);
    if (!opt || (!opt->study.scenario_file && !opt->study.scenario_text))
        return fail(err, JF_ERR_USAGE, NULL, NULL, "jf_sensitivity_run: no scenario");
    double start = opt->study.start_time > 0 ? opt->study.start_time : epoch_now();
    jf_csv_format fmt = opt->study.format;
    if (!fmt.separator)
        fmt.separator = ',';
    if (!fmt.decimal)
        fmt.decimal = '.';
    if ((fmt.separator != ',' && fmt.separator != ';') || (fmt.decimal != '.' && fmt.decimal != ',') ||
        fmt.separator == fmt.decimal)
        return fail(err, JF_ERR_USAGE, NULL, NULL, "CSV separator must be ',' or ';', the decimal mark '.' "
                                                   "or ',', and not the same");

    char *owned = NULL;
    const char *text = opt->study.scenario_text;
    size_t len = opt->study.scenario_len;
    const char *name = opt->study.scenario_file ? opt->study.scenario_file : "scenario";
    jf_status st;
    if (!text) {
        if ((st = jf__scenario_read(opt->study.scenario_file, &owned, &len, err)) != JF_OK)
            return st;
        text = owned;
    }
    char sha[JF_SHA256_HEX_SIZE];
    jf__sha256_buffer(text, len, sha);

    jf_scenario *sc = NULL;
    out_spec *outs = NULL;
    size_t n_outs = 0;
    jf_sens_results *r = NULL;
    st = jf_scenario_load_string(text, len, name, opt->study.overrides, opt->study.n_overrides, &sc, err);
    if (st != JF_OK)
        goto done;
    if (!sc->sensitivity.present) {
        st = fail(err, JF_ERR_MISSING, name, "sensitivity",
                  "the scenario has no sensitivity section; add one (method: sobol | tornado | contribution, "
                  "parameters: {PATH: {min, max}}) to run a study");
        goto done;
    }
    if (sc->sensitivity.method == JF_SENS_CONTRIBUTION && !has_uncertain_scalar(sc)) {
        st = fail(err, JF_ERR_MISSING, name, "sensitivity",
                  "a contribution study needs at least one uncertain scalar (a resource or scheme parameter "
                  "written as a distribution, e.g. {dist: uniform, min: 0.3, max: 0.7}); this scenario has none");
        if (err) {
            err->line = sc->sensitivity.loc.line;
            err->column = sc->sensitivity.loc.column;
        }
        goto done;
    }
    if ((st = pick_outputs(sc, &outs, &n_outs, err)) != JF_OK)
        goto done;
    if (n_outs == 0) {
        st = fail(err, JF_ERR_MISSING, name, "sensitivity.outputs",
                  "nothing to study: the scenario has no schemes and the study names no outputs");
        goto done;
    }
    r = calloc(1, sizeof *r);
    if (!r) {
        st = fail(err, JF_ERR_NOMEM, NULL, NULL, "out of memory");
        goto done;
    }
    r->method = sc->sensitivity.method;
    r->paths = sc->paths;
    snprintf(r->scenario_name, sizeof r->scenario_name, "%s", sc->name);
    if (opt->study.outdir)
        snprintf(r->outdir, sizeof r->outdir, "%s", opt->study.outdir);
    else
        snprintf(r->outdir, sizeof r->outdir, "out/%s", sc->name);

    study_ctx c;
    memset(&c, 0, sizeof c);
    c.outs = outs;
    c.n_outs = n_outs;
    c.opt = opt;
    c.paths = sc->paths;
    switch (sc->sensitivity.method) {
    case JF_SENS_SOBOL: st = study_sobol(sc, text, len, &c, r, err); break;
    case JF_SENS_TORNADO: st = study_tornado(sc, text, len, &c, r, err); break;
    case JF_SENS_CONTRIBUTION: st = study_contribution(sc, &c, r, err); break;
    }
    if (st != JF_OK)
        goto done;
    r->threads = c.threads;
    r->seconds = monotonic_now() - t0;
    st = write_files(r, sc, opt, &fmt, sha, outs, n_outs, start, err);

done:
    if (st == JF_OK && out) {
        *out = r;
        r = NULL;
    }
    jf_sens_results_free(r);
    free(outs);
    jf_scenario_free(sc);
    free(owned);
    return st;
}

void jf_sens_results_free(jf_sens_results *results)
{
    if (!results)
        return;
    free(results->rows);
    free(results);
}

size_t jf_sens_results_count(const jf_sens_results *results)
{
    return results ? results->n_rows : 0;
}

const jf_sens_row *jf_sens_results_row(const jf_sens_results *results, size_t i)
{
    return results && i < results->n_rows ? &results->rows[i] : NULL;
}

jf_sens_method jf_sens_results_method(const jf_sens_results *results)
{
    return results ? results->method : JF_SENS_SOBOL;
}

const char *jf_sens_results_outdir(const jf_sens_results *results)
{
    return results ? results->outdir : "";
}

const char *jf_sens_results_scenario_name(const jf_sens_results *results)
{
    return results ? results->scenario_name : "";
}

size_t jf_sens_results_points(const jf_sens_results *results)
{
    return results ? results->points : 0;
}

uint64_t jf_sens_results_paths(const jf_sens_results *results)
{
    return results ? results->paths : 0;
}

double jf_sens_results_seconds(const jf_sens_results *results)
{
    return results ? results->seconds : 0;
}
