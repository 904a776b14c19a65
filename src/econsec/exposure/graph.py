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

from econsec.exposure.jit import jit
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


def _link_patterns(
    link_slot: IntArray, link_src: IntArray, use: BoolArray, shape: tuple[int, int]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Patterns (slots × nodes, sorted indices) of every link and of the links in ``use``."""
    all_ptr, all_idx, use_ptr, use_idx = _pattern_arrays(link_slot, link_src, use, shape[0])
    return _pattern(all_ptr, all_idx, shape), _pattern(use_ptr, use_idx, shape)


def _pattern(ptr: IntArray, idx: IntArray, shape: tuple[int, int]) -> sp.csr_matrix:
    index_type = np.int32 if max(*shape, idx.shape[0]) < 2**31 else np.int64
    return sp.csr_matrix(
        (np.ones(idx.shape[0], dtype=np.int32), idx.astype(index_type), ptr.astype(index_type)),
        shape=shape,
    )


@jit
def _pattern_arrays(
    link_slot: IntArray, link_src: IntArray, use: BoolArray, n_slots: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Links bucketed by slot, then each slot's few sources sorted and made distinct.

    The key ``source << 1 | unused`` sorts a source's used link first, so the first entry of
    each source tells whether any of its links is used.
    """
    # Each link as a row with its slot as the one column: the transpose buckets links by slot.
    ptr, link = _transpose(np.arange(link_slot.shape[0] + 1), link_slot, n_slots)
    keys = np.empty(link_slot.shape[0], dtype=np.int64)
    for p in range(link.shape[0]):
        keys[p] = (link_src[link[p]] << 1) | (0 if use[link[p]] else 1)
    all_ptr = np.zeros(n_slots + 1, dtype=np.int64)
    use_ptr = np.zeros(n_slots + 1, dtype=np.int64)
    all_idx = np.empty(keys.shape[0], dtype=np.int64)
    use_idx = np.empty(keys.shape[0], dtype=np.int64)
    n_all = n_use = 0
    for slot in range(n_slots):
        run = keys[ptr[slot] : ptr[slot + 1]]
        for i in range(1, run.shape[0]):  # insertion sort: a slot has a handful of links
            key, j = run[i], i - 1
            while j >= 0 and run[j] > key:
                run[j + 1] = run[j]
                j -= 1
            run[j + 1] = key
        for i in range(run.shape[0]):
            if i > 0 and run[i] >> 1 == run[i - 1] >> 1:
                continue
            all_idx[n_all] = run[i] >> 1
            n_all += 1
            if run[i] & 1 == 0:
                use_idx[n_use] = run[i] >> 1
                n_use += 1
        all_ptr[slot + 1] = n_all
        use_ptr[slot + 1] = n_use
    return all_ptr, all_idx[:n_all], use_ptr, use_idx[:n_use]


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

    Nodes left at -1 sit on (or downstream of) a cycle; unsupplied slots stay at -1.
    """
    return _kahn_levels(
        inputs.indptr.astype(np.int64),
        inputs.indices.astype(np.int64),
        slot_sources.indptr.astype(np.int64),
        slot_sources.indices.astype(np.int64),
    )


@jit
def _transpose(ptr: IntArray, idx: IntArray, n_cols: int) -> tuple[IntArray, IntArray]:
    """CSR pointers and indices of the transpose of the pattern (``ptr``, ``idx``)."""
    out_ptr = np.zeros(n_cols + 1, dtype=np.int64)
    for j in idx:
        out_ptr[j + 1] += 1
    for j in range(n_cols):
        out_ptr[j + 1] += out_ptr[j]
    fill = out_ptr[:-1].copy()
    out_idx = np.empty(idx.shape[0], dtype=np.int64)
    for r in range(ptr.shape[0] - 1):
        for p in range(ptr[r], ptr[r + 1]):
            out_idx[fill[idx[p]]] = r
            fill[idx[p]] += 1
    return out_ptr, out_idx


@jit
def _kahn_levels(
    in_ptr: IntArray, in_slot: IntArray, src_ptr: IntArray, src_node: IntArray
) -> tuple[IntArray, IntArray]:
    """Kahn's algorithm over the node–slot graph, keeping the longest path to each vertex.

    A node is ready when all its supplied input slots are, a slot when all its suppliers are.
    """
    n, n_slots = in_ptr.shape[0] - 1, src_ptr.shape[0] - 1
    sup_ptr, sup_slot = _transpose(src_ptr, src_node, n)  # node → slots it supplies
    use_ptr, use_node = _transpose(in_ptr, in_slot, n_slots)  # slot → nodes that need it
    node_wait = in_ptr[1:] - in_ptr[:-1]
    slot_wait = src_ptr[1:] - src_ptr[:-1]
    node_level = np.zeros(n, dtype=np.int64)
    slot_level = np.full(n_slots, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    tail = 0
    for v in range(n):
        if node_wait[v] == 0:
            queue[tail] = v
            tail += 1
    head = 0
    while head < tail:
        v = queue[head]
        head += 1
        for p in range(sup_ptr[v], sup_ptr[v + 1]):
            slot = sup_slot[p]
            slot_level[slot] = max(slot_level[slot], node_level[v])
            slot_wait[slot] -= 1
            if slot_wait[slot] == 0:
                for q in range(use_ptr[slot], use_ptr[slot + 1]):
                    c = use_node[q]
                    node_level[c] = max(node_level[c], slot_level[slot] + 1)
                    node_wait[c] -= 1
                    if node_wait[c] == 0:
                        queue[tail] = c
                        tail += 1
    for v in range(n):
        if node_wait[v] > 0:
            node_level[v] = -1
    for slot in range(n_slots):
        if slot_wait[slot] > 0:
            slot_level[slot] = -1
    return node_level, slot_level


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
