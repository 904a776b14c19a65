"""Disclosure drafts and the board report's governance section on the demo company; the
scheduled run (indicators, reminders, delivery)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.utils import timezone

from econsec.governance import actions, disclosure, kri, risks, schedule, structure
from econsec.governance.errors import GovernanceError
from econsec.governance.models import AuditEvent, Disclosure, Notification, Risk
from econsec.governance.report import build
from econsec.reports.model import Section

from .test_risks import demo_results  # noqa: F401 - the fixture

SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


@pytest.fixture
def register(demo_results: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from econsec.governance.demo import create_demo_risks, demo_step

    create_demo_risks(SCENARIOS)
    demo_step("en")
    return demo_results


def test_the_draft_names_the_actual_risks_figures_and_measures(register: dict[str, Any]) -> None:
    draft = disclosure.draft("securities")
    assert draft == disclosure.draft("securities")  # deterministic
    for code, file in (("R-001", "taiwan-strait-closed-8w.yaml"),
                       ("R-002", "cn-rare-earth-export-restriction-26w.yaml")):  # fmt: skip
        risk = Risk.objects.get(code=code)
        money = f"{register[file]['lost_margin']:,.0f}"
        assert f"【{code}】{risk.title_ja}" in draft.text_ja and money in draft.text_ja
        assert f"[{code}] {risk.title_en}" in draft.text_en and money in draft.text_en
        (source,) = [s for s in draft.sources if s.get("risk") == code]
        assert source["value"] == register[file]["lost_margin"]
        assert source["source"].startswith("stress:")
    assert "有価証券報告書" not in draft.text_ja  # the paragraph itself, not its label
    assert "台湾以外の半導体調達先を認定する" in draft.text_ja  # the demo measure
    overdue = actions.overdue().count()
    assert f"{overdue} actions are overdue" in draft.text_en


def test_versions_edits_and_approval(register: dict[str, Any]) -> None:
    first = disclosure.save("securities", actor="ana")
    edited = disclosure.save("securities", actor="ana", text_ja="修正", text_en="edited")
    assert (first.version, edited.version) == (1, 2) and edited.status == "draft"
    with pytest.raises(GovernanceError):
        disclosure.save("securities", actor="ana", text_ja=" ", text_en="x")
    with pytest.raises(GovernanceError):
        disclosure.save("annual", actor="ana")
    with pytest.raises(GovernanceError):
        disclosure.approve(edited, approver="ana", is_administrator=False)
    disclosure.approve(edited, approver="boss", is_administrator=True)
    assert Disclosure.objects.get(pk=edited.pk).status == "approved"
    assert list(AuditEvent.objects.filter(object_ref__startswith="disclosure:")
                .values_list("action", flat=True)) == [
        "disclosure.saved", "disclosure.saved", "disclosure.approved"]  # fmt: skip


def test_report_section_has_heat_map_indicators_top_risks_overdue_and_raci(
    register: dict[str, Any],
) -> None:
    kri.compute_all()  # a second reading: the trend has two points
    section = build("any")
    assert section is not None
    assert Section.from_json(asdict(section)) == section  # stored with the report as JSON
    heat = next(c for c in section.charts if c.kind == "heatmap")
    assert sum(map(sum, heat.data["values"])) == Risk.objects.count() == 2
    tables = {t.id: t for t in section.tables}
    assert [row[0] for row in tables["governance-risks"].rows] == sorted(
        ["R-001", "R-002"], key=lambda c: -(risks.rate(Risk.objects.get(code=c)).residual or 0)
    )
    assert len(tables["governance-kris"].rows) == 9
    # The linked scenario is named in each language, not by its stored English label.
    links = {row[0]: row[5] for row in tables["governance-risks"].rows}
    names = set()
    for path in SCENARIOS.glob("*.yaml"):
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        names.add((name["ja"], name["en"]))
    assert {(x["ja"], x["en"]) for x in links.values()} <= names
    assert all(x["ja"] != x["en"] for x in links.values())
    overdue = [row[3] for row in tables["governance-overdue"].rows]
    assert overdue == ["R-002"]  # the demo's magnet-stock measure is a week late
    raci = {row[0]: row for row in tables["governance-raci"].rows}
    assert raci["1-2"][2] == "調達本部長"  # accountable
    assert any(c.kind == "line" for c in section.charts)  # indicator trends


def test_no_section_without_a_register(db: None) -> None:
    assert build("any") is None


def test_scheduled_run_raises_reminders_once(db: None, settings: Any) -> None:
    settings.ECONSEC_KRI_THRESHOLDS = {"actions_overdue": (1, 1)}  # one late action: red
    User.objects.create_user("taro")
    admin = User.objects.create_user("boss", is_superuser=True)
    assert schedule.due() == [("governance.tick", {})]
    risk = risks.create("R-9", actor="a", title_ja="x", title_en="x", owner="taro")
    risks.change(risk, actor="a", next_review=timezone.localdate())
    actions.create(actor="a", risk=risk, title_ja="y", title_en="y", owner="taro",
                   due=timezone.localdate() - dt.timedelta(days=2))  # fmt: skip
    structure.set_responsibility("1", "boss", "A", actor="a")
    result = schedule.tick()
    assert result["indicators"] == 9
    kinds = sorted(Notification.objects.filter(channel="inbox").values_list("kind", "recipient"))
    assert ("action_overdue", "taro") in kinds and ("review_due", "taro") in kinds
    assert ("kri_red", admin.username) in kinds  # administrators hear of a red indicator
    assert ("kri_red", "taro") not in kinds
    count = Notification.objects.count()
    schedule.tick()  # a second tick (another worker's) the same day writes nothing new
    assert Notification.objects.count() == count
    assert schedule.due() == []  # computed just now


def test_cli_defines_an_indicator_and_delivers(db: None) -> None:
    from typer.testing import CliRunner

    from econsec.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["kri", "define", "late7", "--formula", "actions_overdue",
                                 "--name-ja", "7日超過", "--name-en", "7 days late",
                                 "--amber", "1", "--red", "2", "--params", '{"days": 7}',
                                 "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    bad = runner.invoke(app, ["kri", "define", "x", "--formula", "rm -rf", "--name-ja", "x",
                              "--name-en", "x", "--amber", "1", "--red", "2", "--lang", "en"])  # fmt: skip
    assert bad.exit_code == 1 and "not available" in bad.output
    prefs = runner.invoke(app, ["kri", "prefs", "taro", "--email", "not-an-address"])
    assert prefs.exit_code == 1
    result = runner.invoke(app, ["kri", "deliver", "--lang", "en"])
    assert result.exit_code == 0 and "10 indicators computed" in result.output, result.output


def test_the_board_report_gathers_the_governance_section(register: dict[str, Any]) -> None:
    from econsec.reports.gather import contributed_sections

    ids = [s.id for s in contributed_sections("any")]
    assert "governance" in ids
