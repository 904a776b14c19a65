"""Single points of failure under the AND/OR semantics of DESIGN.md §4.

For a disruption of one *element* (a site, an organisation or a country: every node belonging
to it is lost at once), a node is lost when it belongs to the element or when any of its input
slots is lost (AND over inputs); a slot is lost when every one of its qualified sources is lost
(OR over sources). For one element at a time this gives, exactly, the label recursion

    lost_by(node) = {element(node)} ∪ ⋃_{input slots} lost_by(slot)
    lost_by(slot) = ⋂_{qualified sources} lost_by(source)

which we evaluate level by level as sparse matrix products: a union is a product followed by
"> 0", an intersection over m sources is a product whose count equals m. One pass answers
"which elements stop this node" for every node and element together, instead of one graph
search per element.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.exposure.graph import Structure
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


def _rows(m: sp.csr_matrix, rows: IntArray, n_cols: int) -> sp.csr_matrix:
    """Rows of ``m`` whose column indices are known to be < ``n_cols``, as a narrower matrix."""
    sub = m[rows]
    return sp.csr_matrix((sub.data, sub.indices, sub.indptr), shape=(rows.shape[0], n_cols))


class _Growing:
    """A CSR matrix built one block of rows at a time."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.indptr: list[IntArray] = [np.zeros(1, dtype=np.int64)]
        self.indices: list[npt.NDArray[np.int32]] = []
        self.n_rows = 0
        self.nnz = 0
        self._cache: sp.csr_matrix | None = None

    def append(self, block: sp.csr_matrix) -> None:
        block.sort_indices()
        self.indptr.append(block.indptr[1:].astype(np.int64) + self.nnz)
        self.indices.append(block.indices.astype(np.int32))
        self.n_rows += block.shape[0]
        self.nnz += int(block.nnz)
        self._cache = None

    def matrix(self) -> sp.csr_matrix:
        if self._cache is None:
            indices = np.concatenate(self.indices) if self.indices else np.zeros(0, np.int32)
            self._cache = sp.csr_matrix(
                (np.ones(indices.shape[0], dtype=np.int32), indices, np.concatenate(self.indptr)),
                shape=(self.n_rows, self.n_cols),
            )
        return self._cache


def lost_by(
    chain: CompiledChain, structure: Structure, element: IntArray, n_elements: int
) -> sp.csr_matrix:
    """nodes × elements, 1 where disrupting the element alone makes the node unproducible."""
    n, s = chain.n_nodes, chain.n_slots
    order = structure.node_order
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    slot_order = np.argsort(structure.slot_level, kind="stable").astype(np.int64)
    slot_pos = np.empty(s, dtype=np.int64)
    slot_pos[slot_order] = np.arange(s)
    sorted_levels = structure.slot_level[slot_order]

    # Re-number columns into processing order so that everything a level needs is a prefix.
    inputs = structure.inputs.copy()
    inputs.indices = slot_pos[inputs.indices].astype(inputs.indices.dtype)
    inputs.has_sorted_indices = False
    sources = structure.qualified_sources.copy()
    sources.indices = pos[sources.indices].astype(sources.indices.dtype)
    sources.has_sorted_indices = False
    n_sources = np.diff(structure.qualified_sources.indptr)

    nodes = _Growing(n_elements)
    slots = _Growing(n_elements)
    first = int(np.searchsorted(sorted_levels, 0, side="left"))
    slots.append(sp.csr_matrix((first, n_elements), dtype=np.int32))  # unsupplied: never lost
    for d in range(structure.depth):
        rows = order[structure.level_ptr[d] : structure.level_ptr[d + 1]]
        own = sp.csr_matrix(
            (np.ones(rows.shape[0], dtype=np.int32), (np.arange(rows.shape[0]), element[rows])),
            shape=(rows.shape[0], n_elements),
        )
        if slots.n_rows:
            block = (_rows(inputs, rows, slots.n_rows) @ slots.matrix() + own).tocsr()
            block.data[:] = 1
        else:
            block = own
        nodes.append(block)

        lo, hi = slots.n_rows, int(np.searchsorted(sorted_levels, d, side="right"))
        srows = slot_order[lo:hi]
        counts = (_rows(sources, srows, nodes.n_rows) @ nodes.matrix()).tocsr()
        need = np.repeat(n_sources[srows], np.diff(counts.indptr))
        counts.data = (counts.data == need).astype(np.int32)
        counts.eliminate_zeros()
        slots.append(counts)

    result = nodes.matrix()
    # Back from processing order to node order.
    return result[pos]


def loss_table(
    chain: CompiledChain, structure: Structure, kind: str
) -> tuple[LossTable, sp.csr_matrix]:
    """The loss table for one element kind, and the full nodes × elements matrix behind it."""
    element, ids = element_of_nodes(chain, kind)
    lost = lost_by(chain, structure, element, len(ids))
    products, revenue, margin = product_money(chain)
    stops = lost[products].T.tocsr()
    nodes_lost = np.bincount(lost.indices, minlength=len(ids)).astype(np.int64)
    table = LossTable(
        kind=kind,
        element_ids=ids,
        product_nodes=products,
        stops=stops,
        nodes_lost=nodes_lost,
        revenue_per_week=np.asarray(stops @ revenue, dtype=np.float64),
        margin_per_week=np.asarray(stops @ margin, dtype=np.float64),
    )
    return table, lost


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
