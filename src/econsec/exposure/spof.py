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
from typing import Any

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


Int32Array = npt.NDArray[np.int32]


def _runs(lens: IntArray) -> tuple[IntArray, IntArray]:
    """For runs of the given lengths laid end to end: each position's run, and each run's start.

    ``np.repeat`` copies run by run; a bincount of the run starts followed by a running sum
    does the same in two vectorised passes, which matters when most runs hold a few elements.
    """
    ends = np.cumsum(lens)
    starts = ends - lens
    total = int(ends[-1]) if ends.shape[0] else 0
    marks = np.bincount(starts, minlength=total)[:total]
    run = np.cumsum(marks) - 1
    return run, starts


def _gather(
    buf: Int32Array, lo: IntArray, hi: IntArray, sets: IntArray, tags: npt.NDArray[Any]
) -> tuple[Int32Array, npt.NDArray[Any]]:
    """The elements of ``sets`` (repeats allowed) end to end, each with its set's tag.

    Both the buffer positions and the tags are running sums of jumps placed at each set's
    first position: a few streaming passes, where ``np.repeat`` or index arithmetic on a run
    number would cost two more gathers per element.
    """
    start = lo[sets]
    lens = hi[sets] - start
    keep = lens > 0
    start, lens, tags = start[keep], lens[keep], tags[keep]
    if lens.shape[0] == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=tags.dtype)
    ends = np.cumsum(lens)
    first = ends - lens
    total = int(ends[-1])
    step = np.ones(total, dtype=np.int64)
    step[first[1:]] = start[1:] - (start[:-1] + lens[:-1] - 1)
    step[0] = start[0]
    jump = np.zeros(total, dtype=tags.dtype)
    jump[first[1:]] = tags[1:] - tags[:-1]
    jump[0] = tags[0]
    return buf[np.cumsum(step, out=step)], np.cumsum(jump, out=jump)


def _key_dtype(n_rows: int, shift: int) -> npt.DTypeLike:
    # Sorting int32 keys moves half the memory of int64 ones; small levels fit.
    return np.int32 if (n_rows << shift) < 2**31 else np.int64


@dataclass(eq=False)
class _Plan:
    """The dependency structure renumbered into processing order, shared by every element kind.

    Nodes are numbered by level, so each level's nodes are one contiguous slice and every set a
    level reads was written by an earlier one. Per level, the slots it completes are split into
    single-source ones (their set *is* the source's set: no copy) and multi-source ones
    (an intersection to compute).
    """

    node_order: IntArray
    node_ptr: IntArray
    """Processing position of the first node of each level (length depth + 1)."""
    in_ptr: IntArray
    in_slot: IntArray
    """Input slots of each node (processing position)."""
    in_row: IntArray
    """The node (processing position) of every input pair."""
    single: list[tuple[IntArray, IntArray]]
    """Per level: single-source slots and their source (processing position)."""
    multi: list[tuple[IntArray, IntArray, IntArray, IntArray]]
    """Per level: multi-source slots, their source counts, and (slot row, source) pairs."""


def _plan(structure: Structure) -> _Plan:
    cached = structure.cache.get("spof_plan")
    if isinstance(cached, _Plan):
        return cached
    order = structure.node_order
    n = order.shape[0]
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    inputs = structure.inputs[order]
    in_ptr = inputs.indptr.astype(np.int64)

    sources = structure.qualified_sources
    n_src = np.diff(sources.indptr).astype(np.int64)
    src_node = pos[sources.indices]
    # Slots by the level that completes them; level -1 (unsupplied) never changes.
    by_level = np.argsort(structure.slot_level, kind="stable").astype(np.int64)
    level_of = structure.slot_level[by_level]
    levels = np.arange(structure.depth + 1)

    one = by_level[n_src[by_level] == 1]
    one_src = src_node[sources.indptr[one]]
    one_cut = np.searchsorted(structure.slot_level[one], levels)
    single = [
        (one[one_cut[d] : one_cut[d + 1]], one_src[one_cut[d] : one_cut[d + 1]])
        for d in range(structure.depth)
    ]

    multi_mask = n_src[by_level] > 1
    many = by_level[multi_mask]
    m = n_src[many]
    many_cut = np.searchsorted(level_of[multi_mask], levels)
    run, pair_start = _runs(m)
    pair_src = src_node[sources.indptr[many][run] + (np.arange(run.shape[0]) - pair_start[run])]
    pair_cut = np.append(pair_start, run.shape[0])[many_cut]
    multi = [
        (
            many[many_cut[d] : many_cut[d + 1]],
            m[many_cut[d] : many_cut[d + 1]],
            run[pair_cut[d] : pair_cut[d + 1]] - many_cut[d],
            pair_src[pair_cut[d] : pair_cut[d + 1]],
        )
        for d in range(structure.depth)
    ]
    plan = _Plan(
        node_order=order,
        node_ptr=structure.level_ptr,
        in_ptr=in_ptr,
        in_slot=inputs.indices.astype(np.int64),
        in_row=np.repeat(np.arange(n, dtype=np.int64), np.diff(in_ptr)),
        single=single,
        multi=multi,
    )
    structure.cache["spof_plan"] = plan
    return plan


class _Store:
    """Element sets in one buffer; a set is the slice ``buf[lo[i]:hi[i]]`` and may be shared."""

    def __init__(self, capacity: int) -> None:
        self.buf = np.empty(max(capacity, 16), dtype=np.int32)
        self.used = 0

    def append(self, row: IntArray, values: IntArray, n_rows: int) -> tuple[IntArray, IntArray]:
        """Store ``values`` grouped by ``row`` (sorted, in 0…n_rows); returns the rows' lo, hi."""
        base = self.used
        end = base + values.shape[0]
        if end > self.buf.shape[0]:
            grown = np.empty(max(end, 2 * self.buf.shape[0]), dtype=np.int32)
            grown[:base] = self.buf[:base]
            self.buf = grown
        self.buf[base:end] = values
        self.used = end
        counts = np.bincount(row, minlength=n_rows)
        hi = base + np.cumsum(counts)
        return hi - counts, hi


@dataclass(eq=False)
class _LostSets:
    """Every node's set of elements that stop it, as slices of one buffer (processing order)."""

    plan: _Plan
    buf: Int32Array
    node_lo: IntArray
    node_hi: IntArray
    per_element: IntArray
    """How many nodes each element stops, its own included."""

    def rows(self, nodes: IntArray, n_elements: int) -> sp.csr_matrix:
        """``nodes`` × elements, 1 where the element alone stops the node (sorted indices)."""
        pos = np.empty(self.plan.node_order.shape[0], dtype=np.int64)
        pos[self.plan.node_order] = np.arange(pos.shape[0])
        at = pos[nodes]
        indices, _ = _gather(self.buf, self.node_lo, self.node_hi, at, np.zeros(at.shape[0]))
        indptr = np.zeros(nodes.shape[0] + 1, dtype=np.int64)
        np.cumsum(self.node_hi[at] - self.node_lo[at], out=indptr[1:])
        return sp.csr_matrix(
            (np.ones(indices.shape[0], dtype=np.int32), indices, indptr),
            shape=(nodes.shape[0], n_elements),
        )


def _propagate(
    chain: CompiledChain, structure: Structure, element: IntArray, n_elements: int
) -> _LostSets:
    n, s = chain.n_nodes, chain.n_slots
    plan = _plan(structure)
    shift = max(1, int(n_elements - 1).bit_length())
    mask = (1 << shift) - 1
    own = element[plan.node_order]
    store = _Store(8 * n)
    node_lo = np.zeros(n, dtype=np.int64)
    node_hi = np.zeros(n, dtype=np.int64)
    slot_lo = np.zeros(s, dtype=np.int64)  # unsupplied slots stay empty: never lost
    slot_hi = np.zeros(s, dtype=np.int64)
    per_element = np.zeros(n_elements, dtype=np.int64)
    for d in range(structure.depth):
        lo, hi = int(plan.node_ptr[d]), int(plan.node_ptr[d + 1])
        dtype = _key_dtype(hi - lo, shift)
        # Union: own element plus every element that loses any input slot.
        a, b = plan.in_ptr[lo], plan.in_ptr[hi]
        rows = (plan.in_row[a:b] - lo).astype(dtype) << shift
        got, tag = _gather(store.buf, slot_lo, slot_hi, plan.in_slot[a:b], rows)
        keys = np.concatenate(
            [
                (np.arange(hi - lo, dtype=dtype) << shift) | own[lo:hi].astype(dtype),
                tag | got.astype(dtype),
            ]
        )
        keys.sort()
        first = np.empty(keys.shape[0], dtype=bool)
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        keys = keys[first]
        values = keys & mask
        per_element += np.bincount(values, minlength=n_elements)
        node_lo[lo:hi], node_hi[lo:hi] = store.append(keys >> shift, values, hi - lo)

        # A single-source slot's set is its source's set.
        one, src = plan.single[d]
        slot_lo[one], slot_hi[one] = node_lo[src], node_hi[src]

        # Intersection: an element loses a slot when it appears in every source's set.
        many, m, pair_slot, pair_src = plan.multi[d]
        if many.shape[0] == 0:
            continue
        dtype = _key_dtype(many.shape[0], shift)
        got, keys = _gather(store.buf, node_lo, node_hi, pair_src, pair_slot.astype(dtype) << shift)
        keys |= got.astype(dtype)
        keys.sort()
        first = np.empty(keys.shape[0], dtype=bool)
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, keys.shape[0]))
        keys = keys[starts]
        row = keys >> shift
        keep = counts == m[row]
        slot_lo[many], slot_hi[many] = store.append(row[keep], keys[keep] & mask, many.shape[0])
    return _LostSets(plan, store.buf, node_lo, node_hi, per_element)


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
