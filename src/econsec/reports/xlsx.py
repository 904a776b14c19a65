"""xlsx exports of report tables, with formula injection neutralised.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which some
spreadsheet programs strip before reading a formula) would run as a formula when opened. Such
text is written as an explicit string cell with a leading apostrophe, so it shows as typed and
never evaluates. Numbers stay numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from econsec.reports.model import BI, BoardReport, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = set("[]:*?/\\")


def neutralise(text: str) -> str:
    """``=1+1`` → ``'=1+1``; other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value: Any, lang: str) -> Any:
    """What to write for ``value``: numbers as numbers, everything else as safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict) and lang in value:
        return neutralise(str(value[lang]))
    return neutralise(str(value))


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Set the type explicitly: openpyxl would otherwise treat a leading "=" as a formula.
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value


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
    sheet = book.create_sheet(sheet_title(title, taken))
    for c, text in enumerate(head, start=1):
        _put(sheet, 1, c, cell_value(text, lang))
        sheet.cell(row=1, column=c).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(sheet, r, c, cell_value(value, lang))
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
    book = Workbook()
    book.remove(book.worksheets[0])
    taken: set[str] = set()
    for title, head, rows in tables:
        write_rows(book, title, head, rows, lang, taken)
    if info:
        write_rows(book, "info", ["key", "value"], info, lang, taken)
    buffer = BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        out.write(data)
    return data


def board_workbook(report: BoardReport, lang: str) -> bytes:
    """Every table of the board report, one sheet each, plus the summary and provenance."""
    summary = [
        [f.label[lang], f.display[lang], f.value, " / ".join(r[lang] for r in f.reasons)]
        for f in report.summary
    ]
    tables: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = [
        (report_label("summary", lang), _summary_head(lang), summary)
    ]
    for table in report.tables:
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
