/*
 * draw_count.c — the jfsim-draws program: how many normals and exps the
 * engine takes per path of a scenario, for the floor-case benchmark (floor.h).
 *
 *   jfsim-draws SCENARIO.yaml [PATHS]     (default 20000 paths, 1 thread)
 *
 * It runs jf_run once with the library linked through `--wrap` (see
 * bench/CMakeLists.txt), so every call the engine's code makes to
 * gsl_ran_gaussian_ziggurat, exp, jf__rng_uniform and gsl_ran_poisson passes
 * through a counter here first.  Calls made inside GSL itself (a Poisson
 * draw's own exp and uniforms, an uncertain scalar's distribution) are not
 * counted, so the counts are a lower bound of the work.  Prints the counts
 * per path on stderr and "NORMALS,EXPS" on stdout, for
 * `jfsim-bench --case-draws`.  Not a benchmark itself (the counters slow
 * every call); never timed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "jfsim.h"

static uint64_t n_normals, n_exps, n_uniforms, n_poisson;

/* The linker sends the engine's calls to __wrap_X and makes __real_X the original. */
double __real_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma);
double __wrap_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma);
double __real_exp(double x);
double __wrap_exp(double x);
double __real_jf__rng_uniform(gsl_rng *r);
double __wrap_jf__rng_uniform(gsl_rng *r);
unsigned int __real_gsl_ran_poisson(const gsl_rng *r, double mu);
unsigned int __wrap_gsl_ran_poisson(const gsl_rng *r, double mu);

double __wrap_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma)
{
    n_normals++;
    return __real_gsl_ran_gaussian_ziggurat(r, sigma);
}

double __wrap_exp(double x)
{
    n_exps++;
    return __real_exp(x);
}

double __wrap_jf__rng_uniform(gsl_rng *r)
{
    n_uniforms++;
    return __real_jf__rng_uniform(r);
}

unsigned int __wrap_gsl_ran_poisson(const gsl_rng *r, double mu)
{
    n_poisson++;
    return __real_gsl_ran_poisson(r, mu);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2 || argc > 3) {
        fputs("Usage: jfsim-draws SCENARIO.yaml [PATHS]\n", stderr);
        return 2;
    }
    char *end = NULL;
    unsigned long long paths = argc == 3 ? strtoull(argv[2], &end, 10) : 20000;
    if (paths == 0 || (end && *end)) {
        fputs("jfsim-draws: PATHS must be a positive number\n", stderr);
        return 2;
    }
    jf_error err;
    jf_scenario *sc = NULL;
    if (jf_scenario_load(argv[1], NULL, 0, &sc, &err) != JF_OK) {
        char text[1200];
        jf_error_format(&err, text, sizeof text);
        fprintf(stderr, "jfsim-draws: %s\n", text);
        return 2;
    }
    sc->paths = paths;
    jf_run_options opt = {.threads = 1};
    jf_results *res = NULL;
    jf_status st = jf_run(sc, &opt, &res, &err);
    jf_results_free(res);
    jf_scenario_free(sc);
    if (st != JF_OK) {
        char text[1200];
        jf_error_format(&err, text, sizeof text);
        fprintf(stderr, "jfsim-draws: %s\n", text);
        return 1;
    }
    double n = (double)paths;
    fprintf(stderr,
            "jfsim-draws: %s, counted over %llu paths: per path %.2f normals, %.2f exp, "
            "%.2f uniforms, %.2f Poisson draws (calls from the engine's own code)\n",
            argv[1], paths, (double)n_normals / n, (double)n_exps / n, (double)n_uniforms / n,
            (double)n_poisson / n);
    printf("%.2f,%.2f\n", (double)n_normals / n, (double)n_exps / n);
    return 0;
}
