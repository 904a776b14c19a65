"""Filters of the pictures from a query string: product, tier, country or region, criticality.

One parser serves the pages and their JSON endpoints, and the same selection is applied on the
server before anything is drawn or tabled, so the picture and its table always agree and a
filtered view is a bookmarkable address. Values are checked strictly (ASCII codes only, known
codes only, few and short values): anything else is a located error in ja/en naming the
parameter and the value, never a 500 and never silently ignored. Unknown parameter names are
left alone (the language switch and the like share the address).

Meaning on each picture, all on the supplier side of a link:

- ``product=SITE/ITEM``: only what that product needs (its upstream links and their sites);
- ``tier=N`` (repeatable): sites of tier N; in the flows, links whose supplier is at step N;
- ``country=CC`` / ``region=NNN`` (repeatable; M49 area codes): sites in those countries; in the
  flows, links from or into them;
- ``criticality=spof|at_risk|none|own`` (repeatable): the map's exposure class of the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np

from econsec.characters import unwanted
from econsec.reference.countries import is_country
from econsec.reference.regions import countries_in_region, regions
from econsec.valuechain.compiled import BoolArray, CompiledChain

CLASSES = ("spof", "at_risk", "none", "own")
PARAMS = ("product", "tier", "country", "region", "criticality")
MAX_VALUES = 20
MAX_LENGTH = 64
SHOWN = 40  # characters of a refused value quoted back

_TIER = re.compile(r"[0-9]{1,2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_REGION = re.compile(r"[0-9]{3}")
_PRODUCT = re.compile(r"[^/\s]{1,30}/[^/\s]{1,30}")


class FilterError(ValueError):
    """A refused filter value: message ``key`` (visuals.filter.*) with its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Filters:
    product: tuple[str, str] | None = None
    tiers: frozenset[int] = frozenset()
    country_codes: tuple[str, ...] = ()
    region_codes: tuple[str, ...] = ()
    classes: frozenset[str] = frozenset()
    countries: frozenset[str] = field(default=frozenset())
    """Country codes selected directly or through a region (empty: any country)."""

    @property
    def empty(self) -> bool:
        return not (self.product or self.tiers or self.countries or self.classes)

    def pairs(self) -> list[tuple[str, str]]:
        """The filters as query pairs in a fixed order (one address per selection)."""
        out: list[tuple[str, str]] = []
        if self.product:
            out.append(("product", "/".join(self.product)))
        out += [("tier", str(t)) for t in sorted(self.tiers)]
        out += [("country", c) for c in self.country_codes]
        out += [("region", r) for r in self.region_codes]
        out += [("criticality", c) for c in CLASSES if c in self.classes]
        return out

    def query(self) -> str:
        """``?…`` for links and the endpoints, or "" when nothing is filtered."""
        pairs = self.pairs()
        return "?" + urlencode(pairs) if pairs else ""

    def keeps(self, tier: int, country: str, exposure: str) -> bool:
        """Whether a site with these attributes passes the tier, country and class filters."""
        return (
            (not self.tiers or tier in self.tiers)
            and (not self.countries or country in self.countries)
            and (not self.classes or exposure in self.classes)
        )


def _values(query: Mapping[str, Sequence[str]], name: str) -> list[str]:
    raw = list(query.get(name, ()))
    if len(raw) > MAX_VALUES:
        raise FilterError("visuals.filter.too_many", param=name, count=len(raw), limit=MAX_VALUES)
    out = []
    for value in raw:
        if len(value) > MAX_LENGTH:
            raise FilterError(
                "visuals.filter.too_long", param=name, value=value[:SHOWN] + "…", limit=MAX_LENGTH
            )
        bad = unwanted(value, identifier=True)
        if bad is not None:
            raise FilterError("visuals.filter.character", param=name, character=bad[1])
        value = value.strip()
        if value:  # an empty choice of the form means "any"
            out.append(value)
    return out


def _refuse(name: str, value: str) -> FilterError:
    return FilterError(f"visuals.filter.bad_{name}", param=name, value=value[:SHOWN])


def parse(
    query: Mapping[str, Sequence[str]], products: Iterable[tuple[str, str]] | None = None
) -> Filters:
    """The filters of a query (``QueryDict.lists()`` as a mapping); ``products``: the products
    a ``product`` value may name (None: the parameter is not offered here and is refused)."""
    product = None
    for value in _values(query, "product")[-1:]:
        known = set(products) if products is not None else set()
        pair = tuple(value.split("/", 1))
        if not _PRODUCT.fullmatch(value) or pair not in known:
            raise _refuse("product", value)
        product = (pair[0], pair[1])
    tiers = set()
    for value in _values(query, "tier"):
        if not (value.isascii() and _TIER.fullmatch(value)):
            raise _refuse("tier", value)
        tiers.add(int(value))
    countries = []
    for value in _values(query, "country"):
        code = value.upper()
        if not (value.isascii() and _COUNTRY.fullmatch(value) and is_country(code)):
            raise _refuse("country", value)
        countries.append(code)
    areas = []
    for value in _values(query, "region"):
        if not (value.isascii() and _REGION.fullmatch(value) and value in regions()):
            raise _refuse("region", value)
        areas.append(value)
    classes = set()
    for value in _values(query, "criticality"):
        if value not in CLASSES:
            raise _refuse("criticality", value)
        classes.add(value)
    members = set(countries)
    for area in areas:
        members |= countries_in_region(area)
    return Filters(
        product=product,
        tiers=frozenset(tiers),
        country_codes=tuple(dict.fromkeys(countries)),
        region_codes=tuple(dict.fromkeys(areas)),
        classes=frozenset(classes),
        countries=frozenset(members),
    )


def site_keep(
    chain: CompiledChain,
    f: Filters,
    site_class: Mapping[str, str],
    product_links: BoolArray | None,
) -> BoolArray:
    """Per site of ``chain``: passes the filters (``product_links``: the filtered product's
    upstream links, whose two ends are its sites)."""
    keep = np.array(
        [
            f.keeps(int(tier), chain.countries[country], site_class.get(site_id, "none"))
            for site_id, tier, country in zip(
                chain.site_ids, chain.site_tier.tolist(), chain.site_country.tolist(), strict=True
            )
        ],
        dtype=bool,
    )
    if product_links is not None:
        needed = np.zeros(len(chain.site_ids), dtype=bool)
        needed[chain.node_site[chain.link_src[product_links]]] = True
        needed[chain.slot_site[chain.link_slot[product_links]]] = True
        keep &= needed
    return keep


def flow_links(
    chain: CompiledChain,
    f: Filters,
    site_class: Mapping[str, str],
    product_links: BoolArray | None,
) -> BoolArray | None:
    """The links the tier flows add up under ``f`` (None: all). A flow's step is the
    receiver's tier, so ``tier=N`` keeps links whose receiver is at N − 1; a country keeps
    links from or into it."""
    if f.empty:
        return None
    src = chain.node_site[chain.link_src]
    dst = chain.slot_site[chain.link_slot]
    mask = np.ones(chain.n_links, dtype=bool) if product_links is None else product_links.copy()
    if f.tiers:
        mask &= np.isin(chain.site_tier[dst] + 1, sorted(f.tiers))
    if f.countries:
        chosen = np.array([c in f.countries for c in chain.countries], dtype=bool)
        mask &= chosen[chain.site_country[src]] | chosen[chain.site_country[dst]]
    if f.classes:
        passing = np.array([site_class.get(s, "none") in f.classes for s in chain.site_ids])
        mask &= passing[src]
    return mask
