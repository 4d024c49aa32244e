/*
 * contribution.h — contribution to variance of per-path uncertain scalars
 * (internal, pure: plain arrays in, numbers out; no jfsim types).
 *
 * In one ordinary run every path p draws its uncertain scalars x_1p..x_mp
 * (MODEL.md §1) and produces a metric y_p (e.g. fund.us_npv).  For each
 * input i this module reports, like @RISK's sensitivity analysis:
 *
 *   spearman        ρ_i = Pearson correlation of the ranks of x_i and y
 *                   (1-based ranks, ties get the average of their ranks; an
 *                   INFINITY, i.e. a censored path, ranks last);
 *                   confidence interval by the Fisher z-transform with the
 *                   Bonett–Wright variance for Spearman's ρ:
 *                   z = atanh ρ, se = sqrt((1 + ρ²/2)/(n − 3)),
 *                   [tanh(z − q·se), tanh(z + q·se)], q = Φ⁻¹((1 + level)/2)
 *                   (D. G. Bonett, T. A. Wright, Psychometrika 65 (2000) 23–28);
 *   variance_share  s_i = ρ_i² / Σ_j ρ_j²  over the inputs with a defined ρ:
 *                   the squared rank correlations normalised to sum to 1 —
 *                   @RISK's "contribution to variance" when the inputs are
 *                   independent (each ρ_i² is then the share of the variance
 *                   of rank(y) that rank(x_i) alone explains linearly, and the
 *                   normalisation apportions what the inputs explain together).
 *                   Its interval plugs the ends of ρ_i's interval into the
 *                   formula with the other inputs held at their estimates:
 *                   [r_lo/(r_lo + R), r_hi/(r_hi + R)], R = Σ_{j≠i} ρ_j²,
 *                   r_lo = 0 when ρ_i's interval contains 0, else the smaller
 *                   of the squared ends, r_hi the larger (an approximation:
 *                   it ignores the sampling error of the other ρ_j).
 *
 * A statistic is NaN when undefined: an input or output that takes a single
 * value (no ranks to correlate), a NaN value, fewer than 4 paths for the
 * interval, or, for the share, no input with a nonzero ρ.
 */
#ifndef JF_CONTRIBUTION_H
#define JF_CONTRIBUTION_H

#include <stdbool.h>
#include <stddef.h>

enum { JF__CONTRIB_OK = 0, JF__CONTRIB_EINVAL = 1, JF__CONTRIB_ENOMEM = 2 };

typedef struct {
    double rho, rho_lo, rho_hi;        /* Spearman rank correlation and interval */
    double share, share_lo, share_hi;  /* share of variance and interval */
} jf__contribution;

/* Scratch for jf__average_ranks. */
typedef struct {
    double v;
    size_t i;
} jf__rank_pair;

/* Average ranks (1-based) of x[0..n) into rank[0..n); ties share the mean of
 * their positions; INFINITY sorts last, -INFINITY first.  `scratch` holds n
 * pairs (caller-owned).  Returns false when x holds a NaN (ranks then
 * unspecified).  Allocates nothing. */
bool jf__average_ranks(const double *x, size_t n, double *rank, jf__rank_pair *scratch);

/* Pearson correlation of a[0..n) and b[0..n); NaN when n < 2 or either is
 * constant.  This function can't fail. */
double jf__pearson(const double *a, const double *b, size_t n);

/*
 * For m inputs x[i·n + p] (i < m, p < n) and one output y[0..n), fill
 * out[0..m) as described above, at confidence `level` in (0, 1).  Allocates
 * 2·n doubles and n rank pairs of scratch.  Returns JF__CONTRIB_EINVAL
 * for n = 0, m = 0 or a bad level, JF__CONTRIB_ENOMEM on allocation failure.
 */
int jf__contribution_compute(size_t n, size_t m, const double *x, const double *y, double level,
                             jf__contribution *out);

#endif /* JF_CONTRIBUTION_H */
