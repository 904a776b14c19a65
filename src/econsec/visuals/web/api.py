"""Visuals endpoints: the supplier map, the tier flows and a product's upstream network."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from econsec.exposure.results import ExposureReport
from econsec.visuals import gather, select
from econsec.visuals.filters import FilterError, Filters
from econsec.visuals.web.query import filters_of, refusal
from econsec.visuals.web.serialise import flows_json, map_json, network_json
from econsec.web.api.auth import require
from econsec.web.language import request_language
from econsec.web.roles import READ

router = Router(tags=["visuals"])
_NONE = "no exposure analysis is stored for the current data version"


def _filters(request: HttpRequest, report: ExposureReport) -> Filters:
    """The query's filters, or 400 with the located message in the request's language."""
    try:
        return filters_of(request, report)
    except FilterError as exc:
        raise HttpError(400, refusal(exc, request_language(request))) from None


@router.get("/map", url_name="visuals_map")
@require(READ)
def site_map(request: HttpRequest) -> dict[str, Any]:
    """Sites placed and classed by exposure, country shares, chokepoints (clustered when many)."""
    lang = request_language(request)
    found = gather.inputs()
    if found is None:
        raise HttpError(404, _NONE)
    f = _filters(request, found[1])
    data = select.site_map(f)
    if data is None:
        raise HttpError(404, _NONE)
    if not f.empty:
        return map_json(data, lang)
    return gather.memo(f"map-json-{lang}", lambda: map_json(data, lang))  # type: ignore[no-any-return]


@router.get("/flows", url_name="visuals_flows")
@require(READ)
def flows(request: HttpRequest) -> dict[str, Any]:
    """Annual value of supply links by tier step and country, with the Sankey's nodes and links."""
    lang = request_language(request)
    found = gather.inputs()
    if found is None:
        raise HttpError(404, _NONE)
    f = _filters(request, found[1])
    data = select.flows(f)
    if data is None:
        raise HttpError(404, _NONE)
    if not f.empty:
        return flows_json(data, lang)
    return gather.memo(f"flows-json-{lang}", lambda: flows_json(data, lang))  # type: ignore[no-any-return]


@router.get("/network/{site_id}/{item_id}", url_name="visuals_network")
@require(READ)
def network(request: HttpRequest, site_id: str, item_id: str) -> dict[str, Any]:
    """A product's upstream sites by tier, joined by value, single points of failure marked."""
    found = gather.inputs()
    if found is None:
        raise HttpError(404, _NONE)
    chain, report = found
    product = select.find_product(report, site_id, item_id)
    if product is None:
        raise HttpError(404, f"no product {item_id} made at {site_id}")
    data = select.network(chain, product, _filters(request, report))
    if data is None:
        raise HttpError(404, f"no product {item_id} made at {site_id}")
    return network_json(data, request_language(request))
