"""`econsec demo` (what `make demo` runs before serving): loads the demo company and its analyses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app


@pytest.mark.django_db
def test_demo_loads_the_company_and_its_analyses_once() -> None:
    from econsec.exposure.models import ExposureResult
    from econsec.stress.models import Result
    from econsec.valuechain.models import ImportRun

    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps lines at the terminal width
    assert "Sites by tier: Tier 1: 94, Tier 2: 55, Tier 3: 22, Tier 4: 3" in output
    assert "Taiwan Strait closed for 8 weeks" in output
    assert "time to survive 2.5 weeks vs time to recover 8.0 weeks" in output
    # Two scenarios and the site sweep.
    assert ExposureResult.objects.count() == 1 and Result.objects.count() == 3

    again = runner.invoke(app, ["demo", "--no-serve", "--lang", "ja"])
    assert again.exit_code == 0, again.output
    assert "台湾海峡" in again.output
    # Nothing recomputed or re-imported: the stored results carry the same data version.
    assert ImportRun.objects.count() == 1
    assert ExposureResult.objects.count() == 1 and Result.objects.count() == 3


@pytest.mark.django_db
def test_after_the_demo_every_capability_has_figures(tmp_path: Path) -> None:
    """The bars of a first hour: open hits, a scored campaign, a stored sweep, Japanese output
    without slugs, and a PDF board report from the command line."""
    from econsec.guideline.models import Campaign, Evidence
    from econsec.reference.minerals import minerals
    from econsec.screening.models import Hit, ListVersion
    from econsec.stress.models import Result

    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert {v.screening_list.name for v in ListVersion.objects.filter(is_current=True)} == {
        "us_csl",
        "un_sc",
        "demo_fictional_eul",
    }
    assert Result.objects.filter(kind="sweep", sweep_by="site").count() == 1

    hits = runner.invoke(app, ["hits", "list", "--lang", "en"])
    assert hits.exit_code == 0, hits.output
    assert "FICT-002" in hits.output and "FICT-001" in hits.output
    open_hits = Hit.objects.filter(status="open")
    assert {h.subject_ref for h in open_hits if h.via == "name"} >= {
        "org:HUAXIA-RE",
        "org:TAIMYR",
        "org:YNGA",
    }
    # The parent is listed: its wholly owned subsidiaries are flagged by the 50% rule.
    assert {h.subject_ref for h in open_hits if h.via == "ownership"} >= {"org:BAIYUN", "org:BTSM"}

    score = runner.invoke(app, ["assess", "score", "--lang", "en"])
    assert score.exit_code == 0, score.output
    assert "Demo self-assessment" in score.output and "Overall" in score.output
    campaign = Campaign.objects.get()
    assert campaign.answers.count() > 20 and Evidence.objects.filter(campaign=campaign).count() == 3

    exposure = runner.invoke(app, ["exposure", "--lang", "ja"], env={"COLUMNS": "250"})
    assert exposure.exit_code == 0, exposure.output
    slugs = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", exposure.output)
    assert not slugs, slugs[:10]
    english = {m.name("en").lower() for m in minerals().values()} | set(minerals())
    found = [
        w
        for w in re.findall(r"[A-Za-z][A-Za-z ]+", exposure.output)
        if w.strip().lower() in english
    ]
    assert not found, found
    assert "アンチモン" in exposure.output and "半導体" in exposure.output
    # With the stored sweep, the CLI ranks single points of failure by time and says why.
    assert "単一障害点(在庫が尽きる時期と復旧までに失われる利益の順)" in exposure.output
    assert "構造上は同じ" in exposure.output

    out = tmp_path / "report.pdf"
    report = runner.invoke(app, ["report", "--lang", "ja", "--format", "pdf", "--out", str(out)])
    assert report.exit_code == 0, report.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000

    # Run again: nothing new is loaded, screened or answered.
    hits_before, campaigns_before = Hit.objects.count(), Campaign.objects.count()
    again = runner.invoke(app, ["demo", "--no-serve", "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert Hit.objects.count() == hits_before and Campaign.objects.count() == campaigns_before
    assert ListVersion.objects.count() == 3
