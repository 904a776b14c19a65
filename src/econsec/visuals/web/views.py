"""Visuals pages: each draws its picture from its JSON endpoint and shows the same figures as a
table beneath it, so the picture has a text alternative and works without scripts."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from econsec.i18n import t
from econsec.reference.labels import country_label
from econsec.visuals import charts, gather, select
from econsec.visuals.charts import ChartContext
from econsec.visuals.filters import FilterError
from econsec.visuals.flows import UNKNOWN_COUNTRY, FlowData
from econsec.visuals.sitemap import SPOF, SiteMapData
from econsec.visuals.tiles import TileSettingError, TileSource, csp_with_images_from, tile_source
from econsec.visuals.web.query import filters_of, form, refusal
from econsec.web.guards import CSP_ATTR
from econsec.web.language import request_language
from econsec.web.roles import READ, role_required

TABLE_ROWS = 200
BARS = 15


def _empty(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "visuals/empty.html", {"title": title})


def _refused(request: HttpRequest, title: str, exc: FilterError) -> HttpResponse:
    context = {
        "title": title,
        "message": refusal(exc, request_language(request)),
        "reset": request.path,
    }
    return render(request, "visuals/refused.html", context, status=400)


def allow_tiles(request: HttpRequest, tiles: TileSource | None) -> None:
    """Only a page drawing tiles, and only when a tile server is configured, may load images
    from it: the page's policy is the site's with that origin added (econsec.web.guards)."""
    if tiles is not None:
        setattr(request, CSP_ATTR, csp_with_images_from(settings.ECONSEC_CSP, tiles.origin))


def configured_tiles(lang: str) -> tuple[TileSource | None, str]:
    """The configured tile source, or None and why the setting is not used."""
    try:
        found = tile_source(settings.ECONSEC_MAP_TILES, settings.ECONSEC_MAP_TILES_ATTRIBUTION)
    except TileSettingError as exc:
        return None, t(exc.key, lang, **exc.params)
    return found, ""


def _bought_chart(data: FlowData, lang: str) -> ChartContext | None:
    """What our own sites buy, by supplier country: the shared bar chart (econsec.visuals.charts)."""
    bought = sorted(data.into_step(0).items(), key=lambda kv: -kv[1])[:BARS]
    if not bought:
        return None
    labels = [country_label(c, lang) if c != UNKNOWN_COUNTRY else "??" for c, _ in bought]
    return charts.bar(
        "vis-bought",
        t("visuals.flows.into", lang),
        labels,
        [v for _, v in bought],
        data.currency,
        t("visuals.flows.into_alt", lang, top=labels[0], count=len(bought)),
        label_header=t("visuals.col.country", lang),
    )


def _depth(data: SiteMapData) -> int:
    return max((s.tier for s in data.sites), default=0)


@role_required(READ)
def map_page(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    title = t("visuals.map.title", lang)
    found, whole = gather.inputs(), gather.map_data()
    if found is None or whole is None:
        return _empty(request, title)
    try:
        f = filters_of(request, found[1])
    except FilterError as exc:
        return _refused(request, title, exc)
    data = select.site_map(f)
    assert data is not None
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
    tiles, tiles_problem = configured_tiles(lang)
    allow_tiles(request, tiles)
    return render(
        request,
        "visuals/map.html",
        {
            "tiles": tiles,
            "tiles_problem": tiles_problem,
            "data": data,
            "rows": rows,
            "countries": countries,
            "approximate": approximate,
            "spof": sum(s.exposure == SPOF for s in data.sites),
            "n_countries": len(data.supplier_countries),
            "api": reverse("api:visuals_map") + f.query(),
            "query": f.query(),
            "form": form(
                f, found[1], sorted({s.country for s in whole.sites}), _depth(whole), lang
            ),
        },
    )


@role_required(READ)
def flows_page(request: HttpRequest) -> HttpResponse:
    lang = request_language(request)
    title = t("visuals.flows.title", lang)
    found, whole = gather.inputs(), gather.map_data()
    if found is None or whole is None:
        return _empty(request, title)
    try:
        f = filters_of(request, found[1])
    except FilterError as exc:
        return _refused(request, title, exc)
    data = select.flows(f)
    assert data is not None
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
        {
            "data": data,
            "rows": rows,
            "bought": _bought_chart(data, lang),
            "api": reverse("api:visuals_flows") + f.query(),
            "query": f.query(),
            "form": form(
                f, found[1], sorted({s.country for s in whole.sites}), _depth(whole), lang
            ),
        },
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
    product = select.find_product(report, site_id, item_id)
    if product is None:
        raise Http404(item_id)
    try:
        f = filters_of(request, report)
    except FilterError as exc:
        return _refused(request, t("visuals.network.products", lang), exc)
    data = select.network(chain, product, f)
    whole = gather.map_data()
    if data is None or whole is None:
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
            "api": reverse("api:visuals_network", kwargs={"site_id": site_id, "item_id": item_id})
            + f.query(),
            "query": f.query(),
            "form": form(f, report, sorted({s.country for s in whole.sites}), _depth(whole), lang),
        },
    )
