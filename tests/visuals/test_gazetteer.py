"""The gazetteer places sites honestly: exact where coordinates are stored, otherwise at the
region or country centre and marked approximate."""

from __future__ import annotations

import json
import math
from importlib import resources

import pytest

from econsec.reference import gazetteer as g
from econsec.visuals.build_world import build


def test_coordinates_win_then_region_then_country() -> None:
    assert g.locate("JP", "静岡県", 35.0, 138.0) == g.Placement(35.0, 138.0, "exact")
    for name in ("静岡県", "静岡", "Shizuoka", "静冈县", "JP-22"):
        placed = g.locate("JP", name)
        assert (placed.lat, placed.lon, placed.precision) == (34.98, 138.38, "region"), name
        assert placed.approximate
    assert g.locate("JP", "京都府").lat == g.locate("JP", "京都").lat == 35.02
    assert g.locate("SG").precision == "country"  # too small for 1:110m: the hand-entered point
    unknown = g.locate("ZZ")
    assert unknown.precision == "unknown" and math.isnan(unknown.lat)


@pytest.mark.parametrize("lat,lon", [(91.0, 0.0), (0.0, 181.0), (math.nan, 1.0), (None, 1.0)])
def test_impossible_coordinates_fall_back_to_the_country(lat: float, lon: float) -> None:
    assert g.locate("JP", "", lat, lon).precision == "country"


@pytest.mark.parametrize(
    # Rough boxes around each country's main landmass: a centre outside is a decoding error.
    "code,south,north,west,east",
    [("JP", 31, 41, 130, 142), ("US", 30, 45, -110, -85), ("FR", 43, 49, -1, 6),
     ("CN", 25, 45, 90, 118), ("BR", -20, 0, -60, -40), ("AU", -32, -18, 125, 145)],
)  # fmt: skip
def test_country_centres_lie_inside_the_country(
    code: str, south: float, north: float, west: float, east: float
) -> None:
    lat, lon = g.country_centroid(code) or (math.nan, math.nan)
    assert south <= lat <= north and west <= lon <= east, (code, lat, lon)


def test_every_chokepoint_and_port_is_named_in_three_languages() -> None:
    for place in (*g.chokepoints(), *g.ports()):
        assert place.name("ja") and place.name("en") and place.name("zh"), place.id
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    # The demo workbook's chokepoint ids are known to the gazetteer.
    ids = {c.id for c in g.chokepoints()}
    assert {"taiwan_strait", "malacca_strait", "south_china_sea", "hormuz", "suez_red_sea"} <= ids


def test_world_geometry_is_keyed_by_iso_code_once_each() -> None:
    path = resources.files("econsec.visuals") / "web" / "static" / "visuals" / "world-110m.json"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    codes = [f["id"] for f in features]
    assert len(codes) == len(set(codes)) > 170
    assert {"JP", "CN", "TW", "US", "DE", "CY", "SO"} <= set(codes)
    assert "AQ" not in codes


def test_topojson_decoding_on_a_hand_made_topology() -> None:
    # One square country (Japan's numeric code 392) of two arcs, quantized with scale 0.5 and
    # translate (100, 30): arc 0 goes (100,30)→(101,30)→(101,31), arc 1 back via (100,31).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [100, 30]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "392", "properties": {"name": "Japan"}},
            {"type": "Polygon", "arcs": [[0, 1]], "id": "010", "properties": {"name": "Antarctica"}},
        ]}},
    }  # fmt: skip
    collection, rows = build(topology)
    assert [f["id"] for f in collection["features"]] == ["JP"]
    ring = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert ring == [[100, 30], [101, 30], [101, 31], [100, 31], [100, 30]]
    assert rows == [{"alpha_2": "JP", "lat": "30.50", "lon": "100.50", "source": "ne110m"}]
