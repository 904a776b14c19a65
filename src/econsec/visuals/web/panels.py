"""What the visuals capability adds to other capabilities' pages (econsec.registry panels).

``monitoring.event``: an event's page passes the sites its footprint hits and the footprint
itself; the panel draws the supplier map narrowed to those sites with the footprint in orange,
and tables the sites as the map's text alternative. The map's data travels in the page (a JSON
data block), so no endpoint is added. With a tile server configured (``ECONSEC_MAP_TILES``) it
draws tiles as the supplier map does, and the event page's policy admits that origin alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from econsec.i18n import t
from econsec.reference.labels import country_label
from econsec.visuals import gather
from econsec.visuals.footprint import shapes, view
from econsec.visuals.sitemap import SPOF, narrowed
from econsec.visuals.web.serialise import map_json
from econsec.visuals.web.views import allow_tiles, configured_tiles
from econsec.web.language import request_language
from econsec.web.roles import READ, has_capability

TABLE_ROWS = 200


def event_map(
    request: HttpRequest | None,
    sites: Iterable[str] = (),
    footprint: Mapping[str, Any] | None = None,
    **_: Any,
) -> str:
    if request is None or not has_capability(request.user, READ):
        return ""
    lang = request_language(request)
    data = gather.map_data()
    if data is None:
        return render_to_string("visuals/_event_map.html", {"missing": True}, request=request)
    tiles = configured_tiles(lang)[0]  # a bad setting is explained on the supplier map page
    keep = {str(s) for s in sites}
    countries = frozenset(s.country for s in data.sites if s.site_id in keep)
    shown = narrowed(data, keep, None, countries)
    rings = shapes(footprint)
    doc = map_json(shown, lang)
    doc["footprint"] = [[list(v) for v in ring] for ring in rings]
    doc["footprint_name"] = t("visuals.event_map.footprint", lang)
    points = [(s.lon, s.lat) for s in shown.sites] + [v for ring in rings for v in ring]
    doc["view"] = view(points)
    ordered = sorted(
        shown.sites, key=lambda s: (-s.revenue_at_risk_per_week, -s.annual_value, s.site_id)
    )
    rows = [
        {
            "site": s,
            "country": country_label(s.country, lang),
            "exposure": t(f"visuals.exposure.{s.exposure}", lang),
        }
        for s in ordered[:TABLE_ROWS]
    ]
    context = {
        "doc": doc,
        "data": shown,
        "rows": rows,
        "more": max(0, len(ordered) - TABLE_ROWS),
        "spof": sum(s.exposure == SPOF for s in shown.sites),
        "n_countries": len({s.country for s in shown.sites}),
        "rings": len(rings),
        "tiles": tiles,
    }
    allow_tiles(request, tiles)
    return render_to_string("visuals/_event_map.html", context, request=request)
