"""Visuals pages: each draws its picture from its JSON endpoint and shows the same figures as a
table beneath it, so the picture has a text alternative and works without scripts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from econsec.i18n import t
from econsec.reference.labels import country_label
from econsec.visuals import gather
from econsec.visuals.sitemap import SPOF
from econsec.web.language import request_language
from econsec.web.roles import READ, role_required

TABLE_ROWS = 200


def _empty(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "visuals/empty.html", {"title": title})


@role_required(READ)
def map_page(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    data = gather.map_data()
    if data is None:
        return _empty(request, t("visuals.map.title", lang))
    sites = sorted(data.sites, key=lambda s: (-s.revenue_at_risk_per_week, -s.annual_value))
    rows = [
        {
            "site": s,
            "country": country_label(s.country, lang),
            "exposure": t(f"visuals.exposure.{s.exposure}", lang),
            "precision": t(f"visuals.precision.{s.precision}", lang),
        }
        for s in sites[:TABLE_ROWS]
    ]
    countries = [
        {"code": c, "name": country_label(c, lang), "share": share}
        for c, share in list(data.countries.items())[:30]
    ]
    approximate = sum(s.precision != "exact" for s in data.sites)
    return render(
        request,
        "visuals/map.html",
        {
            "data": data,
            "rows": rows,
            "countries": countries,
            "approximate": approximate,
            "spof": sum(s.exposure == SPOF for s in data.sites),
            "n_countries": len(data.supplier_countries),
            "api": reverse("api:visuals_map"),
        },
    )


@role_required(READ)
def flows_page(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    data = gather.flow_data()
    if data is None:
        return _empty(request, t("visuals.flows.title", lang))
    rows = [
        {
            "flow": f,
            "source": country_label(f.source_country, lang),
            "target": country_label(f.target_country, lang),
        }
        for f in sorted(data.flows, key=lambda f: (f.step, -f.value))[:TABLE_ROWS]
    ]
    return render(
        request,
        "visuals/flows.html",
        {"data": data, "rows": rows, "api": reverse("api:visuals_flows")},
    )


@role_required(READ)
def networks_page(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    found = gather.inputs()
    if found is None:
        return _empty(request, t("visuals.network.products", lang))
    products = sorted(
        found[1].products, key=lambda p: (-len(p.single_points_of_failure), p.site_id)
    )
    return render(request, "visuals/networks.html", {"products": products})


@role_required(READ)
def network_page(request: HttpRequest, site_id: str, item_id: str) -> HttpResponse:
    lang = request_language(request)
    found = gather.inputs()
    if found is None:
        return _empty(request, t("visuals.network.products", lang))
    chain, report = found
    product = next(
        (p for p in report.products if p.site_id == site_id and p.item_id == item_id), None
    )
    data = gather.network_data(chain, product) if product is not None else None
    if product is None or data is None:
        raise Http404(item_id)
    return render(
        request,
        "visuals/network.html",
        {
            "product": product,
            "data": data,
            "nodes": {n.id: n for n in data.nodes},
            # Short of cover first, then single points of failure, then by tier.
            "site_rows": sorted(data.nodes, key=lambda n: (not n.short, not n.spof, n.tier, n.id))[
                :TABLE_ROWS
            ],
            "edges": sorted(data.edges, key=lambda e: -e.value)[:TABLE_ROWS],
            "api": reverse("api:visuals_network", kwargs={"site_id": site_id, "item_id": item_id}),
        },
    )
