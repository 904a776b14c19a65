"""Sources of every slot (an item as needed at a site) and their concentration.

Definitions (docs/decisions/0060-exposure-semantics.md):
- *qualified sources*: distinct supplier nodes with a qualified link into the slot;
- *single source*: exactly one qualified source (unqualified or alternative sources may exist);
- *sole source*: exactly one source of any kind — one supplying site, whether qualified or not,
  and no alternative listed in the alternatives table.
Concentration is by supplier organisation and by country, by volume (link shares) and by value
(link annual values; unknown when any link into the slot lacks a value).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from econsec.exposure.concentration import Concentration, Pairs, group_share, grouped
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(eq=False)
class Sourcing:
    """One row per group (a slot, or an item across our own sites)."""

    n_sources: IntArray
    n_qualified: IntArray
    n_alternatives: IntArray
    single_source: BoolArray
    sole_source: BoolArray
    by_supplier_volume: Concentration
    by_supplier_value: Concentration
    by_country_volume: Concentration
    by_country_value: Concentration
    group_share_volume: dict[str, FloatArray] = field(default_factory=dict)
    group_share_value: dict[str, FloatArray] = field(default_factory=dict)


def sourcing(
    chain: CompiledChain,
    link_group: IntArray,
    n_groups: int,
    groups: Mapping[str, Collection[str]],
    link_mask: BoolArray | None = None,
    volume_weight: FloatArray | None = None,
    alt_group: IntArray | None = None,
) -> Sourcing:
    """Sourcing figures with links grouped by ``link_group`` (default use: the link's slot).

    ``link_mask`` selects the links that count; ``volume_weight`` overrides the volume weight of
    each link (the share within its slot by default); ``alt_group`` gives the group of each
    alternative row (-1 to ignore it).
    """
    mask = np.ones(chain.n_links, dtype=bool) if link_mask is None else link_mask
    g = link_group[mask]
    src = chain.link_src[mask]
    src_site = chain.node_site[src]
    org = chain.site_org[src_site]
    country = chain.site_country[src_site]
    qualified = chain.link_qualified[mask]
    vol = chain.link_share[mask] if volume_weight is None else volume_weight[mask]
    val = chain.link_value[mask]
    n_sites, n_orgs, n_countries = len(chain.site_ids), len(chain.org_ids), len(chain.countries)

    by_site = Pairs(g, src_site, n_groups, n_sites)
    n_sources = by_site.per_group_count()
    n_qualified = by_site.per_group_count(by_site.pair_sum(qualified) > 0)
    n_alt = np.zeros(n_groups, dtype=np.int64)
    offered = n_sources
    if alt_group is not None and alt_group.shape[0]:
        ok = alt_group >= 0
        alt_site = chain.node_site[chain.alt_src[ok]]
        n_alt = Pairs(alt_group[ok], alt_site, n_groups, n_sites).per_group_count()
        # Sites offering the item as an alternative *or* supplying it already.
        offered = Pairs(
            np.concatenate([g, alt_group[ok]]),
            np.concatenate([src_site, alt_site]),
            n_groups,
            n_sites,
        ).per_group_count()
    by_org = Pairs(g, org, n_groups, n_orgs)
    by_country = Pairs(g, country, n_groups, n_countries)
    out = Sourcing(
        n_sources=n_sources,
        n_qualified=n_qualified,
        n_alternatives=n_alt,
        single_source=n_qualified == 1,
        sole_source=(n_sources == 1) & (offered == 1),
        by_supplier_volume=grouped(by_org, vol),
        by_supplier_value=grouped(by_org, val),
        by_country_volume=grouped(by_country, vol),
        by_country_value=grouped(by_country, val),
    )
    for name, members in groups.items():
        out.group_share_volume[name] = group_share(
            g, country, vol, n_groups, chain.countries, members
        )
        out.group_share_value[name] = group_share(
            g, country, val, n_groups, chain.countries, members
        )
    return out


def slot_sourcing(chain: CompiledChain, groups: Mapping[str, Collection[str]]) -> Sourcing:
    """Sourcing of every slot (all tiers); internal links count as the site's own source."""
    return sourcing(chain, chain.link_slot, chain.n_slots, groups, alt_group=chain.alt_slot)


def own_site_mask(chain: CompiledChain) -> BoolArray:
    """Per site: True for our own company's sites (tier 0)."""
    return np.asarray(chain.site_tier == 0, dtype=bool)


def item_sourcing(chain: CompiledChain, groups: Mapping[str, Collection[str]]) -> Sourcing:
    """Sourcing of every item as our own sites buy it, pooled across those sites.

    Volume weights pool stated annual volumes when every link of the item states one; otherwise
    each receiving site counts equally (its links weighted by their shares), since units per
    site cannot be compared without volumes.
    """
    own = own_site_mask(chain)[chain.slot_site[chain.link_slot]] & ~chain.link_internal
    item = chain.slot_item[chain.link_slot]
    n_items = len(chain.item_ids)
    vol = chain.link_volume
    stated = np.isfinite(vol)
    missing = np.bincount(item[own & ~stated], minlength=n_items) > 0
    weight = np.where(missing[item] | ~stated, chain.link_share, vol)
    if own.any():
        # Shares are per slot: scale them so that every own slot of an item weighs the same.
        totals = np.bincount(
            chain.link_slot[own], weights=chain.link_share[own], minlength=chain.n_slots
        )
        per_slot = np.where(totals > 0, totals, 1.0)
        weight = np.where(missing[item], chain.link_share / per_slot[chain.link_slot], weight)
    alt_site_own = own_site_mask(chain)[chain.slot_site[chain.alt_slot]]
    alt_group = np.where(alt_site_own, chain.slot_item[chain.alt_slot], -1).astype(np.int64)
    return sourcing(
        chain, item, n_items, groups, link_mask=own, volume_weight=weight, alt_group=alt_group
    )
