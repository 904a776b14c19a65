"""xlsx exports of report tables, written through :mod:`econsec.tabular` (formula injection
neutralised: text that a spreadsheet would run is written with a leading apostrophe, numbers
stay numbers)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from econsec import tabular
from econsec.reports.model import BI, BoardReport, Table
from econsec.tabular import neutralise

__all__ = ["board_workbook", "neutralise", "sheet_title", "write_tables"]
_BAD_SHEET_CHARS = set("[]:*?/\\")


def _in(lang: str, value: Any) -> Any:
    """A bilingual label in ``lang``; numbers as numbers, anything else as its text (the
    spreadsheet writer makes it inert)."""
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = "".join(" " if c in _BAD_SHEET_CHARS else c for c in text).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def write_rows(
    book: Workbook, title: str, head: Sequence[str], rows: Iterable[Sequence[Any]], lang: str,
    taken: set[str],
) -> Worksheet:  # fmt: skip
    """One sheet: a bold header, then ``rows`` made safe."""
    sheet = tabular.add_sheet(book, sheet_title(title, taken))
    for c, text in enumerate(head, start=1):
        tabular.put(sheet, 1, c, _in(lang, text)).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            tabular.put(sheet, r, c, _in(lang, value))
    sheet.freeze_panes = "A2"
    return sheet


def table_rows(table: Table, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [c.label[lang] for c in table.columns]
    rows = [
        [v[lang] if (col.kind == BI and isinstance(v, dict)) else v
         for v, col in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]  # fmt: skip
    return head, rows


def write_tables(
    tables: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    out: IO[bytes] | None = None,
    lang: str = "ja",
    info: Sequence[tuple[str, Any]] = (),
) -> bytes:
    """Write ``(title, header, rows)`` tables as one workbook; returns the bytes too."""
    book = tabular.new_workbook()
    taken: set[str] = set()
    for title, head, rows in tables:
        write_rows(book, title, head, rows, lang, taken)
    if info:
        write_rows(book, "info", ["key", "value"], info, lang, taken)
    data = tabular.to_bytes(book)
    if out is not None:
        out.write(data)
    return data


def board_workbook(report: BoardReport, lang: str) -> bytes:
    """Every table of the board report, one sheet each, plus the summary and provenance."""
    summary = [
        [f.label[lang], f.display[lang], f.value, " / ".join(r[lang] for r in f.reasons)]
        for f in report.summary
    ]
    from econsec.i18n import t
    from econsec.reports.draw import chart_rows

    tables: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = [
        (
            report_label("findings", lang),
            [t("reports.col.name", lang), t("reports.col.basis", lang)],
            [[f.text[lang], f.meaning[lang]] for f in report.findings],
        ),
        (
            report_label("decisions", lang),
            [t("reports.col.kind", lang), t("reports.col.action", lang),
             t("reports.col.basis", lang)],
            [[t(f"reports.decision.kind.{d.kind}", lang), d.text[lang], d.basis[lang]]
             for d in report.decisions],
        ),
        (report_label("changes", lang), [t("reports.section.changes", lang)],
         [[c.text[lang]] for c in report.changes]),
        (report_label("summary", lang), _summary_head(lang), summary),
    ]  # fmt: skip
    for chart in report.charts:
        head, rows = chart_rows(chart, lang)
        tables.append((chart.title[lang], [chart.title[lang], *head[1:]] if head else head, rows))
    for table in report.tables:
        head, rows = table_rows(table, lang)
        tables.append((table.title[lang], head, rows))
    # Each capability's section (governance, planning, monitoring…) as in the HTML and PDF.
    for section in report.sections:
        for chart in section.charts:
            head, rows = chart_rows(chart, lang)
            tables.append((chart.title[lang], [chart.title[lang], *head[1:]], rows))
        for table in section.tables:
            head, rows = table_rows(table, lang)
            tables.append((table.title[lang], head, rows))
    info = [("data_version", report.data_version), ("currency", report.currency),
            ("created_at", report.created_at), ("schema", report.schema)]  # fmt: skip
    return write_tables(tables, lang=lang, info=info)


def report_label(section: str, lang: str) -> str:
    from econsec.i18n import t

    return t(f"reports.section.{section}", lang)


def _summary_head(lang: str) -> list[str]:
    from econsec.i18n import t

    return [t(k, lang) for k in ("reports.col.name", "reports.col.figure_value",
                                 "reports.col.value", "reports.col.basis")]  # fmt: skip
