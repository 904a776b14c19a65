"""The dependency structure every exposure metric walks: levels, sources and inputs.

Nodes are put in *levels*: a node with no supplied inputs is level 0, any other node is one
level above the highest of its suppliers. Processing level by level lets each metric be a few
sparse matrix products per level instead of a Python loop per node, and doubles as the cycle
check: a node that never gets a level sits on (or downstream of) a supply cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def depth(self) -> int:
        return int(self.level_ptr.shape[0] - 1)


def _pattern(rows: IntArray, cols: IntArray, shape: tuple[int, int]) -> sp.csr_matrix:
    m = sp.csr_matrix(
        (np.ones(rows.shape[0], dtype=np.int32), (rows, cols)), shape=shape, dtype=np.int32
    )
    m.sum_duplicates()
    m.data[:] = 1
    return m


def analyse_structure(chain: CompiledChain) -> Structure:
    """Levels and incidence matrices of ``chain``; raises :class:`ExposureError` on a cycle."""
    n, s = chain.n_nodes, chain.n_slots
    warnings: list[ExposureWarning] = []
    slot_sources = _pattern(chain.link_slot, chain.link_src, (s, n)) if n else sp.csr_matrix((s, n))
    supplied = np.diff(slot_sources.indptr) > 0

    qualified = chain.link_qualified.astype(bool)
    has_qualified = np.zeros(s, dtype=bool)
    has_qualified[chain.link_slot[qualified]] = True
    # A slot whose every link is unqualified is still being supplied through them; counting it
    # as already lost would mark its users unproducible today, so its links stand in.
    use = qualified | ~has_qualified[chain.link_slot]
    qualified_sources = _pattern(chain.link_slot[use], chain.link_src[use], (s, n))
    for slot in np.flatnonzero(supplied & ~has_qualified)[:_MAX_NAMED]:
        warnings.append(
            ExposureWarning("exposure.graph.no_qualified_source", _slot_params(chain, int(slot)))
        )

    ni = chain.node_inputs.tocoo()
    keep = supplied[ni.col]
    inputs = _pattern(ni.row[keep].astype(np.int64), ni.col[keep].astype(np.int64), (n, s))

    depends = (inputs @ slot_sources).tocsr()  # consumer × supplier
    depends.data[:] = 1
    node_level = _levels(depends)
    if (node_level < 0).any():
        raise ExposureError("exposure.graph.cycle", nodes=_cycle_labels(chain, depends, node_level))

    slot_level = np.full(s, -1, dtype=np.int64)
    if chain.n_links:
        np.maximum.at(slot_level, chain.link_slot, node_level[chain.link_src])
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


def _levels(depends: sp.csr_matrix) -> IntArray:
    """Longest supplier-path length of every node (Kahn's algorithm, one level at a time)."""
    n = depends.shape[0]
    level = np.full(n, -1, dtype=np.int64)
    remaining = np.diff(depends.indptr).astype(np.int64)
    consumers = depends.T.tocsr()
    frontier = np.flatnonzero(remaining == 0)
    d = 0
    while frontier.size:
        level[frontier] = d
        reached = consumers[frontier].indices
        if reached.size == 0:
            break
        dec = np.bincount(reached, minlength=n)
        remaining -= dec
        frontier = np.flatnonzero((remaining == 0) & (dec > 0))
        d += 1
    return level


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
