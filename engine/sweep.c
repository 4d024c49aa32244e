/*
 * sweep.c — the sweep driver: jf_sweep_run (INTERFACE.md `sweep`; issue 5
 * items 1, 2 and 4).
 *
 * Flow: read the scenario file once (its text and SHA-256); validate it with
 * the base overrides; generate the points (sweep_points.h); lay out the
 * sweep.csv columns from the model's catalogue; open the journal
 * (sweep_journal.h: new, or resumed after checking the fingerprints); run
 * the points that the journal does not hold with the point runner
 * (point_runner.h: each point re-validates the text with base + point
 * overrides, so its figures are `jfsim run --set ...`'s, MODEL.md §1 common
 * random numbers included); per finished point, write its per-point files
 * (--per-point) and THEN append its journal line; finally write sweep.csv
 * from the journal's rows.  sweep.csv therefore comes from the same records
 * whether or not the sweep was interrupted, and is byte-identical either way
 * and for any thread count or parallel plan.
 *
 * sweep.csv columns: `point` (0-based, as OUTDIR/points/<k>/ and the
 * journal), one column per swept parameter (header = its path, file order),
 * then for each scheme in file order each of its metrics of MODEL.md §7
 * (us_value, us_npv, us_net_npv, ukraine_value, ukraine_npv,
 * years_to_target, reached_target, and years_to_repay for repayment schemes)
 * with `.mean .p05 .p50 .p95`; then for each pair "A vs B" us_npv_diff and
 * ukraine_npv_diff with the same four statistics and p_a_better_us,
 * p_a_better_ukraine with `.mean` only (percentiles of a 0/1 share say
 * nothing).  Undefined statistics (censored percentiles, years_to_target
 * mean when no path reaches the target) are empty cells.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <omp.h>

#include "csv.h"
#include "path_sim.h"
#include "point_runner.h"
#include "scenario_read.h"
#include "results.h"
#include "sha256.h"
#include "sweep_journal.h"
#include "sweep_points.h"

#define JF__MAX_SCENARIO_BYTES (16u * 1024u * 1024u)

enum { STAT_MEAN = 0, STAT_P05, STAT_P50, STAT_P95, N_STATS };
static const char *const stat_names[N_STATS] = {"mean", "p05", "p50", "p95"};
static const int stat_pct[N_STATS] = {-1, 0, 2, 4}; /* index into jf_stats.pct */

/* One statistics column of sweep.csv. */
typedef struct {
    size_t metric;   /* catalogue index */
    int stat;        /* STAT_* */
} stat_col;

/* What the point callback needs. */
typedef struct {
    const jf_sweep_options *o;
    const char *outdir;
    size_t n_params;
    const double *values;    /* points */
    size_t n_stat_cols;
    const stat_col *cols;
    double *row;             /* n_params + n_stat_cols scratch */
    jf__journal *journal;
    size_t n_points;
    size_t resumed;
    uint64_t paths;
} sweep_ctx;

static jf_status sfail(jf_error *err, jf_status status, const char *file, const char *path,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static jf_status sfail(jf_error *err, jf_status status, const char *file, const char *path,
                       const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        snprintf(err->file, sizeof err->file, "%s", file ? file : "");
        snprintf(err->path, sizeof err->path, "%s", path ? path : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

static bool is_pair(const jf__metric_def *m)
{
    return strstr(m->scheme, " vs ") != NULL;
}

/* The statistics columns, from the catalogue; *cols is owned by the caller. */
static jf_status layout_columns(const jf__catalogue *cat, stat_col **cols, size_t *n, jf_error *err)
{
    size_t cap = cat->n_metrics * N_STATS + 1, k = 0;
    stat_col *c = malloc(cap * sizeof *c);
    if (!c)
        return sfail(err, JF_ERR_NOMEM, "", "", "out of memory");
    for (int pass = 0; pass < 2; pass++) {
        for (size_t m = 0; m < cat->n_metrics; m++) {
            const jf__metric_def *d = &cat->metrics[m];
            if (strcmp(d->scheme, "-") == 0 || is_pair(d) != (pass == 1))
                continue;
            int stats = pass == 1 && d->unit == JF__UNIT_SHARE ? 1 : N_STATS;
            for (int s = 0; s < stats; s++)
                c[k++] = (stat_col){m, s};
        }
    }
    *cols = c;
    *n = k;
    return JF_OK;
}

static void column_name(const jf__catalogue *cat, const stat_col *c, char *buf, size_t size)
{
    const jf__metric_def *d = &cat->metrics[c->metric];
    snprintf(buf, size, "%s.%s.%s", d->scheme, d->metric, stat_names[c->stat]);
}

static double stat_value(const jf_stats *st, int stat)
{
    if (stat == STAT_MEAN)
        return st->has_mean ? st->mean : NAN;
    int q = stat_pct[stat];
    return st->has_pct[q] ? st->pct[q] : NAN;
}

/* The fingerprints that a resumed journal must match. */
static jf_status fingerprints(const sweep_ctx *c, const char *sha_text, const jf__catalogue *cat,
                              const jf_sweep *sw, jf__journal_print *p, jf_error *err)
{
    const jf_sweep_options *o = c->o;
    snprintf(p->scenario, sizeof p->scenario, "%s", sha_text);

    size_t size = 1;
    for (size_t i = 0; i < o->study.n_overrides; i++)
        size += strlen(o->study.overrides[i].path) + strlen(o->study.overrides[i].value ? o->study.overrides[i].value : "") + 2;
    char *buf = malloc(size);
    if (!buf)
        return sfail(err, JF_ERR_NOMEM, "", "", "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < o->study.n_overrides; i++) {
        n += (size_t)sprintf(buf + n, "%s", o->study.overrides[i].path) + 1;
        n += (size_t)sprintf(buf + n, "%s", o->study.overrides[i].value ? o->study.overrides[i].value : "") + 1;
    }
    jf__sha256_buffer(buf, n, p->overrides);
    free(buf);

    /* Options, column names and the points' exact bytes. */
    size_t pts = c->n_points * c->n_params * sizeof(double);
    size = 512 + pts + (c->n_stat_cols + sw->n_axes) * (2 * JF_NAME_MAX + 96);
    buf = malloc(size);
    if (!buf)
        return sfail(err, JF_ERR_NOMEM, "", "", "out of memory");
    char sep = o->study.format.separator ? o->study.format.separator : ',';
    char dec = o->study.format.decimal ? o->study.format.decimal : '.';
    n = (size_t)snprintf(buf, 512, "jfsim %s\nsep %c\ndecimal %c\nper_point %d\nbudget %zu\n",
                         JF_VERSION_STRING, sep, dec, (int)o->per_point,
                         o->per_point ? o->study.memory_budget : (size_t)0);
    for (size_t j = 0; j < sw->n_axes; j++)
        n += (size_t)sprintf(buf + n, "%s\n", sw->axes[j].path);
    for (size_t k = 0; k < c->n_stat_cols; k++) {
        char name[2 * JF_NAME_MAX + 96];
        column_name(cat, &c->cols[k], name, sizeof name);
        n += (size_t)sprintf(buf + n, "%s\n", name);
    }
    memcpy(buf + n, c->values, pts);
    n += pts;
    jf__sha256_buffer(buf, n, p->options);
    free(buf);
    return JF_OK;
}

/* Point callback: per-point files first, then the durable journal line. */
static jf_status on_point(void *ctx, size_t point, const jf_scenario *sc, const jf_results *res,
                          const jf_override *overrides, size_t n_overrides, jf_error *err)
{
    sweep_ctx *c = ctx;
    if (c->o->per_point) {
        char dir[4096];
        if (snprintf(dir, sizeof dir, "%s/points/%zu", c->outdir, point) >= (int)sizeof dir)
            return sfail(err, JF_ERR_IO, c->outdir, "", "output folder name too long");
        jf_manifest_info info = {0};
        /* A scenario given as text has no file for the manifest to hash. */
        info.scenario_file = c->o->study.scenario_text ? NULL : c->o->study.scenario_file;
        info.command_line = c->o->study.command_line;
        info.overrides = overrides;
        info.n_overrides = n_overrides;
        info.start_time = c->o->study.start_time;
        jf_csv_format fmt = c->o->study.format;
        if (!fmt.separator)
            fmt.separator = ',';
        if (!fmt.decimal)
            fmt.decimal = '.';
        jf_status st = jf_write_outputs(res, sc, dir, &fmt, &info, err);
        if (st != JF_OK)
            return st;
    }
    memcpy(c->row, c->values + point * c->n_params, c->n_params * sizeof *c->row);
    for (size_t k = 0; k < c->n_stat_cols; k++)
        c->row[c->n_params + k] = stat_value(&res->metric_stats[c->cols[k].metric], c->cols[k].stat);
    return jf__journal_append(c->journal, point, c->row, err);
}

static void on_progress(void *ctx, size_t points_done, uint64_t paths_done)
{
    sweep_ctx *c = ctx;
    if (!c->o->study.progress)
        return;
    jf_points_progress p;
    p.points_total = c->n_points;
    p.points_resumed = c->resumed;
    p.points_done = c->resumed + points_done;
    p.paths_done = paths_done;
    p.paths_todo = (uint64_t)(c->n_points - c->resumed) * c->paths;
    c->o->study.progress(c->o->study.progress_ctx, &p);
}

/* Write OUTDIR/sweep.csv from the journal's rows, atomically. */
static jf_status write_sweep_csv(const sweep_ctx *c, const jf__catalogue *cat, const jf_sweep *sw,
                                 jf_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/sweep.csv", c->outdir) >= (int)sizeof path)
        return sfail(err, JF_ERR_IO, c->outdir, "", "output folder name too long");
    jf__atomic_file f;
    jf_status st = jf__atomic_open(&f, path, err);
    if (st != JF_OK)
        return st;
    jf_csv_format fmt = c->o->study.format;
    if (!fmt.separator)
        fmt.separator = ',';
    if (!fmt.decimal)
        fmt.decimal = '.';
    jf__csv csv;
    jf__csv_init(&csv, f.fp, &fmt);
    jf__csv_text(&csv, "point");
    for (size_t j = 0; j < sw->n_axes; j++)
        jf__csv_text(&csv, sw->axes[j].path);
    for (size_t k = 0; k < c->n_stat_cols; k++) {
        char name[2 * JF_NAME_MAX + 96];
        column_name(cat, &c->cols[k], name, sizeof name);
        jf__csv_text(&csv, name);
    }
    jf__csv_end_row(&csv);
    size_t n_cols = c->n_params + c->n_stat_cols;
    for (size_t p = 0; p < c->n_points; p++) {
        jf__csv_integer(&csv, (long long)p);
        for (size_t k = 0; k < n_cols; k++)
            jf__csv_number(&csv, c->journal->rows[p * n_cols + k]);
        jf__csv_end_row(&csv);
    }
    return jf__atomic_commit(&f, err);
}

jf_status jf_sweep_run(const jf_sweep_options *o, jf_sweep_report *report, jf_error *err)
{
    double t0 = omp_get_wtime();
    jf_error_clear(err);
    if (report)
        memset(report, 0, sizeof *report);
    if (!o || !o->study.scenario_file)
        return sfail(err, JF_ERR_USAGE, "", "", "jf_sweep_run: no scenario file (or name for the text) given");
    if ((o->study.format.separator && o->study.format.separator != ',' && o->study.format.separator != ';') ||
        (o->study.format.decimal && o->study.format.decimal != '.' && o->study.format.decimal != ',') ||
        (o->study.format.decimal == ',' && o->study.format.separator != ';'))
        return sfail(err, JF_ERR_USAGE, "", "", "CSV format: separator ',' or ';', decimal '.' or ',' (',' needs ';')");

    char *text = NULL;
    size_t len = 0;
    jf_scenario *sc = NULL;
    double *values = NULL;
    stat_col *cols = NULL;
    jf__model *model = NULL;
    double *row = NULL;
    const char **params = NULL;
    jf__journal journal;
    memset(&journal, 0, sizeof journal);
    size_t n_points = 0;

    jf_status st = JF_OK;
    if (o->study.scenario_text) { /* a copy, so that `text` is always ours to free */
        len = o->study.scenario_len;
        text = malloc(len + 1);
        if (!text)
            return sfail(err, JF_ERR_NOMEM, o->study.scenario_file, "", "out of memory");
        memcpy(text, o->study.scenario_text, len);
        text[len] = '\0';
    } else if ((st = jf__scenario_read(o->study.scenario_file, &text, &len, err)) != JF_OK) {
        return st;
    }
    char sha[JF_SHA256_HEX_SIZE];
    jf__sha256_buffer(text, len, sha);
    st = jf_scenario_load_string(text, len, o->study.scenario_file, o->study.overrides, o->study.n_overrides, &sc, err);
    if (st != JF_OK)
        goto done;
    if (!sc->sweep.present) {
        st = sfail(err, JF_ERR_MISSING, o->study.scenario_file, "sweep",
                   "the scenario has no sweep section; add one (sweep: {parameters: {PATH: [v1, v2, ...]}}, "
                   "docs/scenario-reference.md section 6.1) or use 'jfsim run'");
        goto done;
    }
    const jf_sweep *sw = &sc->sweep;
    if ((st = jf__sweep_points(sw, &values, &n_points, err)) != JF_OK) {
        if (err)
            snprintf(err->file, sizeof err->file, "%s", o->study.scenario_file);
        goto done;
    }
    if ((st = jf__model_alloc(sc, &model, err)) != JF_OK)
        goto done;
    const jf__catalogue *cat = jf__model_catalogue(model);

    sweep_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.n_params = sw->n_axes;
    c.values = values;
    c.n_points = n_points;
    c.paths = sc->paths;
    if ((st = layout_columns(cat, &cols, &c.n_stat_cols, err)) != JF_OK)
        goto done;
    c.cols = cols;
    row = malloc((c.n_params + c.n_stat_cols) * sizeof *row);
    params = malloc(c.n_params * sizeof *params);
    if (!row || !params) {
        st = sfail(err, JF_ERR_NOMEM, "", "", "out of memory");
        goto done;
    }
    c.row = row;
    for (size_t j = 0; j < c.n_params; j++)
        params[j] = sw->axes[j].path;

    char outdir[4096];
    if (o->study.outdir)
        snprintf(outdir, sizeof outdir, "%s", o->study.outdir);
    else
        snprintf(outdir, sizeof outdir, "out/%s", sc->name);
    c.outdir = outdir;

    jf__journal_print print;
    if ((st = fingerprints(&c, sha, cat, sw, &print, err)) != JF_OK)
        goto done;
    if ((st = jf_output_prepare(outdir, err)) != JF_OK)
        goto done;
    char jpath[4096 + 32];
    snprintf(jpath, sizeof jpath, "%s/%s", outdir, JF__JOURNAL_NAME);
    if ((st = jf__journal_open(&journal, jpath, &print, n_points, c.n_params + c.n_stat_cols,
                               o->resume, err)) != JF_OK)
        goto done;
    c.journal = &journal;
    c.resumed = journal.n_done;

    jf__points_job job;
    memset(&job, 0, sizeof job);
    job.text = text;
    job.len = len;
    job.name = o->study.scenario_file;
    job.overrides = o->study.overrides;
    job.n_overrides = o->study.n_overrides;
    job.n_params = c.n_params;
    job.params = params;
    job.n_points = n_points;
    job.values = values;
    job.skip = journal.done;
    job.run.threads = o->study.threads;
    job.run.memory_budget = o->study.memory_budget;
    job.mode = o->parallel == JF_SWEEP_POINTS_IN_SEQUENCE ? JF__POINTS_SEQUENTIAL
               : o->parallel == JF_SWEEP_POINTS_AT_ONCE   ? JF__POINTS_PARALLEL
                                                          : JF__POINTS_AUTO;
    job.done = on_point;
    job.done_ctx = &c;
    job.progress = on_progress;
    job.progress_ctx = &c;
    on_progress(&c, 0, 0);
    if ((st = jf__points_run(&job, err)) != JF_OK)
        goto done;
    if (journal.n_done != n_points) {
        st = sfail(err, JF_ERR_INTERNAL, jpath, "", "%zu of %zu points are missing from the journal",
                   n_points - journal.n_done, n_points);
        goto done;
    }
    if ((st = write_sweep_csv(&c, cat, sw, err)) != JF_OK)
        goto done;
    if (report) {
        snprintf(report->scenario_name, sizeof report->scenario_name, "%s", sc->name);
        snprintf(report->outdir, sizeof report->outdir, "%s", outdir);
        report->points = n_points;
        report->points_resumed = c.resumed;
        report->parameters = c.n_params;
        report->paths = sc->paths;
        report->seconds = omp_get_wtime() - t0;
    }

done:
    jf__journal_close(&journal);
    free(params);
    free(row);
    free(cols);
    jf__model_free(model);
    free(values);
    jf_scenario_free(sc);
    free(text);
    return st;
}
