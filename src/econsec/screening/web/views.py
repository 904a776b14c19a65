"""Screening pages: lists and versions, the hits queue with review, history, ad-hoc search.

Reading is open to every role; confirming/dismissing a hit and starting a screen need ``edit``
(analyst, administrator); the full event log needs ``audit`` (auditor, administrator).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.i18n import catalog, t
from econsec.screening import queries
from econsec.screening.countries import to_iso2
from econsec.screening.models import (
    Decision,
    Hit,
    ListVersion,
    ScreeningEvent,
    ScreeningList,
)
from econsec.screening.service import ReviewError, config_from_store, decide
from econsec.screening.web.job import JOB_KIND
from econsec.web import jobs
from econsec.web.language import request_language
from econsec.web.listing import paginate
from econsec.web.roles import AUDIT, EDIT, READ, has_capability, role_required

PAGE_SIZE = 50
STATUSES = (Hit.OPEN, Hit.CONFIRMED, Hit.DISMISSED, Hit.WITHDRAWN)
KINDS = ("unknown", "organisation", "person", "vessel")
MAX_QUERY = 300


def _cursor_args(request: HttpRequest) -> dict[str, Any]:
    return {"after": request.GET.get("after"), "before": request.GET.get("before")}


@role_required(READ)
def lists(request: HttpRequest) -> HttpResponse:
    """Every list with its current version, threshold and hit counts."""
    config = config_from_store()
    rows = []
    for item in ScreeningList.objects.order_by("name"):
        current = item.versions.filter(is_current=True).first()
        rows.append(
            {
                "list": item,
                "current": current,
                "threshold": config.threshold_for(item.name),
                "versions": item.versions.count(),
                "open": Hit.objects.filter(list_name=item.name, status=Hit.OPEN).count(),
            }
        )
    return render(
        request,
        "screening/lists.html",
        {"rows": rows, "can_edit": has_capability(request.user, EDIT)},
    )


@role_required(READ)
def list_detail(request: HttpRequest, name: str) -> HttpResponse:
    """One list's versions, newest first, with what each added, changed and removed."""
    item = get_object_or_404(ScreeningList, name=name)
    page = paginate(
        item.versions.all(), "loaded_at", descending=True, size=PAGE_SIZE, **_cursor_args(request)
    )
    return render(
        request,
        "screening/list_detail.html",
        {"item": item, "page": page, "threshold": config_from_store().threshold_for(name)},
    )


@role_required(READ)
def version_detail(request: HttpRequest, name: str, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        ListVersion.objects.select_related("screening_list"),
        pk=version_id,
        screening_list__name=name,
    )
    changes = queries.version_changes(version)
    return render(
        request,
        "screening/version.html",
        {"version": version, "changes": changes, "limit": 200},
    )


def _hits_queryset(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    status = request.GET.get("status", Hit.OPEN)
    qs = Hit.objects.all()
    active: dict[str, str] = {}
    if status in STATUSES:
        qs = qs.filter(status=status)
        active["status"] = status
    else:
        active["status"] = "all"
    list_name = request.GET.get("list", "").strip()
    if list_name:
        qs = qs.filter(list_name=list_name)
        active["list"] = list_name
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    if q:
        qs = qs.filter(Q(subject_name__icontains=q) | Q(entity_name__icontains=q))
        active["q"] = q
    return qs, active


@role_required(READ)
def hits(request: HttpRequest) -> HttpResponse:
    """The review queue: open hits by default, best score first."""
    qs, active = _hits_queryset(request)
    page = paginate(qs, "score", descending=True, size=PAGE_SIZE, **_cursor_args(request))
    list_names = list(ScreeningList.objects.order_by("name").values_list("name", flat=True))
    return render(
        request,
        "screening/hits.html",
        {
            "page": page,
            "active": active,
            "statuses": STATUSES,
            "list_names": [*list_names, "ownership_50"],
            "can_edit": has_capability(request.user, EDIT),
            "running": _running_job(),
        },
    )


def _running_job() -> Any:
    from econsec.web.models import Job

    return (
        Job.objects.filter(kind=JOB_KIND, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .order_by("-pk")
        .first()
    )


@role_required(READ)
def hit_detail(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = get_object_or_404(Hit, pk=hit_id)
    return _render_hit(request, hit, error="", reason="", status=200)


def _render_hit(
    request: HttpRequest, hit: Hit, *, error: str, reason: str, status: int
) -> HttpResponse:
    events = ScreeningEvent.objects.filter(object_ref=f"hit:{hit.pk}").order_by("-at", "-id")
    return render(
        request,
        "screening/hit.html",
        {
            "hit": hit,
            "decisions": hit.decisions.all(),
            "events": [
                (e, action_label(e.action, request_language(request))) for e in events[:100]
            ],
            "can_edit": has_capability(request.user, EDIT),
            "can_decide": hit.status in (Hit.OPEN, Hit.CONFIRMED, Hit.DISMISSED),
            "error": error,
            "reason": reason,
            "lines": (hit.explanation or {}).get("lines", []),
            "features": (hit.explanation or {}).get("features", []),
            "chains": (hit.explanation or {}).get("chains", []),
        },
        status=status,
    )


@require_POST
@role_required(EDIT)
def hit_decide(request: HttpRequest, hit_id: int) -> HttpResponse:
    """Confirm or dismiss a hit with a reason; the reviewer is the signed-in user."""
    hit = get_object_or_404(Hit, pk=hit_id)
    lang = request_language(request)
    status = request.POST.get("status", "")
    reason = request.POST.get("reason", "").strip()
    try:
        decide(hit.pk, status, reviewer=request.user.get_username(), reason=reason)
    except ReviewError as error:
        hit.refresh_from_db()
        message = t(error.key, lang, **error.params)
        return _render_hit(request, hit, error=message, reason=reason, status=400)
    return _see_other(reverse("web:screening_hit", args=[hit.pk]))


@role_required(READ)
def decisions(request: HttpRequest) -> HttpResponse:
    """Every review decision, newest first (who, what, why, on which hit)."""
    qs = Decision.objects.select_related("hit")
    page = paginate(qs, "decided_at", descending=True, size=PAGE_SIZE, **_cursor_args(request))
    return render(
        request,
        "screening/decisions.html",
        {"page": page, "can_audit": has_capability(request.user, AUDIT)},
    )


@role_required(AUDIT)
def events(request: HttpRequest) -> HttpResponse:
    """The full screening event log (loads, screens, hits raised/reopened/withdrawn, reviews)."""
    qs = ScreeningEvent.objects.all()
    action = request.GET.get("action", "").strip()[:40]
    if action:
        qs = qs.filter(action=action)
    page = paginate(qs, "at", descending=True, size=PAGE_SIZE, **_cursor_args(request))
    lang = request_language(request)
    names = sorted(set(ScreeningEvent.objects.values_list("action", flat=True).distinct()))
    rows = [(e, action_label(e.action, lang), _object_url(e.object_ref)) for e in page.rows]
    return render(
        request,
        "screening/events.html",
        {
            "page": page,
            "rows": rows,
            "action": action,
            "actions": [(a, action_label(a, lang)) for a in names],
        },
    )


def action_label(action: str, lang: str) -> str:
    """The event's action in ``lang``; an action this version does not know shows as is."""
    key = f"screening.web.action.{action}"
    return t(key, lang) if key in catalog() else action


def _object_url(ref: str) -> str:
    kind, _, key = ref.partition(":")
    if kind == "hit" and key.isdigit():
        return reverse("web:screening_hit", args=[int(key)])
    if kind == "list" and key:
        return reverse("web:screening_list", args=[key])
    return ""


@role_required(READ)
def search(request: HttpRequest) -> HttpResponse:
    """Screen a typed name against the current lists and show every match with its reasons."""
    lang = request_language(request)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "unknown")
    country = request.GET.get("country", "").strip()
    near = request.GET.get("near") == "1"
    error = ""
    results: list[dict[str, Any]] = []
    searched = False
    if kind not in KINDS:
        kind = "unknown"
    if len(q) > MAX_QUERY:
        error = t("screening.web.search.too_long", lang, limit=MAX_QUERY)
    elif q:
        countries: tuple[str, ...] = ()
        if country:
            code = to_iso2(country)
            if len(code) != 2 or not code.isalpha():
                error = t("screening.web.search.bad_country", lang, value=country)
            countries = (code,) if code else ()
        if not error:
            config = config_from_store()
            matches = queries.search(
                q, kind=kind, countries=countries, near_misses=near, config=config
            )
            results = [queries.match_dict(m, config.threshold_for(m.list_name)) for m in matches]
            searched = True
    has_lists = ListVersion.objects.filter(is_current=True).exists()
    return render(
        request,
        "screening/search.html",
        {
            "q": q,
            "kind": kind,
            "kinds": KINDS,
            "country": country,
            "near": near,
            "results": results,
            "searched": searched,
            "error": error,
            "has_lists": has_lists,
        },
        status=400 if error else 200,
    )


@require_POST
@role_required(EDIT)
def run(request: HttpRequest) -> HttpResponse:
    """Queue "screen everything" (delta unless a full re-screen is asked for)."""
    full = request.POST.get("full") == "1"
    job = jobs.enqueue(JOB_KIND, user=request.user, params={"delta": not full})
    return _see_other(reverse("web:job", args=[job.pk]))


def _see_other(url: str) -> HttpResponse:
    # 303: after a POST the browser fetches the next page with GET.
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
