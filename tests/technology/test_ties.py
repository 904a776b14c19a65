"""Ties: the assessment cites the stored exposure run; a governance risk links to a technology."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from econsec.cli import app
from econsec.technology import models as m
from econsec.technology.demo import create_demo_register

runner = CliRunner()


def test_assessment_cites_the_exposure_run(db: None) -> None:
    from econsec.guideline.campaigns import create_campaign
    from econsec.guideline.models import Evidence

    create_demo_register()
    campaign = create_campaign("esmg-1.0-draft", "c", dt.date(2026, 1, 23), ["x"])
    done = runner.invoke(app, ["tech", "cite", str(campaign.pk), "--item", "IND-A", "--lang", "en"])
    assert done.exit_code == 0, done.output
    evidence = Evidence.objects.get(campaign=campaign)
    run = m.ExposureRun.objects.get()
    assert (evidence.item_id, evidence.ref_kind, evidence.ref_id) == (
        "IND-A",
        "technology.scenarios",
        str(run.pk),
    )
    assert evidence.data_version == run.register_version
    # The same register gives the same stored run; a change gives a new one.
    runner.invoke(app, ["tech", "cite", str(campaign.pk), "--item", "IND-B"])
    assert m.ExposureRun.objects.count() == 1
    m.AccessGroup.objects.filter(name="サーボ設計課").update(headcount=80)
    runner.invoke(app, ["tech", "cite", str(campaign.pk), "--item", "IND-B"])
    assert m.ExposureRun.objects.count() == 2


def test_a_risk_links_to_a_technology(db: None) -> None:
    from econsec.governance import risks

    create_demo_register()
    risks.create("R-9", actor="a", title_ja="技術流出", title_en="Leak", entered_impact=1e8)
    ok = runner.invoke(app, ["tech", "link-risk", "T-MAG-GBD", "R-9", "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    assert m.RiskLink.objects.get().technology.tech_id == "T-MAG-GBD"
    bad = runner.invoke(app, ["tech", "link-risk", "T-MAG-GBD", "R-404", "--lang", "en"])
    assert bad.exit_code == 1 and "No risk R-404" in bad.output
