/*
 * test_sweep.c — jf_sweep_run (sweep.c, point_runner.c, sweep_journal.c):
 * point k equals a direct jf_run with the same overrides (summary.csv text and
 * a sweep.csv cell), sweep.csv byte-identical for 1, 2 and 7 threads and for
 * points in sequence or at once, resume after a torn journal gives the same
 * sweep.csv without re-running recorded points, a changed scenario or
 * overrides is refused, a scenario without a sweep section writes nothing.
 */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "csv.h"
#include "rng.h"
#include "test_files.h"

static char tmp_root[256];

static void spit(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Write quick.yaml plus `tail` as TMP/name; returns the path (static buffer per call site). */
static void make_scenario(const char *name, const char *tail, char *path, size_t size)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/quick.yaml", JF_SCENARIOS);
    size_t len = 0;
    char *text = jf_test_read_file(src, &len);
    assert_non_null(text);
    size_t tl = strlen(tail);
    text = realloc(text, len + tl + 1);
    memcpy(text + len, tail, tl + 1);
    snprintf(path, size, "%s/%s", tmp_root, name);
    spit(path, text, len + tl);
    free(text);
}

static const char grid_tail[] =
    "\nsweep:\n  method: grid\n  parameters:\n"
    "    schemes.fund.contribution_share: [0.3, 0.5]\n"
    "    regime.p_end: {from: 0.1, to: 0.4, steps: 2}\n";

static const char lhs_tail[] =
    "\nsweep:\n  method: lhs\n  n: 6\n  seed: 11\n  parameters:\n"
    "    schemes.fund.contribution_share: {min: 0.2, max: 0.8}\n"
    "    resources.lithium.price.volatility: {min: 0.2, max: 0.7}\n";

static jf_sweep_options base_options(const char *file, const char *outdir, const jf_override *ov, size_t n_ov)
{
    jf_sweep_options o;
    memset(&o, 0, sizeof o);
    o.study.scenario_file = file;
    o.study.outdir = outdir;
    o.study.overrides = ov;
    o.study.n_overrides = n_ov;
    o.study.threads = 2;
    return o;
}

/* Column index of `name` in the header line of a CSV text. */
static int column_of(const char *csv, const char *name)
{
    int col = 0;
    const char *p = csv;
    size_t n = strlen(name);
    while (*p && *p != '\n') {
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\n'))
            return col;
        while (*p && *p != ',' && *p != '\n')
            p++;
        if (*p == ',')
            p++, col++;
    }
    return -1;
}

/* Cell (row r counted from 1 after the header, column c) into buf. */
static void cell(const char *csv, int r, int c, char *buf, size_t size)
{
    const char *p = csv;
    for (int i = 0; i < r; i++)
        p = strchr(p, '\n') + 1;
    for (int i = 0; i < c; i++)
        p = strpbrk(p, ",\n") + 1;
    size_t n = strcspn(p, ",\n");
    snprintf(buf, size, "%.*s", (int)n, p);
}

/* Point k of a grid sweep equals `jfsim run --set P=V` with V as the user
 * writes it: the per-point summary.csv is byte-identical to that of a direct
 * jf_run, and the sweep.csv cell fund.us_npv.mean is its mean at 15 digits. */
static void test_point_equals_run(void **state)
{
    (void)state;
    char file[512], out[512];
    make_scenario("grid.yaml", grid_tail, file, sizeof file);
    snprintf(out, sizeof out, "%s/grid_out", tmp_root);
    jf_override base[1] = {{"paths", "300"}};
    jf_sweep_options o = base_options(file, out, base, 1);
    o.per_point = true;
    jf_sweep_report rep;
    jf_error err;
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points, 4);
    assert_int_equal(rep.parameters, 2);

    char path[1024];
    snprintf(path, sizeof path, "%s/sweep.csv", out);
    char *sweep = jf_test_read_file(path, NULL);
    assert_non_null(sweep);
    int col = column_of(sweep, "fund.us_npv.mean");
    assert_true(col > 2);
    assert_int_equal(column_of(sweep, "point"), 0);
    assert_int_equal(column_of(sweep, "schemes.fund.contribution_share"), 1);
    assert_int_equal(column_of(sweep, "regime.p_end"), 2);

    /* Last parameter fastest: (0.3, 0.1), (0.3, 0.4), (0.5, 0.1), (0.5, 0.4). */
    static const char *const share[4] = {"0.3", "0.3", "0.5", "0.5"};
    static const char *const p_end[4] = {"0.1", "0.4", "0.1", "0.4"};
    for (int k = 0; k < 4; k++) {
        jf_override ov[3] = {{"paths", "300"},
                             {"schemes.fund.contribution_share", share[k]},
                             {"regime.p_end", p_end[k]}};
        jf_scenario *sc = NULL;
        jf_results *res = NULL;
        assert_int_equal(jf_scenario_load(file, ov, 3, &sc, &err), JF_OK);
        jf_run_options ro = {0};
        ro.threads = 1;
        assert_int_equal(jf_run(sc, &ro, &res, &err), JF_OK);
        char direct[1024];
        snprintf(direct, sizeof direct, "%s/direct_%d", tmp_root, k);
        assert_int_equal(jf_write_outputs(res, sc, direct, NULL, NULL, &err), JF_OK);
        char a[1200], b[1200];
        snprintf(a, sizeof a, "%s/summary.csv", direct);
        snprintf(b, sizeof b, "%s/points/%d/summary.csv", out, k);
        char *ta = jf_test_read_file(a, NULL), *tb = jf_test_read_file(b, NULL);
        assert_non_null(ta);
        assert_non_null(tb);
        assert_string_equal(ta, tb);
        snprintf(b, sizeof b, "%s/points/%d/annual.csv", out, k);
        snprintf(a, sizeof a, "%s/annual.csv", direct);
        free(ta);
        free(tb);
        ta = jf_test_read_file(a, NULL);
        tb = jf_test_read_file(b, NULL);
        assert_string_equal(ta, tb);
        free(ta);
        free(tb);

        jf_stats npv;
        assert_true(jf_results_summary(res, "fund", "us_npv", &npv));
        char want[64], got[64];
        jf__format_number(npv.mean, '.', want, sizeof want);
        cell(sweep, k + 1, col, got, sizeof got);
        assert_string_equal(got, want);
        cell(sweep, k + 1, 0, got, sizeof got);
        assert_int_equal(atoi(got), k);
        cell(sweep, k + 1, 1, got, sizeof got);
        assert_string_equal(got, share[k]);
        cell(sweep, k + 1, 2, got, sizeof got);
        assert_string_equal(got, p_end[k]);
        jf_results_free(res);
        jf_scenario_free(sc);
    }
    /* The per-point manifest lists the point's overrides after the base ones. */
    snprintf(path, sizeof path, "%s/points/3/manifest.json", out);
    char *man = jf_test_read_file(path, NULL);
    assert_non_null(man);
    assert_non_null(strstr(man, "regime.p_end"));
    assert_non_null(strstr(man, "schemes.fund.contribution_share"));
    free(man);
    free(sweep);
}

/* sweep.csv is the same file for any thread count and either parallel plan. */
static void test_threads_and_modes(void **state)
{
    (void)state;
    char file[512];
    make_scenario("lhs.yaml", lhs_tail, file, sizeof file);
    jf_override base[1] = {{"paths", "600"}};
    static const int threads[3] = {1, 2, 7};
    static const jf_sweep_parallel modes[3] = {JF_SWEEP_PARALLEL_AUTO, JF_SWEEP_POINTS_IN_SEQUENCE,
                                               JF_SWEEP_POINTS_AT_ONCE};
    char *first = NULL;
    for (int t = 0; t < 3; t++) {
        for (int m = 0; m < 3; m++) {
            char out[512], path[600];
            snprintf(out, sizeof out, "%s/lhs_%d_%d", tmp_root, t, m);
            jf_sweep_options o = base_options(file, out, base, 1);
            o.study.threads = threads[t];
            o.parallel = modes[m];
            jf_error err;
            assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_OK);
            snprintf(path, sizeof path, "%s/sweep.csv", out);
            char *text = jf_test_read_file(path, NULL);
            assert_non_null(text);
            if (!first)
                first = text;
            else {
                assert_string_equal(first, text);
                free(text);
            }
        }
    }
    /* 6 points + header; 2 schemes' metrics: sanity of the layout. */
    size_t lines = 0;
    for (const char *p = first; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 7);
    assert_true(column_of(first, "draft500.years_to_repay.p50") > 0);
    assert_true(column_of(first, "fund vs draft500.us_npv_diff.p95") > 0);
    assert_true(column_of(first, "fund vs draft500.p_a_better_us.mean") > 0);
    assert_int_equal(column_of(first, "fund vs draft500.p_a_better_us.p50"), -1);
    assert_int_equal(column_of(first, "fund.years_to_repay.mean"), -1);
    free(first);
}

/* Recompute the check of a journal line "P ... <check>" after editing it. */
static void fix_check(char *line)
{
    char *last = strrchr(line, ' ');
    *last = '\0';
    uint64_t h = jf__fnv1a64(line);
    *last = ' ';
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    memcpy(last + 1, hex, 16);
}

/* Interrupted sweep: the journal keeps 2 points whole and half of a third
 * (a torn write).  --resume runs only the other 4 points and writes the same
 * sweep.csv; the values really come from the journal (a recorded value edited
 * with a valid check shows up in sweep.csv). */
static void test_resume(void **state)
{
    (void)state;
    char file[512], out[512], path[600], jpath[600];
    make_scenario("resume.yaml", lhs_tail, file, sizeof file);
    snprintf(out, sizeof out, "%s/resume_out", tmp_root);
    snprintf(path, sizeof path, "%s/sweep.csv", out);
    snprintf(jpath, sizeof jpath, "%s/sweep.journal", out);
    jf_override base[1] = {{"paths", "400"}};
    jf_sweep_options o = base_options(file, out, base, 1);
    jf_sweep_report rep;
    jf_error err;
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points_resumed, 0);
    char *full = jf_test_read_file(path, NULL);
    size_t jlen = 0;
    char *journal = jf_test_read_file(jpath, &jlen);
    assert_non_null(full);
    assert_non_null(journal);

    /* Header + 2 lines + half of line 3. */
    const char *p = journal;
    for (int i = 0; i < 3; i++)
        p = strchr(p, '\n') + 1;
    const char *third_end = strchr(p, '\n');
    size_t cut = (size_t)(p - journal) + (size_t)(third_end - p) / 2;
    spit(jpath, journal, cut);
    unlink(path);
    o.resume = true;
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points_resumed, 2);
    char *again = jf_test_read_file(path, NULL);
    assert_string_equal(full, again);
    free(again);

    /* A resumed finished sweep runs nothing and rewrites the same file. */
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points_resumed, 6);
    again = jf_test_read_file(path, NULL);
    assert_string_equal(full, again);
    free(again);

    /* Edit the first stat of the first point's line (keep the check valid):
     * sweep.csv is written from the journal, so the edit shows. */
    char *j2 = jf_test_read_file(jpath, &jlen);
    char *line = strchr(j2, '\n') + 1;
    char *nl = strchr(line, '\n');
    *nl = '\0';
    char edited[8192];
    /* fields: P k v1 v2 v3 ...; replace v3 (fund.us_value.mean) by 0x1p+40 */
    char *f = line;
    for (int i = 0; i < 4; i++)
        f = strchr(f, ' ') + 1;
    char *fe = strchr(f, ' ');
    snprintf(edited, sizeof edited, "%.*s0x1p+40%s", (int)(f - line), line, fe);
    fix_check(edited);
    *nl = '\n';
    FILE *fp = fopen(jpath, "wb");
    fprintf(fp, "%.*s%s%s", (int)(line - j2), j2, edited, nl);
    fclose(fp);
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    again = jf_test_read_file(path, NULL);
    assert_non_null(strstr(again, ",1099511627776,"));
    free(again);

    /* A complete line with a wrong check is ignored: that point runs again. */
    spit(jpath, journal, jlen);
    j2 = realloc(j2, jlen + 1);
    memcpy(j2, journal, jlen + 1);
    line = strchr(j2, '\n') + 1;
    nl = strchr(line, '\n');
    nl[-1] = nl[-1] == '0' ? '1' : '0'; /* damage the check's last digit */
    spit(jpath, j2, jlen);
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points_resumed, 5);
    again = jf_test_read_file(path, NULL);
    assert_string_equal(full, again);
    free(again);
    free(j2);
    free(journal);
    free(full);
}

/* --resume refuses a journal written for another scenario text or other overrides. */
static void test_changed_refused(void **state)
{
    (void)state;
    char file[512], out[512];
    make_scenario("changed.yaml", grid_tail, file, sizeof file);
    snprintf(out, sizeof out, "%s/changed_out", tmp_root);
    jf_override base[1] = {{"paths", "200"}};
    jf_sweep_options o = base_options(file, out, base, 1);
    jf_error err;
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_OK);
    o.resume = true;
    /* Another seed: the overrides differ. */
    jf_override seeded[2] = {{"paths", "200"}, {"seed", "5"}};
    o.study.overrides = seeded;
    o.study.n_overrides = 2;
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_ERR_USAGE);
    assert_non_null(strstr(err.message, "the scenario changed since the interrupted sweep"));
    assert_non_null(strstr(err.message, "without --resume"));
    assert_true(jf_status_is_input_error(err.status));
    o.study.overrides = base;
    o.study.n_overrides = 1;
    /* --per-point changes the outputs: refused too. */
    o.per_point = true;
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_ERR_USAGE);
    o.per_point = false;
    /* The same text with one more comment line: refused, naming the file's SHA-256. */
    FILE *fp = fopen(file, "ab");
    fputs("# edited\n", fp);
    fclose(fp);
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_ERR_USAGE);
    assert_non_null(strstr(err.message, "SHA-256"));
    /* Without --resume the old journal is replaced and the sweep runs. */
    o.resume = false;
    jf_sweep_report rep;
    assert_int_equal(jf_sweep_run(&o, &rep, &err), JF_OK);
    assert_int_equal(rep.points_resumed, 0);
}

/* No sweep section: JF_ERR_MISSING on `sweep`, and no output folder. */
static void test_no_sweep(void **state)
{
    (void)state;
    char file[512], out[512];
    snprintf(file, sizeof file, "%s/quick.yaml", JF_SCENARIOS);
    snprintf(out, sizeof out, "%s/nosweep_out", tmp_root);
    jf_sweep_options o = base_options(file, out, NULL, 0);
    jf_error err;
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_ERR_MISSING);
    assert_string_equal(err.path, "sweep");
    assert_true(jf_status_is_input_error(err.status));
    struct stat sb;
    assert_int_not_equal(stat(out, &sb), 0);
}

/* A scenario given as text (jf_study_options.scenario_text) sweeps exactly
 * like the same scenario read from its file. */
static void test_text_equals_file(void **state)
{
    (void)state;
    char file[512], out_file[512], out_text[512], path[600];
    make_scenario("from_text", grid_tail, file, sizeof file);
    snprintf(out_file, sizeof out_file, "%s/text_vs_file_a", tmp_root);
    snprintf(out_text, sizeof out_text, "%s/text_vs_file_b", tmp_root);
    jf_error err;
    jf_sweep_options o = base_options(file, out_file, NULL, 0);
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_OK);
    size_t len = 0;
    char *text = jf_test_read_file(file, &len);
    assert_non_null(text);
    o = base_options(file, out_text, NULL, 0);
    o.study.scenario_text = text;
    o.study.scenario_len = len;
    assert_int_equal(jf_sweep_run(&o, NULL, &err), JF_OK);
    free(text);
    size_t la = 0, lb = 0;
    snprintf(path, sizeof path, "%s/sweep.csv", out_file);
    char *a = jf_test_read_file(path, &la);
    snprintf(path, sizeof path, "%s/sweep.csv", out_text);
    char *b = jf_test_read_file(path, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/jf_test_sweep_XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_equals_run), cmocka_unit_test(test_threads_and_modes),
        cmocka_unit_test(test_resume),           cmocka_unit_test(test_changed_refused),
        cmocka_unit_test(test_no_sweep),         cmocka_unit_test(test_text_equals_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
