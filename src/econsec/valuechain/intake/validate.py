"""The validation pipeline: read → parse cells → cross-row checks. Never writes anything."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from econsec.valuechain.intake.checks import NumberedRows, check_all
from econsec.valuechain.intake.issues import Issue, error, warning
from econsec.valuechain.intake.parse import parse_sheet
from econsec.valuechain.intake.readers import RawSheet, read_source
from econsec.valuechain.schema import Schema, Sheet, Tables, load_schema
from econsec.valuechain.workbook import INSTRUCTIONS_SHEET, cell_value


@dataclass
class Validation:
    """What validation found. ``tables`` is the complete state the import would leave: the
    sheets from the source, and the stored rows of sheets the source does not contain."""

    tables: Tables
    row_numbers: dict[str, list[int | None]]
    present: set[str]
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def _sheet_for(schema: Schema, name: str) -> Sheet | None:
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    for sheet in schema.sheets:
        if folded == sheet.name or folded in {v.casefold() for v in sheet.label.values()}:
            return sheet
    return None


def validate_source(path: Path, stored: Tables | None = None) -> Validation:
    """Validate a workbook file or CSV folder against the schema and the ``stored`` state."""
    schema = load_schema()
    try:
        book = read_source(path)
    except Exception as exc:  # a reader bug must still end as a located message, not a crash
        return Validation(
            {}, {}, set(), [error("valuechain.file.unreadable", value=path.name, reason=repr(exc))]
        )
    issues = list(book.issues)
    # A file refused as a whole (even when the refusal names a sheet) has nothing to validate.
    if any(i.is_error and (i.sheet is None or i.code.startswith("workbook.")) for i in issues):
        return Validation({}, {}, set(), issues)
    raws: dict[str, RawSheet] = {}
    for name, raw in book.sheets.items():
        if name == INSTRUCTIONS_SHEET:
            continue
        sheet = _sheet_for(schema, name)
        if sheet is None:
            issues.append(warning("valuechain.file.unknown_sheet", sheet=name, value=name))
        else:
            raws[sheet.name] = raw
    if not raws:
        issues.append(
            error("valuechain.file.no_sheets", value=path.name, expected=", ".join(schema.names))
        )
        return Validation({}, {}, set(), issues)
    if not any(raw.rows for raw in raws.values()):
        issues.append(error("valuechain.file.no_rows", value=path.name))
        return Validation({}, {}, set(), issues)
    return _pipeline(schema, raws, stored, issues)


def validate_tables(tables: Tables, stored: Tables | None = None) -> Validation:
    """Validate tables built in code (generators, API) exactly as a workbook would be."""
    schema = load_schema()
    raws: dict[str, RawSheet] = {}
    for name, rows in tables.items():
        sheet = schema.sheet(name)
        raws[name] = RawSheet(
            name,
            list(sheet.column_names),
            [[cell_value(c, row.get(c.name)) for c in sheet.columns] for row in rows],
        )
    return _pipeline(schema, raws, stored, [])


def _pipeline(
    schema: Schema, raws: dict[str, RawSheet], stored: Tables | None, issues: list[Issue]
) -> Validation:
    merged: dict[str, NumberedRows] = {}
    for sheet in schema.sheets:
        if sheet.name in raws:
            merged[sheet.name] = list(parse_sheet(raws[sheet.name], sheet, issues))
        elif stored and stored.get(sheet.name):
            merged[sheet.name] = [(None, row) for row in stored[sheet.name]]
    issues.extend(check_all(schema, merged))
    order = {name: i for i, name in enumerate(schema.names)}
    issues.sort(key=lambda i: (not i.is_error, order.get(i.sheet or "", -1), i.row or 0))
    return Validation(
        tables={name: [row for _, row in rows] for name, rows in merged.items()},
        row_numbers={name: [n for n, _ in rows] for name, rows in merged.items()},
        present=set(raws),
        issues=issues,
    )
