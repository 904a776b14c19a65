"""Trend series ordering and chart geometry, checked by hand."""

from __future__ import annotations

import datetime as dt

from econsec.guideline.scoring import GroupScore, Scorecard
from econsec.guideline.trend import TrendPoint, trend_series
from econsec.guideline.web.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart


def _card(maturity: float | None) -> Scorecard:
    group = GroupScore("overall", 1, 0, None, maturity, 2, 1)
    return Scorecard("f", {}, {"A": group}, {}, group)


def test_points_are_ordered_by_date_then_id() -> None:
    points = [
        TrendPoint(3, "c", dt.date(2027, 1, 1), _card(3.0)),
        TrendPoint(1, "a", dt.date(2026, 1, 1), _card(1.0)),
        TrendPoint(2, "b", dt.date(2026, 1, 1), _card(None)),
    ]
    ordered, series = trend_series(points, ["A"], "maturity")
    assert [p.campaign_id for p in ordered] == [1, 2, 3]
    assert series[0].values == (1.0, None, 3.0)
    _, coverage = trend_series(points, [], "coverage")
    assert coverage[0].values == (0.5, 0.5, 0.5)


def test_line_geometry_and_gaps() -> None:
    chart = line_chart(3, [("overall", [0.0, None, 4.0])], y_max=4.0, y_step=1.0)
    line = chart.lines[0]
    # x spans the plot from LEFT to WIDTH - RIGHT; y=0 sits on the bottom, y=4 on the top.
    assert (line.dots[0].x, line.dots[0].y) == (LEFT, HEIGHT - BOTTOM)
    assert (line.dots[1].x, line.dots[1].y) == (WIDTH - RIGHT, TOP)
    # the missing middle value breaks the line: two moves, no line segment
    assert line.path.count("M") == 2 and "L" not in line.path
    assert [t.value for t in chart.y_ticks] == [0, 1, 2, 3, 4]
    single = line_chart(1, [("x", [2.0])], 4.0, 1.0)
    assert single.lines[0].dots[0].x == LEFT + (WIDTH - LEFT - RIGHT) / 2
