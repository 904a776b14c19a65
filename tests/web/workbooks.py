"""Small value-chain workbooks for the upload tests, written with the project's own writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from econsec.valuechain.workbook import write_workbook


def good_tables() -> dict[str, list[dict[str, Any]]]:
    return {
        "organisations": [
            {"org_id": "ACME", "name": "アクメ株式会社", "kind": "self", "country": "JP"},
            {"org_id": "NDY", "name": "Nd Yokohama", "kind": "supplier", "country": "CN"},
        ],
        "sites": [
            {
                "site_id": "ACME-P1",
                "org_id": "ACME",
                "name": "名古屋工場",
                "country": "JP",
                "kind": "plant",
            },
            {
                "site_id": "NDY-1",
                "org_id": "NDY",
                "name": "Baotou",
                "country": "CN",
                "kind": "plant",
            },
        ],
        "items": [
            {"item_id": "MOTOR", "name": "モーター", "kind": "product", "unit": "pcs"},
            {"item_id": "MAGNET", "name": "磁石", "kind": "component", "unit": "pcs"},
        ],
        "bom": [{"parent_item_id": "MOTOR", "child_item_id": "MAGNET", "quantity_per_unit": 4}],
        "supply_links": [
            {
                "supplier_site_id": "NDY-1",
                "item_id": "MAGNET",
                "receiving_site_id": "ACME-P1",
                "share": 1.0,
                "qualified": True,
            }
        ],
    }


def write_good(path: Path) -> Path:
    write_workbook(good_tables(), path)
    return path


def write_bad(path: Path) -> Path:
    """Two located errors: an unknown country and a link to a site that does not exist."""
    tables = good_tables()
    tables["organisations"][1]["country"] = "ZZ"
    tables["supply_links"][0]["receiving_site_id"] = "NOWHERE"
    write_workbook(tables, path)
    return path
