"""The engine against an independent plain LP (reference.py) on random networks.

Each case draws a random chain (multi-sourcing, unqualified links, alternatives with
qualification times, finite and unlimited capacities, chokepoints; half of them with the
patterns of ``netgen.with_patterns``: very uneven shares, unmodelled inputs, make and buy,
warehouses, distributors, contract makers, no stock) and a random scenario (a site down or partly
down, a chokepoint closed, an organisation sanctioned), then compares TTR (lost margin) and TTS —
overall and for one product — to 1e-6 relative.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econsec.stress.engine import Engine
from econsec.stress.scenario import Scenario, resolve
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables, with_patterns
from tests.stress.reference import reference_ttr, reference_tts


def close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def scenario(draw_site: int, kind: int, loss: float, horizon: float) -> Scenario:
    events: list[dict[str, object]]
    if kind == 0:
        events = [{"kind": "disruption", "sites": [f"S{draw_site}"]}]
    elif kind == 1:
        events = [{"kind": "disruption", "sites": [f"S{draw_site}"], "capacity_loss": loss}]
    elif kind == 2:
        events = [{"kind": "chokepoint_closure", "chokepoints": ["STRAIT"]}]
    elif kind == 3:
        events = [{"kind": "sanction", "orgs": [f"O{draw_site}"]}]
    else:
        events = [
            {"kind": "disruption", "sites": [f"S{draw_site}"], "capacity_loss": loss},
            {"kind": "chokepoint_closure", "chokepoints": ["STRAIT"]},
            {"kind": "disruption", "sites": ["J1"], "capacity_loss": 0.5},
        ]
    return Scenario({"name": "random", "duration_weeks": horizon, "events": events})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    tight=st.booleans(),
    site=st.integers(0, 5),
    kind=st.integers(0, 4),
    loss=st.floats(0.1, 0.9),
    horizon=st.sampled_from([1.0, 4.5, 8.0, 13.0, 26.0]),
    patterns=st.booleans(),
)
def test_engine_matches_plain_lp(
    seed: int, tight: bool, site: int, kind: int, loss: float, horizon: float, patterns: bool
) -> None:
    tables = random_tables(seed, tight)
    chain = compile_tables(with_patterns(tables, seed) if patterns else tables)
    sc = scenario(site, kind, loss, horizon)
    dis = resolve(sc, chain)
    engine = Engine(chain)
    out = engine.run(dis, horizon)
    expected_ttr = reference_ttr(chain, dis, horizon)
    assert close(out.lost_margin, expected_ttr), (out.lost_margin, expected_ttr)
    # TTS asks for the demand rows served in normal times (all of them on a healthy network).
    served = np.flatnonzero(engine.prog.served)
    expected_tts = reference_tts(chain, dis, served)
    assert close(out.tts_weeks, expected_tts), (out.tts_weeks, expected_tts)
    full = engine.run(dis, horizon, full=True)
    assert close(full.lost_margin, expected_ttr)
    assert close(full.tts_weeks, out.tts_weeks)
    for item, tts in out.product_tts.items():
        rows = np.flatnonzero((chain.node_item[chain.demand_node] == item) & engine.prog.served)
        assert close(tts, reference_tts(chain, dis, rows)), item


@pytest.mark.parametrize("seed", range(12))
def test_lost_units_reproduce_the_objective(seed: int) -> None:
    """Lost units × margin add up to the reported lost margin, and re-running repeats them."""
    chain = compile_tables(random_tables(seed))
    engine = Engine(chain)
    dis = resolve(scenario(seed % 6, 0, 0.5, 13.0), chain)
    first, again = engine.run(dis, 13.0), Engine(chain).run(dis, 13.0)
    assert close(float(first.lost_units @ engine.prog.margin), first.lost_margin)
    assert np.array_equal(first.lost_units, again.lost_units)
    assert first.tts_weeks == again.tts_weeks


def test_restricted_tts_equals_whole_programme_on_patterned_networks() -> None:
    """Every site of 500 patterned networks down in turn: the engine's TTS (overall and per
    product) and lost margin equal the whole programme's. With the certificate of decision 0074
    (no check of the horizon column at t = 0), 8 of these 4,868 scenarios disagreed: 7 reported
    a TTS of 0 where the whole programme finds no limit, one a product's TTS of 0."""
    disagree = []
    scenarios = 0
    for seed in range(500):
        tables = with_patterns(random_tables(seed, tight=bool(seed % 2)), seed)
        chain = compile_tables(tables)
        engine = Engine(chain)
        for site in chain.site_ids:
            sc = Scenario({"name": site, "duration_weeks": 6.0,
                           "events": [{"kind": "disruption", "sites": [site]}]})  # fmt: skip
            dis = resolve(sc, chain)
            out = engine.run(dis, 6.0, explain=False)
            full = engine.run(dis, 6.0, full=True, explain=False)
            scenarios += 1
            same = close(out.tts_weeks, full.tts_weeks) and close(out.lost_margin, full.lost_margin)
            same = same and all(
                close(tts, full.product_tts[item]) for item, tts in out.product_tts.items()
            )
            if not same:
                disagree.append((seed, site, out.tts_weeks, full.tts_weeks))
    assert scenarios == 4_868
    assert not disagree, disagree
