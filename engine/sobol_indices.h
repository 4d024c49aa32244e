/*
 * sobol_indices.h — variance-based sensitivity indices: the Saltelli sampling
 * design and the Jansen estimators of first-order and total Sobol indices,
 * with percentile-bootstrap confidence intervals (internal, pure: no jfsim
 * types, no files; tested on closed forms in tests/test_sobol_indices.c).
 *
 * Design (Saltelli et al. 2010, §3): two independent n × k matrices A and B
 * of points in the unit hypercube [0,1)^k, and for each input i = 1..k the
 * matrix A_B^(i) = A with its column i taken from B.  The study evaluates the
 * model at the n·(k+2) rows of A, B, A_B^(1), ..., A_B^(k), stored block by
 * block (see jf__saltelli_point).  A and B are the two halves of one point of
 * a 2k-dimensional Sobol low-discrepancy sequence (gsl_qrng_sobol, which
 * supports 2k <= 40), or plain pseudo-random uniforms (MT19937) from a seed.
 *
 * Estimators, with f_A = f(A_j), f_B = f(B_j), f_ABi = f(A_B^(i)_j), means over
 * the rows j = 1..n, and V the variance of the 2n values {f_A, f_B} (divisor 2n):
 *
 *   first order  (Jansen 1999; Saltelli et al. 2010, Table 2, row (f)):
 *       V_i = V − ½·mean[(f_B − f_ABi)²],        S_i  = V_i / V
 *   total        (Jansen 1999; Saltelli et al. 2010, Table 2, row (f)):
 *       T_i = ½·mean[(f_A − f_ABi)²],            ST_i = T_i / V
 *
 * (f_B and f_ABi share only x_i, so ½E[(f_B − f_ABi)²] = V − V_i; f_A and
 * f_ABi share all but x_i, so ½E[(f_A − f_ABi)²] = E[Var(Y | x_~i)].)
 * Reference: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
 * S. Tarantola, "Variance based sensitivity analysis of model output. Design
 * and estimator for the total sensitivity index", Comput. Phys. Commun. 181
 * (2010) 259–270; M. J. W. Jansen, "Analysis of variance designs for model
 * output", Comput. Phys. Commun. 117 (1999) 35–43.
 *
 * Confidence intervals: B bootstrap resamples draw n row indices with
 * replacement (one draw per row, shared by A, B and every A_B^(i), so the
 * pairing is kept) and recompute V, S_i and ST_i; the interval is the
 * percentile interval [q_{(1−level)/2}, q_{(1+level)/2}] of the B values
 * (PERCENTILE.INC interpolation).  The resampling stream is MT19937 seeded
 * from `seed`, so the intervals are reproducible.  With a quasi-random design
 * the rows are not independent and the bootstrap overstates the error, i.e.
 * the intervals are conservative.
 *
 * An estimate is NaN when V = 0 (a constant output has no variance to
 * apportion) or when an output value is not finite; its interval is then NaN too.
 */
#ifndef JF_SOBOL_INDICES_H
#define JF_SOBOL_INDICES_H

#include <stddef.h>
#include <stdint.h>

/* Status codes of this module (it knows nothing of jf_status). */
enum { JF__SOBOL_OK = 0, JF__SOBOL_EINVAL = 1, JF__SOBOL_ENOMEM = 2 };

/* Largest k for which the quasi-random (gsl_qrng_sobol, 2k <= 40) design is available. */
#define JF__SOBOL_QRNG_MAX_K 20u

typedef enum {
    JF__SALTELLI_QUASI = 0,  /* A|B = one point of a 2k-dimensional Sobol sequence */
    JF__SALTELLI_RANDOM      /* A|B = pseudo-random uniforms from the seed */
} jf__saltelli_kind;

/* Number of model evaluations of a design, n·(k+2), or 0 when it overflows
 * size_t.  This function can't fail. */
size_t jf__saltelli_size(size_t n, size_t k);

/*
 * Fill the design: x[j·k + d] (row-major, n·(k+2) rows of k coordinates in
 * [0,1)) for every row j in evaluation order: rows [0, n) are A, [n, 2n) B,
 * [(2+i)·n, (3+i)·n) A_B^(i).  `x` is caller-owned with room for
 * jf__saltelli_size(n, k)·k doubles.  JF__SOBOL_QUASI needs k <= 20; the
 * quasi-random design skips no points (GSL's sequence starts at 0.5, not at
 * the origin) and ignores `seed`.  Returns JF__SOBOL_EINVAL for n < 2, k < 1,
 * a quasi design with k > 20 or an unknown kind, JF__SOBOL_ENOMEM when GSL
 * cannot allocate its generator; x is then unspecified.
 */
int jf__saltelli_design(size_t n, size_t k, jf__saltelli_kind kind, uint64_t seed, double *x);

/* One input's indices, each with its confidence interval. */
typedef struct {
    double s1, s1_lo, s1_hi;   /* first order */
    double st, st_lo, st_hi;   /* total */
} jf__sobol_index;

/* Everything the estimator reports about one output. */
typedef struct {
    double mean;      /* mean of the 2n values f(A), f(B) */
    double variance;  /* V (divisor 2n) */
} jf__sobol_moments;

/*
 * Estimate the indices of all k inputs from the model values y[0..n·(k+2)),
 * in the design order of jf__saltelli_design.  `bootstrap` resamples (0 = no
 * intervals: the bounds are NaN) at confidence `level` in (0, 1), e.g. 0.95,
 * with resampling stream `seed`.  out[0..k) and *moments (may be NULL) are
 * caller-owned.  Allocates 2·k·bootstrap doubles and n indices for the resamples.
 * Returns JF__SOBOL_EINVAL for n < 2, k < 1 or a level outside (0, 1),
 * JF__SOBOL_ENOMEM on allocation failure (out then unspecified).
 */
int jf__sobol_estimate(size_t n, size_t k, const double *y, unsigned bootstrap, double level,
                       uint64_t seed, jf__sobol_index *out, jf__sobol_moments *moments);

#endif /* JF_SOBOL_INDICES_H */
