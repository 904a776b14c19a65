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

import itertools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from econsec.planning.errors import PlanningError
from econsec.stress.engine import Engine
from econsec.stress.parametric import ParametricTTR
from econsec.stress.scenario import Disruption

FloatArray = npt.NDArray[np.float64]

_REL = 1e-9
"""A value within this share of the segment's scale of its chord counts as on the chord."""
_MAX_SOLVES_PER_PIECE = 400


@dataclass
class LossCurve:
    """Lost margin (beyond normal times) of one disruption for durations in [0, max_weeks]."""

    max_weeks: float
    edges: FloatArray  # 0, the qualification weeks inside, max_weeks
    xs: list[FloatArray]  # per piece, the breakpoints (ascending, first = the piece's start)
    ys: list[FloatArray]  # lost margin at them
    normal: LossCurve | None = None  # normal-time shortfall, subtracted (None when there is none)
    solves: int = 0
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
        for i, (x, y) in enumerate(zip(self.xs, self.ys, strict=True)):
            at = piece == i
            if at.any():
                out[at] = np.interp(d[at], x, y)
        return out

    def __call__(self, durations: npt.ArrayLike) -> FloatArray:
        """What the disruption costs at each duration: lost margin beyond normal times."""
        total = self.total(durations)
        if self.normal is None:
            return total
        return np.maximum(0.0, total - self.normal.total(durations))


def _pieces(engine: Engine, dis: Disruption, max_weeks: float) -> FloatArray:
    weeks = engine.prog.alt_weeks[~dis.alt_closed]
    inside = np.unique(weeks[(weeks > 0) & (weeks < max_weeks)])
    return np.concatenate([[0.0], inside, [max_weeks]])


def _piece(solver: ParametricTTR, a: float, b: float) -> tuple[FloatArray, FloatArray, int]:
    """Breakpoints of the piece (a, b], every alternative qualified by ``a`` admitted."""
    solves = 0

    def point(x: float) -> tuple[float, float]:
        nonlocal solves
        solves += 1
        if solves > _MAX_SOLVES_PER_PIECE:
            raise PlanningError("planning.curve.no_convergence", start=a, end=b)
        if x <= 0:
            return 0.0, 0.0  # nothing is lost over no time; L ≥ 0 makes 0 a supporting slope
        return solver.at(x, a)

    fa, ga = point(a)
    fb, gb = point(b)
    xs, ys = {a: fa, b: fb}, []
    stack = [(a, fa, ga, b, fb, gb)]
    while stack:
        x0, f0, g0, x1, f1, g1 = stack.pop()
        scale = max(1.0, abs(f0), abs(f1))
        if x1 - x0 <= 1e-12 * max(1.0, x1):
            continue
        # Where the supporting lines cross; if that is not strictly inside (a subgradient at
        # the start of a piece can be any value up to the right derivative), bisect.
        p = 0.5 * (x0 + x1)
        if g0 != g1:
            cross = (f1 - f0 + g0 * x0 - g1 * x1) / (g0 - g1)
            span = x1 - x0
            if x0 + 1e-6 * span < cross < x1 - 1e-6 * span:
                p = cross
        fp, gp = point(p)
        chord = f0 + (f1 - f0) * (p - x0) / (x1 - x0)
        if abs(fp - chord) <= _REL * scale:
            continue  # convex and on its chord at an interior point: linear on [x0, x1]
        xs[p] = fp
        stack.append((x0, f0, g0, p, fp, gp))
        stack.append((p, fp, gp, x1, f1, g1))
    order = sorted(xs)
    ys = [xs[x] for x in order]
    return np.array(order), np.array(ys), solves


def _build(engine: Engine, dis: Disruption, max_weeks: float) -> tuple[LossCurve, int]:
    edges = _pieces(engine, dis, max_weeks)
    xs, ys, solves = [], [], 0
    with ParametricTTR(engine, dis) as solver:
        for a, b in itertools.pairwise(edges):
            x, y, n = _piece(solver, float(a), float(b))
            xs.append(x)
            ys.append(y)
            solves += n
    return LossCurve(max_weeks, edges, xs, ys, None, solves), solves


def loss_curve(engine: Engine, dis: Disruption, max_weeks: float) -> LossCurve:
    """The exact loss curve of ``dis`` on [0, max_weeks] (lost margin beyond normal times)."""
    if not max_weeks > 0:
        raise PlanningError("planning.curve.bad_max", value=max_weeks)
    curve, solves = _build(engine, dis, max_weeks)
    if not engine.prog.baseline_ok:
        none = Disruption(
            np.ones(engine.chain.n_nodes),
            np.zeros(engine.chain.n_links, dtype=bool),
            np.zeros(engine.chain.alt_src.shape[0], dtype=bool),
        )
        curve.normal, more = _build(engine, none, max_weeks)
        solves += more
    curve.solves = solves
    return curve
