"""Charts drawn with ReportLab graphics: one drawing per chart, placed as vectors in the PDF and
written as SVG (``renderSVG``) for the HTML report, so both show the same picture.

Colours are the Okabe–Ito palette (Okabe & Ito, *Color Universal Design*, 2008), told apart by
readers with any common colour-vision deficiency; bars also differ in position and carry their
values as text, so nothing depends on colour alone.
"""

from __future__ import annotations

import base64
import math
from typing import Any

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, Rect, String
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


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _number(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:.1f}"


def draw(chart: Chart, lang: str, width: float) -> Drawing:
    """``chart`` in ``lang`` as a drawing ``width`` points wide (height follows the rows)."""
    if chart.kind == "tts_ttr":
        return _tts_ttr(chart, lang, width)
    if chart.kind == "bar":
        return _bars(chart, lang, width)
    return _placeholder(chart, lang, width)


def _frame(
    chart: Chart, lang: str, width: float, rows: int, row_h: float, legend: bool
) -> tuple[Drawing, float]:
    font = _font()
    top = TITLE_SIZE + 6 + (FONT_SIZE + 6 if legend else 0)
    height = top + rows * row_h + FONT_SIZE + 10
    drawing = Drawing(width, height)
    drawing.add(String(0, height - TITLE_SIZE, _fit(chart.title[lang], font, TITLE_SIZE, width),
                       fontName=font, fontSize=TITLE_SIZE, fillColor=INK))  # fmt: skip
    return drawing, height - top


def _axis(drawing: Drawing, x0: float, x1: float, y: float, peak: float, percent: bool,
          unit: str) -> None:  # fmt: skip
    font = _font()
    ticks = 4
    for i in range(ticks + 1):
        x = x0 + (x1 - x0) * i / ticks
        drawing.add(Line(x, y, x, y + 3, strokeColor=INK, strokeWidth=0.4))
        drawing.add(String(x, y - FONT_SIZE - 1, _number(peak * i / ticks, percent),
                           fontName=font, fontSize=FONT_SIZE - 1, fillColor=INK,
                           textAnchor="middle"))  # fmt: skip
    drawing.add(Line(x0, y, x1, y, strokeColor=INK, strokeWidth=0.4))
    if unit:
        drawing.add(String(x1, y + 4, unit, fontName=font, fontSize=FONT_SIZE - 1,
                           fillColor=INK, textAnchor="end"))  # fmt: skip


def _tts_ttr(chart: Chart, lang: str, width: float) -> Drawing:
    """Two bars per row: time to survive (blue; sky blue with ∞ when unlimited) above time to
    recover (vermillion). A row whose blue bar is shorter loses sales before it recovers."""
    font = _font()
    data = chart.data
    labels = [x[lang] for x in data["labels"]]
    tts: list[float | None] = list(data["tts"])
    ttr: list[float] = [float(x) for x in data["ttr"]]
    finite = [x for x in tts if x is not None] + ttr
    peak = max(finite, default=1.0) * 1.1 or 1.0
    row_h = 19.0
    drawing, y = _frame(chart, lang, width, len(labels), row_h, legend=True)
    label_w = width * 0.36
    x0, x1 = label_w + 4, width - 34
    span = x1 - x0
    legend_y = y + 4
    for i, (text, colour) in enumerate(((t("reports.chart.tts", lang), TTS_COLOUR),
                                        (t("reports.chart.ttr", lang), TTR_COLOUR))):  # fmt: skip
        lx = x0 + i * span / 2
        drawing.add(Rect(lx, legend_y, 8, 6, fillColor=colour, strokeColor=None))
        drawing.add(String(lx + 11, legend_y, text, fontName=font, fontSize=FONT_SIZE,
                           fillColor=INK))  # fmt: skip
    for i, label in enumerate(labels):
        top = y - i * row_h
        drawing.add(String(0, top - 11, _fit(label, font, FONT_SIZE, label_w), fontName=font,
                           fontSize=FONT_SIZE, fillColor=INK))  # fmt: skip
        survive = tts[i]
        unlimited = survive is None
        length = span if unlimited else span * min(float(survive or 0.0), peak) / peak
        drawing.add(Rect(x0, top - 8, max(length, 0.5), 7,
                         fillColor=UNLIMITED_COLOUR if unlimited else TTS_COLOUR,
                         strokeColor=None))  # fmt: skip
        drawing.add(String(x0 + length + 2, top - 7, "∞" if unlimited else f"{survive:.1f}",
                           fontName=font, fontSize=FONT_SIZE - 1, fillColor=INK))  # fmt: skip
        drawing.add(Rect(x0, top - 16, max(span * ttr[i] / peak, 0.5), 7, fillColor=TTR_COLOUR,
                         strokeColor=None))  # fmt: skip
        drawing.add(String(x0 + span * ttr[i] / peak + 2, top - 15, f"{ttr[i]:g}",
                           fontName=font, fontSize=FONT_SIZE - 1, fillColor=INK))  # fmt: skip
    _axis(drawing, x0, x1, y - len(labels) * row_h - 2, peak, False, data["unit"][lang])
    return drawing


def _bars(chart: Chart, lang: str, width: float) -> Drawing:
    font = _font()
    data = chart.data
    labels = [x[lang] for x in data["labels"]]
    values = [float(v) for v in data["values"]]
    percent = bool(data.get("percent"))
    peak = float(data.get("max") or (max(values, default=0.0) * 1.1)) or 1.0
    row_h = 13.0
    drawing, y = _frame(chart, lang, width, len(labels), row_h, legend=False)
    label_w = width * 0.36
    x0, x1 = label_w + 4, width - 34
    span = x1 - x0
    colour = BAR_COLOUR.get(chart.id, BLUE)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = y - i * row_h
        length = span * min(value, peak) / peak if math.isfinite(value) else 0.0
        drawing.add(String(0, top - 9, _fit(label, font, FONT_SIZE, label_w), fontName=font,
                           fontSize=FONT_SIZE, fillColor=INK))  # fmt: skip
        drawing.add(Rect(x0, top - 10, max(length, 0.5), 9, fillColor=colour, strokeColor=None))
        drawing.add(String(x0 + length + 2, top - 8, _number(value, percent), fontName=font,
                           fontSize=FONT_SIZE - 1, fillColor=INK))  # fmt: skip
    _axis(drawing, x0, x1, y - len(labels) * row_h - 2, peak, percent, data["unit"][lang])
    return drawing


def _placeholder(chart: Chart, lang: str, width: float) -> Drawing:
    """A chart kind drawn elsewhere (a map, a Sankey): the PDF shows its title and text."""
    font = _font()
    drawing = Drawing(width, 40)
    drawing.add(String(0, 28, _fit(chart.title[lang], font, TITLE_SIZE, width), fontName=font,
                       fontSize=TITLE_SIZE, fillColor=INK))  # fmt: skip
    drawing.add(String(0, 10, _fit(chart.alt[lang], font, FONT_SIZE, width), fontName=font,
                       fontSize=FONT_SIZE, fillColor=INK))  # fmt: skip
    return drawing


def svg(chart: Chart, lang: str, width: float = 520.0) -> str:
    """The chart as an SVG document; a contributed ``svg`` chart is passed through."""
    if chart.kind == "svg":
        return str(chart.data.get("svg", ""))
    text: str = renderSVG.drawToString(draw(chart, lang, width))
    # The drawing names the PDF's embedded font; a browser uses the reader's Japanese font.
    return text.replace(f"font-family:{_font()}", "font-family:sans-serif")


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
    return [t("reports.chart.label", lang)], [[chart.alt[lang]]]
