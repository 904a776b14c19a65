"""Single points of failure under the AND/OR semantics of DESIGN.md §4.

For a disruption of one *element* (a site, an organisation or a country: every node belonging
to it is lost at once), a node is lost when it belongs to the element or when any of its input
slots is lost (AND over inputs); a slot is lost when every one of its qualified sources is lost
(OR over sources). For one element at a time this gives, exactly, the label recursion

    lost_by(node) = {element(node)} ∪ ⋃_{input slots} lost_by(slot)
    lost_by(slot) = ⋂_{qualified sources} lost_by(source)

which we evaluate in one pass over the nodes in supply order (decision 0065): a union keeps
the elements not seen yet, an intersection over m sources keeps the elements all m hold. One
pass answers "which elements stop this node" for every node and element together, instead of
one graph search per element.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.exposure.graph import Structure
from econsec.exposure.jit import jit
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ELEMENT_KINDS = ("site", "org", "country")


@dataclass(eq=False)
class LossTable:
    """Which products each element stops on its own, and what that costs per week."""

    kind: str  # one of ELEMENT_KINDS
    element_ids: list[str]
    product_nodes: IntArray
    """The products: nodes with demand, in ascending node order."""
    stops: sp.csr_matrix
    """elements × products, 1 where disrupting the element alone makes the product unproducible."""
    nodes_lost: IntArray
    """Per element: how many nodes (items at sites) become unproducible, its own included."""
    revenue_per_week: FloatArray
    margin_per_week: FloatArray

    def ranking(self) -> IntArray:
        """Elements by revenue at risk, then margin, then nodes lost (largest first)."""
        return np.lexsort((-self.nodes_lost, -self.margin_per_week, -self.revenue_per_week))


def element_of_nodes(chain: CompiledChain, kind: str) -> tuple[IntArray, list[str]]:
    """The element index of every node and the element ids for ``kind``."""
    if kind == "site":
        return chain.node_site.astype(np.int64), list(chain.site_ids)
    if kind == "org":
        return chain.node_org.astype(np.int64), list(chain.org_ids)
    if kind == "country":
        return chain.node_country.astype(np.int64), list(chain.countries)
    raise ValueError(f"unknown element kind {kind!r}; expected one of {ELEMENT_KINDS}")


Int32Array = npt.NDArray[np.int32]


@jit
def _grow(buf: Int32Array, need: int) -> Int32Array:
    grown = np.empty(max(need, 2 * buf.shape[0]), dtype=np.int32)
    grown[: buf.shape[0]] = buf
    return grown


@jit
def _lost_sets(
    order: IntArray,
    in_ptr: IntArray,
    in_slot: IntArray,
    src_ptr: IntArray,
    src_node: IntArray,
    own: IntArray,
    n_elements: int,
) -> tuple[Int32Array, IntArray, IntArray, IntArray]:
    """Every node's set of elements that stop it, as slices ``buf[lo:hi]`` of one buffer.

    Nodes are visited in ``order`` (suppliers first). A slot's set is made when its first user
    needs it: a single-source slot shares its source's slice; a multi-source slot keeps the
    elements of its smallest source's set that every other source's set also holds. A node's
    set is its own element plus its input slots' sets without repeats. ``mark`` stamps the
    elements seen in the current union or intersection, so neither needs sorted sets.
    """
    n = order.shape[0]
    n_slots = src_ptr.shape[0] - 1
    buf = np.empty(max(16, 8 * n), dtype=np.int32)
    used = 0
    node_lo = np.zeros(n, dtype=np.int64)
    node_hi = np.zeros(n, dtype=np.int64)
    slot_lo = np.zeros(n_slots, dtype=np.int64)
    slot_hi = np.zeros(n_slots, dtype=np.int64)
    slot_done = np.zeros(n_slots, dtype=np.bool_)
    mark = np.full(n_elements, -1, dtype=np.int64)
    count = np.zeros(n_elements, dtype=np.int64)
    per_element = np.zeros(n_elements, dtype=np.int64)
    tick = 0
    for k in range(n):
        v = order[k]
        need = 1
        for p in range(in_ptr[v], in_ptr[v + 1]):
            slot = in_slot[p]
            if not slot_done[slot]:
                slot_done[slot] = True
                a, b = src_ptr[slot], src_ptr[slot + 1]
                best = src_node[a]
                if b - a == 1:
                    slot_lo[slot], slot_hi[slot] = node_lo[best], node_hi[best]
                else:
                    for q in range(a + 1, b):
                        u = src_node[q]
                        if node_hi[u] - node_lo[u] < node_hi[best] - node_lo[best]:
                            best = u
                    tick += 1
                    for i in range(node_lo[best], node_hi[best]):
                        mark[buf[i]] = tick
                        count[buf[i]] = 0
                    for q in range(a, b):
                        u = src_node[q]
                        for i in range(node_lo[u], node_hi[u]):
                            if mark[buf[i]] == tick:
                                count[buf[i]] += 1
                    if used + node_hi[best] - node_lo[best] > buf.shape[0]:
                        buf = _grow(buf, used + node_hi[best] - node_lo[best])
                    slot_lo[slot] = used
                    for i in range(node_lo[best], node_hi[best]):
                        if count[buf[i]] == b - a:
                            buf[used] = buf[i]
                            used += 1
                    slot_hi[slot] = used
            need += slot_hi[slot] - slot_lo[slot]
        if used + need > buf.shape[0]:
            buf = _grow(buf, used + need)
        tick += 1
        node_lo[v] = used
        mark[own[v]] = tick
        buf[used] = own[v]
        used += 1
        for p in range(in_ptr[v], in_ptr[v + 1]):
            slot = in_slot[p]
            for i in range(slot_lo[slot], slot_hi[slot]):
                if mark[buf[i]] != tick:
                    mark[buf[i]] = tick
                    buf[used] = buf[i]
                    used += 1
        node_hi[v] = used
        for i in range(node_lo[v], used):
            per_element[buf[i]] += 1
    return buf[:used], node_lo, node_hi, per_element


@jit
def _sorted_rows(
    buf: Int32Array, lo: IntArray, hi: IntArray, nodes: IntArray
) -> tuple[IntArray, Int32Array]:
    """CSR pointers and sorted column indices of the sets of ``nodes``."""
    indptr = np.zeros(nodes.shape[0] + 1, dtype=np.int64)
    for r in range(nodes.shape[0]):
        indptr[r + 1] = indptr[r] + hi[nodes[r]] - lo[nodes[r]]
    indices = np.empty(indptr[-1], dtype=np.int32)
    for r in range(nodes.shape[0]):
        row = indices[indptr[r] : indptr[r + 1]]
        row[:] = buf[lo[nodes[r]] : hi[nodes[r]]]
        row.sort()
    return indptr, indices


@dataclass(eq=False)
class _LostSets:
    """Every node's set of elements that stop it, as slices of one buffer."""

    buf: Int32Array
    node_lo: IntArray
    node_hi: IntArray
    per_element: IntArray
    """How many nodes each element stops, its own included."""

    def rows(self, nodes: IntArray, n_elements: int) -> sp.csr_matrix:
        """``nodes`` × elements, 1 where the element alone stops the node (sorted indices)."""
        indptr, indices = _sorted_rows(self.buf, self.node_lo, self.node_hi, nodes)
        return sp.csr_matrix(
            (np.ones(indices.shape[0], dtype=np.int32), indices, indptr),
            shape=(nodes.shape[0], n_elements),
        )


def _propagate(
    chain: CompiledChain, structure: Structure, element: IntArray, n_elements: int
) -> _LostSets:
    inputs, sources = structure.inputs, structure.qualified_sources
    buf, lo, hi, per_element = _lost_sets(
        structure.node_order.astype(np.int64),
        inputs.indptr.astype(np.int64),
        inputs.indices.astype(np.int64),
        sources.indptr.astype(np.int64),
        sources.indices.astype(np.int64),
        element.astype(np.int64),
        n_elements,
    )
    return _LostSets(buf, lo, hi, per_element)


def lost_by(
    chain: CompiledChain, structure: Structure, element: IntArray, n_elements: int
) -> sp.csr_matrix:
    """nodes × elements, 1 where disrupting the element alone makes the node unproducible."""
    sets = _propagate(chain, structure, element, n_elements)
    return sets.rows(np.arange(chain.n_nodes, dtype=np.int64), n_elements)


def loss_table(chain: CompiledChain, structure: Structure, kind: str) -> LossTable:
    """The loss table for one element kind (which products each element stops on its own)."""
    element, ids = element_of_nodes(chain, kind)
    sets = _propagate(chain, structure, element, len(ids))
    products, revenue, margin = product_money(chain)
    stops = sets.rows(products, len(ids)).T.tocsr()
    return LossTable(
        kind=kind,
        element_ids=ids,
        product_nodes=products,
        stops=stops,
        nodes_lost=sets.per_element,
        revenue_per_week=np.asarray(stops @ revenue, dtype=np.float64),
        margin_per_week=np.asarray(stops @ margin, dtype=np.float64),
    )


def product_money(chain: CompiledChain) -> tuple[IntArray, FloatArray, FloatArray]:
    """Products (nodes with demand) and their weekly revenue and margin over all markets.

    Money the compile step could not convert (NaN) counts as zero here; compile has already
    warned about the missing exchange rate.
    """
    products = np.unique(chain.demand_node).astype(np.int64)
    where = np.searchsorted(products, chain.demand_node)
    revenue = np.bincount(
        where,
        weights=np.nan_to_num(chain.demand_per_week * chain.demand_unit_price),
        minlength=products.shape[0],
    )
    margin = np.bincount(
        where,
        weights=np.nan_to_num(chain.demand_per_week * chain.demand_unit_margin),
        minlength=products.shape[0],
    )
    return products, revenue.astype(np.float64), margin.astype(np.float64)
