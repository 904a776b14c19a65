"""TTR and TTS solved straight from the tables (the sheets of a workbook), not from a compiled chain.

Written from the stated reading of the data (docs/decisions/0004, 0070, 0075), with its own
bookkeeping: one stock point per (site, item) pair, and variables named after the rows of the
sheets. It shares no code with econsec's compile or programme, so a misreading in either shows
up as a disagreement.

Reading:
- a pair is *present* when the site has a production row for the item, ships it (supplier end of
  a supply link or an alternative), sells it (a demand row) or receives it (receiving end);
- a pair *makes* when it has a production row, or ships or sells the item and either does not
  receive it or has one of the item's BOM children present at the site; making draws every BOM
  child that is present at the site (an absent child is an upstream we cannot see);
- a pair *passes on* when it receives the item and ships or sells it: what the site sells and
  ships comes from its stock and from what it passes on, which comes from its receipts and its
  own making, as does the site's own use;
- any other present pair is one pool: stock + making + receipts ≥ own use + shipments + sales;
- a site that is down makes and passes on nothing; its stock still ships.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

CAP = 10_000.0
Pair = tuple[str, str]


class _Reading:
    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.t = tables
        self.links = tables.get("supply_links", [])
        self.alts = tables.get("alternatives", [])
        self.demand = tables.get("demand", [])
        produced = {(r["site_id"], r["item_id"]): r for r in tables.get("production", [])}
        self.produced = produced
        receives = {(r["receiving_site_id"], r["item_id"]) for r in self.links}
        receives |= {(r["receiving_site_id"], r["item_id"]) for r in self.alts}
        ships = {(r["supplier_site_id"], r["item_id"]) for r in self.links}
        ships |= {(r["alt_supplier_site_id"], r["item_id"]) for r in self.alts}
        ships |= {(r["site_id"], r["item_id"]) for r in self.demand}
        present = set(produced) | ships | receives
        children: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for r in tables.get("bom", []):
            children[r["parent_item_id"]].append(
                (r["child_item_id"], float(r["quantity_per_unit"]))
            )
        self.children = children
        self.makes = {
            p
            for p in present
            if p in produced
            or (
                p in ships
                and (
                    p not in receives
                    or any((p[0], c) in present for c, _ in children.get(p[1], []))
                )
            )
        }
        self.passes = receives & ships
        self.present = present
        self.stock: dict[Pair, float] = defaultdict(float)
        for r in tables.get("inventory", []):
            self.stock[(r["site_id"], r["item_id"])] += float(r["on_hand_units"])
        self.make_pairs = sorted(self.makes)
        self.pass_pairs = sorted(self.passes)


def _margins(tables: dict[str, list[dict[str, Any]]]) -> np.ndarray:
    return np.array([max(0.0, float(r["unit_margin"])) for r in tables.get("demand", [])])


def _system(
    rd: _Reading,
    down: set[str],
    closed_links: set[int],
    alts_from: float,
    with_stock: bool = True,
    with_alts: bool = True,
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, list[tuple[float, float | None]], int, int]:
    """A x ≤ b + g·t over x = (make, pass, flow, alt, sale): returns A, b, g, bounds, S, size."""
    mk = {p: i for i, p in enumerate(rd.make_pairs)}
    ps = {p: len(mk) + i for i, p in enumerate(rd.pass_pairs)}
    F = len(mk) + len(ps)
    A0 = F + len(rd.links)
    S = A0 + len(rd.alts)
    nv = S + len(rd.demand)
    rows: list[dict[int, float]] = []
    b: list[float] = []
    g: list[float] = []

    def add(coefs: dict[int, float], rhs: float, slope: float = 0.0) -> None:
        rows.append(coefs)
        b.append(rhs)
        g.append(slope)

    inflow: dict[Pair, list[int]] = defaultdict(list)
    outflow: dict[Pair, list[int]] = defaultdict(list)
    for e, r in enumerate(rd.links):
        inflow[(r["receiving_site_id"], r["item_id"])].append(F + e)
        outflow[(r["supplier_site_id"], r["item_id"])].append(F + e)
    for a, r in enumerate(rd.alts):
        inflow[(r["receiving_site_id"], r["item_id"])].append(A0 + a)
        outflow[(r["alt_supplier_site_id"], r["item_id"])].append(A0 + a)
    for d, r in enumerate(rd.demand):
        outflow[(r["site_id"], r["item_id"])].append(S + d)
    use: dict[Pair, dict[int, float]] = defaultdict(dict)
    for (site, item), col in mk.items():
        for child, qty in rd.children.get(item, []):
            if (site, child) in rd.present:
                use[(site, child)][col] = use[(site, child)].get(col, 0.0) + qty
    for p in sorted(rd.present):
        stock = rd.stock.get(p, 0.0) if with_stock else 0.0
        if p in ps:
            slot = dict(use[p])
            slot[ps[p]] = slot.get(ps[p], 0.0) + 1.0
            for c in inflow[p]:
                slot[c] = slot.get(c, 0.0) - 1.0
            if p in mk:
                slot[mk[p]] = slot.get(mk[p], 0.0) - 1.0
            add(slot, 0.0)
            out = {c: 1.0 for c in outflow[p]}
            out[ps[p]] = -1.0
            add(out, stock)
        else:
            pool: dict[int, float] = dict(use[p])
            for c in outflow[p]:
                pool[c] = pool.get(c, 0.0) + 1.0
            for c in inflow[p]:
                pool[c] = pool.get(c, 0.0) - 1.0
            if p in mk:
                pool[mk[p]] = pool.get(mk[p], 0.0) - 1.0
            add(pool, stock)
    bounds: list[tuple[float, float | None]] = []
    for p in rd.make_pairs:
        if p[0] in down:
            bounds.append((0.0, 0.0))
            continue
        bounds.append((0.0, None))
        row = rd.produced.get(p)
        cap = row.get("capacity_per_week") if row else None
        if cap is not None:
            add({mk[p]: 1.0}, 0.0, float(cap))
    for p in rd.pass_pairs:
        bounds.append((0.0, 0.0) if p[0] in down else (0.0, None))
    for e, r in enumerate(rd.links):
        if e in closed_links or not r["qualified"]:
            bounds.append((0.0, 0.0))
            continue
        bounds.append((0.0, None))
        if r.get("capacity_per_week") is not None:
            add({F + e: 1.0}, 0.0, float(r["capacity_per_week"]))
    for a, r in enumerate(rd.alts):
        q = float(r["qualification_weeks"])
        if not with_alts or q > alts_from:
            bounds.append((0.0, 0.0))
            continue
        bounds.append((0.0, None))
        if r.get("capacity_per_week") is not None:
            cap = float(r["capacity_per_week"])
            add({A0 + a: 1.0}, -cap * q, cap)
    for d, r in enumerate(rd.demand):
        bounds.append((0.0, None))
        add({S + d: 1.0}, 0.0, float(r["demand_per_week"]))
    matrix = sp.lil_matrix((len(rows), nv))
    for i, coefs in enumerate(rows):
        for c, v in coefs.items():
            if v:
                matrix[i, c] = v
    return matrix.tocsr(), np.array(b), np.array(g), bounds, S, nv


def table_ttr(
    tables: dict[str, list[dict[str, Any]]],
    down: set[str],
    horizon: float,
    closed_links: set[int] = frozenset(),  # type: ignore[assignment]
) -> float:
    """Least lost margin over ``horizon`` weeks with the ``down`` sites making nothing."""
    rd = _Reading(tables)
    a_ub, b_ub, g_ub, bounds, S, nv = _system(
        rd, down, set(closed_links), math.nextafter(horizon, -1)
    )
    margin = _margins(tables)
    c = np.zeros(nv)
    c[S:] = -margin
    res = linprog(c, A_ub=a_ub, b_ub=b_ub + g_ub * horizon, bounds=bounds, method="highs")
    assert res.status == 0, res.message
    demand = np.array([float(r["demand_per_week"]) for r in rd.demand])
    return float(margin @ demand * horizon + res.fun)


def normally_served(tables: dict[str, list[dict[str, Any]]]) -> np.ndarray | None:
    """Demand rows met in full by every best steady state (a week with no stock and no
    alternative, losing the least margin); None when that depends on which best state is taken.
    """
    rd = _Reading(tables)
    a_ub, b_ub, g_ub, bounds, S, nv = _system(rd, set(), set(), 0.0, False, False)
    margin = _margins(tables)
    demand = np.array([float(r["demand_per_week"]) for r in rd.demand])
    c = np.zeros(nv)
    c[S:] = -margin
    rhs = b_ub + g_ub
    best = linprog(c, A_ub=a_ub, b_ub=rhs, bounds=bounds, method="highs")
    assert best.status == 0, best.message
    keep = sp.vstack([a_ub, sp.csr_matrix(c.reshape(1, -1))]).tocsr()
    keep_rhs = np.append(rhs, best.fun + 1e-9 * max(1.0, abs(best.fun)))
    served = np.zeros(len(rd.demand), dtype=bool)
    for d in range(len(rd.demand)):
        for sense in (1.0, -1.0):
            obj = np.zeros(nv)
            obj[S + d] = sense
            res = linprog(obj, A_ub=keep, b_ub=keep_rhs, bounds=bounds, method="highs")
            assert res.status == 0, res.message
            sale = sense * res.fun
            full = sale >= demand[d] * (1 - 1e-7) - 1e-9
            if sense == 1.0:
                served[d] = full  # the least any best state sells
            elif full != served[d]:
                return None  # some best states serve it in full and some do not
    return served


def serves_best(tables: dict[str, list[dict[str, Any]]], served: np.ndarray) -> bool:
    """True when some best steady state meets every ``served`` demand row in full."""
    rd = _Reading(tables)
    a_ub, b_ub, g_ub, bounds, S, nv = _system(rd, set(), set(), 0.0, False, False)
    margin = _margins(tables)
    demand = np.array([float(r["demand_per_week"]) for r in rd.demand])
    c = np.zeros(nv)
    c[S:] = -margin
    rhs = b_ub + g_ub
    best = linprog(c, A_ub=a_ub, b_ub=rhs, bounds=bounds, method="highs")
    bounds = [
        (demand[i - S], demand[i - S]) if i >= S and served[i - S] else bound
        for i, bound in enumerate(bounds)
    ]
    forced = linprog(c, A_ub=a_ub, b_ub=rhs, bounds=bounds, method="highs")
    return bool(forced.status == 0 and forced.fun <= best.fun + 1e-7 * max(1.0, abs(best.fun)))


def table_tts(
    tables: dict[str, list[dict[str, Any]]],
    down: set[str],
    forced: np.ndarray,
    closed_links: set[int] = frozenset(),  # type: ignore[assignment]
) -> float:
    """Largest t with every ``forced`` demand row met in full at all times up to t."""
    rd = _Reading(tables)
    weeks = [float(r["qualification_weeks"]) for r in rd.alts]
    points = sorted({0.0, *[w for w in weeks if w > 0]})
    points.append(CAP)
    demand = np.array([float(r["demand_per_week"]) for r in rd.demand])
    for lo, hi in itertools.pairwise(points):
        a_ub, b_ub, g_ub, bounds, S, nv = _system(rd, down, set(closed_links), lo)
        a_ub = sp.hstack([a_ub, sp.csr_matrix(-g_ub.reshape(-1, 1))]).tocsr()
        rows = np.flatnonzero(forced)
        a_eq = sp.lil_matrix((rows.size, nv + 1))
        for i, d in enumerate(rows):
            a_eq[i, S + d] = 1.0
            a_eq[i, nv] = -demand[d]
        c = np.zeros(nv + 1)
        c[-1] = -1.0
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq.tocsr() if rows.size else None,
            b_eq=np.zeros(rows.size) if rows.size else None, bounds=[*bounds, (lo, hi)],
            method="highs",
        )  # fmt: skip
        assert res.status == 0, res.message
        t = float(res.x[-1])
        if t < hi * (1 - 1e-9):
            return t
    return math.inf
