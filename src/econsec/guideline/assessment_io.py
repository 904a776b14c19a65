"""Campaign ↔ workbook: export a campaign's answers, import a filled-in workbook (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from econsec.guideline.campaigns import ItemFields, QuestionFields, framework_of, record_answers
from econsec.guideline.models import Campaign
from econsec.guideline.xlsx_io import export_workbook, read_workbook


def export_campaign(campaign: Campaign, path: Path, lang: str | None = None) -> None:
    """Write the campaign (framework questions with the answers so far) to ``path``."""
    framework = framework_of(campaign.framework)
    answers = {a.question_id: (a.result, a.comment) for a in campaign.answers.all()}
    items: dict[str, dict[str, Any]] = {
        a.item_id: {
            "maturity": a.maturity,
            "owner": a.owner,
            "due_date": a.due_date,
            "comment": a.comment,
        }
        for a in campaign.item_assessments.all()
    }
    meta = {
        "campaign_id": campaign.pk,
        "campaign_name": campaign.name,
        "scope": f"{campaign.scope_kind} {campaign.scope_unit}".strip(),
        "assessment_date": campaign.assessment_date.isoformat(),
        "status": campaign.status,
    }
    export_workbook(framework, path, lang, meta, answers, items)


def import_campaign(campaign: Campaign, path: Path, actor: str = "") -> int:
    """Validate the workbook completely, then record its answers in one transaction.

    Raises :class:`~econsec.guideline.interchange_errors.ImportProblems` (nothing written) or
    :class:`~econsec.guideline.errors.GuidelineError` (e.g. the campaign is locked).
    """
    framework = framework_of(campaign.framework)
    questions, items = read_workbook(framework, path, campaign.pk)
    q_fields = {
        qid: QuestionFields(result=result, comment=comment)
        for qid, (result, comment) in questions.items()
        if result is not None or comment is not None
    }
    i_fields = {
        iid: ItemFields(
            maturity=f.get("maturity"),
            owner=f.get("owner"),
            due_date=f.get("due_date"),
            comment=f.get("comment"),
        )
        for iid, f in items.items()
    }
    return record_answers(campaign, q_fields, i_fields, actor=actor, source=path.name)
