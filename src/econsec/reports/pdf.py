"""The board report as PDF (ReportLab), with a Japanese font (Noto Sans JP) embedded.

ReportLab embeds a subset of a TrueType font's glyphs, so the PDF shows Japanese on any reader
with no font installed. Japanese paragraphs wrap with ReportLab's CJK line breaking (which keeps
closing punctuation off the start of a line); English wraps at spaces. All text from the data is
XML-escaped before it reaches ReportLab's paragraph markup, so stored markup prints as text.
"""

from __future__ import annotations

import math
import os
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents

from econsec.i18n import t
from econsec.reports.font import FONT_NAME, japanese_font
from econsec.reports.model import BI, CODE, MONEY, NUM, PCT, SCORE, BoardReport, Section, Table
from econsec.reports.text import money, number, percent

PAGE = landscape(A4)
MARGIN = 14 * mm
INK = colors.HexColor("#1f2a37")
MUTED = colors.HexColor("#5b6675")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#d5dbe3")
MAX_PDF_ROWS = 12
MAX_EXPLANATIONS = 5
CONTENTS_DEPTH = 1
MAX_MISSING_SHOWN = 12


# Fallbacks for characters the main font lacks (Hangul, some simplified Chinese, a few symbols),
# used when the system has them (Debian: fonts-nanum, fonts-droid-fallback, fonts-dejavu-core).
# More paths can be given in ECONSEC_PDF_FALLBACK_FONTS (separated by os.pathsep).
FALLBACK_PATHS = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass(frozen=True)
class _Face:
    name: str
    chars: frozenset[int]
    path: str = ""


@cache
def _faces() -> tuple[_Face, ...]:
    """The main font and the available fallbacks, each with the characters it covers."""
    main = str(japanese_font())
    faces = [_Face(FONT_NAME, frozenset(TTFontFile(main).charToGlyph), main)]
    extra = [p for p in os.environ.get("ECONSEC_PDF_FALLBACK_FONTS", "").split(os.pathsep) if p]
    for i, path in enumerate([*extra, *FALLBACK_PATHS]):
        if not Path(path).is_file():
            continue
        try:
            face = TTFontFile(path)
        except Exception:  # a collection or an outline format ReportLab cannot embed
            continue
        name = f"econsec-fallback-{i}"
        pdfmetrics.registerFont(TTFont(name, path))
        faces.append(_Face(name, frozenset(face.charToGlyph), path))
    return tuple(faces)


def register_font() -> str:
    """Register the Japanese font (and fallbacks) once; returns its ReportLab name."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(japanese_font())))
    _faces()
    return FONT_NAME


# Characters no available font has, collected while a PDF is built (for the note saying so).
_MISSING: ContextVar[set[str] | None] = ContextVar("missing_glyphs", default=None)


def font_file(name: str) -> str:
    """The file a registered face ``name`` comes from ("" when unknown)."""
    return next((f.path for f in _faces() if f.name == name), "")


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(font name, part)`` runs: the main font where it has the character,
    else the first fallback that has it. A character no font has stays in the main font (it
    prints as an empty box) and is noted, so the report can say which ones are missing."""
    faces = _faces()
    main = faces[0]
    out: list[tuple[str, str]] = []
    run: list[str] = []
    run_face = main.name
    missing = _MISSING.get()
    for ch in text:
        code = ord(ch)
        face = main.name
        if code not in main.chars and not ch.isspace():
            face = next((f.name for f in faces[1:] if code in f.chars), main.name)
            if face == main.name and missing is not None:
                missing.add(ch)
        if face != run_face and run:
            out.append((run_face, "".join(run)))
            run.clear()
        run_face = face
        run.append(ch)
    if run:
        out.append((run_face, "".join(run)))
    return out


def markup(text: str) -> str:
    """``text`` escaped for ReportLab paragraphs, with runs the main font lacks set in a
    fallback font that has them (characters no font has stay in the main font)."""
    return "".join(
        escape(part) if face == FONT_NAME else f'<font name="{face}">{escape(part)}</font>'
        for face, part in runs(text)
    )


def _styles(lang: str) -> dict[str, ParagraphStyle]:
    font = register_font()
    wrap = "CJK" if lang == "ja" else None
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, textColor=INK,
                          wordWrap=wrap)  # fmt: skip
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, spaceAfter=4),
        "sub": ParagraphStyle("sub", parent=base, fontSize=9, textColor=MUTED, spaceAfter=10),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontSize=14,
            leading=19,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=10),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=7.5, leading=10, textColor=colors.white
        ),
        "num": ParagraphStyle("num", parent=base, fontSize=7.5, leading=10, alignment=2),
        "note": ParagraphStyle("note", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        "fig": ParagraphStyle("fig", parent=base, fontSize=16, leading=20, textColor=ACCENT),
        "finding": ParagraphStyle(
            "finding", parent=base, fontSize=11.5, leading=16, spaceBefore=5, spaceAfter=1
        ),
        "h2b": ParagraphStyle("h2b", parent=base, fontSize=9.5, leading=13, spaceBefore=3),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def _heading(text: str, style: ParagraphStyle, level: int = 0) -> Paragraph:
    """A heading the contents page lists (with its page) and the PDF outline shows."""
    para = _p(text, style)
    para.toc_entry = (level, text)
    return para


class _BoardDoc(SimpleDocTemplate):  # type: ignore[misc]
    """Tells the contents page where each heading landed and adds it to the PDF outline."""

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "toc_entry", None)
        if entry is None:
            return
        level, text = entry
        self._toc_count = getattr(self, "_toc_count", 0) + 1
        key = f"h{self._toc_count}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=True)
        # Tables are in the outline only: listed on the contents page they would fill two.
        if level <= CONTENTS_DEPTH:
            self.notify("TOCEntry", (level, markup(text), self.page, key))

    def handle_documentBegin(self) -> None:
        self._toc_count = 0
        super().handle_documentBegin()

    # Pages are numbered "n / N" with N from the previous pass (multiBuild makes several);
    # board_pdf builds again in the rare case the last pass changed the count.
    total_pages: int | None = None
    used_total: int | None = None

    def _endBuild(self) -> None:
        counted = int(self.page)
        super()._endBuild()
        self.total_pages = counted


def _contents(lang: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        ParagraphStyle("toc0", parent=st["base"], fontSize=10.5, leading=16, leftIndent=0,
                       firstLineIndent=0),
        ParagraphStyle("toc1", parent=st["base"], fontSize=9.5, leading=13.5, leftIndent=14,
                       firstLineIndent=0),
        ParagraphStyle("toc2", parent=st["base"], fontSize=8, leading=11, leftIndent=28,
                       firstLineIndent=0, textColor=MUTED),
    ]  # fmt: skip
    return [_p(t("reports.section.contents", lang), st["h1"]), toc]


def format_cell(value: Any, kind: str, lang: str, currency: str) -> str:
    """A table cell as text in ``lang`` (shared with the HTML page's logic)."""
    if value is None:
        return "—"
    if kind == BI and isinstance(value, dict):
        return str(value.get(lang, ""))
    if kind == MONEY and isinstance(value, int | float):
        return money(float(value), currency, lang)
    if kind == PCT and isinstance(value, int | float):
        return percent(float(value), 1)
    if kind in (NUM, SCORE) and isinstance(value, int | float):
        v = float(value)
        if not math.isfinite(v):
            return "—"
        return number(v, 0 if v == int(v) else 1)
    return str(value)


def _table(table: Table, lang: str, currency: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [_heading(table.title[lang], st["h2"], 2)]
    if not table.rows:
        out.append(_p(t("reports.pdf.none", lang), st["note"]))
        if table.note:
            out.append(_p(table.note[lang], st["note"]))
        return out
    width = PAGE[0] - 2 * MARGIN
    weights = [3.2 if c.kind == BI else 1.6 if c.kind not in (NUM, SCORE, PCT, CODE) else 1.0
               for c in table.columns]  # fmt: skip
    col_widths = [width * w / sum(weights) for w in weights]
    data: list[list[Any]] = [[_p(c.label[lang], st["head"]) for c in table.columns]]
    for row in table.rows[:MAX_PDF_ROWS]:
        data.append(
            [
                _p(format_cell(v, c.kind, lang, currency),
                   st["num"] if c.kind in (NUM, SCORE, PCT, MONEY) else st["cell"])
                for v, c in zip(row, table.columns, strict=True)
            ]
        )  # fmt: skip
    grid = RLTable(data, colWidths=col_widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    out.append(grid)
    if table.note:
        out.append(Spacer(1, 2))
        out.append(_p(table.note[lang], st["note"]))
    return out


def _charts(charts: list[Any], lang: str) -> list[Flowable]:
    """Charts as vector drawings, one table row each: two to a row, a map (``svg``) alone
    across the page."""
    from econsec.reports.draw import draw

    width = PAGE[0] - 2 * MARGIN
    cell = (width - 12) / 2
    rows: list[list[Flowable]] = []
    pending: list[Flowable] = []
    for chart in charts:
        if chart.kind == "svg":
            rows.append([draw(chart, lang, width * 0.8)])
            continue
        pending.append(draw(chart, lang, cell))
        if len(pending) == 2:
            rows.append(pending)
            pending = []
    if pending:
        rows.append([*pending, Spacer(1, 1)])
    out: list[Flowable] = []
    for row in rows:
        grid = RLTable([row], colWidths=[cell + 6, cell + 6] if len(row) == 2 else [width])
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))  # fmt: skip
        out.append(grid)
    return out


def _section(
    section: Section, lang: str, cur: str, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    head: list[Flowable] = [_heading(section.title[lang], st["h1"], 1)]
    head.extend(_p(x[lang], st["base"]) for x in section.paragraphs)
    charts = _charts(list(section.charts), lang)
    # The title stays with the first row of its pictures (never alone at a page's foot).
    out: list[Flowable] = [KeepTogether(head + charts[:1]), *charts[1:]]
    for table in section.tables:
        out.extend(_table(table, lang, cur, st))
    return out


def board_pdf(report: BoardReport, lang: str) -> bytes:
    """The board report in ``lang`` as PDF bytes: page 1 what the board must know and decide,
    pages 2–3 the pictures, then the actions and the appendix."""
    token = _MISSING.set(set())
    try:
        return _board_pdf(report, lang)
    finally:
        _MISSING.reset(token)


def _board_pdf(report: BoardReport, lang: str) -> bytes:
    st = _styles(lang)
    cur = report.currency
    story: list[Flowable] = [
        _p(t("reports.title", lang), st["title"]),
        _p(
            t("reports.subtitle", lang, version=report.data_version[:12], when=report.created_at),
            st["sub"],
        ),
        _heading(t("reports.section.findings", lang), st["h1"]),
    ]
    for i, finding in enumerate(report.findings, start=1):
        story.append(KeepTogether([_p(f"{i}. {finding.text[lang]}", st["finding"]),
                                   _p(finding.meaning[lang], st["note"])]))  # fmt: skip
    if report.decisions:
        story.append(_heading(t("reports.section.decisions", lang), st["h1"]))
        for d in report.decisions:
            kind = t(f"reports.decision.kind.{d.kind}", lang)
            story.append(_p(f"【{kind}】{d.text[lang]}", st["h2b"]))
            story.append(_p(d.basis[lang], st["note"]))
    story.append(_heading(t("reports.section.changes", lang), st["h1"]))
    story.extend(_p("・" + c.text[lang], st["base"]) for c in report.changes)
    main_sections = [s for s in report.sections if not s.appendix]
    if report.charts or main_sections:
        story.append(PageBreak())
        story.append(_heading(t("reports.section.pictures", lang), st["h1"]))
        story.extend(_charts(list(report.charts), lang))
        for section in main_sections:
            story.extend(_section(section, lang, cur, st))
    # The contents open the detail: page 1 and the pictures on pages 2–3 come first.
    story.append(PageBreak())
    story.extend(_contents(lang, st))
    story.append(PageBreak())
    story.append(_heading(t("reports.section.actions", lang), st["h1"]))
    actions = report.table("actions")
    if actions is not None:
        story.extend(_table(actions, lang, cur, st)[1:])
    story.append(PageBreak())
    story.append(_heading(t("reports.section.appendix", lang), st["title"]))
    story.append(_heading(t("reports.section.figures", lang), st["h1"], 1))
    for f in report.summary:
        story.append(_p(f"{f.label[lang]}: {f.display[lang]}", st["h2b"]))
        story.extend(_p("・" + r[lang], st["note"]) for r in f.reasons[:2])
    story.append(_heading(t("reports.section.exposures", lang), st["h1"], 1))
    for table_id in ("spof", "products", "countries", "critical", "critical_exposure",
                     "suppliers"):  # fmt: skip
        table = report.table(table_id)
        if table is not None:
            story.extend(_table(table, lang, cur, st))
    story.append(_heading(t("reports.section.scenarios", lang), st["h1"], 1))
    if report.scenarios_missing:
        story.append(_p(report.scenarios_missing[lang], st["base"]))
    else:
        scen = report.table("scenarios")
        if scen is not None:
            story.extend(_table(scen, lang, cur, st)[1:])
        for line in report.scenarios:
            # The verdict and the first binding constraints (sites and items by name).
            story.append(_p(line.name[lang], st["h2b"]))
            story.extend(_p("・" + e[lang], st["note"])
                         for e in line.explanations[:MAX_EXPLANATIONS])  # fmt: skip
    for section in report.sections:
        if section.appendix:
            story.extend(_section(section, lang, cur, st))
    story.append(_heading(t("reports.section.method", lang), st["h1"], 1))
    story.append(_p(t("reports.method", lang), st["base"]))
    notes = [n[lang] for n in report.notes[:10]]
    missing = sorted(_MISSING.get() or ())
    if missing:
        # Said in words and code points: the characters themselves would print as boxes.
        shown = ", ".join(f"U+{ord(c):04X}" for c in missing[:MAX_MISSING_SHOWN])
        more = len(missing) - MAX_MISSING_SHOWN
        notes.append(t("reports.pdf.missing_glyphs", lang, count=len(missing),
                       chars=shown + (f" (+{more})" if more > 0 else "")))  # fmt: skip
    if notes:
        story.append(_heading(t("reports.section.notes", lang), st["h2"], 1))
        story.extend(_p("・" + n, st["note"]) for n in notes)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8 * mm, f"econsec · {t('reports.title', lang)}")
        total = doc.total_pages
        doc.used_total = total
        number = t("reports.pdf.page", lang, page=doc.page, pages=total or "?")
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, number)
        canvas.restoreState()

    total: int | None = None
    for _ in range(3):
        buffer = BytesIO()
        doc = _BoardDoc(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=t("reports.title", lang),
            author="econsec",
            lang=lang,
        )
        doc.total_pages = total
        # Built until the contents' page numbers settle.
        doc.multiBuild(story, onFirstPage=footer, onLaterPages=footer)
        if doc.used_total == doc.total_pages:
            break
        total = doc.total_pages
    return buffer.getvalue()
