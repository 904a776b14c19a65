"""Mitigation benchmark (c): portfolio optimisation on the demo company.

    python -m benchmarks.mitigation.optimise [--years N] [--repeat R] [--workers W]
        [--brute K] [--brute-years N] [--monolithic]

Candidates: the example measures, the suggested ones (every scenario and the worst sites), and
safety stock of each suggested part at 4, 8 and 12 weeks of cover, until there are at least 40.
Samples: the events of N simulated years (examples/planning/risks.yaml). Prints the median of R
runs (preparation and Benders solve; wall and CPU time, in process and with W worker
processes), the chosen portfolio, and — on the first K candidates and fewer years — the
decomposition against the monolithic MILP and against brute-force enumeration of all 2^K
subsets (each applied to the chain and every event re-solved by the stress engine).
``--monolithic`` also solves the full problem as one MILP (minutes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from econsec.planning.cli import suggested_measures
from econsec.planning.likelihood import load_risks
from econsec.planning.measures import Measure, load_measures
from econsec.planning.portfolio import brute_force, event_samples, optimise, prepare
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

HERE = Path(__file__).resolve().parents[2] / "examples" / "planning"


def candidates(chain: object, risks: list[object], want: int) -> list[Measure]:
    out = load_measures(HERE / "measures.yaml")
    suggested = suggested_measures(chain, risks, out)
    out += suggested
    for m in suggested:
        if m.kind != "safety_stock":
            continue
        for weeks in (4.0, 8.0, 12.0):
            if len(out) >= want:
                return out
            out.append(Measure(f"{m.id}:{weeks:g}w", "safety_stock", site=m.site, item=m.item,
                               weeks_of_cover=weeks, where=m.where))  # fmt: skip
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--brute", type=int, default=12)
    ap.add_argument("--brute-years", type=int, default=10)
    ap.add_argument("--monolithic", action="store_true")
    args = ap.parse_args()
    chain = compile_tables(demo_company())
    rs = load_risks(HERE / "risks.yaml", chain)
    measures = candidates(chain, rs.risks, 40)  # type: ignore[arg-type]
    samples = event_samples(rs.risks, args.years, 1, rs.max_weeks)
    print(f"(c) {len(measures)} candidates × {len(samples)} sampled events ({args.years} years); "
          f"{_load()}")  # fmt: skip
    results = {}
    for workers in (0, args.workers) if args.workers > 1 else (0,):
        walls, cpus, preps = [], [], []
        for _ in range(args.repeat):
            c0, t0 = _cpu(), time.perf_counter()
            problem = prepare(chain, rs.risks, measures, samples, rs.max_weeks)
            t1 = time.perf_counter()
            best = optimise(problem, workers=workers)
            walls.append(time.perf_counter() - t0)
            cpus.append(_cpu() - c0)
            preps.append(t1 - t0)
        results[workers] = best
        where = "in process" if workers == 0 else f"{workers} worker processes"
        print(f"    Benders, {where}: median {statistics.median(walls):.1f} s wall "
              f"({statistics.median(cpus):.1f} s CPU) over {args.repeat} runs, preparation "
              f"{statistics.median(preps):.1f} s; {best.modelled} events some portfolio changes; "
              f"{best.rounds} master solves, {best.cuts} cuts, {best.lp_solves} block LP solves; "
              f"gap {best.gap:.1e}; goal ≤ 60 s; {_load()}")  # fmt: skip
    best = results[0]
    same = all(abs(r.objective - best.objective) <= 1e-9 * abs(best.objective)
               for r in results.values())  # fmt: skip
    print(f"    chosen ({len(best.chosen)}): {', '.join(best.chosen) or '—'}")
    print(f"    EAL {best.eal_before:,.0f} → {best.eal_after:,.0f}; annualised cost "
          f"{best.cost:,.0f}; objective {best.objective:,.2f}"
          f"{'' if same else '  WORKERS DIFFER'}")  # fmt: skip
    if args.monolithic:
        t0 = time.perf_counter()
        mono = optimise(prepare(chain, rs.risks, measures, samples, rs.max_weeks), method="milp")
        equal = abs(mono.objective - best.objective) <= 1e-7 * abs(best.objective)
        print(f"    monolithic MILP: {mono.objective:,.2f} in {time.perf_counter() - t0:.1f} s "
              f"({'equal' if equal else 'DIFFERENT'})")  # fmt: skip
    subset = measures[: args.brute]
    few = event_samples(rs.risks, args.brute_years, 1, rs.max_weeks)
    t0 = time.perf_counter()
    small = prepare(chain, rs.risks, subset, few, rs.max_weeks)
    decomposed = optimise(small)
    t_benders = time.perf_counter() - t0
    t0 = time.perf_counter()
    mono = optimise(small, method="milp")
    t_mono = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), _cpu()
    chosen, value = brute_force(chain, rs.risks, subset, few, workers=args.workers)
    t_brute, c_brute = time.perf_counter() - t0, _cpu() - c0

    def eq(a: float) -> str:
        return "equal" if abs(a - value) <= 1e-7 * max(1.0, abs(value)) else "DIFFERENT"

    print(f"    {len(subset)} candidates × {len(few)} events ({args.brute_years} years; "
          f"{decomposed.modelled} changeable): Benders {decomposed.objective:,.2f} "
          f"({t_benders:.1f} s) {eq(decomposed.objective)}; monolithic MILP "
          f"{mono.objective:,.2f} ({t_mono:.1f} s) {eq(mono.objective)}; brute force over "
          f"{2 ** len(subset):,} subsets {value:,.2f} ({t_brute:.1f} s wall, {c_brute:.1f} s "
          f"CPU, {args.workers} workers); {_load()}")  # fmt: skip
    print(f"    chosen by Benders: {', '.join(decomposed.chosen) or '—'}; "
          f"by enumeration: {', '.join(chosen) or '—'}")  # fmt: skip


if __name__ == "__main__":
    main()
