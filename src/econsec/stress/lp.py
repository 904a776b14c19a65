"""A thin HiGHS wrapper: pass a column-wise LP, solve, read values and duals.

One solver object per thread is reused for every model (clear, then pass the next model in one
call): building a ``highspy.Highs`` costs more than solving most sweep sub-problems. HiGHS prints
a banner on the first object a process creates, whatever its options; it would leak into CLI and
demo output, so that one construction runs with the process's standard output muted.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]

OPTIMAL, INFEASIBLE, UNBOUNDED, FAILED = "optimal", "infeasible", "unbounded", "failed"


_LOCAL = threading.local()
SMALL_COLUMNS = 1_000
"""Models up to this many columns are solved without presolve and with Dantzig pricing."""
_DOUBTFUL = (
    highspy.HighsModelStatus.kInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
    highspy.HighsModelStatus.kUnknown,
)
_BANNER_LOCK = threading.Lock()
_banner_done = False


def new_highs() -> highspy.Highs:
    """A silent ``highspy.Highs`` (no banner, no log, one thread, fixed seed)."""
    global _banner_done
    with _BANNER_LOCK:
        if _banner_done:
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        else:
            h = _muted(highspy.Highs)
            _banner_done = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


def _muted(make: type[highspy.Highs]) -> highspy.Highs:
    """Call ``make()`` with file descriptor 1 pointed at the null device (C-level output)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return make()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            try:
                return make()
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)


def _tune(h: highspy.Highs, small: bool) -> None:
    """Options by model size (set only when they change: each call costs a little)."""
    if getattr(_LOCAL, "small", None) is not small:
        # Sweep sub-problems (tens to hundreds of columns) spend more in presolve and in
        # pricing weights than in the simplex itself; large models keep HiGHS's defaults.
        h.setOptionValue("presolve", "off" if small else "choose")
        h.setOptionValue("simplex_dual_edge_weight_strategy", 0 if small else -1)
        _LOCAL.small = small


def _shared() -> highspy.Highs:
    h: highspy.Highs | None = getattr(_LOCAL, "highs", None)
    if h is None:
        h = _LOCAL.highs = new_highs()
    return h


@cache
def solver_version() -> str:
    """``HiGHS x.y.z`` of the linked solver (recorded with every stored result)."""
    h = _shared()
    return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


@dataclass
class Solution:
    status: str
    objective: float
    col_value: FloatArray
    row_dual: FloatArray


class Model:
    """One LP kept alive so later solves change bounds or costs and start from the last basis.

    Models share their thread's solver. A model keeps its own copy of costs and bounds, so when
    another model has taken the solver since, it is passed again (losing only its warm start).
    """

    def __init__(
        self,
        matrix: sp.csc_matrix,
        cost: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        row_upper: FloatArray,
    ) -> None:
        def own(a: FloatArray) -> FloatArray:
            return np.array(a, dtype=np.float64)

        self._setup(
            matrix.shape[0], matrix.indptr, matrix.indices, own(matrix.data),
            own(cost), own(col_lower), own(col_upper), own(row_upper),
        )  # fmt: skip

    @classmethod
    def from_arrays(
        cls,
        n_rows: int,
        start: npt.NDArray[np.int64],
        index: npt.NDArray[np.int64],
        value: FloatArray,
        cost: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        row_upper: FloatArray,
    ) -> Model:
        """A model from column-wise arrays (no scipy matrix: sweeps build one per scenario).

        The model takes the float arrays over (no copies): callers pass arrays of their own.
        """
        model = cls.__new__(cls)
        model._setup(n_rows, start, index, value, cost, col_lower, col_upper, row_upper)
        return model

    def _setup(
        self,
        n_rows: int,
        start: npt.NDArray[np.integer[Any]],
        index: npt.NDArray[np.integer[Any]],
        value: FloatArray,
        cost: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        row_upper: FloatArray,
    ) -> None:
        """Keep the arrays (the float ones as given: the model changes them in place)."""
        self.highs = _shared()
        self.n_rows, self.n_cols = int(n_rows), int(start.size - 1)
        self._start = start.astype(np.int32)
        self._index = index.astype(np.int32)
        self._value, self._cost = value, cost
        self._col_lower, self._col_upper, self._row_upper = col_lower, col_upper, row_upper
        # Passed to the solver on first use: changes made before then only touch the arrays.
        self.start_basis: tuple[list[Any], list[Any]] | None = None
        """Column and row statuses to start the first solve from (a wider model's carry-over)."""

    def _pass(self) -> None:
        h = self.highs
        h.clearModel()
        _LOCAL.owner = self
        # One call with numpy arrays: filling a HighsLp field by field converts every array
        # through Python and cost ten times the pass itself.
        status = h.passModel(
            self.n_cols,
            self.n_rows,
            int(self._index.size),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            self._cost,
            self._col_lower,
            self._col_upper,
            np.full(self.n_rows, -np.inf),
            self._row_upper,
            self._start,
            self._index,
            self._value,
            np.zeros(self.n_cols, dtype=np.int32),  # all continuous
        )
        if status == highspy.HighsStatus.kError:
            raise ValueError("HiGHS rejected the model")
        _tune(h, self.small)
        if self.start_basis is not None:
            basis = highspy.HighsBasis()
            basis.col_status, basis.row_status = self.start_basis
            basis.valid = True
            self.start_basis = None
            if h.setBasis(basis) != highspy.HighsStatus.kOk:
                h.clearSolver()  # an inconsistent basis: start from scratch as before

    def _live(self) -> highspy.Highs:
        if getattr(_LOCAL, "owner", None) is not self:
            self._pass()
        return self.highs

    def basis(self) -> tuple[list[Any], list[Any]] | None:
        """The solver's current column and row statuses, when it holds this model."""
        if not self._in_solver():
            return None
        b = self.highs.getBasis()
        if not b.valid:
            return None
        return list(b.col_status), list(b.row_status)

    def _in_solver(self) -> bool:
        """True when the solver holds this model (else the next ``_live`` passes it whole)."""
        return getattr(_LOCAL, "owner", None) is self

    def set_costs(self, cost: FloatArray) -> None:
        self._cost[:] = cost
        if self._in_solver():
            idx = np.arange(self.n_cols, dtype=np.int32)
            self.highs.changeColsCost(self.n_cols, idx, self._cost)

    def set_col_bounds(
        self, cols: npt.NDArray[np.int64], lower: FloatArray, upper: FloatArray
    ) -> None:
        if cols.size:
            self._col_lower[cols] = lower
            self._col_upper[cols] = upper
            if not self._in_solver():
                return
            self.highs.changeColsBounds(
                int(cols.size),
                cols.astype(np.int32),
                np.asarray(lower, dtype=np.float64),
                np.asarray(upper, dtype=np.float64),
            )

    def set_row_upper(self, rows: npt.NDArray[np.int64], upper: FloatArray) -> None:
        if rows.size:
            self._row_upper[rows] = upper
            if not self._in_solver():
                return
            self.highs.changeRowsBounds(  # type: ignore[attr-defined]
                int(rows.size),
                rows.astype(np.int32),
                np.full(rows.size, -np.inf),
                np.asarray(upper, dtype=np.float64),
            )

    @property
    def small(self) -> bool:
        return self.n_cols <= SMALL_COLUMNS

    def solve(self, *, cold: bool = False) -> Solution:
        """Solve from the last basis, or from scratch when ``cold``."""
        h = self._live()
        if cold:
            h.clearSolver()
        h.run()
        status = h.getModelStatus()
        if status in _DOUBTFUL:
            # A simplex warm-started from another horizon's basis can report a feasible model
            # infeasible (seen at Ford scale at a TTS piece boundary, where the previous piece's
            # optimum sits exactly on the new t bound). Only a cold start's verdict is trusted:
            # callers answer "infeasible" by solving a far larger programme.
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
            if status in _DOUBTFUL and self.small:
                # Without presolve and with Dantzig pricing, a badly scaled programme (t
                # coefficients near 1e11 at Ford scale) can end "unknown": the verdict is taken
                # from HiGHS's defaults, as for large models.
                _tune(h, False)
                h.clearSolver()
                h.run()
                status = h.getModelStatus()
                _tune(h, True)
        if status == highspy.HighsModelStatus.kOptimal:
            sol = h.getSolution()
            return Solution(
                OPTIMAL,
                float(h.getObjectiveValue()),
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
