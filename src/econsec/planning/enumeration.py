"""Brute-force enumeration of every subset of candidates: the check the optimiser must pass.

Each subset is applied to the chain (a new data version) and every sampled event re-solved by
the stress engine on it: no MILP, no cut, no reuse of loss curves. With ``workers`` the subsets
are split among spawned processes, each holding the chain, risks and samples once.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from econsec.planning.cvar import check as check_cvar
from econsec.planning.cvar import sample_cvar
from econsec.planning.events import Sample, Years, event_loss
from econsec.planning.likelihood import Risk
from econsec.planning.measures import CostParameters, Measure, apply_measures, resolve_costs
from econsec.stress.engine import Engine
from econsec.valuechain.compiled import CompiledChain

_WORKER: dict[str, Any] = {}


def _init(
    chain: CompiledChain,
    risks: list[Risk],
    measures: list[Measure],
    samples: list[Sample],
    params: CostParameters,
    years: Years | None = None,
    level: float = 0.95,
) -> None:
    _WORKER.update(
        chain=chain, risks=risks, measures=measures, samples=samples, params=params, years=years,
        level=level,
    )  # fmt: skip


def subset_losses(
    chain: CompiledChain,
    risks: Sequence[Risk],
    subset: Sequence[Measure],
    samples: Sequence[Sample],
    params: CostParameters,
) -> tuple[float, list[float]]:
    """Annualised cost of the subset and each sample's loss with it, by engine re-runs."""
    applied = apply_measures(chain, list(subset), params)
    engine = Engine(applied.chain)
    losses = [event_loss(engine, applied, risks, s) for s in samples]
    return sum(m.annualised(params) for m in applied.measures), losses


def subset_value(
    chain: CompiledChain,
    risks: Sequence[Risk],
    subset: Sequence[Measure],
    samples: Sequence[Sample],
    params: CostParameters,
) -> float:
    """Annualised cost of the subset + expected annual loss with it, by engine re-runs."""
    cost, losses = subset_losses(chain, risks, subset, samples, params)
    return sum(s.weight * v for s, v in zip(samples, losses, strict=True)) + cost


def _values(masks: list[int]) -> list[tuple[float, float]]:
    """(annualised cost + expected loss, CVaR of the annual loss or 0 without years)."""
    w = _WORKER
    ms: list[Measure] = w["measures"]
    samples: list[Sample] = w["samples"]
    out = []
    for mask in masks:
        subset = [m for j, m in enumerate(ms) if mask >> j & 1]
        cost, losses = subset_losses(w["chain"], w["risks"], subset, samples, w["params"])
        value = sum(s.weight * v for s, v in zip(samples, losses, strict=True)) + cost
        years: Years | None = w["years"]
        tail = 0.0 if years is None else sample_cvar(years, np.array(losses), w["level"])
        out.append((value, tail))
    return out


def brute_force(
    chain: CompiledChain,
    risks: Sequence[Risk],
    measures: Sequence[Measure],
    samples: Sequence[Sample],
    params: CostParameters | None = None,
    *,
    one_off_budget: float | None = None,
    annual_budget: float | None = None,
    workers: int = 0,
    years: Years | None = None,
    cvar_limit: float | None = None,
    cvar_level: float | None = None,
) -> tuple[list[str], float]:
    """The best subset within the budgets and its value (annualised cost + expected loss).

    With ``cvar_limit`` (and the samples' ``years``) only subsets whose CVaR of the annual loss
    keeps the limit count; when none does, the answer is ([], inf).
    """
    params = params or CostParameters()
    limit = check_cvar(cvar_limit, cvar_level)
    if limit is not None and years is None:
        raise ValueError("a CVaR limit needs the samples' years")
    level = 0.95 if limit is None else limit.level
    # Costs resolved once (stock units from the baseline), as applying each subset would.
    resolved = [resolve_costs(chain, m, params) for m in measures]
    n = len(resolved)
    masks = []
    for mask in range(1 << n):
        chosen = [m for j, m in enumerate(resolved) if mask >> j & 1]
        if one_off_budget is not None and (
            sum(m.one_off_cost for m in chosen) > one_off_budget * (1 + 1e-12)
        ):
            continue
        if annual_budget is not None and (
            sum(m.annual_cost for m in chosen) > annual_budget * (1 + 1e-12)
        ):
            continue
        masks.append(mask)
    args = (chain, list(risks), resolved, list(samples), params, years, level)
    if workers > 1 and len(masks) > 1:
        size = max(1, math.ceil(len(masks) / (8 * workers)))
        chunks = [masks[i : i + size] for i in range(0, len(masks), size)]
        with ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init,
            initargs=args,
        ) as pool:  # fmt: skip
            values = [v for part in pool.map(_values, chunks) for v in part]
    else:
        _init(*args)
        values = _values(masks)
    best, best_mask = math.inf, 0
    for mask, (value, tail) in zip(masks, values, strict=True):
        if limit is not None and not limit.holds(tail):
            continue
        if value < best:
            best, best_mask = value, mask
    return sorted(m.id for j, m in enumerate(resolved) if best_mask >> j & 1), best
