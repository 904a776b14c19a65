"""Independent computations the engine is checked against: a networkx graph walk for what an
event touches, and a plain fixed-point iteration for what it stops."""

from __future__ import annotations

import networkx as nx
import numpy as np

from econsec.valuechain.compiled import CompiledChain


def supply_graph(chain: CompiledChain) -> nx.DiGraph:
    """Nodes ("n", i) and slots ("s", j); edges in the direction goods flow."""
    g = nx.DiGraph()
    g.add_nodes_from(("n", i) for i in range(chain.n_nodes))
    for link in range(chain.n_links):
        g.add_edge(("n", int(chain.link_src[link])), ("s", int(chain.link_slot[link])))
    inputs = chain.node_inputs.tocoo()
    for node, slot in zip(inputs.row.tolist(), inputs.col.tolist(), strict=True):
        g.add_edge(("s", slot), ("n", node))
    return g


def touched_by_walk(
    chain: CompiledChain, g: nx.DiGraph, nodes: list[int], links: list[int]
) -> set[int]:
    """Product nodes downstream of a hit node, or of the slot a closed link feeds."""
    starts = {("n", n) for n in nodes} | {("s", int(chain.link_slot[x])) for x in links}
    reached = set(starts)
    for s in starts:
        reached |= nx.descendants(g, s)
    products = set(np.unique(chain.demand_node).tolist())
    return {n for kind, n in reached if kind == "n" and n in products}


def stopped_by_fixpoint(chain: CompiledChain, nodes: list[int], links: list[int]) -> set[int]:
    """Iterate the AND/OR rules over the whole chain until nothing changes."""
    lost_node = set(nodes)
    closed = set(links)
    inputs = chain.node_inputs.tocsr()
    while True:
        lost_link = {
            x for x in range(chain.n_links) if x in closed or int(chain.link_src[x]) in lost_node
        }
        lost_slot = set()
        for s in range(chain.n_slots):
            qualified = [
                x for x in np.flatnonzero(chain.link_slot == s).tolist() if chain.link_qualified[x]
            ]
            if qualified and all(x in lost_link for x in qualified):
                lost_slot.add(s)
        new = set(lost_node)
        for v in range(chain.n_nodes):
            if any(int(s) in lost_slot for s in inputs[v].indices):
                new.add(v)
        if new == lost_node:
            return lost_node
        lost_node = new
