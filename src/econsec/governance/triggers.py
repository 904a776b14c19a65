"""Notifications raised by what other capabilities record: a new screening hit, a sign-off
requested. :mod:`econsec.governance.hooks` calls these from the screening and assessment event
logs, so neither capability imports governance."""

from __future__ import annotations

from typing import Any

from econsec.governance import notify
from econsec.governance.models import Notification
from econsec.governance.recipients import administrators, editors

# Screening events that mean a counterparty matched a list entry for the first time.
NEW_HIT_ACTIONS = ("hit_raised", "ownership_flag")
SUBMITTED = "campaign.submitted"


def new_screening_hit(object_ref: str, *, actor: str) -> list[Notification]:
    """Tell the users who review hits; ``object_ref`` is the screening log's ``hit:<id>``."""
    from econsec.screening.models import Hit

    pk = object_ref.removeprefix("hit:")
    hit = Hit.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if hit is None:
        return []
    params = {"hit": hit.pk, "subject": hit.subject_name[:200], "subject_ref": hit.subject_ref,
              "list": hit.list_name, "entity": hit.entity_name[:200], "score": round(hit.score, 3),
              "via": hit.via}  # fmt: skip
    return notify.raise_event(
        "screening_hit", params, recipients=editors(), dedupe=f"screening_hit:{hit.pk}"
    )


def request_signoff(
    what: dict[str, str], *, ref: str, by: str, recipients: list[str], dedupe: str
) -> list[Notification]:
    """One "sign-off requested" event; ``what`` names the thing in ja and en."""
    params: dict[str, Any] = {"what": what, "ref": ref, "by": by or "-"}
    return notify.raise_event("signoff_requested", params, recipients=recipients, dedupe=dedupe)


def assessment_submitted(campaign_id: int, event_id: int, *, actor: str) -> list[Notification]:
    """A campaign handed in for review: tell those who may sign it off — analysts and
    administrators who did not contribute to it (separation of duties would refuse them)."""
    from econsec.guideline.models import Campaign
    from econsec.guideline.signoff import contributors

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return []
    excluded = contributors(campaign) | {actor}
    reviewers = [u for u in editors() if u not in excluded] or administrators()
    what = {"ja": f"自己評価「{campaign.name}」", "en": f"the self-assessment '{campaign.name}'"}
    return request_signoff(what, ref=f"campaign:{campaign.pk}", by=actor, recipients=reviewers,
                           dedupe=f"signoff_requested:campaign:{event_id}")  # fmt: skip
