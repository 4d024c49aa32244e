/*
 * csv.c — the CSV dialect of INTERFACE.md "Outputs" and atomic file writing.
 *
 * Cells.  A row is a sequence of cells separated by `separator` (',' or ';')
 * and ended by "\n"; the caller writes the header row like any other row.
 *   - Text cells follow RFC 4180: a cell that contains the separator, '"',
 *     CR or LF is enclosed in double quotes, inner quotes doubled.  UTF-8
 *     bytes pass through untouched.  A text cell that a spreadsheet would
 *     read as a formula — first byte '=', '+', '-', '@', TAB or CR — gets a
 *     leading apostrophe first (then the quoting rule applies to the result);
 *     the lone text "-" (scheme column of scenario-wide rows) is left as is.
 *   - Numbers are never neutralised.  jf__format_number writes at most 15
 *     significant digits (what a spreadsheet keeps), the shortest such form
 *     (trailing zeros dropped, as "%.15g"), plain positional notation for
 *     |x| in [1e-5, 1e15) and "d.ddde+XX" outside it, no thousands
 *     separators, "-0" as "0", NaN and ±inf as an empty cell; the decimal
 *     mark is '.' or ','.  Should the decimal mark equal the separator, the
 *     number cell is quoted so the file still parses.
 *   - Write errors are sticky in the FILE (ferror) and are reported by
 *     jf__atomic_commit, so cell writers return nothing.
 *
 * Atomic files.  jf__atomic_open creates `.NAME.tmp.XXXXXX` beside the final
 * path with mkstemp (so two runs never share a temporary), jf__atomic_commit
 * flushes, fsyncs, closes, renames it over the final name and fsyncs the
 * folder; any failure yields JF_ERR_IO with the OS error text and removes the
 * temporary.  Every open temporary is listed in a fixed process-wide registry
 * (JF__ATOMIC_SLOTS entries; each slot a path and a C11 atomic state) so that
 * jf__atomic_cleanup_on_signal, called from a signal handler, can unlink them
 * using nothing but atomic loads and unlink().  Slot states: FREE → CLAIMED
 * (path being copied) → LIVE (handler may unlink) → FREE.  If every slot is
 * taken the file is still written, just not cleaned up on a signal.  The
 * output folders a run created are listed too (jf__atomic_note_dir), and the
 * clean-up removes those left empty.
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Registry of open temporary files                                         */
/* ------------------------------------------------------------------------ */

#define JF__ATOMIC_SLOTS 64

enum { SLOT_FREE = 0, SLOT_CLAIMED = 1, SLOT_LIVE = 2 };

typedef struct {
    atomic_int state;
    char path[4096];
} path_slot;

static path_slot jf__registry[JF__ATOMIC_SLOTS];

/* List `path` in the first free slot of slots[0..n): returns its index, or
 * -1 when every slot is taken. */
static int slots_add(path_slot *slots, int n, const char *path)
{
    for (int i = 0; i < n; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_CLAIMED)) {
            snprintf(slots[i].path, sizeof slots[i].path, "%s", path);
            atomic_store(&slots[i].state, SLOT_LIVE);
            return i;
        }
    }
    return -1;
}

static int registry_add(const char *path)
{
    return slots_add(jf__registry, JF__ATOMIC_SLOTS, path);
}

static void registry_remove(const char *path)
{
    for (int i = 0; i < JF__ATOMIC_SLOTS; i++) {
        if (atomic_load(&jf__registry[i].state) != SLOT_LIVE)
            continue;
        if (strcmp(jf__registry[i].path, path) != 0)
            continue;
        int expected = SLOT_LIVE;
        if (atomic_compare_exchange_strong(&jf__registry[i].state, &expected, SLOT_CLAIMED)) {
            jf__registry[i].path[0] = '\0';
            atomic_store(&jf__registry[i].state, SLOT_FREE);
            return;
        }
    }
}

/* Sets of files being renamed into place (jf__commit_begin/end), and the
 * DYING bit the clean-up sets once it has run: from then on no new set starts,
 * so a process ending on a signal never leaves old and new files mixed. */
#define JF__DYING 0x40000000
static atomic_int jf__committing;

bool jf__commit_begin(void)
{
    int s = atomic_load(&jf__committing);
    for (;;) {
        if (s & JF__DYING)
            return false;
        if (atomic_compare_exchange_weak(&jf__committing, &s, s + 1))
            return true;
    }
}

void jf__commit_end(void)
{
    atomic_fetch_sub(&jf__committing, 1);
}

/* Folders that jf_output_prepare / jf_write_outputs created (not those that
 * existed), in creation order, so that an interrupted run can remove the
 * ones it left empty.  Slots are taken once and never freed: a process
 * creates few output folders, and removing a folder that has since been
 * filled fails harmlessly (rmdir removes only empty folders). */
#define JF__DIR_SLOTS 16

static path_slot jf__made_dirs[JF__DIR_SLOTS];

void jf__atomic_note_dir(const char *path)
{
    (void)slots_add(jf__made_dirs, JF__DIR_SLOTS, path);
}

int jf__atomic_cleanup_on_signal(void)
{
    int s = atomic_load(&jf__committing);
    for (;;) {
        if (s & JF__DYING)
            break;
        if (s != 0)
            return 1; /* a set is being renamed into place: ask again in a moment */
        if (atomic_compare_exchange_weak(&jf__committing, &s, JF__DYING))
            break;
    }
    for (int i = 0; i < JF__ATOMIC_SLOTS; i++)
        if (atomic_load(&jf__registry[i].state) == SLOT_LIVE)
            unlink(jf__registry[i].path);
    /* Newest first, so a child goes before the parent it was created in. */
    for (int i = JF__DIR_SLOTS - 1; i >= 0; i--)
        if (atomic_load(&jf__made_dirs[i].state) == SLOT_LIVE)
            (void)rmdir(jf__made_dirs[i].path);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Atomic files                                                             */
/* ------------------------------------------------------------------------ */

/* Fill `err` with JF_ERR_IO, the file name and "what: OS error text". */
static jf_status io_error(jf_error *err, const char *file, const char *what, int errnum)
{
    if (!err)
        return JF_ERR_IO;
    jf_error_clear(err);
    err->status = JF_ERR_IO;
    snprintf(err->file, sizeof err->file, "%.*s", (int)sizeof err->file - 1, file);
    char text[256] = "unknown error";
    if (errnum != 0 && strerror_r(errnum, text, sizeof text) != 0)
        snprintf(text, sizeof text, "error %d", errnum);
    snprintf(err->message, sizeof err->message, "%s: %s", what, text);
    return JF_ERR_IO;
}

/* Split `path` into its folder ("." when none) written to `dir`, and base name. */
static const char *split_path(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
        return path;
    }
    size_t len = (size_t)(slash - path);
    if (len == 0)
        len = 1; /* "/name": the root folder */
    if (len >= size)
        len = size - 1;
    memcpy(dir, path, len);
    dir[len] = '\0';
    return slash + 1;
}

/* The permission bits a plain fopen() would give: 0666 less the umask.
 * umask() can only be read by setting it, so it is set back at once. */
static mode_t default_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

jf_status jf__atomic_open(jf__atomic_file *f, const char *final_path, jf_error *err)
{
    f->fp = NULL;
    f->renamed = false;
    f->temp_path[0] = '\0';
    if (snprintf(f->final_path, sizeof f->final_path, "%s", final_path) >= (int)sizeof f->final_path) {
        f->final_path[0] = '\0';
        return io_error(err, "", "output path too long", ENAMETOOLONG);
    }
    const char *base = strrchr(final_path, '/');
    base = base ? base + 1 : final_path;
    if (base[0] == '\0')
        return io_error(err, final_path, "output path names a folder", EISDIR);
    size_t dir_len = (size_t)(base - final_path);
    int n = snprintf(f->temp_path, sizeof f->temp_path, "%.*s.%s.tmp.XXXXXX", (int)dir_len,
                     final_path, base);
    if (n < 0 || n >= (int)sizeof f->temp_path) {
        f->temp_path[0] = '\0';
        return io_error(err, final_path, "output path too long", ENAMETOOLONG);
    }
    int fd = mkstemp(f->temp_path);
    if (fd < 0) {
        int e = errno;
        f->temp_path[0] = '\0';
        return io_error(err, final_path, "cannot create temporary file", e);
    }
    registry_add(f->temp_path);
    if (fchmod(fd, default_mode()) != 0) {
        int e = errno;
        close(fd);
        jf__atomic_abort(f);
        return io_error(err, final_path, "cannot set permissions of temporary file", e);
    }
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        int e = errno;
        close(fd);
        jf__atomic_abort(f);
        return io_error(err, final_path, "cannot open temporary file", e);
    }
    return JF_OK;
}

/* fsync the folder holding `path`, so the rename survives a crash.  File
 * systems that cannot sync a folder (EINVAL) are accepted as they are. */
static int sync_folder(const char *path)
{
    char dir[4096];
    split_path(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return errno;
    int e = 0;
    if (fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    close(fd);
    return e;
}

jf_status jf__atomic_commit(jf__atomic_file *f, jf_error *err)
{
    if (!f->fp || !f->temp_path[0]) {
        jf__atomic_abort(f);
        return io_error(err, f->final_path, "file is not open", EBADF);
    }
    const char *what = NULL;
    int e = 0;
    if (fflush(f->fp) != 0) {
        what = "cannot write";
        e = errno;
    } else if (ferror(f->fp)) {
        what = "cannot write";
        e = EIO;
    } else if (fsync(fileno(f->fp)) != 0) {
        what = "cannot sync to disk";
        e = errno;
    }
    FILE *fp = f->fp;
    f->fp = NULL;
    if (fclose(fp) != 0 && !what) {
        what = "cannot close";
        e = errno;
    }
    if (!what && rename(f->temp_path, f->final_path) != 0) {
        what = "cannot rename temporary file into place";
        e = errno;
    }
    if (what) {
        jf__atomic_abort(f);
        return io_error(err, f->final_path, what, e);
    }
    registry_remove(f->temp_path);
    f->temp_path[0] = '\0';
    f->renamed = true;
    e = sync_folder(f->final_path);
    if (e != 0)
        return io_error(err, f->final_path, "cannot sync the output folder", e);
    return JF_OK;
}

void jf__atomic_abort(jf__atomic_file *f)
{
    if (!f)
        return;
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
    }
    if (f->temp_path[0]) {
        unlink(f->temp_path);
        registry_remove(f->temp_path);
        f->temp_path[0] = '\0';
    }
}

/* ------------------------------------------------------------------------ */
/* Cells                                                                    */
/* ------------------------------------------------------------------------ */

void jf__csv_init(jf__csv *csv, FILE *fp, const jf_csv_format *format)
{
    csv->fp = fp;
    csv->separator = format && format->separator ? format->separator : ',';
    csv->decimal = format && format->decimal ? format->decimal : '.';
    csv->column = 0;
}

static void begin_cell(jf__csv *csv)
{
    if (csv->column++ > 0)
        putc(csv->separator, csv->fp);
}

void jf__csv_text(jf__csv *csv, const char *text)
{
    begin_cell(csv);
    if (!text)
        return;
    char c0 = text[0];
    int neutralise = (c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == '\t' || c0 == '\r') &&
                     strcmp(text, "-") != 0;
    int quote = strchr(text, csv->separator) || strpbrk(text, "\"\r\n");
    if (quote)
        putc('"', csv->fp);
    if (neutralise)
        putc('\'', csv->fp);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            putc('"', csv->fp);
        putc(*p, csv->fp);
    }
    if (quote)
        putc('"', csv->fp);
}

int jf__format_number(double value, char decimal, char *buf, size_t size)
{
    char out[64];
    size_t len = 0;
    if (!isfinite(value)) {
        out[0] = '\0';
    } else if (value == 0.0) {
        out[len++] = '0'; /* also -0 */
        out[len] = '\0';
    } else {
        /* 15 significant digits, correctly rounded: "-d.dddddddddddddde+XX". */
        char sci[40];
        snprintf(sci, sizeof sci, "%.14e", value);
        const char *p = sci;
        int negative = *p == '-';
        if (negative)
            p++;
        char digits[16];
        int nd = 0;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                digits[nd++] = *p;
        int exponent = atoi(p + 1);
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        if (negative)
            out[len++] = '-';
        if (exponent >= -5 && exponent < 15) {
            if (exponent < 0) {
                out[len++] = '0';
                out[len++] = decimal;
                for (int i = -1; i > exponent; i--)
                    out[len++] = '0';
                for (int i = 0; i < nd; i++)
                    out[len++] = digits[i];
            } else {
                for (int i = 0; i <= exponent; i++)
                    out[len++] = i < nd ? digits[i] : '0';
                if (nd > exponent + 1) {
                    out[len++] = decimal;
                    for (int i = exponent + 1; i < nd; i++)
                        out[len++] = digits[i];
                }
            }
        } else {
            out[len++] = digits[0];
            if (nd > 1) {
                out[len++] = decimal;
                for (int i = 1; i < nd; i++)
                    out[len++] = digits[i];
            }
            len += (size_t)snprintf(out + len, sizeof out - len, "e%c%02d", exponent < 0 ? '-' : '+',
                                    exponent < 0 ? -exponent : exponent);
        }
        out[len] = '\0';
    }
    if (size > 0)
        snprintf(buf, size, "%s", out);
    return (int)strlen(out);
}

void jf__csv_number(jf__csv *csv, double value)
{
    char text[64];
    begin_cell(csv);
    jf__format_number(value, csv->decimal, text, sizeof text);
    if (csv->decimal == csv->separator && strchr(text, csv->separator))
        fprintf(csv->fp, "\"%s\"", text);
    else
        fputs(text, csv->fp);
}

void jf__csv_integer(jf__csv *csv, long long value)
{
    begin_cell(csv);
    fprintf(csv->fp, "%lld", value);
}

void jf__csv_empty(jf__csv *csv)
{
    begin_cell(csv);
}

void jf__csv_end_row(jf__csv *csv)
{
    putc('\n', csv->fp);
    csv->column = 0;
}
