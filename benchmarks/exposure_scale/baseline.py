"""A straightforward networkx implementation of single points of failure, for comparison.

For every site: remove its nodes, then propagate losses with a counter per slot (a slot is lost
when all its qualified sources are lost; a node when any input slot is lost).
"""

from __future__ import annotations

from collections import deque

import networkx as nx
import numpy as np

from econsec.exposure.graph import Structure
from econsec.valuechain.compiled import CompiledChain


def build_graph(chain: CompiledChain, structure: Structure) -> nx.DiGraph:
    """Nodes ("n", i) and slots ("s", j); edges source → slot → consumer."""
    g = nx.DiGraph()
    q = structure.qualified_sources.tocoo()
    for slot, src in zip(q.row.tolist(), q.col.tolist(), strict=True):
        g.add_edge(("n", src), ("s", slot))
    inp = structure.inputs.tocoo()
    for node, slot in zip(inp.row.tolist(), inp.col.tolist(), strict=True):
        g.add_edge(("s", slot), ("n", node))
    g.add_nodes_from(("n", v) for v in range(chain.n_nodes))
    return g


def stops_by_site(chain: CompiledChain, g: nx.DiGraph) -> dict[int, frozenset[int]]:
    """For every site: the product nodes its loss alone stops."""
    products = set(np.unique(chain.demand_node).tolist())
    need = {v: g.in_degree(v) for v in g.nodes if v[0] == "s"}
    by_site: dict[int, list[int]] = {}
    for v, s in enumerate(chain.node_site.tolist()):
        by_site.setdefault(s, []).append(v)
    out: dict[int, frozenset[int]] = {}
    for site in range(len(chain.site_ids)):
        lost = set(by_site.get(site, ()))
        queue = deque(("n", v) for v in lost)
        hits: dict[tuple[str, int], int] = {}
        while queue:
            u = queue.popleft()
            for slot in g.successors(u):
                hits[slot] = hits.get(slot, 0) + 1
                if hits[slot] == need[slot]:
                    for consumer in g.successors(slot):
                        if consumer[1] not in lost:
                            lost.add(consumer[1])
                            queue.append(consumer)
        out[site] = frozenset(lost & products)
    return out
