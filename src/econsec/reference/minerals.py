"""World production shares and concentration (HHI) for critical minerals.

The figures are USGS Mineral Commodity Summaries values in ``data/mineral_production.csv``
(rebuilt by :mod:`econsec.reference.build_minerals`). For a mineral and year the newest
edition that covers the year is used (USGS revises earlier estimates).

How gaps are treated (never silently):
- ``shares`` holds only countries with a published figure. "Other countries" is an aggregate
  of many producers and is *not* a country: it is reported as ``other_share``.
- Withheld (W) and not-available (NA) countries are listed in ``withheld`` /
  ``not_available`` and contribute nothing to ``shares``.
- ``hhi`` = Σ share² over the countries with figures: a lower bound of the true index.
  ``unattributed_share`` = 1 − Σ country shares (Other, withheld, rounding), and
  ``hhi_max`` = hhi + unattributed_share², the index if all of it were one producer.
- Where USGS publishes no world total (germanium in the 2023 and 2024 editions) there are no
  shares and ``hhi`` is None for that year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from econsec.i18n import label
from econsec.reference._data import read_csv, read_yaml
from econsec.reference.errors import ReferenceDataError

__all__ = [
    "OTHER",
    "WORLD",
    "Mineral",
    "MineralSupply",
    "ProductionRow",
    "hhi",
    "mineral_supply",
    "mineral_years",
    "minerals",
    "normalise_mineral_tag",
    "production_rows",
]

WORLD = "WORLD"
OTHER = "OTHER"
_EDITION_ORDER = ("MCS2022", "MCS2023", "MCS2024", "MCS2025", "MCS2026")


@dataclass(frozen=True, slots=True)
class Mineral:
    """A mineral tag with its names and the USGS measure used for it."""

    tag: str
    names: Mapping[str, str]
    measure: Mapping[str, str]
    aliases: tuple[str, ...]

    def name(self, lang: str | None = None) -> str:
        """Display name in ``lang``."""
        return label(dict(self.names), lang)


@dataclass(frozen=True, slots=True)
class ProductionRow:
    """One row of the tidy production file."""

    mineral: str
    country: str
    country_as_published: str
    year: int
    value: float | None
    unit: str
    estimated: bool
    status: str
    share: float | None
    edition: str
    source_table: str
    note: str


@dataclass(frozen=True, slots=True)
class MineralSupply:
    """Country shares of world production of one mineral in one year, with their caveats."""

    mineral: str
    year: int
    edition: str
    unit: str
    world_total: float | None
    shares: Mapping[str, float]
    other_share: float
    unattributed_share: float
    withheld: tuple[str, ...]
    not_available: tuple[str, ...]
    hhi: float | None
    hhi_max: float | None
    estimated: bool
    source_table: str
    notes: tuple[str, ...]

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` largest producing countries and their shares."""
        return sorted(self.shares.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def hhi(shares: Iterable[float]) -> float:
    """Herfindahl–Hirschman index Σ sᵢ² of shares given as fractions (0–1)."""
    return float(sum(s * s for s in shares))


@cache
def minerals() -> dict[str, Mineral]:
    """Every mineral tag econsec knows, by tag."""
    document = read_yaml("minerals.yaml")
    return {
        tag: Mineral(
            tag=tag,
            names=MappingProxyType(dict(entry["name"])),
            measure=MappingProxyType(dict(entry.get("measure") or {})),
            aliases=tuple(entry.get("aliases") or ()),
        )
        for tag, entry in document["minerals"].items()
    }


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for mineral in minerals().values():
        index[mineral.tag] = mineral.tag
        for alias in mineral.aliases:
            index[alias] = mineral.tag
    return index


def normalise_mineral_tag(tag: str) -> str | None:
    """The canonical mineral tag for ``tag`` ("Dysprosium" → "rare_earths"), else None."""
    key = tag.strip().lower().replace("-", "_").replace(" ", "_")
    return _alias_index().get(key)


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def production_rows() -> tuple[ProductionRow, ...]:
    """All rows of ``data/mineral_production.csv``."""
    rows = []
    for number, raw in enumerate(read_csv("mineral_production.csv"), start=2):
        try:
            rows.append(
                ProductionRow(
                    mineral=raw["mineral"],
                    country=raw["country"],
                    country_as_published=raw["country_as_published"],
                    year=int(raw["year"]),
                    value=_float(raw["value"]),
                    unit=raw["unit"],
                    estimated=raw["estimated"] == "1",
                    status=raw["status"],
                    share=_float(raw["share"]),
                    edition=raw["edition"],
                    source_table=raw["source_table"],
                    note=raw["note"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise ReferenceDataError(
                "reference.minerals.bad_row",
                path="mineral_production.csv",
                row=number,
                problem=exc,
            ) from None
    return tuple(rows)


def _edition_rank(edition: str) -> int:
    return _EDITION_ORDER.index(edition) if edition in _EDITION_ORDER else -1


@cache
def _by_year(mineral: str) -> dict[int, tuple[ProductionRow, ...]]:
    """Rows per year from the newest edition that covers that year."""
    grouped: dict[tuple[int, str], list[ProductionRow]] = defaultdict(list)
    for row in production_rows():
        if row.mineral == mineral:
            grouped[(row.year, row.edition)].append(row)
    chosen: dict[int, tuple[ProductionRow, ...]] = {}
    for (year, edition), rows in grouped.items():
        current = chosen.get(year)
        if current is None or _edition_rank(edition) > _edition_rank(current[0].edition):
            chosen[year] = tuple(rows)
    return dict(sorted(chosen.items()))


def mineral_years(mineral: str) -> dict[int, bool]:
    """Years with data for ``mineral`` → whether country shares can be computed that year."""
    tag = _require(mineral)
    return {
        year: any(r.share is not None and r.country not in (WORLD, OTHER) for r in rows)
        for year, rows in _by_year(tag).items()
    }


def _require(mineral: str) -> str:
    tag = normalise_mineral_tag(mineral)
    if tag is None or not _by_year(tag):
        available = sorted({r.mineral for r in production_rows()})
        raise ReferenceDataError(
            "reference.minerals.unknown_mineral", mineral=mineral, known=", ".join(available)
        )
    return tag


def mineral_supply(mineral: str, year: int | None = None) -> MineralSupply:
    """Shares by country and concentration for ``mineral`` (a tag or alias) in ``year``.

    ``year`` None picks the latest year for which country shares can be computed; the result
    says which year and edition were used.
    """
    tag = _require(mineral)
    by_year = _by_year(tag)
    if year is None:
        usable = [y for y, ok in mineral_years(tag).items() if ok]
        year = max(usable) if usable else max(by_year)
    rows = by_year.get(year)
    if rows is None:
        raise ReferenceDataError(
            "reference.minerals.unknown_mineral",
            mineral=f"{mineral} {year}",
            known=", ".join(str(y) for y in by_year),
        )
    world = next((r for r in rows if r.country == WORLD), None)
    countries = [r for r in rows if r.country not in (WORLD, OTHER)]
    shares = {r.country: r.share for r in countries if r.share is not None and r.share > 0}
    other_share = sum(r.share or 0.0 for r in rows if r.country == OTHER)
    has_shares = world is not None and world.share is not None
    total_known = sum(shares.values())
    unattributed = max(0.0, 1.0 - total_known) if has_shares else 1.0
    index = hhi(shares.values()) if has_shares else None
    notes = tuple(dict.fromkeys(r.note for r in rows if r.note))
    return MineralSupply(
        mineral=tag,
        year=year,
        edition=rows[0].edition,
        unit=rows[0].unit,
        world_total=world.value if world is not None else None,
        shares=MappingProxyType(dict(sorted(shares.items(), key=lambda kv: -kv[1]))),
        other_share=other_share,
        unattributed_share=unattributed,
        withheld=tuple(sorted(r.country for r in countries if r.status == "withheld")),
        not_available=tuple(sorted(r.country for r in countries if r.status == "not_available")),
        hhi=index,
        hhi_max=index + unattributed**2 if index is not None else None,
        estimated=any(r.estimated for r in rows),
        source_table=rows[0].source_table,
        notes=notes,
    )
