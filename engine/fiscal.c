/*
 * fiscal.c — royalty, profit tax, dividends and licence fees (see fiscal.h, MODEL.md §5).
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

void jf__fiscal_take(const jf__fiscal_params *fp, double volume, double price, double esc,
                     bool operating, bool succeeded, jf__take *out)
{
    if (!succeeded) {
        *out = (jf__take){0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
        return;
    }
    double G = volume * price;
    double C = volume * fp->unit_cost * esc + (operating ? fp->fixed_cost * esc : 0.0);
    double roy = fp->n_brackets > 0
                     ? volume * jf__royalty_per_unit(fp->royalty_brackets, fp->n_brackets, price)
                     : fp->royalty_rate * G;
    double before_tax = G - C - roy;
    double tax = fp->profit_tax_rate * (before_tax > 0.0 ? before_tax : 0.0);
    double after_tax = before_tax - tax;
    double div = fp->state_equity * fp->dividend_payout * (after_tax > 0.0 ? after_tax : 0.0);
    out->gross = G;
    out->royalty = roy;
    out->profit_tax = tax;
    out->dividends = div;
    out->license_fees = fp->license_fees;
    out->state = roy + tax + div + fp->license_fees;
}
