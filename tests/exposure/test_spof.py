"""Single points of failure: hand-worked semantics and a brute-force check on random networks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.exposure.graph import analyse_structure
from econsec.exposure.spof import ELEMENT_KINDS, element_of_nodes, loss_table, lost_by
from econsec.exposure.synthetic import synthetic_chain
from econsec.valuechain.compile import compile_tables
from tests.exposure.brute import lost_nodes
from tests.valuechain.minichain import mini_tables


def _label_sets(chain, kind):  # type: ignore[no-untyped-def]
    element, ids = element_of_nodes(chain, kind)
    lost = lost_by(chain, analyse_structure(chain), element, len(ids))
    return {chain.node_label(v): {ids[e] for e in lost[v].indices} for v in range(chain.n_nodes)}


def test_mini_chain_or_over_sources_and_over_inputs() -> None:
    # P needs C (dual-sourced: T1 70 %, K1 30 %) AND M (only N1). T1 also needs R from N1.
    # Losing T1 leaves K1 for C: P survives. Losing N1 kills M, hence P, and R, hence T1/C.
    chain = compile_tables(mini_tables())
    sites = _label_sets(chain, "site")
    assert sites["J1/P"] == {"J1", "N1"}
    assert sites["T1/C"] == {"T1", "N1"}
    assert sites["K1/C"] == {"K1"}
    countries = _label_sets(chain, "country")
    assert countries["J1/P"] == {"JP", "CN"}


def test_second_qualified_source_for_m_removes_the_single_point() -> None:
    tables = mini_tables()
    tables["supply_links"].append(
        {"supplier_site_id": "K1", "item_id": "M", "receiving_site_id": "J1", "share": 0.0,
         "qualified": True}
    )  # fmt: skip
    chain = compile_tables(tables)
    assert _label_sets(chain, "site")["J1/P"] == {"J1"}


def test_unqualified_second_source_does_not_help() -> None:
    tables = mini_tables()
    tables["supply_links"].append(
        {"supplier_site_id": "K1", "item_id": "M", "receiving_site_id": "J1", "share": 0.0,
         "qualified": False}
    )  # fmt: skip
    chain = compile_tables(tables)
    assert _label_sets(chain, "site")["J1/P"] == {"J1", "N1"}


def test_both_sources_sharing_one_upstream_site_are_lost_together() -> None:
    # K1 now also buys R from N1: both sources of C depend on N1, the intersection keeps N1.
    tables = mini_tables()
    tables["bom"] = [b for b in tables["bom"] if b["child_item_id"] != "M"]
    tables["supply_links"] = [x for x in tables["supply_links"] if x["item_id"] != "M"]
    tables["supply_links"].append(
        {"supplier_site_id": "N1", "item_id": "R", "receiving_site_id": "K1", "share": 1.0,
         "qualified": True}
    )  # fmt: skip
    chain = compile_tables(tables)
    assert _label_sets(chain, "site")["J1/P"] == {"J1", "N1"}


def test_loss_table_money_and_ranking() -> None:
    chain = compile_tables(mini_tables())
    table = loss_table(chain, analyse_structure(chain), "site")
    ranked = [table.element_ids[e] for e in table.ranking()]
    # Both J1 and N1 stop P (100/week × ¥10,000 = ¥1,000,000); N1 takes 4 nodes down.
    assert ranked[:2] == ["N1", "J1"]
    n1 = table.element_ids.index("N1")
    assert table.revenue_per_week[n1] == 1_000_000.0
    assert table.margin_per_week[n1] == 300_000.0
    assert table.nodes_lost[n1] == 4


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(30, 250),
    seed=st.integers(0, 10_000),
    single=st.floats(0.1, 0.9),
    per_site=st.integers(1, 4),
)
def test_matches_brute_force_on_random_networks(
    n: int, seed: int, single: float, per_site: int
) -> None:
    rest = 1.0 - single
    chain = synthetic_chain(
        n, seed=seed, n_tiers=5, items_per_site=per_site, sources_p=(single, rest / 2, rest / 2)
    )
    structure = analyse_structure(chain)
    for kind in ELEMENT_KINDS:
        element, ids = element_of_nodes(chain, kind)
        lost = lost_by(chain, structure, element, len(ids))
        for e in range(len(ids)):
            expected = lost_nodes(chain, element, e)
            got = {int(v) for v in np.flatnonzero(lost[:, e].toarray().ravel())}
            assert got == expected, (kind, ids[e])
        # The loss table reads the same sets without materialising the whole matrix.
        table = loss_table(chain, structure, kind)
        dense = lost.toarray()
        assert table.nodes_lost.tolist() == dense.sum(axis=0).tolist()
        assert (table.stops.toarray() == dense[table.product_nodes].T).all()
