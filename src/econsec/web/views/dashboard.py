"""The dashboard: headline figures, each linking to its detail, plus cards from other apps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from econsec.valuechain.models import BomLine, ImportRun, Item, Organisation, Site, SupplyLink

from ..hooks import registry
from ..models import Job
from ..roles import READ, has_capability, role_required


def _core_cards() -> list[dict[str, Any]]:
    return [
        {
            "label_key": "web.dash.organisations",
            "value": Organisation.objects.count(),
            "url": reverse("web:organisations"),
        },
        {
            "label_key": "web.dash.suppliers",
            "value": Organisation.objects.filter(kind="supplier").count(),
            "url": reverse("web:organisations") + "?kind=supplier",
        },
        {"label_key": "web.dash.sites", "value": Site.objects.count(), "url": reverse("web:sites")},
        {
            "label_key": "web.dash.supplier_countries",
            "value": Site.objects.filter(organisation__kind="supplier")
            .values("country")
            .distinct()
            .count(),
            "url": reverse("web:sites"),
        },
        {"label_key": "web.dash.items", "value": Item.objects.count(), "url": reverse("web:items")},
        {
            "label_key": "web.dash.critical_items",
            "value": Item.objects.exclude(critical_tags=[]).count(),
            "url": reverse("web:items") + "?critical=1",
        },
        {"label_key": "web.dash.bom", "value": BomLine.objects.count(), "url": reverse("web:bom")},
        {
            "label_key": "web.dash.links",
            "value": SupplyLink.objects.count(),
            "url": reverse("web:links"),
        },
    ]


@role_required(READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    cards = _core_cards()
    for card in registry.cards:
        if has_capability(request.user, card.capability):
            cards.append({"label_key": card.label_key, **card.figure(request)})
    jobs = Job.objects.filter(created_by_id=request.user.pk)[:5]
    return render(
        request,
        "web/dashboard.html",
        {"cards": cards, "last_import": ImportRun.objects.first(), "jobs": jobs},
    )
