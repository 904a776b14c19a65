"""Impact on the demo company, checked by hand and against independent computations."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from econsec.monitoring.footprint import parse_footprint
from econsec.monitoring.impact import (
    assess,
    stopped_nodes,
    stress_document,
    touched_matrix,
    touched_products,
)
from econsec.monitoring.index import ChainIndex
from econsec.monitoring.match import match
from econsec.stress.scenario import resolve, scenario_from_document
from tests.monitoring.independent import stopped_by_fixpoint, supply_graph, touched_by_walk

GA_GE = {
    "kind": "export_restriction",
    "countries": ["CN"],
    "mineral_tags": ["gallium", "germanium"],
}
FOOTPRINTS = [
    GA_GE,
    {"kind": "export_restriction", "countries": ["CN"], "mineral_tags": ["gallium"]},
    {"kind": "export_restriction", "countries": ["CN"]},
    {"kind": "closure", "chokepoints": ["taiwan_strait"]},
    {"kind": "closure", "chokepoints": ["suez_red_sea", "hormuz"]},
    {"kind": "natural_hazard", "countries": ["JP"], "regions": ["静岡県"]},
    {
        "kind": "natural_hazard",
        "countries": ["JP"],
        "point": {"latitude": 34.71, "longitude": 137.73, "radius_km": 40},
    },
    {"kind": "plant_incident", "sites": ["TOHO-HMM"]},
    {"kind": "sanction", "orgs": ["XINLI"]},
    {"kind": "tariff", "countries": ["US"], "hs_prefixes": ["8542"]},
    {"kind": "regulation", "critical_tags": ["semiconductors"]},
    {"kind": "conflict", "countries": ["TW", "CN"]},
]


def _hand_checked_products(index: ChainIndex, mineral: str) -> set[str]:
    """Products whose bill of materials, expanded level by level, contains an item made from
    ``mineral`` somewhere in China — written from the item tables, not the engine's arrays."""
    chain = index.chain
    tagged = {i for i, tags in enumerate(chain.item_mineral_tags) if mineral in tags}
    products = {int(chain.node_item[n]) for n in index.product_nodes.tolist()}
    bom = chain.bom.tocsr()
    out = set()
    for p in products:
        seen, stack = set(), [p]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            stack += bom[i].indices.tolist()
        if seen & tagged:
            out.add(chain.item_ids[p])
    return out


def test_gallium_restriction_reaches_the_gallium_products(demo_index: ChainIndex) -> None:
    impact = assess(demo_index, parse_footprint(GA_GE))
    touched = set(impact.touched)
    by_bom = _hand_checked_products(demo_index, "gallium") | _hand_checked_products(
        demo_index, "germanium"
    )
    assert touched == by_bom
    # The GaN FET (on-board chargers, DC-DC) and the IR LED (servo encoders) by name:
    assert touched == {"P-OBC11", "P-OBC22", "P-DCDC3", "P-SRV04", "P-SRV20"}
    # Stopped: the germanium window of the IR sensor has one Chinese refiner; the IR LED's
    # gallium has a recycled share from Akita, so the servos are touched but keep running.
    assert set(impact.stopped) == {"P-OBC11", "P-OBC22", "P-DCDC3"}
    assert impact.severity == "high"
    assert "C-LED-IR" in impact.parts
    servo = next(p for p in impact.products if p.item == "P-SRV20")
    assert servo.path[-1] == "YNGA-PLT/M-GALLIUM → SHONAN-HRT"
    assert (
        "monitoring.reason.item_mineral",
        {"item": "M-GALLIUM", "mineral": "gallium"},
    ) in servo.reasons


def test_taiwan_strait_reaches_the_mcus(demo_index: ChainIndex) -> None:
    chain = demo_index.chain
    hits = match(demo_index, parse_footprint({"kind": "closure", "chokepoints": ["taiwan_strait"]}))
    g = supply_graph(chain)
    reached: set[tuple[str, int]] = set()
    for link in hits.links.tolist():
        reached |= {("s", int(chain.link_slot[link]))} | nx.descendants(
            g, ("s", int(chain.link_slot[link]))
        )
    items = {chain.item_ids[chain.node_item[n]] for kind, n in reached if kind == "n"}
    assert {"C-MCU-A"} <= items


@pytest.mark.parametrize(
    "raw",
    FOOTPRINTS,
    ids=lambda f: f["kind"] + ":" + ",".join(str(v) for k, v in sorted(f.items()) if k != "kind"),
)
def test_touched_equals_networkx_walk_and_stopped_equals_fixpoint(
    demo_index: ChainIndex, raw: dict
) -> None:
    chain = demo_index.chain
    fp = parse_footprint(raw)
    hits = match(demo_index, fp)
    g = supply_graph(chain)
    expected = touched_by_walk(chain, g, hits.nodes.tolist(), hits.links.tolist())
    got = {int(demo_index.product_nodes[p]) for p in touched_products(demo_index, hits)}
    assert got == expected
    bulk = touched_matrix(demo_index, [fp])
    assert {int(demo_index.product_nodes[p]) for p in bulk[0].indices} == expected
    if hits.stops:
        lost = set(np.flatnonzero(stopped_nodes(demo_index, hits)).tolist())
        assert lost == stopped_by_fixpoint(chain, hits.nodes.tolist(), hits.links.tolist())
    # Every touched product has a path, and it starts at the product.
    impact = assess(demo_index, fp)
    assert len(impact.products) == len(expected)
    for p in impact.products:
        assert p.path[0] == f"{p.site}/{p.item}" and p.reasons


@pytest.mark.parametrize(
    "raw",
    [
        GA_GE,
        {"kind": "export_restriction", "countries": ["CN"]},
        {"kind": "closure", "chokepoints": ["taiwan_strait"]},
        {"kind": "sanction", "orgs": ["XINLI"]},
        {"kind": "plant_incident", "sites": ["TOHO-HMM"]},
    ],
)
def test_hits_agree_with_the_stress_scenario(demo_index: ChainIndex, raw: dict) -> None:
    chain = demo_index.chain
    fp = parse_footprint(raw)
    doc = stress_document(fp, {"en": "x"}, 4)
    assert doc is not None
    disruption = resolve(scenario_from_document(doc), chain)
    hits = match(demo_index, fp)
    assert set(hits.links.tolist()) == set(np.flatnonzero(disruption.link_closed).tolist())
    assert set(hits.nodes.tolist()) == set(np.flatnonzero(disruption.node_factor < 1).tolist())


def test_a_regional_hazard_becomes_a_stress_disruption_of_its_sites(
    demo_index: ChainIndex,
) -> None:
    from econsec.monitoring.match import site_mask

    fp = parse_footprint({"kind": "natural_hazard", "countries": ["JP"], "regions": ["静岡県"]})
    sites = [demo_index.chain.site_ids[i] for i in site_mask(demo_index, fp).nonzero()[0]]
    doc = stress_document(fp, {"en": "quake"}, 4, sites)
    assert doc is not None and "TOHO-HMM" in doc["events"][0]["sites"]
    disruption = resolve(scenario_from_document(doc), demo_index.chain)
    hits = match(demo_index, fp)
    assert set(hits.nodes.tolist()) == set(np.flatnonzero(disruption.node_factor < 1).tolist())


def test_nothing_matched_and_unknown_ids(demo_index: ChainIndex) -> None:
    impact = assess(demo_index, parse_footprint({"kind": "plant_incident", "sites": ["NOWHERE"]}))
    assert impact.severity == "none" and impact.products == []
    assert impact.hits.unknown == (("sites", "NOWHERE"),)


def test_tariff_touches_but_stops_nothing(demo_index: ChainIndex) -> None:
    impact = assess(
        demo_index,
        parse_footprint({"kind": "tariff", "countries": ["US"], "hs_prefixes": ["8542"]}),
    )
    assert impact.products and not impact.stopped and impact.severity == "low"


def test_reach_on_a_chain_with_a_cycle_matches_networkx() -> None:
    from econsec.exposure.synthetic import synthetic_chain
    from econsec.monitoring.index import build_index

    chain = synthetic_chain(3000, seed=3)
    index = build_index(chain)
    g = supply_graph(chain)
    rng = np.random.default_rng(0)
    for _ in range(20):
        nodes = sorted(set(rng.integers(0, chain.n_nodes, 3).tolist()))
        links = sorted(set(rng.integers(0, chain.n_links, 3).tolist()))
        from econsec.monitoring.match import Hits

        hits = Hits(np.array(nodes), np.array(links), True)
        got = {int(index.product_nodes[p]) for p in touched_products(index, hits)}
        assert got == touched_by_walk(chain, g, nodes, links)
    assert isinstance(g, nx.DiGraph)
