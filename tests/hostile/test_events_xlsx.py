"""Hostile event workbooks (`econsec events import x.xlsx`): refused before or while reading
with the sheet, row and cell named in ja and en, within the budget, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring.models import Event
from econsec.monitoring.workbook import load
from econsec.sheet_problems import ImportProblems
from tests.hostile import files
from tests.hostile.budget import measured
from tests.monitoring.test_workbook import GALLIUM, book

runner = CliRunner()
Build = Callable[[Path, Path], Path]

CASES: dict[str, tuple[Build, list[str]]] = {
    "huge declared dimension": (lambda base, out: files.declared_dimension(base, out),
                                ["events", "XFD1048576"]),
    "far-away single cell": (lambda base, out: files.far_cell(base, out),
                             ["events", "XFD1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "xl/worksheets/sheet1.xml"]),
    "formula": (lambda base, out: files.set_cell(base, out, "B3", formula=files.FORMULA),
                ["events", "HYPERLINK"]),
    "oversized body": (lambda base, out: files.oversized(out, 600 * 1024 * 1024), ["case.xlsx"]),
    "not a workbook": (lambda base, out: out.write_bytes(b"PK\x03\x04 broken") and out,
                       ["case.xlsx"]),
    **{name: (lambda base, out, text=text: files.set_cell(base, out, "B3", text=text),
              ["events", "3", "B"]) for name, text in files.CHARACTERS.items()},
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_event_workbook(case: str, db: None, tmp_path: Path) -> None:
    build, must_name = CASES[case]
    base = book(tmp_path / "base.xlsx", GALLIUM)
    hostile = build(base, tmp_path / "case.xlsx")
    with measured() as spent, pytest.raises(ImportProblems) as refused:
        load(hostile)
    spent.check()
    for lang in ("ja", "en"):
        text = refused.value.problems[0].message(lang)
        assert all(part in text for part in must_name), (lang, text)
    out = runner.invoke(app, ["events", "import", str(hostile), "--lang", "en", "--no-tts"])
    assert out.exit_code == 1 and must_name[0] in out.output
    assert Event.objects.count() == 0
