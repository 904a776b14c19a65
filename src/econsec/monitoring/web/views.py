"""The alert inbox and an event's page: what it touches, why, and the response room."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from econsec.i18n import t
from econsec.monitoring.errors import MonitoringError
from econsec.monitoring.models import STATUSES, Alert, Event
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
            "footprint": event.footprint,
            "inferences": event.inferences,
            "notes": list(alert.notes.all()),
            "statuses": [(s, t(f"monitoring.status.{s}", lang)) for s in STATUSES],
            "can_edit": has_capability(request.user, EDIT),
            "error": request.GET.get("error", "") == "1",
        },
    )


@require_POST
@role_required(EDIT)
def triage(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("alert"), pk=event_id)
    url = reverse("web:monitoring_event", kwargs={"event_id": event.pk})
    due_text = request.POST.get("due_on", "").strip()
    try:
        due = dt.date.fromisoformat(due_text) if due_text else None
        triage_alert(
            event.alert,
            actor=request.user.get_username(),
            status=request.POST.get("status") or None,
            owner=request.POST.get("owner", "").strip()[:200] or None,
            due_on=due,
            note=request.POST.get("note", "")[:5000],
            measure_ref=request.POST.get("measure_ref", "").strip()[:200] or None,
            risk_ref=request.POST.get("risk_ref", "").strip()[:200] or None,
        )
    except (MonitoringError, ValueError):
        return _see_other(url + "?error=1")
    return _see_other(url)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the event page
    return response
