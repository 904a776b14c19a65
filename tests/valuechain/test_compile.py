from __future__ import annotations

import numpy as np

from econsec.valuechain.compile import compile_tables, content_version
from tests.valuechain.minichain import mini_tables


def test_mini_chain_compiles_to_the_documented_network() -> None:
    chain = compile_tables(mini_tables())
    labels = {chain.node_label(n) for n in range(chain.n_nodes)}
    # J1 makes P; suppliers make C, M, R; K1 becomes a node for M as an alternative source.
    assert labels == {"J1/P", "T1/C", "K1/C", "N1/M", "N1/R", "K1/M"}
    assert chain.n_links == 4 and not chain.link_internal.any()
    p = next(n for n in range(chain.n_nodes) if chain.node_label(n) == "J1/P")
    inputs = chain.node_inputs[p]
    needed = {
        chain.item_ids[chain.slot_item[s]]: q
        for s, q in zip(inputs.indices, inputs.data, strict=True)
    }
    assert needed == {"C": 2.0, "M": 1.0}
    tiers = dict(zip(chain.site_ids, chain.site_tier.tolist(), strict=True))
    assert tiers == {"J1": 0, "T1": 1, "K1": 1, "N1": 1}
    assert chain.currency == "JPY"
    assert chain.link_chokepoints.sum() == 1
    assert np.isinf(chain.node_capacity).sum() == chain.n_nodes - 1


def test_version_ignores_row_order_and_changes_with_content() -> None:
    tables = mini_tables()
    reordered = {k: [dict(r) for r in reversed(v)] for k, v in tables.items()}
    assert content_version(tables) == content_version(reordered)
    tables["demand"][0]["demand_per_week"] = 101.0
    assert content_version(tables) != content_version(reordered)


def test_input_made_on_site_becomes_an_internal_link() -> None:
    tables = mini_tables()
    tables["production"].append({"site_id": "J1", "item_id": "R", "capacity_per_week": None})
    tables["bom"].append({"parent_item_id": "P", "child_item_id": "R", "quantity_per_unit": 1.0})
    chain = compile_tables(tables)
    assert chain.link_internal.sum() == 1
    src = chain.link_src[chain.link_internal][0]
    assert chain.node_label(int(src)) == "J1/R"


def test_unsourced_input_at_our_site_is_warned() -> None:
    tables = mini_tables()
    tables["items"].append({"item_id": "X", "name": "X", "kind": "component", "unit": "pcs"})
    tables["bom"].append({"parent_item_id": "P", "child_item_id": "X", "quantity_per_unit": 1.0})
    chain = compile_tables(tables)
    assert [w.code for w in chain.warnings] == ["valuechain.compile.unsourced_input"]
    assert chain.warnings[0].params == {"site": "J1", "item": "P", "child": "X"}
