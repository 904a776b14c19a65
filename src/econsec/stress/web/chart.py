"""Geometry of the stress-test charts, drawn as inline SVG by the templates (no script, no CDN).

Pure functions: numbers in, coordinates out. Labels stay plain strings; the template engine
escapes them when it writes the SVG.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LABEL_WIDTH = 300
LABEL_UNITS = 44  # half-width characters that fit in LABEL_WIDTH at the chart's font size
PLOT_WIDTH = 480
VALUE_WIDTH = 90
ROW_HEIGHT = 24
TOP = 22
BOTTOM = 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: unlimited (drawn to the end of the axis)
    text: str  # the value as shown next to the bar
    css: str = ""  # class of the bar (e.g. "material", "ok")


def fit_label(text: str, units: int = LABEL_UNITS) -> str:
    """``text`` cut to ``units`` half-width cells (a CJK character takes two), with "…"."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used > units - 1 and i < len(text) - 1:
            return text[:i] + "…"
    return text


def nice_step(span: float, ticks: int = 5) -> float:
    """A 1-2-5 step that cuts ``span`` into about ``ticks`` parts."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def axis_max_for_tts(tts: Sequence[float | None], ttr: float) -> float:
    """Enough room to compare every product with TTR, without one huge TTS flattening the rest.

    The axis runs to at least 1.5 × TTR and to the longest finite TTS, but not beyond 3 × TTR:
    longer bars are clipped (their exact value is printed beside them).
    """
    finite = [v for v in tts if v is not None and math.isfinite(v)]
    longest = max(finite, default=0.0)
    target = max(ttr * 1.5, min(longest, ttr * 3.0), 1.0)
    step = nice_step(target)
    return math.ceil(target / step) * step


def hbar_chart(
    bars: Sequence[Bar], axis_max: float, marker: float | None = None, marker_label: str = ""
) -> dict[str, Any]:
    """Coordinates for a horizontal bar chart with an optional vertical marker (e.g. TTR)."""
    axis_max = axis_max if axis_max > 0 else 1.0
    scale = PLOT_WIDTH / axis_max
    rows = []
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_HEIGHT
        clipped = bar.value is None or bar.value > axis_max
        length = PLOT_WIDTH if clipped else max(0.0, (bar.value or 0.0) * scale)
        rows.append(
            {
                "label": fit_label(bar.label),
                "full_label": bar.label,
                "text": bar.text,
                "css": bar.css,
                "y": y,
                "bar_y": y + 4,
                "text_y": y + ROW_HEIGHT / 2 + 4,
                "width": round(length, 2),
                "clipped": clipped,
                "end_x": round(LABEL_WIDTH + length, 2),
                "value_x": round(LABEL_WIDTH + length + 6, 2),
            }
        )
    height = TOP + len(bars) * ROW_HEIGHT + BOTTOM
    step = nice_step(axis_max)
    ticks = []
    value = 0.0
    while value <= axis_max + 1e-9:
        ticks.append({"x": round(LABEL_WIDTH + value * scale, 2), "label": f"{value:g}"})
        value += step
    chart: dict[str, Any] = {
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        "height": height,
        "plot_x": LABEL_WIDTH,
        "plot_end": LABEL_WIDTH + PLOT_WIDTH,
        "plot_bottom": height - BOTTOM,
        "tick_label_y": height - BOTTOM + 16,
        "bar_height": ROW_HEIGHT - 8,
        "rows": rows,
        "ticks": ticks,
        "marker": None,
    }
    if marker is not None and 0 <= marker <= axis_max:
        chart["marker"] = {"x": round(LABEL_WIDTH + marker * scale, 2), "label": marker_label}
    return chart
