"""How far down the tiers each product's inputs are mapped, and how much is of unknown origin.

A pure function over the compiled chain. For a node (a site making an item) ``g_k`` is the
fraction of its inputs whose supply is known at least ``k`` tiers further up:

- ``g_0 = 1``;
- a node with no inputs in the data is an *origin* when it makes a material (a mine, a
  refinery: nothing further to map, ``g_k = 1``), and *unknown* otherwise (a component nobody
  told us the inputs of, ``g_k = 0`` for k ≥ 1);
- any other node averages over its input needs (slots), each the share-weighted ``g_{k-1}`` of
  the nodes supplying it (a need nobody supplies counts 0). Needs are weighted by the annual
  value of the links into them when every need of the node has one, else equally.

A product's coverage at tier k is ``g_k`` of the product's node (tier 1: its direct suppliers
are known; tier 2: theirs too…); "known origin" is the limit (every path reaches an origin),
and "unknown origin" its complement: unknown is reported as such, never as no risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from econsec.valuechain.compiled import ITEM_KINDS, CompiledChain, FloatArray

TIERS = (1, 2, 3, 4)  # 4 stands for "4 or more"
_DEPTH = 32  # iterations for the limit (supply chains are far shallower)


@dataclass(frozen=True)
class ProductCoverage:
    item_id: str
    name: str
    by_tier: tuple[float, ...]  # fraction of input mapped to tier 1, 2, 3, 4+
    known_origin: float
    weighted_by: str  # "value" or "count"

    @property
    def unknown_origin(self) -> float:
        return 1.0 - self.known_origin


def _weights(chain: CompiledChain) -> tuple[sp.csr_matrix, np.ndarray, str]:
    """nodes × slots, each node's needs weighted to sum 1; which nodes have needs; the basis."""
    needs = chain.node_inputs.tocsr().copy()
    needs.data = np.ones_like(needs.data, dtype=np.float64)
    value = np.zeros(chain.n_slots)
    finite = np.isfinite(chain.link_value) & (chain.link_value > 0)
    np.add.at(value, chain.link_slot[finite], chain.link_value[finite])
    by_value = needs.multiply(value[np.newaxis, :]).tocsr()
    count = np.asarray(needs.sum(axis=1)).ravel()
    valued = np.asarray((by_value > 0).sum(axis=1)).ravel()
    use_value = (valued == count) & (count > 0)
    rows = (
        sp.diags(use_value.astype(np.float64)) @ by_value
        + sp.diags((~use_value).astype(np.float64)) @ needs
    )
    total = np.asarray(rows.sum(axis=1)).ravel()
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    basis = "value" if use_value.any() else "count"
    return (sp.diags(scale) @ rows).tocsr(), count > 0, basis


def node_depths(chain: CompiledChain) -> tuple[list[FloatArray], FloatArray, str]:
    """``g_1 … g_4`` and the limit for every node (see the module docstring)."""
    weights, has_needs, basis = _weights(chain)
    supply = sp.csr_matrix(
        (chain.link_share.astype(np.float64), (chain.link_slot, chain.link_src)),
        shape=(chain.n_slots, chain.n_nodes),
    )
    step = (weights @ supply).tocsr()
    material = ITEM_KINDS.index("material")
    origin = (~has_needs) & (chain.item_kind[chain.node_item] == material)
    leaf = np.where(origin, 1.0, 0.0)
    g = np.ones(chain.n_nodes)
    levels: list[FloatArray] = []
    for depth in range(1, _DEPTH + 1):
        g = np.where(has_needs, np.minimum(step @ g, 1.0), leaf)
        if depth <= len(TIERS):
            levels.append(g.copy())
    return levels, g, basis


def product_coverage(chain: CompiledChain) -> list[ProductCoverage]:
    """Per product sold (demand), the mapped share of its inputs by tier and its known origin."""
    levels, limit, basis = node_depths(chain)
    by_item: dict[int, list[int]] = {}
    for node in sorted(set(int(n) for n in chain.demand_node)):
        by_item.setdefault(int(chain.node_item[node]), []).append(node)
    out = []
    for item, nodes in sorted(by_item.items(), key=lambda kv: chain.item_ids[kv[0]]):
        tiers = tuple(float(np.mean(level[nodes])) for level in levels)
        out.append(ProductCoverage(chain.item_ids[item], chain.item_names[item], tiers,
                                   float(np.mean(limit[nodes])), basis))  # fmt: skip
    return out
