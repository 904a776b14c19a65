"""The exposure matrix's speed (`python -m benchmarks.technology [--repeats R]`).

A synthetic register of 2,000 technologies, 5,000 partner organisations and 20 routes (the 16
shipped ones and 4 more with random weights), with 3 holdings, 3 access groups and 5 partner
links per technology, controls and incidents: (a) the whole matrix, median of R runs (goal from
the issue: ≤ 2 s); (b) the reasons of every cell above "none"; (c) a baseline in the same
process: the signal matrix alone, so a slower machine shows as slower in both.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from econsec.technology import exposure as ex
from econsec.technology.routes import load_routes


def synthetic(rng: np.random.Generator, n: int, orgs: int) -> tuple[ex.Facts, ex.Routes]:
    def pick(size: int, high: int) -> np.ndarray:
        return rng.integers(0, high, size)

    def flags(size: int, p: float) -> np.ndarray:
        return rng.random(size) < p

    h, a, p = 3 * n, 3 * n, 5 * n
    facts = ex.Facts.build(
        n, exhibited=flags(n, 0.2), hold_tech=pick(h, n), hold_kind=pick(h, 3),
        hold_overseas=flags(h, 0.4), hold_concern=flags(h, 0.1),
        hold_label=[f"site {i}" for i in range(h)], hold_country=["CN"] * h,
        acc_tech=pick(a, n), acc_headcount=pick(a, 40), acc_key=flags(a, 0.3),
        acc_reason=flags(a, 0.6), acc_label=[f"group {i}" for i in range(a)],
        org_concern=flags(orgs, 0.1), org_hit=flags(orgs, 0.02),
        org_label=[f"org {i}" for i in range(orgs)], org_country=["CN"] * orgs,
        pl_tech=pick(p, n), pl_org=pick(p, orgs), pl_role=pick(p, 5), pl_nda=flags(p, 0.7),
        pl_exit=flags(p, 0.5), ctl_tech=pick(n, n + 1) - 1, ctl_route=pick(n, 20),
        ctl_status=pick(n, 3), ctl_label=[{"ja": f"対策 {i}", "en": f"control {i}"} for i in range(n)],
        inc_tech=pick(50, n), inc_route=pick(50, 20),
        inc_open=flags(50, 0.7),
    )  # fmt: skip
    specs = [(r.id, r.signals) for r in load_routes()]
    for k in range(20 - len(specs)):
        chosen = rng.choice(len(ex.SIGNALS), 3, replace=False)
        specs.append((f"extra.{k}", {ex.SIGNALS[s]: float(rng.uniform(0.1, 0.5)) for s in chosen}))
    return facts, ex.route_matrix(specs)


def median_of(repeats: int, run: object) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--technologies", type=int, default=2_000)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    facts, routes = synthetic(np.random.default_rng(7), args.technologies, args.organisations)
    base = median_of(args.repeats, lambda: ex.signals(facts))
    whole = median_of(args.repeats, lambda: ex.exposure(facts, routes))
    result = ex.exposure(facts, routes)
    cells = list(zip(*np.nonzero(result.level), strict=True))

    def explain_all() -> None:
        explainer = ex.Explainer(facts, routes, result)
        for t, r in cells:
            explainer.cell_reasons(int(t), int(r))

    reasons = median_of(max(1, args.repeats // 2), explain_all)
    print(f"register: {args.technologies:,} technologies × {len(routes.ids)} routes, "
          f"{args.organisations:,} organisations, {len(facts.pl_tech):,} partner links")  # fmt: skip
    print(f"baseline (signals only): median {base * 1000:.0f} ms")
    print(f"exposure matrix: median {whole * 1000:.0f} ms (goal ≤ 2,000 ms: "
          f"{'met' if whole <= 2 else 'missed'})")  # fmt: skip
    print(f"reasons for {len(cells):,} cells above none: median {reasons:.2f} s")


if __name__ == "__main__":
    main()
