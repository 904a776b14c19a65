"""Assessment campaigns on the store: frameworks in the database, answers, sign-off, events.

Every change goes through these functions so that it is validated, written atomically and
logged in :class:`~econsec.guideline.models.AssessmentEvent`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from econsec.guideline.errors import GuidelineError
from econsec.guideline.frameworks import (
    MATURITY_LEVELS,
    Framework,
    builtin_frameworks,
    framework_from_dict,
    framework_to_dict,
)
from econsec.guideline.models import (
    AssessmentEvent,
    Campaign,
    ItemAssessment,
    QuestionAnswer,
    StoredFramework,
)
from econsec.guideline.scoring import Result, Scorecard, score_assessment

EDITABLE = ("draft", "in_progress")


def log_event(
    campaign: Campaign | None, actor: str, action: str, target: str = "", **detail: Any
) -> None:
    """Append one event to the assessment log."""
    AssessmentEvent.objects.create(
        campaign=campaign,
        at=timezone.now(),
        actor=actor,
        action=action,
        target=target,
        detail=detail,
    )


def _digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_framework(framework: Framework, origin: str, actor: str = "") -> StoredFramework:
    """Save a framework (insert, or update to a higher version). The same id with different
    content needs a higher version, so campaigns never silently change wording under them."""
    content = framework_to_dict(framework)
    digest = _digest(content)
    existing = StoredFramework.objects.filter(framework_id=framework.id).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing
        if framework.version <= existing.version:
            raise GuidelineError(
                "guideline.store.same_version",
                framework=framework.id,
                version=framework.version,
                stored=existing.version,
            )
    row = existing or StoredFramework(framework_id=framework.id)
    row.family = framework.family
    row.edition = framework.edition
    row.version = framework.version
    row.derivation = framework.derivation
    row.name_ja = framework.name.ja
    row.name_en = framework.name.en
    row.content = content
    row.sha256 = digest
    row.origin = origin
    row.loaded_at = timezone.now()
    row.save()
    log_event(
        None, actor, "framework.stored", framework.id, version=framework.version, origin=origin
    )
    return row


def sync_builtin_frameworks() -> list[StoredFramework]:
    """Make sure the shipped frameworks are in the store (idempotent)."""
    return [store_framework(f, "builtin") for f in builtin_frameworks().values()]


def framework_of(row: StoredFramework) -> Framework:
    return framework_from_dict(row.content, row.framework_id)


def get_framework_row(framework_id: str) -> StoredFramework:
    sync_builtin_frameworks()
    row = StoredFramework.objects.filter(framework_id=framework_id).first()
    if row is None:
        known = ", ".join(StoredFramework.objects.values_list("framework_id", flat=True))
        raise GuidelineError(
            "guideline.store.unknown_framework", framework=framework_id, known=known
        )
    return row


def create_campaign(
    framework_id: str,
    name: str,
    assessment_date: dt.date,
    assessors: list[str],
    scope_kind: str = "company",
    scope_unit: str = "",
    actor: str = "",
) -> Campaign:
    """Open a new campaign on a stored framework."""
    if scope_kind not in Campaign.SCOPES:
        raise GuidelineError("guideline.campaign.bad_scope", value=scope_kind)
    if scope_kind == "business_unit" and not scope_unit.strip():
        raise GuidelineError("guideline.campaign.unit_required")
    if not name.strip():
        raise GuidelineError("guideline.campaign.name_required")
    row = get_framework_row(framework_id)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            framework=row,
            name=name.strip(),
            scope_kind=scope_kind,
            scope_unit=scope_unit.strip(),
            assessment_date=assessment_date,
            assessors=[a.strip() for a in assessors if a.strip()],
            status="draft",
            created_at=timezone.now(),
            created_by=actor,
        )
        log_event(campaign, actor, "campaign.created", str(campaign.pk), framework=framework_id)
    return campaign


@dataclass(frozen=True)
class ItemFields:
    """Item-level fields of an answer; None leaves a field unchanged, "" / CLEAR clears it."""

    maturity: int | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    comment: str | None = None
    clear_maturity: bool = False
    clear_due_date: bool = False


@dataclass(frozen=True)
class QuestionFields:
    result: Result | None = None
    comment: str | None = None
    clear_result: bool = False


def record_answers(
    campaign: Campaign,
    questions: Mapping[str, QuestionFields],
    items: Mapping[str, ItemFields],
    actor: str = "",
    source: str = "",
) -> int:
    """Write answers atomically (all or nothing) and log what changed; returns changes made.

    Unknown ids and out-of-range maturities are refused before anything is written.
    """
    campaign.refresh_from_db()
    if campaign.status not in EDITABLE:
        raise GuidelineError(
            "guideline.campaign.locked", campaign=campaign.pk, status=campaign.status
        )
    framework = framework_of(campaign.framework)
    for qid in questions:
        if qid not in framework.question_index:
            raise GuidelineError("guideline.answer.unknown_question", id=qid)
    for iid, fields in items.items():
        if iid not in framework.item_index:
            raise GuidelineError("guideline.answer.unknown_item", id=iid)
        if fields.maturity is not None and fields.maturity not in MATURITY_LEVELS:
            raise GuidelineError("guideline.answer.bad_maturity", id=iid, value=fields.maturity)
    now = timezone.now()
    changes: list[dict[str, Any]] = []
    with transaction.atomic():
        existing_q = {a.question_id: a for a in campaign.answers.all()}
        for qid, qf in questions.items():
            row = existing_q.get(qid)
            if qf.clear_result:
                if row is not None:
                    changes.append({"question": qid, "result": [row.result, None]})
                    row.delete()
                continue
            new_result = qf.result.value if qf.result is not None else (row.result if row else None)
            new_comment = qf.comment if qf.comment is not None else (row.comment if row else "")
            if new_result is None:
                continue  # a comment without a result is kept only once there is a result
            if row is None:
                QuestionAnswer.objects.create(
                    campaign=campaign,
                    question_id=qid,
                    item_id=framework.question_index[qid][0].id,
                    result=new_result,
                    comment=new_comment,
                    updated_at=now,
                    updated_by=actor,
                )
                changes.append({"question": qid, "result": [None, new_result]})
            elif (row.result, row.comment) != (new_result, new_comment):
                changes.append({"question": qid, "result": [row.result, new_result]})
                row.result, row.comment, row.updated_at, row.updated_by = (
                    new_result,
                    new_comment,
                    now,
                    actor,
                )
                row.save()
        existing_i = {a.item_id: a for a in campaign.item_assessments.all()}
        for iid, f in items.items():
            item_row = existing_i.get(iid) or ItemAssessment(campaign=campaign, item_id=iid)
            before = (item_row.maturity, item_row.owner, item_row.due_date, item_row.comment)
            if f.clear_maturity:
                item_row.maturity = None
            elif f.maturity is not None:
                item_row.maturity = f.maturity
            if f.owner is not None:
                item_row.owner = f.owner
            if f.clear_due_date:
                item_row.due_date = None
            elif f.due_date is not None:
                item_row.due_date = f.due_date
            if f.comment is not None:
                item_row.comment = f.comment
            after = (item_row.maturity, item_row.owner, item_row.due_date, item_row.comment)
            if after != before or item_row.pk is None:
                if item_row.pk is None and after == (None, "", None, ""):
                    continue
                item_row.updated_at, item_row.updated_by = now, actor
                item_row.save()
                changes.append({"item": iid, "maturity": [before[0], after[0]]})
        if changes:
            if campaign.status == "draft":
                campaign.status = "in_progress"
                campaign.save(update_fields=["status"])
            log_event(
                campaign,
                actor,
                "answers.recorded",
                str(campaign.pk),
                source=source,
                changes=changes,
            )
    return len(changes)


def submit_for_review(campaign: Campaign, actor: str = "") -> None:
    """Hand the campaign to a reviewer; answers are frozen until approved or returned."""
    campaign.refresh_from_db()
    if campaign.status not in EDITABLE:
        raise GuidelineError(
            "guideline.campaign.bad_transition", status=campaign.status, action="submit"
        )
    campaign.status = "submitted"
    campaign.save(update_fields=["status"])
    log_event(campaign, actor, "campaign.submitted", str(campaign.pk))


def review(campaign: Campaign, reviewer: str, approve: bool, comment: str = "") -> None:
    """Reviewer's sign-off (approve) or return for rework. The reviewer must be named and must
    not be one of the campaign's assessors (separation of duties)."""
    campaign.refresh_from_db()
    if campaign.status != "submitted":
        raise GuidelineError(
            "guideline.campaign.bad_transition", status=campaign.status, action="review"
        )
    if not reviewer.strip():
        raise GuidelineError("guideline.campaign.reviewer_required")
    if reviewer.strip() in campaign.assessors:
        raise GuidelineError("guideline.campaign.reviewer_is_assessor", reviewer=reviewer)
    with transaction.atomic():
        campaign.status = "approved" if approve else "in_progress"
        campaign.reviewer = reviewer.strip()
        campaign.reviewed_at = timezone.now()
        campaign.review_comment = comment
        campaign.save()
        log_event(
            campaign,
            reviewer,
            "campaign.approved" if approve else "campaign.returned",
            str(campaign.pk),
            comment=comment,
        )


def campaign_answers(campaign: Campaign) -> tuple[dict[str, Result], dict[str, int | None]]:
    """The campaign's answers as plain data for :mod:`econsec.guideline.scoring`."""
    answers = {a.question_id: Result(a.result) for a in campaign.answers.all()}
    maturity = {a.item_id: a.maturity for a in campaign.item_assessments.all()}
    return answers, maturity


def campaign_scorecard(campaign: Campaign) -> tuple[Framework, Scorecard]:
    framework = framework_of(campaign.framework)
    answers, maturity = campaign_answers(campaign)
    return framework, score_assessment(framework, answers, maturity)


def get_campaign(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("framework").filter(pk=campaign_id).first()
    if campaign is None:
        raise GuidelineError("guideline.campaign.not_found", id=campaign_id)
    return campaign
