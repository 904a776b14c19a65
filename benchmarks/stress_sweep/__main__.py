"""Stress-sweep benchmark (`python -m benchmarks.stress_sweep [--quick]`).

(a) ~1,700-node network: the engine (restricted programmes with an optimality certificate,
    shortcuts, model reuse) against a naive baseline that assembles the whole programme from the
    chain and solves all of it for every scenario; checks equal objective values, prints the
    speed ratio (medians of repeated runs).
(b) Ford-scale network (4,400 sites, 55,000 parts, 10 tiers): a full TTS+TTR sweep of every
    site on a 2-worker local process pool; prints wall time and peak memory.
(c) The same sweep through a local Dask cluster (2 workers); checks identical results.
"""

from __future__ import annotations

import math
import resource
import statistics
import sys
import time

import numpy as np

from benchmarks.stress_sweep.network import ford_like
from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.stress.sweep import local_executor, sweep, sweep_specs


def _disruption(engine: Engine, sites: tuple[int, ...]) -> Disruption:
    c = engine.chain
    factor = np.where(np.isin(c.node_site, sites), 0.0, 1.0)
    return Disruption(factor, np.zeros(c.n_links, bool), np.zeros(c.alt_src.size, bool))


def _same(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def part_a(repeats: int) -> None:
    chain = ford_like(sites=160, parts=1150, tiers=6, products=20, seed=11)
    specs, _ = sweep_specs(chain, "site")
    print(f"(a) network: {chain.n_nodes} nodes, {chain.n_links} links, {len(specs)} site scenarios")
    fast_times, naive_times = [], []
    fast_results: list[tuple[float, float]] = []
    naive_results: list[tuple[float, float]] = []
    for _ in range(repeats):
        start = time.perf_counter()
        engine = Engine(chain)
        fast_results = []
        for spec in specs:
            out = engine.run(_disruption(engine, spec.sites), spec.ttr_weeks, per_product=False)
            fast_results.append((out.lost_margin, out.tts_weeks))
        fast_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        naive_results = []
        for spec in specs:
            fresh = Engine(chain)  # assemble the whole programme for this scenario
            out = fresh.run(
                _disruption(fresh, spec.sites), spec.ttr_weeks,
                per_product=False, full=True, fresh_models=True,
            )  # fmt: skip
            naive_results.append((out.lost_margin, out.tts_weeks))
        naive_times.append(time.perf_counter() - start)
    mismatches = sum(
        not (_same(f[0], n[0]) and _same(f[1], n[1]))
        for f, n in zip(fast_results, naive_results, strict=True)
    )
    impact = sum(1 for f in fast_results if f[0] > 0)
    fast, naive = statistics.median(fast_times), statistics.median(naive_times)
    print(f"    scenarios with lost sales: {impact}/{len(specs)}")
    print(f"    engine {fast:.3f} s, naive full programme {naive:.3f} s (medians of {repeats})")
    print(f"    objective values identical (1e-6 rel): {mismatches == 0} ({mismatches} differ)")
    print(f"    speed ratio: {naive / fast:.1f}x")


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def part_bc(sites: int, parts: int, tiers: int, products: int, dask: bool) -> None:
    start = time.perf_counter()
    chain = ford_like(sites=sites, parts=parts, tiers=tiers, products=products, seed=5)
    built = time.perf_counter() - start
    print(
        f"(b) network: {len(chain.site_ids)} sites, {len(chain.item_ids)} items, "
        f"{chain.n_nodes} nodes, {chain.n_links} links, {tiers} tiers (generated in {built:.1f} s)"
    )
    start = time.perf_counter()
    with local_executor(chain, workers=2) as pool:
        local = sweep(chain, "site", executor=pool)
    wall = time.perf_counter() - start
    own, child = _peak_mb()
    rows = local["rows"]
    no_impact = sum(1 for r in rows if r["lost_margin"] == 0)
    lps = sum(r.get("lp_solves", 0) for r in rows)
    print(f"    full TTS+TTR sweep of {len(rows)} sites on 2 worker processes: {wall:.1f} s")
    print(f"    sites with no profit impact: {no_impact / len(rows):.0%}; LP solves: {lps}")
    print(f"    peak memory: main process {own:.0f} MB, largest worker {child:.0f} MB")
    print(f"    top 5 by REI: {[(r['id'], round(r['rei'], 3)) for r in rows[:5]]}")
    if not dask:
        return
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = sweep(chain, "site", dask_client=client)
    wall = time.perf_counter() - start
    keys = ("id", "lost_margin", "lost_revenue", "tts_weeks", "rei")
    same = [tuple(r[k] for k in keys) for r in local["rows"]] == [
        tuple(r[k] for k in keys) for r in remote["rows"]
    ]
    print(
        f"(c) same sweep on a local Dask cluster (2 workers): {wall:.1f} s; identical results: {same}"
    )


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    part_a(repeats=1 if quick else 3)
    if quick:
        part_bc(sites=800, parts=8000, tiers=10, products=20, dask=True)
    else:
        part_bc(sites=4400, parts=55000, tiers=10, products=100, dask=True)


if __name__ == "__main__":
    main(sys.argv[1:])
