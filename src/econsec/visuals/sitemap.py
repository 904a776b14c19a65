"""The supplier map as data: every site placed, sized by what it supplies, coloured by exposure.

Pure functions over the compiled chain and the stored exposure report (no Django). Exposure
figures are the exposure engine's own — a site's revenue at risk is its ``losses["site"]``
entry, a country's share is the revenue-weighted multi-tier share the board report shows — so
the map never tells a different story from the tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from econsec.exposure.results import ExposureReport
from econsec.reference.gazetteer import locate
from econsec.reports.assemble import country_exposure
from econsec.valuechain.compiled import CompiledChain

# Exposure classes a marker is coloured by (message ids visuals.exposure.<class>).
SPOF, AT_RISK, NONE, OWN = "spof", "at_risk", "none", "own"
# Above this many markers the map shows grid clusters instead (never 50,000 points).
MAX_MARKERS = 2000

SiteGeo = Mapping[str, tuple[str, float | None, float | None]]
"""site id → (region, latitude, longitude) as stored."""


@dataclass(frozen=True)
class MapSite:
    site_id: str
    name: str
    org_id: str
    country: str
    tier: int
    lat: float
    lon: float
    precision: str
    annual_value: float
    """What the site supplies a year over its supply links (reporting currency)."""
    revenue_at_risk_per_week: float
    """Revenue stopped if this site alone is lost (the exposure engine's site loss)."""
    products_stopped: int
    exposure: str
    """spof | at_risk | none | own"""


@dataclass(frozen=True)
class Cluster:
    lat: float
    lon: float
    sites: int
    spof: int
    annual_value: float
    revenue_at_risk_per_week: float
    countries: tuple[str, ...]


@dataclass(frozen=True)
class SiteMapData:
    data_version: str
    currency: str
    sites: list[MapSite]
    countries: dict[str, float]
    """Country → revenue-weighted share of input value over all tiers (0–1)."""
    country_revenue_at_risk: dict[str, float]
    """Country → revenue stopped per week if every site in it is lost."""
    unplaced: list[str]
    """Sites with no coordinates, region or known country: not drawn, listed instead."""

    @property
    def supplier_countries(self) -> list[str]:
        """Countries of the supplier sites connected to ours (tier ≥ 1)."""
        return sorted({s.country for s in self.sites if s.exposure != OWN and s.tier >= 1})


def supplied_value(chain: CompiledChain) -> np.ndarray:
    """Annual value each site supplies over its (non-internal) supply links; NaN counts 0."""
    value = np.where(np.isfinite(chain.link_value), chain.link_value, 0.0)
    value = np.where(chain.link_internal, 0.0, value)
    out = np.zeros(len(chain.site_ids))
    np.add.at(out, chain.node_site[chain.link_src], value)
    return out


def spof_sites(report: ExposureReport) -> set[str]:
    """Sites whose loss alone stops at least one product (the exposure engine's finding)."""
    return {s for p in report.products for s in p.single_points_of_failure}


def site_map(
    chain: CompiledChain,
    report: ExposureReport,
    geo: SiteGeo,
    own_sites: set[str],
) -> SiteMapData:
    """Every site of the chain, placed by the gazetteer where it has no coordinates."""
    value = supplied_value(chain)
    losses = {e.element_id: e for e in report.losses.get("site", [])}
    spof = spof_sites(report)
    sites: list[MapSite] = []
    unplaced: list[str] = []
    for i, site_id in enumerate(chain.site_ids):
        country = chain.countries[chain.site_country[i]]
        region, lat, lon = geo.get(site_id, ("", None, None))
        placed = locate(country, region, lat, lon)
        if not math.isfinite(placed.lat):
            unplaced.append(site_id)
            continue
        loss = losses.get(site_id)
        revenue = float(loss.revenue_per_week) if loss else 0.0
        # Tier 0 is ours too: a subsidiary's plant that sells our products.
        if site_id in own_sites or chain.site_tier[i] == 0:
            exposure = OWN
        elif site_id in spof:
            exposure = SPOF
        elif revenue > 0:
            exposure = AT_RISK
        else:
            exposure = NONE
        sites.append(
            MapSite(
                site_id=site_id,
                name=chain.site_names[i],
                org_id=chain.org_ids[chain.site_org[i]],
                country=country,
                tier=int(chain.site_tier[i]),
                lat=placed.lat,
                lon=placed.lon,
                precision=placed.precision,
                annual_value=float(value[i]),
                revenue_at_risk_per_week=revenue,
                products_stopped=len(loss.products) if loss else 0,
                exposure=exposure,
            )
        )
    by_country = {e.element_id: e.revenue_per_week for e in report.losses.get("country", [])}
    return SiteMapData(
        data_version=report.data_version,
        currency=report.currency,
        sites=sites,
        countries=country_exposure(report.products),
        country_revenue_at_risk=by_country,
        unplaced=unplaced,
    )


def clusters(sites: list[MapSite], max_markers: int = MAX_MARKERS) -> list[Cluster] | None:
    """Grid clusters (cells doubling from 0.5°) when there are more sites than
    ``max_markers``; None when every site can be drawn."""
    if len(sites) <= max_markers:
        return None
    cell = 0.5
    while True:
        groups: dict[tuple[int, int], list[MapSite]] = {}
        for s in sites:
            groups.setdefault((math.floor(s.lat / cell), math.floor(s.lon / cell)), []).append(s)
        if len(groups) <= max_markers:
            break
        cell *= 2
    out = []
    for members in groups.values():
        weight = len(members)
        out.append(
            Cluster(
                lat=sum(s.lat for s in members) / weight,
                lon=sum(s.lon for s in members) / weight,
                sites=weight,
                spof=sum(s.exposure == SPOF for s in members),
                annual_value=sum(s.annual_value for s in members),
                revenue_at_risk_per_week=max(s.revenue_at_risk_per_week for s in members),
                countries=tuple(sorted({s.country for s in members})),
            )
        )
    return out


def narrowed(
    data: SiteMapData, keep: set[str], shares: dict[str, float] | None, countries: frozenset[str]
) -> SiteMapData:
    """The map of the sites in ``keep`` only; country shading from ``shares`` when given (a
    product's own country shares) and limited to ``countries`` when any are chosen."""
    shading = data.countries if shares is None else shares
    return SiteMapData(
        data_version=data.data_version,
        currency=data.currency,
        sites=[s for s in data.sites if s.site_id in keep],
        countries={c: v for c, v in shading.items() if not countries or c in countries},
        country_revenue_at_risk={
            c: v for c, v in data.country_revenue_at_risk.items() if not countries or c in countries
        },
        unplaced=[s for s in data.unplaced if s in keep],
    )
