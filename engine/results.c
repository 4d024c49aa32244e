/*
 * results.c — allocation, lookup and accessors of jf_results (see results.h).
 *
 * The object is a few flat arrays; lookup of a summary row is a linear scan
 * (a run has tens of rows), so there is no index to keep consistent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

static jf_status nomem(jf_error *err)
{
    if (err) {
        jf_error_clear(err);
        err->status = JF_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory allocating the results");
    }
    return JF_ERR_NOMEM;
}

size_t jf__results_n_series_stats(const jf_results *results)
{
    int T = results->catalogue.horizon;
    return results->catalogue.n_series * (size_t)(T > 0 ? T : 0);
}

const char *jf__results_mode_str(const jf_results *results)
{
    return results->sketch_mode ? "sketch" : "exact";
}

jf_status jf__results_alloc(const jf__catalogue *catalogue, jf_results **out, jf_error *err)
{
    *out = NULL;
    jf_results *r = calloc(1, sizeof *r);
    if (!r)
        return nomem(err);
    r->catalogue = *catalogue;
    r->catalogue.metrics = NULL;
    r->catalogue.series = NULL;
    size_t nm = catalogue->n_metrics, ns = catalogue->n_series;
    size_t nss = ns * (size_t)(catalogue->horizon > 0 ? catalogue->horizon : 0);
    /* calloc(0) may return NULL: allocate at least one element. */
    r->catalogue.metrics = calloc(nm ? nm : 1, sizeof *r->catalogue.metrics);
    r->catalogue.series = calloc(ns ? ns : 1, sizeof *r->catalogue.series);
    r->metric_stats = calloc(nm ? nm : 1, sizeof *r->metric_stats);
    r->series_stats = calloc(nss ? nss : 1, sizeof *r->series_stats);
    if (!r->catalogue.metrics || !r->catalogue.series || !r->metric_stats || !r->series_stats) {
        jf_results_free(r);
        return nomem(err);
    }
    if (nm)
        memcpy(r->catalogue.metrics, catalogue->metrics, nm * sizeof *catalogue->metrics);
    if (ns)
        memcpy(r->catalogue.series, catalogue->series, ns * sizeof *catalogue->series);
    *out = r;
    return JF_OK;
}

void jf_results_free(jf_results *results)
{
    if (!results)
        return;
    free(results->catalogue.metrics);
    free(results->catalogue.series);
    free(results->metric_stats);
    free(results->series_stats);
    free(results);
}

bool jf_results_summary(const jf_results *results, const char *scheme, const char *metric,
                        jf_stats *out)
{
    if (!results || !scheme || !metric)
        return false;
    for (size_t m = 0; m < results->catalogue.n_metrics; m++) {
        const jf__metric_def *def = &results->catalogue.metrics[m];
        if (strcmp(def->scheme, scheme) == 0 && strcmp(def->metric, metric) == 0) {
            if (out)
                *out = results->metric_stats[m];
            return true;
        }
    }
    return false;
}

int jf_results_threads(const jf_results *results)
{
    return results ? results->threads : 0;
}

double jf_results_seconds(const jf_results *results)
{
    return results ? results->seconds : 0.0;
}
