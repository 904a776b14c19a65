"""One sampled event's second-stage LP, its right-hand side affine in the measure choice x.

Both solvers of the portfolio (docs/decisions/0101, 0102) read the same event blocks::

    minimise  cost · v   subject to   A v ≤ rhs − X x,   lower ≤ v ≤ upper

``v`` is the event's TTR programme (flows, production, lost sales; plus λ for an event copy of
a faster recovery) and ``x`` the candidates. The monolithic MILP stacks every block with ``x``
as shared columns; Benders decomposition solves each block alone at a fixed ``x`` and reads a
cut from its duals. Column bounds that measures move are written as rows, so that every
dependence on ``x`` sits in one matrix ``X`` and a cut's slope is ``−Xᵀ π``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

if TYPE_CHECKING:
    from econsec.planning.portfolio import Problem, _Block

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class BlockLP:
    """One event's LP in the form above (weights already in ``cost``)."""

    a: sp.csr_matrix
    rhs: FloatArray
    x: sp.csr_matrix  # rows × candidates
    cost: FloatArray
    upper: FloatArray  # columns' upper bounds (lower bounds are 0)
    touches: IntArray  # the candidates with a non-zero column in x

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.a.shape[0]), int(self.a.shape[1])


def block_lp(problem: Problem, b: _Block) -> BlockLP:
    """The LP of one block; identical to that block's part of the monolithic MILP."""
    nm = len(problem.measures)
    a = problem.matrix
    assert a is not None
    nv = a.shape[1]
    rhs = b.rhs.copy()
    x_rows: list[IntArray] = []
    x_cols: list[IntArray] = []
    x_vals: list[FloatArray] = []
    for j, rows, delta in b.rhs_moves:
        x_rows.append(rows)
        x_cols.append(np.full(rows.size, j))
        x_vals.append(-delta)
    for j, rows, value, opens in b.rhs_switch:
        if opens:  # row a·v ≤ rhs0 + M·x
            x_rows.append(rows)
            x_cols.append(np.full(rows.size, j))
            x_vals.append(np.full(rows.size, -b.big_m))
        else:  # row a·v ≤ value + M(1 − x)
            rhs[rows] = value + b.big_m
            x_rows.append(rows)
            x_cols.append(np.full(rows.size, j))
            x_vals.append(np.full(rows.size, b.big_m))
    keep = np.isfinite(rhs)  # rows no measure can bind (unlimited capacity) are left out
    rows_kept = np.flatnonzero(keep)
    renum = np.full(rhs.size, -1, dtype=np.int64)
    renum[rows_kept] = np.arange(rows_kept.size)
    sub = a[rows_kept]
    upper = b.upper.copy()
    extra: list[tuple[int, int, float, float]] = []  # col, measure, coef of x, rhs
    for j, cols, delta in b.col_moves:
        for c, d in zip(cols, delta, strict=True):
            extra.append((int(c), j, -float(d), float(upper[c])))
    for j, cols, value, opens in b.col_switch:
        for c, v in zip(cols, value, strict=True):
            if opens:  # v ≤ up0 + M·x
                extra.append((int(c), j, -b.big_m, float(upper[c])))
            else:  # v ≤ value + M(1 − x)
                extra.append((int(c), j, b.big_m, float(v) + b.big_m))
    for c in {c for c, *_ in extra}:
        upper[c] = np.inf
    w = b.sample.weight
    obj = np.zeros(nv)
    obj[problem.l_first :] = w * problem.margin
    local_r = renum[np.concatenate(x_rows)] if x_rows else np.zeros(0, dtype=np.int64)
    c_x = np.concatenate(x_cols) if x_cols else np.zeros(0, dtype=np.int64)
    v_x = np.concatenate(x_vals) if x_vals else np.zeros(0)
    rhs_kept = rhs[rows_kept]
    if b.selector is not None:
        # Loss counted through λ ≥ margin·l − cap·[copy does not apply], cap the most this
        # event can lose: the copy that does not apply costs nothing.
        j, when_chosen = b.selector
        cap = float(problem.margin @ problem.demand) * b.sample.weeks + 1.0
        nv += 1
        obj = np.zeros(nv)
        obj[-1] = w
        upper = np.append(upper, np.inf)
        loss_row = np.zeros((1, nv))
        loss_row[0, problem.l_first : nv - 1] = problem.margin
        loss_row[0, -1] = -1.0
        sub = sp.vstack(
            [sp.hstack([sub, sp.csr_matrix((sub.shape[0], 1))]), sp.csr_matrix(loss_row)]
        ).tocsr()
        local_r = np.append(local_r, rhs_kept.size)
        c_x = np.append(c_x, j)
        # chosen copy: margin·l − λ + cap·x ≤ cap; the other: margin·l − λ − cap·x ≤ 0
        v_x = np.append(v_x, cap if when_chosen else -cap)
        rhs_kept = np.append(rhs_kept, cap if when_chosen else 0.0)
    n_sub = rhs_kept.size
    ne = len(extra)
    e_rows = sp.csr_matrix((np.ones(ne), (np.arange(ne), [c for c, *_ in extra])), shape=(ne, nv))
    xm = sp.csr_matrix(
        (
            np.concatenate([v_x, [k for _, _, k, _ in extra]]),
            (
                np.concatenate([local_r, n_sub + np.arange(ne)]).astype(np.int64),
                np.concatenate([c_x, [j for _, j, _, _ in extra]]).astype(np.int64),
            ),
        ),
        shape=(n_sub + ne, nm),
    )
    xm.sum_duplicates()
    xm.eliminate_zeros()
    return BlockLP(
        a=sp.vstack([sub, e_rows]).tocsr(),
        rhs=np.concatenate([rhs_kept, [r for *_, r in extra]]).astype(np.float64),
        x=xm,
        cost=obj,
        upper=upper,
        touches=np.unique(xm.tocoo().col).astype(np.int64),
    )
