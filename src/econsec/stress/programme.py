"""The TTR/TTS linear programme over a compiled value chain (docs/decisions/0070).

One matrix is assembled per data version; every scenario only changes bounds, the coefficient
of the horizon column ``t`` and which columns are free. Column layout::

    t | u (production, per node) | y (flow, per link) | a (flow, per alternative) | l (lost sales)

Rows (all ``≤``)::

    out(n)   Σ y[src=n] + Σ a[src=n] − Σ l[d at n] − u[n] + (Σ D[d at n])·t ≤ inv_node[n]
    slot(k)  Σ r[n,k]·u[n] − Σ y[→k] − Σ a[→k]                      ≤ inv_slot[k]
    ncap(n)  u[n] − cap[n]·t                                          ≤ 0      (+inf if unlimited)
    lcap(e)  y[e] − cap[e]·t                                          ≤ 0      (finite cap)
    acap(a)  a[a] − cap[a]·t                                          ≤ −cap[a]·q[a]
    lmax(d)  l[d] − D[d]·t                                            ≤ 0

The baseline ``rates`` are a steady state (per week, no inventory used) meeting all demand; they
let the engine fix every column a disruption cannot touch at ``rate·t`` (see engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from econsec.valuechain.compiled import CompiledChain

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ROW_OUT, ROW_SLOT, ROW_NCAP, ROW_LCAP, ROW_ACAP, ROW_LMAX = range(6)
ROW_KINDS = ("out", "slot", "ncap", "lcap", "acap", "lmax")


@dataclass(eq=False)
class Programme:
    """The assembled programme of one data version (read-only once built)."""

    version: str
    n_nodes: int
    n_links: int
    n_alts: int
    n_demand: int
    matrix_csr: sp.csr_matrix  # rows × cols, without the t column's coefficients
    matrix_csc: sp.csc_matrix
    t_coef: FloatArray  # per row, the coefficient of t before any disruption
    row_upper: FloatArray
    row_kind: IntArray
    row_ref: IntArray  # node, slot, link, alternative or demand row the row belongs to
    cap_row_of_node: IntArray
    acap_row_of_alt: IntArray  # -1 when capacity is unlimited
    col_upper: FloatArray  # before any disruption (inf, or 0 for unqualified links)
    margin: FloatArray  # per demand row, clamped at 0
    alt_weeks: FloatArray
    rates: FloatArray  # baseline per-week value of every column (0 for t and a)
    baseline_ok: bool  # the rates are a feasible steady state with no lost sales
    served: BoolArray  # per demand row: met in full by the steady state (normal times)
    node_out: sp.csr_matrix  # nodes × links: 1 where the link leaves the node
    slot_consumers: sp.csr_matrix  # slots × nodes: r[n, k]

    @property
    def n_cols(self) -> int:
        return 1 + self.n_nodes + self.n_links + self.n_alts + self.n_demand

    @property
    def u0(self) -> int:
        return 1

    @property
    def y0(self) -> int:
        return 1 + self.n_nodes

    @property
    def a0(self) -> int:
        return 1 + self.n_nodes + self.n_links

    @property
    def l0(self) -> int:
        return 1 + self.n_nodes + self.n_links + self.n_alts


def build_programme(chain: CompiledChain) -> Programme:
    """Assemble the programme of ``chain`` and its baseline steady state."""
    n, k, m = chain.n_nodes, chain.n_slots, chain.n_links
    na, nd = int(chain.alt_src.shape[0]), int(chain.demand_node.shape[0])
    u0, y0, a0, l0 = 1, 1 + n, 1 + n + m, 1 + n + m + na
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []
    t_coef: list[FloatArray] = []
    upper: list[FloatArray] = []
    kind: list[IntArray] = []
    ref: list[IntArray] = []
    next_row = 0

    def block(
        r: IntArray, c: IntArray, v: FloatArray, tc: FloatArray, ub: FloatArray, kd: int
    ) -> int:
        nonlocal next_row
        start = next_row
        rows.append(r + start)
        cols.append(c)
        vals.append(v)
        t_coef.append(tc)
        upper.append(ub)
        kind.append(np.full(tc.shape[0], kd, dtype=np.int64))
        next_row += tc.shape[0]
        return start

    demand = np.bincount(chain.demand_node, weights=chain.demand_per_week, minlength=n)
    ar = np.arange
    # out(n)
    block(
        np.concatenate([chain.link_src, chain.alt_src, chain.demand_node, ar(n)]),
        np.concatenate([y0 + ar(m), a0 + ar(na), l0 + ar(nd), u0 + ar(n)]),
        np.concatenate([np.ones(m + na), -np.ones(nd), -np.ones(n)]),
        demand.astype(np.float64),
        chain.node_inventory.astype(np.float64),
        ROW_OUT,
    )
    ref.append(ar(n))
    # slot(k)
    ni = chain.node_inputs.tocoo()
    block(
        np.concatenate([ni.col.astype(np.int64), chain.link_slot, chain.alt_slot]),
        np.concatenate([u0 + ni.row.astype(np.int64), y0 + ar(m), a0 + ar(na)]),
        np.concatenate([ni.data, -np.ones(m + na)]),
        np.zeros(k),
        chain.slot_inventory.astype(np.float64),
        ROW_SLOT,
    )
    ref.append(ar(k))
    # ncap(n): every node gets a row so a partial loss can cap a node of unstated capacity
    # (relative to its baseline output); unlimited ones stay inactive (upper bound +inf).
    cap = chain.node_capacity.astype(np.float64)
    finite = np.isfinite(cap)
    start = block(
        ar(n), u0 + ar(n), np.ones(n), np.where(finite, -cap, 0.0),
        np.where(finite, 0.0, np.inf), ROW_NCAP,
    )  # fmt: skip
    ref.append(ar(n))
    cap_row_of_node = start + ar(n)
    # lcap(e)
    fin = np.flatnonzero(np.isfinite(chain.link_capacity))
    block(
        ar(fin.shape[0]), y0 + fin, np.ones(fin.shape[0]), -chain.link_capacity[fin],
        np.zeros(fin.shape[0]), ROW_LCAP,
    )  # fmt: skip
    ref.append(fin)
    # acap(a)
    fin = np.flatnonzero(np.isfinite(chain.alt_capacity))
    start = block(
        ar(fin.shape[0]), a0 + fin, np.ones(fin.shape[0]), -chain.alt_capacity[fin],
        -chain.alt_capacity[fin] * chain.alt_qualification_weeks[fin], ROW_ACAP,
    )  # fmt: skip
    ref.append(fin)
    acap_row_of_alt = np.full(na, -1, dtype=np.int64)
    acap_row_of_alt[fin] = start + ar(fin.shape[0])
    # lmax(d)
    block(ar(nd), l0 + ar(nd), np.ones(nd), -chain.demand_per_week.astype(np.float64),
          np.zeros(nd), ROW_LMAX)  # fmt: skip
    ref.append(ar(nd))

    n_cols = 1 + n + m + na + nd
    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(next_row, n_cols),
    )
    matrix.sum_duplicates()
    col_upper = np.full(n_cols, np.inf)
    col_upper[y0 : y0 + m][~chain.link_qualified] = 0.0
    margin = np.nan_to_num(chain.demand_unit_margin.astype(np.float64), nan=0.0)
    rates, ok = baseline_rates(chain)
    full_rates = np.zeros(n_cols)
    full_rates[u0 : u0 + n] = rates[0]
    full_rates[y0 : y0 + m] = rates[1]
    matrix_csc = matrix.tocsc()
    t_all = np.concatenate(t_coef)
    upper_all = np.concatenate(upper)
    kind_all = np.concatenate(kind)
    if not ok:
        # The share-following flows break a capacity: take the best steady state instead, which
        # may leave some demand unmet in normal times (docs/decisions/0071).
        full_rates = steady_state(
            matrix_csc, t_all, upper_all, kind_all, col_upper, np.maximum(margin, 0.0), l0, a0
        )
    served = full_rates[l0:] <= 1e-9 * np.maximum(1.0, chain.demand_per_week)
    full_rates[l0:] = np.where(served, 0.0, full_rates[l0:])
    return Programme(
        version=chain.version,
        n_nodes=n,
        n_links=m,
        n_alts=na,
        n_demand=nd,
        matrix_csr=matrix,
        matrix_csc=matrix_csc,
        t_coef=t_all,
        row_upper=upper_all,
        row_kind=kind_all,
        row_ref=np.concatenate(ref),
        cap_row_of_node=cap_row_of_node,
        acap_row_of_alt=acap_row_of_alt,
        col_upper=col_upper,
        margin=np.maximum(margin, 0.0),
        alt_weeks=chain.alt_qualification_weeks.astype(np.float64),
        rates=full_rates,
        baseline_ok=bool(served.all()),
        served=served,
        node_out=sp.csr_matrix((np.ones(m), (chain.link_src, ar(m))), shape=(n, m)),
        slot_consumers=chain.node_inputs.T.tocsr(),
    )


def steady_state(
    matrix: sp.csc_matrix,
    t_coef: FloatArray,
    row_upper: FloatArray,
    row_kind: IntArray,
    col_upper: FloatArray,
    margin: FloatArray,
    l0: int,
    a0: int,
) -> FloatArray:
    """Per-week flows that lose the least margin with no stock drawn and no alternative used.

    Being a rate with zero inventory, ``rates · t`` is feasible at every horizon ``t``; being
    optimal, it leaves unmet only the demand the network cannot carry in normal times.
    """
    from econsec.stress.lp import OPTIMAL, Model

    n_cols = matrix.shape[1]
    cost = np.zeros(n_cols)
    cost[l0:] = margin
    lower = np.zeros(n_cols)
    upper = col_upper.copy()
    upper[a0:l0] = 0.0
    lower[0] = upper[0] = 1.0
    rows = np.where((row_kind == ROW_OUT) | (row_kind == ROW_SLOT), 0.0, row_upper)
    rows = np.where(row_kind == ROW_ACAP, np.inf, rows)
    body = sp.hstack([sp.csc_matrix(t_coef.reshape(-1, 1)), matrix[:, 1:]], format="csc")
    model = Model(body, cost, lower, upper, rows)
    sol = model.solve()
    if sol.status != OPTIMAL:  # cannot happen: shipping nothing and losing all is feasible
        raise RuntimeError(model.status_text())
    rates = np.maximum(sol.col_value, 0.0)
    rates[0] = 0.0
    return rates


def item_levels(chain: CompiledChain) -> IntArray:
    """Longest BOM path from a top-level item (0 for items no other item uses)."""
    n_items = chain.bom.shape[0]
    level = np.zeros(n_items, dtype=np.int64)
    bom = chain.bom.tocsr()
    # Relax parent → child edges until nothing changes; BOMs are acyclic, so this stops within
    # depth + 1 passes.
    coo = bom.tocoo()
    parents, children = coo.row.astype(np.int64), coo.col.astype(np.int64)
    for _ in range(n_items + 1):
        proposed = np.zeros(n_items, dtype=np.int64)
        np.maximum.at(proposed, children, level[parents] + 1)
        new = np.maximum(level, proposed)
        if np.array_equal(new, level):
            break
        level = new
    return level


def baseline_rates(chain: CompiledChain) -> tuple[tuple[FloatArray, FloatArray], bool]:
    """Steady-state weekly production and link flows that follow the sourcing shares.

    Demand is pushed upstream stage by stage: a node makes what its markets and its customers'
    links ask for; a slot needs the BOM quantity of what its consumers make, split over its
    qualified supply links by share. A site's own output of an input it also buys carries
    nothing here (the shares describe the bought part); it is used when a disruption asks for
    it. Returns ((u, y), ok) — ``ok`` is False when the steady state breaks a capacity, a slot
    has no qualified supplier, or the flows go round in a circle (the caller then solves for a
    steady state instead).
    """
    n, m = chain.n_nodes, chain.n_links
    qualified = chain.link_qualified
    external = qualified & ~chain.link_internal
    bought = np.bincount(chain.link_slot, weights=external.astype(float), minlength=chain.n_slots)
    # An internal link into a slot that also has outside suppliers takes no share.
    qualified = qualified & ~(chain.link_internal & (bought[chain.link_slot] > 0))
    share = np.where(qualified, np.maximum(chain.link_share, 0.0), 0.0)
    slot_total = np.bincount(chain.link_slot, weights=share, minlength=chain.n_slots)
    slot_count = np.bincount(
        chain.link_slot, weights=qualified.astype(float), minlength=chain.n_slots
    )
    weight = np.where(
        slot_total[chain.link_slot] > 0,
        share / np.where(slot_total[chain.link_slot] > 0, slot_total[chain.link_slot], 1.0),
        qualified / np.maximum(slot_count[chain.link_slot], 1.0),
    )
    stage = node_stages(chain)
    if stage is None:
        return (np.zeros(n), np.zeros(m)), False
    u = np.zeros(n)
    y = np.zeros(m)
    request = np.bincount(chain.demand_node, weights=chain.demand_per_week, minlength=n).astype(
        float
    )
    need = np.zeros(chain.n_slots)
    inputs_t = chain.node_inputs.T.tocsr()
    link_stage = stage[chain.link_src]
    for lev in range(int(stage.max(initial=0)) + 1):
        # Every consumer of a link's slot is at an earlier stage than the link's supplier, so
        # the slot's need is complete when the link is reached.
        links = np.flatnonzero(link_stage == lev)
        if links.size:
            y[links] = need[chain.link_slot[links]] * weight[links]
            request += np.bincount(chain.link_src[links], weights=y[links], minlength=n)
        nodes = stage == lev
        u[nodes] = request[nodes]
        need += inputs_t @ np.where(nodes, u, 0.0)
    supplied = np.bincount(chain.link_slot, weights=y, minlength=chain.n_slots)
    ok = bool(
        np.all(u <= chain.node_capacity * (1 + 1e-12) + 1e-9)
        and np.all(y <= chain.link_capacity * (1 + 1e-12) + 1e-9)
        and np.allclose(supplied, need, rtol=1e-9, atol=1e-9)
    )
    return (u, y), ok


def node_stages(chain: CompiledChain) -> IntArray | None:
    """Longest chain of supply above each node: 0 for nodes nobody draws on, else 1 + the
    largest stage of a node consuming a slot the node supplies. None when supply goes round in
    a circle (possible only through sites that pass an item on to each other)."""
    n = chain.n_nodes
    consumers = chain.node_inputs.T.tocsr()  # slots × nodes
    link_consumers = consumers[chain.link_slot].tocoo()  # links × consuming nodes
    before = link_consumers.col.astype(np.int64)
    after = chain.link_src[link_consumers.row]
    graph = sp.csr_matrix((np.ones(before.size), (before, after)), shape=(n, n))
    if np.any(before == after) or connected_components(graph, connection="strong")[0] < n:
        return None
    stage = np.zeros(n, dtype=np.int64)
    while True:  # at most (longest chain + 1) passes on an acyclic graph
        proposed = np.zeros(n, dtype=np.int64)
        np.maximum.at(proposed, after, stage[before] + 1)
        new = np.maximum(stage, proposed)
        if np.array_equal(new, stage):
            return stage
        stage = new
