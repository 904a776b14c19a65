"""The CVaR limit on the portfolio (docs/decisions/0104): Benders, the monolithic MILP and
brute-force enumeration (every subset applied to the chain, every event re-solved by the stress
engine, the annual losses' CVaR computed from them) choose the same portfolio."""

from __future__ import annotations

import math

import numpy as np
import pytest

from econsec.planning import cvar as cv
from econsec.planning.errors import PlanningError
from econsec.planning.portfolio import Solver, brute_force, drawn_events, event_samples, optimise
from econsec.planning.portfolio import prepare as prepare_problem
from econsec.valuechain.compile import compile_tables
from tests.planning.test_portfolio import _candidates, _risks
from tests.stress.netgen import random_tables


def _tail_mean(annual: np.ndarray, level: float) -> float:
    """CVaR as the mean of the worst (1 − α)·N years, the boundary year counted in part."""
    mass = (1.0 - level) * annual.size
    worst = np.sort(annual)[::-1]
    whole = math.floor(mass + 1e-12)
    total = float(worst[:whole].sum())
    if whole < annual.size:
        total += (mass - whole) * float(worst[whole])
    return total / mass


@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.97, 0.99, 0.999])
@pytest.mark.parametrize("n", [1, 7, 20, 100, 333])
def test_cvar_is_the_tail_mean(level: float, n: int) -> None:
    rng = np.random.default_rng(n)
    annual = np.where(rng.random(n) < 0.6, 0.0, rng.lognormal(10, 2, n))
    annual[: n // 5] = annual[0]  # ties
    assert cv.cvar(annual, level) == pytest.approx(_tail_mean(annual, level), rel=1e-12)


def test_years_add_up_to_the_samples_weights() -> None:
    risks = _risks()
    samples, years = drawn_events(risks, 50, 4, 40.0)
    assert samples == event_samples(risks, 50, 4, 40.0)
    counts = np.asarray(years.counts.sum(axis=0)).ravel()
    assert counts / 50 == pytest.approx([s.weight for s in samples])
    loss = np.arange(1.0, len(samples) + 1)
    annual = years.annual(loss)
    assert annual.size == 50
    assert annual.mean() == pytest.approx(
        sum(s.weight * v for s, v in zip(samples, loss, strict=True))
    )


@pytest.mark.parametrize("seed", [2, 3, 5, 8])
def test_cvar_limit_milp_benders_and_enumeration_agree(seed: int) -> None:
    chain = compile_tables(random_tables(seed))
    risks = _risks()
    samples, years = drawn_events(risks, 20, seed, 40.0)
    base = prepare_problem(chain, risks, [], samples, 40.0)
    scale = max(1.0, float(np.array([s.weight for s in samples]) @ base.base_loss))
    measures = _candidates(chain, np.random.default_rng(seed), scale)
    problem = prepare_problem(chain, risks, measures, samples, 40.0, years=years)
    free = optimise(problem)
    every = cv.sample_cvar(years, problem.best_loss, 0.95)
    assert free.cvar_after is not None and free.cvar_before is not None
    limits = [(every + free.cvar_after) / 2, every * (1 + 1e-6)]
    with Solver(problem, "benders") as benders, Solver(problem, "milp") as milp:
        for limit in limits:
            a = optimise(problem, cvar_limit=limit, solver=benders, marginal=True)
            b = optimise(problem, cvar_limit=limit, solver=milp, marginal=True)
            _, value = brute_force(chain, risks, measures, samples, years=years, cvar_limit=limit)
            assert a.objective == pytest.approx(value, rel=1e-7, abs=1e-6)
            assert b.objective == pytest.approx(value, rel=1e-7, abs=1e-6)
            assert a.cvar_after is not None and a.cvar_after <= limit * (1 + 1e-8)
            # the chosen set, re-run by the engine, keeps the limit and has the objective
            picked = [m for m in measures if m.id in a.chosen]
            assert brute_force(chain, risks, picked, samples, years=years, cvar_limit=limit)[
                1
            ] == pytest.approx(a.objective, rel=1e-7, abs=1e-6)
            for key, v in a.marginal.items():
                assert v == pytest.approx(b.marginal[key], rel=1e-6, abs=1e-3)
        # below what every candidate reaches: refused by both, enumeration finds nothing
        low = every * 0.999 if every > 0 else -1.0
        if low >= 0:
            for solver in (benders, milp):
                with pytest.raises(PlanningError) as err:
                    optimise(problem, cvar_limit=low, solver=solver)
                assert err.value.key == "planning.cvar.unreachable"
                assert "cvar_limit" in err.value.message("en")
                assert "CVaR95%" in err.value.message("ja")
            assert brute_force(chain, risks, measures, samples, years=years, cvar_limit=low) == (
                [],
                math.inf,
            )


def test_the_limit_binds_somewhere() -> None:
    """Guard against a vacuous check: some network's limited optimum differs from the free one."""
    changed = []
    for seed in (2, 3, 5, 8):
        chain = compile_tables(random_tables(seed))
        risks = _risks()
        samples, years = drawn_events(risks, 20, seed, 40.0)
        base = prepare_problem(chain, risks, [], samples, 40.0)
        scale = max(1.0, float(np.array([s.weight for s in samples]) @ base.base_loss))
        measures = _candidates(chain, np.random.default_rng(seed), scale)
        problem = prepare_problem(chain, risks, measures, samples, 40.0, years=years)
        free = optimise(problem)
        assert free.cvar_after is not None
        every = cv.sample_cvar(years, problem.best_loss, 0.95)
        if every < free.cvar_after * (1 - 1e-6):
            limited = optimise(problem, cvar_limit=(every + free.cvar_after) / 2)
            changed.append(limited.objective > free.objective * (1 + 1e-9))
    assert any(changed)


@pytest.mark.parametrize(
    ("limit", "level", "field"),
    [(-1.0, 0.95, "cvar_limit"), (math.nan, 0.95, "cvar_limit"), (math.inf, 0.95, "cvar_limit"),
     (1e9, 0.4, "cvar_level"), (1e9, 1.0, "cvar_level"), (None, 1.5, "cvar_level"),
     (1e9, math.nan, "cvar_level")],
)  # fmt: skip
def test_bad_limits_are_refused_in_both_languages(
    limit: float | None, level: float, field: str
) -> None:
    chain = compile_tables(random_tables(2))
    risks = _risks()
    samples, years = drawn_events(risks, 12, 2, 40.0)
    problem = prepare_problem(chain, risks, [], samples, 40.0, years=years)
    with pytest.raises(PlanningError) as err:
        optimise(problem, cvar_limit=limit, cvar_level=level)
    assert field in err.value.message("en")
    assert field in err.value.message("ja")
    assert "CVaR" in err.value.message("ja")


def test_no_changeable_event_is_checked_as_a_constant() -> None:
    chain = compile_tables(random_tables(2))
    risks = _risks()
    samples, years = drawn_events(risks, 12, 2, 40.0)
    problem = prepare_problem(chain, risks, [], samples, 40.0, years=years)
    free = optimise(problem)
    assert free.cvar_before == free.cvar_after
    assert free.cvar_before is not None and free.cvar_before > 0
    assert optimise(problem, cvar_limit=free.cvar_before).objective == free.objective
    for method in ("benders", "milp"):
        with pytest.raises(PlanningError):
            optimise(problem, cvar_limit=free.cvar_before * 0.99, method=method)
