"""Events from a workbook: guarded, read in a child process, all or nothing, located errors.

Layout (sheet ``events``, or the first sheet): row 1 the column keys below (what the importer
matches, in any order), row 2 labels for people (ignored), events from row 3. List columns take
values separated by commas, semicolons, 、 or line breaks. One row is one event.

The file goes through :mod:`econsec.workbook_guard` (size, zip bombs, entities, sheet extent,
formulas) before any reader allocates, then through :mod:`econsec.isolated` (a child process
with a memory cap and a deadline). Every problem of every row is collected with its sheet,
row, column and value; any problem and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from econsec import isolated
from econsec.monitoring.errors import MonitoringError
from econsec.sheet_problems import ImportProblems, Problem
from econsec.workbook_guard import Limits, WorkbookRefused, inspect

LIMITS = Limits(
    max_bytes=10 * 1024 * 1024,
    max_uncompressed=200 * 1024 * 1024,
    max_rows=10_000,
    max_columns=64,
    max_cells=400_000,
)
TEXT = ("key", "title_ja", "title_en", "summary_ja", "summary_en", "url")
DATES = ("announced_on", "effective_on", "expected_end_on")
LISTS = ("countries", "regions", "sites", "orgs", "entities", "items", "hs_prefixes",
         "mineral_tags", "critical_tags", "chokepoints")  # fmt: skip
POINT = ("latitude", "longitude", "radius_km")
COLUMNS = (*TEXT, "kind", *DATES, *LISTS, *POINT)
_SPLIT = re.compile(r"[,;、\n]+")


def read_cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cells as plain values (runs in the child process)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    finally:
        book.close()


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _problem(sheet: str, row: int, col: str, value: Any, key: str, /, **params: Any) -> Problem:
    return Problem(sheet, row, col, value, key, params)


def load(path: Path, name: str | None = None) -> list[dict[str, Any]]:
    """The event documents of the workbook; raises :class:`ImportProblems` (all of them)."""
    source = name or path.name
    try:
        package = inspect(path, LIMITS, name=source)
    except WorkbookRefused as exc:
        raise ImportProblems([_problem(exc.sheet or source, exc.row or 0, exc.column or "",
                                       None, exc.key, **exc.fields())]) from exc  # fmt: skip
    if package.formulas:
        raise ImportProblems([
            _problem(sheet, 0, f.cell, f.text, "workbook.formula", file=source, sheet=sheet,
                     cell=f.cell, value=f.text)
            for sheet, f in package.formulas
        ])  # fmt: skip
    try:
        sheets = isolated.call(read_cells, path)
    except isolated.ChildFailed as exc:
        raise ImportProblems(
            [_problem(source, 0, "", None, exc.key, **exc.fields(source))]
        ) from exc
    except Exception as exc:  # calamine's own error types for a damaged file
        raise ImportProblems([_problem(source, 0, "", None, "monitoring.xlsx.unreadable",
                                       file=source, reason=str(exc)[:200])]) from exc  # fmt: skip
    return documents(sheets, source)


def documents(sheets: dict[str, list[list[Any]]], source: str) -> list[dict[str, Any]]:
    """Rows to event documents, each checked as an import checks it; located problems."""
    from econsec.monitoring.service import _event_fields

    if not sheets:
        raise ImportProblems([_problem(source, 0, "", None, "monitoring.xlsx.no_sheet")])
    sheet = "events" if "events" in sheets else next(iter(sheets))
    rows = sheets[sheet]
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for i, key in enumerate(header):
        if not key:
            continue
        if key not in COLUMNS or key in columns:
            problems.append(_problem(sheet, 1, _letter(i), key, "monitoring.xlsx.bad_column",
                                     expected=", ".join(COLUMNS)))  # fmt: skip
        columns[key] = i
    for needed in ("kind",):
        if needed not in columns:
            problems.append(_problem(sheet, 1, "", None, "monitoring.xlsx.missing_column",
                                     column=needed))  # fmt: skip
    if problems:
        raise ImportProblems(problems)
    docs: list[dict[str, Any]] = []
    for r, row in enumerate(rows[2:], start=3):
        cells = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        doc, row_problems = _row(sheet, r, columns, cells)
        problems += row_problems
        if not row_problems:
            try:
                _event_fields(doc, f"{sheet}!{r}")
            except MonitoringError as exc:
                field = str(exc.params.get("field", "")).split(".")[-1].split("[")[0]
                col = _letter(columns[field]) if field in columns else ""
                problems.append(_problem(sheet, r, col, cells.get(field), exc.key,
                                         **{**exc.params, "where": f"{sheet}!{r}"}))  # fmt: skip
            docs.append(doc)
    if problems:
        raise ImportProblems(problems)
    if not docs:
        raise ImportProblems([_problem(sheet, 3, "", None, "monitoring.xlsx.empty")])
    return docs


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _row(
    sheet: str, r: int, columns: dict[str, int], cells: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    doc: dict[str, Any] = {}
    problems: list[Problem] = []
    footprint: dict[str, Any] = {"kind": _text(cells.get("kind"))}
    for name in TEXT:
        if name in cells and _text(cells[name]):
            doc[name] = _text(cells[name])
    for name in DATES:
        value = cells.get(name)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            doc[name] = value.isoformat()
        elif _text(value):
            doc[name] = _text(value)
    for name in LISTS:
        values = [v.strip() for v in _SPLIT.split(_text(cells.get(name))) if v.strip()]
        if values:
            footprint[name] = values
    point = {k: cells.get(k) for k in POINT if _text(cells.get(k))}
    if point:
        for k, v in point.items():
            if isinstance(v, str):
                try:
                    point[k] = float(v)
                except ValueError:
                    problems.append(_problem(sheet, r, _letter(columns[k]), v,
                                             "monitoring.xlsx.not_number"))  # fmt: skip
        missing = [k for k in POINT if k not in point]
        if missing:
            problems.append(_problem(sheet, r, "", None, "monitoring.xlsx.missing_column",
                                     column=missing[0]))  # fmt: skip
        footprint["point"] = point
    doc["footprint"] = footprint
    return doc, problems
