"""Hand-worked scenarios on the shared mini chain (tests/valuechain/minichain.py).

Mini chain: J1 makes P (capacity 150/wk) from 2 × C + 1 × M; demand 100 P/wk, margin ¥3,000,
price ¥10,000. C: 70 % from T1, 30 % from K1 (no capacity stated). T1 makes C from R bought
from N1. M: only from N1 via the Taiwan Strait; alternative K1 for M after 6 weeks, 80/wk.
Stock at J1: 200 M, 50 P.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from econsec.stress.api import parse_scenario, run_scenario, sweep
from econsec.stress.engine import Engine
from econsec.stress.scenario import resolve
from econsec.valuechain.compile import compile_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "valuechain"))
from minichain import mini_tables


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(compile_tables(mini_tables()))


def run(engine: Engine, yaml_text: str) -> dict:
    return run_scenario(engine, parse_scenario(yaml_text))


def test_n1_down_twenty_weeks(engine: Engine) -> None:
    # M: 200 in stock + K1 alternative 80/wk × (20 − 6) = 1,120 → 1,320 P made; plus 50 P in
    # stock = 1,370 sold of 2,000 → 630 lost; × ¥3,000 = ¥1,890,000; × ¥10,000 = ¥6,300,000.
    # TTS: 250 units of cover (200 M → 200 P, + 50 P) at 100/wk = 2.5 weeks; the alternative
    # (80/wk < 100/wk demand) never catches up, so TTS stays 2.5.
    r = run(engine, "name: N1\nduration_weeks: 20\nevents: [{kind: disruption, sites: [N1]}]")
    assert r["lost_units"] == pytest.approx(630)
    assert r["lost_margin"] == pytest.approx(1_890_000)
    assert r["lost_revenue"] == pytest.approx(6_300_000)
    assert r["tts_weeks"] == pytest.approx(2.5)
    assert r["material"] is True
    slot = next(b for b in r["binding"] if b["kind"] == "slot")
    assert (slot["site"], slot["item"]) == ("J1", "M")


def test_strait_closed_eight_weeks(engine: Engine) -> None:
    # M blocked: 200 + 80 × (8 − 6) = 360 P made + 50 in stock = 410 of 800 → 390 lost.
    r = run(
        engine,
        "name: s\nduration_weeks: 8\nevents: [{kind: chokepoint_closure, chokepoints: [TWSTRAIT]}]",
    )
    assert r["lost_units"] == pytest.approx(390)
    assert r["tts_weeks"] == pytest.approx(2.5)


def test_t1_down_is_covered_by_k1(engine: Engine) -> None:
    # K1 has no stated capacity, so it covers T1's 70 % of C: no loss, TTS unlimited.
    r = run(engine, "name: t\nduration_weeks: 12\nevents: [{kind: disruption, sites: [T1]}]")
    assert r["lost_margin"] == 0
    assert r["tts_weeks"] is None


def test_partial_loss_at_own_plant(engine: Engine) -> None:
    # J1 at 40 % of 150/wk = 60 P/wk for 10 weeks = 600 made + 50 in stock = 650 of 1,000.
    # TTS: 50 + 60 t ≥ 100 t → t = 1.25 weeks.
    r = run(
        engine,
        "name: j\nduration_weeks: 10\nevents: [{kind: disruption, sites: [J1], capacity_loss: 0.6}]",
    )
    assert r["lost_units"] == pytest.approx(350)
    assert r["tts_weeks"] == pytest.approx(1.25)


def test_alternative_with_enough_capacity_restores_supply() -> None:
    # Raise the K1 alternative to 150/wk. Over the 20-week window M supply is
    # 200 + 150 × (20 − 6) = 2,300 ≥ the 1,950 P still to make (2,000 − 50 in stock), so the
    # TTR programme — like Simchi-Levi et al.'s, one aggregate period — loses nothing, while
    # TTS is still 2.5 weeks (stock runs out before the alternative is qualified).
    tables = mini_tables()
    tables["alternatives"][0]["capacity_per_week"] = 150.0
    engine = Engine(compile_tables(tables))
    r = run(engine, "name: N1\nduration_weeks: 20\nevents: [{kind: disruption, sites: [N1]}]")
    assert r["lost_units"] == pytest.approx(0)
    assert r["tts_weeks"] == pytest.approx(2.5)


def test_export_restriction_only_for_listed_items(engine: Engine) -> None:
    # CN restricts only R: T1 loses R, K1 covers C. M still flows: no loss.
    r = run(
        engine,
        "name: r\nduration_weeks: 26\nevents: [{kind: export_restriction, countries: [CN], items: [R]}]",
    )
    assert r["lost_margin"] == 0
    r = run(
        engine, "name: r\nduration_weeks: 26\nevents: [{kind: export_restriction, countries: [CN]}]"
    )
    # 200 + 80 × 20 = 1,800 P + 50 = 1,850 of 2,600 → 750 lost.
    assert r["lost_units"] == pytest.approx(750)


def test_sanction_blocks_alternatives_too(engine: Engine) -> None:
    # Sanctioning K1's owner and closing the strait leaves M at 200 + 50 P: 8 weeks → 550 lost.
    r = run(
        engine,
        "name: k\nduration_weeks: 8\nevents: [{kind: sanction, orgs: [KRS]}, {kind: chokepoint_closure, chokepoints: [TWSTRAIT]}]",
    )
    assert r["lost_units"] == pytest.approx(550)


def test_sweep_ranks_by_risk_exposure_index(engine: Engine) -> None:
    s = sweep(engine.chain, "site")
    assert [r["id"] for r in s["rows"]] == ["N1", "T1"]  # J1, K1 have no recovery time
    assert s["skipped"] == ["J1", "K1"]
    assert s["rows"][0]["rei"] == 1.0 and s["rows"][0]["lost_margin"] == pytest.approx(1_890_000)
    s = sweep(engine.chain, "site", default_ttr_weeks=4.0)
    j1 = next(r for r in s["rows"] if r["id"] == "J1")
    # J1 down 4 weeks: 50 P in stock → 350 lost × ¥3,000 = ¥1,050,000; REI vs N1's ¥1.89M.
    assert j1["lost_margin"] == pytest.approx(1_050_000)
    assert j1["rei"] == pytest.approx(1_050_000 / 1_890_000)


def test_results_are_reproducible(engine: Engine) -> None:
    text = "name: N1\nduration_weeks: 20\nevents: [{kind: disruption, sites: [N1]}]"
    a, b = run(engine, text), run(Engine(engine.chain), text)
    for key in ("lost_margin", "tts_weeks", "products", "markets", "scenario_hash", "data_version"):
        assert a[key] == b[key]
    assert a["solver_version"].startswith("HiGHS")
    assert not math.isnan(a["lost_revenue"])


def test_resolve_partial_and_full_take_the_stronger(engine: Engine) -> None:
    sc = parse_scenario(
        "name: x\nduration_weeks: 1\nevents: [{kind: disruption, sites: [J1], capacity_loss: 0.3}, {kind: disruption, countries: [JP], capacity_loss: 0.5}]"
    )
    dis = resolve(sc, engine.chain)
    assert dis.node_factor.min() == pytest.approx(0.5)
