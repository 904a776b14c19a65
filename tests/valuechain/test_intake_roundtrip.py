"""Import → export → import keeps the data; re-import updates in place."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from econsec.valuechain import models as m
from econsec.valuechain.compile import content_version
from econsec.valuechain.intake.apply import import_path
from econsec.valuechain.schema import Tables
from econsec.valuechain.store_io import current_version, read_tables
from econsec.valuechain.workbook import write_csv_folder, write_workbook
from tests.valuechain.minichain import mini_tables


def test_import_stores_every_row_with_provenance(stored_mini: Tables) -> None:
    assert m.Organisation.objects.count() == 4
    link = m.SupplyLink.objects.get(supplier_site__site_id="N1", item__item_id="M")
    assert link.chokepoints == ["TWSTRAIT"]
    assert link.annual_value == Decimal("5000000")
    assert link.source_row == 4  # header is row 1; it is the third link
    assert link.import_run is not None and link.import_run.source_name.endswith(".xlsx")
    assert current_version() == content_version(stored_mini)


def test_export_then_import_is_lossless(stored_mini: Tables, tmp_path: Path) -> None:
    before = read_tables()
    out = tmp_path / "export.xlsx"
    write_workbook(before, out)
    outcome = import_path(out)
    assert outcome.run is not None
    assert (outcome.run.created, outcome.run.updated, outcome.run.deleted) == (0, 0, 0)
    assert read_tables() == before
    assert content_version(read_tables()) == content_version(mini_tables())


def test_csv_folder_round_trip(stored_mini: Tables, tmp_path: Path) -> None:
    before = read_tables()
    folder = tmp_path / "csv"
    write_csv_folder(before, folder)
    outcome = import_path(folder)
    assert outcome.run is not None and outcome.run.created == 0 and outcome.run.updated == 0
    assert read_tables() == before


def test_shift_jis_csv_from_japanese_excel_is_read(db: None, tmp_path: Path) -> None:
    folder = tmp_path / "sjis"
    write_csv_folder(mini_tables(), folder)
    for file in folder.glob("*.csv"):
        file.write_bytes(file.read_text(encoding="utf-8-sig").encode("cp932"))
    outcome = import_path(folder)
    assert outcome.ok
    assert m.Organisation.objects.get(org_id="OWN").name == "自社"


def test_reimport_updates_in_place_and_deletes_rows_the_file_drops(
    stored_mini: Tables, workbook_of: Callable[[Tables], Path]
) -> None:
    org_pk = m.Organisation.objects.get(org_id="TWS").pk
    changed = mini_tables()
    changed["organisations"][1]["name"] = "Taiwan Supplier Corp."
    changed["inventory"] = [r for r in changed["inventory"] if r["item_id"] != "P"]
    outcome = import_path(workbook_of(changed))
    assert outcome.run is not None
    assert (outcome.run.updated, outcome.run.deleted) == (1, 1)
    org = m.Organisation.objects.get(org_id="TWS")
    assert org.pk == org_pk and org.name == "Taiwan Supplier Corp."
    assert m.Organisation.objects.count() == 4 and m.Inventory.objects.count() == 1


def test_partial_workbook_leaves_other_sheets_alone(
    stored_mini: Tables, workbook_of: Callable[[Tables], Path]
) -> None:
    only_inventory = {"inventory": [{"site_id": "J1", "item_id": "M", "on_hand_units": 999.0}]}
    outcome = import_path(workbook_of(only_inventory))
    assert outcome.ok
    assert m.SupplyLink.objects.count() == 4
    assert m.Inventory.objects.get(site__site_id="J1", item__item_id="M").on_hand_units == 999.0


def test_partial_workbook_is_checked_against_stored_rows(
    stored_mini: Tables, workbook_of: Callable[[Tables], Path]
) -> None:
    # Dropping site N1 would orphan stored supply links: refused, naming the stored sheet.
    tables = {"sites": [r for r in mini_tables()["sites"] if r["site_id"] != "N1"]}
    outcome = import_path(workbook_of(tables))
    assert not outcome.ok
    unknown = [i for i in outcome.validation.errors if i.code == "valuechain.check.unknown_ref"]
    assert {i.sheet for i in unknown} >= {"supply_links", "recovery"}
    assert m.Site.objects.filter(site_id="N1").exists()


def test_parent_organisation_and_ownership(db: None, workbook_of: Callable[[Tables], Path]) -> None:
    tables = mini_tables()
    tables["organisations"][2].update(parent_org_id="CNS", ownership_pct=51.0)
    assert import_path(workbook_of(tables)).ok
    krs = m.Organisation.objects.get(org_id="KRS")
    assert krs.parent is not None and krs.parent.org_id == "CNS" and krs.ownership_pct == 51.0
    assert read_tables()["organisations"][2]["parent_org_id"] == "CNS"


def test_control_characters_in_csv_text_are_refused(db: None, tmp_path: Path) -> None:
    tables = mini_tables()
    tables["organisations"][1]["name"] = "Bad\x07Name"
    folder = tmp_path / "csv"
    write_csv_folder(tables, folder)
    outcome = import_path(folder)
    assert not outcome.ok
    (issue,) = outcome.validation.errors
    assert (issue.code, issue.sheet, issue.row, issue.column) == (
        "valuechain.cell.control",
        "organisations",
        3,
        "name",
    )
