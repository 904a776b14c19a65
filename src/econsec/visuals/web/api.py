"""Visuals endpoints: the supplier map, the tier flows and a product's upstream network."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from econsec.visuals import gather
from econsec.visuals.web.serialise import flows_json, map_json, network_json
from econsec.web.api.auth import require
from econsec.web.language import request_language
from econsec.web.roles import READ

router = Router(tags=["visuals"])
_NONE = "no exposure analysis is stored for the current data version"


@router.get("/map", url_name="visuals_map")
@require(READ)
def site_map(request: HttpRequest) -> dict[str, Any]:
    """Sites placed and classed by exposure, country shares, chokepoints (clustered when many)."""
    lang = request_language(request)
    data = gather.map_data()
    body = gather.memo(f"map-json-{lang}", lambda: map_json(data, lang)) if data else None
    if body is None:
        raise HttpError(404, _NONE)
    return body  # type: ignore[no-any-return]


@router.get("/flows", url_name="visuals_flows")
@require(READ)
def flows(request: HttpRequest) -> dict[str, Any]:
    """Annual value of supply links by tier step and country, with the Sankey's nodes and links."""
    lang = request_language(request)
    data = gather.flow_data()
    body = gather.memo(f"flows-json-{lang}", lambda: flows_json(data, lang)) if data else None
    if body is None:
        raise HttpError(404, _NONE)
    return body  # type: ignore[no-any-return]


@router.get("/network/{site_id}/{item_id}", url_name="visuals_network")
@require(READ)
def network(request: HttpRequest, site_id: str, item_id: str) -> dict[str, Any]:
    """A product's upstream sites by tier, joined by value, single points of failure marked."""
    found = gather.inputs()
    if found is None:
        raise HttpError(404, _NONE)
    chain, report = found
    product = next(
        (p for p in report.products if p.site_id == site_id and p.item_id == item_id), None
    )
    data = gather.network_data(chain, product) if product is not None else None
    if data is None:
        raise HttpError(404, f"no product {item_id} made at {site_id}")
    return network_json(data, request_language(request))
