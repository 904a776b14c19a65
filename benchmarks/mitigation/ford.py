"""Mitigation benchmark (b): Monte Carlo on a Ford-scale network, process pool and Dask.

    python -m benchmarks.mitigation.ford [--years N] [--workers W] [--no-dask]
        [--sites 4400 --parts 55000 --tiers 10]

The network is the shared generator's (as ``benchmarks.stress_sweep``: seed 1). Every site with
a recovery time is a risk with the default site likelihood (docs/decisions/0100: a stop once in
fifty years, lognormal duration with the site's TTR as median and twice it as p90). Draws N
years, builds each drawn site's exact loss curve on W spawned worker processes (each holds the
chain and the risks from start-up, as sweeps do), and sums the years' losses. Then the same on
a local Dask cluster (``distributed.LocalCluster``, W workers, the chain scattered once) and
checks that every simulated year's loss is identical.

With about 88 site stops a year, overlapping stops are the rule: a year's stops mostly form one
joint event of dozens of sites, a different set each year, and a joint curve per set is out of
reach; the figures add stand-alone losses (``joint=False``, decision 0100) and say so.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from econsec.planning.curves import build_curves, local_pool
from econsec.planning.likelihood import sweep_risks
from econsec.planning.montecarlo import curve_loss, draw, simulate
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.synthetic import generate_network

MAX_WEEKS = 156.0


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sites", type=int, default=4400)
    ap.add_argument("--parts", type=int, default=55_000)
    ap.add_argument("--tiers", type=int, default=10)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    chain = compile_tables(
        generate_network(sites=args.sites, parts=args.parts, tiers=args.tiers, seed=1)
    )
    risks = sweep_risks(chain, {"by": "site"}, "benchmark")
    print(f"(b) network: {len(chain.site_ids)} sites, {len(chain.item_ids)} items, "
          f"{chain.n_nodes} nodes, {chain.n_links} links (built in "
          f"{time.perf_counter() - t0:.1f} s); {len(risks)} site risks, total frequency "
          f"{sum(r.frequency for r in risks):.1f}/year; {_load()}")  # fmt: skip
    c0, t0 = _cpu(), time.perf_counter()
    events = draw(risks, args.years, args.seed, MAX_WEEKS)
    keys = sorted({(int(i),) for i in np.unique(events.risk)})
    spans = events.horizons(joint=False)
    points = events.durations(joint=False)  # curves are refined only where they are read
    t_draw = time.perf_counter() - t0
    t1 = time.perf_counter()
    pool = local_pool(chain, risks, args.workers)
    try:
        curves = build_curves(chain, risks, keys, MAX_WEEKS, executor=pool, horizons=spans,
                              points=points)  # fmt: skip
    finally:
        pool.shutdown()
    t_curves = time.perf_counter() - t1
    t1 = time.perf_counter()
    dist = simulate(risks, events, curve_loss(curves), args.seed, joint=False)
    t_sim = time.perf_counter() - t1
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    solves = sum(c.solves for c in curves.values())
    nonzero = sum(1 for c in curves.values() if c.solves > 0)
    joint = sum(1 for m in events._members())
    s = dist.stats
    print(f"    {args.years:,} years: {events.risk.size:,} site stops in {dist.events:,} events "
          f"({joint:,} of them overlapping stops); draw {t_draw:.1f} s")  # fmt: skip
    print(f"    curves: {len(curves):,} sites drawn, {nonzero:,} needing an LP, {solves:,} LP "
          f"solves, {t_curves:.1f} s on {args.workers} workers (pool start included)")  # fmt: skip
    print(f"    interpolation {t_sim:.2f} s; total {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(goal ≤ 120 s on 2 workers); {_load()}")  # fmt: skip
    print(f"    EAL {s['eal']:,.0f}  VaR95 {s['var95']:,.0f}  CVaR95 {s['cvar95']:,.0f}  "
          f"VaR99 {s['var99']:,.0f}  CVaR99 {s['cvar99']:,.0f}  (stand-alone sum per overlap)")  # fmt: skip
    if args.no_dask:
        return
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        ready = time.perf_counter() - t0
        remote = build_curves(chain, risks, keys, MAX_WEEKS, dask_client=client, horizons=spans,
                              points=points)  # fmt: skip
    again = simulate(risks, draw(risks, args.years, args.seed, MAX_WEEKS), curve_loss(remote),
                     args.seed, joint=False)  # fmt: skip
    same = np.array_equal(again.annual, dist.annual) and np.array_equal(
        again.contribution, dist.contribution
    )
    print(f"    local Dask cluster ({args.workers} workers): {time.perf_counter() - t0:.1f} s "
          f"(cluster start {ready:.1f} s); every year's loss identical: {same}; "
          f"EAL {again.stats['eal']:,.0f}; {_load()}")  # fmt: skip


if __name__ == "__main__":
    main()
