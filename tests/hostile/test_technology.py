"""Hostile technology-register workbooks: a located error in ja and en within the budget,
nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec.i18n import LANGUAGES
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register
from econsec.technology.workbook import ImportProblems, export, import_workbook
from tests.hostile import files
from tests.hostile.budget import measured
from tests.technology.chain import demo_chain_rows

Build = Callable[[Path, Path], Path]

CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (
        lambda base, out: files.declared_dimension(base, out), ["technologies", "XFD1048576"]),
    "far-away single cell": (lambda base, out: files.far_cell(base, out),
                             ["technologies", "XFD1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "xl/worksheets/sheet1.xml"]),
    "formula": (lambda base, out: files.set_cell(base, out, "B3", formula=files.FORMULA),
                ["technologies", "HYPERLINK"]),
    "oversized body": (lambda base, out: files.oversized(out, 600 * 1024 * 1024), ["case.xlsx"]),
    **{name: (lambda base, out, text=text: files.set_cell(base, out, "D3", text=text),
              ["technologies", "3"]) for name, text in files.CHARACTERS.items()},
}  # fmt: skip


@pytest.fixture
def register_book(db: Any, tmp_path: Path) -> Path:
    demo_chain_rows()
    create_demo_register()
    path = tmp_path / "register.xlsx"
    export(path, "en")
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_register_workbook(case: str, register_book: Path, tmp_path: Path) -> None:
    build, must_name = CASES[case]
    hostile = build(register_book, tmp_path / "case.xlsx")
    before = list(m.Technology.objects.values_list("tech_id", "name_en", "kind"))
    with measured() as spent, pytest.raises(ImportProblems) as refused:
        import_workbook(hostile, actor="hostile")
    spent.check()
    for problem in refused.value.problems[:1]:
        for lang in LANGUAGES:
            text = problem.message(lang)
            assert all(part in text for part in must_name), (lang, text)
    assert list(m.Technology.objects.values_list("tech_id", "name_en", "kind")) == before
