"""Bar and line charts for any capability's pages, drawn with the vendored ECharts under the
strict Content-Security-Policy (no inline script or style).

A view builds a :class:`ChartContext` with :func:`bar`, :func:`line` or :func:`from_report`
(a board-report ``Chart`` of kind ``bar`` or ``line``) and its template includes
``visuals/_chart.html`` with it. The chart's numbers travel as JSON in a ``data-econsec-chart``
attribute (autoescaped text, never executed); ``visuals/charts.js``, an ES module from the
static files, draws every such element. The same numbers are rendered as a table beneath the
chart, its text alternative. No Django here: any capability's web code may import this.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from econsec.reports.model import Chart

MAX_POINTS = 5000
Number = float | int | None


@dataclass(frozen=True)
class ChartContext:
    """What ``visuals/_chart.html`` needs: the spec as JSON and its table alternative."""

    id: str
    kind: str
    title: str
    alt: str
    json: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{where}: {value!r} is not a finite number")
    return number


def _shown(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


def _context(spec: dict[str, Any], chart_id: str, title: str, alt: str, headers: list[str],
             rows: list[list[str]]) -> ChartContext:  # fmt: skip
    spec = {"kind": spec["kind"], "title": title, **spec}
    return ChartContext(
        id=chart_id,
        kind=spec["kind"],
        title=title,
        alt=alt,
        json=json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
        headers=headers,
        rows=rows,
    )


def bar(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    unit: str,
    alt: str,
    label_header: str = "",
) -> ChartContext:
    """One bar per label (None draws no bar and shows "—" in the table)."""
    if len(labels) != len(values):
        raise ValueError(f"{chart_id}: {len(labels)} labels but {len(values)} values")
    if len(values) > MAX_POINTS:
        raise ValueError(f"{chart_id}: {len(values)} bars (at most {MAX_POINTS})")
    numbers = [_number(v, f"{chart_id}[{i}]") for i, v in enumerate(values)]
    spec = {"kind": "bar", "labels": [str(x) for x in labels], "values": numbers, "unit": unit}
    rows = [[str(x), _shown(v)] for x, v in zip(labels, numbers, strict=True)]
    return _context(spec, chart_id, title, alt, [label_header, unit], rows)


def line(
    chart_id: str,
    title: str,
    series: Sequence[Mapping[str, Any]],
    x_label: str,
    y_label: str,
    alt: str,
) -> ChartContext:
    """Lines of ``{"name", "x", "y"}``. Numeric x (weeks, probabilities) is drawn to scale;
    any other x (dates, periods) as categories, each series aligned on the union of them."""
    xs = [list(s["x"]) for s in series]
    ys = [
        [_number(v, f"{chart_id}.{s['name']}[{i}]") for i, v in enumerate(s["y"])] for s in series
    ]
    for s, x, y in zip(series, xs, ys, strict=True):
        if len(x) != len(y):
            raise ValueError(f"{chart_id}.{s['name']}: {len(x)} x but {len(y)} y")
    if sum(len(x) for x in xs) > MAX_POINTS:
        raise ValueError(f"{chart_id}: more than {MAX_POINTS} points")
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for x in xs for v in x)
    names = [str(s["name"]) for s in series]
    data: list[list[Any]]
    keys: list[Any]
    if numeric:
        categories = None
        data = [
            [[float(a), b] for a, b in zip(x, y, strict=True)] for x, y in zip(xs, ys, strict=True)
        ]
        keys = sorted({float(v) for x in xs for v in x})
    else:
        categories = list(dict.fromkeys(str(v) for x in xs for v in x))
        lookup = [
            dict(zip((str(v) for v in x), y, strict=True)) for x, y in zip(xs, ys, strict=True)
        ]
        data = [[found.get(c) for c in categories] for found in lookup]
        keys = categories
    by_x: list[dict[Any, float | None]] = [
        {float(a) if numeric else str(a): b for a, b in zip(x, y, strict=True)}
        for x, y in zip(xs, ys, strict=True)
    ]
    rows = [
        [_shown(float(k)) if numeric else str(k), *(_shown(found.get(k)) for found in by_x)]
        for k in keys
    ]
    spec = {
        "kind": "line",
        "x_type": "value" if numeric else "category",
        "categories": categories,
        "series": [{"name": n, "data": d} for n, d in zip(names, data, strict=True)],
        "x_label": x_label,
        "y_label": y_label,
    }
    return _context(spec, chart_id, title, alt, [x_label, *names], rows)


def from_report(chart: Chart, lang: str) -> ChartContext:
    """A board-report chart (kind ``bar`` or ``line``) for a page, in ``lang``."""
    data, title, alt = chart.data, chart.title[lang], chart.alt[lang]
    if chart.kind == "bar":
        unit = data.get("unit") or {}
        labels = [x[lang] if isinstance(x, Mapping) else str(x) for x in data["labels"]]
        return bar(chart.id, title, labels, data["values"], unit.get(lang, ""), alt)
    if chart.kind == "line":
        series = [
            {**s, "name": s["name"][lang] if isinstance(s["name"], Mapping) else s["name"]}
            for s in data["series"]
        ]
        return line(chart.id, title, series, data["x_label"][lang], data["y_label"][lang], alt)
    raise ValueError(f"{chart.id}: kind {chart.kind!r} is not a bar or line chart")
