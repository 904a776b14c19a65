"""Stress-sweep benchmark.

    python -m benchmarks.stress_sweep [--quick] [--sample N] [--only-a | --skip-a] [--site ID]

Networks come from the shared generator (econsec.valuechain.generators.synthetic).

(a) ~1,700-node network: the engine (restricted programmes with an optimality certificate,
    shortcuts, model reuse) against a naive baseline that assembles the whole programme from the
    chain and solves all of it for every scenario; both run as a sweep does (no per-product TTS,
    no binding-part explanations); checks equal objective values, prints the speed ratio
    (medians of repeated runs). ``--only-a`` stops after (a), ``--skip-a`` starts at (b).
(b) Ford-scale network (4,400 sites, 55,000 parts, 10 tiers) on a 2-worker local process pool:
    every site with ``--sample 0``, else a deterministic sample of N sites whose figures are
    extrapolated; prints wall time, peak memory, how many sites needed an LP and the LP time
    distribution.
(c) The same entries through a local Dask cluster (2 workers); checks identical results.

``--site ID`` solves one site alone and prints its rounds, sub-problem size and whether it fell
back to the whole programme; with ECONSEC_STRESS_SITE_LOG=file every worker logs each site.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import sys
import time
from concurrent.futures import Executor, as_completed
from typing import Any

import numpy as np

from benchmarks.stress_sweep.work import timed_specs
from econsec.stress.engine import Engine
from econsec.stress.programme import baseline_rates
from econsec.stress.scenario import Disruption
from econsec.stress.sweep import SweepSpec, local_executor, sweep_specs
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.generators.synthetic import generate_network


def shared_network(sites: int, parts: int, tiers: int, seed: int) -> CompiledChain:
    return compile_tables(generate_network(sites=sites, parts=parts, tiers=tiers, seed=seed))


def describe(chain: CompiledChain) -> None:
    """How tight the network is: capacity over steady-state volume, stock cover, shortfall."""
    prog = Engine(chain).prog
    (u, _y), _ok = baseline_rates(chain)  # volumes that follow the sourcing shares
    used = u > 0
    head = chain.node_capacity[used] / u[used]
    head = head[np.isfinite(head)]
    need = chain.node_inputs.T @ u
    cover = chain.slot_inventory[need > 0] / need[need > 0]
    print(
        f"    capacity / share-following volume: median {np.median(head):.2f}, "
        f"p10 {np.percentile(head, 10):.2f}, p90 {np.percentile(head, 90):.2f}; "
        f"slots with stock: {np.mean(cover > 0):.0%}, cover median "
        f"{np.median(cover[cover > 0]):.1f} weeks"
    )
    short = ~prog.served
    lost = prog.rates[prog.l0 :] @ prog.margin
    print(
        f"    normal-time shortfall: {int(short.sum())}/{short.size} demand rows short, "
        f"{lost / (chain.demand_per_week @ prog.margin):.1%} of weekly margin"
    )


def _disruption(engine: Engine, sites: tuple[int, ...]) -> Disruption:
    c = engine.chain
    factor = np.ones(c.n_nodes)
    for site in sites:
        factor[c.node_site == site] = 0.0
    return Disruption(factor, np.zeros(c.n_links, bool), np.zeros(c.alt_src.size, bool))


def _same(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def part_a(repeats: int) -> None:
    chain = shared_network(sites=150, parts=1200, tiers=6, seed=3)
    specs, _ = sweep_specs(chain, "site")
    print(f"(a) network: {chain.n_nodes} nodes, {chain.n_links} links, {len(specs)} site scenarios")
    fast_times, naive_times = [], []
    fast_results: list[tuple[float, float, float]] = []
    naive_results: list[tuple[float, float, float]] = []
    for _ in range(repeats):
        start = time.perf_counter()
        engine = Engine(chain)
        fast_results = []
        for spec in specs:
            # As a sweep runs them: no per-product TTS, no binding-part explanations.
            out = engine.run(
                _disruption(engine, spec.sites), spec.ttr_weeks, per_product=False, explain=False
            )
            fast_results.append((out.lost_margin, out.tts_weeks, out.excess_lost_margin))
        fast_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        naive_results = []
        for spec in specs:
            fresh = Engine(chain)  # assemble the whole programme for this scenario
            out = fresh.run(
                _disruption(fresh, spec.sites), spec.ttr_weeks,
                per_product=False, explain=False, full=True, fresh_models=True,
            )  # fmt: skip
            naive_results.append((out.lost_margin, out.tts_weeks, 0.0))
        naive_times.append(time.perf_counter() - start)
    mismatches = sum(
        not (_same(f[0], n[0]) and _same(f[1], n[1]))
        for f, n in zip(fast_results, naive_results, strict=True)
    )
    impact = sum(1 for f in fast_results if f[2] > 0)
    fast, naive = statistics.median(fast_times), statistics.median(naive_times)
    describe(chain)
    print(f"    scenarios with lost sales beyond normal times: {impact}/{len(specs)}")
    print(f"    engine {fast:.3f} s, naive full programme {naive:.3f} s (medians of {repeats})")
    print(f"    objective values identical (1e-6 rel): {mismatches == 0} ({mismatches} differ)")
    print(f"    speed ratio: {naive / fast:.1f}x")


def _run(executor: Executor, chain: Any, specs: list[SweepSpec]) -> list[dict[str, Any]]:
    # 16 sites per task, handed to whichever worker is free: per-task overhead stays small
    # (~280 tasks at Ford scale) and one slow site cannot hold a long chunk behind it.
    chunks = [specs[i : i + 16] for i in range(0, len(specs), 16)]
    futures = {executor.submit(timed_specs, chain, c): i for i, c in enumerate(chunks)}
    out: list[list[dict[str, Any]]] = [[] for _ in chunks]
    for fut in as_completed(futures):
        out[futures[fut]] = fut.result()
    return [r for chunk in out for r in chunk]


def part_bc(sample: int, sites: int, parts: int, tiers: int, dask: bool) -> None:
    start = time.perf_counter()
    chain = shared_network(sites=sites, parts=parts, tiers=tiers, seed=1)
    built = time.perf_counter() - start
    print(
        f"(b) network: {len(chain.site_ids)} sites, {len(chain.item_ids)} items, "
        f"{chain.n_nodes} nodes, {chain.n_links} links, {tiers} tiers (generated in {built:.1f} s)"
    )
    describe(chain)
    specs, _ = sweep_specs(chain, "site")
    every = len(specs)
    if sample:
        pick = np.random.default_rng(0).choice(every, size=min(sample, every), replace=False)
        specs = [specs[i] for i in sorted(pick)]
    horizons = len({s.ttr_weeks for s in specs})
    start = time.perf_counter()
    with local_executor(chain, workers=2) as pool:
        ready = time.perf_counter() - start
        rows = _run(pool, None, specs)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = max(r["peak_mb"] for r in rows)
    lp = [r for r in rows if r.get("lp_solves", 0) > 0]
    secs = np.array([r["seconds"] for r in lp]) if lp else np.zeros(1)
    impact = sum(1 for r in rows if r.get("excess_lost_margin", 0) > 0)
    print(f"    sweep of {len(rows)} of {every} sites ({horizons} distinct TTRs) on 2 workers: "
          f"{wall:.1f} s (pool start {ready:.1f} s)")  # fmt: skip
    if sample:
        total = sum(r["seconds"] for r in rows)
        print(f"    worker seconds {total:.1f}; all {every} sites would take about "
              f"{total / len(rows) * every / 2:.0f} s on 2 workers (linear extrapolation)")  # fmt: skip
    print(f"    sites needing an LP: {len(lp)}/{len(rows)}; with loss beyond normal times: "
          f"{impact}/{len(rows)}; LP solves per LP site: median "
          f"{statistics.median([r['lp_solves'] for r in lp]) if lp else 0}")  # fmt: skip
    print(f"    seconds per LP site (first solve of a TTR includes its normal-time programme): "
          f"median {np.median(secs):.2f}, p90 {np.percentile(secs, 90):.2f}, "
          f"max {secs.max():.2f}")  # fmt: skip
    print(f"    peak memory: main process {own:.0f} MB, largest worker {worker:.0f} MB")
    print(f"    load average (1, 5, 15 min): {os.getloadavg()}")
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
        shared = client.scatter(chain, broadcast=True)
        remote = _run(client.get_executor(pure=False), shared, specs)
    wall = time.perf_counter() - start
    keys = ("id", "lost_margin", "normal_lost_margin", "lost_revenue", "tts_weeks")
    same = [tuple(r.get(k) for k in keys) for r in rows] == [
        tuple(r.get(k) for k in keys) for r in remote
    ]
    print(f"(c) same entries on a local Dask cluster (2 workers): {wall:.1f} s; "
          f"identical results: {same}")  # fmt: skip
    if not same:
        differ, worst = [], 0.0
        for a, b in zip(rows, remote, strict=True):
            for k in keys[1:]:
                x, y = a.get(k), b.get(k)
                if x != y:
                    differ.append((a["id"], k, x, y))
                    if isinstance(x, float) and isinstance(y, float):
                        worst = max(worst, abs(x - y) / max(1.0, abs(x), abs(y)))
        print(f"    {len({d[0] for d in differ})} entries differ; largest relative difference "
              f"{worst:.2e}; first: {differ[:3]}")  # fmt: skip


def one_site(site_id: str, sites: int, parts: int, tiers: int) -> None:
    """Solve one site's sweep entry alone, in-process, and print its figures."""
    chain = shared_network(sites=sites, parts=parts, tiers=tiers, seed=1)
    specs, _ = sweep_specs(chain, "site")
    spec = next((s for s in specs if s.id == site_id), None)
    if spec is None:
        print(f"site {site_id} has no sweep entry (unknown, or no recovery time)")
        return
    engine = Engine(chain)
    start = time.perf_counter()
    engine.normal_lost_margin(spec.ttr_weeks)
    normal = time.perf_counter() - start
    start = time.perf_counter()
    out = engine.run(_disruption(engine, spec.sites), spec.ttr_weeks, per_product=False)
    took = time.perf_counter() - start
    print(f"site {site_id}: TTR {spec.ttr_weeks} weeks; normal-time programme {normal:.2f} s")
    print(
        f"    {took:.3f} s, {out.lp_solves} LP solves, {out.rounds} widening rounds, "
        f"{out.free_columns} free columns of {engine.prog.n_cols}, fell back: {out.fell_back}"
    )
    print(f"    lost margin {out.lost_margin:.6g}, excess {out.excess_lost_margin:.6g}, "
          f"TTS {out.tts_weeks}")  # fmt: skip


def main(argv: list[str]) -> None:
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return
    quick = "--quick" in argv
    size = (800, 8000, 10) if quick else (4400, 55000, 10)
    if "--site" in argv:
        one_site(argv[argv.index("--site") + 1], *size)
        return
    sample = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 0
    if "--skip-a" not in argv:
        part_a(repeats=1 if quick else 3)
    if "--only-a" in argv:
        return
    if quick:
        part_bc(sample or 40, sites=800, parts=8000, tiers=10, dask=True)
    else:
        part_bc(sample, sites=4400, parts=55000, tiers=10, dask=True)


if __name__ == "__main__":
    main(sys.argv[1:])
