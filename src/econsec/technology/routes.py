"""The leakage routes (reference data with provenance: data/leakage_routes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from econsec import safe_yaml
from econsec.technology.exposure import SIGNAL_INDEX, Routes, route_matrix

FAMILIES = ("overseas", "people", "psia")


@dataclass(frozen=True)
class Route:
    id: str
    family: str
    name: dict[str, str]
    source: dict[str, str]
    signals: dict[str, float]
    framework_item: str

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]


def parse_routes(document: Any, source: str = "leakage_routes.yaml") -> tuple[Route, ...]:
    """Check and read a routes document; a ValueError names the route and field at fault."""
    if not isinstance(document, dict) or document.get("schema") != "econsec.leakage_routes/1":
        raise ValueError(f"{source}: schema must be econsec.leakage_routes/1")
    routes = []
    seen: set[str] = set()
    for n, entry in enumerate(document.get("routes") or []):
        where = f"{source}: route {n + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError(f"{where}: id is missing")
        rid = entry["id"]
        if rid in seen:
            raise ValueError(f"{where}: id {rid} is repeated")
        seen.add(rid)
        if entry.get("family") not in FAMILIES:
            raise ValueError(f"{where} ({rid}): family must be one of {', '.join(FAMILIES)}")
        for key in ("name", "source"):
            texts = entry.get(key)
            if not isinstance(texts, dict) or not all(texts.get(lang) for lang in ("ja", "en")):
                raise ValueError(f"{where} ({rid}): {key} needs ja and en")
        signals = entry.get("signals") or {}
        for name, weight in signals.items():
            if name not in SIGNAL_INDEX:
                raise ValueError(f"{where} ({rid}): unknown signal {name}")
            if not isinstance(weight, int | float) or not 0 <= weight <= 1:
                raise ValueError(f"{where} ({rid}): weight of {name} must be between 0 and 1")
        routes.append(
            Route(rid, entry["family"], dict(entry["name"]), dict(entry["source"]),
                  {k: float(v) for k, v in signals.items()}, str(entry.get("framework_item", "")))
        )  # fmt: skip
    if not routes:
        raise ValueError(f"{source}: no routes")
    return tuple(routes)


@cache
def load_routes() -> tuple[Route, ...]:
    """The shipped routes."""
    text = (resources.files("econsec.technology") / "data" / "leakage_routes.yaml").read_text(
        encoding="utf-8"
    )
    document, _node = safe_yaml.load(text, source="leakage_routes.yaml")
    return parse_routes(document)


def route_index() -> dict[str, int]:
    return {r.id: i for i, r in enumerate(load_routes())}


def matrix() -> Routes:
    return route_matrix([(r.id, r.signals) for r in load_routes()])
