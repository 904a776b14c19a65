"""Score trends across campaigns: pure functions over scorecards (no Django).

Campaigns are comparable only on the same framework (the same items), so a trend is built per
framework; the caller picks which campaigns (e.g. one scope) go in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from econsec.guideline.scoring import GroupScore, Scorecard

METRICS = ("maturity", "implementation", "coverage")


@dataclass(frozen=True)
class TrendPoint:
    """One campaign on the time axis."""

    campaign_id: int
    label: str
    date: dt.date
    card: Scorecard


@dataclass(frozen=True)
class Series:
    """One line: ``group_id`` is "overall" or an area id; values follow the points' order."""

    group_id: str
    values: tuple[float | None, ...]


def metric_value(score: GroupScore, metric: str) -> float | None:
    """A group's figure for ``metric``: maturity 0-4, implementation 0-1 or coverage 0-1."""
    if metric == "maturity":
        return score.maturity
    if metric == "implementation":
        return score.implementation
    if metric == "coverage":
        return score.coverage
    raise ValueError(f"unknown metric {metric!r} (use one of {', '.join(METRICS)})")


def trend_series(
    points: Sequence[TrendPoint], area_ids: Sequence[str], metric: str = "maturity"
) -> tuple[list[TrendPoint], list[Series]]:
    """Points ordered by date (then campaign id) and one series for overall plus each area."""
    ordered = sorted(points, key=lambda p: (p.date, p.campaign_id))
    series = [Series("overall", tuple(metric_value(p.card.overall, metric) for p in ordered))]
    for area_id in area_ids:
        series.append(
            Series(area_id, tuple(metric_value(p.card.areas[area_id], metric) for p in ordered))
        )
    return ordered, series
