"""xlsx round trip: export → fill in → import; bad files give located errors and write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from econsec.guideline.assessment_io import export_campaign, import_campaign
from econsec.guideline.campaigns import campaign_answers, create_campaign, store_framework
from econsec.guideline.frameworks import Framework, builtin_frameworks
from econsec.guideline.interchange_errors import ImportProblems
from econsec.guideline.models import ItemAssessment, QuestionAnswer
from econsec.guideline.scoring import Result
from econsec.guideline.xlsx_io import COLUMNS, export_workbook, read_workbook


@pytest.fixture
def campaign(db: None, mini: Framework):
    store_framework(mini, "imported")
    return create_campaign("mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato"])


def _fill(
    path: Path, edits: dict[tuple[str, str], object], header: dict[str, str] | None = None
) -> None:
    """Fill cells by (question_id, column key), as a person would in Excel."""
    wb = load_workbook(path)
    ws = wb["assessment"]
    keys = [c.value for c in ws[1]]
    rows = {
        ws.cell(row=r, column=keys.index("question_id") + 1).value: r
        for r in range(3, ws.max_row + 1)
    }
    for (qid, key), value in edits.items():
        ws.cell(row=rows[qid], column=keys.index(key) + 1).value = value
    for old, new in (header or {}).items():
        ws.cell(row=1, column=keys.index(old) + 1).value = new
    wb.save(path)


def test_round_trip(campaign, tmp_path: Path) -> None:
    path = tmp_path / "meeting.xlsx"
    export_campaign(campaign, path, lang="ja")
    ws = load_workbook(path)["assessment"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert ws.max_row == 2 + 6  # one row per question
    assert ws["F3"].value == "設問1"
    _fill(
        path,
        {
            ("q1", "result"): "実施済",
            ("q2", "result"): "partial",
            ("q2", "question_comment"): "規程は起案中",
            ("q3", "result"): "対象外",
            ("q4", "result"): "Not done",
            ("q5", "result"): "done",
            ("q1", "maturity"): 2,
            ("q2", "maturity"): 2,  # repeated on the item's second row: must agree
            ("q1", "owner"): "調達部",
            ("q1", "due_date"): dt.datetime(2026, 3, 31),
            ("q4", "maturity"): 1,
            ("q4", "item_comment"): "来期に着手",
        },
    )
    assert import_campaign(campaign, path, actor="Sato") > 0
    answers, maturity = campaign_answers(campaign)
    assert answers == {
        "q1": Result.DONE,
        "q2": Result.PARTIAL,
        "q3": Result.NA,
        "q4": Result.NOT_DONE,
        "q5": Result.DONE,
    }
    assert maturity == {"X-1": 2, "Y-1": 1}
    x1 = ItemAssessment.objects.get(item_id="X-1")
    assert (x1.owner, x1.due_date) == ("調達部", dt.date(2026, 3, 31))
    assert QuestionAnswer.objects.get(question_id="q2").comment == "規程は起案中"

    # Export again (English) and re-import unchanged: nothing changes.
    again = tmp_path / "again.xlsx"
    export_campaign(campaign, again, lang="en")
    assert load_workbook(again)["assessment"]["I3"].value == "done"
    assert import_campaign(campaign, again) == 0


@pytest.mark.parametrize(
    ("edits", "header", "expected"),
    [
        ({}, {"result": "結果"}, ["row 1 lacks the column key 'result'"]),
        ({("q1", "question_id"): "q99"}, None, ["row 3, column 'question_id'", "'q99'"]),
        ({("q2", "result"): "maybe"}, None, ["row 4, column 'result'", "'maybe'"]),
        ({("q1", "maturity"): 5}, None, ["row 3, column 'maturity'"]),
        (
            {("q1", "maturity"): 1, ("q2", "maturity"): 3},
            None,
            ["row 4, column 'maturity'", "row 3"],
        ),
        ({("q1", "due_date"): "next spring"}, None, ["column 'due_date'"]),
        ({("q3", "item_id"): "Y-1"}, None, ["row 5, column 'item_id'"]),
    ],
)
def test_bad_files_give_located_errors_and_write_nothing(
    campaign, tmp_path: Path, edits: dict, header: dict | None, expected: list[str]
) -> None:
    path = tmp_path / "bad.xlsx"
    export_campaign(campaign, path)
    _fill(path, {("q5", "result"): "done", **edits}, header)
    with pytest.raises(ImportProblems) as caught:
        import_campaign(campaign, path)
    text = "\n".join(caught.value.messages("en"))
    for fragment in expected:
        assert fragment in text
    assert all("シート" in m or "1行目" in m for m in caught.value.messages("ja"))
    assert not QuestionAnswer.objects.exists() and not ItemAssessment.objects.exists()


def test_workbook_for_another_framework_is_refused(mini: Framework, tmp_path: Path) -> None:
    esmg = builtin_frameworks()["esmg-1.0-draft"]
    path = tmp_path / "esmg.xlsx"
    export_workbook(esmg, path, "en")
    with pytest.raises(ImportProblems) as caught:
        read_workbook(mini, path)
    keys = {p.key for p in caught.value.problems}
    assert "guideline.xlsx.wrong_framework" in keys


def test_blank_framework_export_has_all_questions(tmp_path: Path) -> None:
    esmg = builtin_frameworks()["esmg-1.0-draft"]
    path = tmp_path / "blank.xlsx"
    export_workbook(esmg, path, "ja")
    ws = load_workbook(path)["assessment"]
    ids = [ws.cell(row=r, column=3).value for r in range(3, ws.max_row + 1)]
    assert ids == [q.id for _, _, q in esmg.questions()]
    questions, items = read_workbook(esmg, path)
    assert all(v == (None, None) for v in questions.values()) and items == {}
