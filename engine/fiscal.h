/*
 * fiscal.h — the state's take from one resource in one year (MODEL.md §5, §9).
 *
 *   G   = Q·P
 *   C   = Q·unit_cost·(1+e)^t + fixed_cost·(1+e)^t·operating_t
 *   Roy = royalty_rate·G, or Q·Σ_b r_b·max(0, min(P, p_{b+1}) - p_b)
 *   Tax = τ·max(0, G - C - Roy)
 *   Div = equity·payout·max(0, G - C - Roy - Tax)
 *   Fee = license_fees (succeeded project, every year from t = 1, not escalated,
 *         not in the tax base)
 *   S   = Roy + Tax + Div + Fee
 * No loss carry-forward.  A failed project pays and costs nothing.
 */
#ifndef JF_FISCAL_H
#define JF_FISCAL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double unit_cost;
    double fixed_cost;
    double royalty_rate;                 /* used when n_brackets == 0 */
    size_t n_brackets;
    const double (*royalty_brackets)[2]; /* [threshold, marginal rate], thresholds ascending from 0 */
    double profit_tax_rate;
    double state_equity;
    double dividend_payout;
    double license_fees;
} jf__fiscal_params;

typedef struct {
    double gross;
    double royalty;
    double profit_tax;
    double dividends;
    double license_fees;
    double state;   /* royalty + profit_tax + dividends + license_fees */
} jf__take;

/* Royalty per unit at price P under a sliding scale:
 * Σ_b r_b·max(0, min(P, p_{b+1}) - p_b), the last slice unbounded.  This function can't fail. */
double jf__royalty_per_unit(const double (*brackets)[2], size_t n_brackets, double price);

/* The take for volume Q at price P with cost escalation factor esc = (1+e)^t.
 * `operating` = started and succeeded; `succeeded` = the project did not fail
 * (licence fees are due).  A failed project gives all zeros.  Inline: it runs
 * once per resource-year of every path, and a call costs as much as the
 * arithmetic.  This function can't fail. */
static inline void jf__fiscal_take(const jf__fiscal_params *fp, double volume, double price,
                                   double esc, bool operating, bool succeeded, jf__take *out)
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

#endif /* JF_FISCAL_H */
