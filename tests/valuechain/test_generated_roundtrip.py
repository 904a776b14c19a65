"""A generated network survives import → export → import unchanged (and the demo company too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.valuechain.compile import content_version
from econsec.valuechain.generators.synthetic import generate_network
from econsec.valuechain.intake.apply import import_path
from econsec.valuechain.store_io import current_version, read_tables
from econsec.valuechain.workbook import write_csv_folder, write_workbook

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.django_db
def test_generated_network_round_trip(tmp_path: Path) -> None:
    tables = generate_network(sites=60, parts=400, tiers=5, seed=3)
    book = tmp_path / "generated.xlsx"
    write_workbook(tables, book)
    first = import_path(book)
    assert first.ok, [i.render("en") for i in first.validation.errors[:5]]
    assert current_version() == content_version(tables)

    stored = read_tables()
    folder = tmp_path / "exported"
    write_csv_folder(stored, folder)
    second = import_path(folder)
    assert second.run is not None
    assert (second.run.created, second.run.updated, second.run.deleted) == (0, 0, 0)
    assert read_tables() == stored
    assert current_version() == content_version(tables)


@pytest.mark.django_db
def test_demo_company_workbook_round_trip(tmp_path: Path) -> None:
    first = import_path(EXAMPLES / "demo-company.xlsx")
    assert first.ok, [i.render("en") for i in first.validation.errors[:5]]
    version = current_version()
    stored = read_tables()
    out = tmp_path / "demo-export.xlsx"
    write_workbook(stored, out)
    second = import_path(out)
    assert second.run is not None and second.run.updated == 0 and second.run.created == 0
    assert read_tables() == stored and current_version() == version
