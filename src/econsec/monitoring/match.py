"""Which nodes and links of the chain an event's footprint hits, and why.

``match`` is the fast path (arrays only, used for every event); ``why_node`` and ``why_link``
rebuild, for one hit, the reasons a reader needs ("GaN epi wafer at JXGAN-SZ: made in CN,
mineral gallium; the link ships it to TJSC-TN in TW").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from econsec.monitoring.footprint import FLOW_KINDS, PLACE_KINDS, STOPPING_KINDS, Footprint
from econsec.monitoring.index import ChainIndex
from econsec.monitoring.places import distance_km, in_polygon, normalise_region

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Reason = tuple[str, dict[str, Any]]
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Hits:
    """What an event hits directly: nodes taken down and links closed (each without repeats)."""

    nodes: IntArray
    links: IntArray
    stops: bool
    """False for kinds that touch without stopping (tariff, regulation)."""
    unknown: tuple[tuple[str, str], ...] = ()
    """(field, value) pairs the chain does not know (a site id that is not ours…)."""

    @property
    def empty(self) -> bool:
        return self.nodes.size == 0 and self.links.size == 0


def item_mask(index: ChainIndex, fp: Footprint) -> BoolArray | None:
    """Items the footprint names (by id, HS prefix, mineral or critical tag); None: all."""
    if not fp.has_item_filter:
        return None
    mask = np.zeros(len(index.chain.item_ids), dtype=bool)
    for item in fp.items:
        if item in index.item_index:
            mask[index.item_index[item]] = True
    for prefix in fp.hs_prefixes:
        mask[index.items_with_hs_prefix(prefix)] = True
    for tag in fp.mineral_tags:
        mask[index.mineral_items.get(tag, _EMPTY)] = True
    for tag in fp.critical_tags:
        mask[index.critical_items.get(tag, _EMPTY)] = True
    return mask


def site_mask(index: ChainIndex, fp: Footprint) -> BoolArray:
    """Sites the footprint places the event at.

    Named sites and organisations count on their own; regions and a circle narrow the countries
    (an earthquake in Ishikawa is not an event in all of Japan); countries alone mean the whole
    country.
    """
    chain = index.chain
    mask = np.zeros(len(chain.site_ids), dtype=bool)
    for site in fp.sites:
        if site in index.site_index:
            mask[index.site_index[site]] = True
    for org in fp.orgs:
        if org in index.org_index:
            mask[index.org_sites.of(index.org_index[org])] = True
    in_countries = np.zeros(len(chain.site_ids), dtype=bool)
    for code in fp.countries:
        in_countries[index.country_sites.get(code, _EMPTY)] = True
    if fp.has_area:
        geo = np.zeros(len(chain.site_ids), dtype=bool)
        for ring in fp.polygons:
            geo |= in_polygon(index.places.latitude, index.places.longitude, ring)
        for region in fp.regions:
            geo[index.region_sites.get(normalise_region(region), _EMPTY)] = True
        if fp.point is not None:
            p = fp.point
            d = distance_km(index.places.latitude, index.places.longitude, p.latitude, p.longitude)
            geo |= np.nan_to_num(d, nan=np.inf) <= p.radius_km
        mask |= geo & in_countries if fp.countries else geo
    else:
        mask |= in_countries
    return mask


def _unknown(index: ChainIndex, fp: Footprint) -> tuple[tuple[str, str], ...]:
    out = [("sites", s) for s in fp.sites if s not in index.site_index]
    out += [("orgs", s) for s in fp.orgs if s not in index.org_index]
    out += [("items", s) for s in fp.items if s not in index.item_index]
    out += [("chokepoints", s) for s in fp.chokepoints if s not in index.choke_index]
    return tuple(out)


def _nodes_at(index: ChainIndex, sites: BoolArray, items: BoolArray | None) -> IntArray:
    chain = index.chain
    site_ids = np.flatnonzero(sites)
    if items is None:
        return np.sort(index.site_nodes.of_many(site_ids))
    item_ids = np.flatnonzero(items)
    # Start from the smaller side and filter by the other.
    if item_ids.size < site_ids.size:
        cand = index.item_nodes.of_many(item_ids)
        return np.sort(cand[sites[chain.node_site[cand]]])
    cand = index.site_nodes.of_many(site_ids)
    return np.sort(cand[items[chain.node_item[cand]]])


def match(index: ChainIndex, fp: Footprint) -> Hits:
    """The nodes and links ``fp`` hits on the indexed chain (see footprint.py for the kinds)."""
    chain = index.chain
    items = item_mask(index, fp)
    nodes = _EMPTY
    links: list[IntArray] = []
    if fp.kind in PLACE_KINDS:
        sites = site_mask(index, fp)
        if fp.kind == "regulation" and not fp.has_place:
            sites[:] = True  # a regulation without a place applies wherever the item is made
        nodes = _nodes_at(index, sites, items)
    elif fp.kind in FLOW_KINDS or (fp.kind == "closure" and fp.has_place):
        # Closing a port: what the sites behind it ship out stops, as for an export ban.
        sites = site_mask(index, fp)
        src = _nodes_at(index, sites, items)
        out = index.node_links.of_many(src)
        leaving = ~sites[chain.slot_site[chain.link_slot[out]]]
        links.append(out[leaving])
    if fp.chokepoints:
        chokes = np.array(
            [index.choke_index[c] for c in fp.chokepoints if c in index.choke_index],
            dtype=np.int64,
        )
        through = index.choke_links.of_many(chokes)
        if chokes.size > 1:  # a link routed through two named chokepoints is listed twice
            through = np.unique(through)
        if items is not None:
            through = through[items[chain.node_item[chain.link_src[through]]]]
        links.append(through)
    # Each part is free of repeats already (a node is at one site, a link leaves one node or
    # is listed once per chokepoint); only a union of parts needs de-duplicating.
    if not links:
        all_links = _EMPTY
    elif len(links) == 1:
        all_links = links[0]
    else:
        all_links = np.unique(np.concatenate(links))
    return Hits(
        nodes=nodes,
        links=all_links,
        stops=fp.kind in STOPPING_KINDS,
        unknown=_unknown(index, fp),
    )


def _item_reasons(index: ChainIndex, fp: Footprint, item: int) -> list[Reason]:
    chain = index.chain
    name = chain.item_ids[item]
    out: list[Reason] = []
    if name in fp.items:
        out.append(("monitoring.reason.item_named", {"item": name}))
    code = chain.item_hs_code[item]
    for prefix in fp.hs_prefixes:
        if code and code.startswith(prefix):
            out.append(("monitoring.reason.item_hs", {"item": name, "hs": code, "prefix": prefix}))
    for tag in chain.item_mineral_tags[item]:
        if tag.lower() in fp.mineral_tags:
            out.append(("monitoring.reason.item_mineral", {"item": name, "mineral": tag}))
    for tag in chain.item_critical_tags[item]:
        if tag in fp.critical_tags:
            out.append(("monitoring.reason.item_critical", {"item": name, "tag": tag}))
    return out


def _site_reasons(index: ChainIndex, fp: Footprint, site: int) -> list[Reason]:
    chain = index.chain
    sid = chain.site_ids[site]
    country = chain.countries[chain.site_country[site]]
    org = chain.org_ids[chain.site_org[site]]
    out: list[Reason] = []
    if sid in fp.sites:
        out.append(("monitoring.reason.site_named", {"site": sid}))
    if org in fp.orgs:
        out.append(("monitoring.reason.site_org", {"site": sid, "org": org}))
    region = index.places.region[site]
    if region and region in {normalise_region(r) for r in fp.regions}:
        out.append(("monitoring.reason.site_region", {"site": sid, "region": region}))
    if fp.point is not None:
        p = fp.point
        d = distance_km(
            index.places.latitude[site : site + 1],
            index.places.longitude[site : site + 1],
            p.latitude,
            p.longitude,
        )[0]
        if np.isfinite(d) and d <= p.radius_km:
            out.append(
                (
                    "monitoring.reason.site_near",
                    {"site": sid, "km": f"{d:,.0f}", "radius": f"{p.radius_km:,.0f}"},
                )
            )
    lat, lon = index.places.latitude[site : site + 1], index.places.longitude[site : site + 1]
    for n, ring in enumerate(fp.polygons, start=1):
        if in_polygon(lat, lon, ring)[0]:
            out.append(("monitoring.reason.site_in_area", {"site": sid, "area": n}))
            break
    if country in fp.countries:
        out.append(("monitoring.reason.site_country", {"site": sid, "country": country}))
    return out


def why_node(index: ChainIndex, fp: Footprint, node: int) -> list[Reason]:
    """Why ``node`` (an item made at a site) is hit: where it is, and what the item is."""
    chain = index.chain
    return _site_reasons(index, fp, int(chain.node_site[node])) + _item_reasons(
        index, fp, int(chain.node_item[node])
    )


def why_link(index: ChainIndex, fp: Footprint, link: int) -> list[Reason]:
    """Why a supply link is closed: what leaves where for whom, or which chokepoint it passes."""
    chain = index.chain
    src = int(chain.link_src[link])
    dst_site = int(chain.slot_site[chain.link_slot[link]])
    out: list[Reason] = []
    chokes = chain.link_chokepoints[link].indices
    named = [chain.chokepoint_ids[c] for c in chokes if chain.chokepoint_ids[c] in fp.chokepoints]
    for choke in named:
        out.append(
            ("monitoring.reason.chokepoint", {"link": chain.node_label(src), "chokepoint": choke})
        )
    if fp.kind in FLOW_KINDS or (fp.kind == "closure" and fp.has_place):
        site_reasons = _site_reasons(index, fp, int(chain.node_site[src]))
        if site_reasons:
            out += site_reasons
            out.append(
                (
                    "monitoring.reason.leaves",
                    {
                        "link": chain.node_label(src),
                        "to": chain.site_ids[dst_site],
                        "country": chain.countries[chain.site_country[dst_site]],
                    },
                )
            )
    return out + _item_reasons(index, fp, int(chain.node_item[src]))
