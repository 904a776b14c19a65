"""Lost margin as a function of duration, exactly, from a few LP solves (docs/decisions/0100).

For one disruption the TTR programme's right-hand side is affine in the horizon t, except that
an alternative switches on at its qualification week. Between two consecutive qualification
weeks the lost margin L(t) is therefore the value of a right-hand-side parametric LP: convex and
piecewise linear. Each piece's breakpoints are found by the sandwich method: supporting lines
(value and subgradient, ``stress.parametric``) at the ends, evaluated where they cross; a convex
function that meets its chord at an interior point is linear on the whole segment, which is the
test that closes a segment. Every stored segment is thus *proved* linear, and interpolation is
the LP's value to solver tolerance, not an approximation.

At a qualification week the curve may jump (an alternative of unlimited capacity switches on),
so each piece keeps its own points and a duration d in (qᵢ, qᵢ₊₁] reads piece i.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from econsec.planning.errors import PlanningError
from econsec.stress.engine import Engine
from econsec.stress.parametric import Dual, ParametricTTR
from econsec.stress.scenario import Disruption

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_REL = 1e-9
"""A value within this share of the segment's scale of its chord counts as on the chord."""
_MAX_SOLVES_PER_PIECE = 400
_DIRECT = 2
"""An unproved segment holding at most this many durations to read is solved at them instead:
each is one solve, where proving the segment's pieces takes at least as many."""


@dataclass
class LossCurve:
    """Lost margin (beyond normal times) of one disruption for durations in [0, max_weeks]."""

    max_weeks: float
    edges: FloatArray  # 0, the weeks where a piece ends (an alternative lowers loss), max_weeks
    xs: list[FloatArray]  # per piece, the breakpoints (ascending, first = the piece's start)
    ys: list[FloatArray]  # lost margin at them
    normal: LossCurve | None = None  # normal-time shortfall, subtracted (None when there is none)
    solves: int = 0
    proven: list[BoolArray] | None = None  # per piece and segment: proved (None: every one)
    exact: dict[float, float] = field(default_factory=dict)  # durations solved directly
    breakpoints: int = field(init=False)

    def __post_init__(self) -> None:
        self.breakpoints = int(sum(x.size for x in self.xs))

    def total(self, durations: npt.ArrayLike) -> FloatArray:
        """Lost margin (all of it, normal-time shortfall included) at each duration."""
        d = np.asarray(durations, dtype=np.float64)
        if d.size and float(d.max()) > self.max_weeks * (1 + 1e-12):
            # Beyond the last piece nothing was proved: refuse rather than read 0.
            raise ValueError(f"loss curve read at {float(d.max())} > {self.max_weeks} weeks")
        out = np.zeros(d.shape)
        piece = np.searchsorted(self.edges, d, side="left") - 1
        if self.exact:
            known = np.array(sorted(self.exact))
            pos = np.minimum(np.searchsorted(known, d), known.size - 1)
            hit = known[pos] == d
            out[hit] = np.array([self.exact[float(v)] for v in d[hit]])
            piece[hit] = -1
        for i, (x, y) in enumerate(zip(self.xs, self.ys, strict=True)):
            at = piece == i
            if at.any():
                if self.proven is not None:
                    seg = np.clip(np.searchsorted(x, d[at], side="left") - 1, 0, x.size - 2)
                    if x.size > 1 and not self.proven[i][seg].all():
                        # A curve refined only at chosen durations knows nothing in between.
                        bad = float(d[at][~self.proven[i][seg]][0])
                        raise ValueError(f"loss curve read at {bad} weeks, not refined there")
                out[at] = np.interp(d[at], x, y)
        return out

    def __call__(self, durations: npt.ArrayLike) -> FloatArray:
        """What the disruption costs at each duration: lost margin beyond normal times."""
        total = self.total(durations)
        if self.normal is None:
            return total
        return np.maximum(0.0, total - self.normal.total(durations))


@dataclass
class _Point:
    x: float
    f: float
    g: float
    dual: Dual | None


class _Cut(Exception):
    """An alternative qualifying at ``week`` lowers the loss: the piece ends there."""

    def __init__(self, week: float) -> None:
        self.week = week


def _piece(
    solver: ParametricTTR,
    a: float,
    end: float,
    points: FloatArray | None,
    exact: dict[float, float],
) -> tuple[FloatArray, FloatArray, BoolArray, float, int]:
    """The piece starting at ``a`` (every alternative qualified by ``a`` admitted), as far
    towards ``end`` as no later alternative lowers the loss.

    Returns breakpoints, values, which segments are proved, where the piece ends, solves.
    Segments are closed left to right. A closed segment is linear, and the duals of the answer
    whose supporting line is the segment's are optimal on all of it; an alternative qualifying
    inside the piece and before the segment's end that would lower the loss under them ends the
    piece at its week. With ``points``, only segments holding one of them are refined (and
    checked); the others stay unproved and the curve refuses to be read there. An unproved
    segment holding few of them is solved at each instead (``exact``: duration → lost margin).
    """
    solves = 0
    limit = end  # the piece ends here at the latest: an alternative seen to lower the loss

    def point(x: float) -> _Point:
        nonlocal solves, limit
        if x <= 0:
            return _Point(0.0, 0.0, 0.0, None)  # nothing is lost over no time; 0 supports L ≥ 0
        solves += 1
        if solves > _MAX_SOLVES_PER_PIECE:
            raise PlanningError("planning.curve.no_convergence", start=a, end=end)
        f, g = solver.at(x, a)
        # Ending a piece at any qualification week is sound (the next piece admits it). An
        # alternative that x's duals price below zero would likely be used once qualified, so
        # the piece ends at its week: nothing further right is refined only to be thrown away.
        limit = min(limit, solver.improving_week(solver.last_dual, a, end))
        return _Point(x, f, g, solver.last_dual)

    def inside(x0: float, x1: float) -> FloatArray:
        assert points is not None
        i = int(np.searchsorted(points, x0, side="right"))
        j = int(np.searchsorted(points, x1, side="right"))
        return points[i:j]

    def needed(x0: float, x1: float) -> bool:
        return points is None or inside(x0, x1).size > 0

    p0 = point(a)
    p1 = point(limit)  # the start's duals may already name where the piece ends
    done: list[tuple[_Point, _Point, bool]] = []  # closed segments, left to right
    stack = [(p0, p1)]
    cut = float("inf")
    try:
        while stack:
            left, right = stack.pop()
            x0, f0, g0, x1, f1, g1 = left.x, left.f, left.g, right.x, right.f, right.g
            if x0 >= limit:
                continue
            reach = min(x1, limit)  # what of the segment the piece still covers
            if not needed(x0, reach):
                done.append((left, right, False))
                continue
            scale = max(1.0, abs(f0), abs(f1))
            width = x1 - x0
            prover: _Point | None = None
            # L ≥ 0 is convex: 0 at both ends is 0 between, whatever else would qualify.
            zero = f0 == 0.0 and f1 == 0.0
            # A supporting line at one end through the other end's value: the segment lies
            # between it and the chord, so it is linear, and that end's duals hold on it.
            tangent0 = left.dual is not None and abs(f0 + g0 * width - f1) <= _REL * scale
            if zero or width <= 1e-12 * max(1.0, x1) or tangent0:
                prover = left
            elif abs(f1 - g1 * width - f0) <= _REL * scale:
                prover = right
            if prover is None and points is not None:
                few = inside(x0, reach)
                if few.size <= _DIRECT:
                    for d in few:
                        if float(d) not in exact:
                            solves += 1
                            exact[float(d)] = solver.at(float(d))[0]  # all qualified before d
                    done.append((left, right, False))
                    continue
            if prover is None:
                # Where the supporting lines cross; if that is not strictly inside (a
                # subgradient at the start of a piece can be any value up to the right
                # derivative), bisect.
                x = 0.5 * (x0 + x1)
                if g0 != g1:
                    cross = (f1 - f0 + g0 * x0 - g1 * x1) / (g0 - g1)
                    if x0 + 1e-6 * width < cross < x1 - 1e-6 * width:
                        x = cross
                mid = point(x)
                chord = f0 + (f1 - f0) * (x - x0) / width
                if abs(mid.f - chord) > _REL * scale:
                    stack.append((mid, right))
                    stack.append((left, mid))  # the left half first: segments close in order
                    continue
                prover = mid  # convex and on its chord at an interior point: linear
            done.append((left, right, True))
            if not zero:
                dual = prover.dual if width > 1e-12 * max(1.0, x1) else None
                week = solver.improving_week(dual, a, reach)
                if week < float("inf"):
                    raise _Cut(week)
    except _Cut as c:
        cut = c.week
    cut = min(cut, limit)
    # Segments wholly before the cut; the one holding it ends there (it is linear up to its
    # end and every alternative qualifying before the cut passed on it).
    xs, ys, proven = [a], [p0.f], []
    for left, right, ok in done:
        if right.x < cut:
            xs.append(right.x)
            ys.append(right.f)
            proven.append(ok)
            continue
        if left.x < cut:
            xs.append(cut)
            ys.append(left.f + (right.f - left.f) * (cut - left.x) / (right.x - left.x))
            proven.append(ok)
        break
    end = min(cut, end)
    return np.array(xs), np.array(ys), np.array(proven, dtype=bool), end, solves


def _build(
    engine: Engine, dis: Disruption, max_weeks: float, points: FloatArray | None
) -> tuple[LossCurve, int]:
    edges, xs, ys, proven, solves = [0.0], [], [], [], 0
    exact: dict[float, float] = {}
    with ParametricTTR(engine, dis) as solver:
        a = 0.0
        while a < max_weeks:
            if points is not None and not (points > a).any():
                # Nothing is read beyond: one unproved piece to the end, no solve.
                xs.append(np.array([a, max_weeks]))
                ys.append(np.array([np.nan, np.nan]))
                proven.append(np.zeros(1, dtype=bool))
                edges.append(max_weeks)
                break
            x, y, ok, end, n = _piece(solver, a, max_weeks, points, exact)
            solves += n
            xs.append(x)
            ys.append(y)
            proven.append(ok)
            edges.append(end)
            a = end
    curve = LossCurve(max_weeks, np.array(edges), xs, ys, None, solves, proven, exact)
    return curve, solves


def loss_curve(
    engine: Engine, dis: Disruption, max_weeks: float, points: npt.ArrayLike | None = None
) -> LossCurve:
    """The exact loss curve of ``dis`` on [0, max_weeks] (lost margin beyond normal times).

    ``points``: the durations the curve will be read at (a Monte Carlo run draws them first);
    the curve is then refined only where they fall and refuses to be read elsewhere.
    """
    if not max_weeks > 0:
        raise PlanningError("planning.curve.bad_max", value=max_weeks)
    where = None
    if points is not None:
        where = np.unique(np.clip(np.asarray(points, dtype=np.float64), 0.0, max_weeks))
        if where.size and where[-1] > 0:
            max_weeks = float(where[-1])  # read no further: a piece's far end costs a solve
    curve, solves = _build(engine, dis, max_weeks, where)
    if not engine.prog.baseline_ok:
        none = Disruption(
            np.ones(engine.chain.n_nodes),
            np.zeros(engine.chain.n_links, dtype=bool),
            np.zeros(engine.chain.alt_src.shape[0], dtype=bool),
        )
        curve.normal, more = _build(engine, none, max_weeks, where)
        solves += more
    curve.solves = solves
    return curve
