"""Technology endpoints: counts for every role; the register, its changes and incidents only
with need-to-know (403, checked before anything is looked up, so a refusal confirms nothing).

Writes need the ``edit`` role *and* need-to-know; granting need-to-know is for administrators.
Refusals of a body carry the message in the caller's language.

An incident's evidence files: listed with their SHA-256, uploaded as ``multipart/form-data``
(``file`` and an optional ``description``; anything else is 415, a file over the limit 413) and
downloaded as an attachment that is re-hashed first — a file altered in the store is 409,
never served. They are kept as the incident page keeps them (:mod:`econsec.technology.evidence`).

A technology's facts (holdings, access groups, partners, its own controls) and the items' market
shares and customers, one at a time, checked as the page's forms check them
(:mod:`econsec.technology.facts`): a refusal lists every problem by field and value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictFloat, StrictInt

from econsec.i18n import t
from econsec.technology import evidence, facts, register, service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import Incident, IncidentEvidence, Technology
from econsec.technology.web.incidents import store_upload
from econsec.web.api.auth import require
from econsec.web.api.body import BodyRefused, json_body, read_json
from econsec.web.guards import form_limit
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


# ------------------------------------------------------------------------ evidence files


class EvidenceOut(Schema):
    id: int
    name: str
    description: str
    sha256: str
    size: int
    added_at: str
    actor: str
    download: str


class MessageOut(Schema):
    detail: str


def evidence_body_limit() -> int:
    """One evidence file and its form (registered in apps.py for the upload operation)."""
    return form_limit(evidence.limit())


_UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "description": {
                            "type": "string",
                            "maxLength": evidence.MAX_DESCRIPTION_CHARS,
                        },
                    },
                }
            }
        },
    }
}
_FILE_DOC = {
    "responses": {
        200: {
            "description": "The file as an attachment (re-hashed before it is sent).",
            "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                "format": "binary"}}},
        }
    }
}  # fmt: skip


def _evidence_out(request: HttpRequest, code: str, row: IncidentEvidence) -> dict[str, Any]:
    from django.urls import reverse

    url = reverse("api:technology_incident_evidence_file", args=[code, row.pk])
    return {
        "id": row.pk, "name": row.name, "description": row.description, "sha256": row.sha256,
        "size": row.size, "added_at": row.added_at.isoformat(), "actor": row.actor,
        "download": url,
    }  # fmt: skip


def _incident_or_404(request: HttpRequest, code: str) -> Incident:
    found = Incident.objects.filter(code=code).first()
    if found is None:
        lang = request_language(request)
        raise HttpError(404, TechnologyError("technology.evidence.no_incident", code=code)
                        .message(lang))  # fmt: skip
    return found


@router.get("/incidents/{code}/evidence", response=list[EvidenceOut],
            url_name="technology_incident_evidence_list")  # fmt: skip
@require(READ)
def incident_evidence(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """An incident's evidence files: name, description, SHA-256, size, who added it and when."""
    _need(request)
    found = _incident_or_404(request, code)
    return [_evidence_out(request, code, row) for row in found.evidence.order_by("added_at", "id")]


@router.post("/incidents/{code}/evidence",
             response={201: EvidenceOut, 400: MessageOut, 404: MessageOut, 413: MessageOut,
                       415: MessageOut},
             url_name="technology_incident_evidence_add", openapi_extra=_UPLOAD_DOC)  # fmt: skip
@require(EDIT)
def add_incident_evidence(request: HttpRequest, code: str) -> Status[Any]:
    """Upload an evidence file (``multipart/form-data``: ``file``, optional ``description``)."""
    _need(request)
    lang = request_language(request)
    if request.content_type != "multipart/form-data":
        shown = (request.content_type or "—")[:100]
        message = TechnologyError("technology.evidence.not_multipart", content_type=shown)
        return Status(415, MessageOut(detail=message.message(lang)))
    found = _incident_or_404(request, code)
    try:
        row = store_upload(request, found)
    except TechnologyError as exc:
        status = 413 if exc.key == "technology.evidence.too_large" else 400
        return Status(status, MessageOut(detail=exc.message(lang)))
    return Status(201, _evidence_out(request, code, row))


@router.get("/incidents/{code}/evidence/{evidence_id}",
            response={404: MessageOut, 409: MessageOut},
            url_name="technology_incident_evidence_file", openapi_extra=_FILE_DOC)  # fmt: skip
@require(READ)
def incident_evidence_file(request: HttpRequest, code: str, evidence_id: int) -> Any:
    """Download one evidence file; 409 when it no longer hashes to its recorded SHA-256."""
    _need(request)
    lang = request_language(request)
    found = _incident_or_404(request, code)
    row = found.evidence.filter(pk=evidence_id).first() if 0 < evidence_id < 2**63 else None
    if row is None:
        detail = TechnologyError("technology.evidence.no_evidence", code=code, id=evidence_id)
        return Status(404, MessageOut(detail=detail.message(lang)))
    try:
        data = evidence.read(row)
    except TechnologyError as exc:
        return Status(409, MessageOut(detail=exc.message(lang)))
    # Always a download, never rendered: the browser must not run an uploaded page.
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f"attachment; filename=\"evidence-{row.pk}\"; filename*=UTF-8''{quote(row.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = row.sha256
    return response


# ---------------------------------------------------- facts: one holding, group, partner, …


class FactOut(Schema):
    kind: str
    id: int
    fields: dict[str, Any]


class ProblemOut(Schema):
    field: str
    value: str
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


def _fact_out(kind: facts.Kind, fact: Any) -> dict[str, Any]:
    return {"kind": kind.name, "id": fact.pk,
            "fields": {c.key: getattr(fact, c.key) for c in kind.columns}}  # fmt: skip


def _fact_body(request: HttpRequest, kind: facts.Kind) -> dict[str, Any]:
    """The body's fields by their workbook column keys (values as in a cell: text, number, true
    or false, null), read by the shared JSON body reader's rules."""
    try:
        fields = read_json(request.body)
    except BodyRefused as exc:
        raise HttpError(exc.status, exc.message(request_language(request))) from None
    known = {c.key for c in kind.columns}
    for name, value in fields.items():
        if name not in known:
            raise _refused(
                request, TechnologyError("technology.api.unknown_field", field=name[:80])
            )
        if value is not None and not isinstance(value, str | int | float | bool):
            raise _refused(request, TechnologyError("technology.api.bad_field", field=name,
                                                    value=str(value)[:80],
                                                    expected="text / number / true, false"))  # fmt: skip
    return fields


def _problems_out(request: HttpRequest, exc: facts.FactProblems) -> Status[Any]:
    lang = request_language(request)
    messages = exc.messages(lang)
    detail = "\n".join([*messages, t("technology.facts.nothing_written", lang,
                                      count=len(messages))])  # fmt: skip
    return Status(400, {"detail": detail, "problems": [
        {"field": p.field, "value": p.value[:80], "message": m}
        for p, m in zip(exc.problems, messages, strict=True)]})  # fmt: skip


def _fact_kind(request: HttpRequest, name: str, kinds: dict[str, facts.Kind]) -> facts.Kind:
    if name not in kinds:
        raise HttpError(404, TechnologyError("technology.facts.no_kind", kind=name[:40])
                        .message(request_language(request)))  # fmt: skip
    return kinds[name]


def _tech_or_404(tech_id: str) -> Technology:
    tech = Technology.objects.filter(tech_id=tech_id).first()
    if tech is None:
        raise HttpError(404, "not found")
    return tech


def _fact_or_404(request: HttpRequest, tech: Technology | None, kind: facts.Kind,
                 fact_id: int) -> Any:  # fmt: skip
    try:
        return facts.find(tech, kind, fact_id)
    except TechnologyError as exc:
        raise HttpError(404, exc.message(request_language(request))) from exc


_FACT_DOC = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
}}}}}  # fmt: skip
_FACT_ANSWERS = {400: ProblemsOut, 404: MessageOut}


@router.get("/technologies/{tech_id}/facts", response=dict[str, list[FactOut]],
            url_name="technology_facts")  # fmt: skip
@require(READ)
def technology_facts(request: HttpRequest, tech_id: str) -> dict[str, list[dict[str, Any]]]:
    """Where a technology is held, groups and partners with access, its own controls."""
    _need(request)
    tech = _tech_or_404(tech_id)
    return {name: [_fact_out(kind, f) for f in kind.model.objects.filter(technology=tech)  # type: ignore[attr-defined]
                   .order_by("id")] for name, kind in facts.KINDS.items()}  # fmt: skip


@router.post("/technologies/{tech_id}/facts/{kind}", response={201: FactOut, **_FACT_ANSWERS},
             url_name="technology_fact_add", openapi_extra=_FACT_DOC)  # fmt: skip
@require(EDIT)
def add_technology_fact(request: HttpRequest, tech_id: str, kind: str) -> Status[Any]:
    """Add a fact (``kind``: holding, access, partner, control); every problem is located."""
    _need(request)
    tech, found = _tech_or_404(tech_id), _fact_kind(request, kind, facts.KINDS)
    fields = _fact_body(request, found)
    try:
        fact = facts.add(tech, found, fields, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _problems_out(request, exc)
    return Status(201, _fact_out(found, fact))


@router.post("/technologies/{tech_id}/facts/{kind}/{fact_id}",
             response={200: FactOut, **_FACT_ANSWERS}, url_name="technology_fact_change",
             openapi_extra=_FACT_DOC)  # fmt: skip
@require(EDIT)
def change_technology_fact(request: HttpRequest, tech_id: str, kind: str,
                           fact_id: int) -> Status[Any]:  # fmt: skip
    """Set a fact's fields (all of them: a field left out is emptied, as in the form)."""
    _need(request)
    tech, found = _tech_or_404(tech_id), _fact_kind(request, kind, facts.KINDS)
    fact = _fact_or_404(request, tech, found, fact_id)
    fields = _fact_body(request, found)
    try:
        facts.change(tech, found, fact.pk, fields, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _problems_out(request, exc)
    fact.refresh_from_db()
    return Status(200, _fact_out(found, fact))


@router.delete("/technologies/{tech_id}/facts/{kind}/{fact_id}",
               response={204: None, 404: MessageOut},
               url_name="technology_fact_remove")  # fmt: skip
@require(EDIT)
def remove_technology_fact(request: HttpRequest, tech_id: str, kind: str,
                           fact_id: int) -> Status[None]:  # fmt: skip
    _need(request)
    tech, found = _tech_or_404(tech_id), _fact_kind(request, kind, facts.KINDS)
    fact = _fact_or_404(request, tech, found, fact_id)
    facts.remove(tech, found, fact.pk, actor=request.user.get_username())
    return Status(204, None)


@router.get("/items/facts", response=dict[str, list[FactOut]], url_name="technology_item_facts")
@require(READ)
def item_facts(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    """The market shares and customers of the items we sell."""
    _need(request)
    return {name: [_fact_out(kind, f) for f in kind.model.objects.order_by("id")]  # type: ignore[attr-defined]
            for name, kind in facts.ITEM_KINDS.items()}  # fmt: skip


@router.post("/items/facts/{kind}", response={201: FactOut, **_FACT_ANSWERS},
             url_name="technology_item_fact_add", openapi_extra=_FACT_DOC)  # fmt: skip
@require(EDIT)
def add_item_fact(request: HttpRequest, kind: str) -> Status[Any]:
    """Add a market share or a customer (``kind``: market_share, customer)."""
    _need(request)
    found = _fact_kind(request, kind, facts.ITEM_KINDS)
    fields = _fact_body(request, found)
    try:
        fact = facts.add(None, found, fields, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _problems_out(request, exc)
    return Status(201, _fact_out(found, fact))


@router.post("/items/facts/{kind}/{fact_id}", response={200: FactOut, **_FACT_ANSWERS},
             url_name="technology_item_fact_change", openapi_extra=_FACT_DOC)  # fmt: skip
@require(EDIT)
def change_item_fact(request: HttpRequest, kind: str, fact_id: int) -> Status[Any]:
    _need(request)
    found = _fact_kind(request, kind, facts.ITEM_KINDS)
    fact = _fact_or_404(request, None, found, fact_id)
    fields = _fact_body(request, found)
    try:
        facts.change(None, found, fact.pk, fields, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _problems_out(request, exc)
    fact.refresh_from_db()
    return Status(200, _fact_out(found, fact))


@router.delete("/items/facts/{kind}/{fact_id}", response={204: None, 404: MessageOut},
               url_name="technology_item_fact_remove")  # fmt: skip
@require(EDIT)
def remove_item_fact(request: HttpRequest, kind: str, fact_id: int) -> Status[None]:
    _need(request)
    found = _fact_kind(request, kind, facts.ITEM_KINDS)
    fact = _fact_or_404(request, None, found, fact_id)
    facts.remove(None, found, fact.pk, actor=request.user.get_username())
    return Status(204, None)
