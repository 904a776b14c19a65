"""A static SVG of the supplier map for the board report: no browser, no scripts.

Equirectangular projection of the same Natural Earth geometry the map page draws; countries
shaded by their share of input value, sites as dots coloured by exposure class (Okabe-Ito).
"""

from __future__ import annotations

import json
import math
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from econsec.visuals.sitemap import SiteMapData

WIDTH, HEIGHT = 960, 420
CLASS_COLOURS = {"spof": "#D55E00", "at_risk": "#E69F00", "none": "#56B4E9", "own": "#009E73"}
# Above this many sites, dots are grouped per grid cell of this size.
MAX_DOTS = 600
CELL_DEGREES = 2.0
# Latitudes drawn: Antarctica is not in the geometry and the far north has no suppliers.
TOP, BOTTOM = 84.0, -58.0


@cache
def world() -> dict[str, Any]:
    path = resources.files("econsec.visuals") / "web" / "static" / "visuals" / "world-110m.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) / 360 * WIDTH, (TOP - lat) / (TOP - BOTTOM) * HEIGHT


def _shade(share: float, top: float) -> str:
    # From light grey to purple as the share grows.
    f = min(1.0, share / top) if top > 0 else 0.0
    lo, hi = (240, 240, 240), (106, 81, 163)
    r, g, b = (round(a + (c - a) * f) for a, c in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def map_svg(data: SiteMapData, title: str) -> str:
    """The map as one self-contained SVG document."""
    top = max(data.countries.values(), default=0.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img"><title>{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
    ]
    for feature in world()["features"]:
        code = feature["id"]
        fill = _shade(data.countries.get(code, 0.0), top)
        d = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_xy(*p) for p in ring))
                d.append(f"M{points}Z")
        parts.append(
            f'<path d="{"".join(d)}" fill="{fill}" stroke="#999" stroke-width="0.3">'
            f"<title>{escape(code)}</title></path>"
        )
    # Single points of failure last, so they are on top.
    order = {"none": 0, "own": 1, "at_risk": 2, "spof": 3}
    if len(data.sites) > MAX_DOTS:
        parts.extend(_cells(data, order))
    else:
        for site in sorted(data.sites, key=lambda s: order[s.exposure]):
            x, y = _xy(site.lon, site.lat)
            radius = 4.0 if site.exposure == "spof" else 2.5
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
                f'fill="{CLASS_COLOURS[site.exposure]}" stroke="#222" stroke-width="0.4">'
                f"<title>{escape(site.site_id)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _cells(data: SiteMapData, order: dict[str, int]) -> list[str]:
    """Many sites as one dot per grid cell (from ``CELL_DEGREES``, doubling until there are
    at most ``MAX_DOTS``), coloured by the worst class in
    it and sized by how many sites it holds: the drawing stays small at any scale."""
    size = CELL_DEGREES
    while True:  # cells doubling until there are few enough dots
        cells: dict[tuple[int, int], list[Any]] = {}
        for site in data.sites:
            key = (math.floor(site.lat / size), math.floor(site.lon / size))
            cells.setdefault(key, []).append(site)
        if len(cells) <= MAX_DOTS:
            break
        size *= 2
    out = []
    for members in sorted(cells.values(), key=lambda m: max(order[s.exposure] for s in m)):
        worst = max(members, key=lambda s: order[s.exposure]).exposure
        x, y = _xy(
            sum(s.lon for s in members) / len(members), sum(s.lat for s in members) / len(members)
        )
        radius = min(12.0, 2.5 + math.sqrt(len(members)))
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{CLASS_COLOURS[worst]}" '
            f'stroke="#222" stroke-width="0.4"><title>{len(members)}</title></circle>'
        )
    return out
