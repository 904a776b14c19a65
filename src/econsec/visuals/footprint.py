"""An event's footprint as shapes on the map: a circle as a ring of points, polygons as given.

Pure functions (no Django). Footprints arrive as monitoring stores them — ``point`` with
``latitude``, ``longitude`` and ``radius_km``, ``polygons`` as rings of (latitude, longitude) —
and leave as rings of (longitude, latitude), the order the map draws in. Anything malformed is
left out: the page still shows the sites and their table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

EARTH_RADIUS_KM = 6371.0088
CIRCLE_POINTS = 64
Ring = list[tuple[float, float]]
"""(longitude, latitude) vertices."""


def circle_ring(lat: float, lon: float, radius_km: float, points: int = CIRCLE_POINTS) -> Ring:
    """``points`` vertices at ``radius_km`` great-circle distance from the centre, clockwise from
    north; longitudes wrapped to [-180, 180]."""
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    delta = radius_km / EARTH_RADIUS_KM
    ring = []
    for k in range(points):
        theta = 2 * math.pi * k / points
        phi2 = math.asin(
            math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
        )
        lmb2 = lmb1 + math.atan2(
            math.sin(theta) * math.sin(delta) * math.cos(phi1),
            math.cos(delta) - math.sin(phi1) * math.sin(phi2),
        )
        lon2 = (math.degrees(lmb2) + 540.0) % 360.0 - 180.0
        ring.append((round(lon2, 6), round(math.degrees(phi2), 6)))
    return ring


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    x = float(value)
    return x if math.isfinite(x) and low <= x <= high else None


def shapes(footprint: Mapping[str, Any] | None) -> list[Ring]:
    """The footprint's circle (if any) and polygons as rings to draw."""
    if not isinstance(footprint, Mapping):
        return []
    rings: list[Ring] = []
    point = footprint.get("point")
    if isinstance(point, Mapping):
        lat = _number(point.get("latitude"), -90, 90)
        lon = _number(point.get("longitude"), -180, 180)
        radius = _number(point.get("radius_km"), 0, 20_000)
        if lat is not None and lon is not None and radius is not None and radius > 0:
            rings.append(circle_ring(lat, lon, radius))
    polygons = footprint.get("polygons")
    for raw in polygons if isinstance(polygons, list | tuple) else ():
        ring: Ring = []
        for vertex in raw if isinstance(raw, list | tuple) else ():
            if isinstance(vertex, list | tuple) and len(vertex) == 2:
                lat, lon = _number(vertex[0], -90, 90), _number(vertex[1], -180, 180)
                if lat is not None and lon is not None:
                    ring.append((lon, lat))
        if len(ring) >= 3:
            rings.append(ring)
    return rings


def view(points: list[tuple[float, float]]) -> dict[str, Any] | None:
    """Centre ([longitude, latitude]) and zoom of the map that shows every point with a margin;
    None when there is nothing to show (the map's default view)."""
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    width, height = max(east - west, 2.0), max(north - south, 2.0)
    zoom = min(360.0 / width, 180.0 / height) * 0.6
    centre = [round((west + east) / 2, 4), round((south + north) / 2, 4)]
    return {"center": centre, "zoom": round(max(1.2, min(zoom, 40.0)), 3)}
