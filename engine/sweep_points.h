/*
 * sweep_points.h — the points of a `sweep` section (internal).
 *
 * INTERFACE.md `sweep`; issue 5 item 1.  A sweep over k parameters (its
 * axes, in file order) is turned into n points, stored row-major:
 * values[i * k + j] is parameter j at point i (points are numbered from 0).
 *
 *   grid   cartesian product of every axis's values, the LAST axis varying
 *          fastest (like nested loops written in file order, or Python's
 *          itertools.product).  A list axis gives its values in order; a
 *          range {from, to, steps} gives x_i = from + (to - from)·i/(steps-1),
 *          i = 0..steps-1, with x_0 = from and x_{steps-1} = to exactly.
 *   lhs    Latin hypercube: for axis j, a random permutation π_j of 0..n-1
 *          and uniforms U_ij give u_ij = (π_j(i) + U_ij)/n, value
 *          min + u_ij·(max - min): each of the n equal strata of every axis
 *          holds exactly one point.  The random numbers come from the Philox
 *          stream keyed (seed, 0, "sweep/lhs/<path>") (rng.h), so an axis's
 *          column depends on the seed, n and its own path only.
 *   sobol  the first n points of GSL's Sobol sequence (gsl_qrng_sobol, which
 *          starts after the origin: (1/2, 1/2, ...), then (3/4, 1/4, ...)),
 *          each coordinate mapped to min + u·(max - min).  `seed` is not
 *          used (the sequence is deterministic).  At most 40 parameters (GSL).
 */
#ifndef JF_SWEEP_POINTS_H
#define JF_SWEEP_POINTS_H

#include "jfsim.h"

/* Most points a sweep may have (the loader's limit for n). */
#define JF__SWEEP_MAX_POINTS 10000000u

/* Most parameters of a Sobol sweep (GSL's gsl_qrng_sobol). */
#define JF__SOBOL_MAX_DIM 40u

/* Value i of a grid range axis: from + (to - from)·i/(steps - 1), and `to`
 * itself for i = steps - 1.  This function can't fail. */
double jf__sweep_range_value(double from, double to, unsigned steps, unsigned i);

/* Generate the points of `sweep` (which must be present).  On success
 * *values (caller frees with free()) holds *n_points × sweep->n_axes values.
 * Errors: JF_ERR_LIMIT when a grid would have more than JF__SWEEP_MAX_POINTS
 * points or a Sobol sweep more than 40 parameters, JF_ERR_USAGE when there is
 * no sweep section, JF_ERR_NOMEM, JF_ERR_INTERNAL for a GSL failure; then
 * *values is NULL and *n_points 0. */
jf_status jf__sweep_points(const jf_sweep *sweep, double **values, size_t *n_points, jf_error *err);

#endif /* JF_SWEEP_POINTS_H */
