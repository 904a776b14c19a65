"""Survey endpoints: campaigns with their progress, one campaign's suppliers and pending changes."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from econsec.survey.models import Campaign
from econsec.survey.progress import progress
from econsec.web.api.auth import require
from econsec.web.roles import READ

router = Router(tags=["survey"])


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    suppliers: int
    response_rate: float
    by_tier: dict[str, dict[str, int]]


def _out(c: Campaign) -> CampaignOut:
    state = progress(c)
    return CampaignOut(id=c.pk, name=c.name, year=c.year, suppliers=state.total,
                       response_rate=state.response_rate(),
                       by_tier={str(k): v for k, v in state.by_tier.items()})  # fmt: skip


@router.get("/campaigns", response=list[CampaignOut], url_name="survey_campaigns")
@require(READ)
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [_out(c) for c in Campaign.objects.all()[:200]]


@router.get("/campaigns/{campaign_id}", response=dict[str, Any], url_name="survey_campaign")
@require(READ)
def campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    from econsec.survey.merge import preview

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise HttpError(404, "not found")
    plan = preview(found)
    return {
        **_out(found).dict(),
        "suppliers_detail": [
            {"org_id": r.org_id, "tier": r.tier, "language": r.language, "status": r.status}
            for r in found.requests.all()
        ],
        "changes": [{"key": c.key, "kind": c.kind, "stated_by": c.org_id, "values": c.values}
                    for c in plan.changes],
        "conflicts": [{"code": c.code, "stated_by": c.org_id, **c.params} for c in plan.conflicts],
    }  # fmt: skip
