"""Value flows for multi-tier exposure: who adds how much of each node's value.

The rule (docs/decisions/0060-exposure-semantics.md):

- A slot's value comes from its suppliers by *value* share when every link into it states an
  annual value, else by volume share (``link_share``), else equally.
- A node's value comes from its input slots and from its own value added. Input weights are,
  in order of preference: per-unit (BOM quantity × the slot's unit price, against the node's
  unit price) when every input has a unit price; annual flows (the slot's annual purchase value
  against the node's annual sales) when every input has an annual value; else equal weights
  with no value added. Unit prices come from demand (our products) or from link value ÷ volume.
- Value added (never negative) belongs to the node's own country; a node with no visible
  inputs (a raw material, an opaque supplier) is all value added.

So every node's value splits exactly into shares that sum to 1, and the origin of a product's
value is the Leontief-style solution X = A·X + diag(va)·C, found level by level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.exposure.graph import Structure, level_rows
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

WEEKS_PER_YEAR = 52.0
METHOD_NONE, METHOD_UNIT, METHOD_FLOW, METHOD_EQUAL = 0, 1, 2, 3
METHODS = ("no_inputs", "unit_price", "annual_flow", "equal_split")
_BLOCK_CELLS = 1 << 25  # dense cells per propagation block (256 MB of float64)


@dataclass(eq=False)
class ValueFlows:
    """How each node's value splits over its suppliers and its own value added."""

    coefficients: sp.csr_matrix
    """nodes × nodes: share of the row node's value that comes from the column node."""
    value_added: FloatArray
    """Share of each node's value added at the node itself (0–1)."""
    method: npt.NDArray[np.int8]
    """Per node, which rule gave its input weights (index into METHODS)."""
    inputs_exceed_price: BoolArray
    """Nodes whose inputs cost more than their own price (value added clipped to 0)."""


def _safe_div(a: FloatArray, b: FloatArray) -> FloatArray:
    out = np.full(a.shape, np.nan)
    ok = np.isfinite(a) & np.isfinite(b) & (b > 0)
    out[ok] = a[ok] / b[ok]
    return out


def _group_sum(index: IntArray, weights: FloatArray, size: int) -> FloatArray:
    return np.bincount(index, weights=weights, minlength=size).astype(np.float64)


def value_flows(chain: CompiledChain, structure: Structure) -> ValueFlows:
    """Split every node's value over its suppliers (see the module docstring for the rule)."""
    n, s = chain.n_nodes, chain.n_slots
    src, slot = chain.link_src, chain.link_slot
    value = chain.link_value
    has_value = np.isfinite(value)

    # Node unit price and annual sales.
    dn = chain.demand_node
    revenue_week = np.nan_to_num(chain.demand_per_week * chain.demand_unit_price)
    demand_units = _group_sum(dn, chain.demand_per_week, n)
    price = _safe_div(_group_sum(dn, revenue_week, n), demand_units)
    priced_link = has_value & np.isfinite(chain.link_volume) & (chain.link_volume > 0)
    link_unit = _safe_div(value, chain.link_volume)
    from_links = _safe_div(
        _group_sum(src[priced_link], value[priced_link], n),
        _group_sum(src[priced_link], chain.link_volume[priced_link], n),
    )
    price = np.where(np.isfinite(price), price, from_links)
    sales = _group_sum(src[has_value], value[has_value], n) + WEEKS_PER_YEAR * _group_sum(
        dn, revenue_week, n
    )
    sales[sales <= 0] = np.nan

    # Slot → supplier weights, and the slot's unit price and annual value.
    links_per_slot = np.bincount(slot, minlength=s)
    valued_per_slot = np.bincount(slot[has_value], minlength=s)
    all_valued = (links_per_slot > 0) & (valued_per_slot == links_per_slot)
    value_total = _group_sum(slot[has_value], value[has_value], s)
    share_total = _group_sum(slot, chain.link_share, s)
    by_value = all_valued[slot] & (value_total[slot] > 0)
    by_share = ~by_value & (share_total[slot] > 0)
    w = np.where(
        by_value,
        np.nan_to_num(value) / np.where(value_total[slot] > 0, value_total[slot], 1.0),
        np.where(
            by_share,
            chain.link_share / np.where(share_total[slot] > 0, share_total[slot], 1.0),
            1.0 / np.maximum(links_per_slot[slot], 1),
        ),
    )
    source_weights = sp.csr_matrix((w, (slot, src)), shape=(s, n))
    source_weights.sum_duplicates()

    unit = np.where(np.isfinite(link_unit), link_unit, price[src])
    known_unit = np.isfinite(unit)
    share_known = _group_sum(slot[known_unit], chain.link_share[known_unit], s)
    slot_price = _safe_div(
        _group_sum(slot[known_unit], chain.link_share[known_unit] * unit[known_unit], s),
        share_known,
    )
    share_valued = _group_sum(slot[has_value], chain.link_share[has_value], s)
    slot_annual = np.where(
        all_valued,
        value_total,
        _safe_div(value_total, share_valued) * np.where(share_total > 0, share_total, np.nan),
    )

    # Node → input-slot weights.
    inp = structure.inputs.tocoo()
    rows, cols = inp.row.astype(np.int64), inp.col.astype(np.int64)
    # scipy answers an empty fancy index with a matrix, not an empty array.
    qty = (
        np.asarray(chain.node_inputs[rows, cols], dtype=np.float64).ravel()
        if rows.shape[0]
        else np.zeros(0)
    )
    n_inputs = np.bincount(rows, minlength=n)
    w_unit = qty * slot_price[cols]
    unit_ok = np.bincount(rows[np.isfinite(w_unit)], minlength=n) == n_inputs
    consumer_qty = _group_sum(cols, qty, s)
    w_flow = slot_annual[cols] * qty / np.where(consumer_qty[cols] > 0, consumer_qty[cols], 1.0)
    flow_ok = np.bincount(rows[np.isfinite(w_flow)], minlength=n) == n_inputs

    method = np.full(n, METHOD_EQUAL, dtype=np.int8)
    method[flow_ok] = METHOD_FLOW
    method[unit_ok] = METHOD_UNIT
    method[n_inputs == 0] = METHOD_NONE
    m = method[rows]
    weight = np.where(
        m == METHOD_UNIT,
        np.nan_to_num(w_unit),
        np.where(m == METHOD_FLOW, np.nan_to_num(w_flow), 1.0),
    )
    weight_total = _group_sum(rows, weight, n)
    denominator = np.where(
        method == METHOD_UNIT, price, np.where(method == METHOD_FLOW, sales, np.nan)
    )
    exceed = np.isfinite(denominator) & (weight_total > denominator * (1 + 1e-9))
    use_denominator = np.isfinite(denominator) & ~exceed & (denominator > 0)
    scale = np.where(use_denominator, denominator, weight_total)
    scale = np.where(scale > 0, scale, 1.0)
    input_share = sp.csr_matrix((weight / scale[rows], (rows, cols)), shape=(n, s))
    zero_total = (n_inputs > 0) & (weight_total <= 0)
    if zero_total.any():
        # Inputs whose stated value is zero still carry the node: split it equally.
        fix = zero_total[rows]
        input_share = sp.csr_matrix(
            (
                np.where(fix, 1.0 / np.maximum(n_inputs[rows], 1), weight / scale[rows]),
                (rows, cols),
            ),
            shape=(n, s),
        )
        method[zero_total] = METHOD_EQUAL
    coefficients = (input_share @ source_weights).tocsr()
    value_added = np.clip(1.0 - np.asarray(coefficients.sum(axis=1)).ravel(), 0.0, 1.0)
    value_added[n_inputs == 0] = 1.0
    return ValueFlows(coefficients, value_added, method, exceed & (n_inputs > 0))


def propagate(
    structure: Structure,
    coefficients: sp.csr_matrix,
    init: Callable[[IntArray], FloatArray],
    n_cols: int,
    hold: Callable[[IntArray], BoolArray] | None = None,
) -> FloatArray:
    """Solve X = A·X + B level by level (A nilpotent along levels); returns X (nodes × n_cols).

    ``init(rows)`` gives B's rows; where ``hold(rows)`` is true the row keeps B's value and does
    not take its suppliers' (used for "passes through a tagged item").
    """
    n = coefficients.shape[0]
    x = np.zeros((n, n_cols))
    for d in range(structure.depth):
        rows = level_rows(structure, d)
        b = init(rows)
        block = b if d == 0 else coefficients[rows] @ x + b
        if hold is not None:
            block = np.where(hold(rows), b, block)
        x[rows] = block
    return x


def origin_shares(
    chain: CompiledChain,
    structure: Structure,
    flows: ValueFlows,
    targets: IntArray,
    column_of_node: IntArray,
    n_cols: int,
    keep: IntArray | None = None,
    own_out: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Share of each target's *input* value from each column (country, org…), and input share.

    Returns (targets × n_cols shares summing to 1 over a target's inputs — zero rows for a
    target without visible inputs —, each target's input share of its own value, and the origin
    shares of the whole value of the ``keep`` nodes). When ``own_out`` (one per node) is given,
    it receives each node's share of its whole value from its own column, as
    :func:`own_origin_share` computes it, at no extra solve.
    """
    n = chain.n_nodes
    a = flows.coefficients
    input_share = np.asarray(a[targets].sum(axis=1)).ravel()
    out = np.zeros((targets.shape[0], n_cols))
    keep = np.zeros(0, dtype=np.int64) if keep is None else keep
    kept = np.zeros((keep.shape[0], n_cols))
    block = max(1, _BLOCK_CELLS // max(n, 1))
    for lo in range(0, n_cols, block):
        hi = min(n_cols, lo + block)
        cols = column_of_node - lo
        inside = (cols >= 0) & (cols < hi - lo)

        def init(
            rows: IntArray, cols: IntArray = cols, inside: BoolArray = inside, width: int = hi - lo
        ) -> FloatArray:
            b = np.zeros((rows.shape[0], width))
            ok = inside[rows]
            b[np.flatnonzero(ok), cols[rows][ok]] = flows.value_added[rows][ok]
            return b

        x = propagate(structure, a, init, hi - lo)
        out[:, lo:hi] = a[targets] @ x
        kept[:, lo:hi] = x[keep]
        if own_out is not None:
            where = np.flatnonzero(inside)
            own_out[where] = x[where, cols[where]]
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(input_share[:, None] > 0, out / input_share[:, None], 0.0)
    return shares, input_share, kept


def tagged_value_share(
    structure: Structure, flows: ValueFlows, tagged: BoolArray, targets: IntArray
) -> FloatArray:
    """targets × tags: share of each target's input value that embeds an item with the tag."""
    a = flows.coefficients
    k = tagged.shape[1]
    z = propagate(
        structure,
        a,
        lambda rows: tagged[rows].astype(np.float64),
        k,
        hold=lambda rows: tagged[rows],
    )
    input_share = np.asarray(a[targets].sum(axis=1)).ravel()
    reached = a[targets] @ z
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(input_share[:, None] > 0, reached / input_share[:, None], 0.0)


def reaches(structure: Structure, tagged: BoolArray, targets: IntArray) -> BoolArray:
    """targets × tags: True when a target needs a tagged item at any tier (structure only)."""
    pattern = (structure.inputs @ structure.slot_sources).tocsr().astype(np.float64)
    # Row-normalised so values stay within [0, 1] however many paths there are.
    counts = np.diff(pattern.indptr)
    pattern.data = 1.0 / np.repeat(np.maximum(counts, 1), counts)
    z = propagate(
        structure,
        pattern,
        lambda rows: tagged[rows].astype(np.float64),
        tagged.shape[1],
        hold=lambda rows: tagged[rows],
    )
    return np.asarray(pattern[targets] @ z) > 0


def own_origin_share(
    structure: Structure, flows: ValueFlows, node_col: IntArray, n_cols: int
) -> FloatArray:
    """Per node: the share of its whole value originating in its own column (e.g. country).

    Only nodes whose column is in 0…n_cols-1 get a value (others 0). Solved in column blocks
    like :func:`origin_shares` to bound memory.
    """
    n = node_col.shape[0]
    out = np.zeros(n)
    block = max(1, _BLOCK_CELLS // max(n, 1))
    for lo in range(0, n_cols, block):
        hi = min(n_cols, lo + block)
        cols = node_col - lo
        inside = (cols >= 0) & (cols < hi - lo)

        def init(
            rows: IntArray, cols: IntArray = cols, inside: BoolArray = inside, width: int = hi - lo
        ) -> FloatArray:
            b = np.zeros((rows.shape[0], width))
            ok = inside[rows]
            b[np.flatnonzero(ok), cols[rows][ok]] = flows.value_added[rows][ok]
            return b

        x = propagate(structure, flows.coefficients, init, hi - lo)
        where = np.flatnonzero(inside)
        out[where] = x[where, cols[where]]
    return out


def entry_weights(
    flows: ValueFlows, targets: IntArray, target_col: IntArray, node_col: IntArray
) -> sp.csr_matrix:
    """targets × nodes: how much of each target's value reaches a node of the target's column
    (e.g. its top foreign country) *first*, through nodes of other columns only.

    A target's value from column c splits exactly by where c enters its chain: the entry node's
    weight here times the c-origin share of the entry node's own value (:func:`own_origin_share`)
    summed over entry nodes gives the target's c value. Targets with column -1 get empty rows.
    All targets descend together, one sparse product per tier.
    """
    a = flows.coefficients
    shape = (targets.shape[0], a.shape[0])
    traced = (target_col >= 0).astype(np.float64)
    w = (sp.diags(traced) @ a[targets]).tocsr()
    w.eliminate_zeros()
    found = sp.csr_matrix(shape)
    while w.nnz:
        rows = np.repeat(np.arange(shape[0]), np.diff(w.indptr))
        entry = node_col[w.indices] == target_col[rows]
        found = found + sp.csr_matrix((w.data[entry], (rows[entry], w.indices[entry])), shape=shape)
        rest = ~entry
        w = (sp.csr_matrix((w.data[rest], (rows[rest], w.indices[rest])), shape=shape) @ a).tocsr()
        w.eliminate_zeros()
    return found.tocsr()
