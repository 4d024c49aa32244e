/*
 * main.c — the jfsim command-line program (INTERFACE.md "Command line").
 *
 *   jfsim run SCENARIO.yaml [-o OUTDIR] [-n PATHS] [--seed N] [-j THREADS] [--set PATH=VALUE]...
 *   jfsim sweep SCENARIO.yaml [same options]
 *   jfsim check SCENARIO.yaml [--set PATH=VALUE]...
 *   jfsim --help | --version
 *
 * It uses only the public header.  Exit status: 0 success, 2 bad usage or
 * invalid scenario, 1 any other failure.  Diagnostics go to stderr, results
 * and the resolved scenario to stdout.  `-n` and `--seed` are overrides of
 * `paths` and `seed`, so they are validated like the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "jfsim.h"

enum { EXIT_OK = 0, EXIT_FAILURE_OTHER = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage:\n"
    "  jfsim run SCENARIO.yaml [options]     simulate; write summary.csv, annual.csv, manifest.json\n"
    "  jfsim sweep SCENARIO.yaml [options]   run every point of the scenario's sweep section\n"
    "  jfsim check SCENARIO.yaml [--set P=V]  validate; print the resolved scenario as YAML\n"
    "  jfsim --help | --version\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR        output folder (default out/<scenario name>/)\n"
    "  -n, --paths N           number of Monte Carlo paths (overrides `paths`)\n"
    "      --seed N            random seed (overrides `seed`)\n"
    "  -j, --threads N         threads (default: all cores); results do not depend on it\n"
    "      --set PATH=VALUE    override a parameter, e.g. --set resources.lithium.price.volatility=0.6\n"
    "                          or --set 'schemes.fund.return.mean={dist: uniform, min: 0, max: 0.08}'\n"
    "      --csv-sep C         CSV separator: ',' (default) or ';'\n"
    "      --decimal C         decimal mark: '.' (default) or ',' (needs --csv-sep ';')\n"
    "      --memory-budget M   memory for exact annual percentiles, e.g. 2G, 512M (default 2G)\n"
    "  -q, --quiet             no progress line\n"
    "  -h, --help              this text\n"
    "  -V, --version           engine version\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or invalid scenario, 1 any other failure.\n";

typedef struct {
    const char *command;
    const char *scenario;
    const char *outdir;
    jf_override *overrides;
    size_t n_overrides;
    char paths_arg[64];
    char seed_arg[64];
    int threads;
    size_t memory_budget;
    jf_csv_format format;
    bool quiet;
} cli_options;

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "jfsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'jfsim --help'.\n");
}

static int print_error(const jf_error *err)
{
    char text[2048];
    jf_error_format(err, text, sizeof text);
    fprintf(stderr, "%s\n", text);
    return jf_status_is_input_error(err->status) ? EXIT_USAGE : EXIT_FAILURE_OTHER;
}

static bool parse_count(const char *text, long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* "2G", "512M", "1048576" -> bytes. */
static bool parse_size(const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || !(v > 0))
        return false;
    double unit = 1;
    if (*end == 'K' || *end == 'k') unit = 1024.0, end++;
    else if (*end == 'M' || *end == 'm') unit = 1024.0 * 1024.0, end++;
    else if (*end == 'G' || *end == 'g') unit = 1024.0 * 1024.0 * 1024.0, end++;
    if (*end == 'i' || *end == 'B') end++;
    if (*end == 'B') end++;
    if (*end || v * unit > 1e18)
        return false;
    *out = (size_t)(v * unit);
    return true;
}

static int add_override(cli_options *o, const char *path, const char *value)
{
    jf_override *grown = realloc(o->overrides, (o->n_overrides + 1) * sizeof *grown);
    if (!grown) {
        fprintf(stderr, "jfsim: out of memory\n");
        return EXIT_FAILURE_OTHER;
    }
    o->overrides = grown;
    o->overrides[o->n_overrides].path = path;
    o->overrides[o->n_overrides].value = value;
    o->n_overrides++;
    return EXIT_OK;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, cli_options *o)
{
    enum { OPT_SEED = 256, OPT_SET, OPT_CSV_SEP, OPT_DECIMAL, OPT_MEMORY };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},  {"paths", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, OPT_SEED}, {"threads", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, OPT_SET}, {"csv-sep", required_argument, NULL, OPT_CSV_SEP},
        {"decimal", required_argument, NULL, OPT_DECIMAL},
        {"memory-budget", required_argument, NULL, OPT_MEMORY},
        {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0}};

    o->format.separator = ',';
    o->format.decimal = '.';
    opterr = 0;
    int c;
    long long v;
    /* GNU getopt permutes: options may come before or after the command and file. */
    while ((c = getopt_long(argc, argv, ":o:n:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("jfsim %s\n", JF_VERSION_STRING); return EXIT_OK;
        case 'o': o->outdir = optarg; break;
        case 'q': o->quiet = true; break;
        case 'n': snprintf(o->paths_arg, sizeof o->paths_arg, "%s", optarg); break;
        case OPT_SEED: snprintf(o->seed_arg, sizeof o->seed_arg, "%s", optarg); break;
        case 'j':
            if (!parse_count(optarg, 1, 4096, &v)) {
                usage_error("-j expects a number of threads from 1 to 4096, found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->threads = (int)v;
            break;
        case OPT_SET: {
            jf_override ov;
            jf_error err;
            jf_error_clear(&err);
            if (jf_override_parse(optarg, &ov, &err) != JF_OK) {
                usage_error("--set expects PATH=VALUE, found '%s'", optarg);
                return EXIT_USAGE;
            }
            int rc = add_override(o, ov.path, ov.value);
            if (rc != EXIT_OK)
                return rc;
            break;
        }
        case OPT_CSV_SEP:
            if (strcmp(optarg, ",") && strcmp(optarg, ";")) {
                usage_error("--csv-sep expects ',' or ';', found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->format.separator = optarg[0];
            break;
        case OPT_DECIMAL:
            if (strcmp(optarg, ".") && strcmp(optarg, ",")) {
                usage_error("--decimal expects '.' or ',', found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->format.decimal = optarg[0];
            break;
        case OPT_MEMORY:
            if (!parse_size(optarg, &o->memory_budget)) {
                usage_error("--memory-budget expects a size such as 2G or 512M, found '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case ':':
            usage_error("option '%s' needs a value", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            usage_error("unknown option '%s'", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage_error("%s", "missing command: expected run, sweep or check");
        return EXIT_USAGE;
    }
    o->command = argv[optind++];
    if (strcmp(o->command, "run") && strcmp(o->command, "sweep") && strcmp(o->command, "check")) {
        usage_error("unknown command '%s': expected run, sweep or check", o->command);
        return EXIT_USAGE;
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc) {
        usage_error("unexpected argument '%s' (one scenario file at a time)", argv[optind]);
        return EXIT_USAGE;
    }
    if (!o->scenario) {
        usage_error("'%s' needs a scenario file", o->command);
        return EXIT_USAGE;
    }
    if (o->format.decimal == ',' && o->format.separator == ',') {
        usage_error("%s", "--decimal ',' needs --csv-sep ';' (a comma cannot be both)");
        return EXIT_USAGE;
    }
    if (strcmp(o->command, "check") == 0 &&
        (o->outdir || o->threads || o->memory_budget || o->format.separator != ',' || o->format.decimal != '.')) {
        usage_error("%s", "'check' takes only --set, -n and --seed");
        return EXIT_USAGE;
    }
    if (o->paths_arg[0] && add_override(o, "paths", o->paths_arg) != EXIT_OK)
        return EXIT_FAILURE_OTHER;
    if (o->seed_arg[0] && add_override(o, "seed", o->seed_arg) != EXIT_OK)
        return EXIT_FAILURE_OTHER;
    return -1;
}

/* ---- progress line ---------------------------------------------------- */

typedef struct {
    double start;
    double last;
} progress_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_state *st = ctx;
    double t = now_seconds();
    if (done < total && t - st->last < 0.2)
        return;
    st->last = t;
    double elapsed = t - st->start;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r%llu/%llu paths  %.0f paths/s  ETA %.0fs   ", (unsigned long long)done,
            (unsigned long long)total, rate, eta);
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* ---- human summary ------------------------------------------------------ */

static void print_money(double v, bool ok)
{
    if (!ok) {
        printf("%10s", "-");
        return;
    }
    double a = fabs(v);
    if (a >= 1e9) printf("%9.2fbn", v / 1e9);
    else if (a >= 1e6) printf("%9.2fm ", v / 1e6);
    else printf("%10.0f", v);
}

static void print_summary(const jf_results *res, const jf_scenario *sc, const char *outdir)
{
    printf("%s: %llu paths x %d years, seed %llu, %d threads, %.2f s\n", sc->name,
           (unsigned long long)sc->paths, sc->horizon_years, (unsigned long long)sc->seed,
           jf_results_threads(res), jf_results_seconds(res));
    printf("US NPV (USD, discounted at %g) and the $%g bn target by %d:\n", sc->discount_rate,
           sc->comparison_target / 1e9, sc->start_year + sc->horizon_years - 1);
    printf("  %-16s %10s %10s %10s  %9s  %s\n", "scheme", "P5", "P50", "P95", "P(target)",
           "median years to target");
    for (size_t i = 0; i < sc->n_schemes; i++) {
        const char *name = sc->schemes[i].name;
        jf_stats npv, reached, years;
        bool has_npv = jf_results_summary(res, name, "us_npv", &npv);
        bool has_reached = jf_results_summary(res, name, "reached_target", &reached);
        bool has_years = jf_results_summary(res, name, "years_to_target", &years);
        printf("  %-16s ", name);
        print_money(npv.pct[0], has_npv && npv.has_pct[0]);
        printf(" ");
        print_money(npv.pct[2], has_npv && npv.has_pct[2]);
        printf(" ");
        print_money(npv.pct[4], has_npv && npv.has_pct[4]);
        if (has_reached && reached.has_mean)
            printf("  %8.1f%%", 100.0 * reached.mean);
        else
            printf("  %9s", "-");
        if (has_years && years.has_pct[2])
            printf("  %.0f\n", years.pct[2]);
        else
            printf("  not reached by the median path\n");
    }
    printf("Files: %s/summary.csv, %s/annual.csv, %s/manifest.json\n", outdir, outdir, outdir);
}

/* ---- signals: remove temporary files on Ctrl-C --------------------------- */

static void on_signal(int sig)
{
    jf_output_cleanup_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int command_check(const cli_options *o)
{
    jf_error err;
    jf_error_clear(&err);
    jf_scenario *sc = NULL;
    if (jf_scenario_load(o->scenario, o->overrides, o->n_overrides, &sc, &err) != JF_OK)
        return print_error(&err);
    int rc = EXIT_OK;
    if (jf_scenario_emit(sc, stdout, &err) != JF_OK || fflush(stdout) != 0)
        rc = print_error(&err);
    jf_scenario_free(sc);
    return rc;
}

static int command_run(const cli_options *o)
{
    jf_error err;
    jf_error_clear(&err);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);

    jf_scenario *sc = NULL;
    if (jf_scenario_load(o->scenario, o->overrides, o->n_overrides, &sc, &err) != JF_OK)
        return print_error(&err);

    char outdir[4096];
    if (o->outdir)
        snprintf(outdir, sizeof outdir, "%s", o->outdir);
    else
        snprintf(outdir, sizeof outdir, "out/%s", sc->name);

    progress_state progress = {now_seconds(), 0};
    jf_run_options ro = {0};
    ro.threads = o->threads;
    ro.memory_budget = o->memory_budget;
    if (!o->quiet && isatty(STDERR_FILENO)) {
        ro.progress = show_progress;
        ro.progress_ctx = &progress;
    }

    jf_results *res = NULL;
    int rc = EXIT_OK;
    if (jf_run(sc, &ro, &res, &err) != JF_OK) {
        rc = print_error(&err);
    } else {
        jf_manifest_info info = {0};
        info.scenario_file = o->scenario;
        info.overrides = o->overrides;
        info.n_overrides = o->n_overrides;
        info.start_time = (double)wall.tv_sec + 1e-9 * (double)wall.tv_nsec;
        if (jf_write_outputs(res, sc, outdir, &o->format, &info, &err) != JF_OK)
            rc = print_error(&err);
        else
            print_summary(res, sc, outdir);
    }
    jf_results_free(res);
    jf_scenario_free(sc);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    cli_options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.overrides);
        return rc;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (strcmp(o.command, "check") == 0)
        rc = command_check(&o);
    else if (strcmp(o.command, "run") == 0)
        rc = command_run(&o);
    else {
        fprintf(stderr, "jfsim: 'sweep' is not implemented yet\n");
        rc = EXIT_FAILURE_OTHER;
    }
    free(o.overrides);
    return rc;
}
