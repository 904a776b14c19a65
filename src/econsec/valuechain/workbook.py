"""Writing value-chain tables to the workbook format (xlsx or a folder of CSVs), and the template.

Row 1 of every data sheet holds the column ids of schema.yaml; the instructions sheet explains
each column in Japanese and English. Text is always written as text, never as a formula, so a
name such as ``=HYPERLINK(...)`` stays inert in Excel (formula injection) and round-trips intact.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from econsec.i18n import LANGUAGES, t
from econsec.valuechain.schema import Column, Schema, Sheet, Tables, load_schema

INSTRUCTIONS_SHEET = "instructions"
LIST_SEPARATOR = ";"
_FORMULA_START = ("=", "+", "-", "@")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")

Progress = Callable[[int], None]


def cell_value(column: Column, value: Any) -> Any:
    """The plain cell value for ``value`` of ``column`` (lists joined, booleans as yes/no)."""
    if value is None:
        return None
    if column.type == "list":
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value) or None
    if column.type == "bool":
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        # Excel keeps doubles; the importer quantises back to the stored precision.
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_sheet(
    wb: Workbook, sheet: Sheet, rows: Iterable[dict[str, Any]], progress: Progress | None
) -> None:
    ws = wb.create_sheet(sheet.name)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, column.name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    ws.append(header)
    columns = sheet.columns
    for n, row in enumerate(rows, start=1):
        out: list[Any] = []
        for column in columns:
            value = cell_value(column, row.get(column.name))
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
        if progress is not None and n % 10000 == 0:
            progress(10000)


def write_workbook(
    tables: Tables,
    path: Path,
    *,
    schema: Schema | None = None,
    progress: Progress | None = None,
) -> None:
    """Write ``tables`` as an xlsx workbook, one sheet per table given (streaming).

    Only the sheets in ``tables`` are written: an import treats a sheet that is present as the
    complete list of its rows, so a partial workbook must leave the other sheets out.
    """
    schema = schema or load_schema()
    wb = Workbook(write_only=True)
    for sheet in schema.sheets:
        if sheet.name in tables:
            _write_sheet(wb, sheet, tables[sheet.name], progress)
    wb.save(path)


def write_csv_folder(tables: Tables, folder: Path, *, schema: Schema | None = None) -> None:
    """Write ``tables`` as ``<sheet>.csv`` files (UTF-8 with BOM, which Excel opens correctly).

    Text that Excel would run as a formula gets a leading apostrophe, which the reader removes.
    """
    schema = schema or load_schema()
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in schema.sheets:
        if sheet.name not in tables:
            continue
        with (folder / f"{sheet.name}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(sheet.column_names)
            for row in tables.get(sheet.name, []):
                out = []
                for column in sheet.columns:
                    value = cell_value(column, row.get(column.name))
                    if isinstance(value, str) and value.startswith(_FORMULA_START):
                        value = "'" + value
                    out.append("" if value is None else value)
                writer.writerow(out)


def write_template(path: Path, *, schema: Schema | None = None) -> None:
    """An empty workbook: instructions (ja/en), headers and Excel data validation per column."""
    schema = schema or load_schema()
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), schema)
    for sheet in schema.sheets:
        ws = wb.create_sheet(sheet.name)
        for col_idx, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=col_idx, value=column.name)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            ws.column_dimensions[cell.column_letter].width = max(14, len(column.name) + 4)
            validation = _validation(column, schema)
            if validation is not None:
                letter = cell.column_letter
                validation.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(validation)
        ws.freeze_panes = "A2"
    wb.save(path)


def _validation(column: Column, schema: Schema) -> DataValidation | None:
    if column.type == "enum":
        return DataValidation(type="list", formula1='"' + ",".join(column.values) + '"')
    if column.type == "bool":
        return DataValidation(type="list", formula1='"yes,no"')
    if column.type in ("number", "decimal", "int") and column.minimum is not None:
        operator = "greaterThan" if column.exclusive_min else "greaterThanOrEqual"
        if column.maximum is not None:
            return DataValidation(
                type="decimal",
                operator="between",
                formula1=str(column.minimum),
                formula2=str(column.maximum),
            )
        return DataValidation(type="decimal", operator=operator, formula1=str(column.minimum))
    if column.type == "ref" and column.ref:
        target = schema.sheet(column.ref)
        key_column = target.key[0]
        letter = chr(ord("A") + target.column_names.index(key_column))
        return DataValidation(
            type="list", formula1=f"={target.name}!${letter}$2:${letter}$100000", allow_blank=True
        )
    return None


def _instructions(ws: Worksheet, schema: Schema) -> None:
    ws.append([t("valuechain.template.title", lang) for lang in LANGUAGES])
    ws.append([t("valuechain.template.howto", lang) for lang in LANGUAGES])
    ws.append([])
    ws.append(
        [
            t("valuechain.template.col_sheet", "ja") + " / sheet",
            t("valuechain.template.col_column", "ja") + " / column",
            "項目名",
            "label",
            t("valuechain.template.col_type", "ja") + " / type",
            t("valuechain.template.col_required", "ja") + " / required",
            "説明",
            "description",
        ]
    )
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for sheet in schema.sheets:
        ws.append(
            [
                sheet.name,
                "",
                sheet.title("ja"),
                sheet.title("en"),
                "",
                "",
                *(sheet.help.get(lang, "") for lang in LANGUAGES),
            ]
        )
        for column in sheet.columns:
            kind = column.type
            if column.values:
                kind += ": " + ", ".join(column.values)
            if column.ref:
                kind += f" → {column.ref}"
            ws.append(
                [
                    sheet.name,
                    column.name,
                    column.title("ja"),
                    column.title("en"),
                    kind,
                    "yes" if column.required else "",
                    "",
                    "",
                ]
            )
    for letter, width in zip("ABCDEFGH", (16, 24, 26, 30, 34, 10, 50, 50), strict=True):
        ws.column_dimensions[letter].width = width
