"""Build the world map geometry and the country centroids from Natural Earth 110m.

Natural Earth (public domain) reaches econsec as TopoJSON in the npm package ``world-atlas``
(ISC licence; ``countries-110m.json``). This script decodes the TopoJSON, keys each country by
its ISO 3166-1 alpha-2 code, rounds coordinates to 0.01° (about 1 km, far below what 110m
resolves), drops Antarctica, and writes

- ``econsec/visuals/web/static/visuals/world-110m.json``: GeoJSON the map page draws;
- ``econsec/reference/data/gazetteer/country_centroids.csv``: the centre of each country's
  largest polygon, where the gazetteer places a site known only by its country.

Run it again only to change the source version::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m econsec.visuals.build_world package/countries-110m.json

It needs no network and nothing outside the standard library and pycountry.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
from pathlib import Path
from typing import Any

import pycountry

PACKAGE = Path(__file__).resolve().parents[1]
GEOJSON = PACKAGE / "visuals" / "web" / "static" / "visuals" / "world-110m.json"
CENTROIDS = PACKAGE / "reference" / "data" / "gazetteer" / "country_centroids.csv"
SOURCE = "world-atlas 2.0.2 countries-110m.json (Natural Earth 1:110m Admin 0 countries)"
# Features the TopoJSON carries without an ISO numeric code: keyed by what they are part of
# or commonly coded as, so the map has no holes.
UNCODED = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}
DROPPED = {"010"}  # Antarctica: no supplier sites, and it takes a fifth of the map's height
DIGITS = 2

Ring = list[list[float]]


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """Absolute coordinates of each arc (quantized, delta-encoded in the file)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc if not points else arc[1:])
    return points


def _unwrapped(ring: Ring) -> Ring:
    """A ring that crosses the antimeridian (Chukotka, Fiji) drawn on one side of it: points on
    the minority side are pinned to ±180°, so no polygon edge spans the whole map."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(ring)):
        return ring
    east = sum(x > 0 for x, _ in ring) >= len(ring) / 2
    return [[180.0 if east else -180.0, y] if (x > 0) != east else [x, y] for x, y in ring]


def _rounded(ring: Ring) -> Ring:
    out: Ring = []
    for x, y in _unwrapped(ring):
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Planar (lon/lat) signed area and centroid of a closed ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


def alpha_2(geometry: dict[str, Any]) -> str | None:
    numeric = geometry.get("id")
    if numeric is None:
        return UNCODED.get(geometry.get("properties", {}).get("name", ""))
    found = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return found.alpha_2 if found else None


def build(topology: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """GeoJSON feature collection and centroid rows from a world-atlas topology."""
    arcs = _arcs(topology)
    shapes: dict[str, list[Any]] = {}
    centroids: dict[str, tuple[float, float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if str(geometry.get("id")) in DROPPED:
            continue
        code = alpha_2(geometry)
        if code is None:
            continue
        kind = geometry["type"]
        polygons = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"]
        coordinates = []
        for polygon in polygons:
            rings = [_rounded(_ring(r, arcs)) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            coordinates.append(rings)
            area, lon, lat = _area_centroid(rings[0])
            if code not in centroids or abs(area) > centroids[code][0]:
                centroids[code] = (abs(area), lon, lat)
        # Two features of one code (Cyprus and N. Cyprus) become one region: the map joins
        # data to regions by code.
        shapes.setdefault(code, []).extend(coordinates)
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"name": code},
            "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
        }
        for code, coordinates in sorted(shapes.items())
        if coordinates
    ]
    rows = [
        {"alpha_2": code, "lat": f"{lat:.2f}", "lon": f"{lon:.2f}", "source": "ne110m"}
        for code, (_, lon, lat) in sorted(centroids.items())
        if math.isfinite(lat) and math.isfinite(lon)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return collection, rows


def write(collection: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    GEOJSON.parent.mkdir(parents=True, exist_ok=True)
    GEOJSON.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    CENTROIDS.parent.mkdir(parents=True, exist_ok=True)
    with CENTROIDS.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Centre of each country's largest polygon in Natural Earth 1:110m, from "
            f"{SOURCE}.\n# Generated by econsec.visuals.build_world; do not edit by hand. "
            "See PROVENANCE.md.\n"
        )
        writer = csv.DictWriter(handle, fieldnames=["alpha_2", "lat", "lon", "source"])
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-110m.json")
    args = parser.parse_args(argv)
    collection, rows = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    write(collection, rows)
    print(f"{len(collection['features'])} countries → {GEOJSON.name}; {len(rows)} centroids")


if __name__ == "__main__":
    main()
