"""The one place econsec writes spreadsheets (xlsx and CSV): no cell can run as a formula.

Spreadsheet programs run a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (some strip a
leading tab or line break first) as a formula, so a supplier called ``=HYPERLINK("http://…")``
would become a live link, or worse, in the reader's Excel. Every text cell that starts so is
written with a leading apostrophe (OWASP's advice on CSV injection), in xlsx as well as CSV: an
xlsx file is often saved on as CSV, and the apostrophe travels with the text. Numbers, booleans
and dates stay what they are; characters XML cannot carry become U+FFFD instead of failing the
export.

econsec's own readers take the apostrophe off again (:func:`restore`), and text that already
starts with apostrophes before a formula character gets one more, so a workbook that econsec
writes and reads back keeps every value exactly (decision 0093).

A test fails when any module outside this one builds an openpyxl ``Workbook`` or a csv writer.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported on first use: the CLI starts faster without it
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot carry: openpyxl refuses them, so a stray one would fail the export.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN = (bool, int, float, Decimal, datetime, date, time, timedelta)
_FIRST = frozenset("'").union(*FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """``=1+1`` → ``'=1+1`` (and ``'=1`` → ``''=1``, so :func:`restore` is exact); anything
    that is not text is returned unchanged."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo :func:`neutralise` for text read back from a file econsec wrote."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def cell_value(value: Any) -> Any:
    """What a spreadsheet cell holds for ``value``: numbers, booleans and dates as they are
    (non-finite numbers empty: xlsx cannot hold them), everything else as inert text."""
    kind = type(value)
    if kind is str:
        return _inert_text(value)
    if value is None or (kind is float and not math.isfinite(value)):
        return None
    if isinstance(value, _PLAIN):
        return value
    return _inert_text(str(value))


def _inert_text(text: str) -> str:
    # Both tests below are cheap gates: this runs for every text cell of Ford-scale exports.
    if not text.isprintable():
        text = _NOT_IN_XML.sub("\ufffd", text)
    if text[:1] in _FIRST and text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


# ----------------------------------------------------------------------------------- CSV


class CsvWriter:
    """``csv.writer`` with every field made inert; ``None`` is written as an empty field."""

    def __init__(self, handle: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(handle, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(["" if v is None else neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: IO[str], **fmtparams: Any) -> CsvWriter:
    """A CSV writer on ``handle`` (opened with ``newline=""``) that neutralises every field."""
    return CsvWriter(handle, **fmtparams)


def write_csv(path: Path, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    """One table as UTF-8 CSV with a BOM (Excel then reads it as UTF-8, not Shift_JIS)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


# ---------------------------------------------------------------------------------- xlsx


def new_workbook(*, write_only: bool = False) -> Workbook:
    """An empty workbook without sheets (add them with :func:`add_sheet`)."""
    from openpyxl import Workbook

    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.worksheets[0])
    return book


def add_sheet(book: Workbook, title: str) -> Any:
    """A new sheet named ``title`` (cut to Excel's 31 characters)."""
    return book.create_sheet(title[:31])


def styled_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell:
    """A cell for a write-only sheet, to style before :func:`append` (its value made inert)."""
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, cell_value(value))


def append(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Add one row at the bottom of ``sheet``, every value made inert (cells from
    :func:`styled_cell` are already)."""
    from openpyxl.cell.cell import Cell

    # After cell_value no text starts with "=", which is all openpyxl takes for a formula.
    sheet.append([v if isinstance(v, Cell) else cell_value(v) for v in values])


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell at (``row``, ``column``), 1-based, made inert."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    return cell


def save(book: Workbook, target: Path | IO[bytes]) -> None:
    book.save(target)


def to_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(tables: Iterable[tuple[str, Iterable[Any], Iterable[Iterable[Any]]]]) -> bytes:
    """``(sheet title, header, rows)`` tables as one workbook, one sheet each (an empty header
    writes no header row)."""
    book = new_workbook()
    for title, header, rows in tables:
        sheet = add_sheet(book, title)
        head = list(header)
        if head:
            append(sheet, head)
        for row in rows:
            append(sheet, row)
    return to_bytes(book)
