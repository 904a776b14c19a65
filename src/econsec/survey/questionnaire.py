"""The supplier questionnaire workbook: one template per language, filled per supplier.

Building a workbook with its styles, data validation and instructions took most of the time of
writing a campaign's workbooks; the layout is the same for every supplier of one language, so
it is built once (per process and language) and each supplier's copy is that supplier's rows
stamped into it (:class:`econsec.tabular.RowStamp`; docs/decisions/0180-supplier-mapping-campaigns.md).
Every cell goes through :mod:`econsec.tabular`, so no supplier or item name runs as a formula.
"""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from econsec import tabular
from econsec.survey import layout as lay
from econsec.survey.text import tr

_LIST_ROWS = 400  # rows of the lists sheet the per-supplier validations look at
Placed = tuple[int, int, Any, str | None]  # (row, column, value, style) of one written cell


@dataclass(frozen=True)
class SupplierBrief:
    """What one supplier's workbook holds: only this supplier's own rows."""

    campaign_id: int
    org_id: str
    org_name: str
    language: str
    due: str
    supplied: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    continuity: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)

    def file_name(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in self.org_id)
        return f"survey-{self.campaign_id}-{safe}.xlsx"


@cache
def template(lang: str) -> bytes:
    """The empty questionnaire in ``lang``: sheets, labels, validation, instructions."""
    from openpyxl.styles import Alignment, Font, PatternFill

    book = tabular.new_workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    intro = tabular.add_sheet(book, lay.INSTRUCTIONS)
    tabular.put(intro, 1, 1, tr("survey.wb.title", lang)).font = Font(bold=True, size=14)
    lines = [
        tr("survey.wb.lead", lang),
        "",
        tr("survey.wb.how", lang),
        *(f"{s}: {tr(f'survey.wb.sheet.{s}', lang)}" for s in (lay.SUPPLIED, *lay.ANSWER_SHEETS)),
        "",
        tr("survey.wb.rules", lang),
        tr("survey.wb.return", lang),
    ]
    for row, text in enumerate(lines, start=3):
        tabular.put(intro, row, 1, text).alignment = Alignment(wrap_text=True)
    intro.column_dimensions["A"].width = 110

    about = tabular.add_sheet(book, lay.ABOUT)
    for row, key in enumerate(lay.ABOUT_KEYS, start=1):
        tabular.put(about, row, 1, key)
        tabular.put(about, row, 3, tr(f"survey.wb.about.{key}", lang))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 36

    lists = tabular.add_sheet(book, lay.LISTS)
    for col, key in enumerate(("", "", "item_id", "site_id"), start=1):
        tabular.put(lists, 1, col, key)

    for sheet in (lay.SUPPLIED, *lay.ANSWER_SHEETS):
        ws = tabular.add_sheet(book, sheet)
        for col, column in enumerate(lay.COLUMNS[sheet], start=1):
            tabular.put(ws, 1, col, column.key).font = Font(color="808080")
            label = tabular.put(ws, 2, col, tr(f"survey.wb.col.{column.key}", lang))
            label.font, label.fill = bold, head_fill
            label.alignment = Alignment(wrap_text=True)
            ws.column_dimensions[lay.letter(sheet, column.key)].width = column.width
        ws.freeze_panes = "A3"
        if sheet == lay.SUPPLIED:
            continue
        last = lay.FIRST_DATA_ROW + lay.INPUT_ROWS
        for column in lay.COLUMNS[sheet]:
            check = _validation(column, lang)
            if check is None:
                continue
            letter = lay.letter(sheet, column.key)
            check.add(f"{letter}{lay.FIRST_DATA_ROW}:{letter}{last}")
            ws.add_data_validation(check)
    lists.sheet_state = "hidden"
    buffer = BytesIO()
    tabular.save(book, buffer)
    return buffer.getvalue()


def _validation(column: lay.Col, lang: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.kind not in ("country", "choice", "share", "number", "item", "site"):
        return None
    error = tr(f"survey.wb.check.{column.kind}", lang)
    if column.kind == "country":
        # Two letters, checked against ISO 3166 on return: a list of 250 codes on a sheet of
        # its own was a third of every workbook's cells, and of the time to write it.
        made = DataValidation(type="textLength", operator="equal", formula1="2")
    elif column.kind == "choice":
        made = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
    elif column.kind == "share":
        made = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
    elif column.kind == "number":
        made = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    else:
        col = "C" if column.kind == "item" else "D"
        made = DataValidation(
            type="list", formula1=f"{lay.LISTS}!${col}$2:${col}${_LIST_ROWS}", allow_blank=True
        )
    made.allow_blank = True
    made.showErrorMessage = True
    made.error = error
    return made


def _given_fill() -> Any:  # the grey of the cells we prefilled
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor="EDEDED")


@cache
def _stamp(lang: str) -> tabular.RowStamp:
    return tabular.RowStamp(template(lang), {"given": {"fill": _given_fill()}})


def fill(brief: SupplierBrief) -> bytes:
    """``brief``'s workbook: its rows stamped into the template of its language.

    The template is laid out once per process and language (:class:`econsec.tabular.RowStamp`);
    each supplier's file is that package with its rows written into the sheets' XML, through
    the formula-safe writer — a tenth of what loading the template with openpyxl, filling it
    and saving it took. A stamp is never changed, so threads (the web server's) may share it.
    """
    return _stamp(brief.language).stamp(cells(brief))


def cells(brief: SupplierBrief) -> dict[str, list[Placed]]:
    """Every cell ``brief`` writes into the template: sheet → (row, column, value, style)."""
    out: dict[str, list[Placed]] = {
        lay.ABOUT: [
            (row, 2, value, None)
            for row, value in enumerate(
                (brief.campaign_id, brief.org_id, brief.org_name, brief.language, brief.due),
                start=1,
            )
        ],
        lay.INSTRUCTIONS: [(2, 1, brief.org_name, None)],
    }
    items = sorted({str(r["item_id"]) for r in brief.supplied})[: _LIST_ROWS - 1]
    sites = sorted({str(r["your_site_id"]) for r in brief.supplied})[: _LIST_ROWS - 1]
    lists: list[Placed] = [(row, 3, value, None) for row, value in enumerate(items, start=2)]
    lists += [(row, 4, value, None) for row, value in enumerate(sites, start=2)]
    out[lay.LISTS] = lists
    for sheet, rows in (
        (lay.SUPPLIED, brief.supplied),
        (lay.SOURCES, brief.sources),
        (lay.CONTINUITY, brief.continuity),
        (lay.CONTACTS, brief.contacts),
    ):
        columns = lay.COLUMNS[sheet]
        out[sheet] = [
            (r, c, values[column.key], "given" if column.given else None)
            for r, values in enumerate(rows, start=lay.FIRST_DATA_ROW)
            for c, column in enumerate(columns, start=1)
            if values.get(column.key) is not None and values.get(column.key) != ""
        ]
    return out


_copies = threading.local()


def fill_templated(brief: SupplierBrief) -> bytes:
    """``brief``'s workbook made with openpyxl: the template loaded, filled and saved (the way
    before :func:`fill`; kept to compare the two). The loaded template is emptied again after
    each supplier, so each thread keeps its own copy: one shared by two threads got the rows
    of both."""
    from openpyxl import load_workbook

    books = _copies.__dict__.setdefault("books", {})
    if brief.language not in books:
        books[brief.language] = load_workbook(BytesIO(template(brief.language)))
    book = books[brief.language]
    given_fill = _given_fill()
    written = cells(brief)
    try:
        for sheet, placed in written.items():
            ws = book[sheet]
            for row, column, value, style in placed:
                cell = tabular.put(ws, row, column, value)
                if style == "given":
                    cell.fill = given_fill
        return tabular.to_bytes(book)
    finally:  # back to the empty template for the next supplier
        for sheet, placed in written.items():
            ws = book[sheet]
            if sheet in lay.COLUMNS:
                last = max((row for row, *_ in placed), default=0)
                if last >= lay.FIRST_DATA_ROW:
                    ws.delete_rows(lay.FIRST_DATA_ROW, last - lay.FIRST_DATA_ROW + 1)
            else:
                for row, column, *_ in placed:
                    tabular.put(ws, row, column, None)


def _write_one(brief: SupplierBrief, folder: str, templated: bool = False) -> str:
    path = Path(folder) / brief.file_name()
    path.write_bytes(fill_templated(brief) if templated else fill(brief))
    return path.name


def write_all(
    briefs: list[SupplierBrief],
    folder: Path,
    executor: Executor | None = None,
    *,
    templated: bool = False,
) -> list[str]:
    """Write every brief's workbook into ``folder``; file names in order.

    With an ``executor`` (a process pool) the workbooks are written in parallel; each worker
    lays out its templates once. ``templated`` writes them with :func:`fill_templated`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if executor is None:
        return [_write_one(b, str(folder), templated) for b in briefs]
    chunk = max(1, len(briefs) // 16)
    futures = [
        executor.submit(_write_batch, briefs[i : i + chunk], str(folder), templated)
        for i in range(0, len(briefs), chunk)
    ]
    return [name for f in futures for name in f.result()]


def _write_batch(briefs: list[SupplierBrief], folder: str, templated: bool) -> list[str]:
    return [_write_one(b, folder, templated) for b in briefs]
