"""Small random value chains (as tables) for the cross-check tests: 2 own plants, up to 6
supplier sites, three BOM levels, multi-sourcing, alternatives, chokepoints, finite capacities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from econsec.valuechain.schema import Tables

COUNTRIES = ("CN", "TW", "KR", "US", "VN", "DE")


def random_tables(seed: int, tight: bool = False) -> Tables:
    rng = np.random.default_rng(seed)
    n_prod, n_comp, n_mat, n_sup = 2, int(rng.integers(2, 5)), int(rng.integers(1, 4)), 6
    orgs = [{"org_id": "OWN", "name": "own", "kind": "self", "country": "JP"}]
    sites = [
        {"site_id": f"J{i}", "org_id": "OWN", "name": f"J{i}", "country": "JP", "kind": "plant"}
        for i in (1, 2)
    ]
    for s in range(n_sup):
        orgs.append(
            {"org_id": f"O{s}", "name": f"O{s}", "kind": "supplier", "country": COUNTRIES[s]}
        )
        sites.append(
            {
                "site_id": f"S{s}",
                "org_id": f"O{s}",
                "name": f"S{s}",
                "country": COUNTRIES[s],
                "kind": "plant",
            }
        )
    prods = [f"P{i}" for i in range(n_prod)]
    comps = [f"C{i}" for i in range(n_comp)]
    mats = [f"M{i}" for i in range(n_mat)]
    items = [{"item_id": i, "name": i, "kind": "product", "unit": "pcs"} for i in prods]
    items += [{"item_id": i, "name": i, "kind": "component", "unit": "pcs"} for i in comps]
    items += [{"item_id": i, "name": i, "kind": "material", "unit": "kg"} for i in mats]
    bom: list[dict[str, Any]] = []
    for p in prods:
        for c in rng.choice(comps, size=int(rng.integers(1, min(3, n_comp) + 1)), replace=False):
            bom.append(
                {
                    "parent_item_id": p,
                    "child_item_id": str(c),
                    "quantity_per_unit": float(rng.integers(1, 4)),
                }
            )
    for c in comps:
        for m in rng.choice(mats, size=int(rng.integers(0, min(2, n_mat) + 1)), replace=False):
            bom.append(
                {
                    "parent_item_id": c,
                    "child_item_id": str(m),
                    "quantity_per_unit": float(rng.integers(1, 3)),
                }
            )
    children: dict[str, list[tuple[str, float]]] = {}
    for r in bom:
        children.setdefault(r["parent_item_id"], []).append(
            (r["child_item_id"], r["quantity_per_unit"])
        )
    makers: dict[str, list[str]] = {p: [f"J{1 + (i % 2)}"] for i, p in enumerate(prods)}
    for c in [*comps, *mats]:
        makers[c] = [
            f"S{int(s)}" for s in rng.choice(n_sup, size=int(rng.integers(1, 3)), replace=False)
        ]
    scale = 0.9 if tight else 3.0
    production = []
    for item, where in makers.items():
        for site in where:
            production.append(
                {
                    "site_id": site,
                    "item_id": item,
                    "capacity_per_week": float(rng.integers(30, 200)) * scale,
                }
            )
    links = []
    for item, where in makers.items():
        for site in where:
            for child, _q in children.get(item, []):
                # A site that makes a child itself uses its own output (no link to itself).
                srcs = [s for s in makers[child] if s != site]
                if not srcs:
                    continue
                shares = rng.dirichlet(np.ones(len(srcs)))
                for src, share in zip(srcs, shares, strict=True):
                    links.append(
                        {
                            "supplier_site_id": src,
                            "item_id": child,
                            "receiving_site_id": site,
                            "share": float(share),
                            "qualified": bool(rng.random() > 0.1),
                            "capacity_per_week": float(rng.integers(50, 400))
                            if rng.random() < 0.3
                            else None,
                            "chokepoints": ["STRAIT"] if rng.random() < 0.3 else [],
                        }
                    )
    inventory = []
    seen: set[tuple[str, str]] = set()
    for r in links:
        key = (r["receiving_site_id"], r["item_id"])
        if key not in seen and rng.random() < 0.6:
            seen.add(key)
            inventory.append(
                {"site_id": key[0], "item_id": key[1], "on_hand_units": float(rng.integers(0, 500))}
            )
    for p in prods:
        if rng.random() < 0.5:
            inventory.append(
                {
                    "site_id": makers[p][0],
                    "item_id": p,
                    "on_hand_units": float(rng.integers(0, 200)),
                }
            )
    demand = []
    for p in prods:
        for market in ("JP", "US")[: int(rng.integers(1, 3))]:
            demand.append(
                {
                    "item_id": p,
                    "market": market,
                    "site_id": makers[p][0],
                    "demand_per_week": float(rng.integers(5, 40)),
                    "unit_price": Decimal(int(rng.integers(100, 1000))),
                    "unit_margin": Decimal(int(rng.integers(-10, 300))),
                    "currency": "JPY",
                }
            )
    alternatives = []
    for _ in range(int(rng.integers(0, 4))):
        if not links:
            break
        link = links[int(rng.integers(len(links)))]
        alt_site = f"S{int(rng.integers(n_sup))}"
        if alt_site in makers[link["item_id"]]:
            continue
        key = (link["item_id"], alt_site, link["receiving_site_id"])
        if any(
            (a["item_id"], a["alt_supplier_site_id"], a["receiving_site_id"]) == key
            for a in alternatives
        ):
            continue
        alternatives.append(
            {
                "item_id": key[0],
                "alt_supplier_site_id": alt_site,
                "receiving_site_id": key[2],
                "qualification_weeks": float(rng.integers(0, 12)),
                "capacity_per_week": float(rng.integers(10, 100)) if rng.random() < 0.7 else None,
            }
        )
    recovery = [
        {"site_id": s["site_id"], "ttr_weeks": float(rng.integers(2, 30))}
        for s in sites
        if rng.random() < 0.8
    ]
    return {
        "organisations": orgs,
        "sites": sites,
        "items": items,
        "production": production,
        "bom": bom,
        "supply_links": links,
        "inventory": inventory,
        "demand": demand,
        "recovery": recovery,
        "alternatives": alternatives,
        "chokepoints": [{"chokepoint_id": "STRAIT", "name": "strait", "kind": "strait"}],
    }


def with_patterns(tables: Tables, seed: int) -> Tables:
    """``tables`` with the readings that need care added at random (docs/decisions/0075):

    - very uneven shares over multi-sourced inputs;
    - unmodelled inputs: a supplier's input left with no link (an upstream tier we cannot see);
    - make and buy: an own plant also makes an input it buys, with a capacity of its own;
    - a warehouse: an own site that receives a product from its plant and sells it (with or
      without stock), and a distributor between a supplier and a plant;
    - a contract maker: a supplier also makes a product and ships it to the plant that makes
      and sells it (make, buy and sell at one site);
    - no stock at all, so that a shortage shows at once.
    """
    rng = np.random.default_rng(10_000 + seed)
    t: dict[str, list[dict[str, Any]]] = {k: [dict(r) for r in v] for k, v in tables.items()}
    links = t["supply_links"]

    def add_site(site: str, org: str, kind: str, own: bool) -> None:
        if not own:
            t["organisations"].append(
                {"org_id": org, "name": org, "kind": "supplier", "country": "VN"}
            )
        t["sites"].append(
            {"site_id": site, "org_id": org, "name": site, "country": "JP" if own else "VN",
             "kind": kind}
        )  # fmt: skip
        if rng.random() < 0.8:
            t["recovery"].append({"site_id": site, "ttr_weeks": float(rng.integers(2, 30))})

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in links:
        groups.setdefault((r["receiving_site_id"], r["item_id"]), []).append(r)
    for members in groups.values():
        if len(members) > 1 and rng.random() < 0.7:
            for r, share in zip(members, rng.dirichlet(np.full(len(members), 0.3)), strict=True):
                r["share"] = float(share)
    supplier_slots = sorted(k for k in groups if k[0].startswith("S"))
    for key in supplier_slots:
        if rng.random() < 0.25:
            links[:] = [r for r in links if (r["receiving_site_id"], r["item_id"]) != key]
            t["inventory"] = [r for r in t["inventory"] if (r["site_id"], r["item_id"]) != key]
    own_slots = sorted(k for k in groups if k[0].startswith("J"))
    made = {(r["site_id"], r["item_id"]) for r in t["production"]}
    if own_slots and rng.random() < 0.6:
        site, item = own_slots[int(rng.integers(len(own_slots)))]
        if (site, item) not in made:
            t["production"].append(
                {"site_id": site, "item_id": item, "capacity_per_week": float(rng.integers(5, 60))}
            )
    demand = t["demand"]
    if demand and rng.random() < 0.7:
        add_site("W1", "OWN", "warehouse", True)
        row = demand[int(rng.integers(len(demand)))]
        maker = row["site_id"]
        links.append(
            {"supplier_site_id": maker, "item_id": row["item_id"], "receiving_site_id": "W1",
             "share": 1.0, "qualified": True,
             "capacity_per_week": float(rng.integers(20, 200)) if rng.random() < 0.3 else None}
        )  # fmt: skip
        moved = dict(row, market=row["market"] + "-W", site_id="W1")
        if rng.random() < 0.5:
            demand.remove(row)  # the plant now ships that market through the warehouse only
            moved["market"] = row["market"]
        demand.append(moved)
        if rng.random() < 0.6:
            t["inventory"].append(
                {"site_id": "W1", "item_id": row["item_id"],
                 "on_hand_units": float(rng.integers(0, 6)) * row["demand_per_week"]}
            )  # fmt: skip
    into_plants = [r for r in links if r["receiving_site_id"].startswith("J")]
    if into_plants and rng.random() < 0.5:
        add_site("D1", "OD1", "warehouse", False)
        r = into_plants[int(rng.integers(len(into_plants)))]
        links.append(
            {"supplier_site_id": r["supplier_site_id"], "item_id": r["item_id"],
             "receiving_site_id": "D1", "share": 1.0, "qualified": True}
        )  # fmt: skip
        r["supplier_site_id"] = "D1"
        if rng.random() < 0.5:
            t["inventory"].append(
                {"site_id": "D1", "item_id": r["item_id"],
                 "on_hand_units": float(rng.integers(0, 300))}
            )  # fmt: skip
    if rng.random() < 0.4:
        t["inventory"] = []  # nothing in stock: a shortage shows at once (TTS 0 or unlimited)
    products = sorted({r["item_id"] for r in demand if r["site_id"].startswith("J")})
    if products and rng.random() < 0.5:
        item = products[int(rng.integers(len(products)))]
        plant = next(r["site_id"] for r in demand if r["item_id"] == item)
        add_site("C1", "OC1", "plant", False)
        t["production"].append(
            {"site_id": "C1", "item_id": item, "capacity_per_week": float(rng.integers(5, 40))}
        )
        links.append(
            {"supplier_site_id": "C1", "item_id": item, "receiving_site_id": plant,
             "share": 1.0, "qualified": True}
        )  # fmt: skip
    return t
