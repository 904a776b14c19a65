"""Hostile assessment answer workbooks (web upload and `econsec assess import`): a located
error in ja and en within the budget, no answer recorded, the process alive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from econsec.guideline.assessment_io import export_campaign, import_campaign
from econsec.guideline.campaigns import create_campaign, store_framework
from econsec.guideline.frameworks import load_framework
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.models import AssessmentEvent, ItemAssessment, QuestionAnswer
from econsec.guideline.xlsx_io import COLUMNS
from tests.hostile import files
from tests.hostile.budget import measured

MINI = Path(__file__).resolve().parents[1] / "guideline" / "fixtures" / "mini.yaml"
# The first question's comment: row 3 (after the keys and the labels), column question_comment.
COMMENT = f"{chr(ord('A') + COLUMNS.index('question_comment'))}3"
Build = Callable[[Path, Path], Path]


@pytest.fixture
def exported(db: Any, tmp_path: Path) -> tuple[Any, Path]:
    store_framework(load_framework(MINI), "imported")
    campaign = create_campaign("mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato"])
    path = tmp_path / "meeting.xlsx"
    export_campaign(campaign, path, lang="ja")
    return campaign, path


CASES: dict[str, tuple[Build, list[str]]] = {
    # A 14 KB file declaring A1:XFD20000 took 6.3 s a request; row 1,048,576 took minutes.
    "huge declared dimension": (
        lambda b, o: files.declared_dimension(b, o, "A1:XFD20000"),
        ["assessment", "XFD20000"],
    ),
    "declared far row": (
        lambda b, o: files.declared_dimension(b, o, "A1:N1048576"),
        ["assessment", "N1048576"],
    ),
    "far-away single cell": (files.far_cell, ["assessment", "XFD1048576"]),
    "far-away row": (lambda b, o: files.far_cell(b, o, "A1048576"), ["assessment", "A1048576"]),
    "zip bomb": (files.zip_bomb, ["case.xlsx", "xl/media/padding.bin"]),
    "xml entities": (files.xml_entities, ["case.xlsx", "sheet1.xml"]),
    "formula": (
        lambda b, o: files.set_cell(b, o, COMMENT, formula=files.FORMULA),
        ["assessment", COMMENT],
    ),
    "oversized body": (lambda b, o: files.oversized(o, 11 * 1024 * 1024), ["case.xlsx"]),
    "NUL": (lambda b, o: files.set_cell(b, o, COMMENT, text=files.NUL), ["assessment", COMMENT]),
    "right-to-left override": (
        lambda b, o: files.set_cell(b, o, COMMENT, text=files.RLO),
        ["assessment", "3", "question_comment"],
    ),
    "zero-width space": (
        lambda b, o: files.set_cell(b, o, COMMENT, text=files.ZWSP),
        ["assessment", "3", "question_comment"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_answer_workbook(case: str, exported: tuple[Any, Path], tmp_path: Path) -> None:
    campaign, base = exported
    build, must_name = CASES[case]
    path = build(base, tmp_path / "case.xlsx")
    events = AssessmentEvent.objects.count()
    with measured() as spent, pytest.raises(ImportProblems) as caught:
        import_campaign(campaign, path, actor="t")
    spent.check()
    for lang in ("ja", "en"):
        for message in caught.value.messages(lang):
            assert all(part in message for part in must_name), message
    assert not QuestionAnswer.objects.exists() and not ItemAssessment.objects.exists()
    assert AssessmentEvent.objects.count() == events


def test_the_exported_workbook_imports(exported: tuple[Any, Path], tmp_path: Path) -> None:
    campaign, base = exported
    result = f"{chr(ord('A') + COLUMNS.index('result'))}3"
    path = files.set_cell(base, tmp_path / "r.xlsx", result, text="done")
    path = files.set_cell(path, tmp_path / "ok.xlsx", COMMENT, text="=1+1 is only text")
    import_campaign(campaign, path, actor="t")
    assert QuestionAnswer.objects.get().comment == "=1+1 is only text"
