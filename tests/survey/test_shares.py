"""Shares of one input asked under several items: each answer adds up to 1 and they agree.

Regression: the questionnaire asks for the inputs of each item we buy, so an input two of those
items need at one site appears twice; the reader added both answers up (2.000) and refused the
workbook, even when returned unchanged (20 of 1,356 generated answers in benchmarks/survey).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from econsec.survey import layout as lay
from econsec.survey.answers import Expect, check_cells, parse_answer
from econsec.survey.campaigns import _Chain, brief, expectation
from econsec.survey.questionnaire import fill

EXPECT = Expect(7, "SUP", frozenset({"A", "B"}), frozenset({"S1"}), frozenset({"R"}))


def _cells(sources: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    def sheet(name: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
        keys = lay.keys(name)
        return [keys, keys, *([r.get(k) for k in keys] for r in rows)]

    about = [["campaign_id", 7], ["supplier_id", "SUP"]]
    return {lay.ABOUT: about, lay.SOURCES: sheet(lay.SOURCES, sources),
            lay.CONTINUITY: sheet(lay.CONTINUITY, []), lay.CONTACTS: sheet(lay.CONTACTS, [])}  # fmt: skip


def _row(item: str, company: str, share: float) -> dict[str, Any]:
    return {"item_id": item, "your_site_id": "S1", "input_item_id": "R", "source_company": company,
            "source_company_country": "VN", "share": share}  # fmt: skip


def test_one_input_under_two_items_with_the_same_sources_is_accepted() -> None:
    rows = [_row("A", "Hanoi Metal", 0.7), _row("A", "Busan Alloy", 0.3),
            _row("B", "Hanoi Metal", 0.7), _row("B", "busan alloy", 0.3)]  # fmt: skip
    reading = check_cells(_cells(rows), EXPECT)
    assert reading.ok, [p.message("en") for p in reading.problems]
    assert len(reading.rows[lay.SOURCES]) == 4


def test_different_sources_for_one_input_are_located() -> None:
    rows = [_row("A", "Hanoi Metal", 1.0), _row("B", "Hanoi Metal", 0.5),
            _row("B", "Busan Alloy", 0.5)]  # fmt: skip
    reading = check_cells(_cells(rows), EXPECT)
    assert [(p.code, p.sheet, p.row, p.column) for p in reading.problems] == [
        ("survey.cell.sources_differ", "sources", 5, "K")
    ]
    assert reading.rows == {}
    assert "B" in reading.problems[0].message("ja") and "R" in reading.problems[0].message("zh")


def test_each_items_answer_must_add_up_on_its_own() -> None:
    rows = [_row("A", "Hanoi Metal", 1.0), _row("B", "Hanoi Metal", 0.6)]
    reading = check_cells(_cells(rows), EXPECT)
    assert [(p.code, p.row, p.value) for p in reading.problems] == [
        ("survey.cell.shares_exceed", 4, "0.600")
    ]


def test_a_generated_workbook_returned_unchanged_is_valid(tmp_path: Path) -> None:
    tables = {
        "organisations": [{"org_id": "SUP", "name": "Supplier", "country": "VN"},
                          {"org_id": "SUB", "name": "Sub", "country": "TH"}],
        "sites": [{"site_id": "S1", "org_id": "SUP", "name": "Plant", "country": "VN"},
                  {"site_id": "X1", "org_id": "SUB", "name": "Mine", "country": "TH"}],
        "items": [{"item_id": i, "name": f"Item {i}"} for i in ("A", "B", "R")],
        "bom": [{"parent_item_id": "A", "child_item_id": "R", "quantity_per_unit": 1.0},
                {"parent_item_id": "B", "child_item_id": "R", "quantity_per_unit": 2.0}],
        "supply_links": [
            {"supplier_site_id": "S1", "receiving_site_id": "J1", "item_id": "A", "share": 1.0,
             "qualified": True},
            {"supplier_site_id": "S1", "receiving_site_id": "J1", "item_id": "B", "share": 1.0,
             "qualified": True},
            {"supplier_site_id": "X1", "receiving_site_id": "S1", "item_id": "R", "share": 1.0,
             "qualified": True},
        ],
        "recovery": [],
    }  # fmt: skip
    chain = _Chain(tables)
    asked = SimpleNamespace(campaign_id=7, org_id="SUP", org_name="Supplier", language="en",
                            expires_at=dt.datetime(2027, 1, 31, tzinfo=dt.UTC))  # fmt: skip
    made = brief(asked, chain)  # type: ignore[arg-type]
    assert [(r["item_id"], r["input_item_id"], r["share"]) for r in made.sources] == [
        ("A", "R", 1.0),
        ("B", "R", 1.0),
    ]
    path = tmp_path / "unchanged.xlsx"
    path.write_bytes(fill(made))
    reading = parse_answer(path, expectation(asked, chain), path.name)  # type: ignore[arg-type]
    assert reading.ok, [p.message("en") for p in reading.problems]
    assert len(reading.rows[lay.SOURCES]) == 2
