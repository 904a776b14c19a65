"""Where things are: country centres, regions, ports and chokepoints, with names in ja/en/zh.

A site with its own latitude and longitude is placed there. One without is placed at its region
when the gazetteer knows the region (a Japanese prefecture, in any of its names), else at its
country's centre — and always marked approximate, so a map never passes a guess off as a
position. The data is in ``data/gazetteer/`` (PROVENANCE.md says where each file comes from).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache

from econsec.reference._data import read_csv

__all__ = [
    "EXACT",
    "Place",
    "Placement",
    "chokepoints",
    "country_centroid",
    "locate",
    "ports",
    "region",
]

EXACT, REGION, COUNTRY, UNKNOWN = "exact", "region", "country", "unknown"


@dataclass(frozen=True, slots=True)
class Place:
    """A named point: a port, a chokepoint or a region."""

    id: str
    kind: str
    country: str
    lat: float
    lon: float
    name_ja: str
    name_en: str
    name_zh: str

    def name(self, lang: str) -> str:
        """The name in ``lang`` (ja, en or zh; anything else gives English)."""
        lang = lang.lower()
        if lang.startswith("ja"):
            return self.name_ja
        if lang.startswith("zh"):
            return self.name_zh
        return self.name_en


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a site is drawn and how that was decided (``precision``: exact, region, country
    or unknown); anything but exact is approximate."""

    lat: float
    lon: float
    precision: str

    @property
    def approximate(self) -> bool:
        return self.precision != EXACT


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name in ("gazetteer/country_centroids.csv", "gazetteer/country_centroids_extra.csv"):
        for row in read_csv(name):
            out[row["alpha_2"]] = (float(row["lat"]), float(row["lon"]))
    return out


def country_centroid(alpha_2: str) -> tuple[float, float] | None:
    """(lat, lon) where a site known only by its country is drawn, or None."""
    return _centroids().get(alpha_2.upper())


def _places(name: str, id_column: str, kind: str | None = None) -> tuple[Place, ...]:
    return tuple(
        Place(
            id=row[id_column],
            kind=kind or row["kind"],
            country=row.get("country", ""),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            name_ja=row["name_ja"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
        )
        for row in read_csv(name)
    )


@cache
def chokepoints() -> tuple[Place, ...]:
    """Maritime chokepoints, ids as in the value-chain workbook's chokepoints sheet."""
    return _places("gazetteer/chokepoints.csv", "chokepoint_id")


@cache
def ports() -> tuple[Place, ...]:
    """Major ports (UN/LOCODE-style ids)."""
    return _places("gazetteer/ports.csv", "port_id", "port")


@cache
def _regions() -> dict[tuple[str, str], Place]:
    index: dict[tuple[str, str], Place] = {}
    for place in _places("gazetteer/places.csv", "place_id"):
        # 静岡県 is also written 静岡 (and 京都府 京都); 北海道 keeps its 道.
        short_ja = place.name_ja[:-1] if place.name_ja[-1:] in ("県", "府", "都") else ""
        for name in {place.id, place.name_ja, place.name_en, place.name_zh, short_ja} - {""}:
            index[(place.country, _key(name))] = place
        index[(place.country, _key(f"{place.name_en} prefecture"))] = place
    return index


def region(country: str, name: str) -> Place | None:
    """The gazetteer's region ``name`` (any language) in ``country``, or None."""
    if not name:
        return None
    return _regions().get((country.upper(), _key(name)))


def locate(
    country: str, region_name: str = "", lat: float | None = None, lon: float | None = None
) -> Placement:
    """Where to draw a site: its own coordinates, else its region, else its country."""
    if (
        lat is not None
        and lon is not None
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    ):
        return Placement(lat, lon, EXACT)
    found = region(country, region_name)
    if found is not None:
        return Placement(found.lat, found.lon, REGION)
    centre = country_centroid(country)
    if centre is not None:
        return Placement(centre[0], centre[1], COUNTRY)
    return Placement(math.nan, math.nan, UNKNOWN)
