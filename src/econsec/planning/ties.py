"""A stored planning run as evidence in the self-assessment (docs/decisions/0103).

The items of principle 2 (treat economic security as investment, not cost) — Governance B
among them — may cite a run through the assessment's own analysis reference (capability,
result id, data version): a simulation as the Monte Carlo loss distribution, an optimisation
as the appraisal of measures. The reference names the run ("planning.run:<id>") and the data
version its figures belong to, so the assessor's evidence leads back to the exact figures.
"""

from __future__ import annotations

from typing import Any

from econsec.planning.errors import PlanningError

PRINCIPLE = "P2"
CAPABILITY = {"simulation": "stress.montecarlo", "optimisation": "stress.mitigation"}


def citable_items(campaign: Any) -> list[str]:
    """The campaign framework's items that serve principle 2 (Governance B among them)."""
    from econsec.guideline.campaigns import framework_of

    framework = framework_of(campaign.framework)
    return [item.id for _area, item in framework.items() if PRINCIPLE in item.principles]


def cite_run(campaign_id: int, item_id: str, run_id: int | None, *, actor: str = "") -> Any:
    """Cite ``run_id`` (default: the latest optimisation, else simulation) for ``item_id``."""
    from econsec.guideline.errors import GuidelineError
    from econsec.guideline.evidence import add_analysis_reference
    from econsec.guideline.models import Campaign
    from econsec.planning.models import Run

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise PlanningError("planning.cite.no_campaign", where="campaign", value=campaign_id)
    items = citable_items(campaign)
    if item_id not in items:
        raise PlanningError("planning.cite.not_p2", where="item", value=item_id,
                            items=", ".join(items))  # fmt: skip
    if run_id is None:
        run = Run.objects.filter(kind="optimisation").first() or Run.objects.first()
    else:
        run = Run.objects.filter(pk=run_id).first()
    if run is None:
        if run_id is None:
            raise PlanningError("planning.cite.no_runs", where="run")
        raise PlanningError("planning.cite.no_run", where="run", value=run_id)
    title = (f"対策への投資 実行 #{run.pk} / Investment in measures, run #{run.pk}"
             f" (EAL {run.eal:,.0f})")  # fmt: skip
    try:
        return add_analysis_reference(campaign, item_id, CAPABILITY[run.kind], f"planning.run:{run.pk}",
                                      run.data_version, actor=actor, title=title)  # fmt: skip
    except GuidelineError as exc:
        raise PlanningError(exc.key, **exc.params) from exc  # e.g. an approved campaign
