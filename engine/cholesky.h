/*
 * cholesky.h — a Cholesky factorisation that never aborts (internal).
 *
 * GSL reports a matrix that is not positive definite through its error
 * handler, whose default calls abort().  The library must not abort on bad
 * input, and the handler is process-wide, so the factorisation runs with the
 * handler switched off under one process-wide lock: concurrent callers (the
 * sweep runner loads and compiles scenarios in several threads) can never
 * restore each other's handler at the wrong moment.
 */
#ifndef JF_CHOLESKY_H
#define JF_CHOLESKY_H

#include <gsl/gsl_matrix.h>

/* gsl_linalg_cholesky_decomp1 on `m` (in place); returns its GSL status,
 * GSL_EDOM when `m` is not positive definite.  This function can't fail otherwise. */
int jf__cholesky_decomp(gsl_matrix *m);

#endif /* JF_CHOLESKY_H */
