"""Japan's designated critical products (特定重要物資) and matching items to them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from econsec.i18n import label
from econsec.reference._data import read_yaml
from econsec.reference.errors import ReferenceDataError
from econsec.reference.minerals import minerals, normalise_mineral_tag

__all__ = ["CriticalProduct", "critical_products", "match_item", "match_reasons", "normalise_tag"]


@dataclass(frozen=True, slots=True)
class CriticalProduct:
    """One designated category, with how items are recognised as belonging to it."""

    id: str
    names: Mapping[str, str]
    designated_on: dt.date
    date_certainty: str
    hs_prefixes: tuple[str, ...]
    tags: frozenset[str]
    mineral_tags: frozenset[str]
    notes: Mapping[str, str]

    def name(self, lang: str | None = None) -> str:
        """Display name in ``lang``."""
        return label(dict(self.names), lang)

    def designated(self, on: dt.date) -> bool:
        """True when the category was designated on ``on``."""
        return self.designated_on <= on


def normalise_tag(tag: str) -> str:
    """Tags compare case-insensitively with spaces and hyphens read as underscores."""
    return re.sub(r"[\s\-]+", "_", tag.strip().lower())


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@cache
def critical_products() -> tuple[CriticalProduct, ...]:
    """Every designated category, in the order of the Cabinet Order."""
    document = read_yaml("critical_products.yaml")
    known_minerals = set(minerals())
    products = []
    for entry in document["products"]:
        mineral_tags = frozenset(entry.get("mineral_tags") or ())
        for tag in mineral_tags - known_minerals:
            raise ReferenceDataError(
                "reference.products.unknown_tag",
                path="critical_products.yaml",
                product=entry["id"],
                value=tag,
            )
        products.append(
            CriticalProduct(
                id=entry["id"],
                names=MappingProxyType(dict(entry["name"])),
                designated_on=_date(entry["designated_on"]),
                date_certainty=str(entry.get("date_certainty", "confirmed")),
                hs_prefixes=tuple(str(p) for p in entry.get("hs_prefixes") or ()),
                tags=frozenset(normalise_tag(t) for t in entry.get("tags") or ()),
                mineral_tags=mineral_tags,
                notes=MappingProxyType(dict(entry.get("note") or {})),
            )
        )
    return tuple(products)


def _hs_digits(hs_code: str | None) -> str:
    return re.sub(r"\D", "", hs_code or "")


def match_reasons(
    tags: Iterable[str], hs_code: str | None = None, *, on: dt.date | None = None
) -> list[tuple[CriticalProduct, str]]:
    """Categories an item falls under, each with the reason ("tag:…", "mineral:…", "hs:…").

    ``tags`` are the item's tags and mineral tags together; ``hs_code`` may contain dots or
    spaces ("8541.40"). With ``on``, only categories designated by that date count.
    """
    normalised = {normalise_tag(t) for t in tags if t and t.strip()}
    mineral_hits = {m for t in normalised if (m := normalise_mineral_tag(t))}
    digits = _hs_digits(hs_code)
    found: list[tuple[CriticalProduct, str]] = []
    for product in critical_products():
        if on is not None and not product.designated(on):
            continue
        reason = None
        if hit := sorted(normalised & product.tags):
            reason = f"tag:{hit[0]}"
        elif hit := sorted(mineral_hits & product.mineral_tags):
            reason = f"mineral:{hit[0]}"
        elif digits and (
            prefix := next((p for p in product.hs_prefixes if digits.startswith(p)), None)
        ):
            reason = f"hs:{prefix}"
        if reason:
            found.append((product, reason))
    return found


def match_item(
    tags: Iterable[str], hs_code: str | None = None, *, on: dt.date | None = None
) -> list[CriticalProduct]:
    """Critical-product categories matching an item's tags or HS code (see match_reasons)."""
    return [product for product, _reason in match_reasons(tags, hs_code, on=on)]
