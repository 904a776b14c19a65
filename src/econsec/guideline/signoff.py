"""Sign-off with separation of duties extended to everyone who changed the campaign.

:func:`econsec.guideline.campaigns.review` refuses a reviewer named among the campaign's
assessors. In a shared workbench anyone with edit rights may also record answers or evidence
without being listed; such a person must not approve their own work either, so the event log
is consulted as well.
"""

from __future__ import annotations

from econsec.guideline.campaigns import review
from econsec.guideline.errors import GuidelineError
from econsec.guideline.models import Campaign

# Events that change what the reviewer signs off; creating or submitting the campaign does not.
CONTRIBUTING_ACTIONS = (
    "answers.recorded",
    "evidence.file",
    "evidence.link",
    "evidence.analysis",
)


def contributors(campaign: Campaign) -> set[str]:
    """Names of the listed assessors and of everyone who recorded answers or evidence."""
    actors = set(
        campaign.events.filter(action__in=CONTRIBUTING_ACTIONS)
        .exclude(actor="")
        .values_list("actor", flat=True)
        .distinct()
    )
    return actors | {str(a) for a in campaign.assessors}


def review_independently(
    campaign: Campaign, reviewer: str, approve: bool, comment: str = ""
) -> None:
    """Approve or return a submitted campaign; the reviewer must not have contributed to it."""
    name = reviewer.strip()
    campaign.refresh_from_db()
    if name and name not in campaign.assessors and name in contributors(campaign):
        raise GuidelineError("guideline.campaign.reviewer_contributed", reviewer=name)
    review(campaign, name, approve, comment)
