/*
 * jfsim_bench.c — the jfsim-bench program (issue "Speed at scale", items 1–2).
 *
 * For each scenario file given, and each thread count of --threads, it
 * measures in a FRESH child process (fork, so that ru_maxrss is the peak of
 * that one measurement and nothing warmed up by a previous case is reused):
 *   floor-bm   the floor with Box–Muller normals (floor.h);
 *   floor-zig  the floor with the engine's ziggurat normals;
 *   floor-case floor-zig with the engine's own number of normals and exps
 *              per path (--case-draws, counted by jfsim-draws);
 *   engine     jf_scenario_load, then jf_run timed alone (load and free are
 *              not in the wall time);
 *   sweep      instead of `engine` when the file has a `sweep:` grid section:
 *              jf_sweep_run, as `jfsim sweep` runs it, into a temporary
 *              directory; the wall time is the whole call (loading and
 *              validating every point, the runs, the journal, sweep.csv),
 *              paths = points × paths.
 * One line per measurement: case, kind, paths, years, threads, wall seconds,
 * paths/s, path-years/s, peak resident memory (MiB, getrusage ru_maxrss),
 * speed-up over the same kind at 1 thread, and for engine/sweep lines the
 * fraction of the floor's path-years/s at the same thread count (the faster
 * of floor-bm and floor-zig) and of floor-case's.  Engine results (a few summary statistics) are compared
 * bit for bit across thread counts (MODEL.md §1, §8) and the verdict printed.
 *
 * The parent never runs OpenMP code (it only loads scenarios to read their
 * shape), so forking it is safe.  Child results come back through a pipe as
 * a plain struct.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "floor.h"
#include "sha256.h"
#include "jfsim.h"

#define JF_BENCH_MAX_THREADS 64
#define JF_BENCH_MAX_SETS 64
#define JF_BENCH_MAX_AXES 8
#define JF_BENCH_MAX_POINTS 100000

typedef enum { KIND_FLOOR_BM = 0, KIND_FLOOR_ZIG, KIND_FLOOR_CASE, KIND_ENGINE, KIND_COUNT } bench_kind;

static const char *const kind_names[KIND_COUNT] = {"floor-bm", "floor-zig", "floor-case", "engine"};

typedef struct {
    uint64_t paths;          /* 0 = the scenario's */
    bool has_seed;
    uint64_t seed;
    int threads[JF_BENCH_MAX_THREADS];
    int n_threads;
    int repeat;
    bool floor;
    bool engine;
    bool sweep;              /* run a sweep section as a sweep */
    bool has_counts;         /* --case-draws given: measure floor-case too */
    jf__floor_counts counts; /* the engine's normals and exps per path */
    jf_override sets[JF_BENCH_MAX_SETS];
    size_t n_sets;
} bench_opts;

/* What a child sends back. */
typedef struct {
    int ok;
    double wall;
    double peak_mib;
    uint64_t paths;          /* total paths simulated */
    double check[4];         /* compared bytewise across thread counts: summary statistics, or sweep.csv's hash */
    char message[512];
} measurement;

/* Shape of a case, read by the parent. */
typedef struct {
    char label[64];          /* file name without directory and .yaml */
    uint64_t paths;          /* per point */
    int years;
    size_t points;           /* 1, or the number of sweep grid points */
    bool sweep;              /* run as a sweep (a grid section, --no-sweep not given) */
} case_shape;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_mib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return NAN;
    return (double)ru.ru_maxrss / 1024.0;   /* Linux: KiB */
}

static void usage(FILE *out)
{
    fputs("Usage: jfsim-bench [options] SCENARIO.yaml...\n"
          "\n"
          "Measures jf_run and the floor (correlated normals + exp, same generator) on each\n"
          "scenario, one fresh process per measurement, one line per measurement.\n"
          "\n"
          "Options:\n"
          "  -n, --paths N        paths per case (default: the scenario's `paths`)\n"
          "  -t, --threads LIST   thread counts: N, A..B or A,B,C (default 1..cores)\n"
          "  -r, --repeat R       R rounds of every measurement, keep the fastest (default 1)\n"
          "      --seed N         random seed (default: the scenario's)\n"
          "      --set PATH=VALUE override a parameter in every case (repeatable)\n"
          "      --case-draws N,E also time floor-case: N normals and E exps per path, the\n"
          "                       engine's own counts for this case (jfsim-draws prints them)\n"
          "      --no-floor       skip the floor\n"
          "      --floor-only     only the floor\n"
          "      --no-sweep       run a file with a sweep section as one plain run\n"
          "  -h, --help           this text\n",
          out);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

static bool add_threads(bench_opts *o, uint64_t a, uint64_t b)
{
    if (a < 1 || b < a || b > 1024)
        return false;
    for (uint64_t k = a; k <= b; k++) {
        if (o->n_threads == JF_BENCH_MAX_THREADS)
            return false;
        o->threads[o->n_threads++] = (int)k;
    }
    return true;
}

/* "N", "A..B" or "A,B,C" (items may themselves be ranges). */
static bool parse_threads(const char *text, bench_opts *o)
{
    char buf[256];
    if (strlen(text) >= sizeof buf)
        return false;
    strcpy(buf, text);
    o->n_threads = 0;
    for (char *item = strtok(buf, ","); item; item = strtok(NULL, ",")) {
        char *dots = strstr(item, "..");
        uint64_t a, b;
        if (dots) {
            *dots = '\0';
            if (!parse_u64(item, &a) || !parse_u64(dots + 2, &b) || !add_threads(o, a, b))
                return false;
        } else if (!parse_u64(item, &a) || !add_threads(o, a, a)) {
            return false;
        }
    }
    return o->n_threads > 0;
}

static void set_message(measurement *m, const char *what, const jf_error *err)
{
    char text[400];
    jf_error_format(err, text, sizeof text);
    snprintf(m->message, sizeof m->message, "%s: %s", what, text);
}

static jf_status load(const char *file, const bench_opts *o, const jf_override *extra,
                      size_t n_extra, jf_scenario **out, jf_error *err)
{
    jf_override all[JF_BENCH_MAX_SETS + JF_BENCH_MAX_AXES];
    size_t n = 0;
    for (size_t i = 0; i < o->n_sets; i++)
        all[n++] = o->sets[i];
    for (size_t i = 0; i < n_extra; i++)
        all[n++] = extra[i];
    jf_status st = jf_scenario_load(file, all, n, out, err);
    if (st != JF_OK)
        return st;
    if (o->paths)
        (*out)->paths = o->paths;
    if (o->has_seed)
        (*out)->seed = o->seed;
    return JF_OK;
}

static bool is_grid_sweep(const jf_scenario *sc, const bench_opts *o)
{
    return o->sweep && sc->sweep.present && sc->sweep.method == JF_SWEEP_GRID &&
           sc->sweep.n_axes > 0 && sc->sweep.n_axes <= JF_BENCH_MAX_AXES;
}

static size_t axis_count(const jf_axis *a)
{
    return a->kind == JF_AXIS_RANGE ? a->steps : a->n_values;
}

static size_t grid_points(const jf_sweep *sw)
{
    size_t n = 1;
    for (size_t k = 0; k < sw->n_axes; k++) {
        size_t c = axis_count(&sw->axes[k]);
        if (c == 0 || n > JF_BENCH_MAX_POINTS / c)
            return 0;
        n *= c;
    }
    return n;
}

/* The checks compared across thread counts: a scenario-wide and a scheme statistic. */
static void fill_check(const jf_scenario *sc, const jf_results *res, double *check)
{
    jf_stats st;
    memset(check, 0, 4 * sizeof *check);
    if (jf_results_summary(res, "-", "state_proceeds_npv", &st)) {
        check[0] = st.mean;
        check[1] = st.pct[2];
    }
    if (sc->n_schemes > 0 && jf_results_summary(res, sc->schemes[0].name, "us_npv", &st)) {
        check[2] = st.mean;
        check[3] = st.pct[4];
    }
}

static void child_engine(const char *file, const bench_opts *o, int threads, measurement *m)
{
    jf_error err;
    jf_scenario *sc = NULL;
    if (load(file, o, NULL, 0, &sc, &err) != JF_OK) {
        set_message(m, "load", &err);
        return;
    }
    jf_run_options ro = {threads, 0, NULL, NULL};
    jf_results *res = NULL;
    double t0 = now_seconds();
    jf_status st = jf_run(sc, &ro, &res, &err);
    m->wall = now_seconds() - t0;
    if (st == JF_OK) {
        m->ok = 1;
        m->paths = sc->paths;
        fill_check(sc, res, m->check);
    } else {
        set_message(m, "jf_run", &err);
    }
    jf_results_free(res);
    jf_scenario_free(sc);
}

/* The file's sweep section the way `jfsim sweep` runs it (jf_sweep_run:
 * points validated, run one after another or several at once, each
 * recorded in the journal, sweep.csv written), into a temporary directory
 * removed afterwards.  The wall time is the whole call; paths = points ×
 * paths; the check is (the first half of) sweep.csv's SHA-256. */
static void child_sweep(const char *file, const bench_opts *o, int threads, measurement *m)
{
    char dir[] = "/tmp/jfsim-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(m->message, sizeof m->message, "mkdtemp: %s", strerror(errno));
        return;
    }
    jf_override all[JF_BENCH_MAX_SETS + 2];
    size_t n = 0;
    char paths_text[32], seed_text[32];
    for (size_t i = 0; i < o->n_sets; i++)
        all[n++] = o->sets[i];
    if (o->paths) {
        snprintf(paths_text, sizeof paths_text, "%" PRIu64, o->paths);
        all[n++] = (jf_override){"paths", paths_text};
    }
    if (o->has_seed) {
        snprintf(seed_text, sizeof seed_text, "%" PRIu64, o->seed);
        all[n++] = (jf_override){"seed", seed_text};
    }
    jf_sweep_options so;
    memset(&so, 0, sizeof so);
    so.study.scenario_file = file;
    so.study.overrides = all;
    so.study.n_overrides = n;
    so.study.outdir = dir;
    so.study.threads = threads;
    jf_sweep_report rep;
    jf_error err;
    double t0 = now_seconds();
    jf_status st = jf_sweep_run(&so, &rep, &err);
    m->wall = now_seconds() - t0;
    char path[sizeof dir + 32];
    if (st == JF_OK) {
        m->paths = (uint64_t)rep.points * rep.paths;
        snprintf(path, sizeof path, "%s/sweep.csv", dir);
        char hex[JF_SHA256_HEX_SIZE];
        if (jf__sha256_file(path, hex, &err) == JF_OK) {
            memcpy(m->check, hex, sizeof m->check); /* compared bytewise only */
            m->ok = 1;
        } else {
            set_message(m, "sweep.csv", &err);
        }
    } else {
        set_message(m, "jf_sweep_run", &err);
    }
    const char *const files[] = {"sweep.csv", "sweep.journal", "manifest.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        (void)unlink(path);
    }
    if (rmdir(dir) != 0 && !m->message[0])
        snprintf(m->message, sizeof m->message, "left %s behind: %s", dir, strerror(errno));
}

static void child_floor(const char *file, const bench_opts *o, int threads, jf__floor_method method,
                        size_t points, measurement *m)
{
    jf_error err;
    jf_scenario *sc = NULL;
    if (load(file, o, NULL, 0, &sc, &err) != JF_OK) {
        set_message(m, "load", &err);
        return;
    }
    size_t R = sc->n_resources;
    double *L = malloc((R ? R : 1) * (R ? R : 1) * sizeof *L);
    jf_status st = L ? jf__floor_cholesky(sc, L) : JF_ERR_NOMEM;
    double checksum = 0.0;
    uint64_t paths = sc->paths * points;
    double t0 = now_seconds();
    if (st == JF_OK)
        st = jf__floor_run(sc, L, paths, threads, method, &o->counts, &checksum);
    m->wall = now_seconds() - t0;
    if (st == JF_OK) {
        m->ok = 1;
        m->paths = paths;
        m->check[0] = checksum;
    } else {
        snprintf(m->message, sizeof m->message, "floor: %s", jf_status_str(st));
    }
    free(L);
    jf_scenario_free(sc);
}

/* Run one measurement in a child process.  Returns false on a fork/pipe failure. */
static bool measure(const char *file, const bench_opts *o, bench_kind kind, int threads,
                    size_t points, bool sweep, measurement *out)
{
    int fd[2];
    memset(out, 0, sizeof *out);
    if (pipe(fd) != 0) {
        snprintf(out->message, sizeof out->message, "pipe: %s", strerror(errno));
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(out->message, sizeof out->message, "fork: %s", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return false;
    }
    if (pid == 0) {
        close(fd[0]);
        measurement m;
        memset(&m, 0, sizeof m);
        if (kind == KIND_ENGINE && sweep)
            child_sweep(file, o, threads, &m);
        else if (kind == KIND_ENGINE)
            child_engine(file, o, threads, &m);
        else
            child_floor(file, o, threads,
                        kind == KIND_FLOOR_BM    ? JF__FLOOR_BOX_MULLER
                        : kind == KIND_FLOOR_ZIG ? JF__FLOOR_ZIGGURAT
                                                 : JF__FLOOR_CASE,
                        points, &m);
        m.peak_mib = peak_mib();
        ssize_t w = write(fd[1], &m, sizeof m);
        close(fd[1]);
        _exit(w == (ssize_t)sizeof m ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof *out) {
        ssize_t r = read(fd[0], (char *)out + got, sizeof *out - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (got != sizeof *out) {
        memset(out, 0, sizeof *out);
        if (WIFSIGNALED(status))
            snprintf(out->message, sizeof out->message, "child killed by signal %d", WTERMSIG(status));
        else
            snprintf(out->message, sizeof out->message, "child exited with status %d",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return true;
}

static void file_label(const char *file, char *label, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    snprintf(label, size, "%s", base);
    char *dot = strrchr(label, '.');
    if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
}

static bool read_shape(const char *file, const bench_opts *o, case_shape *shape)
{
    jf_error err;
    jf_scenario *sc = NULL;
    if (load(file, o, NULL, 0, &sc, &err) != JF_OK) {
        char text[1200];
        jf_error_format(&err, text, sizeof text);
        fprintf(stderr, "jfsim-bench: %s\n", text);
        return false;
    }
    file_label(file, shape->label, sizeof shape->label);
    shape->paths = sc->paths;
    shape->years = sc->horizon_years;
    shape->sweep = is_grid_sweep(sc, o);
    shape->points = shape->sweep ? grid_points(&sc->sweep) : 1;
    if (sc->sweep.present && o->sweep && !shape->sweep)
        fprintf(stderr, "jfsim-bench: %s: only grid sweeps are run as sweeps; running one point\n", file);
    bool ok = shape->points > 0;
    if (!ok)
        fprintf(stderr, "jfsim-bench: %s: sweep grid too large\n", file);
    jf_scenario_free(sc);
    return ok;
}

static void print_header(void)
{
    printf("%-14s %-10s %10s %5s %7s %9s %10s %13s %9s %7s %8s %7s\n", "case", "kind", "paths",
           "years", "threads", "wall_s", "paths/s", "path-years/s", "peak_MiB", "speedup", "of_floor",
           "of_case");
}

static void print_row(const case_shape *c, const char *kind, int threads, const measurement *m,
                      double speedup, double of_floor, double of_case)
{
    double pys = (double)m->paths * c->years / m->wall;
    char sp[16] = "-", fl[16] = "-", fc[16] = "-";
    if (speedup > 0.0)
        snprintf(sp, sizeof sp, "%.2f", speedup);
    if (of_floor > 0.0)
        snprintf(fl, sizeof fl, "%.3f", of_floor);
    if (of_case > 0.0)
        snprintf(fc, sizeof fc, "%.3f", of_case);
    printf("%-14s %-10s %10" PRIu64 " %5d %7d %9.3f %10.0f %13.0f %9.1f %7s %8s %7s\n", c->label,
           kind, m->paths, c->years, threads, m->wall, (double)m->paths / m->wall, pys, m->peak_mib,
           sp, fl, fc);
    fflush(stdout);
}

/* Whether the options ask for measurements of this kind. */
static bool kind_enabled(const bench_opts *o, int kind)
{
    return !((kind == KIND_ENGINE && !o->engine) || (kind != KIND_ENGINE && !o->floor) ||
             (kind == KIND_FLOOR_CASE && !o->has_counts));
}

/* All measurements of one file.  With --repeat R, the R rounds each run
 * every kind at every thread count in turn (kept: the fastest of each), so
 * a slow minute of a shared host lands on all of them alike rather than on
 * one thread count; the rows are printed after the last round.  Returns
 * false when one failed. */
static bool run_case(const char *file, const bench_opts *o)
{
    case_shape c;
    if (!read_shape(file, o, &c))
        return false;
    const bool sweep = c.sweep;
    bool ok = true;
    int nt = o->n_threads;
    measurement best[KIND_COUNT][JF_BENCH_MAX_THREADS];
    bool have[KIND_COUNT][JF_BENCH_MAX_THREADS] = {{false}};
    bool failed[KIND_COUNT][JF_BENCH_MAX_THREADS] = {{false}};
    for (int rep = 0; rep < o->repeat; rep++)
        for (int kind = 0; kind < KIND_COUNT; kind++) {
            if (!kind_enabled(o, kind))
                continue;
            const char *name = kind == KIND_ENGINE && sweep ? "sweep" : kind_names[kind];
            for (int i = 0; i < nt; i++) {
                if (failed[kind][i])
                    continue;
                measurement m;
                measure(file, o, (bench_kind)kind, o->threads[i], c.points, sweep, &m);
                if (!m.ok) {
                    fprintf(stderr, "jfsim-bench: %s %s %d threads: %s\n", c.label, name,
                            o->threads[i], m.message);
                    failed[kind][i] = true;
                    ok = false;
                    continue;
                }
                if (!have[kind][i] || m.wall < best[kind][i].wall)
                    best[kind][i] = m;
                have[kind][i] = true;
            }
        }
    for (int kind = 0; kind < KIND_COUNT; kind++) {
        const char *name = kind == KIND_ENGINE && sweep ? "sweep" : kind_names[kind];
        double wall1 = 0.0;
        for (int i = 0; i < nt; i++) {
            if (!have[kind][i])
                continue;
            int threads = o->threads[i];
            const measurement *b = &best[kind][i];
            if (threads == 1)
                wall1 = b->wall;
            double speedup = threads > 1 && wall1 > 0.0 ? wall1 / b->wall : 0.0;
            double of_floor = 0.0, of_case = 0.0;
            if (kind == KIND_ENGINE) {
                double floor_wall = INFINITY;
                for (int f = KIND_FLOOR_BM; f <= KIND_FLOOR_ZIG; f++)
                    if (have[f][i] && best[f][i].wall < floor_wall)
                        floor_wall = best[f][i].wall;
                /* Same paths in both, so the ratio of path-years/s is the ratio of walls. */
                if (isfinite(floor_wall))
                    of_floor = floor_wall / b->wall;
                if (have[KIND_FLOOR_CASE][i])
                    of_case = best[KIND_FLOOR_CASE][i].wall / b->wall;
            }
            print_row(&c, name, threads, b, speedup, of_floor, of_case);
        }
    }
    /* Bit-identical results across thread counts (MODEL.md §1). */
    int first = -1;
    bool same = true;
    for (int i = 0; i < nt; i++) {
        if (!have[KIND_ENGINE][i])
            continue;
        if (first < 0)
            first = i;
        else if (memcmp(best[KIND_ENGINE][i].check, best[KIND_ENGINE][first].check,
                        sizeof best[KIND_ENGINE][i].check) != 0)
            same = false;
    }
    if (first >= 0 && nt > 1)
        printf("# %s: results bit-identical across thread counts: %s\n", c.label, same ? "yes" : "NO");
    return ok;
}

static int parse_args(int argc, char **argv, bench_opts *o, int *first_file)
{
    memset(o, 0, sizeof *o);
    o->repeat = 1;
    o->floor = o->engine = o->sweep = true;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "-n") == 0 || strcmp(a, "--paths") == 0) {
            if (!parse_u64(v, &o->paths) || o->paths == 0)
                return fprintf(stderr, "jfsim-bench: %s needs a positive number\n", a), 2;
            i++;
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--threads") == 0) {
            if (!v || !parse_threads(v, o))
                return fprintf(stderr, "jfsim-bench: bad thread list '%s'\n", v ? v : ""), 2;
            i++;
        } else if (strcmp(a, "-r") == 0 || strcmp(a, "--repeat") == 0) {
            uint64_t r;
            if (!parse_u64(v, &r) || r < 1 || r > 100)
                return fprintf(stderr, "jfsim-bench: %s needs 1..100\n", a), 2;
            o->repeat = (int)r;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (!parse_u64(v, &o->seed))
                return fprintf(stderr, "jfsim-bench: --seed needs a number\n"), 2;
            o->has_seed = true;
            i++;
        } else if (strcmp(a, "--set") == 0) {
            jf_error err;
            if (!v || o->n_sets == JF_BENCH_MAX_SETS ||
                jf_override_parse(v, &o->sets[o->n_sets], &err) != JF_OK)
                return fprintf(stderr, "jfsim-bench: bad --set '%s'\n", v ? v : ""), 2;
            o->n_sets++;
            i++;
        } else if (strcmp(a, "--case-draws") == 0) {
            char *end = NULL;
            bool pair = false;
            if (v) {
                o->counts.normals = strtod(v, &end);
                pair = end != v && *end == ',';
                if (pair)
                    o->counts.exps = strtod(end + 1, &end);
            }
            if (!pair || *end || !(o->counts.normals >= 0.0) || !(o->counts.exps >= 0.0))
                return fprintf(stderr, "jfsim-bench: --case-draws needs NORMALS,EXPS\n"), 2;
            o->has_counts = true;
            i++;
        } else if (strcmp(a, "--no-floor") == 0) {
            o->floor = false;
        } else if (strcmp(a, "--floor-only") == 0) {
            o->engine = false;
        } else if (strcmp(a, "--no-sweep") == 0) {
            o->sweep = false;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "jfsim-bench: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    if (!o->floor && !o->engine)
        return fprintf(stderr, "jfsim-bench: --no-floor and --floor-only leave nothing to do\n"), 2;
    if (o->n_threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (!add_threads(o, 1, cores > 0 ? (uint64_t)cores : 1))
            add_threads(o, 1, 1);
    }
    *first_file = i;
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    bench_opts o;
    int first = 0;
    int rc = parse_args(argc, argv, &o, &first);
    if (rc != 0)
        return rc;
    double load[3] = {NAN, NAN, NAN};
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = NAN;
        fclose(f);
    }
    printf("# jfsim-bench, engine %s, %ld cores online, vector kernels %s, load average %.2f %.2f "
           "%.2f, best of %d\n",
           JF_VERSION_STRING, sysconf(_SC_NPROCESSORS_ONLN), jf_vector_kernels(), load[0],
           load[1], load[2], o.repeat);
    print_header();
    bool ok = true;
    for (int i = first; i < argc; i++)
        ok = run_case(argv[i], &o) && ok;
    return ok ? 0 : 1;
}
