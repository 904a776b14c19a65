"""Hand-worked cases for the readings of decision 0075 and the TTS certificate at t = 0.

Each case is worked by hand in its comment and checked four ways: the engine (restricted
programme), the whole programme (``full=True``), the plain LP over the compiled chain
(reference.py) and the LP built straight from the tables (table_reference.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from econsec.stress.api import parse_scenario, run_scenario
from econsec.stress.engine import Engine
from econsec.stress.results import render
from econsec.stress.scenario import resolve
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.schema import Tables
from tests.stress.reference import reference_ttr, reference_tts
from tests.stress.table_reference import normally_served, table_ttr, table_tts
from tests.stress.tiny import tiny_tables


def uneven_suppliers(share_a: float) -> Tables:
    """Issue case 1. P0 = C0 + 3 C3, P1 = C0; C0 = 3 M1 + M0; C3 = 2 M1. OWN buys C0 from A
    (``share_a``) and B (the rest), C3 from F; X (150 M1/week, the only capacity) supplies A, B
    and F; D supplies M0 to B only (at A, M0 is an upstream we cannot see). Demand 10 P0 and
    10 P1 a week, margin 100, no stock."""
    return tiny_tables(
        own=["OWN"],
        suppliers=["A", "B", "F", "X", "D"],
        production=[("X", "M1", 150.0)],
        bom=[
            ("P0", "C0", 1),
            ("P0", "C3", 3),
            ("P1", "C0", 1),
            ("C0", "M1", 3),
            ("C0", "M0", 1),
            ("C3", "M1", 2),
        ],
        links=[
            ("A", "C0", "OWN", share_a),
            ("B", "C0", "OWN", 1 - share_a),
            ("F", "C3", "OWN", 1.0),
            ("X", "M1", "A", 1.0),
            ("X", "M1", "B", 1.0),
            ("X", "M1", "F", 1.0),
            ("D", "M0", "B", 1.0),
        ],
        demand=[("OWN", "P0", 10, 100), ("OWN", "P1", 10, 100)],
    )


def make_and_buy() -> Tables:
    """Issue case 2. OWN makes P from one C; it makes C itself (10/week) and buys C from S1.
    Demand 5 P a week, margin 100, no stock."""
    return tiny_tables(
        own=["OWN"],
        suppliers=["S1"],
        production=[("OWN", "C", 10.0), ("OWN", "P", None)],
        bom=[("P", "C", 1)],
        links=[("S1", "C", "OWN", 1.0)],
        demand=[("OWN", "P", 5, 100)],
    )


def warehouse() -> Tables:
    """Issue case 3. OWN makes P (100/week) and ships it to the warehouse WH, which sells 5 a
    week at margin 100 and holds 20 (4 weeks)."""
    return tiny_tables(
        own=["OWN", "WH"],
        suppliers=[],
        production=[("OWN", "P", 100.0)],
        bom=[],
        links=[("OWN", "P", "WH", 1.0)],
        demand=[("WH", "P", 5, 100)],
        inventory=[("WH", "P", 20)],
        warehouses=("WH",),
    )


def contract_maker() -> Tables:
    """Make, buy and sell at one site. OWN makes P (6/week) and also buys P from the contract
    maker CM (10/week); it sells 12 a week at margin 100 and holds 12 P."""
    return tiny_tables(
        own=["OWN"],
        suppliers=["CM"],
        production=[("OWN", "P", 6.0), ("CM", "P", 10.0)],
        bom=[],
        links=[("CM", "P", "OWN", 1.0)],
        demand=[("OWN", "P", 12, 100)],
        inventory=[("OWN", "P", 12)],
    )


def distributor() -> Tables:
    """A supplier's goods through a distributor. S makes C (no stated capacity); DI receives C
    and ships it to OWN, which makes P from one C. DI holds 9 C and OWN sells 3 P a week at
    margin 100."""
    return tiny_tables(
        own=["OWN"],
        suppliers=["S", "DI"],
        production=[("S", "C", None), ("OWN", "P", None)],
        bom=[("P", "C", 1)],
        links=[("S", "C", "DI", 1.0), ("DI", "C", "OWN", 1.0)],
        demand=[("OWN", "P", 3, 100)],
        inventory=[("DI", "C", 9)],
        warehouses=("DI",),
    )


def solve_all_ways(tables: Tables, site: str, weeks: float) -> dict[str, object]:
    """The payload of ``site`` down for ``weeks``, after checking it against the other three."""
    chain = compile_tables(tables)
    engine = Engine(chain)
    scenario = parse_scenario(
        f"name: {site} down\nduration_weeks: {weeks}\n"
        f"events: [{{kind: disruption, sites: [{site}]}}]"
    )
    payload = run_scenario(engine, scenario)
    dis = resolve(scenario, chain)
    full = engine.run(dis, weeks, full=True)
    served = normally_served(tables)
    assert served is not None and np.array_equal(served, engine.prog.served)
    tts = math.inf if payload["tts_weeks"] is None else payload["tts_weeks"]
    for other in (
        full.tts_weeks,
        reference_tts(chain, dis, np.flatnonzero(served)),
        table_tts(tables, {site}, served),
    ):
        assert other == pytest.approx(tts, rel=1e-7, abs=1e-9)
    for other in (
        full.lost_margin,
        reference_ttr(chain, dis, weeks),
        table_ttr(tables, {site}, weeks),
    ):
        assert other == pytest.approx(payload["lost_margin"], rel=1e-7, abs=1e-6)
    return payload


@pytest.mark.parametrize("share_a", [0.4, 0.5, 0.25, 0.7])
def test_uneven_shares_keep_tts_unlimited(share_a: float) -> None:
    # D down 8 weeks: B cannot make C0. A can make all 20 C0 a week (M0 is an input we do not
    # see at A): 60 M1, F needs 60 for 30 C3, X has 150. Nothing is lost, TTS is unlimited.
    # Before the certificate checked the horizon column, shares 0.4/0.6 gave "TTS -0.0".
    payload = solve_all_ways(uneven_suppliers(share_a), "D", 8)
    assert payload["tts_weeks"] is None
    assert payload["lost_margin"] == 0
    assert payload["material"] is False
    assert all(p["tts_weeks"] is None for p in payload["products"])


def test_uneven_shares_when_a_is_short() -> None:
    # Give A a capacity of 12 C0 a week: with B cut off, 8 of the 20 C0 a week are missing.
    # Each product needs one C0 for a margin of 100, so 8 × 100 × 8 weeks = 6,400 are lost;
    # with no stock the shortage is immediate (TTS 0, printed as 0.0, never -0.0).
    tables = uneven_suppliers(0.4)
    tables["production"].append({"site_id": "A", "item_id": "C0", "capacity_per_week": 12.0})
    payload = solve_all_ways(tables, "D", 8)
    assert payload["tts_weeks"] == 0
    assert math.copysign(1.0, payload["tts_weeks"]) == 1.0
    assert payload["lost_margin"] == pytest.approx(6_400)
    text = " ".join(render(payload["explanations"], "en"))
    assert "-0.0" not in text and "TTS 0.0 weeks" in text


def test_make_and_buy_counts_both_sources() -> None:
    # S1 down 6 weeks: OWN's own 10 C a week cover the 5 P a week. Nothing lost, TTS unlimited
    # (econsec used to ignore its own C while an outside supplier existed: 3,000 lost, TTS 0).
    payload = solve_all_ways(make_and_buy(), "S1", 6)
    assert payload["lost_margin"] == 0
    assert payload["tts_weeks"] is None


def test_make_and_buy_own_output_is_limited_by_its_capacity() -> None:
    # Raise demand to 16 P a week: own C covers 10, so 6 a week are lost: 6 × 6 × 100 = 3,600.
    tables = make_and_buy()
    tables["demand"][0]["demand_per_week"] = 16.0
    payload = solve_all_ways(tables, "S1", 6)
    assert payload["lost_margin"] == pytest.approx(3_600)
    assert payload["tts_weeks"] == 0


def test_warehouse_sells_what_it_receives_plus_its_stock() -> None:
    # OWN down 6 weeks: WH sells its 20 P (4 weeks), then nothing: 2 weeks × 5 × 100 = 1,000
    # lost, TTS 4 (econsec used to treat WH as an unlimited source: 0 lost, TTS unlimited).
    assert Engine(compile_tables(warehouse())).prog.baseline_ok
    payload = solve_all_ways(warehouse(), "OWN", 6)
    assert payload["lost_margin"] == pytest.approx(1_000)
    assert payload["tts_weeks"] == pytest.approx(4)
    assert payload["material"] is True


def test_warehouse_down_still_sells_its_stock() -> None:
    # WH down 6 weeks: it passes nothing on but sells its stock, as any disrupted site does.
    payload = solve_all_ways(warehouse(), "WH", 6)
    assert payload["lost_margin"] == pytest.approx(1_000)
    assert payload["tts_weeks"] == pytest.approx(4)


def test_contract_maker_and_own_output_pool_at_the_plant() -> None:
    # CM down 4 weeks: OWN makes 6 a week and sells its 12 in stock: 24 + 12 = 36 of 48 → 12
    # lost × 100 = 1,200; TTS: 12 + 6 t = 12 t → 2 weeks. OWN down 4 weeks instead: CM's 10 a
    # week still reach OWN, but OWN passes nothing on while down; its stock covers 1 week.
    payload = solve_all_ways(contract_maker(), "CM", 4)
    assert payload["lost_margin"] == pytest.approx(1_200)
    assert payload["tts_weeks"] == pytest.approx(2)
    payload = solve_all_ways(contract_maker(), "OWN", 4)
    assert payload["lost_margin"] == pytest.approx((48 - 12) * 100)
    assert payload["tts_weeks"] == pytest.approx(1)


def test_distributor_passes_on_its_supplier_and_stock() -> None:
    # S down 5 weeks: DI's 9 C last 3 weeks of OWN's 3 a week, then 2 weeks × 3 × 100 = 600.
    payload = solve_all_ways(distributor(), "S", 5)
    assert payload["lost_margin"] == pytest.approx(600)
    assert payload["tts_weeks"] == pytest.approx(3)


def test_compiled_reading() -> None:
    chain = compile_tables(contract_maker())
    own_p = [n for n in range(chain.n_nodes) if chain.site_ids[chain.node_site[n]] == "OWN"]
    # OWN's P is two nodes: the shipping point (passes on) and the maker feeding it.
    assert sorted(chain.node_passes[own_p].tolist()) == [False, True]
    maker = next(n for n in own_p if not chain.node_passes[n])
    assert chain.node_capacity[maker] == 6.0
    assert chain.link_internal[chain.link_src == maker].all()
    chain = compile_tables(make_and_buy())
    c = chain.item_ids.index("C")
    own_c = next(n for n in range(chain.n_nodes) if chain.node_item[n] == c
                 and chain.site_ids[chain.node_site[n]] == "OWN")  # fmt: skip
    assert chain.link_internal[chain.link_src == own_c].all()
    assert not chain.node_passes.any()
