"""Forms on a technology's page for its facts: where it is held, groups with access, partners
with access and its own controls on leakage routes — add, change, remove
(:mod:`econsec.technology.facts`); and on the indispensability page for the items we sell:
market shares and customers.

Need-to-know and the edit role are checked before the technology is looked up (403), so a
refusal confirms nothing. A refused form answers 400 with the technology's page, every problem
located by field and value in the user's language, the form kept as it was sent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from econsec.i18n import t
from econsec.technology import facts, service
from econsec.technology.errors import TechnologyError
from econsec.technology.models import Technology
from econsec.web.language import request_language
from econsec.web.roles import EDIT, role_required

_WIDE = ("need_to_know", "people", "notes", "label", "description", "evidence")


def _choice_label(key: str, value: str, lang: str) -> str:
    if key == "role":
        return t(f"technology.role.{value}", lang)
    if key == "kind":
        return t(f"technology.holding.kind.{value}", lang)
    if key == "status":
        return t(f"technology.status.{value}", lang)
    if key == "route_id":
        return service.route_label(value, lang)
    return value


def _fields(kind: facts.Kind, values: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    out = []
    for column in kind.columns:
        value = values.get(column.key, "")
        field: dict[str, Any] = {
            "name": column.key, "label": t(f"technology.xlsx.col.{column.key}", lang),
            "required": column.required, "value": "" if value is None else value,
            "type": {"choice": "select", "bool": "checkbox", "count": "number"}.get(
                column.kind, "text"),
            "wide": column.key in _WIDE,
        }  # fmt: skip
        if column.kind == "bool":
            field["checked"] = value is True or str(value).lower() in ("yes", "on", "true")
        if column.kind == "choice":
            field["choices"] = [(c, _choice_label(column.key, c, lang)) for c in column.choices]
        if column.kind == "country":
            field["maxlength"] = 2
        out.append(field)
    return out


def _shown(kind: facts.Kind, fact: Any, lang: str) -> list[str]:
    cells = []
    for column in kind.columns:
        value = getattr(fact, column.key)
        if column.kind == "bool":
            cells.append(t("technology.facts.yes" if value else "technology.facts.no", lang))
        elif column.kind == "choice":
            cells.append(_choice_label(column.key, value, lang))
        elif column.key == "country" and not value and kind.name == "holding" and fact.site_id:
            cells.append(_site_country(str(fact.site_id)))  # the exposure uses the site's country
        else:
            cells.append("" if value is None else str(value))
    return cells


def _site_country(site_id: str) -> str:
    from econsec.valuechain.models import Site

    found = Site.objects.filter(site_id=site_id).values_list("country", flat=True).first()
    return f"({found})" if found else ""


_TITLES = {"holding": "technology.web.holdings", "access": "technology.web.access",
           "partner": "technology.web.partners", "control": "technology.web.controls",
           "market_share": "technology.web.market_shares",
           "customer": "technology.web.customers"}  # fmt: skip


def _sections(
    kinds: dict[str, facts.Kind], tech: Technology | None, lang: str,
    failed: tuple[str, int | None] | None, sent: dict[str, Any] | None,
) -> list[dict[str, Any]]:  # fmt: skip
    def url(action: str, name: str, *fact: int) -> str:
        if tech is None:
            return reverse(f"web:technology_item_fact_{action}", args=[name, *fact])
        return reverse(f"web:technology_fact_{action}", args=[tech.tech_id, name, *fact])

    out = []
    for name, kind in kinds.items():
        rows = []
        owned = {"technology": tech} if kind.per_technology else {}
        for fact in kind.model.objects.filter(**owned).order_by("id"):  # type: ignore[attr-defined]
            mine = failed == (name, fact.pk)
            values = sent if mine and sent is not None else {
                c.key: getattr(fact, c.key) for c in kind.columns
            }  # fmt: skip
            rows.append({"id": fact.pk, "cells": _shown(kind, fact, lang), "open": mine,
                         "fields": _fields(kind, values, lang),
                         "change_url": url("change", name, fact.pk),
                         "remove_url": url("remove", name, fact.pk)})  # fmt: skip
        adding = failed == (name, None)
        out.append({
            "kind": name, "title": t(_TITLES[name], lang), "rows": rows,
            "headers": [t(f"technology.xlsx.col.{c.key}", lang) for c in kind.columns],
            "add_label": t(f"technology.facts.add.{name}", lang), "add_open": adding,
            "add_fields": _fields(kind, sent if adding and sent is not None else {}, lang),
            "add_url": url("add", name),
        })  # fmt: skip
    return out


def sections(
    tech: Technology, lang: str, *, failed: tuple[str, int | None] | None = None,
    sent: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """What a technology's page shows of each kind of fact: its rows, their forms and the add
    form; the form that ``failed`` (kind, fact id or None for the add form) shows what was
    ``sent``."""
    return _sections(facts.KINDS, tech, lang, failed, sent)


def item_sections(
    lang: str, *, failed: tuple[str, int | None] | None = None,
    sent: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The same for the items we sell: market shares and customers."""
    return _sections(facts.ITEM_KINDS, None, lang, failed, sent)


def _technology(request: HttpRequest, tech_id: str, kind_name: str) -> tuple[Technology, Any]:
    if not service.may_see(request.user):
        raise PermissionDenied("technology.need_to_know")
    tech = Technology.objects.filter(tech_id=tech_id).first()
    if tech is None or kind_name not in facts.KINDS:
        raise Http404()
    return tech, facts.KINDS[kind_name]


def _back(tech: Technology, kind: facts.Kind) -> HttpResponseRedirect:
    url = reverse("web:technology_detail", args=[tech.tech_id]) + f"#facts-{kind.name}"
    return HttpResponseRedirect(url, status=303)


def _refused(
    request: HttpRequest, tech: Technology, kind: facts.Kind, fact_id: int | None,
    messages: list[str],
) -> HttpResponse:  # fmt: skip
    from econsec.technology.web.views import detail_page

    sent = {key: request.POST.get(key, "") for key in (c.key for c in kind.columns)}
    return detail_page(request, tech, errors=messages, failed=(kind.name, fact_id), sent=sent,
                       status=400)  # fmt: skip


def _problems(exc: facts.FactProblems, lang: str) -> list[str]:
    return [*exc.messages(lang),
            t("technology.facts.nothing_written", lang, count=len(exc.problems))]  # fmt: skip


@role_required(EDIT)
def fact_add(request: HttpRequest, tech_id: str, kind: str) -> HttpResponse:
    tech, found = _technology(request, tech_id, kind)
    if request.method != "POST":
        return _back(tech, found)
    try:
        facts.add(tech, found, request.POST, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _refused(request, tech, found, None, _problems(exc, request_language(request)))
    return _back(tech, found)


@role_required(EDIT)
def fact_change(request: HttpRequest, tech_id: str, kind: str, fact_id: int) -> HttpResponse:
    tech, found = _technology(request, tech_id, kind)
    if request.method != "POST":
        return _back(tech, found)
    try:
        facts.change(tech, found, fact_id, request.POST, actor=request.user.get_username())
    except TechnologyError as exc:
        raise Http404() from exc  # no such fact of this technology
    except facts.FactProblems as exc:
        return _refused(request, tech, found, fact_id, _problems(exc, request_language(request)))
    return _back(tech, found)


@role_required(EDIT)
def fact_remove(request: HttpRequest, tech_id: str, kind: str, fact_id: int) -> HttpResponse:
    tech, found = _technology(request, tech_id, kind)
    if request.method != "POST":
        return _back(tech, found)
    try:
        facts.remove(tech, found, fact_id, actor=request.user.get_username())
    except TechnologyError as exc:
        raise Http404() from exc
    return _back(tech, found)


# ------------------------------------------------------------- the items we sell


def _item_kind(request: HttpRequest, kind_name: str) -> facts.Kind:
    if not service.may_see(request.user):
        raise PermissionDenied("technology.need_to_know")
    if kind_name not in facts.ITEM_KINDS:
        raise Http404()
    return facts.ITEM_KINDS[kind_name]


def _item_back(kind: facts.Kind) -> HttpResponseRedirect:
    url = reverse("web:technology_dependence") + f"#facts-{kind.name}"
    return HttpResponseRedirect(url, status=303)


def _item_refused(
    request: HttpRequest, kind: facts.Kind, fact_id: int | None, exc: facts.FactProblems
) -> HttpResponse:
    from econsec.technology.web.views import dependence_page

    sent = {key: request.POST.get(key, "") for key in (c.key for c in kind.columns)}
    return dependence_page(request, errors=_problems(exc, request_language(request)),
                           failed=(kind.name, fact_id), sent=sent, status=400)  # fmt: skip


@role_required(EDIT)
def item_fact_add(request: HttpRequest, kind: str) -> HttpResponse:
    found = _item_kind(request, kind)
    if request.method != "POST":
        return _item_back(found)
    try:
        facts.add(None, found, request.POST, actor=request.user.get_username())
    except facts.FactProblems as exc:
        return _item_refused(request, found, None, exc)
    return _item_back(found)


@role_required(EDIT)
def item_fact_change(request: HttpRequest, kind: str, fact_id: int) -> HttpResponse:
    found = _item_kind(request, kind)
    if request.method != "POST":
        return _item_back(found)
    try:
        facts.change(None, found, fact_id, request.POST, actor=request.user.get_username())
    except TechnologyError as exc:
        raise Http404() from exc
    except facts.FactProblems as exc:
        return _item_refused(request, found, fact_id, exc)
    return _item_back(found)


@role_required(EDIT)
def item_fact_remove(request: HttpRequest, kind: str, fact_id: int) -> HttpResponse:
    found = _item_kind(request, kind)
    if request.method != "POST":
        return _item_back(found)
    try:
        facts.remove(None, found, fact_id, actor=request.user.get_username())
    except TechnologyError as exc:
        raise Http404() from exc
    return _item_back(found)
