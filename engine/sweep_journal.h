/*
 * sweep_journal.h — the durable record of a sweep's finished points (internal).
 *
 * OUTDIR/sweep.journal is a text file:
 *
 *   jfsim-sweep-journal 1 points=N columns=M scenario=<sha256> overrides=<sha256> options=<sha256>\n
 *   P <k> <v_1> ... <v_M> <check>\n          one line per finished point, appended
 *
 * Point numbers k are 0-based.  v_j are the point's sweep.csv values (the
 * swept parameter values, then the statistics) as C99 hex floats ("%a": an
 * exact round trip), "-" for an empty cell (a statistic that is undefined).
 * <check> is the 64-bit FNV-1a hash (16 hex digits) of the line's text
 * before the space that precedes it.  The three fingerprints are SHA-256 of
 * the scenario file's text, of the base overrides (--set, -n, --seed, in
 * order), and of the options and facts that shape the output (engine version,
 * CSV format, --per-point, the column names and the points themselves).
 *
 * Durability: the header is written to a temporary file, synced and renamed
 * into place (so a journal always has a whole header); each point's line is
 * written with one write() on an O_APPEND descriptor and fdatasync'd before
 * jf__journal_append returns — only then does the point count as done.
 * Reading: a line without its '\n' (the tail of a write cut by a power loss)
 * is cut off the file; a complete line that does not parse or whose check
 * fails is ignored (that point simply runs again); a point recorded twice
 * keeps its first record (the values are identical by construction).
 */
#ifndef JF_SWEEP_JOURNAL_H
#define JF_SWEEP_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "jfsim.h"

#define JF__JOURNAL_NAME "sweep.journal"

/* What a journal must match to be resumed (lowercase hex SHA-256 each). */
typedef struct {
    char scenario[65];
    char overrides[65];
    char options[65];
} jf__journal_print;

typedef struct {
    int fd;              /* O_APPEND descriptor, valid when is_open */
    bool is_open;
    char path[4096];
    size_t n_points;
    size_t n_cols;
    double *rows;        /* n_points × n_cols; NAN = empty cell */
    bool *done;          /* n_points */
    size_t n_done;
    size_t n_ignored;    /* complete lines that were ignored when reading */
    bool truncated;      /* a torn last line was cut off when reading */
    char *line;          /* scratch for one line (no allocation per point) */
    size_t line_cap;
} jf__journal;

/* Open the journal `path` for a sweep of n_points × n_cols values.
 * resume false (or no journal yet): a new journal with just the header
 * replaces any old one.  resume true and a journal exists: its header must
 * match `print`, n_points and n_cols, else JF_ERR_USAGE with a message that
 * says what changed ("the scenario changed since the interrupted sweep:
 * ...; start again without --resume"); its finished points are loaded into
 * rows/done.  JF_ERR_IO on a file error, JF_ERR_NOMEM.  On failure `j` is
 * left closed (jf__journal_close is still safe).  The caller owns `j` and
 * ends it with jf__journal_close. */
jf_status jf__journal_open(jf__journal *j, const char *path, const jf__journal_print *print,
                           size_t n_points, size_t n_cols, bool resume, jf_error *err);

/* Record point `point` with its n_cols values (NAN = empty) durably: append
 * its line, fdatasync, and mark it done in j->rows/j->done.  JF_ERR_IO (err
 * filled) when the line could not be written and synced; the point then
 * does not count as done.  JF_ERR_USAGE for a point out of range. */
jf_status jf__journal_append(jf__journal *j, size_t point, const double *values, jf_error *err);

/* Close the file and free the rows.  Accepts a zeroed or closed journal and NULL.
 * This function can't fail. */
void jf__journal_close(jf__journal *j);

#endif /* JF_SWEEP_JOURNAL_H */
