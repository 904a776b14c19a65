"""Handing out a campaign: the workbooks, each supplier's upload link, status "sent"."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

from django.utils import timezone

from econsec import tabular
from econsec.survey.campaigns import brief, issue_tokens, load_chain
from econsec.survey.models import Answer, Campaign, Request
from econsec.survey.questionnaire import write_all

LINKS_FILE = "upload-links.csv"


def upload_path(token: str) -> str:
    """The supplier upload page's path for ``token`` (no account needed)."""
    return f"/supplier/{token}/"


def earlier_answers(campaign: Campaign) -> dict[str, Answer]:
    """Each supplier's latest valid answer to an earlier campaign (pre-fills this one)."""
    found: dict[str, Answer] = {}
    for answer in (
        Answer.objects.select_related("request")
        .filter(ok=True, request__campaign__created_at__lt=campaign.created_at)
        .order_by("received_at", "id")
    ):
        found[answer.request.org_id] = answer
    return found


def write_workbooks(
    campaign: Campaign, folder: Path, *, base_url: str, executor: Executor | None = None
) -> list[str]:
    """One workbook per supplier in ``folder``, and ``upload-links.csv`` naming each supplier's
    file and upload link. Issuing the links ends the earlier ones."""
    chain = load_chain()
    earlier = earlier_answers(campaign)
    tokens = issue_tokens(campaign)
    requests = list(campaign.requests.all())  # with the new expiry dates
    briefs = [brief(r, chain, earlier.get(r.org_id)) for r in requests]
    names = write_all(briefs, folder, executor)
    root = base_url.rstrip("/")
    tabular.write_csv(
        folder / LINKS_FILE,
        ["supplier_id", "supplier", "language", "file", "upload_link", "expires"],
        [
            (r.org_id, r.org_name, r.language, name, root + upload_path(tokens[r.org_id]),
             r.expires_at.date().isoformat())
            for r, name in zip(requests, names, strict=True)
        ],
    )  # fmt: skip
    Request.objects.filter(campaign=campaign, status=Request.Status.NOT_SENT).update(
        status=Request.Status.SENT, sent_at=timezone.now()
    )
    return names
