"""Carrying a campaign to a new edition on the store, and the import-framework / migrate CLI."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from econsec.cli import app
from econsec.guideline.campaigns import (
    ItemFields,
    QuestionFields,
    campaign_answers,
    create_campaign,
    record_answers,
    store_framework,
)
from econsec.guideline.frameworks import Framework
from econsec.guideline.models import AssessmentEvent, Campaign, StoredFramework
from econsec.guideline.scoring import Result

from .test_editions import MAPPING, second_edition

runner = CliRunner()


@pytest.fixture(autouse=True)
def _store(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The test database is already set up; open_store must not reconfigure it.
    monkeypatch.setattr("econsec.store._ready", True)


def _campaign(mini: Framework) -> Campaign:
    store_framework(mini, "imported")
    store_framework(second_edition(mini), "imported")
    campaign = create_campaign("mini-1", "FY2025", dt.date(2025, 12, 1), ["Sato"])
    record_answers(
        campaign,
        {
            "q1": QuestionFields(Result.DONE, "ok"),
            "q2": QuestionFields(Result.PARTIAL),
            "q4": QuestionFields(Result.DONE),
            "q5": QuestionFields(Result.NOT_DONE),
            "q6": QuestionFields(Result.DONE),
        },
        {"X-1": ItemFields(maturity=3, owner="Sato"), "Y-1": ItemFields(maturity=2)},
        actor="Sato",
    )
    return campaign


def test_migrate_cli_carries_answers_and_keeps_the_old_campaign(
    mini: Framework, tmp_path: Path
) -> None:
    old = _campaign(mini)
    before = campaign_answers(old)
    mapping = tmp_path / "mini-1-to-2.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "assess",
            "migrate",
            str(old.pk),
            "--to",
            "mini-2@1",
            "--mapping",
            str(mapping),
            "--date",
            "2026-12-01",
            "--actor",
            "Ito",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "q45" in result.output and "q6(done)" in result.output
    new = Campaign.objects.exclude(pk=old.pk).get()
    assert new.framework.framework_id == "mini-2"
    assert (new.assessment_date, new.assessors) == (dt.date(2026, 12, 1), ["Sato"])
    answers, maturity = campaign_answers(new)
    assert answers == {
        "q1": Result.DONE,
        "q2": Result.PARTIAL,
        "q45": Result.NOT_DONE,
    }
    assert maturity == {"X-1": 3, "Y-1": 2}
    assert campaign_answers(old) == before
    event = AssessmentEvent.objects.get(campaign=new, action="campaign.migrated")
    assert event.detail["review_questions"] == ["q2", "q45"]
    assert event.detail["removed"] == [
        {"kind": "question", "id": "q6", "result": "done", "maturity": None}
    ]
    from econsec.guideline.migration import pending_review

    assert pending_review(new) == (["q2", "q45"], ["Y-1"])
    record_answers(new, {"q45": QuestionFields(Result.PARTIAL)}, {}, actor="Ito")
    assert pending_review(new) == (["q2"], ["Y-1"])


def test_migrate_refuses_without_mapping_or_with_wrong_version(mini: Framework) -> None:
    old = _campaign(mini)
    for target, needle in (("mini-2@1", "no edition mapping"), ("mini-2@5", "version 1")):
        result = runner.invoke(
            app, ["assess", "migrate", str(old.pk), "--to", target, "--lang", "en"]
        )
        assert result.exit_code == 1 and needle in result.output, result.output
    result = runner.invoke(app, ["assess", "migrate", str(old.pk), "--to", "mini-2"])
    assert result.exit_code == 1
    assert Campaign.objects.count() == 1


def test_migrate_with_a_bad_mapping_writes_nothing(mini: Framework, tmp_path: Path) -> None:
    old = _campaign(mini)
    raw = copy.deepcopy(MAPPING)
    del raw["questions"][-1]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "assess",
            "migrate",
            str(old.pk),
            "--to",
            "mini-2@1",
            "--mapping",
            str(mapping),
            "--lang",
            "ja",
        ],
    )
    assert result.exit_code == 1 and "qn" in result.output
    assert Campaign.objects.count() == 1


def _checklist(path: Path, duplicate: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["No.", "区分", "チェック内容", "重要度"])
    ws.append(["1", "自律性", "依存度を把握しているか", "高"])
    ws.append(["1" if duplicate else "2", "自律性", "代替調達先があるか", "中"])
    wb.save(path)
    return path


def test_import_framework_cli_stores_and_campaign_opens(tmp_path: Path) -> None:
    out = tmp_path / "fw.yaml"
    result = runner.invoke(
        app,
        [
            "assess",
            "import-framework",
            str(_checklist(tmp_path / "c.xlsx")),
            "--id",
            "meti-cl",
            "--edition",
            "第1版",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "guessed from the heading" in result.output and "2 question(s)" in result.output
    row = StoredFramework.objects.get(framework_id="meti-cl")
    assert (row.origin, row.edition, row.content["languages"]) == ("imported", "第1版", ["ja"])
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["id"] == "meti-cl"
    result = runner.invoke(app, ["assess", "new", "meti-cl", "--name", "x", "--assessor", "Sato"])
    assert result.exit_code == 0, result.output


def test_import_framework_cli_errors_store_nothing(tmp_path: Path) -> None:
    out = tmp_path / "fw.yaml"
    path = _checklist(tmp_path / "c.xlsx", duplicate=True)
    result = runner.invoke(
        app,
        [
            "assess",
            "import-framework",
            str(path),
            "--id",
            "meti-cl",
            "--out",
            str(out),
            "--lang",
            "ja",
        ],
    )
    assert result.exit_code == 1
    assert "3行目" in result.output and "重複" in result.output
    assert not StoredFramework.objects.filter(framework_id="meti-cl").exists()
    assert not out.exists()
    dry = runner.invoke(
        app,
        [
            "assess",
            "import-framework",
            str(_checklist(tmp_path / "ok.xlsx")),
            "--id",
            "dry",
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0 and not StoredFramework.objects.filter(framework_id="dry").exists()
