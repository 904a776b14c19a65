"""How much of each product's input value is of unknown origin, by the tier where it enters.

The value rule (docs/decisions/0060-exposure-semantics.md) counts a node with no visible inputs
as all value added in its own country: right for a material (a mine, a refinery: the origin),
but for a component nobody told us the sources of it means "not mapped", not "no risk". This
module names that value without changing the rule: a node is *opaque* when it is outside our
own sites, has no supplied input, and makes something other than a material; the value that
originates at opaque nodes is the product's input value of unknown origin. It is split by the
opaque node's tier (1, 2, 3, 4 or more), so a reason can say "25% of input value enters through
tier-2 suppliers whose own sources are not mapped". Pure: arrays in, arrays out.
"""

from __future__ import annotations

import numpy as np

from econsec.exposure.graph import Structure
from econsec.exposure.value import (
    METHOD_NONE,
    BoolArray,
    FloatArray,
    IntArray,
    ValueFlows,
    origin_shares,
)
from econsec.valuechain.compiled import ITEM_KINDS, CompiledChain

TIERS = 4  # the last column stands for "4 or more"


def opaque_nodes(chain: CompiledChain, flows: ValueFlows) -> BoolArray:
    """Per node: True when its value is all value added only because its inputs are unknown."""
    material = ITEM_KINDS.index("material")
    outside = chain.site_tier[chain.node_site] > 0
    opaque: BoolArray = (
        (flows.method == METHOD_NONE) & outside & (chain.item_kind[chain.node_item] != material)
    )
    return opaque


def unknown_origin(
    chain: CompiledChain, structure: Structure, flows: ValueFlows, products: IntArray
) -> FloatArray:
    """products × 4: share of each product's input value originating at opaque nodes of tier
    1, 2, 3, 4+ (a row sums to the product's unknown share; zero for a product without inputs)."""
    opaque = opaque_nodes(chain, flows)
    tier = np.minimum(chain.site_tier[chain.node_site].astype(np.int64), TIERS) - 1
    column = np.where(opaque, tier, -1)
    shares, _, _ = origin_shares(chain, structure, flows, products, column, TIERS)
    return shares
