"""Read a workbook (xlsx) or a folder of CSV files into raw cells, refusing unsafe files.

Before anything is read, the xlsx package is checked by :mod:`econsec.workbook_guard` (size,
zip bomb, XML entities, each sheet's real extent against the schema's limits, formulas), and
the CSV files' sizes against the limit. The reading itself — python-calamine for xlsx, the csv
module for CSV — runs in a child process with a memory and time limit
(:mod:`econsec.isolated`), so a file that still asks for too much ends as a located error and
the process that asked lives on. Merged cells are refused (they break the one-record-per-row
rule); formulas are refused (a cell's cached result may be stale or missing).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from econsec import isolated
from econsec.tabular import restore
from econsec.valuechain.intake.issues import Issue, error, warning
from econsec.valuechain.schema import load_schema
from econsec.workbook_guard import Limits, WorkbookRefused, cell_ref, column_letters, inspect

MAX_FILE_BYTES = int(os.environ.get("ECONSEC_MAX_IMPORT_BYTES", 512 * 1024 * 1024))
MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ECONSEC_MAX_UNCOMPRESSED_BYTES", 1024**3))


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


def xlsx_limits() -> Limits:
    """What a value-chain workbook may span (schema.yaml) and weigh."""
    limits = load_schema().limits
    return Limits(
        max_bytes=MAX_FILE_BYTES,
        max_uncompressed=MAX_UNCOMPRESSED_BYTES,
        max_rows=limits.max_rows,
        max_columns=limits.max_columns,
        max_cells=limits.max_cells,
    )


def refused(exc: WorkbookRefused) -> Issue:
    """A refusal of the workbook guard as an intake issue (sheet, row, column when it has them)."""
    params = exc.fields()
    value = params.pop("value", exc.cell or exc.file)
    params.pop("sheet")
    return error(exc.key, exc.sheet, exc.row, exc.column, value, **params)


def child_failed(exc: isolated.ChildFailed, name: str) -> Issue:
    """A reader that died or overran, as an issue naming the file."""
    return error(exc.key, value=name, **exc.fields(name))


def _read_xlsx(path: Path, book: RawBook) -> None:
    try:
        package = inspect(path, xlsx_limits())
    except WorkbookRefused as exc:
        book.issues.append(refused(exc))
        return
    try:
        sheets, issues = isolated.call(read_xlsx_cells, path)
    except isolated.ChildFailed as exc:
        book.issues.append(child_failed(exc, path.name))
        return
    book.sheets.update(sheets)
    book.issues.extend(issues)
    for sheet, formula in package.formulas:
        ref = _split_ref(formula.cell)
        book.issues.append(error("valuechain.file.formula", sheet, ref[0], ref[1], formula.text))
    if package.formula_count > len(package.formulas):
        book.issues.append(error("valuechain.file.more_formulas", count=package.formula_count))


def _split_ref(cell: str) -> tuple[int | None, str | None]:
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    return (int(digits) if digits else None), (letters or None)


def read_xlsx_cells(path: Path) -> tuple[dict[str, RawSheet], list[Issue]]:
    """Every sheet's cells with python-calamine (run in a child: see :func:`read_source`)."""
    import python_calamine

    sheets: dict[str, RawSheet] = {}
    issues: list[Issue] = []
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        return sheets, [error("valuechain.file.unreadable", value=path.name, reason=str(exc))]
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                issues.append(
                    error(
                        "valuechain.file.merged_cells",
                        sheet=name,
                        row=r0 + 1,
                        value=f"{_cell_ref(r0, c0)}:{_cell_ref(r1, c1)}",
                    )
                )
            rows = _trim(
                [[_restore(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            )
            sheets[name] = RawSheet(name, rows[0], rows[1:]) if rows else RawSheet(name, [], [])
    finally:
        workbook.close()
    return sheets, issues


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty rows (Excel often keeps formatted but empty rows)."""
    end = len(rows)
    while end and (not rows[end - 1] or all(v in ("", None) for v in rows[end - 1])):
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
    readable = []
    for file in files:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            book.issues.append(
                error("workbook.too_large", value=file.name, file=file.name, size=size,
                      limit=MAX_FILE_BYTES)
            )  # fmt: skip
        else:
            readable.append(file)
    try:
        sheets, issues = isolated.call(read_csv_files, readable, xlsx_limits())
    except isolated.ChildFailed as exc:
        book.issues.append(child_failed(exc, folder.name))
        return
    book.sheets.update(sheets)
    book.issues.extend(issues)
    if not book.sheets and not book.issues:
        book.issues.append(warning("valuechain.file.no_csv", value=str(folder.name)))


def read_csv_files(files: list[Path], limits: Limits) -> tuple[dict[str, RawSheet], list[Issue]]:
    """Each CSV file as the sheet named by its stem, held to the workbook's limits on rows and
    columns (run in a child: see :func:`read_source`)."""
    sheets: dict[str, RawSheet] = {}
    issues: list[Issue] = []
    for file in files:
        text = _decode(file.read_bytes())
        if text is None:
            issues.append(error("valuechain.file.encoding", sheet=file.stem, value=file.name))
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[list[Any]] = []
        # Checked inline and restored afterwards: a file of a million blank lines before a
        # far-away row then costs one pass of the csv module, not millions of calls.
        max_rows, max_columns = limits.max_rows, limits.max_columns
        try:
            for number, row in enumerate(reader, 1):
                if number > max_rows or len(row) > max_columns:
                    problem = _beyond_limits(file, number, row, limits)
                    if problem is not None:
                        issues.append(problem)
                        break
                rows.append(row)
        except csv.Error as exc:
            issues.append(
                error("valuechain.file.bad_csv", file.stem, reader.line_num, reason=str(exc))
            )
            continue
        rows = _trim([[restore(v) for v in row] if row else row for row in rows])
        sheets[file.stem] = RawSheet(file.stem, rows[0] if rows else [], rows[1:])
    return sheets, issues


def _beyond_limits(file: Path, number: int, row: list[str], limits: Limits) -> Issue | None:
    """A CSV row past the last row or column a workbook may use, as a located error."""
    if number > limits.max_rows:
        return error(
            "workbook.too_many_rows", file.stem, number, None, file.name, file=file.name,
            cell=f"A{number}", limit=limits.max_rows,
        )  # fmt: skip
    if len(row) > limits.max_columns:
        used = len(row)
        while used and not row[used - 1].strip():
            used -= 1
        if used > limits.max_columns:
            cell = cell_ref(number, used)
            return error(
                "workbook.too_many_columns", file.stem, number, column_letters(used), cell,
                file=file.name, cell=cell, limit=limits.max_columns,
                last=column_letters(limits.max_columns),
            )  # fmt: skip
    return None


def _decode(raw: bytes) -> str | None:
    # Excel on Japanese Windows saves CSV as Shift_JIS (cp932); everything else should be UTF-8.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _restore(value: Any) -> Any:
    """Undo the apostrophe that protects formula-like text in files econsec wrote."""
    return restore(value) if value.__class__ is str and value[:1] == "'" else value
