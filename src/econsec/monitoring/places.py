"""Where the sites are: the region and coordinates the compiled chain does not carry.

The compiled arrays know each site's country; a footprint may also name a region (prefecture,
province, state) or a circle on the map. Both come from the value chain's ``sites`` table and
are aligned here with the chain's site order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
EARTH_RADIUS_KM = 6371.0088


def normalise_region(name: str) -> str:
    """A region name compared without case, width or a trailing administrative word.

    "Yunnan", "yunnan province", "云南省" stay distinct scripts (the classifier's gazetteer maps
    scripts onto one spelling); here we only remove what differs in spelling of the same name.
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    for suffix in (" province", " prefecture", " state", "-ken", " ken"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    return text


@dataclass(frozen=True, eq=False)
class SitePlaces:
    """Per site, in the chain's site order: normalised region ("" when unknown), lat, lon."""

    region: list[str]
    latitude: FloatArray  # NaN when unknown
    longitude: FloatArray

    @classmethod
    def empty(cls, n_sites: int) -> SitePlaces:
        nan = np.full(n_sites, np.nan)
        return cls([""] * n_sites, nan, nan.copy())


def site_places(site_ids: list[str], rows: Iterable[Mapping[str, Any]]) -> SitePlaces:
    """Align the ``sites`` table rows (site_id, region, latitude, longitude) with ``site_ids``."""
    by_id = {str(r.get("site_id")): r for r in rows}
    n = len(site_ids)
    region = [""] * n
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    for i, site in enumerate(site_ids):
        row = by_id.get(site)
        if row is None:
            continue
        if row.get("region"):
            region[i] = normalise_region(str(row["region"]))
        if row.get("latitude") is not None and row.get("longitude") is not None:
            lat[i] = float(row["latitude"])
            lon[i] = float(row["longitude"])
    return SitePlaces(region, lat, lon)


def distance_km(lat: FloatArray, lon: FloatArray, lat0: float, lon0: float) -> FloatArray:
    """Great-circle (haversine) distance from one point to many; NaN where unknown."""
    p1, p2 = np.radians(lat), np.radians(lat0)
    dphi = p2 - p1
    dlmb = np.radians(lon0) - np.radians(lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


def in_polygon(lat: FloatArray, lon: FloatArray, ring: Sequence[tuple[float, float]]) -> BoolArray:
    """Which points lie inside the ring (even-odd rule on plain degrees; NaN is outside).

    Alert areas are small next to the curvature of the earth, so a planar test is what the
    publishers themselves assume; a ring crossing the antimeridian is not supported.
    """
    inside = np.zeros(lat.shape, dtype=bool)
    n = len(ring)
    for k in range(n):
        y1, x1 = ring[k]
        y2, x2 = ring[(k + 1) % n]
        if y1 == y2:
            continue
        crosses = (y1 > lat) != (y2 > lat)
        with np.errstate(invalid="ignore", divide="ignore"):
            x_at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (lon < x_at)
    return inside
