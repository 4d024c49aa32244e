/*
 * options.c — the jfsim command line: usage text and option parsing
 * (INTERFACE.md "Command line").  GNU getopt_long permutes, so options may
 * come before or after the command and the scenario file.  `-n` and `--seed`
 * become overrides of `paths` and `seed`, validated like the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "Usage:\n"
    "  jfsim run SCENARIO.yaml [options]          simulate; write summary.csv, annual.csv, manifest.json\n"
    "  jfsim sweep SCENARIO.yaml [options]        run every point of the scenario's sweep section\n"
    "  jfsim sensitivity SCENARIO.yaml [options]  run the scenario's sensitivity section\n"
    "  jfsim check SCENARIO.yaml [--set P=V]...   validate; print the resolved scenario as YAML\n"
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
    "      --memory-budget M   memory for the statistics' samples, e.g. 2G, 512M (default 2G);\n"
    "                          past it annual percentiles are certified within\n"
    "                          +/-0.1 percentile rank instead of exact\n"
    "      --per-point         sweep: also write each point's summary.csv, annual.csv and\n"
    "                          manifest.json (in OUTDIR/points/)\n"
    "      --resume            sweep: skip the points an interrupted run already finished\n"
    "  -q, --quiet             no progress line\n"
    "  -h, --help              this text\n"
    "  -V, --version           engine version and the vector kernels in use\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or invalid scenario, 1 any other failure.\n";

void cli_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "jfsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'jfsim --help'.\n");
}

int cli_print_error(const jf_error *err)
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

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_start(cli_progress *p)
{
    p->start = cli_now();
    p->last = 0;
}

void cli_progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* Redraw the line; `points` is "" or " 3/15 points (2 resumed)". */
static void progress_draw(cli_progress *p, const char *points, uint64_t done, uint64_t total,
                          bool finished)
{
    double t = cli_now();
    if (!finished && t - p->last < 0.2)
        return;
    p->last = t;
    if (finished) {
        cli_progress_clear();
        return;
    }
    double elapsed = t - p->start;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    fprintf(stderr, "\r%s%s%llu/%llu paths", points, points[0] ? "  " : "", (unsigned long long)done,
            (unsigned long long)total);
    if (rate > 0 && done > 0)
        fprintf(stderr, "  %.0f paths/s  ETA %.0fs   ", rate, (double)(total - done) / rate);
    else
        fputs("  starting...   ", stderr);
    fflush(stderr);
}

void cli_progress_paths(void *ctx, uint64_t paths_done, uint64_t paths_total)
{
    progress_draw(ctx, "", paths_done, paths_total, paths_done >= paths_total);
}

void cli_progress_points(void *ctx, const jf_points_progress *pr)
{
    char points[96];
    int n = snprintf(points, sizeof points, "%zu/%zu points", pr->points_done, pr->points_total);
    if (pr->points_resumed && n > 0)
        snprintf(points + n, sizeof points - (size_t)n, " (%zu resumed)", pr->points_resumed);
    progress_draw(ctx, points, pr->paths_done, pr->paths_todo, pr->points_done >= pr->points_total);
}

/* argv joined by spaces, each word single-quoted when it holds anything but
 * [A-Za-z0-9_./=:,+-]; NULL when out of memory. */
static char *join_command_line(int argc, char **argv)
{
    size_t size = 1;
    for (int i = 0; i < argc; i++)
        size += 4 * strlen(argv[i]) + 3;
    char *out = malloc(size), *p = out;
    if (!out)
        return NULL;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        bool plain = *w != '\0' && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                               "0123456789_./=:,+-") == strlen(w);
        if (i > 0)
            *p++ = ' ';
        if (plain) {
            p += sprintf(p, "%s", w);
            continue;
        }
        *p++ = '\'';
        for (; *w; w++) {
            if (*w == '\'')
                p += sprintf(p, "'\\''");
            else
                *p++ = *w;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

/* "unknown option '--thred'; did you mean '--threads'?" (the hint for a long
 * option near one of ours, its "=VALUE" left out of the comparison). */
static void unknown_option(const char *arg, const struct option *longopts)
{
    const char *hint = NULL;
    if (strncmp(arg, "--", 2) == 0) {
        char name[64];
        snprintf(name, sizeof name, "%s", arg + 2);
        name[strcspn(name, "=")] = '\0';
        const char *names[32];
        size_t n = 0;
        for (const struct option *lo = longopts; lo->name && n + 1 < sizeof names / sizeof names[0]; lo++)
            names[n++] = lo->name;
        names[n] = NULL;
        hint = jf_nearest_word(name, names);
    }
    char text[256];
    if (hint)
        snprintf(text, sizeof text, "unknown option '%s'; did you mean '--%s'?", arg, hint);
    else
        snprintf(text, sizeof text, "unknown option '%s'", arg);
    cli_usage_error("%s", text);
}

int cli_parse_args(int argc, char **argv, cli_options *o)
{
    o->command_line = join_command_line(argc, argv);
    enum { OPT_SEED = 256, OPT_SET, OPT_CSV_SEP, OPT_DECIMAL, OPT_MEMORY, OPT_PER_POINT, OPT_RESUME };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},  {"paths", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, OPT_SEED}, {"threads", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, OPT_SET}, {"csv-sep", required_argument, NULL, OPT_CSV_SEP},
        {"decimal", required_argument, NULL, OPT_DECIMAL},
        {"memory-budget", required_argument, NULL, OPT_MEMORY},
        {"per-point", no_argument, NULL, OPT_PER_POINT}, {"resume", no_argument, NULL, OPT_RESUME},
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
        case 'V':
            printf("jfsim %s (vector kernels: %s)\n", JF_VERSION_STRING, jf_vector_kernels());
            return EXIT_OK;
        case 'o': o->outdir = optarg; break;
        case 'q': o->quiet = true; break;
        case OPT_PER_POINT: o->per_point = true; break;
        case OPT_RESUME: o->resume = true; break;
        case 'n': snprintf(o->paths_arg, sizeof o->paths_arg, "%s", optarg); break;
        case OPT_SEED: snprintf(o->seed_arg, sizeof o->seed_arg, "%s", optarg); break;
        case 'j':
            if (!parse_count(optarg, 1, 4096, &v)) {
                cli_usage_error("-j expects a number of threads from 1 to 4096, found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->threads = (int)v;
            break;
        case OPT_SET: {
            jf_override ov;
            jf_error err;
            jf_error_clear(&err);
            if (jf_override_parse(optarg, &ov, &err) != JF_OK) {
                cli_usage_error("--set expects PATH=VALUE, found '%s'", optarg);
                return EXIT_USAGE;
            }
            int rc = add_override(o, ov.path, ov.value);
            if (rc != EXIT_OK)
                return rc;
            break;
        }
        case OPT_CSV_SEP:
            if (strcmp(optarg, ",") && strcmp(optarg, ";")) {
                cli_usage_error("--csv-sep expects ',' or ';', found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->format.separator = optarg[0];
            break;
        case OPT_DECIMAL:
            if (strcmp(optarg, ".") && strcmp(optarg, ",")) {
                cli_usage_error("--decimal expects '.' or ',', found '%s'", optarg);
                return EXIT_USAGE;
            }
            o->format.decimal = optarg[0];
            break;
        case OPT_MEMORY:
            if (!parse_size(optarg, &o->memory_budget)) {
                cli_usage_error("--memory-budget expects a size such as 2G or 512M, found '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case ':':
            cli_usage_error("option '%s' needs a value", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            unknown_option(argv[optind - 1], longopts);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_usage_error("%s", "missing command: expected run, sweep, sensitivity or check");
        return EXIT_USAGE;
    }
    o->command = argv[optind++];
    if (strcmp(o->command, "run") && strcmp(o->command, "sweep") && strcmp(o->command, "check") &&
        strcmp(o->command, "sensitivity")) {
        cli_usage_error("unknown command '%s': expected run, sweep, sensitivity or check", o->command);
        return EXIT_USAGE;
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc) {
        cli_usage_error("unexpected argument '%s' (one scenario file at a time)", argv[optind]);
        return EXIT_USAGE;
    }
    if (!o->scenario) {
        cli_usage_error("'%s' needs a scenario file", o->command);
        return EXIT_USAGE;
    }
    if (o->format.decimal == ',' && o->format.separator == ',') {
        cli_usage_error("%s", "--decimal ',' needs --csv-sep ';' (a comma cannot be both)");
        return EXIT_USAGE;
    }
    if (strcmp(o->command, "check") == 0 &&
        (o->outdir || o->threads || o->memory_budget || o->format.separator != ',' || o->format.decimal != '.')) {
        cli_usage_error("%s", "'check' takes only --set, -n and --seed");
        return EXIT_USAGE;
    }
    if ((o->per_point || o->resume) && strcmp(o->command, "sweep") != 0) {
        cli_usage_error("%s", "--per-point and --resume are options of 'sweep'");
        return EXIT_USAGE;
    }
    if (o->paths_arg[0] && add_override(o, "paths", o->paths_arg) != EXIT_OK)
        return EXIT_FAILURE_OTHER;
    if (o->seed_arg[0] && add_override(o, "seed", o->seed_arg) != EXIT_OK)
        return EXIT_FAILURE_OTHER;
    return -1;
}


int cli_load_scenario(const cli_options *o, jf_scenario **out)
{
    jf_error err;
    jf_error_clear(&err);
    if (jf_scenario_load(o->scenario, o->overrides, o->n_overrides, out, &err) == JF_OK)
        return -1;
    /* -n and --seed travel as overrides of `paths` and `seed`: name the option. */
    if (strcmp(err.file, "--set") == 0) {
        const char *option = NULL;
        if (o->paths_arg[0] && strcmp(err.path, "paths") == 0)
            option = "-n";
        else if (o->seed_arg[0] && strcmp(err.path, "seed") == 0)
            option = "--seed";
        if (option) {
            snprintf(err.file, sizeof err.file, "%s", option);
            err.line = err.column = 0;
        }
    }
    cli_print_error(&err);
    return err.status == JF_ERR_NOMEM || err.status == JF_ERR_INTERNAL ? EXIT_FAILURE_OTHER : EXIT_USAGE;
}

void cli_study_options(const cli_options *o, cli_progress *progress, jf_study_options *out)
{
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    memset(out, 0, sizeof *out);
    out->scenario_file = o->scenario;
    out->overrides = o->overrides;
    out->n_overrides = o->n_overrides;
    out->outdir = o->outdir;
    out->format = o->format;
    out->threads = o->threads;
    out->memory_budget = o->memory_budget;
    out->command_line = o->command_line;
    out->start_time = (double)wall.tv_sec + 1e-9 * (double)wall.tv_nsec;
    cli_progress_start(progress);
    if (!o->quiet && isatty(STDERR_FILENO)) {
        out->progress = cli_progress_points;
        out->progress_ctx = progress;
    }
}
