"""UN M49 geographic regions of countries (region → sub-region → intermediate region)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from econsec.reference._data import read_csv

__all__ = [
    "CountryRegions",
    "Region",
    "countries_in_region",
    "country_regions",
    "region",
    "region_name",
    "regions",
]


@dataclass(frozen=True, slots=True)
class Region:
    """One M49 area: ``level`` is world, region, sub_region or intermediate_region."""

    code: str
    level: str
    name_en: str
    name_ja: str

    def name(self, lang: str) -> str:
        """Name in ``lang`` ("ja" or "en")."""
        return self.name_ja if lang.lower().startswith("ja") else self.name_en


@dataclass(frozen=True, slots=True)
class CountryRegions:
    """The M49 codes a country belongs to; empty strings where M49 assigns none."""

    alpha_2: str
    region: str
    sub_region: str
    intermediate_region: str

    def codes(self) -> tuple[str, ...]:
        """All area codes the country belongs to, broadest first (excluding World)."""
        return tuple(c for c in (self.region, self.sub_region, self.intermediate_region) if c)


@cache
def regions() -> dict[str, Region]:
    """Every M49 area econsec knows, by three-digit code."""
    return {
        row["code"]: Region(row["code"], row["level"], row["name_en"], row["name_ja"])
        for row in read_csv("region_names.csv")
    }


@cache
def _country_regions() -> dict[str, CountryRegions]:
    return {
        row["alpha_2"]: CountryRegions(
            row["alpha_2"], row["region"], row["sub_region"], row["intermediate_region"]
        )
        for row in read_csv("country_regions.csv")
    }


def region(code: str) -> Region:
    """The M49 area for a three-digit code; raises KeyError if unknown."""
    return regions()[code]


def region_name(code: str, lang: str) -> str:
    """Name of an M49 area in ``lang``; the code itself if unknown."""
    found = regions().get(code)
    return found.name(lang) if found else code


def country_regions(alpha_2: str) -> CountryRegions | None:
    """The M49 areas of a country (alpha-2), or None for an unknown code."""
    return _country_regions().get(alpha_2)


def countries_in_region(code: str) -> frozenset[str]:
    """Alpha-2 codes of the countries in an M49 area at any level ("001" is every country)."""
    if code == "001":
        return frozenset(_country_regions())
    return frozenset(a for a, cr in _country_regions().items() if code in cr.codes())
