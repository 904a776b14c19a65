"""What the pictures are drawn from, read from the store once per data version (ORM side)."""

from __future__ import annotations

import threading
from typing import Any

from econsec.exposure.results import ExposureReport, ProductResult
from econsec.valuechain.compiled import CompiledChain
from econsec.visuals.flows import FlowData, tier_flows
from econsec.visuals.network import Cover, NetworkData, cover_from_sweep, product_network
from econsec.visuals.sitemap import SiteGeo, SiteMapData, site_map

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def site_geo() -> SiteGeo:
    from econsec.valuechain.models import Site

    rows = Site.objects.values_list("site_id", "region", "latitude", "longitude")
    return {s: (r or "", lat, lon) for s, r, lat, lon in rows.iterator(chunk_size=5000)}


def inputs() -> tuple[CompiledChain, ExposureReport] | None:
    """The compiled chain and the stored exposure report of the current data version."""
    from econsec.reports.gather import current_version, stored_exposure
    from econsec.valuechain.store_io import compile_store

    version = current_version()
    if not version:
        return None
    with _lock:
        if _cache.get("version") == version and "inputs" in _cache:
            return _cache["inputs"]  # type: ignore[no-any-return]
    report = stored_exposure(version)
    if report is None:
        return None
    found = (compile_store(), report)
    with _lock:
        _cache.clear()
        _cache.update(version=version, inputs=found)
    return found


def _memo(name: str, build: Any) -> Any:
    found = inputs()
    if found is None:
        return None
    with _lock:
        if name in _cache:
            return _cache[name]
    value = build(*found)
    with _lock:
        if _cache.get("inputs") is found:
            _cache[name] = value
    return value


def memo(name: str, build: Any) -> Any:
    """``build()`` once per data version under ``name`` (JSON bodies per language, networks
    per product); None when nothing is analysed."""
    return _memo(name, lambda chain, report: build())


def map_data() -> SiteMapData | None:
    from econsec.reports.gather import own_ids

    return _memo("map", lambda chain, report: site_map(chain, report, site_geo(), own_ids()))  # type: ignore[no-any-return]


def flow_data() -> FlowData | None:
    return _memo("flows", lambda chain, report: tier_flows(chain))  # type: ignore[no-any-return]


def latest_sweep_id(version: str) -> int | None:
    """The newest stored site sweep of ``version`` (one indexed query, no payload read)."""
    from django.apps import apps
    from django.db import DatabaseError

    try:
        rows = apps.get_model("stress", "Result").objects.filter(
            kind="sweep", sweep_by="site", data_version=version
        )
        found = rows.order_by("-created_at", "-id").values_list("id", flat=True).first()
        return None if found is None else int(found)
    except (LookupError, DatabaseError):
        return None


def site_cover(sweep_id: int | None) -> Cover | None:
    """(TTS, TTR) per site from the stored sweep ``sweep_id``, read once per data version."""
    if sweep_id is None:
        return None

    def build() -> Cover:
        from django.apps import apps

        payload = apps.get_model("stress", "Result").objects.get(pk=sweep_id).payload
        return cover_from_sweep(payload or {})

    return memo(f"cover-{sweep_id}", build)  # type: ignore[no-any-return]


def network_data(chain: CompiledChain, product: ProductResult) -> NetworkData | None:
    """The product's network with the site sweep's TTS and TTR, built once per data version
    and sweep (a sweep stored later for the same data shows at once)."""
    sweep_id = latest_sweep_id(chain.version)
    key = f"network-{product.site_id}/{product.item_id}-{sweep_id}"
    return memo(  # type: ignore[no-any-return]
        key, lambda: product_network(chain, product, cover=site_cover(sweep_id))
    )
