"""Concentration: HHI and top share against a direct computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.exposure.concentration import Pairs, group_share, grouped, hhi
from econsec.exposure.sourcing import slot_sourcing
from econsec.valuechain.compile import compile_tables
from tests.valuechain.minichain import mini_tables


def test_hhi_of_a_70_30_split() -> None:
    assert hhi(np.array([0.7, 0.3])) == pytest.approx(0.58)
    assert hhi(np.array([7.0, 3.0])) == pytest.approx(0.58)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 5), st.floats(0.01, 100.0)),
        min_size=1,
        max_size=40,
    )
)
def test_grouped_matches_direct(rows: list[tuple[int, int, float]]) -> None:
    g = np.array([r[0] for r in rows], dtype=np.int64)
    k = np.array([r[1] for r in rows], dtype=np.int64)
    w = np.array([r[2] for r in rows])
    result = grouped(Pairs(g, k, 5, 6), w)
    for group in range(5):
        sums: dict[int, float] = {}
        for gg, kk, ww in rows:
            if gg == group:
                sums[kk] = sums.get(kk, 0.0) + ww
        if not sums:
            assert np.isnan(result.hhi[group])
            continue
        total = sum(sums.values())
        assert result.hhi[group] == pytest.approx(sum((v / total) ** 2 for v in sums.values()))
        assert result.top_share[group] == pytest.approx(max(sums.values()) / total)
        assert sums[int(result.top_key[group])] == pytest.approx(max(sums.values()))


def test_unknown_weight_makes_the_group_unknown_not_zero() -> None:
    g = np.array([0, 0, 1])
    k = np.array([0, 1, 0])
    result = grouped(Pairs(g, k, 2, 2), np.array([1.0, np.nan, 2.0]))
    assert np.isnan(result.hhi[0]) and result.hhi[1] == 1.0
    share = group_share(g, k, np.array([1.0, 3.0, 2.0]), 2, ["CN", "JP"], {"JP"})
    assert share.tolist() == [0.75, 0.0]


def test_mini_chain_sources_and_flags() -> None:
    chain = compile_tables(mini_tables())
    s = slot_sourcing(chain, {"G7": {"JP", "US", "DE"}})
    slot = {
        (chain.site_ids[chain.slot_site[i]], chain.item_ids[chain.slot_item[i]]): i
        for i in range(chain.n_slots)
    }
    c, m, r = slot[("J1", "C")], slot[("J1", "M")], slot[("T1", "R")]
    assert (s.n_qualified[c], s.single_source[c], s.sole_source[c]) == (2, False, False)
    # M: one qualified source, but K1 is listed as an alternative: single, not sole.
    assert (s.n_qualified[m], s.single_source[m], s.sole_source[m]) == (1, True, False)
    assert s.n_alternatives[m] == 1
    assert (s.single_source[r], s.sole_source[r]) == (True, True)
    assert s.by_country_value.hhi[c] == pytest.approx(0.58)
    assert s.by_country_value.top_share[c] == pytest.approx(0.7)
    assert chain.countries[s.by_country_value.top_key[c]] == "TW"
