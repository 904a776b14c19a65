"""Writing value-chain tables to the workbook format (xlsx or a folder of CSVs), and the template.

Row 1 of every data sheet holds the column ids of schema.yaml; the instructions sheet explains
each column in Japanese and English. Every cell goes through :mod:`econsec.tabular`, so a name
such as ``=HYPERLINK(...)`` is written inert (with a leading apostrophe, in xlsx and CSV alike)
and the reader restores it exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from econsec import tabular
from econsec.i18n import LANGUAGES, t
from econsec.valuechain.schema import Column, Schema, Sheet, Tables, load_schema

INSTRUCTIONS_SHEET = "instructions"
LIST_SEPARATOR = ";"
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
    ws = tabular.add_sheet(wb, sheet.name)
    header = []
    for column in sheet.columns:
        cell = tabular.styled_cell(ws, column.name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    tabular.append(ws, header)
    columns = sheet.columns
    for n, row in enumerate(rows, start=1):
        tabular.append(ws, [cell_value(column, row.get(column.name)) for column in columns])
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
    wb = tabular.new_workbook(write_only=True)
    for sheet in schema.sheets:
        if sheet.name in tables:
            _write_sheet(wb, sheet, tables[sheet.name], progress)
    tabular.save(wb, path)


def write_csv_folder(tables: Tables, folder: Path, *, schema: Schema | None = None) -> None:
    """Write ``tables`` as ``<sheet>.csv`` files (UTF-8 with BOM, which Excel opens correctly).

    Text that Excel would run as a formula gets a leading apostrophe, which the reader removes.
    """
    schema = schema or load_schema()
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in schema.sheets:
        if sheet.name not in tables:
            continue
        tabular.write_csv(
            folder / f"{sheet.name}.csv",
            sheet.column_names,
            ([cell_value(c, row.get(c.name)) for c in sheet.columns] for row in tables[sheet.name]),
        )


def write_template(path: Path, *, schema: Schema | None = None) -> None:
    """An empty workbook: instructions (ja/en), headers and Excel data validation per column."""
    schema = schema or load_schema()
    wb = tabular.new_workbook()
    _instructions(tabular.add_sheet(wb, INSTRUCTIONS_SHEET), schema)
    for sheet in schema.sheets:
        ws = tabular.add_sheet(wb, sheet.name)
        for col_idx, column in enumerate(sheet.columns, start=1):
            cell = tabular.put(ws, 1, col_idx, column.name)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            ws.column_dimensions[cell.column_letter].width = max(14, len(column.name) + 4)
            validation = _validation(column, schema)
            if validation is not None:
                letter = cell.column_letter
                validation.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(validation)
        ws.freeze_panes = "A2"
    tabular.save(wb, path)


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
    tabular.append(ws, [t("valuechain.template.title", lang) for lang in LANGUAGES])
    tabular.append(ws, [t("valuechain.template.howto", lang) for lang in LANGUAGES])
    tabular.append(ws, [])
    tabular.append(
        ws,
        [
            t("valuechain.template.col_sheet", "ja") + " / sheet",
            t("valuechain.template.col_column", "ja") + " / column",
            "項目名",
            "label",
            t("valuechain.template.col_type", "ja") + " / type",
            t("valuechain.template.col_required", "ja") + " / required",
            "説明",
            "description",
        ],
    )
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for sheet in schema.sheets:
        tabular.append(
            ws,
            [
                sheet.name,
                "",
                sheet.title("ja"),
                sheet.title("en"),
                "",
                "",
                *(sheet.help.get(lang, "") for lang in LANGUAGES),
            ],
        )
        for column in sheet.columns:
            kind = column.type
            if column.values:
                kind += ": " + ", ".join(column.values)
            if column.ref:
                kind += f" → {column.ref}"
            tabular.append(
                ws,
                [
                    sheet.name,
                    column.name,
                    column.title("ja"),
                    column.title("en"),
                    kind,
                    "yes" if column.required else "",
                    "",
                    "",
                ],
            )
    for letter, width in zip("ABCDEFGH", (16, 24, 26, 30, 34, 10, 50, 50), strict=True):
        ws.column_dimensions[letter].width = width
