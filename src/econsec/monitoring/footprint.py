"""An event's footprint: the structured part of an external event that can be matched.

Kinds follow what supply-chain event services report. What a kind *does* to the chain:

- ``export_restriction`` and ``sanction`` close supply links that *leave* the affected places
  (or organisations) carrying a matching item — what happens inside the restricting country is
  its own business (the same semantics as a stress scenario of that kind);
- ``natural_hazard``, ``conflict`` and ``plant_incident`` take down the matching items made at
  the affected sites;
- ``closure`` (a port or strait) closes links routed through the chokepoints;
- ``tariff`` and ``regulation`` touch the same links or nodes but stop nothing: they change
  cost and paperwork, not whether the part arrives.

Chokepoints named by any kind close the links routed through them.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from econsec.characters import unwanted
from econsec.monitoring.errors import MonitoringError

EVENT_KINDS = (
    "export_restriction",
    "sanction",
    "tariff",
    "natural_hazard",
    "conflict",
    "closure",
    "plant_incident",
    "regulation",
)
# Events econsec raises itself (a key risk indicator turning red): in the inbox for triage,
# matched to nothing unless their footprint names places or organisations of a flow kind.
INTERNAL_KINDS = ("indicator",)
ALL_KINDS = (*EVENT_KINDS, *INTERNAL_KINDS)
FLOW_KINDS = frozenset({"export_restriction", "sanction", "tariff"})
PLACE_KINDS = frozenset({"natural_hazard", "conflict", "plant_incident", "regulation"})
STOPPING_KINDS = frozenset(EVENT_KINDS) - {"tariff", "regulation"}

_LIST_FIELDS = (
    "countries",
    "regions",
    "sites",
    "orgs",
    "entities",
    "items",
    "hs_prefixes",
    "mineral_tags",
    "critical_tags",
    "chokepoints",
)
MAX_VALUES = 10_000
MAX_POLYGONS = 100
MAX_VERTICES = 5_000
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_HS = re.compile(r"^[0-9]{2,10}$")


@dataclass(frozen=True)
class Point:
    """A circle on the map: centre in degrees, radius in kilometres."""

    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class Footprint:
    """Where and what an event touches. Empty item filters mean "every item"."""

    kind: str
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    """Named organisations as written in the source (resolved to ``orgs`` by name)."""
    items: tuple[str, ...] = ()
    hs_prefixes: tuple[str, ...] = ()
    mineral_tags: tuple[str, ...] = ()
    critical_tags: tuple[str, ...] = ()
    chokepoints: tuple[str, ...] = ()
    point: Point | None = None
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()
    """Areas as (latitude, longitude) rings, as CAP alerts give them; like a circle, they
    narrow the countries (a site inside any of them is in the footprint)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def has_item_filter(self) -> bool:
        return bool(self.items or self.hs_prefixes or self.mineral_tags or self.critical_tags)

    @property
    def has_area(self) -> bool:
        """A region, a circle or a polygon: a place narrower than a whole country."""
        return bool(self.regions or self.point is not None or self.polygons)

    @property
    def has_place(self) -> bool:
        return bool(self.countries or self.sites or self.orgs or self.has_area)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            k: list(v) for k, v in asdict(self).items() if k in _LIST_FIELDS and v
        }
        data["kind"] = self.kind
        if self.point is not None:
            data["point"] = asdict(self.point)
        if self.polygons:
            data["polygons"] = [[list(v) for v in ring] for ring in self.polygons]
        return data


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise MonitoringError("monitoring.footprint.not_list", where=where, field=name)
    if len(value) > MAX_VALUES:
        raise MonitoringError(
            "monitoring.footprint.too_many", where=where, field=name, limit=MAX_VALUES
        )
    out = []
    for v in value:
        if (
            not isinstance(v, str | int)
            or isinstance(v, bool)
            or not str(v).strip()
            or unwanted(str(v)) is not None
        ):
            shown = str(v) if unwanted(str(v)) is None else repr(v)  # show what is hidden
            raise MonitoringError(
                "monitoring.footprint.bad_value", where=where, field=name, value=shown[:80]
            )
        out.append(str(v).strip())
    return tuple(dict.fromkeys(out))


def _number(data: dict[str, Any], key: str, lo: float, hi: float, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MonitoringError(
            "monitoring.footprint.bad_value", where=where, field=f"point.{key}", value=str(value)
        )
    x = float(value)
    if not math.isfinite(x) or not lo <= x <= hi:
        raise MonitoringError(
            "monitoring.footprint.bad_value", where=where, field=f"point.{key}", value=str(value)
        )
    return x


def parse_footprint(data: Any, where: str = "footprint") -> Footprint:
    """A :class:`Footprint` from plain data (YAML/JSON/form); raises a located error."""
    if not isinstance(data, dict):
        raise MonitoringError("monitoring.footprint.not_mapping", where=where)
    kind = data.get("kind")
    if kind not in ALL_KINDS:
        raise MonitoringError(
            "monitoring.footprint.bad_kind",
            where=where,
            value=str(kind)[:80],
            expected=", ".join(ALL_KINDS),
        )
    unknown = set(data) - {*_LIST_FIELDS, "kind", "point", "polygons"}
    if unknown:
        raise MonitoringError(
            "monitoring.footprint.unknown_field", where=where, field=sorted(unknown)[0]
        )
    values = {name: _strings(data.get(name), name, where) for name in _LIST_FIELDS}
    values["countries"] = tuple(c.upper() for c in values["countries"])
    for code in values["countries"]:
        if not _COUNTRY.match(code):
            raise MonitoringError(
                "monitoring.footprint.bad_value", where=where, field="countries", value=code
            )
    for code in values["hs_prefixes"]:
        if not _HS.match(code):
            raise MonitoringError(
                "monitoring.footprint.bad_value", where=where, field="hs_prefixes", value=code
            )
    values["mineral_tags"] = tuple(m.lower() for m in values["mineral_tags"])
    point = None
    if data.get("point") is not None:
        raw = data["point"]
        if not isinstance(raw, dict):
            raise MonitoringError("monitoring.footprint.not_mapping", where=f"{where}.point")
        point = Point(
            _number(raw, "latitude", -90, 90, where),
            _number(raw, "longitude", -180, 180, where),
            _number(raw, "radius_km", 0, 20_000, where),
        )
    polygons = _polygons(data.get("polygons"), where)
    return Footprint(str(kind), point=point, polygons=polygons, **values)  # type: ignore[arg-type]


def _polygons(raw: Any, where: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple) or len(raw) > MAX_POLYGONS:
        raise MonitoringError(
            "monitoring.footprint.too_many", where=where, field="polygons", limit=MAX_POLYGONS
        )
    rings = []
    for n, ring in enumerate(raw):
        field_name = f"polygons[{n}]"
        if not isinstance(ring, list | tuple) or not 3 <= len(ring) <= MAX_VERTICES:
            raise MonitoringError(
                "monitoring.footprint.bad_polygon", where=where, field=field_name,
                limit=MAX_VERTICES,
            )  # fmt: skip
        vertices = []
        for vertex in ring:
            if not isinstance(vertex, list | tuple) or len(vertex) != 2:
                raise MonitoringError(
                    "monitoring.footprint.bad_polygon", where=where, field=field_name,
                    limit=MAX_VERTICES,
                )  # fmt: skip
            pair = dict(zip(("latitude", "longitude"), vertex, strict=True))
            vertices.append(
                (
                    _number(pair, "latitude", -90, 90, f"{where}.{field_name}"),
                    _number(pair, "longitude", -180, 180, f"{where}.{field_name}"),
                )
            )
        rings.append(tuple(vertices))
    return tuple(rings)
