"""Building loss curves for many risks, here or on a process pool / Dask (as stress sweeps do).

A task names its disruptions compactly (a risk index, or a tuple of them for risks that overlap
in a simulated year and are solved jointly); the worker resolves them on its own chain, so only
indices travel. Each worker builds its engine once per data version.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec.planning.likelihood import Risk
from econsec.planning.losscurve import LossCurve, loss_curve
from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.valuechain.compiled import CompiledChain

Key = tuple[int, ...]  # indices into the risk list: one risk, or several occurring together
_WORKER: dict[str, Any] = {}


def combine(disruptions: Sequence[Disruption]) -> Disruption:
    """Several disruptions at once: the least capacity left, every closure."""
    first = disruptions[0]
    factor = first.node_factor.copy()
    links = first.link_closed.copy()
    alts = first.alt_closed.copy()
    for d in disruptions[1:]:
        np.minimum(factor, d.node_factor, out=factor)
        links |= d.link_closed
        alts |= d.alt_closed
    return Disruption(factor, links, alts)


def disruption_of(chain: CompiledChain, risks: Sequence[Risk], key: Key) -> Disruption:
    return combine([risks[i].disruption(chain) for i in key])


def _init(chain: CompiledChain, risks: list[Risk]) -> None:
    _WORKER.clear()
    _WORKER.update(engine=Engine(chain), risks=risks)


Task = tuple[Key, float, "npt.NDArray[np.float64] | None"]


def _task(shared: tuple[CompiledChain, list[Risk]] | None, keys: list[Task]) -> list[LossCurve]:
    if shared is not None and _WORKER.get("version") != shared[0].version:
        _init(*shared)
        _WORKER["version"] = shared[0].version
    engine: Engine = _WORKER["engine"]
    risks: list[Risk] = _WORKER["risks"]
    return [loss_curve(engine, disruption_of(engine.chain, risks, k), w, p) for k, w, p in keys]


def local_pool(chain: CompiledChain, risks: list[Risk], workers: int | None = None) -> Executor:
    """A spawn-based process pool whose workers hold the chain and the risks from the start."""
    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init,
        initargs=(chain, risks),
    )


def build_curves(
    chain: CompiledChain,
    risks: list[Risk],
    keys: Sequence[Key],
    max_weeks: float,
    *,
    engine: Engine | None = None,
    executor: Executor | None = None,
    dask_client: Any = None,
    chunk: int = 8,
    horizons: dict[Key, float] | None = None,
    points: dict[Key, npt.NDArray[np.float64]] | None = None,
) -> dict[Key, LossCurve]:
    """The loss curve of each key; the same curves whichever executor computes them.

    ``horizons``: per key, the longest duration the curve will be read at (a curve covers
    [0, min(horizon, max_weeks)] and refuses to be read beyond): a Monte Carlo run knows the
    durations it drew, and each qualification week beyond them would cost a piece.
    ``points``: per key, the durations the curve will be read at; it is refined only where
    they fall (and refuses to be read elsewhere). Keys without an entry are refined fully.
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    spans = horizons or {}
    at = points or {}
    tasks: list[Task] = [
        (k, min(max_weeks, max(1.0, spans.get(k, max_weeks))), at.get(k)) for k in keys
    ]
    if executor is None and dask_client is None:
        eng = engine or Engine(chain)
        return {k: loss_curve(eng, disruption_of(chain, risks, k), w, p) for k, w, p in tasks}
    chunks = [tasks[i : i + chunk] for i in range(0, len(tasks), chunk)]
    if dask_client is not None:
        shared: Any = dask_client.scatter((chain, risks), broadcast=True)
        executor = dask_client.get_executor(pure=False)
    else:
        shared = None
    assert executor is not None
    futures = [executor.submit(_task, shared, c) for c in chunks]
    out: dict[Key, LossCurve] = {}
    for c, fut in zip(chunks, futures, strict=True):
        out.update(zip((k for k, _, _ in c), fut.result(), strict=True))
    return out
