"""The demo step on the demo company: a tier-2 supplier's answer, merged, adds a tier-3 site, which
`econsec info` lists with its provenance and `econsec exposure` follows with coverage lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from econsec.registry import info_lines

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_demo_step_adds_a_tier_three_site_with_provenance(db: Any, capsys: Any) -> None:
    from econsec.survey.demo import SOURCE, step
    from econsec.survey.models import Campaign
    from econsec.valuechain.intake.apply import import_path

    assert import_path(EXAMPLES / "demo-company.xlsx").ok
    from econsec.survey.merge import merge

    step("en")
    assert "returned (" in capsys.readouterr().out
    merge(Campaign.objects.get())
    lines = info_lines("info", "en")
    site_lines = [line for line in lines if SOURCE["source_site"] in line]
    assert len(site_lines) == 1 and "tier 3" in site_lines[0] and "stated by" in site_lines[0]
    assert any("unknown origin" in line for line in info_lines("exposure", "en"))
    step("en")  # idempotent
    assert Campaign.objects.count() == 1
