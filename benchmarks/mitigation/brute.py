"""Mitigation benchmark (c), the held-out check: Benders and the monolithic MILP against brute
force over every subset of K candidates on the demo company.

    python -m benchmarks.mitigation.brute [--candidates K] [--years N] [--workers W]

Candidates: the example magnet measures and four weeks of finished-goods stock of each product
at its plant, chosen so that together they change every sampled event that loses anything.
Samples: the events of N simulated years (examples/planning/risks.yaml, seed 1). Nothing is
cached: every one of the 2^K subsets is applied to the chain and every event re-solved by the
stress engine, for each of four questions — no budget; a one-off and an annual budget; a CVaR95
limit; that limit with the budgets (which no portfolio meets: both solvers must refuse). The
budgets and the limit are set from the problem (half the one-off and a third of the annual cost
of all candidates; the CVaR95 half-way between every candidate's and the free optimum's).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from econsec.planning import cvar as cv
from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import load_risks
from econsec.planning.measures import Measure, load_measures
from econsec.planning.portfolio import brute_force, drawn_events, optimise, prepare
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.generators.demo import demo_company

HERE = Path(__file__).resolve().parents[2] / "examples" / "planning"
# Products whose stock is offered first (they change the most events on the demo).
FIRST = ("P-EAX150", "P-EAX80", "P-INV800", "P-SRV04", "P-SAMP", "P-OBC22", "P-DCDC3",
         "P-SRV20", "P-INV400", "P-OBC11")  # fmt: skip


def demo_candidates(chain: CompiledChain, count: int) -> list[Measure]:
    """The magnet source and stock, then finished-goods stock (4 weeks) product by product."""
    out = [m for m in load_measures(HERE / "measures.yaml") if m.id.startswith("magnet")]
    price: dict[int, float] = {}
    for node, value in zip(chain.demand_node, chain.demand_unit_price, strict=True):
        price.setdefault(int(node), float(value))
    nodes = sorted(price, key=lambda n: (
        FIRST.index(chain.item_ids[chain.node_item[n]])
        if chain.item_ids[chain.node_item[n]] in FIRST else len(FIRST), n))  # fmt: skip
    for n in nodes:
        site, item = chain.site_ids[chain.node_site[n]], chain.item_ids[chain.node_item[n]]
        out.append(
            Measure(f"stock:{site}:{item}", "safety_stock", site=site, item=item,
                    weeks_of_cover=4.0, unit_value=price[n], where=f"stock {site} {item}")
        )  # fmt: skip
    return out[:count]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def questions(problem: Any) -> dict[str, dict[str, float | None]]:
    """No budget; budgets; a CVaR95 limit that binds; that limit with the budgets."""
    ms = problem.measures
    one_off = round(0.5 * sum(m.one_off_cost for m in ms))
    annual = round(sum(m.annual_cost for m in ms) / 3)
    free = optimise(problem)
    assert problem.years is not None and free.cvar_after is not None
    every = cv.sample_cvar(problem.years, problem.best_loss, cv.DEFAULT_LEVEL)
    limit = float(round(every + 0.5 * (free.cvar_after - every)))
    return {
        "no budget": {},
        "budgets": {"one_off_budget": one_off, "annual_budget": annual},
        "CVaR95 limit": {"cvar_limit": limit},
        "limit + budgets": {"cvar_limit": limit, "one_off_budget": 0.0, "annual_budget": 0.0},
    }


def _within(problem: Any, kw: dict[str, Any]) -> int:
    """How many subsets the budgets allow (brute force re-runs each of them)."""
    ms = problem.measures
    n = 0
    for mask in range(1 << len(ms)):
        picked = [m for j, m in enumerate(ms) if mask >> j & 1]
        one_off, annual = kw.get("one_off_budget"), kw.get("annual_budget")
        if one_off is not None and sum(m.one_off_cost for m in picked) > one_off * (1 + 1e-12):
            continue
        if annual is not None and sum(m.annual_cost for m in picked) > annual * (1 + 1e-12):
            continue
        n += 1
    return n


def _same(v: float | None, value: float) -> bool:
    if v is None:
        return not np.isfinite(value)
    return bool(abs(v - value) <= 1e-7 * max(1.0, abs(value)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=12)
    ap.add_argument("--years", type=int, default=22)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    chain = compile_tables(demo_company())
    rs = load_risks(HERE / "risks.yaml", chain)
    measures = demo_candidates(chain, args.candidates)
    samples, years = drawn_events(rs.risks, args.years, 1, rs.max_weeks)
    problem = prepare(chain, rs.risks, measures, samples, rs.max_weeks, years=years)
    losing = int((problem.base_loss > 0).sum())
    changed = len({b.sample for b in problem.blocks})
    print(f"(c) held-out: {len(measures)} candidates × {len(samples)} events ({args.years} years;"
          f" {losing} lose anything, {changed} changeable by the candidates); {_load()}")  # fmt: skip
    total_wall = total_cpu = 0.0
    for name, kw in questions(problem).items():
        found: dict[str, Any] = {}
        for method in ("benders", "milp"):
            t0 = time.perf_counter()
            try:
                p = optimise(problem, method=method, **kw)
                found[method] = (p.objective, p.chosen, time.perf_counter() - t0)
            except PlanningError as exc:
                found[method] = (None, exc.key, time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), _cpu()
        chosen, value = brute_force(
            chain, rs.risks, measures, samples, workers=args.workers, years=years, **kw
        )
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        total_wall += wall
        total_cpu += cpu

        verdict = "equal" if all(_same(found[m][0], value) for m in found) else "DIFFERENT"
        figure = f"{value:,.2f}" if np.isfinite(value) else "no portfolio (both refuse)"
        shown = ", ".join(f"{k}={v:,.0f}" for k, v in kw.items()) or "—"
        inside = _within(problem, kw)
        print(f"    {name} ({shown}): brute force over {2 ** len(measures):,} subsets "
              f"({inside:,} within the budgets, each re-run) {figure} "
              f"({wall:.1f} s wall, {cpu:.1f} s CPU); Benders {found['benders'][2]:.1f} s, "
              f"MILP {found['milp'][2]:.1f} s — {verdict}; chosen {', '.join(chosen) or '—'}; "
              f"{_load()}")  # fmt: skip
    print(f"    brute force in all: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU; {_load()}")


if __name__ == "__main__":
    main()
