"""Geometry of the trend chart: plain numbers in, SVG coordinates out (no Django, no JS).

The template draws the SVG from these numbers, so the chart needs no script and no external
library, and the same figures are listed in a table beside it for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 16, 48  # room for a date label at either end
# Colour-blind-safe palette (Okabe-Ito); the first colour is the overall line.
PALETTE = ("#0f2747", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#0072b2")


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Line:
    key: str
    colour: str
    path: str  # SVG path data; a gap (None value) starts a new segment
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Tick:
    position: float
    value: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    x_ticks: tuple[Tick, ...]  # position = x; value = index of the point
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def _y(value: float, y_max: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    clipped = min(max(value, 0.0), y_max)
    return TOP + span * (1 - clipped / y_max)


def line_chart(
    count: int, series: Sequence[tuple[str, Sequence[float | None]]], y_max: float, y_step: float
) -> Chart:
    """Coordinates for ``series`` (key, values per point) over ``count`` points on 0..y_max."""
    if y_max <= 0 or y_step <= 0:
        raise ValueError("y_max and y_step must be positive")
    lines = []
    for n, (key, values) in enumerate(series):
        parts: list[str] = []
        dots: list[Dot] = []
        pen_down = False
        for i, value in enumerate(values):
            if value is None:
                pen_down = False
                continue
            x, y = _x(i, count), _y(value, y_max)
            parts.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            dots.append(Dot(round(x, 1), round(y, 1), value))
            pen_down = True
        lines.append(Line(key, PALETTE[n % len(PALETTE)], " ".join(parts), tuple(dots)))
    steps = round(y_max / y_step)
    y_ticks = tuple(
        Tick(round(_y(k * y_step, y_max), 1), round(k * y_step, 6)) for k in range(steps + 1)
    )
    x_ticks = tuple(Tick(round(_x(i, count), 1), i) for i in range(count))
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, x_ticks, y_ticks, tuple(lines)
    )
