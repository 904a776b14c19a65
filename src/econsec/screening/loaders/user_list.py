"""A user-maintained list in xlsx or CSV: METI's End User List as the company keeps it, or an
internal block list. Headers may be English or Japanese (METI's own column titles work).

A workbook is checked by :mod:`econsec.workbook_guard` and read in a child process with a
memory limit (:mod:`econsec.isolated`); a CSV file's size is checked before it is read and its
rows and columns against the same limits. Cells
with formulas, control or invisible characters are refused with their place.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from econsec import isolated
from econsec.characters import unwanted
from econsec.screening.countries import to_iso2
from econsec.screening.entity import ListEntity, ListLoadError, LoadedList
from econsec.screening.loaders.common import csv_rows, parse_date, read_text, split_multi
from econsec.workbook_guard import Limits, WorkbookRefused, cell_ref, column_letters, inspect

# A kept copy of METI's End User List has about 700 rows; company block lists stay far below
# the row limit.
LIMITS = Limits(
    max_bytes=100 * 1024 * 1024,
    max_uncompressed=1024**3,
    max_rows=1_048_576,
    max_columns=256,
    max_cells=16_000_000,
)

HEADERS = {
    "id": ("id", "no", "no.", "番号", "entity_id"),
    "name": (
        "name",
        "名称",
        "企業名",
        "企業名、組織名",
        "企業名・組織名",
        "company or organization",
        "company or organization name",
        "氏名",
    ),
    "aliases": ("aliases", "alias", "別名", "also known as", "aka"),
    "kind": ("kind", "種別", "type"),
    "countries": (
        "country",
        "countries",
        "国名",
        "国名・地域名",
        "国名、地域名",
        "国・地域",
        "country or region",
    ),
    "addresses": ("address", "addresses", "住所", "所在地"),
    "identifiers": ("identifiers", "identifier", "識別番号", "法人番号"),
    "programmes": (
        "programme",
        "program",
        "reason",
        "懸念区分",
        "理由",
        "type of wmd",
        "type of concern",
    ),
    "listed_on": ("listed_on", "listing date", "掲載日", "date"),
}
_KINDS = {
    "person": "person",
    "個人": "person",
    "individual": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "団体": "organisation",
    "企業": "organisation",
    "entity": "organisation",
    "vessel": "vessel",
    "船舶": "vessel",
}


def _header_map(header: list[str], source: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = " ".join(str(title or "").replace("\n", " ").split()).casefold()
        for field, names in HEADERS.items():
            if key in names and field not in found:
                found[field] = index
    if "name" not in found:
        raise ListLoadError(
            "screening.load.missing_columns", source=source, line=1, columns="name / 企業名"
        )
    return found


def xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        package = inspect(path, LIMITS)
    except WorkbookRefused as exc:
        raise ListLoadError(exc.key, source=path.name, **exc.fields()) from exc
    first = package.sheets[0] if package.sheets else None
    if first is not None and first.formulas:
        formula = first.formulas[0]
        raise ListLoadError(
            "workbook.formula", source=path.name, file=path.name, sheet=first.name,
            cell=formula.cell, value=formula.text,
        )  # fmt: skip
    try:
        return isolated.call(read_first_sheet, path)
    except isolated.ChildFailed as exc:
        raise ListLoadError(exc.key, source=path.name, **exc.fields(path.name)) from exc


def xlsx_sheets(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every sheet's non-empty rows (name, numbered rows), under the same checks as
    :func:`xlsx_rows`: a formula on any sheet is refused with its place."""
    try:
        package = inspect(path, LIMITS)
    except WorkbookRefused as exc:
        raise ListLoadError(exc.key, source=path.name, **exc.fields()) from exc
    for sheet_name, formula in package.formulas:
        raise ListLoadError(
            "workbook.formula", source=path.name, file=path.name, sheet=sheet_name,
            cell=formula.cell, value=formula.text,
        )  # fmt: skip
    try:
        return isolated.call(read_all_sheets, path)
    except isolated.ChildFailed as exc:
        raise ListLoadError(exc.key, source=path.name, **exc.fields(path.name)) from exc


def read_all_sheets(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """All sheets' non-empty rows as text, numbered (run in a child: see xlsx_sheets)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            (name, workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names
        ]
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise ListLoadError("screening.load.bad_xlsx", source=path.name, detail=str(exc)) from exc
    out = []
    for name, sheet in sheets:
        rows = []
        for number, row in enumerate(sheet, start=1):
            cells = ["" if v is None else str(v) for v in row]
            if any(c.strip() for c in cells):
                rows.append((number, cells))
        out.append((name, rows))
    return out


def read_first_sheet(path: Path) -> list[tuple[int, list[str]]]:
    """The first sheet's non-empty rows as text, numbered (run in a child: see xlsx_rows)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise ListLoadError("screening.load.bad_xlsx", source=path.name, detail=str(exc)) from exc
    rows = []
    for number, row in enumerate(sheet, start=1):
        cells = ["" if v is None else str(v) for v in row]
        if any(c.strip() for c in cells):
            rows.append((number, cells))
    return rows


def _check_extent(rows: list[tuple[int, list[str]]], path: Path) -> None:
    """A CSV file is held to the rows and columns a workbook may use."""
    for line, row in rows:
        used = len(row)
        while used and not row[used - 1].strip():
            used -= 1
        params = {"file": path.name, "sheet": path.stem, "cell": cell_ref(line, max(used, 1))}
        if line > LIMITS.max_rows:
            raise ListLoadError(
                "workbook.too_many_rows", source=path.name, line=line, limit=LIMITS.max_rows,
                **params,
            )  # fmt: skip
        if used > LIMITS.max_columns:
            raise ListLoadError(
                "workbook.too_many_columns", source=path.name, line=line,
                limit=LIMITS.max_columns, last=column_letters(LIMITS.max_columns), **params,
            )  # fmt: skip


def _check_characters(
    rows: list[tuple[int, list[str]]], id_column: int | None, source: str
) -> None:
    for line, row in rows:
        for index, cell in enumerate(row):
            found = unwanted(cell, identifier=index == id_column)
            if found is not None:
                raise ListLoadError(
                    "text.unwanted_character", source=source, line=line,
                    field=_column_name(rows[0][1], index), char=found[1], position=found[0],
                )  # fmt: skip


def _column_name(header: list[str], index: int) -> str:
    title = header[index].strip() if index < len(header) else ""
    return title or f"#{index + 1}"


def load(path: Path, *, list_name: str, version_date: date | None = None) -> LoadedList:
    """Load a user list (first sheet of an xlsx, or a CSV with a header row)."""
    from econsec.screening.loaders import file_sha256

    source = path.name
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        rows = xlsx_rows(path)
    else:
        size = path.stat().st_size
        if size > LIMITS.max_bytes:
            raise ListLoadError(
                "workbook.too_large", source=source, file=source, size=size,
                limit=LIMITS.max_bytes,
            )  # fmt: skip
        rows = list(csv_rows(read_text(path.read_bytes(), source), source))
        _check_extent(rows, path)
    if not rows:
        raise ListLoadError("screening.load.empty", source=source)
    _, header = rows[0]
    columns = _header_map(header, source)
    _check_characters(rows, columns.get("id"), source)
    entities: list[ListEntity] = []
    seen: dict[str, int] = {}
    for line, row in rows[1:]:

        def cell(field: str, row: list[str] = row) -> str:
            index = columns.get(field)
            return row[index].strip() if index is not None and index < len(row) else ""

        name = cell("name")
        if not name:
            raise ListLoadError("screening.load.missing_name", source=source, line=line)
        key = cell("id") or hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]
        key = key[:-2] if key.endswith(".0") and key[:-2].isdigit() else key  # xlsx numbers
        if key in seen:
            raise ListLoadError(
                "screening.load.duplicate_id", source=source, line=line, value=key, first=seen[key]
            )
        seen[key] = line
        kind = _KINDS.get(cell("kind").casefold(), "organisation")
        aliases = tuple(a for part in split_multi(cell("aliases")) for a in split_multi(part, "／"))
        entities.append(
            ListEntity(
                entity_id=key,
                name=name,
                kind=kind,
                aliases=aliases,
                countries=tuple(to_iso2(c) for c in split_multi(cell("countries"))),
                addresses=split_multi(cell("addresses")),
                identifiers=split_multi(cell("identifiers")),
                programmes=split_multi(cell("programmes")),
                listed_on=parse_date(cell("listed_on")),
                source_line=line,
            )
        )
    return LoadedList(list_name, "user", tuple(entities), version_date, file_sha256([path]))
