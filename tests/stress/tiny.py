"""Small value chains written as compactly as the hand-worked cases that use them.

``tiny_tables`` takes rows as short tuples and fills in everything else: one organisation per
site (``OWN`` for our own sites), items of the right kind, JPY money, qualified links.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from econsec.valuechain.schema import Tables


def tiny_tables(
    *,
    own: list[str],
    suppliers: list[str],
    production: list[tuple[str, str, float | None]],
    bom: list[tuple[str, str, float]],
    links: list[tuple[str, str, str, float]],
    demand: list[tuple[str, str, float, float]],
    inventory: list[tuple[str, str, float]] = (),  # type: ignore[assignment]
    warehouses: tuple[str, ...] = (),
    recovery: list[tuple[str, float]] = (),  # type: ignore[assignment]
) -> Tables:
    """``production``: (site, item, capacity per week or None); ``bom``: (parent, child, qty);
    ``links``: (supplier site, item, receiving site, share); ``demand``: (site, item, units per
    week, unit margin); ``inventory``: (site, item, units); ``recovery``: (site, TTR weeks)."""
    orgs: list[dict[str, Any]] = [{"org_id": "OWN", "name": "own", "kind": "self", "country": "JP"}]
    sites: list[dict[str, Any]] = []
    for site in own:
        kind = "warehouse" if site in warehouses else "plant"
        sites.append(
            {"site_id": site, "org_id": "OWN", "name": site, "country": "JP", "kind": kind}
        )
    for site in suppliers:
        orgs.append({"org_id": f"O{site}", "name": site, "kind": "supplier", "country": "CN"})
        kind = "warehouse" if site in warehouses else "plant"
        sites.append(
            {"site_id": site, "org_id": f"O{site}", "name": site, "country": "CN", "kind": kind}
        )
    sold = {item for _, item, _, _ in demand}
    children = {child for _, child, _ in bom}
    names = sorted({i for _, i, _ in production} | sold | children | {i for _, i, _, _ in links})
    items = [
        {
            "item_id": i,
            "name": i,
            "kind": "product" if i in sold else ("component" if i.startswith("C") else "material"),
            "unit": "pcs",
        }
        for i in names
    ]
    return {
        "organisations": orgs,
        "sites": sites,
        "items": items,
        "production": [
            {"site_id": s, "item_id": i, "capacity_per_week": c} for s, i, c in production
        ],
        "bom": [
            {"parent_item_id": p, "child_item_id": c, "quantity_per_unit": q} for p, c, q in bom
        ],
        "supply_links": [
            {
                "supplier_site_id": s,
                "item_id": i,
                "receiving_site_id": r,
                "share": share,
                "qualified": True,
            }
            for s, i, r, share in links
        ],
        "inventory": [{"site_id": s, "item_id": i, "on_hand_units": u} for s, i, u in inventory],
        "demand": [
            {
                "item_id": i,
                "market": f"M-{s}-{i}",
                "site_id": s,
                "demand_per_week": d,
                "unit_price": Decimal(int(2 * m) + 1),
                "unit_margin": Decimal(int(m)),
                "currency": "JPY",
            }
            for s, i, d, m in demand
        ],
        "recovery": [{"site_id": s, "ttr_weeks": w} for s, w in recovery],
        "alternatives": [],
        "chokepoints": [],
    }
