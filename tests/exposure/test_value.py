"""Multi-tier exposure: hand-worked value origin and invariants on random networks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.exposure.graph import analyse_structure
from econsec.exposure.spof import product_money
from econsec.exposure.synthetic import synthetic_chain
from econsec.exposure.value import (
    METHOD_FLOW,
    METHOD_UNIT,
    origin_shares,
    tagged_value_share,
    value_flows,
)
from econsec.valuechain.compile import compile_tables
from tests.valuechain.minichain import mini_tables


def _shares(chain):  # type: ignore[no-untyped-def]
    structure = analyse_structure(chain)
    flows = value_flows(chain, structure)
    products, _, _ = product_money(chain)
    shares, input_share, _ = origin_shares(
        chain, structure, flows, products, chain.node_country, len(chain.countries)
    )
    return dict(zip(chain.countries, shares[0].tolist(), strict=True)), input_share[0], flows


def test_mini_chain_by_annual_flows() -> None:
    # P sells 100/week × ¥10,000 = ¥52M a year and buys C for ¥10M (T1 ¥7M, K1 ¥3M) and M for
    # ¥5M (N1, CN). T1 sells C for ¥7M and buys R for ¥2M from N1 (CN): ¥5M of T1's value is
    # Taiwanese. Input value ¥15M: CN 5+2 = 7, TW 5, KR 3.
    shares, input_share, flows = _shares(compile_tables(mini_tables()))
    assert shares == pytest.approx({"CN": 7 / 15, "JP": 0.0, "KR": 3 / 15, "TW": 5 / 15})
    assert input_share == pytest.approx(15 / 52)
    assert flows.method[0] == METHOD_FLOW


def test_mini_chain_by_unit_prices_gives_the_same_origin() -> None:
    # With volumes, unit prices are ¥1,000 for C and M and ¥2M/7,000 for R: per unit of P the
    # inputs cost 2×1,000 + 1×1,000 = ¥3,000 of ¥10,000.
    tables = mini_tables()
    volumes = {("T1", "C"): 7000.0, ("K1", "C"): 3000.0, ("N1", "M"): 5000.0, ("N1", "R"): 7000.0}
    for link in tables["supply_links"]:
        link["annual_volume"] = volumes[(link["supplier_site_id"], link["item_id"])]
    shares, input_share, flows = _shares(compile_tables(tables))
    assert shares == pytest.approx({"CN": 7 / 15, "JP": 0.0, "KR": 3 / 15, "TW": 5 / 15})
    assert input_share == pytest.approx(0.3)
    assert flows.method[0] == METHOD_UNIT


@settings(max_examples=20, deadline=None)
@given(n=st.integers(30, 400), seed=st.integers(0, 10_000), hidden=st.floats(0.0, 1.0))
def test_shares_sum_to_one_and_match_a_direct_solve(n: int, seed: int, hidden: float) -> None:
    chain = synthetic_chain(n, seed=seed, n_tiers=5, unvalued_links=hidden)
    structure = analyse_structure(chain)
    flows = value_flows(chain, structure)
    a = flows.coefficients.toarray()
    assert np.all(a >= 0)
    np.testing.assert_allclose(a.sum(axis=1) + flows.value_added, 1.0, atol=1e-9)
    products, _, _ = product_money(chain)
    shares, input_share, _ = origin_shares(
        chain, structure, flows, products, chain.node_country, len(chain.countries)
    )
    has_inputs = input_share > 0
    np.testing.assert_allclose(shares[has_inputs].sum(axis=1), 1.0, atol=1e-9)
    # Independent computation: X = (I − A)⁻¹ diag(va) C with a dense solve.
    c = np.zeros((chain.n_nodes, len(chain.countries)))
    c[np.arange(chain.n_nodes), chain.node_country] = flows.value_added
    x = np.linalg.solve(np.eye(chain.n_nodes) - a, c)
    direct = a[products] @ x
    expected = direct[has_inputs] / input_share[has_inputs, None]
    np.testing.assert_allclose(shares[has_inputs], expected, atol=1e-9)


def test_tagged_value_share_counts_value_through_the_tagged_item() -> None:
    # Tag C: the part of P's input value that passes through C is C's ¥10M of ¥15M.
    chain = compile_tables(mini_tables())
    structure = analyse_structure(chain)
    flows = value_flows(chain, structure)
    tagged = (chain.node_item == chain.item_ids.index("C"))[:, None]
    share = tagged_value_share(structure, flows, tagged, np.array([0]))
    assert share[0, 0] == pytest.approx(10 / 15)
