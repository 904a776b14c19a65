"""Brute-force references the tests compare the vectorised metrics against."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from econsec.valuechain.compiled import CompiledChain


def lost_nodes(chain: CompiledChain, element: np.ndarray, e: int) -> set[int]:
    """Disrupt every node of element ``e``; re-evaluate the AND/OR semantics to a fixed point."""
    sources: dict[int, set[int]] = defaultdict(set)
    qualified_slots = {
        int(s) for s, q in zip(chain.link_slot, chain.link_qualified, strict=False) if q
    }
    for src, slot, q in zip(
        chain.link_src.tolist(), chain.link_slot.tolist(), chain.link_qualified, strict=False
    ):
        # A slot with no qualified link is fed by its unqualified links (decision 0060).
        if q or slot not in qualified_slots:
            sources[slot].add(src)
    inputs: dict[int, list[int]] = defaultdict(list)
    ni = chain.node_inputs.tocoo()
    for node, slot in zip(ni.row.tolist(), ni.col.tolist(), strict=False):
        if sources.get(slot):
            inputs[node].append(slot)
    lost = {v for v in range(chain.n_nodes) if element[v] == e}
    changed = True
    while changed:
        changed = False
        lost_slots = {s for s, srcs in sources.items() if srcs <= lost}
        for v in range(chain.n_nodes):
            if v not in lost and any(s in lost_slots for s in inputs[v]):
                lost.add(v)
                changed = True
    return lost
