"""Exposure analytics at scale.

1. A synthetic layered network of 1,000,000 nodes and ~5,000,000 edges (node inputs + supply
   links): every metric (sourcing and concentration, multi-tier exposure, single points of
   failure for every site, organisation and country, critical dependencies, scores), timed as
   the median of several runs, with the process's peak memory.
2. Single points of failure for every site on 20,000- and 100,000-node networks, by econsec and by a
   straightforward networkx implementation: both must agree exactly; prints the medians (runs
   interleaved) and the speed ratio of the medians, by wall clock and by process CPU time (the
   latter is steadier on a shared machine).

Usage: python -m benchmarks.exposure_scale [--nodes N (0: skip)] [--repeats R] [--small N,N ("": skip)]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import numpy as np

from benchmarks.exposure_scale.baseline import build_graph, stops_by_site
from econsec.exposure.analyse import analyse
from econsec.exposure.graph import analyse_structure
from econsec.exposure.spof import loss_table
from econsec.exposure.synthetic import synthetic_chain

T = TypeVar("T")


def _peak_gb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb * (1 if sys.platform != "darwin" else 1 / 1024) / 1e6


def scale(n_nodes: int, repeats: int) -> None:
    t0 = time.perf_counter()
    chain = synthetic_chain(n_nodes, seed=1)
    edges = chain.node_inputs.nnz + chain.n_links
    print(
        f"network: {chain.n_nodes:,} nodes, {chain.n_slots:,} slots, {chain.n_links:,} links, "
        f"{edges:,} edges (inputs + links), {len(chain.site_ids):,} sites, "
        f"{len(chain.org_ids):,} organisations, {np.unique(chain.demand_node).size:,} products "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )
    times, cpu = [], []
    for _ in range(repeats):
        report, wall, used = _timed(lambda: analyse(chain))
        times.append(wall)
        cpu.append(used)
    print(
        f"all metrics: median {statistics.median(times):.2f} s over {repeats} run(s) "
        f"(runs: {', '.join(f'{x:.2f}' for x in times)}), process CPU time median "
        f"{statistics.median(cpu):.2f} s; peak memory {_peak_gb():.2f} GB "
        f"(whole process, generator included)"
    )
    worst = report.losses["site"][0] if report.losses["site"] else None
    if worst:
        print(
            f"  worst single site: {worst.element_id} stops {len(worst.products)} products, "
            f"{worst.revenue_per_week:,.0f} {report.currency}/week"
        )


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def compare(n_nodes: int, repeats: int) -> None:
    chain = synthetic_chain(n_nodes, seed=2)
    g = build_graph(chain, analyse_structure(chain))
    runs: dict[str, list[float]] = {k: [] for k in ("wall", "cpu", "build", "nx", "nx_cpu")}
    for _ in range(repeats):
        # Interleaved, so both see the same load on a shared machine. A fresh structure every
        # run: levels and processing order are part of the work.
        structure, wall, cpu = _timed(lambda: analyse_structure(chain))
        table, wall2, cpu2 = _timed(partial(loss_table, chain, structure, "site"))
        runs["wall"].append(wall + wall2)
        runs["cpu"].append(cpu + cpu2)
        runs["build"].append(cpu)
        theirs, wall, cpu = _timed(lambda: stops_by_site(chain, g))
        runs["nx"].append(wall)
        runs["nx_cpu"].append(cpu)
    med = {k: statistics.median(v) for k, v in runs.items()}
    ours, nx_time, ours_c, nx_c = med["wall"], med["nx"], med["cpu"], med["nx_cpu"]
    # The structure (patterns, levels) is to econsec what the graph build is to networkx; it is
    # counted above and shown separately here.
    build_c = med["build"]
    stops = table.stops
    mismatches = 0
    for site in range(len(chain.site_ids)):
        mine = frozenset(
            table.product_nodes[stops.indices[stops.indptr[site] : stops.indptr[site + 1]]].tolist()
        )
        mismatches += mine != theirs[site]
    affected = sum(1 for v in theirs.values() if v)
    print(
        f"single points of failure, {chain.n_nodes:,} nodes / {len(chain.site_ids):,} sites "
        f"({affected:,} sites stop at least one product), medians of {repeats}: econsec "
        f"{ours * 1e3:.1f} ms (levels included), networkx {nx_time * 1e3:.0f} ms (graph build "
        f"excluded) -> {nx_time / ours:.1f}x wall-clock; CPU time {ours_c * 1e3:.1f} ms vs "
        f"{nx_c * 1e3:.0f} ms -> {nx_c / ours_c:.1f}x (of which structure {build_c * 1e3:.1f} ms; "
        f"without it {nx_c / max(ours_c - build_c, 1e-9):.1f}x); "
        f"results {'identical' if mismatches == 0 else f'DIFFER at {mismatches} sites'}"
    )
    if mismatches:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--small", default="20000,100000", help="comma-separated sizes")
    args = parser.parse_args()
    for size in filter(None, str(args.small).split(",")):
        compare(int(size), args.repeats)
    if args.nodes:
        scale(args.nodes, args.repeats)


if __name__ == "__main__":
    main()
