"""The risk register on the demo company: impact from the stored stress results, ratings,
acceptance only by an administrator, the history in the audit trail, and `econsec risk`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.governance.chain import verify
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Risk

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "examples" / "scenarios"
runner = CliRunner()


@pytest.fixture
def demo_results(db: None) -> dict[str, Any]:
    """The demo company imported and both example scenarios run and stored (as `econsec demo`)."""
    from econsec.stress.api import load_scenario, run_scenario
    from econsec.stress.store import save_result
    from econsec.valuechain.intake.apply import import_path
    from econsec.valuechain.store_io import compile_store

    assert import_path(ROOT / "examples" / "demo-company.xlsx").run is not None
    chain = compile_store()
    out = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(str(path))
        payload = run_scenario(chain, scenario)
        save_result(payload, scenario)
        out[path.name] = payload
    return out


def _band(money: float) -> int:
    # The default bands written out: < 1e7 → 1, < 1e8 → 2, < 1e9 → 3, < 1e10 → 4, else 5.
    for level, limit in enumerate((1e7, 1e8, 1e9, 1e10), start=1):
        if money < limit:
            return level
    return 5


def test_demo_risks_take_their_impact_from_the_two_scenarios(demo_results: dict[str, Any]) -> None:
    from econsec.governance.demo import create_demo_risks
    from econsec.governance.risks import rate

    assert create_demo_risks(SCENARIOS) == ["R-001", "R-002"]
    assert create_demo_risks(SCENARIOS) == []  # a second demo run adds nothing
    files = {"R-001": "taiwan-strait-closed-8w.yaml",
             "R-002": "cn-rare-earth-export-restriction-26w.yaml"}  # fmt: skip
    for code, file in files.items():
        r = rate(Risk.objects.get(code=code))
        money = demo_results[file]["lost_margin"]
        assert money > 0
        assert r.impact.money == pytest.approx(money) and not r.impact.stale
        assert r.inherent_impact == _band(money)
        assert r.inherent == r.risk.likelihood * _band(money)
        assert r.residual == r.inherent  # no residual entered yet

    result = runner.invoke(app, ["risk", "list", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "R-001" in result.output and "R-002" in result.output
    taiwan = demo_results["taiwan-strait-closed-8w.yaml"]["lost_margin"]
    assert f"{taiwan:,.0f}" in result.output
    assert "Taiwan Strait" in result.output


def test_impact_is_marked_stale_when_the_data_version_moves(demo_results: dict[str, Any]) -> None:
    from econsec.governance.demo import create_demo_risks
    from econsec.governance.risks import rate
    from econsec.valuechain.models import ImportRun

    create_demo_risks(SCENARIOS)
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None
    ImportRun.objects.filter(pk=run.pk).update(data_version="another-version")
    r = rate(Risk.objects.get(code="R-001"))
    assert r.impact.stale and r.impact.money is not None


def test_entered_figures_ratings_changes_and_history(db: None) -> None:
    from econsec.governance import risks

    risk = risks.create(
        "R-100", actor="ana", title_ja="主要顧客の喪失", title_en="Loss of a key customer",
        entered_impact=2.5e8, likelihood=2,
    )  # fmt: skip
    r = risks.rate(risk)
    assert (r.inherent_impact, r.inherent, r.impact.source) == (3, 6, "entered")
    risks.change(risk, actor="ana", reason="second source qualified", residual_likelihood=1)
    assert risks.rate(risk).residual == 3
    events = risks.history(risk)
    assert [e.action for e in events] == ["risk.created", "risk.changed"]
    assert '"residual_likelihood":[null,1]' in events[1].detail
    assert events[1].reason == "second source qualified"
    assert risks.heat_map([risks.rate(risk)])[1][2] == ["R-100"]
    with pytest.raises(GovernanceError) as bad:
        risks.change(risk, actor="ana", likelihood=7)
    assert "1" in bad.value.message("en") and "likelihood" in bad.value.message("en")
    with pytest.raises(GovernanceError):
        risks.create("R-100", actor="ana", title_ja="x", title_en="x")
    assert verify().ok


def test_acceptance_needs_an_administrator(db: None, settings: Any) -> None:
    from django.contrib.auth.models import Group, User

    from econsec.governance import risks

    risk = risks.create("R-200", actor="ana", title_ja="為替", title_en="FX", entered_impact=1e6)
    with pytest.raises(GovernanceError) as direct:
        risks.change(risk, actor="ana", treatment="accept")
    assert direct.value.key == "governance.risk.accept_needs_approval"
    with pytest.raises(GovernanceError):
        risks.accept(risk, approver="ana", is_administrator=False, reason="small")
    assert Risk.objects.get(code="R-200").treatment == "mitigate"

    analyst = User.objects.create_user("ana")
    analyst.groups.add(Group.objects.get_or_create(name="analyst")[0])
    admin = User.objects.create_user("boss")
    admin.groups.add(Group.objects.get_or_create(name="administrator")[0])
    refused = runner.invoke(app, ["risk", "accept", "R-200", "--user", "ana", "--reason", "x",
                                  "--lang", "en"])  # fmt: skip
    assert refused.exit_code == 1 and "cannot accept" in refused.output
    ok = runner.invoke(app, ["risk", "accept", "R-200", "--user", "boss", "--reason", "小さい"])
    assert ok.exit_code == 0, ok.output
    risk.refresh_from_db()
    assert (risk.treatment, risk.accepted_by) == ("accept", "boss")
    settings.ECONSEC_RISK_APPROVER = "cro"
    other = risks.create("R-201", actor="ana", title_ja="y", title_en="y")
    risks.accept(other, approver="cro", is_administrator=False, reason="configured approver")
    assert [e.action for e in risks.history(other)][-1] == "risk.accepted"


def test_risk_add_cli_links_a_scenario_and_reports_errors(demo_results: dict[str, Any]) -> None:
    scenario = SCENARIOS / "taiwan-strait-closed-8w.yaml"
    ok = runner.invoke(app, ["risk", "add", "R-300", "--title-ja", "台湾", "--title-en", "Taiwan",
                             "--scenario", str(scenario), "--likelihood", "4"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert Risk.objects.get(code="R-300").link_kind == "scenario"
    bad = runner.invoke(app, ["risk", "add", "R-301", "--title-ja", "x", "--title-en", "x",
                              "--treatment", "ignore", "--lang", "en"])  # fmt: skip
    assert bad.exit_code == 1 and "ignore" in bad.output
    assert not Risk.objects.filter(code="R-301").exists()
