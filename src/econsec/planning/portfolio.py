"""Portfolio optimisation: which measures to buy under a budget (docs/decisions/0101).

A two-stage stochastic MILP solved with HiGHS. First stage: one binary per candidate measure.
Second stage: per sampled event (a risk, or risks occurring together, for a duration), the whole
TTR programme at that horizon, its right-hand side and bounds moved by the chosen measures.
Objective: annualised cost of the measures plus the expected annual loss over the samples.

Every measure only relaxes the programme (more stock or capacity, earlier qualification, a
chokepoint avoided, a shorter outage), so an event's loss with *all* candidates is the least it
can be: where it equals the loss with none, no portfolio changes it and the event enters as a
constant (from the exact loss curves, reused across events of one risk) instead of a copy of the
programme. Only events some portfolio can change get a programme copy.

For one event the programme of measure *m* differs from the base one in right-hand sides and
column bounds; these differences are added with weight x_m. Entries that switch between finite
and infinite (an alternative admitted, a link re-opened) use a bound M on any flow or row
activity. The sum of all differences must equal the all-measures programme, which is checked:
two measures changing one entry in a way that does not add up are refused, not mis-modelled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.planning import benders, milp
from econsec.planning import cvar as cv
from econsec.planning.blocklp import block_lp
from econsec.planning.curves import Key, build_curves, disruption_of
from econsec.planning.enumeration import brute_force as brute_force  # the check, re-exported
from econsec.planning.errors import PlanningError
from econsec.planning.events import (
    Sample,
    Years,
    event_loss,
    recovery_factor,
)
from econsec.planning.events import drawn_events as drawn_events  # re-exported
from econsec.planning.events import event_samples as event_samples
from econsec.planning.likelihood import Risk
from econsec.planning.losscurve import LossCurve
from econsec.planning.measures import Applied, CostParameters, Measure, apply_measures
from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_TOL = 1e-7
METHODS = ("benders", "milp")
CURVE_FROM = 3
"""Events of one risk set from which its loss curve is built rather than each solved."""


# ---- the programme of one event at a fixed horizon ------------------------------------------
def _bounds(engine: Engine, dis: Disruption, weeks: float) -> tuple[FloatArray, FloatArray]:
    """Row upper bounds and column upper bounds (t column dropped) of the TTR programme."""
    prog = engine.prog
    state = engine.apply(dis)
    try:
        with np.errstate(invalid="ignore"):
            rhs = state.row_upper - state.t_coef * weeks
        rhs[np.isinf(state.row_upper)] = np.inf
        upper = state.col_upper.copy()
        # Alternatives qualified strictly before the horizon carry flow (as Engine.run).
        idle = (prog.alt_weeks >= weeks) | state.alt_closed
        upper[prog.a0 + np.flatnonzero(idle)] = 0.0
        rows = prog.acap_row_of_alt[idle]
        rhs[rows[rows >= 0]] = np.inf
    finally:
        engine.release(state)
    return rhs, upper[1:]


@dataclass
class _Block:
    """One event's programme copy: rows and columns, and how measures move its bounds."""

    sample: Sample
    rhs: FloatArray
    upper: FloatArray
    rhs_moves: list[tuple[int, IntArray, FloatArray]]  # measure, rows, finite change
    rhs_switch: list[tuple[int, IntArray, FloatArray, bool]]  # measure, rows, value, opens
    col_moves: list[tuple[int, IntArray, FloatArray]]
    col_switch: list[tuple[int, IntArray, FloatArray, bool]]
    big_m: float
    selector: tuple[int, bool] | None = None  # (measure, counts when chosen) for copies


def _diff(
    base: FloatArray, other: FloatArray
) -> tuple[IntArray, FloatArray, IntArray, FloatArray, bool]:
    """Finite changes, and entries becoming infinite/finite (switches) with the finite value."""
    fb, fo = np.isfinite(base), np.isfinite(other)
    both = fb & fo
    with np.errstate(invalid="ignore"):
        delta = np.where(both, other - base, 0.0)
    moved = np.flatnonzero(np.abs(delta) > 0)
    opens = np.flatnonzero(fb & ~fo)  # finite → infinite
    closes = np.flatnonzero(~fb & fo)  # infinite → finite
    if opens.size and closes.size:
        raise PlanningError("planning.optimise.not_additive", measures="?")
    if opens.size:
        return moved, delta[moved], opens, base[opens], True
    return moved, delta[moved], closes, other[closes], False


# ---- the optimiser ---------------------------------------------------------------------------
@dataclass
class Portfolio:
    """The chosen measures and what they buy."""

    chosen: list[str]
    objective: float  # annualised cost + expected annual loss
    cost: float  # annualised
    one_off: float
    annual: float
    eal_before: float
    eal_after: float
    samples: int
    modelled: int  # samples some portfolio can change (a programme copy each)
    gap: float
    seconds: float = 0.0
    status: str = ""
    marginal: dict[str, float] = field(default_factory=dict)
    method: str = ""
    rounds: int = 0  # Benders: master solves (all questions asked of the solver)
    cuts: int = 0
    lp_solves: int = 0  # Benders: block LP solves
    cvar_level: float = cv.DEFAULT_LEVEL
    cvar_limit: float | None = None
    cvar_before: float | None = None  # CVaR of the annual loss (samples' years), if known
    cvar_after: float | None = None


@dataclass
class Problem:
    """Candidates and samples, with everything the MILP needs precomputed."""

    chain: CompiledChain
    risks: list[Risk]
    measures: list[Measure]  # resolved (costs filled in)
    applied: list[Applied]  # one measure each
    samples: list[Sample]
    params: CostParameters
    constant: float = 0.0  # expected annual loss of the samples no portfolio changes
    base_loss: FloatArray = field(default_factory=lambda: np.zeros(0))
    blocks: list[_Block] = field(default_factory=list)
    matrix: sp.csr_matrix | None = None
    margin: FloatArray = field(default_factory=lambda: np.zeros(0))
    demand: FloatArray = field(default_factory=lambda: np.zeros(0))
    l_first: int = 0
    years: Years | None = None  # which samples each simulated year holds (for CVaR)
    best_loss: FloatArray = field(default_factory=lambda: np.zeros(0))  # every candidate

    @property
    def annualised(self) -> FloatArray:
        return np.array([m.annualised(self.params) for m in self.measures])


def _check_candidates(measures: Sequence[Measure]) -> None:
    seen: set[str] = set()
    for m in measures:
        if m.id in seen:
            raise PlanningError("planning.measure.duplicate", where=m.where, value=m.id)
        seen.add(m.id)


def prepare(
    chain: CompiledChain,
    risks: Sequence[Risk],
    measures: Sequence[Measure],
    samples: Sequence[Sample],
    max_weeks: float,
    params: CostParameters | None = None,
    *,
    engine: Engine | None = None,
    curves: dict[Key, LossCurve] | None = None,
    years: Years | None = None,
) -> Problem:
    """Resolve the candidates, find the events they can change, build those events' blocks.

    ``years`` (from ``drawn_events``) says which samples each simulated year holds; a CVaR
    limit needs it."""
    params = params or CostParameters()
    risks = list(risks)
    _check_candidates(measures)
    engine = engine or Engine(chain)
    if not engine.prog.baseline_ok:
        raise PlanningError("planning.optimise.normal_shortfall")
    applied = [apply_measures(chain, [m], params) for m in measures]
    resolved = [a.measures[0] for a in applied]
    every = apply_measures(chain, list(measures), params)
    problem = Problem(chain, risks, resolved, applied, list(samples), params, years=years)
    if not samples:
        problem.base_loss = np.zeros(0)
        return problem
    # Loss with no measure and with every measure. A risk set met in several events gets its
    # exact loss curve (built once, read at each duration); one met once or twice is solved
    # directly, which costs one LP instead of the curve's dozens.
    counts: dict[Key, int] = {}
    for s in samples:
        counts[s.key] = counts.get(s.key, 0) + 1
    shared = sorted(k for k, n in counts.items() if n >= CURVE_FROM)
    curves = dict(curves or {})
    missing = [k for k in shared if k not in curves]
    curves.update(build_curves(chain, risks, missing, max_weeks, engine=engine))
    all_engine = Engine(every.chain)
    all_curves = build_curves(every.chain, risks, shared, max_weeks, engine=all_engine)
    nothing = apply_measures(chain, [], params)

    def loss(table: dict[Key, LossCurve], eng: Engine, applied: Applied, s: Sample) -> float:
        if s.key in table:
            weeks = s.weeks * recovery_factor(applied, risks, s)
            return float(table[s.key](np.array([weeks]))[0])
        return event_loss(eng, applied, risks, s)

    none = np.array([loss(curves, engine, nothing, s) for s in samples])
    best = np.array([loss(all_curves, all_engine, every, s) for s in samples])
    problem.base_loss = none
    problem.best_loss = best
    changes = none - best > _TOL * np.maximum(1.0, none)
    weights = np.array([s.weight for s in samples])
    problem.constant = float(weights[~changes] @ none[~changes])
    prog = engine.prog
    problem.matrix = prog.matrix_csr[:, 1:].tocsr()
    problem.margin = np.maximum(prog.margin, 0.0)
    problem.demand = chain.demand_per_week.astype(np.float64)
    problem.l_first = prog.l0 - 1
    recovery = [j for j, m in enumerate(resolved) if m.kind == "faster_recovery"]
    builder = _Builder(chain, risks, list(measures), params, engine)
    for s in (samples[int(i)] for i in np.flatnonzero(changes)):
        touching = [j for j in recovery if recovery_factor(applied[j], risks, s) != 1.0]
        if len(touching) > 1:
            raise PlanningError(
                "planning.optimise.not_additive",
                measures=", ".join(resolved[j].id for j in touching),
            )
        if not touching:
            problem.blocks.append(builder.block(s, None, recovery))
            continue
        # A shorter outage changes the horizon itself: one copy of the event per choice,
        # the copy that does not apply counting no loss.
        problem.blocks.append(builder.block(s, (touching[0], False), recovery))
        problem.blocks.append(builder.block(s, (touching[0], True), recovery))
    return problem


class _Builder:
    """Event blocks: the programme's bounds with measure sets applied (engines cached)."""

    def __init__(
        self,
        chain: CompiledChain,
        risks: list[Risk],
        measures: list[Measure],
        params: CostParameters,
        engine: Engine,
    ) -> None:
        self.chain, self.risks, self.measures, self.params = chain, risks, measures, params
        self.cache: dict[tuple[int, ...], tuple[Applied, Engine]] = {
            (): (apply_measures(chain, [], params), engine)
        }
        self.demand_week = float(chain.demand_per_week.sum())

    def variant(self, chosen: tuple[int, ...]) -> tuple[Applied, Engine]:
        key = tuple(sorted(chosen))
        if key not in self.cache:
            applied = apply_measures(self.chain, [self.measures[j] for j in key], self.params)
            self.cache[key] = (applied, Engine(applied.chain))
        return self.cache[key]

    def bounds(self, s: Sample, chosen: tuple[int, ...]) -> tuple[FloatArray, FloatArray, float]:
        applied, engine = self.variant(chosen)
        weeks = s.weeks * recovery_factor(applied, self.risks, s)
        rhs, upper = _bounds(engine, disruption_of(applied.chain, self.risks, s.key), weeks)
        return rhs, upper, weeks

    def block(self, s: Sample, selector: tuple[int, bool] | None, recovery: list[int]) -> _Block:
        base: tuple[int, ...] = (selector[0],) if selector and selector[1] else ()
        rhs, upper, weeks = self.bounds(s, base)
        block = _Block(s, rhs, upper, [], [], [], [], 0.0, selector)
        total_rhs, total_up = rhs.copy(), upper.copy()
        others = [j for j in range(len(self.measures)) if j not in recovery]
        for j in others:
            r_m, u_m, _ = self.bounds(s, (*base, j))
            try:
                rows, d_r, srows, sval, sopen = _diff(rhs, r_m)
                cols, d_c, scols, cval, copen = _diff(upper, u_m)
            except PlanningError as exc:
                raise PlanningError(
                    "planning.optimise.not_additive", measures=self.measures[j].id
                ) from exc
            if rows.size:
                block.rhs_moves.append((j, rows, d_r))
                total_rhs[rows] += d_r
            if srows.size:
                block.rhs_switch.append((j, srows, sval, sopen))
                total_rhs[srows] = np.inf if sopen else sval
            if cols.size:
                block.col_moves.append((j, cols, d_c))
                total_up[cols] += d_c
            if scols.size:
                block.col_switch.append((j, scols, cval, copen))
                total_up[scols] = np.inf if copen else cval
        r_all, u_all, _ = self.bounds(s, (*base, *others))
        if not (_same(total_rhs, r_all) and _same(total_up, u_all)):
            raise PlanningError(
                "planning.optimise.not_additive",
                measures=", ".join(self.measures[j].id for j in others),
            )
        finite = np.concatenate([rhs[np.isfinite(rhs)], r_all[np.isfinite(r_all)]])
        # Every flow and row activity of an optimal plan stays within what the chain holds
        # and can make over the horizon; M is a generous multiple of that.
        block.big_m = 100.0 * (1.0 + float(np.abs(finite).sum()) + self.demand_week * weeks)
        return block


def _same(a: FloatArray, b: FloatArray) -> bool:
    fa, fb = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(fa, fb):
        return False
    return bool(np.allclose(a[fa], b[fb], rtol=1e-9, atol=1e-9))


def _budget_rows(
    problem: Problem, one_off_budget: float | None, annual_budget: float | None
) -> list[tuple[FloatArray, float]]:
    for name, value in (("one_off_budget", one_off_budget), ("annual_budget", annual_budget)):
        if value is not None and (not math.isfinite(value) or value < 0):
            raise PlanningError("planning.optimise.bad_budget", field=name, value=value)
    rows = []
    if one_off_budget is not None:
        rows.append((np.array([m.one_off_cost for m in problem.measures]), one_off_budget))
    if annual_budget is not None:
        rows.append((np.array([m.annual_cost for m in problem.measures]), annual_budget))
    return rows


class Solver:
    """Solves a problem's MILP, by Benders decomposition (default) or in one piece.

    One solver answers several questions on a problem (portfolio, marginal values, frontier);
    the decomposition keeps its cuts and its block LPs (on ``workers`` processes) between them.
    """

    def __init__(self, problem: Problem, method: str = "benders", workers: int = 0) -> None:
        if method not in METHODS:
            raise ValueError(method)
        self.problem, self.method = problem, method
        self.blocks = [block_lp(problem, b) for b in problem.blocks]
        self.decomposition: benders.Decomposition | None = None
        self.last_values = np.zeros(len(self.blocks))
        if method == "benders" and self.blocks:
            self.decomposition = benders.Decomposition(self.blocks, problem.annualised, workers)

    def __enter__(self) -> Solver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.decomposition is not None:
            self.decomposition.close()

    def solve(
        self,
        budget_rows: list[tuple[FloatArray, float]],
        fixed: dict[int, bool] | None = None,
        time_limit: float | None = None,
        cvar: cv.Rows | None = None,
    ) -> tuple[FloatArray, float, str, float]:
        """(x, objective with the problem's constant, status, relative gap).

        A CVaR limit no portfolio within the budgets keeps raises
        ``planning.optimise.infeasible``."""
        cost = self.problem.annualised
        if self.decomposition is None:
            x, value, status, gap, values = milp.solve(
                self.blocks, cost, budget_rows, fixed, time_limit, cvar
            )
            self.last_values = values
            return x, value + self.problem.constant, status, gap
        out = self.decomposition.solve(budget_rows, fixed, time_limit, cvar)
        self.last_values = self.decomposition.evaluate(out.x)[0]
        return out.x, out.objective + self.problem.constant, "Optimal", out.gap

    def sample_loss(self) -> FloatArray:
        """Each sample's loss at the portfolio of the last solve."""
        p = self.problem
        loss = p.base_loss.copy()
        index = {s: i for i, s in enumerate(p.samples)}
        touched = {index[b.sample] for b in p.blocks}
        for i in touched:
            loss[i] = 0.0
        for b, v in zip(p.blocks, self.last_values, strict=True):
            loss[index[b.sample]] += v / b.sample.weight
        return loss


def _unreachable(problem: Problem, limit: cv.Limit) -> PlanningError:
    """The located refusal of a CVaR limit no portfolio within the budgets keeps."""
    assert problem.years is not None
    level = f"{limit.level * 100:g}"
    every = cv.sample_cvar(problem.years, problem.best_loss, limit.level)
    before = cv.sample_cvar(problem.years, problem.base_loss, limit.level)
    return PlanningError(
        "planning.cvar.unreachable", field="cvar_limit", value=f"{limit.value:,.0f}",
        level=level, every=f"{every:,.0f}", before=f"{before:,.0f}",
    )  # fmt: skip


def cvar_rows(problem: Problem, limit: cv.Limit | None) -> cv.Rows | None:
    if limit is None:
        return None
    if problem.years is None:
        raise ValueError("a CVaR limit needs the samples' years (prepare(..., years=...))")
    return cv.rows(problem, limit)


def optimise(
    problem: Problem,
    *,
    one_off_budget: float | None = None,
    annual_budget: float | None = None,
    cvar_limit: float | None = None,
    cvar_level: float | None = None,
    marginal: bool = False,
    time_limit: float | None = None,
    method: str = "benders",
    workers: int = 0,
    solver: Solver | None = None,
) -> Portfolio:
    """The portfolio minimising annualised cost + expected annual loss within the budgets and,
    with ``cvar_limit``, keeping CVaR at ``cvar_level`` (default 0.95) of the annual loss at or
    below the limit (docs/decisions/0104)."""
    import time

    rows = _budget_rows(problem, one_off_budget, annual_budget)
    limit = cv.check(cvar_limit, cvar_level)
    level = cv.DEFAULT_LEVEL if cvar_level is None else float(cvar_level)
    tail = cvar_rows(problem, limit)
    started = time.perf_counter()
    own = solver is None
    solver = solver or Solver(problem, method, workers)
    try:
        try:
            x, objective, status, gap = solver.solve(rows, None, time_limit, tail)
        except PlanningError as exc:
            if exc.key == "planning.optimise.infeasible" and limit is not None:
                raise _unreachable(problem, limit) from exc
            raise
        ms = problem.measures
        chosen = [m.id for m, v in zip(ms, x, strict=True) if v > 0.5]
        cost = float(problem.annualised @ x) if x.size else 0.0
        weights = np.array([s.weight for s in problem.samples])
        out = Portfolio(
            chosen=chosen,
            objective=objective,
            cost=cost,
            one_off=float(sum(m.one_off_cost for m, v in zip(ms, x, strict=True) if v > 0.5)),
            annual=float(sum(m.annual_cost for m, v in zip(ms, x, strict=True) if v > 0.5)),
            eal_before=float(weights @ problem.base_loss) if weights.size else 0.0,
            eal_after=objective - cost,
            samples=len(problem.samples),
            modelled=len(problem.blocks),
            gap=gap,
            status=status,
            method=solver.method,
            cvar_level=level,
            cvar_limit=None if limit is None else limit.value,
        )
        if problem.years is not None:
            out.cvar_before = cv.sample_cvar(problem.years, problem.base_loss, level)
            out.cvar_after = cv.sample_cvar(problem.years, solver.sample_loss(), level)
        if marginal:
            # A measure's marginal value: how much worse the objective is without it (chosen)
            # or how much better with it (not chosen), the rest of the portfolio re-optimised.
            for j, m in enumerate(ms):
                try:
                    _, other, _, _ = solver.solve(rows, {j: not x[j] > 0.5}, time_limit, tail)
                except PlanningError:
                    continue  # buying it breaks the budget (or without it the CVaR limit)
                out.marginal[m.id] = other - objective
        if solver.decomposition is not None:
            out.rounds = solver.decomposition.rounds
            out.cuts = solver.decomposition.cuts
            out.lp_solves = solver.decomposition.solves
    finally:
        if own:
            solver.close()
    out.seconds = time.perf_counter() - started
    return out


def frontier(
    problem: Problem,
    budgets: Sequence[float],
    *,
    annual: bool = False,
    solver: Solver | None = None,
    cvar_limit: float | None = None,
    cvar_level: float | None = None,
) -> list[dict[str, Any]]:
    """Budget against residual expected loss: the portfolio at each one-off (or annual) budget.

    With a CVaR limit, budgets within which no portfolio keeps it are left out."""
    rows = []
    own = solver is None
    solver = solver or Solver(problem)
    portfolios: list[tuple[float, Portfolio]] = []
    try:
        for budget in budgets:
            try:
                p = optimise(
                    problem,
                    one_off_budget=None if annual else budget,
                    annual_budget=budget if annual else None,
                    cvar_limit=cvar_limit,
                    cvar_level=cvar_level,
                    solver=solver,
                )
            except PlanningError as exc:
                if exc.key != "planning.cvar.unreachable":
                    raise
                continue
            portfolios.append((budget, p))
    finally:
        if own:
            solver.close()
    for budget, p in portfolios:
        rows.append(
            {
                "budget": float(budget),
                "chosen": p.chosen,
                "cost": p.cost,
                "one_off": p.one_off,
                "annual": p.annual,
                "eal_after": p.eal_after,
                "cvar_after": p.cvar_after,
            }
        )
    return rows


def tts_after(
    chain: CompiledChain, measures: Sequence[Measure], risks: Sequence[Risk]
) -> list[dict[str, Any]]:
    """TTS per product of every scenario risk, before and after the measures (engine re-runs)."""
    applied = apply_measures(chain, list(measures))
    before_engine, after_engine = Engine(chain), Engine(applied.chain)
    rows = []
    for r in risks:
        if r.scenario is None:
            continue
        weeks = r.scenario.duration_weeks
        before = before_engine.run(r.disruption(chain), weeks, explain=False)
        after = after_engine.run(r.disruption(applied.chain), weeks, explain=False)
        for item in sorted(set(before.product_tts) | set(after.product_tts)):
            tb = before.product_tts.get(item, math.inf)
            ta = after.product_tts.get(item, math.inf)
            if tb >= weeks and ta >= weeks:
                continue  # covered before and after: nothing to report
            rows.append(
                {
                    "scenario": r.label,
                    "duration_weeks": weeks,
                    "product": chain.item_ids[item],
                    "tts_before": tb,
                    "tts_after": ta,
                }
            )
    return rows


def optimise_result(
    chain: CompiledChain,
    risks: Any,
    candidates: Sequence[Measure],
    *,
    years: int,
    seed: int,
    one_off_budget: float | None = None,
    annual_budget: float | None = None,
    cvar_limit: float | None = None,
    cvar_level: float | None = None,
    frontier_points: int = 0,
    marginal: bool = False,
    params: CostParameters | None = None,
    method: str = "benders",
    workers: int = 0,
) -> dict[str, Any]:
    """Everything ``plan optimise`` shows and stores, as plain data (JSON-ready)."""
    params = params or CostParameters()
    cv.check(cvar_limit, cvar_level)  # refused before any work
    samples, drawn = drawn_events(risks.risks, years, seed, risks.max_weeks)
    problem = prepare(chain, risks.risks, candidates, samples, risks.max_weeks, params, years=drawn)
    points: list[dict[str, Any]] = []
    with Solver(problem, method, workers) as solver:
        best = optimise(
            problem,
            one_off_budget=one_off_budget,
            annual_budget=annual_budget,
            cvar_limit=cvar_limit,
            cvar_level=cvar_level,
            marginal=marginal,
            solver=solver,
        )
        if frontier_points > 0:
            total = sum(m.one_off_cost for m in problem.measures)
            top = total if one_off_budget is None else min(total, one_off_budget)
            budgets = np.linspace(0.0, top, frontier_points).tolist()
            points = frontier(
                problem, budgets, solver=solver, cvar_limit=cvar_limit, cvar_level=cvar_level
            )
    chosen = [m for m in problem.measures if m.id in best.chosen]
    return {
        "data_version": chain.version,
        "years": years,
        "seed": seed,
        "max_weeks": risks.max_weeks,
        "one_off_budget": one_off_budget,
        "annual_budget": annual_budget,
        "cvar_limit": cvar_limit,
        "cvar_level": best.cvar_level,
        "portfolio": {
            "chosen": best.chosen,
            "objective": best.objective,
            "cost": best.cost,
            "one_off": best.one_off,
            "annual": best.annual,
            "eal_before": best.eal_before,
            "eal_after": best.eal_after,
            "cvar_level": best.cvar_level,
            "cvar_pct": f"{best.cvar_level * 100:g}",
            "cvar_limit": best.cvar_limit,
            "cvar_before": best.cvar_before,
            "cvar_after": best.cvar_after,
            "samples": best.samples,
            "modelled": best.modelled,
            "gap": best.gap,
            "seconds": best.seconds,
            "method": best.method,
            "rounds": best.rounds,
            "cuts": best.cuts,
        },
        "measures": [
            {
                **m.to_dict(),
                "annualised": m.annualised(params),
                "chosen": m.id in best.chosen,
                "marginal": best.marginal.get(m.id),
            }
            for m in problem.measures
        ],
        "frontier": points,
        "tts": tts_after(chain, chosen, risks.risks) if chosen else [],
    }
