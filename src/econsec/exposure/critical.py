"""Critical-product categories and critical minerals: which items carry which tag.

Categories come from the reference data (Japan's designated critical products, with item tags
and HS prefixes); an item tag that names no known category still counts, as a category of its
own, so nothing the user marked is dropped. Mineral world HHI (world production
concentration) is a parameter, read from the reference data when it provides it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec.valuechain.compiled import CompiledChain

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CriticalCategory:
    """One designated critical-product category."""

    id: str
    names: Mapping[str, str]
    tags: frozenset[str] = frozenset()
    hs_prefixes: tuple[str, ...] = ()
    mineral_tags: frozenset[str] = field(default_factory=frozenset)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.id


def reference_categories() -> list[CriticalCategory]:
    """Japan's designated critical products from the reference data (empty if unavailable)."""
    try:
        from econsec.reference._data import read_yaml

        document: Any = read_yaml("critical_products.yaml")
    except (ImportError, OSError, ValueError):
        return []
    out: list[CriticalCategory] = []
    for entry in (document or {}).get("products", []):
        names = entry.get("name") or {}
        out.append(
            CriticalCategory(
                id=str(entry["id"]),
                names={str(k): str(v) for k, v in names.items()},
                tags=frozenset(str(t).lower() for t in entry.get("tags") or ()),
                hs_prefixes=tuple(str(p) for p in entry.get("hs_prefixes") or ()),
                mineral_tags=frozenset(str(t).lower() for t in entry.get("mineral_tags") or ()),
            )
        )
    return out


def reference_mineral_hhi() -> dict[str, float]:
    """World production HHI per mineral tag (latest year) from the reference data."""
    try:
        from econsec.reference import minerals as ref
    except ImportError:
        return {}
    out: dict[str, float] = {}
    for tag in ref.minerals():
        try:
            index = ref.mineral_supply(tag).hhi
        except (KeyError, ValueError, LookupError):
            continue
        if index is not None:
            out[tag.lower()] = float(index)
    return out


def normalise_mineral(tag: str) -> str:
    """The reference tag for an item's mineral tag (the tag itself when unknown)."""
    try:
        from econsec.reference.minerals import normalise_mineral_tag
    except ImportError:
        return tag.lower()
    return (normalise_mineral_tag(tag) or tag).lower()


def category_matrix(
    chain: CompiledChain, categories: Sequence[CriticalCategory]
) -> tuple[list[CriticalCategory], BoolArray]:
    """Items × categories membership; unknown item tags become categories of their own."""
    known_tags = {tag for c in categories for tag in c.tags}
    extra = sorted({t.lower() for tags in chain.item_critical_tags for t in tags} - known_tags)
    cats = list(categories) + [
        CriticalCategory(id=f"tag:{t}", names={"ja": t, "en": t}, tags=frozenset([t]))
        for t in extra
    ]
    member = np.zeros((len(chain.item_ids), len(cats)), dtype=bool)
    with_hs = [c for c in cats if c.hs_prefixes]
    for i, (tags, hs) in enumerate(zip(chain.item_critical_tags, chain.item_hs_code, strict=True)):
        if not tags and not hs:
            continue
        lowered = {t.lower() for t in tags}
        for j, c in enumerate(cats):
            if lowered & c.tags or (hs and c in with_hs and hs.startswith(c.hs_prefixes)):
                member[i, j] = True
    keep = np.asarray(member.any(axis=0), dtype=bool)
    return [c for c, k in zip(cats, keep.tolist(), strict=True) if k], member[:, keep]


def mineral_matrix(chain: CompiledChain) -> tuple[list[str], BoolArray]:
    """Items × mineral tags membership."""
    minerals = sorted({normalise_mineral(t) for tags in chain.item_mineral_tags for t in tags})
    index = {m: j for j, m in enumerate(minerals)}
    member = np.zeros((len(chain.item_ids), len(minerals)), dtype=bool)
    for i, tags in enumerate(chain.item_mineral_tags):
        for t in tags:
            member[i, index[normalise_mineral(t)]] = True
    return minerals, member
