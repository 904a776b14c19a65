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
from collections.abc import Iterable, Mapping
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


# ------------------------------------------------------------------------ stamped workbooks

_ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(.*?)(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(r' s="(\d+)"')
_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class RowStamp:
    """A workbook laid out once (styles, data validation, column widths, fixed text) into which
    rows are stamped again and again, each time a new file: what a campaign of a thousand
    workbooks of one layout needs, at a tenth of openpyxl's cost per file.

    ``template`` is a workbook built here (:func:`new_workbook`; the formats below are added to
    it) or its saved bytes; ``styles`` names the cell formats the stamped cells may use, e.g.
    ``{"given": {"fill": PatternFill(…)}}`` (openpyxl style objects by attribute). :meth:`stamp` writes cells into the template's sheets
    as the XML openpyxl would write for :func:`put` — every value through :func:`cell_value`, so
    no text runs as a formula — and zips the package anew; everything else is the template's
    bytes. A stamp is never changed after it is made, so threads may share one.
    """

    def __init__(
        self, template: Workbook | bytes, styles: dict[str, dict[str, Any]] | None = None
    ) -> None:
        import zipfile
        from xml.etree import ElementTree

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(template)) if isinstance(template, bytes) else template
        self.styles: dict[str, int] = {}
        if styles:  # each format becomes one entry of the stylesheet, used by no cell yet
            probe = book.create_sheet("__styles__")
            for row, (name, attributes) in enumerate(styles.items(), start=1):
                cell = probe.cell(row=row, column=1)
                for attribute, value in attributes.items():
                    setattr(cell, attribute, value)
                self.styles[name] = cell.style_id
            book.remove(probe)
        data = to_bytes(book)
        with zipfile.ZipFile(BytesIO(data)) as archive:
            self._members = [(info, archive.read(info)) for info in archive.infolist()]
        parts = dict((info.filename, body) for info, body in self._members)
        main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        targets = {
            r.get("Id"): r.get("Target", "").lstrip("/")
            for r in ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
        }
        self._sheets: dict[str, tuple[str, str, dict[int, tuple[str, dict[int, str]]], str]] = {}
        for sheet in ElementTree.fromstring(parts["xl/workbook.xml"]).iter(f"{main}sheet"):
            target = targets[sheet.get(relation)]
            path = target if target.startswith("xl/") else f"xl/{target}"
            text = parts[path].decode("utf-8")
            found = _SHEET_DATA.search(text)
            if found is None:
                continue
            rows: dict[int, tuple[str, dict[int, str]]] = {}
            for held in _ROW.finditer(found.group(1) or ""):
                opening = held.group(0)[: held.group(0).index(">") + 1].replace("/>", ">")
                found_cells = _CELL.finditer(held.group(2) or "")
                rows[int(held.group(1))] = (
                    opening,
                    {_column(c.group(1)): c.group(0) for c in found_cells},
                )
            self._sheets[sheet.get("name", "")] = (
                path, text[: found.start()], rows, text[found.end() :]
            )  # fmt: skip

    def stamp(self, cells: Mapping[str, Iterable[tuple[int, int, Any, str | None]]]) -> bytes:
        """The template with ``cells`` written in: sheet title → ``(row, column, value, style
        name or None)``, 1-based. A ``None`` value writes nothing; a cell the template holds
        already takes the new value and keeps its format unless ``style`` names another."""
        import zipfile

        stamped: dict[str, bytes] = {}
        for title, written in cells.items():
            path, head, rows, tail = self._sheets[title]
            new: dict[int, dict[int, str]] = {}
            for row, column, value, style in written:
                old = rows.get(row, ("", {}))[1].get(column)
                style_id = self.styles[style] if style is not None else _style_of(old)
                xml = _cell_xml(row, column, cell_value(value), style_id)
                if xml is not None:
                    new.setdefault(row, {})[column] = xml
                elif old is not None:  # an emptied cell keeps no value
                    new.setdefault(row, {})[column] = f'<c r="{_letters(column)}{row}"/>'
            stamped[path] = _sheet_xml(head, rows, new, tail).encode("utf-8")
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, body in self._members:
                # writestr fills in the entry's sizes, checksum and offset: a ZipInfo shared by
                # two threads stamping at once gave one of them the other's (a broken file).
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
                archive.writestr(entry, stamped.get(info.filename, body))
        return buffer.getvalue()


def _sheet_xml(
    head: str,
    rows: dict[int, tuple[str, dict[int, str]]],
    new: dict[int, dict[int, str]],
    tail: str,
) -> str:
    out: list[str] = []
    last_row = last_col = 0
    first_row = first_col = 1 << 30
    for number in sorted(rows.keys() | new.keys()):
        opening, held = rows.get(number, (f'<row r="{number}">', {}))
        merged = {**held, **new[number]} if number in new else held
        if not merged:
            continue
        out.append(opening)
        out.extend(merged[c] for c in sorted(merged))
        out.append("</row>")
        first_row, last_row = min(first_row, number), max(last_row, number)
        first_col, last_col = min(first_col, min(merged)), max(last_col, max(merged))
    if out:
        ref = f"{_letters(first_col)}{first_row}:{_letters(last_col)}{last_row}"
        head = _DIMENSION.sub(f'<dimension ref="{ref}" />', head, count=1)
    return f"{head}<sheetData>{''.join(out)}</sheetData>{tail}"


def _cell_xml(row: int, column: int, value: Any, style_id: int | None) -> str | None:
    """What openpyxl writes for ``value`` (already made inert) at (row, column)."""
    if value is None or value == "":
        return None
    where = f'r="{_letters(column)}{row}"' + ("" if style_id is None else f' s="{style_id}"')
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value.strip() != value else ""
        return (
            f'<c {where} t="inlineStr"><is><t{space}>{value.translate(_XML_ESCAPES)}</t></is></c>'
        )
    if isinstance(value, bool):
        return f'<c {where} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float):
        return f'<c {where} t="n"><v>{value!r}</v></c>'
    if isinstance(value, int | Decimal):
        return f'<c {where} t="n"><v>{value}</v></c>'
    raise TypeError(f"a stamped cell holds text, numbers or booleans, not {type(value).__name__}")


def _style_of(cell: str | None) -> int | None:
    found = _STYLE.search(cell.split(">", 1)[0]) if cell else None
    return int(found.group(1)) if found else None


def _column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out
