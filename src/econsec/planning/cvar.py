"""A CVaR limit on the portfolio (docs/decisions/0104).

The conditional value at risk of the annual loss over N simulated years at level α is, after
Rockafellar and Uryasev, the least value of

    η + 1/((1 − α) N) · Σ_y max(0, L_y − η)

over η. Its minimum lies at one of the year losses, so ``cvar`` evaluates it exactly there. As
constraints of a minimisation the same formula is linear: with u_y ≥ L_y − η, u_y ≥ 0,

    η + 1/((1 − α) N) · Σ_y u_y ≤ limit

holds for some η and u exactly when CVaR_α ≤ limit. A year's loss is the sum of its events'
losses; the portfolio's solvers see an event only through its blocks (their value, weighted by
the sample's frequency), so ``rows`` writes each year's loss as constant + coef · block values.
Years without any event lose nothing and need no row (η ≥ 0 at the optimum as losses are ≥ 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.planning.errors import PlanningError

if TYPE_CHECKING:
    from econsec.planning.events import Years
    from econsec.planning.portfolio import Problem

FloatArray = npt.NDArray[np.float64]

DEFAULT_LEVEL = 0.95
LEVEL_RANGE = (0.5, 1.0)
REL_TOL = 1e-8
"""A portfolio keeps the limit when its CVaR is at most limit · (1 + REL_TOL) (+ 1e-6)."""


@dataclass(frozen=True)
class Limit:
    """CVaR_level of the annual loss must stay at or below ``value`` (currency per year)."""

    value: float
    level: float = DEFAULT_LEVEL

    def holds(self, cvar_value: float) -> bool:
        return cvar_value <= self.value * (1.0 + REL_TOL) + 1e-6


def check(value: float | None, level: float | None) -> Limit | None:
    """The limit, or None without one; a level out of [0.5, 1) or a negative limit refused."""
    lv = DEFAULT_LEVEL if level is None else level
    if (
        not isinstance(lv, int | float)
        or not math.isfinite(lv)
        or not (LEVEL_RANGE[0] <= lv < LEVEL_RANGE[1])
    ):
        raise PlanningError("planning.cvar.bad_level", field="cvar_level", value=lv)
    if value is None:
        return None
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise PlanningError("planning.cvar.bad_limit", field="cvar_limit", value=value)
    return Limit(float(value), float(lv))


def cvar(annual: FloatArray, level: float) -> float:
    """CVaR at ``level`` of the year losses (every simulated year, loss-free ones as 0)."""
    n = annual.size
    if not n:
        return 0.0
    ordered = np.sort(np.asarray(annual, dtype=np.float64))
    # f(η) at η = ordered[k]: η + Σ_{j>k} (L_j − η) / ((1 − α) N); ties add nothing.
    after = np.concatenate([np.cumsum(ordered[::-1])[::-1][1:], [0.0]])
    beyond = np.arange(n - 1, -1, -1, dtype=np.float64)
    f = ordered + (after - beyond * ordered) / ((1.0 - level) * n)
    return float(f.min())


def sample_cvar(years: Years, sample_loss: FloatArray, level: float) -> float:
    """CVaR of the annual loss when each sampled event loses ``sample_loss``."""
    return cvar(years.annual(sample_loss), level)


@dataclass
class Rows:
    """The years' losses as ``constant + coef @ block values``, with the limit (for solvers)."""

    coef: sp.csr_matrix  # years that can lose anything × blocks
    constant: FloatArray  # per such year: loss of its events no portfolio changes
    n: int  # simulated years
    limit: Limit

    @property
    def tail(self) -> float:
        """The coefficient of Σ u_y: 1 / ((1 − α) N)."""
        return 1.0 / ((1.0 - self.limit.level) * self.n)

    def value(self, block_values: FloatArray) -> float:
        """CVaR of the annual loss at the block values of one portfolio."""
        annual = np.zeros(self.n)
        k = self.constant.size
        annual[:k] = self.constant + self.coef @ block_values
        return cvar(annual, self.limit.level)


def rows(problem: Problem, limit: Limit) -> Rows:
    """The CVaR rows of a prepared problem (its samples' years must be known)."""
    years = problem.years
    if years is None:
        raise ValueError("the problem was prepared without the samples' years")
    index = {s: i for i, s in enumerate(problem.samples)}
    ns = len(problem.samples)
    counts = years.counts.tocsr()
    modelled = np.zeros(ns, dtype=bool)
    cols = np.array([index[b.sample] for b in problem.blocks], dtype=np.int64)
    modelled[cols] = True
    const_loss = np.where(modelled, 0.0, problem.base_loss) if ns else np.zeros(0)
    constant = counts @ const_loss if ns else np.zeros(0)
    # block b counts its sample's loss times the sample's weight: divide the weight out
    weights = np.array([b.sample.weight for b in problem.blocks])
    pick = sp.csr_matrix(
        (1.0 / weights, (cols, np.arange(cols.size))), shape=(ns, len(problem.blocks))
    )
    coef = (counts @ pick).tocsr() if ns else sp.csr_matrix((0, len(problem.blocks)))
    constant = np.asarray(constant, dtype=np.float64)
    keep = (np.diff(coef.indptr) > 0) | (constant > 0)  # the other years lose nothing
    return Rows(
        coef=coef[keep].tocsr(),
        constant=constant[keep],
        n=years.n,
        limit=limit,
    )
