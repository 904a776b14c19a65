"""The portfolio MILP in one piece (docs/decisions/0101): every event block stacked under the
shared binaries and solved by HiGHS's branch and bound. Kept as the reference the
decomposition (``benders``) is checked against; slow beyond a few dozen events."""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.planning.blocklp import BlockLP
from econsec.planning.cvar import Rows
from econsec.planning.errors import PlanningError
from econsec.stress.lp import new_highs

FloatArray = npt.NDArray[np.float64]


def solve(
    blocks: Sequence[BlockLP],
    cost: FloatArray,
    budget_rows: list[tuple[FloatArray, float]],
    fixed: dict[int, bool] | None = None,
    time_limit: float | None = None,
    cvar: Rows | None = None,
) -> tuple[FloatArray, float, str, float, FloatArray]:
    """(x, objective without the problem's constant, status, relative gap, block values).

    With ``cvar``, columns η and u_y and the Rockafellar–Uryasev rows of the limit are added
    (each block's value is its cost · v); no integer point raises
    ``planning.optimise.infeasible``.
    """
    nm = cost.size
    costs: list[FloatArray] = [cost]
    col_up: list[FloatArray] = [np.ones(nm)]
    rows_a = [b.a for b in blocks]
    x_coefs = [b.x for b in blocks]
    upper_r: list[FloatArray] = [b.rhs for b in blocks]
    costs += [b.cost for b in blocks]
    col_up += [b.upper for b in blocks]
    n_cols = nm + sum(b.shape[1] for b in blocks)
    body = sp.block_diag(rows_a, format="csr") if rows_a else sp.csr_matrix((0, 0))
    xs = sp.vstack(x_coefs).tocsr() if x_coefs else sp.csr_matrix((0, nm))
    top = sp.hstack([xs, body]).tocsr() if rows_a else sp.csr_matrix((0, nm))
    if budget_rows:
        bud = sp.hstack(
            [
                sp.csr_matrix(np.array([c for c, _ in budget_rows])),
                sp.csr_matrix((len(budget_rows), n_cols - nm)),
            ]
        )
        top = sp.vstack([top, bud]).tocsr()
        upper_r.append(np.array([r for _, r in budget_rows]))
    if cvar is not None:
        k = cvar.constant.size
        # year y: Σ_b coef_yb · (cost_b · v_b) − η − u_y ≤ −constant_y
        if blocks:
            rows = [sp.csr_matrix(b.cost[None, :]) for b in blocks]
            loss = cvar.coef @ sp.block_diag(rows, format="csr")
        else:
            loss = sp.csr_matrix((k, 0))
        top = sp.hstack([top, sp.csr_matrix((top.shape[0], 1 + k))]).tocsr()
        # η and u_y in units of the limit (losses reach 1e10: near 1 for HiGHS's tolerances)
        unit = max(1.0, cvar.limit.value)
        years = sp.hstack(
            [sp.csr_matrix((k, nm)), loss / unit, sp.csr_matrix(-np.ones((k, 1))), -sp.identity(k)]
        )
        limit = sp.hstack(
            [
                sp.csr_matrix((1, n_cols)),
                sp.csr_matrix(np.concatenate([[1.0], np.full(k, cvar.tail)])[None, :]),
            ]
        )
        top = sp.vstack([top, years, limit]).tocsr()
        upper_r += [-cvar.constant / unit, np.array([cvar.limit.value / unit])]
        costs.append(np.zeros(1 + k))
        col_up.append(np.full(1 + k, np.inf))
    up = np.concatenate(col_up)
    lo = np.zeros(up.size)
    for j, on in (fixed or {}).items():
        lo[j] = up[j] = 1.0 if on else 0.0
    csc = top.tocsc()
    integrality = np.zeros(csc.shape[1], dtype=np.int32)
    integrality[:nm] = 1
    row_up = np.concatenate([np.zeros(0), *upper_r])
    h = new_highs()
    passed = h.passModel(
        int(csc.shape[1]), int(csc.shape[0]), int(csc.nnz), int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize), 0.0, np.concatenate(costs), lo, up,
        np.full(row_up.size, -np.inf), row_up, csc.indptr.astype(np.int32),
        csc.indices.astype(np.int32), csc.data.astype(np.float64), integrality,
    )  # fmt: skip
    if passed == highspy.HighsStatus.kError:
        raise PlanningError("planning.optimise.not_solved", status="rejected")
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 1e-6)
    if time_limit:
        h.setOptionValue("time_limit", float(time_limit))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if h.getModelStatus() == highspy.HighsModelStatus.kModelEmpty:
        return np.zeros(nm), 0.0, status, 0.0, np.zeros(0)  # no candidate, no event to model
    if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
        raise PlanningError("planning.optimise.infeasible")
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise PlanningError("planning.optimise.not_solved", status=status)
    values = np.asarray(h.getSolution().col_value)
    block_values = np.zeros(len(blocks))
    at = nm
    for i, b in enumerate(blocks):
        block_values[i] = float(b.cost @ values[at : at + b.shape[1]])
        at += b.shape[1]
    return (
        np.round(values[:nm]), float(h.getObjectiveValue()), status, float(h.getInfo().mip_gap),
        block_values,
    )  # fmt: skip
