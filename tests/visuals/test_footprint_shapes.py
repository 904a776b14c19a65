"""An event's footprint as map shapes: the circle's ring at its radius by an independent
great-circle distance, polygons as given (axes swapped for the map), malformed parts left out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from econsec.monitoring.places import distance_km
from econsec.visuals.footprint import CIRCLE_POINTS, circle_ring, shapes, view


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(37.5, 137.2, 80.0), (23.7, 120.9, 250.0), (-33.9, 151.2, 5.0), (65.0, 179.6, 300.0)],
)
def test_the_circle_ring_lies_at_its_radius(lat: float, lon: float, radius: float) -> None:
    ring = circle_ring(lat, lon, radius)
    assert len(ring) == CIRCLE_POINTS == 64
    lons = np.array([p[0] for p in ring])
    lats = np.array([p[1] for p in ring])
    assert np.all((lons >= -180) & (lons <= 180)) and np.all((lats >= -90) & (lats <= 90))
    d = distance_km(lats, lons, lat, lon)
    assert d == pytest.approx(np.full(64, radius), rel=1e-4, abs=1e-3)
    # Vertex k is at bearing 360·k/64 from the centre, clockwise from north.
    p1, l1 = math.radians(lat), math.radians(lon)
    for k, (x, y) in enumerate(ring):
        p2, dl = math.radians(y), math.radians(x) - l1
        bearing = math.degrees(
            math.atan2(
                math.sin(dl) * math.cos(p2),
                math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl),
            )
        )
        turn = (bearing - 360 * k / 64 + 180) % 360 - 180
        assert abs(turn) < 1e-3  # the vertices are rounded to 1e-6 degrees


def test_polygons_are_drawn_as_given_and_malformed_parts_are_left_out() -> None:
    fp = {
        "point": {"latitude": 35.0, "longitude": 139.0, "radius_km": 50},
        "polygons": [
            [[35.0, 139.0], [35.5, 139.0], [35.5, 139.8]],
            [[35.0, 139.0], [35.5, 139.0]],  # two vertices: no area
            [[35.0, 139.0], [95.0, 139.0], [35.5, 139.8], [True, 1], ["x", 2]],
        ],
    }
    rings = shapes(fp)
    assert len(rings) == 2 and len(rings[0]) == 64
    assert rings[1] == [(139.0, 35.0), (139.0, 35.5), (139.8, 35.5)]  # (longitude, latitude)
    assert shapes({"point": {"latitude": 35, "longitude": 139, "radius_km": 0}}) == []
    assert shapes({"point": {"latitude": float("nan"), "longitude": 139, "radius_km": 9}}) == []
    assert shapes({"kind": "tariff", "countries": ["CN"]}) == [] == shapes(None)


def test_the_view_holds_every_point() -> None:
    points = [(120.0, 22.0), (122.0, 25.5), (121.0, 24.0)]
    got = view(points)
    assert got is not None and got["center"] == [121.0, 23.75]
    # The span shown at that zoom (360°/zoom wide, 180°/zoom high) covers the points.
    assert 360 / got["zoom"] >= 2.0 and 180 / got["zoom"] >= 3.5
    wide = view([(10.0, -20.0), (110.0, 30.0)])  # 100° by 50°: far below the zoom cap
    assert wide is not None and 360 / wide["zoom"] >= 100.0 and 180 / wide["zoom"] >= 50.0
    assert view([]) is None
    assert view([(0.0, 0.0)]) == {"center": [0.0, 0.0], "zoom": 40.0}
