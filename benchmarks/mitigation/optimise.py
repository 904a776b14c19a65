"""Mitigation benchmark (c): portfolio optimisation on the demo company.

    python -m benchmarks.mitigation.optimise [--years N] [--repeat R] [--brute K]

Candidates: the example measures, the suggested ones (every scenario and the worst sites), and
safety stock of each suggested part at 4, 8 and 12 weeks of cover, until there are at least 40.
Samples: the events of N simulated years (examples/planning/risks.yaml). Prints the median of R
runs of the MILP (preparation and solve), the chosen portfolio, and the MILP against
brute-force enumeration (every subset applied and re-solved by the engine) on K candidates.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--brute", type=int, default=6)
    ap.add_argument("--brute-years", type=int, default=30)
    args = ap.parse_args()
    chain = compile_tables(demo_company())
    rs = load_risks(HERE / "risks.yaml", chain)
    measures = candidates(chain, rs.risks, 40)  # type: ignore[arg-type]
    samples = event_samples(rs.risks, args.years, 1, rs.max_weeks)
    times, prep_times = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        problem = prepare(chain, rs.risks, measures, samples, rs.max_weeks)
        t1 = time.perf_counter()
        best = optimise(problem)
        times.append(time.perf_counter() - t0)
        prep_times.append(t1 - t0)
    print(f"(c) {len(measures)} candidates × {len(samples)} sampled events "
          f"({args.years} years; {best.modelled} events some portfolio changes)")  # fmt: skip
    print(f"    median {statistics.median(times):.1f} s over {args.repeat} runs "
          f"(preparation {statistics.median(prep_times):.1f} s); goal ≤ 60 s with ≥ 40 × ≥ 200; "
          f"gap {best.gap:.1e}")  # fmt: skip
    print(f"    chosen: {', '.join(best.chosen) or '—'}; EAL {best.eal_before:,.0f} → "
          f"{best.eal_after:,.0f}; annualised cost {best.cost:,.0f}")  # fmt: skip
    subset = measures[: args.brute]
    few = event_samples(rs.risks, args.brute_years, 1, rs.max_weeks)
    t0 = time.perf_counter()
    milp = optimise(prepare(chain, rs.risks, subset, few, rs.max_weeks))
    t_milp = time.perf_counter() - t0
    t0 = time.perf_counter()
    chosen, value = brute_force(chain, rs.risks, subset, few)
    t_brute = time.perf_counter() - t0
    same = abs(milp.objective - value) <= 1e-6 * max(1.0, abs(value))
    print(f"    brute force, {len(subset)} candidates × {len(few)} events: "
          f"{'equal' if same else 'DIFFERENT'} (MILP {milp.objective:,.0f} in {t_milp:.1f} s, "
          f"enumeration {value:,.0f} in {t_brute:.1f} s; {', '.join(chosen) or '—'})")  # fmt: skip


if __name__ == "__main__":
    main()
