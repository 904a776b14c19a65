"""Hostile user lists (`econsec lists load`, xlsx and CSV): a located error in ja and en within
the budget, no list stored, the process alive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec import tabular
from econsec.cli import app
from econsec.screening.models import ScreeningList
from tests.hostile import files
from tests.hostile.budget import measured

runner = CliRunner()
HEADER = ["id", "name", "aliases", "country"]
ROWS = [["E1", "Acme Trading", "", "CN"], ["E2", "Beta Works", "", "RU"]]  # B3: "Beta Works"
Build = Callable[[Path, Path], Path]


@pytest.fixture
def list_book(tmp_path: Path) -> Path:
    path = tmp_path / "list.xlsx"
    book = tabular.new_workbook()
    sheet = tabular.add_sheet(book, "EUL")
    for row in [HEADER, *ROWS]:
        tabular.append(sheet, row)
    tabular.save(book, path)
    return path


XLSX_CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (files.declared_dimension, ["EUL", "XFD1048576"]),
    "far-away single cell": (files.far_cell, ["EUL", "XFD1048576"]),
    "far-away row": (lambda b, o: files.far_cell(b, o, "A1048576"), ["EUL", "A1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "sheet1.xml"]),
    "formula": (lambda b, o: files.set_cell(b, o, "B3", formula=files.FORMULA), ["EUL", "B3"]),
    "oversized body": (lambda b, o: files.oversized(o, 101 * 1024 * 1024), ["case.xlsx"]),
    "NUL": (lambda b, o: files.set_cell(b, o, "B3", text=files.NUL), ["EUL", "B3"]),
    "right-to-left override": (
        lambda b, o: files.set_cell(b, o, "B3", text=files.RLO),
        ["case.xlsx", "3", "name"],
    ),
    "zero-width space": (
        lambda b, o: files.set_cell(b, o, "B3", text=files.ZWSP),
        ["case.xlsx", "3", "name"],
    ),
}


def _refused(path: Path, must_name: list[str]) -> None:
    for lang in ("ja", "en"):
        with measured() as spent:
            result = runner.invoke(
                app, ["lists", "load", str(path), "--name", "eul", "--format", "user",
                      "--lang", lang],
            )  # fmt: skip
        spent.check()
        assert result.exit_code == 1, result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), result.exception
        text = " ".join(result.output.split())
        assert all(part in text for part in must_name), text
    assert not ScreeningList.objects.exists()


@pytest.mark.parametrize("case", sorted(XLSX_CASES))
def test_hostile_list_workbook(case: str, list_book: Path, db: Any, tmp_path: Path) -> None:
    build, must_name = XLSX_CASES[case]
    _refused(build(list_book, tmp_path / "case.xlsx"), must_name)


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CSV_CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "far-away column": (
        lambda p: _csv(p, "id,name\nE1,Acme" + "," * 5000 + "x\n"),
        ["case.csv", "2"],
    ),
    "oversized body": (lambda p: files.oversized(p, 101 * 1024 * 1024), ["case.csv"]),
    **{
        name: (lambda p, text=text: _csv(p, f"id,name\nE1,Acme\nE2,{text}\n"), ["case.csv", "3"])
        for name, text in files.CHARACTERS.items()
    },
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_hostile_list_csv(case: str, db: Any, tmp_path: Path) -> None:
    build, must_name = CSV_CASES[case]
    _refused(build(tmp_path / "case.csv"), must_name)


def test_the_valid_list_loads(list_book: Path, db: Any) -> None:
    result = runner.invoke(app, ["lists", "load", str(list_book), "--name", "eul", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ScreeningList.objects.filter(name="eul").exists()
