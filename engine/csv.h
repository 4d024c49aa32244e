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
} jf__atomic_file;

/* Create a temporary file beside `final_path`.  JF_ERR_IO on failure. */
jf_status jf__atomic_open(jf__atomic_file *f, const char *final_path, jf_error *err);
/* Flush, fsync and rename into place.  On failure the temporary file is removed. */
jf_status jf__atomic_commit(jf__atomic_file *f, jf_error *err);
/* Close and remove the temporary file.  Safe to call twice.  This function can't fail. */
void jf__atomic_abort(jf__atomic_file *f);
/* Unlink every temporary file still open (registry of open atomic files).
 * Async-signal-safe: uses only unlink().  This function can't fail. */
void jf__atomic_cleanup_on_signal(void);

typedef struct {
    FILE *fp;
    char separator;
    char decimal;
    int column;     /* cells written on the current row */
} jf__csv;

void jf__csv_init(jf__csv *csv, FILE *fp, const jf_csv_format *format);
void jf__csv_text(jf__csv *csv, const char *text);     /* quoted/neutralised as needed */
void jf__csv_number(jf__csv *csv, double value);       /* 15 significant digits; NaN/inf -> empty */
void jf__csv_integer(jf__csv *csv, long long value);
void jf__csv_empty(jf__csv *csv);
void jf__csv_end_row(jf__csv *csv);

/* Format a number with up to 15 significant digits (as printf "%.15g"),
 * '-0' written as '0', with the given decimal mark.
 * Returns the length.  This function can't fail. */
int jf__format_number(double value, char decimal, char *buf, size_t size);

#endif /* JF_CSV_H */
