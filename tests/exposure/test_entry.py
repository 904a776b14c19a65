"""Where a product's top foreign country enters its chain: hand-worked and an exact identity."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.exposure.analyse import analyse
from econsec.exposure.graph import analyse_structure
from econsec.exposure.spof import product_money
from econsec.exposure.synthetic import synthetic_chain
from econsec.exposure.value import entry_weights, origin_shares, own_origin_share, value_flows
from econsec.valuechain.compile import compile_tables
from tests.valuechain.minichain import mini_tables


def _country_reason(report):  # type: ignore[no-untyped-def]
    (product,) = report.products
    return next(r for r in product.reasons if r.code == "exposure.reason.country_share")


def test_mini_chain_cn_enters_at_tier_1_through_one_supplier() -> None:
    # CN value (¥7M of ¥15M input value) comes from N1 twice: M bought directly (tier 1) and R
    # inside T1's component. N1 is one organisation at a tier-1 site.
    reason = _country_reason(analyse(compile_tables(mini_tables())))
    assert reason.params == {"share": "47%", "country": "CN", "suppliers": 1, "tiers": "1"}


def test_cn_entering_only_below_tier_1_is_counted_at_tier_2() -> None:
    # Without M, P buys only C (T1 ¥7M, K1 ¥3M). T1 buys R for ¥4M from N1 (CN); K1 buys R for
    # ¥2.5M from N2 (another CN company). Input value ¥10M: CN 6.5, TW 3, KR 0.5 — 65 % from CN,
    # entering through two tier-2 suppliers, none of them a direct one.
    tables = mini_tables()
    tables["bom"] = [b for b in tables["bom"] if b["child_item_id"] != "M"]
    tables["supply_links"] = [x for x in tables["supply_links"] if x["item_id"] != "M"]
    tables["inventory"] = [x for x in tables["inventory"] if x["item_id"] != "M"]
    tables["alternatives"] = []
    for link in tables["supply_links"]:
        if link["item_id"] == "R":
            link["annual_value"] = Decimal("4000000")
    tables["organisations"].append(
        {"org_id": "CNS2", "name": "China Supplier 2", "kind": "supplier", "country": "CN"}
    )
    tables["sites"].append(
        {"site_id": "N2", "org_id": "CNS2", "name": "Ganzhou", "country": "CN", "kind": "plant"}
    )
    tables["supply_links"].append(
        {"supplier_site_id": "N2", "item_id": "R", "receiving_site_id": "K1", "share": 1.0,
         "annual_value": Decimal("2500000"), "currency": "JPY", "qualified": True}
    )  # fmt: skip
    report = analyse(compile_tables(tables))
    (product,) = report.products
    assert product.country_shares["CN"] == pytest.approx(0.65)
    reason = _country_reason(report)
    assert reason.params == {"share": "65%", "country": "CN", "suppliers": 2, "tiers": "2"}
    assert "via 2 tier-2 supplier(s)" in reason.text("en")
    assert "2 次の調達先 2 社" in reason.text("ja")


@settings(max_examples=15, deadline=None)
@given(n=st.integers(40, 400), seed=st.integers(0, 10_000))
def test_entries_split_the_country_value_exactly(n: int, seed: int) -> None:
    # Summed over where it enters, a country's value equals its share of the product's value,
    # and every entry node belongs to the country.
    chain = synthetic_chain(n, seed=seed, n_tiers=5)
    structure = analyse_structure(chain)
    flows = value_flows(chain, structure)
    products, _, _ = product_money(chain)
    country = chain.node_country.astype(np.int64)
    k = len(chain.countries)
    by_pick = np.zeros(chain.n_nodes)
    shares, input_share, _ = origin_shares(
        chain, structure, flows, products, country, k, own_out=by_pick
    )
    target = np.arange(products.shape[0]) % k  # any country, not only the top one
    entries = entry_weights(flows, products, target, country)
    own = own_origin_share(structure, flows, country, k)
    assert by_pick == pytest.approx(own)
    for p in range(products.shape[0]):
        row = entries[p]
        assert (country[row.indices] == target[p]).all()
        carried = float((row.data * own[row.indices]).sum())
        assert carried == pytest.approx(shares[p, target[p]] * input_share[p], abs=1e-9)
