"""The filters of a request, and their form, for the visuals pages and endpoints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest

from econsec.exposure.results import ExposureReport
from econsec.i18n import t
from econsec.reference.labels import country_label
from econsec.reference.regions import country_regions, region_name
from econsec.visuals.filters import CLASSES, MAX_VALUES, FilterError, Filters, parse
from econsec.visuals.select import products


def filters_of(request: HttpRequest, report: ExposureReport) -> Filters:
    """The request's filters; raises FilterError with a located message."""
    try:
        query = dict(request.GET.lists())
    except TooManyFieldsSent:
        raise FilterError("visuals.filter.too_many_fields", limit=MAX_VALUES) from None
    return parse(query, products(report))


def refusal(exc: FilterError, lang: str) -> str:
    return t(exc.key, lang, **exc.params)


def form(f: Filters, report: ExposureReport, countries: list[str], depth: int, lang: str) -> Any:
    """Choices of the filter form (what the data has), with the current selection."""
    areas = sorted(
        {a for c in countries if (r := country_regions(c)) for a in r.codes()},
        key=lambda a: region_name(a, lang),
    )
    return {
        "products": [
            {"value": f"{p.site_id}/{p.item_id}", "label": f"{p.item_name} ({p.site_id})"}
            for p in sorted(report.products, key=lambda p: (p.item_name, p.site_id))
        ],
        "product": "/".join(f.product) if f.product else "",
        "tiers": list(range(depth + 1)),
        "tier": min(f.tiers) if f.tiers else None,
        "countries": sorted(
            ({"value": c, "label": country_label(c, lang)} for c in set(countries) if c),
            key=lambda o: o["label"],
        ),
        "country": f.country_codes[0] if f.country_codes else "",
        "regions": [{"value": a, "label": region_name(a, lang)} for a in areas],
        "region": f.region_codes[0] if f.region_codes else "",
        "classes": [{"value": c, "label": t(f"visuals.exposure.{c}", lang)} for c in CLASSES],
        "class": next((c for c in CLASSES if c in f.classes), ""),
        "query": f.query(),
        "active": not f.empty,
    }
