"""Loss distributions by Monte Carlo over simulated years (docs/decisions/0100).

A simulated year draws, for every risk, how many times it happens (Poisson with its annual
frequency), when (a start week, uniform over the year) and for how long (its duration
distribution, capped at ``max_weeks``). Occurrences whose windows overlap, of the same risk or
not, are one joint event: their disruptions combined, lasting from the first start to the last
end (capped at ``max_weeks`` like any duration), solved as one TTR programme (its own loss curve). An event's loss counts in the year it
starts. Each event's loss is shared among its risks in proportion to what each would have cost
alone, so the risks' contributions add up to the expected annual loss.

Sampling happens here, from one seed, in a fixed order and in fixed blocks of years, so the
result does not depend on where the loss curves were computed. Losses come from the loss curves
(interpolation, exact) or, for the speed comparison, from a direct TTR solve per event.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec.planning.curves import Key, build_curves, disruption_of
from econsec.planning.likelihood import Risk
from econsec.planning.losscurve import LossCurve
from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
WEEKS_PER_YEAR = 52.0
BLOCK = 10_000  # years drawn per block, each from its own child seed
LEVELS = (0.95, 0.99)


@dataclass
class Events:
    """Every occurrence drawn, grouped into joint events (clusters)."""

    years: int
    year: IntArray  # per occurrence
    risk: IntArray
    start: FloatArray
    duration: FloatArray
    cluster: IntArray  # per occurrence, its joint event (occurrences sorted by year, start)
    capped: int  # durations cut at max_weeks
    max_weeks: float

    def joint_keys(self) -> list[Key]:
        """Risk sets of joint events with more than one risk (each needs its own curve)."""
        keys = set()
        for members in self._members():
            if members.size > 1:
                key = tuple(sorted({int(r) for r in self.risk[members]}))
                if len(key) > 1:
                    keys.add(key)
        return sorted(keys)

    def horizons(self, joint: bool = True) -> dict[Key, float]:
        """The longest duration drawn per risk (and span per joint risk set): how far each
        loss curve is read."""
        out: dict[Key, float] = {}
        if self.risk.size:
            longest = np.zeros(int(self.risk.max()) + 1)
            np.maximum.at(longest, self.risk, self.duration)
            out = {(int(i),): float(longest[i]) for i in np.unique(self.risk)}
        for members in self._members() if joint else []:
            key = tuple(sorted({int(r) for r in self.risk[members]}))
            span = float((self.start[members] + self.duration[members]).max())
            span = min(span - float(self.start[members].min()), self.max_weeks)
            out[key] = max(out.get(key, 0.0), span)
        return out

    def durations(self, joint: bool = True) -> dict[Key, FloatArray]:
        """Every duration each loss curve is read at: per risk its occurrences' durations, per
        joint risk set its events' spans. Curves refined only there (``build_curves(...,
        points=)``) give the same years as full ones."""
        out: dict[Key, FloatArray] = {}
        if self.risk.size:
            order = np.argsort(self.risk, kind="stable")
            rk, du = self.risk[order], self.duration[order]
            cuts = np.flatnonzero(np.diff(rk)) + 1
            for r, d in zip(rk[np.concatenate([[0], cuts])], np.split(du, cuts), strict=True):
                out[(int(r),)] = np.unique(d)
        spans: dict[Key, list[float]] = {}
        for members in self._members() if joint else []:
            key = tuple(sorted({int(r) for r in self.risk[members]}))
            span = float((self.start[members] + self.duration[members]).max())
            span = min(span - float(self.start[members].min()), self.max_weeks)
            spans.setdefault(key, []).append(span)
        for key, values in spans.items():
            extra = np.array(values)
            out[key] = np.unique(np.concatenate([out[key], extra]) if key in out else extra)
        return out

    def _members(self) -> list[IntArray]:
        if not self.cluster.size:
            return []
        cuts = np.flatnonzero(np.diff(self.cluster)) + 1
        return [m for m in np.split(np.arange(self.cluster.size), cuts) if m.size > 1]


def draw(risks: Sequence[Risk], years: int, seed: int, max_weeks: float) -> Events:
    """The occurrences of ``years`` simulated years (deterministic in ``seed``)."""
    lam = np.array([r.frequency for r in risks], dtype=np.float64)
    parts: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    blocks = math.ceil(years / BLOCK)
    children = np.random.SeedSequence(seed).spawn(blocks)
    for b in range(blocks):
        rng = np.random.default_rng(children[b])
        n = min(BLOCK, years - b * BLOCK)
        counts = rng.poisson(lam, size=(n, lam.size))
        yr, rk = np.nonzero(counts)
        reps = counts[yr, rk]
        yr = np.repeat(yr, reps).astype(np.int64) + b * BLOCK
        rk = np.repeat(rk, reps).astype(np.int64)
        order = np.argsort(rk, kind="stable")
        yr, rk = yr[order], rk[order]
        start = rng.uniform(0.0, WEEKS_PER_YEAR, rk.size)
        duration = np.empty(rk.size)
        bounds = np.searchsorted(rk, np.arange(lam.size + 1))
        for i in range(lam.size):
            lo, hi = bounds[i], bounds[i + 1]
            if hi > lo:
                duration[lo:hi] = risks[i].duration.sample(rng, int(hi - lo))
        parts.append((yr, rk, start, duration))
    year = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    risk = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    start = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    duration = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0)
    capped = int((duration > max_weeks).sum())
    duration = np.clip(duration, 0.0, max_weeks)
    order = np.lexsort((risk, start, year))
    year, risk, start, duration = year[order], risk[order], start[order], duration[order]
    # Overlapping windows join: a new event starts where a start lies beyond every earlier end
    # of the same year. Years are kept apart by an offset longer than any window.
    offset = year.astype(np.float64) * 4.0 * (WEEKS_PER_YEAR + max_weeks + 1.0)
    ends = np.maximum.accumulate(offset + start + duration)
    new = np.ones(year.size, dtype=bool)
    new[1:] = (offset[1:] + start[1:] > ends[:-1]) | (year[1:] != year[:-1])
    cluster = np.cumsum(new) - 1
    return Events(years, year, risk, start, duration, cluster.astype(np.int64), capped, max_weeks)


LossOf = Callable[[Key, FloatArray], FloatArray]
"""Loss of a risk set at durations (vectorised)."""


def curve_loss(curves: dict[Key, LossCurve]) -> LossOf:
    def loss(key: Key, durations: FloatArray) -> FloatArray:
        return curves[key](durations)

    return loss


@dataclass
class Distribution:
    """The simulated annual loss and what it is made of."""

    years: int
    seed: int
    annual: FloatArray  # loss per simulated year
    contribution: FloatArray  # per risk: its share of the expected annual loss
    events: int
    joint_events: int
    capped: int
    stats: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stats = loss_statistics(self.annual)

    def exceedance(self, points: int = 200) -> list[tuple[float, float]]:
        """(loss, probability a year loses more) at evenly spread ranks, largest loss last."""
        return exceedance(self.annual, points)


def loss_statistics(annual: FloatArray) -> dict[str, float]:
    """EAL, and VaR / CVaR at 95 % and 99 %.

    VaR is the α-quantile (the smallest loss at least α of the years stay within); CVaR the mean
    of the worst ⌈(1 − α)·n⌉ years.
    """
    n = annual.size
    ordered = np.sort(annual)
    out = {"eal": float(annual.mean()) if n else 0.0}
    for level in LEVELS:
        tail = max(1, math.ceil((1.0 - level) * n - 1e-9))
        pct = round(level * 100)
        out[f"var{pct}"] = float(ordered[max(0, math.ceil(level * n - 1e-9) - 1)]) if n else 0.0
        out[f"cvar{pct}"] = float(ordered[n - tail :].mean()) if n else 0.0
    return out


def exceedance(annual: FloatArray, points: int = 200) -> list[tuple[float, float]]:
    n = annual.size
    if not n:
        return []
    ordered = np.sort(annual)
    ranks = np.unique(np.linspace(0, n - 1, min(points, n)).astype(np.int64))
    losses = ordered[ranks]
    more = n - np.searchsorted(ordered, losses, side="right")
    return [(float(x), float(m) / n) for x, m in zip(losses, more, strict=True)]


def simulate(
    risks: Sequence[Risk], events: Events, loss_of: LossOf, seed: int, *, joint: bool = True
) -> Distribution:
    """Annual losses of the drawn events, and each risk's contribution.

    ``joint=False`` adds overlapping occurrences' stand-alone losses instead of solving them
    together: an approximation (it misses, e.g., two redundant suppliers down at once), only
    for risk sets whose overlaps are too many to solve (the report says which was used).
    """
    n_risks = len(risks)
    alone = np.zeros(events.risk.size)
    # Each risk's occurrences, found by one sort (a mask per risk costs risks × occurrences:
    # 4,450 × 889,710 comparisons on the Ford-scale benchmark).
    order = np.argsort(events.risk, kind="stable")
    bounds = np.searchsorted(events.risk[order], np.arange(n_risks + 1))
    for i in range(n_risks):
        at = order[bounds[i] : bounds[i + 1]]
        if at.size:
            alone[at] = loss_of((i,), events.duration[at])
    loss = alone.copy()  # an occurrence alone costs its own curve's value
    clusters = events._members() if joint else []
    n_joint = len(clusters)
    for members in clusters:
        key = tuple(sorted({int(r) for r in events.risk[members]}))
        first = float(events.start[members].min())
        span = float((events.start[members] + events.duration[members]).max()) - first
        span = min(span, events.max_weeks)  # a joint event is capped like a single one
        total = float(loss_of(key, np.array([span]))[0])
        weights = alone[members]
        share = weights / weights.sum() if weights.sum() > 0 else np.full(members.size, 1.0)
        if weights.sum() <= 0:
            share /= members.size
        loss[members] = total * share
    annual = np.bincount(events.year, weights=loss, minlength=events.years).astype(np.float64)
    contribution = np.bincount(events.risk, weights=loss, minlength=n_risks) / max(events.years, 1)
    n_events = int(events.cluster.max()) + 1 if events.cluster.size else 0
    return Distribution(events.years, seed, annual, contribution, n_events, n_joint, events.capped)


def summary(dist: Distribution, risks: Sequence[Risk], top: int = 20) -> dict[str, Any]:
    """The figures a report shows, each risk with its source and which figures are defaults."""
    order = np.argsort(-dist.contribution, kind="stable")
    rows = []
    for i in order[:top]:
        r = risks[int(i)]
        rows.append(
            {
                "key": r.key,
                "label": r.label,
                "frequency_per_year": r.frequency,
                "duration": r.duration.describe(),
                "eal_contribution": float(dist.contribution[i]),
                "defaults": list(r.defaults),
                "provenance": r.provenance,
                "source": r.source,
            }
        )
    return {
        "years": dist.years,
        "seed": dist.seed,
        **dist.stats,
        "events": dist.events,
        "joint_events": dist.joint_events,
        "capped_durations": dist.capped,
        "risks": rows,
        "exceedance": dist.exceedance(),
    }


def direct_loss(engine: Engine, risks: Sequence[Risk]) -> LossOf:
    """Losses by one TTR solve per event (``Engine.run``): the reference the curves must match."""
    cache: dict[Key, Disruption] = {}

    def loss(key: Key, durations: FloatArray) -> FloatArray:
        dis = cache.get(key)
        if dis is None:
            dis = cache[key] = disruption_of(engine.chain, risks, key)
        return np.array(
            [
                engine.run(dis, float(d), per_product=False, explain=False).excess_lost_margin
                if d > 0
                else 0.0
                for d in durations
            ]
        )

    return loss


def loss_distribution(
    chain: CompiledChain,
    risks: Sequence[Risk],
    *,
    years: int,
    seed: int,
    max_weeks: float,
    engine: Engine | None = None,
    executor: Executor | None = None,
    dask_client: Any = None,
    joint: bool = True,
) -> tuple[Distribution, dict[Key, LossCurve]]:
    """Draw, build the loss curves it needs (one per risk, one per joint set), simulate."""
    events = draw(risks, years, seed, max_weeks)
    used = sorted({(int(i),) for i in np.unique(events.risk)})
    keys = [*used, *(events.joint_keys() if joint else [])]
    curves = build_curves(
        chain, list(risks), keys, max_weeks, engine=engine, executor=executor,
        dask_client=dask_client, horizons=events.horizons(joint), points=events.durations(joint),
    )  # fmt: skip
    return simulate(risks, events, curve_loss(curves), seed, joint=joint), curves
