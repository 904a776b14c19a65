"""Technology pages. Everyone with a role sees counts; technology names, access lists, partners
and incidents only those granted need-to-know (``technology.need_to_know``). A page about one
technology answers 404 to anyone else, so its existence is not confirmed either; the export,
the import and the incident form answer 403.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from econsec.i18n import t
from econsec.technology import exposure as ex
from econsec.technology import service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import Incident, Technology
from econsec.technology.routes import FAMILIES, load_routes
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, has_capability, role_required

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_limit() -> int:
    return form_limit(MAX_WORKBOOK_BYTES)


def counts() -> dict[str, Any]:
    """What anyone with a role may see: numbers, never a name."""
    techs = list(Technology.objects.all())
    matrix = service.compute()
    by_family = []
    family_of = [r.family for r in load_routes()]
    for family in FAMILIES:
        cols = [j for j, f in enumerate(family_of) if f == family]
        levels = matrix.result.level[:, cols]
        by_family.append({"family": family, "high": int((levels == 3).sum()),
                          "medium": int((levels == 2).sum())})  # fmt: skip
    tiers = [service.rate(x).tier for x in techs]
    return {
        "technologies": len(techs),
        "tier1": tiers.count(1),
        "levels": matrix.counts(),
        "cells": int(matrix.result.level.size),
        "gaps": len(matrix.result.gaps()),
        "incidents": Incident.objects.exclude(status="remediated").count(),
        "by_family": by_family,
        "matrix": matrix,
    }


def _need(request: HttpRequest) -> None:
    if not service.may_see(request.user):
        raise PermissionDenied("technology.need_to_know")


@role_required(READ)
def index(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    figures = counts()
    rows = []
    if service.may_see(request.user):
        matrix = figures["matrix"]
        for i, x in enumerate(Technology.objects.order_by("tech_id")):
            worst = int(matrix.result.level[i].max()) if matrix.result.level.size else 0
            rows.append({"tech": x, "name": service.tech_name(x, lang),
                         "tier": service.rate(x).tier, "worst": ex.LEVELS[worst]})  # fmt: skip
    return render(request, "technology/index.html",
                  {**figures, "rows": rows, "may_see": service.may_see(request.user)})  # fmt: skip


@role_required(READ)
def detail(request: HttpRequest, tech_id: str) -> HttpResponse:
    if not service.may_see(request.user):
        raise Http404()
    tech = Technology.objects.filter(tech_id=tech_id).first()
    if tech is None:
        raise Http404()
    return detail_page(request, tech)


def detail_page(
    request: HttpRequest, tech: Technology, *, errors: list[str] | None = None,
    failed: tuple[str, int | None] | None = None, sent: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    """A technology's page (the caller has checked need-to-know); with a refused fact form's
    ``errors``, that form (``failed``) shows what was ``sent``."""
    from econsec.technology.web.facts import sections

    lang = request_language(request)
    rating = service.rate(tech)
    matrix = service.compute()
    cells: list[dict[str, Any]] = [
        {"route": service.route_label(route_id, lang), "level": level, "score": score,
         "reasons": matrix.reasons(tech.tech_id, route_id, lang)}
        for route_id, score, level in matrix.row(tech.tech_id)
    ]  # fmt: skip
    cells.sort(key=lambda c: -c["score"])
    return render(request, "technology/detail.html", {
        "tech": tech, "name": service.tech_name(tech, lang), "rating": rating,
        "why": [service.render(r, lang) for r in rating.reasons], "cells": cells,
        "facts": sections(tech, lang, failed=failed, sent=sent), "errors": errors or [],
        "failed_kind": failed[0] if failed else "", "incidents": tech.incidents.all(),
        "can_edit": has_capability(request.user, EDIT),
    }, status=status)  # fmt: skip


@role_required(READ)
def exposure(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    figures = counts()
    grid: list[dict[str, Any]] = []
    routes = [(r.id, r.label(lang)) for r in load_routes()]
    if service.may_see(request.user):
        matrix = figures["matrix"]
        for i, tech_id in enumerate(matrix.compiled.tech_ids):
            ja, en = matrix.compiled.names[tech_id]
            grid.append({"tech_id": tech_id, "name": ja if lang == "ja" else en,
                         "cells": [ex.LEVELS[int(v)] for v in matrix.result.level[i]]})  # fmt: skip
    return render(request, "technology/exposure.html",
                  {**figures, "grid": grid, "routes": routes,
                   "may_see": service.may_see(request.user)})  # fmt: skip


@role_required(READ)
def incidents(request: HttpRequest) -> HttpResponse:
    rows = (
        Incident.objects.prefetch_related("technologies") if service.may_see(request.user) else []
    )
    return render(request, "technology/incidents.html", {
        "rows": rows, "may_see": service.may_see(request.user),
        "open": Incident.objects.exclude(status="remediated").count(),
        "total": Incident.objects.count(),
        "routes": [(r.id, r.label(request_language(request))) for r in load_routes()],
        "techs": Technology.objects.all() if service.may_see(request.user) else [],
    })  # fmt: skip


@role_required(EDIT)
def incident_new(request: HttpRequest) -> HttpResponse:
    _need(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology_incidents"))
    lang = request_language(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("detected_on") or dt.date.today().isoformat())
        service.open_incident(
            request.POST.get("code", ""), request.POST.get("title", ""), day,
            request.POST.getlist("tech"), request.POST.getlist("route"),
            actor=request.user.get_username(), description=request.POST.get("description", ""),
        )  # fmt: skip
    except (TechnologyError, ValueError) as exc:
        message = exc.message(lang) if isinstance(exc, TechnologyError) else str(exc)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(reverse("web:technology_incidents"), status=303)


@role_required(READ)
def export(request: HttpRequest) -> HttpResponse:
    _need(request)
    from econsec.technology.workbook import export as write

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "technology.xlsx"
        write(path, request_language(request))
        body = path.read_bytes()
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="technology-register.xlsx"'
    return response


@role_required(EDIT)
def import_view(request: HttpRequest) -> HttpResponse:
    _need(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology"))
    from econsec.sheet_problems import ImportProblems
    from econsec.technology.workbook import import_workbook

    lang = request_language(request)
    upload = request.FILES.get("workbook")
    filename = (upload.name or "") if upload is not None else ""
    if upload is None or not filename.lower().endswith(".xlsx"):
        return HttpResponse(t("technology.web.need_xlsx", lang), status=400,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    if (upload.size or 0) > MAX_WORKBOOK_BYTES:
        return HttpResponse(t("technology.web.too_large", lang), status=413,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            import_workbook(path, actor=request.user.get_username())
        except ImportProblems as exc:
            text = "\n".join(p.message(lang) for p in exc.problems)
            text += "\n" + t("technology.cli.nothing_written", lang, count=len(exc.problems))
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(reverse("web:technology"), status=303)


@role_required(READ)
def dependence(request: HttpRequest) -> HttpResponse:
    return dependence_page(request)


def dependence_page(
    request: HttpRequest, *, errors: list[str] | None = None,
    failed: tuple[str, int | None] | None = None, sent: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    """Who depends on us: each item's indispensability score, its reasons and erosion. Customer
    names are need-to-know like the register; others see how many items are eroding. With
    need-to-know, the market shares and customers behind the scores, and (edit role) their
    forms; a refused form's ``errors`` and what was ``sent`` to it (``failed``)."""
    from econsec.technology.indispensable import scores
    from econsec.technology.web.facts import item_sections

    lang = request_language(request)
    rows = scores()
    may_see = service.may_see(request.user)
    shown = [
        {"item": item, "score": r.score, "eroding": r.eroding,
         "reasons": [service.render(x, lang) for x in r.reasons]}
        for item, r in rows
    ] if may_see else []  # fmt: skip
    return render(request, "technology/dependence.html", {
        "rows": shown, "may_see": may_see, "items": len(rows),
        "eroding": sum(r.eroding for _i, r in rows),
        "facts": item_sections(lang, failed=failed, sent=sent) if may_see else [],
        "errors": errors or [], "can_edit": has_capability(request.user, EDIT),
    }, status=status)  # fmt: skip
