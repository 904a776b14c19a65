"""The exposure, stock, action and maturity indicators and user-defined ones, on the demo
company, each recomputed by hand (brute force over the stored rows or the analysis objects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from econsec.governance import kri
from econsec.governance.errors import GovernanceError

from .test_risks import demo_results  # noqa: F401 - the fixture


@pytest.fixture
def exposure(demo_results: dict[str, Any]) -> Any:  # noqa: F811
    """The demo company's exposure analysis, stored for the current data version."""
    from econsec.exposure.analyse import Options, analyse
    from econsec.exposure.store import save_report
    from econsec.valuechain.store_io import compile_store

    report = analyse(compile_store(), Options())
    save_report(report)
    return report


def _readings() -> dict[str, kri.Reading]:
    return {r.key: r for r in kri.compute_all()}


def test_structural_spof_products_by_hand(exposure: Any) -> None:
    expected = sorted(
        f"{p.site_id}/{p.item_id}" for p in exposure.products if p.single_points_of_failure
    )
    assert expected  # the demo company has such products
    r = _readings()["structural_spof_products"]
    assert r.value == len(expected) and sorted(x["product"] for x in r.reasons) == expected


def test_user_defined_country_share_by_hand(exposure: Any) -> None:
    kri.define("cn_share", name_ja="中国比率", name_en="China share", formula="country_share",
               params={"countries": ["CN"]}, amber=10, red=30, actor="ana")  # fmt: skip
    revenue = sum(p.revenue_per_week for p in exposure.products)
    cn = sum(p.revenue_per_week * p.country_shares.get("CN", 0.0) for p in exposure.products)
    expected = round(100 * cn / revenue, 2)
    assert expected > 0
    r = _readings()["cn_share"]
    assert r.value == pytest.approx(expected)
    assert r.status == ("red" if expected >= 30 else "amber" if expected >= 10 else "green")
    assert r.definition is not None and r.definition.label("ja") == "中国比率"
    assert all(x["group"] == "CN" for x in r.reasons)
    # The built-in one reads the (empty by default) concern group: nothing, green.
    assert _readings()["country_group_share"].value == 0.0


def test_weeks_of_cover_by_hand(demo_results: dict[str, Any]) -> None:  # noqa: F811
    from econsec.valuechain.models import Inventory, SupplyLink

    weekly: dict[tuple[str, str], float] = {}
    for link in SupplyLink.objects.select_related("item", "receiving_site"):
        item = link.item
        if (item.critical_tags or item.mineral_tags) and link.annual_volume:
            key = (link.receiving_site.site_id, item.item_id)
            weekly[key] = weekly.get(key, 0.0) + link.annual_volume / 52
    stock = {(i.site.site_id, i.item.item_id): i.on_hand_units
             for i in Inventory.objects.select_related("site", "item")}  # fmt: skip
    expected = sorted(k for k, w in weekly.items() if stock.get(k, 0.0) / w < 4)
    r = _readings()["weeks_of_cover"]
    assert r.value == len(expected)
    assert sorted((x["site"], x["item"]) for x in r.reasons) == expected


def test_maturity_below_target_by_hand(db: None) -> None:
    from econsec.guideline.campaigns import (
        ItemFields,
        create_campaign,
        framework_of,
        record_answers,
    )

    assert _readings()["maturity_below_target"].value == 0  # no assessment yet
    campaign = create_campaign("esmg-1.0-draft", "kri", dt.date(2026, 3, 31), ["x"])
    framework = framework_of(campaign.framework)
    areas = list(framework.areas)
    good = areas[0]
    record_answers(campaign, {}, {
        item.id: ItemFields(maturity=4 if area is good else 1)
        for area in areas for item in area.items
    })  # fmt: skip
    r = _readings()["maturity_below_target"]
    assert sorted(x["area"] for x in r.reasons) == sorted(a.id for a in areas if a is not good)
    assert r.value == len(areas) - 1 and {x["maturity"] for x in r.reasons} == {1.0}


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"formula": "eval"}, "governance.kri.define.bad_formula"),
        ({"params": {"weeks": -1}, "formula": "cover_below"}, "governance.kri.define.bad_value"),
        ({"params": {"days": 3}, "formula": "cover_below"}, "governance.kri.define.bad_param"),
        ({"amber": 5, "red": 1}, "governance.kri.define.bad_thresholds"),
        ({"key": "actions_overdue"}, "governance.kri.define.exists"),
    ],
)
def test_user_defined_indicators_are_checked(db: None, kwargs: dict[str, Any], key: str) -> None:
    fields: dict[str, Any] = {"key": "mine", "name_ja": "私の", "name_en": "mine",
                              "formula": "actions_overdue", "params": {}, "amber": 1, "red": 2,
                              "actor": "ana", **kwargs}  # fmt: skip
    with pytest.raises(GovernanceError) as info:
        kri.define(fields.pop("key"), **fields)
    assert info.value.key == key


def test_nine_built_in_indicators_with_names_in_both_languages(db: None) -> None:
    assert len(kri.BUILT_IN) == 9
    for d in kri.BUILT_IN:
        assert d.label("ja") != d.label("en") and d.formula in kri.FORMULAS
