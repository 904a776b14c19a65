"""Sampled events of the portfolio problem, and one event's loss by a direct engine run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

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
    return drawn_events(risks, years, seed, max_weeks)[0]


@dataclass(frozen=True)
class Years:
    """Which sampled events each simulated year holds: the annual loss is ``counts @ loss``.

    ``counts`` has one row per year with at least one event (the other years lose nothing) and
    one column per sample; ``n`` is the number of simulated years.
    """

    n: int
    counts: sp.csr_matrix

    def annual(self, sample_loss: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Loss of every simulated year (years without events included, as 0)."""
        out = np.zeros(self.n)
        out[: self.counts.shape[0]] = self.counts @ sample_loss
        return out


def drawn_events(
    risks: Sequence[Risk], years: int, seed: int, max_weeks: float
) -> tuple[list[Sample], Years]:
    """The samples of ``event_samples`` and the years they occur in (for a CVaR limit)."""
    ev = draw(risks, years, seed, max_weeks)
    if not ev.cluster.size:
        return [], Years(years, sp.csr_matrix((0, 0)))
    cuts = np.flatnonzero(np.diff(ev.cluster)) + 1
    starts = np.concatenate([[0], cuts])
    first = np.minimum.reduceat(ev.start, starts)
    last = np.maximum.reduceat(ev.start + ev.duration, starts)
    span = np.minimum(last - first, max_weeks)
    merged: dict[tuple[Key, float], float] = {}
    where: list[tuple[int, tuple[Key, float]]] = []
    for members, weeks in zip(np.split(np.arange(ev.cluster.size), cuts), span, strict=True):
        key = tuple(sorted({int(r) for r in ev.risk[members]}))
        merged[(key, float(weeks))] = merged.get((key, float(weeks)), 0.0) + 1.0 / years
        where.append((int(ev.year[members[0]]), (key, float(weeks))))
    order = sorted(merged)
    index = {k: i for i, k in enumerate(order)}
    held = sorted({y for y, _ in where})
    row = {y: i for i, y in enumerate(held)}
    counts = sp.csr_matrix(
        (
            np.ones(len(where)),
            ([row[y] for y, _ in where], [index[k] for _, k in where]),
        ),
        shape=(len(held), len(order)),
    )
    counts.sum_duplicates()
    samples = [Sample(k, w, merged[(k, w)]) for k, w in order]
    return samples, Years(years, counts)


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
