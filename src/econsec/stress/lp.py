"""A thin HiGHS wrapper: pass a column-wise LP, solve, read values and duals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]

OPTIMAL, INFEASIBLE, UNBOUNDED, FAILED = "optimal", "infeasible", "unbounded", "failed"


@cache
def solver_version() -> str:
    """``HiGHS x.y.z`` of the linked solver (recorded with every stored result)."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


@dataclass
class Solution:
    status: str
    objective: float
    col_value: FloatArray
    row_dual: FloatArray


class Model:
    """One LP kept alive so later solves change bounds or costs and start from the last basis."""

    def __init__(
        self,
        matrix: sp.csc_matrix,
        cost: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        row_upper: FloatArray,
    ) -> None:
        self.highs = highspy.Highs()  # type: ignore[no-untyped-call]
        h = self.highs
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        n_rows, n_cols = matrix.shape
        lp.num_col_ = n_cols
        lp.num_row_ = n_rows
        lp.col_cost_ = np.asarray(cost, dtype=np.float64)
        lp.col_lower_ = np.asarray(col_lower, dtype=np.float64)
        lp.col_upper_ = np.asarray(col_upper, dtype=np.float64)
        lp.row_lower_ = np.full(n_rows, -np.inf)
        lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(np.float64)
        h.passModel(lp)
        self.n_cols = n_cols
        self.n_rows = n_rows

    def set_costs(self, cost: FloatArray) -> None:
        idx = np.arange(self.n_cols, dtype=np.int32)
        self.highs.changeColsCost(self.n_cols, idx, np.asarray(cost, dtype=np.float64))

    def set_col_bounds(
        self, cols: npt.NDArray[np.int64], lower: FloatArray, upper: FloatArray
    ) -> None:
        if cols.size:
            self.highs.changeColsBounds(
                int(cols.size),
                cols.astype(np.int32),
                np.asarray(lower, dtype=np.float64),
                np.asarray(upper, dtype=np.float64),
            )

    def set_row_upper(self, rows: npt.NDArray[np.int64], upper: FloatArray) -> None:
        if rows.size:
            self.highs.changeRowsBounds(  # type: ignore[attr-defined]
                int(rows.size),
                rows.astype(np.int32),
                np.full(rows.size, -np.inf),
                np.asarray(upper, dtype=np.float64),
            )

    def solve(self) -> Solution:
        h = self.highs
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            sol = h.getSolution()
            return Solution(
                OPTIMAL,
                float(h.getInfo().objective_function_value),
                np.asarray(sol.col_value, dtype=np.float64),
                np.asarray(sol.row_dual, dtype=np.float64),
            )
        if status == highspy.HighsModelStatus.kInfeasible:
            kind = INFEASIBLE
        elif status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            kind = UNBOUNDED
        else:
            kind = FAILED
        empty = np.zeros(0)
        return Solution(kind, float("nan"), empty, empty)

    def status_text(self) -> str:
        return str(self.highs.modelStatusToString(self.highs.getModelStatus()))
