"""The chain, indexed for matching many events: built once per data version.

Two things make matching 10,000 events cheap. Lookups go from a footprint's few values to the
sites, items, nodes and links they name (grouped arrays, not a scan of every row per event).
And every node carries a bitset of the products it feeds, directly or through any number of
tiers (``node_reach``), so "which products does this event touch" is an OR of a few rows.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.monitoring.places import SitePlaces
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Bits = npt.NDArray[np.uint64]


@dataclass(frozen=True, eq=False)
class Groups:
    """Members of each group, CSR style: members of g are ``idx[ptr[g]:ptr[g+1]]``."""

    ptr: IntArray
    idx: IntArray

    def of(self, g: int) -> IntArray:
        return self.idx[self.ptr[g] : self.ptr[g + 1]]

    def of_many(self, groups: IntArray) -> IntArray:
        starts = self.ptr[groups]
        lens = self.ptr[groups + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # One gather instead of a slice per group: position k of group g is starts[g] + k.
        offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
        return self.idx[offsets + np.arange(total)]


def group(keys: npt.NDArray[np.integer], n_groups: int) -> Groups:
    """Group ``range(len(keys))`` by ``keys`` (each in ``0..n_groups-1``; negative: none)."""
    keys = np.asarray(keys, dtype=np.int64)
    members = np.flatnonzero(keys >= 0)
    order = members[np.argsort(keys[members], kind="stable")]
    counts = np.bincount(keys[members], minlength=n_groups)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return Groups(ptr, order.astype(np.int64))


def _from_csr(m: sp.csr_matrix) -> Groups:
    m = m.tocsr()
    m.sort_indices()
    return Groups(m.indptr.astype(np.int64), m.indices.astype(np.int64))


@dataclass(eq=False)
class ChainIndex:
    chain: CompiledChain
    places: SitePlaces
    product_nodes: IntArray
    """Nodes with demand (the products we sell), ascending; bit ``p`` of a reach row is
    ``product_nodes[p]``."""
    product_revenue: FloatArray  # per week, in the chain's currency
    product_margin: FloatArray
    node_reach: Bits  # nodes × words
    slot_reach: Bits  # slots × words
    site_nodes: Groups
    item_nodes: Groups
    node_links: Groups  # outgoing links of a node
    slot_links: Groups  # qualified links feeding a slot
    slot_consumers: Groups  # nodes that need the slot
    choke_links: Groups
    org_sites: Groups
    country_sites: dict[str, IntArray]
    region_sites: dict[str, IntArray]
    mineral_items: dict[str, IntArray]
    critical_items: dict[str, IntArray]
    hs_codes: list[str]  # sorted, for prefix ranges
    hs_items: IntArray
    site_index: dict[str, int]
    org_index: dict[str, int]
    item_index: dict[str, int]
    choke_index: dict[str, int]

    @property
    def n_products(self) -> int:
        return int(self.product_nodes.size)

    def items_with_hs_prefix(self, prefix: str) -> IntArray:
        lo = bisect.bisect_left(self.hs_codes, prefix)
        hi = bisect.bisect_left(self.hs_codes, prefix + "\uffff")
        return self.hs_items[lo:hi]

    def products_of(self, bits: Bits) -> IntArray:
        """Product indices whose bit is set in one reach row."""
        flags = np.unpackbits(bits.view(np.uint8), bitorder="little")[: self.n_products]
        return np.flatnonzero(flags).astype(np.int64)


def _dict_groups(keys: list[str]) -> dict[str, IntArray]:
    out: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if k:
            out.setdefault(k, []).append(i)
    return {k: np.array(v, dtype=np.int64) for k, v in out.items()}


def _reach(chain: CompiledChain, product_nodes: IntArray, consumers: Groups) -> tuple[Bits, Bits]:
    """Bitsets of the products each node and slot feeds, by fixed-point iteration.

    ``reach(u) = own(u) | OR over links u→slot s, consumers v of s: reach(v)``; iterating from
    the products' own bits converges in as many rounds as the chain has tiers (cycles too).
    """
    n_words = max(1, (product_nodes.size + 63) // 64)
    node_reach = np.zeros((chain.n_nodes, n_words), dtype=np.uint64)
    p = np.arange(product_nodes.size)
    np.bitwise_or.at(
        node_reach,
        (product_nodes, p // 64),
        np.left_shift(np.uint64(1), (p % 64).astype(np.uint64)),
    )
    own = node_reach.copy()
    # Edges slot → consumer node, and link src node → slot.
    counts = np.diff(consumers.ptr)
    edge_slot = np.repeat(np.arange(chain.n_slots), counts)
    edge_node = consumers.idx
    while True:
        slot_reach = np.zeros((chain.n_slots, n_words), dtype=np.uint64)
        np.bitwise_or.at(slot_reach, edge_slot, node_reach[edge_node])
        new = own.copy()
        np.bitwise_or.at(new, chain.link_src, slot_reach[chain.link_slot])
        if np.array_equal(new, node_reach):
            return node_reach, slot_reach
        node_reach = new


def build_index(chain: CompiledChain, places: SitePlaces | None = None) -> ChainIndex:
    """Index ``chain`` (and where its sites are) for :func:`econsec.monitoring.match.match`."""
    places = places or SitePlaces.empty(len(chain.site_ids))
    product_nodes = np.unique(chain.demand_node).astype(np.int64)
    pos = np.searchsorted(product_nodes, chain.demand_node)
    revenue = np.zeros(product_nodes.size)
    margin = np.zeros(product_nodes.size)
    np.add.at(revenue, pos, chain.demand_per_week * chain.demand_unit_price)
    np.add.at(margin, pos, chain.demand_per_week * chain.demand_unit_margin)
    consumers = _from_csr(chain.node_inputs.T.tocsr())
    node_reach, slot_reach = _reach(chain, product_nodes, consumers)
    qualified = np.flatnonzero(chain.link_qualified)
    slot_keys = np.full(chain.n_links, -1, dtype=np.int64)
    slot_keys[qualified] = chain.link_slot[qualified]
    hs_order = sorted((code, i) for i, code in enumerate(chain.item_hs_code) if code)
    mineral: dict[str, list[int]] = {}
    critical: dict[str, list[int]] = {}
    for i, tags in enumerate(chain.item_mineral_tags):
        for tag in tags:
            mineral.setdefault(tag.lower(), []).append(i)
    for i, tags in enumerate(chain.item_critical_tags):
        for tag in tags:
            critical.setdefault(tag, []).append(i)
    return ChainIndex(
        chain=chain,
        places=places,
        product_nodes=product_nodes,
        product_revenue=revenue,
        product_margin=margin,
        node_reach=node_reach,
        slot_reach=slot_reach,
        site_nodes=group(chain.node_site, len(chain.site_ids)),
        item_nodes=group(chain.node_item, len(chain.item_ids)),
        node_links=group(chain.link_src, chain.n_nodes),
        slot_links=group(slot_keys, chain.n_slots),
        slot_consumers=consumers,
        choke_links=_from_csr(chain.link_chokepoints.T.tocsr()),
        org_sites=group(chain.site_org, len(chain.org_ids)),
        country_sites={
            code: np.flatnonzero(chain.site_country == i) for i, code in enumerate(chain.countries)
        },
        region_sites=_dict_groups(places.region),
        mineral_items={k: np.array(v, dtype=np.int64) for k, v in mineral.items()},
        critical_items={k: np.array(v, dtype=np.int64) for k, v in critical.items()},
        hs_codes=[c for c, _ in hs_order],
        hs_items=np.array([i for _, i in hs_order], dtype=np.int64),
        site_index={s: i for i, s in enumerate(chain.site_ids)},
        org_index={s: i for i, s in enumerate(chain.org_ids)},
        item_index={s: i for i, s in enumerate(chain.item_ids)},
        choke_index={s: i for i, s in enumerate(chain.chokepoint_ids)},
    )
