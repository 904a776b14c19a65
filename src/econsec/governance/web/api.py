"""Governance endpoints: the risk register, indicators, actions, the audit trail's status.

The same roles as the pages: reading for everyone, changes for ``edit``, the chain's
verification for ``audit``. Refusals carry the message in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictFloat, StrictInt

from econsec.governance import actions, chain, kri, risks
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Action, Risk
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.language import request_language
from econsec.web.roles import AUDIT, EDIT, READ

router = Router(tags=["governance"])


class RiskOut(Schema):
    code: str
    title_ja: str
    title_en: str
    owner: str
    area: str
    treatment: str
    likelihood: int
    impact_money: float | None
    impact_source: str
    impact_data_version: str
    impact_stale: bool
    inherent: int | None
    residual: int | None
    next_review: str | None


class RiskIn(Schema):
    code: str
    title_ja: str
    title_en: str
    owner: str = ""
    area: str = ""
    likelihood: StrictInt = 3
    entered_impact: StrictFloat | StrictInt | None = None
    treatment: str = "mitigate"


class RiskChange(Schema):
    reason: str = ""
    fields: dict[str, Any]


class KriOut(Schema):
    key: str
    name: str
    formula: str
    value: float | None
    status: str | None
    amber: float
    red: float
    computed_at: str | None
    reasons: list[dict[str, Any]]
    trend: list[float]


class ActionOut(Schema):
    id: int
    risk: str | None
    title_ja: str
    title_en: str
    owner: str
    due: str
    status: str
    evidence: str
    overdue: bool


class ActionIn(Schema):
    title_ja: str
    title_en: str
    owner: str
    due: dt.date
    risk: str | None = None
    target_likelihood: StrictInt | None = None
    target_impact: StrictInt | None = None


class ActionChange(Schema):
    status: str | None = None
    evidence: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    comment: str | None = None


class AuditOut(Schema):
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    broken_seq: int | None
    broken_record: int | None
    reason: str | None


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _risk_out(r: risks.Rated) -> dict[str, Any]:
    risk = r.risk
    return {
        "code": risk.code, "title_ja": risk.title_ja, "title_en": risk.title_en,
        "owner": risk.owner, "area": risk.area, "treatment": risk.treatment,
        "likelihood": risk.likelihood, "impact_money": r.impact.money,
        "impact_source": r.impact.source, "impact_data_version": r.impact.data_version,
        "impact_stale": r.impact.stale, "inherent": r.inherent, "residual": r.residual,
        "next_review": risk.next_review.isoformat() if risk.next_review else None,
    }  # fmt: skip


def _action_out(a: Action) -> dict[str, Any]:
    today = dt.date.today()
    return {
        "id": a.pk, "risk": a.risk.code if a.risk else None, "title_ja": a.title_ja,
        "title_en": a.title_en, "owner": a.owner, "due": a.due.isoformat(), "status": a.status,
        "evidence": a.evidence, "overdue": a.status in Action.OPEN_STATUSES and a.due < today,
    }  # fmt: skip


def _risk(code: str) -> Risk:
    risk = Risk.objects.filter(code=code).first()
    if risk is None:
        raise HttpError(404, "not found")
    return risk


@router.get("/risks", response=list[RiskOut], url_name="governance_risks")
@require(READ)
def list_risks(request: HttpRequest) -> list[dict[str, Any]]:
    """The register with impact (and its source), inherent and residual ratings."""
    return [_risk_out(r) for r in risks.rate_all(Risk.objects.all())]


@router.get("/risks/{code}", response=RiskOut, url_name="governance_risk")
@require(READ)
def get_risk(request: HttpRequest, code: str) -> dict[str, Any]:
    return _risk_out(risks.rate(_risk(code)))


@router.post("/risks", response={201: RiskOut}, url_name="governance_risk_create",
             openapi_extra=_json_body(RiskIn))  # fmt: skip
@require(EDIT)
def create_risk(request: HttpRequest) -> Status[dict[str, Any]]:
    body = json_body(request, RiskIn)
    fields = body.model_dump()
    code = fields.pop("code")
    try:
        risk = risks.create(code, actor=request.user.get_username(), **fields)
    except GovernanceError as exc:
        raise HttpError(400, exc.message(request_language(request))) from exc
    return Status(201, _risk_out(risks.rate(risk)))


@router.post("/risks/{code}", response=RiskOut, url_name="governance_risk_change",
             openapi_extra=_json_body(RiskChange))  # fmt: skip
@require(EDIT)
def change_risk(request: HttpRequest, code: str) -> dict[str, Any]:
    """Change fields of a risk (recorded with the reason); acceptance is not a change."""
    risk = _risk(code)
    body = json_body(request, RiskChange)
    try:
        risks.change(risk, actor=request.user.get_username(), reason=body.reason, **body.fields)
    except GovernanceError as exc:
        raise HttpError(400, exc.message(request_language(request))) from exc
    return _risk_out(risks.rate(risk))


@router.get("/kris", response=list[KriOut], url_name="governance_kris")
@require(READ)
def list_kris(request: HttpRequest) -> list[dict[str, Any]]:
    """Each indicator's latest value, colour, reasons and trend (stored values, oldest first)."""
    lang = request_language(request)
    out = []
    for d, v in kri.latest():
        out.append({
            "key": d.key, "name": d.label(lang), "formula": d.formula,
            "value": v.value if v else None, "status": v.status if v else None,
            "amber": d.amber, "red": d.red,
            "computed_at": v.computed_at.isoformat() if v else None,
            "reasons": v.reasons if v else [], "trend": [s.value for s in kri.trend(d.key)],
        })  # fmt: skip
    return out


@router.get("/actions", response=list[ActionOut], url_name="governance_actions")
@require(READ)
def list_actions(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    """Actions by due date; ``status`` filters (open, in_progress, done, cancelled, overdue)."""
    qs = Action.objects.select_related("risk")
    if status == "overdue":
        qs = actions.overdue()
    elif status:
        qs = qs.filter(status=status)
    return [_action_out(a) for a in qs[:1000]]


@router.post("/actions", response={201: ActionOut}, url_name="governance_action_create",
             openapi_extra=_json_body(ActionIn))  # fmt: skip
@require(EDIT)
def create_action(request: HttpRequest) -> Status[dict[str, Any]]:
    body = json_body(request, ActionIn)
    fields = body.model_dump()
    code = fields.pop("risk")
    risk = _risk(code) if code else None
    try:
        made = actions.create(actor=request.user.get_username(), risk=risk, **fields)
    except GovernanceError as exc:
        raise HttpError(400, exc.message(request_language(request))) from exc
    return Status(201, _action_out(made))


@router.post("/actions/{action_id}", response=ActionOut, url_name="governance_action_change",
             openapi_extra=_json_body(ActionChange))  # fmt: skip
@require(EDIT)
def change_action(request: HttpRequest, action_id: int) -> dict[str, Any]:
    action = Action.objects.filter(pk=action_id).select_related("risk").first()
    if action is None:
        raise HttpError(404, "not found")
    body = json_body(request, ActionChange)
    fields = body.model_dump(exclude_none=True)
    note = fields.pop("comment", None)
    user = request.user.get_username()
    try:
        if note:
            actions.comment(action, author=user, text=note)
        actions.change(action, actor=user, **fields)
    except GovernanceError as exc:
        raise HttpError(400, exc.message(request_language(request))) from exc
    return _action_out(action)


@router.get("/audit/verify", response=AuditOut, url_name="governance_audit_verify")
@require(AUDIT)
def audit_verify(request: HttpRequest) -> dict[str, Any]:
    """Check the whole hash chain; the first broken record is named."""
    result = chain.verify()
    broken = result.broken
    return {"ok": result.ok, "count": result.count, "head_seq": result.head_seq,
            "head_hash": result.head_hash, "broken_seq": broken.seq if broken else None,
            "broken_record": broken.record_id if broken else None,
            "reason": broken.reason if broken else None}  # fmt: skip
