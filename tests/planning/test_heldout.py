"""The held-out check of benchmark (c), small: six candidates on the demo company, every one of
the 64 subsets applied to the chain and every sampled event re-solved by the stress engine;
Benders and the monolithic MILP reach the brute-force optimum with no budget, with one-off and
annual budgets and with a CVaR95 limit, and both refuse the limit with zero budgets."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.mitigation.brute import demo_candidates, questions
from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import load_risks
from econsec.planning.portfolio import brute_force, drawn_events, optimise, prepare
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.generators.demo import demo_company

RISKS = Path(__file__).resolve().parents[2] / "examples" / "planning" / "risks.yaml"


def test_six_demo_candidates_against_every_subset() -> None:
    chain = compile_tables(demo_company())
    rs = load_risks(RISKS, chain)
    measures = demo_candidates(chain, 6)
    assert len(measures) == 6
    samples, years = drawn_events(rs.risks, 8, 1, rs.max_weeks)
    problem = prepare(chain, rs.risks, measures, samples, rs.max_weeks, years=years)
    losing = {s for s, v in zip(samples, problem.base_loss, strict=True) if v > 0}
    changeable = {b.sample for b in problem.blocks}
    # the candidates change most events that lose anything (the rest no measure can change)
    assert len(changeable) >= 0.75 * len(losing) and len(changeable) >= 5
    asked = questions(problem)
    optima = []
    for name, kw in asked.items():
        _, value = brute_force(chain, rs.risks, measures, samples, years=years, **kw)
        for method in ("benders", "milp"):
            if math.isinf(value):
                with pytest.raises(PlanningError) as err:
                    optimise(problem, method=method, **kw)
                assert err.value.key == "planning.cvar.unreachable", name
                continue
            p = optimise(problem, method=method, **kw)
            assert p.objective == pytest.approx(value, rel=1e-7), (name, method)
        optima.append(value)
    assert math.isinf(optima[-1])  # limit + zero budgets: no portfolio
    assert optima[2] > optima[0]  # the limit binds
