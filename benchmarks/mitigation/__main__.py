"""Mitigation benchmark (a): Monte Carlo loss distribution on the demo company.

    python -m benchmarks.mitigation [--years N] [--direct-years N] [--workers W]

Every example scenario and every site (with its recovery time) carries a frequency
(examples/planning/risks.yaml, site figures from the defaults). Prints: the loss-curve build
(risks, LP solves, time), N simulated years by interpolation (time, EAL, VaR/CVaR), and the same
estimate by a direct TTR solve per event on fewer years, with both EALs on those years and the
speed ratio per simulated year. Overlapping events: exact joint curves when their sets are few;
with the demo's default site frequencies they number tens of thousands, so the 100,000-year run
adds stand-alone losses (``joint=False``) and says so; the direct comparison is made both ways.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from econsec.planning.curves import build_curves, local_pool
from econsec.planning.likelihood import load_risks
from econsec.planning.montecarlo import curve_loss, direct_loss, draw, simulate
from econsec.stress.engine import Engine
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

RISKS = Path(__file__).resolve().parents[2] / "examples" / "planning" / "risks.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=100_000)
    ap.add_argument("--direct-years", type=int, default=1_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    chain = compile_tables(demo_company())
    risks = load_risks(RISKS, chain)
    rs, mw = risks.risks, risks.max_weeks
    total = time.perf_counter()
    events = draw(rs, args.years, args.seed, mw)
    keys = sorted({(int(i),) for i in np.unique(events.risk)})
    # Curves are refined where they will be read: this run's durations and those of the
    # comparison below (its years are drawn apart), which reads the same stand-alone curves.
    small = draw(rs, args.direct_years, args.seed, mw)
    points = events.durations(joint=False)
    for k, d in small.durations(joint=False).items():
        points[k] = np.union1d(points[k], d) if k in points else d
    t0 = time.perf_counter()
    pool = local_pool(chain, rs, args.workers) if args.workers > 0 else None
    try:
        curves = build_curves(chain, rs, keys + [k for k in points if k not in set(keys)], mw,
                              executor=pool, points=points)  # fmt: skip
    finally:
        if pool is not None:
            pool.shutdown()
    build = time.perf_counter() - t0
    solves = sum(c.solves for c in curves.values())
    t0 = time.perf_counter()
    dist = simulate(rs, events, curve_loss(curves), args.seed, joint=False)
    sim = time.perf_counter() - t0
    mc = time.perf_counter() - total
    print(f"(a) risks {len(rs)}, total frequency {sum(r.frequency for r in rs):.2f}/year")
    print(f"    curves: {len(curves)} built with {solves} LP solves in {build:.2f} s "
          f"({args.workers} workers)")  # fmt: skip
    print(f"    {args.years:,} years: {dist.events:,} events, "
          f"{len(events.joint_keys()):,} distinct overlapping risk sets")  # fmt: skip
    print(f"    interpolation {sim:.2f} s; total {mc:.2f} s (goal ≤ 30 s)")
    s = dist.stats
    print(f"    EAL {s['eal']:,.0f}  VaR95 {s['var95']:,.0f}  CVaR95 {s['cvar95']:,.0f}  "
          f"VaR99 {s['var99']:,.0f}  CVaR99 {s['cvar99']:,.0f}  (stand-alone sum per overlap)")  # fmt: skip
    # Direct: one TTR solve per event, on fewer years (drawn above with the same seed).
    engine = Engine(chain)
    t0 = time.perf_counter()
    direct = simulate(rs, small, direct_loss(engine, rs), args.seed, joint=True)
    t_direct = time.perf_counter() - t0
    jk = small.joint_keys()
    t0 = time.perf_counter()
    more = build_curves(chain, rs, jk, mw, engine=engine, points=small.durations())
    by_curve = simulate(rs, small, curve_loss({**curves, **more}), args.seed, joint=True)
    t_joint = time.perf_counter() - t0
    gap = float(np.abs(direct.annual - by_curve.annual).max())
    print(f"    direct, {args.direct_years:,} years, joint: EAL {direct.stats['eal']:,.0f} "
          f"in {t_direct:.1f} s; curves (+{len(jk)} joint curves, {t_joint:.1f} s): "
          f"EAL {by_curve.stats['eal']:,.0f}; largest yearly difference {gap:.3g}")  # fmt: skip
    per_direct = t_direct / args.direct_years
    per_curve = mc / args.years
    print(f"    per simulated year: direct {per_direct * 1e3:.2f} ms, curves "
          f"{per_curve * 1e3:.4f} ms: {per_direct / per_curve:.0f}× (goal ≥ 50×)")  # fmt: skip


if __name__ == "__main__":
    main()
