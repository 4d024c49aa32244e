/*
 * test_output.c — summary.csv, annual.csv and manifest.json (output.c,
 * sha256.c): whole files compared with hand-written text (quoting, formula
 * neutralising, empty cells, ';' and ',' variants), all-or-nothing writing,
 * and a manifest that parses back as JSON with the right fields.
 *
 * Results objects are built by hand (results.h), so every cell is known.
 */
#include <dirent.h>
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

#include "results.h"
#include "sha256.h"
#include "test_files.h"

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */
/* ------------------------------------------------------------------------ */

static jf_param num(double v)
{
    jf_param p;
    memset(&p, 0, sizeof p);
    p.p[0] = v;
    p.lo = 1.0;
    p.hi = 0.0;
    return p;
}

/* A small valid scenario (one fixed-price resource, one repayment scheme). */
static jf_scenario *small_scenario(void)
{
    jf_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    snprintf(sc->name, sizeof sc->name, "out_test");
    sc->start_year = 2030;
    sc->horizon_years = 2;
    sc->paths = 1000;
    sc->seed = 18446744073709551615u; /* 2^64 - 1 must survive as an integer */
    sc->discount_rate = 0.05;
    sc->inflation = 0.02;
    sc->comparison_target = 500e9;
    sc->n_resources = 1;
    sc->resources = calloc(1, sizeof *sc->resources);
    assert_non_null(sc->resources);
    jf_resource *r = &sc->resources[0];
    snprintf(r->name, sizeof r->name, "ore");
    r->kind = JF_KIND_MINERAL;
    snprintf(r->unit, sizeof r->unit, "t");
    r->capacity = num(100);
    r->plateau_years = num(1);
    r->first_year = num(2030);
    r->success_probability = num(1);
    r->conflict_output = num(1);
    r->price.model = JF_PRICE_FIXED;
    r->price.start = num(10);
    r->cost_escalation = num(0.02);
    r->profit_tax_rate = num(0.18);
    r->eligible_share = num(1);
    r->royalty_rate = num(0.1);
    sc->n_schemes = 1;
    sc->schemes = calloc(1, sizeof *sc->schemes);
    assert_non_null(sc->schemes);
    jf_scheme *k = &sc->schemes[0];
    snprintf(k->name, sizeof k->name, "repay");
    k->type = JF_SCHEME_REPAYMENT;
    k->base = JF_BASE_ALL;
    k->all_resources = true;
    k->n_resources = 1;
    k->resources = calloc(1, sizeof *k->resources);
    assert_non_null(k->resources);
    k->target = num(500e9);
    k->share = num(0.5);
    k->contribution_share = num(0.5);
    k->us_stake = num(0.5);
    k->reinvest_years = num(10);
    k->payout_rate = num(0.05);
    return sc;
}

static void scenario_delete(jf_scenario *sc)
{
    for (size_t s = 0; s < sc->n_schemes; s++)
        free(sc->schemes[s].resources);
    free(sc->schemes);
    free(sc->resources);
    free(sc);
}

static jf_stats full_stats(uint64_t n, double mean, double sd, double se, const double pct[5],
                           double min, double max)
{
    jf_stats s;
    memset(&s, 0, sizeof s);
    s.n = n;
    s.mean = mean;
    s.sd = sd;
    s.se = se;
    s.min = min;
    s.max = max;
    s.has_mean = s.has_sd = s.has_minmax = true;
    for (int q = 0; q < 5; q++) {
        s.pct[q] = pct[q];
        s.has_pct[q] = true;
    }
    return s;
}

/* Four summary rows with awkward texts and numbers; two series over two years. */
static jf_results *hand_results(void)
{
    jf__metric_def metrics[4];
    memset(metrics, 0, sizeof metrics);
    snprintf(metrics[0].scheme, sizeof metrics[0].scheme, "fund");
    snprintf(metrics[0].metric, sizeof metrics[0].metric, "us_npv");
    metrics[0].unit = JF__UNIT_USD;
    snprintf(metrics[1].scheme, sizeof metrics[1].scheme, "a,b");
    snprintf(metrics[1].metric, sizeof metrics[1].metric, "say \"hi\"");
    metrics[1].unit = JF__UNIT_SHARE;
    snprintf(metrics[2].scheme, sizeof metrics[2].scheme, "=cmd()");
    snprintf(metrics[2].metric, sizeof metrics[2].metric, "@home;x");
    metrics[2].unit = JF__UNIT_YEARS;
    metrics[2].censored = true;
    snprintf(metrics[3].scheme, sizeof metrics[3].scheme, "-");
    snprintf(metrics[3].metric, sizeof metrics[3].metric, "-5\nline");
    metrics[3].unit = JF__UNIT_USD;
    jf__series_def series[2];
    memset(series, 0, sizeof series);
    snprintf(series[0].variable, sizeof series[0].variable, "price");
    snprintf(series[0].scope, sizeof series[0].scope, "ore");
    snprintf(series[1].variable, sizeof series[1].variable, "conflict");
    snprintf(series[1].scope, sizeof series[1].scope, "+total");
    jf__catalogue cat = {4, metrics, 2, series, 2030, 2};

    jf_results *res = NULL;
    jf_error err;
    assert_int_equal(jf__results_alloc(&cat, &res, &err), JF_OK);
    /* The copy must not alias the caller's arrays. */
    assert_ptr_not_equal(res->catalogue.metrics, metrics);
    snprintf(metrics[0].scheme, sizeof metrics[0].scheme, "changed");
    assert_string_equal(res->catalogue.metrics[0].scheme, "fund");

    const double p0[5] = {1, 2, 3, 4, 5};
    res->metric_stats[0] = full_stats(1000, 1234.5, 10.25, 0.324, p0, -0.5, 1e20);
    const double p1[5] = {0.1, 0.1, 0.1, 0.1, 0.1};
    res->metric_stats[1] = full_stats(1, 0.1, 0, 0, p1, 0.1, 0.1);
    res->metric_stats[1].has_sd = false;
    res->metric_stats[2].n = 0; /* all missing */
    const double p3[5] = {-1e-7, 0, 1.5e15, 123456789012345678.0, 2.0 / 3.0};
    res->metric_stats[3] = full_stats(7, -0.0, 1e-5, 3.7796447300922722e-6, p3, -2, 3);
    res->metric_stats[3].has_pct[1] = false;

    const double a0[5] = {9, 9.5, 10, 10.5, 11};
    for (int t = 0; t < 2; t++) {
        res->series_stats[t] = full_stats(1000, 10 + t, 0.5, 0.0158, a0, 8, 12);
        res->series_stats[2 + t] = full_stats(1000, 0.25 * (t + 1), 0.433, 0.0137, p0, 0, 1);
    }
    res->series_stats[3].has_sd = false;
    res->paths = 1000;
    res->seed = 18446744073709551615u;
    res->threads = 3;
    res->seconds = 1.25;
    res->start_time = 1767225600.0; /* 2026-01-01T00:00:00Z */
    res->end_time = 1767225601.7;
    return res;
}

static const char *const summary_comma =
    "scheme,metric,unit,n,mean,sd,se,p05,p25,p50,p75,p95,min,max\n"
    "fund,us_npv,USD,1000,1234.5,10.25,0.324,1,2,3,4,5,-0.5,1e+20\n"
    "\"a,b\",\"say \"\"hi\"\"\",share,1,0.1,,,0.1,0.1,0.1,0.1,0.1,0.1,0.1\n"
    "'=cmd(),'@home;x,years,0,,,,,,,,,,\n"
    "-,\"'-5\nline\",USD,7,0,0.00001,3.77964473009227e-06,-1e-07,,1.5e+15,1.23456789012346e+17,"
    "0.666666666666667,-2,3\n";

static const char *const annual_comma =
    "year,variable,scope,n,mean,sd,p05,p25,p50,p75,p95\n"
    "2030,price,ore,1000,10,0.5,9,9.5,10,10.5,11\n"
    "2031,price,ore,1000,11,0.5,9,9.5,10,10.5,11\n"
    "2030,conflict,'+total,1000,0.25,0.433,1,2,3,4,5\n"
    "2031,conflict,'+total,1000,0.5,,1,2,3,4,5\n";

static const char *const summary_semicolon =
    "scheme;metric;unit;n;mean;sd;se;p05;p25;p50;p75;p95;min;max\n"
    "fund;us_npv;USD;1000;1234,5;10,25;0,324;1;2;3;4;5;-0,5;1e+20\n"
    "a,b;\"say \"\"hi\"\"\";share;1;0,1;;;0,1;0,1;0,1;0,1;0,1;0,1;0,1\n"
    "'=cmd();\"'@home;x\";years;0;;;;;;;;;;\n"
    "-;\"'-5\nline\";USD;7;0;0,00001;3,77964473009227e-06;-1e-07;;1,5e+15;1,23456789012346e+17;"
    "0,666666666666667;-2;3\n";

/* ------------------------------------------------------------------------ */
/* Files and folders                                                         */
/* ------------------------------------------------------------------------ */

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* rm -r for the small trees these tests make. */
static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[4400];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Number of entries in a folder (without . and ..). */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static char *read_in(const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return jf_test_read_file(path, NULL);
}

static bool exists_in(const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ------------------------------------------------------------------------ */
/* A minimal JSON reader: validates the whole text (RFC 8259 grammar) and    */
/* keeps the top-level members (strings decoded, other values as raw text).  */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *s;
    size_t i;
    int n_members;
    char keys[64][64];
    char values[64][8192];
} json_doc;

static void json_ws(json_doc *d)
{
    while (d->s[d->i] == ' ' || d->s[d->i] == '\t' || d->s[d->i] == '\n' || d->s[d->i] == '\r')
        d->i++;
}

static void put_utf8(char *out, size_t *len, size_t cap, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    for (size_t k = 0; k < n && *len + 1 < cap; k++)
        out[(*len)++] = b[k];
}

/* A string literal; decoded into out (may be NULL). */
static bool json_string(json_doc *d, char *out, size_t cap)
{
    size_t len = 0;
    if (d->s[d->i] != '"')
        return false;
    d->i++;
    for (;;) {
        unsigned char c = (unsigned char)d->s[d->i];
        if (c == '\0' || c < 0x20)
            return false;
        d->i++;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = d->s[d->i++];
            unsigned cp;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u': {
                cp = 0;
                for (int k = 0; k < 4; k++) {
                    char h = d->s[d->i++];
                    unsigned v;
                    if (h >= '0' && h <= '9')
                        v = (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        v = (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        v = (unsigned)(h - 'A' + 10);
                    else
                        return false;
                    cp = cp * 16 + v;
                }
                break;
            }
            default: return false;
            }
            if (out)
                put_utf8(out, &len, cap, cp);
        } else if (out && len + 1 < cap) {
            out[len++] = (char)c;
        }
    }
    if (out)
        out[len] = '\0';
    return true;
}

static bool json_value(json_doc *d, int depth);

static bool json_number(json_doc *d)
{
    size_t start = d->i;
    if (d->s[d->i] == '-')
        d->i++;
    if (d->s[d->i] == '0')
        d->i++;
    else if (d->s[d->i] >= '1' && d->s[d->i] <= '9')
        while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
            d->i++;
    else
        return false;
    if (d->s[d->i] == '.') {
        d->i++;
        if (!(d->s[d->i] >= '0' && d->s[d->i] <= '9'))
            return false;
        while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
            d->i++;
    }
    if (d->s[d->i] == 'e' || d->s[d->i] == 'E') {
        d->i++;
        if (d->s[d->i] == '+' || d->s[d->i] == '-')
            d->i++;
        if (!(d->s[d->i] >= '0' && d->s[d->i] <= '9'))
            return false;
        while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
            d->i++;
    }
    return d->i > start;
}

static bool json_literal(json_doc *d, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(d->s + d->i, word, n) != 0)
        return false;
    d->i += n;
    return true;
}

static bool json_container(json_doc *d, int depth, bool object)
{
    d->i++;
    json_ws(d);
    if (d->s[d->i] == (object ? '}' : ']')) {
        d->i++;
        return true;
    }
    for (;;) {
        json_ws(d);
        int slot = -1;
        if (object) {
            char key[64];
            if (!json_string(d, key, sizeof key))
                return false;
            json_ws(d);
            if (d->s[d->i++] != ':')
                return false;
            json_ws(d);
            if (depth == 0 && d->n_members < 64) {
                slot = d->n_members++;
                snprintf(d->keys[slot], sizeof d->keys[slot], "%s", key);
            }
        }
        size_t start = d->i;
        if (slot >= 0 && d->s[d->i] == '"') {
            if (!json_string(d, d->values[slot], sizeof d->values[slot]))
                return false;
        } else {
            if (!json_value(d, depth + 1))
                return false;
            if (slot >= 0)
                snprintf(d->values[slot], sizeof d->values[slot], "%.*s", (int)(d->i - start),
                         d->s + start);
        }
        json_ws(d);
        char c = d->s[d->i++];
        if (c == ',')
            continue;
        return c == (object ? '}' : ']');
    }
}

static bool json_value(json_doc *d, int depth)
{
    if (depth > 32)
        return false;
    json_ws(d);
    char c = d->s[d->i];
    if (c == '{')
        return json_container(d, depth, true);
    if (c == '[')
        return json_container(d, depth, false);
    if (c == '"')
        return json_string(d, NULL, 0);
    if (c == 't')
        return json_literal(d, "true");
    if (c == 'f')
        return json_literal(d, "false");
    if (c == 'n')
        return json_literal(d, "null");
    return json_number(d);
}

/* Parse a whole document whose top level is an object. */
static bool json_parse(json_doc *d, const char *text)
{
    memset(d, 0, sizeof *d);
    d->s = text;
    json_ws(d);
    if (d->s[d->i] != '{')
        return false;
    if (!json_container(d, 0, true))
        return false;
    json_ws(d);
    return d->s[d->i] == '\0';
}

static const char *json_get(const json_doc *d, const char *key)
{
    for (int i = 0; i < d->n_members; i++)
        if (strcmp(d->keys[i], key) == 0)
            return d->values[i];
    fail_msg("manifest has no member \"%s\"", key);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */
/* ------------------------------------------------------------------------ */

/* The reader itself must reject broken JSON, or the manifest test proves nothing. */
static void test_json_reader(void **state)
{
    (void)state;
    json_doc *d = malloc(sizeof *d);
    assert_non_null(d);
    assert_true(json_parse(d, "{\"a\": [1, -2.5e3, true, null, {\"b\": \"\\u00e9\"}], \"c\": \"x\\ny\"}"));
    assert_string_equal(json_get(d, "c"), "x\ny");
    assert_false(json_parse(d, "{\"a\": 1,}"));
    assert_false(json_parse(d, "{\"a\": \"tab\there\"}"));
    assert_false(json_parse(d, "{\"a\": 01}"));
    assert_false(json_parse(d, "{\"a\": \"\\x\"}"));
    assert_false(json_parse(d, "{\"a\": nan}"));
    assert_false(json_parse(d, "{\"a\": 1} x"));
    free(d);
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[JF_SHA256_HEX_SIZE];
    /* FIPS 180-2 test vectors. */
    jf__sha256_buffer("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    jf__sha256_buffer("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    char dir[4096];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    char path[4200];
    snprintf(path, sizeof path, "%s/msg", dir);
    write_text(path, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
    jf_error err;
    assert_int_equal(jf__sha256_file(path, hex, &err), JF_OK);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    unlink(path);
    assert_int_equal(jf__sha256_file(path, hex, &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    assert_string_equal(hex, "");
    remove_tree(dir);
}

static void test_csv_files_default_format(void **state)
{
    (void)state;
    jf_results *res = hand_results();
    jf_scenario *sc = small_scenario();
    char dir[4096], out[4200];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    snprintf(out, sizeof out, "%s/a/b/c", dir); /* parents are created */
    jf_error err;
    jf_status st = jf_write_outputs(res, sc, out, NULL, NULL, &err);
    if (st != JF_OK)
        fail_msg("jf_write_outputs: %s", err.message);
    char *summary = read_in(out, "summary.csv");
    char *annual = read_in(out, "annual.csv");
    assert_non_null(summary);
    assert_non_null(annual);
    assert_string_equal(summary, summary_comma);
    assert_string_equal(annual, annual_comma);
    assert_int_equal(count_entries(out), 3); /* no temporary files left */
    free(summary);
    free(annual);

    /* The explicit default format gives the same bytes, and a second write replaces the files. */
    jf_csv_format fmt = {',', '.'};
    assert_int_equal(jf_write_outputs(res, sc, out, &fmt, NULL, &err), JF_OK);
    summary = read_in(out, "summary.csv");
    assert_string_equal(summary, summary_comma);
    free(summary);
    assert_int_equal(count_entries(out), 3);

    remove_tree(dir);
    jf_results_free(res);
    scenario_delete(sc);
}

static void test_csv_files_semicolon_decimal_comma(void **state)
{
    (void)state;
    jf_results *res = hand_results();
    jf_scenario *sc = small_scenario();
    char dir[4096];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    jf_csv_format fmt = {';', ','};
    jf_error err;
    assert_int_equal(jf_write_outputs(res, sc, dir, &fmt, NULL, &err), JF_OK);
    char *summary = read_in(dir, "summary.csv");
    char *annual = read_in(dir, "annual.csv");
    assert_string_equal(summary, summary_semicolon);
    assert_string_equal(annual,
                        "year;variable;scope;n;mean;sd;p05;p25;p50;p75;p95\n"
                        "2030;price;ore;1000;10;0,5;9;9,5;10;10,5;11\n"
                        "2031;price;ore;1000;11;0,5;9;9,5;10;10,5;11\n"
                        "2030;conflict;'+total;1000;0,25;0,433;1;2;3;4;5\n"
                        "2031;conflict;'+total;1000;0,5;;1;2;3;4;5\n");
    free(summary);
    free(annual);

    /* ';' with '.' is fine too. */
    fmt.decimal = '.';
    assert_int_equal(jf_write_outputs(res, sc, dir, &fmt, NULL, &err), JF_OK);
    summary = read_in(dir, "summary.csv");
    assert_non_null(strstr(summary, "fund;us_npv;USD;1000;1234.5;10.25;0.324;"));
    free(summary);
    remove_tree(dir);
    jf_results_free(res);
    scenario_delete(sc);
}

static void test_bad_format_is_usage_error(void **state)
{
    (void)state;
    jf_results *res = hand_results();
    jf_scenario *sc = small_scenario();
    char dir[4096], out[4200];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    snprintf(out, sizeof out, "%s/never", dir);
    jf_error err;
    const jf_csv_format bad[3] = {{',', ','}, {'\t', '.'}, {';', ';'}};
    for (int i = 0; i < 3; i++) {
        jf_error_clear(&err);
        assert_int_equal(jf_write_outputs(res, sc, out, &bad[i], NULL, &err), JF_ERR_USAGE);
        assert_int_equal(err.status, JF_ERR_USAGE);
        assert_true(err.message[0] != '\0');
    }
    assert_false(exists_in(dir, "never")); /* nothing created */
    assert_int_equal(jf_write_outputs(NULL, sc, out, NULL, NULL, &err), JF_ERR_USAGE);
    remove_tree(dir);
    jf_results_free(res);
    scenario_delete(sc);
}

/* Failures leave nothing behind: not a half-written file, not a partial set. */
static void test_atomic_failures(void **state)
{
    (void)state;
    jf_results *res = hand_results();
    jf_scenario *sc = small_scenario();
    char dir[4096], path[4400];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    jf_error err;

    /* 1. outdir is a regular file. */
    snprintf(path, sizeof path, "%s/plain", dir);
    write_text(path, "keep me");
    assert_int_equal(jf_write_outputs(res, sc, path, NULL, NULL, &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    char *kept = jf_test_read_file(path, NULL);
    assert_string_equal(kept, "keep me");
    free(kept);

    /* 2. A parent of outdir is a regular file. */
    snprintf(path, sizeof path, "%s/plain/sub", dir);
    assert_int_equal(jf_write_outputs(res, sc, path, NULL, NULL, &err), JF_ERR_IO);
    assert_int_equal(count_entries(dir), 1);

    /* 3. The last file cannot be renamed into place (a folder holds its name):
     *    the two files already renamed are taken back, no temporaries stay. */
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    snprintf(path, sizeof path, "%s/manifest.json", out);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/manifest.json/x", out);
    write_text(path, "occupied");
    assert_int_equal(jf_write_outputs(res, sc, out, NULL, NULL, &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    assert_false(exists_in(out, "summary.csv"));
    assert_false(exists_in(out, "annual.csv"));
    assert_int_equal(count_entries(out), 1); /* only the manifest.json folder */

    /* 4. The scenario file to fingerprint does not exist: nothing is written. */
    char out2[4200];
    snprintf(out2, sizeof out2, "%s/out2", dir);
    jf_manifest_info info = {"/nonexistent/scenario.yaml", NULL, NULL, 0, 0.0};
    assert_int_equal(jf_write_outputs(res, sc, out2, NULL, &info, &err), JF_ERR_IO);
    assert_true(count_entries(out2) <= 0);

    remove_tree(dir);
    jf_results_free(res);
    scenario_delete(sc);
}

static void test_manifest(void **state)
{
    (void)state;
    jf_results *res = hand_results();
    jf_scenario *sc = small_scenario();
    char dir[4096], file[4200];
    assert_true(jf_test_tempdir(dir, sizeof dir, "jf_test_output"));
    snprintf(file, sizeof file, "%s/scen \"x\".yaml", dir);
    write_text(file, "abc");
    /* As jf_override_parse makes them: `path` points into "PATH=VALUE". */
    const jf_override ov[2] = {{"schemes.repay.share=0.25", "0.25"},
                               {"resources.ore.unit", "\"t\\\\n\" \x01 \xff end"}};
    jf_manifest_info info = {file, "jfsim run \"scen x.yaml\"\t-j 3", ov, 2, 1767225600.0};
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    jf_error err;
    jf_status st = jf_write_outputs(res, sc, out, NULL, &info, &err);
    if (st != JF_OK)
        fail_msg("jf_write_outputs: %s", err.message);
    char *text = read_in(out, "manifest.json");
    assert_non_null(text);

    json_doc *d = malloc(sizeof *d);
    assert_non_null(d);
    if (!json_parse(d, text))
        fail_msg("manifest.json is not valid JSON near byte %zu:\n%s", d->i, text);
    assert_string_equal(json_get(d, "engine_version"), JF_VERSION_STRING);
    assert_string_equal(json_get(d, "scenario_file"), file);
    assert_string_equal(json_get(d, "scenario_sha256"),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(json_get(d, "scenario_name"), "out_test");
    assert_string_equal(json_get(d, "command_line"), "jfsim run \"scen x.yaml\"\t-j 3");
    assert_string_equal(json_get(d, "seed"), "18446744073709551615");
    assert_string_equal(json_get(d, "paths"), "1000");
    assert_string_equal(json_get(d, "threads"), "3");
    assert_string_equal(json_get(d, "memory_mode"), "exact");
    assert_string_equal(json_get(d, "wall_time_seconds"), "1.25");
    assert_string_equal(json_get(d, "start_time"), "2026-01-01T00:00:00Z");
    assert_string_equal(json_get(d, "end_time"), "2026-01-01T00:00:01Z");
    /* Overrides: control characters escaped, the invalid byte 0xFF became U+FFFD. */
    const char *ovs = json_get(d, "overrides");
    assert_non_null(strstr(ovs, "{\"path\": \"schemes.repay.share\", \"value\": \"0.25\"}"));
    assert_non_null(strstr(ovs, "\"\\\"t\\\\\\\\n\\\" \\u0001 \\ufffd end\""));
    const char *params = json_get(d, "parameters");
    assert_non_null(strstr(params, "\"start_year\": 2030"));
    assert_non_null(strstr(params, "\"horizon_years\": 2"));
    assert_non_null(strstr(params, "\"discount_rate\": 0.05"));
    assert_non_null(strstr(params, "\"inflation\": 0.02"));
    assert_non_null(strstr(params, "\"name\": \"ore\", \"kind\": \"mineral\""));
    assert_non_null(strstr(params, "\"name\": \"repay\", \"type\": \"repayment\""));
    const char *yaml = json_get(d, "resolved_scenario_yaml");
    assert_non_null(strstr(yaml, "repay"));
    assert_non_null(strstr(yaml, "start_year"));

    /* Independent check with Python's JSON parser, when there is one. */
    if (system("command -v python3 >/dev/null 2>&1") == 0) {
        char cmd[9000];
        snprintf(cmd, sizeof cmd, "python3 -m json.tool '%s/manifest.json' >/dev/null", out);
        assert_int_equal(system(cmd), 0);
    }

    /* Sketch mode is reported as such. */
    res->sketch_mode = true;
    assert_int_equal(jf_write_outputs(res, sc, out, NULL, NULL, &err), JF_OK);
    free(text);
    text = read_in(out, "manifest.json");
    assert_true(json_parse(d, text));
    assert_string_equal(json_get(d, "memory_mode"), "sketch");
    assert_string_equal(json_get(d, "scenario_file"), "null");
    assert_string_equal(json_get(d, "scenario_sha256"), "null");

    free(d);
    free(text);
    remove_tree(dir);
    jf_results_free(res);
    scenario_delete(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_csv_files_default_format),
        cmocka_unit_test(test_csv_files_semicolon_decimal_comma),
        cmocka_unit_test(test_bad_format_is_usage_error),
        cmocka_unit_test(test_atomic_failures),
        cmocka_unit_test(test_manifest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
