"""Hostile value-chain workbooks and CSV folders: a located error in ja and en within the
budget, nothing written, the process alive (it runs the next case)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec import isolated
from econsec.i18n import LANGUAGES
from econsec.valuechain import models as m
from econsec.valuechain.intake import readers
from econsec.valuechain.intake.apply import import_path
from econsec.valuechain.store_io import current_version, read_tables
from econsec.valuechain.workbook import write_csv_folder
from econsec.workbook_guard import Package
from tests.hostile import files
from tests.hostile.budget import measured
from tests.valuechain.minichain import mini_tables

Build = Callable[[Path, Path], Path]

# case → (how the hostile file is made from the valid one, what its error must name)
WORKBOOK_CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (
        lambda base, out: files.declared_dimension(base, out),
        ["organisations", "XFD1048576"],
    ),
    "far-away single cell": (
        lambda base, out: files.far_cell(base, out),
        ["organisations", "XFD1048576"],
    ),
    "far-away row": (
        lambda base, out: files.far_cell(base, out, "A1048576"),
        ["organisations", "A1048576"],
    ),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "xl/worksheets/sheet1.xml"]),
    "formula": (
        lambda base, out: files.set_cell(base, out, "B3", formula=files.FORMULA),
        ["organisations", "HYPERLINK"],
    ),
    "oversized body": (lambda base, out: files.oversized(out, 600 * 1024 * 1024), ["case.xlsx"]),
    **{
        name: (
            lambda base, out, text=text: files.set_cell(base, out, "B3", text=text),
            ["organisations", "3"],
        )
        for name, text in files.CHARACTERS.items()
    },
}


def _refused_and_nothing_written(path: Path, must_name: list[str]) -> None:
    before, version, runs = read_tables(), current_version(), m.ImportRun.objects.count()
    with measured() as spent:
        outcome = import_path(path)
    spent.check()
    assert outcome.run is None
    assert outcome.validation.errors
    for issue in outcome.validation.errors:
        for lang in LANGUAGES:
            text = issue.render(lang)
            assert all(part in text for part in must_name), (lang, text)
    assert read_tables() == before and current_version() == version
    assert m.ImportRun.objects.count() == runs


@pytest.mark.parametrize("case", sorted(WORKBOOK_CASES))
def test_hostile_workbook(case: str, mini_book: Path, stored_mini: Any, tmp_path: Path) -> None:
    build, must_name = WORKBOOK_CASES[case]
    _refused_and_nothing_written(build(mini_book, tmp_path / "case.xlsx"), must_name)


def _csv_folder(tmp_path: Path, edit: Callable[[Path], None]) -> Path:
    folder = tmp_path / "csv"
    write_csv_folder(mini_tables(), folder)
    edit(folder / "organisations.csv")
    return folder


def _append(text: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.write(text)

    return edit


def _name(text: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        path.write_text(
            path.read_text(encoding="utf-8-sig").replace(
                "Taiwan Supplier", '"' + text.replace('"', '""') + '"'
            ),
            encoding="utf-8-sig",
        )

    return edit


CSV_CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "far-away column": (_append("X9,far" + "," * 20_000 + "x\r\n"), ["organisations", "6"]),
    "far-away row": (_append("\r\n" * 1_048_576 + "X9,far\r\n"), ["organisations", "1048577"]),
    "oversized body": (lambda p: files.oversized(p, 600 * 1024 * 1024), ["organisations.csv"]),
    **{name: (_name(text), ["organisations", "3"]) for name, text in files.CHARACTERS.items()},
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_hostile_csv_folder(case: str, stored_mini: Any, tmp_path: Path) -> None:
    edit, must_name = CSV_CASES[case]
    _refused_and_nothing_written(_csv_folder(tmp_path, edit), must_name)


def test_formula_text_in_csv_is_kept_as_text(db: Any, tmp_path: Path) -> None:
    """CSV has no formulas: text starting with "=" is a name like any other (and is written
    inert again on export: tests/hostile/test_exports.py)."""
    outcome = import_path(_csv_folder(tmp_path, _name("=" + files.FORMULA)))
    assert outcome.ok
    assert m.Organisation.objects.get(org_id="TWS").name == "=" + files.FORMULA


def test_a_reader_that_runs_out_of_memory_is_an_error_not_a_crash(
    mini_book: Path, stored_mini: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the package checks switched off, calamine asks for 512 GiB for one far cell: the
    child dies, the import reports it, and this process goes on."""
    far = files.far_cell(mini_book, tmp_path / "far.xlsx")
    monkeypatch.setattr(readers, "inspect", lambda path, limits: Package(()))
    before = read_tables()
    with measured() as spent:
        outcome = import_path(far)
    spent.check()
    (issue,) = outcome.validation.errors
    assert issue.code == "workbook.too_costly"
    assert "far.xlsx" in issue.render("ja") and "far.xlsx" in issue.render("en")
    assert read_tables() == before
    assert import_path(mini_book).ok  # and the next import works


def test_a_reader_past_its_deadline_is_stopped(
    mini_book: Path, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated, "SECONDS", 0.0)
    outcome = import_path(mini_book)
    (issue,) = outcome.validation.errors
    assert issue.code == "workbook.too_slow" and "mini.xlsx" in issue.render("en")
    assert m.ImportRun.objects.count() == 0
