"""The dependency structure every exposure metric walks: levels, sources and inputs.

Nodes are put in *levels*: a node with no supplied inputs is level 0, any other node is one
level above the highest of its suppliers. Processing level by level lets each metric be a few
sparse matrix products per level instead of a Python loop per node, and doubles as the cycle
check: a node that never gets a level sits on (or downstream of) a supply cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from econsec.exposure.problems import ExposureError, ExposureWarning
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_MAX_NAMED = 8


@dataclass(eq=False)
class Structure:
    """Levels of nodes and slots, and the incidence matrices the metrics share."""

    node_level: IntArray
    node_order: IntArray
    """Nodes sorted by level; ``node_order[level_ptr[d]:level_ptr[d+1]]`` is level ``d``."""
    level_ptr: IntArray
    slot_level: IntArray
    """Highest level among a slot's suppliers; -1 for a slot nobody supplies."""
    inputs: sp.csr_matrix
    """nodes × slots pattern (1) of the input slots that have at least one supply link."""
    slot_sources: sp.csr_matrix
    """slots × nodes pattern (1) of every supply link."""
    qualified_sources: sp.csr_matrix
    """slots × nodes pattern (1) of qualified links (all links where a slot has none qualified)."""
    warnings: list[ExposureWarning]
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    """Derived arrays a metric builds once per structure and reuses (e.g. for every kind)."""

    @property
    def depth(self) -> int:
        return int(self.level_ptr.shape[0] - 1)


def _csr_from_keys(keys: IntArray, shift: int, shape: tuple[int, int]) -> sp.csr_matrix:
    """The 0/1 CSR pattern of sorted, distinct keys ``row << shift | col``."""
    n_rows, n_cols = shape
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys >> shift, minlength=n_rows), out=indptr[1:])
    index_type = np.int32 if max(n_rows, n_cols, keys.shape[0]) < 2**31 else np.int64
    return sp.csr_matrix(
        (
            np.ones(keys.shape[0], dtype=np.int32),
            (keys & ((1 << shift) - 1)).astype(index_type),
            indptr.astype(index_type),
        ),
        shape=shape,
    )


def _link_patterns(
    link_slot: IntArray, link_src: IntArray, use: BoolArray, shape: tuple[int, int]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Patterns of every link and of the links in ``use``, from a single sort.

    The lowest key bit is 0 for a used link, so a (slot, source) pair's first entry after the
    sort tells whether any of its links is used. One sort of combined keys costs several times
    less than scipy's COO route (sum duplicates, convert) at the sizes where calls dominate.
    """
    shift = max(1, int(shape[1] - 1).bit_length())
    keys = (((link_slot << shift) | link_src) << 1) | (~use).astype(np.int64)
    if keys.shape[0] > 1 and not bool((keys[1:] >= keys[:-1]).all()):
        keys.sort()  # compiled links usually come grouped by slot already
    pair = keys >> 1
    first = np.ones(keys.shape[0], dtype=bool)
    np.not_equal(pair[1:], pair[:-1], out=first[1:])
    used = first & ((keys & 1) == 0)
    return (
        _csr_from_keys(pair[first], shift, shape),
        _csr_from_keys(pair[used], shift, shape),
    )


def _supplied_inputs(chain: CompiledChain, supplied: BoolArray) -> sp.csr_matrix:
    """nodes × slots pattern of the input slots somebody supplies."""
    ni = chain.node_inputs
    if not ni.has_canonical_format:
        ni = ni.copy()
        ni.sum_duplicates()
    # Filtering a canonical CSR keeps it canonical: new row pointers are a prefix count.
    keep = supplied[ni.indices]
    kept = np.zeros(keep.shape[0] + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    indices = ni.indices[keep]
    return sp.csr_matrix(
        (np.ones(indices.shape[0], dtype=np.int32), indices, kept[ni.indptr]),
        shape=ni.shape,
    )


def analyse_structure(chain: CompiledChain) -> Structure:
    """Levels and incidence matrices of ``chain``; raises :class:`ExposureError` on a cycle."""
    n, s = chain.n_nodes, chain.n_slots
    warnings: list[ExposureWarning] = []
    link_src = chain.link_src.astype(np.int64)
    link_slot = chain.link_slot.astype(np.int64)

    qualified = chain.link_qualified.astype(bool)
    has_qualified = np.zeros(s, dtype=bool)
    has_qualified[link_slot[qualified]] = True
    # A slot whose every link is unqualified is still being supplied through them; counting it
    # as already lost would mark its users unproducible today, so its links stand in.
    use = qualified | ~has_qualified[link_slot]
    slot_sources, qualified_sources = _link_patterns(link_slot, link_src, use, (s, n))
    supplied = np.diff(slot_sources.indptr) > 0
    for slot in np.flatnonzero(supplied & ~has_qualified)[:_MAX_NAMED]:
        warnings.append(
            ExposureWarning("exposure.graph.no_qualified_source", _slot_params(chain, int(slot)))
        )
    inputs = _supplied_inputs(chain, supplied)

    node_level, slot_level = _levels(inputs, slot_sources)
    if (node_level < 0).any():
        depends = (inputs @ slot_sources).tocsr()  # consumer × supplier
        raise ExposureError("exposure.graph.cycle", nodes=_cycle_labels(chain, depends, node_level))

    order = np.argsort(node_level, kind="stable").astype(np.int64)
    depth = int(node_level.max()) + 1 if n else 0
    level_ptr = np.searchsorted(node_level[order], np.arange(depth + 1)).astype(np.int64)
    return Structure(
        node_level=node_level,
        node_order=order,
        level_ptr=level_ptr,
        slot_level=slot_level,
        inputs=inputs,
        slot_sources=slot_sources,
        qualified_sources=qualified_sources,
        warnings=warnings,
    )


def _levels(inputs: sp.csr_matrix, slot_sources: sp.csr_matrix) -> tuple[IntArray, IntArray]:
    """Longest supplier-path length of every node, and of every slot's highest supplier.

    Kahn's algorithm over the node–slot graph, one level at a time: a node is ready when all
    its supplied input slots are, a slot when all its suppliers are. Nodes left at -1 sit on
    (or downstream of) a cycle; unsupplied slots stay at -1.
    """
    n, s = inputs.shape
    node_level = np.full(n, -1, dtype=np.int64)
    slot_level = np.full(s, -1, dtype=np.int64)
    node_wait = np.diff(inputs.indptr).astype(np.int64)
    slot_wait = np.diff(slot_sources.indptr).astype(np.int64)
    supplies = slot_sources.T.tocsr()  # node → slots it supplies
    consumers = inputs.T.tocsr()  # slot → nodes that need it
    frontier = np.flatnonzero(node_wait == 0)
    d = 0
    while frontier.size:
        node_level[frontier] = d
        touched = _row_entries(supplies, frontier)
        if touched.size == 0:
            break
        slot_wait -= np.bincount(touched, minlength=s)
        ready = _distinct(touched[slot_wait[touched] == 0], s)
        slot_level[ready] = d
        reached = _row_entries(consumers, ready)
        node_wait -= np.bincount(reached, minlength=n)
        frontier = _distinct(reached[node_wait[reached] == 0], n)
        d += 1
    return node_level, slot_level


def _distinct(values: IntArray, size: int) -> IntArray:
    """Distinct values in ascending order, for values below ``size``."""
    seen = np.zeros(size, dtype=bool)
    seen[values] = True
    return np.flatnonzero(seen)


def _row_entries(m: sp.csr_matrix, rows: IntArray) -> IntArray:
    """The column indices of ``rows`` of ``m``, end to end (no scipy indexing overhead)."""
    start = m.indptr[rows].astype(np.int64)
    lens = m.indptr[rows + 1] - start
    if rows.shape[0] == 0 or int(lens.sum()) == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lens)
    flat = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(start - (ends - lens), lens)
    return np.asarray(m.indices[flat], dtype=np.int64)


def _cycle_labels(chain: CompiledChain, depends: sp.csr_matrix, level: IntArray) -> str:
    stuck = np.flatnonzero(level < 0)
    sub = depends[stuck][:, stuck]
    _, labels = connected_components(sub, directed=True, connection="strong")
    sizes = np.bincount(labels)
    self_loop = sub.diagonal() > 0
    cyclic = np.flatnonzero((sizes[labels] > 1) | self_loop)
    members = stuck[cyclic[labels[cyclic] == labels[cyclic[0]]]] if cyclic.size else stuck
    return ", ".join(chain.node_label(int(v)) for v in members[:_MAX_NAMED])


def _slot_params(chain: CompiledChain, slot: int) -> dict[str, str]:
    return {
        "site": chain.site_ids[int(chain.slot_site[slot])],
        "item": chain.item_ids[int(chain.slot_item[slot])],
    }


def level_rows(structure: Structure, d: int) -> IntArray:
    """The nodes at level ``d``."""
    return structure.node_order[structure.level_ptr[d] : structure.level_ptr[d + 1]]
