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
