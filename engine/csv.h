/*
 * csv.h — the CSV dialect of INTERFACE.md and atomic file writing (internal).
 *
 * RFC 4180, UTF-8, header row, "\n" line ends; numbers with up to 15
 * significant digits; text cells that a spreadsheet would read as a formula
 * neutralised with a leading apostrophe; ';' separator and ',' decimal point
 * on request.  Files are written to a temporary file in the target folder
 * and renamed into place on commit, so no half-written file is ever visible.
 */
#ifndef JF_CSV_H
#define JF_CSV_H

#include <stdio.h>
#include "jfsim.h"

/* A file being written atomically. */
typedef struct {
    FILE *fp;
    char final_path[4096];
    char temp_path[4096];
    bool renamed;   /* the new file is in place (even if syncing the folder then failed) */
} jf__atomic_file;

/* Create the temporary file `.NAME.tmp.XXXXXX` beside `final_path` (mode
 * 0666 less the umask) and open f->fp on it for writing; the caller owns `f`
 * and must end it with jf__atomic_commit or jf__atomic_abort.  JF_ERR_IO on
 * failure, with err->file = final_path and err->message = "what: OS error
 * text"; f is then left so that jf__atomic_abort is a no-op. */
jf_status jf__atomic_open(jf__atomic_file *f, const char *final_path, jf_error *err);
/* Flush, fsync, close and rename into place, then fsync the folder.  Write
 * errors of the cells (sticky in f->fp) are reported here.  JF_ERR_IO on any
 * failure, and the temporary file is removed.  Either way f->fp is closed,
 * f->final_path is kept and a later jf__atomic_abort does nothing. */
jf_status jf__atomic_commit(jf__atomic_file *f, jf_error *err);
/* Close and remove the temporary file.  Safe to call twice.  This function can't fail. */
void jf__atomic_abort(jf__atomic_file *f);
/* Note that the folder `path` was created by this process (for
 * jf__atomic_cleanup_on_signal, which removes it when it is still empty).
 * This function can't fail. */
void jf__atomic_note_dir(const char *path);

/* Unlink every temporary file that is open at this moment (any thread) and
 * refuse any later jf__commit_begin; returns 0.  While a set of files is
 * being renamed into place (between jf__commit_begin and jf__commit_end) it
 * does nothing and returns 1: call it again shortly.  Uses only unlink() and
 * lock-free atomics, so a signal handler may call it.  The FILE streams are
 * left alone.  This function can't fail. */
int jf__atomic_cleanup_on_signal(void);

/* Bracket the renames of a set of files that must appear together.  begin
 * returns false once the clean-up has run (the process is ending): then abort
 * the set.  Several threads may commit sets at once.  Neither can fail. */
bool jf__commit_begin(void);
void jf__commit_end(void);

typedef struct {
    FILE *fp;
    char separator;
    char decimal;
    int column;     /* cells written on the current row */
} jf__csv;

void jf__csv_init(jf__csv *csv, FILE *fp, const jf_csv_format *format);
void jf__csv_text(jf__csv *csv, const char *text);     /* quoted/neutralised as needed; NULL = empty */
void jf__csv_number(jf__csv *csv, double value);       /* 15 significant digits; NaN/inf -> empty */
void jf__csv_integer(jf__csv *csv, long long value);
void jf__csv_empty(jf__csv *csv);
void jf__csv_end_row(jf__csv *csv);

/* Format a number with up to 15 significant digits (as printf "%.15g"),
 * '-0' written as '0', with the given decimal mark.
 * Returns the length.  This function can't fail. */
int jf__format_number(double value, char decimal, char *buf, size_t size);

#endif /* JF_CSV_H */
