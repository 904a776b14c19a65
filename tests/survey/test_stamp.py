"""Stamped questionnaires (tabular.RowStamp) are the openpyxl-made ones, cell for cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from econsec import tabular
from econsec.survey import layout as lay
from econsec.survey.answers import Expect, check_cells
from econsec.survey.questionnaire import SupplierBrief, fill, fill_templated

HOSTILE = ['=HYPERLINK("http://evil.example")', "+1", "-2", "@SUM(A1)", "\t=x", "'=y", "a & <b>"]


def _brief(lang: str, org: str = "S1", name: str = HOSTILE[0]) -> SupplierBrief:
    supplied = [{"item_id": f"I{i}", "item_name": HOSTILE[i % len(HOSTILE)],
                 "your_site_id": f"{org}-A" if i % 2 else f"{org}-B", "your_site_name": " Plant ",
                 "your_site_country": "JP", "our_site_id": "J1"} for i in range(5)]  # fmt: skip
    sources = [{"item_id": f"I{i}", "your_site_id": f"{org}-A", "input_item_id": f"R{i}",
                "input_name": HOSTILE[(i + 3) % len(HOSTILE)], "quantity_per_unit": 0.25 * i,
                "source_company": "=cmd|' /C calc'!A0", "source_company_country": "CN",
                "source_site": "", "share": 1.0, "sourcing": "multi",
                "lead_time_days": 30 + i} for i in range(4)]  # fmt: skip
    continuity = [{"site_id": f"{org}-A", "inventory_cover_weeks": 3, "recovery_weeks": 9.5,
                   "bcp_in_place": "yes"}]  # fmt: skip
    contacts = [{"name": "-Ms. Li", "role": "buyer", "email": "li@example.com", "phone": None}]
    return SupplierBrief(7, org, name, lang, "2027-01-31", supplied, sources, continuity, contacts)


def _look(c: Any) -> tuple[Any, ...]:
    font = c.font
    return (c.value, c.fill.fill_type, c.fill.fgColor.rgb, font.b, font.sz,
            font.color and font.color.rgb, c.alignment.wrap_text)  # fmt: skip


def _rule(v: Any) -> tuple[Any, ...]:
    return (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.error, v.allow_blank,
            v.showErrorMessage)  # fmt: skip


def _picture(data: bytes) -> dict[str, Any]:
    """What matters of a workbook, read back with openpyxl: values, fills, fonts, wrapping,
    validations, widths, frozen panes, hidden sheets."""
    book = load_workbook(io.BytesIO(data))
    out: dict[str, Any] = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: _look(c) for row in ws.iter_rows() for c in row
                      if c.value is not None or c.has_style},
            "validations": sorted(_rule(v) for v in ws.data_validations.dataValidation),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "frozen": ws.freeze_panes,
            "state": ws.sheet_state,
        }  # fmt: skip
    return out


@pytest.mark.parametrize("lang", ["ja", "en", "zh"])
def test_a_stamped_workbook_is_the_templated_one_cell_for_cell(lang: str) -> None:
    made = _brief(lang)
    stamped, templated = _picture(fill(made)), _picture(fill_templated(made))
    assert stamped == templated
    sources = stamped[lay.SOURCES]["cells"]
    assert sources["A3"][:3] == ("I0", "solid", "00EDEDED")  # prefilled: grey
    assert sources["F3"][:2] == ("'=cmd|' /C calc'!A0", None)  # answer cells: no fill
    assert len(stamped[lay.SOURCES]["validations"]) == 8


@pytest.mark.parametrize("lang", ["ja", "en", "zh"])
def test_formula_like_values_are_neutralised_and_read_back_exactly(lang: str) -> None:
    import python_calamine

    made = _brief(lang)
    data = fill(made)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))
    assert b"<f>" not in xml and b"<f " not in xml
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)
             for n in book.sheet_names}  # fmt: skip
    for rows in cells.values():  # every text cell is inert as stored
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert tabular.neutralise(tabular.restore(value)) == value
    assert cells[lay.ABOUT][2][1] == "'" + HOSTILE[0]
    assert cells[lay.INSTRUCTIONS][1][0] == "'" + HOSTILE[0]
    assert [r[1] for r in cells[lay.SUPPLIED][2:7]] == [
        tabular.neutralise(HOSTILE[i % len(HOSTILE)]) for i in range(5)
    ]
    assert cells[lay.SUPPLIED][3][3] == " Plant "  # spaces kept
    # The reader takes the apostrophes off again: the contact comes back as written.
    expect = Expect(7, "S1", frozenset(f"I{i}" for i in range(5)), frozenset({"S1-A", "S1-B"}),
                    frozenset(f"R{i}" for i in range(4)))  # fmt: skip
    reading = check_cells(cells, expect)
    assert reading.ok, reading.problems
    assert reading.rows[lay.CONTACTS][0]["name"] == "-Ms. Li"
    assert reading.rows[lay.CONTINUITY][0]["recovery_weeks"] == 9.5


def test_threads_stamp_and_fill_their_own_copies() -> None:
    """One template shared by threads got the rows of two suppliers: each keeps its own."""
    briefs = [_brief("ja", f"S{i}", f"Supplier {i}") for i in range(12)]
    alone = [_picture(fill_templated(b)) for b in briefs]
    with ThreadPoolExecutor(4) as pool:
        stamped = list(pool.map(lambda b: _picture(fill(b)), briefs))
        templated = list(pool.map(lambda b: _picture(fill_templated(b)), briefs))
    assert stamped == alone and templated == alone


def test_a_row_stamp_writes_into_rows_the_template_holds_and_keeps_their_format() -> None:
    from openpyxl.styles import Font

    book = tabular.new_workbook()
    ws = tabular.add_sheet(book, "t")
    tabular.put(ws, 1, 1, "head").font = Font(bold=True)
    tabular.put(ws, 3, 2, "kept")
    stamp = tabular.RowStamp(book, {"red": {"fill": PatternFill("solid", fgColor="FF0000")}})
    data = stamp.stamp({"t": [(1, 1, "=new", None), (1, 3, 2.5, "red"), (2, 28, True, None),
                              (3, 2, None, None), (5, 1, 10**15 + 1, None)]})  # fmt: skip
    again = load_workbook(io.BytesIO(data))["t"]
    assert again["A1"].value == "'=new" and again["A1"].font.b  # its format kept
    assert again["C1"].value == 2.5 and again["C1"].fill.fgColor.rgb == "00FF0000"
    assert again["AB2"].value is True and again["B3"].value is None
    assert again["A5"].value == 10**15 + 1
    assert again.dimensions == "A1:AB5"
    # From bytes too: stamping nothing keeps what the workbook holds.
    kept = load_workbook(io.BytesIO(tabular.RowStamp(data).stamp({})))["t"]
    assert kept["A1"].value == "'=new" and kept["AB2"].value is True
    with pytest.raises(TypeError):
        stamp.stamp({"t": [(1, 1, dt.date(2027, 1, 31), None)]})  # needs a number format
