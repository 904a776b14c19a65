"""TTR with its slope in the horizon: an extension point for loss curves (docs/decisions/0100).

``Engine.run`` answers one horizon. A loss curve needs, at a horizon t, the lost margin L(t)
*and* a subgradient of L at t, which is the reduced cost of the programme's t column when t is
fixed: the LP's value moves by that much per week of horizon (sensitivity of a fixed column's
bound). The restricted programme of the engine is solved as in ``Engine.run`` (same free
columns, same certificate); its t column also carries the steady state of the fixed columns,
whose reduced costs the certificate holds at zero, so its reduced cost is the full programme's.

Only the TTR programme is solved here (no TTS), and the alternatives admitted can be chosen:
those qualified by ``alternatives_through`` weeks. ``None`` means those qualified strictly
before the horizon, as ``Engine.run`` does; passing the start of a piece evaluates that piece's
programme at its left end (the right-hand limit where an unlimited alternative switches on).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt

from econsec.stress.engine import Engine, _Runner, _Sub
from econsec.stress.gather import entries
from econsec.stress.scenario import Disruption

_ALT_TOL = 1e-7
"""An alternative's reduced cost counts as negative below −this share of its terms' size."""


@dataclass(frozen=True)
class Dual:
    """Row duals of one answer: ``values`` on the full programme's rows ``rows`` (0 elsewhere)."""

    rows: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]


class ParametricTTR:
    """TTR with its slope at many horizons for one disruption (apply once, reuse the model).

    Use as a context manager: the disruption stays applied to the engine until exit. The
    restricted programme only ever widens, and each answer passes the certificate, so every
    horizon's answer is the full programme's whatever was solved before it.
    """

    def __init__(self, engine: Engine, dis: Disruption) -> None:
        self.engine = engine
        self.dis = dis
        self.solves = 0
        self._runner: _Runner | None = None
        self._trivial = False
        self._set_for: tuple[_Sub, float] | None = None  # (model, alternatives) last set up
        self.last_dual: Dual | None = None

    def __enter__(self) -> ParametricTTR:
        engine, prog, chain = self.engine, self.engine.prog, self.engine.chain
        self._state = state = engine.apply(self.dis)
        try:
            full = not prog.baseline_ok
            if not full and engine._baseline_holds(state):
                self._trivial = True
                return self
            reached = engine.reach(state.seed_nodes)
            if not full and not reached[chain.demand_node].any():
                self._trivial = True
                return self
            # With a normal-time shortfall the whole programme is solved: simpler than carrying
            # the shortfall's free set, and such chains are small or broken.
            free = engine._initial_free(state, reached, full)
            self._runner = _Runner(engine, state, free, False)
        except BaseException:
            engine.release(state)
            raise
        # Alternatives that could switch on later, by qualification week, with their entries
        # (the same for every disruption of this engine: kept with it).
        alts = _ALTERNATIVES.get(engine)
        if alts is None:
            alts = _ALTERNATIVES[engine] = _alternatives(engine)
        (self._alt_order, self._alt_weeks, self._alt_row, self._alt_val, self._alt_ptr,
         self._alt_owner) = alts  # fmt: skip
        self._entry_for: npt.NDArray[np.int64] | None = None
        self._alt_closed = self.dis.alt_closed[self._alt_order]
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.release(self._state)

    def at(self, horizon: float, alternatives_through: float | None = None) -> tuple[float, float]:
        """Least lost margin over ``horizon`` weeks and dL/dt there (a subgradient)."""
        self.last_dual = None
        if horizon <= 0 or self._trivial:
            return 0.0, 0.0
        through = (
            float(np.nextafter(horizon, -np.inf))
            if alternatives_through is None
            else float(alternatives_through)
        )
        runner, prog = self._runner, self.engine.prog
        assert runner is not None
        margin_max = float(prog.margin.max(initial=0.0))
        while True:
            sub = runner._model()
            self._setup(sub, through)
            sub.model.set_col_bounds(np.array([0]), np.array([horizon]), np.array([horizon]))
            self.solves += 1
            sol = runner._solve(sub, "TTR")
            if sol is None:
                continue
            check = sol.objective > 0 or not prog.baseline_ok
            bad = runner._violations(sub, sol, True, margin_max, horizon) if check else None
            if bad is not None and bad.size:
                basis = sub.model.basis()
                runner._widen(bad)
                if basis is not None:
                    _carry_basis(sub, runner.sub, basis)
                continue
            slope = float(sub.model.highs.getSolution().col_dual[0])
            lost = prog.rates[prog.l0 :] * horizon
            lost[sub.l_demand] = sol.col_value[sub.l_local]
            self.last_dual = Dual(sub.rows, sol.row_dual)
            return max(0.0, float(lost @ prog.margin)), slope

    def _setup(self, sub: _Sub, through: float) -> None:
        """Costs, lost-sales bounds and admitted alternatives: only when the model or the
        admitted set changed since the last answer (between horizons only t's bound moves)."""
        # The model itself is kept, not its id: a freed model's id can come back on a new one.
        if self._set_for is not None and self._set_for[0] is sub:
            if self._set_for[1] != through:
                sub.set_alternatives(self.engine, self._state, through)
                self._set_for = (sub, through)
            return
        prog = self.engine.prog
        cost = np.zeros(sub.all_cols.size)
        cost[sub.l_local] = prog.margin[sub.l_demand]
        sub.model.set_costs(cost)
        sub.model.set_col_bounds(
            sub.l_local, np.zeros(sub.l_local.size), np.full(sub.l_local.size, np.inf)
        )
        sub.set_alternatives(self.engine, self._state, through)
        self._set_for = (sub, through)

    def improving_week(self, dual: Dual | None, after: float, before: float) -> float:
        """The earliest qualification week in (``after``, ``before``) of an alternative that
        would lower the loss under ``dual`` (negative reduced cost); inf when none would.

        An answer's duals are optimal for the full programme. Admitting an alternative adds a
        column (cost 0) and its capacity row, which its value 0 leaves slack for horizons past
        its week: with a reduced cost ≥ 0 the same duals stay feasible, so the least loss is
        unchanged wherever these duals are optimal.
        """
        if self._trivial:
            return float("inf")
        lo = int(np.searchsorted(self._alt_weeks, after, side="right"))
        hi = int(np.searchsorted(self._alt_weeks, before, side="left"))
        if hi <= lo:
            return float("inf")
        if dual is None:  # nothing proves them idle: the earliest open one counts
            idle = np.flatnonzero(~self._alt_closed[lo:hi])
            return float(self._alt_weeks[lo + int(idle[0])]) if idle.size else float("inf")
        p0, p1 = int(self._alt_ptr[lo]), int(self._alt_ptr[hi])
        local = self._entry_rows(dual.rows)[p0:p1]
        y = np.where(local >= 0, dual.values[np.maximum(local, 0)], 0.0)
        terms = self._alt_val[p0:p1] * y
        owner = self._alt_owner[p0:p1] - lo
        reduced = -np.bincount(owner, weights=terms, minlength=hi - lo)
        size = np.bincount(owner, weights=np.abs(terms), minlength=hi - lo)
        bad = reduced < -_ALT_TOL * size
        bad &= ~self._alt_closed[lo:hi]  # a closed alternative never switches on
        if not bad.any():
            return float("inf")
        scale = max(1.0, float(np.abs(dual.values).max(initial=0.0)))
        bad &= reduced < -(_ALT_TOL * size + 1e-12 * scale)
        if not bad.any():
            return float("inf")
        return float(self._alt_weeks[lo + int(np.argmax(bad))])

    def _entry_rows(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Where each alternative entry's row sits among ``rows`` (-1: not there), for the
        model whose rows they are: every answer of one model shares its rows, so this is
        worked out once per model rather than once per answer."""
        if self._entry_for is not rows:
            at = np.searchsorted(rows, self._alt_row)
            inside = at < rows.size
            inside[inside] &= rows[at[inside]] == self._alt_row[inside]
            self._entry_at = np.where(inside, at, -1)
            self._entry_for = rows
        return self._entry_at


_ALTERNATIVES: weakref.WeakKeyDictionary[Engine, tuple[npt.NDArray[Any], ...]] = (
    weakref.WeakKeyDictionary()
)


def _alternatives(engine: Engine) -> tuple[npt.NDArray[Any], ...]:
    """Every alternative by qualification week, with its column's entries (rows, values),
    where each one's entries start, and for each entry its alternative's place in that order."""
    prog = engine.prog
    order = np.argsort(prog.alt_weeks, kind="stable").astype(np.int64)
    cols = prog.a0 + order
    pos, owner = entries(engine.csc_ptr, cols)
    rows = engine.csc_idx[pos].astype(np.int64)
    values = engine.csc_val[pos].astype(np.float64)
    ptr = np.searchsorted(owner, np.arange(cols.size + 1))
    weeks = prog.alt_weeks[order].astype(np.float64)
    return order, weeks, rows, values, ptr, owner.astype(np.int64)


def _carry_basis(old: _Sub, new: _Sub, basis: tuple[list[Any], list[Any]]) -> None:
    """Start the widened programme from the narrower one's optimal basis: columns and rows of
    both keep their status, new columns sit at 0 (nonbasic), new rows' slacks are basic.
    Skipped when the counts do not make a basis (a row the wider model no longer keeps)."""
    cols, rows = basis
    at = np.searchsorted(new.all_cols, old.all_cols)
    if (at >= new.all_cols.size).any() or not np.array_equal(new.all_cols[at], old.all_cols):
        return
    lower, basic = highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kBasic
    # Object arrays: the statuses are HiGHS enum objects, placed without a Python loop.
    col_status = np.full(new.all_cols.size, lower, dtype=object)
    col_status[at] = np.array(cols, dtype=object)
    row_at = np.searchsorted(new.rows, old.rows)
    found = row_at < new.rows.size
    found[found] &= new.rows[row_at[found]] == old.rows[found]
    row_status = np.full(new.rows.size, basic, dtype=object)
    row_status[row_at[found]] = np.array(rows, dtype=object)[found]
    n_basic = int((col_status == basic).sum() + (row_status == basic).sum())
    if n_basic == new.rows.size:
        new.model.start_basis = (col_status.tolist(), row_status.tolist())


def ttr_with_slope(
    engine: Engine,
    dis: Disruption,
    horizon: float,
    *,
    alternatives_through: float | None = None,
) -> tuple[float, float]:
    """Least lost margin over ``horizon`` weeks and dL/dt there, for a single horizon."""
    with ParametricTTR(engine, dis) as solver:
        return solver.at(horizon, alternatives_through)
