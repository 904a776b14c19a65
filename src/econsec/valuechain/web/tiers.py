"""Upstream/downstream tiers (pure: no database here).

Tier 1 holds the direct neighbours of the start, tier n the nodes first reached in n steps.
A node appears once, in its nearest tier.

Two implementations share these semantics:

- :func:`walk_tiers`, a generic breadth-first walk over an ``expand`` callback (used where the
  graph is not compiled, and as the reference the array walk is tested against);
- :class:`ChainTiers`, adjacency in CSR form derived once per data version from the compiled
  value chain (:class:`econsec.valuechain.compiled.CompiledChain`), so a detail page is a few
  array lookups however deep and wide the network is (docs/decisions/0054-tiers-from-the-
  compiled-network.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.valuechain.compiled import CompiledChain

N = TypeVar("N", bound=Hashable)
IntArray = npt.NDArray[np.int64]


@dataclass
class Tier(Generic[N]):
    number: int
    nodes: list[N] = field(default_factory=list)
    edges: dict[N, list[tuple[N, Any]]] = field(default_factory=dict)  # node -> [(from, data)]


@dataclass
class Walk(Generic[N]):
    tiers: list[Tier[N]]
    truncated: bool


def walk_tiers(
    start: Iterable[N],
    expand: Callable[[Sequence[N]], Iterable[tuple[N, N, Any]]],
    *,
    max_tiers: int = 10,
    max_nodes: int = 2000,
) -> Walk[N]:
    """Walk outward from ``start``; ``expand(frontier)`` yields (from, to, data) edges."""
    seen: set[N] = set(start)
    frontier: list[N] = list(dict.fromkeys(start))
    tiers: list[Tier[N]] = []
    found = 0
    truncated = False
    for number in range(1, max_tiers + 1):
        if not frontier or truncated:
            break
        tier: Tier[N] = Tier(number)
        for source, target, data in expand(frontier):
            if target in seen and target not in tier.edges:
                continue
            if target not in tier.edges:
                if found >= max_nodes:
                    truncated = True
                    continue
                seen.add(target)
                tier.nodes.append(target)
                tier.edges[target] = []
                found += 1
            tier.edges[target].append((source, data))
        if tier.nodes:
            tiers.append(tier)
        frontier = tier.nodes
    return Walk(tiers, truncated)


# --- compiled adjacency -----------------------------------------------------------------------


@dataclass(frozen=True)
class Adjacency:
    """A directed graph in CSR form: the neighbours of ``v`` are ``indices[indptr[v]:indptr[v+1]]``
    (sorted, without repeats)."""

    indptr: IntArray
    indices: IntArray

    @classmethod
    def from_edges(cls, src: IntArray, dst: IntArray, n: int) -> Adjacency:
        """The graph on ``n`` vertices with an edge ``src[k] → dst[k]`` for every k."""
        matrix = sp.csr_matrix((np.ones(src.shape[0], dtype=np.int8), (src, dst)), shape=(n, n))
        matrix.sum_duplicates()
        matrix.sort_indices()
        return cls(matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64))

    @property
    def size(self) -> int:
        return int(self.indptr.shape[0]) - 1

    def neighbours(self, vertices: IntArray) -> IntArray:
        """All neighbours of ``vertices``, concatenated (repeats possible)."""
        starts = self.indptr[vertices]
        lengths = self.indptr[vertices + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # Index of every neighbour slot: run k covers starts[k] .. starts[k] + lengths[k].
        offsets = np.cumsum(lengths) - lengths
        positions = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lengths)
        found: IntArray = self.indices[positions]
        return found


def bfs_tiers(adjacency: Adjacency, start: IntArray, *, seen_start: bool = True) -> list[IntArray]:
    """Vertices by breadth-first distance from ``start``: element k holds distance k + 1.

    ``start`` itself is never reported (``seen_start``); each vertex appears once, in its
    nearest tier. Each tier is sorted by vertex number.
    """
    seen = np.zeros(adjacency.size, dtype=bool)
    frontier = np.unique(start.astype(np.int64))
    if seen_start:
        seen[frontier] = True
    tiers: list[IntArray] = []
    hit = np.zeros(adjacency.size, dtype=bool)
    while frontier.size:
        # A mask over all vertices instead of np.unique: linear, no sort of the repeats.
        hit[:] = False
        hit[adjacency.neighbours(frontier)] = True
        hit &= ~seen
        reached = np.flatnonzero(hit).astype(np.int64)
        if not reached.size:
            break
        seen[reached] = True
        tiers.append(reached)
        frontier = reached
    return tiers


def _display_rank(*keys: Sequence[str]) -> IntArray:
    """Position of each row when sorted by ``keys`` (the first key most significant)."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = sorted(range(n), key=lambda i: tuple(k[i] for k in keys))
    rank = np.empty(n, dtype=np.int64)
    rank[np.array(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
    return rank


class WalkMemo:
    """Finished tier walks of one data version, least recently used dropped first.

    A walk depends only on the compiled network, so it is derived data of the data version
    (docs/decisions/0058-per-request-cpu.md); it lives on the version's :class:`ChainTiers` and
    goes with it. Bounded by the number of vertex ids held, not the number of walks, because
    one product's walk can hold tens of thousands of nodes.
    """

    LIMIT = 2_000_000  # vertex ids (16 MB of int64) per process

    def __init__(self, limit: int = LIMIT) -> None:
        self._walks: OrderedDict[tuple[str, int], list[IntArray]] = OrderedDict()
        self._held = 0
        self._limit = limit
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._walks)

    def clear(self) -> None:
        with self._lock:
            self._walks.clear()
            self._held = 0

    def get(self, key: tuple[str, int]) -> list[IntArray] | None:
        with self._lock:
            found = self._walks.get(key)
            if found is not None:
                self._walks.move_to_end(key)
            return found

    def put(self, key: tuple[str, int], tiers: list[IntArray]) -> list[IntArray]:
        """Remember ``tiers`` (made read-only) under ``key`` and return them."""
        for tier in tiers:
            tier.flags.writeable = False
        size = sum(int(t.shape[0]) for t in tiers)
        with self._lock:
            if key not in self._walks:
                self._walks[key] = tiers
                self._held += size
            while self._held > self._limit and len(self._walks) > 1:
                _, dropped = self._walks.popitem(last=False)
                self._held -= sum(int(t.shape[0]) for t in dropped)
            return self._walks.get(key, tiers)


@dataclass(frozen=True)
class ChainTiers:
    """Tier adjacency of one compiled data version, and the order tiers are shown in.

    Only links backed by a supply-link row count (a site feeding its own need is not a tier).
    """

    chain: CompiledChain
    site_up: Adjacency  # receiving site → its supplier sites
    site_down: Adjacency  # supplier site → the sites it supplies
    node_up: Adjacency  # node (site, item) → the nodes supplying its BOM inputs at its site
    item_sources: Adjacency  # item (as vertex) → nodes supplying it to anyone
    bom_children: Adjacency  # item → its BOM inputs
    site_rank: IntArray  # display order: by name, then id
    node_rank: IntArray  # display order: by site, then item name, then item id
    site_index: dict[str, int]  # site id → index
    item_index: dict[str, int]  # item id → index

    @classmethod
    def build(cls, chain: CompiledChain) -> ChainTiers:
        """Derive the adjacency from ``chain`` (linear in links and BOM lines)."""
        ext = ~chain.link_internal
        src_node, slot = chain.link_src[ext], chain.link_slot[ext]
        supplier, receiver = chain.node_site[src_node], chain.slot_site[slot]
        n_sites, n_items = len(chain.site_ids), len(chain.item_ids)
        n_nodes, n_slots = chain.n_nodes, chain.n_slots

        slot_to_src = sp.csr_matrix(
            (np.ones(src_node.shape[0]), (slot, src_node)), shape=(n_slots, n_nodes)
        )
        inputs = chain.node_inputs.copy()
        inputs.data = np.ones_like(inputs.data)
        node_graph = (inputs @ slot_to_src).tocoo()
        bom = chain.bom.tocoo()

        item_rank = _display_rank(chain.item_names, chain.item_ids)
        site_rank = _display_rank(chain.site_names, chain.site_ids)
        node_order = np.lexsort((item_rank[chain.node_item], site_rank[chain.node_site])).astype(
            np.int64
        )
        node_rank = np.empty(n_nodes, dtype=np.int64)
        node_rank[node_order] = np.arange(n_nodes, dtype=np.int64)
        n_vertices = max(n_items, n_nodes)
        return cls(
            chain=chain,
            site_up=Adjacency.from_edges(receiver, supplier, n_sites),
            site_down=Adjacency.from_edges(supplier, receiver, n_sites),
            node_up=Adjacency.from_edges(
                node_graph.row.astype(np.int64), node_graph.col.astype(np.int64), n_nodes
            ),
            item_sources=Adjacency.from_edges(chain.slot_item[slot], src_node, n_vertices),
            bom_children=Adjacency.from_edges(
                bom.row.astype(np.int64), bom.col.astype(np.int64), max(n_items, 1)
            ),
            site_rank=site_rank,
            node_rank=node_rank,
            site_index={key: i for i, key in enumerate(chain.site_ids)},
            item_index={key: i for i, key in enumerate(chain.item_ids)},
        )

    walks: WalkMemo = field(default_factory=WalkMemo, compare=False, repr=False)

    def site_tiers(self, site: int, *, upstream: bool) -> list[IntArray]:
        """Sites upstream (suppliers, their suppliers, …) or downstream of ``site``, by tier,
        each tier in display order (read-only arrays, remembered per data version)."""
        key = ("up" if upstream else "down", site)
        found = self.walks.get(key)
        if found is None:
            graph = self.site_up if upstream else self.site_down
            tiers = bfs_tiers(graph, np.array([site], dtype=np.int64))
            found = self.walks.put(
                key, [t[np.argsort(self.site_rank[t], kind="stable")] for t in tiers]
            )
        return found

    def item_tiers(self, item: int) -> list[IntArray]:
        """Nodes (site, item) upstream of ``item`` along the bill of materials, by tier.

        Tier 1: the nodes that supply the item, or, for an item nobody supplies (made
        in-house), the nodes that supply its BOM inputs. Tier n+1: the nodes that supply a
        tier-n node's site with a BOM input of that node's item. Read-only arrays, remembered
        per data version.
        """
        key = ("item", item)
        found = self.walks.get(key)
        if found is not None:
            return found
        first = np.unique(self.item_sources.neighbours(np.array([item], dtype=np.int64)))
        if not first.size:
            children = self.bom_children.neighbours(np.array([item], dtype=np.int64))
            first = np.unique(self.item_sources.neighbours(children))
        tiers = [first, *bfs_tiers(self.node_up, first)] if first.size else []
        return self.walks.put(key, [t[np.argsort(self.node_rank[t], kind="stable")] for t in tiers])


_lock = threading.Lock()
_cache: dict[str, ChainTiers] = {}


def chain_tiers(chain: CompiledChain) -> ChainTiers:
    """The :class:`ChainTiers` of ``chain``, built once per data version per process."""
    found = _cache.get(chain.version)
    if found is not None and found.chain is chain:
        return found
    with _lock:
        found = _cache.get(chain.version)
        if found is None or found.chain is not chain:
            found = ChainTiers.build(chain)
            _cache.clear()  # one data version is live at a time
            _cache[chain.version] = found
        return found


def cached_tiers(version: str) -> ChainTiers | None:
    """The :class:`ChainTiers` already built for data ``version`` in this process, if any."""
    return _cache.get(version) if version else None
