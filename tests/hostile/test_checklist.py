"""Hostile checklist workbooks (`econsec assess import-framework`): a located error in ja and
en within the budget, the process alive. Reading a checklist writes nothing by design."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from econsec import tabular
from econsec.guideline.checklist_import import import_checklist
from econsec.guideline.interchange_errors import ImportProblems
from tests.hostile import files
from tests.hostile.budget import measured

HEADER = ["No.", "区分", "項目", "チェック内容", "重要度"]
ROWS = [
    ["1-1", "自律性", "A 供給途絶", "重要物資の依存度を把握しているか", "高"],
    ["1-2", None, None, "代替調達先を検討しているか", "中"],  # D3: the question asked
]
Build = Callable[[Path, Path], Path]


@pytest.fixture
def checklist(tmp_path: Path) -> Path:
    path = tmp_path / "checklist.xlsx"
    book = tabular.new_workbook()
    sheet = tabular.add_sheet(book, "チェックリスト")
    for row in [HEADER, *ROWS]:
        tabular.append(sheet, row)
    tabular.save(book, path)
    return path


CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (files.declared_dimension, ["チェックリスト", "XFD1048576"]),
    "far-away single cell": (files.far_cell, ["チェックリスト", "XFD1048576"]),
    "far-away row": (lambda b, o: files.far_cell(b, o, "A1048576"), ["チェックリスト", "A1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "sheet1.xml"]),
    "formula": (
        lambda b, o: files.set_cell(b, o, "D3", formula=files.FORMULA),
        ["チェックリスト", "3", "(D)"],
    ),
    "oversized body": (lambda b, o: files.oversized(o, 21 * 1024 * 1024), ["case.xlsx"]),
    "NUL": (lambda b, o: files.set_cell(b, o, "D3", text=files.NUL), ["チェックリスト", "D3"]),
    "right-to-left override": (
        lambda b, o: files.set_cell(b, o, "D3", text=files.RLO),
        ["チェックリスト", "3", "(D)"],
    ),
    "zero-width space": (
        lambda b, o: files.set_cell(b, o, "D3", text=files.ZWSP),
        ["チェックリスト", "3", "(D)"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_checklist(case: str, checklist: Path, tmp_path: Path) -> None:
    build, must_name = CASES[case]
    path = build(checklist, tmp_path / "case.xlsx")
    with measured() as spent, pytest.raises(ImportProblems) as caught:
        import_checklist(path, framework_id="meti-check")
    spent.check()
    for lang in ("ja", "en"):
        for message in caught.value.messages(lang):
            assert all(part in message for part in must_name), message


def test_the_valid_checklist_reads(checklist: Path) -> None:
    assert import_checklist(checklist, framework_id="meti-check").rows == 2
