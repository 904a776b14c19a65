"""Screening endpoints: lists and versions, hits and their review, history, search, screen all.

The same roles as the pages: reading for everyone, review and runs for ``edit``, the full event
log for ``audit``. Lists are keyset-paged (pass ``next`` back as ``after``).
"""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from econsec.i18n import t
from econsec.screening import queries
from econsec.screening.countries import to_iso2
from econsec.screening.models import Decision, Hit, ListVersion, ScreeningEvent, ScreeningList
from econsec.screening.service import ReviewError, config_from_store, decide
from econsec.screening.web.job import JOB_KIND
from econsec.web import jobs
from econsec.web.api.auth import require
from econsec.web.api.body import json_body
from econsec.web.api.schemas import JobOut, PageOut
from econsec.web.language import request_language
from econsec.web.listing import paginate
from econsec.web.roles import AUDIT, EDIT, READ
from econsec.web.views.jobs import job_state

router = Router(tags=["screening"])
MAX_LIMIT = 500
STATUSES = (Hit.OPEN, Hit.CONFIRMED, Hit.DISMISSED, Hit.WITHDRAWN)


class DecisionIn(Schema):
    status: str  # confirmed | dismissed
    reason: str


class RunIn(Schema):
    full: bool = False  # re-screen unchanged counterparties too


def _body_schema(schema: type[Schema]) -> dict[str, Any]:
    return {
        "content": {"application/json": {"schema": schema.model_json_schema()}},
        "required": True,
    }


def _version(v: ListVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "list_name": v.screening_list.name,
        "version_date": v.version_date.isoformat() if v.version_date else None,
        "loaded_at": v.loaded_at.isoformat(),
        "loaded_by": v.loaded_by,
        "source_name": v.source_name,
        "source_sha256": v.source_sha256,
        "entity_count": v.entity_count,
        "added": v.added,
        "changed": v.changed,
        "removed": v.removed,
        "is_current": v.is_current,
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "hit_id": d.hit_id,
        "status": d.status,
        "reviewer": d.reviewer,
        "reason": d.reason,
        "decided_at": d.decided_at.isoformat(),
    }


def _hit(h: Hit) -> dict[str, Any]:
    return {
        "id": h.pk,
        "subject_ref": h.subject_ref,
        "subject_name": h.subject_name,
        "list_name": h.list_name,
        "entity_id": h.entity_id,
        "entity_name": h.entity_name,
        "score": h.score,
        "via": h.via,
        "status": h.status,
        "explanation": h.explanation,
        "first_seen_at": h.first_seen_at.isoformat(),
        "last_screened_at": h.last_screened_at.isoformat(),
    }


def _event(e: ScreeningEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "object_ref": e.object_ref,
        "reason": e.reason,
        "detail": e.detail,
    }


def _size(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


@router.get("/lists", url_name="screening_lists")
@require(READ)
def list_lists(request: HttpRequest) -> list[dict[str, Any]]:
    """Every list with its threshold and current version."""
    config = config_from_store()
    out = []
    for item in ScreeningList.objects.order_by("name"):
        current = item.versions.select_related("screening_list").filter(is_current=True).first()
        out.append(
            {
                "name": item.name,
                "source_format": item.source_format,
                "threshold": config.threshold_for(item.name),
                "current_version": _version(current) if current else None,
            }
        )
    return out


@router.get("/lists/{name}/versions", response=PageOut, url_name="screening_versions")
@require(READ)
def list_versions(
    request: HttpRequest, name: str, after: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """A list's versions, newest first, with added/changed/removed counts."""
    item = ScreeningList.objects.filter(name=name).first()
    if item is None:
        raise HttpError(404, "not found")
    qs = item.versions.select_related("screening_list")
    page = paginate(qs, "loaded_at", descending=True, after=after, size=_size(limit))
    return {"items": [_version(v) for v in page.rows], "next": page.next_cursor}


@router.get("/versions/{version_id}/changes", url_name="screening_version_changes")
@require(READ)
def version_changes(request: HttpRequest, version_id: int, limit: int = 200) -> dict[str, Any]:
    """The entries a version added and changed, and those it removed (at most ``limit`` each)."""
    version = ListVersion.objects.select_related("screening_list").filter(pk=version_id).first()
    if version is None:
        raise HttpError(404, "not found")
    changes = queries.version_changes(version, limit=_size(limit))
    return {
        "version": _version(version),
        "previous_version_id": changes.previous.pk if changes.previous else None,
        "added": [{"entity_id": e.entity_id, **e.data} for e in changes.added],
        "changed": [{"entity_id": e.entity_id, **e.data} for e in changes.changed],
        "removed": [{"entity_id": eid, "name": name} for eid, name in changes.removed],
        "removed_total": changes.removed_total,
    }


@router.get("/hits", response=PageOut, url_name="screening_hits")
@require(READ)
def list_hits(
    request: HttpRequest,
    status: str = Hit.OPEN,
    list_name: str = "",
    q: str = "",
    after: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Hits by score, best first; ``status`` is open (default), confirmed, dismissed,
    withdrawn or all."""
    qs = Hit.objects.all()
    if status in STATUSES:
        qs = qs.filter(status=status)
    elif status != "all":
        raise HttpError(
            400, t("screening.web.api.bad_status", request_language(request), value=status)
        )
    if list_name:
        qs = qs.filter(list_name=list_name)
    if q:
        qs = qs.filter(Q(subject_name__icontains=q) | Q(entity_name__icontains=q))
    page = paginate(qs, "score", descending=True, after=after, size=_size(limit))
    return {"items": [_hit(h) for h in page.rows], "next": page.next_cursor}


@router.get("/hits/{hit_id}", url_name="screening_hit")
@require(READ)
def get_hit(request: HttpRequest, hit_id: int) -> dict[str, Any]:
    """One hit with its explanation and every decision on it."""
    hit = Hit.objects.filter(pk=hit_id).first()
    if hit is None:
        raise HttpError(404, "not found")
    return {**_hit(hit), "decisions": [_decision(d) for d in hit.decisions.all()]}


@router.post(
    "/hits/{hit_id}/decision",
    url_name="screening_decide",
    openapi_extra={"requestBody": _body_schema(DecisionIn)},
)
@require(EDIT)
def decide_hit(request: HttpRequest, hit_id: int) -> dict[str, Any]:
    """Confirm or dismiss a hit with a reason; the reviewer is the authenticated user.

    Body: ``{"status": "confirmed" | "dismissed", "reason": "..."}``.
    """
    body = json_body(request, DecisionIn)
    user = getattr(request, "auth", None) or request.user
    try:
        decision = decide(hit_id, body.status, reviewer=user.get_username(), reason=body.reason)
    except ReviewError as error:
        code = 404 if error.key == "screening.review.no_hit" else 400
        raise HttpError(code, t(error.key, request_language(request), **error.params)) from None
    return _decision(decision)


@router.get("/decisions", response=PageOut, url_name="screening_decisions")
@require(READ)
def list_decisions(
    request: HttpRequest, after: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """Every review decision, newest first."""
    page = paginate(
        Decision.objects.all(), "decided_at", descending=True, after=after, size=_size(limit)
    )
    return {"items": [_decision(d) for d in page.rows], "next": page.next_cursor}


@router.get("/events", response=PageOut, url_name="screening_events")
@require(AUDIT)
def list_events(
    request: HttpRequest, action: str = "", after: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """The full screening event log, newest first (auditors and administrators)."""
    qs = ScreeningEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    page = paginate(qs, "at", descending=True, after=after, size=_size(limit))
    return {"items": [_event(e) for e in page.rows], "next": page.next_cursor}


@router.get("/search", url_name="screening_search")
@require(READ)
def search(
    request: HttpRequest,
    q: str,
    kind: str = "unknown",
    country: str = "",
    near_misses: bool = False,
) -> dict[str, Any]:
    """Screen one name against the current lists (nothing stored); matches with explanations."""
    lang = request_language(request)
    if not q.strip() or len(q) > 300:
        raise HttpError(400, t("screening.web.search.too_long", lang, limit=300))
    if kind not in ("unknown", "organisation", "person", "vessel"):
        kind = "unknown"
    countries: tuple[str, ...] = ()
    if country:
        code = to_iso2(country)
        if len(code) != 2 or not code.isalpha():
            raise HttpError(400, t("screening.web.search.bad_country", lang, value=country))
        countries = (code,)
    config = config_from_store()
    matches = queries.search(
        q.strip(), kind=kind, countries=countries, near_misses=near_misses, config=config
    )
    return {
        "query": q.strip(),
        "matches": [queries.match_dict(m, config.threshold_for(m.list_name)) for m in matches],
    }


@router.post(
    "/run",
    response={202: JobOut},
    url_name="screening_run",
    openapi_extra={"requestBody": _body_schema(RunIn)},
)
@require(EDIT)
def run(request: HttpRequest) -> tuple[int, Any]:
    """Queue "screen everything" as a background job; poll ``/api/jobs/{id}``.

    Body (optional): ``{"full": true}`` re-screens unchanged counterparties too.
    """
    body = json_body(request, RunIn, empty={})
    user = getattr(request, "auth", None) or request.user
    job = jobs.enqueue(JOB_KIND, user=user, params={"delta": not body.full})
    return 202, job_state(job, request_language(request))
