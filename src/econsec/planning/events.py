"""Sampled events of the portfolio problem, and one event's loss by a direct engine run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from econsec.planning.curves import Key, disruption_of
from econsec.planning.likelihood import Risk
from econsec.planning.measures import Applied
from econsec.planning.montecarlo import draw
from econsec.stress.engine import Engine


@dataclass(frozen=True)
class Sample:
    """One sampled event: the risks occurring together, for how long, and its weight per year."""

    key: Key
    weeks: float
    weight: float


def event_samples(risks: Sequence[Risk], years: int, seed: int, max_weeks: float) -> list[Sample]:
    """The events of ``years`` simulated years (Monte Carlo draw), equal ones merged."""
    ev = draw(risks, years, seed, max_weeks)
    if not ev.cluster.size:
        return []
    cuts = np.flatnonzero(np.diff(ev.cluster)) + 1
    starts = np.concatenate([[0], cuts])
    first = np.minimum.reduceat(ev.start, starts)
    last = np.maximum.reduceat(ev.start + ev.duration, starts)
    span = np.minimum(last - first, max_weeks)
    merged: dict[tuple[Key, float], float] = {}
    for members, weeks in zip(np.split(np.arange(ev.cluster.size), cuts), span, strict=True):
        key = tuple(sorted({int(r) for r in ev.risk[members]}))
        merged[(key, float(weeks))] = merged.get((key, float(weeks)), 0.0) + 1.0 / years
    return [Sample(k, w, weight) for (k, w), weight in sorted(merged.items())]


def recovery_factor(applied: Applied, risks: Sequence[Risk], sample: Sample) -> float:
    """A faster recovery shortens a lone site outage of its site (as the investment case does)."""
    if len(sample.key) != 1 or not applied.ttr_factor:
        return 1.0
    risk = risks[sample.key[0]]
    if risk.kind != "site":
        return 1.0
    factors = [applied.ttr_factor[s] for s in risk.sites if s in applied.ttr_factor]
    return min(factors) if factors else 1.0


def event_loss(engine: Engine, applied: Applied, risks: Sequence[Risk], sample: Sample) -> float:
    """Lost margin of one event on a chain with measures applied: one direct TTR solve."""
    weeks = sample.weeks * recovery_factor(applied, risks, sample)
    if weeks <= 0:
        return 0.0
    dis = disruption_of(engine.chain, risks, sample.key)
    out = engine.run(dis, weeks, per_product=False, explain=False)
    return out.excess_lost_margin
