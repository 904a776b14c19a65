"""From what an event hits to what it does to the products we sell.

Two answers, both explainable:

- **touched**: products that use, at any tier, something the event hits (a path of supply links
  from a hit to the product exists). This is the alert's reach: whom to ask, what to watch.
- **stopped**: products that cannot be made until something recovers, under the failure
  semantics of DESIGN.md §4 — a slot is lost when every qualified link into it is lost (OR), a
  node when any input slot is lost (AND). Alternatives that still need qualification and
  inventory do not count here; the stress test (TTS against the event's duration) weighs them.

Each touched product carries one path from the product down to the hit that reaches it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from econsec.monitoring.footprint import Footprint
from econsec.monitoring.index import ChainIndex
from econsec.monitoring.match import Hits, Reason, match, why_link, why_node

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SEVERITIES = ("none", "low", "medium", "high")
HIGH_SHARE = 0.10
"""Share of weekly revenue stopped from which an event is of high severity."""


def touched_products(index: ChainIndex, hits: Hits) -> IntArray:
    """Product indices (into ``index.product_nodes``) the hits reach, via the reach bitsets."""
    rows = [index.node_reach[hits.nodes]]
    if hits.links.size:
        rows.append(index.slot_reach[index.chain.link_slot[hits.links]])
    stacked = np.concatenate(rows)
    if stacked.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    return index.products_of(np.bitwise_or.reduce(stacked, axis=0))


def stopped_nodes(index: ChainIndex, hits: Hits) -> BoolArray:
    """Nodes that cannot produce while the hits last (OR over qualified links, AND over inputs)."""
    chain = index.chain
    lost_node = np.zeros(chain.n_nodes, dtype=bool)
    if not hits.stops:
        return lost_node
    lost_link = np.zeros(chain.n_links, dtype=bool)
    lost_slot = np.zeros(chain.n_slots, dtype=bool)
    link_slot, qualified = chain.link_slot, chain.link_qualified
    queue: deque[int] = deque()

    def lose_node(v: int) -> None:
        if not lost_node[v]:
            lost_node[v] = True
            queue.append(v)

    def lose_link(link: int) -> None:
        if lost_link[link]:
            return
        lost_link[link] = True
        s = int(link_slot[link])
        if lost_slot[s] or not qualified[link]:
            return
        sources = index.slot_links.of(s)
        if sources.size and lost_link[sources].all():
            lost_slot[s] = True
            for v in index.slot_consumers.of(s).tolist():
                lose_node(v)

    for v in hits.nodes.tolist():
        lose_node(v)
    for link in hits.links.tolist():
        lose_link(link)
    while queue:
        u = queue.popleft()
        for link in index.node_links.of(u).tolist():
            lose_link(link)
    return lost_node


def paths_to_products(index: ChainIndex, hits: Hits) -> dict[int, list[int]]:
    """For each reached node, one path back to a hit: node, its supplier node, … down to the hit.

    Breadth-first from the hits downstream, so each path is a shortest one. A path that starts
    at a closed link ends with ``-1 - link`` (the link, not a node).
    """
    chain = index.chain
    pred: dict[int, int] = {}
    queue: deque[int] = deque()
    for v in hits.nodes.tolist():
        if v not in pred:
            pred[v] = -2 - chain.n_links  # a hit node: the path ends here
            queue.append(v)
    for link in hits.links.tolist():
        for v in index.slot_consumers.of(int(chain.link_slot[link])).tolist():
            if v not in pred:
                pred[v] = -1 - link
                queue.append(v)
    while queue:
        u = queue.popleft()
        for link in index.node_links.of(u).tolist():
            for v in index.slot_consumers.of(int(chain.link_slot[link])).tolist():
                if v not in pred:
                    pred[v] = u
                    queue.append(v)
    paths: dict[int, list[int]] = {}
    for p in index.product_nodes.tolist():
        if p not in pred:
            continue
        path, v = [p], pred[p]
        while v >= 0:
            path.append(v)
            v = pred[v]
        if v > -2 - chain.n_links:
            path.append(v)  # the closed link the path starts from
        paths[p] = path
    return paths


@dataclass
class ProductImpact:
    product: int  # index into index.product_nodes
    item: str
    site: str
    stopped: bool
    revenue_per_week: float
    margin_per_week: float
    path: list[str]
    """Product first, then what it is made from, down to the hit (node labels "site/item";
    a closed link as "supplier → customer")."""
    reasons: list[Reason]
    """Why the last element of the path is hit."""


@dataclass
class Impact:
    hits: Hits
    products: list[ProductImpact]
    parts: list[str]
    """Items (other than the products) between the hits and the products, by id."""
    revenue_touched: float
    revenue_stopped: float
    margin_stopped: float
    revenue_total: float
    severity: str
    severity_reasons: list[Reason] = field(default_factory=list)

    @property
    def touched(self) -> list[str]:
        return [p.item for p in self.products]

    @property
    def stopped(self) -> list[str]:
        return [p.item for p in self.products if p.stopped]

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "severity_reasons": [[k, v] for k, v in self.severity_reasons],
            "revenue_touched": self.revenue_touched,
            "revenue_stopped": self.revenue_stopped,
            "margin_stopped": self.margin_stopped,
            "revenue_total": self.revenue_total,
            "hit_nodes": int(self.hits.nodes.size),
            "hit_links": int(self.hits.links.size),
            "unknown": [list(u) for u in self.hits.unknown],
            "parts": self.parts,
            "products": [
                {
                    "item": p.item,
                    "site": p.site,
                    "stopped": p.stopped,
                    "revenue_per_week": p.revenue_per_week,
                    "margin_per_week": p.margin_per_week,
                    "path": p.path,
                    "reasons": [[k, v] for k, v in p.reasons],
                }
                for p in self.products
            ],
        }


def _label(index: ChainIndex, step: int) -> str:
    chain = index.chain
    if step >= 0:
        return chain.node_label(step)
    link = -1 - step
    dst = chain.site_ids[chain.slot_site[chain.link_slot[link]]]
    return f"{chain.node_label(int(chain.link_src[link]))} → {dst}"


def severity(
    touched: int, stopped: int, revenue_stopped: float, revenue_total: float
) -> tuple[str, list[Reason]]:
    """Severity from what the event stops and touches, with the figures behind it."""
    share = revenue_stopped / revenue_total if revenue_total > 0 else 0.0
    pct = f"{share * 100:.1f}"
    if stopped and share >= HIGH_SHARE:
        return "high", [("monitoring.severity.why_high", {"pct": pct, "stopped": stopped})]
    if stopped:
        return "medium", [("monitoring.severity.why_medium", {"pct": pct, "stopped": stopped})]
    if touched:
        return "low", [("monitoring.severity.why_low", {"touched": touched})]
    return "none", [("monitoring.severity.why_none", {})]


def assess(index: ChainIndex, fp: Footprint) -> Impact:
    """The full, explained impact of one event on the indexed chain."""
    chain = index.chain
    hits = match(index, fp)
    lost = stopped_nodes(index, hits)
    paths = paths_to_products(index, hits)
    products = []
    part_items: set[int] = set()
    for p in touched_products(index, hits).tolist():
        node = int(index.product_nodes[p])
        path = paths.get(node, [node])
        for step in path[1:]:
            if step >= 0:
                part_items.add(int(chain.node_item[step]))
        end = path[-1]
        reasons = why_node(index, fp, end) if end >= 0 else why_link(index, fp, -1 - end)
        products.append(
            ProductImpact(
                product=p,
                item=chain.item_ids[chain.node_item[node]],
                site=chain.site_ids[chain.node_site[node]],
                stopped=bool(lost[node]),
                revenue_per_week=float(index.product_revenue[p]),
                margin_per_week=float(index.product_margin[p]),
                path=[_label(index, s) for s in path],
                reasons=reasons,
            )
        )
    products.sort(key=lambda x: (not x.stopped, -x.revenue_per_week, x.item, x.site))
    stopped = [x for x in products if x.stopped]
    revenue_stopped = sum(x.revenue_per_week for x in stopped)
    total = float(index.product_revenue.sum())
    level, why = severity(len(products), len(stopped), revenue_stopped, total)
    product_items = {int(chain.node_item[n]) for n in index.product_nodes.tolist()}
    return Impact(
        hits=hits,
        products=products,
        parts=sorted(chain.item_ids[i] for i in part_items - product_items),
        revenue_touched=sum(x.revenue_per_week for x in products),
        revenue_stopped=revenue_stopped,
        margin_stopped=sum(x.margin_per_week for x in stopped),
        revenue_total=total,
        severity=level,
        severity_reasons=why,
    )


def touched_matrix(index: ChainIndex, footprints: Iterable[Footprint]) -> sp.csr_matrix:
    """events × products, 1 where the event touches the product: the bulk path for many events."""
    rows: list[IntArray] = []
    for fp in footprints:
        rows.append(touched_products(index, match(index, fp)))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([r.size for r in rows], out=indptr[1:])
    cols = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return sp.csr_matrix(
        (np.ones(cols.size, dtype=bool), cols, indptr), shape=(len(rows), index.n_products)
    )


def stress_document(
    fp: Footprint, name: dict[str, str], weeks: float, sites: list[str] | None = None
) -> dict[str, Any] | None:
    """The stress scenario that plays the event for ``weeks`` (None: nothing it can model).

    Only the parts of a footprint the stress test understands are carried over: an export
    restriction by country, a sanction on organisations, a chokepoint closure, a disruption of
    sites, organisations or countries; item filters apply to each.
    """
    items: dict[str, Any] = {}
    if fp.items:
        items["items"] = list(fp.items)
    if fp.hs_prefixes:
        items["hs_codes"] = list(fp.hs_prefixes)
    if fp.mineral_tags:
        items["mineral_tags"] = list(fp.mineral_tags)
    if fp.critical_tags:
        items["critical_tags"] = list(fp.critical_tags)
    events: list[dict[str, Any]] = []
    if fp.kind == "export_restriction" and fp.countries:
        events.append({"kind": "export_restriction", "countries": list(fp.countries), **items})
    elif fp.kind == "sanction" and fp.orgs:
        events.append({"kind": "sanction", "orgs": list(fp.orgs), **items})
    elif fp.kind in {"natural_hazard", "conflict", "plant_incident"} and (
        fp.sites or fp.orgs or (fp.countries and not fp.has_area)
    ):
        where = {k: list(v) for k, v in (("sites", fp.sites), ("orgs", fp.orgs)) if v}
        if fp.countries and not fp.has_area:
            where["countries"] = list(fp.countries)
        events.append({"kind": "disruption", **where, **items})
    if fp.chokepoints:
        events.append({"kind": "chokepoint_closure", "chokepoints": list(fp.chokepoints), **items})
    elif fp.kind in {"natural_hazard", "conflict", "plant_incident"} and sites:
        # A region or a circle: the stress test takes the sites the footprint places it at.
        events.append({"kind": "disruption", "sites": sorted(sites), **items})
    if not events:
        return None
    return {"name": name, "duration_weeks": weeks, "events": events}
