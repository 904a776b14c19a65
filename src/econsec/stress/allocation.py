"""Why a product can show a long time-to-survive and still lose many units.

The two figures answer different questions. A product's TTS is how long *it* could be served
if it alone had first call on the parts still available. Lost units come from the
time-to-recover plan, which serves all products together and, where they share a scarce part,
gives it to the products that earn more per unit first. So a product with a long TTS can lose
units because higher-margin products took the parts it shares with them.

This module names, per product that lost units, the higher-margin products that share a part
with it and lost a smaller share of their demand: the products that took its shared parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

SHOWN_PARTS = 3


def bom_closure(bom: sp.csr_matrix, item: int) -> dict[int, int]:
    """Every item ``item`` is made from, at any depth (not ``item`` itself), with its depth
    (1 for a direct input), breadth first."""
    depth: dict[int, int] = {}
    frontier = [item]
    level = 0
    while frontier:
        level += 1
        nxt: list[int] = []
        for parent in frontier:
            for child in bom.indices[bom.indptr[parent] : bom.indptr[parent + 1]]:
                c = int(child)
                if c not in depth and c != item:
                    depth[c] = level
                    nxt.append(c)
        frontier = nxt
    return depth


def shared_part_takers(
    bom: sp.csr_matrix,
    products: Sequence[int],
    unit_margin: npt.NDArray[np.float64],
    lost_share: npt.NDArray[np.float64],
    scarce: set[int] | None = None,
    bottlenecks: set[int] | None = None,
) -> dict[int, list[tuple[int, list[int]]]]:
    """For each product (item index) that lost units: the higher-margin products that share a
    part with it and lost a smaller share of demand, each with the shared parts (nearest in
    the bills of materials first), highest margin first.

    ``unit_margin`` and ``lost_share`` are per entry of ``products``. ``scarce``, when given,
    limits the shared parts to those (the parts the disruption made scarce); ``bottlenecks``
    (the parts the programme found binding) are named before the others.
    """
    closures = [bom_closure(bom, p) for p in products]
    out: dict[int, list[tuple[int, list[int]]]] = {}
    for i, p in enumerate(products):
        if lost_share[i] <= 0:
            continue
        takers: list[tuple[int, list[int]]] = []
        for j, q in enumerate(products):
            if j == i or unit_margin[j] <= unit_margin[i] or lost_share[j] >= lost_share[i]:
                continue
            shared = closures[i].keys() & closures[j].keys()
            if scarce is not None:
                shared &= scarce
            if shared:
                # Nearest parts first: a board both products use says more than its copper foil.
                first = bottlenecks or set()
                near = sorted(
                    shared,
                    key=lambda x: (x not in first, max(closures[i][x], closures[j][x]), x),
                )
                takers.append((q, near))
        takers.sort(key=lambda qp: -unit_margin[list(products).index(qp[0])])
        if takers:
            out[p] = takers
    return out


def takers_payload(
    chain: Any,
    lost: npt.NDArray[np.float64],
    demand: npt.NDArray[np.float64],
    margin: Any,
    scarce: set[int] | frozenset[int] | None = None,
    bottlenecks: set[int] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Per product id: the products that took its shared parts, ready for the result JSON.

    ``lost`` and ``demand`` are units per demand row over the horizon; ``margin`` the unit
    margin per demand row; ``scarce`` the parts the disruption reaches.
    """
    items = chain.node_item[chain.demand_node]
    products = sorted({int(i) for i in items.tolist()})
    unit_margin = np.zeros(len(products))
    lost_share = np.zeros(len(products))
    for k, item in enumerate(products):
        rows = items == item
        wanted = float(demand[rows].sum())
        unit_margin[k] = float(np.average(margin[rows], weights=demand[rows])) if wanted else 0.0
        lost_share[k] = float(lost[rows].sum()) / wanted if wanted else 0.0
    takers = shared_part_takers(
        chain.bom, products, unit_margin, lost_share, set(scarce) if scarce else None, bottlenecks
    )
    index = {item: k for k, item in enumerate(products)}
    return {
        chain.item_ids[p]: [
            {
                "item": chain.item_ids[q],
                "name": chain.item_names[q],
                "unit_margin": float(unit_margin[index[q]]),
                "lost_share": float(lost_share[index[q]]),
                "parts": [chain.item_names[x] for x in parts[:SHOWN_PARTS]],
                "more_parts": max(0, len(parts) - SHOWN_PARTS),
            }
            for q, parts in found
        ]
        for p, found in takers.items()
    }


def allocation_explanations(products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored explanations (message id + parameters): what TTS and lost units each mean, and
    per product that lost units, which higher-margin products took its shared parts."""
    lines: list[dict[str, Any]] = []
    for p in products:
        takers = p.get("parts_taken_by") or []
        if not takers or p.get("lost_units", 0.0) <= 0:
            continue
        parts: list[str] = []
        for taker in takers:
            parts.extend(x for x in taker["parts"] if x not in parts)
        lines.append(
            {
                "key": "stress.explain.parts_taken",
                "params": {
                    "product": f"{p['name']} ({p['item']})",
                    "tts": "∞" if p.get("tts_weeks") is None else f"{p['tts_weeks']:.1f}",
                    "lost": f"{p['lost_units']:,.0f}",
                    "takers": ", ".join(f"{x['name']} ({x['item']})" for x in takers[:SHOWN_PARTS])
                    + (f" (+{len(takers) - SHOWN_PARTS})" if len(takers) > SHOWN_PARTS else ""),
                    "parts": ", ".join(parts[:SHOWN_PARTS]),
                },
            }
        )
    if not lines:
        return []
    return [{"key": "stress.explain.tts_vs_lost", "params": {}}, *lines]
