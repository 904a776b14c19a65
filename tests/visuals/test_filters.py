"""The filters' parser: what it accepts, the one address each selection has, what it refuses."""

from __future__ import annotations

import pytest

from econsec.i18n import t
from econsec.reference.regions import countries_in_region
from econsec.visuals.filters import MAX_VALUES, FilterError, Filters, parse

PRODUCTS = [("P1", "CAR"), ("TOHO-HMM", "P-EAX150")]


def test_accepts_and_writes_one_canonical_address() -> None:
    f = parse(
        {"tier": ["2", "1", ""], "country": ["cn", "JP"], "region": ["030"],
         "criticality": ["spof", "at_risk"], "product": ["P1/CAR"], "lang": ["ja"]},
        PRODUCTS,
    )  # fmt: skip
    assert f.product == ("P1", "CAR") and f.tiers == {1, 2}
    assert f.country_codes == ("CN", "JP") and f.region_codes == ("030",)
    assert f.countries == {"CN", "JP"} | countries_in_region("030")
    assert f.query() == (
        "?product=P1%2FCAR&tier=1&tier=2&country=CN&country=JP&region=030"
        "&criticality=spof&criticality=at_risk"
    )
    again = parse({k: [v] if k != "tier" else ["1", "2"] for k, v in f.pairs()}, PRODUCTS)
    assert again.query().startswith("?product=P1%2FCAR&tier=1&tier=2")
    assert parse({}, PRODUCTS).empty and parse({}, PRODUCTS).query() == ""
    assert parse({"tier": [""], "country": [" "]}, PRODUCTS).empty  # the form's "any"
    assert Filters(tiers=frozenset({1})).keeps(1, "CN", "none")
    assert not Filters(countries=frozenset({"JP"})).keeps(1, "CN", "none")


@pytest.mark.parametrize(
    "query,key",
    [
        ({"tier": ["one"]}, "bad_tier"),
        ({"tier": ["１"]}, "bad_tier"),  # fullwidth digit: int() would take it
        ({"tier": ["-1"]}, "bad_tier"),
        ({"tier": ["100"]}, "bad_tier"),
        ({"country": ["XX"]}, "bad_country"),
        ({"country": ["ＪＰ"]}, "bad_country"),
        ({"country": ["JPN"]}, "bad_country"),
        ({"region": ["999"]}, "bad_region"),
        ({"region": ["asia"]}, "bad_region"),
        ({"criticality": ["SPOF"]}, "bad_criticality"),
        ({"product": ["P1/NOPE"]}, "bad_product"),
        ({"product": ["P1"]}, "bad_product"),
        ({"product": ["../../etc"]}, "bad_product"),
        ({"tier": ["1\u202e"]}, "character"),
        ({"country": ["J\x00P"]}, "character"),
        ({"criticality": ["sp\u200bof"]}, "character"),
        ({"tier": ["1"] * (MAX_VALUES + 1)}, "too_many"),
        ({"region": ["1" * 10_000]}, "too_long"),
    ],
)
def test_refuses_with_a_located_message_in_both_languages(
    query: dict[str, list[str]], key: str
) -> None:
    with pytest.raises(FilterError) as caught:
        parse(query, PRODUCTS)
    exc = caught.value
    assert exc.key == f"visuals.filter.{key}"
    name = next(iter(query))
    ja, en = t(exc.key, "ja", **exc.params), t(exc.key, "en", **exc.params)
    assert name in ja and name in en and ja != en
    assert len(en) < 300  # the value is quoted back shortened, never whole


def test_product_is_refused_where_no_product_can_be_chosen() -> None:
    with pytest.raises(FilterError):
        parse({"product": ["P1/CAR"]}, None)
