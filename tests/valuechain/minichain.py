"""A small hand-made value chain that tests across packages can share.

Our company OWN (JP) makes product P at plant J1 from 2 × C (component) and 1 × M (material).
C comes 70 % from supplier site T1 (TW) and 30 % from K1 (KR); T1 makes C from 1 × R (raw
material) which it buys from site N1 (CN) only. M comes only from N1 (CN), through the Taiwan
Strait. Demand: 100 P per week at ¥10,000, margin ¥3,000.
"""

from __future__ import annotations

from decimal import Decimal

from econsec.valuechain.schema import Tables


def mini_tables() -> Tables:
    return {
        "organisations": [
            {"org_id": "OWN", "name": "自社", "kind": "self", "country": "JP"},
            {"org_id": "TWS", "name": "Taiwan Supplier", "kind": "supplier", "country": "TW"},
            {"org_id": "KRS", "name": "Korea Supplier", "kind": "supplier", "country": "KR"},
            {"org_id": "CNS", "name": "China Supplier", "kind": "supplier", "country": "CN"},
        ],
        "sites": [
            {
                "site_id": "J1",
                "org_id": "OWN",
                "name": "本社工場",
                "country": "JP",
                "kind": "plant",
            },
            {"site_id": "T1", "org_id": "TWS", "name": "Hsinchu", "country": "TW", "kind": "plant"},
            {"site_id": "K1", "org_id": "KRS", "name": "Ulsan", "country": "KR", "kind": "plant"},
            {"site_id": "N1", "org_id": "CNS", "name": "Baotou", "country": "CN", "kind": "plant"},
        ],
        "items": [
            {"item_id": "P", "name": "製品", "kind": "product", "unit": "pcs"},
            {"item_id": "C", "name": "部品", "kind": "component", "unit": "pcs"},
            {"item_id": "M", "name": "素材", "kind": "material", "unit": "kg"},
            {"item_id": "R", "name": "原料", "kind": "material", "unit": "kg"},
        ],
        "production": [{"site_id": "J1", "item_id": "P", "capacity_per_week": 150.0}],
        "bom": [
            {"parent_item_id": "P", "child_item_id": "C", "quantity_per_unit": 2.0},
            {"parent_item_id": "P", "child_item_id": "M", "quantity_per_unit": 1.0},
            {"parent_item_id": "C", "child_item_id": "R", "quantity_per_unit": 1.0},
        ],
        "supply_links": [
            {
                "supplier_site_id": "T1",
                "item_id": "C",
                "receiving_site_id": "J1",
                "share": 0.7,
                "annual_value": Decimal("7000000"),
                "currency": "JPY",
                "qualified": True,
            },
            {
                "supplier_site_id": "K1",
                "item_id": "C",
                "receiving_site_id": "J1",
                "share": 0.3,
                "annual_value": Decimal("3000000"),
                "currency": "JPY",
                "qualified": True,
            },
            {
                "supplier_site_id": "N1",
                "item_id": "M",
                "receiving_site_id": "J1",
                "share": 1.0,
                "annual_value": Decimal("5000000"),
                "currency": "JPY",
                "qualified": True,
                "chokepoints": ["TWSTRAIT"],
            },
            {
                "supplier_site_id": "N1",
                "item_id": "R",
                "receiving_site_id": "T1",
                "share": 1.0,
                "annual_value": Decimal("2000000"),
                "currency": "JPY",
                "qualified": True,
            },
        ],
        "inventory": [
            {"site_id": "J1", "item_id": "M", "on_hand_units": 200.0},
            {"site_id": "J1", "item_id": "P", "on_hand_units": 50.0},
        ],
        "demand": [
            {
                "item_id": "P",
                "market": "JP",
                "site_id": "J1",
                "demand_per_week": 100.0,
                "unit_price": Decimal("10000"),
                "unit_margin": Decimal("3000"),
                "currency": "JPY",
            },
        ],
        "recovery": [
            {"site_id": "T1", "ttr_weeks": 12.0},
            {"site_id": "N1", "ttr_weeks": 20.0, "alternate_bringup_weeks": 8.0},
        ],
        "alternatives": [
            {
                "item_id": "M",
                "alt_supplier_site_id": "K1",
                "receiving_site_id": "J1",
                "qualification_weeks": 6.0,
                "capacity_per_week": 80.0,
                "cost_premium_pct": 15.0,
            },
        ],
        "chokepoints": [
            {
                "chokepoint_id": "TWSTRAIT",
                "name": "台湾海峡",
                "name_en": "Taiwan Strait",
                "kind": "strait",
            },
        ],
    }
