"""The alert inbox and an event's page: what it touches, why, and the response room."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.i18n import t
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.models import STATUSES, Alert, Event, SupplierRequest
from econsec.monitoring.names import footprint_rows, value_label
from econsec.monitoring.requests import answer as answer_request
from econsec.monitoring.requests import footprint_sites, footprint_suppliers
from econsec.monitoring.requests import request as ask_supplier
from econsec.monitoring.service import triage as triage_alert
from econsec.web.language import request_language
from econsec.web.roles import EDIT, READ, has_capability, role_required


def _title(event: Event, lang: str) -> str:
    if lang == "ja":
        return event.title_ja or event.title_en
    return event.title_en or event.title_ja


@role_required(READ)
def inbox(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    status = request.GET.get("status", "")
    alerts = Alert.objects.select_related("event").order_by("-event__created_at", "-id")
    if status in STATUSES:
        alerts = alerts.filter(status=status)
    rows = []
    for a in alerts[:200]:
        products = a.impact.get("products", [])
        rows.append(
            {
                "id": a.event.pk,
                "title": _title(a.event, lang),
                "kind": t(f"monitoring.kind.{a.event.kind}", lang),
                "severity": a.severity,
                "severity_label": t(f"monitoring.severity.{a.severity}", lang),
                "status": t(f"monitoring.status.{a.status}", lang),
                "touched": len(products),
                "stopped": sum(1 for p in products if p["stopped"]),
                "revenue": f"{float(a.impact.get('revenue_stopped', 0)):,.0f}",
            }
        )
    statuses = [(s, t(f"monitoring.status.{s}", lang)) for s in STATUSES]
    return render(
        request,
        "monitoring/inbox.html",
        {"rows": rows, "statuses": statuses, "status": status},
    )


@role_required(READ)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    lang = request_language(request)
    event = get_object_or_404(Event.objects.select_related("alert"), pk=event_id)
    alert = event.alert
    impact = alert.impact
    stress = impact.get("stress") or {}
    tts = {p["item"]: p.get("tts_weeks") for p in stress.get("products", [])}
    products = [
        {
            "item": p["item"],
            "site": p["site"],
            "stopped": p["stopped"],
            "revenue": f"{float(p['revenue_per_week']):,.0f}",
            "tts": tts.get(p["item"]),
            "path": " ← ".join(p["path"]),
            "reasons": [t(k, lang, **v) for k, v in p.get("reasons", [])],
        }
        for p in impact.get("products", [])
    ]
    links = linkable(lang)
    asked = {r.org_id: r for r in alert.requests.all()}
    # Matched once per view: the suppliers' table and the map (a panel) share the sites.
    sites = footprint_sites(event)
    suppliers = [
        {"org": org, "name": name, "request": asked.get(org),
         "status": t(f"monitoring.request.status.{asked[org].status}", lang) if org in asked else "",
         "answer": t(f"monitoring.request.answer.{asked[org].answer}", lang)
         if org in asked and asked[org].answer else ""}
        for org, name in footprint_suppliers(event, sites)
    ]  # fmt: skip
    return render(
        request,
        "monitoring/event.html",
        {
            "event": event,
            "alert": alert,
            "title": _title(event, lang),
            "kind": t(f"monitoring.kind.{event.kind}", lang),
            "severity": t(f"monitoring.severity.{alert.severity}", lang),
            "status": t(f"monitoring.status.{alert.status}", lang),
            "why": [t(k, lang, **v) for k, v in impact.get("severity_reasons", [])],
            "products": products,
            "footprint": footprint_rows(event.footprint, lang),
            "inferences": [
                (t(f"monitoring.field.{f}", lang), value_label(f, str(v), lang), w)
                for f, v, w in event.inferences
            ],
            "measures": links[0],
            "risks": links[1],
            "measure_values": [v for v, _ in links[0]],
            "risk_values": [v for v, _ in links[1]],
            "measure_label": dict(links[0]).get(alert.measure_ref, alert.measure_ref),
            "risk_label": dict(links[1]).get(alert.risk_ref, alert.risk_ref),
            "notes": list(alert.notes.all()),
            "statuses": [(s, t(f"monitoring.status.{s}", lang)) for s in STATUSES],
            "can_edit": has_capability(request.user, EDIT),
            "error": request.GET.get("error", "") == "1",
            "link_error": request.GET.get("error", "") == "link",
            "request_error": request.GET.get("error", "") == "request",
            "suppliers": suppliers,
            "map_sites": sites,
            "answers": [
                (a, t(f"monitoring.request.answer.{a}", lang)) for a in SupplierRequest.ANSWERS
            ],
        },
    )


@require_POST
@role_required(EDIT)
def triage(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("alert"), pk=event_id)
    url = reverse("web:monitoring_event", kwargs={"event_id": event.pk})
    due_text = request.POST.get("due_on", "").strip()
    measure = request.POST.get("measure_ref", "").strip()
    risk = request.POST.get("risk_ref", "").strip()
    measures, risks = linkable(request_language(request))
    # Links are chosen from the lists; a value that is neither listed nor already linked is
    # refused (the lists are what the governance capability holds now).
    if (measure and measure != event.alert.measure_ref and measure not in dict(measures)) or (
        risk and risk != event.alert.risk_ref and risk not in dict(risks)
    ):
        return _see_other(url + "?error=link")
    try:
        due = dt.date.fromisoformat(due_text) if due_text else None
        triage_alert(
            event.alert,
            actor=request.user.get_username(),
            status=request.POST.get("status") or None,
            owner=request.POST.get("owner", "").strip()[:200] or None,
            due_on=due,
            note=request.POST.get("note", "")[:5000],
            measure_ref=measure[:200] if "measure_ref" in request.POST else None,
            risk_ref=risk[:200] if "risk_ref" in request.POST else None,
        )
    except (MonitoringError, ValueError):
        return _see_other(url + "?error=1")
    return _see_other(url)


@require_POST
@role_required(EDIT)
def ask(request: HttpRequest, event_id: int) -> HttpResponse:
    """Queue an e-mail asking a supplier in the footprint to confirm the impact."""
    event = get_object_or_404(Event.objects.select_related("alert"), pk=event_id)
    url = reverse("web:monitoring_event", kwargs={"event_id": event.pk})
    try:
        ask_supplier(
            event.alert,
            request.POST.get("org_id", "")[:100],
            request.POST.get("email", "")[:254],
            lang=request.POST.get("lang", "ja"),
            actor=request.user.get_username(),
        )
    except MonitoringError:
        return _see_other(url + "?error=request")
    return _see_other(url)


@require_POST
@role_required(EDIT)
def record_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The supplier's answer, as the analyst heard it."""
    req = get_object_or_404(SupplierRequest.objects.select_related("alert"), pk=request_id)
    url = reverse("web:monitoring_event", kwargs={"event_id": req.alert.event_id})
    try:
        answer_request(
            req,
            request.POST.get("answer", ""),
            request.POST.get("note", "")[:5000],
            actor=request.user.get_username(),
        )
    except MonitoringError:
        return _see_other(url + "?error=request")
    return _see_other(url)


def linkable(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(value, label) of the measures (governance actions) and risks an alert may link to;
    empty lists when the governance capability is not installed. Named by model label, so
    monitoring imports nothing of governance."""
    from django.apps import apps

    try:
        action_model = apps.get_model("governance", "Action")
        risk_model = apps.get_model("governance", "Risk")
    except LookupError:
        return [], []

    def title(x: Any) -> str:
        return str((x.title_ja or x.title_en) if lang == "ja" else (x.title_en or x.title_ja))

    measures = [
        (f"action:{a.pk}", f"#{a.pk} {title(a)}")
        for a in action_model.objects.order_by("-id")[:500]
    ]
    risks = [(r.code, f"{r.code} {title(r)}") for r in risk_model.objects.order_by("code")[:500]]
    return measures, risks


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the event page
    return response
