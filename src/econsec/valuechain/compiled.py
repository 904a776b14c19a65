"""The compiled value chain: compact arrays that every analytics engine works on.

The network is made of
- **nodes**: a site that makes an item, ``(site, item)``; products our company sells are nodes at
  our own sites, raw materials are nodes at the suppliers that mine or refine them. A site that
  ships or sells an item it receives without making it (a warehouse, a distributor) is a node
  that *passes it on* (``node_passes``). A site that makes an item, also receives it, and ships
  or sells it has two nodes of that pair: the maker, and the shipping point that passes on its
  receipts and the maker's output;
- **slots**: an item consumed at a site, ``(site, item)``: the input a node needs;
- **links**: a supply link from a node (the supplier making the item) into a slot (the receiving
  site's need for it). When a site makes an input itself, an *internal* link joins its own node
  to its own slot, whether or not the site also buys that input (make and buy).

A node needs, per unit, ``bom[node_item, child]`` units of every child item, each drawn from the
slot ``(node_site, child)`` (see ``node_inputs``); a node that passes an item on needs one unit of
its own slot per unit instead (docs/decisions/0075). Failure semantics (DESIGN.md §4): a slot is
lost when all its qualified links are lost (OR); a node is lost when any of its input slots is
lost (AND).

Indices are int32/int64 numpy arrays; ids are kept in Python lists for display. Nothing here
imports Django: engines can run in worker processes on pickled instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ORG_KINDS = ("self", "supplier", "customer", "partner")
ITEM_KINDS = ("product", "component", "material", "service")
SITE_KINDS = ("plant", "warehouse", "office", "rnd")


@dataclass(frozen=True)
class CompileWarning:
    """A problem compile found in otherwise valid data (e.g. a BOM input nobody supplies)."""

    code: str  # a message id in valuechain/messages.yaml
    params: dict[str, Any]


@dataclass(eq=False)
class CompiledChain:
    """One data version of the value chain as arrays. Read-only by convention."""

    version: str
    """SHA-256 of the canonical content of the tables this was compiled from."""
    currency: str
    """The reporting currency all money arrays are expressed in."""

    countries: list[str]
    """Alpha-2 codes; ``*_country`` arrays index into this list."""

    org_ids: list[str]
    org_names: list[str]
    org_kind: IntArray  # index into ORG_KINDS
    org_country: IntArray
    org_parent: IntArray  # -1 when none
    org_ownership_pct: FloatArray  # NaN when unknown

    site_ids: list[str]
    site_names: list[str]
    site_org: IntArray
    site_country: IntArray
    site_kind: IntArray  # index into SITE_KINDS
    site_ttr_weeks: FloatArray  # NaN when no recovery profile
    site_alt_bringup_weeks: FloatArray  # NaN when unknown
    site_tier: IntArray
    """0 for our own sites, k for a site k supply links upstream of them; -1 when unconnected."""

    item_ids: list[str]
    item_names: list[str]
    item_kind: IntArray  # index into ITEM_KINDS
    item_hs_code: list[str]
    item_critical_tags: list[tuple[str, ...]]
    item_mineral_tags: list[tuple[str, ...]]

    bom: sp.csr_matrix
    """items × items, ``bom[parent, child]`` = quantity of child per unit of parent."""

    node_site: IntArray
    node_item: IntArray
    node_capacity: FloatArray  # units per week; inf when not stated
    node_inventory: FloatArray  # finished units on hand at the node's site
    node_passes: BoolArray
    """True for a node that passes on what its site receives of its item (a warehouse, a
    distributor, the shipping point of a site that makes and also buys what it ships); its one
    input is the slot of its own site and item, one for one (docs/decisions/0075)."""

    slot_site: IntArray
    slot_item: IntArray
    slot_inventory: FloatArray  # input units on hand at the slot's site

    node_inputs: sp.csr_matrix
    """nodes × slots, quantity of the slot's item per unit the node makes."""

    link_src: IntArray  # node
    link_slot: IntArray  # slot
    link_share: FloatArray  # share of the slot's volume (0–1)
    link_value: FloatArray  # annual value in `currency`; NaN when not stated
    link_volume: FloatArray  # annual volume; NaN when not stated
    link_capacity: FloatArray  # units per week; inf when not stated
    link_lead_time_days: FloatArray  # NaN when not stated
    link_qualified: BoolArray
    link_internal: BoolArray  # a site feeding its own need (no supply-link row behind it)
    link_chokepoints: sp.csr_matrix  # links × chokepoints, 1 where the route passes

    chokepoint_ids: list[str]
    chokepoint_names: list[str]

    demand_node: IntArray
    demand_market: list[str]
    demand_per_week: FloatArray
    demand_unit_price: FloatArray  # in `currency`
    demand_unit_margin: FloatArray  # in `currency`

    alt_src: IntArray  # node (created for the alternative when the site did not make the item)
    alt_slot: IntArray
    alt_qualification_weeks: FloatArray
    alt_capacity: FloatArray  # inf when not stated
    alt_cost_premium_pct: FloatArray  # NaN when not stated

    warnings: list[CompileWarning] = field(default_factory=list)

    # ---- sizes and derived views -------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return int(self.node_site.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.slot_site.shape[0])

    @property
    def n_links(self) -> int:
        return int(self.link_src.shape[0])

    @property
    def node_country(self) -> IntArray:
        return self.site_country[self.node_site]

    @property
    def node_org(self) -> IntArray:
        return self.site_org[self.node_site]

    def slot_links(self) -> sp.csr_matrix:
        """slots × links incidence (1 where the link feeds the slot)."""
        n = self.n_links
        return sp.csr_matrix((np.ones(n), (self.link_slot, np.arange(n))), shape=(self.n_slots, n))

    def node_label(self, node: int) -> str:
        return f"{self.site_ids[self.node_site[node]]}/{self.item_ids[self.node_item[node]]}"
