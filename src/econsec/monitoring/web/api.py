"""Monitoring endpoints: events with their impact and reasons, the feed sources, the response
room's acknowledgement.

The same roles as the pages: reading for everyone with a role, recording and acknowledging
events for ``edit``, configuring sources for ``admin``. Refusals carry the located message in
the caller's language; an import is all or nothing (nothing is written when one event fails).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictInt

from econsec.i18n import t
from econsec.monitoring import models as m
from econsec.monitoring import service
from econsec.monitoring.errors import MonitoringError
from econsec.safe_yaml import YamlRefused
from econsec.web.api.auth import require
from econsec.web.api.body import MiB, json_body
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, EDIT, READ

router = Router(tags=["monitoring"])
MAX_LIST = 500


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    title_ja: str
    title_en: str
    url: str
    source: str | None
    announced_on: str | None
    effective_on: str | None
    expected_end_on: str | None
    status: str
    severity: str
    touched: int
    """Products touched, each (product, site) once, as the severity's reasons count them."""
    stopped: int
    revenue_stopped_per_week: float
    created_at: str


class ProductOut(Schema):
    item: str
    site: str
    stopped: bool
    revenue_per_week: float
    tts_weeks: float | None
    path: list[str]
    reasons: list[str]


class NoteOut(Schema):
    at: str
    author: str
    kind: str
    text: str


class EventDetailOut(EventOut):
    summary_ja: str
    summary_en: str
    footprint: dict[str, Any]
    inferred: dict[str, Any] | None
    inferences: list[list[str]]
    severity_reasons: list[str]
    weeks: float | None
    currency: str
    products: list[ProductOut]
    owner: str
    due_on: str | None
    measure_ref: str
    risk_ref: str
    timeline: list[NoteOut]


class ImportIn(Schema):
    events: list[dict[str, Any]]
    with_tts: bool = False


class ImportOut(Schema):
    created: list[int]
    duplicates: int


class AcknowledgeIn(Schema):
    status: str | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    note: str = ""
    measure_ref: str | None = None
    risk_ref: str | None = None


class SourceOut(Schema):
    id: int
    name: str
    url: str
    kind: str
    enabled: bool
    interval_minutes: int
    etag: str
    last_modified: str
    last_success_at: str | None
    last_error: str
    last_error_at: str | None
    failures: int
    next_run_at: str | None


class SourceIn(Schema):
    name: str
    url: str
    kind: str = "feed"
    interval_minutes: StrictInt = 60
    enabled: bool = True


# The import endpoint takes many events at once: more than the API's usual 4 MiB body.
IMPORT_BODY_LIMIT = 32 * MiB


def _json_body(schema: type[Schema]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema.model_json_schema()}}}
    return {"requestBody": {**body, "required": True}}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _title(event: m.Event, lang: str) -> str:
    if lang == "ja":
        return event.title_ja or event.title_en
    return event.title_en or event.title_ja


def _event_out(event: m.Event, lang: str) -> dict[str, Any]:
    alert = getattr(event, "alert", None)
    impact = alert.impact if alert else {}
    products = impact.get("products", [])
    return {
        "id": event.pk, "kind": event.kind, "kind_label": t(f"monitoring.kind.{event.kind}", lang),
        "title": _title(event, lang), "title_ja": event.title_ja, "title_en": event.title_en,
        "url": event.url, "source": event.source.name if event.source else None,
        "announced_on": _iso(event.announced_on), "effective_on": _iso(event.effective_on),
        "expected_end_on": _iso(event.expected_end_on),
        "status": alert.status if alert else "potential",
        "severity": alert.severity if alert else "none",
        "touched": len(products), "stopped": sum(1 for p in products if p.get("stopped")),
        "revenue_stopped_per_week": float(impact.get("revenue_stopped", 0) or 0),
        "created_at": event.created_at.isoformat(),
    }  # fmt: skip


def _detail_out(event: m.Event, lang: str) -> dict[str, Any]:
    out = _event_out(event, lang)
    alert = event.alert
    impact = alert.impact
    tts = {p["item"]: p.get("tts_weeks") for p in (impact.get("stress") or {}).get("products", [])}
    out.update({
        "summary_ja": event.summary_ja, "summary_en": event.summary_en,
        "footprint": event.footprint, "inferred": event.inferred,
        "inferences": [[str(x) for x in row] for row in event.inferences],
        "severity_reasons": [t(k, lang, **v) for k, v in impact.get("severity_reasons", [])],
        "weeks": impact.get("weeks"), "currency": str(impact.get("currency", "")),
        "products": [
            {"item": p["item"], "site": p["site"], "stopped": bool(p["stopped"]),
             "revenue_per_week": float(p["revenue_per_week"]), "tts_weeks": tts.get(p["item"]),
             "path": list(p["path"]), "reasons": [t(k, lang, **v) for k, v in p.get("reasons", [])]}
            for p in impact.get("products", [])
        ],
        "owner": alert.owner, "due_on": _iso(alert.due_on), "measure_ref": alert.measure_ref,
        "risk_ref": alert.risk_ref,
        "timeline": [{"at": n.at.isoformat(), "author": n.author, "kind": n.kind, "text": n.text}
                     for n in alert.notes.all()],
    })  # fmt: skip
    return out


def _event(event_id: int) -> m.Event:
    event = m.Event.objects.select_related("alert", "source").filter(pk=event_id).first()
    if event is None or not hasattr(event, "alert"):
        raise HttpError(404, "not found")
    return event


def _source_out(s: m.Source, lang: str = "en") -> dict[str, Any]:
    return {
        "id": s.pk, "name": s.name, "url": s.url, "kind": s.kind, "enabled": s.enabled,
        "interval_minutes": s.interval_minutes, "etag": s.etag, "last_modified": s.last_modified,
        "last_success_at": _iso(s.last_success_at), "last_error": s.error_in(lang),
        "last_error_at": _iso(s.last_error_at), "failures": s.failures,
        "next_run_at": _iso(s.next_run_at),
    }  # fmt: skip


@router.get("/events", response=list[EventOut], url_name="monitoring_events")
@require(READ)
def list_events(request: HttpRequest, status: str = "", kind: str = "") -> list[dict[str, Any]]:
    """Newest first (at most 500); ``status`` and ``kind`` filter."""
    lang = request_language(request)
    qs = m.Event.objects.select_related("alert", "source").filter(alert__isnull=False)
    if status:
        qs = qs.filter(alert__status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return [_event_out(e, lang) for e in qs[:MAX_LIST]]


@router.get("/events/{event_id}", response=EventDetailOut, url_name="monitoring_event")
@require(READ)
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The event, its footprint (and the classifier's reading), the products it touches with
    the reasons and the path to each, severity with its reasons, and the alert's timeline."""
    return _detail_out(_event(event_id), request_language(request))


@router.post("/events", response={201: ImportOut}, url_name="monitoring_event_create",
             openapi_extra=_json_body(ImportIn))  # fmt: skip
@require(EDIT)
def create_events(request: HttpRequest) -> Status[dict[str, Any]]:
    """Record one or more events (the import's document format); all or nothing."""
    body = json_body(request, ImportIn, limit=IMPORT_BODY_LIMIT)
    if len(body.events) > service.MAX_IMPORT_EVENTS:
        raise HttpError(400, t("monitoring.import.too_many", request_language(request),
                               where="events", limit=service.MAX_IMPORT_EVENTS))  # fmt: skip
    try:
        created, duplicates = service.import_events(
            body.events, "api", actor=request.user.get_username(), with_tts=body.with_tts
        )
    except (MonitoringError, YamlRefused) as exc:
        raise HttpError(400, _message(exc, request)) from exc
    return Status(201, {"created": [e.pk for e in created], "duplicates": duplicates})


@router.post("/events/{event_id}/acknowledge", response=EventDetailOut,
             url_name="monitoring_event_acknowledge",
             openapi_extra=_json_body(AcknowledgeIn))  # fmt: skip
@require(EDIT)
def acknowledge(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Acknowledge the alert (recorded on its timeline) and optionally triage it."""
    event = _event(event_id)
    body = json_body(request, AcknowledgeIn)
    try:
        service.acknowledge(event.alert, actor=request.user.get_username(),
                            **body.model_dump())  # fmt: skip
    except MonitoringError as exc:
        raise HttpError(400, _message(exc, request)) from exc
    return _detail_out(_event(event_id), request_language(request))


@router.get("/sources", response=list[SourceOut], url_name="monitoring_sources")
@require(READ)
def list_sources(request: HttpRequest) -> list[dict[str, Any]]:
    """Each source with its polling state: last success, last error, ETag, next run."""
    lang = request_language(request)
    return [_source_out(s, lang) for s in m.Source.objects.all()[:MAX_LIST]]


@router.get("/sources/{source_id}", response=SourceOut, url_name="monitoring_source")
@require(READ)
def get_source(request: HttpRequest, source_id: int) -> dict[str, Any]:
    source = m.Source.objects.filter(pk=source_id).first()
    if source is None:
        raise HttpError(404, "not found")
    return _source_out(source, request_language(request))


@router.post("/sources", response={201: SourceOut}, url_name="monitoring_source_create",
             openapi_extra=_json_body(SourceIn))  # fmt: skip
@require(ADMIN)
def create_source(request: HttpRequest) -> Status[dict[str, Any]]:
    """Add a feed (RSS/Atom, ``kind`` "feed") or CAP alert source (``kind`` "cap")."""
    body = json_body(request, SourceIn)
    try:
        source = service.add_source(**body.model_dump())
    except MonitoringError as exc:
        raise HttpError(400, _message(exc, request)) from exc
    return Status(201, _source_out(source, request_language(request)))


def _message(exc: Exception, request: HttpRequest) -> str:
    lang = request_language(request)
    return exc.message(lang) if isinstance(exc, MonitoringError) else str(exc)[:2000]
