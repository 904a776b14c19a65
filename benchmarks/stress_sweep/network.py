"""A Ford-like synthetic network for the stress benchmarks (tables → compiled chain).

Shape after Simchi-Levi et al. (2015): own plants making products, supplier sites over up to
10 tiers, tens of thousands of part types. Capacities, inventories and alternatives are then set
from the steady-state volumes so the undisturbed network meets demand with headroom, as a real
one does: capacity 1.1–2× the normal volume, 0–4 weeks of input cover, 5 % of needs with a
second, not-yet-qualified source.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from econsec.stress.programme import baseline_rates
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain

COUNTRIES = ("JP", "CN", "TW", "KR", "US", "MX", "DE", "VN", "TH", "IN", "MY")


def ford_like(sites: int, parts: int, tiers: int, products: int, seed: int = 7) -> CompiledChain:
    rng = np.random.default_rng(seed)
    plants = max(2, products // 2)
    n_sup = sites - plants
    # Items per tier shrink geometrically from tier 1 (parts delivered to plants) upwards.
    weights = 0.6 ** np.arange(tiers - 1)
    per_tier = np.maximum(1, np.round((parts - products) * weights / weights.sum())).astype(int)
    levels: list[list[str]] = [[f"P{i}" for i in range(products)]]
    for lev, count in enumerate(per_tier, start=1):
        levels.append([f"I{lev}-{i}" for i in range(count)])
    orgs = [{"org_id": "OWN", "name": "own", "kind": "self", "country": "JP"}]
    n_orgs = max(1, n_sup // 3)
    for o in range(n_orgs):
        orgs.append({"org_id": f"O{o}", "name": f"O{o}", "kind": "supplier",
                     "country": COUNTRIES[1 + o % (len(COUNTRIES) - 1)]})  # fmt: skip
    site_rows = [{"site_id": f"PL{i}", "org_id": "OWN", "name": f"PL{i}", "country": "JP",
                  "kind": "plant"} for i in range(plants)]  # fmt: skip
    for s in range(n_sup):
        org = int(rng.integers(n_orgs))
        site_rows.append({"site_id": f"S{s}", "org_id": f"O{org}", "name": f"S{s}",
                          "country": orgs[1 + org]["country"], "kind": "plant"})  # fmt: skip
    items = [{"item_id": i, "name": i, "kind": "product" if lev == 0 else "component", "unit": "pcs"}
             for lev, names in enumerate(levels) for i in names]  # fmt: skip
    bom = []
    for lev in range(len(levels) - 1):
        children = levels[lev + 1]
        fan = max(1, round(len(children) / max(1, len(levels[lev])) * 1.3))
        for parent in levels[lev]:
            k = int(min(len(children), max(1, rng.poisson(fan))))
            for child in rng.choice(children, size=k, replace=False):
                bom.append({"parent_item_id": parent, "child_item_id": str(child),
                            "quantity_per_unit": float(rng.integers(1, 4))})  # fmt: skip
    makers: dict[str, list[str]] = {}
    for i, p in enumerate(levels[0]):
        makers[p] = [f"PL{i % plants}"]
    # Supplier sites specialise by tier band so that deeper tiers sit at other sites.
    band = np.array_split(np.arange(n_sup), tiers - 1)
    for lev in range(1, len(levels)):
        pool = band[min(lev - 1, len(band) - 1)]
        for item in levels[lev]:
            k = 1 if rng.random() < 0.6 else 2
            makers[item] = [f"S{int(s)}" for s in rng.choice(pool, size=k, replace=False)]
    kids: dict[str, list[str]] = {}
    for r in bom:
        kids.setdefault(r["parent_item_id"], []).append(r["child_item_id"])
    production, links = [], []
    for item, where in makers.items():
        for site in where:
            production.append({"site_id": site, "item_id": item})
            for child in kids.get(item, []):
                srcs = makers[child]
                shares = [1.0] if len(srcs) == 1 else [0.7, 0.3]
                for src, share in zip(srcs, shares, strict=True):
                    links.append({"supplier_site_id": src, "item_id": child, "receiving_site_id": site,
                                  "share": share, "qualified": True})  # fmt: skip
    demand = []
    for p in levels[0]:
        for market in ("JP", "US", "EU")[: int(rng.integers(1, 4))]:
            demand.append({"item_id": p, "market": market, "site_id": makers[p][0],
                           "demand_per_week": float(rng.integers(100, 2000)),
                           "unit_price": Decimal(int(rng.integers(20, 60)) * 1000),
                           "unit_margin": Decimal(int(rng.integers(2, 12)) * 1000), "currency": "JPY"})  # fmt: skip
    recovery = [
        {"site_id": s["site_id"], "ttr_weeks": float(rng.integers(2, 31))} for s in site_rows
    ]
    chain = compile_tables(
        {"organisations": orgs, "sites": site_rows, "items": items, "production": production,
         "bom": bom, "supply_links": links, "demand": demand, "recovery": recovery},
        version=f"ford-like-{sites}-{parts}-{tiers}-{seed}",
    )  # fmt: skip
    (u, _y), _ok = baseline_rates(chain)
    chain.node_capacity = np.maximum(u, 1.0) * rng.uniform(1.1, 2.0, chain.n_nodes)
    need = chain.node_inputs.T @ u
    chain.slot_inventory = np.round(need * rng.uniform(0.0, 4.0, chain.n_slots))
    chain.node_inventory = np.round(u * rng.uniform(0.0, 2.0, chain.n_nodes))
    # Second sources not yet qualified for 5 % of the needs: a site of the same tier band.
    pick = np.flatnonzero(rng.random(chain.n_slots) < 0.05)
    pick = pick[need[pick] > 0]
    src = []
    for slot in pick:
        item = chain.slot_item[slot]
        same = np.flatnonzero(chain.node_item == item)
        src.append(int(same[rng.integers(same.size)]))
    chain.alt_src = np.array(src, dtype=np.int64)
    chain.alt_slot = pick.astype(np.int64)
    chain.alt_qualification_weeks = rng.integers(4, 31, pick.size).astype(np.float64)
    chain.alt_capacity = need[pick] * rng.uniform(0.5, 1.5, pick.size)
    chain.alt_cost_premium_pct = np.full(pick.size, np.nan)
    return chain
