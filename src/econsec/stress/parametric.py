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

import numpy as np

from econsec.stress.engine import Engine, _Runner
from econsec.stress.scenario import Disruption


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
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.release(self._state)

    def at(self, horizon: float, alternatives_through: float | None = None) -> tuple[float, float]:
        """Least lost margin over ``horizon`` weeks and dL/dt there (a subgradient)."""
        if horizon <= 0 or self._trivial:
            return 0.0, 0.0
        through = (
            float(np.nextafter(horizon, -np.inf))
            if alternatives_through is None
            else float(alternatives_through)
        )
        runner, engine, prog = self._runner, self.engine, self.engine.prog
        assert runner is not None
        margin_max = float(prog.margin.max(initial=0.0))
        while True:
            sub = runner._model()
            cost = np.zeros(sub.all_cols.size)
            cost[sub.l_local] = prog.margin[sub.l_demand]
            sub.model.set_costs(cost)
            sub.model.set_col_bounds(np.array([0]), np.array([horizon]), np.array([horizon]))
            sub.model.set_col_bounds(
                sub.l_local, np.zeros(sub.l_local.size), np.full(sub.l_local.size, np.inf)
            )
            sub.set_alternatives(engine, self._state, through)
            self.solves += 1
            sol = runner._solve(sub, "TTR")
            if sol is None:
                continue
            check = sol.objective > 0 or not prog.baseline_ok
            bad = runner._violations(sub, sol, True, margin_max, horizon) if check else None
            if bad is not None and bad.size:
                runner._widen(bad)
                continue
            slope = float(sub.model.highs.getSolution().col_dual[0])
            lost = prog.rates[prog.l0 :] * horizon
            lost[sub.l_demand] = sol.col_value[sub.l_local]
            return max(0.0, float(lost @ prog.margin)), slope


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
