"""Synthetic value chains built straight as arrays, for benchmarks and scale tests.

Building a million-node network through tables would time the table code, not the analytics,
so this fills a :class:`CompiledChain` directly. The structure follows what supply networks
look like: a layered DAG (our products at tier 0, raw materials at the deepest tier), suppliers
that make several items of one tier at each site and own one or two sites, BOMs of two or three
inputs, most slots single-sourced and the rest dual- or triple-sourced, a skewed country mix,
unit prices falling with depth, some links without stated values, a few alternatives.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from econsec.valuechain.compiled import CompiledChain

_COUNTRIES = [
    "JP", "CN", "TW", "KR", "US", "DE", "VN", "TH", "MY", "IN", "ID", "PH", "SG", "MX", "BR",
    "FR", "IT", "GB", "NL", "CH", "SE", "PL", "CZ", "HU", "TR", "CA", "AU", "CL", "PE", "ZA",
    "CD", "RU", "SA", "AE", "IL", "ES", "AT", "BE", "FI", "NO",
]  # fmt: skip
_MINERALS = ["rare_earths", "lithium", "cobalt", "gallium", "germanium", "graphite", "tungsten",
             "nickel", "manganese", "platinum"]  # fmt: skip
_CRITICAL = [
    "semiconductors",
    "permanent_magnets",
    "storage_batteries",
    "advanced_electronic_components",
]


def tier_sizes(n_nodes: int, n_tiers: int = 7, n_products: int | None = None) -> list[int]:
    """Nodes per tier: few products, widening towards the raw materials."""
    products = n_products or max(2, min(2000, n_nodes // 500))
    weights = np.array([0.0, 3, 8, 15, 22, 25, 27][:n_tiers], dtype=float)[1:]
    rest = n_nodes - products
    sizes = [products] + [int(w) for w in np.floor(rest * weights / weights.sum())]
    sizes[-1] += n_nodes - sum(sizes)
    return sizes


def synthetic_chain(
    n_nodes: int,
    *,
    seed: int = 0,
    n_tiers: int = 7,
    items_per_site: int = 4,
    sources_p: tuple[float, float, float] = (0.40, 0.37, 0.23),
    children: tuple[int, int] = (2, 3),
    unvalued_links: float = 0.1,
) -> CompiledChain:
    """A layered synthetic chain of about ``n_nodes`` nodes (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sizes = tier_sizes(n_nodes, n_tiers)
    n = sum(sizes)
    tier_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    node_tier = np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)

    # Items: products are unique per node; deeper items are made by ~4 nodes each.
    items_in_tier = [sizes[0]] + [max(1, s // 4) for s in sizes[1:]]
    item_start = np.concatenate([[0], np.cumsum(items_in_tier)]).astype(np.int64)
    n_items = int(item_start[-1])
    node_item = np.empty(n, dtype=np.int64)
    for t, size in enumerate(sizes):
        if t == 0:
            node_item[:size] = np.arange(size)
        else:
            # Every item gets one maker at least, the rest are spread at random.
            made = np.concatenate(
                [
                    np.arange(items_in_tier[t]),
                    rng.integers(0, items_in_tier[t], size - items_in_tier[t]),
                ]
            )
            node_item[tier_start[t] : tier_start[t + 1]] = item_start[t] + np.sort(made)
    # Nodes of one item are contiguous: item → [first, first + count).
    item_first = np.searchsorted(node_item, np.arange(n_items)).astype(np.int64)
    item_count = np.bincount(node_item, minlength=n_items).astype(np.int64)
    item_tier = np.repeat(np.arange(len(sizes)), items_in_tier).astype(np.int64)

    # Sites: 20 own sites for the products; suppliers make several items of one tier per site.
    own_sites = 20
    node_site = np.empty(n, dtype=np.int64)
    node_site[: sizes[0]] = np.arange(sizes[0]) % own_sites
    next_site = own_sites
    for t in range(1, len(sizes)):
        size = sizes[t]
        perm = rng.permutation(size)
        node_site[tier_start[t] : tier_start[t + 1]] = next_site + perm // items_per_site
        next_site += (size + items_per_site - 1) // items_per_site
    n_sites = int(node_site.max()) + 1
    site_org = np.concatenate(
        [np.zeros(own_sites, dtype=np.int64), 1 + (np.arange(n_sites - own_sites) // 2)]
    )
    n_orgs = int(site_org.max()) + 1
    p = 1.0 / np.arange(1, len(_COUNTRIES) + 1) ** 1.1
    org_country = np.concatenate(
        [[0], rng.choice(len(_COUNTRIES), n_orgs - 1, p=p / p.sum())]
    ).astype(np.int64)
    site_country = org_country[site_org]
    site_tier = np.full(n_sites, len(sizes), dtype=np.int64)
    np.minimum.at(site_tier, node_site, node_tier)

    # BOM over items: each non-leaf item needs 2–3 distinct items of the next tier.
    b_parent, b_child = [], []
    for t in range(len(sizes) - 1):
        parents = np.arange(item_start[t], item_start[t + 1])
        k = rng.integers(children[0], children[1] + 1, parents.shape[0])
        rep = np.repeat(parents, k)
        base = rng.integers(0, items_in_tier[t + 1], rep.shape[0])
        within = np.concatenate([np.arange(x) for x in k]) if k.size else np.zeros(0, np.int64)
        child = item_start[t + 1] + (base - within * 0 + within * 7919) % items_in_tier[t + 1]
        b_parent.append(rep)
        b_child.append(child)
    bp = np.concatenate(b_parent).astype(np.int64)
    bc = np.concatenate(b_child).astype(np.int64)
    bq = rng.integers(1, 4, bp.shape[0]).astype(np.float64)
    bom = sp.csr_matrix((bq, (bp, bc)), shape=(n_items, n_items))
    bom.sum_duplicates()

    # Node inputs: every BOM child of the node's item, as a slot at the node's own site.
    counts = np.diff(bom.indptr)[node_item]
    in_node = np.repeat(np.arange(n), counts)
    starts = bom.indptr[node_item]
    offsets = np.arange(in_node.shape[0]) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(starts, counts) + offsets
    in_child = bom.indices[pos].astype(np.int64)
    in_qty = bom.data[pos]
    key = node_site[in_node] * np.int64(n_items) + in_child
    slot_keys, in_slot = np.unique(key, return_inverse=True)
    n_slots = slot_keys.shape[0]
    slot_site = slot_keys // n_items
    slot_item = slot_keys % n_items
    node_inputs = sp.csr_matrix((in_qty, (in_node, in_slot)), shape=(n, n_slots))

    # Links: 1, 2 or 3 distinct supplier nodes of the item per slot.
    want = rng.choice(3, n_slots, p=list(sources_p)) + 1
    k = np.minimum(want, item_count[slot_item])
    l_slot = np.repeat(np.arange(n_slots), k)
    within = np.arange(l_slot.shape[0]) - np.repeat(np.cumsum(k) - k, k)
    start = np.asarray(rng.integers(0, 1 << 30, n_slots), dtype=np.int64)
    cnt = item_count[slot_item][l_slot]
    l_src = item_first[slot_item][l_slot] + (start[l_slot] + within) % cnt
    raw = rng.uniform(0.2, 1.0, l_slot.shape[0])
    share = raw / np.bincount(l_slot, weights=raw, minlength=n_slots)[l_slot]
    item_price = 1e6 / (6.0**item_tier) * rng.uniform(0.8, 1.2, n_items)
    volume = rng.uniform(1e3, 1e5, l_slot.shape[0]) * share
    value = volume * item_price[slot_item][l_slot]
    hidden = rng.random(l_slot.shape[0]) < unvalued_links
    value[hidden] = np.nan
    volume[hidden] = np.nan
    qualified = rng.random(l_slot.shape[0]) < 0.97
    n_links = l_slot.shape[0]

    # A few alternatives: another node of the same item, not yet a source.
    alt_slots = rng.choice(n_slots, max(1, n_slots // 100), replace=False)
    alt_src = (
        item_first[slot_item[alt_slots]]
        + rng.integers(0, 1 << 30, alt_slots.shape[0]) % (item_count[slot_item[alt_slots]])
    )

    crit = np.zeros(n_items, dtype=np.int64) - 1
    tagged = rng.choice(n_items - sizes[0], max(1, n_items // 100), replace=False) + sizes[0]
    crit[tagged] = rng.integers(0, len(_CRITICAL), tagged.shape[0])
    mineral = np.zeros(n_items, dtype=np.int64) - 1
    leaf_items = np.arange(item_start[-2], item_start[-1])
    mtag = rng.choice(leaf_items, max(1, leaf_items.shape[0] // 50), replace=False)
    mineral[mtag] = rng.integers(0, len(_MINERALS), mtag.shape[0])

    products = np.arange(sizes[0])
    price = item_price[node_item[products]]
    return CompiledChain(
        version=f"synthetic-{n}-{seed}",
        currency="JPY",
        countries=list(_COUNTRIES),
        org_ids=[f"O{i}" for i in range(n_orgs)],
        org_names=[f"Org {i}" for i in range(n_orgs)],
        org_kind=np.where(np.arange(n_orgs) == 0, 0, 1).astype(np.int64),
        org_country=org_country,
        org_parent=np.full(n_orgs, -1, dtype=np.int64),
        org_ownership_pct=np.full(n_orgs, np.nan),
        site_ids=[f"S{i}" for i in range(n_sites)],
        site_names=[f"Site {i}" for i in range(n_sites)],
        site_org=site_org,
        site_country=site_country,
        site_kind=np.zeros(n_sites, dtype=np.int64),
        site_ttr_weeks=np.full(n_sites, np.nan),
        site_alt_bringup_weeks=np.full(n_sites, np.nan),
        site_tier=site_tier,
        item_ids=[f"I{i}" for i in range(n_items)],
        item_names=[f"Item {i}" for i in range(n_items)],
        item_kind=np.where(item_tier == 0, 0, np.where(item_tier == len(sizes) - 1, 2, 1)).astype(
            np.int64
        ),
        item_hs_code=[""] * n_items,
        item_critical_tags=[(_CRITICAL[c],) if c >= 0 else () for c in crit.tolist()],
        item_mineral_tags=[(_MINERALS[m],) if m >= 0 else () for m in mineral.tolist()],
        bom=bom,
        node_site=node_site,
        node_item=node_item,
        node_capacity=np.full(n, np.inf),
        node_inventory=np.zeros(n),
        node_passes=np.zeros(n, dtype=bool),
        slot_site=slot_site.astype(np.int64),
        slot_item=slot_item.astype(np.int64),
        slot_inventory=np.zeros(n_slots),
        node_inputs=node_inputs,
        link_src=l_src.astype(np.int64),
        link_slot=l_slot.astype(np.int64),
        link_share=share,
        link_value=value,
        link_volume=volume,
        link_capacity=np.full(n_links, np.inf),
        link_lead_time_days=np.full(n_links, np.nan),
        link_qualified=qualified,
        link_internal=np.zeros(n_links, dtype=bool),
        link_chokepoints=sp.csr_matrix((n_links, 0)),
        chokepoint_ids=[],
        chokepoint_names=[],
        demand_node=products.astype(np.int64),
        demand_market=["JP"] * sizes[0],
        demand_per_week=rng.uniform(100, 1000, sizes[0]),
        demand_unit_price=price,
        demand_unit_margin=price * rng.uniform(0.2, 0.4, sizes[0]),
        alt_src=alt_src.astype(np.int64),
        alt_slot=alt_slots.astype(np.int64),
        alt_qualification_weeks=np.full(alt_slots.shape[0], 12.0),
        alt_capacity=np.full(alt_slots.shape[0], np.inf),
        alt_cost_premium_pct=np.full(alt_slots.shape[0], np.nan),
    )
