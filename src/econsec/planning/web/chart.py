"""Line charts as server-drawn SVG (the pages' way under the strict CSP: no script at all).

``line_chart`` places each series' points in a plot box and returns the geometry the template
draws: paths, dots with their values as tooltips, and rounded axis ticks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

# Okabe–Ito, as the report's charts
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 86, 620, 16, 250


def _nice(top: float) -> float:
    if top <= 0 or not math.isfinite(top):
        return 1.0
    power = 10.0 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            return float(step * power)
    return 10.0 * power


def short(value: float) -> str:
    """1.2e9 → "1.2B", 350000 → "350k": axis labels stay short in both languages."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    *,
    x_format: str = "money",
    y_format: str = "money",
    steps: bool = False,
) -> dict[str, Any] | None:
    points = [p for _name, pts in series for p in pts]
    if not points:
        return None
    x_top = _nice(max(x for x, _y in points))
    y_top = _nice(max(y for _x, y in points))

    def px(x: float) -> float:
        return round(LEFT + (RIGHT - LEFT) * x / x_top, 1)

    def py(y: float) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * y / y_top, 1)

    def label(value: float, kind: str) -> str:
        return f"{value * 100:.3g}%" if kind == "share" else short(value)

    lines = []
    for i, (name, pts) in enumerate(series):
        if not pts:
            continue
        ordered = sorted(pts)
        path = f"M{px(ordered[0][0])},{py(ordered[0][1])}"
        for (_x0, y0), (x1, y1) in itertools.pairwise(ordered):
            if steps:
                path += f" H{px(x1)} V{py(y1)}" if y1 != y0 else f" H{px(x1)}"
            else:
                path += f" L{px(x1)},{py(y1)}"
        dots = [(px(x), py(y), f"{label(x, x_format)} → {label(y, y_format)}")
                for x, y in ordered[:: max(1, len(ordered) // 40)]]  # fmt: skip
        lines.append({"name": name, "path": path, "colour": COLOURS[i % len(COLOURS)],
                      "dots": dots})  # fmt: skip
    ticks = [i / 4 for i in range(5)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": RIGHT, "top": TOP,
        "bottom": BOTTOM, "lines": lines,
        "x_ticks": [(px(f * x_top), label(f * x_top, x_format)) for f in ticks],
        "y_ticks": [(py(f * y_top), label(f * y_top, y_format)) for f in ticks],
    }  # fmt: skip


def exceedance_chart(
    before: Sequence[Sequence[float]], after: Sequence[Sequence[float]] | None,
    names: tuple[str, str],
) -> dict[str, Any] | None:  # fmt: skip
    """Loss (x) against the probability that a year loses more (y), before and after."""
    series = [(names[0], [(float(x), float(p)) for x, p in before])]
    if after is not None:
        series.append((names[1], [(float(x), float(p)) for x, p in after]))
    return line_chart(series, y_format="share", steps=True)


def frontier_chart(points: Sequence[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """Budget (x) against the residual expected annual loss (y) of the best portfolio."""
    return line_chart([(name, [(float(p["budget"]), float(p["eal_after"])) for p in points])])
