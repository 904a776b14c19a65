"""Turn raw cells into typed values, column by column, collecting located issues.

Lenient where a person would be (full-width digits, thousands separators, "はい/いいえ",
Japanese country names, numeric ids typed as numbers), strict where a guess could be wrong.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from econsec.characters import unwanted
from econsec.reference.countries import normalise_country
from econsec.valuechain.intake.issues import Issue, error, warning
from econsec.valuechain.intake.readers import RawSheet
from econsec.valuechain.schema import Column, Row, Sheet, load_schema

_TRUE = {"yes", "y", "true", "1", "はい", "有", "あり", "○", "◯", "済", "認定済"}
_FALSE = {"no", "n", "false", "0", "いいえ", "無", "なし", "×", "未", "未認定"}
_LIST_SPLIT = re.compile(r"[;,、；，]")
_MONEY_PLACES = Decimal("0.0001")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@cache
def _header_aliases(sheet_name: str) -> dict[str, str]:
    sheet = load_schema().sheet(sheet_name)
    aliases: dict[str, str] = {}
    for column in sheet.columns:
        aliases[_fold(column.name)] = column.name
        for text in column.label.values():
            aliases[_fold(text)] = column.name
    return aliases


def map_header(raw: RawSheet, sheet: Sheet, issues: list[Issue]) -> dict[str, int] | None:
    """Column name → position in the raw row; None when the sheet cannot be read at all."""
    aliases = _header_aliases(sheet.name)
    positions: dict[str, int] = {}
    for index, cell in enumerate(raw.header):
        if cell in ("", None):
            continue
        name = aliases.get(_fold(str(cell)))
        if name is None:
            issues.append(
                warning("valuechain.header.unknown", sheet.name, raw.first_row, str(cell), cell)
            )
        elif name in positions:
            issues.append(
                error("valuechain.header.duplicate", sheet.name, raw.first_row, name, cell)
            )
        else:
            positions[name] = index
    missing = [c.name for c in sheet.columns if c.required and c.name not in positions]
    for name in missing:
        issues.append(error("valuechain.header.missing", sheet.name, raw.first_row, name))
    return None if missing else positions


def parse_sheet(raw: RawSheet, sheet: Sheet, issues: list[Issue]) -> list[tuple[int, Row]]:
    """Typed rows with their spreadsheet row numbers; rows with errors are still returned
    (with None in the bad cells) so that cross-row checks can report everything at once."""
    positions = map_header(raw, sheet, issues)
    if positions is None:
        return []
    columns = [(c, positions[c.name]) for c in sheet.columns if c.name in positions]
    out: list[tuple[int, Row]] = []
    for number, cells in raw.numbered():
        if all(v in ("", None) for v in cells):
            continue
        row: Row = {}
        for column, index in columns:
            value = cells[index] if index < len(cells) else None
            row[column.name] = parse_cell(value, column, sheet.name, number, issues)
        for column in sheet.columns:
            row.setdefault(column.name, None)
        out.append((number, row))
    return out


def parse_cell(value: Any, column: Column, sheet: str, row: int, issues: list[Issue]) -> Any:
    """One cell to its typed value (None when empty or invalid; invalid adds an issue)."""
    kind = column.type
    # Fast paths for the cells that make up almost every workbook: plain numbers and plain
    # ASCII text. They give exactly what the general path below gives for the same input.
    value_type = type(value)
    if value_type is float and kind == "number" and math.isfinite(value):
        if _in_range(value, column):
            return value
    elif value_type is str and kind in ("text", "ref"):
        value = value.strip()
        plain = value and value.isascii() and value.isprintable()
        if plain and (column.pattern is None or re.fullmatch(column.pattern, value)):
            return value
    elif value_type is str:
        value = value.strip()
    if value in ("", None):
        if column.required:
            issues.append(error("valuechain.cell.required", sheet, row, column.name, ""))
        return None
    try:
        if kind in ("text", "ref", "list"):
            found = unwanted(_text(value), identifier=kind != "text" or column.key)
            if found is not None:
                issues.append(
                    error(
                        "valuechain.cell.control", sheet, row, column.name, repr(value),
                        char=found[1], position=found[0],
                    )
                )  # fmt: skip
                return None
        if kind in ("text", "ref"):
            parsed: Any = _text(value)
            if kind == "ref" or column.key:  # identifiers compare after width folding
                parsed = unicodedata.normalize("NFKC", parsed).strip()
        elif kind == "number":
            parsed = _number(value, column, sheet, row, issues)
        elif kind == "int":
            number = _number(value, column, sheet, row, issues)
            if number is not None and number != int(number):
                raise ValueError
            parsed = None if number is None else int(number)
        elif kind == "decimal":
            parsed = _decimal(value, column, sheet, row, issues)
        elif kind == "bool":
            parsed = _bool(value)
        elif kind == "country":
            parsed = _country(str(value))
            if parsed is None:
                issues.append(error("valuechain.cell.country", sheet, row, column.name, value))
                return None
        elif kind == "enum":
            parsed = _fold(str(value))
            if parsed not in column.values:
                issues.append(
                    error(
                        "valuechain.cell.enum",
                        sheet,
                        row,
                        column.name,
                        value,
                        allowed=", ".join(column.values),
                    )
                )
                return None
        elif kind == "list":
            parsed = [
                unicodedata.normalize("NFKC", p).strip()
                for p in _LIST_SPLIT.split(_text(value))
                if p.strip()
            ]
        else:  # pragma: no cover - schema.yaml only uses the types above
            raise AssertionError(kind)
    except (ValueError, InvalidOperation):
        issues.append(error(f"valuechain.cell.{kind}", sheet, row, column.name, value))
        return None
    if parsed is None:
        return None
    if column.pattern and isinstance(parsed, str) and not re.fullmatch(column.pattern, parsed):
        issues.append(
            error("valuechain.cell.pattern", sheet, row, column.name, value, pattern=column.pattern)
        )
        return None
    if kind in ("number", "int", "decimal") and not _in_range(parsed, column):
        issues.append(
            error(
                "valuechain.cell.range", sheet, row, column.name, value, range=_range_text(column)
            )
        )
        return None
    return parsed


@cache
def _country(text: str) -> str | None:
    return normalise_country(text)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        # An id typed as a number (1001) comes back from Excel as 1001.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise ValueError
    return value if isinstance(value, str) else str(value)


def _numeric_text(value: str, column: Column, sheet: str, row: int, issues: list[Issue]) -> str:
    folded = unicodedata.normalize("NFKC", value).replace(",", "").replace("_", "").strip()
    if folded != value.replace(",", "").strip():
        issues.append(
            warning("valuechain.cell.fullwidth", sheet, row, column.name, value, normalised=folded)
        )
    return folded


def _number(value: Any, column: Column, sheet: str, row: int, issues: list[Issue]) -> float:
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise ValueError
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = float(_numeric_text(str(value), column, sheet, row, issues))
    if not math.isfinite(number):
        raise ValueError
    return number


def _decimal(value: Any, column: Column, sheet: str, row: int, issues: list[Issue]) -> Decimal:
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise ValueError
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    else:
        text = _numeric_text(str(value), column, sheet, row, issues)
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError
    return number.quantize(_MONEY_PLACES)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    folded = _fold(str(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError


def _in_range(value: float | Decimal, column: Column) -> bool:
    low, high = column.minimum, column.maximum
    if low is not None and (value < low or (column.exclusive_min and value == low)):
        return False
    return not (high is not None and value > high)


def _range_text(column: Column) -> str:
    low = (
        ""
        if column.minimum is None
        else ("> " if column.exclusive_min else "≥ ") + f"{column.minimum:g}"
    )
    high = "" if column.maximum is None else f"≤ {column.maximum:g}"
    return ", ".join(p for p in (low, high) if p)
