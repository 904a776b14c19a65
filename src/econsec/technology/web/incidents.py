"""One incident's page: its timeline (each status change or update, when and by whom), its
evidence files and, for analysts and administrators, the forms that move it on.

All of it is need-to-know: without the permission the page and a file answer 404 (whether or
not the incident exists) and the forms 403, checked before the incident is looked up.
"""

from __future__ import annotations

from typing import BinaryIO, cast
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from econsec.technology import evidence, service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import INCIDENT_STATUSES, Incident, IncidentEvidence
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, has_capability, role_required


def body_limit() -> int:
    return form_limit(evidence.limit())


def _incident(request: HttpRequest, code: str, *, editing: bool) -> Incident:
    if not service.may_see(request.user):
        if editing:
            raise PermissionDenied("technology.need_to_know")
        raise Http404()
    found = Incident.objects.filter(code=code).first()
    if found is None:
        raise Http404()
    return found


def _page(
    request: HttpRequest, incident: Incident, error: str = "", status: int = 200
) -> HttpResponse:
    lang = request_language(request)
    now = INCIDENT_STATUSES.index(incident.status)
    return render(request, "technology/incident.html", {
        "incident": incident, "events": incident.events.all(), "files": incident.evidence.all(),
        "techs": incident.technologies.all(),
        "routes": [service.route_label(r, lang) for r in incident.routes],
        "next": INCIDENT_STATUSES[now + 1:], "error": error, "may_see": True,
        "can_edit": has_capability(request.user, EDIT), "limit_mb": evidence.limit() // (1024 * 1024),
    }, status=status)  # fmt: skip


@role_required(READ)
def incident(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _incident(request, code, editing=False))


@role_required(EDIT)
def incident_update(request: HttpRequest, code: str) -> HttpResponse:
    """A status change (forward only) or, without one, a progress note."""
    found = _incident(request, code, editing=True)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology_incident", args=[code]))
    actor, note = request.user.get_username(), request.POST.get("note", "")
    try:
        status = request.POST.get("status", "")
        if status:
            service.advance(found, status, actor=actor, note=note)
        else:
            service.add_note(found, note, actor=actor)
    except TechnologyError as exc:
        return _page(request, found, exc.message(request_language(request)), status=400)
    return HttpResponseRedirect(reverse("web:technology_incident", args=[code]), status=303)


@role_required(EDIT)
def incident_evidence(request: HttpRequest, code: str) -> HttpResponse:
    found = _incident(request, code, editing=True)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology_incident", args=[code]))
    try:
        store_upload(request, found)
    except TechnologyError as exc:
        status = 413 if exc.key == "technology.evidence.too_large" else 400
        return _page(request, found, exc.message(request_language(request)), status=status)
    return HttpResponseRedirect(reverse("web:technology_incident", args=[code]), status=303)


def store_upload(request: HttpRequest, found: Incident) -> IncidentEvidence:
    """The request's ``file`` (and ``description``) kept as the incident's evidence, for the page
    and the API alike; TechnologyError when there is no file or it is over the limit."""
    upload = request.FILES.get("file")
    if upload is None:
        raise TechnologyError("technology.evidence.no_file")
    if (upload.size or 0) > evidence.limit():
        raise TechnologyError("technology.evidence.too_large", name=upload.name or "",
                              limit=f"{evidence.limit() / (1024 * 1024):g} MB")  # fmt: skip
    return service.add_evidence(
        found, upload.name or "", cast(BinaryIO, upload), actor=request.user.get_username(),
        description=request.POST.get("description", ""),
    )  # fmt: skip


@role_required(READ)
def evidence_file(request: HttpRequest, code: str, evidence_id: int) -> HttpResponse:
    found = _incident(request, code, editing=False)
    row = found.evidence.filter(pk=evidence_id).first()
    if row is None:
        raise Http404()
    try:
        data = evidence.read(row)
    except TechnologyError as exc:
        return HttpResponse(exc.message(request_language(request)), status=409,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    # Always a download, never rendered: the browser must not run an uploaded page.
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f"attachment; filename=\"evidence-{row.pk}\"; filename*=UTF-8''{quote(row.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
