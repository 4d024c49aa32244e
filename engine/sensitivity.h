/*
 * sensitivity.h — the sensitivity-study driver (internal layout of
 * jf_sens_results; the API is jf_sensitivity_run in jfsim.h).
 *
 * Three methods (INTERFACE.md `sensitivity`, issue 5 item 3), all writing
 * sensitivity.csv: method,output,parameter,statistic,value,ci_low,ci_high.
 *
 *   sobol         Saltelli design over the {min, max} box of the k
 *                 parameters (sobol_indices.h), n·(k+2) points run by the
 *                 point runner (point_runner.h) with common random numbers;
 *                 each output "<scheme>.<metric>.<stat>" read from every
 *                 point's summary; Jansen first-order (S1) and total (ST)
 *                 indices with 95% percentile-bootstrap intervals
 *                 (`bootstrap` resamples, seeded by `seed`).
 *   tornado       a base point (the scenario as written, distributions
 *                 included) and, per parameter, a low and a high point with
 *                 that parameter fixed at its min and max and the others at
 *                 base; per output: input_low, input_high (the parameter's
 *                 min and max), low, base, high (the output there; for a
 *                 `mean` output with the interval mean ± 1.96·se), swing =
 *                 |high − low|, rank (1 = largest swing).
 *   contribution  one ordinary run with the capture hook (results.h); for
 *                 each per-path metric "<scheme>.<metric>" and each uncertain
 *                 scalar, spearman and variance_share (contribution.h).
 *
 * Within an output, the rows of a parameter are together and parameters
 * come in order of importance: ST (sobol), swing (tornado), |spearman|
 * (contribution), descending, undefined ones last, ties in file order.
 */
#ifndef JF_SENSITIVITY_H
#define JF_SENSITIVITY_H

#include "jfsim.h"

/* Confidence level of every interval in sensitivity.csv. */
#define JF__SENS_LEVEL 0.95

struct jf_sens_results {
    jf_sens_method method;
    char scenario_name[JF_TEXT_MAX];
    char outdir[4096];
    size_t n_rows;
    size_t cap_rows;
    jf_sens_row *rows;
    size_t points;        /* points run (contribution: 1) */
    uint64_t paths;       /* paths per point */
    int threads;
    double seconds;       /* wall time of jf_sensitivity_run */
};

/* Write the rows as CSV (header included) to `fp` in `format`.  Write errors
 * stay sticky in fp for the caller to check.  This function can't fail. */
void jf__sens_write_csv(FILE *fp, const jf_sens_results *results, const jf_csv_format *format);

#endif /* JF_SENSITIVITY_H */
