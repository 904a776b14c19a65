"""Why a product with a long TTS can still lose units: the higher-margin products that took
its shared parts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from econsec.stress.allocation import bom_closure, shared_part_takers
from econsec.stress.api import load_scenario, run_scenario
from econsec.stress.engine import Engine
from econsec.stress.results import render
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"

# Items: 0 A, 1 B, 2 C (products); 3 board, 4 chip (inside the board), 5 motor.
#   A = board + motor, B = board, C = motor.
BOM = sp.csr_matrix((np.ones(4), ([0, 0, 1, 2], [3, 5, 3, 5])), shape=(6, 6)) + sp.csr_matrix(
    (np.ones(1), ([3], [4])), shape=(6, 6)
)


def test_closure_reaches_every_depth() -> None:
    assert bom_closure(sp.csr_matrix(BOM), 0) == {3: 1, 5: 1, 4: 2}
    assert bom_closure(sp.csr_matrix(BOM), 2) == {5: 1}


def test_higher_margin_products_that_lost_less_took_the_shared_parts() -> None:
    products = [0, 1, 2]
    margin = np.array([10.0, 30.0, 20.0])  # B earns most, then C, then A
    lost = np.array([0.5, 0.0, 0.2])  # A lost half its demand, B nothing, C a fifth
    found = shared_part_takers(sp.csr_matrix(BOM), products, margin, lost)
    # A shares the board (and its chip) with B and the motor with C; both earn more and lost
    # a smaller share: B first (higher margin), nearest part first.
    assert found[0] == [(1, [3, 4]), (2, [5])]
    # C lost units but only A shares its motor, and A earns less: nobody took C's parts.
    assert 2 not in found and 1 not in found
    # Only the parts the disruption made scarce count.
    assert shared_part_takers(sp.csr_matrix(BOM), products, margin, lost, scarce={4}) == {
        0: [(1, [4])]
    }


@pytest.fixture(scope="module")
def taiwan() -> dict[str, object]:
    engine = Engine(compile_tables(demo_company()))
    return run_scenario(engine, load_scenario(str(EXAMPLES / "taiwan-strait-closed-8w.yaml")))


def test_the_igbt_inverter_explains_its_long_tts_and_its_lost_units(
    taiwan: dict[str, object],
) -> None:
    products = {p["item"]: p for p in taiwan["products"]}  # type: ignore[attr-defined]
    inverter = products["P-INV400"]
    assert inverter["tts_weeks"] > 20 and inverter["lost_units"] > 1000
    takers = {x["item"] for x in inverter["parts_taken_by"]}
    # Each taker earns more per unit and lost a smaller share of its demand.
    own_share = inverter["lost_units"] / inverter["demand_units"]
    for x in inverter["parts_taken_by"]:
        assert x["unit_margin"] > 0 and x["lost_share"] < own_share
    assert {"P-OBC22", "P-INV800"} <= takers
    lines = render(taiwan["explanations"], "en")  # type: ignore[arg-type]
    assert any("different questions" in line for line in lines)
    assert any("P-INV400" in line and "P-INV800" in line for line in lines)
    assert any("TTS" in line and "個" in line for line in render(taiwan["explanations"], "ja"))  # type: ignore[arg-type]
