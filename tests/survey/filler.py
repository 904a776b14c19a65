"""Fill a supplier questionnaire as a supplier would (openpyxl, cell by cell)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from econsec.survey import layout as lay


def fill_workbook(
    source: Path | bytes,
    target: Path,
    sources: list[dict[str, Any]] | None = None,
    continuity: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    about: dict[str, Any] | None = None,
) -> Path:
    """``source`` with the answer sheets' data rows replaced by the given rows (None: kept)."""
    book = load_workbook(BytesIO(source) if isinstance(source, bytes) else source)
    for sheet, rows in ((lay.SOURCES, sources), (lay.CONTINUITY, continuity),
                        (lay.CONTACTS, contacts)):  # fmt: skip
        if rows is None:
            continue
        ws = book[sheet]
        ws.delete_rows(lay.FIRST_DATA_ROW, ws.max_row)
        for r, row in enumerate(rows, start=lay.FIRST_DATA_ROW):
            for c, key in enumerate(lay.keys(sheet), start=1):
                if row.get(key) is not None:
                    ws.cell(row=r, column=c, value=row[key])
    for key, value in (about or {}).items():
        ws = book[lay.ABOUT]
        ws.cell(row=lay.ABOUT_KEYS.index(key) + 1, column=2, value=value)
    book.save(target)
    return target
