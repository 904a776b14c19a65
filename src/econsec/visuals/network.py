"""A product's upstream network as a layered graph of sites, for drawing.

Walks from the product's node up through its inputs (node → input slots → the links feeding
them → their supplier nodes), so only what the product really needs appears — not every site
upstream in the site graph. Sites are laid out in columns by their tier and joined by the value
of the links between them. Single points of failure are the exposure engine's own finding for
the product (``ProductResult.single_points_of_failure``). Above ``max_sites`` the sites that
are not single points of failure are pooled per tier and country, so the picture stays readable.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from econsec.exposure.results import ProductResult
from econsec.valuechain.compiled import BoolArray, CompiledChain

MAX_SITES = 150

Cover = Mapping[str, tuple[float | None, float]]
"""site id → (TTS in weeks, None when supply never falls short; TTR in weeks), from the sweep."""


@dataclass(frozen=True)
class NetNode:
    id: str
    """A site id, or "tier:country" for a pooled group."""
    label: str
    country: str
    tier: int
    sites: int
    spof: bool
    x: float
    y: float
    tts_weeks: float | None = None
    ttr_weeks: float | None = None
    """None: the site was not swept (no recovery time) or no sweep is stored."""
    short: bool = False
    """Time to survive below time to recover (for a pool: of its worst member)."""


@dataclass(frozen=True)
class NetEdge:
    source: str
    target: str
    value: float
    links: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class NetworkData:
    product: str
    data_version: str
    currency: str
    nodes: list[NetNode]
    edges: list[NetEdge]
    spof: tuple[str, ...]
    pooled: bool
    short: tuple[str, ...] = ()
    """Node ids whose time to survive is below their time to recover."""
    swept: bool = False
    """Whether a site sweep was available to compare TTS with TTR."""


def product_node(chain: CompiledChain, site_id: str, item_id: str) -> int | None:
    """The node that makes ``item_id`` at ``site_id`` (not a pass-on node), or None."""
    try:
        site, item = chain.site_ids.index(site_id), chain.item_ids.index(item_id)
    except ValueError:
        return None
    hits = np.flatnonzero((chain.node_site == site) & (chain.node_item == item))
    makers = [int(n) for n in hits if not chain.node_passes[n]]
    candidates = makers or [int(n) for n in hits]
    return candidates[0] if candidates else None


def upstream_links(chain: CompiledChain, node: int) -> BoolArray:
    """Links that feed ``node`` directly or through any of its inputs, at any depth."""
    inputs = chain.node_inputs.tocsr()
    feeding = chain.slot_links().tocsr()
    chosen = np.zeros(chain.n_links, dtype=bool)
    seen = {node}
    queue = deque([node])
    while queue:
        v = queue.popleft()
        for slot in inputs.indices[inputs.indptr[v] : inputs.indptr[v + 1]]:
            for link in feeding.indices[feeding.indptr[slot] : feeding.indptr[slot + 1]]:
                chosen[link] = True
                src = int(chain.link_src[link])
                if src not in seen:
                    seen.add(src)
                    queue.append(src)
    return chosen


def cover_from_sweep(payload: Mapping[str, object]) -> dict[str, tuple[float | None, float]]:
    """(TTS, TTR) per site from a stored site-sweep payload; rows that failed are left out."""
    out: dict[str, tuple[float | None, float]] = {}
    rows = payload.get("rows")
    for row in rows if isinstance(rows, list) else []:
        if row.get("kind", "site") != "site" or row.get("status") != "ok":
            continue
        tts = row.get("tts_weeks")
        out[str(row["id"])] = (None if tts is None else float(tts), float(row["ttr_weeks"]))
    return out


def is_short(tts: float | None, ttr: float | None) -> bool:
    """TTS < TTR; an unlimited TTS (None) is never short, an unknown TTR never compared."""
    return tts is not None and ttr is not None and tts < ttr


def worst_cover(site_ids: list[str], cover: Cover) -> tuple[float | None, float | None]:
    """The (TTS, TTR) of the member with the largest gap TTR − TTS (unlimited TTS counts as
    no gap); (None, None) when no member was swept."""
    rows = [cover[s] for s in site_ids if s in cover]
    if not rows:
        return None, None
    return max(rows, key=lambda r: -math.inf if r[0] is None else r[1] - r[0])


def product_network(
    chain: CompiledChain,
    product: ProductResult,
    max_sites: int = MAX_SITES,
    cover: Cover | None = None,
    suppliers: BoolArray | None = None,
) -> NetworkData | None:
    """The product's upstream sites and site-to-site value, or None when it is not in the
    chain. ``cover``: the site sweep's (TTS, TTR) per site, when one is stored;
    ``suppliers``: per site, whether its supply links are drawn (a filter; None: all)."""
    node = product_node(chain, product.site_id, product.item_id)
    if node is None:
        return None
    chosen = upstream_links(chain, node) & ~chain.link_internal
    if suppliers is not None:
        chosen &= suppliers[chain.node_site[chain.link_src]]
    links = np.flatnonzero(chosen)
    spof = set(product.single_points_of_failure)
    src = chain.node_site[chain.link_src[links]]
    dst = chain.slot_site[chain.link_slot[links]]
    sites = sorted({int(s) for s in src} | {int(s) for s in dst} | {int(chain.node_site[node])})
    pooled = len(sites) > max_sites

    def key(site: int) -> str:
        site_id = chain.site_ids[site]
        if not pooled or site_id in spof or site == chain.node_site[node]:
            return site_id
        return f"{chain.site_tier[site]}:{chain.countries[chain.site_country[site]]}"

    members: dict[str, list[int]] = {}
    for s in sites:
        members.setdefault(key(s), []).append(s)
    values: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    items: dict[tuple[str, str], set[str]] = {}
    for link, s, d in zip(links.tolist(), src.tolist(), dst.tolist(), strict=True):
        pair = (key(s), key(d))
        if pair[0] == pair[1]:
            continue
        value = float(chain.link_value[link])
        values[pair] = values.get(pair, 0.0) + (value if np.isfinite(value) else 0.0)
        counts[pair] = counts.get(pair, 0) + 1
        items.setdefault(pair, set()).add(chain.item_ids[chain.node_item[chain.link_src[link]]])
    columns: dict[int, list[str]] = {}
    tier_of = {k: max(0, min(int(chain.site_tier[s]) for s in v)) for k, v in members.items()}
    for k in sorted(members, key=lambda k: (tier_of[k], k)):
        columns.setdefault(tier_of[k], []).append(k)
    nodes = []
    for tier, keys in columns.items():
        for row, k in enumerate(keys):
            first = members[k][0]
            single = len(members[k]) == 1 and k == chain.site_ids[first]
            tts, ttr = worst_cover([chain.site_ids[m] for m in members[k]], cover or {})
            nodes.append(
                NetNode(
                    id=k,
                    label=chain.site_names[first] if single else k,
                    country=chain.countries[chain.site_country[first]],
                    tier=tier,
                    sites=len(members[k]),
                    spof=k in spof,
                    # Our product on the right, suppliers to the left by tier.
                    x=float(-tier),
                    y=float(row - (len(keys) - 1) / 2),
                    tts_weeks=tts,
                    ttr_weeks=ttr,
                    short=is_short(tts, ttr),
                )
            )
    return NetworkData(
        product=f"{product.site_id}/{product.item_id}",
        data_version=chain.version,
        currency=chain.currency,
        nodes=nodes,
        edges=[
            NetEdge(s, t, values[(s, t)], counts[(s, t)], tuple(sorted(items[(s, t)])))
            for (s, t) in values
        ],
        spof=tuple(sorted(spof)),
        pooled=pooled,
        short=tuple(sorted(n.id for n in nodes if n.short)),
        swept=cover is not None,
    )
