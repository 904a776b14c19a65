"""The countries-of-concern page: everyone with a role reads the list (it names no technology,
only how many are affected); analysts and administrators change it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from econsec.technology import countries as cc
from econsec.technology.errors import TechnologyError
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, has_capability, role_required


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    from econsec.reference.countries import country_name
    from econsec.technology.exposure import SIGNAL_INDEX
    from econsec.technology.service import compute

    lang = request_language(request)
    signals = compute().result.signals
    rows: list[dict[str, Any]] = [
        {"code": x.country, "name": country_name(x.country, lang), "reason": x.reason(lang),
         "source": x.source, "from_group": x.from_group, "added_by": x.added_by}
        for x in cc.listed()
    ]  # fmt: skip
    effect = {
        "sites": int((signals[:, SIGNAL_INDEX["concern_site"]] > 0).sum()),
        "partners": int((signals[:, SIGNAL_INDEX["partner_concern"]] > 0).sum()),
    }
    return render(request, "technology/countries.html", {
        "rows": rows, "effect": effect, "error": error,
        "can_edit": has_capability(request.user, EDIT),
    }, status=status)  # fmt: skip


@role_required(READ)
def countries(request: HttpRequest) -> HttpResponse:
    return _page(request)


@role_required(EDIT)
def country_add(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology_countries"))
    try:
        cc.add(request.POST.get("country", ""), reason_ja=request.POST.get("reason_ja", ""),
               reason_en=request.POST.get("reason_en", ""), source=request.POST.get("source", ""),
               actor=request.user.get_username())  # fmt: skip
    except TechnologyError as exc:
        return _page(request, exc.message(request_language(request)), status=400)
    return HttpResponseRedirect(reverse("web:technology_countries"), status=303)


@role_required(EDIT)
def country_remove(request: HttpRequest, country: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:technology_countries"))
    try:
        cc.remove(country, actor=request.user.get_username())
    except TechnologyError as exc:
        return _page(request, exc.message(request_language(request)), status=400)
    return HttpResponseRedirect(reverse("web:technology_countries"), status=303)
