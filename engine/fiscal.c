/*
 * fiscal.c — the sliding-scale royalty (see fiscal.h, MODEL.md §5); the rest of
 * the take is inline in fiscal.h.
 */
#include <math.h>

#include "fiscal.h"

double jf__royalty_per_unit(const double (*brackets)[2], size_t n_brackets, double price)
{
    double roy = 0.0;
    for (size_t b = 0; b < n_brackets; b++) {
        double lo = brackets[b][0];
        if (price <= lo)
            break;
        double hi = b + 1 < n_brackets ? brackets[b + 1][0] : INFINITY;
        double top = price < hi ? price : hi;
        roy += brackets[b][1] * (top - lo);
    }
    return roy;
}
