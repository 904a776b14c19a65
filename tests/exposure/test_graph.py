"""The dependency structure: link patterns and levels against direct constructions."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.exposure.graph import _levels, _link_patterns, analyse_structure
from econsec.exposure.synthetic import synthetic_chain


def _scipy_pattern(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    m = sp.coo_matrix((np.ones(rows.shape[0]), (rows, cols)), shape=shape).tocsr()
    m.sum_duplicates()
    return (m.toarray() > 0).astype(int)


@settings(max_examples=40, deadline=None)
@given(
    n_slots=st.integers(1, 12),
    n_nodes=st.integers(1, 12),
    links=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.booleans()), max_size=60),
)
def test_link_patterns_equal_scipy_with_repeated_and_unused_links(
    n_slots: int, n_nodes: int, links: list[tuple[int, int, bool]]
) -> None:
    kept = [(s, v, u) for s, v, u in links if s < n_slots and v < n_nodes]
    slot = np.array([s for s, _, _ in kept], dtype=np.int64)
    src = np.array([v for _, v, _ in kept], dtype=np.int64)
    use = np.array([u for _, _, u in kept], dtype=bool)
    every, used = _link_patterns(slot, src, use, (n_slots, n_nodes))
    assert (every.toarray() == _scipy_pattern(slot, src, (n_slots, n_nodes))).all()
    assert (used.toarray() == _scipy_pattern(slot[use], src[use], (n_slots, n_nodes))).all()
    # Sorted, distinct column indices per row (scipy checks the arrays on first access).
    assert every.has_canonical_format and used.has_canonical_format


def _longest_paths(inputs: sp.csr_matrix, sources: sp.csr_matrix) -> list[int]:
    """Relax level(node) = 1 + max level of any supplier of any input slot to a fixed point."""
    n = inputs.shape[0]
    level = [0] * n
    for _ in range(n + 1):
        changed = False
        for v in range(n):
            best = 0
            for slot in inputs.indices[inputs.indptr[v] : inputs.indptr[v + 1]]:
                for u in sources.indices[sources.indptr[slot] : sources.indptr[slot + 1]]:
                    best = max(best, level[u] + 1)
            if best != level[v]:
                level[v], changed = best, True
        if not changed:
            return level
    raise AssertionError("no fixed point: a cycle")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(20, 200), seed=st.integers(0, 10_000))
def test_levels_are_longest_supplier_paths(n: int, seed: int) -> None:
    chain = synthetic_chain(n, seed=seed, n_tiers=5)
    structure = analyse_structure(chain)
    expected = _longest_paths(structure.inputs, structure.slot_sources)
    assert structure.node_level.tolist() == expected
    levels = structure.node_level[structure.node_order]
    assert (np.diff(levels) >= 0).all()
    # A slot's level is its highest supplier's.
    for slot in range(chain.n_slots):
        suppliers = structure.slot_sources.indices[
            structure.slot_sources.indptr[slot] : structure.slot_sources.indptr[slot + 1]
        ]
        top = max((expected[u] for u in suppliers), default=-1)
        assert structure.slot_level[slot] == top


def test_nodes_on_or_below_a_cycle_get_no_level() -> None:
    # Node 0 needs slot 0 (supplied by node 1), node 1 needs slot 1 (supplied by node 0):
    # a cycle; node 2 needs slot 0 too and sits below it; node 3 needs nothing.
    inputs = sp.csr_matrix(np.array([[1, 0], [0, 1], [1, 0], [0, 0]]))
    sources = sp.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 0, 0]]))
    node_level, slot_level = _levels(inputs, sources)
    assert node_level.tolist() == [-1, -1, -1, 0]
    assert slot_level.tolist() == [-1, -1]
