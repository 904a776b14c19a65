"""Input value of unknown origin in the autonomy score, against hand-worked arithmetic on the
mini chain (tests/valuechain/minichain.py), and after a supplier survey maps it.

By annual flows, P's inputs are C (¥10M a year: T1 ¥7M, K1 ¥3M) and M (¥5M from N1, a
material), so C is 10/15 of P's input value. K1 makes C but nobody told us its inputs: K1's
value is all "value added" by the value rule, of unknown origin. T1 buys R (¥2M) from N1 and
sells ¥7M of C, so R is 2/7 of T1's value.
"""

from __future__ import annotations

from typing import Any

import pytest

from econsec.exposure.analyse import analyse
from econsec.exposure.scoring import UNKNOWN_POINTS, ScoreInputs, score_product
from econsec.valuechain.compile import compile_tables
from tests.valuechain.minichain import mini_tables

C_SHARE = 10 / 15


def _product(tables: Any) -> Any:
    (product,) = analyse(compile_tables(tables)).products
    return product


def _reason(product: Any) -> Any:
    found = [r for r in product.reasons if r.code == "exposure.reason.unknown_origin"]
    return found[0] if found else None


def test_an_opaque_tier_one_supplier_is_unknown_origin_and_costs_points() -> None:
    product = _product(mini_tables())
    expected = C_SHARE * 0.3  # K1's 30% of C: 0.2
    assert product.unknown_by_tier == {"1": pytest.approx(expected)}
    assert product.unknown_origin == pytest.approx(0.2)
    reason = _reason(product)
    assert reason.points == pytest.approx(round(UNKNOWN_POINTS * expected, 1))
    assert reason.text("en").startswith("20% of input value has unknown origin")
    assert "tier 1 20%" in reason.text("en") and "1次 20%" in reason.text("ja")
    # Existing figures keep their meaning: K1's value still counts as Korean value added.
    assert product.country_shares["KR"] == pytest.approx(expected)


def test_unknown_origin_at_tier_two() -> None:
    tables = mini_tables()
    for item in tables["items"]:
        if item["item_id"] == "R":
            item["kind"] = "component"  # R is made from inputs nobody told us
    # R from a site of its own (N1 also ships M to us, so it sits at tier 1: a site's tier is
    # its nearest one).
    tables["sites"].append({"site_id": "N2", "org_id": "CNS", "name": "Ganzhou", "country": "CN",
                            "kind": "plant"})  # fmt: skip
    for link in tables["supply_links"]:
        if link["item_id"] == "R":
            link["supplier_site_id"] = "N2"
    product = _product(tables)
    assert product.unknown_by_tier == {
        "1": pytest.approx(C_SHARE * 0.3),
        "2": pytest.approx(C_SHARE * 0.7 * 2 / 7),
    }
    assert "tier 2 13%" in _reason(product).text("en")


def test_a_mapped_chain_has_no_unknown_origin() -> None:
    tables = mini_tables()
    # What a survey of K1 would add: R for K1's C from N1 (a material: an origin).
    tables["bom"].append({"parent_item_id": "C", "child_item_id": "R", "quantity_per_unit": 1.0})
    tables["supply_links"].append({"supplier_site_id": "N1", "item_id": "R",
                                   "receiving_site_id": "K1", "share": 1.0, "qualified": True})  # fmt: skip
    product = _product(tables)
    assert product.unknown_by_tier == {} and _reason(product) is None


def test_below_the_floor_no_reason_and_the_score_adds_up() -> None:
    score, reasons = score_product(ScoreInputs(unknown_by_tier={2: 0.03, 3: 0.01}))
    assert score == 100 and reasons == []
    score, reasons = score_product(ScoreInputs(unknown_by_tier={2: 0.25, 3: 0.10}))
    assert [r.code for r in reasons] == ["exposure.reason.unknown_origin"]
    assert reasons[0].points == pytest.approx(7.0) and score == pytest.approx(93.0)
    assert reasons[0].params["share"] == "35%"
