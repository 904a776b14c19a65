"""Shipping zones and chokepoints on routes between them (data in ``routes.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROUTES_FILE = Path(__file__).with_name("routes.yaml")
OTHER_ZONE = "OTHER"


@dataclass(frozen=True)
class RouteModel:
    """Country zones, chokepoints per zone pair and a transit-time rule of thumb."""

    chokepoints: tuple[dict[str, str], ...]
    zones: dict[str, str]
    via: dict[frozenset[str], tuple[str, ...]]
    transit: dict[str, Any]

    def zone_of(self, country: str) -> str:
        """The shipping zone of ``country`` (ISO alpha-2); unknown countries are ``OTHER``."""
        return self.zones.get(country, OTHER_ZONE)

    def route(self, zone_a: str, zone_b: str) -> tuple[str, ...]:
        """Chokepoint ids passed between two zones (order-independent)."""
        if zone_a == zone_b:
            return ()
        return self.via.get(frozenset((zone_a, zone_b)), ())

    def transit_days(self, country_a: str, zone_a: str, country_b: str, zone_b: str) -> int:
        """Rough door-to-door transit days between two sites."""
        rule = self.transit
        if country_a == country_b:
            return int(rule["same_country"])
        if zone_a == zone_b:
            return int(rule["same_zone"])
        days = int(rule["base"]) + int(rule["per_chokepoint"]) * len(self.route(zone_a, zone_b))
        far = set(rule["far_zones"])
        if (zone_a in far) != (zone_b in far):
            days += int(rule["ocean_leg"])
        return days


@cache
def load_routes() -> RouteModel:
    """The route model from the packaged ``routes.yaml``."""
    raw = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    via: dict[frozenset[str], tuple[str, ...]] = {}
    for rule in raw["routes"]:
        a, b = rule["between"]
        via[frozenset((a, b))] = tuple(rule["via"])
    return RouteModel(
        chokepoints=tuple(dict(c) for c in raw["chokepoints"]),
        zones={str(k): str(v) for k, v in raw["zones"].items()},
        via=via,
        transit=dict(raw["transit_days"]),
    )


def chokepoint_rows() -> list[dict[str, object]]:
    """The chokepoints sheet rows."""
    return [
        {
            "chokepoint_id": c["chokepoint_id"],
            "name": c["name"],
            "name_en": c["name_en"],
            "kind": c["kind"],
        }
        for c in load_routes().chokepoints
    ]
