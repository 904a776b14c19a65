"""Self-assessment endpoints: campaigns, answers, scores and gaps.

Changes go through :mod:`econsec.guideline.campaigns` like the pages: validated, atomic and
logged with the caller as actor. Refusals carry the reason in the caller's language.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from econsec.guideline.campaigns import (
    ItemFields,
    QuestionFields,
    create_campaign,
    record_answers,
)
from econsec.guideline.errors import GuidelineError
from econsec.guideline.models import Campaign
from econsec.guideline.scoring import GroupScore, Result, gap_list
from econsec.guideline.web.views import cached_framework, scorecard_of
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ

router = Router(tags=["self-assessment"])


class CampaignIn(Schema):
    framework: str
    name: str
    assessment_date: dt.date
    assessors: list[str] = []
    scope_kind: str = "company"
    scope_unit: str = ""


class QuestionIn(Schema):
    result: Result | None = None
    comment: str | None = None
    clear: bool = False


class ItemIn(Schema):
    maturity: int | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    comment: str | None = None
    clear_maturity: bool = False
    clear_due_date: bool = False


class AnswersIn(Schema):
    questions: dict[str, QuestionIn] = {}
    items: dict[str, ItemIn] = {}


def _body_doc(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def _campaign(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("framework").filter(pk=campaign_id).first()
    if campaign is None:
        raise HttpError(404, "not found")
    return campaign


def _refuse(request: HttpRequest, exc: GuidelineError) -> HttpError:
    status = 409 if exc.key in ("guideline.campaign.locked",) else 400
    return HttpError(status, exc.message(request_language(request)))


def _summary(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "framework": c.framework.framework_id,
        "assessment_date": c.assessment_date.isoformat(),
        "scope_kind": c.scope_kind,
        "scope_unit": c.scope_unit,
        "assessors": list(c.assessors),
        "status": c.status,
        "reviewer": c.reviewer,
        "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
    }


def _group(g: GroupScore) -> dict[str, Any]:
    return {
        "maturity": g.maturity,
        "implementation": g.implementation,
        "coverage": g.coverage,
        "answered_questions": g.answered_questions,
        "applicable_questions": g.applicable_questions,
        "items": g.items,
        "items_na": g.items_na,
    }


@router.get("/campaigns", url_name="assessment_campaigns")
@require(READ)
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(c) for c in Campaign.objects.select_related("framework")[:1000]]


@router.post(
    "/campaigns",
    response={201: dict},
    url_name="assessment_create",
    openapi_extra=_body_doc(CampaignIn),
)
@require(EDIT)
def new_campaign(request: HttpRequest) -> Status[dict[str, Any]]:
    """Open a campaign (body: CampaignIn)."""
    payload = json_body(request, CampaignIn, empty={})
    try:
        campaign = create_campaign(
            payload.framework,
            payload.name,
            payload.assessment_date,
            payload.assessors,
            scope_kind=payload.scope_kind,
            scope_unit=payload.scope_unit,
            actor=str(request.user.get_username()),
        )
    except GuidelineError as exc:
        raise _refuse(request, exc) from exc
    return Status(201, _summary(Campaign.objects.select_related("framework").get(pk=campaign.pk)))


@router.get("/campaigns/{campaign_id}", url_name="assessment_campaign")
@require(READ)
def get_campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = _campaign(campaign_id)
    out = _summary(campaign)
    out["answers"] = {
        a.question_id: {"result": a.result, "comment": a.comment} for a in campaign.answers.all()
    }
    out["items"] = {
        a.item_id: {
            "maturity": a.maturity,
            "owner": a.owner,
            "due_date": a.due_date.isoformat() if a.due_date else None,
            "comment": a.comment,
        }
        for a in campaign.item_assessments.all()
    }
    return out


@router.post(
    "/campaigns/{campaign_id}/answers",
    url_name="assessment_answers",
    openapi_extra=_body_doc(AnswersIn),
)
@require(EDIT)
def post_answers(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Record answers (body: AnswersIn), all or nothing. Omitted fields stay as they are."""
    campaign = _campaign(campaign_id)
    payload = json_body(request, AnswersIn, empty={})
    questions = {
        qid: QuestionFields(result=q.result, comment=q.comment, clear_result=q.clear)
        for qid, q in payload.questions.items()
    }
    items = {
        iid: ItemFields(
            maturity=i.maturity,
            owner=i.owner,
            due_date=i.due_date,
            comment=i.comment,
            clear_maturity=i.clear_maturity,
            clear_due_date=i.clear_due_date,
        )
        for iid, i in payload.items.items()
    }
    try:
        changed = record_answers(
            campaign, questions, items, actor=str(request.user.get_username()), source="api"
        )
    except GuidelineError as exc:
        raise _refuse(request, exc) from exc
    return {"changed": changed}


@router.get("/campaigns/{campaign_id}/scores", url_name="assessment_scores")
@require(READ)
def get_scores(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = _campaign(campaign_id)
    card = scorecard_of(campaign, cached_framework(campaign.framework))
    return {
        "overall": _group(card.overall),
        "areas": {k: _group(v) for k, v in card.areas.items()},
        "principles": {k: _group(v) for k, v in card.principles.items()},
        "items": {
            k: {
                "area": s.area_id,
                "weight": s.weight,
                "maturity": s.maturity,
                "implementation": s.implementation,
                "answered": s.answered,
                "questions": s.questions,
                "not_applicable": s.not_applicable,
            }
            for k, s in card.items.items()
        },
    }


@router.get("/campaigns/{campaign_id}/gaps", url_name="assessment_gaps")
@require(READ)
def get_gaps(request: HttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _campaign(campaign_id)
    framework = cached_framework(campaign.framework)
    return [
        {
            "item_id": g.item_id,
            "area_id": g.area_id,
            "weight": g.weight,
            "maturity": g.maturity,
            "assessed": g.assessed,
            "implementation": g.implementation,
            "priority": g.priority,
        }
        for g in gap_list(framework, scorecard_of(campaign, framework))
    ]
