/*
 * output.c — summary.csv, annual.csv and manifest.json (INTERFACE.md "Outputs").
 *
 * The writers only format what jf_run computed (results.h); the CSV dialect
 * (quoting, formula neutralising, 15 significant digits, ';' and ',' variants)
 * is csv.h's.  Layouts:
 *   summary.csv  scheme,metric,unit,n,mean,sd,se,p05,p25,p50,p75,p95,min,max
 *                one row per catalogue metric, in catalogue order (MODEL.md §9);
 *   annual.csv   year,variable,scope,n,mean,sd,p05,p25,p50,p75,p95
 *                for each series in catalogue order, for t = 1..T, year =
 *                start_year + t - 1;
 *   manifest.json  engine version, scenario file and its SHA-256, scenario
 *                name, resolved parameters (a summary object and the full
 *                resolved scenario as YAML text), overrides, seed, paths,
 *                threads, memory mode, wall time, ISO 8601 UTC timestamps.
 * A statistic that is missing (has_* false) is an empty cell (JSON: null).
 *
 * All-or-nothing: the three files are opened as temporary files beside their
 * final names, written completely and checked for write errors, and only
 * then renamed into place one after another.  Should a rename fail after an
 * earlier one succeeded, the files already renamed are removed, so the folder
 * never holds a mixed set of old and new outputs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "results.h"
#include "sha256.h"
#include "stats.h"

static jf_status set_error(jf_error *err, jf_status status, const char *file, const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        if (file)
            snprintf(err->file, sizeof err->file, "%s", file);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* ------------------------------------------------------------------------ */
/* CSV files                                                                 */
/* ------------------------------------------------------------------------ */

static void cell_stat(jf__csv *csv, bool has, double value)
{
    if (has)
        jf__csv_number(csv, value);
    else
        jf__csv_empty(csv);
}

static void write_summary(FILE *fp, const jf_results *res, const jf_csv_format *format)
{
    static const char *const header[] = {"scheme", "metric", "unit", "n",   "mean",
                                         "sd",     "se",     "p05",  "p25", "p50",
                                         "p75",    "p95",    "min",  "max"};
    jf__csv csv;
    jf__csv_init(&csv, fp, format);
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        jf__csv_text(&csv, header[i]);
    jf__csv_end_row(&csv);
    for (size_t m = 0; m < res->catalogue.n_metrics; m++) {
        const jf__metric_def *def = &res->catalogue.metrics[m];
        const jf_stats *s = &res->metric_stats[m];
        jf__csv_text(&csv, def->scheme);
        jf__csv_text(&csv, def->metric);
        jf__csv_text(&csv, jf__unit_str(def->unit));
        jf__csv_integer(&csv, (long long)s->n);
        cell_stat(&csv, s->has_mean, s->mean);
        cell_stat(&csv, s->has_sd, s->sd);
        cell_stat(&csv, s->has_sd, s->se);
        for (int q = 0; q < JF_N_PCT; q++)
            cell_stat(&csv, s->has_pct[q], s->pct[q]);
        cell_stat(&csv, s->has_minmax, s->min);
        cell_stat(&csv, s->has_minmax, s->max);
        jf__csv_end_row(&csv);
    }
}

static void write_annual(FILE *fp, const jf_results *res, const jf_csv_format *format)
{
    static const char *const header[] = {"year", "variable", "scope", "n",   "mean", "sd",
                                         "p05",  "p25",      "p50",   "p75", "p95"};
    jf__csv csv;
    jf__csv_init(&csv, fp, format);
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        jf__csv_text(&csv, header[i]);
    jf__csv_end_row(&csv);
    int T = res->catalogue.horizon;
    for (size_t sidx = 0; sidx < res->catalogue.n_series; sidx++) {
        const jf__series_def *def = &res->catalogue.series[sidx];
        for (int t = 1; t <= T; t++) {
            const jf_stats *s = &res->series_stats[sidx * (size_t)T + (size_t)(t - 1)];
            jf__csv_integer(&csv, (long long)res->catalogue.start_year + t - 1);
            jf__csv_text(&csv, def->variable);
            jf__csv_text(&csv, def->scope);
            jf__csv_integer(&csv, (long long)s->n);
            cell_stat(&csv, s->has_mean, s->mean);
            cell_stat(&csv, s->has_sd, s->sd);
            for (int q = 0; q < JF_N_PCT; q++)
                cell_stat(&csv, s->has_pct[q], s->pct[q]);
            jf__csv_end_row(&csv);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */
/* ------------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    unsigned cp = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A JSON string literal; invalid UTF-8 bytes become U+FFFD.  NULL is `null`. */
/* The first `len` bytes of `text` as a JSON string (NULL -> null).  `len`
 * must end on a character boundary (callers cut at an ASCII byte or NUL). */
static void json_string_n(FILE *fp, const char *text, size_t len)
{
    if (!text) {
        fputs("null", fp);
        return;
    }
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *end = s + len;
    fputc('"', fp);
    while (s < end) {
        unsigned c = *s;
        if (c == '"' || c == '\\') {
            fputc('\\', fp);
            fputc((int)c, fp);
            s++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': fputs("\\n", fp); break;
            case '\r': fputs("\\r", fp); break;
            case '\t': fputs("\\t", fp); break;
            case '\b': fputs("\\b", fp); break;
            case '\f': fputs("\\f", fp); break;
            default: fprintf(fp, "\\u%04x", c); break;
            }
            s++;
        } else if (c < 0x80) {
            fputc((int)c, fp);
            s++;
        } else {
            size_t seq = utf8_sequence(s);
            if (seq == 0) {
                fputs("\\ufffd", fp);
                s++;
            } else {
                fwrite(s, 1, seq, fp);
                s += seq;
            }
        }
    }
    fputc('"', fp);
}

static void json_string(FILE *fp, const char *text)
{
    json_string_n(fp, text, text ? strlen(text) : 0);
}

/* The shortest of %.15g/%.16g/%.17g that reads back as the same double; non-finite is null. */
static void json_number(FILE *fp, double x)
{
    if (!isfinite(x)) {
        fputs("null", fp);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, fp);
}

static void json_key(FILE *fp, const char *key, int indent, bool *first)
{
    fputs(*first ? "\n" : ",\n", fp);
    *first = false;
    fprintf(fp, "%*s", indent, "");
    json_string(fp, key);
    fputs(": ", fp);
}

static void iso8601_utc(double epoch_seconds, char buf[32])
{
    time_t t = (time_t)floor(epoch_seconds);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

static const char *kind_str(jf_kind kind)
{
    switch (kind) {
    case JF_KIND_MINERAL: return "mineral";
    case JF_KIND_OIL: return "oil";
    case JF_KIND_GAS: return "gas";
    default: return "unknown";
    }
}

static const char *price_model_str(jf_price_model model)
{
    switch (model) {
    case JF_PRICE_FIXED: return "fixed";
    case JF_PRICE_GBM: return "gbm";
    case JF_PRICE_MEAN_REVERTING: return "mean_reverting";
    }
    return "unknown";
}

static const char *scheme_type_str(jf_scheme_type type)
{
    return type == JF_SCHEME_REPAYMENT ? "repayment" : "joint_fund";
}

static void write_parameters(FILE *fp, const jf_scenario *sc)
{
    bool first = true;
    fputs("{", fp);
    json_key(fp, "start_year", 4, &first);
    fprintf(fp, "%d", sc->start_year);
    json_key(fp, "horizon_years", 4, &first);
    fprintf(fp, "%d", sc->horizon_years);
    json_key(fp, "paths", 4, &first);
    fprintf(fp, "%" PRIu64, sc->paths);
    json_key(fp, "seed", 4, &first);
    fprintf(fp, "%" PRIu64, sc->seed);
    json_key(fp, "discount_rate", 4, &first);
    json_number(fp, sc->discount_rate);
    json_key(fp, "inflation", 4, &first);
    json_number(fp, sc->inflation);
    json_key(fp, "regime", 4, &first);
    if (sc->has_regime) {
        fputs("{\"initial\": ", fp);
        json_string(fp, sc->regime_initial == JF_REGIME_CONFLICT ? "conflict" : "peace");
        fputs(", \"p_end\": ", fp);
        json_number(fp, sc->p_end);
        fputs(", \"p_relapse\": ", fp);
        json_number(fp, sc->p_relapse);
        fputs("}", fp);
    } else {
        fputs("null", fp);
    }
    json_key(fp, "comparison_target", 4, &first);
    json_number(fp, sc->comparison_target);
    json_key(fp, "resources", 4, &first);
    fputs("[", fp);
    for (size_t r = 0; r < sc->n_resources; r++) {
        const jf_resource *res = &sc->resources[r];
        fputs(r ? ",\n      {\"name\": " : "\n      {\"name\": ", fp);
        json_string(fp, res->name);
        fputs(", \"kind\": ", fp);
        json_string(fp, kind_str(res->kind));
        fputs(", \"unit\": ", fp);
        json_string(fp, res->unit);
        fputs(", \"price_model\": ", fp);
        json_string(fp, price_model_str(res->price.model));
        fputs("}", fp);
    }
    fputs(sc->n_resources ? "\n    ]" : "]", fp);
    json_key(fp, "schemes", 4, &first);
    fputs("[", fp);
    for (size_t s = 0; s < sc->n_schemes; s++) {
        const jf_scheme *sch = &sc->schemes[s];
        fputs(s ? ",\n      {\"name\": " : "\n      {\"name\": ", fp);
        json_string(fp, sch->name);
        fputs(", \"type\": ", fp);
        json_string(fp, scheme_type_str(sch->type));
        fputs("}", fp);
    }
    fputs(sc->n_schemes ? "\n    ]" : "]", fp);
    fputs("\n  }", fp);
}

/* The resolved scenario as YAML text (jf_scenario_emit into memory).  On
 * success *text is malloc'ed and owned by the caller. */
static jf_status resolved_yaml(const jf_scenario *sc, char **text, jf_error *err)
{
    *text = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&buf, &len);
    if (!ms)
        return set_error(err, JF_ERR_NOMEM, NULL, "out of memory writing the manifest");
    jf_status st = jf_scenario_emit(sc, ms, err);
    if (fclose(ms) != 0 && st == JF_OK)
        st = set_error(err, JF_ERR_NOMEM, NULL, "out of memory writing the manifest");
    if (st != JF_OK) {
        free(buf);
        return st;
    }
    *text = buf;
    return JF_OK;
}

static void write_manifest(FILE *fp, const jf_results *res, const jf_scenario *sc,
                           const jf_manifest_info *info, const char *sha256_hex,
                           const char *yaml)
{
    const char *file = info ? info->scenario_file : NULL;
    double start = info && info->start_time > 0.0 ? info->start_time : res->start_time;
    char start_buf[32], end_buf[32];
    iso8601_utc(start, start_buf);
    iso8601_utc(res->end_time, end_buf);

    bool first = true;
    fputs("{", fp);
    json_key(fp, "engine", 2, &first);
    json_string(fp, "jfsim");
    json_key(fp, "engine_version", 2, &first);
    json_string(fp, JF_VERSION_STRING);
    json_key(fp, "command_line", 2, &first);
    json_string(fp, info ? info->command_line : NULL);
    json_key(fp, "scenario_file", 2, &first);
    json_string(fp, file);
    json_key(fp, "scenario_sha256", 2, &first);
    json_string(fp, sha256_hex);
    json_key(fp, "scenario_name", 2, &first);
    json_string(fp, sc->name);
    json_key(fp, "seed", 2, &first);
    fprintf(fp, "%" PRIu64, res->seed);
    json_key(fp, "paths", 2, &first);
    fprintf(fp, "%" PRIu64, res->paths);
    json_key(fp, "threads", 2, &first);
    fprintf(fp, "%d", res->threads);
    json_key(fp, "memory_mode", 2, &first);
    json_string(fp, jf__results_mode_str(res));
    json_key(fp, "simulation_passes", 2, &first);
    fprintf(fp, "%d", res->metric_passes > 0 ? res->metric_passes : 1);
    json_key(fp, "wall_time_seconds", 2, &first);
    json_number(fp, res->seconds);
    json_key(fp, "start_time", 2, &first);
    json_string(fp, start_buf);
    json_key(fp, "end_time", 2, &first);
    json_string(fp, end_buf);
    json_key(fp, "overrides", 2, &first);
    size_t n_ov = info && info->overrides ? info->n_overrides : 0;
    fputs("[", fp);
    for (size_t i = 0; i < n_ov; i++) {
        fputs(i ? ", {\"path\": " : "{\"path\": ", fp);
        /* jf_override.path points into "PATH=VALUE": the path ends at the first '='. */
        json_string_n(fp, info->overrides[i].path, strcspn(info->overrides[i].path, "="));
        fputs(", \"value\": ", fp);
        json_string(fp, info->overrides[i].value);
        fputs("}", fp);
    }
    fputs("]", fp);
    json_key(fp, "parameters", 2, &first);
    write_parameters(fp, sc);
    json_key(fp, "resolved_scenario_yaml", 2, &first);
    json_string(fp, yaml);
    fputs("\n}\n", fp);
}

/* ------------------------------------------------------------------------ */
/* The output folder and the atomic set of files                            */
/* ------------------------------------------------------------------------ */

/* mkdir -p.  JF_ERR_IO when a component cannot be created or is not a folder. */
static jf_status make_dirs(const char *dir, jf_error *err)
{
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path)
        return set_error(err, JF_ERR_IO, dir, "output folder name is empty or too long");
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/')
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) == 0) {
            jf__atomic_note_dir(path);
        } else if (errno != EEXIST) {
            int e = errno;
            return set_error(err, JF_ERR_IO, dir, "cannot create folder %s: %s", path,
                             strerror(e));
        }
        path[i] = saved;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return set_error(err, JF_ERR_IO, dir, "cannot use output folder: %s", strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return set_error(err, JF_ERR_IO, dir, "output path exists and is not a folder");
    return JF_OK;
}

static jf_status check_format(const jf_csv_format *format, jf_error *err)
{
    if (format->separator != ',' && format->separator != ';')
        return set_error(err, JF_ERR_USAGE, NULL, "CSV separator must be ',' or ';'");
    if (format->decimal != '.' && format->decimal != ',')
        return set_error(err, JF_ERR_USAGE, NULL, "CSV decimal mark must be '.' or ','");
    if (format->decimal == format->separator)
        return set_error(err, JF_ERR_USAGE, NULL,
                         "CSV decimal mark ',' needs the separator ';'");
    return JF_OK;
}

enum { FILE_SUMMARY = 0, FILE_ANNUAL, FILE_MANIFEST, N_FILES };

jf_status jf_output_prepare(const char *outdir, jf_error *err)
{
    if (!outdir)
        return set_error(err, JF_ERR_USAGE, NULL, "jf_output_prepare: missing folder");
    jf_status st = make_dirs(outdir, err);
    if (st != JF_OK)
        return st;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/summary.csv", outdir) >= (int)sizeof path)
        return set_error(err, JF_ERR_IO, outdir, "output folder name too long");
    jf__atomic_file probe;
    memset(&probe, 0, sizeof probe);
    st = jf__atomic_open(&probe, path, err);
    if (st == JF_OK)
        jf__atomic_abort(&probe);
    return st;
}

jf_status jf_write_outputs(const jf_results *results, const jf_scenario *scenario,
                           const char *outdir, const jf_csv_format *format,
                           const jf_manifest_info *info, jf_error *err)
{
    static const char *const names[N_FILES] = {"summary.csv", "annual.csv", "manifest.json"};
    if (!results || !scenario || !outdir)
        return set_error(err, JF_ERR_USAGE, NULL, "jf_write_outputs: missing argument");
    jf_csv_format fmt = {',', '.'};
    if (format)
        fmt = *format;
    jf_status st = check_format(&fmt, err);
    if (st != JF_OK)
        return st;

    char sha[JF_SHA256_HEX_SIZE] = "";
    const char *scenario_file = info ? info->scenario_file : NULL;
    if (scenario_file) {
        st = jf__sha256_file(scenario_file, sha, err);
        if (st != JF_OK)
            return st;
    }
    char *yaml = NULL;
    st = resolved_yaml(scenario, &yaml, err);
    if (st != JF_OK)
        return st;

    st = make_dirs(outdir, err);
    if (st != JF_OK) {
        free(yaml);
        return st;
    }

    jf__atomic_file files[N_FILES];
    enum { UNUSED, OPEN, COMMITTED } state[N_FILES] = {UNUSED, UNUSED, UNUSED};
    memset(files, 0, sizeof files);
    for (int i = 0; i < N_FILES; i++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", outdir, names[i]) >= (int)sizeof path) {
            st = set_error(err, JF_ERR_IO, outdir, "output folder name too long");
            goto fail;
        }
        st = jf__atomic_open(&files[i], path, err);
        if (st != JF_OK)
            goto fail;
        state[i] = OPEN;
    }

    write_summary(files[FILE_SUMMARY].fp, results, &fmt);
    write_annual(files[FILE_ANNUAL].fp, results, &fmt);
    write_manifest(files[FILE_MANIFEST].fp, results, scenario, info, scenario_file ? sha : NULL,
                   yaml);
    for (int i = 0; i < N_FILES; i++) {
        if (fflush(files[i].fp) != 0 || ferror(files[i].fp)) {
            st = set_error(err, JF_ERR_IO, files[i].final_path, "write error: %s",
                           strerror(errno));
            goto fail;
        }
    }
    /* Rename the three into place as one set: a signal's clean-up
     * (jf_output_cleanup_on_signal) waits while a set is being renamed, and
     * once it has run no set starts, so an interrupted run never leaves old
     * and new files mixed. */
    if (!jf__commit_begin()) {
        st = set_error(err, JF_ERR_IO, outdir, "interrupted before the files were renamed into place");
        goto fail;
    }
    for (int i = 0; i < N_FILES && st == JF_OK; i++) {
        st = jf__atomic_commit(&files[i], err);
        /* A failed commit cleans up after itself, unless the file was already
         * renamed into place (the folder sync failed): roll that one back too. */
        state[i] = st == JF_OK || files[i].renamed ? COMMITTED : UNUSED;
    }
    if (st != JF_OK) {
        for (int i = 0; i < N_FILES; i++)
            if (state[i] == COMMITTED)
                unlink(files[i].final_path);
    }
    jf__commit_end();
    if (st != JF_OK)
        goto fail;
    free(yaml);
    return JF_OK;

fail:
    for (int i = 0; i < N_FILES; i++) {
        if (state[i] == OPEN)
            jf__atomic_abort(&files[i]);
        else if (state[i] == COMMITTED)
            unlink(files[i].final_path);
    }
    free(yaml);
    return st;
}
