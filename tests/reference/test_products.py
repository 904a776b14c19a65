"""Critical-product lookup by tag, mineral tag and HS prefix."""

from __future__ import annotations

import datetime as dt

from econsec.reference.products import critical_products, match_item, match_reasons

URN = "urn:econsec:jp-critical-product:"


def ids(products: list) -> set[str]:  # type: ignore[type-arg]
    return {p.id.removeprefix(URN) for p in products}


def test_sixteen_categories_with_names_and_dates() -> None:
    products = critical_products()
    assert len(products) == 16
    assert len({p.id for p in products}) == 16
    for p in products:
        assert p.id.startswith(URN)
        assert p.name("ja") and p.name("en") and p.name("ja") != p.name("en")
        assert p.date_certainty in {"confirmed", "month_only", "announced"}
    first = [p for p in products if p.designated_on == dt.date(2022, 12, 23)]
    assert len(first) == 11


def test_match_by_tag() -> None:
    assert ids(match_item(["permanent_magnets"])) == {"permanent-magnets"}
    assert ids(match_item(["Permanent Magnets"])) == {"permanent-magnets"}
    assert ids(match_item(["drone"])) == {"unmanned-aircraft"}
    assert match_item(["office_chairs"]) == []


def test_match_by_mineral_tag() -> None:
    reasons = match_reasons(["dysprosium"])
    assert [(p.id.removeprefix(URN), r) for p, r in reasons] == [
        ("critical-minerals", "mineral:rare_earths")
    ]


def test_match_by_hs_prefix() -> None:
    assert ids(match_item([], "8542.31")) == {"semiconductors"}
    assert ids(match_item([], "8505.11.000")) == {"permanent-magnets"}
    assert ids(match_item([], "8507 60")) == {"storage-batteries"}
    assert ids(match_item([], "8806.21")) == {"unmanned-aircraft"}
    assert match_item([], "9403.30") == []
    assert match_item([], None) == []
    reasons = match_reasons([], "854231")
    assert reasons[0][1] == "hs:8542"


def test_tag_and_hs_together_and_by_date() -> None:
    both = match_item(["capacitors"], "8542.31")
    assert ids(both) == {"semiconductors", "advanced-electronic-components"}
    before = match_item(["capacitors", "drone"], "8542.31", on=dt.date(2023, 6, 1))
    assert ids(before) == {"semiconductors"}
