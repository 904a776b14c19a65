"""Loss curves: the interpolated lost margin equals a direct TTR solve (the engine's, and the
independent dense LP of tests/stress/reference.py) at random durations, on random networks."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.planning.losscurve import loss_curve
from econsec.stress.engine import Engine
from econsec.stress.scenario import resolve
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables
from tests.stress.reference import reference_ttr
from tests.stress.test_crosscheck import scenario


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("seed", range(24))
def test_curve_equals_direct_solves(seed: int) -> None:
    rng = np.random.default_rng(seed)
    chain = compile_tables(random_tables(seed, tight=bool(seed % 2)))
    engine = Engine(chain)
    sc = scenario(int(rng.integers(0, 6)), int(rng.integers(0, 5)), 0.5, 10.0)
    dis = resolve(sc, chain)
    curve = loss_curve(engine, dis, 60.0)
    # Random durations, and the qualification weeks themselves (where the curve may jump).
    durations = [*rng.uniform(0.0, 60.0, 6), *[float(q) for q in chain.alt_qualification_weeks]]
    for d in durations:
        if not 0 < d <= 60.0:
            continue
        got = float(curve([d])[0])
        direct = engine.run(dis, float(d), per_product=False, explain=False)
        assert close(got, direct.excess_lost_margin), (seed, d, got, direct.excess_lost_margin)
        if engine.prog.baseline_ok:
            assert close(got, reference_ttr(chain, dis, float(d))), (seed, d)
    assert float(curve([0.0])[0]) == 0.0


@pytest.mark.parametrize("seed", range(24))
def test_curve_refined_at_chosen_durations_equals_direct_solves(seed: int) -> None:
    """Refined only where the durations fall: exact there, and refuses to be read elsewhere."""
    rng = np.random.default_rng(100 + seed)
    chain = compile_tables(random_tables(seed, tight=bool(seed % 2)))
    engine = Engine(chain)
    sc = scenario(int(rng.integers(0, 6)), int(rng.integers(0, 5)), 0.5, 10.0)
    dis = resolve(sc, chain)
    weeks = [float(q) for q in chain.alt_qualification_weeks if 0 < q <= 60.0]
    points = np.array([*rng.uniform(0.0, 60.0, 5), *weeks[:3]])
    curve = loss_curve(engine, dis, 60.0, points)
    for d in points:
        got = float(curve([d])[0])
        direct = engine.run(dis, float(d), per_product=False, explain=False)
        assert close(got, direct.excess_lost_margin), (seed, d, got, direct.excess_lost_margin)
    assert curve.proven is not None  # refined at points: which segments were proved is known
    unproven = [
        0.5 * (x[j] + x[j + 1])
        for x, ok in zip(curve.xs, curve.proven, strict=True)
        for j in np.flatnonzero(~ok)
        if x[j + 1] > x[j]
    ]
    for d in unproven:
        with pytest.raises(ValueError):
            curve([d])


def test_no_loss_at_the_longest_duration_costs_one_solve() -> None:
    chain = compile_tables(random_tables(3, tight=False))
    engine = Engine(chain)
    for site in range(6):
        dis = resolve(scenario(site, 1, 0.01, 10.0), chain)
        curve = loss_curve(engine, dis, 60.0)
        if engine.prog.baseline_ok and float(curve([60.0])[0]) == 0.0:
            assert curve.solves <= 1
            assert float(curve([30.0])[0]) == 0.0
            return
    pytest.skip("no disruption without loss on this network")
