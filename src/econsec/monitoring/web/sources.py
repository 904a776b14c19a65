"""The sources page: each feed's polling state, adding a source, fetching one now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.monitoring import service
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.models import Source
from econsec.monitoring.schedule import JOB_KIND
from econsec.web import jobs
from econsec.web.language import request_language
from econsec.web.roles import ADMIN, EDIT, READ, has_capability, role_required


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    lang = request_language(request)
    rows = list(Source.objects.all()[:500])
    for s in rows:
        s.error = s.error_in(lang)  # type: ignore[attr-defined]
    return render(
        request,
        "monitoring/sources.html",
        {
            "sources": rows,
            "kinds": service.SOURCE_KINDS,
            "can_admin": has_capability(request.user, ADMIN),
            "can_edit": has_capability(request.user, EDIT),
            "error": error,
            "form": request.POST if error else {},
        },
        status=status,
    )


@role_required(READ)
def sources(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@role_required(ADMIN)
def add(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        interval = int(post.get("interval_minutes", "60") or "60")
    except ValueError:
        interval = 0
    try:
        service.add_source(
            post.get("name", ""),
            post.get("url", "").strip(),
            kind=post.get("kind", "feed"),
            interval_minutes=interval,
        )
    except MonitoringError as exc:
        return _page(request, exc.message(request_language(request)), status=400)
    return _see_other(reverse("web:monitoring_sources"))


@require_POST
@role_required(ADMIN)
def toggle(request: HttpRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_id)
    source.enabled = not source.enabled
    source.save(update_fields=["enabled"])
    return _see_other(reverse("web:monitoring_sources"))


@require_POST
@role_required(EDIT)
def fetch_now(request: HttpRequest, source_id: int) -> HttpResponse:
    """Queue a fetch of this one source (the job page shows how it went)."""
    source = get_object_or_404(Source, pk=source_id)
    job = jobs.enqueue(JOB_KIND, user=request.user, params={"sources": [source.pk]})
    return _see_other(reverse("web:job", args=[job.pk]))


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the next page
    return response
