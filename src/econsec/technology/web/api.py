"""Technology endpoints: counts for every role; the register, its changes and incidents only
with need-to-know (403, checked before anything is looked up, so a refusal confirms nothing).

Writes need the ``edit`` role *and* need-to-know; granting need-to-know is for administrators.
Refusals of a body carry the message in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictFloat, StrictInt

from econsec.technology import register, service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import Incident, Technology
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, EDIT, READ

router = Router(tags=["technology"])


class ExposureCell(Schema):
    route: str
    score: float
    level: str


class TechOut(Schema):
    tech_id: str
    name_ja: str
    name_en: str
    kind: str
    tier: int
    exposure: list[ExposureCell]


class TechIn(Schema):
    tech_id: str
    name_ja: str
    name_en: str
    kind: str
    description: str = ""
    items: list[str] = []
    market: StrictInt = 3
    strategic: StrictInt = 3
    catch_up_years: StrictFloat | StrictInt | None = None
    damage: StrictInt = 3
    exhibited: StrictBool = False
    owner: str = ""


class TechChange(Schema):
    reason: str = ""
    fields: dict[str, Any]


class GrantIn(Schema):
    allow: StrictBool


class GrantOut(Schema):
    user: str
    need_to_know: bool


class IncidentIn(Schema):
    code: str
    title: str
    detected_on: dt.date | None = None
    technologies: list[str] = []
    routes: list[str] = []
    description: str = ""


class IncidentChange(Schema):
    status: str = ""
    note: str = ""


class EventOut(Schema):
    at: str
    status: str
    actor: str
    note: str


class IncidentOut(Schema):
    code: str
    title: str
    status: str
    detected_on: str
    technologies: list[str]
    routes: list[str]
    timeline: list[EventOut]


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


def _need(request: HttpRequest) -> None:
    if not service.may_see(_user(request)):
        raise HttpError(403, "forbidden")


def _refused(request: HttpRequest, exc: TechnologyError) -> HttpError:
    return HttpError(400, exc.message(request_language(request)))


def _tech_out(x: Technology, matrix: service.Matrix) -> dict[str, Any]:
    return {
        "tech_id": x.tech_id, "name_ja": x.name_ja, "name_en": x.name_en, "kind": x.kind,
        "tier": service.rate(x).tier,
        "exposure": [{"route": r, "score": round(s, 4), "level": lvl}
                     for r, s, lvl in matrix.row(x.tech_id)],
    }  # fmt: skip


def _incident_out(i: Incident) -> dict[str, Any]:
    return {
        "code": i.code, "title": i.title, "status": i.status,
        "detected_on": i.detected_on.isoformat(),
        "technologies": sorted(x.tech_id for x in i.technologies.all()), "routes": list(i.routes),
        "timeline": [{"at": e.at.isoformat(), "status": e.status, "actor": e.actor,
                      "note": e.note} for e in i.events.all()],
    }  # fmt: skip


@router.get("/summary", url_name="technology_summary")
@require(READ)
def summary(request: HttpRequest) -> dict[str, Any]:
    from econsec.technology.web.views import counts

    figures = counts()
    figures.pop("matrix")
    return figures


@router.get("/technologies", response=list[TechOut], url_name="technology_list")
@require(READ)
def technologies(request: HttpRequest) -> list[dict[str, Any]]:
    _need(request)
    matrix = service.compute()
    return [_tech_out(x, matrix) for x in Technology.objects.order_by("tech_id")]


@router.post("/technologies", response={201: TechOut}, url_name="technology_create",
             openapi_extra=_json_body(TechIn))  # fmt: skip
@require(EDIT)
def create_technology(request: HttpRequest) -> Status[dict[str, Any]]:
    _need(request)
    fields = json_body(request, TechIn).model_dump()
    tech_id = fields.pop("tech_id")
    try:
        tech = register.create(tech_id, fields, actor=request.user.get_username())
    except TechnologyError as exc:
        raise _refused(request, exc) from exc
    return Status(201, _tech_out(tech, service.compute()))


@router.post("/technologies/{tech_id}", response=TechOut, url_name="technology_change",
             openapi_extra=_json_body(TechChange))  # fmt: skip
@require(EDIT)
def change_technology(request: HttpRequest, tech_id: str) -> dict[str, Any]:
    """Change fields of a technology (the audit trail records who and which fields)."""
    _need(request)
    tech = Technology.objects.filter(tech_id=tech_id).first()
    if tech is None:
        raise HttpError(404, "not found")
    body = json_body(request, TechChange)
    try:
        register.change(tech, body.fields, actor=request.user.get_username(), reason=body.reason)
    except TechnologyError as exc:
        raise _refused(request, exc) from exc
    return _tech_out(tech, service.compute())


@router.post("/need-to-know/{username}", response=GrantOut, url_name="technology_grant",
             openapi_extra=_json_body(GrantIn))  # fmt: skip
@require(ADMIN)
def grant(request: HttpRequest, username: str) -> dict[str, Any]:
    """Grant (``allow: true``) or revoke need-to-know for a user."""
    body = json_body(request, GrantIn)
    try:
        service.grant(username, allow=body.allow, actor=request.user.get_username())
    except TechnologyError as exc:
        raise HttpError(404, exc.message(request_language(request))) from exc
    return {"user": username, "need_to_know": body.allow}


@router.get("/incidents", response=list[IncidentOut], url_name="technology_incidents")
@require(READ)
def incidents(request: HttpRequest) -> list[dict[str, Any]]:
    _need(request)
    rows = Incident.objects.prefetch_related("technologies", "events")
    return [_incident_out(i) for i in rows]


@router.post("/incidents", response={201: IncidentOut}, url_name="technology_incident_create",
             openapi_extra=_json_body(IncidentIn))  # fmt: skip
@require(EDIT)
def create_incident(request: HttpRequest) -> Status[dict[str, Any]]:
    _need(request)
    body = json_body(request, IncidentIn)
    try:
        made = service.open_incident(
            body.code, body.title, body.detected_on or dt.date.today(), body.technologies,
            body.routes, actor=request.user.get_username(), description=body.description,
        )  # fmt: skip
    except TechnologyError as exc:
        raise _refused(request, exc) from exc
    return Status(201, _incident_out(made))


@router.post("/incidents/{code}", response=IncidentOut, url_name="technology_incident_change",
             openapi_extra=_json_body(IncidentChange))  # fmt: skip
@require(EDIT)
def change_incident(request: HttpRequest, code: str) -> dict[str, Any]:
    """Move an incident on (``status``, forward only) or add a progress ``note``."""
    _need(request)
    found = Incident.objects.filter(code=code).first()
    if found is None:
        raise HttpError(404, "not found")
    body = json_body(request, IncidentChange)
    actor = request.user.get_username()
    try:
        if body.status:
            service.advance(found, body.status, actor=actor, note=body.note)
        else:
            service.add_note(found, body.note, actor=actor)
    except TechnologyError as exc:
        raise _refused(request, exc) from exc
    return _incident_out(found)
