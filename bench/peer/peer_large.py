#!/usr/bin/env python3
"""peer_large.py — bench/large.yaml written the way an analyst would in NumPy.

The peer of the benchmark (issue "Speed at scale", item 3): the model of
MODEL.md §2–§7 for the parameters of bench/large.yaml, hard-coded below (change
one file, change the other), vectorised across paths and looping over years and
resources.  Per path-year it does the same work as the engine: the war regime,
correlated price shocks (one Cholesky factor), the three price models with
Poisson jumps, production with uncertain scalars, success, volume noise,
occupation and conflict output, the fiscal take with a sliding royalty, both
schemes (joint_fund, repayment), the scenario-wide and pairwise metrics, and
the statistics of the summary metrics and of every annual series (mean, sd and
the five percentiles, as the engine writes to annual.csv).

Its random numbers come from NumPy's PCG64, not from the engine's Philox
streams, so its figures agree with the engine's only within Monte Carlo error
(--check prints a few means to compare with `jfsim run bench/large.yaml`).

Output (stdout): one line `peer paths=N years=T wall_s=W path_years_per_s=R
sim_only_path_years_per_s=S`, where S leaves out the time spent on the
statistics of the annual series.
"""
import argparse
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("peer_large.py needs NumPy: apt-get install python3-numpy (or pip install numpy)")

START_YEAR = 2026
T = 50
DISCOUNT = 0.04
INFLATION = 0.02
P_END, P_RELAPSE = 0.25, 0.03
LN2 = np.log(2.0)
KINDS = ("mineral", "oil", "gas")

# One dict per resource, in file order; missing keys take MODEL.md's defaults.
RESOURCES = [
    dict(name="gas_existing", kind="gas", capacity=20.0e6, plateau=3, decline=0.03, noise=0.03,
         conflict_output=0.95, model="mr", start=400, long_run=300, half_life=3, vol=0.5,
         jumps=(0.2, 0.1, 0.2), unit_cost=0, esc=0.0, royalty=0.10, tax=0.0),
    dict(name="gas_new", kind="gas", capacity=("lognormal", 1.0e6, 0.6), delay=("uniform", 0, 2),
         ramp=5, plateau=10, decline=0.08, success=0.9, noise=0.1, occupied=0.2, liberation=0.01,
         conflict_output=0.8, model="mr", start=400, long_run=300, reversion=0.231, vol=0.5,
         unit_cost=150, brackets=((0, 0.12), (400, 0.31)), tax=0.18, equity=0.2, payout=1.0),
    dict(name="oil_existing", kind="oil", capacity=16.5e6, plateau=2, decline=0.04, noise=0.03,
         conflict_output=0.95, model="gbm", start=65, drift=0.02, vol=0.3, jumps=(0.1, -0.2, 0.3),
         unit_cost=30, fixed_cost=50e6, royalty=0.215, equity=0.5, payout=0.3),
    dict(name="oil_new", kind="oil", capacity=("triangular", 1.0e6, 3.0e6, 6.0e6), first_year=2028,
         ramp=4, plateau=8, decline=0.1, success=0.7, noise=0.1, occupied=0.1, liberation=0.02,
         conflict_output=0.8, model="gbm", start=65, drift=0.02, vol=0.3, unit_cost=35,
         royalty=0.12, equity=0.3, payout=1.0, fees=2.0e6),
    dict(name="lithium", kind="mineral", capacity=("triangular", 10000, 30000, 60000),
         first_year=2033, delay=("lognormal", 3, 0.8), ramp=3, plateau=20, decline=0.1,
         success=("pert", 0.3, 0.5, 0.7), noise=0.1, occupied=0.5, liberation=0.01,
         conflict_output=0.5, model="mr", start=12000, long_run=("lognormal", 13000, 0.25),
         half_life=3, vol=0.55, unit_cost=8000, esc=0.0, royalty=0.05),
    dict(name="titanium", kind="mineral", capacity=("triangular", 100000, 250000, 500000),
         first_year=2031, ramp=2, plateau=20, decline=0.1, success=0.6, noise=0.1,
         occupied=("uniform", 0.1, 0.2), liberation=0.01, conflict_output=0.5, model="gbm",
         start=250, drift=0.01, vol=0.25, jumps=(0.05, 0.3, 0.2), unit_cost=150, royalty=0.05),
    dict(name="graphite", kind="mineral", capacity=("triangular", 10000, 40000, 100000),
         first_year=2032, ramp=3, plateau=20, decline=0.1, success=0.5, noise=0.1, occupied=0.2,
         liberation=0.01, conflict_output=0.5, model="mr", start=600, long_run=600, half_life=4,
         vol=0.35, unit_cost=420, royalty=0.05),
    dict(name="rare_earths", kind="mineral", capacity=("triangular", 100, 300, 1500),
         first_year=2035, ramp=3, plateau=20, decline=0.1, success=0.25, noise=0.1, occupied=0.4,
         liberation=0.01, conflict_output=0.5, model="gbm", start=123000, drift=0.0, vol=0.45,
         jumps=(0.3, 0.0, 0.4), unit_cost=50000, royalty=0.05),
    dict(name="manganese", kind="mineral", capacity=("triangular", 100000, 500000, 1500000),
         first_year=2032, ramp=3, plateau=20, decline=0.1, success=0.5, noise=0.1, occupied=0.4,
         liberation=0.01, conflict_output=0.5, model="fixed", start=150, growth=0.02,
         unit_cost=100, royalty=0.05),
    dict(name="permit_sales", kind="mineral", capacity=0.0, model="fixed", start=1.0,
         fees=("lognormal", 15e6, 0.4), esc=0.0),
]
LOADINGS = np.array([0.8, 0.8, 0.7, 0.7, 0.5, 0.4, 0.5, 0.45, 0.35, 0.2])
FUND_RESOURCES = {"gas_new", "oil_new", "lithium", "titanium", "graphite", "rare_earths",
                  "manganese", "permit_sales"}
FUND = dict(c=0.5, w=0.5, cap_us=75e6, cap_ua=75e6, mu=("triangular", 0.0, 0.05, 0.09), vol=0.12,
            reinvest=10, payout=0.05, fee=0.01)
REPAY = dict(target=500e9, c=0.5, rate=0.0)
TARGET = 500e9


def correlation():
    """The matrix of bench/large.yaml: b_i·b_j rounded to 3 decimals, as written in the file."""
    rho = np.round(np.outer(LOADINGS, LOADINGS), 3)
    np.fill_diagonal(rho, 1.0)
    return rho


def draw(spec, n, rng):
    """A parameter for every path: a number, or ("dist", ...) drawn once per path."""
    if not isinstance(spec, tuple):
        return np.full(n, float(spec))
    kind = spec[0]
    if kind == "lognormal":
        return spec[1] * np.exp(spec[2] * rng.standard_normal(n))
    if kind == "uniform":
        return rng.uniform(spec[1], spec[2], n)
    if kind == "triangular":
        return rng.triangular(spec[1], spec[2], spec[3], n)
    if kind == "pert":
        lo, mode, hi = spec[1:]
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, n)
    raise ValueError(kind)


class AnnualStats:
    """mean, sd and p05..p95 of each annual series, year by year."""

    def __init__(self):
        self.rows = {}
        self.seconds = 0.0

    def add(self, name, t, values):
        t0 = time.perf_counter()
        pct = np.percentile(values, (5, 25, 50, 75, 95))
        self.rows[(name, t)] = (values.mean(), values.std(ddof=1), pct)
        self.seconds += time.perf_counter() - t0


def summary(values):
    return values.mean(), values.std(ddof=1), np.percentile(values, (5, 25, 50, 75, 95))


def simulate(n, seed, annual_stats=True):
    rng = np.random.default_rng(seed)
    L = np.linalg.cholesky(correlation())
    disc = (1.0 + DISCOUNT) ** -np.arange(1, T + 1)
    stats = AnnualStats()

    # Per-path parameters and state of each resource.
    res = []
    for spec in RESOURCES:
        r = dict(spec)
        r["C"] = draw(spec.get("capacity", 0.0), n, rng)
        first = spec.get("first_year", START_YEAR)
        delay = np.maximum(0.0, np.floor(draw(spec.get("delay", 0.0), n, rng) + 0.5))
        r["t_start"] = (first - START_YEAR + 1) + delay
        q = draw(spec.get("success", 1.0), n, rng)
        r["ok"] = rng.random(n) < q
        r["occ"] = draw(spec.get("occupied", 0.0), n, rng)
        r["occupied"] = r["occ"] > 0
        r["fees_v"] = draw(spec.get("fees", 0.0), n, rng) * r["ok"]
        r["x"] = np.full(n, np.log(spec["start"]))
        if spec["model"] == "mr":
            kappa = spec["reversion"] if "reversion" in spec else LN2 / spec["half_life"]
            lr = draw(spec["long_run"], n, rng)
            r["decay"] = np.exp(-kappa)
            r["pull"] = -np.expm1(-kappa) * np.log(lr)
            r["sig"] = spec["vol"] * np.sqrt(-np.expm1(-2 * kappa) / (2 * kappa))
        elif spec["model"] == "gbm":
            r["drift_l"] = spec["drift"] - 0.5 * spec["vol"] ** 2
            r["sig"] = spec["vol"]
        r["esc_step"] = 1.0 + spec.get("esc", INFLATION)
        res.append(r)
    fund_mu = draw(FUND["mu"], n, rng)
    fund_lg = np.log1p(fund_mu) - 0.5 * FUND["vol"] ** 2

    conflict = np.ones(n, dtype=bool)
    nav = np.full(n, FUND["cap_us"] + FUND["cap_ua"])
    f_us_cum = np.zeros(n)
    f_ua_cum = np.zeros(n)
    f_us_npv = np.zeros(n)
    f_ua_npv = np.zeros(n)
    f_ytt = np.full(n, np.inf)
    bal = np.full(n, REPAY["target"])
    r_us_cum = np.zeros(n)
    r_ua_cum = np.zeros(n)
    r_us_npv = np.zeros(n)
    r_ua_npv = np.zeros(n)
    r_ytt = np.full(n, np.inf)
    r_ytr = np.full(n, np.inf)
    gross_npv = {k: np.zeros(n) for k in KINDS + ("total",)}
    state_npv = {k: np.zeros(n) for k in KINDS + ("total",)}

    for t in range(1, T + 1):
        i = t - 1
        u = rng.random(n)
        conflict = np.where(conflict, u >= P_END, u < P_RELAPSE)
        z = rng.standard_normal((n, len(res))) @ L.T
        gross_k = {k: np.zeros(n) for k in KINDS}
        state_k = {k: np.zeros(n) for k in KINDS}
        e_fund = np.zeros(n)
        e_all = np.zeros(n)
        for j, r in enumerate(res):
            # Price (MODEL.md §4).
            if r["model"] == "fixed":
                P = np.full(n, r["start"] * (1.0 + r.get("growth", 0.0)) ** t)
            else:
                jump = 0.0
                if "jumps" in r:
                    lam, mj, sj = r["jumps"]
                    k = rng.poisson(lam, n)
                    jump = k * mj + np.sqrt(k) * sj * rng.standard_normal(n)
                if r["model"] == "mr":
                    r["x"] = r["x"] * r["decay"] + r["pull"] + r["sig"] * z[:, j] + jump
                else:
                    r["x"] = r["x"] + r["drift_l"] + r["sig"] * z[:, j] + jump
                P = np.exp(r["x"])
            # Production (MODEL.md §3).
            a = t - r["t_start"] + 1
            R, Lp, d = r.get("ramp", 0), r.get("plateau", 1), r.get("decline", 0.0)
            V = np.where(a < 1, 0.0,
                         np.where(a <= R, r["C"] * a / (R + 1),
                                  np.where(a <= R + Lp, r["C"],
                                           r["C"] * (1 - d) ** np.maximum(a - R - Lp, 0))))
            Q = V * r["ok"]
            if r.get("noise", 0.0) > 0:
                sv = r["noise"]
                Q = Q * np.exp(sv * rng.standard_normal(n) - 0.5 * sv * sv)
            if r.get("liberation", 0.0) > 0:
                r["occupied"] &= ~(rng.random(n) < r["liberation"])
            Q = Q * np.where(r["occupied"], 1 - r["occ"], 1.0)
            Q = Q * np.where(conflict, r.get("conflict_output", 1.0), 1.0)
            # Fiscal take (MODEL.md §5).
            esc = r["esc_step"] ** t
            G = Q * P
            C = Q * r.get("unit_cost", 0.0) * esc + r.get("fixed_cost", 0.0) * esc * ((a >= 1) & r["ok"])
            if "brackets" in r:
                br = r["brackets"]
                per_unit = np.zeros(n)
                for b, (lo, rate) in enumerate(br):
                    hi = br[b + 1][0] if b + 1 < len(br) else np.inf
                    per_unit += rate * np.clip(np.minimum(P, hi) - lo, 0, None)
                roy = Q * per_unit
            else:
                roy = r.get("royalty", 0.0) * G
            before = G - C - roy
            tax = r.get("tax", 0.18) * np.maximum(before, 0.0)
            div = r.get("equity", 0.0) * r.get("payout", 0.0) * np.maximum(before - tax, 0.0)
            fee = r["fees_v"]
            S = roy + tax + div + fee
            gross_k[r["kind"]] += G
            state_k[r["kind"]] += S
            if r["name"] in FUND_RESOURCES:
                e_fund += roy + div + fee
            e_all += S
            if annual_stats:
                stats.add(("volume", r["name"]), t, Q)
                stats.add(("price", r["name"]), t, P)
                stats.add(("gross_revenue", r["name"]), t, G)
                stats.add(("state_proceeds", r["name"]), t, S)
        gross_t = sum(gross_k.values())
        state_t = sum(state_k.values())
        for k in KINDS:
            gross_npv[k] += disc[i] * gross_k[k]
            state_npv[k] += disc[i] * state_k[k]
        gross_npv["total"] += disc[i] * gross_t
        state_npv["total"] += disc[i] * state_t

        # joint_fund (MODEL.md §6).
        growth = np.exp(fund_lg + FUND["vol"] * rng.standard_normal(n))
        A = nav * growth
        inflow_f = FUND["c"] * e_fund
        A1 = A - FUND["fee"] * A + inflow_f
        D = FUND["payout"] * A1 if t > FUND["reinvest"] else np.zeros(n)
        nav = A1 - D
        w = FUND["w"]
        f_us_cum += w * D
        f_ua_cum += state_t - inflow_f + (1 - w) * D
        f_us_npv += disc[i] * w * D
        f_ua_npv += disc[i] * (state_t - inflow_f + (1 - w) * D)
        f_us_val = f_us_cum + w * nav
        f_ytt = np.where(np.isinf(f_ytt) & (f_us_val >= TARGET), t, f_ytt)
        # repayment (MODEL.md §6).
        due = bal * (1 + REPAY["rate"])
        pay = np.minimum(REPAY["c"] * e_all, due)
        bal = due - pay
        r_ytr = np.where(np.isinf(r_ytr) & (bal == 0.0), t, r_ytr)
        r_us_cum += pay
        r_ua_cum += state_t - pay
        r_us_npv += disc[i] * pay
        r_ua_npv += disc[i] * (state_t - pay)
        r_ytt = np.where(np.isinf(r_ytt) & (r_us_cum >= TARGET), t, r_ytt)

        if annual_stats:
            for k in KINDS:
                stats.add(("gross_revenue", k), t, gross_k[k])
                stats.add(("state_proceeds", k), t, state_k[k])
            stats.add(("gross_revenue", "total"), t, gross_t)
            stats.add(("state_proceeds", "total"), t, state_t)
            stats.add(("conflict", "total"), t, conflict.astype(float))
            for name, series in (("inflow", inflow_f), ("fund_nav", nav), ("us_cumulative", f_us_val),
                                 ("ukraine_cumulative", f_ua_cum + (1 - w) * nav),
                                 ("reached_target", np.isfinite(f_ytt).astype(float))):
                stats.add((name, "fund"), t, series)
            for name, series in (("inflow", pay), ("outstanding", bal), ("us_cumulative", r_us_cum),
                                 ("ukraine_cumulative", r_ua_cum),
                                 ("reached_target", np.isfinite(r_ytt).astype(float))):
                stats.add((name, "draft500"), t, series)

    # Metrics at the horizon (MODEL.md §7).
    f_us_npv += disc[-1] * w * nav
    f_ua_npv += disc[-1] * (1 - w) * nav
    metrics = {
        ("fund", "us_value"): f_us_cum + w * nav,
        ("fund", "us_npv"): f_us_npv,
        ("fund", "us_net_npv"): f_us_npv - FUND["cap_us"],
        ("fund", "ukraine_value"): f_ua_cum + (1 - w) * nav,
        ("fund", "ukraine_npv"): f_ua_npv,
        ("fund", "reached_target"): np.isfinite(f_ytt).astype(float),
        ("draft500", "us_value"): r_us_cum,
        ("draft500", "us_npv"): r_us_npv,
        ("draft500", "us_net_npv"): r_us_npv,
        ("draft500", "ukraine_value"): r_ua_cum,
        ("draft500", "ukraine_npv"): r_ua_npv,
        ("draft500", "reached_target"): np.isfinite(r_ytt).astype(float),
        ("fund vs draft500", "us_npv_diff"): f_us_npv - r_us_npv,
        ("fund vs draft500", "ukraine_npv_diff"): f_ua_npv - r_ua_npv,
        ("fund vs draft500", "p_a_better_us"): (f_us_npv > r_us_npv).astype(float),
        ("fund vs draft500", "p_a_better_ukraine"): (f_ua_npv > r_ua_npv).astype(float),
    }
    for k in KINDS + ("total",):
        suffix = "" if k == "total" else "." + k
        metrics[("-", "gross_revenue_npv" + suffix)] = gross_npv[k]
        metrics[("-", "state_proceeds_npv" + suffix)] = state_npv[k]
    results = {key: summary(v) for key, v in metrics.items()}
    for key, v in (("fund", f_ytt), ("draft500", r_ytt)):
        reached = v[np.isfinite(v)]
        results[(key, "years_to_target")] = (reached.mean() if reached.size else np.nan, reached.size)
    results[("draft500", "years_to_repay")] = (np.isfinite(r_ytr).mean(),)
    return results, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--paths", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--no-annual-stats", action="store_true",
                    help="skip the statistics of the annual series")
    ap.add_argument("--check", action="store_true", help="print a few means to compare with jfsim")
    args = ap.parse_args()
    t0 = time.perf_counter()
    results, stats = simulate(args.paths, args.seed, not args.no_annual_stats)
    wall = time.perf_counter() - t0
    py = args.paths * T
    sim_only = wall - stats.seconds
    print(f"peer paths={args.paths} years={T} wall_s={wall:.3f} path_years_per_s={py / wall:.0f} "
          f"sim_only_path_years_per_s={py / sim_only:.0f} numpy={np.__version__}")
    if args.check:
        for key in (("fund", "us_npv"), ("fund", "ukraine_npv"), ("draft500", "us_npv"),
                    ("-", "state_proceeds_npv"), ("-", "gross_revenue_npv"),
                    ("fund vs draft500", "p_a_better_ukraine")):
            mean, sd = results[key][0], results[key][1]
            print(f"check {key[0]},{key[1]} mean={mean:.6g} se={sd / np.sqrt(args.paths):.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
