"""The portfolio MILP equals brute-force enumeration: every subset of the candidates applied to
the chain and each sampled event re-solved by the stress engine (no MILP involved)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from econsec.planning.errors import PlanningError
from econsec.planning.likelihood import Duration, Risk, load_risks
from econsec.planning.measures import Measure, load_measures
from econsec.planning.portfolio import (
    Sample,
    Solver,
    brute_force,
    event_samples,
    optimise,
    optimise_result,
    prepare,
)
from econsec.stress.scenario import Scenario
from econsec.valuechain.compile import compile_tables
from econsec.valuechain.compiled import CompiledChain
from econsec.valuechain.generators.demo import demo_company
from tests.stress.netgen import random_tables

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "planning"


def _risks() -> list[Risk]:
    out = [
        Risk(f"site:S{s}", f"S{s}", "site", 0.5, Duration("lognormal", 6.0, 15.0), (2 + s,))
        for s in range(6)
    ]
    sc = Scenario(
        {"name": "strait", "duration_weeks": 8,
         "events": [{"kind": "chokepoint_closure", "chokepoints": ["STRAIT"]}]}
    )  # fmt: skip
    out.append(
        Risk("scenario:x", "strait", "scenario", 0.4, Duration("triangular", 2, 8, 30), (), sc)
    )
    return out


def _candidates(chain: CompiledChain, rng: np.random.Generator, scale: float) -> list[Measure]:
    """A mix of every kind the chain allows, costs of the order of the expected loss."""
    site, item = chain.site_ids, chain.item_ids

    def cost() -> float:
        return float(rng.uniform(0.02, 0.4) * scale)

    out: list[Measure] = []
    for k in rng.choice(chain.n_slots, size=min(2, chain.n_slots), replace=False):
        out.append(
            Measure(
                f"stock-{k}", "safety_stock", site=site[chain.slot_site[k]],
                item=item[chain.slot_item[k]], weeks_of_cover=float(rng.uniform(2, 8)),
                annual_cost=cost(),
            )
        )  # fmt: skip

    def link_target(e: int) -> dict[str, str]:
        return {
            "supplier_site": site[chain.node_site[chain.link_src[e]]],
            "site": site[chain.slot_site[chain.link_slot[e]]],
            "item": item[chain.slot_item[chain.link_slot[e]]],
        }

    finite = np.flatnonzero(np.isfinite(chain.link_capacity) & chain.link_qualified)
    if finite.size:
        e = int(rng.choice(finite))
        out.append(
            Measure(
                "reserve", "reserve_capacity", **link_target(e),
                capacity_per_week=float(chain.link_capacity[e]), annual_cost=cost(),
            )
        )  # fmt: skip
    if chain.alt_src.shape[0]:
        a = int(rng.integers(chain.alt_src.shape[0]))
        out.append(
            Measure(
                "prequalify", "prequalify",
                supplier_site=site[chain.node_site[chain.alt_src[a]]],
                site=site[chain.slot_site[chain.alt_slot[a]]],
                item=item[chain.slot_item[chain.alt_slot[a]]], one_off_cost=cost() * 8,
            )
        )  # fmt: skip
    choked = np.unique(chain.link_chokepoints.tocoo().row)
    if choked.size:
        e = int(rng.choice(choked))
        out.append(
            Measure(
                "reroute", "reroute", chokepoint=chain.chokepoint_ids[0], **link_target(e),
                annual_cost=cost(),
            )
        )  # fmt: skip
    ttr = np.flatnonzero(np.isfinite(chain.site_ttr_weeks[2:8]) & (chain.site_ttr_weeks[2:8] > 1))
    if ttr.size:
        s = 2 + int(rng.choice(ttr))
        out.append(
            Measure(
                "recovery", "faster_recovery", site=site[s],
                ttr_weeks=float(chain.site_ttr_weeks[s]) / 2, one_off_cost=cost() * 8,
            )
        )  # fmt: skip
    return out


# Networks whose normal times meet all demand (the optimiser refuses the others, see below).
NETWORKS = [(2, False), (3, False), (4, False), (5, False), (8, False), (4, True), (20, True)]


@pytest.mark.parametrize(("seed", "tight"), NETWORKS)
def test_milp_equals_enumeration_on_small_networks(seed: int, tight: bool) -> None:
    chain = compile_tables(random_tables(seed, tight))
    risks = _risks()
    samples = event_samples(risks, 12, seed, 40.0)
    rng = np.random.default_rng(seed)
    problem0 = prepare(chain, risks, [], samples, 40.0)
    scale = max(1.0, float(np.array([s.weight for s in samples]) @ problem0.base_loss))
    measures = _candidates(chain, rng, scale)
    assert len(measures) >= 4
    problem = prepare(chain, risks, measures, samples, 40.0)
    best = optimise(problem)
    _, value = brute_force(chain, risks, measures, samples)
    assert best.objective == pytest.approx(value, rel=1e-6, abs=1e-6)
    # the chosen set is optimal too when evaluated by enumeration (ties may differ in name)
    assert brute_force(chain, risks, [m for m in measures if m.id in best.chosen], samples)[
        1
    ] == pytest.approx(value, rel=1e-6, abs=1e-6)
    # under a one-off budget that excludes the dearest one-off measure
    dear = max(m.one_off_cost for m in problem.measures)
    if dear > 0:
        capped = optimise(problem, one_off_budget=dear * 0.99)
        _, capped_value = brute_force(chain, risks, measures, samples, one_off_budget=dear * 0.99)
        assert capped.objective == pytest.approx(capped_value, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize(
    ("seed", "tight"),
    [(2, False), (8, False), (11, False), (14, False), (27, False), (36, False), (20, True),
     (34, True)],
)  # fmt: skip
def test_benders_equals_the_monolithic_milp(seed: int, tight: bool) -> None:
    """The decomposition's optimum is the monolithic MILP's, with and without budgets, with a
    measure held fixed (marginal values) and on the frontier, on random networks."""
    chain = compile_tables(random_tables(seed, tight))
    risks = _risks()
    samples = event_samples(risks, 20, seed, 40.0)
    base = prepare(chain, risks, [], samples, 40.0)
    scale = max(1.0, float(np.array([s.weight for s in samples]) @ base.base_loss))
    measures = _candidates(chain, np.random.default_rng(seed), scale)
    problem = prepare(chain, risks, measures, samples, 40.0)
    assert problem.blocks  # some event the candidates change
    one_off = [m.one_off_cost for m in problem.measures]
    budgets: list[float | None] = [None, 0.0, max(one_off) * 0.99 if max(one_off) else None]
    with Solver(problem, "benders") as benders, Solver(problem, "milp") as milp:
        for budget in budgets:
            a = optimise(problem, one_off_budget=budget, marginal=True, solver=benders)
            b = optimise(problem, one_off_budget=budget, marginal=True, solver=milp)
            assert a.objective == pytest.approx(b.objective, rel=1e-7, abs=1e-6)
            assert a.gap <= 1e-9
            assert a.marginal.keys() == b.marginal.keys()
            for key, value in a.marginal.items():
                assert value == pytest.approx(b.marginal[key], rel=1e-6, abs=1e-3)
            # the chosen set evaluated by the engine gives the objective (ties may differ)
            picked = [m for m in measures if m.id in a.chosen]
            assert brute_force(chain, risks, picked, samples)[1] == pytest.approx(
                a.objective, rel=1e-6, abs=1e-6
            )


def test_benders_on_worker_processes_equals_in_process() -> None:
    chain = compile_tables(random_tables(3))
    risks = _risks()
    samples = event_samples(risks, 20, 3, 40.0)
    base = prepare(chain, risks, [], samples, 40.0)
    scale = max(1.0, float(np.array([s.weight for s in samples]) @ base.base_loss))
    problem = prepare(
        chain, risks, _candidates(chain, np.random.default_rng(3), scale), samples, 40.0
    )
    here = optimise(problem)
    there = optimise(problem, workers=2)
    assert there.chosen == here.chosen
    assert there.objective == pytest.approx(here.objective, rel=1e-9)


def test_some_network_makes_the_choice_non_trivial() -> None:
    """Guard against a vacuous comparison: at least one network buys a strict, non-empty subset."""
    picks = []
    for seed, tight in NETWORKS[:3]:
        chain = compile_tables(random_tables(seed, tight))
        risks = _risks()
        samples = event_samples(risks, 12, seed, 40.0)
        base = prepare(chain, risks, [], samples, 40.0)
        scale = max(1.0, float(np.array([s.weight for s in samples]) @ base.base_loss))
        measures = _candidates(chain, np.random.default_rng(seed), scale)
        chosen = optimise(prepare(chain, risks, measures, samples, 40.0)).chosen
        picks.append(0 < len(chosen) < len(measures))
    assert any(picks)


@pytest.fixture(scope="module")
def demo() -> CompiledChain:
    return compile_tables(demo_company())


def test_demo_milp_equals_enumeration_and_buys_the_magnet_source(demo: CompiledChain) -> None:
    risks = load_risks(EXAMPLES / "risks.yaml", demo)
    measures = load_measures(EXAMPLES / "measures.yaml")
    samples = event_samples(risks.risks, 30, 1, risks.max_weeks)
    problem = prepare(demo, risks.risks, measures, samples, risks.max_weeks)
    best = optimise(problem)
    chosen, value = brute_force(demo, risks.risks, measures, samples)
    assert best.objective == pytest.approx(value, rel=1e-6)
    assert best.chosen == chosen == ["magnet-second-source"]
    # the "after" TTS is the engine's on the chain with the measure applied
    result = optimise_result(demo, risks, measures, years=30, seed=1)
    eax = [r for r in result["tts"] if r["product"] == "P-EAX150" and "Taiwan" in r["scenario"]]
    assert eax and eax[0]["tts_after"] > eax[0]["tts_before"]


def test_a_normal_time_shortfall_is_refused() -> None:
    chain = compile_tables(random_tables(1))
    with pytest.raises(PlanningError) as err:
        prepare(chain, _risks(), [], [], 40.0)
    assert "normal times" in err.value.message("en")
    assert "平常時" in err.value.message("ja")


def test_bad_budget_is_refused(demo: CompiledChain) -> None:
    problem = prepare(demo, [], [], [], 52.0)
    with pytest.raises(PlanningError) as err:
        optimise(problem, one_off_budget=-1.0)
    assert "one_off_budget" in err.value.message("en")
    assert "予算" in err.value.message("ja")


def test_samples_merge_and_weigh_per_year() -> None:
    risks = _risks()
    samples = event_samples(risks, 200, 3, 40.0)
    assert all(isinstance(s, Sample) and s.weight > 0 for s in samples)
    # total weight = events per year of the draw
    assert sum(s.weight for s in samples) == pytest.approx(
        sum(s.weight * 200 for s in samples) / 200
    )


def test_no_candidates_is_the_loss_alone() -> None:
    chain = compile_tables(random_tables(2))
    risks = _risks()
    samples = event_samples(risks, 12, 2, 40.0)
    problem = prepare(chain, risks, [], samples, 40.0)
    best = optimise(problem)
    assert best.chosen == []
    assert best.objective == pytest.approx(brute_force(chain, risks, [], samples)[1], rel=1e-6)
