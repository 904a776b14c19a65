"""The portfolio MILP by Benders decomposition (docs/decisions/0102).

Once the choice x is fixed, the event blocks of the two-stage MILP (``blocklp``) are
independent LPs whose right-hand side is affine in x: ``A v ≤ rhs − X x``. Each block's value
Q_b(x) is convex in x on [0, 1]ⁿ, and the duals π of a solve at x̂ give a supporting plane
``Q_b(x) ≥ Q_b(x̂) − πᵀX (x − x̂)`` (an optimality cut; every block is feasible for every x, as
lost sales can absorb any shortage, so no feasibility cuts are needed). The master problem keeps
the binaries, one θ_b per block and the cuts found so far; its optimum is a lower bound, any
evaluated x an upper bound, and the loop stops when they meet (the MILP's tolerances). The
answer is therefore the optimum of the same MILP the monolithic solver builds.

Two phases: cuts at the master's LP optimum first (cheap, and they make the bound tight), then
at its integer optima. Block LPs keep their basis between rounds (dual simplex from the last
optimum); with a pool, each worker process owns a fixed share of the blocks for the whole run.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.planning.blocklp import BlockLP
from econsec.planning.cvar import Rows
from econsec.planning.errors import PlanningError
from econsec.stress.lp import new_highs

FloatArray = npt.NDArray[np.float64]

REL_GAP = 1e-9
ABS_GAP = 1e-6
_LP_ROUNDS = 60
_LP_REL = 1e-6
_MAX_ROUNDS = 10_000


class BlockSolver:
    """Block LPs kept alive in HiGHS; each round changes the x-dependent rows and re-solves."""

    def __init__(self, blocks: Sequence[BlockLP]) -> None:
        self.blocks = list(blocks)
        self.models: list[highspy.Highs] = []
        self.moved: list[npt.NDArray[np.int32]] = []
        self.solves = 0
        for b in self.blocks:
            h = new_highs()
            h.setOptionValue("presolve", "off")
            csc = b.a.tocsc()
            nr, nc = b.shape
            h.passModel(
                nc, nr, int(csc.nnz), int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMinimize), 0.0, b.cost, np.zeros(nc), b.upper,
                np.full(nr, -np.inf), b.rhs, csc.indptr.astype(np.int32),
                csc.indices.astype(np.int32), csc.data.astype(np.float64),
                np.zeros(nc, dtype=np.int32),
            )  # fmt: skip
            self.models.append(h)
            self.moved.append(np.unique(b.x.tocoo().row).astype(np.int32))

    def solve(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Each block's value at x and its cut slope (blocks × candidates)."""
        values = np.zeros(len(self.blocks))
        slopes = np.zeros((len(self.blocks), x.size))
        for i, (b, h, rows) in enumerate(zip(self.blocks, self.models, self.moved, strict=True)):
            if rows.size:
                upper = (b.rhs - b.x @ x)[rows]
                lower = np.full(rows.size, -np.inf)
                h.changeRowsBounds(int(rows.size), rows, lower, upper)  # type: ignore[attr-defined]
            h.run()
            self.solves += 1
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                h.clearSolver()  # a warm start's doubtful verdict: only a cold one is trusted
                h.run()
                self.solves += 1
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise PlanningError(
                    "planning.optimise.not_solved", status=h.modelStatusToString(status)
                )
            values[i] = h.getObjectiveValue()
            if rows.size:
                dual = np.asarray(h.getSolution().row_dual)
                slopes[i] = -(b.x.T @ dual)
        return values, slopes


# ---- blocks on worker processes -------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init(blocks: list[BlockLP]) -> None:
    _WORKER["solver"] = BlockSolver(blocks)


def _solve(x: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    solver: BlockSolver = _WORKER["solver"]
    values, slopes = solver.solve(x)
    return values, slopes, solver.solves


class _Spread:
    """Blocks split among single-process pools, each holding its share for the whole run."""

    def __init__(self, blocks: Sequence[BlockLP], workers: int) -> None:
        # Deal the blocks by size so each worker gets about the same work.
        order = np.argsort([-b.a.nnz for b in blocks], kind="stable")
        self.shares = [order[w::workers] for w in range(workers)]
        ctx = multiprocessing.get_context("spawn")
        self.pools: list[Executor] = [
            ProcessPoolExecutor(1, mp_context=ctx, initializer=_init,
                                initargs=([blocks[int(i)] for i in share],))
            for share in self.shares
        ]  # fmt: skip
        self.n = len(blocks)
        self.solves = 0

    def solve(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        futures = [p.submit(_solve, x) for p in self.pools]
        values = np.zeros(self.n)
        slopes = np.zeros((self.n, x.size))
        self.solves = 0
        for share, fut in zip(self.shares, futures, strict=True):
            v, s, n = fut.result()
            values[share], slopes[share] = v, s
            self.solves += n
        return values, slopes

    def close(self) -> None:
        for p in self.pools:
            p.shutdown()


# ---- the master -----------------------------------------------------------------------------
@dataclass
class Outcome:
    x: FloatArray
    objective: float  # cost·x + Σ Q_b(x) (the problem's constant not included)
    lower: float
    rounds: int
    seconds: float

    @property
    def gap(self) -> float:
        return max(0.0, self.objective - self.lower) / max(1.0, abs(self.objective))


class Decomposition:
    """The blocks' solvers and every cut found so far.

    A cut is valid for every x in [0, 1]ⁿ, whatever the budget or the measures held fixed, so
    one decomposition answers the main solve, the marginal values and the frontier, each
    starting from all the cuts the earlier ones found.
    """

    def __init__(self, blocks: Sequence[BlockLP], cost: FloatArray, workers: int = 0) -> None:
        self.blocks = list(blocks)
        self.cost = np.asarray(cost, dtype=np.float64)
        self.nm, self.nb = self.cost.size, len(self.blocks)
        self.sub: BlockSolver | _Spread = (
            _Spread(self.blocks, workers) if workers > 1 and self.nb > 1 else BlockSolver(blocks)
        )
        self.cut_block: list[int] = []
        self.cut_slope: list[FloatArray] = []
        self.cut_rhs: list[float] = []  # g·x − θ_b ≤ rhs
        self.seen: dict[bytes, tuple[FloatArray, FloatArray]] = {}
        self.rounds = 0
        self.scale = 0.0  # the master works in units of a typical block's loss (set once)

    def close(self) -> None:
        if isinstance(self.sub, _Spread):
            self.sub.close()

    def __enter__(self) -> Decomposition:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cuts(self) -> int:
        return len(self.cut_rhs)

    @property
    def solves(self) -> int:
        return self.sub.solves

    def evaluate(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Block values and slopes at x (remembered: the frontier revisits portfolios)."""
        key = x.tobytes()
        if key not in self.seen:
            self.seen[key] = self.sub.solve(x)
        return self.seen[key]

    def _cut(self, x: FloatArray, values: FloatArray, slopes: FloatArray, theta: FloatArray) -> int:
        """θ_b ≥ Q_b(x̂) + g_b·(x − x̂) for each block whose θ the master underestimates."""
        # Each block may fall short by its share of half the stopping gap, so a round that adds
        # no cut proves the bounds have met.
        total = abs(float(self.cost @ x + values.sum()))
        # (an infinite total once made the tolerance infinite: no cut, and the loop stalled)
        tol = 0.5 * max(ABS_GAP, REL_GAP * total if math.isfinite(total) else 0.0)
        return self._cut_beyond(x, values, slopes, theta, tol / max(1, self.nb))

    def _cut_beyond(
        self, x: FloatArray, values: FloatArray, slopes: FloatArray, theta: FloatArray, tol: float
    ) -> int:
        added = 0
        for b in np.flatnonzero(theta < values - tol):
            cut = _binary_cut(slopes[b], float(values[b] - slopes[b] @ x))
            if cut is None:
                continue
            g, c0 = cut
            self.cut_block.append(int(b))
            self.cut_slope.append(g)
            self.cut_rhs.append(-c0)
            added += 1
        return added

    def _master(
        self,
        budget_rows: list[tuple[FloatArray, float]],
        fixed: dict[int, bool],
        cvar: Rows | None = None,
    ) -> highspy.Highs:
        nm, nb = self.nm, self.nb
        ny = 0 if cvar is None else 1 + cvar.constant.size  # η, then u_y per year
        h = new_highs()
        n = nm + nb + ny
        lo = np.zeros(n)
        up = np.concatenate([np.ones(nm), np.full(nb + ny, np.inf)])
        for j, on in fixed.items():
            lo[j] = up[j] = 1.0 if on else 0.0
        h.passModel(
            n, 0, 0, int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
            np.concatenate([self.cost / self.scale, np.ones(nb), np.zeros(ny)]), lo, up,
            np.zeros(0), np.zeros(0), np.zeros(n + 1, dtype=np.int32),
            np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(n, dtype=np.int32),
        )  # fmt: skip
        for coef, rhs in budget_rows:
            idx = np.flatnonzero(coef).astype(np.int32)
            h.addRow(-np.inf, rhs, int(idx.size), idx, coef[idx])
        if cvar is not None:
            # year y: Σ_b coef·θ_b − η − u_y ≤ −constant_y; then η + tail·Σ u_y ≤ limit (scaled)
            k = cvar.constant.size
            eta = nm + nb
            m = sp.hstack(
                [
                    sp.csr_matrix((k, nm)),
                    cvar.coef,
                    sp.csr_matrix(-np.ones((k, 1))),
                    -sp.identity(k, format="csr"),
                ]
            ).tocsr()
            if k:
                h.addRows(
                    k, np.full(k, -np.inf), -cvar.constant / self.scale, int(m.nnz),
                    m.indptr[:-1].astype(np.int32), m.indices.astype(np.int32), m.data,
                )  # fmt: skip
            idx = np.arange(eta, eta + 1 + k, dtype=np.int32)
            coef = np.concatenate([[1.0], np.full(k, cvar.tail)])
            h.addRow(-np.inf, cvar.limit.value / self.scale, int(idx.size), idx, coef)
        self._add_rows(h, 0)
        h.setOptionValue("mip_rel_gap", REL_GAP)
        h.setOptionValue("mip_abs_gap", ABS_GAP / self.scale)
        return h

    def _add_rows(self, h: highspy.Highs, first: int) -> None:
        """Cuts ``first``… as rows of the master."""
        if first >= self.cuts:
            return
        slopes = np.array(self.cut_slope[first:]) / self.scale
        slopes[np.abs(slopes) <= 1e-13 * np.abs(slopes).max(axis=1, initial=1.0)[:, None]] = 0.0
        k = slopes.shape[0]
        theta = sp.csr_matrix(
            (-np.ones(k), (np.arange(k), self.nm + np.array(self.cut_block[first:]))),
            shape=(k, self.nm + self.nb),
        )
        m = (sp.hstack([sp.csr_matrix(slopes), sp.csr_matrix((k, self.nb))]) + theta).tocsr()
        m.eliminate_zeros()
        status = h.addRows(
            k, np.full(k, -np.inf), np.array(self.cut_rhs[first:]) / self.scale, int(m.nnz),
            m.indptr[:-1].astype(np.int32), m.indices.astype(np.int32), m.data,
        )  # fmt: skip
        if status == highspy.HighsStatus.kError:
            raise PlanningError("planning.optimise.not_solved", status="cut rejected")

    def solve(
        self,
        budget_rows: list[tuple[FloatArray, float]] | None = None,
        fixed: dict[int, bool] | None = None,
        time_limit: float | None = None,
        cvar: Rows | None = None,
    ) -> Outcome:
        """The x minimising cost·x + Σ_b Q_b(x) within the budgets (and the CVaR limit), to the
        MILP's tolerances; a master with no integer point (the limit unreachable within the
        budgets) raises ``planning.optimise.infeasible``."""
        started = time.perf_counter()
        fixed = fixed or {}
        if not self.scale:
            # Losses run to 1e10 and costs to 1e7: in units of a typical block's loss HiGHS
            # sees numbers near 1 (its LP stalled as "unknown" on the raw figures).
            values, _ = self.evaluate(np.zeros(self.nm))
            self.scale = max(1.0, float(np.abs(values).mean()))
        h = self._master(budget_rows or [], fixed, cvar)
        best_x, best = np.zeros(self.nm), np.inf
        rounds = 0

        def step(integer: bool) -> tuple[float, float, int]:
            nonlocal rounds, best, best_x
            rounds += 1
            if rounds > _MAX_ROUNDS or (time_limit and time.perf_counter() - started > time_limit):
                raise PlanningError("planning.optimise.not_solved", status="Time limit reached")
            try:
                x, lower, theta = _run(h, self.nm, self.nb, integer, self.scale)
            except PlanningError:
                if integer:
                    raise
                return -np.inf, np.inf, 0  # the LP phase only gathers cuts: go on to phase 2
            x = np.round(x) if integer else np.clip(x, 0.0, 1.0)
            for j, on in fixed.items():
                x[j] = 1.0 if on else 0.0
            repeated = x.tobytes() in self.seen
            values, slopes = self.evaluate(x)
            first = self.cuts
            added = self._cut(x, values, slopes, theta)
            total = float(self.cost @ x + values.sum())
            keeps = cvar is None or cvar.limit.holds(cvar.value(values))
            if integer and not keeps and not added:
                # The master thought x within the limit on θ that already match the blocks
                # to the stopping tolerance: cut every shortfall so that it cannot return.
                added = self._cut_beyond(x, values, slopes, theta, 0.0)
                if not added:
                    raise PlanningError(
                        "planning.optimise.not_solved", status="master inconsistent (CVaR)"
                    )
            self._add_rows(h, first)
            if integer and keeps and total < best:
                best, best_x = total, x.copy()
            return lower, total, 0 if repeated and not integer else added

        # Phase 1: the master's LP relaxation, cut at its fractional optima until it settles
        # (or returns a point already cut: binary-strengthened cuts need not cut it off).
        for _ in range(_LP_ROUNDS):
            lower, upper, added = step(False)
            if not added or upper - lower <= _LP_REL * max(1.0, abs(upper)):
                break
        # Phase 2: the master's integer optima, each evaluated exactly, until the bounds meet.
        while True:
            lower, _total, added = step(True)
            # (best stays infinite while no evaluated x keeps the CVaR limit: never "met")
            if math.isfinite(best) and best - lower <= max(ABS_GAP, REL_GAP * abs(best)):
                break
            if not added:
                # The master's optimum already meets every cut at its x, so its bound should
                # have met the best value: an inconsistent master is reported, not trusted
                # (a MIP start once returned its own vector with another solution's objective).
                raise PlanningError("planning.optimise.not_solved", status="master inconsistent")
        self.rounds += rounds
        return Outcome(best_x, best, lower, rounds, time.perf_counter() - started)


def _binary_cut(g: FloatArray, c0: float) -> tuple[FloatArray, float] | None:
    """The cut θ ≥ c0 + g·x made as strong as it stays valid at every binary x, or None.

    A measure that admits an alternative or opens a link moves its rows by the big M of the
    MILP, so its slope is a dual times M: far beyond what θ ≥ 0 already says, and beyond what
    HiGHS accepts as a coefficient. With U = c0 + Σ max(g, 0), the most the cut can demand at a
    binary x, a coefficient below −U only says "θ ≥ something ≤ 0" when its x is 1, which −U
    says too; one above U can only be met with its x at 1 (the cut was found at such a point)
    and U with the constant shifted says the same. Valid for x ∈ {0, 1}ⁿ, which is what the
    master's integer phase asks; the LP phase only gathers cuts, its bound is not the answer.
    """
    g = g.copy()
    upper = c0 + float(np.maximum(g, 0.0).sum())
    if upper <= 0:
        return None  # implied by θ ≥ 0
    high = g > upper
    c0 += float((g[high] - upper).sum())
    g[high] = upper
    g[g < -upper] = -upper
    return g, c0


def _run(
    h: highspy.Highs, nm: int, nb: int, integer: bool, scale: float
) -> tuple[FloatArray, float, FloatArray]:
    """Solve the master: (x, lower bound, θ)."""
    kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
    h.changeColsIntegrality(
        nm, np.arange(nm, dtype=np.int32), np.full(nm, int(kind), dtype=np.uint8)
    )
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise PlanningError("planning.optimise.infeasible")
    if status != highspy.HighsModelStatus.kOptimal:
        raise PlanningError("planning.optimise.not_solved", status=h.modelStatusToString(status))
    values = np.asarray(h.getSolution().col_value)
    bound = float(h.getObjectiveValue())
    if integer:
        bound = min(bound, float(h.getInfo().mip_dual_bound))
    return values[:nm], bound * scale, values[nm : nm + nb] * scale
