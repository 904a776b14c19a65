"""TTR and TTS for one scenario (docs/decisions/0070-stress-programme.md).

The programme of programme.py is solved over a *restricted* set of free columns: everything a
disruption cannot reach stays at its baseline rate × t (its contribution moves into the t column).
That restriction can only make the answer worse, so after each solve the engine checks the reduced
cost of every fixed column that meets a kept row (an LP optimality certificate for the full
programme). Any column whose reduced cost disagrees is freed and the solve repeats; when the check
passes the restricted optimum *is* the full optimum, to solver tolerance.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.stress.errors import StressError
from econsec.stress.gather import entries, neighbours
from econsec.stress.lp import INFEASIBLE, OPTIMAL, Model, Solution
from econsec.stress.programme import (
    ROW_ACAP,
    ROW_KINDS,
    ROW_LCAP,
    ROW_LMAX,
    ROW_NCAP,
    ROW_OUT,
    ROW_SLOT,
    Programme,
    build_programme,
    item_levels,
)
from econsec.stress.scenario import Disruption
from econsec.valuechain.compiled import CompiledChain

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TTS_CAP_WEEKS = 10_000.0
"""A TTS that reaches this many weeks is reported as unlimited (``inf``)."""
_REL_TOL = 1e-9
_NONE = np.zeros(0, dtype=np.int64)


@dataclass
class Outcome:
    """What one scenario does to the chain: the TTR programme at ``horizon`` and TTS."""

    horizon_weeks: float
    tts_weeks: float
    lost_margin: float
    lost_revenue: float
    lost_units: FloatArray  # per demand row
    product_tts: dict[int, float]  # item index → TTS when only that product must be served
    binding: list[dict[str, Any]]
    shortcut: bool
    lp_solves: int
    free_columns: int
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    normal_lost_margin: float = 0.0
    """Lost margin over the same horizon with nothing disrupted (normal-time shortfall)."""
    rounds: int = 0
    """How many times the certificate failed and the restricted programme was widened."""
    fell_back: bool = False
    """True when a restricted programme was infeasible and the whole programme was solved."""
    full_service_weeks: float | None = None
    """How long *every* demand row is met in full, asked for where some demand is short even in
    normal times (TTS measures only the demand normal times meet); None when not asked."""
    reached_items: frozenset[int] = frozenset()
    """Items made or held at nodes the disruption reaches (the parts it can make scarce)."""

    @property
    def excess_lost_margin(self) -> float:
        """What the disruption itself costs: lost margin beyond the normal-time shortfall."""
        return max(0.0, self.lost_margin - self.normal_lost_margin)

    @property
    def material(self) -> bool:
        return self.tts_weeks < self.horizon_weeks


class _Sub:
    """The restricted programme for one scenario and one set of free columns."""

    def __init__(self, engine: Engine, state: _State, free: BoolArray) -> None:
        prog = engine.prog
        self.free = free
        self.cols = free[1:].nonzero()[0] + 1
        # Entries of the free columns (column by column, rows ascending) and of the rows they
        # meet, gathered from the programme's arrays: sub-problems are small, the programme is
        # not, so nothing here sorts or slices anything programme-sized (docs/decisions/0072).
        c_pos, c_owner = entries(engine.csc_ptr, self.cols)
        c_row, c_val = engine.csc_idx[c_pos], engine.csc_val[c_pos]
        hit = engine.work_hit
        hit[c_row] = True
        rows = hit.nonzero()[0]
        hit[rows] = False
        rows = rows[np.isfinite(state.row_upper[rows]) | (prog.row_kind[rows] == ROW_ACAP)]
        r_pos, r_owner = entries(engine.csr_ptr, rows)
        r_col, r_val = engine.csr_idx[r_pos], engine.csr_val[r_pos]
        # The fixed columns' steady state moves into the t column. Work arrays the size of the
        # programme are the engine's, restored after use, so a sub-problem allocates only its own.
        fixed_rates = engine.work_rates
        saved = fixed_rates[self.cols]
        fixed_rates[self.cols] = 0.0
        tcol = state.t_coef[rows] + np.bincount(
            r_owner, weights=r_val * fixed_rates[r_col], minlength=rows.size
        )
        fixed_rates[self.cols] = saved
        position = engine.work_position
        position[rows] = np.arange(rows.size)
        local = position[c_row]
        position[rows] = -1
        kept = local >= 0
        keep_row = _undominated(
            local[kept], c_owner[kept], c_val[kept], tcol, state.row_upper[rows],
            prog.row_kind[rows] == ROW_ACAP,
        )  # fmt: skip
        self.rows = rows[keep_row]
        renumber = keep_row.cumsum() - 1  # place of a candidate row among the kept ones
        in_kept = keep_row[r_owner]
        k_owner, k_col, k_val = r_owner[in_kept], r_col[in_kept], r_val[in_kept]
        # The certificate checks every fixed column meeting a kept row, and fixed lost sales
        # (normal-time shortfall has a cost even where no kept row meets it). A fixed column
        # meeting only dropped rows (dual 0) or none has reduced cost = its cost: 0 for
        # production and flows, a margin ≥ 0 for lost sales, which at their steady-state value
        # 0 (all but the short rows) may not decrease. None of those can fail the check.
        check = engine.work_check
        check[k_col] = True
        check[engine.short_cols] = True
        self.fixed_checked = (check & ~free).nonzero()[0]
        check[k_col] = False
        check[engine.short_cols] = False
        # Entries of kept rows in checked fixed columns: the certificate's reduced costs are
        # cost − Σ dual·entry over exactly these.
        colpos = engine.work_colpos
        colpos[self.fixed_checked] = np.arange(self.fixed_checked.size)
        at = colpos[k_col]
        colpos[self.fixed_checked] = -1
        use = at >= 0
        self.check_row = renumber[k_owner[use]]
        touched = self.fixed_checked
        first_alt, first_lost = np.searchsorted(touched, (prog.a0, prog.l0))
        self.check_margin = np.zeros(touched.size)
        self.check_margin[first_lost:] = prog.margin[touched[first_lost:] - prog.l0]
        self.check_open = state.col_upper[touched] > 0
        self.check_alt = np.arange(first_alt, first_lost, dtype=np.int64)
        self.check_alt_weeks = prog.alt_weeks[touched[first_alt:first_lost] - prog.a0]
        self.check_rates = prog.rates[touched]
        # The horizon column of the full programme on the kept rows (without the fixed part).
        self.t_full = state.t_coef[self.rows]
        self.check_at = at[use]
        self.check_val = k_val[use]
        tcol = tcol[keep_row]
        body = kept.copy()
        body[kept] = keep_row[local[kept]]
        body_rows = renumber[local[body]]
        body_start = np.zeros(self.cols.size + 2, dtype=np.int64)
        np.cumsum(np.bincount(c_owner[body], minlength=self.cols.size), out=body_start[2:])
        t_rows = tcol.nonzero()[0]
        t_values = tcol[t_rows]
        body_start[1:] += t_rows.size
        self.all_cols = np.concatenate([[0], self.cols])
        self.t_weight = max(1.0, float(np.abs(t_values).max(initial=0.0)))
        lower = np.zeros(self.all_cols.size)
        upper = state.col_upper[self.all_cols]
        self.model = Model.from_arrays(
            self.rows.size, body_start, np.concatenate([t_rows, body_rows]),
            np.concatenate([t_values, c_val[body]]), np.zeros(self.all_cols.size), lower, upper,
            state.row_upper[self.rows],
        )  # fmt: skip
        # Columns are sorted by kind (t, u, y, a, l): alternatives and lost sales are ranges.
        first_alt, first_lost = np.searchsorted(self.all_cols, (prog.a0, prog.l0))
        self.alt_local = np.arange(first_alt, first_lost, dtype=np.int64)
        self.alt_index = self.all_cols[first_alt:first_lost] - prog.a0
        self.acap_local = _NONE
        if self.alt_index.size:
            acap = prog.acap_row_of_alt[self.alt_index]
            # self.rows is sorted: find each acap row's position, -1 when not kept.
            pos = np.searchsorted(self.rows, acap)
            pos_ok = np.minimum(pos, max(self.rows.size - 1, 0))
            found = (acap >= 0) & (pos < self.rows.size)
            found &= self.rows[pos_ok] == acap if self.rows.size else np.zeros_like(found)
            self.acap_local = np.where(found, pos, -1).astype(np.int64)
        self.l_local = np.arange(first_lost, self.all_cols.size, dtype=np.int64)
        self.l_demand = self.all_cols[first_lost:] - prog.l0

    def breakpoints(self, engine: Engine, state: _State) -> list[float]:
        if not self.alt_index.size:
            return []
        weeks = engine.prog.alt_weeks[self.alt_index]
        usable = ~state.alt_closed[self.alt_index]
        return sorted({float(w) for w in weeks[usable] if w > 0})

    def set_alternatives(self, engine: Engine, state: _State, at_least: float) -> None:
        """Alternatives qualified by week ``at_least`` may carry flow, the others not."""
        if not self.alt_local.size:
            return
        weeks = engine.prog.alt_weeks[self.alt_index]
        active = (weeks <= at_least) & ~state.alt_closed[self.alt_index]
        upper = np.where(active, np.inf, 0.0)
        self.model.set_col_bounds(self.alt_local, np.zeros(upper.size), upper)
        has_row = self.acap_local >= 0
        rows = self.acap_local[has_row]
        full_rows = self.rows[rows]
        row_upper = np.where(active[has_row], engine.prog.row_upper[full_rows], np.inf)
        self.model.set_row_upper(rows, row_upper)


def _undominated(
    row: IntArray,
    col: IntArray,
    value: FloatArray,
    tcol: FloatArray,
    row_upper: FloatArray,
    protected: BoolArray,
) -> BoolArray:
    """Rows to keep: drops a row that bounds one free column no tighter than another row does.

    ``row``, ``col``, ``value`` are the free-column entries of the candidate rows. A row with one
    free entry a·x + c·t ≤ b (a > 0) says x ≤ β + s·t with β = b/a, s = −c/a. It is implied, for
    every t ≥ 0, by another such row of the same column with β' ≤ β and s' ≤ s, so dropping it
    leaves the feasible set unchanged; an optimal dual of the rest, with 0 on the dropped row, is
    optimal for both. Each column's tightest row (least β, then least s) is compared with the
    others. Assemblies consume many parts whose supply is fixed, so most candidate rows are such
    bounds and would otherwise dominate the solver's set-up time.
    """
    n = tcol.size
    keep = np.ones(n, dtype=bool)
    count = np.bincount(row, minlength=n)
    single = (count[row] == 1) & (value > 0) & ~protected[row]
    if not single.any():
        return keep
    r, j, a = row[single], col[single], value[single]
    beta = row_upper[r] / a
    slope = -tcol[r] / a
    # Each column's tightest row: least β, then least s, then the first such row. Found with
    # per-column minima rather than a sort (sub-problems are built once or more per scenario).
    width = int(j.max()) + 1
    least_beta = np.full(width, np.inf)
    np.minimum.at(least_beta, j, beta)
    at_least = beta == least_beta[j]
    least_slope = np.full(width, np.inf)
    np.minimum.at(least_slope, j[at_least], slope[at_least])
    tight = at_least & (slope == least_slope[j])
    best_row = np.full(width, n)
    np.minimum.at(best_row, j[tight], r[tight])
    best_slope = least_slope[j]
    # A slope within 1e-12 (relative) counts as equal: the bound then moves by far less than
    # the solver's feasibility tolerance at any horizon up to the TTS cap.
    tol = 1e-12 * np.maximum(1.0, np.abs(best_slope))
    dominated = (r != best_row[j]) & (beta >= least_beta[j]) & (slope >= best_slope - tol)
    keep[r[dominated]] = False
    return keep


def _int64(a: npt.NDArray[Any]) -> IntArray:
    return np.asarray(a, dtype=np.int64)


def _adjacency(m: sp.csr_matrix) -> tuple[IntArray, IntArray]:
    """A CSR matrix's row pointer and column indices (sorted within each row), as int64."""
    m = m.tocsr()
    m.sort_indices()
    return _int64(m.indptr), _int64(m.indices)


@dataclass
class _State:
    """A disruption applied to the programme's bounds and t coefficients."""

    col_upper: FloatArray
    t_coef: FloatArray
    row_upper: FloatArray
    alt_closed: BoolArray
    changed_cols: IntArray
    changed_rows: IntArray
    seed_nodes: IntArray


class Engine:
    """Solves scenarios against one compiled chain; build once, reuse for many scenarios."""

    def __init__(self, chain: CompiledChain, programme: Programme | None = None) -> None:
        self.chain = chain
        self.prog = programme or build_programme(chain)
        self._check_numbers()
        n = chain.n_nodes
        link_to_slot = sp.csr_matrix(
            (np.ones(chain.n_links), (np.arange(chain.n_links), chain.link_slot)),
            shape=(chain.n_links, chain.n_slots),
        )
        # node → node when the first feeds a slot the second consumes (downstream direction)
        downstream = (
            (self.prog.node_out @ link_to_slot @ self.prog.slot_consumers).tocsr().astype(bool)
        )
        alt_to_node = sp.csr_matrix(
            (
                np.ones(chain.alt_src.shape[0]),
                (chain.alt_src, chain.alt_slot),
            ),
            shape=(n, chain.n_slots),
        )
        # Alternatives carry supply too: what they feed is downstream of their source.
        downstream = (
            downstream + (alt_to_node @ self.prog.slot_consumers).tocsr().astype(bool)
        ).tocsr()
        item_level = item_levels(chain)
        # How binding rows are ordered among equal shadow prices: a part before the product it
        # starves, and the deepest part (the root cause) before sub-assemblies made from it.
        kinds = self.prog.row_kind
        self.row_priority = np.array([1, 0, 2, 3, 4, 5])[kinds]
        slot_item = chain.slot_item[np.where(kinds == ROW_SLOT, self.prog.row_ref, 0)]
        self.row_depth = np.where(kinds == ROW_SLOT, item_level[slot_item], 0)
        slot_alts = sp.csr_matrix(
            (np.ones(chain.alt_src.shape[0]), (chain.alt_slot, np.arange(chain.alt_src.shape[0]))),
            shape=(chain.n_slots, chain.alt_src.shape[0]),
        )
        self._normal: dict[tuple[float, bool], tuple[float, BoolArray, FloatArray]] = {}
        # Scratch arrays for building sub-problems (always handed back in this state).
        self.work_rates = self.prog.rates.copy()
        self.work_position = np.full(self.prog.row_kind.size, -1, dtype=np.int64)
        self.work_check = np.zeros(self.prog.n_cols, dtype=bool)
        self.work_hit = np.zeros(self.prog.row_kind.size, dtype=bool)
        self.work_colpos = np.full(self.prog.n_cols, -1, dtype=np.int64)
        # Scenario bounds are written over copies of the programme's and put back after each
        # scenario (see apply), so a scenario costs what it changes, not three programme copies.
        self.work_col_upper = self.prog.col_upper.copy()
        self.work_t_coef = self.prog.t_coef.copy()
        self.work_row_upper = self.prog.row_upper.copy()
        self._applied = False
        unstated = ~np.isfinite(chain.node_capacity) & (
            self.prog.rates[self.prog.u0 :][: self.prog.n_nodes] <= 0
        )
        self._uncapped = unstated | chain.node_passes
        self._downstream = _adjacency(downstream)
        self._node_out = _adjacency(self.prog.node_out)
        self._slot_links = _adjacency(chain.slot_links())
        self._slot_alts = _adjacency(slot_alts)
        self._node_input_slots = _adjacency(chain.node_inputs)
        self._slot_consumers = _adjacency(self.prog.slot_consumers)
        self._price = np.nan_to_num(chain.demand_unit_price, nan=0.0)
        self._served_rows = np.flatnonzero(self.prog.served)
        csc, csr = self.prog.matrix_csc, self.prog.matrix_csr
        self.csc_ptr, self.csc_idx = _int64(csc.indptr), _int64(csc.indices)
        self.csr_ptr, self.csr_idx = _int64(csr.indptr), _int64(csr.indices)
        self.csc_val = np.asarray(csc.data, dtype=np.float64)
        self.csr_val = np.asarray(csr.data, dtype=np.float64)
        self.short_cols = (self.prog.l0 + np.flatnonzero(~self.prog.served)).astype(np.int64)
        demand_of_node = sp.csr_matrix(
            (
                np.ones(chain.demand_node.shape[0]),
                (chain.demand_node, np.arange(chain.demand_node.shape[0])),
            ),
            shape=(n, chain.demand_node.shape[0]),
        )
        self._demand_of_node = _adjacency(demand_of_node)

    def _check_numbers(self) -> None:
        prog, chain = self.prog, self.chain
        for name, values in (
            ("demand_per_week", chain.demand_per_week),
            ("node_inventory", chain.node_inventory),
            ("slot_inventory", chain.slot_inventory),
        ):
            bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
            if bad.size:
                raise StressError("stress.programme.bad_number", field=name, index=int(bad[0]))
        if np.isnan(prog.t_coef).any() or np.isnan(prog.matrix_csr.data).any():
            raise StressError("stress.programme.bad_number", field="bom/capacity", index=-1)

    # ---- scenario state ----------------------------------------------------------------
    def apply(self, dis: Disruption) -> _State:
        """Write ``dis`` over the engine's working bounds; ``release`` puts them back.

        One scenario at a time: the state's arrays are the engine's, changed in place.
        """
        if self._applied:
            raise RuntimeError("a scenario is already applied to this engine")
        prog = self.prog
        col_upper, t_coef, row_upper = self.work_col_upper, self.work_t_coef, self.work_row_upper
        factor = dis.node_factor
        # A partial loss at a node of unstated capacity caps it at that share of its normal
        # output; a node with no normal output (an alternative not yet used) stays unlimited.
        # A partial loss is lost production: passing received goods on stops only when the
        # site is down (docs/decisions/0075).
        hit = ((factor < 1.0) & ~(self._uncapped & (factor > 0.0))).nonzero()[0]
        down = hit[dis.node_factor[hit] <= 0.0]
        partial = hit[dis.node_factor[hit] > 0.0]
        col_upper[prog.u0 + down] = 0.0
        rows = prog.cap_row_of_node[partial]
        cap = self.chain.node_capacity[partial]
        reference = np.where(np.isfinite(cap), cap, prog.rates[prog.u0 + partial])
        t_coef[rows] = -reference * dis.node_factor[partial]
        row_upper[rows] = 0.0
        closed = dis.link_closed.nonzero()[0]
        col_upper[prog.y0 + closed] = 0.0
        alts = dis.alt_closed.nonzero()[0]
        col_upper[prog.a0 + alts] = 0.0
        # What a closed column carries when it is not in a sub-problem (see _initial_free).
        rates = self.work_rates
        rates[prog.u0 + down] = 0.0
        rates[prog.y0 + closed] = 0.0
        rates[prog.a0 + alts] = 0.0
        seeds = hit
        if closed.size or alts.size:
            cut_slots = np.union1d(self.chain.link_slot[closed], self.chain.alt_slot[alts])
            seeds = np.union1d(hit, neighbours(*self._slot_consumers, cut_slots))
        self._applied = True
        return _State(
            col_upper=col_upper,
            t_coef=t_coef,
            row_upper=row_upper,
            alt_closed=dis.alt_closed,
            changed_cols=np.concatenate([prog.u0 + hit, prog.y0 + closed, prog.a0 + alts]),
            changed_rows=rows,
            seed_nodes=seeds.astype(np.int64),
        )

    def release(self, state: _State) -> None:
        """Undo ``apply``: the working bounds are the programme's again."""
        prog = self.prog
        cols, rows = state.changed_cols, state.changed_rows
        self.work_col_upper[cols] = prog.col_upper[cols]
        self.work_rates[cols] = prog.rates[cols]
        self.work_t_coef[rows] = prog.t_coef[rows]
        self.work_row_upper[rows] = prog.row_upper[rows]
        self._applied = False

    def reach(self, seeds: IntArray) -> BoolArray:
        """Nodes downstream of ``seeds`` (inclusive): those whose supply a disruption can cut."""
        seen = np.zeros(self.chain.n_nodes, dtype=bool)
        seen[seeds] = True
        frontier = seeds
        ptr, idx = self._downstream
        while frontier.size:
            nxt = neighbours(ptr, idx, frontier)
            nxt = nxt[~seen[nxt]]
            seen[nxt] = True
            frontier = np.unique(nxt)
        return seen

    def _baseline_holds(self, state: _State) -> bool:
        """True when the baseline steady state still fits the disrupted bounds (cost 0, TTS ∞)."""
        prog = self.prog
        cols = state.changed_cols
        if np.any(prog.rates[cols] > state.col_upper[cols] * (1 + 1e-12) + 1e-12):
            return False
        rows = state.changed_rows
        hit_rows = rows[state.t_coef[rows] != prog.t_coef[rows]]
        if hit_rows.size:
            u = prog.rates[prog.u0 + prog.row_ref[hit_rows]]
            if np.any(u + state.t_coef[hit_rows] > 1e-9 * np.maximum(1.0, u)):
                return False
        return True

    def _initial_free(self, state: _State, reached: BoolArray, full: bool) -> BoolArray:
        prog, chain = self.prog, self.chain
        free = np.zeros(prog.n_cols, dtype=bool)
        free[0] = True
        if full:
            free[:] = True
            return free
        free[state.changed_cols] = True
        nodes = reached.nonzero()[0]
        free[prog.u0 + nodes] = True
        out_links = neighbours(*self._node_out, nodes)
        free[prog.y0 + out_links] = True
        free[prog.l0 + neighbours(*self._demand_of_node, nodes)] = True
        # Every supplier of a slot that lost supply may step in: other sources, alternatives.
        closed = state.changed_cols[
            (state.changed_cols >= prog.y0) & (state.changed_cols < prog.a0)
        ]
        slots = np.union1d(chain.link_slot[out_links], chain.link_slot[closed - prog.y0])
        links = neighbours(*self._slot_links, slots)
        alts = neighbours(*self._slot_alts, slots)
        free[prog.y0 + links] = True
        free[prog.a0 + alts] = True
        free[prog.u0 + chain.link_src[links]] = True
        free[prog.u0 + chain.alt_src[alts]] = True
        # A column the scenario bounds at 0 (a plant down, a closed link, an unqualified one)
        # has one feasible value: it stays fixed, at 0 (apply sets its working rate), which
        # takes it and the rows only it meets out of the sub-problem without changing any
        # optimum; it can never fail the certificate either.
        free &= state.col_upper > 0
        return free

    # ---- solving -----------------------------------------------------------------------
    def run(
        self,
        dis: Disruption,
        horizon_weeks: float,
        *,
        per_product: bool = True,
        full: bool = False,
        fresh_models: bool = False,
        explain: bool = True,
        full_service: bool = False,
    ) -> Outcome:
        """TTR at ``horizon_weeks`` and TTS (overall, and per reached product when asked).

        ``full`` frees every column (the whole programme); ``fresh_models`` rebuilds the model
        for every solve instead of reusing it — both exist for the baseline comparison.
        ``explain=False`` leaves ``binding`` empty (sweep rows do not carry it).
        ``full_service`` also finds how long all demand is met where some of it is short even
        in normal times (``Outcome.full_service_weeks``).
        """
        # Normal times first: they are solved on the engine's working bounds, which the
        # scenario then takes over until it is released.
        normal = self.normal_lost_margin(horizon_weeks, full=full)
        state = self.apply(dis)
        try:
            outcome = self._run(
                dis, state, horizon_weeks, normal, per_product, full, fresh_models, explain
            )
            if full_service and not self.prog.baseline_ok:
                outcome.full_service_weeks = self._full_service(state, horizon_weeks, full)
            return outcome
        finally:
            self.release(state)

    def _full_service(self, state: _State, horizon_weeks: float, full: bool) -> float:
        """TTS with every demand row forced, short ones included (solved like TTS)."""
        reached = self.reach(state.seed_nodes)
        reached[self.chain.demand_node[~self.prog.served]] = True
        free = self._initial_free(state, reached, full)
        free |= self._normal[(float(horizon_weeks), full)][1]
        free[self.short_cols] = True
        free &= state.col_upper > 0
        return _Runner(self, state, free, full).tts(None)[0]

    def _run(
        self,
        dis: Disruption,
        state: _State,
        horizon_weeks: float,
        normal: float,
        per_product: bool,
        full: bool,
        fresh_models: bool,
        explain: bool,
    ) -> Outcome:
        chain, prog = self.chain, self.prog
        nd = chain.demand_node.shape[0]
        if not full and prog.baseline_ok and self._baseline_holds(state):
            return Outcome(
                horizon_weeks, float("inf"), 0.0, 0.0, np.zeros(nd), {}, [], True, 0, 0,
                list(dis.notes),
            )  # fmt: skip
        reached = self.reach(state.seed_nodes)
        if not full and not reached[chain.demand_node].any():
            # Nothing the disruption reaches sells to a market: normal times' answer stands
            # (proof in docs/decisions/0071).
            lost = self._normal_lost(horizon_weeks)
            price = self._price
            return Outcome(
                horizon_weeks, float("inf"), normal, float(lost @ price), lost, {}, [], True, 0,
                0, list(dis.notes), normal,
            )  # fmt: skip
        free = self._initial_free(state, reached, full)
        if not full and not prog.baseline_ok:
            # The part that normal-time shortfall needs solved is needed by every scenario.
            free |= self._normal[(float(horizon_weeks), False)][1]
        runner = _Runner(self, state, free, fresh_models)
        served = self._served_rows
        if full:
            lost_margin, lost = runner.ttr(horizon_weeks)
            tts, binding = runner.tts(served, explain=explain)
        else:
            # TTS first: its optimal basis is a better start for the TTR solve than the other
            # way round (measured), and when every demand row is served in normal times and
            # TTS reaches the horizon, nothing is lost over it (proof in decision 0074).
            tts, binding = runner.tts(served, explain=explain)
            if prog.baseline_ok and tts >= horizon_weeks:
                lost_margin, lost = 0.0, np.zeros(nd)
            else:
                lost_margin, lost = runner.ttr(horizon_weeks)
        product_tts: dict[int, float] = {}
        if per_product:
            reached_demand = reached[chain.demand_node]
            for item in sorted(
                {int(i) for i in chain.node_item[chain.demand_node[reached_demand]]}
            ):
                rows = np.flatnonzero((chain.node_item[chain.demand_node] == item) & prog.served)
                product_tts[item] = runner.tts(rows)[0] if tts != float("inf") else tts
        price = self._price
        return Outcome(
            horizon_weeks=horizon_weeks,
            tts_weeks=tts,
            lost_margin=lost_margin,
            lost_revenue=float(lost @ price),
            lost_units=lost,
            product_tts=product_tts,
            binding=binding,
            shortcut=False,
            lp_solves=runner.solves,
            free_columns=int(runner.free.sum()),
            notes=list(dis.notes),
            normal_lost_margin=normal,
            rounds=runner.rounds,
            fell_back=runner.fell_back,
            reached_items=frozenset(int(i) for i in np.unique(chain.node_item[reached])),
        )

    def _normal_lost(self, horizon_weeks: float) -> FloatArray:
        if self.prog.baseline_ok:
            return np.zeros(self.prog.n_demand)
        self.normal_lost_margin(horizon_weeks)
        return self._normal[(float(horizon_weeks), False)][2]

    def normal_lost_margin(self, horizon_weeks: float, *, full: bool = False) -> float:
        """Least lost margin over ``horizon_weeks`` with nothing disrupted (cached per horizon).

        Zero without an LP when the steady state serves all demand; otherwise solved like a
        scenario, starting from the demand rows the steady state leaves short.
        """
        prog, chain = self.prog, self.chain
        if prog.baseline_ok:
            return 0.0
        key = (float(horizon_weeks), full)
        cached = self._normal.get(key)
        if cached is None:
            none = Disruption(
                np.ones(chain.n_nodes),
                np.zeros(chain.n_links, dtype=bool),
                np.zeros(chain.alt_src.shape[0], dtype=bool),
            )
            state = self.apply(none)
            try:
                reached = np.zeros(chain.n_nodes, dtype=bool)
                reached[chain.demand_node[~prog.served]] = True
                # Each horizon starts from the same set, whatever this worker solved before, so
                # results do not depend on which worker ran which scenario first.
                free = self._initial_free(state, reached, full)
                runner = _Runner(self, state, free, full)
                cost, lost = runner.ttr(float(horizon_weeks))
            finally:
                self.release(state)
            cached = self._normal[key] = (cost, runner.free.copy(), lost)
        return cached[0]


class _Runner:
    """Solves TTR and TTS on a restricted programme, widening it until the certificate holds."""

    def __init__(self, engine: Engine, state: _State, free: BoolArray, fresh: bool) -> None:
        self.engine = engine
        self.prog = engine.prog
        self.state = state
        self.free = free
        self.fresh = fresh
        self.solves = 0
        self.rounds = 0
        self.fell_back = False
        self.sub = _Sub(engine, state, free)

    def _rebuild(self) -> None:
        self.sub = _Sub(self.engine, self.state, self.free)

    def _solve(self, sub: _Sub, what: str, *, cold: bool = False) -> Solution | None:
        """Solve; None when a restricted programme is infeasible and has been widened to all.

        The full programme is always feasible (lose everything). A restricted one can miss that
        only through rounding in the fixed steady state; then the whole programme is solved.
        """
        self.solves += 1
        sol = sub.model.solve(cold=cold)
        if sol.status == INFEASIBLE and not self.free.all():
            self.fell_back = True
            self.free[:] = True
            self._rebuild()
            return None
        if sol.status != OPTIMAL:
            raise StressError("stress.programme.not_optimal", what=what, status=sol.status)
        return sol

    def _violations(
        self, sub: _Sub, sol: Solution, margins: bool, cost_scale: float, t: float
    ) -> IntArray:
        """Fixed columns whose reduced cost says the full programme would move them.

        ``margins``: the objective is lost margin (TTR); otherwise it is −w·t (TTS), whose cost
        is zero on every fixed column.
        """
        y = sol.row_dual
        touched = sub.fixed_checked
        if not touched.size:
            return touched
        terms = sub.check_val * y[sub.check_row]
        priced = np.bincount(sub.check_at, weights=terms, minlength=touched.size)
        reduced = np.asarray(sub.check_margin - priced if margins else -priced, dtype=np.float64)
        # Relative to the column's own terms, not to the largest dual or cost: flows reach 1e10
        # at Ford scale, so a reduced cost far below those still moves the optimum (decision
        # 0074: a TTS 34 % short and a TTR 14 % high passed the old test). Rounding in terms
        # that cancel stays below 1e-6 of their size.
        size = np.bincount(sub.check_at, weights=np.abs(terms), minlength=touched.size).astype(
            np.float64
        )
        if margins:
            size = size + sub.check_margin
        scale = max(1.0, cost_scale if margins else 0.0, float(np.abs(y).max(initial=0.0)))
        tol = 1e-6 * size + 1e-12 * scale
        open_ = sub.check_open
        if sub.check_alt.size:
            # An alternative not qualified by t can carry nothing: it may sit at its bound.
            open_ = open_.copy()
            open_[sub.check_alt] &= sub.check_alt_weeks <= t
        interior = sub.check_rates * t > 1e-12 * max(1.0, t)
        bad = np.where(interior, np.abs(reduced) > tol, reduced < -tol) & open_
        if not margins and not bad.any():
            bad = self._t_violations(sub, y, cost_scale, reduced, size, tol, open_)
        result: IntArray = touched[bad]
        return result

    @staticmethod
    def _t_violations(
        sub: _Sub,
        y: FloatArray,
        weight: float,
        reduced: FloatArray,
        size: FloatArray,
        tol: FloatArray,
        open_: BoolArray,
    ) -> BoolArray:
        """The horizon column's own reduced cost in the full programme (TTS only).

        A fixed column is rate·t, so the restricted t column carries Σ rate·column: its reduced
        cost there is the full one plus Σ rate·(reduced cost of each fixed column). Where t is
        interior every fixed column with a positive rate is interior too and its reduced cost 0,
        so the two agree. At t = 0 those columns sit at their bound and may keep a positive
        reduced cost; the restricted t column can then look unprofitable while in the full
        programme t, with those flows growing along with it, can still rise (a TTS of 0 where
        the whole programme found no limit). The full t column's reduced cost must be ≥ 0 (t at
        its lower bound) — else the columns that made the difference are freed.
        """
        d_t = -weight - float(y @ sub.t_full)
        moving = open_ & (sub.check_rates > 0)
        pushed = sub.check_rates * np.where(moving, reduced, 0.0)
        t_size = weight + float(np.abs(y * sub.t_full).sum()) + float(sub.check_rates @ size)
        if d_t >= -1e-6 * t_size:
            return np.zeros(reduced.size, dtype=bool)
        culprits = moving & (reduced > tol)
        if not culprits.any():
            culprits = pushed > 0
        return culprits

    def _widen(self, cols: IntArray) -> None:
        prog, chain = self.prog, self.engine.chain
        self.rounds += 1
        self.free[cols] = True
        links = cols[(cols >= prog.y0) & (cols < prog.a0)] - prog.y0
        alts = cols[(cols >= prog.a0) & (cols < prog.l0)] - prog.a0
        nodes = np.union1d(chain.link_src[links], chain.alt_src[alts])
        self.free[prog.u0 + nodes] = True
        # A freed supplier can only make more if its own inputs can grow: free its tier of
        # suppliers at once rather than discovering it one failed check later.
        slots = neighbours(*self.engine._node_input_slots, nodes)
        up = neighbours(*self.engine._slot_links, slots)
        self.free[prog.y0 + up] = True
        self.free[prog.u0 + chain.link_src[up]] = True
        if not self.free.all():
            self.free &= self.state.col_upper > 0
        self._rebuild()

    def _model(self) -> _Sub:
        if self.fresh:
            self._rebuild()
        return self.sub

    def ttr(self, horizon: float) -> tuple[float, FloatArray]:
        """Minimum lost margin over ``horizon`` weeks, and lost units per demand row."""
        prog = self.prog
        margin_max = float(prog.margin.max(initial=0.0))
        while True:
            sub = self._model()
            cost = np.zeros(sub.all_cols.size)
            cost[sub.l_local] = prog.margin[sub.l_demand]
            sub.model.set_costs(cost)
            sub.model.set_col_bounds(np.array([0]), np.array([horizon]), np.array([horizon]))
            sub.model.set_col_bounds(
                sub.l_local, np.zeros(sub.l_local.size), np.full(sub.l_local.size, np.inf)
            )
            # Qualified strictly before the horizon, or the alternative delivers nothing.
            sub.set_alternatives(self.engine, self.state, np.nextafter(horizon, -np.inf))
            sol = self._solve(sub, "TTR")
            if sol is None:
                continue
            # With no loss in the restricted part and none fixed outside, nothing can improve.
            check = sol.objective > 0 or not prog.baseline_ok
            bad = self._violations(sub, sol, True, margin_max, horizon) if check else _NONE
            if bad.size:
                self._widen(bad)
                continue
            # Lost sales outside the restricted part stay at their steady-state rate.
            lost = prog.rates[prog.l0 :] * horizon
            lost[sub.l_demand] = sol.col_value[sub.l_local]
            return max(0.0, float(lost @ prog.margin)), lost

    def tts(
        self, forced_rows: IntArray | None, *, explain: bool = False
    ) -> tuple[float, list[dict[str, Any]]]:
        """Largest t with no lost sales on ``forced_rows`` (all demand rows when None).

        Sweeps force the rows the steady state serves in full: a row short in normal times has
        no time to survive.

        Alternatives switch on at their qualification week, which makes the feasible set in t
        piecewise: between two qualification weeks it is an interval, so each piece is one LP
        (max t), taken in order until one ends before its piece does.
        """
        prog = self.prog
        must_serve = np.ones(prog.n_demand, dtype=bool)
        if forced_rows is not None:
            must_serve[:] = False
            must_serve[forced_rows] = True
        while True:
            points = [0.0, *self.sub.breakpoints(self.engine, self.state), TTS_CAP_WEEKS]
            widened = False
            for lo, hi in itertools.pairwise(points):
                sub = self._model()
                # max t, scaled by the t column's largest entry: with cost 1 the duals are about
                # 1/coefficient (fixed flows folded into t reach 1e9 per week), so reduced costs
                # that matter fall under the solver's absolute dual tolerance and a warm start
                # stopped 1.4 % short of the optimum at Ford scale. Scaling changes no optimum.
                weight = sub.t_weight
                cost = np.zeros(sub.all_cols.size)
                cost[0] = -weight
                sub.model.set_costs(cost)
                forced = must_serve[sub.l_demand]
                sub.model.set_col_bounds(
                    sub.l_local, np.zeros(sub.l_local.size), np.where(forced, 0.0, np.inf)
                )
                sub.model.set_col_bounds(np.array([0]), np.array([lo]), np.array([hi]))
                sub.set_alternatives(self.engine, self.state, lo)
                # A small model's first piece starts from scratch: the TTR basis is neither
                # primal nor dual feasible for max t, and repairing it took longer (measured).
                sol = self._solve(sub, "TTS", cold=lo == 0.0 and sub.model.small)
                if sol is None:
                    widened = True
                    break
                t = max(0.0, float(sol.col_value[0]))  # never -0.0 or a rounding below 0
                if t >= hi * (1 - _REL_TOL):
                    continue
                bad = self._violations(sub, sol, False, weight, t)
                if bad.size:
                    self._widen(bad)
                    widened = True
                    break
                return t, self._binding(sub, sol, weight) if explain else []
            if not widened:
                return float("inf"), []

    def _binding(self, sub: _Sub, sol: Solution, weight: float) -> list[dict[str, Any]]:
        """Rows that hold TTS down, strongest first (the part that runs out first)."""
        prog, chain = self.prog, self.engine.chain
        duals = np.abs(sol.row_dual) / weight  # weeks of TTS per unit, whatever the scaling
        scale = max(1.0, float(duals.max(initial=0.0)))
        priority = self.engine.row_priority[sub.rows]
        depth = self.engine.row_depth[sub.rows]
        order = np.lexsort((-depth, priority, -np.round(duals / scale, 9)))
        out: list[dict[str, Any]] = []
        for i in order[:8]:
            if duals[i] <= 1e-9 * scale:
                break
            row = int(sub.rows[i])
            kind, ref = int(prog.row_kind[row]), int(prog.row_ref[row])
            entry: dict[str, Any] = {"kind": ROW_KINDS[kind], "shadow_price": float(duals[i])}
            if kind in (ROW_OUT, ROW_NCAP):
                entry["site"] = chain.site_ids[chain.node_site[ref]]
                entry["item"] = chain.item_ids[chain.node_item[ref]]
                entry["item_name"] = chain.item_names[chain.node_item[ref]]
            elif kind == ROW_SLOT:
                entry["site"] = chain.site_ids[chain.slot_site[ref]]
                entry["item"] = chain.item_ids[chain.slot_item[ref]]
                entry["item_name"] = chain.item_names[chain.slot_item[ref]]
                ptr, idx = self.engine._slot_alts
                alts = idx[ptr[ref] : ptr[ref + 1]].tolist()
                entry["alternatives"] = [
                    {
                        "site": chain.site_ids[chain.node_site[chain.alt_src[a]]],
                        "qualification_weeks": float(chain.alt_qualification_weeks[a]),
                    }
                    for a in alts
                    if not self.state.alt_closed[a]
                ]
            elif kind == ROW_LCAP:
                entry["site"] = chain.site_ids[chain.node_site[chain.link_src[ref]]]
                entry["item"] = chain.item_ids[chain.node_item[chain.link_src[ref]]]
                entry["to_site"] = chain.site_ids[chain.slot_site[chain.link_slot[ref]]]
            elif kind == ROW_ACAP:
                entry["site"] = chain.site_ids[chain.node_site[chain.alt_src[ref]]]
                entry["item"] = chain.item_ids[chain.node_item[chain.alt_src[ref]]]
            elif kind == ROW_LMAX:
                entry["market"] = chain.demand_market[ref]
            out.append(entry)
        return out
