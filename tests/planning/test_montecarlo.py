"""Monte Carlo: curves and direct solves give the same years; deterministic; statistics."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.planning.curves import build_curves
from econsec.planning.likelihood import Duration, Risk
from econsec.planning.montecarlo import (
    curve_loss,
    direct_loss,
    draw,
    loss_distribution,
    loss_statistics,
    simulate,
)
from econsec.stress.engine import Engine
from econsec.stress.scenario import Scenario
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables


def _risks() -> list[Risk]:
    out = []
    for s in range(6):
        out.append(
            Risk(f"site:S{s}", f"S{s}", "site", 0.4, Duration("lognormal", 6.0, 15.0), (2 + s,))
        )
    sc = Scenario(
        {"name": "strait", "duration_weeks": 8,
         "events": [{"kind": "chokepoint_closure", "chokepoints": ["STRAIT"]}]}
    )  # fmt: skip
    out.append(
        Risk("scenario:x", "strait", "scenario", 0.3, Duration("triangular", 2, 8, 30), (), sc)
    )
    return out


@pytest.mark.parametrize("seed", [3, 11])
def test_curves_equal_direct_solves(seed: int) -> None:
    chain = compile_tables(random_tables(seed))
    engine = Engine(chain)
    risks = _risks()
    events = draw(risks, 60, seed, 20.0)
    assert events.joint_keys(), "the draw should contain overlapping events"
    keys = sorted({(int(i),) for i in np.unique(events.risk)}) + events.joint_keys()
    curves = build_curves(chain, risks, keys, 20.0, engine=engine)
    a = simulate(risks, events, curve_loss(curves), seed)
    b = simulate(risks, events, direct_loss(engine, risks), seed)
    assert np.allclose(a.annual, b.annual, rtol=1e-6, atol=1e-6)
    assert a.contribution.sum() == pytest.approx(a.stats["eal"], rel=1e-9)


def test_deterministic_with_seed() -> None:
    chain = compile_tables(random_tables(5))
    risks = _risks()
    one, _ = loss_distribution(chain, risks, years=300, seed=9, max_weeks=52.0)
    two, _ = loss_distribution(chain, risks, years=300, seed=9, max_weeks=52.0)
    assert np.array_equal(one.annual, two.annual)


def test_statistics_by_hand() -> None:
    annual = np.array([0.0] * 90 + [10.0] * 5 + [20.0, 30.0, 40.0, 50.0, 100.0])
    s = loss_statistics(annual)
    assert s["eal"] == pytest.approx((50 + 240) / 100)
    assert s["var95"] == 10.0  # the 95th smallest of 100
    assert s["cvar95"] == pytest.approx((20 + 30 + 40 + 50 + 100) / 5)
    assert s["var99"] == 50.0 and s["cvar99"] == 100.0


def test_process_pool_gives_identical_curves() -> None:
    from econsec.planning.curves import local_pool

    chain = compile_tables(random_tables(8))
    risks = _risks()
    keys = [(i,) for i in range(len(risks))] + [(0, 6), (1, 2)]
    here = build_curves(chain, risks, keys, 30.0)
    pool = local_pool(chain, risks, 2)
    try:
        there = build_curves(chain, risks, keys, 30.0, executor=pool, chunk=3)
    finally:
        pool.shutdown()
    for k in keys:
        assert all(np.array_equal(a, b) for a, b in zip(here[k].xs, there[k].xs, strict=True))
        assert all(np.array_equal(a, b) for a, b in zip(here[k].ys, there[k].ys, strict=True))


@pytest.mark.parametrize("seed", [3, 11])
def test_curves_cut_at_the_drawn_durations_give_the_same_years(seed: int) -> None:
    """Curves built only as far as the longest drawn duration (and span) give the same years
    as full-length curves and as direct solves; reading one beyond its end is refused."""
    chain = compile_tables(random_tables(seed))
    engine = Engine(chain)
    risks = _risks()
    events = draw(risks, 60, seed, 40.0)
    keys = sorted({(int(i),) for i in np.unique(events.risk)}) + events.joint_keys()
    spans = events.horizons()
    short = build_curves(chain, risks, keys, 40.0, engine=engine, horizons=spans)
    assert any(short[k].max_weeks < 40.0 for k in keys)
    full = build_curves(chain, risks, keys, 40.0, engine=engine)
    a = simulate(risks, events, curve_loss(short), seed)
    b = simulate(risks, events, curve_loss(full), seed)
    c = simulate(risks, events, direct_loss(engine, risks), seed)
    assert np.allclose(a.annual, b.annual, rtol=1e-9, atol=1e-6)
    assert np.allclose(a.annual, c.annual, rtol=1e-6, atol=1e-6)
    k = keys[0]
    with pytest.raises(ValueError):
        short[k](np.array([short[k].max_weeks + 1.0]))


@pytest.mark.parametrize("seed", [3, 11, 17])
def test_curves_refined_at_the_drawn_durations_give_the_same_years(seed: int) -> None:
    """Curves refined only where the drawn durations (and joint spans) fall give the same years
    as full curves and as direct solves, with fewer solves; on a process pool too."""
    from econsec.planning.curves import local_pool

    chain = compile_tables(random_tables(seed))
    engine = Engine(chain)
    risks = _risks()
    events = draw(risks, 80, seed, 40.0)
    keys = sorted({(int(i),) for i in np.unique(events.risk)}) + events.joint_keys()
    spans, points = events.horizons(), events.durations()
    assert set(points) == set(keys)
    sparse = build_curves(chain, risks, keys, 40.0, engine=engine, horizons=spans, points=points)
    full = build_curves(chain, risks, keys, 40.0, engine=engine, horizons=spans)
    a = simulate(risks, events, curve_loss(sparse), seed)
    b = simulate(risks, events, curve_loss(full), seed)
    c = simulate(risks, events, direct_loss(engine, risks), seed)
    assert np.allclose(a.annual, b.annual, rtol=1e-9, atol=1e-6)
    assert np.allclose(a.annual, c.annual, rtol=1e-6, atol=1e-6)
    pool = local_pool(chain, risks, 2)
    try:
        there = build_curves(
            chain, risks, keys, 40.0, executor=pool, chunk=3, horizons=spans, points=points
        )
    finally:
        pool.shutdown()
    d = simulate(risks, events, curve_loss(there), seed)
    assert np.array_equal(a.annual, d.annual)
