"""Every kind of bad input gets its own located error, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from econsec.i18n import LANGUAGES
from econsec.valuechain import models as m
from econsec.valuechain.intake.apply import import_path
from econsec.valuechain.schema import Tables
from econsec.valuechain.store_io import current_version, read_tables
from tests.valuechain.minichain import mini_tables


@dataclass(frozen=True)
class Expect:
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


def _tables(edit: Callable[[Tables], None]) -> Callable[[Path], Path]:
    """A case made by editing the mini chain's tables and writing them as a workbook."""

    def build(folder: Path) -> Path:
        from econsec.valuechain.workbook import write_workbook

        tables = mini_tables()
        edit(tables)
        path = folder / "case.xlsx"
        write_workbook(tables, path)
        return path

    return build


def _cells(edit: Callable[[Workbook], None]) -> Callable[[Path], Path]:
    """A case made by editing a written workbook cell by cell (formulas, merges, raw text)."""

    def build(folder: Path) -> Path:
        from econsec.valuechain.workbook import write_workbook

        path = folder / "case.xlsx"
        write_workbook(mini_tables(), path)
        wb = load_workbook(path)
        edit(wb)
        wb.save(path)
        return path

    return build


def _raw(data: bytes, name: str = "case.xlsx") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _zip_bomb(folder: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    path = folder / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def _zip_of(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _empty_workbook(folder: Path) -> Path:
    from econsec.valuechain.workbook import write_workbook

    path = folder / "empty.xlsx"
    write_workbook({name: [] for name in mini_tables()}, path)
    return path


def _set(sheet: str, index: int, column: str, value: object) -> Callable[[Tables], None]:
    def edit(tables: Tables) -> None:
        tables[sheet][index][column] = value

    return edit


def _dup_item(tables: Tables) -> None:
    tables["items"].append(dict(tables["items"][1]))


def _bom_cycle(tables: Tables) -> None:
    tables["bom"].append({"parent_item_id": "R", "child_item_id": "P", "quantity_per_unit": 1.0})


def _formula(wb: Workbook) -> None:
    wb["inventory"]["C2"] = "=100+100"


def _delete_country_column(wb: Workbook) -> None:
    ws = wb["sites"]
    ws.delete_cols([c.value for c in ws[1]].index("country") + 1)


def _qualified_maybe(wb: Workbook) -> None:
    ws = wb["supply_links"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("qualified") + 1, value="maybe")


def _merge(wb: Workbook) -> None:
    wb["items"].merge_cells("B2:C2")


CASES: dict[str, tuple[Callable[[Path], Path], Expect]] = {
    "missing required column": (
        _cells(_delete_country_column),
        Expect("valuechain.header.missing", "sites", 1, "country"),
    ),
    "text in a number column": (
        _tables(_set("supply_links", 0, "share", "seventy")),
        Expect("valuechain.cell.number", "supply_links", 2, "share"),
    ),
    "negative inventory": (
        _tables(_set("inventory", 0, "on_hand_units", -5.0)),
        Expect("valuechain.cell.range", "inventory", 2, "on_hand_units"),
    ),
    "share above 1": (
        _tables(_set("supply_links", 2, "share", 1.5)),
        Expect("valuechain.cell.range", "supply_links", 4, "share"),
    ),
    "impossible latitude": (
        _tables(_set("sites", 0, "latitude", 200.0)),
        Expect("valuechain.cell.range", "sites", 2, "latitude"),
    ),
    "zero BOM quantity": (
        _tables(_set("bom", 0, "quantity_per_unit", 0.0)),
        Expect("valuechain.cell.range", "bom", 2, "quantity_per_unit"),
    ),
    "unknown item in a supply link": (
        _tables(_set("supply_links", 1, "item_id", "ZZZ")),
        Expect("valuechain.check.unknown_ref", "supply_links", 3, "item_id"),
    ),
    "unknown chokepoint": (
        _tables(_set("supply_links", 2, "chokepoints", ["NOWHERE"])),
        Expect("valuechain.check.unknown_ref", "supply_links", 4, "chokepoints"),
    ),
    "duplicate item id": (
        _tables(_dup_item),
        Expect("valuechain.check.duplicate", "items", 6, "item_id"),
    ),
    "BOM cycle": (
        _tables(_bom_cycle),
        Expect("valuechain.check.bom_cycle", "bom", 5, "child_item_id"),
    ),
    "shares that do not add up": (
        _tables(_set("supply_links", 1, "share", 0.2)),
        Expect("valuechain.check.share_sum", "supply_links", 2, "share"),
    ),
    "unknown country": (
        _tables(_set("organisations", 1, "country", "Atlantis")),
        Expect("valuechain.cell.country", "organisations", 3, "country"),
    ),
    "value outside the allowed list": (
        _tables(_set("sites", 1, "kind", "factory")),
        Expect("valuechain.cell.enum", "sites", 3, "kind"),
    ),
    "yes/no column with another word": (
        _cells(_qualified_maybe),
        Expect("valuechain.cell.bool", "supply_links", 2, "qualified"),
    ),
    "missing required value": (
        _tables(_set("items", 0, "unit", None)),
        Expect("valuechain.cell.required", "items", 2, "unit"),
    ),
    "workbook without data rows": (_empty_workbook, Expect("valuechain.file.no_rows")),
    "0-byte xlsx": (_raw(b""), Expect("workbook.empty")),
    "wrong file type": (_raw(b"%PDF-1.7\n%binary\n"), Expect("workbook.not_xlsx")),
    "zip that is not a workbook": (
        _raw(_zip_of({"word/document.xml": "<w/>"})),
        Expect("workbook.not_xlsx"),
    ),
    "zip bomb": (_zip_bomb, Expect("workbook.zip_bomb")),
    "formula instead of a value": (
        _cells(_formula),
        Expect("valuechain.file.formula", "inventory", 2, "C"),
    ),
    "merged cells": (_cells(_merge), Expect("valuechain.file.merged_cells", "items", 2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_where_it_is_and_writes_nothing(
    name: str, stored_mini: Tables, tmp_path: Path
) -> None:
    build, expect = CASES[name]
    before_version, before = current_version(), read_tables()
    runs = m.ImportRun.objects.count()
    outcome = import_path(build(tmp_path))
    assert outcome.run is None, name
    found = [i for i in outcome.validation.errors if i.code == expect.code]
    assert found, [i.render("en") for i in outcome.validation.issues]
    issue = found[0]
    assert (issue.sheet, issue.row, issue.column) == (expect.sheet, expect.row, expect.column)
    for lang in LANGUAGES:  # the message renders in both languages, with its location
        text = issue.render(lang)
        assert text and (expect.sheet is None or expect.sheet in text)
    assert read_tables() == before and current_version() == before_version
    assert m.ImportRun.objects.count() == runs


def test_full_width_digits_are_read_with_a_warning(
    db: None, workbook_of: Callable[[Tables], Path]
) -> None:
    tables = mini_tables()
    tables["inventory"][0]["on_hand_units"] = "１，２００"
    tables["demand"][0]["unit_price"] = "１００００"
    outcome = import_path(workbook_of(tables))
    assert outcome.ok
    assert m.Inventory.objects.get(site__site_id="J1", item__item_id="M").on_hand_units == 1200.0
    warnings = [i for i in outcome.validation.warnings if i.code == "valuechain.cell.fullwidth"]
    assert {(w.sheet, w.row, w.column) for w in warnings} == {
        ("inventory", 2, "on_hand_units"),
        ("demand", 2, "unit_price"),
    }


def test_japanese_country_names_and_labels_are_accepted(
    db: None, workbook_of: Callable[[Tables], Path]
) -> None:
    tables = mini_tables()
    for row, name in zip(tables["organisations"], ["日本", "台湾", "韓国", "中国"], strict=True):
        row["country"] = name
    tables["supply_links"][0]["qualified"] = "はい"
    assert import_path(workbook_of(tables)).ok
    assert dict(m.Organisation.objects.values_list("org_id", "country")) == {
        "OWN": "JP",
        "TWS": "TW",
        "KRS": "KR",
        "CNS": "CN",
    }


def test_every_error_of_a_file_is_reported_at_once(
    db: None, workbook_of: Callable[[Tables], Path]
) -> None:
    tables = mini_tables()
    tables["inventory"][0]["on_hand_units"] = -1.0
    tables["sites"][1]["kind"] = "factory"
    tables["supply_links"][3]["item_id"] = "NOPE"
    outcome = import_path(workbook_of(tables))
    codes = {i.code for i in outcome.validation.errors}
    assert codes >= {
        "valuechain.cell.range",
        "valuechain.cell.enum",
        "valuechain.check.unknown_ref",
    }
    assert m.Organisation.objects.count() == 0
