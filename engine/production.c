/*
 * production.c — start year and base profile V(a) (see production.h, MODEL.md §3).
 */
#include <math.h>

#include "production.h"

long jf__round_half_away(double x)
{
    if (!(x > -1e9))   /* also NaN */
        return -1000000000L;
    if (x > 1e9)
        return 1000000000L;
    return (long)round(x);   /* C's round() rounds halfway cases away from zero */
}

long jf__production_t_start(int start_year, double first_year, double start_delay)
{
    long delay = jf__round_half_away(start_delay);
    if (delay < 0)
        delay = 0;
    return (jf__round_half_away(first_year) - start_year + 1) + delay;
}

double jf__production_base(const jf__profile *profile, long age)
{
    if (age < 1)
        return 0.0;
    if (profile->schedule) {
        if (profile->n_schedule == 0)
            return 0.0;
        size_t i = (size_t)age < profile->n_schedule ? (size_t)age : profile->n_schedule;
        return profile->schedule[i - 1];
    }
    double a = (double)age, R = profile->ramp_years, L = profile->plateau_years;
    double C = profile->capacity;
    if (a <= R)
        return C * a / (R + 1.0);
    if (a <= R + L)
        return C;
    return C * pow(1.0 - profile->decline_rate, a - R - L);
}
