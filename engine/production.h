/*
 * production.h — the base production profile of a resource (MODEL.md §3, §9).
 *
 * t_start = (round(first_year) - start_year + 1) + max(0, round(start_delay)),
 * round = half away from zero; project age a = t - t_start + 1 (an integer).
 * Profile V(a): V = 0 for a < 1; with a schedule v_1..v_n, V(a) = v_min(a,n);
 * otherwise, with real R (ramp_years) and L (plateau_years) compared as reals,
 *   C·a/(R+1) for a <= R,  C for R < a <= R+L,  C·(1-d)^(a-R-L) after.
 * The per-path modifiers (success, noise, occupation, conflict output) are
 * applied by the path simulation.
 */
#ifndef JF_PRODUCTION_H
#define JF_PRODUCTION_H

#include <stddef.h>

typedef struct {
    const double *schedule;   /* n_schedule values, or NULL for the capacity profile */
    size_t n_schedule;
    double capacity;
    double ramp_years;
    double plateau_years;
    double decline_rate;
} jf__profile;

/* Round half away from zero (0.5 -> 1, 2.5 -> 3, -2.5 -> -3), as a
 * spreadsheet's ROUND.  Saturates at ±1e9.  This function can't fail. */
long jf__round_half_away(double x);

/* First year index t_start of production (t = 1 is start_year).  This function can't fail. */
long jf__production_t_start(int start_year, double first_year, double start_delay);

/* Base volume V(a) at project age a.  This function can't fail. */
double jf__production_base(const jf__profile *profile, long age);

#endif /* JF_PRODUCTION_H */
