"""Ties to the other capabilities: the assessment cites the exposure matrix as evidence, and
governance risks link to a technology (by the risk's code)."""

from __future__ import annotations

from econsec.technology.errors import TechnologyError
from econsec.technology.models import ExposureRun, RiskLink, Technology


def cite_exposure(campaign_id: int, item_id: str, *, actor: str = "") -> ExposureRun:
    """Store the current matrix (once per register version) and cite it for ``item_id``."""
    from econsec.guideline.evidence import add_analysis_reference
    from econsec.guideline.models import Campaign
    from econsec.technology.service import compute, store_run

    campaign = Campaign.objects.get(pk=campaign_id)
    run = store_run(compute())
    add_analysis_reference(campaign, item_id, "technology.scenarios", str(run.pk),
                           run.register_version, actor=actor,
                           title="技術流出エクスポージャー / Leakage exposure matrix")  # fmt: skip
    return run


def link_risk(tech_id: str, risk_code: str) -> RiskLink:
    from econsec.governance.models import Risk

    tech = Technology.objects.filter(tech_id=tech_id).first()
    if tech is None:
        raise TechnologyError("technology.unknown_tech", tech=tech_id)
    if not Risk.objects.filter(code=risk_code).exists():
        raise TechnologyError("technology.unknown_risk", risk=risk_code)
    link, _ = RiskLink.objects.get_or_create(technology=tech, risk_code=risk_code)
    return link
