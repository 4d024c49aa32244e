/*
 * moment_lanes.h — the two vector passes of jf__moments_add_block (stats.c),
 * once per instruction set (cpu_isa.h).
 *
 * Value i of x[0..n) (n a multiple of JF__MOMENT_LANES) belongs to lane
 * i mod JF__MOMENT_LANES; each lane is an independent chain of the same IEEE
 * operations in the same order in every variant, so every variant gives the
 * same bits.
 */
#ifndef JF_MOMENT_LANES_H
#define JF_MOMENT_LANES_H

#include <stddef.h>

#include "cpu_isa.h"

#define JF__MOMENT_LANES 8

/* Per lane: Neumaier's compensated sum (s, c) of the values, their min and
 * max (v < lo ? v : lo and v > hi ? v : hi).  Starts from s = c = 0,
 * lo = +inf, hi = -inf. */
void jf__lanes_sum_minmax(jf__isa isa, const double *x, size_t n, double s[JF__MOMENT_LANES],
                          double c[JF__MOMENT_LANES], double lo[JF__MOMENT_LANES],
                          double hi[JF__MOMENT_LANES]);

/* Per lane: s1 = Σ(x - m) and s2 = Σ(x - m)², from 0. */
void jf__lanes_deviations(jf__isa isa, const double *x, size_t n, double m,
                          double s1[JF__MOMENT_LANES], double s2[JF__MOMENT_LANES]);

#endif
