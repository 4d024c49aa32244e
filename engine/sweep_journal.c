/*
 * sweep_journal.c — the durable record of a sweep's finished points
 * (format and guarantees in sweep_journal.h; issue 5 item 2).
 *
 * The journal is the single source of sweep.csv: the sweep driver writes
 * sweep.csv from j->rows after every point is recorded, in an uninterrupted
 * run as after a resume, so the two are byte-identical by construction.
 * A line is formatted into a buffer allocated once per journal, written with
 * one write() (O_APPEND: never interleaved with an earlier torn tail, which
 * opening cuts off first) and synced with fdatasync before it counts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "rng.h"
#include "sweep_journal.h"

#define JF__JOURNAL_MAGIC "jfsim-sweep-journal 1"
#define JF__CELL_TEXT 40 /* "%a" of a double is at most 24 characters */

static jf_status jfail(jf_error *err, jf_status status, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static jf_status jfail(jf_error *err, jf_status status, const char *file, const char *fmt, ...)
{
    if (err) {
        jf_error_clear(err);
        err->status = status;
        snprintf(err->file, sizeof err->file, "%s", file ? file : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

static void header_text(char *buf, size_t size, const jf__journal_print *p, size_t n_points,
                        size_t n_cols)
{
    snprintf(buf, size, "%s points=%zu columns=%zu scenario=%s overrides=%s options=%s\n",
             JF__JOURNAL_MAGIC, n_points, n_cols, p->scenario, p->overrides, p->options);
}

/* Folder part of `path` ("." when none) into buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

static void fsync_dir(const char *path)
{
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Write a fresh journal holding only the header, atomically. */
static jf_status write_header(const char *path, const char *header, jf_error *err)
{
    jf__atomic_file f;
    jf_status st = jf__atomic_open(&f, path, err);
    if (st != JF_OK)
        return st;
    fputs(header, f.fp);
    return jf__atomic_commit(&f, err);
}

/* Parse one complete line (without its '\n') into j; false when it is not valid. */
static bool parse_line(jf__journal *j, char *line, size_t len)
{
    char *last = NULL;
    for (size_t i = len; i-- > 0;) {
        if (line[i] == ' ') {
            last = line + i;
            break;
        }
    }
    if (!last || line + len - last != 17)
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long check = strtoull(last + 1, &end, 16);
    if (errno || end != line + len)
        return false;
    *last = '\0';
    if (jf__fnv1a64(line) != (uint64_t)check || line[0] != 'P' || line[1] != ' ')
        return false;
    char *s = line + 2;
    errno = 0;
    unsigned long long k = strtoull(s, &end, 10);
    if (errno || end == s || *end != ' ' || k >= j->n_points)
        return false;
    if (j->done[k])
        return true; /* a duplicate: keep the first record */
    double *row = j->rows + (size_t)k * j->n_cols;
    s = end;
    for (size_t c = 0; c < j->n_cols; c++) {
        if (*s != ' ')
            return false;
        s++;
        if (s[0] == '-' && (s[1] == ' ' || s[1] == '\0')) {
            row[c] = NAN;
            s++;
            continue;
        }
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || !isfinite(v))
            return false;
        row[c] = v;
        s = end;
    }
    if (*s != '\0')
        return false;
    j->done[k] = true;
    j->n_done++;
    return true;
}

/* Compare the stored header with the expected one; JF_OK or a clear refusal. */
static jf_status check_header(const char *path, const char *found, const jf__journal_print *p,
                              size_t n_points, size_t n_cols, jf_error *err)
{
    static const char hint[] = "start again without --resume";
    char expected[512];
    header_text(expected, sizeof expected, p, n_points, n_cols);
    if (strcmp(found, expected) == 0)
        return JF_OK;
    if (strncmp(found, JF__JOURNAL_MAGIC " ", sizeof JF__JOURNAL_MAGIC) != 0)
        return jfail(err, JF_ERR_USAGE, path,
                     "this is not a jfsim sweep journal (or one from another jfsim version); %s", hint);
    char want[80];
    snprintf(want, sizeof want, "scenario=%s ", p->scenario);
    if (!strstr(found, want))
        return jfail(err, JF_ERR_USAGE, path,
                     "the scenario changed since the interrupted sweep: the scenario file's "
                     "SHA-256 is now %.12s..., the journal was written for another text; %s",
                     p->scenario, hint);
    snprintf(want, sizeof want, "overrides=%s ", p->overrides);
    if (!strstr(found, want))
        return jfail(err, JF_ERR_USAGE, path,
                     "the scenario changed since the interrupted sweep: the --set, -n or --seed "
                     "options differ from those of the interrupted run; %s", hint);
    return jfail(err, JF_ERR_USAGE, path,
                 "the scenario changed since the interrupted sweep: the sweep's points, columns "
                 "or output options (--per-point, --csv-sep, --decimal, --memory-budget with "
                 "--per-point) or the jfsim version differ; %s", hint);
}

static bool grow_line(jf__journal *j, size_t need)
{
    if (need <= j->line_cap)
        return true;
    size_t cap = j->line_cap ? j->line_cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(j->line, cap);
    if (!p)
        return false;
    j->line = p;
    j->line_cap = cap;
    return true;
}

/* Read an existing journal: header check, rows, torn tail.  *end_ok = length of
 * the part made of complete lines. */
static jf_status read_journal(jf__journal *j, FILE *fp, const jf__journal_print *print,
                              jf_error *err, long long *end_ok)
{
    size_t len = 0;
    long long offset = 0;
    bool header = true;
    *end_ok = 0;
    for (;;) {
        int c = 0;
        len = 0;
        while ((c = getc(fp)) != EOF) {
            if (!grow_line(j, len + 2))
                return jfail(err, JF_ERR_NOMEM, j->path, "out of memory reading the journal");
            if (c == '\n')
                break;
            j->line[len++] = (char)c;
        }
        if (ferror(fp))
            return jfail(err, JF_ERR_IO, j->path, "cannot read the journal: %s", strerror(errno));
        if (c != '\n') {
            j->truncated = len > 0;
            break; /* end of file; a tail without '\n' is torn */
        }
        j->line[len] = '\0';
        offset += (long long)len + 1;
        if (header) {
            j->line[len] = '\n';
            j->line[len + 1] = '\0';
            jf_status st = check_header(j->path, j->line, print, j->n_points, j->n_cols, err);
            if (st != JF_OK)
                return st;
            header = false;
        } else if (!parse_line(j, j->line, len)) {
            j->n_ignored++;
        }
        *end_ok = offset;
    }
    if (header)
        return jfail(err, JF_ERR_USAGE, j->path,
                     "the journal has no header (it is empty or damaged); start again without --resume");
    return JF_OK;
}

jf_status jf__journal_open(jf__journal *j, const char *path, const jf__journal_print *print,
                           size_t n_points, size_t n_cols, bool resume, jf_error *err)
{
    memset(j, 0, sizeof *j);
    j->fd = -1;
    if (snprintf(j->path, sizeof j->path, "%s", path) >= (int)sizeof j->path)
        return jfail(err, JF_ERR_IO, path, "journal path too long");
    j->n_points = n_points;
    j->n_cols = n_cols;
    if (n_points > SIZE_MAX / sizeof(double) / (n_cols ? n_cols : 1))
        return jfail(err, JF_ERR_LIMIT, path, "too many sweep points for this machine");
    size_t n_cells = n_points * n_cols;
    j->rows = malloc((n_cells > 0 ? n_cells : 1) * sizeof *j->rows);
    j->done = calloc(n_points ? n_points : 1, sizeof *j->done);
    if (!j->rows || !j->done || !grow_line(j, 64 + (n_cols + 2) * JF__CELL_TEXT)) {
        jf__journal_close(j);
        return jfail(err, JF_ERR_NOMEM, path, "out of memory for the sweep journal");
    }
    for (size_t i = 0; i < n_cells; i++)
        j->rows[i] = NAN;

    jf_status st = JF_OK;
    FILE *fp = resume ? fopen(path, "rb") : NULL;
    if (resume && !fp && errno != ENOENT) {
        st = jfail(err, JF_ERR_IO, path, "cannot open the sweep journal: %s", strerror(errno));
        jf__journal_close(j);
        return st;
    }
    if (fp) {
        long long end_ok = 0;
        st = read_journal(j, fp, print, err, &end_ok);
        fclose(fp);
        if (st == JF_OK && j->truncated) {
            /* Cut the torn tail, so the next line starts on a line of its own. */
            if (truncate(path, (off_t)end_ok) != 0)
                st = jfail(err, JF_ERR_IO, path, "cannot cut the torn last line of the journal: %s",
                           strerror(errno));
        }
    } else {
        char header[512];
        header_text(header, sizeof header, print, n_points, n_cols);
        st = write_header(path, header, err);
    }
    if (st == JF_OK) {
        j->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (j->fd < 0)
            st = jfail(err, JF_ERR_IO, path, "cannot open the sweep journal: %s", strerror(errno));
        else if (fsync(j->fd) != 0)
            st = jfail(err, JF_ERR_IO, path, "cannot sync the sweep journal: %s", strerror(errno));
        else
            j->is_open = true;
    }
    if (st != JF_OK) {
        jf__journal_close(j);
        return st;
    }
    fsync_dir(path);
    return JF_OK;
}

jf_status jf__journal_append(jf__journal *j, size_t point, const double *values, jf_error *err)
{
    if (!j->is_open || point >= j->n_points)
        return jfail(err, JF_ERR_USAGE, j->path, "journal: point %zu out of range or journal closed", point);
    size_t cap = j->line_cap;
    int n = snprintf(j->line, cap, "P %zu", point);
    size_t len = (size_t)n;
    for (size_t c = 0; c < j->n_cols && len < cap; c++) {
        if (isfinite(values[c]))
            n = snprintf(j->line + len, cap - len, " %a", values[c]);
        else
            n = snprintf(j->line + len, cap - len, " -");
        len += (size_t)n;
    }
    if (len + 20 >= cap)
        return jfail(err, JF_ERR_INTERNAL, j->path, "journal line longer than its buffer");
    uint64_t check = jf__fnv1a64(j->line);
    len += (size_t)snprintf(j->line + len, cap - len, " %016llx\n", (unsigned long long)check);

    size_t off = 0;
    while (off < len) {
        ssize_t w = write(j->fd, j->line + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return jfail(err, JF_ERR_IO, j->path, "cannot write the sweep journal: %s",
                         w < 0 ? strerror(errno) : "no space written");
        off += (size_t)w;
    }
    if (fdatasync(j->fd) != 0)
        return jfail(err, JF_ERR_IO, j->path, "cannot sync the sweep journal: %s", strerror(errno));
    if (!j->done[point]) {
        memcpy(j->rows + point * j->n_cols, values, j->n_cols * sizeof *values);
        for (size_t c = 0; c < j->n_cols; c++)
            if (!isfinite(j->rows[point * j->n_cols + c]))
                j->rows[point * j->n_cols + c] = NAN;
        j->done[point] = true;
        j->n_done++;
    }
    return JF_OK;
}

void jf__journal_close(jf__journal *j)
{
    if (!j)
        return;
    if (j->is_open)
        close(j->fd);
    j->is_open = false;
    j->fd = -1;
    free(j->rows);
    free(j->done);
    free(j->line);
    j->rows = NULL;
    j->done = NULL;
    j->line = NULL;
    j->line_cap = 0;
}
