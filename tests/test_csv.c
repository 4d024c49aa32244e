/*
 * test_csv.c — the CSV dialect (INTERFACE.md "Outputs") and atomic files
 * (engine/csv.c).  Expected strings are written out by hand from the rules:
 * RFC 4180 quoting, formula neutralising of text cells, 15-significant-digit
 * numbers, ';' separator and ',' decimal, temporary file + rename.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "csv.h"

/* Run `write` on a memory stream, return the bytes written (caller frees). */
static char *capture(void (*write)(jf__csv *), const jf_csv_format *format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    jf__csv csv;
    jf__csv_init(&csv, fp, format);
    write(&csv);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

static const char *number(double x, char decimal)
{
    static char buf[64];
    int len = jf__format_number(x, decimal, buf, sizeof buf);
    assert_int_equal(len, (int)strlen(buf));
    return buf;
}

/* ---- numbers -------------------------------------------------------------- */

static void test_number_format(void **state)
{
    (void)state;
    assert_string_equal(number(0.1, '.'), "0.1");
    assert_string_equal(number(1.0 / 3.0, '.'), "0.333333333333333");
    assert_string_equal(number(2.0 / 3.0, '.'), "0.666666666666667"); /* rounded, not cut */
    assert_string_equal(number(500e9, '.'), "500000000000");
    assert_string_equal(number(-500e9, '.'), "-500000000000");
    assert_string_equal(number(1e20, '.'), "1e+20");
    assert_string_equal(number(-0.0, '.'), "0");
    assert_string_equal(number(0.0, '.'), "0");
    assert_string_equal(number(1e-300, '.'), "1e-300");
    assert_string_equal(number(1.5e-7, '.'), "1.5e-07");
    assert_string_equal(number(2.5e-5, '.'), "0.000025"); /* positional down to 1e-5 */
    assert_string_equal(number(1e-5, '.'), "0.00001");
    assert_string_equal(number(9.99e-6, '.'), "9.99e-06");
    assert_string_equal(number(123456789012345.0, '.'), "123456789012345");
    assert_string_equal(number(1e15, '.'), "1e+15");
    assert_string_equal(number(999999999999999.9, '.'), "1e+15"); /* rounds up at 15 digits */
    assert_string_equal(number(1234567.125, '.'), "1234567.125");
    assert_string_equal(number(0.1 + 0.2, '.'), "0.3"); /* 0.30000000000000004 at 15 digits */
    assert_string_equal(number(42.0, '.'), "42");
    assert_string_equal(number(-3.25, ','), "-3,25");
    assert_string_equal(number(1.5e20, ','), "1,5e+20");
    assert_string_equal(number(NAN, '.'), "");
    assert_string_equal(number(INFINITY, '.'), "");
    assert_string_equal(number(-INFINITY, '.'), "");
    /* Every formatted value reads back within 15 significant digits. */
    double samples[] = {3.14159265358979312, -2.71828182845904509e9, 6.02214076e23, 1.602176634e-19, 0.05, 7e-5, 123.456};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        double back = strtod(number(samples[i], '.'), NULL);
        assert_true(fabs(back - samples[i]) <= 5e-15 * fabs(samples[i]));
    }
    /* Truncated buffer: returns the full length like snprintf. */
    char small[4];
    assert_int_equal(jf__format_number(500e9, '.', small, sizeof small), 12);
    assert_string_equal(small, "500");
}

/* ---- cells ---------------------------------------------------------------- */

static void write_quoting(jf__csv *csv)
{
    jf__csv_text(csv, "plain");
    jf__csv_text(csv, "a,b");
    jf__csv_text(csv, "say \"hi\"");
    jf__csv_text(csv, "two\nlines");
    jf__csv_text(csv, "cr\rhere");
    jf__csv_text(csv, "a;b");
    jf__csv_text(csv, "Київ ü");
    jf__csv_text(csv, "");
    jf__csv_end_row(csv);
    jf__csv_text(csv, "x");
    jf__csv_end_row(csv);
}

static void test_quoting(void **state)
{
    (void)state;
    char *out = capture(write_quoting, NULL);
    assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",a;b,Київ ü,\n"
                             "x\n");
    free(out);
}

static void write_formulas(jf__csv *csv)
{
    jf__csv_text(csv, "=SUM(A1)");
    jf__csv_text(csv, "+1");
    jf__csv_text(csv, "-1");
    jf__csv_text(csv, "@cmd");
    jf__csv_text(csv, "\tx");
    jf__csv_text(csv, "\rx");
    jf__csv_text(csv, "-");
    jf__csv_text(csv, "--");
    jf__csv_text(csv, "=a,b");
    jf__csv_text(csv, "a=b");
    jf__csv_number(csv, -1.5);
    jf__csv_integer(csv, -7);
    jf__csv_end_row(csv);
}

static void test_neutralise(void **state)
{
    (void)state;
    char *out = capture(write_formulas, NULL);
    assert_string_equal(out, "'=SUM(A1),'+1,'-1,'@cmd,'\tx,\"'\rx\",-,'--,\"'=a,b\",a=b,-1.5,-7\n");
    free(out);
}

static void write_numbers(jf__csv *csv)
{
    jf__csv_text(csv, "A vs B");
    jf__csv_number(csv, 1234.5);
    jf__csv_number(csv, NAN);
    jf__csv_empty(csv);
    jf__csv_integer(csv, 10000000000LL);
    jf__csv_number(csv, 0.25);
    jf__csv_text(csv, "x;y");
    jf__csv_end_row(csv);
}

static void test_separator_and_decimal(void **state)
{
    (void)state;
    char *out = capture(write_numbers, NULL);
    assert_string_equal(out, "A vs B,1234.5,,,10000000000,0.25,x;y\n");
    free(out);
    jf_csv_format eu = {';', ','};
    out = capture(write_numbers, &eu);
    assert_string_equal(out, "A vs B;1234,5;;;10000000000;0,25;\"x;y\"\n");
    free(out);
    /* ',' decimal with ',' separator: the number is quoted so the row still parses. */
    jf_csv_format clash = {',', ','};
    out = capture(write_numbers, &clash);
    assert_string_equal(out, "A vs B,\"1234,5\",,,10000000000,\"0,25\",x;y\n");
    free(out);
}

/* ---- atomic files --------------------------------------------------------- */

/* Make a fresh empty folder under TMPDIR; returns its path (static). */
static const char *fresh_dir(void)
{
    static char dir[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/jf_test_csv_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    return dir;
}

/* Number of entries in `dir` other than . and .., and the first one's name. */
static int count_entries(const char *dir, char *first, size_t size)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n++ == 0 && first)
            snprintf(first, size, "%s", e->d_name);
    }
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void test_atomic_commit(void **state)
{
    (void)state;
    const char *dir = fresh_dir();
    char path[512], name[256];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    jf_error err;
    jf_error_clear(&err);
    jf__atomic_file f;
    assert_int_equal(jf__atomic_open(&f, path, &err), JF_OK);
    /* While open: only the temporary exists, named .summary.csv.tmp.XXXXXX. */
    assert_int_equal(count_entries(dir, name, sizeof name), 1);
    assert_int_equal(strncmp(name, ".summary.csv.tmp.", 17), 0);
    assert_int_equal(strlen(name), 17 + 6);
    assert_null(slurp(path));
    jf__csv csv;
    jf__csv_init(&csv, f.fp, NULL);
    jf__csv_text(&csv, "scheme");
    jf__csv_text(&csv, "mean");
    jf__csv_end_row(&csv);
    jf__csv_text(&csv, "-");
    jf__csv_number(&csv, 500e9);
    jf__csv_end_row(&csv);
    assert_int_equal(jf__atomic_commit(&f, &err), JF_OK);
    assert_int_equal(count_entries(dir, name, sizeof name), 1);
    assert_string_equal(name, "summary.csv");
    assert_string_equal(slurp(path), "scheme,mean\n-,500000000000\n");
    assert_string_equal(f.final_path, path); /* kept for the caller */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((st.st_mode & 0444) != 0); /* not left at mkstemp's 0600 only... */
    assert_true((st.st_mode & S_IRUSR) != 0);
    jf__atomic_abort(&f); /* after commit: a no-op, the file stays */
    assert_string_equal(slurp(path), "scheme,mean\n-,500000000000\n");

    /* Replacing an existing file. */
    assert_int_equal(jf__atomic_open(&f, path, &err), JF_OK);
    fputs("new\n", f.fp);
    assert_string_equal(slurp(path), "scheme,mean\n-,500000000000\n"); /* old until commit */
    assert_int_equal(jf__atomic_commit(&f, &err), JF_OK);
    assert_string_equal(slurp(path), "new\n");
    assert_int_equal(count_entries(dir, NULL, 0), 1);
    unlink(path);
    rmdir(dir);
}

static void test_atomic_abort(void **state)
{
    (void)state;
    const char *dir = fresh_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/annual.csv", dir);
    jf_error err;
    jf__atomic_file f;
    assert_int_equal(jf__atomic_open(&f, path, &err), JF_OK);
    fputs("half a row,", f.fp);
    jf__atomic_abort(&f);
    assert_int_equal(count_entries(dir, NULL, 0), 0);
    jf__atomic_abort(&f); /* twice is fine */
    assert_int_equal(rmdir(dir), 0);
}

static void test_atomic_errors(void **state)
{
    (void)state;
    jf_error err;
    jf__atomic_file f;
    /* Missing folder: JF_ERR_IO, the OS reason in the message, nothing to clean. */
    jf_error_clear(&err);
    assert_int_equal(jf__atomic_open(&f, "/nonexistent_jf_dir/sub/summary.csv", &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    assert_string_equal(err.file, "/nonexistent_jf_dir/sub/summary.csv");
    assert_non_null(strstr(err.message, strerror(ENOENT)));
    assert_null(f.fp);
    jf__atomic_abort(&f);

    /* Folder removed after open: the commit's rename fails, JF_ERR_IO. */
    const char *dir0 = fresh_dir();
    char dir[256], moved[300], path[512];
    snprintf(dir, sizeof dir, "%s", dir0);
    snprintf(moved, sizeof moved, "%s.moved", dir);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    assert_int_equal(jf__atomic_open(&f, path, &err), JF_OK);
    fputs("x\n", f.fp);
    assert_int_equal(rename(dir, moved), 0);
    jf_error_clear(&err);
    assert_int_equal(jf__atomic_commit(&f, &err), JF_ERR_IO);
    assert_int_equal(err.status, JF_ERR_IO);
    assert_non_null(strstr(err.message, strerror(ENOENT)));
    assert_null(f.fp);
    jf__atomic_abort(&f);
    /* The temporary went away with the folder; clean it up by hand. */
    char leftover[256];
    assert_int_equal(count_entries(moved, leftover, sizeof leftover), 1);
    char lpath[700];
    snprintf(lpath, sizeof lpath, "%s/%s", moved, leftover);
    unlink(lpath);
    assert_int_equal(rmdir(moved), 0);

    /* Final name taken by a folder: the rename fails and the temporary is removed. */
    dir0 = fresh_dir();
    snprintf(dir, sizeof dir, "%s", dir0);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    char inner[600];
    snprintf(inner, sizeof inner, "%s/keep", path);
    FILE *keep = fopen(inner, "w");
    assert_non_null(keep);
    fclose(keep);
    assert_int_equal(jf__atomic_open(&f, path, &err), JF_OK);
    fputs("x\n", f.fp);
    jf_error_clear(&err);
    assert_int_equal(jf__atomic_commit(&f, &err), JF_ERR_IO);
    assert_true(err.message[0] != '\0');
    assert_int_equal(count_entries(dir, NULL, 0), 1); /* only the folder */
    unlink(inner);
    rmdir(path);
    assert_int_equal(rmdir(dir), 0);

    /* A path that ends in '/' names no file. */
    assert_int_equal(jf__atomic_open(&f, "/tmp/", &err), JF_ERR_IO);
}

/* The signal-time clean-up unlinks the temporaries of every open file and
 * nothing else; the files can still be aborted afterwards. */
static void test_cleanup_on_signal(void **state)
{
    (void)state;
    const char *dir = fresh_dir();
    char p1[512], p2[512], p3[512];
    snprintf(p1, sizeof p1, "%s/a.csv", dir);
    snprintf(p2, sizeof p2, "%s/b.csv", dir);
    snprintf(p3, sizeof p3, "%s/c.csv", dir);
    jf_error err;
    jf__atomic_file a, b, c;
    assert_int_equal(jf__atomic_open(&a, p1, &err), JF_OK);
    assert_int_equal(jf__atomic_open(&b, p2, &err), JF_OK);
    assert_int_equal(jf__atomic_open(&c, p3, &err), JF_OK);
    assert_int_equal(jf__atomic_commit(&c, &err), JF_OK);
    assert_int_equal(count_entries(dir, NULL, 0), 3);
    assert_int_equal(jf__atomic_cleanup_on_signal(), 0);
    char name[256];
    assert_int_equal(count_entries(dir, name, sizeof name), 1);
    assert_string_equal(name, "c.csv"); /* committed files are not touched */
    jf__atomic_abort(&a);
    jf__atomic_abort(&b);
    /* The registry slots were released: many more files can be opened. */
    for (int i = 0; i < 200; i++) {
        assert_int_equal(jf__atomic_open(&a, p1, &err), JF_OK);
        jf__atomic_abort(&a);
    }
    assert_int_equal(count_entries(dir, NULL, 0), 1);
    unlink(p3);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_neutralise),
        cmocka_unit_test(test_separator_and_decimal),
        cmocka_unit_test(test_atomic_commit),
        cmocka_unit_test(test_atomic_abort),
        cmocka_unit_test(test_atomic_errors),
        cmocka_unit_test(test_cleanup_on_signal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
