"""The dashboard's value-chain figures and its "last import" line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from econsec.i18n import t
from econsec.valuechain.models import BomLine, ImportRun, Item, Organisation, Site, SupplyLink
from econsec.web.formatting import format_datetime


def organisations(request: HttpRequest) -> dict[str, Any]:
    return {"value": Organisation.objects.count(), "url": reverse("web:organisations")}


def suppliers(request: HttpRequest) -> dict[str, Any]:
    return {
        "value": Organisation.objects.filter(kind="supplier").count(),
        "url": reverse("web:organisations") + "?kind=supplier",
    }


def sites(request: HttpRequest) -> dict[str, Any]:
    return {"value": Site.objects.count(), "url": reverse("web:sites")}


def supplier_countries(request: HttpRequest) -> dict[str, Any]:
    countries = Site.objects.filter(organisation__kind="supplier").values("country")
    return {"value": countries.distinct().count(), "url": reverse("web:sites")}


def items(request: HttpRequest) -> dict[str, Any]:
    return {"value": Item.objects.count(), "url": reverse("web:items")}


def critical_items(request: HttpRequest) -> dict[str, Any]:
    return {
        "value": Item.objects.exclude(critical_tags=[]).count(),
        "url": reverse("web:items") + "?critical=1",
    }


def bom(request: HttpRequest) -> dict[str, Any]:
    return {"value": BomLine.objects.count(), "url": reverse("web:bom")}


def links(request: HttpRequest) -> dict[str, Any]:
    return {"value": SupplyLink.objects.count(), "url": reverse("web:links")}


def last_import(request: HttpRequest, lang: str) -> str:
    run = ImportRun.objects.first()
    if run is None:
        return t("web.dash.no_import", lang)
    return t(
        "web.dash.last_import",
        lang,
        name=run.source_name,
        when=format_datetime(run.started_at, lang),
    )
