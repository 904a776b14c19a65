"""An independent, plain single-LP formulation (scipy.optimize.linprog, dense) of TTR and TTS.

Written straight from the model statement with *sales* variables rather than lost sales, no
restriction, no baseline, no reuse — only to cross-check the engine on small networks.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import linprog

from econsec.stress.scenario import Disruption
from econsec.valuechain.compiled import CompiledChain

CAP = 10_000.0


def _system(chain: CompiledChain, dis: Disruption, t: float | None, alts_from: float):
    """Inequalities A x ≤ b + t·g over x = (u, y, a, s[, t]) and bounds for given alternatives."""
    n, m = chain.n_nodes, chain.n_links
    na, nd = chain.alt_src.shape[0], chain.demand_node.shape[0]
    nv = n + m + na + nd + (1 if t is None else 0)
    U, Y, A, S = 0, n, n + m, n + m + na
    rows, b, g = [], [], []
    for node in range(n):
        r = np.zeros(nv)
        r[Y + np.flatnonzero(chain.link_src == node)] = 1
        r[A + np.flatnonzero(chain.alt_src == node)] = 1
        r[S + np.flatnonzero(chain.demand_node == node)] = 1
        r[U + node] = -1
        rows.append(r), b.append(chain.node_inventory[node]), g.append(0.0)
    dense_inputs = chain.node_inputs.toarray()
    for slot in range(chain.n_slots):
        r = np.zeros(nv)
        r[U : U + n] = dense_inputs[:, slot]
        r[Y + np.flatnonzero(chain.link_slot == slot)] = -1
        r[A + np.flatnonzero(chain.alt_slot == slot)] = -1
        rows.append(r), b.append(chain.slot_inventory[slot]), g.append(0.0)
    bounds: list[tuple[float, float | None]] = []
    for node in range(n):
        if dis.node_factor[node] <= 0:
            bounds.append((0, 0))
        elif math.isfinite(chain.node_capacity[node]):
            cap = chain.node_capacity[node] * dis.node_factor[node]
            bounds.append((0, None))
            r = np.zeros(nv)
            r[U + node] = 1
            rows.append(r), b.append(0.0), g.append(cap)
        else:
            bounds.append((0, None))
    for e in range(m):
        if dis.link_closed[e] or not chain.link_qualified[e]:
            bounds.append((0, 0))
            continue
        bounds.append((0, None))
        if math.isfinite(chain.link_capacity[e]):
            r = np.zeros(nv)
            r[Y + e] = 1
            rows.append(r), b.append(0.0), g.append(chain.link_capacity[e])
    for a in range(na):
        q = chain.alt_qualification_weeks[a]
        if dis.alt_closed[a] or q > alts_from:
            bounds.append((0, 0))
            continue
        bounds.append((0, None))
        cap = chain.alt_capacity[a]
        if math.isfinite(cap):
            r = np.zeros(nv)
            r[A + a] = 1
            rows.append(r), b.append(-cap * q), g.append(cap)
    for d in range(nd):
        bounds.append((0, None))
        r = np.zeros(nv)
        r[S + d] = 1
        rows.append(r), b.append(0.0), g.append(chain.demand_per_week[d])
    a_ub = np.array(rows)
    b_ub, g_ub = np.array(b), np.array(g)
    return a_ub, b_ub, g_ub, bounds, S, nv


def reference_ttr(chain: CompiledChain, dis: Disruption, horizon: float) -> float:
    """Minimum lost margin over ``horizon`` weeks."""
    a_ub, b_ub, g_ub, bounds, S, nv = _system(chain, dis, horizon, math.nextafter(horizon, -1))
    margin = np.maximum(np.nan_to_num(chain.demand_unit_margin, nan=0.0), 0.0)
    c = np.zeros(nv)
    c[S:] = -margin
    res = linprog(c, A_ub=a_ub, b_ub=b_ub + g_ub * horizon, bounds=bounds, method="highs")
    assert res.status == 0, res.message
    return float(margin @ chain.demand_per_week * horizon + res.fun)


def reference_tts(chain: CompiledChain, dis: Disruption, rows: np.ndarray | None = None) -> float:
    """Largest t with every (or every listed) demand row fully served for all times up to t."""
    nd = chain.demand_node.shape[0]
    forced = np.ones(nd, dtype=bool) if rows is None else np.isin(np.arange(nd), rows)
    usable = ~dis.alt_closed
    points = sorted({0.0, *[float(q) for q in chain.alt_qualification_weeks[usable] if q > 0]})
    points.append(CAP)
    for lo, hi in itertools.pairwise(points):
        a_ub, b_ub, g_ub, bounds, S, nv = _system(chain, dis, None, lo)
        # t becomes a variable: A x − g·t ≤ b; forced sales equal D·t.
        a_ub = a_ub.copy()
        a_ub[:, nv - 1] = -g_ub
        a_eq = np.zeros((int(forced.sum()), nv))
        for i, d in enumerate(np.flatnonzero(forced)):
            a_eq[i, S + d] = 1
            a_eq[i, nv - 1] = -chain.demand_per_week[d]
        bounds = [*bounds[: nv - 1], (lo, hi)]
        c = np.zeros(nv)
        c[-1] = -1
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq if len(a_eq) else None,
                      b_eq=np.zeros(len(a_eq)) if len(a_eq) else None, bounds=bounds, method="highs")  # fmt: skip
        assert res.status == 0, res.message
        t = float(res.x[-1])
        if t < hi * (1 - 1e-9):
            return t
    return math.inf
