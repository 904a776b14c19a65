"""Read a workbook (xlsx) or a folder of CSV files into raw cells, refusing unsafe files.

The xlsx path reads values with python-calamine (fast, streaming-friendly). Two things calamine
does not show are checked on the raw package instead: formulas (a cell's cached result may be
stale or missing, so we ask for values) and merged cells (they break the one-record-per-row rule).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from econsec.valuechain.intake.issues import Issue, error, warning

MAX_FILE_BYTES = int(os.environ.get("ECONSEC_MAX_IMPORT_BYTES", 512 * 1024 * 1024))
MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ECONSEC_MAX_UNCOMPRESSED_BYTES", 4 * 1024**3))
# Spreadsheet XML compresses well, but not by a factor in the hundreds: that is a zip bomb.
MAX_COMPRESSION_RATIO = 200
MAX_LOCATED_FORMULAS = 20
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


@dataclass
class RawSheet:
    """A sheet's header and data rows; ``first_row`` is the spreadsheet number of the header."""

    name: str
    header: list[Any]
    rows: list[list[Any]]
    first_row: int = 1

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        for offset, row in enumerate(self.rows, start=1):
            yield self.first_row + offset, row


@dataclass
class RawBook:
    source: Path
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def read_source(path: Path) -> RawBook:
    """Read ``path`` (an .xlsx file or a folder of .csv files); problems become issues."""
    book = RawBook(source=path)
    if not path.exists():
        book.issues.append(error("valuechain.file.missing", value=str(path)))
    elif path.is_dir():
        _read_csv_folder(path, book)
    elif path.suffix.lower() == ".csv":
        book.issues.append(error("valuechain.file.single_csv", value=path.name))
    else:
        _read_xlsx(path, book)
    return book


def _read_xlsx(path: Path, book: RawBook) -> None:
    size = path.stat().st_size
    if size == 0:
        book.issues.append(error("valuechain.file.empty", value=path.name))
        return
    if size > MAX_FILE_BYTES:
        book.issues.append(
            error("valuechain.file.too_large", value=path.name, size=size, limit=MAX_FILE_BYTES)
        )
        return
    if not zipfile.is_zipfile(path):
        book.issues.append(error("valuechain.file.not_xlsx", value=path.name))
        return
    try:
        with zipfile.ZipFile(path) as archive:
            if not _safe_archive(archive, path, book):
                return
            formula_sheets = _sheets_with_formulas(archive)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        book.issues.append(error("valuechain.file.not_xlsx", value=path.name, reason=str(exc)))
        return
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        book.issues.append(error("valuechain.file.unreadable", value=path.name, reason=str(exc)))
        return
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                book.issues.append(
                    error(
                        "valuechain.file.merged_cells",
                        sheet=name,
                        row=r0 + 1,
                        value=f"{_cell_ref(r0, c0)}:{_cell_ref(r1, c1)}",
                    )
                )
            rows = sheet.to_python(skip_empty_area=False)
            rows = _trim(rows)
            if not rows:
                book.sheets[name] = RawSheet(name, [], [])
                continue
            book.sheets[name] = RawSheet(name, rows[0], rows[1:])
    finally:
        workbook.close()
    if formula_sheets:
        _locate_formulas(path, formula_sheets, book)


def _safe_archive(archive: zipfile.ZipFile, path: Path, book: RawBook) -> bool:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and info.file_size > 1024 * 1024:
            book.issues.append(
                error("valuechain.file.zip_bomb", value=path.name, member=info.filename)
            )
            return False
    if total > MAX_UNCOMPRESSED_BYTES:
        book.issues.append(error("valuechain.file.zip_bomb", value=path.name, member="*"))
        return False
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        book.issues.append(error("valuechain.file.not_xlsx", value=path.name))
        return False
    return True


def _sheets_with_formulas(archive: zipfile.ZipFile) -> list[str]:
    """Worksheet parts that contain at least one formula element (streamed, constant memory)."""
    found = []
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    found.append(name)
                    break
                tail = chunk[-8:]
    return found


def _locate_formulas(path: Path, parts: list[str], book: RawBook) -> None:
    """Name the cells holding formulas (openpyxl keeps formula text; calamine does not)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        located = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                        book.issues.append(
                            error(
                                "valuechain.file.formula",
                                sheet=ws.title,
                                row=cell.row,
                                column=getattr(cell, "column_letter", None),
                                value=value,
                            )
                        )
                        located += 1
                        if located >= MAX_LOCATED_FORMULAS:
                            book.issues.append(error("valuechain.file.more_formulas"))
                            return
    finally:
        wb.close()
    if located == 0:  # a formula part we could not pin to a cell: still refuse, and say so
        book.issues.append(error("valuechain.file.formula", value=", ".join(parts)))


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty rows (Excel often keeps formatted but empty rows)."""
    end = len(rows)
    while end and all(v in ("", None) for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _read_csv_folder(folder: Path, book: RawBook) -> None:
    files = sorted(folder.glob("*.csv"))
    if not files:
        book.issues.append(error("valuechain.file.no_csv", value=str(folder.name)))
        return
    for file in files:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            book.issues.append(
                error("valuechain.file.too_large", value=file.name, size=size, limit=MAX_FILE_BYTES)
            )
            continue
        raw = file.read_bytes()
        text = _decode(raw)
        if text is None:
            book.issues.append(error("valuechain.file.encoding", sheet=file.stem, value=file.name))
            continue
        try:
            rows = [[_uncsv(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            book.issues.append(error("valuechain.file.bad_csv", sheet=file.stem, reason=str(exc)))
            continue
        rows = _trim(rows)
        book.sheets[file.stem] = RawSheet(file.stem, rows[0] if rows else [], rows[1:])
    if not book.sheets and not book.issues:
        book.issues.append(warning("valuechain.file.no_csv", value=str(folder.name)))


def _decode(raw: bytes) -> str | None:
    # Excel on Japanese Windows saves CSV as Shift_JIS (cp932); everything else should be UTF-8.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _uncsv(value: str) -> str:
    """Undo the apostrophe that protects formula-like text in exported CSV."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value
