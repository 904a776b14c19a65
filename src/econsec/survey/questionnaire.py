"""The supplier questionnaire workbook: one template per language, filled per supplier.

Building a workbook with its styles, data validation and instructions took most of the time of
writing a campaign's workbooks; the layout is the same for every supplier of one language, so
it is built once (per process and language) and each supplier's copy is the template read back
with that supplier's rows written in (docs/decisions/0180-supplier-mapping-campaigns.md). Every
cell goes through :mod:`econsec.tabular`, so no supplier or item name runs as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
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


@cache
def _open_template(lang: str) -> Any:
    from openpyxl import load_workbook

    return load_workbook(BytesIO(template(lang)))


def fill(brief: SupplierBrief) -> bytes:
    """``brief``'s workbook: the template of its language with its rows written in.

    The template is read once per process and language and emptied again after each supplier
    (its answer rows deleted, its lists cleared): reading it back for every supplier took as
    long as writing. So this is not for threads; processes each keep their own.
    """
    from openpyxl.styles import PatternFill

    book = _open_template(brief.language)
    given_fill = PatternFill("solid", fgColor="EDEDED")
    about = book[lay.ABOUT]
    for row, value in enumerate(
        (brief.campaign_id, brief.org_id, brief.org_name, brief.language, brief.due), start=1
    ):
        tabular.put(about, row, 2, value)
    tabular.put(book[lay.INSTRUCTIONS], 2, 1, brief.org_name)
    lists = book[lay.LISTS]
    items = sorted({str(r["item_id"]) for r in brief.supplied})[: _LIST_ROWS - 1]
    sites = sorted({str(r["your_site_id"]) for r in brief.supplied})[: _LIST_ROWS - 1]
    for row, value in enumerate(items, start=2):
        tabular.put(lists, row, 3, value)
    for row, value in enumerate(sites, start=2):
        tabular.put(lists, row, 4, value)
    filled = (
        (lay.SUPPLIED, brief.supplied),
        (lay.SOURCES, brief.sources),
        (lay.CONTINUITY, brief.continuity),
        (lay.CONTACTS, brief.contacts),
    )
    try:
        for sheet, rows in filled:
            _rows(book[sheet], sheet, rows, given_fill)
        return tabular.to_bytes(book)
    finally:  # back to the empty template for the next supplier
        for sheet, rows in filled:
            if rows:
                book[sheet].delete_rows(lay.FIRST_DATA_ROW, len(rows))
        for row in range(2, max(len(items), len(sites)) + 2):
            tabular.put(lists, row, 3, None)
            tabular.put(lists, row, 4, None)


def _rows(ws: Any, sheet: str, rows: Iterable[dict[str, Any]], given_fill: Any) -> None:
    columns = lay.COLUMNS[sheet]
    for r, values in enumerate(rows, start=lay.FIRST_DATA_ROW):
        for c, column in enumerate(columns, start=1):
            value = values.get(column.key)
            if value is None or value == "":
                continue
            cell = tabular.put(ws, r, c, value)
            if column.given:
                cell.fill = given_fill


def _write_one(brief: SupplierBrief, folder: str) -> str:
    path = Path(folder) / brief.file_name()
    path.write_bytes(fill(brief))
    return path.name


def write_all(
    briefs: list[SupplierBrief], folder: Path, executor: Executor | None = None
) -> list[str]:
    """Write every brief's workbook into ``folder``; file names in order.

    With an ``executor`` (a process pool) the workbooks are filled in parallel; each worker
    builds its templates once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if executor is None:
        return [_write_one(b, str(folder)) for b in briefs]
    chunk = max(1, len(briefs) // 16)
    futures = [
        executor.submit(_write_batch, briefs[i : i + chunk], str(folder))
        for i in range(0, len(briefs), chunk)
    ]
    return [name for f in futures for name in f.result()]


def _write_batch(briefs: list[SupplierBrief], folder: str) -> list[str]:
    return [_write_one(b, folder) for b in briefs]
