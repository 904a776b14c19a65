"""A small hand-made exposure report for the report tests (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from econsec.exposure.results import (
    ElementLoss,
    ExposureReport,
    ProductResult,
    Reason,
    SourcingRow,
    SupplierRow,
)

EVIL = "<script>alert(1)</script>"


def _product(item: str, revenue: float, shares: dict[str, float], spof: tuple[str, ...]) -> Any:
    return ProductResult(
        site_id="P1",
        item_id=item,
        item_name=f"製品 {item}",
        revenue_per_week=revenue,
        margin_per_week=revenue / 10,
        score=60.0 if spof else 90.0,
        reasons=(Reason("exposure.reason.single_point_of_failure",
                        {"count": len(spof), "sites": ", ".join(spof)}, 10.0),) if spof else (),
        country_shares=shares,
        country_hhi=sum(s * s for s in shares.values()),
        group_shares={},
        single_points_of_failure=spof,
        critical_products={"urn:econsec:jp-critical-product:permanent-magnets": 0.25} if spof else {},
        minerals={"rare_earths": 0.1} if spof else {},
    )  # fmt: skip


def _row(item: str, single: bool, sole: bool, supplier: str, country: str) -> SourcingRow:
    return SourcingRow(
        site_id="", item_id=item, item_name=f"部材 {item}", tier=0, n_sources=1,
        n_qualified=1 if single else 2, n_alternatives=0 if sole else 1, single_source=single,
        sole_source=sole, supplier_hhi_volume=1.0, supplier_hhi_value=1.0,
        country_hhi_volume=1.0, country_hhi_value=1.0, top_country=country,
        top_country_share_volume=1.0, top_supplier=supplier, top_supplier_share_volume=1.0,
        group_shares_volume={}, group_shares_value={},
    )  # fmt: skip


@pytest.fixture
def exposure() -> ExposureReport:
    """Two products: CAR (¥300/week; inputs 50% JP, 30% CN, 20% KR; stopped by S4 alone) and
    VAN (¥100/week; 100% CN inputs; no single point of failure)."""
    car = _product("CAR", 300.0, {"JP": 0.5, "CN": 0.3, "KR": 0.2}, ("S4",))
    van = _product("VAN", 100.0, {"CN": 1.0}, ())
    s4 = ElementLoss("site", "S4", EVIL, "CN", ("P1/CAR",), 300.0, 30.0, 3)
    sup = ElementLoss("org", "SUP", EVIL, "CN", ("P1/CAR",), 300.0, 30.0, 4)
    cn = ElementLoss("country", "CN", "CN", "CN", ("P1/CAR", "P1/VAN"), 400.0, 40.0, 6)
    return ExposureReport(
        data_version="v" * 64,
        currency="JPY",
        products=[car, van],
        losses={"site": [s4], "org": [sup], "country": [cn]},
        slots=[],
        items=[
            _row("MAG", True, True, "SUP", "CN"),
            _row("BOLT", True, True, "SUP", "CN"),
            _row("BAT", False, False, "SUP", "KR"),
        ],
        suppliers=[SupplierRow("SUP", EVIL, "CN", 2, 2, 1000.0, 1.0, 1, 300.0)],
        supplier_hhi_value=1.0,
    )


ITEM_TAGS = {"MAG": ["urn:econsec:jp-critical-product:permanent-magnets", "rare_earths"],
             "BAT": ["urn:econsec:jp-critical-product:storage-batteries"]}  # fmt: skip
