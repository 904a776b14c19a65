"""Whole-network sweeps: every site (organisation, country) disrupted alone for its recovery time,
ranked by the Risk Exposure Index (disruption cost ÷ the worst one).

Scenarios run in chunks through any ``concurrent.futures.Executor``. The chain travels to each
worker once (a process-pool initializer, or a Dask scatter), never per task; each worker builds its
programme once and keeps it. Every chunk is solved the same way whatever runs it, so results do not
depend on the executor.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from econsec.stress.engine import Engine
from econsec.stress.errors import StressError
from econsec.stress.results import provenance, weeks
from econsec.stress.scenario import Disruption, scenario_hash
from econsec.valuechain.compiled import CompiledChain

BY = ("site", "org", "country")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SweepSpec:
    kind: str  # site | org | country
    id: str
    sites: tuple[int, ...]
    ttr_weeks: float


def check_default_ttr(weeks: float | None) -> None:
    """A default recovery time must be a number of weeks above 0 (not NaN, not infinite)."""
    if weeks is not None and not (math.isfinite(weeks) and weeks > 0):
        raise StressError("stress.sweep.bad_default_ttr", value=weeks)


def sweep_specs(
    chain: CompiledChain, by: str = "site", default_ttr_weeks: float | None = None
) -> tuple[list[SweepSpec], list[str]]:
    """One spec per entity; entities with no recovery time (and no default) are skipped."""
    if by not in BY:
        raise StressError("stress.cli.bad_by", value=by)
    check_default_ttr(default_ttr_weeks)
    ttr = chain.site_ttr_weeks
    if default_ttr_weeks is not None:
        ttr = np.where(np.isnan(ttr), default_ttr_weeks, ttr)
    groups: dict[str, list[int]] = {}
    if by == "site":
        groups = {sid: [i] for i, sid in enumerate(chain.site_ids)}
    elif by == "org":
        for s, o in enumerate(chain.site_org.tolist()):
            groups.setdefault(chain.org_ids[o], []).append(s)
    else:
        for s, c in enumerate(chain.site_country.tolist()):
            groups.setdefault(chain.countries[c], []).append(s)
    specs, skipped = [], []
    for key in sorted(groups):
        sites = groups[key]
        values = ttr[sites]
        values = values[~np.isnan(values)]
        if values.size == 0:
            skipped.append(key)
            continue
        # A group is down until its slowest site is back.
        specs.append(SweepSpec(by, key, tuple(sites), float(values.max())))
    return specs, skipped


def spec_document(chain: CompiledChain, spec: SweepSpec) -> dict[str, Any]:
    """The scenario a sweep entry stands for (so its hash matches a hand-written one)."""
    field = {"site": "sites", "org": "orgs", "country": "countries"}[spec.kind]
    return {
        "name": f"{spec.kind} {spec.id} down",
        "duration_weeks": spec.ttr_weeks,
        "events": [{"kind": "disruption", field: [spec.id]}],
    }


# ---- workers ---------------------------------------------------------------------------
_ENGINES: dict[str, Engine] = {}
_DEFAULT: list[str] = []


def _init_worker(chain: CompiledChain) -> None:
    _ENGINES[chain.version] = Engine(chain)
    _DEFAULT[:] = [chain.version]


def _engine(chain: CompiledChain | None) -> Engine:
    if chain is None:
        return _ENGINES[_DEFAULT[0]]
    engine = _ENGINES.get(chain.version)
    if engine is None:
        engine = _ENGINES[chain.version] = Engine(chain)
    return engine


def run_specs(chain: CompiledChain | None, specs: Sequence[SweepSpec]) -> list[dict[str, Any]]:
    """Solve a chunk of sweep entries (runs in a worker)."""
    engine = _engine(chain)
    c = engine.chain
    node_ix = _nodes_by_site(engine)
    applies = bool(engine.prog.served.any())  # some demand is met in normal times
    rows = []
    for spec in specs:
        factor = np.ones(c.n_nodes)
        for s in spec.sites:
            factor[node_ix[s]] = 0.0
        dis = Disruption(
            factor, np.zeros(c.n_links, dtype=bool), np.zeros(c.alt_src.shape[0], dtype=bool)
        )
        row: dict[str, Any] = {"kind": spec.kind, "id": spec.id, "ttr_weeks": spec.ttr_weeks}
        try:
            out = engine.run(dis, spec.ttr_weeks, per_product=False, explain=False)
        except StressError as exc:
            row.update(status="error", error={"key": exc.key, "params": exc.params})
            row.update(tts_weeks=None, lost_margin=math.nan, lost_revenue=math.nan)
            row.update(normal_lost_margin=math.nan, excess_lost_margin=math.nan)
        else:
            row.update(
                status="ok",
                tts_weeks=weeks(out.tts_weeks),
                tts_applies=applies,
                lost_margin=out.lost_margin,
                normal_lost_margin=out.normal_lost_margin,
                excess_lost_margin=out.excess_lost_margin,
                lost_revenue=out.lost_revenue,
                lost_units=float(out.lost_units.sum()),
                material=out.material,
                shortcut=out.shortcut,
                lp_solves=out.lp_solves,
                rounds=out.rounds,
                free_columns=out.free_columns,
                fell_back=out.fell_back,
            )
        rows.append(row)
    return rows


def _nodes_by_site(engine: Engine) -> list[np.ndarray]:
    cached = getattr(engine, "_nodes_by_site", None)
    if cached is None:
        c = engine.chain
        order = np.argsort(c.node_site, kind="stable")
        bounds = np.searchsorted(c.node_site[order], np.arange(len(c.site_ids) + 1))
        cached = [order[bounds[i] : bounds[i + 1]] for i in range(len(c.site_ids))]
        engine._nodes_by_site = cached  # type: ignore[attr-defined]
    result: list[np.ndarray] = cached
    return result


def local_executor(chain: CompiledChain, workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers receive the chain once, at start-up."""
    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(chain,),
    )


def sweep(
    chain: CompiledChain,
    by: str = "site",
    *,
    executor: Executor | None = None,
    dask_client: Any = None,
    default_ttr_weeks: float | None = None,
    chunk_size: int = 16,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the sweep and return its JSON payload, rows ranked by Risk Exposure Index.

    ``executor``: a process pool from :func:`local_executor` (its workers already hold the
    chain), or None to run here. ``dask_client``: a ``distributed.Client``; the chain is scattered
    to every worker once and tasks go through ``client.get_executor()``.
    """
    specs, skipped = sweep_specs(chain, by, default_ttr_weeks)
    chunks = [specs[i : i + chunk_size] for i in range(0, len(specs), chunk_size)]
    results: list[list[dict[str, Any]] | None] = [None] * len(chunks)
    done = 0
    if progress:
        progress(0, len(specs))
    if dask_client is not None:
        shared = dask_client.scatter(chain, broadcast=True)
        executor = dask_client.get_executor(pure=False)
        chain_arg: Any = shared
    else:
        chain_arg = None if executor is not None else chain
    if executor is None:
        for i, chunk in enumerate(chunks):
            results[i] = run_specs(chain_arg, chunk)
            done += len(chunk)
            if progress:
                progress(done, len(specs))
    else:
        futures: dict[Future[list[dict[str, Any]]], int] = {
            executor.submit(run_specs, chain_arg, chunk): i for i, chunk in enumerate(chunks)
        }
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            done += len(chunks[i])
            if progress:
                progress(done, len(specs))
    rows = [row for chunk in results if chunk for row in chunk]
    # The index ranks what each disruption adds to the normal-time shortfall (0071).
    worst = max((r["excess_lost_margin"] for r in rows if r["status"] == "ok"), default=0.0)
    for row, spec in zip(rows, specs, strict=True):
        ok = row["status"] == "ok"
        row["rei"] = (row["excess_lost_margin"] / worst) if ok and worst > 0 else 0.0
        row["scenario_hash"] = scenario_hash(spec_document(chain, spec))
    rows.sort(key=lambda r: (-r["rei"], -r["lost_revenue"] if r["status"] == "ok" else 0, r["id"]))
    impact = sum(1 for r in rows if r["status"] == "ok" and r["excess_lost_margin"] > 0)
    return {
        **provenance(chain.version),
        "by": by,
        "entities": len(specs),
        "with_impact": impact,
        "worst_lost_margin": worst,
        "currency": chain.currency,
        "skipped": skipped,
        "rows": rows,
    }
