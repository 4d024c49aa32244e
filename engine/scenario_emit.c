/*
 * scenario_emit.c — jf_scenario_emit: the resolved scenario as YAML that loads back to itself.
 *
 * Every default is written out (so `jfsim check` shows what will run), with
 * two exceptions that keep the round trip exact: a scheme's `resources` is
 * left out when it covers every resource by default (all_resources), and
 * keys that do not apply (parameters of another price model or scheme
 * type, a capacity profile beside a schedule, royalty_rate beside brackets)
 * are not written.  Numbers use the shortest of %.15g/%.16g/%.17g that reads
 * back to the same double, so they round-trip and stay readable; text is
 * always double-quoted with escapes (a name like `null` or `1e5` stays text).
 * Distributions are flow mappings.  emit -> load -> emit gives identical text.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfsim.h"

static void put_number(FILE *out, double x)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, out);
}

/* Can libyaml read this code point raw inside a double-quoted scalar, without
 * folding it as a line break?  (YAML's printable set minus NEL, LS and PS.) */
static bool printable(unsigned long c)
{
    return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Decode one UTF-8 sequence at s (valid UTF-8: libyaml checked the input).
 * Returns its length, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0)
        return 0;
    unsigned long c = n == 1 ? s[0] : n == 2 ? (s[0] & 0x1Fu) : n == 3 ? (s[0] & 0x0Fu) : (s[0] & 0x07u);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    *cp = c;
    return n;
}

static void put_text(FILE *out, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    fputc('"', out);
    while (*c) {
        unsigned long cp;
        size_t n = utf8_decode(c, &cp);
        if (n == 0) { /* not reachable for text that came through libyaml */
            fputc('?', out);
            c++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(out, "\\%c", (int)cp);
        else if (printable(cp))
            fwrite(c, 1, n, out);
        else if (cp <= 0xFF)
            fprintf(out, "\\x%02lx", cp);
        else if (cp <= 0xFFFF)
            fprintf(out, "\\u%04lx", cp);
        else
            fprintf(out, "\\U%08lx", cp);
        c += n;
    }
    fputc('"', out);
}

static void put_list(FILE *out, const double *x, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        put_number(out, x[i]);
    }
    fputc(']', out);
}

static void put_param(FILE *out, const jf_param *p)
{
    static const char *const names[][4] = {
        [JF_DIST_FIXED] = {"", NULL},
        [JF_DIST_NORMAL] = {"normal", "mean", "sd", NULL},
        [JF_DIST_LOGNORMAL] = {"lognormal", "median", "sigma", NULL},
        [JF_DIST_UNIFORM] = {"uniform", "min", "max", NULL},
        [JF_DIST_TRIANGULAR] = {"triangular", "min", "mode", "max"},
        [JF_DIST_PERT] = {"pert", "min", "mode", "max"},
        [JF_DIST_DISCRETE] = {"discrete", NULL},
        [JF_DIST_BERNOULLI] = {"bernoulli", "p", NULL},
    };
    if (p->dist == JF_DIST_FIXED) {
        put_number(out, p->p[0]);
        return;
    }
    fprintf(out, "{dist: %s", names[p->dist][0]);
    if (p->dist == JF_DIST_DISCRETE) {
        fputs(", values: ", out);
        put_list(out, p->values, p->n_values);
        fputs(", probs: ", out);
        put_list(out, p->probs, p->n_values);
    } else {
        for (int i = 1; i < 4 && names[p->dist][i]; i++) {
            fprintf(out, ", %s: ", names[p->dist][i]);
            put_number(out, p->p[i - 1]);
        }
    }
    fputc('}', out);
}

static void key_param(FILE *out, const char *indent, const char *key, const jf_param *p)
{
    fprintf(out, "%s%s: ", indent, key);
    put_param(out, p);
    fputc('\n', out);
}

static void put_resource(FILE *out, const jf_scenario *sc, const jf_resource *r)
{
    static const char *const kinds[] = {"mineral", "oil", "gas"};
    static const char *const models[] = {"fixed", "gbm", "mean_reverting"};
    const char *in = "    ";
    (void)sc;
    fputs("  - name: ", out);
    put_text(out, r->name);
    fprintf(out, "\n%skind: %s\n%sunit: ", in, kinds[r->kind], in);
    put_text(out, r->unit);
    fputc('\n', out);
    if (r->has_schedule) {
        fprintf(out, "%sschedule: [", in);
        for (size_t i = 0; i < r->n_schedule; i++) {
            if (i)
                fputs(", ", out);
            put_param(out, &r->schedule[i]);
        }
        fputs("]\n", out);
    } else {
        key_param(out, in, "capacity", &r->capacity);
        key_param(out, in, "ramp_years", &r->ramp_years);
        key_param(out, in, "plateau_years", &r->plateau_years);
        key_param(out, in, "decline_rate", &r->decline_rate);
    }
    key_param(out, in, "first_year", &r->first_year);
    key_param(out, in, "start_delay", &r->start_delay);
    key_param(out, in, "success_probability", &r->success_probability);
    key_param(out, in, "volume_noise", &r->volume_noise);
    key_param(out, in, "occupied_share", &r->occupied_share);
    key_param(out, in, "liberation_probability", &r->liberation_probability);
    key_param(out, in, "conflict_output", &r->conflict_output);
    const jf_price_spec *p = &r->price;
    const char *pin = "      ";
    fprintf(out, "%sprice:\n%smodel: %s\n", in, pin, models[p->model]);
    key_param(out, pin, "start", &p->start);
    if (p->model == JF_PRICE_FIXED)
        key_param(out, pin, "growth", &p->growth);
    if (p->model == JF_PRICE_GBM)
        key_param(out, pin, "drift", &p->drift);
    if (p->model == JF_PRICE_MEAN_REVERTING) {
        key_param(out, pin, "long_run", &p->long_run);
        if (p->has_half_life)
            key_param(out, pin, "half_life", &p->half_life);
        else
            key_param(out, pin, "reversion", &p->reversion);
    }
    if (p->model != JF_PRICE_FIXED)
        key_param(out, pin, "volatility", &p->volatility);
    if (p->has_jumps) {
        fprintf(out, "%sjumps: {rate: ", pin);
        put_param(out, &p->jump_rate);
        fputs(", mean: ", out);
        put_param(out, &p->jump_mean);
        fputs(", sd: ", out);
        put_param(out, &p->jump_sd);
        fputs("}\n", out);
    }
    key_param(out, in, "unit_cost", &r->unit_cost);
    key_param(out, in, "fixed_cost", &r->fixed_cost);
    key_param(out, in, "cost_escalation", &r->cost_escalation);
    if (r->n_brackets) {
        fprintf(out, "%sroyalty_brackets: [", in);
        for (size_t i = 0; i < r->n_brackets; i++) {
            fputs(i ? ", " : "", out);
            put_list(out, r->royalty_brackets[i], 2);
        }
        fputs("]\n", out);
    } else {
        key_param(out, in, "royalty_rate", &r->royalty_rate);
    }
    key_param(out, in, "profit_tax_rate", &r->profit_tax_rate);
    key_param(out, in, "state_equity", &r->state_equity);
    key_param(out, in, "dividend_payout", &r->dividend_payout);
    key_param(out, in, "license_fees", &r->license_fees);
    key_param(out, in, "eligible_share", &r->eligible_share);
}

static void put_scheme(FILE *out, const jf_scenario *sc, const jf_scheme *s)
{
    static const char *const bases[] = {"royalty", "profit_tax", "dividends", "license_fees"};
    const char *in = "    ";
    fputs("  - name: ", out);
    put_text(out, s->name);
    fprintf(out, "\n%stype: %s\n%sbase: [", in, s->type == JF_SCHEME_JOINT_FUND ? "joint_fund" : "repayment", in);
    for (unsigned b = 0, first = 1; b < 4; b++)
        if (s->base & (1u << b)) {
            fprintf(out, "%s%s", first ? "" : ", ", bases[b]);
            first = 0;
        }
    fputs("]\n", out);
    if (!s->all_resources) {
        fprintf(out, "%sresources: [", in);
        for (size_t i = 0; i < s->n_resources; i++) {
            fputs(i ? ", " : "", out);
            put_text(out, sc->resources[s->resources[i]].name);
        }
        fputs("]\n", out);
    } else {
        fprintf(out, "%s# resources: every resource (the default)\n", in);
    }
    if (s->type == JF_SCHEME_REPAYMENT) {
        key_param(out, in, "target", &s->target);
        key_param(out, in, "share", &s->share);
        key_param(out, in, "interest_rate", &s->interest_rate);
        return;
    }
    key_param(out, in, "contribution_share", &s->contribution_share);
    key_param(out, in, "us_stake", &s->us_stake);
    fprintf(out, "%sownership: %s\n%sinitial_capital: {us: ", in,
            s->ownership == JF_OWNERSHIP_PRO_RATA ? "pro_rata" : "fixed", in);
    put_param(out, &s->initial_capital_us);
    fputs(", ukraine: ", out);
    put_param(out, &s->initial_capital_ukraine);
    fputs("}\n", out);
    key_param(out, in, "us_annual_contribution", &s->us_annual_contribution);
    fprintf(out, "%sreturn: {mean: ", in);
    put_param(out, &s->return_mean);
    fputs(", volatility: ", out);
    put_param(out, &s->return_volatility);
    fputs("}\n", out);
    key_param(out, in, "reinvest_years", &s->reinvest_years);
    key_param(out, in, "payout_rate", &s->payout_rate);
    key_param(out, in, "management_fee", &s->management_fee);
}

static void put_axes(FILE *out, const jf_axis *axes, size_t n)
{
    fputs("  parameters:\n", out);
    for (size_t i = 0; i < n; i++) {
        const jf_axis *a = &axes[i];
        fputs("    ", out);
        put_text(out, a->path);
        fputs(": ", out);
        if (a->kind == JF_AXIS_LIST) {
            put_list(out, a->values, a->n_values);
        } else if (a->kind == JF_AXIS_RANGE) {
            fputs("{from: ", out);
            put_number(out, a->from);
            fputs(", to: ", out);
            put_number(out, a->to);
            fprintf(out, ", steps: %u}", a->steps);
        } else {
            fputs("{min: ", out);
            put_number(out, a->min);
            fputs(", max: ", out);
            put_number(out, a->max);
            fputc('}', out);
        }
        fputc('\n', out);
    }
}

static void put_study(FILE *out, const jf_scenario *sc)
{
    static const char *const sweep_methods[] = {"grid", "lhs", "sobol"};
    static const char *const sens_methods[] = {"sobol", "tornado", "contribution"};
    const jf_sweep *sw = &sc->sweep;
    if (sw->present) {
        fprintf(out, "\nsweep:\n  method: %s\n", sweep_methods[sw->method]);
        if (sw->method != JF_SWEEP_GRID)
            fprintf(out, "  n: %u\n  seed: %llu\n", sw->n, (unsigned long long)sw->seed);
        put_axes(out, sw->axes, sw->n_axes);
    }
    const jf_sensitivity *se = &sc->sensitivity;
    if (se->present) {
        fprintf(out, "\nsensitivity:\n  method: %s\n  n: %u\n  seed: %llu\n  bootstrap: %u\n  outputs: [",
                sens_methods[se->method], se->n, (unsigned long long)se->seed, se->bootstrap);
        for (size_t i = 0; i < se->n_outputs; i++) {
            fputs(i ? ", " : "", out);
            put_text(out, se->outputs[i]);
        }
        fputs("]\n", out);
        if (se->n_axes)
            put_axes(out, se->axes, se->n_axes);
    }
}

jf_status jf_scenario_emit(const jf_scenario *sc, FILE *out, jf_error *err)
{
    jf_error_clear(err);
    fputs("# Resolved scenario: every default written out.\n", out);
    fputs("name: ", out);
    put_text(out, sc->name);
    fprintf(out, "\nstart_year: %d\nhorizon_years: %d\npaths: %llu\nseed: %llu\ndiscount_rate: ", sc->start_year,
            sc->horizon_years, (unsigned long long)sc->paths, (unsigned long long)sc->seed);
    put_number(out, sc->discount_rate);
    fputs("\ninflation: ", out);
    put_number(out, sc->inflation);
    fputc('\n', out);
    if (sc->has_regime) {
        fprintf(out, "regime: {initial: %s, p_end: ", sc->regime_initial == JF_REGIME_CONFLICT ? "conflict" : "peace");
        put_number(out, sc->p_end);
        fputs(", p_relapse: ", out);
        put_number(out, sc->p_relapse);
        fputs("}\n", out);
    } else {
        fputs("# regime: none (always peace)\n", out);
    }
    fputs("comparison: {target: ", out);
    put_number(out, sc->comparison_target);
    fputs("}\n\nresources:\n", out);
    for (size_t i = 0; i < sc->n_resources; i++)
        put_resource(out, sc, &sc->resources[i]);
    fputs("\ncorrelations:", out);
    if (!sc->n_correlations)
        fputs(" []", out);
    fputc('\n', out);
    for (size_t i = 0; i < sc->n_correlations; i++) {
        const jf_correlation *c = &sc->correlations[i];
        fputs("  - [", out);
        put_text(out, sc->resources[c->a].name);
        fputs(", ", out);
        put_text(out, sc->resources[c->b].name);
        fputs(", ", out);
        put_number(out, c->rho);
        fputs("]\n", out);
    }
    fputs("\nschemes:", out);
    if (!sc->n_schemes)
        fputs(" []", out);
    fputc('\n', out);
    for (size_t i = 0; i < sc->n_schemes; i++)
        put_scheme(out, sc, &sc->schemes[i]);
    put_study(out, sc);
    if (ferror(out)) {
        if (err) {
            err->status = JF_ERR_IO;
            snprintf(err->message, sizeof err->message, "cannot write the scenario");
        }
        return JF_ERR_IO;
    }
    return JF_OK;
}
