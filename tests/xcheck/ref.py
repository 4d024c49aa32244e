#!/usr/bin/env python3
"""Independent deterministic reference implementation of /work/shared/MODEL.md.

Only deterministic scenarios are supported (every draw degenerate).  Written from
MODEL.md alone, without reading the engine's model code.

Usage: ref.py SCENARIO.yaml  -> prints JSON {"summary": {...}, "annual": {...}}
  summary key: "scheme|metric"  -> value (None = empty / censored)
  annual key:  "year|variable|scope" -> value
"""
import json
import math
import re
import sys

import yaml

NUM_RE = re.compile(r'^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$')


def fix_numbers(x):
    """MODEL.md §9: unquoted numbers are numbers whatever YAML 1.1 says (500e9)."""
    if isinstance(x, dict):
        return {k: fix_numbers(v) for k, v in x.items()}
    if isinstance(x, list):
        return [fix_numbers(v) for v in x]
    if isinstance(x, str) and NUM_RE.match(x):
        return float(x.replace('_', ''))
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return float(x)
    return x


def scalar(v):
    """Accept a number or a degenerate distribution; anything random is refused."""
    if isinstance(v, dict):
        d = v.get('dist')
        if d == 'discrete' and len(v['values']) == 1:
            return float(v['values'][0])
        if d == 'uniform' and v['min'] == v['max']:
            return float(v['min'])
        if d == 'normal' and v['sd'] == 0:
            return float(v['mean'])
        if d == 'lognormal' and v['sigma'] == 0:
            return float(v['median'])
        if d == 'bernoulli' and v['p'] in (0, 1):
            return float(v['p'])
        raise ValueError('non-deterministic distribution: %r' % v)
    return float(v)


def g(d, key, default):
    return scalar(d[key]) if key in d else default


def round_half_away(x):
    return math.copysign(math.floor(abs(x) + 0.5), x)


def simulate(sc):
    start_year = int(scalar(sc['start_year']))
    T = int(scalar(sc['horizon_years']))
    dr = g(sc, 'discount_rate', 0.0)
    infl = g(sc, 'inflation', 0.0)
    disc = [None] + [(1.0 + dr) ** t for t in range(1, T + 1)]

    # ---- regime (§2) -------------------------------------------------------
    conflict = [None] * (T + 1)
    if 'regime' in sc and sc['regime'] is not None:
        rg = sc['regime']
        p_end = scalar(rg['p_end'])
        p_rel = scalar(rg['p_relapse'])
        assert p_end in (0, 1) and p_rel in (0, 1), 'regime must be deterministic'
        s = (rg['initial'] == 'conflict')
        for t in range(1, T + 1):
            if s:
                s = not (p_end == 1)
            else:
                s = (p_rel == 1)
            conflict[t] = 1.0 if s else 0.0
    else:
        for t in range(1, T + 1):
            conflict[t] = 0.0

    # ---- resources (§3-5) -----------------------------------------------------
    comps = ('royalty', 'profit_tax', 'dividends', 'license_fees')
    res = []
    for r in sc['resources']:
        name = r['name']
        kind = r['kind']
        first_year = round_half_away(g(r, 'first_year', float(start_year)))
        delay = max(0.0, round_half_away(g(r, 'start_delay', 0.0)))
        t_start = (first_year - start_year + 1) + delay
        succ = g(r, 'success_probability', 1.0)
        assert succ in (0, 1)
        assert g(r, 'volume_noise', 0.0) == 0
        o = g(r, 'occupied_share', 0.0)
        lib = g(r, 'liberation_probability', 0.0)
        assert lib in (0, 1) or o == 0
        m = g(r, 'conflict_output', 1.0)
        sched = None
        if 'schedule' in r:
            sched = [scalar(v) for v in r['schedule']]
        else:
            C = scalar(r['capacity'])
            R = g(r, 'ramp_years', 0.0)
            L = g(r, 'plateau_years', 1.0)
            dcl = g(r, 'decline_rate', 0.0)

        def V(a):
            if a < 1:
                return 0.0
            if sched is not None:
                return sched[a - 1] if a <= len(sched) else sched[-1]
            if a <= R:
                return C * a / (R + 1.0)
            if a <= R + L:
                return C
            return C * (1.0 - dcl) ** (a - R - L)

        pr = r['price']
        model = pr['model']
        P0 = scalar(pr['start'])
        prices = [P0] * (T + 1)
        if model == 'fixed':
            gr = g(pr, 'growth', 0.0)
            for t in range(1, T + 1):
                prices[t] = P0 * (1.0 + gr) ** t
        elif model == 'gbm':
            assert g(pr, 'volatility', 0.0) == 0 and 'jumps' not in pr
            mu = g(pr, 'drift', 0.0)
            x = math.log(P0)
            for t in range(1, T + 1):
                x = x + mu - 0.0  # sigma = 0
                prices[t] = math.exp(x)
        elif model == 'mean_reverting':
            assert g(pr, 'volatility', 0.0) == 0 and 'jumps' not in pr
            if 'reversion' in pr:
                kap = scalar(pr['reversion'])
            else:
                kap = math.log(2.0) / scalar(pr['half_life'])
            lr = math.log(scalar(pr['long_run']))
            x = math.log(P0)
            ek = math.exp(-kap)
            for t in range(1, T + 1):
                x = x * ek + (1.0 - ek) * lr
                prices[t] = math.exp(x)
        else:
            raise ValueError(model)

        e = g(r, 'cost_escalation', infl)
        uc = g(r, 'unit_cost', 0.0)
        fc = g(r, 'fixed_cost', 0.0)
        brackets = None
        if 'royalty_brackets' in r:
            brackets = [(float(p), float(rt)) for p, rt in r['royalty_brackets']]
        roy_rate = g(r, 'royalty_rate', 0.0)
        ptr = g(r, 'profit_tax_rate', 0.18)
        seq = g(r, 'state_equity', 0.0)
        dpo = g(r, 'dividend_payout', 0.0)
        fees = g(r, 'license_fees', 0.0)
        elig = g(r, 'eligible_share', 1.0)

        series = {k: [0.0] * (T + 1) for k in
                  ('volume', 'price', 'gross', 'cost', 'royalty', 'profit_tax',
                   'dividends', 'license_fees', 'state')}
        occupied = o > 0
        for t in range(1, T + 1):
            if occupied and lib == 1:
                occupied = False  # liberation drawn in year t frees year t itself
            a = int(t - t_start + 1)
            P = prices[t]
            series['price'][t] = P
            if succ == 0:
                continue
            Q = V(a) * (1.0 - o * (1.0 if occupied else 0.0)) * (m if conflict[t] else 1.0)
            G = Q * P
            op = 1.0 if a >= 1 else 0.0
            Cst = Q * uc * (1.0 + e) ** t + fc * (1.0 + e) ** t * op
            if brackets is not None:
                s_ = 0.0
                for b, (pb, rb) in enumerate(brackets):
                    pn = brackets[b + 1][0] if b + 1 < len(brackets) else math.inf
                    s_ += rb * max(0.0, min(P, pn) - pb)
                Roy = Q * s_
            else:
                Roy = roy_rate * G
            Tax = ptr * max(0.0, G - Cst - Roy)
            Div = seq * dpo * max(0.0, G - Cst - Roy - Tax)
            Fee = fees
            S = Roy + Tax + Div + Fee
            series['volume'][t] = Q
            series['gross'][t] = G
            series['cost'][t] = Cst
            series['royalty'][t] = Roy
            series['profit_tax'][t] = Tax
            series['dividends'][t] = Div
            series['license_fees'][t] = Fee
            series['state'][t] = S
        res.append(dict(name=name, kind=kind, elig=elig, s=series))

    S_all = [sum(r['s']['state'][t] for r in res) if t else 0.0 for t in range(T + 1)]

    summary = {}
    annual = {}

    def A(t, var, scope, v):
        annual['%d|%s|%s' % (start_year + t - 1, var, scope)] = v

    kinds = []
    for r in res:
        if r['kind'] not in kinds:
            kinds.append(r['kind'])
    for t in range(1, T + 1):
        for r in res:
            A(t, 'volume', r['name'], r['s']['volume'][t])
            A(t, 'price', r['name'], r['s']['price'][t])
            A(t, 'gross_revenue', r['name'], r['s']['gross'][t])
            A(t, 'state_proceeds', r['name'], r['s']['state'][t])
        for k in kinds:
            A(t, 'gross_revenue', k, sum(r['s']['gross'][t] for r in res if r['kind'] == k))
            A(t, 'state_proceeds', k, sum(r['s']['state'][t] for r in res if r['kind'] == k))
        A(t, 'gross_revenue', 'total', sum(r['s']['gross'][t] for r in res))
        A(t, 'state_proceeds', 'total', S_all[t])
        A(t, 'conflict', 'total', conflict[t])

    target = scalar(sc.get('comparison', {}).get('target', 500e9)) if sc.get('comparison') else 500e9

    def eligible(k):
        base = k.get('base', list(comps))
        rs = k.get('resources', [r['name'] for r in res])
        E = [0.0] * (T + 1)
        for r in res:
            if r['name'] not in rs:
                continue
            for t in range(1, T + 1):
                E[t] += r['elig'] * sum(r['s'][c][t] for c in base)
        return E

    scheme_npv = {}
    scheme_val = {}
    for k in sc.get('schemes', []) or []:
        nm = k['name']
        E = eligible(k)
        U = [0.0] * (T + 1)
        K = [0.0] * (T + 1)
        us_npv = uk_npv = 0.0
        if k['type'] == 'joint_fund':
            c = g(k, 'contribution_share', 0.5)
            stake = g(k, 'us_stake', 0.5)
            own = k.get('ownership', 'fixed')
            ic = k.get('initial_capital', {}) or {}
            ic_us = g(ic, 'us', 0.0)
            ic_uk = g(ic, 'ukraine', 0.0)
            usac = g(k, 'us_annual_contribution', 0.0)
            ret = k.get('return', {}) or {}
            mu = g(ret, 'mean', 0.0)
            assert g(ret, 'volatility', 0.0) == 0
            Y = g(k, 'reinvest_years', 10.0)
            pi = g(k, 'payout_rate', 0.05)
            f = g(k, 'management_fee', 0.0)
            Rt = math.exp(math.log(1.0 + mu)) - 1.0
            N = ic_us + ic_uk
            cum_us, cum_uk = ic_us, ic_uk
            sumUD = 0.0
            sumK = 0.0
            us_npv = 0.0
            uk_npv = 0.0
            w = stake
            for t in range(1, T + 1):
                At = N * (1.0 + Rt)
                fee = f * At
                In = c * E[t] + usac
                Ap = At - fee + In
                D = pi * Ap if t > Y else 0.0
                N = Ap - D
                cum_us += usac
                cum_uk += c * E[t]
                if own == 'pro_rata':
                    w = 0.5 if (cum_us + cum_uk) == 0 else cum_us / (cum_us + cum_uk)
                else:
                    w = stake
                sumUD += w * D
                sumK += S_all[t] - c * E[t] + (1.0 - w) * D
                U[t] = sumUD + w * N
                K[t] = sumK + (1.0 - w) * N
                us_npv += w * D / disc[t]
                uk_npv += (S_all[t] - c * E[t] + (1.0 - w) * D) / disc[t]
                A(t, 'inflow', nm, In)
                A(t, 'fund_nav', nm, N)
            us_npv += w * N / disc[T]
            uk_npv += (1.0 - w) * N / disc[T]
            us_net = us_npv - ic_us - sum(usac / disc[t] for t in range(1, T + 1))
        elif k['type'] == 'repayment':
            tgt = g(k, 'target', 500e9)
            c = g(k, 'share', 0.5)
            ir = g(k, 'interest_rate', 0.0)
            B = tgt
            cu = ck = 0.0
            ytr = None
            for t in range(1, T + 1):
                due = B * (1.0 + ir)
                pay = min(c * E[t], due)
                B = due - pay
                if B == 0 and ytr is None:
                    ytr = t
                cu += pay
                ck += S_all[t] - pay
                U[t] = cu
                K[t] = ck
                us_npv += pay / disc[t]
                uk_npv += (S_all[t] - pay) / disc[t]
                A(t, 'inflow', nm, pay)
                A(t, 'outstanding', nm, B)
            us_net = us_npv
            summary[nm + '|years_to_repay'] = float(ytr) if ytr is not None else None
        else:
            raise ValueError(k['type'])
        ytt = None
        for t in range(1, T + 1):
            if ytt is None and U[t] >= target:
                ytt = t
            A(t, 'us_cumulative', nm, U[t])
            A(t, 'ukraine_cumulative', nm, K[t])
            A(t, 'reached_target', nm, 1.0 if ytt is not None else 0.0)
        summary[nm + '|us_value'] = U[T]
        summary[nm + '|us_npv'] = us_npv
        summary[nm + '|us_net_npv'] = us_net
        summary[nm + '|ukraine_value'] = K[T]
        summary[nm + '|ukraine_npv'] = uk_npv
        summary[nm + '|years_to_target'] = float(ytt) if ytt is not None else None
        summary[nm + '|reached_target'] = 1.0 if ytt is not None else 0.0
        scheme_npv[nm] = (us_npv, uk_npv)
        scheme_val[nm] = (U[T], K[T])

    names = [k['name'] for k in sc.get('schemes', []) or []]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = names[i], names[j]
            key = a + ' vs ' + b
            summary[key + '|us_npv_diff'] = scheme_npv[a][0] - scheme_npv[b][0]
            summary[key + '|ukraine_npv_diff'] = scheme_npv[a][1] - scheme_npv[b][1]
            # "A's value exceeds B's": reported both ways, compared loosely
            summary[key + '|p_a_better_us'] = 1.0 if scheme_npv[a][0] > scheme_npv[b][0] else 0.0
            summary[key + '|p_a_better_ukraine'] = 1.0 if scheme_npv[a][1] > scheme_npv[b][1] else 0.0
            summary[key + '|p_a_better_us@value'] = 1.0 if scheme_val[a][0] > scheme_val[b][0] else 0.0
            summary[key + '|p_a_better_ukraine@value'] = 1.0 if scheme_val[a][1] > scheme_val[b][1] else 0.0

    gnpv = sum(sum(r['s']['gross'][t] for r in res) / disc[t] for t in range(1, T + 1))
    snpv = sum(S_all[t] / disc[t] for t in range(1, T + 1))
    summary['-|gross_revenue_npv'] = gnpv
    summary['-|state_proceeds_npv'] = snpv
    for kd in kinds:
        summary['-|gross_revenue_npv.' + kd] = sum(
            sum(r['s']['gross'][t] for r in res if r['kind'] == kd) / disc[t] for t in range(1, T + 1))
        summary['-|state_proceeds_npv.' + kd] = sum(
            sum(r['s']['state'][t] for r in res if r['kind'] == kd) / disc[t] for t in range(1, T + 1))
    return {'summary': summary, 'annual': annual}


def main():
    with open(sys.argv[1]) as fh:
        sc = fix_numbers(yaml.safe_load(fh))
    json.dump(simulate(sc), sys.stdout, indent=1)


if __name__ == '__main__':
    main()
