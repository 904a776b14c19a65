"""Charts drawn with ReportLab graphics: one drawing per chart, placed as vectors in the PDF and
written as SVG (``renderSVG``) for the HTML report, so both show the same picture.

Colours are the Okabe–Ito palette (Okabe & Ito, *Color Universal Design*, 2008), told apart by
readers with any common colour-vision deficiency; bars also differ in position and carry their
values as text, so nothing depends on colour alone.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from econsec.i18n import t
from econsec.reports.model import Chart

# Okabe–Ito.
BLACK = colors.HexColor("#000000")
ORANGE = colors.HexColor("#E69F00")
SKY_BLUE = colors.HexColor("#56B4E9")
BLUISH_GREEN = colors.HexColor("#009E73")
YELLOW = colors.HexColor("#F0E442")
BLUE = colors.HexColor("#0072B2")
VERMILLION = colors.HexColor("#D55E00")
REDDISH_PURPLE = colors.HexColor("#CC79A7")
GRID = colors.HexColor("#d5dbe3")
INK = colors.HexColor("#1f2a37")

TTS_COLOUR, TTR_COLOUR, UNLIMITED_COLOUR = BLUE, VERMILLION, SKY_BLUE
BAR_COLOUR = {"countries": BLUE, "maturity": BLUISH_GREEN}
FONT_SIZE = 7.5
TITLE_SIZE = 9.5


def _font() -> str:
    from econsec.reports.pdf import register_font

    return register_font()


def _width(text: str, size: float) -> float:
    """``text``'s width in points, each run measured in the font that will draw it."""
    from econsec.reports.pdf import runs

    return float(sum(stringWidth(part, face, size) for face, part in runs(text)))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` points."""
    if _width(text, size) <= width:
        return text
    while text and _width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


_CLOSING = "、。，．,.)）」』】〕〉》!！?？:：;；・ー"
"""Characters a line may not start with (Japanese line-breaking rules, kinsoku)."""
CAPTION_LINES = 4


def wrap(text: str, size: float, width: float, most: int = CAPTION_LINES) -> list[str]:
    """``text`` in lines of at most ``width`` points: broken at a space where the line has one
    in its second half, else between characters (Japanese has no spaces) but never before
    closing punctuation; at most ``most`` lines, the last cut with an ellipsis."""
    lines: list[str] = []
    rest = " ".join(text.split())
    while rest and len(lines) < most:
        if _width(rest, size) <= width:
            lines.append(rest)
            rest = ""
            break
        lo, hi = 1, len(rest)  # the longest prefix that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _width(rest[:mid], size) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        space = rest.rfind(" ", 0, cut + 1)
        if space > cut // 2:
            cut = space
        else:
            while cut > 1 and rest[cut] in _CLOSING:
                cut -= 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        lines[-1] = _fit(lines[-1] + " " + rest, _font(), size, width)
    return lines


def _text(drawing: Drawing, x: float, y: float, text: str, size: float = FONT_SIZE,
          anchor: str = "start", colour: Any = INK) -> None:  # fmt: skip
    """``text`` at ``(x, y)``, each run in a font that has its glyphs (the main Japanese font,
    else a fallback such as a Hangul one), so labels never depend on the main font alone."""
    from econsec.reports.pdf import runs

    parts = runs(text)
    widths = [stringWidth(part, face, size) for face, part in parts]
    total = sum(widths)
    at = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    for (face, part), w in zip(parts, widths, strict=True):
        drawing.add(String(at, y, part, fontName=face, fontSize=size, fillColor=colour))
        at += w


def _number(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:.1f}"


def draw(chart: Chart, lang: str, width: float) -> Drawing:
    """``chart`` in ``lang`` as a drawing ``width`` points wide (height follows the content)."""
    kinds = {"tts_ttr": _tts_ttr, "bar": _bars, "heatmap": _heatmap, "line": _lines,
             "svg": _svg_drawing}  # fmt: skip
    drawer = kinds.get(chart.kind)
    if drawer is None:
        return _placeholder(chart, lang, width)
    try:
        return drawer(chart, lang, width)
    except (KeyError, IndexError, TypeError, ValueError):
        # A contributed chart whose data does not have the documented shape: say what it
        # shows in words rather than fail the whole report.
        return _placeholder(chart, lang, width)


def nice_peak(value: float, ticks: int = 4) -> float:
    """The smallest round axis end at or above ``value`` whose quarter is round too."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    ends = (1, 1.2, 1.6, 2, 2.4, 3.2, 4, 6, 8, 10)
    return float(next(m * magnitude for m in ends if m * magnitude >= value * (1 - 1e-9)))


def _tick(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:g}"


def _frame(
    chart: Chart, lang: str, width: float, rows: int, row_h: float, legend: bool
) -> tuple[Drawing, float]:
    font = _font()
    top = TITLE_SIZE + 6 + (FONT_SIZE + 6 if legend else 0)
    height = top + rows * row_h + FONT_SIZE + 10
    drawing = Drawing(width, height)
    _text(drawing, 0, height - TITLE_SIZE, _fit(chart.title[lang], font, TITLE_SIZE, width),
          TITLE_SIZE)  # fmt: skip
    return drawing, height - top


def _axis(drawing: Drawing, x0: float, x1: float, y: float, peak: float, percent: bool,
          unit: str) -> None:  # fmt: skip
    ticks = 4
    for i in range(ticks + 1):
        x = x0 + (x1 - x0) * i / ticks
        drawing.add(Line(x, y, x, y + 3, strokeColor=INK, strokeWidth=0.4))
        _text(drawing, x, y - FONT_SIZE - 1, _tick(peak * i / ticks, percent), FONT_SIZE - 1,
              "middle")  # fmt: skip
    drawing.add(Line(x0, y, x1, y, strokeColor=INK, strokeWidth=0.4))
    if unit:
        # Right of the last tick's number, clear of the bars and their values.
        _text(drawing, x1 + _width(_tick(peak, percent), FONT_SIZE - 1) / 2 + 3,
              y - FONT_SIZE - 1, unit, FONT_SIZE - 1)  # fmt: skip


def _tts_ttr(chart: Chart, lang: str, width: float) -> Drawing:
    """Two bars per row: time to survive (blue; sky blue with ∞ when unlimited) above time to
    recover (vermillion). A row whose blue bar is shorter loses sales before it recovers."""
    font = _font()
    data = chart.data
    labels = [x[lang] for x in data["labels"]]
    tts: list[float | None] = list(data["tts"])
    ttr: list[float] = [float(x) for x in data["ttr"]]
    finite = [x for x in tts if x is not None] + ttr
    peak = nice_peak(max(finite, default=1.0) * 1.05)
    row_h = 19.0
    drawing, y = _frame(chart, lang, width, len(labels), row_h, legend=True)
    label_w = width * 0.36
    x0, x1 = label_w + 4, width - max(34.0, _width(data["unit"][lang], FONT_SIZE - 1) + 14)
    span = x1 - x0
    legend_y = y + 4
    for i, (text, colour) in enumerate(((t("reports.chart.tts", lang), TTS_COLOUR),
                                        (t("reports.chart.ttr", lang), TTR_COLOUR))):  # fmt: skip
        lx = x0 + i * span / 2
        drawing.add(Rect(lx, legend_y, 8, 6, fillColor=colour, strokeColor=None))
        _text(drawing, lx + 11, legend_y, text)
    for i, label in enumerate(labels):
        top = y - i * row_h
        _text(drawing, 0, top - 11, _fit(label, font, FONT_SIZE, label_w))
        survive = tts[i]
        unlimited = survive is None
        length = span if unlimited else span * min(float(survive or 0.0), peak) / peak
        drawing.add(Rect(x0, top - 8, max(length, 0.5), 7,
                         fillColor=UNLIMITED_COLOUR if unlimited else TTS_COLOUR,
                         strokeColor=None))  # fmt: skip
        _text(drawing, x0 + length + 2, top - 7, "∞" if unlimited else f"{survive:.1f}",
              FONT_SIZE - 1)  # fmt: skip
        drawing.add(Rect(x0, top - 16, max(span * ttr[i] / peak, 0.5), 7, fillColor=TTR_COLOUR,
                         strokeColor=None))  # fmt: skip
        _text(drawing, x0 + span * ttr[i] / peak + 2, top - 15, f"{ttr[i]:g}", FONT_SIZE - 1)
    _axis(drawing, x0, x1, y - len(labels) * row_h - 2, peak, False, data["unit"][lang])
    return drawing


def _bars(chart: Chart, lang: str, width: float) -> Drawing:
    font = _font()
    data = chart.data
    labels = [x[lang] for x in data["labels"]]
    values = [float(v) for v in data["values"]]
    percent = bool(data.get("percent"))
    peak = float(data.get("max") or nice_peak(max(values, default=0.0) * 1.05))
    row_h = 13.0
    drawing, y = _frame(chart, lang, width, len(labels), row_h, legend=False)
    label_w = width * 0.36
    x0, x1 = label_w + 4, width - max(34.0, _width(data["unit"][lang], FONT_SIZE - 1) + 14)
    span = x1 - x0
    colour = BAR_COLOUR.get(chart.id, BLUE)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = y - i * row_h
        length = span * min(value, peak) / peak if math.isfinite(value) else 0.0
        _text(drawing, 0, top - 9, _fit(label, font, FONT_SIZE, label_w))
        drawing.add(Rect(x0, top - 10, max(length, 0.5), 9, fillColor=colour, strokeColor=None))
        _text(drawing, x0 + length + 2, top - 8, _number(value, percent), FONT_SIZE - 1)
    _axis(drawing, x0, x1, y - len(labels) * row_h - 2, peak, percent, data["unit"][lang])
    return drawing


def _blend(low: Any, high: Any, f: float) -> Any:
    return colors.Color(*(a + (b - a) * f for a, b in zip(low.rgb(), high.rgb(), strict=True)))


def _heatmap(chart: Chart, lang: str, width: float) -> Drawing:
    """A grid of cells shaded by their value (white to vermillion), each with its number, so
    the count is read, not guessed from the shade."""
    font = _font()
    data = chart.data
    rows = [x[lang] for x in data["rows"]]
    cols = [x[lang] for x in data["cols"]]
    values = [[float(v) for v in row] for row in data["values"]]
    if not rows or not cols or any(len(r) != len(cols) for r in values) or len(values) != len(rows):
        raise ValueError("heatmap shape")
    label_w = min(width * 0.3, max(_width(r, FONT_SIZE) for r in rows) + 6)
    cell_w = (width - label_w) / len(cols)
    cell_h = min(22.0, cell_w * 0.6)
    drawing, y = _frame(chart, lang, width, len(rows), cell_h, legend=False)
    drawing.height += FONT_SIZE + 4
    drawing.translate(0, FONT_SIZE + 4)
    peak = max((v for r in values for v in r if math.isfinite(v)), default=0.0) or 1.0
    for i, (label, row) in enumerate(zip(rows, values, strict=True)):
        top = y - i * cell_h
        _text(drawing, 0, top - cell_h / 2 - 3, _fit(label, font, FONT_SIZE, label_w - 4))
        for j, value in enumerate(row):
            f = min(max(value / peak, 0.0), 1.0) if math.isfinite(value) else 0.0
            x = label_w + j * cell_w
            drawing.add(Rect(x, top - cell_h, cell_w, cell_h, fillColor=_blend(colors.white,
                             VERMILLION, f), strokeColor=colors.white, strokeWidth=1))  # fmt: skip
            _text(drawing, x + cell_w / 2, top - cell_h / 2 - 3, f"{value:g}", FONT_SIZE,
                  "middle", colors.white if f > 0.6 else INK)  # fmt: skip
    bottom = y - len(rows) * cell_h
    for j, label in enumerate(cols):
        _text(drawing, label_w + (j + 0.5) * cell_w, bottom - FONT_SIZE - 2,
              _fit(label, font, FONT_SIZE - 1, cell_w - 2), FONT_SIZE - 1, "middle")  # fmt: skip
    return drawing


def _as_numbers(xs: list[Any]) -> list[float] | None:
    try:
        out = [float(x) for x in xs]
    except (TypeError, ValueError):
        return None
    return out if all(math.isfinite(x) for x in out) else None


def _lines(chart: Chart, lang: str, width: float) -> Drawing:
    """Series as lines with their points marked, the last value printed at the end of each.
    Numeric x (a loss-exceedance curve, a frontier) is scaled; other x (dates) are evenly
    spaced in their order, first and last labelled."""
    font = _font()
    data = chart.data
    series = [s for s in data["series"] if len(s["y"]) == len(s["x"]) and s["y"]]
    if not series:
        raise ValueError("no series")
    palette = [BLUE, VERMILLION, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE]
    legend = len(series) > 1
    plot_h = 90.0
    y_label = data.get("y_label", {}).get(lang, "")
    # Rows above the plot: the legend (several series), then the y axis's label.
    drawing, y = _frame(chart, lang, width, 1, plot_h + (FONT_SIZE + 4 if y_label else 0),
                        legend=legend)  # fmt: skip
    drawing.height += FONT_SIZE + 4
    drawing.translate(0, FONT_SIZE + 4)
    label_y = y - FONT_SIZE
    if y_label:
        y -= FONT_SIZE + 4
    ys = [float(v) for s in series for v in s["y"] if v is not None and math.isfinite(float(v))]
    lo = min(0.0, min(ys, default=0.0))
    hi = nice_peak(max(ys, default=1.0)) if max(ys, default=0.0) > 0 else 1.0
    left = max(_width(_tick(hi, False), FONT_SIZE - 1), _width(_tick(lo, False), FONT_SIZE - 1)) + 6
    x0, x1 = left, width - 30
    y0, y1 = y - plot_h, y - 4
    numeric = [_as_numbers(list(s["x"])) for s in series]
    all_x = [v for xs in numeric if xs is not None for v in xs]
    scaled = all(xs is not None for xs in numeric) and len(set(all_x)) > 1
    xmin, xmax = (min(all_x), max(all_x)) if scaled else (0.0, 1.0)

    def px(k: int, n: int, xs: list[float] | None) -> float:
        if scaled and xs is not None:
            return x0 + (x1 - x0) * (xs[k] - xmin) / (xmax - xmin)
        return x0 + (x1 - x0) * (k / (n - 1) if n > 1 else 0.5)

    def py(v: float) -> float:
        return y0 + (y1 - y0) * (v - lo) / ((hi - lo) or 1.0)

    for i in range(5):
        v = lo + (hi - lo) * i / 4
        drawing.add(Line(x0, py(v), x1, py(v), strokeColor=GRID, strokeWidth=0.4))
        _text(drawing, x0 - 3, py(v) - 2.5, _tick(v, False), FONT_SIZE - 1, "end")
    if y_label:
        _text(drawing, 0, label_y, _fit(y_label, font, FONT_SIZE - 1, x1), FONT_SIZE - 1)
    for n, s in enumerate(series):
        colour = palette[n % len(palette)]
        xs = numeric[n]
        points = [(px(k, len(s["y"]), xs), py(float(v))) for k, v in enumerate(s["y"])
                  if v is not None and math.isfinite(float(v))]  # fmt: skip
        if len(points) > 1:
            drawing.add(PolyLine([c for p in points for c in p], strokeColor=colour,
                                 strokeWidth=1.4))  # fmt: skip
        for cx, cy in points:
            drawing.add(Circle(cx, cy, 1.8, fillColor=colour, strokeColor=None))
        if points:
            _text(drawing, points[-1][0] + 3, points[-1][1] - 2.5, f"{float(s['y'][-1]):g}",
                  FONT_SIZE - 1)  # fmt: skip
        if legend:
            lx = x0 + n * (x1 - x0) / len(series)
            ly = label_y + FONT_SIZE + 4 if y_label else y + 4
            drawing.add(Rect(lx, ly + 1, 8, 3, fillColor=colour, strokeColor=None))
            _text(drawing, lx + 11, ly, _fit(s["name"][lang], font, FONT_SIZE,
                  (x1 - x0) / len(series) - 14))  # fmt: skip
    drawing.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=0.4))
    first = series[0]["x"]
    if scaled:
        ends = [(x0, _tick(xmin, False)), (x1, _tick(xmax, False))]
    else:
        ends = (
            [(x0, str(first[0])), (x1, str(first[-1]))] if len(first) > 1 else [(x0, str(first[0]))]
        )
    for x, label in ends:
        _text(drawing, x, y0 - FONT_SIZE - 1, label, FONT_SIZE - 1,
              "start" if x == x0 else "end")  # fmt: skip
    x_label = data.get("x_label", {}).get(lang, "")
    if x_label:
        _text(drawing, (x0 + x1) / 2, y0 - FONT_SIZE - 1, x_label, FONT_SIZE - 1, "middle")
    return drawing


def _placeholder(chart: Chart, lang: str, width: float) -> Drawing:
    """A chart that cannot be drawn here: its title and its text alternative."""
    font = _font()
    drawing = Drawing(width, 40)
    _text(drawing, 0, 28, _fit(chart.title[lang], font, TITLE_SIZE, width), TITLE_SIZE)
    _text(drawing, 0, 10, _fit(chart.alt[lang], font, FONT_SIZE, width))
    return drawing


def _svg_drawing(chart: Chart, lang: str, width: float) -> Drawing:
    from econsec.reports.svgdraw import svg_to_drawing

    font = _font()
    picture = svg_to_drawing(str(chart.data["svg"]), width, font)
    lines = wrap(chart.alt[lang], FONT_SIZE, width)
    caption = len(lines) * (FONT_SIZE + 2) + 4
    drawing = Drawing(width, picture.height + TITLE_SIZE + 6 + caption)
    _text(drawing, 0, drawing.height - TITLE_SIZE, _fit(chart.title[lang], font, TITLE_SIZE,
          width), TITLE_SIZE)  # fmt: skip
    picture.translate(0, caption)
    drawing.add(picture)
    # The picture's own words are few (codes, figures): its text alternative is printed under
    # it, wrapped rather than cut (a Sankey's caption names its largest flows).
    for i, line in enumerate(lines):
        _text(drawing, 0, 2 + (len(lines) - 1 - i) * (FONT_SIZE + 2), line)
    return drawing


def svg(chart: Chart, lang: str, width: float = 520.0) -> str:
    """The chart as an SVG document; a contributed ``svg`` chart is passed through."""
    if chart.kind == "svg":
        return str(chart.data.get("svg", ""))
    text: str = renderSVG.drawToString(draw(chart, lang, width))
    # The drawing names the PDF's embedded fonts; a browser uses the reader's own fonts (and
    # falls back per glyph by itself).
    faces = rf"font-family:(?:{re.escape(_font())}|econsec-fallback-\d+)"
    return re.sub(faces, "font-family:sans-serif", text)


def svg_data_uri(chart: Chart, lang: str, width: float = 520.0) -> str:
    """The chart as a ``data:`` URI for an ``<img>``: a browser runs no script inside it."""
    encoded = base64.b64encode(svg(chart, lang, width).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def chart_rows(chart: Chart, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The chart's numbers as a table (the xlsx export and the HTML text alternative)."""
    data = chart.data
    labels = [x[lang] for x in data.get("labels", [])]
    if chart.kind == "tts_ttr":
        head = [t("reports.chart.label", lang), t("reports.chart.tts", lang),
                t("reports.chart.ttr", lang)]  # fmt: skip
        return head, [
            [lbl, s, r] for lbl, s, r in zip(labels, data["tts"], data["ttr"], strict=True)
        ]
    if chart.kind == "bar":
        head = [t("reports.chart.label", lang), data["unit"][lang]]
        return head, [[lbl, v] for lbl, v in zip(labels, data["values"], strict=True)]
    if chart.kind == "heatmap":
        head = [t("reports.chart.label", lang), *(c[lang] for c in data["cols"])]
        return head, [[r[lang], *vs] for r, vs in zip(data["rows"], data["values"], strict=True)]
    if chart.kind == "line":
        head = [t("reports.chart.label", lang), data.get("x_label", {}).get(lang, "x"),
                data.get("y_label", {}).get(lang, "y")]  # fmt: skip
        return head, [[s["name"][lang], x, y] for s in data["series"]
                      for x, y in zip(s["x"], s["y"], strict=True)]  # fmt: skip
    return [t("reports.chart.label", lang)], [[chart.alt[lang]]]
